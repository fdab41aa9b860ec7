//! The postmortem draft: a blameless write-up built from the report, the probe run and (once
//! mitigations run) the audit trail, in markdown whose generated sections are delimited by
//! HTML comments that carry a hash of what was generated. Regenerating over a draft keeps every
//! section a person edited (its text no longer matches its hash) and everything written outside
//! the markers, and replaces only the sections still as generated. Pure: no I/O, no printing.

use crate::analyze::Report;
use crate::ingest::time::{Moment, short};
use crate::model::{Status, TimelineEntry};
use regex::Regex;
use serde::Serialize;
use std::sync::LazyLock;

/// The schema of `postmortem --format json`.
pub const SCHEMA: &str = "sentinel.postmortem/v1";

/// The greppable mark of what only a person can write.
pub const FILL_IN: &str = "[FILL IN";

/// One section of the draft.
#[derive(Clone, Debug, Serialize)]
pub struct Section {
    /// Its key (`summary`, `root_cause`, …): stable, used in the markers and the JSON.
    #[serde(skip)]
    pub key: &'static str,
    /// Its heading.
    pub title: String,
    /// Its markdown body.
    pub markdown: String,
    /// Filled from evidence (false: a placeholder for a person).
    pub filled: bool,
}

/// The draft: its sections in order.
#[derive(Clone, Debug)]
pub struct Draft {
    /// The sections.
    pub sections: Vec<Section>,
}

/// The phases of the incident, from its timeline.
#[derive(Clone, Debug, Default)]
pub struct Phases {
    /// The change that set it off.
    pub trigger: Option<(Moment, String)>,
    /// The first symptom.
    pub onset: Option<Moment>,
    /// The first alert, page or human notice.
    pub detected: Option<(Moment, String)>,
    /// The action after which the signal recovered.
    pub mitigated: Option<(Moment, String)>,
    /// Back to normal.
    pub recovered: Option<(Moment, String)>,
}

static DETECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:alert(?:ed|s|ing)?|pag(?:ed|er|e|ing)|firing|fired|noticed|reports?|reported|detected|escalated|on-?call|ticket|complain(?:ed|ts?)?)\b").expect("valid")
});
static MITIGATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:roll(?:ed|ing)?[ -]?back|revert(?:ed|ing)?|restart(?:ed|ing)|killed|terminat(?:ed|ing)|sigterm(?:ed)?|scaled (?:up|out|down)|fail(?:ed)? ?over|disabled|turned off|flag(?:ged)? off|cordon(?:ed)?|raised|increased|bumped|patched|hotfix(?:ed)?|blocked|rate-?limited|shed|paused|suspended|stopped the|purged|freed|cleared)\b").expect("valid")
});
static RECOVER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:recover(?:ed|y|s)|resolved|back to (?:normal|baseline)|returned to (?:normal|baseline)|all clear|stabili[sz]ed|healthy again|normal again|subsided|drained|caught up|cleared up)\b").expect("valid")
});
/// Lines where monitoring noticed: an alert or a page.
static ALERTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:alert(?:ed|s|ing)?|alertmanager|pag(?:ed|er|e|ing)|pagerduty|opsgenie|firing|fired|alarm(?:ed|s)?)\b").expect("valid")
});
/// Lines where people noticed: customers, users, support, a ticket.
static REPORTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:customers?|users?|support|tickets?|complain(?:ed|ts?)?|reported|reports?)\b",
    )
    .expect("valid")
});
/// Lines that say a page went unanswered.
static UNACKED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:no ack\w*|not ack\w*|unack\w*|without (?:an )?ack\w*|never ack\w*|escalated to)\b").expect("valid")
});
/// Lines where someone takes the page or starts on the incident.
static ACKED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)\b(?:ack(?:ed|'d|nowledged)?|took|taking|take) (?:the )?(?:page|alert|incident)\b",
        r"|\bpage (?:was )?(?:acked|acknowledged|taken)\b",
        r"|\b(?:i'?m|i am|we'?re|we are) (?:on it|looking|investigating|taking (?:it|this))\b",
        // `kim: acked` / `09:04 kim: on it`, a person's own words
        r"|^\W*(?:[0-9:.tz+-]+(?:\s*utc)?\s+)?@?[a-z][\w.-]{1,20}:\s*(?:ack(?:ed|'d)?|on it|looking|investigating|taking (?:it|this))\b",
    ))
    .expect("valid")
});
/// Lines that say a first read was wrong.
static MISREAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:mis-?diagnos\w*|wrong(?:ly)?|red herring|ruled out|turned out|not the cause|false lead|assumed|it'?s just|initially|at first|tak(?:e|ing) (?:that|it) back|scratch that|correction|never ?mind)\b").expect("valid")
});

/// The phases of an incident, from its report.
pub fn phases(r: &Report) -> Phases {
    let inc = &r.incident;
    let onset = inc.onset.and_then(|(m, _)| m);
    let mut p = Phases {
        onset,
        ..Phases::default()
    };
    let at_or_after = |m: &Moment, from: Option<&Moment>| {
        from.is_none_or(|f| m.minutes_until(f).is_none() || m.key() >= f.key())
    };
    // the trigger: the latest change at or before the onset that is not a response
    p.trigger = inc
        .changes
        .iter()
        .filter(|c| !is_rollback(c))
        .filter_map(|c| c.at.map(|at| (at, c.text.clone())))
        .filter(|(at, _)| onset.is_none_or(|o| at.key() <= o.key()))
        .max_by_key(|(at, _)| at.key());
    let entries: Vec<&TimelineEntry> = inc
        .timeline
        .iter()
        .filter(|t| !inc.line(t.line).is_some_and(|l| l.hedged))
        .collect();
    p.detected = entries
        .iter()
        .filter(|t| says(&DETECT, &t.text))
        // an alert that fired a minute before the computed onset still detected it
        .find(|t| onset.is_none_or(|o| t.at.key() + 60 >= o.key()))
        .map(|t| (t.at, t.text.clone()));
    let rollbacks = inc.changes.iter().filter(|c| is_rollback(c));
    let mut actions: Vec<(Moment, String)> = entries
        .iter()
        .filter(|t| says(&MITIGATE, &t.text) && !says(&RECOVER, &t.text))
        .filter(|t| at_or_after(&t.at, onset.as_ref()))
        .filter(|t| !is_proposal(&t.text))
        // a line that records a deploy or another forward change is the trigger's, not a fix
        .filter(|t| {
            !inc.changes
                .iter()
                .any(|c| c.line == t.line && !is_rollback(c))
        })
        .map(|t| (t.at, t.text.clone()))
        .collect();
    actions.extend(
        rollbacks
            .filter_map(|c| c.at.map(|at| (at, c.text.clone())))
            .filter(|(at, _)| at_or_after(at, onset.as_ref())),
    );
    actions.sort_by_key(|(at, _)| at.key());
    p.recovered = entries
        .iter()
        .filter(|t| says(&RECOVER, &t.text))
        .filter(|t| at_or_after(&t.at, onset.as_ref()))
        .map(|t| (t.at, t.text.clone()))
        .next_back();
    // the action that recovery followed: the last one before it (or the last one at all)
    p.mitigated = match &p.recovered {
        Some((rec, _)) => actions
            .iter()
            .rfind(|(at, _)| at.key() <= rec.key())
            .cloned(),
        None => actions.last().cloned(),
    };
    p
}

/// Does `text` use one of the words of `re` as a word of its own (not inside a name such as
/// `reports-worker` or `alert_rules`)?
fn says(re: &Regex, text: &str) -> bool {
    let b = text.as_bytes();
    let joins = |c: u8| matches!(c, b'-' | b'_' | b'/');
    re.find_iter(text).any(|m| {
        let before = m.start().checked_sub(1).map(|i| b[i]);
        let after = b.get(m.end()).copied();
        !before.is_some_and(joins) && !after.is_some_and(joins)
    })
}

/// The latest time the paste gives.
fn last_event(r: &Report) -> Option<Moment> {
    r.incident
        .timeline
        .iter()
        .map(|t| t.at)
        .max_by_key(Moment::key)
}

/// Where a piece of evidence is from, in words.
fn cite(e: &crate::model::Evidence) -> String {
    match e.line {
        Some(l) => format!("line {l}"),
        // probe or past-incident evidence: where it came from
        None => crate::report::from(e),
    }
}

/// A rollback or revert: a response to the incident, never its trigger.
fn is_rollback(c: &crate::model::Change) -> bool {
    c.kinds.contains(&crate::model::ChangeKind::Rollback)
}

/// "candidates: SIGTERM …", "we could roll back": an option, not a done action.
fn is_proposal(text: &str) -> bool {
    static PROPOSAL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:candidates?|options?|could|should|propos\w*|suggest\w*|consider\w*|plan(?:ned)?|want(?:s|ed)? to|let'?s|maybe|if we|would)\b").expect("valid")
    });
    PROPOSAL.is_match(text)
}

/// "12 min", "1 h 5 min".
fn duration(secs: i64) -> String {
    let secs = secs.max(0);
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    match (h, m, s) {
        (0, 0, s) => format!("{s} s"),
        (0, m, 0) => format!("{m} min"),
        (0, m, s) if m < 10 => format!("{m} min {s} s"),
        (0, m, _) => format!("{m} min"),
        (h, 0, _) => format!("{h} h"),
        (h, m, _) => format!("{h} h {m} min"),
    }
}

/// Seconds from `a` to `b`, when both are known and of the same kind (dated or not).
fn between(a: Option<&Moment>, b: Option<&Moment>) -> Option<i64> {
    let (a, b) = (a?, b?);
    a.minutes_until(b)?;
    Some(b.key() - a.key())
}

/// Text from the paste, safe inside the draft: no control characters, no HTML comment
/// delimiters (they would end a marker), one line.
fn clean(s: &str) -> String {
    crate::report::sanitize::clean(s)
        .replace("<!--", "&lt;!--")
        .replace("-->", "--&gt;")
        .replace('\n', " ")
}

fn when(m: &Moment) -> String {
    short(m, false)
}

/// A timeline time: `09:17:50` (`09:17` on the minute), with the date when the incident spans
/// more than one day.
fn stamp(m: &Moment, with_date: bool) -> String {
    let (date, secs) = match *m {
        Moment::At(ts) => {
            let dt = jiff::tz::Offset::UTC.to_datetime(ts);
            (
                format!("{:04}-{:02}-{:02} ", dt.year(), dt.month(), dt.day()),
                i64::from(dt.hour()) * 3600 + i64::from(dt.minute()) * 60 + i64::from(dt.second()),
            )
        }
        Moment::TimeOfDay { day, secs } => (
            if day > 0 {
                format!("day +{day} ")
            } else {
                String::new()
            },
            i64::from(secs),
        ),
    };
    let clock = if secs % 60 == 0 {
        format!("{:02}:{:02}", secs / 3600, secs / 60 % 60)
    } else {
        format!("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
    };
    if with_date || matches!(m, Moment::TimeOfDay { day: 1.., .. }) {
        format!("{date}{clock}")
    } else {
        clock
    }
}

fn fill(what: &str) -> String {
    format!("{FILL_IN}: {what}]")
}

/// How the instants of the audit trail (and the probe run) are placed among the paste's times.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Clock {
    /// The paste is dated, or states no time: instants as they are.
    Dated,
    /// The paste's times are times of day, and its day 0 is this date (UTC): an instant becomes
    /// a time of day on the day counted from it.
    Day0(jiff::civil::Date),
    /// The paste's times are times of day, and the first action came more than 12 hours after
    /// its last one: how many days lie between cannot be told, so the actions keep their date
    /// and no phase is timed from them.
    Apart,
}

/// The [`Clock`] for a paste whose last time is `last` and whose first audit instant is
/// `first`. An undated paste is taken to be of the day its first action was taken when that
/// action came within 12 hours after the paste's last time (the on-call engineer at work on the
/// incident), of the day before when the clock passed midnight in between.
fn audit_clock(last: Option<&Moment>, first: Option<&str>) -> Clock {
    let Some(&Moment::TimeOfDay { day, secs }) = last else {
        return Clock::Dated;
    };
    let Some(ts) = first.and_then(|a| a.parse::<jiff::Timestamp>().ok()) else {
        return Clock::Apart;
    };
    let dt = jiff::tz::Offset::UTC.to_datetime(ts);
    let t = i64::from(dt.hour()) * 3600 + i64::from(dt.minute()) * 60 + i64::from(dt.second());
    let forward = (t - i64::from(secs)).rem_euclid(86_400);
    if forward > 12 * 3600 {
        return Clock::Apart;
    }
    let last_day = if t >= i64::from(secs) {
        dt.date()
    } else {
        dt.date().yesterday().unwrap_or(dt.date())
    };
    let day0 = last_day
        .checked_sub(jiff::Span::new().days(i64::from(day)))
        .unwrap_or(last_day);
    Clock::Day0(day0)
}

/// The clock of a report and its audit trail (`also`: another instant, such as the probe run,
/// used when the trail is empty).
fn clock_of(r: &Report, onset: Option<&Moment>, audit: &[Audit], also: Option<&str>) -> Clock {
    let last = r.incident.timeline.last().map(|t| t.at);
    let first = audit.iter().map(|e| e.at.as_str()).min().or(also);
    audit_clock(last.as_ref().or(onset), first)
}

/// An audit entry's time as the paste's times are kept (see [`Clock`]).
fn audit_moment(at: &str, clock: Clock) -> Option<Moment> {
    let ts: jiff::Timestamp = at.parse().ok()?;
    match clock {
        Clock::Day0(d0) => {
            let dt = jiff::tz::Offset::UTC.to_datetime(ts);
            // an action dated before the paste's day (a clock set wrong) keeps its date
            let Ok(day) = u16::try_from(d0.until(dt.date()).ok()?.get_days()) else {
                return Some(Moment::At(ts));
            };
            let secs = u32::from(dt.hour().unsigned_abs()) * 3600
                + u32::from(dt.minute().unsigned_abs()) * 60
                + u32::from(dt.second().unsigned_abs());
            Some(Moment::TimeOfDay { day, secs })
        }
        Clock::Dated | Clock::Apart => Some(Moment::At(ts)),
    }
}

/// The phases, with what the audit trail recorded: the action after which sentinel's
/// verification saw the signal recover is the mitigation, and that verdict the recovery,
/// unless the paste records a later recovery.
fn with_audit(mut p: Phases, audit: &[Audit], clock: Clock) -> Phases {
    if clock == Clock::Apart {
        return p;
    }
    let Some(rec) = audit.iter().rfind(|e| e.event == Event::Recovered) else {
        return p;
    };
    let Some(ran) = audit
        .iter()
        .rfind(|e| e.event == Event::Ran && e.action == rec.action && e.at <= rec.at)
    else {
        return p;
    };
    if let (Some(m), Some(v)) = (audit_moment(&ran.at, clock), audit_moment(&rec.at, clock)) {
        p.mitigated = Some((m, ran.text.clone()));
        if p.recovered
            .as_ref()
            .is_none_or(|(at, _)| at.key() < v.key())
        {
            p.recovered = Some((v, rec.text.clone()));
        }
    }
    p
}

use crate::mitigate::audit::{Entry as Audit, Event};

/// Build the draft. `probes` is the saved probe run, when there is one; `audit` the bundle's
/// audit trail (what `mitigate` proposed, who approved what, what ran and what it did).
pub fn draft(r: &Report, probes: Option<&crate::probe::saved::Saved>, audit: &[Audit]) -> Draft {
    let inc = &r.incident;
    let base = phases(r);
    let clock = clock_of(
        r,
        base.onset.as_ref(),
        audit,
        probes.map(|p| p.ran_at.as_str()),
    );
    let ph = with_audit(base, audit, clock);
    let top = r
        .hypotheses
        .iter()
        .find(|h| h.status == Status::Confirmed)
        .or_else(|| r.hypotheses.iter().find(|h| h.status != Status::Refuted));
    let mut s = Vec::new();
    let mut add = |key: &'static str, title: &str, markdown: String, filled: bool| {
        s.push(Section {
            key,
            title: title.to_string(),
            markdown: markdown.trim_end().to_string(),
            filled,
        });
    };

    let service = inc.service().unwrap_or("the service");
    let title = match top {
        Some(h) => format!("{} — {}", clean(service), clean(&h.title)),
        None => clean(&inc.title),
    };
    add("title", "Title", format!("# Postmortem: {title}"), true);

    let root_status = match top.map(|h| h.status) {
        Some(Status::Confirmed) => "root cause confirmed by probes",
        Some(_) => "root cause not yet confirmed by a probe",
        None => "root cause unknown",
    };
    add(
        "status",
        "Status",
        format!(
            "Draft generated by sentinel {} from incident `{}`; {root_status}. Review every section; edited sections are kept when the draft is regenerated.",
            env!("CARGO_PKG_VERSION"),
            clean(&r.id)
        ),
        true,
    );

    add(
        "summary",
        "Summary",
        clean(&r.summary),
        !r.summary.is_empty(),
    );

    add(
        "severity",
        "Severity",
        format!(
            "**{}** — {}",
            r.severity.level,
            clean(&r.severity.reasoning)
        ),
        true,
    );

    // impact: the numbers, and how long
    let mut impact = vec![clean(&r.impact)];
    match between(ph.onset.as_ref(), ph.recovered.as_ref().map(|(m, _)| m)) {
        Some(d) => impact.push(format!(
            "Duration: {} (onset {} → recovery {}).",
            duration(d),
            ph.onset.as_ref().map(when).unwrap_or_default(),
            ph.recovered
                .as_ref()
                .map(|(m, _)| when(m))
                .unwrap_or_default()
        )),
        None => impact.push(match (&ph.onset, last_event(r)) {
            (Some(o), Some(last)) if last.key() > o.key() => format!(
                "Duration: ongoing at the paste's last event, {} after the onset at {} (no recovery is recorded).",
                duration(last.key() - o.key()),
                when(o)
            ),
            (Some(o), _) => format!("Duration: from {} (no recovery is recorded).", when(o)),
            (None, _) => format!("Duration: {}.", fill("onset and recovery times")),
        }),
    }
    let filled = !r.impact.is_empty();
    add("impact", "Impact", impact.join("\n\n"), filled);

    // detection, and the times to detect, mitigate, recover
    let mut d = Vec::new();
    match &ph.detected {
        Some((at, text)) => d.push(format!("Detected at {}: {}", when(at), clean(text))),
        None => d.push(format!("Detected: {}", fill("how and when it was noticed"))),
    }
    let onset = ph.onset.as_ref();
    let ttd = between(onset, ph.detected.as_ref().map(|(m, _)| m));
    let ttm = between(onset, ph.mitigated.as_ref().map(|(m, _)| m));
    let ttr = between(onset, ph.recovered.as_ref().map(|(m, _)| m));
    let onset_s = onset.map(when).unwrap_or_else(|| "unknown".into());
    d.push(String::new());
    d.push(format!("- Onset (first symptom): {onset_s}"));
    d.push(format!(
        "- Time to detect: {}",
        ttd.map(|m| format!("{} (first alert, page or report − onset)", duration(m)))
            .unwrap_or_else(|| fill("first alert time"))
    ));
    d.push(format!(
        "- Time to mitigate: {}",
        match (ttm, &ph.recovered) {
            (Some(m), _) => format!("{} (the action recovery followed − onset)", duration(m)),
            (None, Some(_)) =>
                "none: the incident ended on its own, with no mitigating action".into(),
            (None, None) if onset.is_some() => "not mitigated by the paste's last event".into(),
            (None, None) => fill("when the mitigating action ran"),
        }
    ));
    d.push(format!(
        "- Time to recover: {}",
        match ttr {
            Some(m) => format!("{} (recovery − onset)", duration(m)),
            None if onset.is_some() => "not recovered by the paste's last event".into(),
            None => fill("recovery time"),
        }
    ));
    if clock == Clock::Apart
        && let Some(first) = audit.iter().map(|e| e.at.as_str()).min()
        && let Some(m) = audit_moment(first, clock)
    {
        d.push(format!(
            "- The actions sentinel recorded began {} UTC, more than 12 hours after the paste's last time; the paste gives times of day only, so no phase is timed from them.",
            stamp(&m, true)
        ));
    }
    add(
        "detection",
        "Detection",
        d.join("\n"),
        ph.detected.is_some(),
    );

    // root cause: the confirmed (or top) hypothesis, its trigger and evidence
    match top {
        Some(h) => {
            let mut rc = vec![format!(
                "**{}** ({} confidence, {}).",
                clean(&h.title),
                h.confidence.as_str(),
                h.status.as_str()
            )];
            rc.push(String::new());
            rc.push(clean(&h.summary));
            if !h.evidence.is_empty() {
                rc.push(String::new());
                rc.push("Evidence:".into());
                // one line of the paste once, under the strongest reason it was cited for, and
                // at most two lines per reason, so that more of the reasons are shown
                let mut cited: Vec<usize> = Vec::new();
                let mut per_reason: Vec<&str> = Vec::new();
                for e in h
                    .evidence
                    .iter()
                    .filter(|e| match e.line {
                        Some(n) if cited.contains(&n) => false,
                        Some(n) => {
                            cited.push(n);
                            true
                        }
                        None => true,
                    })
                    .filter(|e| {
                        let seen = per_reason.iter().filter(|s| **s == e.signal).count();
                        per_reason.push(&e.signal);
                        seen < 2
                    })
                    .take(8)
                {
                    rc.push(format!("- {} ({})", clean(&e.text), cite(e)));
                }
            }
            if !h.counter_evidence.is_empty() {
                rc.push(String::new());
                rc.push("Against:".into());
                for e in h.counter_evidence.iter().take(3) {
                    rc.push(format!("- {} ({})", clean(&e.text), cite(e)));
                }
            }
            // the runners-up that are parts of the same story, each with its strongest cite
            let factors: Vec<String> = r
                .hypotheses
                .iter()
                .filter(|o| o.id != h.id && o.status != Status::Refuted)
                .take(2)
                .filter(|o| crate::plan::contributes(h, o))
                .map(|o| match o.evidence.first() {
                    Some(e) => format!(
                        "- {} ({} confidence): {} ({})",
                        clean(&o.title),
                        o.confidence.as_str(),
                        clean(&e.text),
                        cite(e)
                    ),
                    None => format!(
                        "- {} ({} confidence)",
                        clean(&o.title),
                        o.confidence.as_str()
                    ),
                })
                .collect();
            if !factors.is_empty() {
                rc.push(String::new());
                rc.push("Contributing factors:".into());
                rc.extend(factors);
            }
            add("root_cause", "Root cause", rc.join("\n"), true);
        }
        None => add(
            "root_cause",
            "Root cause",
            fill("the mechanism that failed"),
            false,
        ),
    }

    let trig = top.and_then(|h| h.trigger.clone());
    match (&trig, &ph.trigger) {
        (Some(t), _) => add("trigger", "Trigger", clean(t), true),
        (None, Some((at, text))) => add(
            "trigger",
            "Trigger",
            format!("{}: {}", when(at), clean(text)),
            true,
        ),
        (None, None) => add("trigger", "Trigger", fill("what set it off"), false),
    }

    // resolution: what was done (the audit trail once mitigations run through sentinel)
    let mut res = Vec::new();
    let acted: Vec<&Audit> = audit
        .iter()
        .filter(|e| {
            matches!(
                e.event,
                Event::Approved
                    | Event::Ran
                    | Event::Failed
                    | Event::Recovered
                    | Event::NotRecovered
                    | Event::Unverified
                    | Event::Interrupted
            )
        })
        .collect();
    if acted.is_empty() {
        if let Some((at, text)) = &ph.mitigated {
            res.push(format!("- {}: {}", when(at), clean(text)));
        }
    } else {
        for e in &acted {
            let at = audit_moment(&e.at, clock).map_or(e.at.clone(), |m| match m {
                Moment::At(_) if clock == Clock::Apart => format!("{} UTC", stamp(&m, true)),
                Moment::TimeOfDay { day: 1.., .. } => stamp(&m, false),
                _ => when(&m),
            });
            let mut line = format!("- {at}: **{}** {}", clean(&e.actor), clean(&e.text));
            if let (Event::Ran | Event::Failed, Some(c)) = (e.event, &e.command) {
                line.push_str(&format!(" — `{}`", clean(c).replace('`', "'")));
            }
            res.push(line);
        }
    }
    if let Some((at, text)) = &ph.recovered {
        res.push(format!("- {}: recovered — {}", when(at), clean(text)));
    }
    let res_filled = !res.is_empty();
    if let Some(h) = top
        && !h.mitigations.is_empty()
    {
        res.push(String::new());
        res.push("Mitigations sentinel proposes for this cause:".into());
        for m in h.mitigations.iter().take(3) {
            let mut line = format!(
                "- {} — risk: {}; rollback: {}",
                clean(&m.title),
                clean(&m.risk),
                clean(&m.rollback)
            );
            if let Some(nw) = &m.not_when {
                line.push_str(&format!(" (will not help when {})", clean(nw)));
            }
            res.push(line);
        }
    }
    if !res_filled {
        res.insert(0, fill("what was done to mitigate and resolve, and when"));
    }
    add(
        "resolution",
        "Resolution and mitigation",
        res.join("\n"),
        res_filled,
    );

    add(
        "timeline",
        "Timeline (UTC)",
        timeline(r, probes, audit, &ph, clock),
        true,
    );

    // what went well / poorly, where the evidence says so
    let mut poorly = Vec::new();
    static TAKEN_BACK: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:tak(?:e|ing) (?:that|it) back|scratch that|i was wrong|correction|never ?mind)\b")
            .expect("valid")
    });
    let actor_of = |no: usize| {
        inc.timeline
            .iter()
            .find(|t| t.line == no)
            .and_then(|t| t.actor.clone())
    };
    for l in &inc.lines {
        if !MISREAD.is_match(&l.text) || l.text.trim().len() <= 8 {
            continue;
        }
        // "taking that back": the wrong lead is what the same person said before
        let earlier = TAKEN_BACK
            .is_match(&l.text)
            .then(|| actor_of(l.no))
            .flatten()
            .and_then(|who| {
                inc.lines[..l.no.saturating_sub(1)]
                    .iter()
                    .rev()
                    .find(|p| actor_of(p.no).as_deref() == Some(who.as_str()))
            });
        let line = match earlier {
            Some(p) => format!(
                "- A wrong lead cost time: \"{}\" (line {}), taken back later (line {})",
                clean(p.text.trim()),
                p.no,
                l.no
            ),
            None => format!(
                "- A wrong lead cost time: \"{}\" (line {})",
                clean(l.text.trim()),
                l.no
            ),
        };
        if !poorly.contains(&line) {
            poorly.push(line);
        }
        if poorly.len() >= 3 {
            break;
        }
    }
    for h in r.hypotheses.iter().filter(|h| h.status == Status::Refuted) {
        poorly.push(format!(
            "- {} was suspected and ruled out by the probes",
            clean(&h.title)
        ));
    }
    if let Some(m) = ttd.filter(|m| *m > 10 * 60) {
        poorly.push(format!(
            "- Detection took {} after the first symptom",
            duration(m)
        ));
    }
    // who noticed first: an alert, or people (customers, support) before any alert
    let by_alert = ph
        .detected
        .as_ref()
        .is_some_and(|(_, t)| ALERTED.is_match(t));
    let first_alert = inc
        .lines
        .iter()
        .filter(|l| ALERTED.is_match(&l.text) && !is_heading(&l.text))
        .filter_map(|l| l.at.map(|at| (at, l.no)))
        .min_by_key(|(at, _)| at.key());
    if let Some((at, text)) = ph.detected.as_ref().filter(|_| !by_alert)
        && REPORTED.is_match(text)
    {
        match first_alert.filter(|(a, _)| a.key() > at.key()) {
            Some((a, no)) => poorly.push(format!(
                "- People reported it before any alert: the first report at {}, the first alert at {} (line {no})",
                when(at),
                when(&a)
            )),
            None if first_alert.is_none() => poorly.push(format!(
                "- No alert fired: it was found by people, at {}",
                when(at)
            )),
            None => {}
        }
    }
    // the first line at or after the page that says `what`, and how long after the page it came
    let after_page = |what: &dyn Fn(&str) -> bool| {
        let (at, _) = ph.detected.as_ref()?;
        inc.lines.iter().find_map(|l| {
            let t = l.at?;
            (t.key() >= at.key() && what(&l.text)).then(|| (l, t.key() - at.key()))
        })
    };
    // a page nobody took: the time until someone did
    let waited = after_page(&|t| UNACKED.is_match(t)).filter(|(_, took)| *took >= 60);
    if let Some((l, took)) = waited {
        poorly.push(format!(
            "- The page waited {} for someone to take it: \"{}\" (line {})",
            duration(took),
            clean(l.text.trim()),
            l.no
        ));
    }
    let mut well = Vec::new();
    // the page taken at once (and not after an escalation): the first line after the page
    // where someone says they are on it
    let page = ph.detected.as_ref().map_or("", |(_, p)| p.trim());
    let taken = after_page(&|t| ACKED.is_match(t) && !UNACKED.is_match(t) && !t.contains(page));
    if waited.is_none()
        && let Some((l, took)) = taken.filter(|(_, took)| *took <= 5 * 60)
    {
        let when = if took < 60 {
            "at once".to_string()
        } else {
            format!("{} after it fired", duration(took))
        };
        well.push(format!(
            "- The page was taken {when}: \"{}\" (line {})",
            clean(l.text.trim()),
            l.no
        ));
    }
    if let Some(m) = ttd.filter(|m| *m <= 5 * 60 && by_alert) {
        well.push(format!(
            "- Alerting caught it {} after the first symptom",
            duration(m)
        ));
    }
    if let (Some(m), Some(_)) = (ttm, &ph.recovered)
        && m <= 30 * 60
    {
        well.push(format!(
            "- Mitigated {} after onset, and the signal recovered",
            duration(m)
        ));
    }
    if top.is_some_and(|h| h.status == Status::Confirmed) {
        well.push("- The probes confirmed the root cause during the incident".into());
    }
    let well_filled = !well.is_empty();
    if !well_filled {
        well.push(fill("what helped"));
    }
    let poorly_filled = !poorly.is_empty();
    if !poorly_filled {
        poorly.push(fill("what hurt or slowed the response"));
    }
    add("went_well", "What went well", well.join("\n"), well_filled);
    add(
        "went_poorly",
        "What went poorly",
        poorly.join("\n"),
        poorly_filled,
    );

    // action items: a checklist that pastes into an issue tracker
    let items = action_items(r);
    let filled = !r.follow_ups.is_empty();
    add(
        "action_items",
        "Action items",
        if filled {
            items
        } else {
            fill("what will prevent, detect or mitigate this next time")
        },
        filled,
    );

    // follow-ups: what is still open, each with a check that can run where this happened
    let env = Env::of(inc);
    let mut open = Vec::new();
    for h in r
        .hypotheses
        .iter()
        .filter(|h| h.status == Status::Unconfirmed)
        .take(3)
    {
        let probe = r
            .checklist
            .iter()
            .find(|c| c.hypotheses.contains(&h.id) && c.status == "not_run" && fits(c, &env));
        match probe {
            Some(c) => open.push(format!(
                "- Confirm or rule out \"{}\": `{}`",
                clean(&h.title),
                clean(&c.command).replace('`', "'")
            )),
            None => open.push(format!("- Confirm or rule out \"{}\"", clean(&h.title))),
        }
    }
    let filled = !open.is_empty();
    if !filled {
        open.push(fill("open questions"));
    }
    add("follow_ups", "Follow-ups", open.join("\n"), filled);

    let mut sim = Vec::new();
    for m in &r.similar {
        let rc = m
            .root_cause
            .as_deref()
            .map(|c| format!(" — root cause: {}", clean(c)))
            .unwrap_or_default();
        sim.push(format!(
            "- `{}` {} ({:.0}%){rc}",
            clean(&m.id),
            clean(&m.title),
            m.score * 100.0
        ));
    }
    if sim.is_empty() {
        sim.push("None found in the incident store.".into());
    }
    add("similar", "Similar past incidents", sim.join("\n"), true);

    add("appendix", "Appendix: evidence", appendix(r), true);
    Draft { sections: s }
}

fn action_items(r: &Report) -> String {
    let mut v = Vec::new();
    for f in &r.follow_ups {
        v.push(format!(
            "- [ ] **{}** {} — owner: {} ({})",
            f.priority,
            clean(&f.title),
            clean(&f.owner),
            f.kind
        ));
    }
    v.join("\n")
}

/// The follow-up items alone, as a checklist for an issue tracker.
pub fn action_checklist(r: &Report) -> String {
    action_items(r)
}

/// Every timestamped event from the paste, the probe run, merged, de-duplicated and sorted,
/// then a Mermaid gantt of the phases.
fn timeline(
    r: &Report,
    probes: Option<&crate::probe::saved::Saved>,
    audit: &[Audit],
    ph: &Phases,
    clock: Clock,
) -> String {
    let inc = &r.incident;
    let mut events: Vec<(i64, Moment, String)> = Vec::new();
    // every line that carries a time, in the words the timeline read (actor, text without the
    // stamp) where it has the line, else as written
    for l in &inc.lines {
        let Some(at) = l.at else {
            continue;
        };
        let entry = inc.timeline.iter().find(|t| t.line == l.no);
        let speaker = entry
            .and_then(|t| t.actor.as_deref())
            .filter(|a| a.chars().all(|c| c.is_ascii_lowercase() || c == '-'));
        let actor = speaker
            .map(|a| format!("**{}** ", clean(a)))
            .unwrap_or_default();
        let said = entry.map_or(l.text.trim(), |t| t.text.trim());
        if said.is_empty() || is_heading(said) || is_heading(&l.text) {
            continue;
        }
        let said = event_words(said, speaker);
        let at = entry.map_or(at, |t| t.at);
        let text = format!("{actor}{} (line {})", clean(&said), l.no);
        let key = at.key();
        if !events
            .iter()
            .any(|(k, _, e)| *k == key && e.starts_with(&format!("{actor}{}", clean(&said))))
        {
            events.push((key, at, text));
        }
    }
    events.sort_by_key(|(k, _, _)| *k);
    let days = events
        .first()
        .zip(events.last())
        .is_some_and(|(a, b)| b.0 - a.0 >= 86_400 && matches!(a.1, Moment::At(_)));
    let mut out: Vec<String> = events
        .iter()
        .map(|(_, at, text)| format!("- {} — {text}", stamp(at, days)))
        .collect();
    // what sentinel and the operator did (the probe run, then the audit trail): merged by time,
    // or after the paste's events with their dates when they cannot be placed among them
    let mut acted: Vec<(i64, Moment, String)> = crate::mitigate::audit::timeline(audit)
        .filter_map(|e| {
            let at = audit_moment(&e.at, clock)?;
            Some((
                at.key(),
                at,
                format!("**{}** {}", clean(&e.actor), clean(&e.text)),
            ))
        })
        .collect();
    if let Some(p) = probes {
        let ok = p.outcomes.iter().filter(|o| o.status == "ok").count();
        let text = format!(
            "**sentinel** ran {} probe(s), {ok} answered{}",
            p.outcomes.len(),
            p.namespace
                .as_deref()
                .map(|n| format!(" (namespace {})", clean(n)))
                .unwrap_or_default()
        );
        match audit_moment(&p.ran_at, clock) {
            // first on a tie: probes run before the actions they lead to
            Some(at) => acted.insert(0, (at.key(), at, text)),
            None => out.push(format!("- {} — {text}", clean(&p.ran_at))),
        }
    }
    if !acted.is_empty() {
        let mut all: Vec<(i64, Moment, String)> = events.clone();
        all.extend(acted);
        // stable: at one instant, the paste's lines, then the probe run, then the actions
        // an undated paste's times of day, then dated actions (an instant's key, unix
        // seconds, is past any time of day's): the actions carry their date
        let apart = clock == Clock::Apart;
        all.sort_by_key(|(k, _, _)| *k);
        out = all
            .iter()
            .map(|(_, at, text)| {
                let dated = days || (apart && matches!(at, Moment::At(_)));
                let utc = if apart && matches!(at, Moment::At(_)) {
                    " UTC"
                } else {
                    ""
                };
                format!("- {}{utc} — {text}", stamp(at, dated))
            })
            .collect();
    }
    if out.is_empty() {
        out.push(fill("the timeline: no line of the paste carries a time"));
    }
    if let Some(g) = gantt(ph) {
        out.push(String::new());
        out.push(g);
    }
    out.join("\n")
}

/// What the paste says about where the service runs, for choosing checks that apply there.
struct Env {
    /// Kubernetes shows (pods, namespaces, kubectl, kubelet): kubectl checks apply.
    kubernetes: bool,
    /// A database other than Postgres is named and Postgres is not: SQL checks (Postgres's
    /// catalog) do not apply.
    other_database: bool,
}

impl Env {
    fn of(inc: &crate::model::Incident) -> Env {
        static K8S: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"(?i)\b(?:kubectl|kubelet|kubernetes|k8s|pods?|namespace|ns [a-z0-9-]+|deployment/|statefulset|daemonset|crashloopbackoff|imagepullbackoff|oomkilled|helm|eks|gke|aks)\b").expect("valid")
        });
        static PG: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"(?i)\b(?:postgres\w*|psql|pg_\w+|pgbouncer|rds|aurora)\b").expect("valid")
        });
        static OTHER_DB: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"(?i)\b(?:sqlite\w*|mysql\w*|mariadb|mongo\w*|cassandra|dynamodb|redis)\b")
                .expect("valid")
        });
        let any = |re: &Regex| inc.lines.iter().any(|l| re.is_match(&l.text));
        Env {
            kubernetes: !inc.entities.namespaces.is_empty()
                || !inc.entities.pods.is_empty()
                || any(&K8S),
            other_database: any(&OTHER_DB) && !any(&PG),
        }
    }
}

/// Can this check run where the incident happened?
fn fits(c: &crate::model::CheckItem, env: &Env) -> bool {
    match c.kind {
        crate::model::ProbeKind::Kubectl => env.kubernetes,
        crate::model::ProbeKind::Sql => !env.other_database,
        _ => true,
    }
}

/// A line that introduces what follows rather than saying what happened: `== notes ==`,
/// `# heading`, `worker log around the 03:00 run:`, a `top` header.
fn is_heading(said: &str) -> bool {
    let t = said.trim();
    t.starts_with("==")
        || t.starts_with('#')
        || t.starts_with("---")
        || t.starts_with("top - ")
        // a short label ending in a colon (a longer one usually says something itself)
        || (t.ends_with(':') && t.len() <= 60 && !t.starts_with(|c: char| c.is_ascii_digit()))
}

/// A timeline line's words for the timeline: its own leading time (the entry shows it
/// already), the speaker's `name:` (shown as the actor) and runs of blanks taken out.
fn event_words(said: &str, actor: Option<&str>) -> String {
    // a `kubectl describe` field whose value is the time: say what it times
    let field = said.trim_start();
    for (key, what) in [
        ("Started:", "container started"),
        ("Finished:", "container ended"),
        ("Last Transition Time:", "condition changed"),
    ] {
        if field
            .strip_prefix(key)
            .is_some_and(|v| v.starts_with([' ', '\t']))
        {
            // the stamp beside it is the time
            return what.to_string();
        }
    }
    let mut t = crate::ingest::time::strip_leading_time(said).to_string();
    if let Some(a) = actor
        && t.get(..a.len()).is_some_and(|p| p.eq_ignore_ascii_case(a))
        && let Some(r) = t[a.len()..]
            .strip_prefix(':')
            .or_else(|| t[a.len()..].strip_prefix(" -"))
    {
        t = r.trim_start().to_string();
    }
    let words: Vec<&str> = t.split_whitespace().collect();
    if words.is_empty() {
        said.trim().to_string()
    } else {
        words.join(" ")
    }
}

/// A Mermaid gantt of the phases, when at least two of them have times.
fn gantt(ph: &Phases) -> Option<String> {
    let onset = ph.onset?;
    let points = [
        (
            "Trigger to onset",
            ph.trigger.as_ref().map(|(m, _)| *m),
            Some(onset),
        ),
        (
            "Onset to detection",
            Some(onset),
            ph.detected.as_ref().map(|(m, _)| *m),
        ),
        (
            "Detection to mitigation",
            ph.detected.as_ref().map(|(m, _)| *m),
            ph.mitigated.as_ref().map(|(m, _)| *m),
        ),
        (
            "Mitigation to recovery",
            ph.mitigated.as_ref().map(|(m, _)| *m),
            ph.recovered.as_ref().map(|(m, _)| *m),
        ),
    ];
    let dated = matches!(onset, Moment::At(_));
    let fmt = |m: &Moment| -> Option<String> {
        match (m, dated) {
            (Moment::At(ts), true) => {
                let dt = jiff::tz::Offset::UTC.to_datetime(*ts);
                Some(format!(
                    "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
                    dt.year(),
                    dt.month(),
                    dt.day(),
                    dt.hour(),
                    dt.minute(),
                    dt.second()
                ))
            }
            (Moment::TimeOfDay { day: 0, secs }, false) => Some(format!(
                "{:02}:{:02}:{:02}",
                secs / 3600,
                secs / 60 % 60,
                secs % 60
            )),
            _ => None,
        }
    };
    let mut rows = Vec::new();
    for (name, a, b) in points {
        let (Some(a), Some(b)) = (a, b) else {
            continue;
        };
        if b.key() < a.key() {
            continue;
        }
        let (Some(fa), Some(fb)) = (fmt(&a), fmt(&b)) else {
            continue;
        };
        rows.push(format!("    {name} :{fa}, {fb}"));
    }
    if rows.is_empty() {
        return None;
    }
    let date_format = if dated {
        "YYYY-MM-DD HH:mm:ss"
    } else {
        "HH:mm:ss"
    };
    Some(format!(
        "```mermaid\ngantt\n    title Incident phases (UTC)\n    dateFormat {date_format}\n    axisFormat %H:%M\n    section Incident\n{}\n```",
        rows.join("\n")
    ))
}

fn appendix(r: &Report) -> String {
    let mut v = Vec::new();
    for h in r.hypotheses.iter().take(3) {
        v.push(format!(
            "**{}** — {} confidence, score {:.2}, {}",
            clean(&h.title),
            h.confidence.as_str(),
            h.score,
            h.status.as_str()
        ));
        let sides = [("for", &h.evidence), ("against", &h.counter_evidence)];
        for (side, items) in sides {
            for e in items {
                v.push(format!(
                    "- {side}: {} ({}, weight {:.1})",
                    clean(&e.text),
                    cite(e),
                    e.weight
                ));
            }
        }
        v.push(String::new());
    }
    let ran: Vec<_> = r
        .checklist
        .iter()
        .filter(|c| c.status != "not_run" && !c.findings.is_empty())
        .collect();
    if !ran.is_empty() {
        v.push("Probe findings:".into());
        for c in ran {
            v.push(format!("- `{}` ({})", clean(&c.id), c.status));
            for f in c.findings.iter().take(5) {
                v.push(format!("  - {}", clean(f)));
            }
        }
    }
    if v.is_empty() {
        v.push("No evidence was found.".into());
    }
    v.join("\n")
}

// ---------------------------------------------------------------- markdown, markers, merge

/// The hash a marker carries: of the section's body as generated.
fn hash(body: &str) -> String {
    crate::store::hash(body.trim())[..12].to_string()
}

fn begin(key: &str, h: &str) -> String {
    format!("<!-- sentinel:begin {key} {h} -->")
}

fn end(key: &str) -> String {
    format!("<!-- sentinel:end {key} -->")
}

/// A section's body with its heading (the title section is its own heading).
fn body_of(s: &Section) -> String {
    if s.key == "title" {
        s.markdown.clone()
    } else {
        format!("## {}\n\n{}", s.title, s.markdown)
    }
}

impl Draft {
    /// The draft as markdown, every section between its markers.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        for s in &self.sections {
            let body = body_of(s);
            out.push_str(&begin(s.key, &hash(&body)));
            out.push('\n');
            out.push_str(&body);
            out.push('\n');
            out.push_str(&end(s.key));
            out.push_str("\n\n");
        }
        out.truncate(out.trim_end().len());
        out.push('\n');
        out
    }

    /// As data: one object per section, keyed by its name.
    pub fn json(&self, id: &str) -> serde_json::Value {
        let mut m = serde_json::Map::new();
        m.insert("schema".into(), SCHEMA.into());
        m.insert("id".into(), id.into());
        for s in &self.sections {
            m.insert(
                s.key.into(),
                serde_json::to_value(s).unwrap_or(serde_json::Value::Null),
            );
        }
        serde_json::Value::Object(m)
    }
}

/// What regenerating over a draft did.
#[derive(Debug, Default)]
pub struct Merged {
    /// The new file.
    pub text: String,
    /// Sections a person edited: kept, with what would have been generated.
    pub kept: Vec<(String, String)>,
    /// Sections replaced by their new generated text.
    pub updated: Vec<String>,
}

static MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^<!-- sentinel:begin ([a-z_]+) ([0-9a-f]{12}) -->\n").expect("valid")
});

/// Regenerate over `old`: sections still as generated take the new text; sections a person
/// edited (their body no longer matches their marker's hash) and all text outside the markers
/// are kept. A generated section the old draft does not have is not added back if the person
/// removed it, but a section new in this sentinel is appended.
pub fn merge(old: &str, new: &Draft) -> Merged {
    let mut out = String::new();
    let mut merged = Merged::default();
    let mut seen = Vec::new();
    let mut rest = old;
    while let Some(c) = MARK.captures(rest) {
        let whole = c.get(0).map_or(0..0, |m| m.range());
        let key = c[1].to_string();
        let old_hash = c[2].to_string();
        let after = &rest[whole.end..];
        let close = end(&key);
        let Some(stop) = after.find(&close) else {
            break; // an unclosed marker: the rest is the person's text
        };
        out.push_str(&rest[..whole.start]);
        let body = after[..stop].trim_end_matches('\n');
        let fresh = new.sections.iter().find(|s| s.key == key);
        seen.push(key.clone());
        if hash(body) == old_hash {
            match fresh {
                Some(s) => {
                    let nb = body_of(s);
                    if nb.trim() != body.trim() {
                        merged.updated.push(s.title.clone());
                    }
                    out.push_str(&begin(&key, &hash(&nb)));
                    out.push('\n');
                    out.push_str(&nb);
                }
                // a section this sentinel no longer writes: left as it was
                None => {
                    out.push_str(&begin(&key, &old_hash));
                    out.push('\n');
                    out.push_str(body);
                }
            }
        } else {
            // edited by a person: theirs, under the old hash so it stays theirs
            out.push_str(&begin(&key, &old_hash));
            out.push('\n');
            out.push_str(body);
            if let Some(s) = fresh
                && body_of(s).trim() != body.trim()
            {
                merged.kept.push((s.title.clone(), body_of(s)));
            }
        }
        out.push('\n');
        out.push_str(&close);
        rest = &after[stop + close.len()..];
    }
    out.push_str(rest);
    for s in &new.sections {
        if !seen.iter().any(|k| k == s.key) && !old.contains(&format!("sentinel:begin {} ", s.key))
        {
            let nb = body_of(s);
            if !out.ends_with("\n\n") {
                out.push_str(if out.ends_with('\n') { "\n" } else { "\n\n" });
            }
            out.push_str(&begin(s.key, &hash(&nb)));
            out.push('\n');
            out.push_str(&nb);
            out.push('\n');
            out.push_str(&end(s.key));
            out.push('\n');
            merged.updated.push(s.title.clone());
        }
    }
    merged.text = out;
    merged
}

/// The body (its heading left out) of section `key` of a draft, when a person edited it (it no
/// longer matches its marker's hash) and left no `[FILL IN: …]` in it: what they wrote.
pub fn edited_section(text: &str, key: &str) -> Option<String> {
    let mut rest = text;
    while let Some(c) = MARK.captures(rest) {
        let whole = c.get(0)?.range();
        let after = &rest[whole.end..];
        let close = end(&c[1]);
        let stop = after.find(&close)?;
        let body = after[..stop].trim_end_matches('\n');
        if &c[1] == key {
            if hash(body) == c[2] || body.contains(FILL_IN) {
                return None;
            }
            let b = body.trim_start();
            let b = match b.strip_prefix("## ") {
                Some(h) => h.split_once('\n').map_or("", |(_, r)| r),
                None => b,
            };
            return Some(b.trim().to_string()).filter(|b| !b.is_empty());
        }
        rest = &after[stop + close.len()..];
    }
    None
}

/// The first paragraph of a section a person wrote, as one plain line: emphasis marks dropped,
/// list items joined by "; ", and the "(high confidence, confirmed)." a generated root cause
/// ends its first line with left out.
pub fn plain_paragraph(body: &str) -> String {
    static STANDING: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\s*\((?:high|medium|low) confidence, [a-z]+\)\.?$").expect("valid")
    });
    let mut out = String::new();
    for l in body.lines().map(str::trim).skip_while(|l| l.is_empty()) {
        if l.is_empty() {
            break;
        }
        let item = l.strip_prefix("- ").or_else(|| l.strip_prefix("* "));
        let t = item.unwrap_or(l).replace("**", "");
        let t = STANDING.replace(&t, "");
        if !out.is_empty() {
            out.push_str(if item.is_some() { "; " } else { " " });
        }
        out.push_str(t.trim());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(text: &str) -> Report {
        let lib = crate::playbook::Library::builtin().expect("playbooks");
        crate::analyze::analyze(
            text,
            &Default::default(),
            &lib,
            &crate::analyze::Targets::default(),
        )
    }

    const PASTE: &str = "2026-06-02 payments outage\n\
        13:50 UTC deploy payment-svc v2.41 (adds settlement cron */30)\n\
        14:02 UTC p99 latency jumped from 120ms to 4.8s, error rate 0.1% -> 12%\n\
        14:02 UTC FATAL: sorry, too many clients already\n\
        14:04 UTC Pager: PaymentSvcErrorRateHigh firing\n\
        14:06 UTC \"DB looks healthy, CPU is fine\" (initial mis-diagnosis)\n\
        14:15 UTC rolled back payment-svc to v2.40\n\
        14:19 UTC error rate back to normal, recovered\n\
        active_connections: 500 / 500\n";

    /// An undated paste and one action with its verdict, taken at `ran` and `ok` (RFC 3339).
    fn undated_with_action(ran: &str, ok: &str) -> String {
        let r = report(
            "23:40 UTC deploy payment-svc v2.41\n23:52 UTC FATAL: sorry, too many clients already\n23:55 UTC pager: PaymentSvcErrorRateHigh firing\nactive_connections: 500 / 500\n",
        );
        let a = "db-connection-pool-exhaustion/rollback";
        let audit = [
            Audit::new(
                ran.into(),
                "alice",
                Event::Ran,
                a,
                "rolled back payment-svc".into(),
            ),
            Audit::new(
                ok.into(),
                "sentinel",
                Event::Recovered,
                a,
                "connections 500 -> 120: recovered".into(),
            ),
        ];
        draft(&r, None, &audit).markdown()
    }

    #[test]
    fn an_undated_paste_takes_the_day_its_actions_were_taken() {
        // just after midnight, 20 minutes after the paste's last time: the next day of the paste
        let md = undated_with_action("2026-12-08T00:15:00.000Z", "2026-12-08T00:19:30.000Z");
        assert!(
            md.contains("- day +1 00:15 — **alice** rolled back payment-svc"),
            "{md}"
        );
        assert!(md.contains("Time to mitigate: 23 min"), "{md}");
        assert!(md.contains("Time to recover: 27 min"), "{md}");
        // the days between the actions are the days between their dates
        let md = undated_with_action("2026-12-08T00:15:00.000Z", "2026-12-10T00:30:00.000Z");
        assert!(
            md.contains("- day +3 00:30 — **sentinel** connections"),
            "{md}"
        );
        assert!(md.contains("- day +1 00:15: **alice** rolled back"), "{md}");
        // more than 12 hours after the paste's last time: how many days lie between cannot be
        // told; the action keeps its date and nothing is timed from it
        let md = undated_with_action("2026-12-10T14:00:00.000Z", "2026-12-10T14:04:00.000Z");
        assert!(
            md.contains("- 2026-12-10 14:00 UTC — **alice** rolled back payment-svc"),
            "{md}"
        );
        assert!(!md.contains("day +"), "{md}");
        assert!(
            md.contains("began 2026-12-10 14:00 UTC, more than 12 hours after"),
            "{md}"
        );
        assert!(
            md.contains("Time to mitigate: not mitigated by the paste's last event"),
            "{md}"
        );
        let tl = md.split("## Timeline").nth(1).expect("timeline");
        let paste = tl.find("too many clients").expect("paste line");
        let action = tl.find("rolled back payment-svc").expect("action");
        assert!(paste < action, "{tl}");
    }

    #[test]
    fn phases_and_times_come_from_the_timeline() {
        let r = report(PASTE);
        let p = phases(&r);
        let m = |x: &Option<(Moment, String)>| x.as_ref().map(|(m, _)| when(m));
        assert_eq!(p.onset.as_ref().map(when).as_deref(), Some("14:02 UTC"));
        assert_eq!(m(&p.detected).as_deref(), Some("14:04 UTC"));
        assert_eq!(m(&p.mitigated).as_deref(), Some("14:15 UTC"));
        assert_eq!(m(&p.recovered).as_deref(), Some("14:19 UTC"));
        let md = draft(&r, None, &[]).markdown();
        assert!(md.contains("Time to detect: 2 min"), "{md}");
        assert!(md.contains("Time to mitigate: 13 min"), "{md}");
        assert!(md.contains("Time to recover: 17 min"), "{md}");
        assert!(md.contains("```mermaid\ngantt"), "{md}");
        assert!(md.contains("mis-diagnosis"), "{md}");
    }

    #[test]
    fn an_incident_that_ends_on_its_own_says_so() {
        let r = report(
            "2026-03-01 queue backlog\n\
             10:00 UTC consumer lag jumped from 0 to 90000 messages\n\
             10:03 UTC alert QueueLagHigh firing\n\
             10:40 UTC backlog drained, lag back to normal\n",
        );
        let md = draft(&r, None, &[]).markdown();
        assert!(md.contains("none: the incident ended on its own"), "{md}");
    }

    #[test]
    fn regeneration_keeps_what_a_person_wrote() {
        let r = report(PASTE);
        let d = draft(&r, None, &[]);
        let first = d.markdown();
        // the person edits one generated section and adds a paragraph of their own
        let edited = first.replace(
            "## What went well\n\n",
            "## What went well\n\nThe rollback runbook worked first time.\n",
        ) + "\nNotes from the review meeting: buy cake.\n";
        assert_ne!(edited, first);
        // unchanged input: nothing to update, the edits stay
        let m = merge(&edited, &d);
        assert!(m.text.contains("The rollback runbook worked first time."));
        assert!(m.text.contains("buy cake"));
        assert!(m.updated.is_empty(), "{:?}", m.updated);
        assert_eq!(m.kept.len(), 1);
        // new evidence: generated sections change, the edited one does not
        let r2 = report(&format!("{PASTE}14:30 UTC ALTER TABLE ledger ADD INDEX\n"));
        let d2 = draft(&r2, None, &[]);
        let m2 = merge(&m.text, &d2);
        assert!(m2.text.contains("The rollback runbook worked first time."));
        assert!(m2.text.contains("buy cake"));
        // a second merge of the same draft is stable
        let m3 = merge(&m2.text, &d2);
        assert_eq!(m3.text, m2.text);
        // the markers are HTML comments, so they do not render
        assert!(
            first
                .lines()
                .filter(|l| l.contains("sentinel:"))
                .all(|l| l.starts_with("<!--") && l.ends_with("-->"))
        );
    }

    fn section<'a>(d: &'a Draft, key: &str) -> &'a str {
        &d.sections
            .iter()
            .find(|s| s.key == key)
            .unwrap_or_else(|| panic!("no {key}"))
            .markdown
    }

    #[test]
    fn a_page_taken_at_once_went_well_and_a_late_one_did_not() {
        let text = "2026-03-02 orders-api errors
09:00 orders-api p99 latency 4s, error rate 9%
09:02 PagerDuty alert OrdersErrorRate fired
09:04 kim: acked, looking at the dashboards
";
        let d = draft(&report(text), None, &[]);
        let well = section(&d, "went_well");
        assert!(
            well.contains("The page was taken 2 min after it fired: \"09:04 kim: acked"),
            "{well}"
        );
        // taken only after an escalation: not something that went well
        let late = "2026-03-02 orders-api errors
09:00 orders-api p99 latency 4s, error rate 9%
09:02 PagerDuty alert OrdersErrorRate fired
09:04 escalated to kim after no ack from the primary
09:05 kim: on it
";
        let d = draft(&report(late), None, &[]);
        assert!(!section(&d, "went_well").contains("The page was taken"));
        // a provider's status page, a broker's acks: nobody took the page
        for line in [
            "09:03 provider status page: \"DNS issues, investigating\"",
            "09:03 filebeat: events acked by logstash",
        ] {
            let other = text.replace("09:04 kim: acked, looking at the dashboards", line);
            let d = draft(&report(&other), None, &[]);
            assert!(
                !section(&d, "went_well").contains("The page was taken"),
                "{line}"
            );
        }
        // an ack 20 minutes later is no credit either
        let slow = text.replace("09:04 kim", "09:22 kim");
        let d = draft(&report(&slow), None, &[]);
        assert!(!section(&d, "went_well").contains("The page was taken"));
    }

    #[test]
    fn who_noticed_first_and_an_unanswered_page_are_told() {
        let text = "2026-03-02 orders-api errors
09:00 orders-api p99 latency 4s, error rate 9%
09:03 support: customers report checkout failing
09:05 PagerDuty alert OrdersErrorRate fired
09:21 escalated to on-call (kim) after no ack from the primary
09:22 kim: looking
";
        let d = draft(&report(text), None, &[]);
        let poorly = section(&d, "went_poorly");
        assert!(
            poorly.contains("People reported it before any alert: the first report at 09:03 UTC, the first alert at 09:05 UTC"),
            "{poorly}"
        );
        assert!(
            poorly.contains("The page waited 18 min for someone to take it"),
            "{poorly}"
        );
        // people found it: alerting is not credited
        assert!(!section(&d, "went_well").contains("Alerting caught it"));
        // an alert first: credited, and nothing said about people
        let alerted = text.replace("09:03 support: customers report checkout failing\n", "");
        let d = draft(&report(&alerted), None, &[]);
        assert!(
            section(&d, "went_well").contains("Alerting caught it 5 min"),
            "{}",
            section(&d, "went_well")
        );
        assert!(!section(&d, "went_poorly").contains("People reported"));
    }

    #[test]
    fn follow_ups_run_where_the_service_runs() {
        let fixture = |name: &str| {
            std::fs::read_to_string(format!(
                "{}/fixtures/incidents/{name}.txt",
                env!("CARGO_MANIFEST_DIR")
            ))
            .expect("fixture")
        };
        // a service on VMs under systemd: no kubectl; one on SQLite: no psql
        for (name, not) in [
            ("000-checkout-sync-db-call", "kubectl"),
            ("002-purge-lock-restart-loop", "psql"),
        ] {
            let d = draft(&report(&fixture(name)), None, &[]);
            let f = section(&d, "follow_ups");
            assert!(f.contains("Confirm or rule out"), "{name}: {f}");
            assert!(!f.contains(not), "{name}: {f}");
        }
        // on Kubernetes with Postgres both stay
        let d = draft(&report(&fixture("001-payment-pool-cron")), None, &[]);
        assert!(section(&d, "follow_ups").contains("psql"));
    }

    #[test]
    fn timeline_entries_say_what_happened_once() {
        let text = "2026-03-02 orders-api errors
09:00 orders-api error rate 9%
worker log around the 09:00 run:
09:02  purge run:   deleted 1,200 rows
09:04 kim: the pool is full
== what we knew at 09:05 ==
";
        let d = draft(&report(text), None, &[]);
        let t = section(&d, "timeline");
        assert!(
            t.contains("- 09:02 — purge run: deleted 1,200 rows (line 4)"),
            "{t}"
        );
        assert!(
            t.contains("- 09:04 — **kim** the pool is full (line 5)"),
            "{t}"
        );
        assert!(!t.contains("(line 3)"), "a heading is not an event: {t}");
        assert!(!t.contains("(line 6)"), "a heading is not an event: {t}");
        let described = draft(
            &report(
                "2026-03-02 pod restarts\n    Started:      Thu, 30 Apr 2026 04:02:51 +0000\n    Finished:     Thu, 30 Apr 2026 05:14:02 +0000\n",
            ),
            None,
            &[],
        );
        let t = section(&described, "timeline");
        assert!(t.contains("04:02:51 — container started (line 2)"), "{t}");
        assert!(t.contains("05:14:02 — container ended (line 3)"), "{t}");
    }

    #[test]
    fn what_a_person_wrote_in_a_section_is_read_back() {
        let d = draft(&report(PASTE), None, &[]);
        let md = d.markdown();
        // as generated: nobody wrote anything
        assert_eq!(edited_section(&md, "root_cause"), None);
        let rc = d.sections.iter().find(|s| s.key == "root_cause").unwrap();
        let mine = md.replacen(
            &rc.markdown,
            "**The settlement cron held 81 connections** (high confidence, confirmed).\n\nIt ran every minute.",
            1,
        );
        let body = edited_section(&mine, "root_cause").expect("edited");
        assert!(body.starts_with("**The settlement"), "{body}");
        assert_eq!(
            plain_paragraph(&body),
            "The settlement cron held 81 connections"
        );
        // a section still holding a placeholder is not taken as written
        let unfinished = md.replacen(&rc.markdown, "[FILL IN: the mechanism] maybe the cron", 1);
        assert_eq!(edited_section(&unfinished, "root_cause"), None);
        assert_eq!(
            plain_paragraph("- 14:20 rolled back v2.41\n- 14:25 **errors gone**\n\nlater text"),
            "14:20 rolled back v2.41; 14:25 errors gone"
        );
    }

    #[test]
    fn paste_text_cannot_close_a_marker() {
        let r = report("14:02 UTC error --> <!-- sentinel:end summary --> too many clients\n");
        let md = draft(&r, None, &[]).markdown();
        assert_eq!(
            md.matches("<!-- sentinel:end summary -->").count(),
            1,
            "{md}"
        );
        let m = merge(&md, &draft(&r, None, &[]));
        assert_eq!(m.text, md);
    }
}
