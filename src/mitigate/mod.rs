//! Stage 4, mitigate: from a ranked report and the targets its probes ran against, the plan of
//! mitigations a person may approve: each with its steps filled in and checked against the
//! mitigation allowlists, the target each runs on, its verification and what argues it will not
//! help. Pure; [`run`] executes an approved action and [`audit`] records what happened.

pub mod audit;
pub mod run;

use crate::analyze::Report;
use crate::model::ProbeKind;
use crate::playbook::schema::{StepSpec, VerifySpec};
use crate::playbook::{Library, Playbook};
use crate::safety::{self, Transaction};
use crate::template::{self, Vars};
use std::time::Duration;

/// How many hypotheses contribute mitigations to the plan.
pub const PLAN_HYPOTHESES: usize = 3;
/// How long a step may run unless its playbook says.
pub const STEP_TIMEOUT: Duration = Duration::from_secs(60);
/// The lock_timeout of a SQL step unless its playbook says.
pub const LOCK_TIMEOUT: Duration = Duration::from_secs(5);

/// Where the mitigations run: the targets the bundle's probes ran against, or the flags.
#[derive(Clone, Debug, Default)]
pub struct Target {
    /// The kubectl context (none: the current one).
    pub kube_context: Option<String>,
    /// The namespace.
    pub namespace: Option<String>,
    /// The host for host steps.
    pub host: Option<String>,
    /// The database, as shown (no password).
    pub database: Option<String>,
    /// The Prometheus base URL.
    pub prom: Option<String>,
}

/// What a step runs.
#[derive(Clone, Debug, PartialEq)]
pub enum Exec {
    /// A program with its arguments, no shell: kubectl, or ssh with the remote words.
    Argv(Vec<String>),
    /// A SQL statement with its parameters bound as text.
    Sql {
        /// The statement.
        query: String,
        /// `$1`, `$2`… as text.
        params: Vec<String>,
        /// In its own transaction or alone.
        transaction: Transaction,
        /// Its lock_timeout.
        lock_timeout: Duration,
    },
}

/// One step of an action.
#[derive(Clone, Debug)]
pub struct Step {
    /// What runs, when it can.
    pub exec: Option<Exec>,
    /// The command as a person reads and copies it.
    pub shown: String,
    /// Where it runs (`kubectl context prod-eu, namespace payments`).
    pub on: String,
    /// How long it may run.
    pub timeout: Duration,
    /// Why it cannot run (a value or target is unknown, or a check refused it).
    pub blocked: Option<String>,
}

/// How a verification reads its number.
#[derive(Clone, Debug, PartialEq)]
pub enum Sample {
    /// A read-only program; the first number it prints.
    Argv(Vec<String>),
    /// A read-only program; how many non-blank lines it prints (those the regex matches, when
    /// one is given).
    Lines(Vec<String>, Option<String>),
    /// A read-only statement; the first column of the first row.
    Sql {
        /// The statement.
        query: String,
        /// The parameters, as text.
        params: Vec<String>,
    },
    /// A PromQL instant query; the first series' value.
    Prom(String),
}

/// When a verified signal counts as recovered.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rule {
    /// `<`, `<=`, `>` or `>=`.
    pub op: Op,
    /// The bound.
    pub value: f64,
    /// The bound is a percentage of the value before the action.
    pub relative: bool,
}

/// A comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// Below.
    Lt,
    /// At most.
    Le,
    /// Above.
    Gt,
    /// At least.
    Ge,
}

impl Rule {
    /// Parse `< 50%`, `<= 0`, `> 2`, `>= 90%`.
    pub fn parse(s: &str) -> Result<Rule, String> {
        let t = s.trim();
        let (op, rest) = if let Some(r) = t.strip_prefix("<=") {
            (Op::Le, r)
        } else if let Some(r) = t.strip_prefix(">=") {
            (Op::Ge, r)
        } else if let Some(r) = t.strip_prefix('<') {
            (Op::Lt, r)
        } else if let Some(r) = t.strip_prefix('>') {
            (Op::Gt, r)
        } else {
            return Err(format!(
                "`recovered: {t}` must start with <, <=, > or >= (for example `< 50%` of the value before, or `<= 0`)"
            ));
        };
        let rest = rest.trim();
        let (num, relative) = match rest.strip_suffix('%') {
            Some(n) => (n.trim(), true),
            None => (rest, false),
        };
        let value: f64 = num
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite())
            .ok_or_else(|| format!("`recovered: {t}`: `{num}` is not a number"))?;
        Ok(Rule {
            op,
            value,
            relative,
        })
    }

    /// The bound for a value measured before the action (none: a relative rule has no bound).
    pub fn bound(&self, before: Option<f64>) -> Option<f64> {
        if self.relative {
            before.map(|b| b * self.value / 100.0)
        } else {
            Some(self.value)
        }
    }

    /// Does `now` count as recovered?
    pub fn holds(&self, before: Option<f64>, now: f64) -> bool {
        let Some(b) = self.bound(before) else {
            return false;
        };
        match self.op {
            Op::Lt => now < b,
            Op::Le => now <= b,
            Op::Gt => now > b,
            Op::Ge => now >= b,
        }
    }

    /// The rule in words, with its bound for `before`.
    pub fn describe(&self, before: Option<f64>) -> String {
        let op = match self.op {
            Op::Lt => "<",
            Op::Le => "≤",
            Op::Gt => ">",
            Op::Ge => "≥",
        };
        match (self.relative, self.bound(before)) {
            (true, Some(b)) => format!(
                "{op} {} ({}% of {})",
                num(b),
                num(self.value),
                num(before.unwrap_or(0.0))
            ),
            (true, None) => format!("{op} {}% of the value before", num(self.value)),
            (false, _) => format!("{op} {}", num(self.value)),
        }
    }
}

/// A number as people write it: no trailing `.0`, at most two decimals.
pub fn num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// The verification of an action.
#[derive(Clone, Debug)]
pub struct Verify {
    /// What the number is.
    pub what: String,
    /// How it is read, when it can be.
    pub sample: Option<Sample>,
    /// The reading command as shown.
    pub shown: String,
    /// When it counts as recovered.
    pub rule: Rule,
    /// Why it cannot be read.
    pub blocked: Option<String>,
}

/// One mitigation as the plan offers it.
#[derive(Clone, Debug)]
pub struct Action {
    /// Its number in the plan, from 1.
    pub n: usize,
    /// The mitigation id (what `--approve` takes).
    pub id: String,
    /// `hypothesis/mitigation`, unique in the plan.
    pub qualified: String,
    /// The hypothesis it belongs to.
    pub hypothesis: String,
    /// Its title.
    pub hypothesis_title: String,
    /// Its confidence.
    pub confidence: &'static str,
    /// What it does.
    pub title: String,
    /// What can go wrong.
    pub risk: String,
    /// How to undo it.
    pub rollback: String,
    /// Its rollback restores the state before it.
    pub reversible: bool,
    /// When it will not help (the playbook's words).
    pub not_when: Option<String>,
    /// The evidence that says it will not help: why, the 1-based line, its text.
    pub will_not_help: Option<(String, usize, String)>,
    /// The report's command for it (advice, when it has no steps).
    pub command: String,
    /// What runs, in order.
    pub steps: Vec<Step>,
    /// How to tell it worked.
    pub verify: Option<Verify>,
}

impl Action {
    /// Why it cannot run, if it cannot.
    pub fn blocked(&self) -> Option<String> {
        if self.steps.is_empty() {
            return Some("advice only: its playbook gives no steps sentinel can run".into());
        }
        self.steps.iter().find_map(|s| s.blocked.clone())
    }
}

/// The plan: the mitigations of the top hypotheses, in order.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The incident.
    pub incident: String,
    /// Where it runs.
    pub target: Target,
    /// The actions.
    pub actions: Vec<Action>,
}

impl Plan {
    /// The action an `--approve` value names: its id (the first with it), its
    /// `hypothesis/mitigation` or its number.
    pub fn find(&self, key: &str) -> Option<&Action> {
        self.actions
            .iter()
            .find(|a| a.qualified == key)
            .or_else(|| self.actions.iter().find(|a| a.id == key))
            .or_else(|| {
                key.parse::<usize>()
                    .ok()
                    .and_then(|n| self.actions.iter().find(|a| a.n == n))
            })
    }
}

/// Build the plan for a report's top hypotheses (refuted ones left out).
pub fn plan(r: &Report, lib: &Library, target: &Target) -> Plan {
    let mut actions: Vec<Action> = Vec::new();
    for h in r
        .hypotheses
        .iter()
        .filter(|h| h.status != crate::model::Status::Refuted)
        .take(PLAN_HYPOTHESES)
    {
        let Some(pb) = lib.get(&h.id) else { continue };
        let vars = with_target(&h.vars, target);
        for m in &h.mitigations {
            let Some(spec) = pb.spec.mitigations.iter().find(|s| s.id == m.id) else {
                continue;
            };
            let steps: Vec<Step> = spec.steps.iter().map(|s| step(s, &vars, target)).collect();
            let shown: Vec<&str> = steps.iter().map(|s| s.shown.as_str()).collect();
            // the same commands offered by two hypotheses are one action
            if !steps.is_empty()
                && actions.iter().any(|a| {
                    a.steps
                        .iter()
                        .map(|s| s.shown.as_str())
                        .eq(shown.iter().copied())
                })
            {
                continue;
            }
            actions.push(Action {
                n: actions.len() + 1,
                id: m.id.clone(),
                qualified: format!("{}/{}", h.id, m.id),
                hypothesis: h.id.clone(),
                hypothesis_title: h.title.clone(),
                confidence: h.confidence.as_str(),
                title: m.title.clone(),
                risk: m.risk.clone(),
                rollback: m.rollback.clone(),
                reversible: m.reversible,
                not_when: m.not_when.clone(),
                will_not_help: m.will_not_help.clone(),
                command: m.command.clone(),
                steps,
                verify: spec.verify.as_ref().map(|v| verify(v, &vars, target)),
            });
        }
    }
    Plan {
        incident: r.id.clone(),
        target: target.clone(),
        actions,
    }
}

/// The hypothesis' values with the targets the user named over those from the paste.
fn with_target(vars: &Vars, t: &Target) -> Vars {
    let mut v = vars.clone();
    if let Some(ns) = &t.namespace {
        v.set("namespace", ns);
    }
    if let Some(h) = &t.host {
        v.set("host", h);
    }
    v
}

fn fill(templates: &[String], vars: &Vars, missing: &mut Vec<String>) -> Vec<String> {
    templates
        .iter()
        .map(|a| template::fill_arg(a, vars, missing))
        .collect()
}

fn needs(missing: &[String]) -> String {
    let mut m: Vec<&str> = missing.iter().map(String::as_str).collect();
    m.sort_unstable();
    m.dedup();
    format!(
        "needs {}: the paste and the probe targets name none",
        m.iter()
            .map(|v| format!("{{{v}}}"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// A kubectl argv with the bundle's context and namespace: `--context` when one was used,
/// `-n` when the playbook's argv names none.
fn kubectl_argv(mut argv: Vec<String>, t: &Target) -> Vec<String> {
    if argv.first().map(String::as_str) != Some("kubectl") {
        argv.insert(0, "kubectl".into());
    }
    fn has(argv: &[String], flag: &[&str]) -> bool {
        argv.iter().any(|a| {
            flag.iter()
                .any(|f| a == f || a.starts_with(&format!("{f}=")))
        })
    }
    if !has(&argv, &["-n", "--namespace"])
        && let Some(ns) = &t.namespace
    {
        argv.splice(1..1, ["-n".to_string(), ns.clone()]);
    }
    if !has(&argv, &["--context"])
        && let Some(c) = &t.kube_context
    {
        argv.splice(1..1, ["--context".to_string(), c.clone()]);
    }
    argv
}

fn kube_on(t: &Target, argv: &[String]) -> String {
    let ns = argv
        .iter()
        .position(|a| a == "-n" || a == "--namespace")
        .and_then(|i| argv.get(i + 1))
        .cloned()
        .or_else(|| t.namespace.clone());
    format!(
        "kubectl context {}, namespace {}",
        t.kube_context.as_deref().unwrap_or("(current)"),
        ns.as_deref().unwrap_or("(default)")
    )
}

fn duration_or(s: Option<&str>, default: Duration) -> Duration {
    s.and_then(crate::probe::parse_duration).unwrap_or(default)
}

/// A step filled in and checked.
pub fn step(s: &StepSpec, vars: &Vars, t: &Target) -> Step {
    let timeout = duration_or(s.timeout.as_deref(), STEP_TIMEOUT);
    let mut missing = Vec::new();
    match s.kind {
        ProbeKind::Kubectl => {
            let argv = kubectl_argv(
                fill(s.argv.as_deref().unwrap_or_default(), vars, &mut missing),
                t,
            );
            let shown = template::display_argv(&argv);
            let blocked = if !missing.is_empty() {
                Some(needs(&missing))
            } else {
                safety::kubectl_mitigation(&argv).err()
            };
            Step {
                on: kube_on(t, &argv),
                exec: blocked.is_none().then_some(Exec::Argv(argv)),
                shown,
                timeout,
                blocked,
            }
        }
        ProbeKind::Host => {
            let words = fill(s.argv.as_deref().unwrap_or_default(), vars, &mut missing);
            let host = vars.get("host").map(str::to_string);
            let shown = format!(
                "ssh -o BatchMode=yes {} -- {}",
                host.as_deref()
                    .map_or("<host>".to_string(), template::quote),
                template::display_argv(&words)
            );
            let built = match (&host, missing.is_empty()) {
                (Some(h), true) => crate::probe::host::ssh_mitigation_argv(h, &words, timeout),
                (None, _) => Err("needs a host: run investigate with --host HOST".to_string()),
                (_, false) => Err(needs(&missing)),
            };
            Step {
                on: format!("host {} over ssh", host.as_deref().unwrap_or("<host>")),
                shown,
                timeout,
                blocked: built.as_ref().err().cloned(),
                exec: built.ok().map(Exec::Argv),
            }
        }
        ProbeKind::Sql => {
            let query = s.query.as_deref().unwrap_or_default().trim().to_string();
            let params = fill(&s.params, vars, &mut missing);
            let lock_timeout = duration_or(s.lock_timeout.as_deref(), LOCK_TIMEOUT);
            let shown = sql_shown(&query, &params);
            let blocked = if !missing.is_empty() {
                Some(needs(&missing))
            } else if t.database.is_none() {
                Some("needs a database: pass --pg URL (or set PGHOST/PGDATABASE)".into())
            } else {
                safety::sql_mitigation(&query, s.transaction).err()
            };
            Step {
                on: format!(
                    "database {}{}",
                    t.database.as_deref().unwrap_or("<database>"),
                    match s.transaction {
                        Transaction::Own => format!(
                            ", in its own transaction, lock_timeout {}",
                            crate::probe::show_duration(lock_timeout)
                        ),
                        Transaction::None => format!(
                            ", outside a transaction, lock_timeout {}",
                            crate::probe::show_duration(lock_timeout)
                        ),
                    }
                ),
                exec: blocked.is_none().then_some(Exec::Sql {
                    query,
                    params,
                    transaction: s.transaction,
                    lock_timeout,
                }),
                shown,
                timeout,
                blocked,
            }
        }
        ProbeKind::Log | ProbeKind::Http => Step {
            exec: None,
            shown: String::new(),
            on: String::new(),
            timeout,
            blocked: Some(format!("a {} step cannot change anything", s.kind.as_str())),
        },
    }
}

/// A statement with its parameters listed after it, as shown.
pub fn sql_shown(query: &str, params: &[String]) -> String {
    let q = query.split_whitespace().collect::<Vec<_>>().join(" ");
    if params.is_empty() {
        return q;
    }
    let bound: Vec<String> = params
        .iter()
        .enumerate()
        .map(|(i, p)| format!("${} = '{}'", i + 1, p.replace('\'', "''")))
        .collect();
    format!("{q}  -- with {}", bound.join(", "))
}

/// How a kubectl or host verification reads its argv's output.
fn argv_sample(v: &VerifySpec, argv: Vec<String>) -> Sample {
    match v.count {
        Some(crate::playbook::schema::Count::Lines) => Sample::Lines(argv, v.matching.clone()),
        None => Sample::Argv(argv),
    }
}

/// A verification filled in and checked.
pub fn verify(v: &VerifySpec, vars: &Vars, t: &Target) -> Verify {
    let rule = Rule::parse(&v.recovered).unwrap_or(Rule {
        op: Op::Lt,
        value: 0.0,
        relative: false,
    });
    let what = template::fill_display(v.what.trim(), vars).0;
    let mut missing = Vec::new();
    let (sample, shown, blocked) = match v.kind {
        ProbeKind::Sql => {
            let q = v.query.as_deref().unwrap_or_default().trim().to_string();
            let params = fill(&v.params, vars, &mut missing);
            let shown = sql_shown(&q, &params);
            let blocked = if t.database.is_none() {
                Some("needs a database".to_string())
            } else {
                safety::sql_read_only(&q).err()
            };
            (Some(Sample::Sql { query: q, params }), shown, blocked)
        }
        ProbeKind::Kubectl => {
            let argv = kubectl_argv(
                fill(v.argv.as_deref().unwrap_or_default(), vars, &mut missing),
                t,
            );
            let blocked = safety::kubectl_read_only(&argv).err();
            let shown = template::display_argv(&argv);
            (Some(argv_sample(v, argv)), shown, blocked)
        }
        ProbeKind::Host => {
            let words = fill(v.argv.as_deref().unwrap_or_default(), vars, &mut missing);
            match vars.get("host") {
                Some(h) => match crate::probe::host::ssh_argv(h, &words, STEP_TIMEOUT) {
                    Ok(argv) => {
                        let shown = template::display_argv(&argv);
                        (Some(argv_sample(v, argv)), shown, None)
                    }
                    Err(e) => (None, template::display_argv(&words), Some(e)),
                },
                None => (
                    None,
                    template::display_argv(&words),
                    Some("needs a host".into()),
                ),
            }
        }
        ProbeKind::Http => {
            let q = template::fill_arg(
                v.query.as_deref().unwrap_or_default().trim(),
                vars,
                &mut missing,
            );
            let blocked = t
                .prom
                .is_none()
                .then(|| "needs a Prometheus URL: pass --prom URL".to_string());
            (Some(Sample::Prom(q.clone())), q, blocked)
        }
        ProbeKind::Log => (
            None,
            String::new(),
            Some("a log probe yields no number".into()),
        ),
    };
    let blocked = if missing.is_empty() {
        blocked
    } else {
        Some(needs(&missing))
    };
    Verify {
        what,
        sample: if blocked.is_none() { sample } else { None },
        shown,
        rule,
        blocked,
    }
}

/// Check a playbook's mitigation steps and verification (for `playbook lint`): kinds, the
/// mitigation allowlists on the template's fixed words, the SQL rules, the recovery rule.
pub fn lint(pb: &Playbook) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let probe = |m: &str, e: String| (m.to_string(), format!("mitigation `{m}`: {e}"));
    for m in &pb.spec.mitigations {
        for s in &m.steps {
            match s.kind {
                ProbeKind::Kubectl | ProbeKind::Host => {
                    let Some(argv) = &s.argv else {
                        out.push(probe(
                            &m.id,
                            format!("a {} step needs `argv`", s.kind.as_str()),
                        ));
                        continue;
                    };
                    // check with placeholder values that pass every name rule
                    let filled: Vec<String> = argv.iter().map(|a| lint_fill(a)).collect();
                    let r = if s.kind == ProbeKind::Kubectl {
                        let mut a = filled;
                        if a.first().map(String::as_str) != Some("kubectl") {
                            a.insert(0, "kubectl".into());
                        }
                        safety::kubectl_mitigation(&a)
                    } else {
                        safety::host_mitigation(&filled)
                    };
                    if let Err(e) = r {
                        out.push(probe(&m.id, e));
                    }
                }
                ProbeKind::Sql => match &s.query {
                    Some(q) => {
                        if let Err(e) = safety::sql_mitigation(q, s.transaction) {
                            out.push(probe(&m.id, e));
                        }
                    }
                    None => out.push(probe(&m.id, "a sql step needs `query`".into())),
                },
                ProbeKind::Log | ProbeKind::Http => out.push(probe(
                    &m.id,
                    format!(
                        "a step must be kubectl, sql or host, not {}",
                        s.kind.as_str()
                    ),
                )),
            }
            for t in [&s.timeout, &s.lock_timeout].into_iter().flatten() {
                if crate::probe::parse_duration(t).is_none() {
                    out.push(probe(&m.id, format!("`{t}` is not a duration (30s, 5m)")));
                }
            }
            let used = s
                .argv
                .iter()
                .flatten()
                .chain(s.params.iter())
                .flat_map(|a| template::used(a));
            for v in used {
                if !template::VARIABLES.contains(&v.as_str()) {
                    out.push(probe(&m.id, format!("unknown template variable `{{{v}}}`")));
                }
            }
        }
        if let Some(v) = &m.verify {
            if let Err(e) = Rule::parse(&v.recovered) {
                out.push(probe(&m.id, e));
            }
            let r = match v.kind {
                ProbeKind::Sql => v
                    .query
                    .as_deref()
                    .ok_or_else(|| "a sql verification needs `query`".to_string())
                    .and_then(safety::sql_read_only),
                ProbeKind::Http => v
                    .query
                    .as_deref()
                    .map(|_| ())
                    .ok_or_else(|| "an http verification needs `query` (PromQL)".to_string()),
                ProbeKind::Kubectl => v
                    .argv
                    .as_ref()
                    .ok_or_else(|| "a kubectl verification needs `argv`".to_string())
                    .and_then(|a| {
                        let mut a: Vec<String> = a.iter().map(|x| lint_fill(x)).collect();
                        if a.first().map(String::as_str) != Some("kubectl") {
                            a.insert(0, "kubectl".into());
                        }
                        safety::kubectl_read_only(&a)
                    }),
                ProbeKind::Host => v
                    .argv
                    .as_ref()
                    .ok_or_else(|| "a host verification needs `argv`".to_string())
                    .and_then(|a| {
                        safety::host_read_only(&a.iter().map(|x| lint_fill(x)).collect::<Vec<_>>())
                    }),
                ProbeKind::Log => Err("a verification must be sql, kubectl, host or http".into()),
            };
            if let Err(e) = r {
                out.push(probe(&m.id, format!("verify: {e}")));
            }
            if v.count.is_some() && !matches!(v.kind, ProbeKind::Kubectl | ProbeKind::Host) {
                out.push(probe(
                    &m.id,
                    "verify: `count: lines` counts a program's output lines: only for kubectl and host"
                        .into(),
                ));
            }
            if let Some(p) = &v.matching {
                if v.count.is_none() {
                    out.push(probe(
                        &m.id,
                        "verify: `matching` picks the lines `count: lines` counts: add `count: lines`"
                            .into(),
                    ));
                }
                if let Err(e) = regex::Regex::new(p) {
                    out.push(probe(
                        &m.id,
                        format!(
                            "verify: matching: bad regex: {}",
                            e.to_string().lines().last().unwrap_or("")
                        ),
                    ));
                }
            }
        }
        if m.verify.is_some() && m.steps.is_empty() {
            out.push(probe(
                &m.id,
                "`verify` without `steps`: nothing runs to verify".into(),
            ));
        }
        for n in &m.not_if {
            if let Err(e) = regex::Regex::new(&n.pattern) {
                out.push(probe(
                    &m.id,
                    format!(
                        "not_if: bad regex: {}",
                        e.to_string().lines().last().unwrap_or("")
                    ),
                ));
            }
        }
    }
    out
}

/// A template argument with each `{var}` replaced by a value that passes its rules.
fn lint_fill(a: &str) -> String {
    let mut v = Vars::default();
    for (var, val) in [
        ("service", "svc"),
        ("deployment", "svc"),
        ("namespace", "ns"),
        ("selector", "app=svc"),
        ("pod", "svc-abc-12345"),
        ("node", "node-1"),
        ("host", "host-1"),
        ("unit", "svc.service"),
        ("container", "svc"),
        ("version", "v1"),
        ("previous_version", "v0"),
        ("table", "t"),
        ("database", "db"),
        ("job", "job"),
        ("since", "1h"),
        ("pid", "4242"),
    ] {
        v.offer(var, val);
    }
    template::fill_arg(a, &v, &mut Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules() {
        let r = Rule::parse("< 50%").unwrap();
        assert!(r.relative);
        assert!(r.holds(Some(10.0), 4.0));
        assert!(!r.holds(Some(10.0), 5.0));
        assert!(
            !r.holds(None, 0.0),
            "a relative rule needs the value before"
        );
        let r = Rule::parse("<= 0").unwrap();
        assert!(r.holds(None, 0.0));
        assert!(!r.holds(Some(3.0), 1.0));
        assert!(Rule::parse(">= 3").unwrap().holds(None, 3.0));
        assert!(Rule::parse("== 3").is_err());
        assert!(Rule::parse("< lots").is_err());
        assert_eq!(
            Rule::parse("< 50%").unwrap().describe(Some(10.0)),
            "< 5 (50% of 10)"
        );
    }

    #[test]
    fn recycling_starved_workers_is_verified_by_the_supervisors_timeout_lines() {
        let lib = crate::playbook::Library::builtin().expect("playbooks");
        let pb = lib
            .get("worker-pool-starvation-sync-call")
            .expect("playbook");
        let m = pb
            .spec
            .mitigations
            .iter()
            .find(|m| m.id == "recycle-stuck-workers")
            .expect("mitigation");
        let spec = m.verify.as_ref().expect("a verification");
        let mut vars = Vars::default();
        vars.offer("host", "web-01");
        vars.offer("unit", "api.gunicorn.service");
        let t = Target {
            host: Some("web-01".into()),
            ..Target::default()
        };
        let v = verify(spec, &vars, &t);
        assert_eq!(v.blocked, None);
        let Some(Sample::Lines(argv, Some(matching))) = &v.sample else {
            panic!("a line count of the timeout lines: {:?}", v.sample);
        };
        assert!(crate::probe::host::check_argv(argv).is_ok(), "{argv:?}");
        let remote = argv.join(" ");
        assert!(
            remote.ends_with("journalctl -u api.gunicorn.service --since -1min --no-pager -q"),
            "{remote}"
        );
        // the wordings of gunicorn, uWSGI and Puma count; the rest of the journal does not
        let re = regex::Regex::new(matching).expect("lint checks it");
        let journal = "\
Dec 07 14:02:11 web-01 gunicorn[81]: [2026-12-07 14:02:11 +0000] [81] [CRITICAL] WORKER TIMEOUT (pid:90)
Dec 07 14:02:12 web-01 gunicorn[81]: [2026-12-07 14:02:12 +0000] [91] [INFO] Booting worker with pid: 91
Dec 07 14:02:13 web-01 uwsgi[7]: *** HARAKIRI ON WORKER 3 (pid: 12, try: 1) ***
Dec 07 14:02:14 web-01 puma[5]: [5] ! Terminating timed out worker (worker failed to check in within 60 seconds): 33
Dec 07 14:02:15 web-01 gunicorn[81]: GET /health 200 timeout=5s
";
        assert_eq!(crate::mitigate::run::line_count(journal, Some(&re)), 3.0);
        // 14 timeouts in the minute before, none after: recovered; one left: not yet
        assert!(v.rule.holds(Some(14.0), 0.0));
        assert!(!v.rule.holds(Some(14.0), 1.0));
        assert_eq!(
            v.what,
            "worker timeouts api.gunicorn.service logged on web-01 in the last minute"
        );
        // a line count is a program's: lint refuses it on a SQL verification
        let mut pb = pb.clone();
        let m = pb
            .spec
            .mitigations
            .iter_mut()
            .find(|m| m.id == "recycle-stuck-workers")
            .expect("mitigation");
        let v = m.verify.as_mut().expect("verify");
        v.kind = ProbeKind::Sql;
        v.query = Some("SELECT 1".into());
        let problems = lint(&pb);
        assert!(
            problems.iter().any(|(_, p)| p.contains("`count: lines`")),
            "{problems:?}"
        );
        // `matching` needs `count: lines`, and a regex that compiles
        let v = pb
            .spec
            .mitigations
            .iter_mut()
            .find(|m| m.id == "recycle-stuck-workers")
            .and_then(|m| m.verify.as_mut())
            .expect("verify");
        v.kind = ProbeKind::Host;
        v.query = None;
        v.count = None;
        v.matching = Some("worker (timeout".into());
        let problems: Vec<String> = lint(&pb).into_iter().map(|(_, p)| p).collect();
        assert!(
            problems.iter().any(|p| p.contains("add `count: lines`")),
            "{problems:?}"
        );
        assert!(
            problems.iter().any(|p| p.contains("matching: bad regex")),
            "{problems:?}"
        );
    }

    #[test]
    fn kubectl_steps_get_the_bundle_context_and_namespace() {
        let t = Target {
            kube_context: Some("prod-eu".into()),
            namespace: Some("payments".into()),
            ..Target::default()
        };
        let a = kubectl_argv(
            vec!["rollout".into(), "undo".into(), "deployment/api".into()],
            &t,
        );
        assert_eq!(
            a.join(" "),
            "kubectl --context prod-eu -n payments rollout undo deployment/api"
        );
        let a = kubectl_argv(
            [
                "kubectl",
                "-n",
                "other",
                "scale",
                "deployment/api",
                "--replicas=3",
            ]
            .map(String::from)
            .to_vec(),
            &t,
        );
        assert_eq!(
            a.join(" "),
            "kubectl --context prod-eu -n other scale deployment/api --replicas=3"
        );
    }

    #[test]
    fn a_step_with_an_unknown_value_is_blocked_and_never_runs() {
        let s = StepSpec {
            kind: ProbeKind::Host,
            argv: Some(vec!["kill".into(), "-TERM".into(), "{pid}".into()]),
            query: None,
            params: vec![],
            transaction: Transaction::Own,
            lock_timeout: None,
            timeout: None,
        };
        let mut v = Vars::default();
        v.offer("host", "web-02");
        let st = step(&s, &v, &Target::default());
        assert!(st.exec.is_none());
        assert!(st.blocked.unwrap().contains("{pid}"));
        v.offer("pid", "18472");
        let st = step(&s, &v, &Target::default());
        assert_eq!(st.blocked, None);
        let Some(Exec::Argv(argv)) = st.exec else {
            panic!("runs over ssh")
        };
        assert_eq!(argv[0], "ssh");
        assert_eq!(&argv[argv.len() - 3..], ["kill", "-TERM", "18472"]);
        // a value that fails the pid rule is never offered
        let mut v = Vars::default();
        v.offer("pid", "1;reboot");
        assert_eq!(v.get("pid"), None);
    }

    #[test]
    fn sql_steps_show_their_parameters() {
        assert_eq!(
            sql_shown(
                "SELECT  pg_terminate_backend(pid)\n FROM x WHERE a = $1",
                &["it's".into()]
            ),
            "SELECT pg_terminate_backend(pid) FROM x WHERE a = $1  -- with $1 = 'it''s'"
        );
    }
}
