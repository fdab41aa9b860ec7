//! The command-line contract: exit codes, help with examples, global flags anywhere, stdin,
//! notes on stderr, completions kept current, credentials masked in every format, injection refused.

use crate::util::{fixture, root, sentinel, tmp};

#[test]
fn no_arguments_prints_help_and_exits_2() {
    let dir = tmp();
    let out = sentinel(&dir).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Usage: sentinel"));
}

#[test]
fn every_subcommand_help_shows_an_example() {
    let dir = tmp();
    for sub in [
        "investigate",
        "checklist",
        "mitigate",
        "postmortem",
        "similar",
        "ingest",
        "incidents",
        "store",
        "playbook",
        "completions",
        "man",
    ] {
        let out = sentinel(&dir).args([sub, "--help"]).output().expect("run");
        assert!(out.status.success(), "{sub} --help");
        let s = String::from_utf8_lossy(&out.stdout);
        assert!(
            s.contains("Examples:") && s.contains("sentinel "),
            "{sub} --help has no example:\n{s}"
        );
    }
}

#[test]
fn clap_definition_is_consistent() {
    use clap::CommandFactory;
    sentinel::cli::Cli::command().debug_assert();
}

#[test]
fn usage_error_is_exit_2_and_unknown_input_exit_1_with_hint() {
    let dir = tmp();
    let out = sentinel(&dir)
        .args(["investigate", "--bogus"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let out = sentinel(&dir)
        .args(["investigate", "no-such-incident", "--offline"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("error: no file or stored incident named `no-such-incident`"),
        "{err}"
    );
    assert!(err.contains("\nhint: "), "{err}");
    let out = sentinel(&dir)
        .args(["--tz", "Mars/Olympus", "investigate", "-"])
        .write_stdin("x")
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn mitigate_without_a_store_says_what_to_run_first() {
    let dir = tmp();
    let out = sentinel(&dir)
        .args(["mitigate", "x", "--dry-run"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("error: there is no incident store yet"),
        "{err}"
    );
    assert!(err.contains("sentinel investigate FILE"), "{err}");
}

#[test]
fn global_flags_work_after_the_subcommand_and_stdin_is_read() {
    let dir = tmp();
    let text = std::fs::read_to_string(fixture("001-payment-pool-cron.txt")).expect("fixture");
    let out = sentinel(&dir)
        .args(["investigate", "-", "--format", "json", "--offline"])
        .write_stdin(text.clone())
        .output()
        .expect("run");
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["schema"], "sentinel.report/v1");
    let out = sentinel(&dir)
        .args(["--format", "json", "investigate", "-", "--offline"])
        .write_stdin(text)
        .output()
        .expect("run");
    assert!(out.status.success());
}

#[test]
fn without_offline_probes_are_tried_and_stdout_is_only_the_report() {
    let dir = tmp();
    // no kubectl, no ssh: every probe is skipped with its reason, and the report still comes
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).expect("dir");
    let out = sentinel(&dir)
        .env("PATH", &bin)
        .args(["investigate", "--format", "json", "--namespace", "payments"])
        .arg(fixture("001-payment-pool-cron.txt"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is only JSON");
    assert_eq!(v["probes"]["namespace"], "payments");
    assert!(
        v["notes"].to_string().contains("probes: 0 ok"),
        "{}",
        v["notes"]
    );
    let list = v["checklist"].as_array().expect("list");
    assert!(list.iter().any(|c| c["id"] == "k8s/pods"));
    for c in list {
        assert_eq!(c["status"], "skipped", "{c}");
        assert!(c["reason"].as_str().is_some_and(|r| !r.is_empty()), "{c}");
    }
}

#[test]
fn table_and_markdown_reports_render_the_parts() {
    let dir = tmp();
    let out = sentinel(&dir)
        .args(["investigate", "--offline"])
        .arg(fixture("001-payment-pool-cron.txt"))
        .output()
        .expect("run");
    let s = String::from_utf8_lossy(&out.stdout);
    for part in [
        "Summary:",
        "Severity: SEV",
        "Impact:",
        "Hypotheses",
        "Database connection pool",
        "Checklist",
        "Follow-ups",
        "rollback",
    ] {
        assert!(s.contains(part), "table lacks {part}:\n{s}");
    }
    assert!(
        !s.contains('\x1b'),
        "no colour when NO_COLOR is set and stdout is a pipe"
    );
    let out = sentinel(&dir)
        .args(["investigate", "--offline", "--format", "markdown"])
        .arg(fixture("001-payment-pool-cron.txt"))
        .output()
        .expect("run");
    let s = String::from_utf8_lossy(&out.stdout);
    for part in [
        "# ",
        "## Summary",
        "## Root-cause hypotheses",
        "## Investigation checklist",
        "| Mitigation |",
        "## Follow-ups",
        "## Timeline",
    ] {
        assert!(s.contains(part), "markdown lacks {part}:\n{s}");
    }
}

#[test]
fn checklist_fills_names_from_the_paste_and_flags() {
    let dir = tmp();
    let out = sentinel(&dir)
        .args(["checklist", "--format", "json", "--namespace", "payments"])
        .arg(fixture("001-payment-pool-cron.txt"))
        .output()
        .expect("run");
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let cmds: Vec<String> = v["checklist"]
        .as_array()
        .expect("list")
        .iter()
        .map(|c| c["command"].as_str().expect("cmd").to_string())
        .collect();
    assert!(cmds.iter().any(|c| c.contains("-n payments")), "{cmds:?}");
    assert!(cmds.iter().any(|c| c.contains("payment-svc")), "{cmds:?}");
}

#[test]
fn checklist_says_what_can_run_here() {
    let dir = tmp();
    let reasons = |extra: &[&str]| -> Vec<(String, String)> {
        let out = sentinel(&dir)
            .args(["checklist", "--format", "json", "--namespace", "payments"])
            .args(extra)
            .arg(fixture("001-payment-pool-cron.txt"))
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        v["checklist"]
            .as_array()
            .expect("list")
            .iter()
            .map(|c| {
                (
                    c["kind"].as_str().unwrap_or("").to_string(),
                    c["reason"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect()
    };
    let of = |r: &[(String, String)], kind: &str| -> Vec<String> {
        r.iter()
            .filter(|(k, _)| k == kind)
            .map(|(_, why)| why.clone())
            .collect()
    };
    let bare = reasons(&[]);
    assert!(
        of(&bare, "sql").iter().all(|w| w.starts_with("needs --pg")),
        "{bare:?}"
    );
    assert!(
        of(&bare, "log").iter().all(|w| w == "needs --logs PATH"),
        "{bare:?}"
    );
    assert!(!of(&bare, "sql").is_empty() && !of(&bare, "log").is_empty());
    let logs = dir.path().join("app.log");
    std::fs::write(&logs, "x\n").expect("write");
    let given = reasons(&[
        "--pg",
        "postgres://ro@db/pay",
        "--logs",
        logs.to_str().expect("path"),
    ]);
    assert!(
        of(&given, "sql").iter().all(|w| w == "can run: --pg given"),
        "{given:?}"
    );
    assert!(
        of(&given, "log")
            .iter()
            .all(|w| w == "can run: 1 of 1 --logs path(s) exist"),
        "{given:?}"
    );
}

#[test]
fn injected_names_never_reach_a_command() {
    let dir = tmp();
    let paste = "service: pay$(touch /tmp/pwned)\nnamespace: prod;rm -rf /\nFATAL: sorry, too many clients already\nactive_connections: 500 / 500\n14:00 deploy payment-svc`id` v2.41 shipped\n";
    let out = sentinel(&dir)
        .args(["investigate", "-", "--offline", "--format", "json"])
        .write_stdin(paste)
        .output()
        .expect("run");
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let all = format!("{}{}", v["checklist"], v["hypotheses"][0]["mitigations"]);
    for bad in ["$(touch", "rm -rf /", "`id`", ";rm"] {
        assert!(!all.contains(bad), "{bad} reached a command: {all}");
    }
}

#[test]
fn credentials_are_masked_in_every_format() {
    let dir = tmp();
    let secrets = [
        "postgres://app:Sup3rSecretPw@db-1:5432/pay",
        "password=hunter2hunter2",
        "token=tok_live_abcdef123456",
        "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlX3g",
        "AKIAIOSFODNN7EXAMPLE",
        "Authorization: Basic dXNlcjpwYXNzd29yZDEyMw==",
    ];
    let values = [
        "Sup3rSecretPw",
        "hunter2hunter2",
        "tok_live_abcdef123456",
        "eyJzdWIiOiJ4In0",
        "AKIAIOSFODNN7EXAMPLE",
        "dXNlcjpwYXNzd29yZDEyMw==",
    ];
    let mut paste =
        String::from("14:02 UTC FATAL: sorry, too many clients already (too many clients)\n");
    for s in secrets {
        paste.push_str(&format!(
            "14:03 connecting with {s} failed: too many clients\n"
        ));
    }
    paste.push_str("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n");
    for fmt in ["table", "json", "markdown"] {
        let out = sentinel(&dir)
            .args(["investigate", "-", "--offline", "-v", "--format", fmt])
            .write_stdin(paste.clone())
            .output()
            .expect("run");
        assert!(out.status.success());
        let s = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        for v in values
            .iter()
            .chain(["MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"].iter())
        {
            assert!(!s.contains(v), "{fmt}: {v} leaked");
        }
    }
}

#[test]
fn completions_are_current() {
    for (shell, file) in [
        (clap_complete::Shell::Bash, "sentinel.bash"),
        (clap_complete::Shell::Zsh, "_sentinel"),
        (clap_complete::Shell::Fish, "sentinel.fish"),
        (clap_complete::Shell::PowerShell, "_sentinel.ps1"),
        (clap_complete::Shell::Elvish, "sentinel.elv"),
    ] {
        let want = sentinel::commands::completions::script(shell);
        let path = root().join("completions").join(file);
        let have = std::fs::read(&path).unwrap_or_default();
        assert!(
            have == want,
            "completions/{file} is stale: run `cargo run -q -- completions {shell} > completions/{file}`"
        );
    }
}

#[test]
fn man_page_renders() {
    let dir = tmp();
    let out = sentinel(&dir).arg("man").output().expect("run");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains(".TH sentinel"));
}
