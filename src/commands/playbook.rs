//! `sentinel playbook list|show|lint|test`.

use crate::app::Ctx;
use crate::cli::PlaybookCommand;
use crate::error::{Error, Exit, Result};
use crate::playbook::{self, Library, Origin, selftest};
use crate::report::Format;

/// playbook.
pub fn run(ctx: &Ctx, c: &PlaybookCommand) -> Result<Exit> {
    match c {
        PlaybookCommand::List => list(ctx),
        PlaybookCommand::Show { id } => {
            let lib = ctx.library()?;
            let pb = lib
                .get(id)
                .ok_or_else(|| Error::UnknownPlaybook(id.clone()))?;
            let src = pb.source.clone();
            ctx.ui.out(|w| w.write_all(src.as_bytes()))?;
            Ok(Exit::Ok)
        }
        PlaybookCommand::Lint { dir } => lint(ctx, dir.as_deref()),
        PlaybookCommand::Test { dir } => test(ctx, dir.as_deref()),
    }
}

fn list(ctx: &Ctx) -> Result<Exit> {
    let lib = ctx.library()?;
    if ctx.format == Some(Format::Json) {
        let v: Vec<serde_json::Value> = lib
            .playbooks
            .iter()
            .map(|p| {
                serde_json::json!({
                    "id": p.spec.id, "title": p.spec.title, "category": p.spec.category,
                    "source": p.origin.label(),
                    "path": match &p.origin { Origin::Custom(path) => Some(path.display().to_string()), Origin::Builtin => None },
                })
            })
            .collect();
        ctx.ui.out(|w| {
            crate::report::json(
                &serde_json::json!({"schema": "sentinel.playbooks/v1", "playbooks": v}),
                w,
            )
        })?;
        return Ok(Exit::Ok);
    }
    let mut t = comfy_table::Table::new();
    t.load_style(if ctx.ui.tty {
        comfy_table::presets::UTF8_FULL_CONDENSED
    } else {
        comfy_table::presets::ASCII_FULL_CONDENSED
    });
    t.set_width(ctx.ui.width);
    t.set_content_arrangement(comfy_table::ContentArrangement::Dynamic);
    t.force_no_tty();
    t.set_header(vec!["id", "title", "category", "source"]);
    for p in &lib.playbooks {
        t.add_row(vec![
            p.spec.id.clone(),
            p.spec.title.clone(),
            p.spec.category.clone(),
            p.origin.label().to_string(),
        ]);
    }
    ctx.ui.out(|w| writeln!(w, "{t}"))?;
    Ok(Exit::Ok)
}

/// Parse, compile and lint every file; collect every problem.
fn lint_files(
    files: &[(String, String, Origin)],
) -> (Vec<playbook::Playbook>, Vec<playbook::PlaybookError>) {
    let mut ok = Vec::new();
    let mut problems = Vec::new();
    let mut ids: std::collections::BTreeMap<String, String> = std::collections::BTreeMap::new();
    for (file, text, origin) in files {
        let spec = match playbook::parse_spec(file, text) {
            Ok(s) => s,
            Err(e) => {
                problems.push(e);
                continue;
            }
        };
        if let Some(prev) = ids.insert(spec.id.clone(), file.clone()) {
            let (line, column) = playbook::locate(text, &spec.id);
            problems.push(playbook::PlaybookError {
                file: file.clone(),
                line,
                column,
                message: format!("id `{}` is also used by {prev}", spec.id),
            });
        }
        match playbook::compile(file, text, spec, origin.clone()) {
            Ok(pb) => {
                let p = playbook::lint::check(file, text, &pb, true);
                if p.is_empty() {
                    ok.push(pb);
                }
                problems.extend(p);
            }
            Err(e) => problems.push(e),
        }
    }
    (ok, problems)
}

fn files_of(dir: Option<&std::path::Path>) -> Result<Vec<(String, String, Origin)>> {
    match dir {
        Some(d) => Ok(playbook::read_dir(d)?
            .into_iter()
            .map(|(p, t)| (p.display().to_string(), t, Origin::Custom(p)))
            .collect()),
        None => Ok(playbook::embedded::FILES
            .iter()
            .map(|(n, t)| (format!("playbooks/{n}"), (*t).to_string(), Origin::Builtin))
            .collect()),
    }
}

fn lint(ctx: &Ctx, dir: Option<&std::path::Path>) -> Result<Exit> {
    let files = files_of(dir)?;
    let (ok, problems) = lint_files(&files);
    ctx.ui.out(|w| {
        for p in &problems {
            writeln!(w, "{p}")?;
        }
        writeln!(
            w,
            "{} playbook(s) checked, {} problem(s)",
            files.len(),
            problems.len()
        )
    })?;
    let _ = ok;
    if problems.is_empty() {
        Ok(Exit::Ok)
    } else {
        Err(Error::LintFailed {
            count: problems.len(),
        })
    }
}

fn test(ctx: &Ctx, dir: Option<&std::path::Path>) -> Result<Exit> {
    let files = files_of(dir)?;
    let (tested, problems) = lint_files(&files);
    if let Some(p) = problems.into_iter().next() {
        return Err(Error::Playbook(p));
    }
    let only: Vec<String> = tested.iter().map(|p| p.spec.id.clone()).collect();
    // examples rank against the full library: built-ins, --playbooks, and the tested folder
    let mut custom = Vec::new();
    for d in &ctx.playbook_dirs {
        custom.extend(playbook::load_dir(d)?);
    }
    custom.extend(tested.into_iter().filter(|p| p.origin != Origin::Builtin));
    let lib = Library::new(playbook::builtins()?, custom)?;
    let outcomes = selftest::run(&lib, &only, &ctx.settings);
    let failed = outcomes.iter().filter(|o| !o.passed).count();
    let verbose = ctx.ui.verbose;
    ctx.ui.out(|w| {
        for o in &outcomes {
            if !o.passed || verbose {
                writeln!(
                    w,
                    "{} {} / {}: expected {:?}, ranked {}; top: {}",
                    if o.passed { "ok  " } else { "FAIL" },
                    o.playbook,
                    o.example,
                    o.expect,
                    o.rank.map_or("unlisted".into(), |r| format!("#{r}")),
                    o.top.join(", ")
                )?;
            }
        }
        writeln!(w, "{} passed, {} failed", outcomes.len() - failed, failed)
    })?;
    if failed == 0 {
        Ok(Exit::Ok)
    } else {
        Err(Error::PlaybookTestFailed {
            failed,
            total: outcomes.len(),
        })
    }
}
