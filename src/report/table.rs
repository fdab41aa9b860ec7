//! Table output for humans (comfy-table): fits the width, colour only when asked.

use super::RenderOpts;
use super::sanitize::clean;
use crate::analyze::Report;
use crate::model::Confidence;
use comfy_table::{Attribute, Cell, Color, ContentArrangement, Table, presets};
use std::io::Write;

pub(crate) fn new_table(opts: &RenderOpts) -> Table {
    let mut t = Table::new();
    t.load_style(if opts.tty {
        presets::UTF8_FULL_CONDENSED
    } else {
        presets::ASCII_FULL_CONDENSED
    });
    t.set_content_arrangement(ContentArrangement::Dynamic);
    t.set_width(opts.width);
    if !opts.color {
        t.force_no_tty();
    } else {
        t.enforce_styling();
    }
    t
}

pub(crate) fn head(opts: &RenderOpts, names: &[&str]) -> Vec<Cell> {
    names
        .iter()
        .map(|n| {
            let c = Cell::new(n);
            if opts.color {
                c.add_attribute(Attribute::Bold)
            } else {
                c
            }
        })
        .collect()
}

fn conf_cell(c: Confidence, status: crate::model::Status, opts: &RenderOpts) -> Cell {
    let cell = Cell::new(format!("{}{}", c.as_str(), super::status_suffix(status)));
    if !opts.color {
        return cell;
    }
    cell.fg(match c {
        Confidence::High => Color::Red,
        Confidence::Medium => Color::Yellow,
        Confidence::Low => Color::DarkGrey,
    })
}

fn heading(w: &mut dyn Write, opts: &RenderOpts, s: &str) -> std::io::Result<()> {
    if opts.color {
        writeln!(w, "\n\x1b[1m{s}\x1b[0m")
    } else {
        writeln!(w, "\n{s}")
    }
}

fn wrap(s: &str, width: usize) -> String {
    let mut out = String::new();
    let mut col = 0;
    for word in s.split_whitespace() {
        let wl = word.chars().count();
        if col > 0 && col + 1 + wl > width {
            out.push('\n');
            col = 0;
        } else if col > 0 {
            out.push(' ');
            col += 1;
        }
        out.push_str(word);
        col += wl;
    }
    out
}

/// The full report.
pub fn report(r: &Report, opts: &RenderOpts, w: &mut dyn Write) -> std::io::Result<()> {
    let width = usize::from(opts.width).max(40);
    let inc = &r.incident;
    let title = clean(&inc.title);
    if opts.color {
        writeln!(w, "\x1b[1m{title}\x1b[0m")?;
    } else {
        writeln!(w, "{title}")?;
    }
    writeln!(
        w,
        "{} · {} · {}",
        r.severity.level,
        clean(inc.service().unwrap_or("service unknown")),
        r.id
    )?;
    writeln!(w)?;
    writeln!(
        w,
        "{}",
        wrap(&format!("Summary: {}", clean(&r.summary)), width)
    )?;
    writeln!(
        w,
        "{}",
        wrap(
            &format!("Severity: {}", clean(&r.severity.reasoning)),
            width
        )
    )?;
    writeln!(
        w,
        "{}",
        wrap(&format!("Impact: {}", clean(&r.impact)), width)
    )?;

    heading(w, opts, "Hypotheses")?;
    if r.hypotheses.is_empty() {
        writeln!(w, "none matched")?;
    } else {
        let mut t = new_table(opts);
        t.set_header(head(
            opts,
            &["#", "hypothesis", "confidence", "score", "trigger"],
        ));
        let shown = if opts.verbose {
            r.hypotheses.len()
        } else {
            r.hypotheses.len().min(5)
        };
        for (i, h) in r.hypotheses.iter().take(shown).enumerate() {
            t.add_row(vec![
                Cell::new(i + 1),
                Cell::new(format!("{}\n({})", clean(&h.title), h.id)),
                conf_cell(h.confidence, h.status, opts),
                Cell::new(format!("{:.2}", h.score)),
                Cell::new(clean(h.trigger.as_deref().unwrap_or("-"))),
            ]);
        }
        writeln!(w, "{t}")?;
        if r.hypotheses.len() > shown {
            writeln!(
                w,
                "{} more with lower scores (-v shows all)",
                r.hypotheses.len() - shown
            )?;
        }
    }

    let detail = if opts.verbose {
        r.hypotheses.len()
    } else {
        r.hypotheses.len().min(3)
    };
    for (i, h) in r.hypotheses.iter().take(detail).enumerate() {
        heading(
            w,
            opts,
            &format!(
                "{}. {} [{}{}]",
                i + 1,
                clean(&h.title),
                h.confidence.as_str(),
                super::status_suffix(h.status)
            ),
        )?;
        writeln!(w, "{}", wrap(&clean(&h.summary), width))?;
        let mut t = new_table(opts);
        t.set_header(head(opts, &["", "from", "weight", "evidence"]));
        let n = if opts.verbose { usize::MAX } else { 6 };
        for e in h.evidence.iter().take(n) {
            t.add_row(vec![
                Cell::new("+"),
                Cell::new(super::from(e)),
                Cell::new(format!("{:.1}", e.weight)),
                Cell::new(clean(&e.text)),
            ]);
        }
        for e in h.counter_evidence.iter().take(n) {
            t.add_row(vec![
                Cell::new("-"),
                Cell::new(super::from(e)),
                Cell::new(format!("{:.1}", e.weight)),
                Cell::new(clean(&e.text)),
            ]);
        }
        writeln!(w, "{t}")?;
        if !h.mitigations.is_empty() {
            let mut t = new_table(opts);
            t.set_header(head(opts, &["mitigation", "command", "risk", "rollback"]));
            for m in &h.mitigations {
                let mut risk = clean(&m.risk);
                if let Some((why, line, _)) = &m.will_not_help {
                    risk.push_str(&format!(
                        "\nthe paste says it will not help (line {line}): {}",
                        clean(why)
                    ));
                } else if let Some(nw) = &m.not_when {
                    risk.push_str(&format!("\nwill not help: {}", clean(nw)));
                }
                t.add_row(vec![
                    Cell::new(format!("{}\n[{}]", clean(&m.title), m.id)),
                    Cell::new(clean(&m.command)),
                    Cell::new(risk),
                    Cell::new(clean(&m.rollback)),
                ]);
            }
            writeln!(w, "{t}")?;
        }
    }

    if !r.checklist.is_empty() {
        heading(w, opts, "Checklist")?;
        checklist_table(r, opts, w)?;
    }
    if !r.follow_ups.is_empty() {
        heading(w, opts, "Follow-ups")?;
        let mut t = new_table(opts);
        t.set_header(head(opts, &["priority", "action", "owner", "kind"]));
        for f in &r.follow_ups {
            t.add_row(vec![
                Cell::new(&f.priority),
                Cell::new(clean(&f.title)),
                Cell::new(clean(&f.owner)),
                Cell::new(&f.kind),
            ]);
        }
        writeln!(w, "{t}")?;
    }
    if !r.similar.is_empty() {
        heading(w, opts, "Similar incidents")?;
        for s in &r.similar {
            writeln!(w, "{:>3.0}% {} {}", s.score * 100.0, s.id, clean(&s.title))?;
        }
    }
    for n in &r.notes {
        writeln!(w, "\nnote: {}", wrap(&clean(n), width.saturating_sub(6)))?;
    }
    Ok(())
}

fn checklist_table(r: &Report, opts: &RenderOpts, w: &mut dyn Write) -> std::io::Result<()> {
    let mut t = new_table(opts);
    t.set_header(head(
        opts,
        &["#", "kind", "command", "why / expected", "status"],
    ));
    for (i, c) in r.checklist.iter().enumerate() {
        let status = match &c.reason {
            Some(reason) => format!("{}\n{}", c.status, clean(reason)),
            None => c.status.to_string(),
        };
        t.add_row(vec![
            Cell::new(i + 1),
            Cell::new(c.kind.as_str()),
            Cell::new(clean(&c.command)),
            Cell::new(format!("{}\nexpect: {}", clean(&c.why), clean(&c.expected))),
            Cell::new(status),
        ]);
    }
    writeln!(w, "{t}")
}

/// The checklist alone.
pub fn checklist(r: &Report, opts: &RenderOpts, w: &mut dyn Write) -> std::io::Result<()> {
    writeln!(w, "{} ({})", clean(&r.incident.title), r.id)?;
    if let Some(h) = r.hypotheses.first() {
        writeln!(
            w,
            "top hypothesis: {} [{}]",
            clean(&h.title),
            h.confidence.as_str()
        )?;
    }
    if r.checklist.is_empty() {
        writeln!(w, "no checks: no hypothesis matched")?;
        return Ok(());
    }
    checklist_table(r, opts, w)
}
