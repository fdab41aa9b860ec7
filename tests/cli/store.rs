//! The local incident store, driven through the binary as a user would: ingest, similar,
//! incidents; same paste = same incident, masked text, owner-only files, corrupt files named,
//! concurrent writers, processes killed mid-write.

use crate::util::{fixture, sentinel, tmp};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

fn out(c: &mut assert_cmd::Command) -> String {
    let o = c.output().expect("run");
    assert!(
        o.status.success(),
        "exit {:?}: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// `sentinel similar --add FILE --id ID --store STORE`.
fn add(d: &tempfile::TempDir, store: &Path, file: &Path, id: &str) {
    out(sentinel(d)
        .args(["similar", "--add"])
        .arg(file)
        .args(["--id", id, "--store"])
        .arg(store));
}

/// The one text file of a bundle (`raw-<hash>.txt`).
fn text_file(dir: &Path) -> std::path::PathBuf {
    let texts: Vec<_> = std::fs::read_dir(dir)
        .expect("bundle folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let n = p.file_name().unwrap_or_default().to_string_lossy();
            n.starts_with("raw-") && n.ends_with(".txt")
        })
        .collect();
    assert_eq!(texts.len(), 1, "one text in {}: {texts:?}", dir.display());
    texts[0].clone()
}

fn last_line(s: &str) -> String {
    s.lines().last().unwrap_or_default().to_string()
}

#[test]
fn same_paste_is_the_same_incident_and_is_stored_masked() {
    let d = tmp();
    let store = d.path().join("store");
    let secret = "hunter2-very-secret";
    let paste = format!(
        "2026-11-22 14:02 UTC payment-svc: FATAL: sorry, too many clients already\nDATABASE_URL=postgres://app:{secret}@db:5432/pay\nactive connections 500/500\n"
    );
    let id1 = last_line(&out(sentinel(&d)
        .args(["ingest", "-", "--store"])
        .arg(&store)
        .write_stdin(paste.clone())));
    let id2 = last_line(&out(sentinel(&d)
        .args(["ingest", "-", "--store"])
        .arg(&store)
        .write_stdin(paste.clone())));
    assert_eq!(id1, id2, "the same paste twice is one incident");
    assert!(id1.starts_with("2026-11-22-"), "date from the paste: {id1}");
    let dir = store.join("incidents").join(&id1);
    let raw_file = text_file(&dir);
    let raw = std::fs::read_to_string(&raw_file).expect("the text");
    assert!(!raw.contains(secret), "credential stored: {raw}");
    assert!(raw.contains("[REDACTED]"));
    assert!(
        raw.contains("too many clients already"),
        "the rest is kept as given"
    );
    for (p, want) in [
        (&dir, 0o700),
        (&raw_file, 0o600),
        (&dir.join("meta.json"), 0o600),
    ] {
        let mode = std::fs::metadata(p).expect("stat").permissions().mode() & 0o777;
        assert_eq!(mode, want, "{}", p.display());
    }
    // a different paste is a new incident
    let id3 = last_line(&out(sentinel(&d)
        .args(["ingest", "-", "--store"])
        .arg(&store)
        .write_stdin(format!("{paste}one more line\n"))));
    assert_ne!(id1, id3);
    // another incident of the same kind, written up by someone else
    let id4 = last_line(&out(sentinel(&d)
        .args(["ingest", "-", "--store"])
        .arg(&store)
        .write_stdin(
            "2026-10-03 09:12 UTC ledger-api pods report: remaining connection slots are reserved; pool at 100/100, requests time out waiting for a connection\n",
        )));
    let listed = out(sentinel(&d)
        .args(["incidents", "list", "--format", "json", "--store"])
        .arg(&store));
    let v: serde_json::Value = serde_json::from_str(&listed).expect("json");
    assert_eq!(v["incidents"].as_array().map(Vec::len), Some(3));
    // investigate takes a stored id
    let r = out(sentinel(&d)
        .args([
            "investigate",
            &id1,
            "--offline",
            "--format",
            "json",
            "--store",
        ])
        .arg(&store));
    let v: serde_json::Value = serde_json::from_str(&r).expect("json");
    assert_eq!(v["hypotheses"][0]["id"], "db-connection-pool-exhaustion");
    let similar: Vec<&str> = v["similar"]
        .as_array()
        .expect("similar")
        .iter()
        .filter_map(|m| m["id"].as_str())
        .collect();
    assert!(!similar.contains(&id1.as_str()), "never similar to itself");
    assert!(
        !similar.contains(&id3.as_str()),
        "nor to a copy of itself with a line more: {similar:?}"
    );
    assert!(similar.contains(&id4.as_str()), "{similar:?}");
}

#[test]
fn similar_ranks_the_same_mechanism_first_and_add_keeps_what_is_attached() {
    let d = tmp();
    let store = d.path().join("store");
    for (f, id) in [
        ("001-payment-pool-cron.txt", "INC-0814"),
        ("012-kafka-broker-disk-full.txt", "INC-0900"),
        ("015-exporter-oomkilled.txt", "INC-0950"),
    ] {
        add(&d, &store, &fixture(f), id);
    }
    // a different team's pool exhaustion, sharing no names with INC-0814
    let query = "orders-api p99 40ms -> 9s since 03:10\nHikariPool-1 - Connection is not available, request timed out after 30000ms\npg: remaining connection slots are reserved for non-replication superuser connections\nnew report-builder job opens a connection per row and never returns it\n";
    let got = out(sentinel(&d)
        .args(["similar", "-", "--format", "json", "--store"])
        .arg(&store)
        .write_stdin(query));
    let v: serde_json::Value = serde_json::from_str(&got).expect("json");
    assert_eq!(v["schema"], "sentinel.similar/v1");
    assert_eq!(v["matches"][0]["id"], "INC-0814", "{got}");
    assert!(
        v["matches"][0]["why"]
            .as_str()
            .unwrap_or_default()
            .contains("same failure mode")
    );
    let score = v["matches"][0]["score"].as_f64().expect("score");
    assert!(score > 0.0 && score <= 1.0);

    // a postmortem with a root cause replaces the imported text; attached files stay
    let bundle = store.join("incidents/INC-0814");
    std::fs::write(bundle.join("postmortem.md"), "# kept\n").expect("attach");
    let pm = d.path().join("pm.md");
    std::fs::write(
        &pm,
        "# INC-0814 payment-svc\n\n## Root cause\n\nThe v2.41 settlement cron held DB connections until the pool ran out.\n",
    )
    .expect("write");
    add(&d, &store, &pm, "INC-0814");
    assert!(bundle.join("postmortem.md").is_file(), "attached file kept");
    let show = out(sentinel(&d)
        .args([
            "incidents",
            "show",
            "INC-0814",
            "--format",
            "json",
            "--store",
        ])
        .arg(&store));
    let v: serde_json::Value = serde_json::from_str(&show).expect("json");
    assert!(
        v["meta"]["root_cause"]
            .as_str()
            .unwrap_or_default()
            .contains("settlement cron")
    );
    assert!(
        v["text"]
            .as_str()
            .unwrap_or_default()
            .starts_with("# INC-0814")
    );
    let listed = out(sentinel(&d)
        .args(["incidents", "list", "--format", "json", "--store"])
        .arg(&store));
    let v: serde_json::Value = serde_json::from_str(&listed).expect("json");
    assert_eq!(
        v["incidents"].as_array().map(Vec::len),
        Some(3),
        "replaced, not added"
    );
}

#[test]
fn bad_ids_and_unknown_ids_are_clear_errors() {
    let d = tmp();
    let store = d.path().join("store");
    let o = sentinel(&d)
        .args(["similar", "--add"])
        .arg(fixture("001-payment-pool-cron.txt"))
        .args(["--id", "../escape", "--store"])
        .arg(&store)
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("not a valid incident id") && err.contains("hint:"),
        "{err}"
    );
    let o = sentinel(&d)
        .args(["incidents", "show", "INC-404", "--store"])
        .arg(&store)
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("INC-404"));
    add(&d, &store, &fixture("001-payment-pool-cron.txt"), "INC-1");
    out(sentinel(&d)
        .args(["incidents", "rm", "INC-1", "--store"])
        .arg(&store));
    assert!(!store.join("incidents/INC-1").exists());
}

#[test]
fn a_corrupt_bundle_is_named_and_the_others_still_load() {
    let d = tmp();
    let store = d.path().join("store");
    for (f, id) in [
        ("001-payment-pool-cron.txt", "A-1"),
        ("012-kafka-broker-disk-full.txt", "B-2"),
    ] {
        add(&d, &store, &fixture(f), id);
    }
    let meta = store.join("incidents/A-1/meta.json");
    std::fs::write(&meta, "{ \"schema\": \"sentinel.bundle/v1\", oops").expect("corrupt");
    let o = sentinel(&d)
        .args(["incidents", "list", "--format", "json", "--store"])
        .arg(&store)
        .output()
        .expect("run");
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("A-1/meta.json") && err.contains("line 1"),
        "{err}"
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let ids: Vec<&str> = v["incidents"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|m| m["id"].as_str())
        .collect();
    assert_eq!(ids, vec!["B-2"]);
}

fn count(store: &Path) -> usize {
    std::fs::read_dir(store.join("incidents"))
        .map(|r| {
            r.filter_map(|e| e.ok())
                .filter(|e| e.path().join("meta.json").is_file())
                .count()
        })
        .unwrap_or(0)
}

#[test]
fn two_concurrent_writers_lose_nothing() {
    let d = tmp();
    let store = d.path().join("store");
    let bin = assert_cmd::cargo::cargo_bin("sentinel");
    let writers: Vec<_> = (0..2)
        .map(|w| {
            let bin = bin.clone();
            let store = store.clone();
            std::thread::spawn(move || {
                for i in 0..200 {
                    let st = std::process::Command::new(&bin)
                        .args(["ingest", "-", "--store"])
                        .arg(&store)
                        .env("NO_COLOR", "1")
                        .stdin(std::process::Stdio::piped())
                        .stdout(std::process::Stdio::null())
                        .stderr(std::process::Stdio::null())
                        .spawn()
                        .and_then(|mut c| {
                            use std::io::Write;
                            let mut si = c.stdin.take().expect("stdin");
                            // every writer's paste gets the same readable id: the ids must not clash
                            writeln!(si, "2026-11-22 14:02 UTC payment-svc too many clients (writer {w}, #{i})")?;
                            drop(si);
                            c.wait()
                        })
                        .expect("ingest");
                    assert!(st.success());
                }
            })
        })
        .collect();
    for w in writers {
        w.join().expect("writer");
    }
    assert_eq!(count(&store), 400);
}

#[test]
fn a_writer_killed_mid_write_leaves_a_readable_store() {
    let d = tmp();
    let store = d.path().join("store");
    let bin = assert_cmd::cargo::cargo_bin("sentinel");
    add(&d, &store, &fixture("001-payment-pool-cron.txt"), "KEEP-1");
    let big = std::fs::read_to_string(fixture("002-purge-lock-restart-loop.txt"))
        .expect("fixture")
        .repeat(200);
    let input = d.path().join("big.txt");
    std::fs::write(&input, &big).expect("write");
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    for round in 0..12 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let mut c = std::process::Command::new(&bin)
            .args(["similar", "--add"])
            .arg(&input)
            .args([
                "--id",
                if round % 2 == 0 { "KEEP-1" } else { "NEW-2" },
                "--store",
            ])
            .arg(&store)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(std::time::Duration::from_millis(5 + seed % 120));
        let _ = c.kill();
        let _ = c.wait();
        // whatever point it died at, every bundle that is listed reads completely
        let o = sentinel(&d)
            .args(["incidents", "list", "--format", "json", "--store"])
            .arg(&store)
            .output()
            .expect("list");
        assert!(o.status.success());
        assert!(
            o.stderr.is_empty(),
            "round {round}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
        let ids: Vec<&str> = v["incidents"]
            .as_array()
            .expect("list")
            .iter()
            .filter_map(|m| m["id"].as_str())
            .collect();
        assert!(ids.contains(&"KEEP-1"), "round {round}: {ids:?}");
        for id in ids {
            out(sentinel(&d)
                .args(["incidents", "show", id, "--store"])
                .arg(&store));
        }
    }
    // the next write cleans up what killed writers left behind
    add(&d, &store, &input, "KEEP-1");
    let left: Vec<String> = std::fs::read_dir(store.join("incidents/KEEP-1"))
        .expect("bundle")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn prune_removes_only_incidents_older_than_asked() {
    let d = tmp();
    let store = d.path().join("store");
    let old = last_line(&out(sentinel(&d)
        .args(["ingest", "-", "--store"])
        .arg(&store)
        .write_stdin(
            "2020-01-05 09:00 UTC api: disk full on /var, No space left on device\n",
        )));
    let undated = last_line(&out(sentinel(&d)
        .args(["ingest", "-", "--store"])
        .arg(&store)
        .write_stdin("api: No space left on device, df shows 100%\n")));
    let pruned = out(sentinel(&d)
        .args(["incidents", "prune", "--older-than", "180d", "--store"])
        .arg(&store));
    assert_eq!(pruned.trim(), old);
    assert!(!store.join("incidents").join(&old).exists());
    assert!(
        store.join("incidents").join(&undated).is_dir(),
        "stored just now"
    );
    let o = sentinel(&d)
        .args(["incidents", "prune", "--older-than", "soon", "--store"])
        .arg(&store)
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_confirmed_past_root_cause_is_cited_by_investigate() {
    let d = tmp();
    let store = d.path().join("store");
    let pm = d.path().join("pm.txt");
    let original = std::fs::read_to_string(fixture("001-payment-pool-cron.txt")).expect("fixture");
    std::fs::write(
        &pm,
        format!("{original}\nRoot cause: the v2.41 settlement cron held DB connections until the pool ran out.\n"),
    )
    .expect("write");
    add(&d, &store, &pm, "INC-0814");
    let reworded = crate::util::root().join("fixtures/similar/001-payment-pool-cron.txt");
    let r = out(sentinel(&d)
        .args(["investigate", "--offline", "--format", "json", "--store"])
        .arg(&store)
        .arg(reworded));
    let v: serde_json::Value = serde_json::from_str(&r).expect("json");
    assert_eq!(v["similar"][0]["id"], "INC-0814");
    let top = &v["hypotheses"][0];
    assert_eq!(top["id"], "db-connection-pool-exhaustion");
    let cited = top["evidence"]
        .as_array()
        .expect("evidence")
        .iter()
        .any(|e| e["source"] == "similar:INC-0814" && e["line"].is_null());
    assert!(cited, "{}", top["evidence"]);

    // a stored incident investigated by its id is named by it, in JSON and on screen
    let r = out(sentinel(&d)
        .args([
            "investigate",
            "INC-0814",
            "--offline",
            "--format",
            "json",
            "--store",
        ])
        .arg(&store));
    let v: serde_json::Value = serde_json::from_str(&r).expect("json");
    assert_eq!(v["incident"]["id"], "INC-0814");
    let r = out(sentinel(&d)
        .args(["investigate", "INC-0814", "--offline", "--store"])
        .arg(&store));
    assert!(r.contains("· INC-0814"), "{r}");
}

fn similar_ids(d: &tempfile::TempDir, store: &Path, query: &Path) -> (Vec<String>, String) {
    let o = sentinel(d)
        .args(["similar", "--format", "json", "--store"])
        .arg(store)
        .arg(query)
        .output()
        .expect("run");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let ids = v["matches"]
        .as_array()
        .expect("matches")
        .iter()
        .filter_map(|m| m["id"].as_str().map(str::to_string))
        .collect();
    (ids, String::from_utf8_lossy(&o.stderr).into_owned())
}

#[test]
fn add_never_replaces_an_ingested_incident_nor_stores_a_text_twice() {
    let d = tmp();
    let store = d.path().join("store");
    let pool = fixture("001-payment-pool-cron.txt");
    let ingested = last_line(&out(sentinel(&d)
        .args(["ingest", "--store"])
        .arg(&store)
        .arg(&pool)));
    let o = sentinel(&d)
        .args(["similar", "--add"])
        .arg(fixture("012-kafka-broker-disk-full.txt"))
        .args(["--id", &ingested, "--store"])
        .arg(&store)
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("ingested") && err.contains("hint:"), "{err}");
    let o = sentinel(&d)
        .args(["similar", "--add"])
        .arg(&pool)
        .args(["--id", "INC-7", "--store"])
        .arg(&store)
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(&format!("already stored as {ingested}")),
        "{err}"
    );
    assert_eq!(count(&store), 1);
    // ids that differ only in case are refused (one folder on macOS)
    add(
        &d,
        &store,
        &fixture("012-kafka-broker-disk-full.txt"),
        "INC-8",
    );
    let o = sentinel(&d)
        .args(["similar", "--add"])
        .arg(fixture("015-exporter-oomkilled.txt"))
        .args(["--id", "inc-8", "--store"])
        .arg(&store)
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("only in letter case"));
}

#[test]
fn the_index_is_rebuilt_when_missing_damaged_or_stale() {
    let d = tmp();
    let store = d.path().join("store");
    for (f, id) in [
        ("001-payment-pool-cron.txt", "POOL-1"),
        ("012-kafka-broker-disk-full.txt", "DISK-1"),
        ("015-exporter-oomkilled.txt", "OOM-1"),
    ] {
        add(&d, &store, &fixture(f), id);
    }
    let query = crate::util::root().join("fixtures/similar/001-payment-pool-cron.txt");
    let (want, _) = similar_ids(&d, &store, &query);
    assert_eq!(want.first().map(String::as_str), Some("POOL-1"));
    let index = store.join("index.bin");
    assert!(index.is_file(), "writers keep an index");
    std::fs::remove_file(&index).expect("rm index");
    assert_eq!(similar_ids(&d, &store, &query).0, want, "missing index");
    assert!(index.is_file(), "rebuilt");
    let mut raw = std::fs::read(&index).expect("index");
    let mid = raw.len() / 2;
    raw[mid] ^= 0x55;
    std::fs::write(&index, raw).expect("damage");
    assert_eq!(similar_ids(&d, &store, &query).0, want, "damaged index");
    // a write that died between its bundle and the index
    std::fs::write(store.join("index.pending"), "").expect("pending");
    assert_eq!(similar_ids(&d, &store, &query).0, want, "pending index");
    assert!(!store.join("index.pending").exists());
    // folders changed behind sentinel's back: a bundle removed, junk added
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::remove_dir_all(store.join("incidents/POOL-1")).expect("rm bundle");
    std::fs::create_dir(store.join("incidents/not an id")).expect("junk");
    let (ids, _) = similar_ids(&d, &store, &query);
    assert!(!ids.contains(&"POOL-1".to_string()), "{ids:?}");
    let o = sentinel(&d)
        .args(["incidents", "list", "--store"])
        .arg(&store)
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("not an id") && err.contains("not an incident folder"),
        "{err}"
    );
}

#[test]
fn meta_json_is_the_commit_point_of_a_replaced_text() {
    let d = tmp();
    let store = d.path().join("store");
    add(&d, &store, &fixture("001-payment-pool-cron.txt"), "INC-1");
    let dir = store.join("incidents/INC-1");
    let before = std::fs::read_to_string(text_file(&dir)).expect("text");
    // a replace killed after writing its new text and before its meta: the old meta names
    // the old text, which is still there
    std::fs::write(dir.join("raw-0123456789abcdef.txt"), "half a replacement").expect("write");
    let o = out(sentinel(&d)
        .args(["incidents", "show", "INC-1", "--format", "json", "--store"])
        .arg(&store));
    let v: serde_json::Value = serde_json::from_str(&o).expect("json");
    assert_eq!(v["text"].as_str(), Some(before.as_str()), "{o}");
    // the next replace clears what the dead one left
    add(
        &d,
        &store,
        &fixture("012-kafka-broker-disk-full.txt"),
        "INC-1",
    );
    let after = std::fs::read_to_string(text_file(&dir)).expect("one text");
    assert!(after.contains("kafka") || after.contains("Kafka"));
}

#[test]
fn bytes_that_are_not_utf8_are_kept_as_given() {
    let d = tmp();
    let store = d.path().join("store");
    let file = d.path().join("latin1.txt");
    let bytes = b"2026-03-04 10:00 UTC caf\xe9-api: No space left on device\n\xff\xfe end\n";
    std::fs::write(&file, bytes).expect("write");
    let id = last_line(&out(sentinel(&d)
        .args(["ingest", "--store"])
        .arg(&store)
        .arg(&file)));
    let kept = std::fs::read(text_file(&store.join("incidents").join(&id))).expect("text");
    assert_eq!(kept, bytes.to_vec());
}

#[test]
fn the_audit_log_is_append_only_and_survives_a_line_cut_short() {
    use sentinel::store::attachment::AUDIT;
    use sentinel::store::{Store, local::LocalStore};
    let d = tmp();
    let store = d.path().join("store");
    add(&d, &store, &fixture("001-payment-pool-cron.txt"), "INC-7");
    let s = Store::Local(LocalStore::open(&store).expect("open"));
    s.append("INC-7", AUDIT, "{\"n\":1}").expect("append");
    // a crash in the middle of the next write leaves half a line
    let file = store.join("incidents/INC-7").join(AUDIT);
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&file)
        .expect("open");
    std::io::Write::write_all(&mut f, b"{\"n\":2, \"half").expect("write");
    assert_eq!(
        s.log("INC-7", AUDIT).expect("log"),
        ["{\"n\":1}"],
        "the cut line is left out"
    );
    s.append("INC-7", AUDIT, "{\"n\":3}")
        .expect("append after the crash");
    assert_eq!(
        s.log("INC-7", AUDIT).expect("log"),
        ["{\"n\":1}", "{\"n\":2, \"half", "{\"n\":3}"],
        "the entry after the crash is whole, on its own line"
    );
    assert!(
        s.append("INC-8", AUDIT, "{}").is_err(),
        "only stored incidents have a log"
    );
}
