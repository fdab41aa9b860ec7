//! Probes against a fake `kubectl` first on PATH (tests/fake/kubectl) that prints the recorded
//! output of a scenario in fixtures/kubectl/: what the probes find moves the right hypothesis
//! to the top, cites the probe, and never lets a value from the paste reach an argv unchecked.

use crate::util::{fake_path, root, sentinel, tmp, top};
use std::path::{Path, PathBuf};

fn scenario(name: &str) -> PathBuf {
    root().join("fixtures/kubectl").join(name)
}

struct Probed {
    report: serde_json::Value,
    calls: Vec<String>,
    code: i32,
    /// What the store kept of the incident (`incidents show --format json`'s meta).
    kept: serde_json::Value,
}

/// investigate a paste with probes, the fake kubectl answering from `dir`.
fn probe(paste: &Path, dir: &Path, extra: &[&str], env: &[(&str, &str)]) -> Probed {
    let t = tmp();
    let log = t.path().join("kubectl.log");
    let mut c = sentinel(&t);
    c.env("PATH", fake_path())
        .env("FAKE_KUBECTL_DIR", dir)
        .env("FAKE_KUBECTL_LOG", &log)
        .args(["investigate", "--format", "json", "--no-input"])
        .arg(paste)
        .args(extra);
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().expect("run");
    let report = crate::util::json_out(&out);
    let calls = crate::util::logged(&log);
    let id = report["incident"]["id"].as_str().unwrap_or_default();
    let shown = sentinel(&t)
        .args(["incidents", "show", id, "--format", "json"])
        .output()
        .expect("run");
    Probed {
        code: out.status.code().unwrap_or(-1),
        kept: serde_json::from_slice::<serde_json::Value>(&shown.stdout)
            .map(|v| v["meta"].clone())
            .unwrap_or_default(),
        report,
        calls,
    }
}

#[test]
fn what_kubectl_shows_moves_the_right_hypothesis_to_the_top() {
    for (name, want, ns, workload) in [
        (
            "oomkilled",
            "oom-killed-memory-limit",
            "catalog",
            "catalog-search",
        ),
        (
            "crashloop-missing-env",
            "k8s-crashloop-bad-config",
            "orders",
            "order-service",
        ),
        (
            "imagepull",
            "k8s-image-pull-failure",
            "growth",
            "promo-gateway",
        ),
        (
            "liveness-restart-loop",
            "db-lock-holding-batch",
            "finance",
            "ledger-api",
        ),
        (
            "disk-pressure-eviction",
            "k8s-eviction-node-pressure",
            "reports",
            "report-renderer",
        ),
        (
            "cpu-limit-throttled",
            "cpu-throttling-limits",
            "pricing",
            "quote-engine",
        ),
    ] {
        let dir = scenario(name);
        let paste = dir.join("paste.txt");
        // the paste alone does not say it
        let offline =
            crate::util::investigate_json(&std::fs::read_to_string(&paste).expect("paste"));
        assert_ne!(top(&offline), want, "{name}: offline already has it on top");
        let p = probe(&paste, &dir, &[], &[]);
        assert_eq!(p.code, 0, "{name}");
        let r = &p.report;
        assert_eq!(top(r), want, "{name}: {}", r["hypotheses"]);
        let h = &r["hypotheses"][0];
        assert_eq!(h["status"], "confirmed", "{name}");
        // the store keeps the confirmed root cause with the incident, first among its modes
        assert_eq!(p.kept["confirmed_by"], "probes", "{name}: {}", p.kept);
        assert_eq!(p.kept["failure_modes"][0], want, "{name}: {}", p.kept);
        assert!(
            p.kept["root_cause"]
                .as_str()
                .is_some_and(|rc| rc.starts_with(h["title"].as_str().unwrap_or("?"))),
            "{name}: {}",
            p.kept
        );
        let cited: Vec<&str> = h["evidence"]
            .as_array()
            .expect("evidence")
            .iter()
            .filter_map(|e| e["source"].as_str())
            .filter(|s| s.starts_with("probe:k8s/"))
            .collect();
        assert!(
            !cited.is_empty(),
            "{name}: no probe cited in {}",
            h["evidence"]
        );
        // the calls name the namespace and the workload of the paste, and never secrets
        assert!(
            p.calls.iter().any(|c| c.contains(&format!("-n {ns} "))),
            "{name}: {:?}",
            p.calls
        );
        assert!(
            p.calls
                .iter()
                .any(|c| c.contains(&format!("deployment/{workload}"))),
            "{name}: {:?}",
            p.calls
        );
        assert!(
            !p.calls.iter().any(|c| c.contains("secret")),
            "{:?}",
            p.calls
        );
        assert_eq!(r["probes"]["namespace"], ns, "{name}");
        assert_eq!(r["probes"]["kube_context"], "fixture-cluster", "{name}");
        // the checklist shows what ran, with findings
        let pods = r["checklist"]
            .as_array()
            .expect("checklist")
            .iter()
            .find(|c| c["id"] == "k8s/pods")
            .expect("pods probe in the checklist");
        assert_eq!(pods["status"], "ok");
        assert!(pods["findings"].as_array().is_some_and(|f| !f.is_empty()));
    }
}

#[test]
fn a_value_from_the_paste_never_reaches_kubectl_unchecked() {
    let t = tmp();
    let paste = t.path().join("paste.txt");
    std::fs::write(
        &paste,
        "checkout pods restarting, 5xx at 30%\n\
         namespace: shop;touch${IFS}/tmp/sentinel-pwned\n\
         service: checkout$(touch /tmp/sentinel-pwned)\n\
         kubectl -n 'prod`id`' get pods\n\
         2026-05-14T09:12:03Z ERROR upstream connect error\n",
    )
    .expect("write");
    let p = probe(&paste, &scenario("oomkilled"), &[], &[]);
    assert_eq!(p.code, 0);
    for c in &p.calls {
        assert!(
            c.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b" -_./=,:".contains(&b)),
            "an unchecked value reached kubectl: {c}"
        );
    }
    assert!(!Path::new("/tmp/sentinel-pwned").exists());
    assert!(!p.calls.is_empty(), "the probes ran");
    // the names were cut to what passes the rules, or refused
    assert!(
        !p.calls
            .iter()
            .any(|c| c.contains("checkout$") || c.contains("prod`")),
        "{:?}",
        p.calls
    );
}

#[test]
fn a_flag_value_that_is_not_a_name_is_a_usage_error() {
    let t = tmp();
    let out = sentinel(&t)
        .env("PATH", fake_path())
        .args(["investigate", "-", "--namespace", "prod;id"])
        .write_stdin("x\n")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--namespace"), "{err}");
}

#[test]
fn a_hanging_kubectl_is_killed_at_its_timeout_and_the_report_completes() {
    let dir = scenario("oomkilled");
    let p = probe(
        &dir.join("paste.txt"),
        &dir,
        &["--timeout", "1s"],
        &[("FAKE_KUBECTL_SLEEP", "30")],
    );
    assert_eq!(p.code, 0);
    let list = p.report["checklist"].as_array().expect("checklist");
    let pods = list.iter().find(|c| c["id"] == "k8s/pods").expect("pods");
    assert_eq!(pods["status"], "timeout", "{pods}");
    assert_eq!(
        p.report["probes"]["timeout"].as_u64().map(|n| n >= 4),
        Some(true)
    );
    // the analysis of the paste still stands
    assert!(p.report["hypotheses"].as_array().is_some());
}

#[test]
fn without_kubectl_the_probes_are_skipped_with_the_reason() {
    let t = tmp();
    let dir = scenario("oomkilled");
    let empty = t.path().join("bin");
    std::fs::create_dir(&empty).expect("dir");
    let out = sentinel(&t)
        .env("PATH", &empty)
        .args(["investigate", "--format", "json", "--no-input"])
        .arg(dir.join("paste.txt"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let pods = r["checklist"]
        .as_array()
        .expect("checklist")
        .iter()
        .find(|c| c["id"] == "k8s/pods")
        .expect("pods");
    assert_eq!(pods["status"], "skipped");
    assert!(
        pods["reason"]
            .as_str()
            .is_some_and(|r| r.contains("not installed")),
        "{pods}"
    );
}

#[test]
fn twenty_probes_run_at_once_with_concurrency_twenty() {
    let t = tmp();
    // a playbook of 20 kubectl probes, each answered after 200 ms
    let pb = t.path().join("pb");
    std::fs::create_dir(&pb).expect("dir");
    let probes: String = (0..20)
        .map(|i| {
            format!(
                "  - id: p{i}\n    kind: kubectl\n    argv: [kubectl, -n, '{{namespace}}', get, pods, -l, 'slot={i}']\n    why: slot {i}\n    expected: answers\n"
            )
        })
        .collect();
    std::fs::write(
        pb.join("zz-many-probes.yaml"),
        format!(
            "id: zz-many-probes\ntitle: Widget spindle jam (many probes)\nsummary: test\ncategory: platform\n\
             signals:\n  - id: spindle\n    describe: the spindle jams\n    any: ['spindle jam\\w*']\n    weight: 9.0\n    decisive: true\n\
             probes:\n{probes}mitigations: []\nfollow_ups: []\n"
        ),
    )
    .expect("write");
    let paste = t.path().join("paste.txt");
    std::fs::write(&paste, "the spindle jammed at 09:12 in namespace shop\n").expect("write");
    let times = t.path().join("times.log");
    let out = sentinel(&t)
        .env("PATH", fake_path())
        .env("FAKE_KUBECTL_DIR", scenario("oomkilled"))
        .env("FAKE_KUBECTL_TIMES", &times)
        .env("FAKE_KUBECTL_SLEEP", "0.2")
        .arg("--playbooks")
        .arg(&pb)
        .args([
            "investigate",
            "--format",
            "json",
            "--no-input",
            "--concurrency",
            "20",
        ])
        .arg(&paste)
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    // the spindle playbook's 20 probes all ran (what they found may rank other causes first)
    let ran = r["checklist"]
        .as_array()
        .expect("checklist")
        .iter()
        .filter(|c| {
            c["id"]
                .as_str()
                .is_some_and(|id| id.starts_with("zz-many-probes/p"))
                && c["status"] == "ok"
        })
        .count();
    assert_eq!(ran, 20, "{}", r["checklist"]);
    let log = std::fs::read_to_string(&times).expect("times");
    let stamp = |kind: &str| -> Vec<u128> {
        log.lines()
            .filter_map(|l| l.strip_prefix(kind))
            .filter_map(|n| n.trim().parse().ok())
            .collect()
    };
    let (starts, ends) = (stamp("start "), stamp("end "));
    assert!(starts.len() >= 20, "{} kubectl calls", starts.len());
    let first_end = ends.iter().min().expect("an end");
    let mut sorted = starts.clone();
    sorted.sort_unstable();
    // the 20 slot probes (and the survey's) were all started before the first one answered
    assert!(
        sorted[19] < *first_end,
        "only {} started before the first finished",
        starts.iter().filter(|s| *s < first_end).count()
    );
}

#[test]
fn log_probes_grep_globs_and_gzip_files_with_context() {
    use std::io::Write;
    let t = tmp();
    let logs = t.path().join("logs");
    std::fs::create_dir(&logs).expect("dir");
    let mut text = String::new();
    for i in 0..600 {
        text.push_str(&format!(
            "2026-06-02T14:{:02}:{:02}Z INFO request ok\n",
            i / 60,
            i % 60
        ));
        if i % 100 == 5 {
            text.push_str("2026-06-02T14:05:00Z ERROR pq: sorry, too many clients already\n");
        }
    }
    std::fs::write(logs.join("app.log"), &text).expect("write");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(text.as_bytes()).expect("gzip");
    std::fs::write(logs.join("app.log.1.gz"), gz.finish().expect("gzip")).expect("write");
    std::fs::write(logs.join("notes.txt"), "too many clients\n").expect("write");
    let paste = t.path().join("paste.txt");
    std::fs::write(
        &paste,
        "14:02 UTC FATAL: sorry, too many clients already\n\
         14:03 UTC active_connections: 100 / 100\n",
    )
    .expect("write");
    let empty = t.path().join("bin");
    std::fs::create_dir(&empty).expect("dir");
    let out = sentinel(&t)
        .env("PATH", &empty)
        .args(["investigate", "--format", "json", "--no-input"])
        .arg(&paste)
        .arg("--logs")
        .arg(logs.join("*.log*"))
        .arg("--logs")
        .arg(t.path().join("none/*.log"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let grep = r["checklist"]
        .as_array()
        .expect("checklist")
        .iter()
        .find(|c| c["kind"] == "log" && c["status"] == "ok")
        .unwrap_or_else(|| panic!("a log probe ran: {}", r["checklist"]));
    let findings: Vec<&str> = grep["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f.as_str())
        .collect();
    assert!(
        findings[0].starts_with("12 matching line(s) in 2 file(s)"),
        "{findings:?}"
    );
    assert!(findings.contains(&"  - 2026-06-02T14:00:05Z INFO request ok"));
    assert!(
        findings
            .iter()
            .any(|f| f.starts_with("note: ") && f.contains("no file matches this pattern")),
        "{findings:?}"
    );
}
