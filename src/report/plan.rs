//! The mitigation plan and what `mitigate` did: text for people (table and markdown formats
//! alike: a numbered list reads better than a table of long commands) and
//! `sentinel.mitigation/v1` JSON.

use super::sanitize::clean;
use crate::mitigate::{Action, Plan};
use serde::Serialize;
use std::io::Write;

/// The JSON schema.
pub const SCHEMA: &str = "sentinel.mitigation/v1";

/// What happened to one action.
#[derive(Clone, Debug, Serialize)]
pub struct Outcome {
    /// `hypothesis/mitigation`.
    pub action: String,
    /// approved, skipped, not_run, quit, blocked.
    pub decision: String,
    /// Who decided (`$USER`, `--approve`).
    pub by: Option<String>,
    /// Each step run.
    pub steps: Vec<StepOutcome>,
    /// The verification, when it ran.
    pub verification: Option<Verification>,
    /// The action failed or did not recover.
    pub failed: bool,
}

/// One step's result.
#[derive(Clone, Debug, Serialize)]
pub struct StepOutcome {
    /// What ran.
    pub command: String,
    /// It succeeded.
    pub ok: bool,
    /// Exit status.
    pub exit: Option<i32>,
    /// Output (capped).
    pub output: String,
    /// Why it failed.
    pub error: Option<String>,
    /// Milliseconds.
    pub took_ms: u64,
}

/// A verification's result.
#[derive(Clone, Debug, Serialize)]
pub struct Verification {
    /// What was read.
    pub what: String,
    /// Before the action.
    pub before: Option<f64>,
    /// The last read.
    pub after: Option<f64>,
    /// recovered | not_recovered | unverified.
    pub result: String,
    /// The rule.
    pub rule: String,
    /// Why it could not read, if it could not.
    pub error: Option<String>,
}

#[derive(Serialize)]
struct StepV1<'a> {
    command: &'a str,
    on: &'a str,
    timeout_s: u64,
    blocked: Option<&'a str>,
}

#[derive(Serialize)]
struct VerifyV1<'a> {
    what: &'a str,
    command: &'a str,
    recovered: String,
    blocked: Option<&'a str>,
}

#[derive(Serialize)]
struct ActionV1<'a> {
    n: usize,
    id: &'a str,
    qualified: &'a str,
    hypothesis: &'a str,
    hypothesis_title: &'a str,
    confidence: &'a str,
    title: &'a str,
    risk: &'a str,
    rollback: &'a str,
    reversible: bool,
    runnable: bool,
    blocked: Option<String>,
    will_not_help: Option<super::v1::WillNotHelpV1>,
    command: &'a str,
    steps: Vec<StepV1<'a>>,
    verify: Option<VerifyV1<'a>>,
}

#[derive(Serialize)]
struct PlanV1<'a> {
    schema: &'static str,
    incident: &'a str,
    dry_run: bool,
    target: serde_json::Value,
    actions: Vec<ActionV1<'a>>,
    outcomes: &'a [Outcome],
}

/// The plan (and the outcomes, once run) as `sentinel.mitigation/v1`.
pub fn json(
    plan: &Plan,
    dry_run: bool,
    outcomes: &[Outcome],
    w: &mut dyn Write,
) -> std::io::Result<()> {
    let t = &plan.target;
    let v = PlanV1 {
        schema: SCHEMA,
        incident: &plan.incident,
        dry_run,
        target: serde_json::json!({
            "kube_context": t.kube_context, "namespace": t.namespace, "host": t.host,
            "database": t.database, "prom": t.prom,
        }),
        actions: plan
            .actions
            .iter()
            .map(|a| ActionV1 {
                n: a.n,
                id: &a.id,
                qualified: &a.qualified,
                hypothesis: &a.hypothesis,
                hypothesis_title: &a.hypothesis_title,
                confidence: a.confidence,
                title: &a.title,
                risk: &a.risk,
                rollback: &a.rollback,
                reversible: a.reversible,
                runnable: a.blocked().is_none(),
                blocked: a.blocked(),
                will_not_help: a.will_not_help.as_ref().map(|(why, line, text)| {
                    super::v1::WillNotHelpV1 {
                        why: why.clone(),
                        line: *line,
                        text: text.clone(),
                    }
                }),
                command: &a.command,
                steps: a
                    .steps
                    .iter()
                    .map(|s| StepV1 {
                        command: &s.shown,
                        on: &s.on,
                        timeout_s: s.timeout.as_secs(),
                        blocked: s.blocked.as_deref(),
                    })
                    .collect(),
                verify: a.verify.as_ref().map(|v| VerifyV1 {
                    what: &v.what,
                    command: &v.shown,
                    recovered: v.rule.describe(None),
                    blocked: v.blocked.as_deref(),
                }),
            })
            .collect(),
        outcomes,
    };
    super::json(&v, w)
}

/// The plan for people.
pub fn text(plan: &Plan, w: &mut dyn Write) -> std::io::Result<()> {
    if plan.actions.is_empty() {
        writeln!(
            w,
            "No mitigations: no hypothesis of {} has any in its playbook.",
            plan.incident
        )?;
        return Ok(());
    }
    let mut last = "";
    for a in &plan.actions {
        if a.hypothesis != last {
            if !last.is_empty() {
                writeln!(w)?;
            }
            writeln!(
                w,
                "Hypothesis: {} ({})",
                clean(&a.hypothesis_title),
                a.confidence
            )?;
            last = &a.hypothesis;
        }
        action(a, w)?;
    }
    Ok(())
}

/// One action, as the plan and the prompt show it.
pub fn action(a: &Action, w: &mut dyn Write) -> std::io::Result<()> {
    writeln!(w, "  [{}] {}  ({})", a.n, clean(&a.title), a.id)?;
    writeln!(w, "      risk: {}", clean(&a.risk))?;
    writeln!(
        w,
        "      rollback: {}{}",
        clean(&a.rollback),
        if a.reversible { " (reversible)" } else { "" }
    )?;
    if a.steps.is_empty() {
        writeln!(w, "      advice: {}", clean(&a.command))?;
    }
    let many = a.steps.len() > 1;
    for (i, s) in a.steps.iter().enumerate() {
        let n = if many {
            format!("step {}: ", i + 1)
        } else {
            String::new()
        };
        writeln!(w, "      {n}on {}", clean(&s.on))?;
        writeln!(w, "        $ {}", clean(&s.shown))?;
    }
    if let Some(v) = &a.verify {
        writeln!(
            w,
            "      verify: {}: recovered when {}{}",
            clean(&v.what),
            v.rule.describe(None),
            v.blocked
                .as_deref()
                .map(|b| format!(" (cannot read: {})", clean(b)))
                .unwrap_or_default()
        )?;
    }
    if let Some((why, line, text)) = &a.will_not_help {
        writeln!(
            w,
            "      ✗ will not help: {} (line {line}: \"{}\")",
            clean(why),
            clean(&clip(text, 120))
        )?;
    }
    if let Some(b) = a.blocked() {
        writeln!(w, "      cannot run: {}", clean(&b))?;
    }
    Ok(())
}

/// At most `max` characters, with `…` when cut.
fn clip(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}
