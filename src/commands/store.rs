//! `sentinel ingest`, `sentinel similar`, `sentinel incidents`: the incident store.

use crate::analyze::{self, Report, Targets};
use crate::app::Ctx;
use crate::cli::{IncidentsCommand, IngestArgs, SimilarArgs, StoreCommand};
use crate::error::{Error, Exit, Result};
use crate::report::{self, Format};
use crate::store::local::LocalStore;
use crate::store::pg::PgStore;
use crate::store::{self, Imported, Store, StoreError, Unreadable};

/// Where the store is: `--store` / `SENTINEL_STORE` (a directory or a `postgres://` URL), else
/// the XDG data dir.
enum Place {
    Dir(std::path::PathBuf),
    Postgres(String),
}

fn place(ctx: &Ctx) -> Result<Place> {
    match ctx.store.as_deref() {
        Some(s) if is_postgres(s) => Ok(Place::Postgres(s.to_string())),
        Some(s) => Ok(Place::Dir(std::path::PathBuf::from(s))),
        None => store::default_root().map(Place::Dir).ok_or_else(|| {
            Error::Usage(
                "no place for the incident store: set --store DIR or SENTINEL_STORE (HOME is not set)"
                    .into(),
            )
        }),
    }
}

/// Is a `--store` value a Postgres connection URL?
pub fn is_postgres(s: &str) -> bool {
    s.starts_with("postgres://")
        || s.starts_with("postgresql://")
        // a libpq keyword string: `host=db dbname=incidents`
        || s.split_whitespace().next().is_some_and(|w| {
            w.split_once('=').is_some_and(|(k, _)| {
                matches!(k, "host" | "hostaddr" | "port" | "dbname" | "user" | "service")
            })
        })
}

/// The Postgres store: connected (and its schema version checked) once per process, however
/// many steps of a command read or write it.
fn postgres(ctx: &Ctx, url: &str) -> Result<Store> {
    let mut open = ctx
        .pg
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((u, s)) = open.as_ref()
        && u == url
    {
        return Ok(Store::Postgres(s.clone()));
    }
    let dsn = store::dsn::Dsn::parse(url)?;
    for w in &dsn.warnings {
        ctx.ui.warn(w);
    }
    let s = std::sync::Arc::new(PgStore::open(&dsn)?);
    *open = Some((url.to_string(), s.clone()));
    Ok(Store::Postgres(s))
}

/// Open the store for writing (creating a local one).
pub fn open(ctx: &Ctx) -> Result<Store> {
    match place(ctx)? {
        Place::Dir(d) => Ok(Store::Local(LocalStore::open(&d)?)),
        Place::Postgres(url) => postgres(ctx, &url),
    }
}

/// The store, only if it already exists (readers never create a local one).
pub fn existing(ctx: &Ctx) -> Result<Option<Store>> {
    match place(ctx)? {
        Place::Dir(d) => Ok(LocalStore::existing(&d).map(Store::Local)),
        Place::Postgres(url) => postgres(ctx, &url).map(Some),
    }
}

/// An input: a file, `-`, or a stored incident id. Returns its text and, for a stored one,
/// its id.
pub fn read(ctx: &Ctx, input: Option<&str>) -> Result<(String, Option<String>)> {
    read_raw(ctx, input).map(|(text, id, _)| (text, id))
}

/// [`read`], with the bytes as given for a file or stdin (what a new bundle keeps).
pub fn read_raw(
    ctx: &Ctx,
    input: Option<&str>,
) -> Result<(String, Option<String>, Option<Vec<u8>>)> {
    match super::read_input_bytes(input) {
        Ok((_, raw)) => Ok((String::from_utf8_lossy(&raw).into_owned(), None, Some(raw))),
        Err(Error::UnknownInput(id)) if store::valid_id(&id) => {
            lookup_stored(ctx, id).map(|(text, id)| (text, id, None))
        }
        Err(e) => Err(e),
    }
}

/// The input of an investigated incident, as [`keep`] stores it.
pub struct Input<'a> {
    /// The bytes as given (a file or stdin), if read.
    pub raw: Option<Vec<u8>>,
    /// The text.
    pub text: &'a str,
    /// The text with credentials masked.
    pub masked: &'a str,
    /// The stored incident it came from.
    pub stored: Option<&'a str>,
}

/// Keep an investigated incident in the store (created when missing): its text (once: the
/// same text is the same incident), then its latest report and the other attachments given.
/// `report` is written with the incident's id. Returns the id.
pub fn keep(
    ctx: &Ctx,
    r: &Report,
    input: Input<'_>,
    report: impl Fn(&str) -> Result<String>,
    attachments: &[(&str, &[u8])],
) -> Result<String> {
    let s = open(ctx)?;
    let id = match input.stored {
        Some(id) => id.to_string(),
        None => {
            let meta = store::meta_for(r, input.masked, "ingest", String::new());
            let base = store::readable_id(&meta);
            let raw = input.raw.unwrap_or_else(|| input.text.as_bytes().to_vec());
            let kept = kept_bytes(raw, input.text, input.masked);
            s.insert(meta, &base, &kept, |_| None)?.0
        }
    };
    s.attach(&id, store::attachment::REPORT, report(&id)?.as_bytes())?;
    for (name, body) in attachments {
        s.attach(&id, name, body)?;
    }
    Ok(id)
}

/// The stored incident an input is: its id given, or a file whose text is stored. Returns the
/// store too.
pub fn stored_incident(ctx: &Ctx, input: Option<&str>) -> Result<(Store, String, String)> {
    let (text, id) = read(ctx, input)?;
    let s = existing(ctx)?.ok_or_else(|| {
        Error::NoReplay("there is no incident store yet: no probe run was saved to replay".into())
    })?;
    if let Some(id) = id {
        return Ok((s, id, text));
    }
    let hash = store::hash(&crate::ingest::Masked::new(&text).into_text());
    let (metas, _) = s.list()?;
    match metas.into_iter().find(|m| m.hash == hash) {
        Some(m) => Ok((s, m.id, text)),
        None => Err(Error::NoReplay(format!(
            "{} is not a stored incident, so no probe run of it was saved",
            input.unwrap_or("the input")
        ))),
    }
}

/// A stored incident for [`read`]. A store that cannot be reached is worth a warning, but the
/// error is that no such file exists: a mistyped file name is also a valid-looking id.
fn lookup_stored(ctx: &Ctx, id: String) -> Result<(String, Option<String>)> {
    match existing(ctx) {
        Ok(None) => Err(Error::UnknownInput(id)),
        Ok(Some(s)) => match s.load(&id) {
            Ok(stored) => Ok((stored.text, Some(id))),
            Err(StoreError::NotFound(_)) => Err(Error::UnknownInput(id)),
            Err(e) => Err(e.into()),
        },
        Err(e) => {
            ctx.ui.warn(&format!(
                "{id:?} is no file, and the incident store could not be asked for it: {e}"
            ));
            Err(Error::UnknownInput(id))
        }
    }
}

/// What the store keeps of a paste: its bytes exactly as given (invalid UTF-8 and all) when
/// masking found no credential, else the masked text.
fn kept_bytes(raw: Vec<u8>, lossy: &str, masked: &str) -> Vec<u8> {
    if masked == lossy {
        raw
    } else {
        masked.as_bytes().to_vec()
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

/// The similar incidents of an analysed text, given masked (for investigate): none when there
/// is no store. `id` is the stored incident the text came from, if any, so it is never its own
/// match.
pub fn similar_for(
    ctx: &Ctx,
    r: &Report,
    masked: &str,
    id: Option<&str>,
    limit: usize,
) -> Result<Vec<analyze::SimilarMatch>> {
    let Some(s) = existing(ctx)? else {
        return Ok(Vec::new());
    };
    let q = store::meta_for(r, masked, "query", id.unwrap_or_default().to_string());
    let (matches, bad) = s.similar(&q, masked, limit)?;
    warn_unreadable(ctx, &bad);
    Ok(matches)
}

fn warn_unreadable(ctx: &Ctx, bad: &[Unreadable]) {
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
    let (_, raw) = super::read_input_bytes(a.input.as_deref())?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (r, masked) = analyse(ctx, &text)?;
    let s = open(ctx)?;
    let meta = store::meta_for(&r, &masked, "ingest", String::new());
    let base = store::readable_id(&meta);
    let kept = kept_bytes(raw, &text, &masked);
    let mut r = r;
    let (id, new) = s.insert(meta, &base, &kept, |id| {
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
        let (_, raw) = super::read_input_bytes(Some(&file.to_string_lossy()))?;
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (mut r, masked) = analyse(ctx, &text)?;
        r.id.clone_from(&id);
        let s = open(ctx)?;
        let meta = store::meta_for(&r, &masked, "import", id.clone());
        let kept = kept_bytes(raw, &text, &masked);
        let what = s.import(meta, &kept, &report_json(&r)?)?;
        ctx.ui.note(&match what {
            Imported::Added => format!("added {id}"),
            Imported::Replaced => {
                format!("replaced the text of {id}; what was recorded about it is kept")
            }
            Imported::Unchanged => format!("{id} already holds this text: nothing changed"),
        });
        return print_id(ctx, &id, what == Imported::Added);
    }
    let (text, id) = read(ctx, a.input.input.as_deref())?;
    let (r, masked) = analyse(ctx, &text)?;
    let matches = match existing(ctx)? {
        Some(s) => {
            let q = store::meta_for(&r, &masked, "query", id.unwrap_or_default());
            let (matches, bad) = s.similar(&q, &masked, a.limit)?;
            warn_unreadable(ctx, &bad);
            matches
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
            let (metas, bad) = match existing(ctx)? {
                Some(s) => s.list()?,
                None => Default::default(),
            };
            warn_unreadable(ctx, &bad);
            ctx.ui
                .out(|w| report::store::incidents(&metas, format, &opts, w))?;
        }
        IncidentsCommand::Show { id } => {
            if !store::valid_id(id) {
                return Err(StoreError::BadId(id.clone()).into());
            }
            let s = existing(ctx)?.ok_or_else(|| StoreError::NotFound(id.clone()))?;
            let stored = s.load(id)?;
            ctx.ui
                .out(|w| report::store::incident(&stored.meta, &stored.text, format, w))?;
        }
        IncidentsCommand::Rm { id } => {
            if !store::valid_id(id) {
                return Err(StoreError::BadId(id.clone()).into());
            }
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
            let (pruned, failed) = s.prune(age, now);
            ctx.ui.note(&format!("pruned {} incident(s)", pruned.len()));
            ctx.ui.out(|w| {
                for id in &pruned {
                    writeln!(w, "{id}")?;
                }
                Ok(())
            })?;
            if let Some(first) = failed.into_iter().next() {
                return Err(first.into());
            }
        }
    }
    Ok(Exit::Ok)
}

/// `sentinel store migrate`: create or upgrade the Postgres schema.
pub fn store_command(ctx: &Ctx, c: &StoreCommand) -> Result<Exit> {
    match c {
        StoreCommand::Migrate => {
            let Some(url) = ctx.store.as_deref().filter(|s| is_postgres(s)) else {
                return Err(Error::Usage(
                    "`store migrate` is for the Postgres store: pass --store postgres://… (a local store needs no migration)".into(),
                ));
            };
            let dsn = store::dsn::Dsn::parse(url)?;
            let pg = PgStore::connect(&dsn)?;
            let m = pg.migrate()?;
            for w in &m.warnings {
                ctx.ui.warn(w);
            }
            let what = if m.from == m.to {
                format!(
                    "{} is at schema v{} already: nothing to do",
                    pg.shown(),
                    m.to
                )
            } else {
                format!("{}: schema v{} -> v{}", pg.shown(), m.from, m.to)
            };
            ctx.ui.note(&format!(
                "{what} (encoding {}, ctype {})",
                m.encoding, m.ctype
            ));
            let format = ctx.format.unwrap_or(Format::Table);
            ctx.ui.out(|w| match format {
                Format::Json => report::json(
                    &serde_json::json!({"schema": "sentinel.migrate/v1", "from": m.from, "to": m.to,
                        "encoding": m.encoding, "ctype": m.ctype, "warnings": m.warnings}),
                    w,
                ),
                _ => writeln!(w, "v{}", m.to),
            })?;
            Ok(Exit::Ok)
        }
    }
}
