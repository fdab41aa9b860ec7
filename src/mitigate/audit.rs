//! The audit trail of `mitigate`: every proposal, decision, command, output, exit status and
//! verification, one JSON entry per line (`sentinel.audit/v1`), appended to the bundle as it
//! happens. The postmortem reads it back as timeline entries and as the resolution. Pure: the
//! caller appends through the store.

use serde::{Deserialize, Serialize};

/// The schema every entry carries.
pub const SCHEMA: &str = "sentinel.audit/v1";

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// sentinel offered an action.
    Proposed,
    /// A person (or `--approve`) said yes.
    Approved,
    /// A person said no, or skipped it.
    Skipped,
    /// A person changed the command before approving it.
    Edited,
    /// A person stopped the session.
    Quit,
    /// A step is about to run (written before it starts, so a crash mid-step shows it).
    Started,
    /// A step finished with success.
    Ran,
    /// A step failed or timed out.
    Failed,
    /// The value the verification read before the action.
    Baseline,
    /// The verification saw the signal recover.
    Recovered,
    /// The verification window ended without recovery.
    NotRecovered,
    /// The verification could not read its signal.
    Unverified,
    /// Ctrl-C stopped the session: at a prompt, or while a step ran or was verified (the
    /// step's process was killed; what it changed before that is not known).
    Interrupted,
}

impl Event {
    /// The contract name.
    pub fn as_str(self) -> &'static str {
        match self {
            Event::Proposed => "proposed",
            Event::Approved => "approved",
            Event::Skipped => "skipped",
            Event::Edited => "edited",
            Event::Quit => "quit",
            Event::Started => "started",
            Event::Ran => "ran",
            Event::Failed => "failed",
            Event::Baseline => "baseline",
            Event::Recovered => "recovered",
            Event::NotRecovered => "not_recovered",
            Event::Unverified => "unverified",
            Event::Interrupted => "interrupted",
        }
    }
}

/// One entry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// When (RFC 3339, UTC, milliseconds).
    pub at: String,
    /// `sentinel`, or the person (`$USER`).
    pub actor: String,
    /// What happened.
    pub event: Event,
    /// The action (`hypothesis/mitigation`).
    pub action: String,
    /// One sentence for the timeline.
    pub text: String,
    /// The command, as shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    /// Where it ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on: Option<String>,
    /// The exit status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit: Option<i32>,
    /// What it printed (capped).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    /// How long it took, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub took_ms: Option<u64>,
    /// The verified value before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<f64>,
    /// The verified value after.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<f64>,
}

/// The most output an entry keeps.
pub const OUTPUT_CAP: usize = 4096;

impl Entry {
    /// An entry at `at` with the common fields.
    pub fn new(at: String, actor: &str, event: Event, action: &str, text: String) -> Entry {
        Entry {
            schema: SCHEMA.into(),
            at,
            actor: actor.into(),
            event,
            action: action.into(),
            text,
            command: None,
            on: None,
            exit: None,
            output: None,
            took_ms: None,
            before: None,
            after: None,
        }
    }

    /// The entry as one line of JSON.
    pub fn line(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Set the output, capped by [`capped`].
    pub fn with_output(mut self, out: &str) -> Entry {
        self.output = capped(out);
        self
    }
}

/// Output as an entry keeps it: trimmed, at most [`OUTPUT_CAP`] bytes cut on a char boundary
/// (marked ` …`); none when empty.
pub fn capped(out: &str) -> Option<String> {
    let out = out.trim_end();
    if out.is_empty() {
        return None;
    }
    let mut end = out.len().min(OUTPUT_CAP);
    while !out.is_char_boundary(end) {
        end -= 1;
    }
    let mut s = out[..end].to_string();
    if end < out.len() {
        s.push_str(" …");
    }
    Some(s)
}

/// Read a log back: the entries that parse, and how many lines did not.
pub fn parse(lines: &[String]) -> (Vec<Entry>, usize) {
    let mut bad = 0;
    let entries = lines
        .iter()
        .filter_map(|l| match serde_json::from_str::<Entry>(l) {
            Ok(e) => Some(e),
            Err(_) => {
                bad += 1;
                None
            }
        })
        .collect();
    (entries, bad)
}

/// The entries that belong on a timeline: decisions, commands and verdicts (not the proposals,
/// starts and baselines, which the next entry says again).
pub fn timeline(entries: &[Entry]) -> impl Iterator<Item = &Entry> {
    entries
        .iter()
        .filter(|e| !matches!(e.event, Event::Proposed | Event::Started | Event::Baseline))
}

/// The person running sentinel: `$USER`, else `$LOGNAME`, else `operator`.
pub fn operator() -> String {
    ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.trim().is_empty()))
        .map(|s| {
            s.chars()
                .filter(|c| c.is_ascii_alphanumeric() || "._-@".contains(*c))
                .take(64)
                .collect::<String>()
        })
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "operator".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_partial_lines() {
        let e = Entry::new(
            "2026-06-02T14:48:02.000Z".into(),
            "david",
            Event::Approved,
            "db/terminate",
            "approved terminate".into(),
        )
        .with_output(&"x".repeat(OUTPUT_CAP + 10));
        let line = e.line();
        assert!(!line.contains('\n'));
        let (back, bad) = parse(&[line, "{\"schema\":\"sentinel.au".into()]);
        assert_eq!(bad, 1);
        assert_eq!(back[0].event, Event::Approved);
        assert!(back[0].output.as_ref().unwrap().ends_with(" …"));
        assert_eq!(timeline(&back).count(), 1);
    }
}
