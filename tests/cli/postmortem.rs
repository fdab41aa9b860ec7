//! `sentinel postmortem`: the draft of the seed fixtures (snapshots), what it must fill in,
//! the timeline, and regeneration over a draft a person edited.

use crate::util::{fixture, sentinel, tmp};

const SEEDS: [&str; 3] = [
    "000-checkout-sync-db-call",
    "001-payment-pool-cron",
    "002-purge-lock-restart-loop",
];

fn draft(args: &[&str], seed: &str) -> std::process::Output {
    let t = tmp();
    sentinel(&t)
        .arg("postmortem")
        .args(args)
        .arg(fixture(&format!("{seed}.txt")))
        .output()
        .expect("run")
}

fn stdout(o: &std::process::Output) -> String {
    assert!(
        o.status.success(),
        "exit {:?}: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone()).expect("utf-8")
}

#[test]
fn seed_postmortem_drafts() {
    for seed in SEEDS {
        let md = stdout(&draft(&[], seed));
        let md = md.replace(env!("CARGO_PKG_VERSION"), "[version]");
        insta::assert_snapshot!(format!("postmortem-{seed}"), md);
    }
}

#[test]
fn the_payment_pool_draft_fills_what_the_evidence_gives() {
    let j: serde_json::Value = serde_json::from_str(&stdout(&draft(
        &["--format", "json"],
        "001-payment-pool-cron",
    )))
    .expect("json");
    assert_eq!(j["schema"], "sentinel.postmortem/v1");
    for key in [
        "summary",
        "impact",
        "root_cause",
        "detection",
        "timeline",
        "action_items",
    ] {
        let md = j[key]["markdown"].as_str().unwrap_or_default();
        assert!(!md.is_empty(), "{key} missing");
        assert!(!md.contains("[FILL IN"), "{key}: {md}");
    }
    let rc = j["root_cause"]["markdown"].as_str().unwrap_or_default();
    assert!(rc.contains("connection pool"), "{rc}");
    // the unindexed scan the new job runs is part of the story, not a rival to it: named as a
    // contributing factor, and its fix, on the table and column from the paste, is an item
    let factors = rc.split("Contributing factors:").nth(1).unwrap_or_default();
    assert!(factors.contains("missing index"), "{rc}");
    let items = j["action_items"]["markdown"].as_str().unwrap_or_default();
    assert!(
        items.contains("**P0** Add the index on ledger_entries.status"),
        "{items}"
    );
    let det = j["detection"]["markdown"].as_str().unwrap_or_default();
    assert!(det.contains("Time to detect: 1 min"), "{det}");
    // the first read of the database as healthy, taken back later, is what went poorly
    let poorly = j["went_poorly"]["markdown"].as_str().unwrap_or_default();
    assert!(poorly.contains("DB looks healthy"), "{poorly}");
    // the placeholders that remain are greppable
    let all = j.to_string();
    assert!(
        !all.contains("[FILL IN]"),
        "a bare placeholder says nothing"
    );
}

#[test]
fn a_routine_retention_purge_is_not_called_a_destructive_mistake() {
    let j: serde_json::Value = serde_json::from_str(&stdout(&draft(
        &["--format", "json"],
        "002-purge-lock-restart-loop",
    )))
    .expect("json");
    let rc = j["root_cause"]["markdown"].as_str().unwrap_or_default();
    assert!(rc.contains("lock-holding batch"), "{rc}");
    assert!(!rc.contains("Destructive operator action"), "{rc}");
    // more of the reasons, not one reason's many lines: why the probe killed it is cited
    assert!(rc.contains("/healthz handler needs the same lock"), "{rc}");
    let items = j["action_items"]["markdown"].as_str().unwrap_or_default();
    assert!(!items.contains("second approver"), "{items}");
}

#[test]
fn the_timeline_holds_every_timestamped_line_in_order() {
    let seed = "000-checkout-sync-db-call";
    let j: serde_json::Value =
        serde_json::from_str(&stdout(&draft(&["--format", "json"], seed))).expect("json");
    let tl = j["timeline"]["markdown"].as_str().expect("timeline");
    let text = std::fs::read_to_string(fixture(&format!("{seed}.txt"))).expect("fixture");
    // every line of the paste that starts with a time, or carries a full timestamp
    let stamped = regex::Regex::new(
        r"^(?:\d{2}:\d{2}(?::\d{2})? UTC|[A-Z][a-z]{2} \d{1,2} \d{2}:\d{2}:\d{2})|\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}",
    )
    .expect("re");
    let mut lines = Vec::new();
    for (i, l) in text.lines().enumerate() {
        if stamped.is_match(l) {
            let tag = format!("(line {})", i + 1);
            assert!(tl.contains(&tag), "line {} missing: {l}\n{tl}", i + 1);
            lines.push(i + 1);
        }
    }
    assert!(lines.len() >= 8, "{lines:?}");
    // sorted by time: the clock at the start of each entry never goes back
    let clocks: Vec<String> = tl
        .lines()
        .filter_map(|l| l.strip_prefix("- "))
        .map(|l| l.split(' ').next().unwrap_or("").to_string())
        .collect();
    let mut sorted = clocks.clone();
    sorted.sort();
    assert_eq!(clocks, sorted);
    assert!(tl.contains("```mermaid\ngantt"), "{tl}");
}

#[test]
fn an_incident_that_ended_by_itself_has_no_time_to_mitigate() {
    let t = tmp();
    let paste = t.path().join("backlog.txt");
    std::fs::write(
        &paste,
        "2026-03-01 report queue backlog (all times UTC)\n\
         10:00 consumer lag jumped from 0 to 90000 messages on reports-worker\n\
         10:04 alert ReportsLagHigh firing, paged the on-call\n\
         10:20 on-call: looking, nothing changed yet\n\
         10:52 backlog drained, lag back to normal\n",
    )
    .expect("write");
    let out = sentinel(&t)
        .args(["postmortem", "--format", "json"])
        .arg(&paste)
        .output()
        .expect("run");
    let j: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    let det = j["detection"]["markdown"].as_str().unwrap_or_default();
    assert!(det.contains("Time to detect: 4 min"), "{det}");
    assert!(det.contains("Time to mitigate: none"), "{det}");
    assert!(det.contains("Time to recover: 52 min"), "{det}");
}

#[test]
fn regenerating_keeps_a_persons_edits_and_asks_before_writing() {
    let t = tmp();
    let file = t.path().join("pm.md");
    let paste = t.path().join("incident.txt");
    let text = std::fs::read_to_string(fixture("001-payment-pool-cron.txt")).expect("fixture");
    std::fs::write(&paste, &text).expect("write");
    let run = |extra: &[&str]| {
        sentinel(&t)
            .args(["postmortem", "--no-input", "-o"])
            .arg(&file)
            .args(extra)
            .arg(&paste)
            .output()
            .expect("run")
    };
    // a new file is written without asking
    let first = run(&[]);
    assert_eq!(first.status.code(), Some(0));
    let written = std::fs::read_to_string(&file).expect("written");
    assert!(written.contains("## Root cause"));
    // the person writes in one generated section and adds their own at the end
    let edited = written.replace(
        "## What went poorly\n\n",
        "## What went poorly\n\nThe cron review step was skipped (note from the review).\n",
    ) + "\n## Review meeting\n\nHeld 2026-06-04; attendees: payments, DBA.\n";
    std::fs::write(&file, &edited).expect("edit");
    // same input: nothing to change, the file is left alone
    let same = run(&[]);
    assert_eq!(same.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&same.stderr).contains("up to date"));
    assert_eq!(std::fs::read_to_string(&file).expect("read"), edited);
    // new evidence: a change to write, but no decision can be made under --no-input
    std::fs::write(
        &paste,
        format!("{text}\n14:25 UTC rolled back payment-svc to v2.40\n14:31 UTC error rate back to normal, recovered\n"),
    )
    .expect("write");
    let ask = run(&[]);
    assert_eq!(
        ask.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&ask.stderr)
    );
    assert!(String::from_utf8_lossy(&ask.stderr).contains("--force"));
    assert_eq!(std::fs::read_to_string(&file).expect("read"), edited);
    // the diff is shown on stdout
    let diff = String::from_utf8_lossy(&ask.stdout);
    assert!(diff.contains("@@") && diff.contains("+"), "{diff}");
    // --force writes: the generated sections update, the person's text stays
    let forced = run(&["--force"]);
    assert_eq!(forced.status.code(), Some(0));
    let now = std::fs::read_to_string(&file).expect("read");
    assert!(now.contains("The cron review step was skipped (note from the review)."));
    assert!(now.contains("Held 2026-06-04; attendees: payments, DBA."));
    assert!(now.contains("Time to recover: 29 min"), "{now}");
    assert!(
        String::from_utf8_lossy(&forced.stderr).contains("kept your edit of \"What went poorly\"")
    );
}

#[test]
fn closed_stdin_at_the_prompt_means_no() {
    // without a terminal nothing prompts: the decision is reported, never assumed yes
    let t = tmp();
    let file = t.path().join("pm.md");
    std::fs::write(&file, "# my own notes\n").expect("write");
    let out = sentinel(&t)
        .args(["postmortem", "-o"])
        .arg(&file)
        .arg(fixture("002-purge-lock-restart-loop.txt"))
        .write_stdin("")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(
        std::fs::read_to_string(&file).expect("read"),
        "# my own notes\n"
    );
}

#[test]
fn follow_ups_print_as_a_tracker_checklist_and_as_data() {
    let r: serde_json::Value =
        serde_json::from_slice(&draft(&["--format", "json"], "001-payment-pool-cron").stdout)
            .expect("draft json");
    assert_eq!(r["schema"], "sentinel.postmortem/v1");
    let list = stdout(&draft(&["--follow-ups"], "001-payment-pool-cron"));
    let data: serde_json::Value = serde_json::from_str(&stdout(&draft(
        &["--follow-ups", "--format", "json"],
        "001-payment-pool-cron",
    )))
    .expect("follow-ups json");
    let items = data["follow_ups"].as_array().expect("items");
    assert!(!items.is_empty());
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(
        lines.len(),
        items.len(),
        "one checklist line per item:\n{list}"
    );
    for (l, i) in lines.iter().zip(items) {
        let want = format!(
            "- [ ] **{}** {} — owner: {} ({})",
            i["priority"].as_str().expect("priority"),
            i["title"].as_str().expect("title"),
            i["owner"].as_str().expect("owner"),
            i["kind"].as_str().expect("kind"),
        );
        assert_eq!(*l, want);
        assert!(["P0", "P1", "P2"].contains(&i["priority"].as_str().unwrap_or("")));
        assert!(["prevent", "detect", "mitigate"].contains(&i["kind"].as_str().unwrap_or("")));
    }
    // the same items the draft's action items section holds
    let section = r["action_items"].to_string();
    for i in items {
        assert!(
            section.contains(i["title"].as_str().unwrap_or("?")),
            "{} not in the draft",
            i["title"]
        );
    }
}

#[test]
fn a_written_draft_is_kept_with_its_stored_incident() {
    let t = tmp();
    let out = sentinel(&t)
        .arg("ingest")
        .arg(fixture("001-payment-pool-cron.txt"))
        .output()
        .expect("run");
    let id = stdout(&out).lines().last().unwrap_or("").to_string();
    let file = t.path().join("pm.md");
    let wrote = sentinel(&t)
        .args(["postmortem", "--no-input", &id, "-o"])
        .arg(&file)
        .output()
        .expect("run");
    stdout(&wrote);
    let kept = t
        .path()
        .join("data/sentinel/store/incidents")
        .join(&id)
        .join("postmortem.md");
    assert_eq!(
        std::fs::read_to_string(&kept).expect("kept in the bundle"),
        std::fs::read_to_string(&file).expect("written")
    );
}

#[test]
fn the_root_cause_a_person_writes_in_the_draft_is_kept_with_the_incident() {
    let t = tmp();
    let out = sentinel(&t)
        .arg("ingest")
        .arg(fixture("001-payment-pool-cron.txt"))
        .output()
        .expect("run");
    let id = stdout(&out).lines().last().unwrap_or("").to_string();
    let meta = |t: &tempfile::TempDir| {
        let out = sentinel(t)
            .args(["incidents", "show", &id, "--format", "json"])
            .output()
            .expect("run");
        crate::util::json_out(&out)["meta"].clone()
    };
    assert_eq!(meta(&t)["confirmed"], false);
    let file = t.path().join("pm.md");
    let write = |t: &tempfile::TempDir| {
        sentinel(t)
            .args(["postmortem", "--no-input", "--force", &id, "-o"])
            .arg(&file)
            .output()
            .expect("run")
    };
    stdout(&write(&t));
    // a draft as generated records nothing: the person has not spoken yet
    assert_eq!(meta(&t)["confirmed"], false, "{}", meta(&t));

    // the person rewrites the root cause and the resolution
    let md = std::fs::read_to_string(&file).expect("draft");
    let edited = rewrite(
        &rewrite(
            &md,
            "resolution",
            "## Resolution and mitigation\n\n- 14:20 killed the settlement cron's sessions\n- 14:31 rolled back to v2.40\n",
        ),
        "root_cause",
        "## Root cause\n\nThe **settlement-sync** cron of v2.41 opened a connection per row and never returned them.\n",
    );
    std::fs::write(&file, &edited).expect("edit");
    let out = write(&t);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("kept your root cause and resolution with"),
        "{said}"
    );
    let m = meta(&t);
    assert_eq!(m["confirmed"], true, "{m}");
    assert_eq!(m["confirmed_by"], "person", "{m}");
    assert_eq!(
        m["root_cause"],
        "The settlement-sync cron of v2.41 opened a connection per row and never returned them.",
        "{m}"
    );
    assert_eq!(
        m["resolution"], "14:20 killed the settlement cron's sessions; 14:31 rolled back to v2.40",
        "{m}"
    );
    // the person's words stay in the file as written
    let after = std::fs::read_to_string(&file).expect("draft");
    assert!(after.contains("The **settlement-sync** cron of v2.41"));
}

/// A draft with the body of section `key` (between its markers) replaced, as a person would.
fn rewrite(md: &str, key: &str, body: &str) -> String {
    let start = md
        .find(&format!("<!-- sentinel:begin {key} "))
        .unwrap_or_else(|| panic!("no {key}"));
    let from = md[start..].find('\n').expect("line") + start + 1;
    let to = md[start..]
        .find(&format!("<!-- sentinel:end {key} -->"))
        .expect("end")
        + start;
    format!("{}{body}{}", &md[..from], &md[to..])
}
