//! Host probes over ssh against a fake `ssh` first on PATH (tests/fake/ssh) that prints the
//! recorded output of a scenario in fixtures/ssh/: what the host shows moves the right hypothesis
//! to the top and cites the host probe, ssh always runs in batch mode with `--` before the host,
//! and no value from the paste with a shell metacharacter ever reaches it.

use crate::util::{fake_path, root, sentinel, tmp, top};
use std::path::{Path, PathBuf};

fn scenario(name: &str) -> PathBuf {
    root().join("fixtures/ssh").join(name)
}

struct Probed {
    report: serde_json::Value,
    calls: Vec<String>,
    code: i32,
}

/// investigate a paste with probes, the fake ssh answering from `dir` and the fake kubectl from
/// an empty folder (so no real kubectl runs).
fn probe(paste: &Path, dir: &Path, extra: &[&str]) -> Probed {
    let t = tmp();
    let log = t.path().join("ssh.log");
    let empty = t.path().join("kubectl");
    std::fs::create_dir(&empty).expect("dir");
    let out = sentinel(&t)
        .env("PATH", fake_path())
        .env("FAKE_SSH_DIR", dir)
        .env("FAKE_SSH_LOG", &log)
        .env("FAKE_KUBECTL_DIR", &empty)
        .args(["investigate", "--format", "json", "--no-input"])
        .arg(paste)
        .args(extra)
        .output()
        .expect("run");
    let report = crate::util::json_out(&out);
    let calls = crate::util::logged(&log);
    Probed {
        report,
        calls,
        code: out.status.code().unwrap_or(-1),
    }
}

fn entry<'a>(r: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    r["checklist"]
        .as_array()
        .expect("checklist")
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no checklist entry {id} in {}", r["checklist"]))
}

/// Every ssh call is batch mode, ends ssh's options before the host, and runs an allowlisted
/// command; the remote words are all of the strict character set.
fn assert_safe_calls(calls: &[String], host: &str) {
    assert!(!calls.is_empty(), "ssh was never called");
    for c in calls {
        let head = "-o BatchMode=yes -o ConnectTimeout=";
        assert!(c.starts_with(head), "not batch mode: {c}");
        let (_, rest) = c
            .split_once(&format!(" -T -- {host} "))
            .unwrap_or_else(|| panic!("no `-T -- {host}` in {c}"));
        let words: Vec<String> = rest.split(' ').map(str::to_string).collect();
        sentinel::safety::host_read_only(&words).unwrap_or_else(|e| panic!("{c}: {e}"));
        assert!(
            c.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b" ._/:=,@%+-".contains(&b)),
            "a shell metacharacter reached ssh: {c}"
        );
        assert!(!c.contains("StrictHostKeyChecking"), "{c}");
    }
}

#[test]
fn what_the_host_shows_confirms_worker_starvation_on_a_vm() {
    let dir = scenario("worker-starvation");
    let paste = dir.join("paste.txt");
    // the paste alone does not say it
    let offline = crate::util::investigate_json(&std::fs::read_to_string(&paste).expect("paste"));
    assert_ne!(top(&offline), "worker-pool-starvation-sync-call");
    let p = probe(&paste, &dir, &["--host", "app-vm-1"]);
    assert_eq!(p.code, 0);
    let r = &p.report;
    assert_eq!(
        top(r),
        "worker-pool-starvation-sync-call",
        "{}",
        r["hypotheses"]
    );
    let h = &r["hypotheses"][0];
    assert_eq!(h["status"], "confirmed", "{h}");
    let cited: Vec<&str> = h["evidence"]
        .as_array()
        .expect("evidence")
        .iter()
        .filter_map(|e| e["source"].as_str())
        .filter(|s| s.starts_with("probe:host/app-vm-1/"))
        .collect();
    assert!(
        cited.contains(&"probe:host/app-vm-1/top"),
        "top not cited: {}",
        h["evidence"]
    );
    // ssh ran in batch mode, allowlisted commands only, the unit named in the paste
    assert_safe_calls(&p.calls, "app-vm-1");
    for want in [
        "app-vm-1 top -b -n 1",
        "app-vm-1 uptime",
        "app-vm-1 free -m",
        "app-vm-1 df -P -h",
        "app-vm-1 ss -s",
        "app-vm-1 systemctl status billing-web",
        "app-vm-1 journalctl -u billing-web",
    ] {
        assert!(
            p.calls.iter().any(|c| c.contains(want)),
            "no `{want}` in {:#?}",
            p.calls
        );
    }
    // the survey's findings, read from the outputs
    let top_probe = entry(r, "host/app-vm-1/top");
    assert_eq!(top_probe["status"], "ok");
    let findings = top_probe["findings"].to_string();
    assert!(
        findings.contains("8 of 9 gunicorn processes at ≥ 90% CPU"),
        "{findings}"
    );
    assert!(findings.contains("all 8 gunicorn worker processes are busy"));
    assert!(findings.contains("CPU 99.1% busy"), "{findings}");
    let status = entry(r, "host/app-vm-1/systemctl-status")["findings"].to_string();
    assert!(status.contains("WORKER TIMEOUT"), "{status}");
    assert!(status.contains("Tasks: 9 (limit: 38340)"), "{status}");
    let journal = entry(r, "host/app-vm-1/journal")["findings"].to_string();
    assert!(
        journal.contains("14× gunicorn: [3310] [CRITICAL] WORKER TIMEOUT (pid:3344)"),
        "{journal}"
    );
    let uptime = entry(r, "host/app-vm-1/uptime")["findings"].to_string();
    assert!(uptime.contains("load 16.42 on 8 CPUs"), "{uptime}");
    assert!(
        entry(r, "host/app-vm-1/df")["findings"]
            .to_string()
            .contains("disk usage is fine")
    );
    // the playbook's own host probe ran over ssh too
    let ps = entry(r, "worker-pool-starvation-sync-call/host-worker-processes");
    assert_eq!(ps["status"], "ok", "{ps}");
    assert!(
        ps["findings"]
            .to_string()
            .contains("pid 3310 is their master")
    );
}

#[test]
fn what_the_host_shows_confirms_a_full_disk() {
    let dir = scenario("disk-full");
    let paste = dir.join("paste.txt");
    let offline = crate::util::investigate_json(&std::fs::read_to_string(&paste).expect("paste"));
    assert_ne!(top(&offline), "disk-full");
    let p = probe(&paste, &dir, &["--host", "orders-vm-3"]);
    assert_eq!(p.code, 0);
    let r = &p.report;
    assert_eq!(top(r), "disk-full", "{}", r["hypotheses"]);
    assert_eq!(r["hypotheses"][0]["status"], "confirmed");
    assert!(
        r["hypotheses"][0]["evidence"]
            .as_array()
            .expect("evidence")
            .iter()
            .any(|e| e["source"] == "probe:host/orders-vm-3/df"),
        "{}",
        r["hypotheses"][0]["evidence"]
    );
    assert_safe_calls(&p.calls, "orders-vm-3");
    let df = entry(r, "host/orders-vm-3/df")["findings"].to_string();
    assert!(
        df.contains("filesystem /var 100% used: 50G of 50G, available 0 (/dev/sdb1)"),
        "{df}"
    );
    assert!(
        !df.contains("/snap/"),
        "read-only snaps are always full: {df}"
    );
    let journal = entry(r, "host/orders-vm-3/journal")["findings"].to_string();
    assert!(journal.contains("No space left on device"), "{journal}");
}

#[test]
fn a_value_from_the_paste_with_a_shell_metacharacter_never_reaches_ssh() {
    let t = tmp();
    // a playbook whose host probes need {unit}, take the window, or carry a glob
    let pb = t.path().join("pb");
    std::fs::create_dir(&pb).expect("dir");
    std::fs::write(
        pb.join("zz-widget-host.yaml"),
        "id: zz-widget-host\ntitle: Widget spindle jam on the host\nsummary: test\ncategory: platform\n\
         signals:\n  - id: spindle\n    describe: the spindle jams\n    any: ['spindle jam\\w*']\n    weight: 9.0\n    decisive: true\n\
         probes:\n\
         \x20 - id: host-unit-status\n    kind: host\n    argv: [systemctl, status, '{unit}']\n    why: the unit\n    expected: running\n\
         \x20 - id: host-glob\n    kind: host\n    argv: [systemctl, status, 'widget*']\n    why: every widget unit\n    expected: running\n\
         \x20 - id: host-recent-journal\n    kind: host\n    argv: [journalctl, --since, '{since} ago', -n, '50', --no-pager]\n    why: the journal\n    expected: spindle lines\n\
         mitigations: []\nfollow_ups: []\n",
    )
    .expect("write");
    let paste = t.path().join("paste.txt");
    std::fs::write(
        &paste,
        "the spindle jammed at 09:12 on app-vm-1, gunicorn WORKER TIMEOUT in the log\n\
         service: api; rm -rf /\n\
         systemd unit: $(reboot).service\n\
         unit `touch /tmp/sentinel-ssh-pwned`.service\n\
         journalctl -u 'api;reboot' --since '1h ago'\n",
    )
    .expect("write");
    let log = t.path().join("ssh.log");
    let empty = t.path().join("kubectl");
    std::fs::create_dir(&empty).expect("dir");
    let out = sentinel(&t)
        .env("PATH", fake_path())
        .env("FAKE_SSH_DIR", scenario("worker-starvation"))
        .env("FAKE_SSH_LOG", &log)
        .env("FAKE_KUBECTL_DIR", &empty)
        .arg("--playbooks")
        .arg(&pb)
        .args([
            "investigate",
            "--format",
            "json",
            "--no-input",
            "--host",
            "app-vm-1",
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
    assert_eq!(top(&r), "zz-widget-host", "{}", r["hypotheses"]);
    let calls: Vec<String> = std::fs::read_to_string(&log)
        .expect("ssh ran")
        .lines()
        .map(str::to_string)
        .collect();
    assert_safe_calls(&calls, "app-vm-1");
    for bad in ["reboot", "rm", "touch", "api;", "$(", "`", "|"] {
        assert!(
            !calls.iter().any(|c| c.contains(bad)),
            "`{bad}` reached ssh: {calls:#?}"
        );
    }
    assert!(!Path::new("/tmp/sentinel-ssh-pwned").exists());
    // the entries that needed the refused value, or carried an unsafe word, say why
    let unit = entry(&r, "zz-widget-host/host-unit-status");
    assert_eq!(unit["status"], "skipped", "{unit}");
    assert!(
        unit["reason"]
            .as_str()
            .is_some_and(|s| s.contains("{unit}")),
        "{unit}"
    );
    let glob = entry(&r, "zz-widget-host/host-glob");
    assert_eq!(glob["status"], "skipped", "{glob}");
    assert!(
        glob["reason"].as_str().is_some_and(
            |s| s.starts_with("refused:") && s.contains("not a safe remote command word")
        ),
        "{glob}"
    );
    // the window is sent as one safe word
    assert!(
        calls
            .iter()
            .any(|c| c.ends_with("journalctl --since -1h -n 50 --no-pager")),
        "{calls:#?}"
    );
}

#[test]
fn an_unreachable_host_fails_its_probes_and_the_report_completes() {
    let dir = scenario("worker-starvation");
    let p = probe(
        &dir.join("paste.txt"),
        &dir,
        &["--host", "app-vm-1", "--host", "unreachable"],
    );
    assert_eq!(p.code, 0);
    let r = &p.report;
    let list = r["checklist"].as_array().expect("checklist");
    let down: Vec<&serde_json::Value> = list
        .iter()
        .filter(|c| {
            c["id"].as_str().is_some_and(|i| {
                i.starts_with("host/unreachable/")
                    || i.ends_with("@unreachable") && c["status"] != "skipped"
            })
        })
        .collect();
    assert!(down.len() >= 8, "{}", r["checklist"]);
    for c in &down {
        assert_eq!(c["status"], "failed", "{c}");
        assert!(
            c["reason"].as_str().is_some_and(|s| s.contains("exit 255")
                && s.contains("ssh: connect to host unreachable port 22: Connection refused")),
            "{c}"
        );
    }
    assert!(r["probes"]["failed"].as_u64().is_some_and(|n| n >= 6));
    // the reachable host still answers, and a checklist host entry runs once per host
    assert_eq!(entry(r, "host/app-vm-1/top")["status"], "ok");
    let id = "worker-pool-starvation-sync-call/host-worker-processes";
    assert_eq!(entry(r, &format!("{id}@app-vm-1"))["status"], "ok");
    assert_eq!(entry(r, &format!("{id}@unreachable"))["status"], "failed");
    assert!(
        !list.iter().any(|c| c["id"] == id),
        "the per-host entries replace it"
    );
    assert_eq!(top(r), "worker-pool-starvation-sync-call");
}

#[test]
fn without_a_host_the_host_the_paste_names_is_probed_and_the_report_says_so() {
    let dir = scenario("worker-starvation");
    let p = probe(&dir.join("paste.txt"), &dir, &[]);
    assert_eq!(p.code, 0);
    // the same safe calls as with --host app-vm-1, to the host the paste names
    assert_safe_calls(&p.calls, "app-vm-1");
    assert_eq!(top(&p.report), "worker-pool-starvation-sync-call");
    let ps = entry(
        &p.report,
        "worker-pool-starvation-sync-call/host-worker-processes",
    );
    assert_eq!(ps["status"], "ok", "{ps}");
    assert!(
        p.report["notes"]
            .as_array()
            .expect("notes")
            .iter()
            .any(|n| n == "host probes ran over ssh on app-vm-1, named in the paste (--host HOST chooses the hosts)"),
        "{}",
        p.report["notes"]
    );
    // --host chooses: then only that host is probed
    let other = probe(&dir.join("paste.txt"), &dir, &["--host", "unreachable"]);
    assert!(
        other.calls.iter().all(|c| c.contains(" -- unreachable ")),
        "{:?}",
        other.calls
    );
}

#[test]
fn a_host_that_is_not_a_hostname_is_a_usage_error() {
    for bad in ["bad host", "-oProxyCommand=x", "app;reboot", "user@host:22"] {
        let t = tmp();
        let out = sentinel(&t)
            .env("PATH", fake_path())
            .args(["investigate", "-"])
            .arg(format!("--host={bad}"))
            .write_stdin("x\n")
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(2), "{bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("--host"), "{bad}: {err}");
    }
    // a value that looks like an ssh option, given as its own word
    let t = tmp();
    let out = sentinel(&t)
        .env("PATH", fake_path())
        .args(["investigate", "-", "--host", "-oProxyCommand=x"])
        .write_stdin("x\n")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--host \"-oProxyCommand=x\""), "{err}");
}
