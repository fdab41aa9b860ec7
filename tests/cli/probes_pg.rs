//! SQL probes against the real Postgres: the test builds the scenario (held connections, a
//! blocking lock chain, sequential scans on an unindexed table) in a database of its own, then
//! runs `investigate --pg` and checks what the built-in checks report. Writes in a playbook's
//! probes are refused and change nothing.

use crate::trgm_parity::pg_url;
use crate::util::{sentinel, tmp};
use std::sync::Arc;
use tokio_postgres::Client;

/// A database of one test (dropped at the end) and a runtime to drive its sessions.
pub(crate) struct Db {
    pub(crate) rt: tokio::runtime::Runtime,
    admin: String,
    name: String,
    pub(crate) url: String,
}

pub(crate) fn connect(rt: &tokio::runtime::Runtime, url: &str) -> Client {
    let dsn = sentinel::store::dsn::Dsn::parse(url).expect("url");
    rt.block_on(sentinel::store::pg::connect(&dsn))
        .unwrap_or_else(|e| panic!("connect {url}: {e}"))
}

impl Db {
    pub(crate) fn new(tag: &str) -> Option<Db> {
        let admin = pg_url()?;
        // current-thread: spawned sessions send their statement while the test drives the
        // runtime (`pause`); the server runs them whether or not anyone polls the answer
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let name = format!("sentinel_p_{tag}_{}", std::process::id());
        let c = connect(&rt, &admin);
        for sql in [
            format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            format!("CREATE DATABASE {name}"),
        ] {
            rt.block_on(c.batch_execute(&sql)).expect("create db");
        }
        let (head, _) = admin.rsplit_once('/').expect("url with a database");
        let url = format!("{head}/{name}");
        Some(Db {
            rt,
            admin,
            name,
            url,
        })
    }

    /// Drive the sessions for a while.
    pub(crate) fn pause(&self, ms: u64) {
        self.rt.block_on(async {
            tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
        });
    }

    /// A session with an application_name.
    pub(crate) fn session(&self, app: &str) -> Client {
        let c = connect(&self.rt, &self.url);
        self.rt
            .block_on(c.batch_execute(&format!("SET application_name = '{app}'")))
            .expect("set app");
        c
    }

    fn investigate(&self, paste: &str, extra: &[&str]) -> serde_json::Value {
        let t = tmp();
        let bin = t.path().join("bin");
        std::fs::create_dir(&bin).expect("dir");
        let out = sentinel(&t)
            .env("PATH", &bin)
            .args(["investigate", "-", "--format", "json", "--no-input", "--pg"])
            .arg(&self.url)
            .args(extra)
            .write_stdin(paste.to_string())
            .output()
            .expect("run");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("json")
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        let c = connect(&self.rt, &self.admin);
        let _ = self.rt.block_on(c.batch_execute(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        )));
    }
}

fn findings<'a>(r: &'a serde_json::Value, id: &str) -> Vec<&'a str> {
    r["checklist"]
        .as_array()
        .expect("checklist")
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no {id} in {}", r["checklist"]))["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f.as_str())
        .collect()
}

#[test]
fn held_connections_are_counted_by_application() {
    let Some(db) = Db::new("held") else { return };
    let holders: Vec<Arc<Client>> = (0..12)
        .map(|_| Arc::new(db.session("nightly-export")))
        .collect();
    // each holds its connection in a long statement
    let sleeping: Vec<_> = holders
        .iter()
        .map(|c| {
            let c = c.clone();
            db.rt.spawn(async move {
                let _ = c.simple_query("SELECT pg_sleep(20)").await;
            })
        })
        .collect();
    db.pause(500);
    let r = db.investigate(
        "14:02 checkout errors: FATAL: sorry, too many clients already\n",
        &[],
    );
    let by_client = findings(&r, "pg/connections-by-client");
    assert!(
        by_client
            .iter()
            .any(|f| f.starts_with("12 connections from nightly-export") && f.contains("active")),
        "{by_client:?}"
    );
    let usage = findings(&r, "pg/connection-usage");
    assert!(usage[0].starts_with("active_connections: "), "{usage:?}");
    // the paste's refusals put the pool first; its confirmation needs the slots really full
    // (tests/pg_saturation.rs, which runs alone)
    assert_eq!(r["hypotheses"][0]["id"], "db-connection-pool-exhaustion");
    for s in sleeping {
        s.abort();
    }
}

#[test]
fn a_blocking_chain_names_the_blocker_and_the_waiter() {
    let Some(db) = Db::new("locks") else { return };
    let setup = db.session("setup");
    db.rt
        .block_on(setup.batch_execute(
            "CREATE TABLE balances (id int PRIMARY KEY, v int); INSERT INTO balances VALUES (1, 0)",
        ))
        .expect("table");
    let blocker = db.session("purge-job");
    let waiter = Arc::new(db.session("api-writer"));
    let pid = |c: &Client| -> i32 {
        db.rt
            .block_on(c.query_one("SELECT pg_backend_pid()", &[]))
            .expect("pid")
            .get(0)
    };
    let (bpid, wpid) = (pid(&blocker), pid(&waiter));
    db.rt
        .block_on(blocker.batch_execute("BEGIN; UPDATE balances SET v = v + 1 WHERE id = 1"))
        .expect("hold the row lock");
    let w = waiter.clone();
    let waiting = db.rt.spawn(async move {
        let _ = w
            .batch_execute("UPDATE balances SET v = v + 2 WHERE id = 1")
            .await;
    });
    db.pause(700);
    let r = db.investigate("writes to balances time out since 02:00\n", &[]);
    let locks = findings(&r, "pg/lock-chains");
    let chain = locks
        .iter()
        .find(|f| f.starts_with(&format!("pid {wpid} (api-writer) waiting for a lock")))
        .unwrap_or_else(|| panic!("{locks:?}"));
    assert!(
        chain.contains(&format!(
            "blocked by pid {bpid} (purge-job, idle in transaction"
        )),
        "{chain}"
    );
    assert!(chain.contains("UPDATE balances SET v = v + 2"), "{chain}");
    // the probe itself did not queue behind the lock: the run finished while the lock is held
    db.rt
        .block_on(blocker.batch_execute("ROLLBACK"))
        .expect("release");
    db.rt.block_on(waiting).expect("waiter done");
}

#[test]
fn sequential_scans_on_an_unindexed_table_are_named() {
    let Some(db) = Db::new("scans") else { return };
    let c = db.session("report-job");
    db.rt
        .block_on(c.batch_execute(
            "CREATE TABLE ledger_entries (id int, account text, amount int); \
             INSERT INTO ledger_entries SELECT g, 'acc' || (g % 500), g FROM generate_series(1, 20000) g; \
             ANALYZE ledger_entries",
        ))
        .expect("fill");
    for _ in 0..25 {
        db.rt
            .block_on(
                c.simple_query("SELECT sum(amount) FROM ledger_entries WHERE account = 'acc7'"),
            )
            .expect("scan");
    }
    // statistics reach the shared view when the session flushes them
    db.rt
        .block_on(c.simple_query("SELECT pg_stat_force_next_flush()"))
        .expect("flush");
    db.rt.block_on(c.simple_query("SELECT 1")).expect("tx end");
    std::thread::sleep(std::time::Duration::from_millis(1200));
    let r = db.investigate("reports slow since 09:00, db cpu 95%\n", &[]);
    let scans = findings(&r, "pg/seq-scans");
    assert!(
        scans
            .iter()
            .any(|f| f.starts_with("table public.ledger_entries: ")
                && f.contains("sequential scans")),
        "{scans:?}"
    );
}

#[test]
fn a_probe_that_writes_is_refused_and_changes_nothing() {
    let Some(db) = Db::new("writes") else { return };
    let c = db.session("setup");
    db.rt
        .block_on(c.batch_execute(
            "CREATE TABLE jobs (id int); INSERT INTO jobs SELECT generate_series(1, 10)",
        ))
        .expect("table");
    let other = db.session("victim");
    let t = tmp();
    let pb = t.path().join("pb");
    std::fs::create_dir(&pb).expect("dir");
    for (name, query) in [
        ("zz-deletes", "DELETE FROM jobs"),
        ("zz-updates", "UPDATE jobs SET id = 0"),
        ("zz-ddl", "DROP TABLE jobs"),
        (
            "zz-kills",
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'victim'",
        ),
    ] {
        std::fs::write(
            pb.join(format!("{name}.yaml")),
            format!(
                "id: {name}\ntitle: Widget spindle jam ({name})\nsummary: test\ncategory: platform\n\
                 signals:\n  - id: spindle\n    describe: the spindle jams\n    any: ['spindle jam\\w*']\n    weight: 9.0\n    decisive: true\n\
                 probes:\n  - id: bad\n    kind: sql\n    query: \"{query}\"\n    why: test\n    expected: nothing\n\
                 mitigations: []\nfollow_ups: []\n"
            ),
        )
        .expect("write");
    }
    // lint refuses them
    let out = sentinel(&t)
        .args(["playbook", "lint"])
        .arg(&pb)
        .output()
        .expect("lint");
    assert_ne!(out.status.code(), Some(0));
    let err =
        String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    for name in ["zz-deletes", "zz-updates", "zz-ddl", "zz-kills"] {
        assert!(err.contains(name), "{name} not refused by lint: {err}");
    }
    // and investigate never runs them
    let bin = t.path().join("bin");
    std::fs::create_dir(&bin).expect("dir");
    let out = sentinel(&t)
        .env("PATH", &bin)
        .arg("--playbooks")
        .arg(&pb)
        .args(["investigate", "-", "--format", "json", "--no-input", "--pg"])
        .arg(&db.url)
        .write_stdin("the spindle jammed at 09:12\n")
        .output()
        .expect("run");
    if out.status.code() == Some(0) {
        let r: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        for c in r["checklist"].as_array().expect("list") {
            if c["id"].as_str().is_some_and(|id| id.starts_with("zz-")) {
                assert_ne!(c["status"], "ok", "{c}");
            }
        }
    }
    let n: i64 = db
        .rt
        .block_on(c.query_one("SELECT count(*) FROM jobs", &[]))
        .expect("count")
        .get(0);
    assert_eq!(n, 10, "the table is unchanged");
    db.rt
        .block_on(other.simple_query("SELECT 1"))
        .expect("the other session is alive");
}

#[test]
fn dead_rows_and_a_bloated_index_are_named_with_numbers() {
    let Some(db) = Db::new("bloat") else { return };
    let c = db.session("purge-job");
    db.rt
        .block_on(c.batch_execute(
            "CREATE TABLE audit_events (id bigint PRIMARY KEY, kind int) WITH (autovacuum_enabled = false); \
             INSERT INTO audit_events SELECT g, g % 7 FROM generate_series(1, 600000) g; \
             DELETE FROM audit_events WHERE id % 10 <> 0; \
             ANALYZE audit_events",
        ))
        .expect("fill and purge");
    db.rt
        .block_on(c.simple_query("SELECT pg_stat_force_next_flush()"))
        .expect("flush");
    db.rt.block_on(c.simple_query("SELECT 1")).expect("tx end");
    std::thread::sleep(std::time::Duration::from_millis(1200));
    let r = db.investigate("audit writes slow since 09:00\n", &[]);
    let tables = findings(&r, "pg/table-bloat");
    assert!(
        tables.iter().any(|f| f.starts_with(
            "table public.audit_events: 540000 dead tuples, 90.0% of its rows (table bloat)"
        ) && f.ends_with("never vacuumed")),
        "{tables:?}"
    );
    let indexes = findings(&r, "pg/index-bloat");
    assert!(
        indexes.iter().any(
            |f| f.starts_with("index public.audit_events_pkey on audit_events: ")
                && f.contains("for 60000 rows")
                && f.contains("index bloat")
        ),
        "{indexes:?}"
    );
}
