//! The incident store: the bundles of past incidents, and the similarity that finds them.
//!
//! A bundle is an incident sentinel has seen: its text exactly as given (credentials masked), what
//! the analysis made of it (failure modes, service, error signatures) and, once known, its
//! confirmed root cause and resolution. The local store ([`local`]) needs no server; the
//! Postgres store (for a team's shared history) is not built yet.

pub mod local;
pub mod similar;
pub mod trgm;

use crate::analyze::Report;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The bundle schema written in `meta.json`.
pub const BUNDLE_SCHEMA: &str = "sentinel.bundle/v1";

/// What the store keeps of an incident beside its text.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Meta {
    /// Always [`BUNDLE_SCHEMA`].
    pub schema: String,
    /// Its id (also its folder's name).
    pub id: String,
    /// Its title.
    pub title: String,
    /// The date the text gives (YYYY-MM-DD), never the clock's.
    #[serde(default)]
    pub date: Option<String>,
    /// SHA-256 of the masked text: the same paste given twice is the same incident.
    pub hash: String,
    /// `ingest` (a paste) or `import` (`similar --add`).
    pub source: String,
    /// The service, if the text names one.
    #[serde(default)]
    pub service: Option<String>,
    /// The failure modes (playbook ids) the analysis ranked first, best first (at most 3).
    #[serde(default)]
    pub failure_modes: Vec<String>,
    /// The title of the first failure mode.
    #[serde(default)]
    pub failure_title: Option<String>,
    /// Error signature names found in the text.
    #[serde(default)]
    pub signatures: Vec<String>,
    /// The root cause, when recorded (a postmortem's "Root cause" or a confirmation).
    #[serde(default)]
    pub root_cause: Option<String>,
    /// How it was resolved, when recorded.
    #[serde(default)]
    pub resolution: Option<String>,
    /// The root cause was confirmed (not only written in an imported text).
    #[serde(default)]
    pub confirmed: bool,
}

/// A stored incident.
#[derive(Clone, Debug)]
pub struct Stored {
    /// What the store knows of it.
    pub meta: Meta,
    /// Its masked text.
    pub text: String,
}

/// Store failures.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A bundle file does not parse (hand-edited or damaged).
    #[error("{}: {reason}", path.display())]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// No incident with this id.
    #[error("no stored incident {0:?}")]
    NotFound(String),
    /// Not usable as an incident id.
    #[error(
        "{0:?} is not a valid incident id: use letters, digits, '.', '_' and '-' (at most 100)"
    )]
    BadId(String),
}

/// Is `id` usable as an incident id (and as a folder name)?
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 100
        && id.as_bytes()[0].is_ascii_alphanumeric()
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        && !id.contains("..")
}

/// Where the store is: `--store`, else `SENTINEL_STORE`, else `$XDG_DATA_HOME/sentinel/store`
/// (`~/.local/share/sentinel/store`).
pub fn default_root() -> Option<PathBuf> {
    if let Some(s) = std::env::var_os("SENTINEL_STORE").filter(|s| !s.is_empty()) {
        return Some(PathBuf::from(s));
    }
    let data = std::env::var_os("XDG_DATA_HOME")
        .filter(|s| !s.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|s| !s.is_empty())
                .map(|h| Path::new(&h).join(".local/share"))
        })?;
    Some(data.join("sentinel").join("store"))
}

/// SHA-256 of a text, in hex.
pub fn hash(text: &str) -> String {
    use sha2::Digest;
    let d = sha2::Sha256::digest(text.as_bytes());
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// The meta of a text from its report. `masked` is the text as it will be stored.
pub fn meta_for(report: &Report, masked: &str, source: &str, id: String) -> Meta {
    let inc = &report.incident;
    let root_cause = recorded_root_cause(masked);
    let mut signatures: Vec<String> = inc.signatures.iter().map(|s| s.name.clone()).collect();
    signatures.sort();
    signatures.dedup();
    Meta {
        schema: BUNDLE_SCHEMA.to_string(),
        id,
        title: inc.title.clone(),
        date: inc.anchor_date.map(|d| d.to_string()),
        hash: hash(masked),
        source: source.to_string(),
        service: inc.service().map(str::to_string),
        failure_modes: report
            .hypotheses
            .iter()
            .take(3)
            .map(|h| h.id.clone())
            .collect(),
        failure_title: report.hypotheses.first().map(|h| h.title.clone()),
        signatures,
        root_cause: root_cause.clone(),
        resolution: None,
        // an imported postmortem's "Root cause" is the one found after the fact
        confirmed: source == "import" && root_cause.is_some(),
    }
}

/// A readable id from the text: `2026-11-22-payment-svc-connection-pool` (date from the text,
/// service, failure mode); without any of them, the content hash.
pub fn readable_id(meta: &Meta) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(d) = &meta.date {
        parts.push(d.clone());
    }
    if let Some(s) = &meta.service {
        parts.push(slug(s));
    }
    if let Some(m) = meta.failure_modes.first() {
        let words: Vec<&str> = m
            .split('-')
            .filter(|w| !matches!(*w, "db" | "k8s" | "bad"))
            .take(2)
            .collect();
        parts.push(words.join("-"));
    }
    parts.retain(|p| !p.is_empty());
    if parts.len() < 2 {
        return format!("inc-{}", &meta.hash[..12]);
    }
    let mut id = parts.join("-");
    id.truncate(80);
    id.trim_end_matches('-').to_string()
}

fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').chars().take(40).collect()
}

/// The root cause a text states for itself: a "Root cause: …" line, or the paragraph under a
/// "Root cause" heading (postmortems).
pub fn recorded_root_cause(text: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim().trim_start_matches(['#', '*', '-', ' ']).trim();
        let lower = t.to_ascii_lowercase();
        let Some(rest) = lower
            .strip_prefix("root cause")
            .or_else(|| lower.strip_prefix("root-cause"))
        else {
            continue;
        };
        let rest = rest.trim_start_matches(['s', '*']).trim_start();
        let inline = rest.strip_prefix([':', '-', '—']).map(str::trim);
        let body = match inline {
            Some(r) if !r.is_empty() => t[t.len() - r.len()..].to_string(),
            _ if rest.is_empty() || inline.is_some() => lines[i + 1..]
                .iter()
                .map(|l| l.trim())
                .skip_while(|l| l.is_empty())
                .take_while(|l| !l.is_empty() && !l.starts_with('#'))
                .collect::<Vec<_>>()
                .join(" "),
            _ => continue,
        };
        let body = body.trim().trim_matches('*').trim();
        if !body.is_empty() {
            let mut b: String = body.chars().take(300).collect();
            if b.len() < body.len() {
                b.push('…');
            }
            return Some(b);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert!(valid_id("INC-0814"));
        assert!(valid_id("2026-11-22-payment-svc-pool"));
        assert!(!valid_id("../etc"));
        assert!(!valid_id("a/b"));
        assert!(!valid_id(".hidden"));
        assert!(!valid_id(""));
        assert!(!valid_id(&"x".repeat(101)));
    }

    #[test]
    fn root_cause_from_a_postmortem() {
        let t = "# INC-0814\n\n## Root cause\n\nThe v2.41 cron job held connections.\nIt ran every 5 min.\n\n## Timeline\n";
        assert_eq!(
            recorded_root_cause(t).as_deref(),
            Some("The v2.41 cron job held connections. It ran every 5 min.")
        );
        assert_eq!(
            recorded_root_cause("Root cause: pool exhausted by a cron job").as_deref(),
            Some("pool exhausted by a cron job")
        );
        assert_eq!(
            recorded_root_cause("root causes are unclear so far"),
            None,
            "prose that only mentions root causes"
        );
    }

    #[test]
    fn readable_ids_come_from_the_text() {
        let mut m = Meta {
            schema: BUNDLE_SCHEMA.into(),
            id: String::new(),
            title: "t".into(),
            date: Some("2026-11-22".into()),
            hash: "ab".repeat(32),
            source: "ingest".into(),
            service: Some("payment-svc".into()),
            failure_modes: vec!["db-connection-pool-exhaustion".into()],
            failure_title: None,
            signatures: vec![],
            root_cause: None,
            resolution: None,
            confirmed: false,
        };
        assert_eq!(readable_id(&m), "2026-11-22-payment-svc-connection-pool");
        m.date = None;
        m.service = None;
        assert_eq!(readable_id(&m), "inc-abababababab");
    }
}
