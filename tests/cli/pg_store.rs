//! The Postgres store against the real Postgres: `store migrate` (versioned, two at once), the
//! version check of every other command, the same rankings and scores as the local store, raw
//! bytes kept, TLS verified, prune and the shared write rules. Each test works in a database
//! of its own, created from template0 with the UTF8 / C.UTF-8 that `store migrate` checks.

use crate::trgm_parity::pg_url;
use crate::util::{root, sentinel, tmp};
use sentinel::store::dsn::Dsn;
use sentinel::store::pg::PgStore;
use std::path::{Path, PathBuf};

/// A database for one test, dropped when the test ends.
struct TestDb {
    admin: String,
    name: String,
    url: String,
}

fn with_db(url: &str, db: &str) -> String {
    let (main, query) = url
        .split_once('?')
        .map_or((url, None), |(m, q)| (m, Some(q)));
    let head = main
        .rsplit_once('/')
        .filter(|(h, _)| h.contains("://") && !h.ends_with('/'))
        .map_or(main, |(h, _)| h);
    match query {
        Some(q) => format!("{head}/{db}?{q}"),
        None => format!("{head}/{db}"),
    }
}

fn admin_exec(admin: &str, sql: &str) {
    let dsn = Dsn::parse(admin).expect("admin url");
    PgStore::connect(&dsn)
        .expect("connect as admin")
        .batch(sql)
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

impl TestDb {
    fn new(tag: &str) -> Option<TestDb> {
        let admin = pg_url()?;
        let name = format!("sentinel_t_{tag}_{}", std::process::id());
        admin_exec(
            &admin,
            &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        );
        admin_exec(
            &admin,
            &format!(
                "CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
            ),
        );
        let url = with_db(&admin, &name);
        Some(TestDb { admin, name, url })
    }

    fn store(&self) -> PgStore {
        PgStore::open(&Dsn::parse(&self.url).expect("url")).expect("open the migrated store")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Ok(dsn) = Dsn::parse(&self.admin)
            && let Ok(s) = PgStore::connect(&dsn)
        {
            let _ = s.batch(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

fn run(d: &tempfile::TempDir, store: &str, args: &[&str]) -> std::process::Output {
    sentinel(d)
        .arg("--store")
        .arg(store)
        .args(args)
        .output()
        .expect("run sentinel")
}

fn ok(o: &std::process::Output) -> String {
    assert!(
        o.status.success(),
        "exit {:?}: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn migrate(d: &tempfile::TempDir, url: &str) {
    ok(&run(d, url, &["store", "migrate"]));
}

/// Every fixture text: the incidents and their independently worded second accounts.
fn texts() -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for dir in ["fixtures/incidents", "fixtures/similar"] {
        let mut names: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
            .expect("fixtures")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        names.sort();
        let tag = if dir.ends_with("similar") { "b" } else { "a" };
        for p in names {
            let stem = p
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            out.push((format!("{tag}-{stem}"), p));
        }
    }
    out
}

fn matches(json: &str) -> Vec<(String, f64)> {
    let v: serde_json::Value = serde_json::from_str(json).expect("similar json");
    assert_eq!(v["schema"], "sentinel.similar/v1");
    v["matches"]
        .as_array()
        .expect("matches")
        .iter()
        .map(|m| {
            (
                m["id"].as_str().expect("id").to_string(),
                m["score"].as_f64().expect("score"),
            )
        })
        .collect()
}

#[test]
fn local_and_postgres_rank_alike() {
    let Some(db) = TestDb::new("parity") else {
        return;
    };
    let d = tmp();
    migrate(&d, &db.url);
    let local = d.path().join("local").display().to_string();
    let all = texts();
    assert!(all.len() >= 50, "at least 50 incident texts: {}", all.len());
    for (id, path) in &all {
        let p = path.display().to_string();
        for store in [&local, &db.url] {
            ok(&run(&d, store, &["similar", "--add", &p, "--id", id]));
        }
    }
    // what becomes known later (a verified fix, a person's root cause) is kept alike in both,
    // and changes the failure mode the preselection and the blend see in both
    {
        use sentinel::store::{ConfirmedBy, Outcome, Store, local::LocalStore};
        let stores = [
            Store::Local(LocalStore::open(std::path::Path::new(&local)).expect("local")),
            Store::Postgres(std::sync::Arc::new(db.store())),
        ];
        for (i, (id, _)) in all.iter().enumerate().filter(|(i, _)| i % 7 == 0) {
            let o = Outcome {
                by: if i % 2 == 0 {
                    ConfirmedBy::Mitigation
                } else {
                    ConfirmedBy::Probes
                },
                failure_mode: Some((
                    "db-connection-pool-exhaustion".into(),
                    "Database connection pool exhausted".into(),
                )),
                root_cause: Some(format!("pool held by job {i}")),
                resolution: Some(format!("terminated the holders of {id}")),
            };
            let kept: Vec<_> = stores
                .iter()
                .map(|s| s.record(id, &o).expect("record"))
                .collect();
            assert!(kept[0].is_some(), "{id}: nothing recorded");
            assert_eq!(kept[0], kept[1], "{id}: the stores kept different metas");
            assert_eq!(
                stores[1].load(id).expect("load").meta,
                stores[0].load(id).expect("load").meta,
                "{id}"
            );
            // the same again is no change in either
            for s in &stores {
                assert_eq!(s.record(id, &o).expect("record"), None, "{id}");
            }
        }
    }
    let mut compared = 0;
    for (_, path) in &all {
        let p = path.display().to_string();
        let args = ["similar", &p, "--limit", "10", "--format", "json"];
        let a = matches(&ok(&run(&d, &local, &args)));
        let b = matches(&ok(&run(&d, &db.url, &args)));
        assert!(!a.is_empty(), "{p}: no match at all");
        let ids_a: Vec<&str> = a.iter().map(|m| m.0.as_str()).collect();
        let ids_b: Vec<&str> = b.iter().map(|m| m.0.as_str()).collect();
        assert_eq!(ids_a, ids_b, "{p}: local and Postgres rank differently");
        for (x, y) in a.iter().zip(&b) {
            assert!(
                (x.1 - y.1).abs() <= 1e-6,
                "{p}: {} scores {} vs {}",
                x.0,
                x.1,
                y.1
            );
        }
        compared += a.len();
    }
    eprintln!(
        "{} queries over {} stored texts: {compared} matches, same order and scores in both stores",
        all.len(),
        all.len()
    );
}

#[test]
fn preselection_agrees_on_a_history_larger_than_the_candidates() {
    // many more incidents than the candidates scored in full, with many equal signature
    // distances: both stores must pick the same ones
    use sentinel::store::{Meta, Store, local::LocalStore};
    let Some(db) = TestDb::new("presel") else {
        return;
    };
    let d = tmp();
    migrate(&d, &db.url);
    let pg = Store::Postgres(std::sync::Arc::new(db.store()));
    let local = Store::Local(LocalStore::open(&d.path().join("local")).expect("local store"));
    let modes = [
        "db-connection-pool-exhaustion",
        "disk-full",
        "oom-killed",
        "certificate-expired",
        "dns-resolution-failure",
    ];
    let services = ["payment-svc", "orders-api", "ledger", "search", "edge"];
    let sigs = [
        "too_many_clients",
        "no_space_left",
        "oomkilled",
        "x509_expired",
        "nxdomain",
    ];
    let meta = |i: usize| {
        let text = format!(
            "incident {i}: {} on {} after deploy v{}.{}; {} errors; p99 {}ms",
            modes[i % 5].replace('-', " "),
            services[(i / 2) % 5],
            i % 7,
            i % 11,
            sigs[(i / 3) % 5],
            100 + i % 13
        );
        let m = Meta {
            schema: sentinel::store::BUNDLE_SCHEMA.into(),
            id: format!("SYN-{i:04}"),
            title: format!("{} {}", services[i % 5], modes[(i / 2) % 5]),
            date: None,
            hash: sentinel::store::hash(&text),
            source: "import".into(),
            service: Some(services[i % 5].into()),
            failure_modes: vec![modes[i % 5].into(), modes[(i + 1) % 5].into()],
            failure_title: None,
            signatures: vec![sigs[(i / 3) % 5].into()],
            root_cause: None,
            resolution: None,
            confirmed: false,
            confirmed_by: None,
        };
        (m, text)
    };
    for i in 0..700 {
        let (m, text) = meta(i);
        for s in [&pg, &local] {
            s.import(m.clone(), text.as_bytes(), "{}").expect("import");
        }
    }
    for q in [0, 3, 7, 250, 699, 1000, 1001, 1234] {
        let (mut m, text) = meta(q);
        m.id = "QUERY".into();
        let a = local.similar(&m, &text, 25).expect("local").0;
        let b = pg.similar(&m, &text, 25).expect("pg").0;
        let ids_a: Vec<&str> = a.iter().map(|m| m.id.as_str()).collect();
        let ids_b: Vec<&str> = b.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids_a, ids_b, "query {q}");
        assert!(ids_a.len() >= 20, "query {q}: {ids_a:?}");
        for (x, y) in a.iter().zip(&b) {
            assert!((x.score - y.score).abs() <= 1e-6, "query {q}: {}", x.id);
        }
    }
}

#[test]
fn migrate_is_versioned_and_safe_twice_at_once_and_other_commands_only_check() {
    let Some(db) = TestDb::new("migrate") else {
        return;
    };
    let d = tmp();
    // before migrate: every command says what to run, and changes nothing
    let o = run(&d, &db.url, &["incidents", "list"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("store migrate"), "{err}");
    let o = run(
        &d,
        &db.url,
        &[
            "ingest",
            &root()
                .join("fixtures/incidents/001-payment-pool-cron.txt")
                .display()
                .to_string(),
        ],
    );
    assert_eq!(o.status.code(), Some(1), "ingest before migrate");
    // two at once
    let spawn = || {
        sentinel(&d)
            .arg("--store")
            .arg(&db.url)
            .args(["store", "migrate", "--format", "json"])
            .timeout(std::time::Duration::from_secs(60))
            .output()
    };
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(spawn);
        let b = spawn();
        (a.join().expect("thread").expect("run"), b.expect("run"))
    });
    let va: serde_json::Value = serde_json::from_str(&ok(&a)).expect("json");
    let vb: serde_json::Value = serde_json::from_str(&ok(&b)).expect("json");
    let latest = i64::from(sentinel::store::pg::SCHEMA_VERSION);
    assert_eq!(va["to"], latest);
    assert_eq!(vb["to"], latest);
    let froms = [va["from"].as_i64(), vb["from"].as_i64()];
    assert!(
        froms.contains(&Some(0)) && froms.contains(&Some(latest)),
        "{froms:?}"
    );
    assert_eq!(va["ctype"], "C.UTF-8");
    ok(&run(&d, &db.url, &["incidents", "list"]));
    // a store of v1 (before attachments): other commands say to migrate; migrate upgrades it
    db.store()
        .batch("DROP TABLE sentinel_log; DROP TABLE sentinel_attachments; DELETE FROM sentinel_schema WHERE version > 1")
        .expect("back to v1");
    let o = run(&d, &db.url, &["incidents", "list"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("v1, older") && err.contains("store migrate"),
        "{err}"
    );
    let up = run(&d, &db.url, &["store", "migrate", "--format", "json"]);
    let up: serde_json::Value = serde_json::from_str(&ok(&up)).expect("json");
    assert_eq!(
        (up["from"].as_i64(), up["to"].as_i64()),
        (Some(1), Some(latest))
    );
    ok(&run(&d, &db.url, &["incidents", "list"]));
    // a newer schema than this sentinel's: refused, not touched
    db.store()
        .batch(&format!(
            "INSERT INTO sentinel_schema (version) VALUES ({})",
            latest + 1
        ))
        .expect("bump");
    for args in [&["incidents", "list"][..], &["store", "migrate"][..]] {
        let o = run(&d, &db.url, args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("newer") && err.contains("upgrade sentinel"),
            "{err}"
        );
    }
}

#[test]
fn the_store_keeps_bytes_and_the_write_rules_hold() {
    use sentinel::store::{Imported, Meta, Store, StoreError};
    let Some(db) = TestDb::new("rules") else {
        return;
    };
    let d = tmp();
    migrate(&d, &db.url);
    let s = Store::Postgres(std::sync::Arc::new(db.store()));
    // NUL and every other byte a String can hold come back exactly
    let text = "line one\0with a NUL\r\ntab\there — ünïcödé 日本\n";
    let meta = |id: &str, text: &str, source: &str| Meta {
        schema: sentinel::store::BUNDLE_SCHEMA.into(),
        id: id.into(),
        title: "t".into(),
        // the ingested paste is dated 2020, the imports are not dated
        date: (source == "ingest").then(|| "2020-01-02".into()),
        hash: sentinel::store::hash(text),
        source: source.into(),
        service: None,
        failure_modes: vec![],
        failure_title: None,
        signatures: vec![],
        root_cause: None,
        resolution: None,
        confirmed: false,
        confirmed_by: None,
    };
    let (id, new) = s
        .insert(
            meta("", text, "ingest"),
            "2020-01-02-x",
            text.as_bytes(),
            |_| None,
        )
        .expect("insert");
    assert!(new);
    assert_eq!(s.load(&id).expect("load").text, text);
    // attachments: the report into its column, the probe run beside it; replaced, not added
    use sentinel::store::attachment::{PROBES, REPORT};
    assert_eq!(s.attachment(&id, PROBES).expect("read"), None);
    s.attach(&id, PROBES, b"\0first").expect("attach");
    s.attach(&id, PROBES, b"\0second").expect("attach again");
    s.attach(&id, REPORT, b"{\"schema\":\"r\"}")
        .expect("report");
    assert_eq!(
        s.attachment(&id, PROBES).expect("read").as_deref(),
        Some(&b"\0second"[..])
    );
    assert_eq!(
        s.attachment(&id, REPORT).expect("read").as_deref(),
        Some(&b"{\"schema\":\"r\"}"[..])
    );
    assert!(matches!(
        s.attach("no-such-incident", PROBES, b"x"),
        Err(StoreError::NotFound(_))
    ));
    // the audit log: appended entry by entry, read back in order, never of another incident
    use sentinel::store::attachment::AUDIT;
    assert!(s.log(&id, AUDIT).expect("empty log").is_empty());
    for e in ["{\"n\":1}", "{\"n\":2}", "{\"n\":3}"] {
        s.append(&id, AUDIT, e).expect("append");
    }
    assert_eq!(
        s.log(&id, AUDIT).expect("log"),
        ["{\"n\":1}", "{\"n\":2}", "{\"n\":3}"]
    );
    assert!(matches!(
        s.append("no-such-incident", AUDIT, "{}"),
        Err(StoreError::NotFound(_))
    ));
    // bytes that are not UTF-8 are kept as given (the text is read leniently for the analysis)
    let file = d.path().join("latin1.txt");
    std::fs::write(
        &file,
        b"2026-03-04 10:00 UTC caf\xe9-api: disk full\n\xff\xfe end\n",
    )
    .expect("write");
    let id_bytes = ok(&run(&d, &db.url, &["ingest", &file.display().to_string()]));
    let id_bytes = id_bytes.trim().lines().last().expect("id").to_string();
    let hex = std::process::Command::new("psql")
        .arg(&db.url)
        .args([
            "-Atc",
            &format!("SELECT encode(raw, 'hex') FROM sentinel_incidents WHERE id = '{id_bytes}'"),
        ])
        .output()
        .expect("psql");
    let want: String = std::fs::read(&file)
        .expect("read")
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(String::from_utf8_lossy(&hex.stdout).trim(), want);
    // the same text again is the same incident, even with other line ends
    let crlf = text.replace('\n', "\r\n");
    let (id2, new2) = s
        .insert(
            meta("", &crlf, "ingest"),
            "2020-01-02-x",
            crlf.as_bytes(),
            |_| None,
        )
        .expect("insert");
    assert_eq!((id2.as_str(), new2), (id.as_str(), false));
    // an ingested incident is never replaced by an import; a text is stored once
    assert!(matches!(
        s.import(meta(&id, "other", "import"), b"other", "{}"),
        Err(StoreError::NotImported(_))
    ));
    assert!(matches!(
        s.import(meta("INC-9", text, "import"), text.as_bytes(), "{}"),
        Err(StoreError::SameText { .. })
    ));
    assert_eq!(
        s.import(meta("INC-1", "v1", "import"), b"v1", "{}")
            .expect("add"),
        Imported::Added
    );
    assert!(matches!(
        s.import(meta("inc-1", "v2", "import"), b"v2", "{}"),
        Err(StoreError::CaseClash { .. })
    ));
    assert_eq!(
        s.import(meta("INC-1", "v2", "import"), b"v2", "{}")
            .expect("replace"),
        Imported::Replaced
    );
    assert_eq!(s.load("INC-1").expect("load").text, "v2");
    // prune: the 2020 and March 2026 incidents go, the undated import (stored now) stays
    let now = jiff::Timestamp::now().as_second();
    let (removed, failed) = s.prune(180 * 86_400, now);
    assert!(failed.is_empty(), "{failed:?}");
    assert_eq!(removed, vec![id.clone(), id_bytes.clone()]);
    assert!(matches!(s.load(&id), Err(StoreError::NotFound(_))));
    s.remove("INC-1").expect("rm");
    assert!(matches!(s.remove("INC-1"), Err(StoreError::NotFound(_))));
}

/// The server's certificate, when the server speaks TLS and the file is readable here.
fn server_cert(db: &TestDb) -> Option<PathBuf> {
    let out = std::process::Command::new("psql")
        .arg(&db.url)
        .args([
            "-Atc",
            "SELECT current_setting('ssl') || ' ' || current_setting('ssl_cert_file')",
        ])
        .output()
        .ok()?;
    let line = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let (on, file) = line.split_once(' ')?;
    let file = Path::new(file);
    let file = if file.is_absolute() {
        file.to_path_buf()
    } else {
        return None;
    };
    (on == "on" && std::fs::read(&file).is_ok()).then_some(file)
}

#[test]
fn tls_is_verified() {
    let Some(db) = TestDb::new("tls") else {
        return;
    };
    let d = tmp();
    migrate(&d, &db.url);
    let Some(cert) = server_cert(&db) else {
        eprintln!("skipped: the Postgres server has no TLS certificate readable here (ssl off)");
        return;
    };
    // the certificate names localhost (Debian's snakeoil one does): verify-full by that name
    let by_name = with_db(
        &format!(
            "postgres://postgres@localhost:5432/x?sslmode=verify-full&sslrootcert={}",
            cert.display()
        ),
        &db.name,
    );
    let o = run(&d, &by_name, &["incidents", "list", "--format", "json"]);
    let listed = String::from_utf8_lossy(&o.stdout).into_owned();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    if !o.status.success() && err.contains("NotValidForName") {
        eprintln!("skipped: the server's certificate does not name localhost: {err}");
        return;
    }
    assert!(o.status.success(), "verified TLS by name: {err}");
    assert!(listed.contains("sentinel.incidents/v1"));
    // a server no given root vouches for is refused, whatever the mode's name (the public CA
    // bundle: it holds many roots, none of which signed this server's certificate)
    let Some(bundle) = [
        "/etc/ssl/certs/ca-certificates.crt",
        "/etc/pki/tls/certs/ca-bundle.crt",
    ]
    .into_iter()
    .find(|f| Path::new(f).is_file()) else {
        eprintln!("skipped the untrusted case: no public CA bundle here");
        return;
    };
    let untrusted = with_db(
        &format!("postgres://postgres@localhost:5432/x?sslmode=require&sslrootcert={bundle}"),
        &db.name,
    );
    let o = run(&d, &untrusted, &["incidents", "list"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("UnknownIssuer") || err.contains("certificate"),
        "the cause is shown, not only 'error performing TLS handshake': {err}"
    );
    // by address, the name does not match: verify-full refuses, verify-ca accepts
    let by_addr = |mode: &str| {
        with_db(
            &format!(
                "postgres://postgres@127.0.0.1:5432/x?sslmode={mode}&sslrootcert={}",
                cert.display()
            ),
            &db.name,
        )
    };
    let o = run(&d, &by_addr("verify-full"), &["incidents", "list"]);
    assert_eq!(o.status.code(), Some(1), "a name mismatch is refused");
    ok(&run(&d, &by_addr("verify-ca"), &["incidents", "list"]));
}

/// `mitigate` with no incident named works on the one worked on last, in both backends.
#[test]
fn mitigate_without_an_id_takes_the_incident_worked_on_last() {
    let Some(db) = TestDb::new("latest") else {
        return;
    };
    let d = tmp();
    migrate(&d, &db.url);
    let local = d.path().join("local").display().to_string();
    let a = crate::util::fixture("001-payment-pool-cron.txt");
    let b = crate::util::fixture("012-kafka-broker-disk-full.txt");
    for store in [&local, &db.url] {
        let ingest = |p: &PathBuf| {
            let out = ok(&run(&d, store, &["ingest", &p.display().to_string()]));
            out.lines().last().unwrap_or("").to_string()
        };
        let planned = || {
            let out = ok(&run(
                &d,
                store,
                &["mitigate", "--dry-run", "--format", "json"],
            ));
            let v: serde_json::Value = serde_json::from_str(&out).expect("plan json");
            v["incident"].as_str().unwrap_or("").to_string()
        };
        let ia = ingest(&a);
        std::thread::sleep(std::time::Duration::from_millis(20));
        let ib = ingest(&b);
        assert_ne!(ia, ib);
        assert_eq!(planned(), ib, "{store}: the one stored last");
        std::thread::sleep(std::time::Duration::from_millis(20));
        // probes (none can run: no kubectl, no ssh on this PATH) save their run with it
        let bare = d.path().join("bin");
        std::fs::create_dir_all(&bare).expect("bin");
        ok(&sentinel(&d)
            .env("PATH", &bare)
            .args(["--store", store, "investigate", &ia, "--no-input"])
            .output()
            .expect("run"));
        assert_eq!(planned(), ia, "{store}: the one investigated last");
    }
}

#[test]
fn the_hosts_of_a_url_are_tried_in_turn() {
    let Some(db) = TestDb::new("hosts") else {
        return;
    };
    let d = tmp();
    migrate(&d, &db.url);
    // a first host that refuses (port 1), then the real one
    let Some((scheme_user, rest)) = db.url.split_once('@') else {
        eprintln!("skipped: the test URL names no host");
        return;
    };
    let two = format!("{scheme_user}@127.0.0.1:1,{rest}");
    let out = ok(&run(&d, &two, &["incidents", "list", "--format", "json"]));
    assert!(out.contains("sentinel.incidents/v1"), "{out}");
    // neither answers: the error names what each host said
    let none = format!("{scheme_user}@127.0.0.1:1,127.0.0.1:2/x?connect_timeout=2");
    let out = run(&d, &none, &["incidents", "list"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("refused").count(), 2, "{err}");
}
