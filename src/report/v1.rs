//! The machine-readable contract: `sentinel.report/v1` (investigate, checklist) and
//! `sentinel.similar/v1`. Field names are fixed: fields may be added, none renamed or removed.
//!
//! ```text
//! { "schema": "sentinel.report/v1",
//!   "incident": {id, title, service, severity, severity_reasoning, started_at, signals, timeline[{at, actor, text, line}]},
//!   "summary", "impact",
//!   "hypotheses": [{id, title, summary, confidence, score, status, trigger,
//!                   evidence[{source, text, line, weight}], counter_evidence, mitigations[{id, title, command, risk, rollback}]}],
//!   "checklist": [{id, kind, command, why, expected, status, findings}],
//!   "follow_ups": [{title, priority, owner, kind}],
//!   "similar": [{id, title, score, root_cause, why}] }
//! ```

use crate::analyze::Report;
use crate::model::{Evidence, Source};
use serde::Serialize;

/// The report schema name.
pub const REPORT_SCHEMA: &str = "sentinel.report/v1";

/// The whole report.
#[derive(Serialize)]
pub struct ReportV1 {
    /// Schema name.
    pub schema: &'static str,
    /// The incident.
    pub incident: IncidentV1,
    /// One paragraph.
    pub summary: String,
    /// Customer impact.
    pub impact: String,
    /// Best first.
    pub hypotheses: Vec<HypothesisV1>,
    /// Checklist.
    pub checklist: Vec<CheckV1>,
    /// Follow-ups.
    pub follow_ups: Vec<crate::model::FollowUp>,
    /// Similar incidents.
    pub similar: Vec<SimilarV1>,
    /// Notes (added field).
    pub notes: Vec<String>,
    /// Where the probes ran and how they fared (added field; absent with --offline).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probes: Option<crate::analyze::ProbeSummary>,
}

/// The incident part.
#[derive(Serialize)]
pub struct IncidentV1 {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Main service.
    pub service: Option<String>,
    /// SEV1..SEV4.
    pub severity: &'static str,
    /// Why.
    pub severity_reasoning: String,
    /// The onset: RFC 3339, a time of day, or null.
    pub started_at: Option<String>,
    /// Signals: error signatures, metrics and changes.
    pub signals: Vec<SignalV1>,
    /// Timeline.
    pub timeline: Vec<TimelineV1>,
    /// Namespace found (added field).
    pub namespace: Option<String>,
    /// Credentials masked (added field).
    pub redactions: usize,
}

/// One extracted signal.
#[derive(Serialize)]
pub struct SignalV1 {
    /// signature|metric|change|output.
    pub kind: &'static str,
    /// Family, metric name or change kinds.
    pub name: String,
    /// Human text.
    pub text: String,
    /// 1-based line.
    pub line: Option<usize>,
    /// A count or value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
}

/// A timeline entry.
#[derive(Serialize)]
pub struct TimelineV1 {
    /// When.
    pub at: String,
    /// Who.
    pub actor: Option<String>,
    /// What.
    pub text: String,
    /// 1-based line.
    pub line: usize,
}

/// A hypothesis.
#[derive(Serialize)]
pub struct HypothesisV1 {
    /// Playbook id.
    pub id: String,
    /// Mechanism.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// high|medium|low.
    pub confidence: &'static str,
    /// 0..1.
    pub score: f64,
    /// unconfirmed|confirmed|refuted.
    pub status: &'static str,
    /// Trigger.
    pub trigger: Option<String>,
    /// For.
    pub evidence: Vec<EvidenceV1>,
    /// Against.
    pub counter_evidence: Vec<EvidenceV1>,
    /// Fixes.
    pub mitigations: Vec<MitigationV1>,
}

/// Evidence.
#[derive(Serialize)]
pub struct EvidenceV1 {
    /// context|probe:ID|similar:ID.
    pub source: String,
    /// Text.
    pub text: String,
    /// 1-based line or null.
    pub line: Option<usize>,
    /// Weight.
    pub weight: f64,
}

/// A mitigation.
#[derive(Serialize)]
pub struct MitigationV1 {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Command.
    pub command: String,
    /// Risk.
    pub risk: String,
    /// Rollback.
    pub rollback: String,
    /// When it will not help (added field).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_when: Option<String>,
    /// Its rollback restores the state before it (added field).
    pub reversible: bool,
    /// `sentinel mitigate` can run it (added field).
    pub runnable: bool,
    /// The paste's line that says it will not help (added field).
    pub will_not_help: Option<WillNotHelpV1>,
}

/// Evidence that a mitigation will not help.
#[derive(Serialize)]
pub struct WillNotHelpV1 {
    /// Why.
    pub why: String,
    /// The 1-based line.
    pub line: usize,
    /// Its text.
    pub text: String,
}

/// A checklist item.
#[derive(Serialize)]
pub struct CheckV1 {
    /// Id.
    pub id: String,
    /// kubectl|sql|log|http|host.
    pub kind: &'static str,
    /// Command.
    pub command: String,
    /// Why.
    pub why: String,
    /// Expected.
    pub expected: String,
    /// not_run|ok|failed|skipped|timeout.
    pub status: &'static str,
    /// Findings (filled by probes).
    pub findings: Vec<serde_json::Value>,
    /// Hypotheses it tests (added field).
    pub hypotheses: Vec<String>,
    /// Why it cannot run yet, or why it failed (added field).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// How long the probe ran (added field).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub took_ms: Option<u64>,
}

/// A similar incident.
#[derive(Serialize)]
pub struct SimilarV1 {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// 0..1.
    pub score: f64,
    /// Root cause.
    pub root_cause: Option<String>,
    /// How it was resolved.
    pub resolution: Option<String>,
    /// Why.
    pub why: String,
}

fn ev(e: &Evidence) -> EvidenceV1 {
    EvidenceV1 {
        source: match &e.source {
            Source::Context => "context".into(),
            Source::Probe(id) => format!("probe:{id}"),
            Source::Similar(id) => format!("similar:{id}"),
        },
        text: e.text.clone(),
        line: e.line,
        weight: e.weight,
    }
}

/// Build the contract value from a report.
pub fn report(r: &Report) -> ReportV1 {
    let inc = &r.incident;
    let mut signals = Vec::new();
    for s in &inc.signatures {
        signals.push(SignalV1 {
            kind: "signature",
            name: format!("{:?}", s.family).to_lowercase(),
            text: s.name.clone(),
            line: s.lines.first().copied(),
            value: s.count.map(|c| c as f64),
        });
    }
    for m in &inc.metrics {
        let text = match (m.before, m.limit, m.factor) {
            (Some(b), _, _) => format!("{} {} -> {} {}", m.name, num(b), num(m.value), m.unit),
            (None, Some(l), _) => format!("{} {} / {} {}", m.name, num(m.value), num(l), m.unit),
            (None, None, Some(f)) => format!("{} {}x", m.name, num(f)),
            _ => format!("{} {} {}", m.name, num(m.value), m.unit),
        };
        let text = if m.normal {
            format!("{text} (stated normal)")
        } else {
            text
        };
        signals.push(SignalV1 {
            kind: "metric",
            name: m.name.clone(),
            text,
            line: Some(m.line),
            value: Some(m.value),
        });
    }
    for c in &inc.changes {
        signals.push(SignalV1 {
            kind: "change",
            name: c
                .kinds
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .join("+"),
            text: crate::rank::change_label(c),
            line: Some(c.line),
            value: None,
        });
    }
    for (kind, line) in &inc.blocks {
        signals.push(SignalV1 {
            kind: "output",
            name: (*kind).to_string(),
            text: format!("pasted {kind} output"),
            line: Some(*line),
            value: None,
        });
    }
    ReportV1 {
        schema: REPORT_SCHEMA,
        incident: IncidentV1 {
            id: r.id.clone(),
            title: inc.title.clone(),
            service: inc.service().map(str::to_string),
            severity: r.severity.level,
            severity_reasoning: r.severity.reasoning.clone(),
            started_at: inc.onset.and_then(|(at, _)| at).map(|m| m.to_string()),
            signals,
            timeline: inc
                .timeline
                .iter()
                .map(|t| TimelineV1 {
                    at: t.at.to_string(),
                    actor: t.actor.clone(),
                    text: t.text.clone(),
                    line: t.line,
                })
                .collect(),
            namespace: inc.entities.namespaces.first().cloned(),
            redactions: inc.redactions,
        },
        summary: r.summary.clone(),
        impact: r.impact.clone(),
        hypotheses: r
            .hypotheses
            .iter()
            .map(|h| HypothesisV1 {
                id: h.id.clone(),
                title: h.title.clone(),
                summary: h.summary.clone(),
                confidence: h.confidence.as_str(),
                score: h.score,
                status: h.status.as_str(),
                trigger: h.trigger.clone(),
                evidence: h.evidence.iter().map(ev).collect(),
                counter_evidence: h.counter_evidence.iter().map(ev).collect(),
                mitigations: h
                    .mitigations
                    .iter()
                    .map(|m| MitigationV1 {
                        id: m.id.clone(),
                        title: m.title.clone(),
                        command: m.command.clone(),
                        risk: m.risk.clone(),
                        rollback: m.rollback.clone(),
                        not_when: m.not_when.clone(),
                        reversible: m.reversible,
                        runnable: m.runnable,
                        will_not_help: m.will_not_help.as_ref().map(|(why, line, text)| {
                            WillNotHelpV1 {
                                why: why.clone(),
                                line: *line,
                                text: text.clone(),
                            }
                        }),
                    })
                    .collect(),
            })
            .collect(),
        checklist: r
            .checklist
            .iter()
            .map(|c| CheckV1 {
                id: c.id.clone(),
                kind: c.kind.as_str(),
                command: c.command.clone(),
                why: c.why.clone(),
                expected: c.expected.clone(),
                status: c.status,
                findings: c
                    .findings
                    .iter()
                    .map(|f| serde_json::Value::String(f.clone()))
                    .collect(),
                hypotheses: c.hypotheses.clone(),
                reason: c.reason.clone(),
                took_ms: c.took_ms,
            })
            .collect(),
        follow_ups: r.follow_ups.clone(),
        similar: r
            .similar
            .iter()
            .map(|s| SimilarV1 {
                id: s.id.clone(),
                title: s.title.clone(),
                score: s.score,
                root_cause: s.root_cause.clone(),
                resolution: s.resolution.clone(),
                why: s.why.clone(),
            })
            .collect(),
        notes: r.notes.clone(),
        probes: r.probes.clone(),
    }
}

fn num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        format!("{v:.3}").trim_end_matches('0').to_string()
    }
}
