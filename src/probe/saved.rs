//! A probe run as the bundle keeps it (`probes.json`, schema `sentinel.probes/v1`): the targets
//! it ran against, each probe's command, status, output and findings, so that
//! `investigate --replay` ranks again from them with no network.

use super::{Config, Outcome};
use serde::{Deserialize, Serialize};

/// The schema of a saved probe run.
pub const SCHEMA: &str = "sentinel.probes/v1";

/// A saved probe run.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Saved {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// When it ran (RFC 3339, UTC).
    pub ran_at: String,
    /// The sentinel that ran it.
    pub sentinel: String,
    /// What it ran against.
    pub targets: Targets,
    /// The kubectl context it used, when known.
    #[serde(default)]
    pub kube_context: Option<String>,
    /// The namespace it used, when known.
    #[serde(default)]
    pub namespace: Option<String>,
    /// Ctrl-C stopped it.
    #[serde(default)]
    pub interrupted: bool,
    /// Every probe, in plan order.
    pub outcomes: Vec<Outcome>,
}

/// The targets of a run, as given (the database URL with its password masked).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Targets {
    /// `--kube-context`.
    #[serde(default)]
    pub kube_context: Option<String>,
    /// The namespace (flag or paste).
    #[serde(default)]
    pub namespace: Option<String>,
    /// `--selector`.
    #[serde(default)]
    pub selector: Option<String>,
    /// The workload.
    #[serde(default)]
    pub workload: Option<String>,
    /// `--pg`, masked.
    #[serde(default)]
    pub pg: Option<String>,
    /// `--prom`.
    #[serde(default)]
    pub prom: Option<String>,
    /// `--host`.
    #[serde(default)]
    pub hosts: Vec<String>,
    /// `--logs`.
    #[serde(default)]
    pub logs: Vec<String>,
}

impl Saved {
    /// The record of a run against `cfg`, at `ran_at`.
    pub fn new(cfg: &Config, run: &super::Run, ran_at: String) -> Saved {
        let outcomes: Vec<Outcome> = run.outcomes.to_vec();
        Saved {
            schema: SCHEMA.into(),
            ran_at,
            sentinel: env!("CARGO_PKG_VERSION").into(),
            targets: Targets {
                kube_context: cfg.kube_context.clone(),
                namespace: cfg.namespace.clone(),
                selector: cfg.selector.clone(),
                workload: cfg.workload.clone(),
                pg: cfg.pg.as_deref().map(|u| {
                    crate::store::dsn::Dsn::parse(u)
                        .map(|d| d.shown)
                        .unwrap_or_else(|_| masked_url(u))
                }),
                prom: cfg.prom.as_deref().map(masked_url),
                hosts: cfg.hosts.clone(),
                logs: cfg.logs.iter().map(|p| p.display().to_string()).collect(),
            },
            kube_context: super::context_used(cfg, &outcomes),
            namespace: super::namespace_used(cfg, &outcomes),
            interrupted: run.interrupted,
            outcomes,
        }
    }

    /// Read a saved run; `what` names it in the error.
    pub fn parse(bytes: &[u8], what: &str) -> Result<Saved, String> {
        let s: Saved = serde_json::from_slice(bytes).map_err(|e| {
            format!("{what} does not read as a saved probe run ({e}): run the probes again")
        })?;
        if s.schema != SCHEMA {
            return Err(format!(
                "{what} has schema {:?}, not {SCHEMA}: run the probes again with this sentinel",
                s.schema
            ));
        }
        Ok(s)
    }

    /// As the bundle keeps it.
    pub fn to_json(&self) -> Vec<u8> {
        let mut v = serde_json::to_vec_pretty(self).unwrap_or_default();
        v.push(b'\n');
        v
    }
}

/// A URL or libpq string with its password masked (`postgres://u:***@db/x`, `password=***`).
pub fn masked_url(url: &str) -> String {
    crate::ingest::redact::redact(url).0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_masking() {
        let cfg = Config {
            kube_context: None,
            namespace: Some("prod".into()),
            selector: None,
            workload: Some("api".into()),
            logs: vec!["/var/log/api".into()],
            pg: Some("postgres://ro:hunter2secret@db:5432/app".into()),
            prom: None,
            hosts: vec![],
            timeout: std::time::Duration::from_secs(1),
            concurrency: 1,
            ..Config::default()
        };
        let run = super::super::Run {
            outcomes: vec![Outcome {
                id: "k8s/pods".into(),
                status: "ok".into(),
                findings: vec!["pod api-1 OOMKilled".into()],
                ..Default::default()
            }],
            interrupted: true,
        };
        let s = Saved::new(&cfg, &run, "2026-12-03T14:00:00Z".into());
        let json = s.to_json();
        let text = String::from_utf8_lossy(&json);
        assert!(!text.contains("hunter2secret"), "{text}");
        let back = Saved::parse(&json, "probes.json").expect("reads back");
        assert!(back.interrupted);
        assert_eq!(back.outcomes[0].findings, run.outcomes[0].findings);
        assert_eq!(back.targets.namespace.as_deref(), Some("prod"));
        let err = Saved::parse(b"{\"schema\":\"x\"}", "probes.json").unwrap_err();
        assert!(err.contains("probes.json"), "{err}");
        let err = Saved::parse(
            br#"{"schema":"sentinel.probes/v9","ran_at":"","sentinel":"","targets":{},"outcomes":[]}"#,
            "probes.json",
        )
        .unwrap_err();
        assert!(err.contains("v9"), "{err}");
    }
}
