//! libpq-style connection strings, read the way `psql` reads them, for tokio-postgres.
//!
//! tokio-postgres alone accepts neither `sslmode=verify-full` nor `sslrootcert`, and reads no
//! `PG*` variable and no `~/.pgpass`. This module does: a `postgres://` URL or a `key=value`
//! string, then `PGHOST`, `PGPORT`, `PGDATABASE`, `PGUSER`, `PGPASSWORD`, `PGPASSFILE`,
//! `PGSSLMODE`, `PGSSLROOTCERT`, `PGAPPNAME`, `PGCONNECT_TIMEOUT` and `PGOPTIONS` for what it
//! leaves out, then the password file.
//!
//! TLS is rustls (ring), and whenever sentinel uses TLS it verifies the server's certificate,
//! against `sslrootcert` (a PEM file, or `system`), else `~/.postgresql/root.crt`, else the
//! system's roots:
//!
//! | sslmode | TLS | checks |
//! |---|---|---|
//! | `disable` | never | — |
//! | `allow`, `prefer` | when the server offers it | chain and host name |
//! | `require`, `verify-full` | always | chain and host name |
//! | `verify-ca` | always | chain only |
//! | (unset) | always, except to a Unix socket or a loopback address | chain and host name |
//!
//! `require` is stricter than libpq's (which checks nothing without a root file): a shared
//! incident store holds internal names and addresses, so an unverified server is refused; point
//! `sslrootcert` at the server's CA. Likewise `prefer` falls back to plaintext only when the
//! server offers no TLS at all; a certificate that does not verify is an error.

use super::StoreError;
use std::path::PathBuf;
use std::time::Duration;

/// How the connection is secured.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tls {
    /// Plaintext (`sslmode=disable`, or the default to a local server).
    Off,
    /// TLS when the server offers it, verified.
    Prefer(Verify),
    /// TLS or no connection, verified.
    Require(Verify),
}

/// What a TLS connection checks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verify {
    /// PEM roots (`sslrootcert`); `None` means the system's.
    pub roots: Option<PathBuf>,
    /// Check the host name as well as the chain (all but `verify-ca`).
    pub host_name: bool,
}

/// A parsed connection string.
#[derive(Clone, Debug)]
pub struct Dsn {
    /// What tokio-postgres connects with (its own TLS mode set to match [`Dsn::tls`]).
    pub config: tokio_postgres::Config,
    /// How the connection is secured.
    pub tls: Tls,
    /// The connection, for messages: `postgres://user@host:port/db`, never the password.
    pub shown: String,
    /// With several hosts, one config per host in the order given, each with the password
    /// `~/.pgpass` holds for that host (libpq looks the password up per host it tries);
    /// empty with one host (then [`Dsn::config`] is the one).
    pub per_host: Vec<tokio_postgres::Config>,
    /// What the caller should tell the person (a password file ignored, and why).
    pub warnings: Vec<String>,
}

/// The environment, for [`Dsn::parse_with`]: a variable's value.
pub type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The settings libpq knows that sentinel reads.
#[derive(Default, Debug)]
struct Params {
    hosts: Vec<String>,
    ports: Vec<String>,
    user: Option<String>,
    password: Option<String>,
    dbname: Option<String>,
    sslmode: Option<String>,
    sslrootcert: Option<String>,
    application_name: Option<String>,
    connect_timeout: Option<String>,
    options: Option<String>,
    passfile: Option<String>,
    target_session_attrs: Option<String>,
}

fn bad(msg: impl Into<String>) -> StoreError {
    StoreError::BadDsn(msg.into())
}

impl Params {
    fn set(&mut self, key: &str, value: String) -> Result<(), StoreError> {
        let slot = match key {
            "host" => {
                self.hosts = value.split(',').map(str::to_string).collect();
                return Ok(());
            }
            "port" => {
                self.ports = value.split(',').map(str::to_string).collect();
                return Ok(());
            }
            "user" => &mut self.user,
            "password" => &mut self.password,
            "dbname" => &mut self.dbname,
            "sslmode" => &mut self.sslmode,
            "sslrootcert" => &mut self.sslrootcert,
            "application_name" => &mut self.application_name,
            "connect_timeout" => &mut self.connect_timeout,
            "options" => &mut self.options,
            "passfile" => &mut self.passfile,
            // accepted and not needed: TLS is always rustls, the rest has libpq's meaning only
            "target_session_attrs" => &mut self.target_session_attrs,
            "fallback_application_name" | "keepalives" | "gssencmode" => {
                return Ok(());
            }
            _ => {
                return Err(bad(format!(
                    "unknown connection option {key:?}: sentinel reads host, port, user, password, dbname, sslmode, sslrootcert, application_name, connect_timeout, options, passfile and target_session_attrs"
                )));
            }
        };
        *slot = Some(value);
        Ok(())
    }
}

/// `%XX` decoding of a URL part.
fn percent_decode(s: &str) -> Result<String, StoreError> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| {
                    bad(format!(
                        "bad %-escape in the connection URL near {:?}",
                        &s[i..]
                    ))
                })?;
            out.push(hex);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| bad("the connection URL decodes to invalid UTF-8"))
}

fn parse_url(rest: &str, p: &mut Params) -> Result<(), StoreError> {
    let (main, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (authority, path) = main.split_once('/').unwrap_or((main, ""));
    let (userinfo, hostlist) = match authority.rsplit_once('@') {
        Some((u, h)) => (Some(u), h),
        None => (None, authority),
    };
    if let Some(u) = userinfo {
        let (user, pass) = u.split_once(':').map_or((u, None), |(a, b)| (a, Some(b)));
        if !user.is_empty() {
            p.user = Some(percent_decode(user)?);
        }
        // an empty password is no password, as libpq reads it (the password file is asked)
        if let Some(pw) = pass.filter(|pw| !pw.is_empty()) {
            p.password = Some(percent_decode(pw)?);
        }
    }
    for part in hostlist.split(',').filter(|h| !h.is_empty()) {
        let (host, port) = if let Some(v6) = part.strip_prefix('[') {
            let (h, after) = v6
                .split_once(']')
                .ok_or_else(|| bad(format!("unclosed [ in the host {part:?}")))?;
            (h.to_string(), after.strip_prefix(':').map(str::to_string))
        } else {
            match part.rsplit_once(':') {
                Some((h, port)) => (percent_decode(h)?, Some(port.to_string())),
                None => (percent_decode(part)?, None),
            }
        };
        p.hosts.push(host);
        p.ports.push(port.unwrap_or_default());
    }
    if p.ports.iter().all(String::is_empty) {
        p.ports.clear();
    }
    if !path.is_empty() {
        p.dbname = Some(percent_decode(path)?);
    }
    for pair in query.split('&').filter(|q| !q.is_empty()) {
        let (k, v) = pair
            .split_once('=')
            .ok_or_else(|| bad(format!("connection URL parameter {pair:?} has no value")))?;
        p.set(&percent_decode(k)?, percent_decode(v)?)?;
    }
    Ok(())
}

/// `host=db port=5432 dbname='my db'`: values bare or single-quoted, `\` escapes.
fn parse_keywords(s: &str, p: &mut Params) -> Result<(), StoreError> {
    let mut chars = s.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            return Ok(());
        }
        let mut key = String::new();
        while let Some(c) = chars.next_if(|c| *c != '=' && !c.is_whitespace()) {
            key.push(c);
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.next() != Some('=') {
            return Err(bad(format!("connection string: {key:?} has no `=value`")));
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if_eq(&'\'').is_some() {
            loop {
                match chars.next() {
                    Some('\\') => value.extend(chars.next()),
                    Some('\'') => break,
                    Some(c) => value.push(c),
                    None => {
                        return Err(bad(format!(
                            "connection string: the value of {key:?} has no closing quote"
                        )));
                    }
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                if c == '\\' {
                    value.extend(chars.next());
                } else {
                    value.push(c);
                }
            }
        }
        p.set(&key, value)?;
    }
}

/// Is this host local (a socket directory or a loopback name/address)?
fn is_local(host: &str) -> bool {
    host.starts_with('/')
        || host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// One `~/.pgpass` field matches (`*` matches anything; `\:` and `\\` are escapes).
fn pgpass_lookup(content: &str, host: &str, port: &str, db: &str, user: &str) -> Option<String> {
    for line in content.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let mut fields = Vec::new();
        let mut cur = String::new();
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => cur.extend(chars.next()),
                ':' if fields.len() < 4 => fields.push(std::mem::take(&mut cur)),
                c => cur.push(c),
            }
        }
        fields.push(cur);
        if fields.len() != 5 {
            continue;
        }
        // a socket connection matches the host "localhost" in the file, as libpq does
        let host = if host.starts_with('/') {
            "localhost"
        } else {
            host
        };
        let ok = |f: &str, v: &str| f == "*" || f == v;
        if ok(&fields[0], host)
            && ok(&fields[1], port)
            && ok(&fields[2], db)
            && ok(&fields[3], user)
        {
            return Some(fields[4].clone());
        }
    }
    None
}

impl Dsn {
    /// Parse a connection string with the process's environment.
    pub fn parse(s: &str) -> Result<Dsn, StoreError> {
        Dsn::parse_with(s, &|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
    }

    /// Parse a connection string, reading `PG*` variables (and `HOME`, `USER`) from `env`.
    pub fn parse_with(s: &str, env: Env<'_>) -> Result<Dsn, StoreError> {
        let mut p = Params::default();
        let s = s.trim();
        if let Some(rest) = s
            .strip_prefix("postgres://")
            .or_else(|| s.strip_prefix("postgresql://"))
        {
            parse_url(rest, &mut p)?;
        } else {
            parse_keywords(s, &mut p)?;
        }
        let fill = |slot: &mut Option<String>, var: &str| {
            if slot.is_none() {
                *slot = env(var);
            }
        };
        if p.hosts.is_empty()
            && let Some(h) = env("PGHOST")
        {
            p.hosts = h.split(',').map(str::to_string).collect();
        }
        if p.ports.is_empty()
            && let Some(port) = env("PGPORT")
        {
            p.ports = port.split(',').map(str::to_string).collect();
        }
        fill(&mut p.user, "PGUSER");
        fill(&mut p.password, "PGPASSWORD");
        fill(&mut p.dbname, "PGDATABASE");
        fill(&mut p.sslmode, "PGSSLMODE");
        fill(&mut p.sslrootcert, "PGSSLROOTCERT");
        fill(&mut p.application_name, "PGAPPNAME");
        fill(&mut p.connect_timeout, "PGCONNECT_TIMEOUT");
        fill(&mut p.options, "PGOPTIONS");
        fill(&mut p.passfile, "PGPASSFILE");

        if p.hosts.is_empty() || p.hosts.iter().all(String::is_empty) {
            p.hosts = vec![default_host(&p.ports)];
        }
        let user = p
            .user
            .clone()
            .or_else(|| env("USER"))
            .or_else(|| env("LOGNAME"))
            .ok_or_else(|| {
                bad("no user in the connection string and neither PGUSER nor USER is set")
            })?;
        let dbname = p.dbname.clone().unwrap_or_else(|| user.clone());

        let mut config = tokio_postgres::Config::new();
        let mut ports: Vec<u16> = Vec::new();
        for i in 0..p.hosts.len() {
            let port = p.ports.get(i).or(p.ports.first()).filter(|s| !s.is_empty());
            ports.push(match port {
                Some(s) => s
                    .parse()
                    .map_err(|_| bad(format!("port {s:?} is not a number from 1 to 65535")))?,
                None => 5432,
            });
        }
        config.user(user.as_str());
        config.dbname(dbname.as_str());
        config.application_name(p.application_name.as_deref().unwrap_or("sentinel"));
        if let Some(o) = &p.options {
            config.options(o.as_str());
        }
        match p.target_session_attrs.as_deref() {
            None | Some("any") => {}
            Some("read-write") => {
                config.target_session_attrs(tokio_postgres::config::TargetSessionAttrs::ReadWrite);
            }
            Some(other) => {
                return Err(bad(format!(
                    "target_session_attrs {other:?}: sentinel knows any and read-write"
                )));
            }
        }
        let timeout = match &p.connect_timeout {
            Some(t) => t.parse::<u64>().map_err(|_| {
                bad(format!(
                    "connect_timeout {t:?} is not a whole number of seconds"
                ))
            })?,
            None => 10,
        };
        if timeout > 0 {
            config.connect_timeout(Duration::from_secs(timeout.max(2)));
        }
        let mut warnings = Vec::new();
        let passfile = match &p.password {
            Some(_) => None,
            None => p
                .passfile
                .clone()
                .or_else(|| env("HOME").map(|h| format!("{h}/.pgpass")))
                .and_then(|f| read_passfile(&f, &mut warnings)),
        };
        let password_for = |i: usize| -> Option<String> {
            p.password.clone().or_else(|| {
                pgpass_lookup(
                    passfile.as_deref()?,
                    &p.hosts[i],
                    &ports[i].to_string(),
                    &dbname,
                    &user,
                )
            })
        };
        // each host tried with its own password, as libpq does
        let mut per_host: Vec<tokio_postgres::Config> = if p.hosts.len() > 1 {
            (0..p.hosts.len())
                .map(|i| {
                    let mut one = config.clone();
                    one.host(p.hosts[i].as_str()).port(ports[i]);
                    if let Some(pw) = password_for(i) {
                        one.password(pw.as_str());
                    }
                    one
                })
                .collect()
        } else {
            Vec::new()
        };
        for (i, h) in p.hosts.iter().enumerate() {
            config.host(h.as_str());
            config.port(ports[i]);
        }
        if let Some(pw) = password_for(0) {
            config.password(pw.as_str());
        }

        let local = p.hosts.iter().all(|h| is_local(h));
        let roots = match p.sslrootcert.as_deref() {
            None | Some("system") => env("HOME")
                .map(|h| PathBuf::from(h).join(".postgresql/root.crt"))
                .filter(|f| p.sslrootcert.is_none() && f.is_file()),
            Some(f) => Some(PathBuf::from(f)),
        };
        let verify = |host_name| Verify {
            roots: roots.clone(),
            host_name,
        };
        let sockets = p.hosts.iter().all(|h| h.starts_with('/'));
        let tls = match p.sslmode.as_deref() {
            // TLS over a Unix socket is never used, as in libpq, whatever PGSSLMODE says
            _ if sockets => Tls::Off,
            None if local => Tls::Off,
            None | Some("require" | "verify-full") => Tls::Require(verify(true)),
            Some("verify-ca") => Tls::Require(verify(false)),
            Some("allow" | "prefer") => Tls::Prefer(verify(true)),
            Some("disable") => Tls::Off,
            Some(other) => {
                return Err(bad(format!(
                    "sslmode {other:?} is not one of disable, allow, prefer, require, verify-ca, verify-full"
                )));
            }
        };
        let mode = match tls {
            Tls::Off => tokio_postgres::config::SslMode::Disable,
            Tls::Prefer(_) => tokio_postgres::config::SslMode::Prefer,
            Tls::Require(_) => tokio_postgres::config::SslMode::Require,
        };
        for c in std::iter::once(&mut config).chain(per_host.iter_mut()) {
            c.ssl_mode(mode);
        }
        let host_shown: Vec<String> = p
            .hosts
            .iter()
            .zip(&ports)
            .map(|(h, port)| {
                if h.starts_with('/') {
                    // a socket directory, written as a libpq URL writes it
                    format!("{}:{port}", h.replace('%', "%25").replace('/', "%2F"))
                } else if h.contains(':') {
                    format!("[{h}]:{port}")
                } else {
                    format!("{h}:{port}")
                }
            })
            .collect();
        Ok(Dsn {
            config,
            tls,
            shown: format!("postgres://{user}@{}/{dbname}", host_shown.join(",")),
            per_host,
            warnings,
        })
    }
}

/// The password file, when it is private: libpq ignores a file others can read, with a
/// warning, and so do we.
fn read_passfile(file: &str, warnings: &mut Vec<String>) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(file).ok()?;
    let mode = meta.permissions().mode();
    if mode & 0o077 != 0 {
        warnings.push(format!(
            "password file {file} is ignored: others can read it (mode {:o}); `chmod 600 {file}` to use it",
            mode & 0o777
        ));
        return None;
    }
    std::fs::read_to_string(file).ok()
}

/// Where libpq connects without a host: its socket directory when the server's socket is
/// there, else localhost over TCP.
fn default_host(ports: &[String]) -> String {
    let port = ports
        .first()
        .filter(|p| !p.is_empty())
        .map_or("5432", |p| p);
    for dir in ["/var/run/postgresql", "/run/postgresql", "/tmp"] {
        if std::path::Path::new(dir)
            .join(format!(".s.PGSQL.{port}"))
            .exists()
        {
            return dir.to_string();
        }
    }
    "localhost".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio_postgres::config::Host;

    fn env_of(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| vars.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
    }

    fn hosts(d: &Dsn) -> Vec<String> {
        d.config
            .get_hosts()
            .iter()
            .map(|h| match h {
                Host::Tcp(s) => s.clone(),
                Host::Unix(p) => p.display().to_string(),
            })
            .collect()
    }

    #[test]
    fn urls_as_libpq_reads_them() {
        let env = env_of(&[("USER", "me")]);
        let d = Dsn::parse_with(
            "postgresql://sentinel:p%40ss@db.internal:6432/incidents?sslmode=verify-full&sslrootcert=/etc/ca.pem&application_name=oncall",
            &env,
        )
        .unwrap();
        assert_eq!(hosts(&d), vec!["db.internal"]);
        assert_eq!(d.config.get_ports(), &[6432]);
        assert_eq!(d.config.get_user(), Some("sentinel"));
        assert_eq!(d.config.get_password(), Some(&b"p@ss"[..]));
        assert_eq!(d.config.get_dbname(), Some("incidents"));
        assert_eq!(d.config.get_application_name(), Some("oncall"));
        assert_eq!(
            d.tls,
            Tls::Require(Verify {
                roots: Some("/etc/ca.pem".into()),
                host_name: true
            })
        );
        assert_eq!(d.shown, "postgres://sentinel@db.internal:6432/incidents");
        assert!(!d.shown.contains("p@ss"));
        // a socket directory is shown as a URL libpq (and sentinel) read back
        let d = Dsn::parse_with("host=/var/run/postgresql dbname=x user=u", &env).unwrap();
        assert_eq!(d.shown, "postgres://u@%2Fvar%2Frun%2Fpostgresql:5432/x");
        let again = Dsn::parse_with(&d.shown, &env).unwrap();
        assert_eq!(again.shown, d.shown);
        assert_eq!(again.config.get_hosts(), d.config.get_hosts());

        let d = Dsn::parse_with("postgres://[::1]:5433,replica/x?sslmode=verify-ca", &env).unwrap();
        assert_eq!(hosts(&d), vec!["::1", "replica"]);
        assert_eq!(d.config.get_ports(), &[5433, 5432]);
        assert!(matches!(
            d.tls,
            Tls::Require(Verify {
                host_name: false,
                ..
            })
        ));
    }

    #[test]
    fn tls_by_default_except_to_a_local_server() {
        let env = env_of(&[("USER", "me")]);
        let remote = Dsn::parse_with("postgres://sentinel@db/incidents", &env).unwrap();
        assert!(matches!(
            remote.tls,
            Tls::Require(Verify {
                host_name: true,
                ..
            })
        ));
        for local in [
            "postgres://sentinel@localhost/incidents",
            "postgres://sentinel@127.0.0.1/incidents",
            "postgres://sentinel@%2Fvar%2Frun%2Fpostgresql/incidents",
        ] {
            assert_eq!(
                Dsn::parse_with(local, &env).unwrap().tls,
                Tls::Off,
                "{local}"
            );
        }
        let prefer = Dsn::parse_with("postgres://db/x?sslmode=prefer", &env).unwrap();
        assert!(matches!(prefer.tls, Tls::Prefer(_)));
        let err = Dsn::parse_with("postgres://db/x?sslmode=maybe", &env).unwrap_err();
        assert!(err.to_string().contains("verify-full"), "{err}");
        let err = Dsn::parse_with("postgres://db/x?sslkey=/k", &env).unwrap_err();
        assert!(err.to_string().contains("\"sslkey\""), "{err}");
    }

    #[test]
    fn keyword_strings_and_the_environment() {
        let env = env_of(&[
            ("USER", "me"),
            ("PGHOST", "pg.example"),
            ("PGPORT", "7000"),
            ("PGDATABASE", "hist"),
            ("PGSSLMODE", "disable"),
            ("PGPASSWORD", "from-env"),
        ]);
        let d = Dsn::parse_with("user=ops dbname='my db' application_name=a\\ b", &env).unwrap();
        assert_eq!(hosts(&d), vec!["pg.example"]);
        assert_eq!(d.config.get_ports(), &[7000]);
        assert_eq!(d.config.get_user(), Some("ops"));
        assert_eq!(d.config.get_dbname(), Some("my db"));
        assert_eq!(d.config.get_application_name(), Some("a b"));
        assert_eq!(d.config.get_password(), Some(&b"from-env"[..]));
        assert_eq!(d.tls, Tls::Off);
        // the string wins over the environment
        let d = Dsn::parse_with("postgres://x@h2:1/db2", &env).unwrap();
        assert_eq!(hosts(&d), vec!["h2"]);
        assert_eq!(d.config.get_dbname(), Some("db2"));
        assert!(Dsn::parse_with("host=a port=99999", &env).is_err());
        assert!(Dsn::parse_with("host='open", &env).is_err());
    }

    #[test]
    fn libpq_details() {
        let env = env_of(&[("USER", "me"), ("PGSSLMODE", "require")]);
        // no TLS over a Unix socket, whatever PGSSLMODE says
        let d = Dsn::parse_with("host=/var/run/postgresql dbname=x", &env).unwrap();
        assert_eq!(d.tls, Tls::Off);
        let d = Dsn::parse_with("postgres://db/x", &env).unwrap();
        assert!(matches!(d.tls, Tls::Require(_)));
        // an empty password is none (the password file is asked)
        let d = Dsn::parse_with("postgres://ops:@db/x", &env).unwrap();
        assert_eq!(d.config.get_password(), None);
        let d = Dsn::parse_with("postgres://a,b/x?target_session_attrs=read-write", &env).unwrap();
        assert_eq!(
            d.config.get_target_session_attrs(),
            tokio_postgres::config::TargetSessionAttrs::ReadWrite
        );
        assert!(Dsn::parse_with("postgres://a/x?target_session_attrs=standby", &env).is_err());
    }

    #[test]
    fn password_file() {
        let file =
            "# comment\nother:5432:*:*:no\ndb\\:x:*:incidents:ops:s3cr\\:et\n*:*:*:*:fallback\n";
        assert_eq!(
            pgpass_lookup(file, "db:x", "5432", "incidents", "ops").as_deref(),
            Some("s3cr:et")
        );
        assert_eq!(
            pgpass_lookup(file, "elsewhere", "1", "d", "u").as_deref(),
            Some("fallback")
        );
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("pgpass");
        std::fs::write(&f, "*:*:*:ops:from-file\n").unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o644)).unwrap();
        let fp = f.display().to_string();
        let env = env_of(&[("USER", "me"), ("PGPASSFILE", &fp)]);
        let d = Dsn::parse_with("postgres://ops@db/x", &env).unwrap();
        assert_eq!(
            d.config.get_password(),
            None,
            "a file others can read is ignored"
        );
        assert!(
            d.warnings.len() == 1 && d.warnings[0].contains("chmod 600"),
            "and the person is told: {:?}",
            d.warnings
        );
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o600)).unwrap();
        let d = Dsn::parse_with("postgres://ops@db/x", &env).unwrap();
        assert_eq!(d.config.get_password(), Some(&b"from-file"[..]));
        assert!(d.warnings.is_empty(), "{:?}", d.warnings);
        assert!(d.per_host.is_empty(), "one host: one config");

        // several hosts: each is tried with the password the file has for it
        std::fs::write(
            &f,
            "primary:5432:x:ops:for-primary\nreplica:5433:x:ops:for-replica\n",
        )
        .unwrap();
        let d = Dsn::parse_with("postgres://ops@primary,replica:5433/x", &env);
        let d = d.unwrap();
        let pw: Vec<Option<&[u8]>> = d.per_host.iter().map(|c| c.get_password()).collect();
        assert_eq!(
            pw,
            [Some(&b"for-primary"[..]), Some(&b"for-replica"[..])],
            "{:?}",
            d.shown
        );
        let d = Dsn::parse_with("postgres://ops@primary:5432,replica:5433/x", &env).unwrap();
        let pw: Vec<Option<&[u8]>> = d.per_host.iter().map(|c| c.get_password()).collect();
        assert_eq!(pw, [Some(&b"for-primary"[..]), Some(&b"for-replica"[..])]);
        let hosts: Vec<usize> = d.per_host.iter().map(|c| c.get_hosts().len()).collect();
        assert_eq!(hosts, [1, 1], "one host each");
        assert_eq!(d.per_host[1].get_ports(), [5433]);
        // a password in the URL is every host's
        let d = Dsn::parse_with("postgres://ops:given@primary,replica/x", &env).unwrap();
        assert!(
            d.per_host
                .iter()
                .all(|c| c.get_password() == Some(&b"given"[..]))
        );
    }
}
