//! The shipped playbooks: they load, lint clean, pass their own examples, and stay read-only.

use crate::util::{sentinel, tmp};
use sentinel::playbook::{Library, selftest};

#[test]
fn builtin_playbooks_load_and_pass_their_examples() {
    let lib = Library::builtin().expect("builtin playbooks load");
    assert!(
        lib.playbooks.len() >= 40,
        "only {} playbooks",
        lib.playbooks.len()
    );
    let outcomes = selftest::run(&lib, &[], &Default::default());
    let failed: Vec<String> = outcomes
        .iter()
        .filter(|o| !o.passed)
        .map(|o| {
            format!(
                "{} / {}: expected {:?}, ranked {:?}, top {:?}",
                o.playbook, o.example, o.expect, o.rank, o.top
            )
        })
        .collect();
    assert!(
        failed.is_empty(),
        "{} failing examples:\n{}",
        failed.len(),
        failed.join("\n")
    );
    for pb in &lib.playbooks {
        let n_top = pb
            .spec
            .examples
            .iter()
            .filter(|e| e.expect != sentinel::playbook::schema::Expect::NotTop3)
            .count();
        assert!(n_top >= 1, "{} has no positive example", pb.spec.id);
        assert!(
            !pb.spec.mitigations.is_empty(),
            "{} has no mitigation",
            pb.spec.id
        );
        assert!(!pb.spec.probes.is_empty(), "{} has no probe", pb.spec.id);
    }
}

#[test]
fn lint_reports_file_line_column_and_fails() {
    let dir = tmp();
    let pb = dir.path().join("bad");
    std::fs::create_dir(&pb).expect("mkdir");
    std::fs::write(
        pb.join("x.yaml"),
        "id: bad-one\ntitle: A bad one\nsummary: s\ncategory: database\nsignals:\n  - id: s1\n    describe: d\n    any: ['(unclosed']\n    weight: 2\nprobes:\n  - id: p\n    kind: kubectl\n    argv: [kubectl, delete, pod, x]\n    why: w\n    expected: e\n",
    )
    .expect("write");
    std::fs::write(
        pb.join("y.yaml"),
        "id: other\ntitle: t\nsummary: s\ncategory: database\nsignals: []\nbogus_key: 1\n",
    )
    .expect("write");
    let out = sentinel(&dir)
        .args(["playbook", "lint"])
        .arg(&pb)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("x.yaml:8:"), "{stdout}");
    assert!(stdout.contains("bad regex"), "{stdout}");
    assert!(
        stdout.contains("y.yaml:6:1: unknown field `bogus_key`"),
        "{stdout}"
    );
}

#[test]
fn lint_refuses_mutating_probes_and_bad_weights() {
    let dir = tmp();
    let pb = dir.path().join("p");
    std::fs::create_dir(&pb).expect("mkdir");
    std::fs::write(
        pb.join("m.yaml"),
        "id: mut\ntitle: t\nsummary: s\ncategory: database\nsignals:\n  - id: s1\n    describe: d\n    any: ['x']\n    weight: 2\nprobes:\n  - id: p\n    kind: kubectl\n    argv: [kubectl, rollout, undo, deployment/x]\n    why: w\n    expected: e\n  - id: q\n    kind: sql\n    query: SELECT pg_terminate_backend(1)\n    why: w\n    expected: e\n",
    )
    .expect("write");
    std::fs::write(pb.join("w.yaml"), "id: w\ntitle: t\nsummary: s\ncategory: database\nsignals:\n  - id: s1\n    describe: d\n    any: ['x']\n    weight: 50\n").expect("write");
    let out = sentinel(&dir)
        .args(["playbook", "lint"])
        .arg(&pb)
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("not read-only"), "{stdout}");
    assert!(stdout.contains("pg_terminate_backend"), "{stdout}");
    assert!(stdout.contains("weight 50 is outside"), "{stdout}");
}

#[test]
fn custom_playbook_overrides_builtin_and_is_listed_as_custom() {
    let dir = tmp();
    let pb = dir.path().join("mine");
    std::fs::create_dir(&pb).expect("mkdir");
    std::fs::write(
        pb.join("disk.yaml"),
        "id: disk-full\ntitle: Our own disk full\nsummary: s\ncategory: storage\nsignals:\n  - id: s1\n    describe: d\n    any: ['no space left']\n    weight: 3\n    decisive: true\nmitigations:\n  - id: m\n    title: clean\n    command: df -h\n    risk: none\n    rollback: none\nexamples:\n  - name: e\n    expect: top1\n    text: 'write failed: No space left on device'\n",
    )
    .expect("write");
    let out = sentinel(&dir)
        .arg("--playbooks")
        .arg(&pb)
        .args(["playbook", "list", "--format", "json"])
        .output()
        .expect("run");
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let disk = v["playbooks"]
        .as_array()
        .expect("list")
        .iter()
        .find(|p| p["id"] == "disk-full")
        .expect("disk-full listed");
    assert_eq!(disk["source"], "custom");
    assert_eq!(disk["title"], "Our own disk full");
    let out = sentinel(&dir)
        .arg("--playbooks")
        .arg(&pb)
        .args(["playbook", "test"])
        .arg(&pb)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 passed, 0 failed"));
}
