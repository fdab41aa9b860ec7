//! The incident store: the bundles of past incidents, and the similarity that finds them.
//!
//! A bundle is an incident sentinel has seen: its text exactly as given (credentials masked), what
//! the analysis made of it (failure modes, service, error signatures) and, once known, its
//! confirmed root cause and resolution. The local store ([`local`]) needs no server; the
//! Postgres store ([`pg`]) keeps a team's shared history. [`Store`] is either, behind one
//! interface.

pub mod dsn;
pub mod index;
pub mod local;
pub mod pg;
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
    /// What confirmed it, when sentinel recorded the confirmation (an imported postmortem's
    /// root cause has none: it is a person's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmed_by: Option<ConfirmedBy>,
}

/// What confirmed a root cause, weakest first: a later record replaces one of the same or a
/// weaker kind, never a stronger one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ConfirmedBy {
    /// The probes of an investigation confirmed the top hypothesis.
    Probes,
    /// A mitigation of that hypothesis ran and its verification saw the signal recover.
    Mitigation,
    /// A person wrote it (the postmortem's "Root cause", edited).
    Person,
}

impl ConfirmedBy {
    /// How it reads in `incidents show`.
    pub fn as_str(self) -> &'static str {
        match self {
            ConfirmedBy::Probes => "probes",
            ConfirmedBy::Mitigation => "a verified mitigation",
            ConfirmedBy::Person => "a person",
        }
    }
}

/// What became known about an incident while it was worked on, to be kept with it
/// ([`Store::record`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// What confirmed it.
    pub by: ConfirmedBy,
    /// The failure mode (playbook id) and its title, when known: it becomes the bundle's first
    /// failure mode, so a later incident's strong match raises that hypothesis.
    pub failure_mode: Option<(String, String)>,
    /// The root cause, in words.
    pub root_cause: Option<String>,
    /// How it was resolved, in words.
    pub resolution: Option<String>,
}

impl Outcome {
    /// A hypothesis confirmed (by probes or a mitigation): its title and trigger are the root
    /// cause, its id the failure mode.
    pub fn of(
        h: &crate::model::Hypothesis,
        by: ConfirmedBy,
        resolution: Option<String>,
    ) -> Outcome {
        Outcome {
            by,
            failure_mode: Some((h.id.clone(), h.title.clone())),
            root_cause: Some(match &h.trigger {
                Some(t) => format!("{} ← {t}", h.title),
                None => h.title.clone(),
            }),
            resolution,
        }
    }
}

/// The longest root cause or resolution kept (in characters).
const RECORD_MAX: usize = 600;

fn capped(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() <= RECORD_MAX {
        return s.to_string();
    }
    let mut c: String = s.chars().take(RECORD_MAX - 1).collect();
    c.push('…');
    c
}

/// Apply an [`Outcome`] to a bundle's meta; says whether anything changed. A root cause is
/// replaced only by one confirmed as strongly or more strongly (a person's words over a verified
/// mitigation over the probes; an imported postmortem's counts as a person's). A resolution
/// adds to the one recorded ("…; then …"), unless it says the same.
pub fn apply_outcome(meta: &mut Meta, o: &Outcome) -> bool {
    let before = meta.clone();
    let standing = match (meta.confirmed, meta.confirmed_by) {
        (true, Some(b)) => Some(b),
        (true, None) if meta.root_cause.is_some() => Some(ConfirmedBy::Person),
        _ => None,
    };
    let stronger = standing.is_none_or(|s| o.by >= s);
    if let Some(rc) = o.root_cause.as_deref().filter(|r| !r.trim().is_empty())
        && stronger
    {
        meta.root_cause = Some(capped(rc));
        meta.confirmed = true;
        meta.confirmed_by = Some(o.by);
        if let Some((mode, title)) = &o.failure_mode {
            meta.failure_modes.retain(|m| m != mode);
            meta.failure_modes.insert(0, mode.clone());
            meta.failure_modes.truncate(3);
            meta.failure_title = Some(title.clone());
        }
    }
    if let Some(res) = o
        .resolution
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
    {
        meta.resolution = Some(match meta.resolution.as_deref() {
            Some(old) if old.contains(res) => old.to_string(),
            // a person's account replaces what sentinel pieced together
            Some(_) if o.by == ConfirmedBy::Person => capped(res),
            Some(old) => capped(&format!("{old}; then {res}")),
            None => capped(res),
        });
    }
    *meta != before
}

/// A stored incident.
#[derive(Clone, Debug)]
pub struct Stored {
    /// What the store knows of it.
    pub meta: Meta,
    /// Its masked text.
    pub text: String,
}

/// A stored incident that could not be read, and why; the others still load.
#[derive(Clone, Debug)]
pub struct Unreadable {
    /// The file or row.
    pub path: PathBuf,
    /// Why.
    pub reason: String,
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
    /// `similar --add` over an incident that was ingested, not imported.
    #[error(
        "{0} was ingested from a paste, not imported: `similar --add` replaces only imported text"
    )]
    NotImported(String),
    /// `similar --add` of a text stored under another id.
    #[error("this text is already stored as {existing}")]
    SameText {
        /// The id asked for.
        id: String,
        /// The id that holds the text.
        existing: String,
    },
    /// An id that differs from a stored one only in letter case (one folder on macOS).
    #[error("{id} differs from the stored {existing} only in letter case")]
    CaseClash {
        /// The id asked for.
        id: String,
        /// The stored id.
        existing: String,
    },
    /// The Postgres store failed (connection, TLS, query); the message carries the cause chain.
    #[error("{0}")]
    Postgres(String),
    /// The Postgres schema is missing, older or newer than this sentinel's.
    #[error("{0}")]
    Schema(String),
    /// A connection string sentinel cannot use.
    #[error("{0}")]
    BadDsn(String),
}

/// The files a bundle holds beside its meta and text, by name.
pub mod attachment {
    /// The latest report (`sentinel.report/v1`).
    pub const REPORT: &str = "report.json";
    /// The last probe run: targets, commands, outputs, findings (`sentinel.probes/v1`).
    pub const PROBES: &str = "probes.json";
    /// The audit trail of `mitigate`, append-only, one JSON entry per line
    /// (`sentinel.audit/v1`).
    pub const AUDIT: &str = "audit.jsonl";
    /// The postmortem as last written by `postmortem -o FILE` (markdown, with the person's
    /// edits that the file held).
    pub const POSTMORTEM: &str = "postmortem.md";

    /// Is `name` one of them?
    pub fn known(name: &str) -> bool {
        [REPORT, PROBES, AUDIT, POSTMORTEM].contains(&name)
    }
}

/// The incident store: a directory or a Postgres database, behind one interface.
pub enum Store {
    /// A directory.
    Local(local::LocalStore),
    /// A Postgres database (one connection per process, shared by whoever opens it).
    Postgres(std::sync::Arc<pg::PgStore>),
}

/// What `similar --add` did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Imported {
    /// A new incident.
    Added,
    /// An imported incident's text replaced; what was recorded about it kept.
    Replaced,
    /// The same text under the same id: nothing to do.
    Unchanged,
}

impl Store {
    /// Store a new incident under `base` (or `base-2`, …), unless its text is stored already.
    /// Returns its id and whether it is new.
    /// `raw` is what is kept: the bytes as given, credentials masked.
    pub fn insert(
        &self,
        meta: Meta,
        base: &str,
        raw: &[u8],
        report: impl FnOnce(&str) -> Option<String>,
    ) -> Result<(String, bool), StoreError> {
        match self {
            Store::Local(s) => s.insert(meta, base, raw, report),
            Store::Postgres(s) => s.insert(meta, base, raw, report),
        }
    }

    /// `similar --add`: add an imported incident under its own id, or replace the text of one
    /// imported before (keeping what was recorded about it); all in one step under the store's
    /// lock or transaction.
    pub fn import(&self, meta: Meta, raw: &[u8], report: &str) -> Result<Imported, StoreError> {
        match self {
            Store::Local(s) => s.import(meta, raw, report),
            Store::Postgres(s) => s.import(meta, raw, report),
        }
    }

    /// One incident.
    pub fn load(&self, id: &str) -> Result<Stored, StoreError> {
        if !valid_id(id) {
            return Err(StoreError::BadId(id.to_string()));
        }
        match self {
            Store::Local(s) => s.load(id),
            Store::Postgres(s) => s.load(id),
        }
    }

    /// Replace one of a stored incident's [`attachment`]s (its latest report, its probe run).
    pub fn attach(&self, id: &str, name: &str, body: &[u8]) -> Result<(), StoreError> {
        if !valid_id(id) {
            return Err(StoreError::BadId(id.to_string()));
        }
        debug_assert!(attachment::known(name), "unknown attachment {name}");
        match self {
            Store::Local(s) => s.attach(id, name, body),
            Store::Postgres(s) => s.attach(id, name, body),
        }
    }

    /// One of a stored incident's [`attachment`]s, if it has it.
    pub fn attachment(&self, id: &str, name: &str) -> Result<Option<Vec<u8>>, StoreError> {
        if !valid_id(id) {
            return Err(StoreError::BadId(id.to_string()));
        }
        match self {
            Store::Local(s) => s.attachment(id, name),
            Store::Postgres(s) => s.attachment(id, name),
        }
    }

    /// Append an entry to one of a stored incident's logs ([`attachment::AUDIT`]): durable when
    /// this returns; earlier entries are never rewritten.
    pub fn append(&self, id: &str, name: &str, entry: &str) -> Result<(), StoreError> {
        if !valid_id(id) {
            return Err(StoreError::BadId(id.to_string()));
        }
        debug_assert!(attachment::known(name), "unknown log {name}");
        match self {
            Store::Local(s) => s.append(id, name, entry),
            Store::Postgres(s) => s.append(id, name, entry),
        }
    }

    /// The entries of one of a stored incident's logs, in the order written.
    pub fn log(&self, id: &str, name: &str) -> Result<Vec<String>, StoreError> {
        if !valid_id(id) {
            return Err(StoreError::BadId(id.to_string()));
        }
        match self {
            Store::Local(s) => s.log(id, name),
            Store::Postgres(s) => s.log(id, name),
        }
    }

    /// Is there an incident with this id?
    pub fn contains(&self, id: &str) -> Result<bool, StoreError> {
        if !valid_id(id) {
            return Ok(false);
        }
        match self {
            Store::Local(s) => Ok(s.contains(id)),
            Store::Postgres(s) => s.contains(id),
        }
    }

    /// Every incident's meta, sorted by id, and those that do not read.
    pub fn list(&self) -> Result<(Vec<Meta>, Vec<Unreadable>), StoreError> {
        match self {
            Store::Local(s) => {
                let (all, bad) = s.load_all();
                Ok((all.into_iter().map(|s| s.meta).collect(), bad))
            }
            Store::Postgres(s) => s.list(),
        }
    }

    /// The incident written to last (stored, investigated, probed or acted on), for commands
    /// that work on "the current incident" when none is named; ties go to the greater id.
    pub fn last_worked_on(&self) -> Result<Option<String>, StoreError> {
        match self {
            Store::Local(s) => Ok(s.last_worked_on()),
            Store::Postgres(s) => s.last_worked_on(),
        }
    }

    /// Keep what became known about an incident (see [`apply_outcome`]) with it. Returns its
    /// meta as stored when something changed, `None` when it already said as much.
    pub fn record(&self, id: &str, o: &Outcome) -> Result<Option<Meta>, StoreError> {
        if !valid_id(id) {
            return Err(StoreError::BadId(id.to_string()));
        }
        let apply = |m: &mut Meta| apply_outcome(m, o);
        match self {
            Store::Local(s) => s.update_meta(id, apply),
            Store::Postgres(s) => s.update_meta(id, apply),
        }
    }

    /// Remove one incident.
    pub fn remove(&self, id: &str) -> Result<(), StoreError> {
        if !valid_id(id) {
            return Err(StoreError::BadId(id.to_string()));
        }
        match self {
            Store::Local(s) => s.remove(id),
            Store::Postgres(s) => s.remove(id),
        }
    }

    /// Remove the incidents older than `age` seconds at `now` (Unix seconds), a few at a time,
    /// never holding a lock for long. Returns the removed ids and the failures (it goes on past
    /// them).
    pub fn prune(&self, age: i64, now: i64) -> (Vec<String>, Vec<StoreError>) {
        match self {
            Store::Local(s) => s.prune(age, now),
            Store::Postgres(s) => s.prune(age, now),
        }
    }

    /// The `limit` stored incidents most like a query (its meta and masked text), best first,
    /// and the incidents that could not be read.
    pub fn similar(
        &self,
        query: &Meta,
        text: &str,
        limit: usize,
    ) -> Result<(Vec<crate::analyze::SimilarMatch>, Vec<Unreadable>), StoreError> {
        match self {
            Store::Local(s) => s.similar(query, text, limit),
            Store::Postgres(s) => s.similar(query, text, limit),
        }
    }
}

/// The meta to store for `similar --add` of `new` over `old` (the incident stored under the
/// same id, if any): an ingested incident is never replaced, and a confirmed root cause, or a
/// recorded one the new text does not replace, is kept with the resolution.
pub fn merge_import(mut new: Meta, old: Option<&Meta>) -> Result<(Meta, Imported), StoreError> {
    let Some(old) = old else {
        return Ok((new, Imported::Added));
    };
    if old.source != "import" {
        return Err(StoreError::NotImported(old.id.clone()));
    }
    if old.hash == new.hash {
        return Ok((old.clone(), Imported::Unchanged));
    }
    if old.confirmed || new.root_cause.is_none() {
        new.root_cause.clone_from(&old.root_cause);
        new.confirmed = old.confirmed;
        new.confirmed_by = old.confirmed_by;
    }
    if new.resolution.is_none() {
        new.resolution.clone_from(&old.resolution);
    }
    Ok((new, Imported::Replaced))
}

/// An id that is `id` but for letter case, among `ids`.
pub fn case_clash<'a>(id: &str, ids: impl IntoIterator<Item = &'a str>) -> Option<String> {
    ids.into_iter()
        .find(|o| *o != id && o.eq_ignore_ascii_case(id))
        .map(str::to_string)
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

/// The identity of a text: SHA-256, in hex, of the text with CRLF line ends, trailing
/// whitespace and trailing blank lines left out, so the same paste copied from a terminal and
/// from a browser is the same incident.
pub fn hash(text: &str) -> String {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    let mut blank_run = 0usize;
    let mut first = true;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank_run += 1;
            continue;
        }
        for _ in 0..blank_run + usize::from(!first) {
            h.update(b"\n");
        }
        blank_run = 0;
        first = false;
        h.update(line.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
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
        confirmed_by: None,
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
    fn the_same_paste_from_another_clipboard_is_the_same_incident() {
        let a = hash("db down\n  pool 500/500\n\nfix: rollback\n");
        assert_eq!(
            a,
            hash("db down\r\n  pool 500/500  \r\n\r\nfix: rollback\r\n\r\n")
        );
        assert_ne!(
            a,
            hash("db down\n pool 500/500\n\nfix: rollback\n"),
            "leading space kept"
        );
        assert_ne!(
            a,
            hash("db down\n  pool 500/500\nfix: rollback\n"),
            "blank lines kept"
        );
    }

    #[test]
    fn a_root_cause_gives_way_only_to_one_confirmed_as_strongly() {
        let mut m = Meta {
            schema: BUNDLE_SCHEMA.into(),
            id: "2026-06-02-payment-svc".into(),
            title: "t".into(),
            date: None,
            hash: hash("x"),
            source: "ingest".into(),
            service: None,
            failure_modes: vec!["bad-deploy".into(), "pool".into()],
            failure_title: Some("Bad deploy".into()),
            signatures: vec![],
            root_cause: None,
            resolution: None,
            confirmed: false,
            confirmed_by: None,
        };
        let o = |by, mode: &str, rc: &str, fix: Option<&str>| Outcome {
            by,
            failure_mode: Some((mode.into(), mode.to_uppercase())),
            root_cause: Some(rc.into()),
            resolution: fix.map(str::to_string),
        };
        assert!(apply_outcome(
            &mut m,
            &o(ConfirmedBy::Probes, "pool", "pool exhausted", None)
        ));
        assert_eq!(
            m.failure_modes,
            ["pool", "bad-deploy"],
            "moved first, not doubled"
        );
        assert_eq!(m.failure_title.as_deref(), Some("POOL"));
        assert_eq!(m.confirmed_by, Some(ConfirmedBy::Probes));
        assert!(m.confirmed);
        // the same again changes nothing
        assert!(!apply_outcome(
            &mut m,
            &o(ConfirmedBy::Probes, "pool", "pool exhausted", None)
        ));
        // a verified mitigation outranks the probes and brings the fix
        let fixed = o(
            ConfirmedBy::Mitigation,
            "pool",
            "pool held by cron",
            Some("terminate (3 → 0)"),
        );
        assert!(apply_outcome(&mut m, &fixed));
        assert_eq!(m.root_cause.as_deref(), Some("pool held by cron"));
        assert_eq!(m.resolution.as_deref(), Some("terminate (3 → 0)"));
        // a second fix adds to the first; the probes cannot take the root cause back
        let later = o(
            ConfirmedBy::Probes,
            "bad-deploy",
            "bad deploy",
            Some("rollback (12 → 0)"),
        );
        assert!(apply_outcome(&mut m, &later));
        assert_eq!(m.root_cause.as_deref(), Some("pool held by cron"));
        assert_eq!(m.failure_modes[0], "pool");
        assert_eq!(
            m.resolution.as_deref(),
            Some("terminate (3 → 0); then rollback (12 → 0)")
        );
        // a person's words outrank all, and replace the pieced-together resolution
        let person = o(
            ConfirmedBy::Person,
            "bad-deploy",
            "the v2.41 cron",
            Some("rolled back"),
        );
        assert!(apply_outcome(&mut m, &person));
        assert_eq!(m.root_cause.as_deref(), Some("the v2.41 cron"));
        assert_eq!(m.confirmed_by, Some(ConfirmedBy::Person));
        assert_eq!(m.resolution.as_deref(), Some("rolled back"));
        // an imported postmortem's root cause counts as a person's
        let mut imported = m.clone();
        imported.confirmed_by = None;
        assert!(!apply_outcome(
            &mut imported,
            &o(ConfirmedBy::Mitigation, "x", "y", None)
        ));
        // the kept text is capped
        let long = o(ConfirmedBy::Person, "x", &"w".repeat(5000), None);
        assert!(apply_outcome(&mut m, &long));
        assert_eq!(
            m.root_cause.as_deref().map(|r| r.chars().count()),
            Some(RECORD_MAX)
        );
        // and it reads back from an older meta.json without the new field
        let old_json = serde_json::to_string(&m)
            .unwrap()
            .replace(",\"confirmed_by\":\"person\"", "");
        assert!(!old_json.contains("confirmed_by"));
        let back: Meta = serde_json::from_str(&old_json).unwrap();
        assert_eq!(back.confirmed_by, None);
    }

    #[test]
    fn imports_keep_what_was_recorded() {
        let meta = |source: &str, text: &str, rc: Option<&str>, confirmed: bool| Meta {
            schema: BUNDLE_SCHEMA.into(),
            id: "INC-1".into(),
            title: "t".into(),
            date: None,
            hash: hash(text),
            source: source.into(),
            service: None,
            failure_modes: vec![],
            failure_title: None,
            signatures: vec![],
            root_cause: rc.map(str::to_string),
            resolution: None,
            confirmed,
            confirmed_by: None,
        };
        let old = meta("import", "v1", Some("cron job held connections"), true);
        // a confirmed root cause survives a new text that states another
        let (m, what) = merge_import(
            meta("import", "v2", Some("something else"), true),
            Some(&old),
        )
        .unwrap();
        assert_eq!(what, Imported::Replaced);
        assert_eq!(m.root_cause.as_deref(), Some("cron job held connections"));
        assert!(m.confirmed);
        // an unconfirmed one gives way to the new text's, which keeps its own status
        let old = meta("import", "v1", Some("guess"), false);
        let (m, _) = merge_import(meta("import", "v2", Some("found"), true), Some(&old)).unwrap();
        assert_eq!(m.root_cause.as_deref(), Some("found"));
        assert!(m.confirmed);
        // and stays when the new text states none
        let (m, _) = merge_import(meta("import", "v2", None, false), Some(&old)).unwrap();
        assert_eq!(m.root_cause.as_deref(), Some("guess"));
        // never over an ingested incident; the same text is nothing to do
        let ingested = meta("ingest", "v1", None, false);
        assert!(matches!(
            merge_import(meta("import", "v2", None, false), Some(&ingested)),
            Err(StoreError::NotImported(_))
        ));
        let (_, what) = merge_import(meta("import", "v1", None, false), Some(&old)).unwrap();
        assert_eq!(what, Imported::Unchanged);
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
            confirmed_by: None,
        };
        assert_eq!(readable_id(&m), "2026-11-22-payment-svc-connection-pool");
        m.date = None;
        m.service = None;
        assert_eq!(readable_id(&m), "inc-abababababab");
    }
}
