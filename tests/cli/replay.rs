//! A probe run is kept in the incident's bundle, and `investigate --replay` ranks again from
//! it with nothing run: no kubectl on PATH, the same hypotheses, statuses and evidence.

use crate::util::{fake_path, json_out as json, root, sentinel, tmp};
use std::os::unix::fs::PermissionsExt;

/// What a report says about its hypotheses and checklist, for comparison.
fn gist(r: &serde_json::Value) -> Vec<String> {
    let mut v = Vec::new();
    for h in r["hypotheses"].as_array().expect("hypotheses") {
        v.push(format!("{} {} {}", h["id"], h["status"], h["score"]));
        for e in h["evidence"].as_array().expect("evidence") {
            v.push(format!("  {} {}", e["source"], e["text"]));
        }
    }
    for c in r["checklist"].as_array().expect("checklist") {
        v.push(format!("{} {} {}", c["id"], c["status"], c["findings"]));
    }
    v
}

#[test]
fn a_probe_run_is_saved_and_replays_without_running_anything() {
    let t = tmp();
    let dir = root().join("fixtures/kubectl/oomkilled");
    let paste = dir.join("paste.txt");
    let log = t.path().join("kubectl.log");
    let live = sentinel(&t)
        .env("PATH", fake_path())
        .env("FAKE_KUBECTL_DIR", &dir)
        .env("FAKE_KUBECTL_LOG", &log)
        .args(["investigate", "--format", "json", "--no-input"])
        .arg(&paste)
        .output()
        .expect("run");
    assert_eq!(live.status.code(), Some(0));
    let live = json(&live);
    let id = live["incident"]["id"].as_str().expect("id").to_string();
    assert!(
        live["notes"]
            .to_string()
            .contains(&format!("sentinel investigate {id} --replay")),
        "{}",
        live["notes"]
    );
    let calls = std::fs::read_to_string(&log).expect("kubectl ran");
    assert!(!calls.is_empty());

    // the bundle holds the probe run, owner-only, with every probe's command and output
    let bundle = t.path().join("data/sentinel/store/incidents").join(&id);
    let probes = bundle.join("probes.json");
    let saved: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&probes).expect("probes.json")).expect("json");
    assert_eq!(saved["schema"], "sentinel.probes/v1");
    assert_eq!(saved["targets"]["workload"], "catalog-search");
    let outcomes = saved["outcomes"].as_array().expect("outcomes");
    let pods = outcomes
        .iter()
        .find(|o| o["id"] == "k8s/pods")
        .expect("k8s/pods saved");
    assert!(pods["argv"].to_string().contains("pods"), "{pods}");
    assert!(
        pods["output"]
            .as_str()
            .is_some_and(|o| o.contains("OOMKilled"))
    );
    let mode = std::fs::metadata(&probes)
        .expect("meta")
        .permissions()
        .mode();
    assert_eq!(mode & 0o077, 0, "probes.json is {mode:o}");

    // replay: kubectl is nowhere on PATH, and nothing runs; by id and by the same file
    std::fs::remove_file(&log).expect("rm log");
    let empty = t.path().join("empty-bin");
    std::fs::create_dir(&empty).expect("bin");
    for input in [id.as_str(), paste.to_str().expect("path")] {
        let again = sentinel(&t)
            .env("PATH", &empty)
            .env("FAKE_KUBECTL_LOG", &log)
            .args(["investigate", "--replay", "--format", "json", "--no-input"])
            .arg(input)
            .output()
            .expect("run");
        assert_eq!(
            again.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&again.stderr)
        );
        let again = json(&again);
        assert_eq!(gist(&again), gist(&live), "replay of {input} differs");
        assert_eq!(again["incident"]["id"], live["incident"]["id"]);
        assert!(
            again["notes"].to_string().contains("replayed"),
            "{}",
            again["notes"]
        );
        assert!(!log.exists(), "replay ran kubectl");
    }

    // a second live run of the same paste is the same incident, its probe run replaced
    let second = sentinel(&t)
        .env("PATH", fake_path())
        .env("FAKE_KUBECTL_DIR", &dir)
        .args(["investigate", "--format", "json", "--no-input"])
        .arg(&paste)
        .output()
        .expect("run");
    assert_eq!(json(&second)["incident"]["id"], live["incident"]["id"]);
    let listed = sentinel(&t)
        .args(["incidents", "list", "--format", "json"])
        .output()
        .expect("run");
    let n = String::from_utf8_lossy(&listed.stdout).matches(&id).count();
    assert!(n >= 1, "{}", String::from_utf8_lossy(&listed.stdout));
}

#[test]
fn replay_without_a_saved_run_says_what_to_run() {
    let t = tmp();
    let paste = root().join("fixtures/kubectl/imagepull/paste.txt");
    // not stored at all
    let out = sentinel(&t)
        .args(["investigate", "--replay", "--no-input"])
        .arg(&paste)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("error:") && err.contains("hint:"), "{err}");
    assert!(err.contains("without --offline"), "{err}");
    // ingested, but never probed
    let ing = sentinel(&t)
        .arg("ingest")
        .arg(&paste)
        .output()
        .expect("run");
    assert_eq!(ing.status.code(), Some(0));
    let id = String::from_utf8_lossy(&ing.stdout)
        .lines()
        .last()
        .expect("id")
        .trim()
        .to_string();
    let out = sentinel(&t)
        .args(["investigate", "--replay", "--no-input", &id])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("{id} has no saved probe run")),
        "{err}"
    );
    // a damaged probes.json names itself and does not panic
    std::fs::write(
        t.path()
            .join("data/sentinel/store/incidents")
            .join(&id)
            .join("probes.json"),
        "{not json",
    )
    .expect("write");
    let out = sentinel(&t)
        .args(["investigate", "--replay", "--no-input", &id])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("saved probe run of"), "{err}");
}
