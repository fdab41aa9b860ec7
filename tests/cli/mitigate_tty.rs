//! `sentinel mitigate` at a terminal, driven through a pseudo-terminal (rexpect): the real
//! dialoguer prompts. A person approves one action, skips one, edits one and quits at the
//! next; the kubectl calls and the audit log show exactly that. End of input at a prompt is a
//! no: nothing runs.

use crate::util::{fake_path, logged, root, tmp};
use rexpect::process::wait::WaitStatus;
use std::path::Path;

const PASTE: &str = "\
payment-svc outage: checkout failing
14:02 UTC alert: payment-svc p99 latency jumped from 120ms to 4.8s, error rate 0.1% -> 12%
14:03 logs: FATAL: remaining connection slots are reserved; sorry, too many clients already
14:03 active_connections: 500 / 500 in namespace prod
";

/// The pool playbook with four kubectl mitigations of the test's own, so the prompts are known.
fn playbooks(dir: &Path) -> String {
    let builtin =
        std::fs::read_to_string(root().join("playbooks/db-connection-pool-exhaustion.yaml"))
            .expect("playbook");
    let start = builtin.find("\nmitigations:\n").expect("mitigations");
    let end = builtin.find("\nfollow_ups:").expect("follow-ups");
    let mine = r#"
mitigations:
  - id: scale-up
    title: Scale up
    command: kubectl -n {namespace} scale deployment/{deployment} --replicas=6
    risk: more connections
    rollback: scale back
    steps:
      - kind: kubectl
        argv: [kubectl, -n, "{namespace}", scale, "deployment/{deployment}", --replicas=6]
  - id: restart-pods
    title: Restart the pods
    command: kubectl -n {namespace} rollout restart deployment/{deployment}
    risk: churn
    rollback: none
    steps:
      - kind: kubectl
        argv: [kubectl, -n, "{namespace}", rollout, restart, "deployment/{deployment}"]
  - id: undo-rollout
    title: Undo the rollout
    command: kubectl -n {namespace} rollout undo deployment/{deployment}
    risk: reverts the release
    rollback: undo again
    steps:
      - kind: kubectl
        argv: [kubectl, -n, "{namespace}", rollout, undo, "deployment/{deployment}"]
  - id: pause-rollout
    title: Pause the rollout
    command: kubectl -n {namespace} rollout pause deployment/{deployment}
    risk: two versions
    rollback: resume
    steps:
      - kind: kubectl
        argv: [kubectl, -n, "{namespace}", rollout, pause, "deployment/{deployment}"]
"#;
    let pb = dir.join("pb");
    std::fs::create_dir_all(&pb).expect("dir");
    std::fs::write(
        pb.join("db-connection-pool-exhaustion.yaml"),
        format!("{}{mine}{}", &builtin[..start], &builtin[end..]),
    )
    .expect("write");
    pb.to_str().expect("utf-8").to_string()
}

fn command(dir: &Path, args: &[&str]) -> std::process::Command {
    let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("sentinel"));
    c.env_clear()
        .env("PATH", fake_path())
        .env("HOME", dir)
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("USER", "ops-bob")
        .env("NO_COLOR", "1")
        .env("TERM", "dumb")
        .env("COLUMNS", "100")
        .env("FAKE_KUBECTL_DIR", dir.join("cluster"))
        .env("FAKE_KUBECTL_LOG", dir.join("kubectl.log"))
        .current_dir(dir)
        .args(args);
    c
}

/// Investigate the paste (offline analysis kept in the store with its probe run).
fn prepare(dir: &Path, pb: &str) {
    std::fs::create_dir_all(dir.join("cluster")).expect("dir");
    let mut c = command(
        dir,
        &[
            "investigate",
            "-",
            "--no-input",
            "--namespace",
            "prod",
            "--playbooks",
            pb,
        ],
    );
    let mut child = c
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(PASTE.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_file(dir.join("kubectl.log")).ok();
}

fn audit(dir: &Path) -> Vec<(String, String, String)> {
    let inc = dir.join("data/sentinel/store/incidents");
    let mut out = Vec::new();
    for e in std::fs::read_dir(inc).expect("store").flatten() {
        for l in logged(&e.path().join("audit.jsonl")) {
            let v: serde_json::Value = serde_json::from_str(&l).expect("json");
            let action = v["action"]
                .as_str()
                .unwrap_or("")
                .rsplit('/')
                .next()
                .unwrap_or("")
                .to_string();
            out.push((
                v["event"].as_str().unwrap_or("").to_string(),
                action,
                v["actor"].as_str().unwrap_or("").to_string(),
            ));
        }
    }
    out
}

/// The audit log as `event action actor` lines.
fn events(dir: &Path) -> Vec<String> {
    audit(dir)
        .into_iter()
        .map(|(e, a, who)| format!("{e} {a} {who}"))
        .collect()
}

/// `sentinel mitigate` with the test playbooks, in a pseudo-terminal.
fn spawn(dir: &Path, pb: &str) -> rexpect::session::PtySession {
    rexpect::session::spawn_command(command(dir, &["mitigate", "--playbooks", pb]), Some(20_000))
        .expect("spawn in a pty")
}

fn exit_code(p: &mut rexpect::session::PtySession) -> i32 {
    match p.process.wait().expect("wait") {
        WaitStatus::Exited(_, c) => c,
        other => panic!("not exited: {other:?}"),
    }
}

#[test]
fn approve_skip_edit_quit() {
    let t = tmp();
    let pb = playbooks(t.path());
    prepare(t.path(), &pb);
    let mut p = spawn(t.path(), &pb);
    p.exp_string("Run [1]?").expect("asks about [1]");
    p.send_line("y").expect("send");
    p.exp_string("ran [1]").expect("runs [1]");
    p.exp_string("Run [2]?").expect("asks about [2]");
    p.send_line("s").expect("send");
    p.exp_string("Run [3]?").expect("asks about [3]");
    p.send_line("e").expect("send");
    p.exp_string("edit: kubectl").expect("edit prompt");
    // the initial text is the command: add a flag at its end
    p.send_line(" --to-revision=7").expect("send");
    p.exp_string("Run the edited [3]?").expect("asks again");
    p.send_line("y").expect("send");
    p.exp_string("ran [3]").expect("runs [3]");
    p.exp_string("Run [4]?").expect("asks about [4]");
    p.send_line("q").expect("send");
    p.exp_eof().expect("ends");
    assert_eq!(exit_code(&mut p), 0);

    assert_eq!(
        logged(&t.path().join("kubectl.log")),
        [
            "--context fixture-cluster -n prod scale deployment/payment-svc --replicas=6",
            "--context fixture-cluster -n prod rollout undo deployment/payment-svc --to-revision=7",
        ]
    );
    let ev = events(t.path());
    assert_eq!(
        ev,
        [
            "proposed scale-up sentinel",
            "approved scale-up ops-bob",
            "started scale-up sentinel",
            "ran scale-up sentinel",
            "proposed restart-pods sentinel",
            "skipped restart-pods ops-bob",
            "proposed undo-rollout sentinel",
            "edited undo-rollout ops-bob",
            "approved undo-rollout ops-bob",
            "started undo-rollout sentinel",
            "ran undo-rollout sentinel",
            "proposed pause-rollout sentinel",
            "quit pause-rollout ops-bob",
        ]
    );
}

#[test]
fn end_of_input_at_the_prompt_is_a_no() {
    let t = tmp();
    let pb = playbooks(t.path());
    prepare(t.path(), &pb);
    let mut p = spawn(t.path(), &pb);
    p.exp_string("Run [1]?").expect("asks");
    p.send_control('d').expect("EOF");
    p.exp_string("Run [2]?")
        .expect("[1] was not run; asks about the next");
    // the terminal goes away entirely: every remaining question is a no
    drop(p);
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert!(
        logged(&t.path().join("kubectl.log")).is_empty(),
        "nothing ran: {:?}",
        logged(&t.path().join("kubectl.log"))
    );
    let ev = audit(t.path());
    assert!(
        ev.iter().any(|(e, a, _)| e == "skipped" && a == "scale-up"),
        "{ev:?}"
    );
    assert!(
        !ev.iter().any(|(e, _, _)| e == "approved" || e == "ran"),
        "{ev:?}"
    );
}

#[test]
fn ctrl_c_at_the_prompt_stops_the_session_and_is_recorded() {
    let t = tmp();
    let pb = playbooks(t.path());
    prepare(t.path(), &pb);
    let mut p = spawn(t.path(), &pb);
    p.exp_string("Run [1]?").expect("asks about [1]");
    p.send_control('c').expect("Ctrl-C");
    p.exp_string("interrupted").expect("says so");
    p.exp_eof().expect("ends");
    assert_eq!(exit_code(&mut p), 130);
    assert!(
        logged(&t.path().join("kubectl.log")).is_empty(),
        "nothing ran"
    );
    let ev = events(t.path());
    assert_eq!(
        ev,
        ["proposed scale-up sentinel", "interrupted scale-up ops-bob"]
    );
}

#[test]
fn ctrl_c_while_editing_a_command_stops_the_session_too() {
    let t = tmp();
    let pb = playbooks(t.path());
    prepare(t.path(), &pb);
    let mut p = spawn(t.path(), &pb);
    p.exp_string("Run [1]?").expect("asks about [1]");
    p.send_line("e").expect("send");
    // the edit prompt itself (not the `e=edit` of the question)
    p.exp_string("edit: kubectl").expect("edit prompt");
    p.send_control('c').expect("Ctrl-C");
    p.exp_string("interrupted").expect("says so");
    p.exp_eof().expect("ends");
    assert_eq!(exit_code(&mut p), 130);
    assert!(logged(&t.path().join("kubectl.log")).is_empty());
    let ev = events(t.path());
    assert_eq!(
        ev,
        ["proposed scale-up sentinel", "interrupted scale-up ops-bob"]
    );
}
