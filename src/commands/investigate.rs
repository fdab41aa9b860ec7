//! `sentinel investigate` and `sentinel checklist`.

use crate::analyze::{self, Targets};
use crate::app::Ctx;
use crate::cli::{ChecklistArgs, InvestigateArgs};
use crate::error::{Exit, Result};
use crate::report::{self, Format, View};

/// Read the input and run the offline analysis with the probe targets named by flags.
fn analyze_input(ctx: &Ctx, input: Option<&str>, targets: Targets) -> Result<analyze::Report> {
    let (text, stored) = super::store::read(ctx, input)?;
    // Two cores' worth of work in parts that need little of each other: one thread builds the
    // library (playbooks, pattern prefilter) and then matches its line patterns against the
    // masked lines; one compiles the fixed patterns of the later stages and then finds the lines
    // that set the severity; this one masks the paste and reads it (times, metrics, changes).
    let dirs = &ctx.playbook_dirs;
    let masked: std::sync::OnceLock<crate::ingest::Masked> = std::sync::OnceLock::new();
    let (incident, matched) = std::thread::scope(|s| {
        let severity = s.spawn(|| {
            crate::warm();
            analyze::severity_lines(&masked.wait().lines())
        });
        let matcher = s.spawn(|| {
            let lib = crate::app::library(dirs)?;
            let lines = masked.wait().lines();
            // the longest part of the work: in two halves, side by side
            let (a, b) = lines.split_at(lines.len() / 2);
            let mut matched = std::thread::scope(|s| {
                let later = s.spawn(|| crate::rank::match_lines(b, a.len() + 1, &lib));
                let first = crate::rank::match_lines(a, 1, &lib);
                (first, later.join())
            });
            let later = matched
                .1
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            matched.0.then(later);
            Ok::<_, crate::Error>((lib, matched.0))
        });
        // the other thread waits for the masked text: it must be set even if masking panics
        let m = match std::panic::catch_unwind(|| crate::ingest::Masked::new(&text)) {
            Ok(m) => masked.get_or_init(|| m),
            Err(panic) => {
                let _ = masked.set(crate::ingest::Masked::default());
                std::panic::resume_unwind(panic)
            }
        };
        let incident = crate::ingest::parse_masked(m, &ctx.settings);
        let matched = join(matcher);
        (incident, matched.map(|m| (m, join(severity))))
    });
    let ((lib, lines), severity) = matched?;
    let mut r = analyze::analyze_parsed(
        &text,
        incident,
        &lib,
        &targets,
        Some(analyze::Prepared { lines, severity }),
    );
    // past incidents like this one, when there is a store; a broken store costs only this part
    let masked = masked.into_inner().unwrap_or_default().into_text();
    match super::store::similar_for(ctx, &r, &masked, stored.as_deref(), SIMILAR_IN_REPORT) {
        Ok(m) => analyze::add_similar(&mut r, m, &lib, &targets),
        Err(e) => ctx.ui.warn(&format!("similar incidents left out: {e}")),
    }
    Ok(r)
}

/// How many similar past incidents a report lists.
const SIMILAR_IN_REPORT: usize = 3;

/// Wait for a thread; its panic goes on here.
fn join<T>(h: std::thread::ScopedJoinHandle<'_, T>) -> T {
    h.join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// Render a view in the chosen format (table by default).
fn render(ctx: &Ctx, view: &View<'_>) -> Result<()> {
    let format = ctx.format.unwrap_or(Format::Table);
    let opts = ctx.ui.render_opts();
    ctx.ui.out(|w| report::render(view, format, &opts, w))
}

/// investigate.
pub fn run(ctx: &Ctx, a: &InvestigateArgs) -> Result<Exit> {
    let targets = Targets {
        namespace: a.namespace.clone(),
        selector: a.selector.clone(),
        hosts: a.host.clone(),
    };
    let mut r = analyze_input(ctx, a.input.input.as_deref(), targets)?;
    if !a.offline {
        let note = "no probe ran: this release analyses the text only (probes come in a later release); run with --offline to silence this note";
        r.notes.push(note.into());
        for c in &mut r.checklist {
            c.status = "skipped";
            c.reason = Some("probes are not built yet".into());
        }
        ctx.ui.note(&format!("note: {note}"));
    }
    render(ctx, &View::Report(&r))?;
    Ok(Exit::Ok)
}

/// checklist.
pub fn checklist(ctx: &Ctx, a: &ChecklistArgs) -> Result<Exit> {
    let targets = Targets {
        namespace: a.namespace.clone(),
        selector: a.selector.clone(),
        hosts: a.host.clone(),
    };
    let mut r = analyze_input(ctx, a.input.input.as_deref(), targets)?;
    for c in &mut r.checklist {
        c.reason = Some(runnable_here(c));
    }
    render(ctx, &View::Checklist(&r))?;
    Ok(Exit::Ok)
}

/// Whether a probe could run on this machine, in words.
fn runnable_here(c: &crate::model::CheckItem) -> String {
    use crate::model::ProbeKind;
    if !c.missing.is_empty() {
        return format!(
            "needs a value for {}",
            c.missing
                .iter()
                .map(|m| format!("{{{m}}}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let bin = match c.kind {
        ProbeKind::Kubectl => Some("kubectl"),
        ProbeKind::Host => Some("ssh"),
        ProbeKind::Sql => return "needs --pg URL".into(),
        ProbeKind::Log => return "needs --logs PATH".into(),
        ProbeKind::Http => return "needs --prom URL".into(),
    };
    match bin {
        Some(b) if on_path(b) => format!("{b} found on PATH"),
        Some(b) => format!("{b} not found on PATH"),
        None => String::new(),
    }
}

fn on_path(bin: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(bin).is_file()))
}
