//! Test helpers: a `sentinel` command with a clean environment and a fixed width.

use assert_cmd::Command;
use std::path::PathBuf;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A `sentinel` command with no inherited configuration.
pub fn sentinel(dir: &tempfile::TempDir) -> Command {
    let mut c = Command::cargo_bin("sentinel").expect("binary built");
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir.path())
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .current_dir(dir.path());
    c
}

/// A fresh temp dir.
pub fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// A fixture incident's path.
pub fn fixture(name: &str) -> PathBuf {
    root().join("fixtures/incidents").join(name)
}

/// All fixture incidents: (stem, text, expect yaml).
pub fn fixtures() -> Vec<(String, String, yaml_serde::Value)> {
    let dir = root().join("fixtures/incidents");
    let mut out = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures dir")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .collect();
    names.sort();
    for p in names {
        if p.extension().is_some_and(|e| e == "txt") {
            let stem = p.file_stem().expect("stem").to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&p).expect("read fixture");
            let exp_path = dir.join(format!("{stem}.expect.yaml"));
            let exp: yaml_serde::Value =
                yaml_serde::from_str(&std::fs::read_to_string(&exp_path).expect("expect file"))
                    .expect("expect yaml");
            out.push((stem, text, exp));
        }
    }
    out
}

/// Run investigate --offline --format json on text and parse the output.
pub fn investigate_json(text: &str) -> serde_json::Value {
    let dir = tmp();
    let out = sentinel(&dir)
        .args(["investigate", "-", "--offline", "--format", "json"])
        .write_stdin(text.to_string())
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json output")
}

/// PATH with the fake tools (tests/fake: kubectl, ssh) first.
pub fn fake_path() -> std::ffi::OsString {
    let mut paths = vec![root().join("tests/fake")];
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(paths).expect("PATH")
}

/// A run's stdout as JSON, or a panic that shows both streams.
pub fn json_out(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// The lines a fake tool logged (none when it never ran).
pub fn logged(path: &std::path::Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect()
}

/// The top hypothesis' id.
pub fn top(r: &serde_json::Value) -> &str {
    r["hypotheses"][0]["id"].as_str().unwrap_or("")
}
