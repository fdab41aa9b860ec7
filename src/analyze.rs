//! The offline pipeline in one pure function: text -> ingest -> rank -> plan -> [`Report`], plus
//! severity, summary and customer impact. No I/O, no clock: the same paste gives the same report.

use crate::ingest::{self, Settings};
use crate::model::{CheckItem, FollowUp, Hypothesis, Incident};
use crate::playbook::Library;
use crate::{plan, rank};
use std::sync::LazyLock;

/// Probe targets named by flags, which take precedence over names found in the paste.
#[derive(Clone, Debug, Default)]
pub struct Targets {
    /// `--namespace`.
    pub namespace: Option<String>,
    /// `--selector`.
    pub selector: Option<String>,
    /// `--host`.
    pub hosts: Vec<String>,
}

/// Severity with the reasoning behind it.
#[derive(Clone, Debug)]
pub struct Severity {
    /// SEV1..SEV4.
    pub level: &'static str,
    /// Why, naming the numbers used.
    pub reasoning: String,
}

/// A similar past incident, from the store.
#[derive(Clone, Debug, serde::Serialize)]
pub struct SimilarMatch {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// 0..1.
    pub score: f64,
    /// Its recorded root cause.
    pub root_cause: Option<String>,
    /// How it was resolved, when recorded.
    pub resolution: Option<String>,
    /// The failure mode (playbook id) found in it.
    #[serde(skip)]
    pub failure_mode: Option<String>,
    /// Its root cause is confirmed (a postmortem's, or confirmed during the incident).
    #[serde(skip)]
    pub confirmed: bool,
    /// Why it matched.
    pub why: String,
}

/// Everything `investigate` reports.
#[derive(Clone, Debug)]
pub struct Report {
    /// The incident id (content-derived until the store assigns one).
    pub id: String,
    /// The parsed incident.
    pub incident: Incident,
    /// Severity.
    pub severity: Severity,
    /// One paragraph.
    pub summary: String,
    /// Customer impact.
    pub impact: String,
    /// Ranked hypotheses.
    pub hypotheses: Vec<Hypothesis>,
    /// What to check next.
    pub checklist: Vec<CheckItem>,
    /// Action items.
    pub follow_ups: Vec<FollowUp>,
    /// Similar past incidents.
    pub similar: Vec<SimilarMatch>,
    /// Notes for the reader (no probe ran, nothing matched, what to collect).
    pub notes: Vec<String>,
    /// Where the probes ran and how they fared (None: no probe was attempted).
    pub probes: Option<ProbeSummary>,
}

/// Where the probes ran and how they fared.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct ProbeSummary {
    /// The kubectl context used (the flag's, or kubectl's current context).
    pub kube_context: Option<String>,
    /// The namespace used.
    pub namespace: Option<String>,
    /// Probes that ran and answered.
    pub ok: usize,
    /// Probes that failed.
    pub failed: usize,
    /// Probes killed at their timeout.
    pub timeout: usize,
    /// Probes not run, each with its reason in the checklist.
    pub skipped: usize,
    /// Ctrl-C stopped the run.
    pub interrupted: bool,
}

/// Run the offline analysis.
pub fn analyze(text: &str, settings: &Settings, lib: &Library, targets: &Targets) -> Report {
    analyze_parsed(text, ingest::parse(text, settings), lib, targets, None, &[])
}

/// What of the analysis needs only the paste's masked lines, found beforehand (side by side with
/// [`ingest::parse_masked`]).
#[derive(Clone)]
pub struct Prepared {
    /// From [`rank::match_lines`].
    pub lines: rank::LineMatches,
    /// From [`severity_lines`].
    pub severity: SeverityLines,
}

/// [`analyze`] of a paste already read by [`ingest::parse`] (`text` is the paste it read), with
/// the parts that need only its lines given in `pre` if they were found beforehand, and what
/// probes observed.
pub fn analyze_parsed(
    text: &str,
    mut incident: crate::model::Incident,
    lib: &Library,
    targets: &Targets,
    pre: Option<Prepared>,
    observed: &[rank::Observed],
) -> Report {
    let (lines, sev) = match pre {
        Some(p) => (Some(p.lines), Some(p.severity)),
        None => (None, None),
    };
    if let Some(ns) = &targets.namespace {
        incident.entities.namespaces.insert(0, ns.clone());
    }
    for h in targets.hosts.iter().rev() {
        incident.entities.hosts.insert(0, h.clone());
    }
    let mut hypotheses = rank::rank_with(&incident, lib, lines, observed);
    plan::mark_useless(&mut hypotheses, lib, text);
    let vars = vars_of(&incident, targets);
    let checklist = plan::checklist(&hypotheses, lib, &vars);
    let follow_ups = plan::follow_ups(&hypotheses, lib, &vars);
    let severity = severity(&incident, sev);
    let impact = impact(&incident);
    let mut notes = Vec::new();
    if hypotheses.is_empty() {
        notes.push(
            "no playbook matched this paste: add error messages from the logs, metric readings with their limits (`500 / 500`), recent deploys and config changes with times, and `kubectl describe` / `get events` output".into(),
        );
    }
    let summary = summary(&incident, &hypotheses, &severity);
    Report {
        probes: None,
        id: content_id(text),
        incident,
        severity,
        summary,
        impact,
        hypotheses,
        checklist,
        follow_ups,
        similar: Vec::new(),
        notes,
    }
}

/// The values probe commands are filled with: from the incident, a `--selector` first.
fn vars_of(incident: &crate::model::Incident, targets: &Targets) -> crate::template::Vars {
    let vars = rank::vars_for(incident, None);
    match &targets.selector {
        Some(sel) => {
            let mut first = crate::template::Vars::default();
            first.offer("selector", sel);
            if first.get("selector").is_some() {
                merge(first, &vars)
            } else {
                vars
            }
        }
        None => vars,
    }
}

/// Put the probes' results into the checklist: each entry that ran gets its status, findings
/// and time; probes that ran but are not in the (re-ranked) checklist are added after it.
pub fn add_probe_results(r: &mut Report, outcomes: &[crate::probe::Outcome]) {
    fn status(s: &str) -> &'static str {
        match s {
            "ok" => "ok",
            "failed" => "failed",
            "timeout" => "timeout",
            _ => "skipped",
        }
    }
    for o in outcomes {
        let fill = |c: &mut CheckItem| {
            c.status = status(&o.status);
            c.reason.clone_from(&o.reason);
            c.findings.clone_from(&o.findings);
            c.took_ms = (o.status != "skipped").then_some(o.took_ms);
        };
        if let Some(c) = r.checklist.iter_mut().find(|c| c.id == o.id) {
            fill(c);
            continue;
        }
        // a host entry run on several hosts (`ID@HOST`) is listed once per host, in its place
        if let Some((base, _)) = o.id.split_once('@')
            && let Some(i) = r.checklist.iter().position(|c| c.id == base)
        {
            let mut c = r.checklist[i].clone();
            c.id.clone_from(&o.id);
            c.command.clone_from(&o.command);
            c.argv.clone_from(&o.argv);
            fill(&mut c);
            let prefix = format!("{base}@");
            let at = i
                + 1
                + r.checklist[i + 1..]
                    .iter()
                    .take_while(|x| x.id.starts_with(&prefix))
                    .count();
            r.checklist.insert(at, c);
            continue;
        }
        let mut c = CheckItem {
            id: o.id.clone(),
            kind: o.kind.unwrap_or(crate::model::ProbeKind::Kubectl),
            command: o.command.clone(),
            argv: o.argv.clone(),
            query: None,
            why: survey_why(&o.id).to_string(),
            expected: String::new(),
            hypotheses: o.hypotheses.clone(),
            missing: Vec::new(),
            status: "not_run",
            reason: None,
            findings: Vec::new(),
            took_ms: None,
        };
        fill(&mut c);
        r.checklist.push(c);
    }
    // an entry that ran per host is shown by its per-host entries
    r.checklist.retain(|c| {
        c.status != "not_run"
            || !outcomes
                .iter()
                .any(|o| o.id.split_once('@').is_some_and(|(base, _)| base == c.id))
    });
}

/// Why a survey probe runs.
fn survey_why(id: &str) -> &'static str {
    if let Some(rest) = id.strip_prefix("host/") {
        return crate::probe::host::why(rest);
    }
    if id.starts_with("log/signature/") {
        return "the paste's own error signature, counted in the logs over time";
    }
    if id.ends_with("@kubectl-logs") {
        return "the probe's log pattern, searched in the kubectl logs the survey read";
    }
    match id.split('/').nth(1).unwrap_or("") {
        "context" => "which cluster the probes talk to",
        "pods" => {
            "survey: the workload's pods, their states, restarts and last termination reasons"
        }
        "events" => "survey: the namespace's warning events",
        "deployments" => "survey: replicas ready and unavailable, rollout conditions, images",
        "nodes" => "survey: nodes not Ready or under memory, disk or PID pressure",
        "logs" => "survey: the workload's recent log lines",
        "rollout-history" => "survey: the workload's recent revisions",
        "previous-logs" => "why the restarted container exited: its last log lines",
        _ => "a probe from an earlier ranking",
    }
}

impl ProbeSummary {
    /// Count outcomes by status.
    pub fn count(outcomes: &[crate::probe::Outcome]) -> ProbeSummary {
        let n = |s: &str| outcomes.iter().filter(|o| o.status == s).count();
        ProbeSummary {
            ok: n("ok"),
            failed: n("failed"),
            timeout: n("timeout"),
            skipped: n("skipped"),
            ..Default::default()
        }
    }
    /// One line for the notes.
    pub fn describe(&self) -> String {
        let mut s = format!(
            "probes: {} ok, {} failed, {} timed out, {} skipped",
            self.ok, self.failed, self.timeout, self.skipped
        );
        match (&self.kube_context, &self.namespace) {
            (Some(c), Some(n)) => s.push_str(&format!("; kubectl context {c}, namespace {n}")),
            (None, Some(n)) => s.push_str(&format!("; namespace {n}")),
            _ => {}
        }
        if self.interrupted {
            s.push_str("; interrupted by Ctrl-C (the results so far are shown)");
        }
        s
    }
}

/// Fill in past incidents like this one; a strong match with a confirmed root cause raises its
/// hypothesis (see [`rank::corroborate`]), and the summary, checklist and follow-ups are made
/// again for the new order.
pub fn add_similar(r: &mut Report, matches: Vec<SimilarMatch>, lib: &Library, targets: &Targets) {
    if rank::corroborate(&mut r.hypotheses, &matches) {
        r.summary = summary(&r.incident, &r.hypotheses, &r.severity);
        let vars = vars_of(&r.incident, targets);
        r.checklist = plan::checklist(&r.hypotheses, lib, &vars);
        r.follow_ups = plan::follow_ups(&r.hypotheses, lib, &vars);
    }
    r.similar = matches;
}

fn merge(mut first: crate::template::Vars, rest: &crate::template::Vars) -> crate::template::Vars {
    for v in crate::template::VARIABLES {
        if let Some(x) = rest.get(v) {
            first.offer(v, x);
        }
    }
    first
}

/// A short stable id from the content (FNV-1a), until the store names the incident.
pub fn content_id(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("inc-{:012x}", h & 0xffff_ffff_ffff)
}

const DATA_LOSS_P: &str = r"(?i)\b(data loss|lost (data|writes|records|messages|orders)|deleted (customer|production|prod|user)|permanently deleted|unrecoverable|dropped (table|database)|wiped)\b";
const DOWN_P: &str = r"(?i)\b(site (is )?down|fully down|complete outage|total outage|hard down|all (users|customers|requests|regions|sites)|every (request|user|customer)|100 ?% (of requests|errors|failure)|0/\d+ (servers |nodes |pods |backends )?(up|ready|healthy)|nothing (works|loads)|unavailable for (all|everyone)|global outage|cannot (log ?in|sign ?in|check ?out))\b";
const USER_FACING_P: &str = r"(?i)\b(customers?|users?|checkouts?|logins?|payments?|orders?|signups?|public|user-facing|end users|CS reports|support tickets?|complain\w*)\b";
static USER_FACING: LazyLock<crate::re::Light> =
    LazyLock::new(|| crate::re::light(USER_FACING_P).expect("valid"));
const INTERNAL_P: &str = r"(?i)\b(internal only|internal tool|no (customer|user) impact|staging|dev cluster|batch only|workaround)\b";

/// The four severity patterns: data loss, fully down, user-facing, internal only. None of them
/// can match a line break.
static SEVERITY: LazyLock<[crate::re::Light; 4]> = LazyLock::new(|| {
    [DATA_LOSS_P, DOWN_P, USER_FACING_P, INTERNAL_P].map(|p| crate::re::scanner(p).expect("valid"))
});

/// For each severity pattern (data loss, fully down, user-facing, internal only), the first
/// unhedged line it matches (from 1). Needs only the lines' text, so it can be found while the
/// rest of the paste is read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SeverityLines([Option<usize>; 4]);

/// Find the [`SeverityLines`] of a paste's lines (as [`ingest::Masked::lines`] gives them): one
/// search of each pattern over all of them (a search per line costs a search start per line,
/// and most patterns match no line at all); a match on a hedged line does not count.
pub fn severity_lines(lines: &[&str]) -> SeverityLines {
    let mut text = String::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
    let mut starts: Vec<usize> = Vec::with_capacity(lines.len());
    for l in lines {
        starts.push(text.len());
        text.push_str(l);
        text.push('\n');
    }
    let line_of = |off: usize| starts.partition_point(|s| *s <= off) - 1;
    SeverityLines(SEVERITY.each_ref().map(|re| {
        re.find_iter(&text)
            .map(|m| line_of(m.start()))
            .find(|&i| !ingest::text::is_hedged(lines[i]))
            .map(|i| i + 1)
    }))
}

fn severity(inc: &Incident, pre: Option<SeverityLines>) -> Severity {
    let mut reasons: Vec<String> = Vec::new();
    let found = pre.unwrap_or_else(|| {
        let lines: Vec<&str> = inc.lines.iter().map(|l| l.text.as_str()).collect();
        severity_lines(&lines)
    });
    let [loss, down, user, internal] = found.0.map(|no| no.and_then(|n| inc.line(n)));
    // the worst error rate and latency factor
    let mut err_rate: Option<(f64, usize)> = None;
    let mut lat: Option<(f64, f64, f64, usize)> = None;
    for m in &inc.metrics {
        if m.normal {
            continue;
        }
        let n = m.name.as_str();
        if m.unit == "%"
            && (n.contains("error")
                || n.contains("5xx")
                || n.contains("fail")
                || n.contains("504")
                || n.contains("503")
                || n.contains("500"))
            && err_rate.is_none_or(|(v, _)| m.value > v)
        {
            err_rate = Some((m.value, m.line));
        }
        if m.unit == "ms"
            && (n.contains("latency")
                || n.contains("p99")
                || n.contains("p95")
                || n.contains("response"))
            && let (Some(b), Some(f)) = (m.before, m.change_factor())
            && lat.is_none_or(|(x, ..)| f > x)
        {
            lat = Some((f, b, m.value, m.line));
        }
    }
    if let Some(l) = loss {
        reasons.push(format!("data loss is reported (line {})", l.no));
    }
    if let Some(l) = down {
        reasons.push(format!(
            "a critical path is down for most users (line {})",
            l.no
        ));
    }
    if let Some((v, line)) = err_rate {
        reasons.push(format!("error rate {} (line {line})", fmt_num(v, "%")));
    }
    if let Some((f, b, a, line)) = lat {
        reasons.push(format!(
            "latency {} -> {} ({f:.0}x normal, line {line})",
            fmt_num(b, "ms"),
            fmt_num(a, "ms")
        ));
    }
    let level = if loss.is_some() || down.is_some() || err_rate.is_some_and(|(v, _)| v >= 50.0) {
        "SEV1"
    } else if err_rate.is_some_and(|(v, _)| v >= 1.0) || lat.is_some_and(|(f, ..)| f >= 3.0) {
        if internal.is_some() && user.is_none() {
            "SEV3"
        } else {
            "SEV2"
        }
    } else if inc.onset.is_some() {
        if let Some(l) = internal {
            reasons.push(format!(
                "impact looks internal or has a workaround (line {})",
                l.no
            ));
            "SEV3"
        } else if let Some(l) = user {
            reasons.push(format!(
                "users are affected (line {}) but no error rate or latency figure is given",
                l.no
            ));
            "SEV2"
        } else {
            reasons.push("symptoms are present but no user impact is stated".into());
            "SEV3"
        }
    } else {
        reasons.push("no symptom or user impact is stated".into());
        "SEV4"
    };
    let rule = match level {
        "SEV1" => "SEV1: a critical path down for most users, or data lost",
        "SEV2" => "SEV2: user-facing errors >= 1% or latency several times normal",
        "SEV3" => "SEV3: degraded with a workaround, or internal only",
        _ => "SEV4: no user impact yet",
    };
    Severity {
        level,
        reasoning: format!("{rule}; {}", reasons.join("; ")),
    }
}

fn fmt_num(v: f64, unit: &str) -> String {
    match unit {
        "ms" if v >= 1000.0 => format!("{}s", trim(v / 1000.0)),
        "ms" => format!("{}ms", trim(v)),
        "%" => format!("{}%", trim(v)),
        _ => trim(v),
    }
}

fn trim(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn impact(inc: &Incident) -> String {
    let mut parts = Vec::new();
    for m in &inc.metrics {
        if m.normal {
            continue;
        }
        let n = &m.name;
        let user_metric = n.contains("error")
            || n.contains("latency")
            || n.contains("p99")
            || n.contains("5xx")
            || n.contains("50");
        if user_metric && parts.len() < 3 {
            let v = match m.before {
                Some(b) => format!(
                    "{} {} -> {} (line {})",
                    n,
                    fmt_num(b, m.unit),
                    fmt_num(m.value, m.unit),
                    m.line
                ),
                None => format!("{} {} (line {})", n, fmt_num(m.value, m.unit), m.line),
            };
            parts.push(v);
        }
    }
    let reports: Vec<String> = inc
        .lines
        .iter()
        .filter(|l| {
            !l.hedged && USER_FACING.is_match(&l.text) && crate::ingest::is_symptom_line(inc, l)
        })
        .take(2)
        .map(|l| {
            format!(
                "line {}: {}",
                l.no,
                l.text.trim().chars().take(120).collect::<String>()
            )
        })
        .collect();
    if parts.is_empty() && reports.is_empty() {
        return "No customer impact is stated in the paste; check error rates and support channels.".into();
    }
    let mut s = String::new();
    if !parts.is_empty() {
        s.push_str(&format!("Measured: {}.", parts.join("; ")));
    }
    if !reports.is_empty() {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(&format!("Reported: {}.", reports.join("; ")));
    }
    s
}

fn summary(inc: &Incident, hyps: &[Hypothesis], sev: &Severity) -> String {
    let svc = inc.service().unwrap_or("the affected service");
    let onset = match inc.onset {
        Some((Some(at), line)) => format!(
            "since {} (line {line})",
            crate::ingest::time::short(&at, inc.anchor_date.is_some())
        ),
        Some((None, line)) => format!("first symptom at line {line}"),
        None => "no clear onset".into(),
    };
    let mut s = format!("{} incident on {svc}, {onset}.", sev.level);
    match hyps.first() {
        Some(h) => {
            s.push_str(&format!(
                " Most likely cause: {} ({} confidence, score {:.2})",
                h.title,
                h.confidence.as_str(),
                h.score
            ));
            if let Some(t) = &h.trigger {
                s.push_str(&format!(", tied to {t}"));
            }
            s.push('.');
            let n = h.evidence.len();
            s.push_str(&format!(
                " {n} piece(s) of evidence support it and {} argue against it.",
                h.counter_evidence.len()
            ));
            if let Some(h2) = hyps.get(1) {
                s.push_str(&format!(
                    " Next candidate: {} ({}).",
                    h2.title,
                    h2.confidence.as_str()
                ));
            }
        }
        None => s.push_str(" No known failure mode matched the evidence given."),
    }
    s
}

/// Compile this module's fixed patterns now (see [`crate::warm`]).
pub(crate) fn warm() {
    std::sync::LazyLock::force(&SEVERITY);
    std::sync::LazyLock::force(&USER_FACING);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_raised_hypothesis_leads_the_checklist_and_follow_ups_too() {
        let lib = crate::app::library(&[]).expect("built-in playbooks");
        let text = "14:02 UTC checkout errors\nFATAL: sorry, too many clients already\nkafka-b3: No space left on device\n";
        let mut r = analyze(text, &Settings::default(), &lib, &Targets::default());
        assert!(r.hypotheses.len() >= 2, "{:?}", r.hypotheses);
        let second = r.hypotheses[1].id.clone();
        let matches = vec![SimilarMatch {
            id: "INC-1".into(),
            title: "t".into(),
            score: 0.95,
            root_cause: Some("the same thing".into()),
            resolution: None,
            failure_mode: Some(second.clone()),
            confirmed: true,
            why: String::new(),
        }];
        add_similar(&mut r, matches, &lib, &Targets::default());
        assert_eq!(r.hypotheses[0].id, second);
        assert!(
            r.checklist[0].hypotheses.contains(&second),
            "{:?}",
            r.checklist
                .iter()
                .map(|c| &c.hypotheses)
                .collect::<Vec<_>>()
        );
        let fresh = plan::follow_ups(
            &r.hypotheses,
            &lib,
            &vars_of(&r.incident, &Targets::default()),
        );
        assert_eq!(
            r.follow_ups.iter().map(|f| &f.title).collect::<Vec<_>>(),
            fresh.iter().map(|f| &f.title).collect::<Vec<_>>()
        );
    }
}
