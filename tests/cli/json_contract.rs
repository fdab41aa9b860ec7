//! `sentinel.report/v1`: every field DESIGN.md names is present with the right type.

use crate::util::{fixture, investigate_json};

fn has(v: &serde_json::Value, path: &str, f: fn(&serde_json::Value) -> bool) {
    let mut cur = v;
    for k in path.split('.') {
        cur = &cur[k];
    }
    assert!(f(cur), "field {path} missing or wrong type: {cur}");
}

#[test]
fn report_has_every_contract_field() {
    let text = std::fs::read_to_string(fixture("001-payment-pool-cron.txt")).expect("fixture");
    let v = investigate_json(&text);
    let s = |v: &serde_json::Value| v.is_string();
    let a = |v: &serde_json::Value| v.is_array();
    let sn = |v: &serde_json::Value| v.is_string() || v.is_null();
    assert_eq!(v["schema"], "sentinel.report/v1");
    for p in [
        "incident.id",
        "incident.title",
        "incident.severity",
        "incident.severity_reasoning",
        "summary",
        "impact",
    ] {
        has(&v, p, s);
    }
    has(&v, "incident.service", sn);
    has(&v, "incident.started_at", sn);
    has(&v, "incident.signals", a);
    has(&v, "incident.timeline", a);
    for p in ["hypotheses", "checklist", "follow_ups", "similar"] {
        has(&v, p, a);
    }
    let t = &v["incident"]["timeline"][0];
    for k in ["at", "text"] {
        assert!(t[k].is_string(), "timeline.{k}");
    }
    assert!(t["line"].is_u64() && (t["actor"].is_string() || t["actor"].is_null()));
    let h = &v["hypotheses"][0];
    for k in ["id", "title", "summary", "confidence", "status"] {
        assert!(h[k].is_string(), "hypothesis.{k}");
    }
    assert!(["high", "medium", "low"].contains(&h["confidence"].as_str().expect("c")));
    assert_eq!(h["status"], "unconfirmed");
    assert!(h["score"].is_f64());
    assert!(h["trigger"].is_string() || h["trigger"].is_null());
    let e = &h["evidence"][0];
    assert_eq!(e["source"], "context");
    assert!(e["text"].is_string() && e["line"].is_u64() && e["weight"].is_number());
    assert!(h["counter_evidence"].is_array());
    let m = &h["mitigations"][0];
    for k in ["id", "title", "command", "risk", "rollback"] {
        assert!(m[k].is_string(), "mitigation.{k}");
    }
    let c = &v["checklist"][0];
    for k in ["id", "kind", "command", "why", "expected", "status"] {
        assert!(c[k].is_string(), "checklist.{k}");
    }
    assert!(["kubectl", "sql", "log", "http", "host"].contains(&c["kind"].as_str().expect("kind")));
    assert_eq!(c["findings"], serde_json::json!([]));
    let f = &v["follow_ups"][0];
    for k in ["title", "priority", "owner", "kind"] {
        assert!(f[k].is_string(), "follow_up.{k}");
    }
    assert_eq!(v["similar"], serde_json::json!([]));
}

#[test]
fn titles_name_mechanisms_and_scores_order() {
    let text =
        std::fs::read_to_string(fixture("002-purge-lock-restart-loop.txt")).expect("fixture");
    let v = investigate_json(&text);
    let hs = v["hypotheses"].as_array().expect("list");
    for w in hs.windows(2) {
        assert!(w[0]["score"].as_f64() >= w[1]["score"].as_f64());
    }
    for h in hs {
        let t = h["title"].as_str().expect("t").to_lowercase();
        assert!(
            !t.starts_with("pods restarting") && !t.starts_with("high latency"),
            "{t}"
        );
    }
}
