//! `sentinel ingest`, `sentinel similar`, `sentinel incidents`: the incident store.

use crate::analyze::{self, Report, Targets};
use crate::app::Ctx;
use crate::cli::{IncidentsCommand, IngestArgs, SimilarArgs};
use crate::error::{Error, Exit, Result};
use crate::report::{self, Format};
use crate::store::local::LocalStore;
use crate::store::{self, Meta, StoreError, similar};

/// Where the store is, from `--store`, `SENTINEL_STORE` or the XDG data dir.
fn root(ctx: &Ctx) -> Result<std::path::PathBuf> {
    match ctx.store.as_deref() {
        Some(s) if s.starts_with("postgres://") || s.starts_with("postgresql://") => Err(
            Error::NotBuilt("the Postgres store (`--store postgres://…`); use a directory"),
        ),
        Some(s) => Ok(std::path::PathBuf::from(s)),
        None => store::default_root().ok_or_else(|| {
            Error::Usage(
                "no place for the incident store: set --store DIR or SENTINEL_STORE (HOME is not set)"
                    .into(),
            )
        }),
    }
}

/// Open the store for writing (creating it).
pub fn open(ctx: &Ctx) -> Result<LocalStore> {
    Ok(LocalStore::open(&root(ctx)?)?)
}

/// The store, only if it already exists (readers never create one).
pub fn existing(ctx: &Ctx) -> Result<Option<LocalStore>> {
    Ok(LocalStore::existing(&root(ctx)?))
}

/// An input: a file, `-`, or a stored incident id. Returns its text and, for a stored one,
/// its id.
pub fn read(ctx: &Ctx, input: Option<&str>) -> Result<(String, Option<String>)> {
    match super::read_input(input) {
        Ok((_, text)) => Ok((text, None)),
        Err(Error::UnknownInput(id)) => {
            let Some(s) = existing(ctx)?.filter(|s| s.contains(&id)) else {
                return Err(Error::UnknownInput(id));
            };
            let stored = s.load(&id)?;
            Ok((stored.text, Some(id)))
        }
        Err(e) => Err(e),
    }
}

/// The offline analysis of a text and its masked form.
fn analyse(ctx: &Ctx, text: &str) -> Result<(Report, String)> {
    let lib = ctx.library()?;
    let masked = crate::ingest::Masked::new(text).into_text();
    let r = analyze::analyze(text, &ctx.settings, &lib, &Targets::default());
    Ok((r, masked))
}

fn report_json(r: &Report) -> Result<String> {
    let mut buf = Vec::new();
    report::json(&report::v1::report(r), &mut buf).map_err(Error::Output)?;
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// The similar incidents of an analysed text, from the store if there is one (for investigate).
pub fn similar_for(
    ctx: &Ctx,
    r: &Report,
    text: &str,
    limit: usize,
) -> Result<Vec<analyze::SimilarMatch>> {
    let Some(s) = existing(ctx)? else {
        return Ok(Vec::new());
    };
    let masked = crate::ingest::Masked::new(text).into_text();
    let q = store::meta_for(r, &masked, "query", String::new());
    let (all, bad) = s.load_all();
    warn_unreadable(ctx, &bad);
    Ok(similar::rank(&q, &masked, &all, limit))
}

fn warn_unreadable(ctx: &Ctx, bad: &[store::local::Unreadable]) {
    for b in bad {
        ctx.ui.warn(&format!(
            "skipped {}: {} (fix or remove it; the other incidents loaded)",
            b.path.display(),
            b.reason
        ));
    }
}

/// `sentinel ingest`: parse and save; the id on the last line of stdout.
pub fn ingest(ctx: &Ctx, a: &IngestArgs) -> Result<Exit> {
    let (_, text) = super::read_input(a.input.as_deref())?;
    let (r, masked) = analyse(ctx, &text)?;
    let s = open(ctx)?;
    let meta = store::meta_for(&r, &masked, "ingest", String::new());
    let base = store::readable_id(&meta);
    let mut r = r;
    let (id, new) = s.insert(meta, &base, &masked, |id| {
        r.id = id.to_string();
        report_json(&r).ok()
    })?;
    if !new {
        ctx.ui.note(&format!(
            "already stored as {id} (the same text was ingested before)"
        ));
    }
    print_id(ctx, &id, new)
}

/// "180d" → seconds.
fn parse_age(s: &str) -> Option<i64> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit())?;
    let n: i64 = s[..split].parse().ok()?;
    let unit = match s[split..].trim() {
        "m" | "min" | "mins" | "minutes" => 60,
        "h" | "hours" => 3600,
        "d" | "days" => 86_400,
        "w" | "weeks" => 7 * 86_400,
        _ => return None,
    };
    n.checked_mul(unit)
}

fn print_id(ctx: &Ctx, id: &str, new: bool) -> Result<Exit> {
    let format = ctx.format.unwrap_or(Format::Table);
    ctx.ui.out(|w| match format {
        Format::Json => report::json(
            &serde_json::json!({"schema": "sentinel.ingest/v1", "id": id, "new": new}),
            w,
        ),
        _ => writeln!(w, "{id}"),
    })?;
    Ok(Exit::Ok)
}

/// `sentinel similar`, and `sentinel similar --add FILE --id ID`.
pub fn run_similar(ctx: &Ctx, a: &SimilarArgs) -> Result<Exit> {
    if let Some(file) = &a.add {
        let id = a.id.clone().unwrap_or_default();
        if !store::valid_id(&id) {
            return Err(StoreError::BadId(id).into());
        }
        let (_, text) = super::read_input(Some(&file.to_string_lossy()))?;
        let (mut r, masked) = analyse(ctx, &text)?;
        r.id.clone_from(&id);
        let s = open(ctx)?;
        let mut meta = store::meta_for(&r, &masked, "import", id.clone());
        let replaced = s.contains(&id);
        if replaced {
            // the imported text is replaced; what was recorded about the incident stays
            let old = s.load(&id)?.meta;
            if meta.root_cause.is_none() || old.confirmed {
                meta.root_cause = old.root_cause;
            }
            meta.resolution = old.resolution;
            meta.confirmed = old.confirmed;
        }
        s.save(&meta, &masked, Some(&report_json(&r)?))?;
        ctx.ui.note(&format!(
            "{} {id}",
            if replaced { "replaced" } else { "added" }
        ));
        return print_id(ctx, &id, !replaced);
    }
    let (text, id) = read(ctx, a.input.input.as_deref())?;
    let (r, masked) = analyse(ctx, &text)?;
    let matches = match existing(ctx)? {
        Some(s) => {
            let q = store::meta_for(&r, &masked, "query", id.unwrap_or_default());
            let (all, bad) = s.load_all();
            warn_unreadable(ctx, &bad);
            similar::rank(&q, &masked, &all, a.limit)
        }
        None => Vec::new(),
    };
    let format = ctx.format.unwrap_or(Format::Table);
    let opts = ctx.ui.render_opts();
    ctx.ui
        .out(|w| report::store::similar(&matches, format, &opts, w))?;
    Ok(Exit::Ok)
}

/// `sentinel incidents list|show|rm|prune`.
pub fn incidents(ctx: &Ctx, c: &IncidentsCommand) -> Result<Exit> {
    let format = ctx.format.unwrap_or(Format::Table);
    let opts = ctx.ui.render_opts();
    match c {
        IncidentsCommand::List => {
            let (all, bad) = existing(ctx)?.map(|s| s.load_all()).unwrap_or_default();
            warn_unreadable(ctx, &bad);
            let metas: Vec<Meta> = all.into_iter().map(|s| s.meta).collect();
            ctx.ui
                .out(|w| report::store::incidents(&metas, format, &opts, w))?;
        }
        IncidentsCommand::Show { id } => {
            let s = existing(ctx)?.ok_or_else(|| StoreError::NotFound(id.clone()))?;
            let stored = s.load(id)?;
            ctx.ui
                .out(|w| report::store::incident(&stored.meta, &stored.text, format, w))?;
        }
        IncidentsCommand::Rm { id } => {
            let s = existing(ctx)?.ok_or_else(|| StoreError::NotFound(id.clone()))?;
            s.remove(id)?;
            ctx.ui.note(&format!("removed {id}"));
        }
        IncidentsCommand::Prune { older_than } => {
            let age = parse_age(older_than).ok_or_else(|| {
                Error::Usage(format!(
                    "--older-than {older_than:?}: expected a number and a unit, such as 180d, 12w, 36h or 90m"
                ))
            })?;
            let Some(s) = existing(ctx)? else {
                ctx.ui.note("no incident store yet: nothing to prune");
                return Ok(Exit::Ok);
            };
            let now = jiff::Timestamp::now().as_second();
            // one bundle at a time, each under the lock only for its own removal
            let mut pruned = Vec::new();
            for id in s.ids() {
                let Some(when) = s.incident_time(&id) else {
                    continue;
                };
                if now - when > age {
                    s.remove(&id)?;
                    pruned.push(id);
                }
            }
            ctx.ui.note(&format!("pruned {} incident(s)", pruned.len()));
            ctx.ui.out(|w| {
                for id in &pruned {
                    writeln!(w, "{id}")?;
                }
                Ok(())
            })?;
        }
    }
    Ok(Exit::Ok)
}
