//! `sentinel mitigate` without a terminal: nothing runs unless named by `--approve`, a needed
//! decision exits 3, an unknown id is a usage error, `--dry-run` runs and records nothing; an
//! approved SQL mitigation terminates the test's held sessions in the real Postgres and its
//! verification sees the recovery; a failing step stops a plan and exits 4. The audit log
//! records every proposal, decision, command and verdict in order.

use crate::probes_pg::Db;
use crate::util::{fake_path, json_out, logged, root, sentinel, tmp};
use std::path::Path;

const POOL_PASTE: &str = "\
payment-svc outage: checkout failing
14:02 UTC alert: payment-svc p99 latency jumped from 120ms to 4.8s, error rate 0.1% -> 12%
14:03 logs: FATAL: remaining connection slots are reserved; sorry, too many clients already
14:03 active_connections: 500 / 500 in namespace prod
13:50 deploy payment-svc v2.41 shipped (new cron job settlement-sync)
";

/// The audit entries of the only incident in a temp dir's store.
fn audit(dir: &Path) -> Vec<serde_json::Value> {
    let incidents = dir.join("data/sentinel/store/incidents");
    let Ok(rd) = std::fs::read_dir(&incidents) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in rd.flatten() {
        for l in logged(&e.path().join("audit.jsonl")) {
            out.push(serde_json::from_str(&l).expect("audit line is JSON"));
        }
    }
    out
}

fn events(a: &[serde_json::Value]) -> Vec<String> {
    a.iter()
        .map(|e| {
            format!(
                "{} {}",
                e["event"].as_str().unwrap_or(""),
                e["action"].as_str().unwrap_or("")
            )
        })
        .collect()
}

/// Investigate the paste with kubectl faked (recording its calls) and keep it in the store.
fn investigate(t: &tempfile::TempDir, extra: &[&str]) -> std::path::PathBuf {
    let log = t.path().join("kubectl.log");
    let empty = t.path().join("cluster");
    std::fs::create_dir_all(&empty).expect("dir");
    let out = sentinel(t)
        .env("PATH", fake_path())
        .env("FAKE_KUBECTL_DIR", &empty)
        .env("FAKE_KUBECTL_LOG", &log)
        .args(["investigate", "-", "--no-input", "--namespace", "prod"])
        .args(extra)
        .write_stdin(POOL_PASTE)
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_file(&log).ok();
    log
}

#[test]
fn without_a_terminal_nothing_runs_unless_approved() {
    let t = tmp();
    let log = investigate(&t, &[]);
    let run = |args: &[&str]| {
        sentinel(&t)
            .env("PATH", fake_path())
            .env("USER", "ops-alice")
            .env("FAKE_KUBECTL_DIR", t.path().join("cluster"))
            .env("FAKE_KUBECTL_LOG", &log)
            .arg("mitigate")
            .args(args)
            .output()
            .expect("run")
    };
    let out = run(&["--no-input"]);
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("--approve"));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("[1]"),
        "the plan is shown"
    );
    assert!(logged(&log).is_empty(), "nothing ran: {:?}", logged(&log));
    assert!(
        audit(t.path()).is_empty(),
        "nothing decided, nothing recorded"
    );

    let out = run(&["--approve", "no-such-mitigation"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("rollback-change"),
        "lists the ids"
    );

    let out = run(&[
        "--dry-run",
        "--approve",
        "rollback-change",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let plan = json_out(&out);
    assert_eq!(plan["schema"], "sentinel.mitigation/v1");
    assert_eq!(plan["dry_run"], true);
    let rollback = plan["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .find(|a| a["id"] == "rollback-change")
        .expect("rollback in the plan");
    assert_eq!(
        rollback["steps"][0]["command"],
        "kubectl --context fixture-cluster -n prod rollout undo deployment/payment-svc"
    );
    assert!(logged(&log).is_empty(), "a dry run runs nothing");
    assert!(audit(t.path()).is_empty(), "a dry run records nothing");

    // approved by id from a script: exactly that one runs, step by step
    let out = run(&["--approve", "rollback-change", "--no-input"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        logged(&log),
        [
            "--context fixture-cluster -n prod rollout undo deployment/payment-svc",
            "--context fixture-cluster -n prod rollout status deployment/payment-svc --timeout=120s"
        ]
    );
    let a = audit(t.path());
    let ev = events(&a);
    let id = "db-connection-pool-exhaustion/rollback-change";
    assert_eq!(
        ev,
        [
            format!("proposed {id}"),
            format!("approved {id}"),
            format!("started {id}"),
            format!("ran {id}"),
            format!("started {id}"),
            format!("ran {id}"),
        ]
    );
    assert_eq!(a[1]["actor"], "ops-alice", "the operator is $USER");
    assert_eq!(a[3]["exit"], 0);
    assert!(
        a[3]["output"]
            .as_str()
            .unwrap_or("")
            .contains("rolled back")
    );
}

#[test]
fn a_failing_step_stops_the_plan_and_exits_4() {
    let t = tmp();
    let log = investigate(&t, &[]);
    let out = sentinel(&t)
        .env("PATH", fake_path())
        .env("FAKE_KUBECTL_DIR", t.path().join("cluster"))
        .env("FAKE_KUBECTL_LOG", &log)
        .env("FAKE_KUBECTL_FAIL", "rollout-undo")
        .args(["mitigate", "--approve", "rollback-change", "--no-input"])
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        logged(&log).len(),
        1,
        "the status step never ran: {:?}",
        logged(&log)
    );
    let ev = events(&audit(t.path()));
    assert_eq!(
        ev.last().map(String::as_str),
        Some("failed db-connection-pool-exhaustion/rollback-change")
    );
}

#[test]
fn ctrl_c_mid_step_kills_the_command_records_it_and_exits_130() {
    let t = tmp();
    let log = investigate(&t, &[]);
    let times = t.path().join("kubectl.times");
    let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("sentinel"));
    c.env_clear()
        .env("PATH", fake_path())
        .env("HOME", t.path())
        .env("XDG_DATA_HOME", t.path().join("data"))
        .env("USER", "ops-alice")
        .env("FAKE_KUBECTL_DIR", t.path().join("cluster"))
        .env("FAKE_KUBECTL_LOG", &log)
        .env("FAKE_KUBECTL_SLEEP", "20")
        .env("FAKE_KUBECTL_TIMES", &times)
        .args(["mitigate", "--approve", "rollback-change", "--no-input"])
        .args(["--format", "json"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let child = c.spawn().expect("spawn");
    // wait for the step's kubectl to be running, then press Ctrl-C (SIGINT to sentinel only)
    let started = std::time::Instant::now();
    while !logged(&times).iter().any(|l| l.starts_with("start")) {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "the step never started"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let sent = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(sent.success());
    let out = child.wait_with_output().expect("wait");
    assert_eq!(
        out.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plan = json_out(&out);
    assert_eq!(plan["outcomes"][0]["decision"], "interrupted", "{plan}");
    let ev = events(&audit(t.path()));
    assert_eq!(
        ev.last().map(String::as_str),
        Some("interrupted db-connection-pool-exhaustion/rollback-change"),
        "{ev:?}"
    );
    assert!(
        !ev.iter().any(|e| e.starts_with("ran ")),
        "nothing is recorded as having run: {ev:?}"
    );
    assert_eq!(logged(&log).len(), 1, "the second step never ran");
    // the step's process was killed, not left to finish its sleep and answer
    let pid = logged(&times)
        .iter()
        .find_map(|l| l.strip_prefix("pid ").map(str::to_string))
        .expect("the fake kubectl's pid");
    let alive = || {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .map(|s| {
                let state = s.rsplit(')').next().unwrap_or("").trim_start();
                !state.starts_with('Z')
            })
            .unwrap_or(false)
    };
    let waited = std::time::Instant::now();
    while alive() && waited.elapsed() < std::time::Duration::from_secs(5) {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(!alive(), "the interrupted command {pid} is still running");
    assert!(
        !logged(&times).iter().any(|l| l.starts_with("end")),
        "the killed command went on: {:?}",
        logged(&times)
    );
}

#[test]
fn an_approved_terminate_frees_the_held_sessions_and_verifies_recovery() {
    let Some(db) = Db::new("mitigate") else {
        return;
    };
    let t = tmp();
    // the built-in playbook, with "held for over a minute" shortened so the test need not wait
    let pb = t.path().join("pb");
    std::fs::create_dir(&pb).expect("dir");
    let builtin =
        std::fs::read_to_string(root().join("playbooks/db-connection-pool-exhaustion.yaml"))
            .expect("playbook");
    assert!(builtin.contains("\"1 minute\""));
    std::fs::write(
        pb.join("db-connection-pool-exhaustion.yaml"),
        builtin.replace("\"1 minute\"", "\"1 second\""),
    )
    .expect("write");
    let pbs = pb.to_str().expect("utf-8 path");

    // three sessions of the service hold their connection in an open transaction, one of
    // another application does the same and must survive
    let held: Vec<_> = (0..3).map(|_| db.session("payment-svc")).collect();
    let other = db.session("reporting");
    for c in held.iter().chain([&other]) {
        db.rt
            .block_on(c.batch_execute("BEGIN; SELECT 1"))
            .expect("begin");
    }
    db.pause(1500);
    let bin = t.path().join("bin");
    std::fs::create_dir(&bin).expect("dir");
    let out = sentinel(&t)
        .env("PATH", &bin)
        .args([
            "investigate",
            "-",
            "--no-input",
            "--playbooks",
            pbs,
            "--pg",
            &db.url,
        ])
        .write_stdin(POOL_PASTE)
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = sentinel(&t)
        .env("PATH", &bin)
        .env("USER", "ops-carol")
        .args([
            "mitigate",
            "--playbooks",
            pbs,
            "--approve",
            "terminate-connection-holders",
            "--no-input",
            "--verify-for",
            "6s",
            "--format",
            "json",
        ])
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = json_out(&out);
    let o = &r["outcomes"][0];
    assert_eq!(
        o["action"],
        "db-connection-pool-exhaustion/terminate-connection-holders"
    );
    assert_eq!(o["steps"][0]["output"], "3 row(s), 3 true", "{o}");
    assert_eq!(o["verification"]["before"], 3.0);
    assert_eq!(o["verification"]["after"], 0.0);
    assert_eq!(o["verification"]["result"], "recovered");
    // the held sessions are gone; the other application's is not
    for c in &held {
        assert!(
            db.rt.block_on(c.simple_query("SELECT 1")).is_err(),
            "terminated"
        );
    }
    assert!(
        db.rt.block_on(other.simple_query("SELECT 1")).is_ok(),
        "left alone"
    );

    let a = audit(t.path());
    let id = "db-connection-pool-exhaustion/terminate-connection-holders";
    assert_eq!(
        events(&a),
        [
            format!("proposed {id}"),
            format!("approved {id}"),
            format!("baseline {id}"),
            format!("started {id}"),
            format!("ran {id}"),
            format!("recovered {id}"),
        ]
    );
    let last = a.last().expect("entry");
    assert!(
        last["text"].as_str().unwrap_or("").contains("3 → 0"),
        "{last}"
    );

    // the postmortem takes the actions from the audit trail: timeline, resolution, times
    let id = std::fs::read_dir(t.path().join("data/sentinel/store/incidents"))
        .expect("store")
        .flatten()
        .next()
        .expect("one incident")
        .file_name()
        .into_string()
        .expect("utf-8");
    let out = sentinel(&t)
        .env("PATH", &bin)
        .args(["postmortem", &id, "--playbooks", pbs])
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = String::from_utf8_lossy(&out.stdout);
    let section = |key: &str| {
        let start = md
            .find(&format!("<!-- sentinel:begin {key} "))
            .unwrap_or_else(|| panic!("no {key}"));
        let end = md[start..]
            .find(&format!("<!-- sentinel:end {key} -->"))
            .expect("end")
            + start;
        md[start..end].to_string()
    };
    let timeline = section("timeline");
    assert!(
        timeline.contains("**ops-carol** ops-carol (--approve) approved [1]"),
        "{timeline}"
    );
    assert!(
        timeline.contains("**sentinel** ran [1] on database"),
        "{timeline}"
    );
    assert!(timeline.contains("3 → 0 ✔ recovered"), "{timeline}");
    // the probe run is an entry like the others, stamped the same way, before the actions
    let lines: Vec<&str> = timeline.lines().filter(|l| l.starts_with("- ")).collect();
    let probed = lines
        .iter()
        .position(|l| l.contains("**sentinel** ran ") && l.contains(" probe(s), "))
        .unwrap_or_else(|| panic!("no probe run in {timeline}"));
    let approved = lines
        .iter()
        .position(|l| l.contains("approved [1]"))
        .expect("approved");
    assert!(probed < approved, "{timeline}");
    let stamp = |l: &str| l[2..].split(" — ").next().unwrap_or("").len();
    assert_eq!(stamp(lines[probed]), stamp(lines[approved]), "{timeline}");
    let resolution = section("resolution");
    assert!(!resolution.contains("[FILL IN"), "{resolution}");
    assert!(resolution.contains("pg_terminate_backend"), "{resolution}");
    let detection = section("detection");
    assert!(
        !detection.contains("Time to mitigate: [FILL IN"),
        "{detection}"
    );

    // the recovery confirmed the hypothesis: its root cause and what fixed it are kept with
    // the incident ...
    let out = sentinel(&t)
        .args(["incidents", "show", &id, "--format", "json"])
        .output()
        .expect("run");
    let meta = &json_out(&out)["meta"];
    assert_eq!(meta["confirmed"], true, "{meta}");
    assert_eq!(meta["confirmed_by"], "mitigation", "{meta}");
    assert_eq!(
        meta["failure_modes"][0], "db-connection-pool-exhaustion",
        "{meta}"
    );
    let rc = meta["root_cause"].as_str().unwrap_or_default();
    assert!(rc.contains("v2.41"), "the trigger is part of it: {meta}");
    let fix = meta["resolution"].as_str().unwrap_or_default();
    assert!(
        fix.contains("3 → 0, verified recovered"),
        "the verification's numbers: {meta}"
    );
    let shown = sentinel(&t)
        .args(["incidents", "show", &id])
        .output()
        .expect("run");
    let shown = String::from_utf8_lossy(&shown.stdout);
    assert!(
        shown.contains("root cause is: confirmed by a verified mitigation"),
        "{shown}"
    );

    // ... so the next outage like it is told what it was and what fixed it
    let next = t.path().join("next.txt");
    std::fs::write(
        &next,
        "payment-svc checkout errors again\n\
         09:12 UTC alert: payment-svc p99 latency 5.1s, error rate 9%\n\
         09:12 logs: FATAL: sorry, too many clients already\n\
         09:13 active_connections: 500 / 500\n",
    )
    .expect("write");
    let out = sentinel(&t)
        .args(["similar", next.to_str().expect("utf-8"), "--format", "json"])
        .output()
        .expect("run");
    let m = &json_out(&out)["matches"][0];
    assert_eq!(m["id"], id.as_str(), "{m}");
    assert_eq!(m["root_cause"], rc, "{m}");
    assert_eq!(m["resolution"], fix, "{m}");
    let out = sentinel(&t)
        .args([
            "investigate",
            next.to_str().expect("utf-8"),
            "--offline",
            "--format",
            "json",
            "--playbooks",
            pbs,
        ])
        .output()
        .expect("run");
    let r = json_out(&out);
    let h = &r["hypotheses"][0];
    assert_eq!(h["id"], "db-connection-pool-exhaustion", "{h}");
    let cited = h["evidence"].as_array().into_iter().flatten().any(|e| {
        e["source"] == format!("similar:{id}")
            && e["text"]
                .as_str()
                .is_some_and(|x| x.contains("resolved by: Terminate"))
    });
    assert!(cited, "the past incident and its fix are cited: {h}");
}
