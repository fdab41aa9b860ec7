//! The Postgres store: a team's shared incident history, the same interface as the local one.
//!
//! One table, `sentinel_incidents`: the bundle's meta (its `meta.json`, as text), the masked
//! text as `bytea` (exactly as given: `text` refuses NUL), `body` (the text compared by
//! `similarity()`: NUL read as a space, which splits words as NUL does), `sig` (the signature
//! doc both stores pre-select by, under a GiST trigram index), the latest report. The schema is
//! versioned in `sentinel_schema`; only `sentinel store migrate` creates or upgrades it (under
//! an advisory lock, in one transaction, so two at once are safe), and every other command
//! checks the version first and says what to run, so a newer client never changes a schema
//! older clients share.
//!
//! Every statement is parameterised. The candidates are the nearest [`similar::CANDIDATES`]
//! by `sig <-> $1` (the GiST index's nearest-neighbour order, read on past ties so that they
//! break by id in byte order, as in the local store), scored
//! by `similarity(body, $1)` in SQL and ranked by the same code as the local store, so both
//! return the same matches with the same scores.

use super::dsn::{Dsn, Tls, Verify};
use super::{Imported, Meta, StoreError, Stored, Unreadable, similar};
use crate::analyze::SimilarMatch;
use std::path::PathBuf;
use std::sync::Arc;
use tokio_postgres::Client;

/// The schema version this sentinel reads and writes.
pub const SCHEMA_VERSION: i32 = 3;

/// The migrations, in order: version n is `MIGRATIONS[n - 1]`.
const MIGRATIONS: &[&str] = &[
    // v1
    "CREATE EXTENSION IF NOT EXISTS pg_trgm;
     CREATE TABLE sentinel_incidents (
         id            text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$'),
         hash          text NOT NULL UNIQUE,
         source        text NOT NULL,
         meta          text NOT NULL,
         raw           bytea NOT NULL,
         body          text NOT NULL,
         sig           text NOT NULL,
         report        text,
         incident_date date,
         created_at    timestamptz NOT NULL DEFAULT now(),
         updated_at    timestamptz NOT NULL DEFAULT now()
     );
     CREATE UNIQUE INDEX sentinel_incidents_id_lower ON sentinel_incidents (lower(id));
     CREATE INDEX sentinel_incidents_sig_trgm ON sentinel_incidents USING gist (sig gist_trgm_ops);",
    // v2: the files a bundle holds beside its text and report (probe runs; later the audit
    // log and the postmortem), removed with their incident
    "CREATE TABLE sentinel_attachments (
         incident_id text NOT NULL REFERENCES sentinel_incidents (id)
                          ON DELETE CASCADE ON UPDATE CASCADE,
         name        text NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
         body        bytea NOT NULL,
         updated_at  timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (incident_id, name)
     );",
    // v3: the append-only logs of a bundle (the audit trail of `mitigate`), one row per
    // entry, in the order written
    "CREATE TABLE sentinel_log (
         seq         bigserial PRIMARY KEY,
         incident_id text NOT NULL REFERENCES sentinel_incidents (id)
                          ON DELETE CASCADE ON UPDATE CASCADE,
         name        text NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
         entry       text NOT NULL,
         written_at  timestamptz NOT NULL DEFAULT now()
     );
     CREATE INDEX sentinel_log_incident ON sentinel_log (incident_id, name, seq);",
];

/// The advisory lock keys: migrations, and writes (id allocation, imports).
const MIGRATE_LOCK: i64 = 0x5345_4e54_4d49_4701;
const WRITE_LOCK: i64 = 0x5345_4e54_5752_5401;

/// A connected Postgres store.
pub struct PgStore {
    rt: tokio::runtime::Runtime,
    client: Client,
    shown: String,
}

/// What `store migrate` found and did.
#[derive(Debug)]
pub struct Migrated {
    /// The version before.
    pub from: i32,
    /// The version now.
    pub to: i32,
    /// The database's encoding and ctype.
    pub encoding: String,
    /// The ctype (pg_trgm's idea of a letter follows it).
    pub ctype: String,
    /// Where the scores may differ from the local store's.
    pub warnings: Vec<String>,
}

/// An error and its causes, joined: tokio-postgres's own message alone says only "error
/// performing TLS handshake".
fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut cur = e.source();
    while let Some(s) = cur {
        let msg = s.to_string();
        if !out.contains(&msg) {
            out.push_str(": ");
            out.push_str(&msg);
        }
        cur = s.source();
    }
    out
}

fn pg_err(e: tokio_postgres::Error) -> StoreError {
    if let Some(db) = e.as_db_error() {
        let mut msg = format!("{} ({})", db.message(), db.code().code());
        if let Some(h) = db.hint() {
            msg.push_str(&format!("; hint: {h}"));
        }
        return StoreError::Postgres(msg);
    }
    StoreError::Postgres(chain(&e))
}

/// A TLS verifier that checks the chain and not the name (`sslmode=verify-ca`).
#[derive(Debug)]
struct ChainOnly(Arc<rustls::client::WebPkiServerVerifier>);

impl rustls::client::danger::ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end_entity: &rustls::pki_types::CertificateDer<'_>,
        intermediates: &[rustls::pki_types::CertificateDer<'_>],
        server_name: &rustls::pki_types::ServerName<'_>,
        ocsp: &[u8],
        now: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        use rustls::CertificateError::{NotValidForName, NotValidForNameContext};
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
        {
            Err(rustls::Error::InvalidCertificate(
                NotValidForName | NotValidForNameContext { .. },
            )) => Ok(rustls::client::danger::ServerCertVerified::assertion()),
            r => r,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

/// The rustls client configuration for a verified connection.
fn tls_config(v: &Verify) -> Result<rustls::ClientConfig, StoreError> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    match &v.roots {
        Some(path) => {
            let bad =
                |why: String| StoreError::BadDsn(format!("sslrootcert {}: {why}", path.display()));
            for cert in CertificateDer::pem_file_iter(path).map_err(|e| bad(e.to_string()))? {
                let cert = cert.map_err(|e| bad(e.to_string()))?;
                roots.add(cert).map_err(|e| bad(e.to_string()))?;
            }
            if roots.is_empty() {
                return Err(bad("holds no PEM certificate".into()));
            }
        }
        None => {
            let found = rustls_native_certs::load_native_certs();
            for cert in found.certs {
                let _ = roots.add(cert);
            }
            if roots.is_empty() {
                return Err(StoreError::BadDsn(
                    "no system CA certificates to verify the server with: set sslrootcert to the server's CA file (or sslmode=disable on a trusted network)".into(),
                ));
            }
        }
    }
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| StoreError::Postgres(e.to_string()))?;
    Ok(if v.host_name {
        builder.with_root_certificates(roots).with_no_client_auth()
    } else {
        let inner =
            rustls::client::WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .map_err(|e| StoreError::Postgres(e.to_string()))?;
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(ChainOnly(inner)))
            .with_no_client_auth()
    })
}

/// Connect (TLS as the connection string says), with the connection driven by `rt`.
pub async fn connect(dsn: &Dsn) -> Result<Client, StoreError> {
    // tokio-postgres's connect_timeout covers the TCP connect only: bound the TLS handshake and
    // authentication too, so a server that accepts and then hangs costs seconds, not forever
    let limit = dsn
        .config
        .get_connect_timeout()
        .copied()
        .unwrap_or(std::time::Duration::from_secs(10))
        * 2;
    let client = tokio::time::timeout(limit, connect_unbounded(dsn))
        .await
        .map_err(|_| {
            StoreError::Postgres(format!(
                "cannot connect to {}: no answer within {} s",
                dsn.shown,
                limit.as_secs()
            ))
        })??;
    // and every statement after it
    client
        .batch_execute("SET statement_timeout = '60s'")
        .await
        .map_err(pg_err)?;
    Ok(client)
}

/// Connect with the one config, or with each host's own (its own password) in turn until one
/// takes the connection, as libpq tries hosts; the error names every host's failure.
async fn connect_unbounded(dsn: &Dsn) -> Result<Client, StoreError> {
    let tls = match &dsn.tls {
        Tls::Off => None,
        Tls::Prefer(v) | Tls::Require(v) => Some(tokio_postgres_rustls::MakeRustlsConnect::new(
            tls_config(v)?,
        )),
    };
    let configs: Vec<&tokio_postgres::Config> = if dsn.per_host.is_empty() {
        vec![&dsn.config]
    } else {
        dsn.per_host.iter().collect()
    };
    let mut failed = Vec::new();
    for c in configs {
        let connected = match &tls {
            None => c
                .connect(tokio_postgres::NoTls)
                .await
                .map(|(client, conn)| {
                    tokio::spawn(async move {
                        let _ = conn.await;
                    });
                    client
                }),
            Some(t) => c.connect(t.clone()).await.map(|(client, conn)| {
                tokio::spawn(async move {
                    let _ = conn.await;
                });
                client
            }),
        };
        match connected {
            Ok(client) => return Ok(client),
            Err(e) if dsn.per_host.is_empty() => failed.push(chain(&e)),
            Err(e) => {
                let host = match c.get_hosts().first() {
                    Some(tokio_postgres::config::Host::Tcp(h)) => h.clone(),
                    Some(tokio_postgres::config::Host::Unix(p)) => p.display().to_string(),
                    None => String::new(),
                };
                let port = c.get_ports().first().copied().unwrap_or(5432);
                failed.push(format!("{host}:{port}: {}", chain(&e)));
            }
        }
    }
    Err(StoreError::Postgres(format!(
        "cannot connect to {}: {}",
        dsn.shown,
        failed.join("; ")
    )))
}

fn row_path(id: &str) -> PathBuf {
    PathBuf::from(format!("sentinel_incidents/{id}"))
}

fn parse_meta(id: &str, json: &str) -> Result<Meta, StoreError> {
    let meta: Meta = serde_json::from_str(json).map_err(|e| StoreError::Corrupt {
        path: row_path(id),
        reason: format!("its meta: {e}"),
    })?;
    if meta.schema != super::BUNDLE_SCHEMA || meta.id != id {
        return Err(StoreError::Corrupt {
            path: row_path(id),
            reason: format!(
                "its meta is {:?} for id {:?}, not {:?} for {id:?}",
                meta.schema,
                meta.id,
                super::BUNDLE_SCHEMA
            ),
        });
    }
    Ok(meta)
}

/// The text `similarity()` compares: its [`similar::compared`] part, NUL (which `text`
/// refuses) read as a space.
fn body(text: &str) -> String {
    similar::compared(text).replace('\0', " ")
}

impl PgStore {
    /// Connect and check the schema version.
    pub fn open(dsn: &Dsn) -> Result<PgStore, StoreError> {
        let s = PgStore::connect(dsn)?;
        s.check_version()?;
        Ok(s)
    }

    /// Connect without looking at the schema (for `store migrate`).
    pub fn connect(dsn: &Dsn) -> Result<PgStore, StoreError> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| StoreError::Postgres(format!("cannot start the runtime: {e}")))?;
        let client = rt.block_on(connect(dsn))?;
        Ok(PgStore {
            rt,
            client,
            shown: dsn.shown.clone(),
        })
    }

    /// The schema version in the database (0: none).
    pub fn version(&self) -> Result<i32, StoreError> {
        self.rt.block_on(async {
            let exists: bool = self
                .client
                .query_one("SELECT to_regclass('sentinel_schema') IS NOT NULL", &[])
                .await
                .map_err(pg_err)?
                .get(0);
            if !exists {
                return Ok(0);
            }
            let v: Option<i32> = self
                .client
                .query_one("SELECT max(version) FROM sentinel_schema", &[])
                .await
                .map_err(pg_err)?
                .get(0);
            Ok(v.unwrap_or(0))
        })
    }

    fn check_version(&self) -> Result<(), StoreError> {
        let v = self.version()?;
        let run = "sentinel store migrate` with the same --store";
        match v {
            0 => Err(StoreError::Schema(format!(
                "{} has no sentinel schema yet: run `{run} (once, by someone allowed to create tables)",
                self.shown
            ))),
            v if v < SCHEMA_VERSION => Err(StoreError::Schema(format!(
                "{} has sentinel schema v{v}, older than this sentinel's v{SCHEMA_VERSION}: run `{run}",
                self.shown
            ))),
            v if v > SCHEMA_VERSION => Err(StoreError::Schema(format!(
                "{} has sentinel schema v{v}, newer than this sentinel understands (v{SCHEMA_VERSION}): upgrade sentinel",
                self.shown
            ))),
            _ => Ok(()),
        }
    }

    /// `sentinel store migrate`: check the encoding and ctype, then apply the missing
    /// migrations in one transaction under an advisory lock.
    pub fn migrate(&self) -> Result<Migrated, StoreError> {
        let shown = self.shown.clone();
        self.rt.block_on(async {
            let row = self
                .client
                .query_one(
                    "SELECT pg_encoding_to_char(encoding), datctype FROM pg_database WHERE datname = current_database()",
                    &[],
                )
                .await
                .map_err(pg_err)?;
            let encoding: String = row.get(0);
            let ctype: String = row.get(1);
            if encoding != "UTF8" {
                return Err(StoreError::Schema(format!(
                    "{shown} has encoding {encoding}: the incident store needs UTF8 (CREATE DATABASE … ENCODING 'UTF8' LC_CTYPE 'C.UTF-8' TEMPLATE template0)"
                )));
            }
            let mut warnings = Vec::new();
            if !matches!(ctype.as_str(), "C.UTF-8" | "C.utf8") {
                warnings.push(format!(
                    "the database's ctype is {ctype}, not C.UTF-8: pg_trgm splits words by the ctype's letters, so scores of texts with non-ASCII letters may differ slightly from the local store's"
                ));
            }
            let tx = &self.client;
            in_tx(tx, async {
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATE_LOCK])
                .await
                .map_err(pg_err)?;
            tx.batch_execute(
                "CREATE TABLE IF NOT EXISTS sentinel_schema (
                     version    integer PRIMARY KEY,
                     applied_at timestamptz NOT NULL DEFAULT now()
                 )",
            )
            .await
            .map_err(pg_err)?;
            let from: i32 = tx
                .query_one("SELECT coalesce(max(version), 0) FROM sentinel_schema", &[])
                .await
                .map_err(pg_err)?
                .get(0);
            if from > SCHEMA_VERSION {
                return Err(StoreError::Schema(format!(
                    "{shown} has sentinel schema v{from}, newer than this sentinel understands (v{SCHEMA_VERSION}): upgrade sentinel; nothing was changed"
                )));
            }
            for v in from + 1..=SCHEMA_VERSION {
                let sql = MIGRATIONS[usize::try_from(v - 1).unwrap_or_default()];
                tx.batch_execute(sql).await.map_err(pg_err)?;
                tx.execute("INSERT INTO sentinel_schema (version) VALUES ($1)", &[&v])
                    .await
                    .map_err(pg_err)?;
            }
            Ok(from)
            })
            .await
            .map(|from| Migrated {
                from,
                to: SCHEMA_VERSION,
                encoding,
                ctype,
                warnings,
            })
        })
    }

    /// Where it is, for messages.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// See [`super::Store::insert`]: under the write lock, in one transaction.
    pub fn insert(
        &self,
        mut meta: Meta,
        base: &str,
        text: &[u8],
        report: impl FnOnce(&str) -> Option<String>,
    ) -> Result<(String, bool), StoreError> {
        let tx = &self.client;
        self.rt.block_on(in_tx(tx, async {
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])
                .await
                .map_err(pg_err)?;
            if let Some(row) = tx
                .query_opt("SELECT id FROM sentinel_incidents WHERE hash = $1", &[&meta.hash])
                .await
                .map_err(pg_err)?
            {
                return Ok((row.get(0), false));
            }
            let taken: Vec<String> = tx
                .query(
                    "SELECT lower(id) FROM sentinel_incidents WHERE lower(id) = lower($1) OR lower(id) LIKE lower($1) || '-%'",
                    &[&base],
                )
                .await
                .map_err(pg_err)?
                .iter()
                .map(|r| r.get(0))
                .collect();
            let mut id = base.to_string();
            let mut n = 2;
            while taken.contains(&id.to_ascii_lowercase()) {
                id = format!("{base}-{n}");
                n += 1;
            }
            meta.id.clone_from(&id);
            let report = report(&id);
            write_row(tx, &meta, text, report.as_deref()).await?;
            Ok((id, true))
        }))
    }

    /// See [`super::Store::import`].
    pub fn import(&self, meta: Meta, text: &[u8], report: &str) -> Result<Imported, StoreError> {
        let tx = &self.client;
        self.rt.block_on(in_tx(tx, async {
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])
                .await
                .map_err(pg_err)?;
            if let Some(row) = tx
                .query_opt(
                    "SELECT id FROM sentinel_incidents WHERE lower(id) = lower($1) AND id <> $1",
                    &[&meta.id],
                )
                .await
                .map_err(pg_err)?
            {
                return Err(StoreError::CaseClash {
                    id: meta.id.clone(),
                    existing: row.get(0),
                });
            }
            if let Some(row) = tx
                .query_opt(
                    "SELECT id FROM sentinel_incidents WHERE hash = $1 AND id <> $2",
                    &[&meta.hash, &meta.id],
                )
                .await
                .map_err(pg_err)?
            {
                return Err(StoreError::SameText {
                    id: meta.id.clone(),
                    existing: row.get(0),
                });
            }
            let old = locked_meta(tx, &meta.id).await?;
            let (meta, what) = super::merge_import(meta, old.as_ref())?;
            if what != Imported::Unchanged {
                write_row(tx, &meta, text, Some(report)).await?;
            }
            Ok(what)
        }))
    }

    /// See [`super::Store::record`]: the row locked, changed by `f`, written back (with its
    /// signature) in one transaction.
    pub fn update_meta(
        &self,
        id: &str,
        f: impl FnOnce(&mut Meta) -> bool,
    ) -> Result<Option<Meta>, StoreError> {
        let tx = &self.client;
        self.rt.block_on(in_tx(tx, async {
            let mut meta = locked_meta(tx, id)
                .await?
                .ok_or_else(|| StoreError::NotFound(id.to_string()))?;
            if !f(&mut meta) {
                return Ok(None);
            }
            let json = serde_json::to_string_pretty(&meta)
                .map_err(|e| StoreError::Postgres(format!("cannot encode the meta: {e}")))?;
            tx.execute(
                "UPDATE sentinel_incidents SET meta = $2, sig = $3, updated_at = now() WHERE id = $1",
                &[&id, &json, &body(&similar::signature_doc(&meta))],
            )
            .await
            .map_err(pg_err)?;
            Ok(Some(meta))
        }))
    }

    /// One incident.
    pub fn load(&self, id: &str) -> Result<Stored, StoreError> {
        self.rt.block_on(async {
            let row = self
                .client
                .query_opt(
                    "SELECT meta, raw FROM sentinel_incidents WHERE id = $1",
                    &[&id],
                )
                .await
                .map_err(pg_err)?
                .ok_or_else(|| StoreError::NotFound(id.to_string()))?;
            Ok(Stored {
                meta: parse_meta(id, row.get(0))?,
                text: String::from_utf8_lossy(row.get::<_, &[u8]>(1)).into_owned(),
            })
        })
    }

    /// See [`super::Store::attach`]: the report goes into its column, the rest into
    /// `sentinel_attachments`.
    pub fn attach(&self, id: &str, name: &str, body: &[u8]) -> Result<(), StoreError> {
        self.rt.block_on(async {
            let n = if name == super::attachment::REPORT {
                let text = String::from_utf8_lossy(body);
                self.client
                    .execute(
                        "UPDATE sentinel_incidents SET report = $2, updated_at = now() WHERE id = $1",
                        &[&id, &text.as_ref()],
                    )
                    .await
                    .map_err(pg_err)?
            } else {
                self.client
                    .execute(
                        "INSERT INTO sentinel_attachments (incident_id, name, body)
                         SELECT id, $2, $3 FROM sentinel_incidents WHERE id = $1
                         ON CONFLICT (incident_id, name) DO UPDATE SET
                             body = EXCLUDED.body, updated_at = now()",
                        &[&id, &name, &body],
                    )
                    .await
                    .map_err(pg_err)?
            };
            if n == 0 {
                return Err(StoreError::NotFound(id.to_string()));
            }
            Ok(())
        })
    }

    /// See [`super::Store::append`]: one row per entry, committed when this returns.
    pub fn append(&self, id: &str, name: &str, entry: &str) -> Result<(), StoreError> {
        self.rt.block_on(async {
            let n = self
                .client
                .execute(
                    "INSERT INTO sentinel_log (incident_id, name, entry)
                     SELECT id, $2, $3 FROM sentinel_incidents WHERE id = $1",
                    &[&id, &name, &entry],
                )
                .await
                .map_err(pg_err)?;
            if n == 0 {
                return Err(StoreError::NotFound(id.to_string()));
            }
            Ok(())
        })
    }

    /// See [`super::Store::log`].
    pub fn log(&self, id: &str, name: &str) -> Result<Vec<String>, StoreError> {
        self.rt.block_on(async {
            let rows = self
                .client
                .query(
                    "SELECT entry FROM sentinel_log WHERE incident_id = $1 AND name = $2 ORDER BY seq",
                    &[&id, &name],
                )
                .await
                .map_err(pg_err)?;
            Ok(rows.iter().map(|r| r.get::<_, String>(0)).collect())
        })
    }

    /// See [`super::Store::attachment`].
    pub fn attachment(&self, id: &str, name: &str) -> Result<Option<Vec<u8>>, StoreError> {
        self.rt.block_on(async {
            let row = self
                .client
                .query_opt(
                    "SELECT i.report, a.body FROM sentinel_incidents i
                     LEFT JOIN sentinel_attachments a ON a.incident_id = i.id AND a.name = $2
                     WHERE i.id = $1",
                    &[&id, &name],
                )
                .await
                .map_err(pg_err)?
                .ok_or_else(|| StoreError::NotFound(id.to_string()))?;
            Ok(if name == super::attachment::REPORT {
                row.get::<_, Option<String>>(0).map(String::into_bytes)
            } else {
                row.get::<_, Option<Vec<u8>>>(1)
            })
        })
    }

    /// Is there an incident with this id?
    pub fn contains(&self, id: &str) -> Result<bool, StoreError> {
        self.rt.block_on(async {
            Ok(self
                .client
                .query_opt("SELECT 1 FROM sentinel_incidents WHERE id = $1", &[&id])
                .await
                .map_err(pg_err)?
                .is_some())
        })
    }

    /// Every incident's meta, sorted by id (byte order), and the rows that do not read.
    pub fn list(&self) -> Result<(Vec<Meta>, Vec<Unreadable>), StoreError> {
        self.rt.block_on(async {
            let rows = self
                .client
                .query(
                    "SELECT id, meta FROM sentinel_incidents ORDER BY id COLLATE \"C\"",
                    &[],
                )
                .await
                .map_err(pg_err)?;
            let mut ok = Vec::new();
            let mut bad = Vec::new();
            for r in rows {
                let id: &str = r.get(0);
                match parse_meta(id, r.get(1)) {
                    Ok(m) => ok.push(m),
                    Err(e) => bad.push(unreadable(id, e)),
                }
            }
            Ok((ok, bad))
        })
    }

    /// The incident whose row, attachment or log entry was written last.
    pub fn last_worked_on(&self) -> Result<Option<String>, StoreError> {
        self.rt.block_on(async {
            let row = self
                .client
                .query_opt(
                    "SELECT i.id FROM sentinel_incidents i
                     ORDER BY greatest(
                         i.updated_at,
                         (SELECT max(a.updated_at) FROM sentinel_attachments a WHERE a.incident_id = i.id),
                         (SELECT max(l.written_at) FROM sentinel_log l WHERE l.incident_id = i.id)
                     ) DESC, i.id COLLATE \"C\" DESC
                     LIMIT 1",
                    &[],
                )
                .await
                .map_err(pg_err)?;
            Ok(row.map(|r| r.get(0)))
        })
    }

    /// Remove one incident.
    pub fn remove(&self, id: &str) -> Result<(), StoreError> {
        self.rt.block_on(async {
            let n = self
                .client
                .execute("DELETE FROM sentinel_incidents WHERE id = $1", &[&id])
                .await
                .map_err(pg_err)?;
            if n == 0 {
                return Err(StoreError::NotFound(id.to_string()));
            }
            Ok(())
        })
    }

    /// Remove the incidents older than `age` seconds at `now`, 100 per transaction, skipping
    /// rows others hold locked, so no lock is held for long.
    pub fn prune(&self, age: i64, now: i64) -> (Vec<String>, Vec<StoreError>) {
        let cutoff = (now - age) as f64;
        let mut removed = Vec::new();
        let mut failed = Vec::new();
        loop {
            let batch = self.rt.block_on(async {
                self.client
                    .query(
                        "DELETE FROM sentinel_incidents WHERE id IN (
                             SELECT id FROM sentinel_incidents
                             WHERE coalesce(incident_date::timestamp AT TIME ZONE 'UTC', created_at) < to_timestamp($1)
                             ORDER BY id LIMIT 100 FOR UPDATE SKIP LOCKED)
                         RETURNING id",
                        &[&cutoff],
                    )
                    .await
            });
            match batch {
                Ok(rows) if rows.is_empty() => break,
                Ok(rows) => removed.extend(rows.iter().map(|r| r.get::<_, String>(0))),
                Err(e) => {
                    failed.push(pg_err(e));
                    break;
                }
            }
        }
        removed.sort();
        (removed, failed)
    }

    /// See [`super::Store::similar`]: candidates by the GiST index on `sig`, scored with
    /// `similarity()` in SQL, ranked as the local store ranks.
    pub fn similar(
        &self,
        query: &Meta,
        text: &str,
        limit: usize,
    ) -> Result<(Vec<SimilarMatch>, Vec<Unreadable>), StoreError> {
        let sig = body(&similar::signature_doc(query));
        let body = body(text);
        self.rt.block_on(async {
            // the index walks rows nearest first but cannot break ties by id: read on past the
            // last candidate's distance, then order (distance, id) as the local store does
            let mut fetch = similar::CANDIDATES * 2;
            let near: Vec<(f32, String)> = loop {
                let limit = i64::try_from(fetch).unwrap_or(i64::MAX);
                let rows = self
                    .client
                    .query(
                        "SELECT sig <-> $3, id FROM sentinel_incidents
                         WHERE id <> $1 AND hash <> $2
                         ORDER BY sig <-> $3 LIMIT $4",
                        &[&query.id, &query.hash, &sig, &limit],
                    )
                    .await
                    .map_err(pg_err)?;
                let mut near: Vec<(f32, String)> =
                    rows.iter().map(|r| (r.get(0), r.get(1))).collect();
                near.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
                let complete = near.len() < fetch
                    || near.get(similar::CANDIDATES - 1).map(|c| c.0) < near.last().map(|c| c.0);
                if complete {
                    near.truncate(similar::CANDIDATES);
                    break near;
                }
                fetch *= 4;
            };
            let ids: Vec<&str> = near.iter().map(|(_, id)| id.as_str()).collect();
            let rows = self
                .client
                .query(
                    "SELECT id, meta, raw, similarity(body, $1) FROM sentinel_incidents
                     WHERE id = ANY($2)",
                    &[&body, &ids],
                )
                .await
                .map_err(pg_err)?;
            let mut candidates = Vec::new();
            let mut bad = Vec::new();
            for r in rows {
                let id: &str = r.get(0);
                match parse_meta(id, r.get(1)) {
                    Ok(meta) => candidates.push(similar::Candidate::with_score(
                        Stored {
                            meta,
                            text: String::from_utf8_lossy(r.get::<_, &[u8]>(2)).into_owned(),
                        },
                        r.get(3),
                    )),
                    Err(e) => bad.push(unreadable(id, e)),
                }
            }
            Ok((similar::rank_candidates(query, candidates, limit), bad))
        })
    }

    /// Import many incidents at once (history, benchmarks), 1,000 rows per statement in one
    /// transaction; incidents whose id or text is stored already are skipped. Returns how many
    /// were added.
    pub fn import_bulk(
        &self,
        items: impl IntoIterator<Item = (Meta, String)>,
    ) -> Result<usize, StoreError> {
        let items: Vec<(Meta, String)> = items.into_iter().collect();
        let tx = &self.client;
        self.rt.block_on(in_tx(tx, async {
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])
                .await
                .map_err(pg_err)?;
            let mut added = 0;
            for chunk in items.chunks(1000) {
                let mut cols: [Vec<String>; 6] = Default::default();
                let mut raws: Vec<&[u8]> = Vec::new();
                let mut dates: Vec<Option<&str>> = Vec::new();
                for (m, text) in chunk {
                    if !super::valid_id(&m.id) {
                        return Err(StoreError::BadId(m.id.clone()));
                    }
                    let json = serde_json::to_string(m)
                        .map_err(|e| StoreError::Postgres(format!("cannot encode a meta: {e}")))?;
                    for (col, v) in cols.iter_mut().zip([
                        m.id.clone(),
                        m.hash.clone(),
                        m.source.clone(),
                        json,
                        body(text),
                        body(&similar::signature_doc(m)),
                    ]) {
                        col.push(v);
                    }
                    raws.push(text.as_bytes());
                    dates.push(
                        m.date
                            .as_deref()
                            .filter(|d| d.parse::<jiff::civil::Date>().is_ok()),
                    );
                }
                added += tx
                    .execute(
                        "INSERT INTO sentinel_incidents
                             (id, hash, source, meta, body, sig, raw, incident_date)
                         SELECT i, h, s, m, b, g, r, d::date
                         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[],
                                     $5::text[], $6::text[], $7::bytea[], $8::text[])
                              AS u(i, h, s, m, b, g, r, d)
                         ON CONFLICT DO NOTHING",
                        &[
                            &cols[0], &cols[1], &cols[2], &cols[3], &cols[4], &cols[5], &raws,
                            &dates,
                        ],
                    )
                    .await
                    .map_err(pg_err)?;
            }
            Ok(usize::try_from(added).unwrap_or(usize::MAX))
        }))
    }

    /// Run a statement (tests and benchmarks build scenarios with it).
    pub fn batch(&self, sql: &str) -> Result<(), StoreError> {
        self.rt
            .block_on(self.client.batch_execute(sql))
            .map_err(pg_err)
    }
}

fn unreadable(id: &str, e: StoreError) -> Unreadable {
    match e {
        StoreError::Corrupt { path, reason } => Unreadable { path, reason },
        e => Unreadable {
            path: row_path(id),
            reason: e.to_string(),
        },
    }
}

/// An incident's meta, its row locked until the transaction ends; `None` when there is none.
async fn locked_meta(tx: &Client, id: &str) -> Result<Option<Meta>, StoreError> {
    match tx
        .query_opt(
            "SELECT meta FROM sentinel_incidents WHERE id = $1 FOR UPDATE",
            &[&id],
        )
        .await
        .map_err(pg_err)?
    {
        Some(row) => parse_meta(id, row.get(0)).map(Some),
        None => Ok(None),
    }
}

/// Run `body` in a transaction: committed when it succeeds, rolled back when it fails.
async fn in_tx<T>(
    client: &Client,
    body: impl Future<Output = Result<T, StoreError>>,
) -> Result<T, StoreError> {
    // a writer stuck in front of us costs an error, not a hang
    client
        .batch_execute("BEGIN; SET LOCAL lock_timeout = '30s'")
        .await
        .map_err(pg_err)?;
    match body.await {
        Ok(v) => {
            client.batch_execute("COMMIT").await.map_err(pg_err)?;
            Ok(v)
        }
        Err(e) => {
            let _ = client.batch_execute("ROLLBACK").await;
            Err(e)
        }
    }
}

/// Insert or replace one incident's row.
async fn write_row(
    tx: &Client,
    meta: &Meta,
    text: &[u8],
    report: Option<&str>,
) -> Result<(), StoreError> {
    let meta_json = serde_json::to_string_pretty(meta)
        .map_err(|e| StoreError::Postgres(format!("cannot encode the meta: {e}")))?;
    let date = meta
        .date
        .as_deref()
        .filter(|d| d.parse::<jiff::civil::Date>().is_ok());
    tx.execute(
        "INSERT INTO sentinel_incidents (id, hash, source, meta, raw, body, sig, report, incident_date)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::text::date)
         ON CONFLICT (id) DO UPDATE SET
             hash = EXCLUDED.hash, source = EXCLUDED.source, meta = EXCLUDED.meta,
             raw = EXCLUDED.raw, body = EXCLUDED.body, sig = EXCLUDED.sig,
             report = coalesce(EXCLUDED.report, sentinel_incidents.report),
             incident_date = EXCLUDED.incident_date, updated_at = now()",
        &[
            &meta.id,
            &meta.hash,
            &meta.source,
            &meta_json,
            &text,
            &body(&String::from_utf8_lossy(text)),
            &body(&similar::signature_doc(meta)),
            &report,
            &date,
        ],
    )
    .await
    .map_err(pg_err)?;
    Ok(())
}
