//! Stage 3, probe: run the checklist's read-only probes (and a short kubectl survey of the
//! workload) concurrently, each with its timeout, and turn their output into what the ranking
//! reads. kubectl runs through argv, never a shell, and only with read verbs, checked again here
//! before it runs; values from the paste reach an argv only after the name rules of
//! [`crate::template`]. Nothing here prints: progress is reported through a callback.

pub mod exec;
pub mod host;
pub mod http;
pub mod k8s;
pub mod log;
pub mod saved;
pub mod sql;

use crate::model::{CheckItem, ProbeKind};
use crate::rank::Observed;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::time::Duration;

/// Where and how probes run (from the flags).
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// `--kube-context` (None: kubectl's current context).
    pub kube_context: Option<String>,
    /// The namespace (flag, else the paste's).
    pub namespace: Option<String>,
    /// `--selector`.
    pub selector: Option<String>,
    /// The workload (deployment) the paste is about.
    pub workload: Option<String>,
    /// `--logs`.
    pub logs: Vec<PathBuf>,
    /// `--pg`.
    pub pg: Option<String>,
    /// `--prom`.
    pub prom: Option<String>,
    /// `--health URL` (repeatable): endpoints GET as they are, only these.
    pub health: Vec<String>,
    /// The time window probes look at, unix seconds (start, end), around the incident's onset:
    /// HTTP range queries cover it (None: the last hour); log greps over `--logs` count only
    /// the lines stamped inside it, and lines without a timestamp (None: every line; the
    /// findings name the window when set). The `kubectl logs` greps ignore it: kubectl
    /// already gives only the recent tail.
    pub window: Option<(i64, i64)>,
    /// The incident's own error signatures as (name, regex), from
    /// [`log::incident_terms`]: with `--logs`, each is grepped as probe
    /// `log/signature/<name>`, and each is grepped in the `kubectl logs` output too.
    pub terms: Vec<(String, String)>,
    /// `--host`.
    pub hosts: Vec<String>,
    /// Hosts the paste names (named in the reason host probes are skipped; `investigate`
    /// puts the first few in `hosts` when `--host` is not given).
    pub paste_hosts: Vec<String>,
    /// The systemd unit host probes look at (the paste's; None: the workload's name).
    pub unit: Option<String>,
    /// Per probe.
    pub timeout: Duration,
    /// Probes at once.
    pub concurrency: usize,
}

/// The contract statuses of a checklist entry.
pub mod status {
    /// Ran and answered.
    pub const OK: &str = "ok";
    /// Ran and failed (non-zero exit, unreadable output).
    pub const FAILED: &str = "failed";
    /// Not run, with the reason.
    pub const SKIPPED: &str = "skipped";
    /// Killed at its timeout.
    pub const TIMEOUT: &str = "timeout";
}

/// What one probe did: saved in the bundle, so an investigation can be replayed.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Outcome {
    /// Checklist id (`playbook/probe`) or survey id (`k8s/pods`).
    pub id: String,
    /// The executor.
    pub kind: Option<ProbeKind>,
    /// The command as shown (shell-quoted).
    pub command: String,
    /// The argv it ran (empty for log greps).
    #[serde(default)]
    pub argv: Vec<String>,
    /// ok | failed | skipped | timeout.
    pub status: String,
    /// Why it was skipped or failed.
    #[serde(default)]
    pub reason: Option<String>,
    /// Exit code.
    #[serde(default)]
    pub exit: Option<i32>,
    /// Wall time in milliseconds.
    #[serde(default)]
    pub took_ms: u64,
    /// The output (capped, credentials masked).
    #[serde(default)]
    pub output: String,
    /// The output was cut at the cap.
    #[serde(default)]
    pub truncated: bool,
    /// What it found, one statement per line.
    #[serde(default)]
    pub findings: Vec<String>,
    /// How its output is read.
    #[serde(default)]
    pub read: Read,
    /// Hypotheses it tests.
    #[serde(default)]
    pub hypotheses: Vec<String>,
    /// HTTP probes: the highest status code of its answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
}

/// How a probe's output is read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Read {
    /// As pasted text (kubectl tables, describe, logs).
    #[default]
    Text,
    /// `get pods -o json`.
    Pods,
    /// `get events -o json`.
    Events,
    /// `get nodes -o json`.
    Nodes,
    /// `get deployments -o json`.
    Deployments,
    /// `top pods` (a table; read against the pods' limits once the pod list is in).
    Top,
    /// Only its findings (log greps).
    Findings,
    /// A host command's output over ssh, read by [`host`] into findings.
    Host,
}

/// Output kept per probe.
pub const OUTPUT_CAP: usize = 256 * 1024;
/// Lines of a text output the ranking reads.
const TEXT_LINES: usize = 400;
/// Pods whose previous logs are read.
const PREVIOUS_LOGS: usize = 2;

/// One probe to run.
#[derive(Clone, Debug)]
enum Job {
    Argv {
        out: Outcome,
    },
    Log {
        out: Outcome,
        pattern: String,
    },
    Sql {
        out: Outcome,
        query: String,
        read: Option<fn(&sql::Rows) -> Vec<String>>,
    },
    Skip {
        out: Outcome,
    },
    Http {
        out: Outcome,
        prom: http::PromJob,
    },
    Health {
        out: Outcome,
        url: reqwest::Url,
        client: Result<reqwest::Client, String>,
    },
}

impl Job {
    fn outcome(&self) -> &Outcome {
        match self {
            Job::Argv { out }
            | Job::Log { out, .. }
            | Job::Skip { out }
            | Job::Sql { out, .. }
            | Job::Http { out, .. }
            | Job::Health { out, .. } => out,
        }
    }
}

fn kubectl(cfg: &Config, args: &[&str]) -> Vec<String> {
    let mut v = vec!["kubectl".to_string()];
    if let Some(c) = &cfg.kube_context {
        v.push("--context".into());
        v.push(c.clone());
    }
    v.extend(args.iter().map(|a| a.to_string()));
    v
}

fn as_strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

fn argv_job(id: &str, argv: Vec<String>, read: Read, hypotheses: Vec<String>) -> Job {
    Job::Argv {
        out: Outcome {
            id: id.into(),
            kind: Some(ProbeKind::Kubectl),
            command: crate::template::display_argv(&argv),
            argv,
            read,
            hypotheses,
            ..Default::default()
        },
    }
}

fn skip(c: &CheckItem, reason: String) -> Job {
    Job::Skip {
        out: Outcome {
            id: c.id.clone(),
            kind: Some(c.kind),
            command: c.command.clone(),
            status: status::SKIPPED.into(),
            reason: Some(reason),
            hypotheses: c.hypotheses.clone(),
            ..Default::default()
        },
    }
}

/// How an argv's output is read: JSON of the four kinds we parse, else text.
fn read_of(argv: &[String]) -> Read {
    let json = argv
        .windows(2)
        .any(|w| (w[0] == "-o" || w[0] == "--output") && w[1] == "json")
        || argv.iter().any(|a| a == "-ojson" || a == "--output=json");
    if !json || !argv.iter().any(|a| a == "get") {
        return Read::Text;
    }
    let res = argv
        .iter()
        .skip_while(|a| *a != "get")
        .nth(1)
        .map(String::as_str);
    match res {
        Some("pods" | "pod" | "po") => Read::Pods,
        Some("events" | "event" | "ev") => Read::Events,
        Some("nodes" | "node" | "no") => Read::Nodes,
        Some("deployments" | "deployment" | "deploy") => Read::Deployments,
        _ => Read::Text,
    }
}

/// The probes to run for a checklist: the survey of the workload (when a namespace is known),
/// then every checklist entry, each runnable or skipped with its reason.
fn plan(checklist: &[CheckItem], cfg: &Config) -> Vec<Job> {
    let mut jobs = Vec::new();
    // the namespace, or all of them (the workload's pods tell which is theirs)
    let scope: Vec<&str> = match &cfg.namespace {
        Some(ns) => vec!["-n", ns],
        None => vec!["-A"],
    };
    let survey = cfg.namespace.is_some() || cfg.workload.is_some();
    if survey {
        let sel: Vec<&str> = cfg
            .selector
            .as_deref()
            .map(|s| vec!["-l", s])
            .unwrap_or_default();
        let with_sel = |base: &[&str]| -> Vec<String> {
            let mut v: Vec<String> = base.iter().map(|a| a.to_string()).collect();
            v.extend(sel.iter().map(|a| a.to_string()));
            v.extend(["-o".to_string(), "json".to_string()]);
            v
        };
        if cfg.kube_context.is_none() {
            jobs.push(argv_job(
                "k8s/context",
                kubectl(cfg, &["config", "current-context"]),
                Read::Findings,
                Vec::new(),
            ));
        }
        let scoped = |rest: &[&str]| -> Vec<String> {
            let mut v: Vec<&str> = scope.clone();
            v.extend(rest);
            with_sel(&v)
        };
        jobs.push(argv_job(
            "k8s/pods",
            kubectl(cfg, &as_strs(&scoped(&["get", "pods"]))),
            Read::Pods,
            Vec::new(),
        ));
        jobs.push(argv_job(
            "k8s/events",
            kubectl(
                cfg,
                &[&scope[..], &["get", "events", "-o", "json"]].concat(),
            ),
            Read::Events,
            Vec::new(),
        ));
        jobs.push(argv_job(
            "k8s/deployments",
            kubectl(cfg, &as_strs(&scoped(&["get", "deployments"]))),
            Read::Deployments,
            Vec::new(),
        ));
        jobs.push(argv_job(
            "k8s/nodes",
            kubectl(cfg, &["get", "nodes", "-o", "json"]),
            Read::Nodes,
            Vec::new(),
        ));
    }
    if cfg.pg.is_some() {
        for chk in sql::CHECKS {
            jobs.push(Job::Sql {
                out: Outcome {
                    id: chk.id.into(),
                    kind: Some(ProbeKind::Sql),
                    command: format!(
                        "psql \"$DATABASE_URL\" -c {}",
                        crate::template::quote(chk.query)
                    ),
                    read: Read::Findings,
                    ..Default::default()
                },
                query: chk.query.into(),
                read: Some(chk.read),
            });
        }
    }
    // one HTTP client for the run's HTTP probes, built when the first is planned
    let mut http_client: Option<Result<reqwest::Client, String>> = None;
    jobs.extend(host::survey(cfg));
    for (i, raw) in cfg.health.iter().enumerate() {
        let id = if cfg.health.len() == 1 {
            "http/health".to_string()
        } else {
            format!("http/health/{}", i + 1)
        };
        let mut out = Outcome {
            id,
            kind: Some(ProbeKind::Http),
            command: format!(
                "curl -sS -m {} {}",
                cfg.timeout.as_secs().max(1),
                crate::template::quote(&http::masked(raw))
            ),
            read: Read::Findings,
            ..Default::default()
        };
        match http::health_url(raw) {
            Ok(url) => {
                let client = http_client
                    .get_or_insert_with(|| http::client(cfg.timeout))
                    .clone();
                jobs.push(Job::Health { out, url, client });
            }
            Err(e) => {
                out.status = status::SKIPPED.into();
                out.reason = Some(format!("--health {}: {e}", http::masked(raw)));
                jobs.push(Job::Skip { out });
            }
        }
    }
    for c in checklist {
        if !c.missing.is_empty() {
            let vars: Vec<String> = c.missing.iter().map(|m| format!("{{{m}}}")).collect();
            let hint = if c.missing.iter().any(|m| m == "namespace") {
                " (give --namespace)"
            } else {
                ""
            };
            jobs.push(skip(
                c,
                format!("needs a value for {}{hint}", vars.join(", ")),
            ));
            continue;
        }
        match c.kind {
            ProbeKind::Kubectl => {
                let mut argv = c.argv.clone();
                if let Some(ctx) = &cfg.kube_context {
                    argv.splice(1..1, ["--context".to_string(), ctx.clone()]);
                }
                if let Err(e) = crate::safety::kubectl_read_only(&argv) {
                    jobs.push(skip(c, format!("refused: {e}")));
                    continue;
                }
                if jobs.iter().any(|j| j.outcome().argv == argv) {
                    continue;
                }
                let read = read_of(&argv);
                let mut j = argv_job(&c.id, argv, read, c.hypotheses.clone());
                if let Job::Argv { out } = &mut j {
                    out.command = c.command.clone();
                }
                jobs.push(j);
            }
            ProbeKind::Log => {
                if cfg.logs.is_empty() {
                    jobs.push(skip(c, "needs --logs PATH".into()));
                    continue;
                }
                let pattern = c.query.clone().unwrap_or_default();
                jobs.push(log_job(&c.id, &c.command, pattern, c.hypotheses.clone()));
            }
            ProbeKind::Sql if cfg.pg.is_some() => {
                let query = c.query.clone().unwrap_or_default();
                if let Err(e) = crate::safety::sql_read_only(&query) {
                    jobs.push(skip(c, format!("refused: {e}")));
                    continue;
                }
                jobs.push(Job::Sql {
                    out: Outcome {
                        id: c.id.clone(),
                        kind: Some(ProbeKind::Sql),
                        command: c.command.clone(),
                        read: Read::Findings,
                        hypotheses: c.hypotheses.clone(),
                        ..Default::default()
                    },
                    query,
                    read: None,
                });
            }
            ProbeKind::Http => {
                let query = c.query.as_deref().map(str::trim).unwrap_or_default();
                if cfg.prom.is_none() {
                    jobs.push(skip(c, "needs --prom URL".into()));
                    continue;
                }
                if query.is_empty() {
                    jobs.push(skip(c, "has no PromQL query to send to --prom".into()));
                    continue;
                }
                let client = http_client
                    .get_or_insert_with(|| http::client(cfg.timeout))
                    .clone();
                jobs.push(Job::Http {
                    out: Outcome {
                        id: c.id.clone(),
                        kind: Some(ProbeKind::Http),
                        command: c.command.clone(),
                        read: Read::Findings,
                        hypotheses: c.hypotheses.clone(),
                        ..Default::default()
                    },
                    prom: http::PromJob {
                        query: query.to_string(),
                        about: format!("{} {} {}", c.id, c.why, c.expected),
                        client,
                    },
                });
            }
            ProbeKind::Host => {
                let more = host::checklist_jobs(c, cfg, &jobs);
                jobs.extend(more);
            }
            ProbeKind::Sql => jobs.push(skip(c, "needs --pg URL".into())),
        }
    }
    // the incident's own error signatures, grepped in the same logs
    if !cfg.logs.is_empty() {
        for (name, re) in &cfg.terms {
            let id = format!("log/signature/{name}");
            if jobs.iter().any(|j| j.outcome().id == id) {
                continue;
            }
            let command = format!("grep -E {} <logs>", crate::template::quote(re));
            jobs.push(log_job(&id, &command, re.clone(), Vec::new()));
        }
    }
    jobs
}

/// A log grep over `--logs`.
fn log_job(id: &str, command: &str, pattern: String, hypotheses: Vec<String>) -> Job {
    Job::Log {
        out: Outcome {
            id: id.into(),
            kind: Some(ProbeKind::Log),
            command: command.into(),
            read: Read::Findings,
            hypotheses,
            ..Default::default()
        },
        pattern,
    }
}

/// Suffix of the outcome of a log probe's pattern grepped in the `kubectl logs` output.
pub const KUBECTL_LOGS: &str = "@kubectl-logs";

/// Grep the text outputs of the `kubectl logs` probes (`k8s/logs`, `k8s/previous-logs/…`) for
/// every log probe's pattern (the checklist's and the incident's own signatures): one more
/// outcome, `<probe id>@kubectl-logs`, per pattern that matched something. A separate outcome
/// rather than the file grep's: the file grep keeps its own status (skipped without `--logs`),
/// and the evidence cites where the lines were seen.
fn grep_kubectl_logs(checklist: &[CheckItem], cfg: &Config, done: &[Outcome]) -> Vec<Outcome> {
    let sources: Vec<(PathBuf, &[u8])> = done
        .iter()
        .filter(|o| o.id.starts_with("k8s/logs") || o.id.starts_with("k8s/previous-logs"))
        .filter(|o| !o.output.is_empty())
        .map(|o| (PathBuf::from(&o.id), o.output.as_bytes()))
        .collect();
    if sources.is_empty() {
        return Vec::new();
    }
    let names: Vec<String> = sources
        .iter()
        .map(|(p, _)| p.display().to_string())
        .collect();
    let mut patterns: Vec<(String, String, Vec<String>)> = checklist
        .iter()
        .filter(|c| c.kind == ProbeKind::Log && c.missing.is_empty())
        .filter_map(|c| {
            let q = c.query.clone().filter(|q| !q.is_empty())?;
            Some((c.id.clone(), q, c.hypotheses.clone()))
        })
        .collect();
    for (name, re) in &cfg.terms {
        patterns.push((format!("log/signature/{name}"), re.clone(), Vec::new()));
    }
    let mut out: Vec<Outcome> = Vec::new();
    for (id, pattern, hypotheses) in patterns {
        let id = format!("{id}{KUBECTL_LOGS}");
        if out.iter().any(|o| o.id == id) {
            continue;
        }
        let Ok(re) = log::matcher(&pattern) else {
            continue;
        };
        let started = std::time::Instant::now();
        let g = log::grep_texts(&sources, &re, &log::Options::default());
        if g.count == 0 {
            continue;
        }
        let place = format!("in the output of {}", names.join(", "));
        let (findings, output) = log::findings(&g, &place, None);
        out.push(Outcome {
            id,
            kind: Some(ProbeKind::Log),
            command: format!(
                "grep -E {} <output of {}>",
                crate::template::quote(&pattern),
                names.join(", ")
            ),
            status: status::OK.into(),
            took_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            output,
            findings,
            read: Read::Findings,
            hypotheses,
            ..Default::default()
        });
    }
    out
}

/// Run the SQL jobs one after another on one shared connection. A refused connection is
/// itself evidence (`too many clients`): the first job keeps the server's words as a finding.
async fn run_sql(jobs: Vec<(usize, Job)>, cfg: &Config) -> Vec<(usize, Outcome)> {
    let url = cfg.pg.clone().unwrap_or_default();
    let started = std::time::Instant::now();
    let client = tokio::time::timeout(cfg.timeout, sql::connect(&url)).await;
    let client = match client {
        Ok(Ok(c)) => Ok(c),
        Ok(Err(e)) => Err(e),
        Err(_) => Err(format!(
            "no answer from the database within {}s",
            cfg.timeout.as_secs()
        )),
    };
    let mut out = Vec::new();
    for (n, (i, job)) in jobs.into_iter().enumerate() {
        let Job::Sql {
            out: mut o,
            query,
            read,
        } = job
        else {
            continue;
        };
        match &client {
            Err(e) => {
                o.status = status::FAILED.into();
                o.reason = Some(format!("cannot connect: {e}"));
                if n == 0 {
                    o.took_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(0);
                    o.findings
                        .push(format!("the database refused the probe's connection: {e}"));
                }
            }
            Ok(c) => {
                let t = std::time::Instant::now();
                let ms = u64::try_from(cfg.timeout.as_millis()).unwrap_or(10_000);
                match tokio::time::timeout(cfg.timeout, sql::query(c, &query, ms)).await {
                    Ok(Ok(rows)) => {
                        o.status = status::OK.into();
                        o.findings = match read {
                            Some(f) => f(&rows),
                            None => sql::generic(&rows),
                        };
                        o.output = crate::ingest::redact::redact(&sql::generic(&rows).join("\n")).0;
                    }
                    Ok(Err(e)) => {
                        o.status = status::FAILED.into();
                        o.reason = Some(e);
                    }
                    Err(_) => {
                        o.status = status::TIMEOUT.into();
                        o.reason = Some(format!("no answer within {}s", cfg.timeout.as_secs()));
                    }
                }
                o.took_ms = u64::try_from(t.elapsed().as_millis()).unwrap_or(0);
            }
        }
        out.push((i, o));
    }
    out
}

/// Run one job.
async fn run_job(job: Job, cfg: &Config) -> Outcome {
    match job {
        Job::Skip { out } => out,
        Job::Sql { out, .. } => out,
        Job::Http { mut out, prom } => {
            http::run(&mut out, &prom, cfg).await;
            out
        }
        Job::Health {
            mut out,
            url,
            client,
        } => {
            http::health(&mut out, &url, &client).await;
            out
        }
        Job::Argv { mut out } => {
            if out.kind == Some(ProbeKind::Host)
                && let Err(e) = host::check_argv(&out.argv)
            {
                out.status = status::SKIPPED.into();
                out.reason = Some(format!("refused: {e}"));
                return out;
            }
            match exec::run(&out.argv, cfg.timeout, OUTPUT_CAP).await {
                Err(e) => {
                    out.status = status::SKIPPED.into();
                    out.reason = Some(if e.kind() == std::io::ErrorKind::NotFound {
                        format!("{} is not installed (not found on PATH)", out.argv[0])
                    } else {
                        format!("could not start {}: {e}", out.argv[0])
                    });
                }
                Ok(r) => {
                    out.took_ms = u64::try_from(r.took.as_millis()).unwrap_or(u64::MAX);
                    out.exit = r.code;
                    out.truncated = r.truncated;
                    let text = String::from_utf8_lossy(&r.stdout);
                    out.output = crate::ingest::redact::redact(&text).0;
                    if r.timed_out {
                        out.status = status::TIMEOUT.into();
                        out.reason = Some(format!("killed after {}s", cfg.timeout.as_secs()));
                    } else if r.code != Some(0)
                        && !(out.kind == Some(ProbeKind::Host) && host::answered(&out.argv, r.code))
                    {
                        out.status = status::FAILED.into();
                        let err = String::from_utf8_lossy(&r.stderr);
                        let first = err.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
                        out.reason = Some(match r.code {
                            Some(c) => format!("exit {c}: {}", first.trim()),
                            None => format!("killed by a signal: {}", first.trim()),
                        });
                    } else {
                        out.status = status::OK.into();
                        read_findings(&mut out, cfg);
                    }
                }
            }
            out
        }
        Job::Log { mut out, pattern } => {
            let started = std::time::Instant::now();
            let paths = cfg.logs.clone();
            let opts = log::Options {
                window: cfg.window,
                deadline: Some(started + cfg.timeout),
                ..log::Options::default()
            };
            let grep = tokio::task::spawn_blocking(move || {
                log::matcher(&pattern).map(|re| log::search(&paths, &re, &opts))
            })
            .await;
            out.took_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
            match grep {
                Ok(Ok(g)) => {
                    out.status = status::OK.into();
                    if g.files == 0 {
                        out.status = status::FAILED.into();
                        out.reason = Some("no readable file under --logs".into());
                    }
                    let place = format!("in {} file(s)", g.files);
                    (out.findings, out.output) = log::findings(&g, &place, cfg.window);
                }
                Ok(Err(e)) => {
                    out.status = status::FAILED.into();
                    out.reason = Some(format!("the pattern does not compile: {e}"));
                }
                Err(e) => {
                    out.status = status::FAILED.into();
                    out.reason = Some(format!("the grep stopped: {e}"));
                }
            }
            out
        }
    }
}

/// Fill `findings` from a successful output.
fn read_findings(out: &mut Outcome, cfg: &Config) {
    if out.read == Read::Host {
        out.findings = host::findings(&out.argv, &out.output);
        return;
    }
    let workload = cfg.workload.as_deref();
    let parsed = match out.read {
        Read::Pods => Some(k8s::pods(&out.output, workload)),
        Read::Events => Some(k8s::events(&out.output, workload, 20)),
        Read::Nodes => Some(k8s::nodes(&out.output)),
        Read::Deployments => Some(k8s::deployments(&out.output, workload)),
        Read::Top => Some(k8s::top(&out.output, None, workload)),
        Read::Text | Read::Findings | Read::Host => None,
    };
    match parsed {
        Some(Ok(f)) => {
            out.findings.push(f.summary);
            out.findings.extend(f.lines);
        }
        Some(Err(e)) => {
            out.status = status::FAILED.into();
            out.reason = Some(e);
        }
        None if out.read == Read::Findings => {
            if let Some(l) = out.output.lines().find(|l| !l.trim().is_empty()) {
                out.findings.push(l.trim().to_string());
            }
        }
        None => {
            let n = out.output.lines().filter(|l| !l.trim().is_empty()).count();
            out.findings.push(format!("{n} line(s) of output"));
        }
    }
}

/// The follow-up probes that what the first ones found calls for, in the namespace given or
/// the one the workload's pods were found in: the workload's logs and rollout history, and the
/// previous logs of pods that restarted.
fn follow_ups(done: &[Outcome], cfg: &Config) -> Vec<Job> {
    let found = surveyed_pods(done, cfg);
    let ns = cfg
        .namespace
        .clone()
        .or_else(|| found.as_ref().and_then(|f| f.namespace.clone()))
        .filter(|n| crate::template::valid("namespace", n));
    let Some(ns) = ns else {
        return Vec::new();
    };
    let mut jobs = Vec::new();
    if let Some(w) = &cfg.workload {
        let target = format!("deployment/{w}");
        jobs.push(argv_job(
            "k8s/logs",
            kubectl(cfg, &["-n", &ns, "logs", &target, "--tail=300"]),
            Read::Text,
            Vec::new(),
        ));
        jobs.push(argv_job(
            "k8s/rollout-history",
            kubectl(cfg, &["-n", &ns, "rollout", "history", &target]),
            Read::Text,
            Vec::new(),
        ));
    }
    // what the pods use, against their limits (kubectl top has no JSON: its table is read)
    let mut top = vec!["-n", ns.as_str(), "top", "pods"];
    if let Some(sel) = cfg.selector.as_deref() {
        top.extend(["-l", sel]);
    }
    jobs.push(argv_job(
        "k8s/top-pods",
        kubectl(cfg, &top),
        Read::Top,
        Vec::new(),
    ));
    let restarted = found.map(|f| f.restarted).unwrap_or_default();
    for p in restarted
        .iter()
        .filter(|p| crate::template::valid("pod", p))
        .take(PREVIOUS_LOGS)
    {
        jobs.push(argv_job(
            &format!("k8s/previous-logs/{p}"),
            kubectl(cfg, &["-n", &ns, "logs", p, "--previous", "--tail=200"]),
            Read::Text,
            Vec::new(),
        ));
    }
    jobs
}

/// Read `kubectl top pods` again with the pod list's limits, once both are in.
fn top_against_limits(outcomes: &mut [Outcome], cfg: &Config) {
    let Some(pods) = outcomes
        .iter()
        .find(|o| o.id == "k8s/pods" && o.status == status::OK)
        .map(|o| o.output.clone())
    else {
        return;
    };
    for o in outcomes
        .iter_mut()
        .filter(|o| o.read == Read::Top && o.status == status::OK)
    {
        if let Ok(f) = k8s::top(&o.output, Some(&pods), cfg.workload.as_deref()) {
            o.findings = std::iter::once(f.summary).chain(f.lines).collect();
        }
    }
}

/// What happened to a run of probes.
pub struct Run {
    /// Every probe, in plan order.
    pub outcomes: Vec<Outcome>,
    /// Ctrl-C stopped it.
    pub interrupted: bool,
}

/// Run the probes of a checklist (see [`plan`]), `on_done` called as each finishes.
pub fn run(checklist: &[CheckItem], cfg: &Config, on_done: &(dyn Fn(&Outcome) + Sync)) -> Run {
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            let outcomes = plan(checklist, cfg)
                .into_iter()
                .map(|j| {
                    let mut o = j.outcome().clone();
                    o.status = status::SKIPPED.into();
                    o.reason = Some(format!("could not start the probe runtime: {e}"));
                    o
                })
                .collect();
            return Run {
                outcomes,
                interrupted: false,
            };
        }
    };
    rt.block_on(async {
        let first = plan(checklist, cfg);
        let (mut outcomes, interrupted) = run_batch(first, cfg, on_done).await;
        host::relate(&mut outcomes);
        if !interrupted {
            let mut more = follow_ups(&outcomes, cfg);
            more.retain(|j| !outcomes.iter().any(|o| o.argv == j.outcome().argv));
            let (rest, stopped) = run_batch(more, cfg, on_done).await;
            outcomes.extend(rest);
            top_against_limits(&mut outcomes, cfg);
            if !stopped {
                let greps = grep_kubectl_logs(checklist, cfg, &outcomes);
                greps.iter().for_each(on_done);
                outcomes.extend(greps);
            }
            return Run {
                outcomes,
                interrupted: stopped,
            };
        }
        Run {
            outcomes,
            interrupted,
        }
    })
}

/// Run jobs at most `cfg.concurrency` at once; on Ctrl-C the unfinished ones are marked so.
async fn run_batch(
    jobs: Vec<Job>,
    cfg: &Config,
    on_done: &(dyn Fn(&Outcome) + Sync),
) -> (Vec<Outcome>, bool) {
    let planned: Vec<Outcome> = jobs.iter().map(|j| j.outcome().clone()).collect();
    let mut slots: Vec<Option<Outcome>> = vec![None; jobs.len()];
    let sem = std::sync::Arc::new(tokio::sync::Semaphore::new(cfg.concurrency.max(1)));
    let mut set = tokio::task::JoinSet::new();
    let mut sql_jobs = Vec::new();
    for (i, job) in jobs.into_iter().enumerate() {
        if matches!(job, Job::Sql { .. }) {
            sql_jobs.push((i, job));
            continue;
        }
        let cfg = cfg.clone();
        let sem = sem.clone();
        set.spawn(async move {
            let _permit = sem.acquire_owned().await;
            vec![(i, run_job(job, &cfg).await)]
        });
    }
    if !sql_jobs.is_empty() {
        let cfg = cfg.clone();
        let sem = sem.clone();
        set.spawn(async move {
            let _permit = sem.acquire_owned().await;
            run_sql(sql_jobs, &cfg).await
        });
    }
    let mut interrupted = false;
    let ctrl_c = tokio::signal::ctrl_c();
    tokio::pin!(ctrl_c);
    loop {
        tokio::select! {
            next = set.join_next() => match next {
                None => break,
                Some(Ok(done)) => {
                    for (i, out) in done {
                        on_done(&out);
                        slots[i] = Some(out);
                    }
                }
                Some(Err(_)) => {}
            },
            _ = &mut ctrl_c => {
                interrupted = true;
                set.abort_all();
                break;
            }
        }
    }
    let outcomes = planned
        .into_iter()
        .zip(slots)
        .map(|(mut plan, got)| match got {
            Some(o) => o,
            None => {
                plan.status = status::SKIPPED.into();
                plan.reason = Some(if interrupted {
                    "interrupted (Ctrl-C) before it finished".into()
                } else {
                    "the probe task stopped".into()
                });
                plan
            }
        })
        .collect();
    (outcomes, interrupted)
}

/// What the probes saw, for the ranking: each successful probe's findings (or its text output)
/// parsed like a paste.
pub fn observed(outcomes: &[Outcome]) -> Vec<Observed> {
    outcomes
        .iter()
        .filter(|o| o.status == status::OK && o.read != Read::Findings || has_findings(o))
        .map(|o| {
            let text = match o.read {
                Read::Text => o
                    .output
                    .lines()
                    .filter(|l| !l.trim().is_empty())
                    .take(TEXT_LINES)
                    .collect::<Vec<_>>()
                    .join("\n"),
                // a log grep's context lines and notes are not what it found
                _ if o.kind == Some(ProbeKind::Log) => log::for_ranking(&o.findings)
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join("\n"),
                _ => o.findings.join("\n"),
            };
            Observed {
                probe: o.id.clone(),
                incident: crate::ingest::parse(&text, &Default::default()),
            }
        })
        .collect()
}

/// A probe read by its findings that found something: a log grep's example lines, a SQL
/// check's numbers, the server's words when it refused the connection, or the series a
/// Prometheus query returned.
fn has_findings(o: &Outcome) -> bool {
    match o.kind {
        Some(ProbeKind::Log) => o.status == status::OK && log::for_ranking(&o.findings).count() > 1,
        Some(ProbeKind::Sql) => !o.findings.is_empty(),
        Some(ProbeKind::Http) => o.status == status::OK && !o.findings.is_empty(),
        _ => false,
    }
}

/// The namespace probes used: the given one, or the one the workload's pods were found in.
pub fn namespace_used(cfg: &Config, outcomes: &[Outcome]) -> Option<String> {
    cfg.namespace
        .clone()
        .or_else(|| surveyed_pods(outcomes, cfg).and_then(|f| f.namespace))
}

/// What the survey's pod listing said about the workload's pods, if it ran.
fn surveyed_pods(outcomes: &[Outcome], cfg: &Config) -> Option<k8s::Findings> {
    outcomes
        .iter()
        .find(|o| o.id == "k8s/pods" && o.status == status::OK)
        .and_then(|o| k8s::pods(&o.output, cfg.workload.as_deref()).ok())
}

/// The kubectl context probes used: the flag's, or what `kubectl config current-context` said.
pub fn context_used(cfg: &Config, outcomes: &[Outcome]) -> Option<String> {
    cfg.kube_context.clone().or_else(|| {
        outcomes
            .iter()
            .find(|o| o.id == "k8s/context" && o.status == status::OK)
            .and_then(|o| o.findings.first().cloned())
    })
}

/// A duration as the flags and playbooks write it: `500ms`, `30s` (or a bare number of
/// seconds), `5m`, `2h`; none when it is zero or unreadable.
pub fn parse_duration(s: &str) -> Option<Duration> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let n: u64 = s[..split].parse().ok()?;
    let ms = match s[split..].trim() {
        "" | "s" => n.checked_mul(1000)?,
        "ms" => n,
        "m" | "min" => n.checked_mul(60_000)?,
        "h" => n.checked_mul(3_600_000)?,
        _ => return None,
    };
    (ms > 0).then(|| Duration::from_millis(ms))
}

/// A duration as [`parse_duration`] reads it back: `500ms`, `30s`, `5m`, `1h30m`.
pub fn show_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let s = d.as_secs();
    match (s / 3600, s % 3600 / 60, s % 60) {
        (0, 0, s) => format!("{s}s"),
        (0, m, 0) => format!("{m}m"),
        (0, m, s) => format!("{m}m{s}s"),
        (h, 0, 0) => format!("{h}h"),
        (h, m, _) => format!("{h}h{m}m"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> Config {
        Config {
            kube_context: None,
            namespace: Some("shop".into()),
            selector: None,
            workload: Some("checkout-api".into()),
            logs: Vec::new(),
            pg: None,
            prom: None,
            window: None,
            hosts: Vec::new(),
            unit: None,
            timeout: Duration::from_secs(5),
            concurrency: 4,
            ..Config::default()
        }
    }

    #[test]
    fn the_survey_names_namespace_and_workload_and_reads_json() {
        let jobs = plan(&[], &cfg());
        let argvs: Vec<String> = jobs.iter().map(|j| j.outcome().command.clone()).collect();
        assert!(argvs.contains(&"kubectl -n shop get pods -o json".to_string()));
        let mut c = cfg();
        c.namespace = None;
        let all: Vec<String> = plan(&[], &c)
            .iter()
            .map(|j| j.outcome().command.clone())
            .collect();
        assert!(
            all.contains(&"kubectl -A get pods -o json".to_string()),
            "{all:?}"
        );
        for j in &jobs {
            crate::safety::kubectl_read_only(&j.outcome().argv).expect("read-only");
        }
        let mut c = cfg();
        c.kube_context = Some("prod-eu".into());
        let jobs = plan(&[], &c);
        assert!(
            jobs.iter()
                .all(|j| j.outcome().argv[1..3] == ["--context", "prod-eu"])
        );
        assert!(!jobs.iter().any(|j| j.outcome().id == "k8s/context"));
    }

    #[test]
    fn the_built_in_sql_checks_are_read_only() {
        for c in sql::CHECKS {
            crate::safety::sql_read_only(c.query).unwrap_or_else(|e| panic!("{}: {e}", c.id));
        }
    }

    #[test]
    fn json_outputs_are_known_by_their_argv() {
        let argv = |s: &str| -> Vec<String> { s.split_whitespace().map(String::from).collect() };
        assert_eq!(read_of(&argv("kubectl get pods -o json")), Read::Pods);
        assert_eq!(read_of(&argv("kubectl get pods -o wide")), Read::Text);
    }

    fn log_item(id: &str, pattern: &str) -> CheckItem {
        CheckItem {
            id: id.into(),
            kind: ProbeKind::Log,
            command: format!("grep -E '{pattern}' <logs>"),
            argv: Vec::new(),
            query: Some(pattern.into()),
            why: String::new(),
            expected: String::new(),
            hypotheses: vec!["db-pool".into()],
            missing: Vec::new(),
            status: "not_run",
            reason: None,
            findings: Vec::new(),
            took_ms: None,
        }
    }

    #[test]
    fn the_incidents_own_signatures_are_grepped_with_logs_only() {
        let mut c = cfg();
        c.terms = vec![(
            "too-many-connections".into(),
            r"(?i)\btoo many clients\b".into(),
        )];
        let ids = |c: &Config| -> Vec<String> {
            plan(&[log_item("pool/log-too-many", "too many clients")], c)
                .iter()
                .map(|j| j.outcome().id.clone())
                .collect()
        };
        assert!(!ids(&c).iter().any(|i| i.starts_with("log/signature/")));
        c.logs = vec!["/var/log/app".into()];
        let all = ids(&c);
        assert!(
            all.contains(&"log/signature/too-many-connections".to_string()),
            "{all:?}"
        );
        assert!(all.contains(&"pool/log-too-many".to_string()));
    }

    #[test]
    fn log_patterns_are_grepped_in_the_kubectl_logs_output_without_logs() {
        let logs = Outcome {
            id: "k8s/logs".into(),
            status: status::OK.into(),
            output: "2026-06-02T14:01:00Z INFO start\n\
                     2026-06-02T14:02:00Z FATAL: sorry, too many clients already\n\
                     2026-06-02T14:02:01Z INFO retry\n"
                .into(),
            ..Default::default()
        };
        let prev = Outcome {
            id: "k8s/previous-logs/api-1".into(),
            status: status::OK.into(),
            output: "too many clients\n".into(),
            ..Default::default()
        };
        let mut c = cfg();
        c.terms = vec![("dns-failure".into(), "NXDOMAIN".into())];
        let items = [
            log_item("pool/log-too-many", "too many clients"),
            log_item("dns/log-nx", "NXDOMAIN"),
        ];
        // without --logs the file grep is skipped, the kubectl logs are still read
        assert!(matches!(plan(&items, &c)[..], [.., Job::Skip { .. }]));
        let out = grep_kubectl_logs(&items, &c, &[logs, prev]);
        assert_eq!(out.len(), 1, "only patterns that matched: {out:?}");
        let o = &out[0];
        assert_eq!(o.id, "pool/log-too-many@kubectl-logs");
        assert_eq!(o.kind, Some(ProbeKind::Log));
        assert_eq!(o.read, Read::Findings);
        assert_eq!(o.hypotheses, ["db-pool"]);
        assert!(
            o.findings[0].starts_with(
                "2 matching line(s) in the output of k8s/logs, k8s/previous-logs/api-1"
            ),
            "{:?}",
            o.findings
        );
        assert!(
            o.findings
                .iter()
                .any(|f| f == "  - 2026-06-02T14:01:00Z INFO start")
        );
        assert!(o.output.contains("k8s/logs:2:"), "{}", o.output);
        // what the ranking reads: the head and the matching lines, not the context
        let seen = observed(&out);
        assert_eq!(seen.len(), 1);
        assert!(
            !seen[0]
                .incident
                .lines
                .iter()
                .any(|l| l.text.contains("retry"))
        );
    }
}
