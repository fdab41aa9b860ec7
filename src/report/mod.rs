//! The one rendering layer: a [`Report`] (or a checklist, a playbook list) becomes a table,
//! markdown or JSON written to any `Write`. Renderers never compute anything; they draw what they
//! are given. Untrusted text is sanitised for terminals.

pub mod markdown;
pub mod plan;
pub mod sanitize;
pub mod store;
pub mod table;
pub mod v1;

use crate::analyze::Report;
use std::io::Write;

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Human tables (the default).
    Table,
    /// `sentinel.report/v1` JSON.
    Json,
    /// Markdown.
    Markdown,
}

/// How to draw.
#[derive(Clone, Copy, Debug)]
pub struct RenderOpts {
    /// Use colour.
    pub color: bool,
    /// Width in columns.
    pub width: u16,
    /// stdout is a terminal (box drawing characters).
    pub tty: bool,
    /// Show everything (all hypotheses, all evidence).
    pub verbose: bool,
}

impl Default for RenderOpts {
    fn default() -> Self {
        RenderOpts {
            color: false,
            width: 100,
            tty: false,
            verbose: false,
        }
    }
}

/// What a command wants printed.
pub enum View<'a> {
    /// A full investigate report.
    Report(&'a Report),
    /// The checklist alone.
    Checklist(&'a Report),
}

/// Render a view.
pub fn render(
    view: &View<'_>,
    format: Format,
    opts: &RenderOpts,
    w: &mut dyn Write,
) -> std::io::Result<()> {
    match (view, format) {
        (View::Report(r), Format::Json) => json(&v1::report(r), w),
        (View::Checklist(r), Format::Json) => {
            let v = v1::report(r);
            let obj = serde_json::json!({
                "schema": "sentinel.checklist/v1",
                "incident": {"id": v.incident.id, "title": v.incident.title, "service": v.incident.service},
                "checklist": v.checklist,
            });
            json(&obj, w)
        }
        (View::Report(r), Format::Table) => table::report(r, opts, w),
        (View::Checklist(r), Format::Table) => table::checklist(r, opts, w),
        (View::Report(r), Format::Markdown) => markdown::report(r, w),
        (View::Checklist(r), Format::Markdown) => markdown::checklist(r, w),
    }
}

/// Pretty JSON followed by a newline.
pub fn json<T: serde::Serialize>(v: &T, w: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, v).map_err(std::io::Error::other)?;
    writeln!(w)
}

/// Where a piece of evidence comes from, for the human views: its line, or its probe or past
/// incident.
pub(crate) fn from(e: &crate::model::Evidence) -> String {
    match (&e.source, e.line) {
        (crate::model::Source::Context, Some(l)) => l.to_string(),
        (crate::model::Source::Context, None) => "-".into(),
        (crate::model::Source::Probe(id), _) => format!("probe:{id}"),
        (crate::model::Source::Similar(id), _) => format!("similar:{id}"),
    }
}

/// `, confirmed` / `, refuted` after a confidence, nothing while unconfirmed.
pub(crate) fn status_suffix(s: crate::model::Status) -> &'static str {
    match s {
        crate::model::Status::Unconfirmed => "",
        crate::model::Status::Confirmed => ", confirmed",
        crate::model::Status::Refuted => ", refuted",
    }
}
