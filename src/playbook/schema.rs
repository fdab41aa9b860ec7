//! The playbook file format (see `playbooks/README.md`). Strict: unknown keys are errors.

use crate::model::ProbeKind;
use serde::{Deserialize, Serialize};

/// One playbook file.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PlaybookSpec {
    /// Unique kebab-case id naming the mechanism.
    pub id: String,
    /// The mechanism, never a symptom alone.
    pub title: String,
    /// One or two general sentences.
    pub summary: String,
    /// database|compute|kubernetes|storage|network|dependency|change|operator|platform.
    pub category: String,
    /// Informational stack names.
    #[serde(default)]
    pub stacks: Vec<String>,
    /// A generic playbook: its title is completed with the trigger change it blames.
    #[serde(default)]
    pub generic: bool,
    /// Evidence for.
    pub signals: Vec<SignalSpec>,
    /// Evidence against.
    #[serde(default)]
    pub counter: Vec<SignalSpec>,
    /// Change kinds that can set the mechanism off.
    #[serde(default)]
    pub triggers: Vec<String>,
    /// Read-only checks.
    #[serde(default)]
    pub probes: Vec<ProbeSpec>,
    /// Fixes, best first.
    #[serde(default)]
    pub mitigations: Vec<MitigationSpec>,
    /// Action items.
    #[serde(default)]
    pub follow_ups: Vec<FollowUpSpec>,
    /// Self-tests.
    #[serde(default)]
    pub examples: Vec<ExampleSpec>,
}

/// A weighted evidence rule.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SignalSpec {
    /// Unique within the playbook.
    pub id: String,
    /// Short text shown with the evidence.
    pub describe: String,
    /// Regexes; one must match a line.
    #[serde(default)]
    pub any: Vec<String>,
    /// Regexes that must all also match that line.
    #[serde(default)]
    pub all: Vec<String>,
    /// A metric condition instead of line patterns.
    #[serde(default)]
    pub metric: Option<MetricCond>,
    /// A change condition instead of line patterns.
    #[serde(default)]
    pub change: Option<ChangeCond>,
    /// 0.1 ..= 10.
    pub weight: f64,
    /// Names the mechanism itself.
    #[serde(default)]
    pub decisive: bool,
    /// A downstream symptom many causes share.
    #[serde(default)]
    pub symptom: bool,
}

/// A condition on a parsed metric.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MetricCond {
    /// Regex over the metric name.
    pub name: String,
    /// The value is at >= 95% of a stated limit.
    #[serde(default)]
    pub saturated: Option<bool>,
    /// The value exceeds N.
    #[serde(default)]
    pub above: Option<f64>,
    /// after/before >= factor.
    #[serde(default)]
    pub rises: Option<f64>,
    /// after/before <= factor.
    #[serde(default)]
    pub drops: Option<f64>,
}

/// A condition on a parsed change.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeCond {
    /// Change kinds.
    pub kinds: Vec<String>,
    /// How long before onset (`90m`, `3h`, `2d`).
    #[serde(default)]
    pub within: Option<String>,
    /// Regex the change's line must match.
    #[serde(default)]
    pub text: Option<String>,
}

/// A read-only probe.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProbeSpec {
    /// Unique within the playbook.
    pub id: String,
    /// Which executor.
    pub kind: ProbeKind,
    /// kubectl/host: the argv.
    #[serde(default)]
    pub argv: Option<Vec<String>>,
    /// sql: the statement; http: a PromQL expression.
    #[serde(default)]
    pub query: Option<String>,
    /// log: the regex to grep for.
    #[serde(default)]
    pub pattern: Option<String>,
    /// Why it is run.
    pub why: String,
    /// What confirms or refutes.
    pub expected: String,
}

/// A mitigation.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MitigationSpec {
    /// Unique within the playbook.
    pub id: String,
    /// What it does.
    pub title: String,
    /// The command template.
    pub command: String,
    /// What can go wrong.
    pub risk: String,
    /// How to undo it.
    pub rollback: String,
    /// When it will not help.
    #[serde(default)]
    pub not_when: Option<String>,
    /// It can be undone (its rollback restores the state before it).
    #[serde(default)]
    pub reversible: bool,
    /// What `sentinel mitigate` runs, in order, once approved. Without steps the mitigation is
    /// advice: shown with its command, never run.
    #[serde(default)]
    pub steps: Vec<StepSpec>,
    /// How to tell that it worked.
    #[serde(default)]
    pub verify: Option<VerifySpec>,
    /// Evidence in the paste that says it will not help.
    #[serde(default)]
    pub not_if: Vec<NotIfSpec>,
}

/// One step of a mitigation.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StepSpec {
    /// kubectl, sql or host.
    pub kind: ProbeKind,
    /// kubectl/host: the argv (templates allowed; `-n`/`--context` come from the bundle).
    #[serde(default)]
    pub argv: Option<Vec<String>>,
    /// sql: the statement, values as `$1`, `$2`….
    #[serde(default)]
    pub query: Option<String>,
    /// sql: the parameters' templates.
    #[serde(default)]
    pub params: Vec<String>,
    /// sql: `own` (default) or `none` for statements that cannot run in a transaction.
    #[serde(default)]
    pub transaction: crate::safety::Transaction,
    /// sql: the lock_timeout (default 5s).
    #[serde(default)]
    pub lock_timeout: Option<String>,
    /// How long it may run (default 60s).
    #[serde(default)]
    pub timeout: Option<String>,
}

/// The verification of a mitigation: a read-only probe that yields one number, sampled before
/// and then for the verification window.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct VerifySpec {
    /// sql, kubectl, host or http (a PromQL expression against `--prom`).
    pub kind: ProbeKind,
    /// What the number is (`client connections of {service}`).
    pub what: String,
    /// kubectl/host: the argv; the first number it prints is the value (see `count`).
    #[serde(default)]
    pub argv: Option<Vec<String>>,
    /// kubectl/host: `lines` makes the value how many non-blank lines the argv prints (log
    /// lines of a kind in the last minute, pods in a state) instead of its first number.
    #[serde(default)]
    pub count: Option<Count>,
    /// With `count: lines`: only the lines this regex matches count. It is matched here, on
    /// the output, so it may hold what a remote command line may not (`|`, spaces): the
    /// wordings of several supervisors in one pattern.
    #[serde(default)]
    pub matching: Option<String>,
    /// sql: a read-only statement whose first column of the first row is the value; http: PromQL.
    #[serde(default)]
    pub query: Option<String>,
    /// sql: the parameters' templates.
    #[serde(default)]
    pub params: Vec<String>,
    /// When the signal counts as recovered: `< 50%` (of the value before), `<= 0`, `> 2`.
    pub recovered: String,
}

/// What a verification counts instead of reading a number.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Count {
    /// The non-blank lines of the output.
    Lines,
}

/// Evidence that a mitigation will not help.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NotIfSpec {
    /// A regex over the paste's lines.
    pub pattern: String,
    /// Why such a line means it will not help.
    pub why: String,
}

/// A follow-up action item.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FollowUpSpec {
    /// What to do.
    pub title: String,
    /// P0|P1|P2.
    pub priority: String,
    /// An owner role.
    pub owner: String,
    /// prevent|detect|mitigate.
    pub kind: String,
}

/// What an example expects of the ranking.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Expect {
    /// Ranks first.
    Top1,
    /// Ranks in the first three.
    Top3,
    /// Stays out of the first three.
    NotTop3,
}

/// A self-test snippet.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ExampleSpec {
    /// A name.
    pub name: String,
    /// The expectation.
    pub expect: Expect,
    /// The snippet.
    pub text: String,
}
