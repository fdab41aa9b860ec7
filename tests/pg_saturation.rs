//! With every non-reserved connection slot of the test Postgres held, the connection probe
//! still confirms the pool hypothesis (sentinel gets a reserved slot as a superuser, or cites
//! the server's refusal). Its own test binary, so that it never runs beside the other database
//! tests (cargo runs test binaries one at a time): they would find no free slot.

use assert_cmd::Command;

fn pg_url() -> Option<String> {
    if let Ok(u) = std::env::var("SENTINEL_TEST_PG_URL") {
        return Some(u);
    }
    let answers = std::net::TcpStream::connect_timeout(
        &"127.0.0.1:5432".parse().expect("addr"),
        std::time::Duration::from_millis(300),
    )
    .is_ok();
    if answers {
        return Some("postgres://postgres@127.0.0.1:5432/test".into());
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI is set but no Postgres is configured (SENTINEL_TEST_PG_URL) or answering"
    );
    eprintln!("skipped: no Postgres (set SENTINEL_TEST_PG_URL)");
    None
}

#[test]
fn with_every_open_slot_held_the_connection_probe_still_confirms_pool_exhaustion() {
    let Some(url) = pg_url() else { return };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let dsn = sentinel::store::dsn::Dsn::parse(&url).expect("url");
    let first = rt
        .block_on(sentinel::store::pg::connect(&dsn))
        .expect("connect");
    let limits = rt
        .block_on(first.query_one(
            "SELECT current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int",
            &[],
        ))
        .expect("limits");
    let open: i32 = limits.get(0);
    let mut held = vec![first];
    loop {
        let used: i64 = rt
            .block_on(held[0].query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'",
                &[],
            ))
            .expect("count")
            .get(0);
        if used >= i64::from(open) {
            break;
        }
        match rt.block_on(sentinel::store::pg::connect(&dsn)) {
            Ok(c) => held.push(c),
            Err(_) => break, // the server is full already
        }
    }
    assert!(held.len() > 1, "held {} connection(s)", held.len());
    let t = tempfile::tempdir().expect("tmp");
    let bin = t.path().join("bin");
    std::fs::create_dir(&bin).expect("dir");
    let out = Command::cargo_bin("sentinel")
        .expect("binary")
        .env_clear()
        .env("PATH", &bin)
        .env("HOME", t.path())
        .env("XDG_DATA_HOME", t.path().join("data"))
        .args(["investigate", "-", "--format", "json", "--no-input", "--pg", &url])
        .write_stdin("14:02 checkout API 5xx at 30%, requests time out after 30 s\n14:05 api pods restarting\n")
        .output()
        .expect("run");
    drop(held);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let top = &r["hypotheses"][0];
    assert_eq!(
        top["id"], "db-connection-pool-exhaustion",
        "{}",
        r["hypotheses"]
    );
    assert_eq!(top["status"], "confirmed", "{top}");
    assert!(
        top["evidence"]
            .as_array()
            .expect("evidence")
            .iter()
            .any(|e| e["source"]
                .as_str()
                .is_some_and(|s| s.starts_with("probe:pg/"))),
        "{}",
        top["evidence"]
    );
}
