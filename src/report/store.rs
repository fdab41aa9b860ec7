//! The store's views: similar incidents, the list of stored incidents, one incident.

use super::sanitize::clean;
use super::table::{head, new_table};
use super::{Format, RenderOpts, json};
use crate::analyze::SimilarMatch;
use crate::store::Meta;
use comfy_table::Cell;
use std::io::Write;

/// `sentinel similar`: `sentinel.similar/v1` in JSON.
pub fn similar(
    matches: &[SimilarMatch],
    format: Format,
    opts: &RenderOpts,
    w: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        Format::Json => json(
            &serde_json::json!({"schema": "sentinel.similar/v1", "matches": matches}),
            w,
        ),
        Format::Markdown => {
            writeln!(w, "# Similar incidents\n")?;
            if matches.is_empty() {
                return writeln!(w, "No similar incident in the store.");
            }
            writeln!(
                w,
                "| Incident | Title | Score | Root cause | Why |\n|---|---|---|---|---|"
            )?;
            for m in matches {
                writeln!(
                    w,
                    "| {} | {} | {:.0}% | {} | {} |",
                    cell(&m.id),
                    cell(&m.title),
                    m.score * 100.0,
                    cell(&cause_and_fix(m).unwrap_or_else(|| "—".into())),
                    cell(&m.why)
                )?;
            }
            Ok(())
        }
        Format::Table => {
            if matches.is_empty() {
                return writeln!(w, "No similar incident in the store.");
            }
            let mut t = new_table(opts);
            t.set_header(head(opts, &["id", "title", "score", "root cause", "why"]));
            for m in matches {
                t.add_row(vec![
                    Cell::new(clean(&m.id)),
                    Cell::new(short(&m.title)),
                    Cell::new(format!("{:.0}%", m.score * 100.0)),
                    Cell::new(clean(&cause_and_fix(m).unwrap_or_else(|| "-".into()))),
                    Cell::new(clean(&m.why)),
                ]);
            }
            writeln!(w, "{t}")
        }
    }
}

/// A match's recorded root cause, and what resolved it when that is recorded too.
fn cause_and_fix(m: &SimilarMatch) -> Option<String> {
    match (&m.root_cause, &m.resolution) {
        (Some(rc), Some(fix)) => Some(format!("{rc} — resolved by: {fix}")),
        (Some(rc), None) => Some(rc.clone()),
        (None, Some(fix)) => Some(format!("resolved by: {fix}")),
        (None, None) => None,
    }
}

/// `sentinel incidents list`: `sentinel.incidents/v1` in JSON.
pub fn incidents(
    all: &[Meta],
    format: Format,
    opts: &RenderOpts,
    w: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        Format::Json => json(
            &serde_json::json!({"schema": "sentinel.incidents/v1", "incidents": all}),
            w,
        ),
        Format::Markdown => {
            writeln!(w, "# Stored incidents\n")?;
            writeln!(
                w,
                "| Incident | Date | Title | Failure mode | Root cause |\n|---|---|---|---|---|"
            )?;
            for m in all {
                writeln!(
                    w,
                    "| {} | {} | {} | {} | {} |",
                    cell(&m.id),
                    cell(m.date.as_deref().unwrap_or("—")),
                    cell(&m.title),
                    cell(m.failure_modes.first().map_or("—", String::as_str)),
                    cell(m.root_cause.as_deref().unwrap_or("—"))
                )?;
            }
            Ok(())
        }
        Format::Table => {
            if all.is_empty() {
                return writeln!(w, "No stored incident.");
            }
            let mut t = new_table(opts);
            t.set_header(head(
                opts,
                &["id", "date", "title", "failure mode", "root cause"],
            ));
            for m in all {
                t.add_row(vec![
                    Cell::new(clean(&m.id)),
                    Cell::new(clean(m.date.as_deref().unwrap_or("-"))),
                    Cell::new(short(&m.title)),
                    Cell::new(clean(m.failure_modes.first().map_or("-", String::as_str))),
                    Cell::new(clean(m.root_cause.as_deref().unwrap_or("-"))),
                ]);
            }
            writeln!(w, "{t}")
        }
    }
}

/// `sentinel incidents show ID`: the bundle's meta (`sentinel.bundle/v1`) and its text.
pub fn incident(meta: &Meta, text: &str, format: Format, w: &mut dyn Write) -> std::io::Result<()> {
    match format {
        Format::Json => json(&serde_json::json!({"meta": meta, "text": text}), w),
        Format::Markdown | Format::Table => {
            let md = format == Format::Markdown;
            let h = if md { "# " } else { "" };
            writeln!(w, "{h}{}: {}", clean(&meta.id), clean(&meta.title))?;
            let row = |w: &mut dyn Write, k: &str, v: Option<&str>| {
                if let Some(v) = v {
                    let b = if md { "- " } else { "  " };
                    writeln!(w, "{b}{k}: {}", clean(v))
                } else {
                    Ok(())
                }
            };
            if md {
                writeln!(w)?;
            }
            row(w, "date", meta.date.as_deref())?;
            row(w, "service", meta.service.as_deref())?;
            row(w, "failure mode", meta.failure_title.as_deref())?;
            let confirmed = match (meta.confirmed, meta.confirmed_by) {
                (true, Some(by)) => Some(format!("confirmed by {}", by.as_str())),
                (true, None) if meta.root_cause.is_some() => {
                    Some("as its postmortem records it".to_string())
                }
                _ => None,
            };
            row(w, "root cause", meta.root_cause.as_deref())?;
            row(w, "root cause is", confirmed.as_deref())?;
            row(w, "resolution", meta.resolution.as_deref())?;
            row(w, "source", Some(meta.source.as_str()))?;
            writeln!(w)?;
            if md {
                // a fence longer than any run of backticks in the text, so none closes it
                let mut fence = "```".to_string();
                while text.contains(fence.as_str()) {
                    fence.push('`');
                }
                writeln!(w, "{fence}text")?;
                for l in text.trim_end().lines() {
                    writeln!(w, "{}", clean(l))?;
                }
                writeln!(w, "{fence}")
            } else {
                for l in text.trim_end().lines() {
                    writeln!(w, "{}", clean(l))?;
                }
                Ok(())
            }
        }
    }
}

/// A title cut to fit a table cell (the first line of a paste can be long).
fn short(s: &str) -> String {
    let s = clean(s);
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= 60 {
        return s;
    }
    let mut t: String = s.chars().take(59).collect();
    t.push('…');
    t
}

fn cell(s: &str) -> String {
    clean(s).replace('|', "\\|").replace('\n', " ")
}
