//! `sentinel investigate` and `sentinel checklist`.

use crate::analyze::{self, Targets};
use crate::app::Ctx;
use crate::cli::{ChecklistArgs, InvestigateArgs};
use crate::error::{Error, Exit, Result};
use crate::report::{self, Format, View};
use std::sync::OnceLock;

/// The offline analysis, with what a second ranking (after probes) needs.
struct Analysis {
    report: analyze::Report,
    text: String,
    /// The text with credentials masked (what a bundle keeps).
    masked: String,
    /// The bytes as given, for a file or stdin.
    raw: Option<Vec<u8>>,
    /// The stored incident the input named.
    stored: Option<String>,
    incident: crate::model::Incident,
    pre: analyze::Prepared,
    lib: crate::playbook::Library,
    targets: Targets,
}

/// Read the input and run the offline analysis with the probe targets named by flags.
fn analyze_input(ctx: &Ctx, input: Option<&str>, targets: Targets) -> Result<analyze::Report> {
    let Analysis {
        report,
        text,
        masked,
        raw,
        stored,
        incident,
        pre,
        lib,
        targets: _,
    } = analyze_full(ctx, input, targets, false)?;
    // a command ends soon after: freeing the library and the texts piece by piece costs more
    // than it gives back (the memory goes back to the system at exit)
    std::mem::forget((text, masked, raw, stored, incident, pre, lib));
    Ok(report)
}

/// [`analyze_input`], keeping the parts for a second ranking when `keep` is set.
fn analyze_full(ctx: &Ctx, input: Option<&str>, targets: Targets, keep: bool) -> Result<Analysis> {
    let (text, stored, raw) = super::store::read_raw(ctx, input)?;
    // Two cores' worth of work in parts that need little of each other: this thread masks the
    // paste and reads it (times, metrics, changes); one builds the library (playbooks, pattern
    // prefilter); one compiles the fixed patterns of the later stages and finds the lines that
    // set the severity. Matching the library's line patterns, the longest part, is cut into
    // pieces that every thread takes from as soon as it is free.
    let dirs = &ctx.playbook_dirs;
    let masked: OnceLock<crate::ingest::Masked> = OnceLock::new();
    let lines: OnceLock<Vec<&str>> = OnceLock::new();
    let library: OnceLock<Result<crate::playbook::Library>> = OnceLock::new();
    let pieces = Pieces::default();
    let (incident, matched) = std::thread::scope(|s| {
        let severity = s.spawn(|| {
            crate::warm();
            let found = analyze::severity_lines(lines.wait());
            pieces.work(&library, &lines);
            found
        });
        let builder = s.spawn(|| {
            // the other threads wait for the library: it must be set even if building panics
            match std::panic::catch_unwind(|| crate::app::library(dirs)) {
                Ok(built) => library.get_or_init(|| built),
                Err(panic) => {
                    let _ = library.set(Err(Error::NotBuilt("the playbook library")));
                    std::panic::resume_unwind(panic)
                }
            };
            pieces.work(&library, &lines);
        });
        // the others wait for the masked text too
        let m = match std::panic::catch_unwind(|| crate::ingest::Masked::new(&text)) {
            Ok(m) => masked.get_or_init(|| m),
            Err(panic) => {
                let _ = lines.set(Vec::new());
                std::panic::resume_unwind(panic)
            }
        };
        let _ = lines.set(m.lines());
        let incident = crate::ingest::parse_masked(m, &ctx.settings);
        pieces.work(&library, &lines);
        join(builder);
        (incident, join(severity))
    });
    let lib = library
        .into_inner()
        .unwrap_or(Err(Error::NotBuilt("the playbook library")))?;
    let pre = analyze::Prepared {
        lines: pieces.into_matches(&lib),
        severity: matched,
    };
    let (kept_incident, kept_pre) = if keep {
        (incident.clone(), Some(pre.clone()))
    } else {
        (crate::model::Incident::default(), None)
    };
    let mut r = analyze::analyze_parsed(&text, incident, &lib, &targets, Some(pre), &[]);
    // a stored incident is named by its id, not by one made from its text
    if let Some(id) = &stored {
        r.id.clone_from(id);
    }
    // past incidents like this one, when there is a store; a broken store costs only this part
    let masked = masked.into_inner().unwrap_or_default().into_text();
    match super::store::similar_for(ctx, &r, &masked, stored.as_deref(), SIMILAR_IN_REPORT) {
        Ok(m) => analyze::add_similar(&mut r, m, &lib, &targets),
        Err(e) => ctx.ui.warn(&format!("similar incidents left out: {e}")),
    }
    Ok(Analysis {
        report: r,
        text,
        masked,
        raw: if keep { raw } else { None },
        stored,
        incident: kept_incident,
        pre: kept_pre.unwrap_or(analyze::Prepared {
            lines: crate::rank::LineMatches::empty(),
            severity: Default::default(),
        }),
        lib,
        targets,
    })
}

/// The paste's lines cut into pieces for matching against the library, taken by whichever
/// thread is free; matched pieces joined in order give what one run over all lines gives
/// ([`crate::rank::LineMatches::then`]).
#[derive(Default)]
struct Pieces {
    next: std::sync::atomic::AtomicUsize,
    done: std::sync::Mutex<Vec<(usize, crate::rank::LineMatches)>>,
}

/// Lines per piece: small enough that the threads finish together, large enough that a piece
/// costs more than taking it.
const PIECE_LINES: usize = 512;

impl Pieces {
    /// Match pieces until none is left (nothing to do if the library was not built).
    fn work(
        &self,
        library: &OnceLock<Result<crate::playbook::Library>>,
        lines: &OnceLock<Vec<&str>>,
    ) {
        let Ok(lib) = library.wait() else { return };
        let lines = lines.wait();
        loop {
            let at = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed) * PIECE_LINES;
            if at >= lines.len() {
                return;
            }
            let piece = &lines[at..lines.len().min(at + PIECE_LINES)];
            let m = crate::rank::match_lines(piece, at + 1, lib);
            self.done
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push((at, m));
        }
    }

    /// The pieces' matches, joined in line order.
    fn into_matches(self, lib: &crate::playbook::Library) -> crate::rank::LineMatches {
        let mut done = self
            .done
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        done.sort_by_key(|(at, _)| *at);
        let mut all = done.into_iter().map(|(_, m)| m);
        let mut first = all
            .next()
            .unwrap_or_else(|| crate::rank::match_lines(&[], 1, lib));
        for m in all {
            first.then(m);
        }
        first
    }
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
    if a.replay {
        return replay(ctx, a);
    }
    if a.offline {
        let r = analyze_input(ctx, a.input.input.as_deref(), targets)?;
        render(ctx, &View::Report(&r))?;
        std::mem::forget(r);
        return Ok(Exit::Ok);
    }
    let cfg_base = probe_config(a)?;
    // what libpq would warn about (a password file others can read), said once here: the
    // probes connect later, on their own thread
    if let Some(Ok(dsn)) = cfg_base.pg.as_deref().map(crate::store::dsn::Dsn::parse) {
        for w in &dsn.warnings {
            ctx.ui.warn(w);
        }
    }
    let an = analyze_full(ctx, a.input.input.as_deref(), targets, true)?;
    let cfg = crate::probe::Config {
        namespace: cfg_base
            .namespace
            .clone()
            .or_else(|| valid_first("namespace", &an.report.incident.entities.namespaces)),
        workload: valid_first("deployment", &an.report.incident.entities.services),
        unit: valid_first("unit", &an.report.incident.entities.units),
        // without --host, the hosts the paste names (as DESIGN.md says: probes go to the
        // targets given or found in the paste), the first few that are host names
        hosts: if cfg_base.hosts.is_empty() {
            paste_hosts(&an.report.incident.entities.hosts)
        } else {
            cfg_base.hosts.clone()
        },
        paste_hosts: an.report.incident.entities.hosts.clone(),
        terms: crate::probe::log::incident_terms(&an.report.incident),
        window: probe_window(&an.report.incident, jiff::Timestamp::now().as_second()),
        ..cfg_base
    };
    let shown = ctx.ui.probes_started();
    let progress = |o: &crate::probe::Outcome| shown.done(o);
    let run = crate::probe::run(&an.report.checklist, &cfg, &progress);
    drop(shown);
    let saved = crate::probe::saved::Saved::new(&cfg, &run, jiff::Timestamp::now().to_string());
    let (mut r, an) = rank_again(ctx, an, &saved);
    if a.host.is_empty() && !cfg.hosts.is_empty() {
        r.notes.push(format!(
            "host probes ran over ssh on {}, named in the paste (--host HOST chooses the hosts)",
            cfg.hosts.join(", ")
        ));
    }
    // the bundle keeps the incident, this report and the probe outputs; a store that cannot be
    // written costs the replay, not the report
    match save(ctx, &an, &r, &saved) {
        Ok(id) => {
            r.id.clone_from(&id);
            r.notes.push(format!(
                "saved as {id}: `sentinel investigate {id} --replay` ranks again from these probe outputs"
            ));
        }
        Err(e) => ctx
            .ui
            .warn(&format!("the probe outputs were not saved: {e}")),
    }
    render(ctx, &View::Report(&r))?;
    Ok(if saved.interrupted {
        Exit::Interrupted
    } else {
        Exit::Ok
    })
}

/// `investigate --replay`: rank again from the probe outputs saved with a stored incident, with
/// no probe run and no network.
fn replay(ctx: &Ctx, a: &InvestigateArgs) -> Result<Exit> {
    use crate::error::Error;
    let given = [
        a.kube_context.is_some(),
        a.pg.is_some(),
        a.prom.is_some(),
        !a.logs.is_empty(),
        !a.host.is_empty(),
    ];
    if given.iter().any(|g| *g) {
        ctx.ui
            .note("--replay runs no probes: the probe targets given are not used");
    }
    let (store, id, _) = super::store::stored_incident(ctx, a.input.input.as_deref())?;
    let what = format!("the saved probe run of {id}");
    let bytes = store
        .attachment(&id, crate::store::attachment::PROBES)?
        .ok_or_else(|| Error::NoReplay(format!("{id} has no saved probe run")))?;
    let saved = crate::probe::saved::Saved::parse(&bytes, &what).map_err(Error::NoReplay)?;
    drop(store);
    let targets = Targets {
        namespace: saved.targets.namespace.clone(),
        selector: saved.targets.selector.clone(),
        hosts: saved.targets.hosts.clone(),
    };
    let an = analyze_full(ctx, Some(&id), targets, true)?;
    let (mut r, _) = rank_again(ctx, an, &saved);
    r.id.clone_from(&id);
    r.notes.push(format!(
        "replayed the probe run of {} saved with {id}; nothing was run",
        saved.ran_at
    ));
    render(ctx, &View::Report(&r))?;
    Ok(Exit::Ok)
}

/// The report of an input for the postmortem: for a stored incident with a saved probe run,
/// ranked with what the probes saw (as `--replay`); else the offline analysis.
pub(crate) fn report_with_probes(
    ctx: &Ctx,
    input: Option<&str>,
) -> Result<(analyze::Report, Option<crate::probe::saved::Saved>)> {
    let an = analyze_full(ctx, input, Targets::default(), true)?;
    let saved = match &an.stored {
        Some(id) => match super::store::existing(ctx)? {
            Some(store) => match store.attachment(id, crate::store::attachment::PROBES)? {
                Some(bytes) => {
                    let what = format!("the saved probe run of {id}");
                    match crate::probe::saved::Saved::parse(&bytes, &what) {
                        Ok(s) => Some(s),
                        Err(e) => {
                            ctx.ui.warn(&format!("{e}; the draft uses the paste alone"));
                            None
                        }
                    }
                }
                None => None,
            },
            None => None,
        },
        None => None,
    };
    let id = an.stored.clone();
    let mut r = match &saved {
        Some(s) => rank_again(ctx, an, s).0,
        None => an.report,
    };
    if let Some(id) = id {
        r.id = id;
    }
    Ok((r, saved))
}

/// Rank again with what a probe run saw; the similar incidents stay as found.
fn rank_again(
    ctx: &Ctx,
    mut an: Analysis,
    saved: &crate::probe::saved::Saved,
) -> (analyze::Report, Analysis) {
    let observed = crate::probe::observed(&saved.outcomes);
    let similar = std::mem::take(&mut an.report.similar);
    let incident = std::mem::take(&mut an.incident);
    let pre = std::mem::replace(
        &mut an.pre,
        analyze::Prepared {
            lines: crate::rank::LineMatches::empty(),
            severity: Default::default(),
        },
    );
    let mut again = analyze::analyze_parsed(
        &an.text,
        incident,
        &an.lib,
        &an.targets,
        Some(pre),
        &observed,
    );
    analyze::add_similar(&mut again, similar, &an.lib, &an.targets);
    analyze::add_probe_results(&mut again, &saved.outcomes);
    if let Some(w) = saved
        .outcomes
        .iter()
        .find(|o| o.id == "pg/role")
        .and_then(|o| o.findings.first())
        .filter(|f| f.contains("superuser"))
    {
        ctx.ui.warn(w);
    }
    let summary = analyze::ProbeSummary {
        kube_context: saved.kube_context.clone(),
        namespace: saved.namespace.clone(),
        interrupted: saved.interrupted,
        ..analyze::ProbeSummary::count(&saved.outcomes)
    };
    again.notes.push(summary.describe());
    again.probes = Some(summary);
    (again, an)
}

/// Keep the incident, its report and its probe run in the store. Returns its id.
fn save(
    ctx: &Ctx,
    an: &Analysis,
    r: &analyze::Report,
    saved: &crate::probe::saved::Saved,
) -> Result<String> {
    let probes = saved.to_json();
    let id = super::store::keep(
        ctx,
        r,
        super::store::Input {
            raw: an.raw.clone(),
            text: &an.text,
            masked: &an.masked,
            stored: an.stored.as_deref(),
        },
        |id| {
            let mut r = r.clone();
            r.id = id.to_string();
            let mut buf = Vec::new();
            report::json(&report::v1::report(&r), &mut buf).map_err(crate::error::Error::Output)?;
            Ok(String::from_utf8_lossy(&buf).into_owned())
        },
        &[(crate::store::attachment::PROBES, &probes)],
    )?;
    // the probes confirmed the top hypothesis: that is the root cause known so far (a verified
    // mitigation or a person's postmortem, later, weigh more)
    if let Some(h) = r
        .hypotheses
        .first()
        .filter(|h| h.status == crate::model::Status::Confirmed)
    {
        let o = crate::store::Outcome::of(h, crate::store::ConfirmedBy::Probes, None);
        if let Err(e) = super::store::open(ctx).and_then(|s| Ok(s.record(&id, &o)?)) {
            ctx.ui.warn(&format!(
                "the confirmed root cause was not kept with {id}: {e}"
            ));
        }
    }
    Ok(id)
}

/// The time probes look at: from an hour before the first dated event (the trigger, or the
/// onset) to an hour after the last one, never past `now`; None when the paste gives no date
/// (the probes then look at the last hour).
fn probe_window(inc: &crate::model::Incident, now: i64) -> Option<(i64, i64)> {
    use crate::ingest::time::Moment;
    let dated = |m: &Moment| match m {
        Moment::At(ts) => Some(ts.as_second()),
        Moment::TimeOfDay { .. } => None,
    };
    let onset = inc.onset.and_then(|(m, _)| m).and_then(|m| dated(&m))?;
    let times = inc.timeline.iter().filter_map(|t| dated(&t.at));
    let first = times.clone().min().unwrap_or(onset).min(onset);
    let last = times.max().unwrap_or(onset).max(onset);
    let start = first - 3600;
    let end = (last + 3600).min(now);
    (end > start).then_some((start, end))
}

/// The first value of a list that passes the name rules of `var`.
fn valid_first(var: &str, values: &[String]) -> Option<String> {
    values
        .iter()
        .find(|v| crate::template::valid(var, v))
        .cloned()
}

/// The probe settings from the flags (a bad value is a usage error naming the flag).
fn probe_config(a: &InvestigateArgs) -> Result<crate::probe::Config> {
    use crate::error::Error;
    let timeout = parse_timeout(&a.timeout).ok_or_else(|| {
        Error::Usage(format!(
            "--timeout {:?} is not a duration (try 10s, 30s or 2m)",
            a.timeout
        ))
    })?;
    if let Some(c) = &a.kube_context
        && !kube_context_ok(c)
    {
        return Err(Error::Usage(format!(
            "--kube-context {c:?} is not a kubeconfig context name"
        )));
    }
    if let Some(ns) = &a.namespace
        && !crate::template::valid("namespace", ns)
    {
        return Err(Error::Usage(format!(
            "--namespace {ns:?} is not a Kubernetes namespace name (lowercase letters, digits and '-')"
        )));
    }
    if let Some(sel) = &a.selector
        && !crate::template::valid("selector", sel)
    {
        return Err(Error::Usage(format!(
            "--selector {sel:?} is not a label selector of the form key=value[,key=value]"
        )));
    }
    if a.concurrency == 0 {
        return Err(Error::Usage("--concurrency must be at least 1".into()));
    }
    if let Some(h) = a.host.iter().find(|h| !crate::probe::host::valid_host(h)) {
        return Err(Error::Usage(format!(
            "--host {h:?} is not a [user@]hostname or IPv4 address (letters, digits, '.', '-'; not starting with '-')"
        )));
    }
    if let Some(p) = &a.prom
        && let Err(e) = crate::probe::http::base_url(p)
    {
        return Err(Error::Usage(format!(
            "--prom {}: {e}",
            crate::probe::http::masked(p)
        )));
    }
    if let Some((h, e)) = a
        .health
        .iter()
        .find_map(|h| crate::probe::http::health_url(h).err().map(|e| (h, e)))
    {
        return Err(Error::Usage(format!(
            "--health {}: {e}",
            crate::probe::http::masked(h)
        )));
    }
    Ok(crate::probe::Config {
        kube_context: a.kube_context.clone(),
        namespace: a.namespace.clone(),
        selector: a.selector.clone(),
        workload: None,
        logs: a.logs.clone(),
        // like psql: PGHOST/PGDATABASE/… name the database when --pg does not
        pg: a.pg.clone().or_else(|| libpq_env().then(String::new)),
        prom: a.prom.clone(),
        health: a.health.clone(),
        window: None,
        terms: Vec::new(),
        paste_hosts: Vec::new(),
        hosts: a.host.clone(),
        unit: None,
        timeout,
        concurrency: a.concurrency,
    })
}

/// Hosts the paste names that host probes may go to without `--host`.
const PASTE_HOSTS: usize = 2;

/// The first [`PASTE_HOSTS`] hosts of the paste that are plain host names (no user, not an
/// address; the strict host rules of `--host`).
fn paste_hosts(named: &[String]) -> Vec<String> {
    named
        .iter()
        .filter(|h| {
            crate::probe::host::valid_host(h)
                && !h.contains('@')
                && h.parse::<std::net::IpAddr>().is_err()
        })
        .take(PASTE_HOSTS)
        .cloned()
        .collect()
}

/// `10s`, `500ms`, `2m`, `1h`, or a number of seconds.
fn parse_timeout(s: &str) -> Option<std::time::Duration> {
    crate::probe::parse_duration(s)
}

/// A kubeconfig context name as kubectl takes it (`prod-eu`, `arn:aws:eks:…:cluster/x`,
/// `user@cluster`): no spaces, quotes or shell metacharacters, not a flag.
fn kube_context_ok(c: &str) -> bool {
    !c.is_empty()
        && c.len() <= 253
        && !c.starts_with('-')
        && c.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._:@/".contains(&b))
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
        c.reason = Some(runnable_here(c, a));
    }
    render(ctx, &View::Checklist(&r))?;
    Ok(Exit::Ok)
}

/// Whether a probe could run on this machine with the targets given, in words.
fn runnable_here(c: &crate::model::CheckItem, a: &ChecklistArgs) -> String {
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
    let tool = |b: &str| {
        if on_path(b) {
            format!("{b} found on PATH")
        } else {
            format!("{b} not found on PATH")
        }
    };
    match c.kind {
        ProbeKind::Kubectl => tool("kubectl"),
        ProbeKind::Host if a.host.is_empty() => "needs --host HOST".into(),
        ProbeKind::Host => format!("{}; on {}", tool("ssh"), a.host.join(", ")),
        ProbeKind::Sql if a.pg.is_some() => "can run: --pg given".into(),
        ProbeKind::Sql if libpq_env() => "can run: PG* variables set".into(),
        ProbeKind::Sql => "needs --pg URL (or PGHOST/PGDATABASE)".into(),
        ProbeKind::Log if a.logs.is_empty() => "needs --logs PATH".into(),
        ProbeKind::Log => {
            let found = a.logs.iter().filter(|p| p.exists()).count();
            format!("can run: {found} of {} --logs path(s) exist", a.logs.len())
        }
        ProbeKind::Http if a.prom.is_some() => "can run: --prom given".into(),
        ProbeKind::Http => "needs --prom URL".into(),
    }
}

/// Are libpq's connection variables set (so SQL probes can run without `--pg`)?
fn libpq_env() -> bool {
    ["PGHOST", "PGDATABASE", "PGSERVICE"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|x| !x.is_empty()))
}

fn on_path(bin: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(bin).is_file()))
}
