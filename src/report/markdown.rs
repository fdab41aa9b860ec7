//! Markdown output, for tickets and chat. Untrusted text is escaped where it would break a table.

use crate::analyze::Report;
use std::io::Write;

fn cell(s: &str) -> String {
    super::sanitize::clean(s)
        .replace('|', "\\|")
        .replace('\n', " ")
}

fn code(s: &str) -> String {
    let s = super::sanitize::clean(s);
    if s.contains('`') {
        format!("``{s}``")
    } else {
        format!("`{s}`")
    }
}

/// The full report.
pub fn report(r: &Report, w: &mut dyn Write) -> std::io::Result<()> {
    let inc = &r.incident;
    writeln!(w, "# {}", cell(&inc.title))?;
    writeln!(w)?;
    writeln!(
        w,
        "- **Severity:** {} — {}",
        r.severity.level,
        cell(&r.severity.reasoning)
    )?;
    writeln!(
        w,
        "- **Service:** {}",
        cell(inc.service().unwrap_or("unknown"))
    )?;
    writeln!(w, "- **Incident:** `{}`", r.id)?;
    writeln!(w)?;
    writeln!(w, "## Summary\n\n{}\n", cell(&r.summary))?;
    writeln!(w, "## Customer impact\n\n{}\n", cell(&r.impact))?;
    writeln!(w, "## Root-cause hypotheses\n")?;
    if r.hypotheses.is_empty() {
        writeln!(w, "No known failure mode matched.\n")?;
    }
    for (i, h) in r.hypotheses.iter().take(5).enumerate() {
        writeln!(
            w,
            "### {}. {} ({} confidence{}, score {:.2})\n",
            i + 1,
            cell(&h.title),
            h.confidence.as_str(),
            super::status_suffix(h.status),
            h.score
        )?;
        writeln!(w, "{}\n", cell(&h.summary))?;
        if let Some(t) = &h.trigger {
            writeln!(w, "**Trigger:** {}\n", cell(t))?;
        }
        evidence_list(w, "Evidence for", &h.evidence)?;
        evidence_list(w, "Evidence against", &h.counter_evidence)?;
        if !h.mitigations.is_empty() {
            writeln!(
                w,
                "| Mitigation | Command | Risk | Rollback |\n|---|---|---|---|"
            )?;
            for m in &h.mitigations {
                let mut risk = cell(&m.risk);
                let stop = if risk.ends_with(['.', '!', '?']) {
                    ""
                } else {
                    "."
                };
                if let Some((why, line, _)) = &m.will_not_help {
                    risk.push_str(&format!(
                        "{stop} **Will not help here** (line {line}): {}",
                        cell(why)
                    ));
                } else if let Some(nw) = &m.not_when {
                    risk.push_str(&format!("{stop} **Will not help** when {}", cell(nw)));
                }
                writeln!(
                    w,
                    "| {} (`{}`) | {} | {} | {} |",
                    cell(&m.title),
                    m.id,
                    code(&m.command).replace('|', "\\|"),
                    risk,
                    cell(&m.rollback)
                )?;
            }
            writeln!(w)?;
        }
    }
    checklist_body(r, w)?;
    if !r.follow_ups.is_empty() {
        writeln!(
            w,
            "## Follow-ups\n\n| Priority | Action | Owner | Kind |\n|---|---|---|---|"
        )?;
        for f in &r.follow_ups {
            writeln!(
                w,
                "| {} | {} | {} | {} |",
                f.priority,
                cell(&f.title),
                cell(&f.owner),
                f.kind
            )?;
        }
        writeln!(w)?;
    }
    if !r.incident.timeline.is_empty() {
        writeln!(w, "## Timeline\n")?;
        for t in &r.incident.timeline {
            let actor = t
                .actor
                .as_deref()
                .map(|a| format!(" **{}**", cell(a)))
                .unwrap_or_default();
            writeln!(
                w,
                "- {}{} — {} (line {})",
                t.at,
                actor,
                cell(&t.text),
                t.line
            )?;
        }
        writeln!(w)?;
    }
    for n in &r.notes {
        writeln!(w, "> note: {}\n", cell(n))?;
    }
    Ok(())
}

fn evidence_list(
    w: &mut dyn Write,
    heading: &str,
    items: &[crate::model::Evidence],
) -> std::io::Result<()> {
    if items.is_empty() {
        return Ok(());
    }
    writeln!(w, "{heading}:\n")?;
    for e in items {
        let from = match e.line {
            Some(l) => format!("line {l}"),
            None => super::from(e),
        };
        writeln!(w, "- {from}: {} (weight {:.1})", cell(&e.text), e.weight)?;
    }
    writeln!(w)
}

fn checklist_body(r: &Report, w: &mut dyn Write) -> std::io::Result<()> {
    if r.checklist.is_empty() {
        return Ok(());
    }
    writeln!(w, "## Investigation checklist\n")?;
    for (i, c) in r.checklist.iter().enumerate() {
        writeln!(
            w,
            "{}. **{}** ({}) — {}",
            i + 1,
            c.id,
            c.kind.as_str(),
            cell(&c.why)
        )?;
        writeln!(
            w,
            "   ```\n   {}\n   ```",
            super::sanitize::clean(&c.command)
        )?;
        writeln!(w, "   Expected: {}", cell(&c.expected))?;
    }
    writeln!(w)
}

/// The checklist alone.
pub fn checklist(r: &Report, w: &mut dyn Write) -> std::io::Result<()> {
    writeln!(w, "# Checklist: {}\n", cell(&r.incident.title))?;
    checklist_body(r, w)
}
