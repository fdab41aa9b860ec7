//! Snapshots of the rendered table and markdown reports of the seed fixtures, and of the
//! top-level help. Review changes with `cargo insta review`; under CI=true a mismatch fails.

use crate::util::{fixture, sentinel, tmp};

fn render(args: &[&str], file: Option<&str>) -> String {
    let dir = tmp();
    let mut cmd = sentinel(&dir);
    cmd.args(args);
    if let Some(f) = file {
        cmd.arg(fixture(f));
    }
    let out = cmd.output().expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

#[test]
fn seed_table_reports() {
    for seed in [
        "000-checkout-sync-db-call",
        "001-payment-pool-cron",
        "002-purge-lock-restart-loop",
    ] {
        let s = render(&["investigate", "--offline"], Some(&format!("{seed}.txt")));
        insta::assert_snapshot!(format!("table-{seed}"), s);
    }
}

#[test]
fn seed_markdown_reports() {
    for seed in [
        "000-checkout-sync-db-call",
        "001-payment-pool-cron",
        "002-purge-lock-restart-loop",
    ] {
        let s = render(
            &["investigate", "--offline", "--format", "markdown"],
            Some(&format!("{seed}.txt")),
        );
        insta::assert_snapshot!(format!("markdown-{seed}"), s);
    }
}

#[test]
fn help_texts() {
    insta::assert_snapshot!("help", render(&["--help"], None));
    for sub in ["investigate", "checklist", "playbook"] {
        insta::assert_snapshot!(format!("help-{sub}"), render(&[sub, "--help"], None));
    }
}
