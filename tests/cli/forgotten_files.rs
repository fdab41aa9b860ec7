//! Every `tests/cli/*.rs` must be declared in `main.rs`; every playbook file must be embedded.

use crate::util::root;

#[test]
fn every_test_file_is_declared() {
    let main = std::fs::read_to_string(root().join("tests/cli/main.rs")).expect("main.rs");
    for e in std::fs::read_dir(root().join("tests/cli")).expect("dir") {
        let p = e.expect("entry").path();
        let Some(stem) = p.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if p.extension().is_some_and(|x| x == "rs") && stem != "main" {
            assert!(
                main.contains(&format!("mod {stem};")),
                "tests/cli/{stem}.rs is not declared in tests/cli/main.rs"
            );
        }
    }
}

#[test]
fn every_playbook_is_embedded() {
    let names: Vec<&str> = sentinel::playbook::embedded::FILES
        .iter()
        .map(|(n, _)| *n)
        .collect();
    for e in std::fs::read_dir(root().join("playbooks")).expect("dir") {
        let p = e.expect("entry").path();
        if p.extension().is_some_and(|x| x == "yaml") {
            let n = p.file_name().and_then(|s| s.to_str()).expect("name");
            assert!(
                names.contains(&n),
                "playbooks/{n} is not embedded: run .ci/gen-embedded.sh"
            );
        }
    }
}
