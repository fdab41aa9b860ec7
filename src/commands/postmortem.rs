//! `sentinel postmortem`: the markdown draft, to stdout or into a file that may hold a person's
//! edits (kept; the change shown as a unified diff and confirmed before it is written).

use crate::app::Ctx;
use crate::cli::PostmortemArgs;
use crate::error::{Error, Exit, Result};
use crate::report::{self, Format};

/// postmortem.
pub fn run(ctx: &Ctx, a: &PostmortemArgs) -> Result<Exit> {
    let (r, probes) = super::investigate::report_with_probes(ctx, a.input.input.as_deref())?;
    if a.follow_ups {
        return follow_ups(ctx, &r);
    }
    let audit = audit_of(ctx, &r.id);
    let draft = crate::postmortem::draft(&r, probes.as_ref(), &audit);
    let Some(path) = &a.output else {
        return match ctx.format {
            Some(Format::Json) => {
                ctx.ui.out(|w| report::json(&draft.json(&r.id), w))?;
                Ok(Exit::Ok)
            }
            _ => {
                let md = draft.markdown();
                ctx.ui.out(|w| w.write_all(md.as_bytes()))?;
                Ok(Exit::Ok)
            }
        };
    };
    if matches!(ctx.format, Some(Format::Json)) {
        return Err(Error::Usage(
            "--format json prints the draft as data on stdout: drop -o, or drop --format json to write the markdown file".into(),
        ));
    }
    let old = match std::fs::read(path) {
        Ok(b) => Some(String::from_utf8_lossy(&b).into_owned()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(source) => {
            return Err(Error::ReadInput {
                path: path.clone(),
                source,
            });
        }
    };
    let (text, kept) = match &old {
        Some(o) => {
            let m = crate::postmortem::merge(o, &draft);
            (m.text, m.kept)
        }
        None => (draft.markdown(), Vec::new()),
    };
    let shown = path.display().to_string();
    if old.as_deref() == Some(text.as_str()) {
        ctx.ui.note(&format!("{shown} is up to date"));
        remember_edits(ctx, &r, &text);
        for (title, _) in &kept {
            ctx.ui.note(&format!(
                "kept your edit of \"{title}\" (the generated text differs)"
            ));
        }
        return Ok(Exit::Ok);
    }
    if let Some(o) = &old {
        // the change, as a unified diff, on stdout: what will be written
        let diff = similar::TextDiff::from_lines(o.as_str(), text.as_str());
        let unified = diff
            .unified_diff()
            .context_radius(3)
            .header(&shown, &format!("{shown} (regenerated)"))
            .to_string();
        ctx.ui.out(|w| w.write_all(unified.as_bytes()))?;
        for (title, generated) in &kept {
            ctx.ui.note(&format!(
                "kept your edit of \"{title}\"; sentinel would now write:\n{}",
                indent(generated)
            ));
        }
        let go = if a.force {
            true
        } else {
            match ctx.ui.confirm(&format!("Write these changes to {shown}?")) {
                Some(yes) => yes,
                None => {
                    return Err(Error::Decision(format!(
                        "{shown} exists and would change: rerun with --force to write it (sections you edited are kept)"
                    )));
                }
            }
        };
        if !go {
            ctx.ui.note(&format!("{shown} left as it was"));
            return Ok(Exit::Ok);
        }
    }
    write_file(path, text.as_bytes())?;
    keep_in_bundle(ctx, &r.id, text.as_bytes());
    remember_edits(ctx, &r, &text);
    ctx.ui.note(&format!(
        "wrote {shown}{}",
        if old.is_none() {
            " (new draft; every [FILL IN: …] is for a person)"
        } else {
            ""
        }
    ));
    Ok(Exit::Ok)
}

/// The follow-up items alone: a checklist, or (`--format json`) the items as data.
fn follow_ups(ctx: &Ctx, r: &crate::analyze::Report) -> Result<Exit> {
    if matches!(ctx.format, Some(Format::Json)) {
        let v = serde_json::json!({
            "schema": "sentinel.follow_ups/v1",
            "id": r.id,
            "follow_ups": r.follow_ups,
        });
        ctx.ui.out(|w| report::json(&v, w))?;
    } else {
        let mut list = crate::postmortem::action_checklist(r);
        if list.is_empty() {
            ctx.ui.note(&format!("{} has no follow-up items", r.id));
        } else {
            list.push('\n');
            ctx.ui.out(|w| w.write_all(list.as_bytes()))?;
        }
    }
    Ok(Exit::Ok)
}

/// The audit trail of a stored incident (none for a paste that is not stored); lines that do
/// not parse are named in a warning and left out.
fn audit_of(ctx: &Ctx, id: &str) -> Vec<crate::mitigate::audit::Entry> {
    let Ok(Some(store)) = super::store::existing(ctx) else {
        return Vec::new();
    };
    if !store.contains(id).unwrap_or(false) {
        return Vec::new();
    }
    match store.log(id, crate::store::attachment::AUDIT) {
        Ok(lines) => {
            let (entries, bad) = crate::mitigate::audit::parse(&lines);
            if bad > 0 {
                ctx.ui.warn(&format!(
                    "{bad} line(s) of the audit log of {id} are not audit entries; the draft leaves them out"
                ));
            }
            entries
        }
        Err(e) => {
            ctx.ui
                .warn(&format!("cannot read the audit log of {id}: {e}"));
            Vec::new()
        }
    }
}

/// A copy of the written draft in the incident's bundle, when the incident is stored (the
/// file stays the one to edit; a copy that cannot be kept costs only a warning).
fn keep_in_bundle(ctx: &Ctx, id: &str, text: &[u8]) {
    let Ok(Some(store)) = super::store::existing(ctx) else {
        return;
    };
    if !store.contains(id).unwrap_or(false) {
        return;
    }
    if let Err(e) = store.attach(id, crate::store::attachment::POSTMORTEM, text) {
        ctx.ui.warn(&format!(
            "the draft was written, but not kept with {id}: {e}"
        ));
    }
}

/// What a person wrote in the draft's "Root cause" and "Resolution" is the incident's confirmed
/// root cause and its resolution: kept with the stored incident (a person's word outranks the
/// probes' and a verified mitigation's), so a later incident like it is told.
fn remember_edits(ctx: &Ctx, r: &crate::analyze::Report, text: &str) {
    use crate::postmortem::{edited_section, plain_paragraph};
    let root_cause = edited_section(text, "root_cause").map(|b| plain_paragraph(&b));
    let resolution = edited_section(text, "resolution").map(|b| plain_paragraph(&b));
    if root_cause.is_none() && resolution.is_none() {
        return;
    }
    let Ok(Some(store)) = super::store::existing(ctx) else {
        return;
    };
    if !store.contains(&r.id).unwrap_or(false) {
        return;
    }
    // the failure mode is the hypothesis the person names, if they name one
    let failure_mode = root_cause.as_deref().and_then(|rc| {
        let rc = rc.to_lowercase();
        r.hypotheses
            .iter()
            .find(|h| rc.contains(&h.title.to_lowercase()))
            .map(|h| (h.id.clone(), h.title.clone()))
    });
    let o = crate::store::Outcome {
        by: crate::store::ConfirmedBy::Person,
        failure_mode,
        root_cause,
        resolution,
    };
    match store.record(&r.id, &o) {
        Ok(Some(_)) => ctx.ui.note(&format!(
            "kept your {} with {}: later incidents like it will be told",
            match (&o.root_cause, &o.resolution) {
                (Some(_), Some(_)) => "root cause and resolution",
                (Some(_), None) => "root cause",
                _ => "resolution",
            },
            r.id
        )),
        Ok(None) => {}
        Err(e) => ctx
            .ui
            .warn(&format!("your root cause was not kept with {}: {e}", r.id)),
    }
}

fn indent(s: &str) -> String {
    s.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Write a file whole or not at all: a temporary file beside it, renamed over it.
fn write_file(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let err = |source| Error::WriteFile {
        path: path.to_path_buf(),
        source,
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "postmortem.md".into());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let mut f = std::fs::File::create(&tmp).map_err(err)?;
    f.write_all(bytes)
        .and_then(|()| f.sync_all())
        .map_err(err)?;
    drop(f);
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        err(e)
    })
}
