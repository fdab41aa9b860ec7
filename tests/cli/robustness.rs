//! Nothing in the input makes it panic: empty input, binary garbage, invalid UTF-8, a single
//! 10 MB line, a 50 MB paste. Each still produces a report.

use crate::util::{sentinel, tmp};
use sentinel::analyze::{Targets, analyze};
use sentinel::playbook::Library;

fn run_bytes(bytes: Vec<u8>) -> serde_json::Value {
    let dir = tmp();
    let out = sentinel(&dir)
        .args(["investigate", "-", "--offline", "--format", "json"])
        .write_stdin(bytes)
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

#[test]
fn empty_input_says_nothing_matched() {
    let v = run_bytes(Vec::new());
    assert_eq!(v["hypotheses"], serde_json::json!([]));
    assert!(
        v["notes"][0]
            .as_str()
            .expect("note")
            .contains("no playbook matched")
    );
    assert_eq!(v["incident"]["severity"], "SEV4");
}

#[test]
fn binary_garbage_and_invalid_utf8() {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let garbage: Vec<u8> = (0..200_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x & 0xff) as u8
        })
        .collect();
    run_bytes(garbage);
    run_bytes(
        b"\xff\xfe too many clients \xc3\x28 active_connections: 500 / 500\n\x00\x01".to_vec(),
    );
}

#[test]
fn one_ten_megabyte_line() {
    let line = "ERROR connection refused 14:02:11 ".repeat(10 * 1024 * 1024 / 34);
    run_bytes(line.into_bytes());
}

#[test]
fn fifty_megabytes() {
    let lib = Library::builtin().expect("playbooks");
    let block = "2026-04-30T00:10:05Z app-7f9c6d5b4-x2x9q INFO GET /api/orders 200 12ms user=42 trace=abc123\n";
    let mut text = String::with_capacity(50 * 1024 * 1024 + 100);
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(block);
    }
    text.push_str("2026-04-30T00:11:00Z FATAL: sorry, too many clients already\n");
    let r = analyze(&text, &Default::default(), &lib, &Targets::default());
    assert!(r.incident.lines.len() > 500_000);
    assert_eq!(
        r.hypotheses.first().map(|h| h.id.as_str()),
        Some("db-connection-pool-exhaustion")
    );
}
