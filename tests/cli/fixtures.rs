//! The fixture incidents: each ranks its expected mechanism first; deleting its decisive cause
//! lines drops it from first place, deleting its symptom lines does not; output is deterministic.

use crate::util::{fixtures, investigate_json};
use sentinel::analyze::{Targets, analyze};
use sentinel::playbook::Library;

fn top_ids(lib: &Library, text: &str) -> Vec<String> {
    let r = analyze(text, &Default::default(), lib, &Targets::default());
    r.hypotheses.iter().map(|h| h.id.clone()).collect()
}

fn lines_of(exp: &yaml_serde::Value, key: &str) -> Vec<usize> {
    exp[key]
        .as_sequence()
        .map(|s| {
            s.iter()
                .filter_map(|v| v.as_u64())
                .map(|v| v as usize)
                .collect()
        })
        .unwrap_or_default()
}

fn gap(exp: &yaml_serde::Value, check: &str) -> bool {
    exp["known_gaps"]
        .as_sequence()
        .is_some_and(|s| s.iter().any(|v| v.as_str() == Some(check)))
}

/// A check either passes, or fails and is listed as a known gap; a listed gap that passes is an
/// error too (remove it from the expect file).
fn judge(
    failures: &mut Vec<String>,
    name: &str,
    exp: &yaml_serde::Value,
    check: &str,
    passed: bool,
    detail: String,
) {
    match (passed, gap(exp, check)) {
        (true, true) => failures.push(format!(
            "{name}: {check} now passes; remove it from known_gaps"
        )),
        (false, false) => failures.push(format!("{name}: {detail}")),
        _ => {}
    }
}

fn without(text: &str, drop: &[usize]) -> String {
    text.lines()
        .enumerate()
        .filter(|(i, _)| !drop.contains(&(i + 1)))
        .map(|(_, l)| l)
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn each_fixture_ranks_its_mechanism_first() {
    let lib = Library::builtin().expect("playbooks");
    let mut failures = Vec::new();
    let all = fixtures();
    assert!(all.len() >= 18, "only {} fixtures", all.len());
    for (name, text, exp) in &all {
        let want = exp["top1"].as_str().expect("top1");
        assert!(
            lib.get(want).is_some(),
            "{name}: expected playbook {want} does not exist"
        );
        let got = top_ids(&lib, text);
        let ok = got.first().map(String::as_str) == Some(want);
        let detail = format!("expected {want}, got {:?}", &got[..got.len().min(3)]);
        judge(&mut failures, name, exp, "top1", ok, detail);
    }
    let gaps = all.iter().filter(|(_, _, e)| gap(e, "top1")).count();
    assert!(gaps <= 2, "{gaps} fixtures are known top-1 gaps");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn cause_over_symptom() {
    let lib = Library::builtin().expect("playbooks");
    let mut failures = Vec::new();
    let mut cause_gaps = 0;
    for (name, text, exp) in fixtures() {
        let want = exp["top1"].as_str().expect("top1");
        let cause = lines_of(&exp, "cause_lines");
        let symptom = lines_of(&exp, "symptom_lines");
        assert!(!cause.is_empty(), "{name}: no cause_lines");
        cause_gaps += usize::from(gap(&exp, "cause_deletion"));
        let got = top_ids(&lib, &without(&text, &cause));
        let ok = got.first().map(String::as_str) != Some(want);
        let detail = format!("still {want} first without its cause lines {cause:?}");
        judge(&mut failures, &name, &exp, "cause_deletion", ok, detail);
        if !symptom.is_empty() {
            let got = top_ids(&lib, &without(&text, &symptom));
            let ok = got.first().map(String::as_str) == Some(want);
            let detail = format!(
                "lost first place without symptom lines {symptom:?}: {:?}",
                &got[..got.len().min(3)]
            );
            judge(&mut failures, &name, &exp, "symptom_deletion", ok, detail);
        }
    }
    assert_eq!(cause_gaps, 0, "cause deletion is never a known gap");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn triggers_are_linked() {
    let lib = Library::builtin().expect("playbooks");
    let mut failures = Vec::new();
    for (name, text, exp) in fixtures() {
        let Some(want) = exp.get("trigger").and_then(|t| t.as_str()) else {
            continue;
        };
        assert!(
            !(name.starts_with("00") && gap(&exp, "trigger")),
            "{name}: a seed's trigger is never a known gap"
        );
        let r = analyze(&text, &Default::default(), &lib, &Targets::default());
        let got = r
            .hypotheses
            .first()
            .and_then(|h| h.trigger.clone())
            .unwrap_or_default();
        let detail = format!("trigger {got:?} does not name {want:?}");
        judge(
            &mut failures,
            &name,
            &exp,
            "trigger",
            got.contains(want),
            detail,
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn seed_reports() {
    let f = |n: &str| std::fs::read_to_string(crate::util::fixture(n)).expect("fixture");
    let v = investigate_json(&f("001-payment-pool-cron.txt"));
    let h = &v["hypotheses"][0];
    assert_eq!(h["id"], "db-connection-pool-exhaustion");
    let trig = h["trigger"].as_str().expect("trigger");
    assert!(trig.contains("v2.41") && trig.contains("cron"), "{trig}");
    assert!(trig.contains("before onset"), "{trig}");
    assert_eq!(v["incident"]["severity"], "SEV2");
    let v = investigate_json(&f("000-checkout-sync-db-call.txt"));
    let h = &v["hypotheses"][0];
    assert_eq!(h["id"], "worker-pool-starvation-sync-call");
    assert!(h["trigger"].as_str().expect("trigger").contains("v2.4.1"));
    let v = investigate_json(&f("002-purge-lock-restart-loop.txt"));
    assert_eq!(v["hypotheses"][0]["id"], "db-lock-holding-batch");
}

#[test]
fn same_paste_gives_byte_identical_json() {
    let text = std::fs::read_to_string(crate::util::fixture("001-payment-pool-cron.txt"))
        .expect("fixture");
    let a = investigate_json(&text);
    let b = investigate_json(&text);
    assert_eq!(
        serde_json::to_string(&a).expect("a"),
        serde_json::to_string(&b).expect("b")
    );
}
