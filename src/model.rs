//! Shared domain types passed between the stages: the parsed [`Incident`], the ranked
//! [`Hypothesis`] list and the [`Checklist`]. Plain data, no I/O, no printing.

use crate::ingest::time::Moment;
use serde::Serialize;

/// One line of the paste, after credentials were masked.
#[derive(Clone, Debug)]
pub struct Line {
    /// 1-based line number in the pasted text.
    pub no: usize,
    /// The line's text (masked; possibly cut for analysis when extremely long).
    pub text: String,
    /// The first time the line states, anchored.
    pub at: Option<Moment>,
    /// The line only speculates or reports a disputed guess ("maybe traffic?", "mis-diagnosis").
    pub hedged: bool,
}

/// A family of error signatures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    /// Database errors (connections, locks, constraints).
    Database,
    /// Network errors (refused, reset, timeouts, unreachable).
    Network,
    /// Name resolution.
    Dns,
    /// TLS and certificates.
    Tls,
    /// Memory exhaustion and kills.
    Memory,
    /// Disk space and filesystem errors.
    Disk,
    /// File descriptor limits.
    FileDescriptors,
    /// Locks and lock waits.
    Lock,
    /// Kubernetes states and reasons.
    Kubernetes,
    /// HTTP status classes.
    Http,
    /// Panics, exceptions, crashes.
    Crash,
    /// CPU saturation or throttling.
    Cpu,
    /// Latency and timeouts.
    Latency,
    /// Rate limiting and throttling by a remote side.
    RateLimit,
    /// Authentication and authorisation failures.
    Auth,
}

/// An error signature found in the paste.
#[derive(Clone, Debug, Serialize)]
pub struct Signature {
    /// Its family.
    pub family: Family,
    /// A canonical name ("too many clients", "OOMKilled", "HTTP 5xx").
    pub name: String,
    /// Lines where it appears (1-based).
    pub lines: Vec<usize>,
    /// A count the paste gives for it, if any.
    pub count: Option<u64>,
}

/// A metric observation: a value, maybe with a before value or a limit.
#[derive(Clone, Debug, Serialize)]
pub struct Metric {
    /// The metric's name as written ("p99 latency", "active_connections").
    pub name: String,
    /// The value before the change, normalised to the unit.
    pub before: Option<f64>,
    /// The current (or only) value, normalised to the unit.
    pub value: f64,
    /// The unit after normalisation: `ms`, `%`, `bytes`, `per_min`, `per_s`, `count`, `x`.
    pub unit: &'static str,
    /// A limit the value is compared with (`500 / 500`).
    pub limit: Option<f64>,
    /// A stated multiple of normal (`3.8x normal`).
    pub factor: Option<f64>,
    /// The paste states the value is normal, fine or unchanged.
    pub normal: bool,
    /// The 1-based line.
    pub line: usize,
}

impl Metric {
    /// value / limit, when a limit is known.
    pub fn ratio(&self) -> Option<f64> {
        self.limit.filter(|l| *l > 0.0).map(|l| self.value / l)
    }
    /// after / before, or the stated factor.
    pub fn change_factor(&self) -> Option<f64> {
        if let Some(f) = self.factor {
            return Some(f);
        }
        match self.before {
            Some(b) if b > 0.0 => Some(self.value / b),
            Some(_) if self.value > 0.0 => Some(f64::INFINITY),
            _ => None,
        }
    }
    /// The value is at (>= 95% of) its limit.
    pub fn saturated(&self) -> bool {
        self.ratio().is_some_and(|r| r >= 0.95) || (self.unit == "%" && self.value >= 98.0)
    }
}

/// What kind of change a line records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// A deploy, release, rollout or build going out.
    Deploy,
    /// A configuration push or change.
    Config,
    /// A feature flag change.
    Flag,
    /// A schema or data migration, a backfill.
    Migration,
    /// A new or changed scheduled job, cron, batch.
    Cron,
    /// Infrastructure: nodes, clusters, terraform, network gear.
    Infra,
    /// Scaling up or down.
    Scale,
    /// Credential, key or certificate rotation.
    Rotation,
    /// Something deleted or removed on purpose.
    Delete,
    /// A DNS change.
    Dns,
    /// A network or routing change.
    Network,
    /// A version upgrade of a platform component.
    Upgrade,
    /// A rollback or revert (a response, never a trigger).
    Rollback,
}

impl ChangeKind {
    /// The name used in playbooks and output.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Deploy => "deploy",
            ChangeKind::Config => "config",
            ChangeKind::Flag => "flag",
            ChangeKind::Migration => "migration",
            ChangeKind::Cron => "cron",
            ChangeKind::Infra => "infra",
            ChangeKind::Scale => "scale",
            ChangeKind::Rotation => "rotation",
            ChangeKind::Delete => "delete",
            ChangeKind::Dns => "dns",
            ChangeKind::Network => "network",
            ChangeKind::Upgrade => "upgrade",
            ChangeKind::Rollback => "rollback",
        }
    }
    /// Parse a playbook's change kind.
    pub fn parse(s: &str) -> Option<ChangeKind> {
        Some(match s {
            "deploy" => ChangeKind::Deploy,
            "config" => ChangeKind::Config,
            "flag" => ChangeKind::Flag,
            "migration" => ChangeKind::Migration,
            "cron" => ChangeKind::Cron,
            "infra" => ChangeKind::Infra,
            "scale" => ChangeKind::Scale,
            "rotation" => ChangeKind::Rotation,
            "delete" => ChangeKind::Delete,
            "dns" => ChangeKind::Dns,
            "network" => ChangeKind::Network,
            "upgrade" => ChangeKind::Upgrade,
            "rollback" => ChangeKind::Rollback,
            _ => return None,
        })
    }
}

/// A change found in the paste.
#[derive(Clone, Debug, Serialize)]
pub struct Change {
    /// What kind of change.
    pub kinds: Vec<ChangeKind>,
    /// When, if stated.
    #[serde(skip)]
    pub at: Option<Moment>,
    /// The service it touched, if named.
    pub service: Option<String>,
    /// The version it shipped, if named.
    pub version: Option<String>,
    /// The version before it, if named or derivable.
    pub previous_version: Option<String>,
    /// The 1-based line.
    pub line: usize,
    /// The line's text, trimmed.
    pub text: String,
}

/// A timeline entry: a line with a time.
#[derive(Clone, Debug)]
pub struct TimelineEntry {
    /// When.
    pub at: Moment,
    /// Who (ci, an on-call name, a bot), if the line says.
    pub actor: Option<String>,
    /// What happened (the line without its timestamp).
    pub text: String,
    /// The 1-based line.
    pub line: usize,
}

/// Names found in the paste, most mentioned first.
#[derive(Clone, Debug, Default)]
pub struct Entities {
    /// Services and workloads.
    pub services: Vec<String>,
    /// Kubernetes namespaces.
    pub namespaces: Vec<String>,
    /// Hosts and VMs.
    pub hosts: Vec<String>,
    /// Pods.
    pub pods: Vec<String>,
    /// Nodes.
    pub nodes: Vec<String>,
    /// Database tables.
    pub tables: Vec<String>,
    /// Columns that queries filter on (`WHERE status = …`, a plan's `Filter: (status = …)`,
    /// "no index on status"): what a missing index would cover.
    pub columns: Vec<String>,
    /// Databases.
    pub databases: Vec<String>,
    /// systemd units.
    pub units: Vec<String>,
    /// Containers.
    pub containers: Vec<String>,
    /// Cron and batch jobs.
    pub jobs: Vec<String>,
    /// Endpoints (HTTP paths).
    pub endpoints: Vec<String>,
    /// Process ids named in the paste (`pid 18472`, `gunicorn[18472]:`).
    pub pids: Vec<String>,
}

/// The incident as parsed from the paste: the input of every later stage.
#[derive(Clone, Debug, Default)]
pub struct Incident {
    /// A title: the paste's first meaningful line, or a summary of its signals.
    pub title: String,
    /// Every line, masked.
    pub lines: Vec<Line>,
    /// Extra canonical text derived from pasted command output, each tied to its source line.
    pub facts: Vec<(usize, String)>,
    /// Error signatures.
    pub signatures: Vec<Signature>,
    /// Metric observations, ordered by line.
    pub metrics: Vec<Metric>,
    /// Changes.
    pub changes: Vec<Change>,
    /// Time-ordered entries.
    pub timeline: Vec<TimelineEntry>,
    /// The first symptom: when and on which line.
    pub onset: Option<(Option<Moment>, usize)>,
    /// Names.
    pub entities: Entities,
    /// The date the paste is anchored to, if any.
    pub anchor_date: Option<jiff::civil::Date>,
    /// Kinds of pasted command output recognised, with their first line.
    pub blocks: Vec<(&'static str, usize)>,
    /// How many credentials were masked.
    pub redactions: usize,
}

impl Incident {
    /// The main service, if any.
    pub fn service(&self) -> Option<&str> {
        self.entities.services.first().map(String::as_str)
    }
    /// The text of a 1-based line.
    pub fn line(&self, no: usize) -> Option<&Line> {
        no.checked_sub(1).and_then(|i| self.lines.get(i))
    }
}

/// Confidence in a hypothesis.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// Weak or indirect support only.
    Low,
    /// Supported but not decisively, or contested.
    Medium,
    /// A decisive signal plus an independent second source, no strong counter-evidence.
    High,
}

impl Confidence {
    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

/// Where a piece of evidence comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A line of the pasted context.
    Context,
    /// A probe's output.
    Probe(String),
    /// A similar past incident.
    Similar(String),
}

/// One piece of evidence for or against a hypothesis.
#[derive(Clone, Debug)]
pub struct Evidence {
    /// Where it comes from.
    pub source: Source,
    /// What it says: the signal's description and the quoted text.
    pub text: String,
    /// The 1-based line (context evidence only).
    pub line: Option<usize>,
    /// Its weight in the score.
    pub weight: f64,
    /// The playbook signal id.
    pub signal: String,
}

/// A mitigation with its command filled in.
#[derive(Clone, Debug)]
pub struct Mitigation {
    /// Id, unique within the hypothesis.
    pub id: String,
    /// What it does.
    pub title: String,
    /// The command, with values from the incident filled in and shell-quoted.
    pub command: String,
    /// What can go wrong.
    pub risk: String,
    /// How to undo it.
    pub rollback: String,
    /// When it will not help.
    pub not_when: Option<String>,
    /// It can be undone by its rollback.
    pub reversible: bool,
    /// `sentinel mitigate` can run it (the playbook gives its steps).
    pub runnable: bool,
    /// The evidence that says it will not help: why, and the quoted line (1-based).
    pub will_not_help: Option<(String, usize, String)>,
}

/// Status of a hypothesis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Not confirmed by a probe.
    Unconfirmed,
    /// A probe confirmed it.
    Confirmed,
    /// A probe refuted it.
    Refuted,
}

impl Status {
    /// The contract name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Unconfirmed => "unconfirmed",
            Status::Confirmed => "confirmed",
            Status::Refuted => "refuted",
        }
    }
}

/// A ranked root-cause hypothesis.
#[derive(Clone, Debug)]
pub struct Hypothesis {
    /// The playbook id.
    pub id: String,
    /// The mechanism.
    pub title: String,
    /// What the mechanism is and how the evidence ties in.
    pub summary: String,
    /// Calibrated confidence.
    pub confidence: Confidence,
    /// Score in 0..1 (display).
    pub score: f64,
    /// The raw score the ranking sorts by.
    pub raw: f64,
    /// Probe status.
    pub status: Status,
    /// The change that set it off, described.
    pub trigger: Option<String>,
    /// From a generic playbook ("regression introduced by <change>"), not a named mechanism.
    pub generic: bool,
    /// Evidence for.
    pub evidence: Vec<Evidence>,
    /// Evidence against.
    pub counter_evidence: Vec<Evidence>,
    /// Mitigations, best first.
    pub mitigations: Vec<Mitigation>,
    /// The values its commands were filled with.
    pub vars: crate::template::Vars,
}

/// A follow-up action item.
#[derive(Clone, Debug, Serialize)]
pub struct FollowUp {
    /// What to do.
    pub title: String,
    /// P0, P1 or P2.
    pub priority: String,
    /// An owner role.
    pub owner: String,
    /// prevent, detect or mitigate.
    pub kind: String,
}

/// The kind of a probe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProbeKind {
    /// The kubectl binary, read verbs only.
    Kubectl,
    /// A read-only SQL statement.
    Sql,
    /// A grep over log files.
    Log,
    /// An HTTP GET (Prometheus queries, health endpoints).
    Http,
    /// A read-only command on a host over ssh.
    Host,
}

impl ProbeKind {
    /// The contract name.
    pub fn as_str(self) -> &'static str {
        match self {
            ProbeKind::Kubectl => "kubectl",
            ProbeKind::Sql => "sql",
            ProbeKind::Log => "log",
            ProbeKind::Http => "http",
            ProbeKind::Host => "host",
        }
    }
}

/// One checklist item: a probe with its command filled in.
#[derive(Clone, Debug)]
pub struct CheckItem {
    /// `playbook-id/probe-id`.
    pub id: String,
    /// The probe kind.
    pub kind: ProbeKind,
    /// The command as the user would type it (shell-quoted for display).
    pub command: String,
    /// The argv (kubectl/host) with values filled in; empty for sql/log/http.
    pub argv: Vec<String>,
    /// The statement (sql), expression (http) or regex (log) with values filled in.
    pub query: Option<String>,
    /// Why it is run.
    pub why: String,
    /// What result confirms or refutes.
    pub expected: String,
    /// Hypotheses it tests.
    pub hypotheses: Vec<String>,
    /// Template variables that had no valid value (the probe cannot run until given).
    pub missing: Vec<String>,
    /// not_run|ok|failed|skipped|timeout.
    pub status: &'static str,
    /// Why it was skipped, if it was.
    pub reason: Option<String>,
    /// What the probe found, one statement each (empty until it runs).
    pub findings: Vec<String>,
    /// How long it ran, in milliseconds.
    pub took_ms: Option<u64>,
}
