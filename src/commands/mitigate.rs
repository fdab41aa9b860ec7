//! `sentinel mitigate`: the mitigations of a stored incident's top hypotheses, each run only on a
//! yes: a person's at the terminal, or `--approve ID` from a script. Every proposal, decision,
//! command, output and verification is appended to the bundle's audit log as it happens.

use crate::app::Ctx;
use crate::cli::MitigateArgs;
use crate::error::{Error, Exit, Result};
use crate::mitigate::audit::{self, Entry, Event};
use crate::mitigate::{self, Action, Exec, Plan, Step, Target};
use crate::report::Format;
use crate::report::plan::{self as view, Outcome, StepOutcome, Verification};
use crate::store::Store;
use std::time::Duration;

/// mitigate.
pub fn run(ctx: &Ctx, a: &MitigateArgs) -> Result<Exit> {
    let window = crate::probe::parse_duration(&a.verify_for).ok_or_else(|| {
        Error::Usage(format!(
            "--verify-for {}: not a duration (for example 90s, 5m)",
            a.verify_for
        ))
    })?;
    let store = super::store::existing(ctx)?.ok_or_else(|| {
        Error::Usage(
            "there is no incident store yet: run `sentinel investigate FILE` first (it saves the incident and its probe run)".into(),
        )
    })?;
    let id = match &a.incident {
        Some(i) => i.clone(),
        None => latest(ctx, &store)?,
    };
    if !store.contains(&id)? {
        return Err(Error::UnknownInput(id));
    }
    let (r, saved) = super::investigate::report_with_probes(ctx, Some(&id))?;
    let (target, pg_url) = target(saved.as_ref(), a.pg.as_deref())?;
    let lib = ctx.library()?;
    let plan = mitigate::plan(&r, &lib, &target);
    for key in &a.approve {
        if plan.find(key).is_none() {
            let ids: Vec<&str> = plan.actions.iter().map(|a| a.id.as_str()).collect();
            return Err(Error::Usage(format!(
                "--approve {key}: no mitigation of {id} has that id (its plan has: {})",
                if ids.is_empty() {
                    "none".to_string()
                } else {
                    ids.join(", ")
                }
            )));
        }
    }
    let json = matches!(ctx.format, Some(Format::Json));
    if a.dry_run {
        if json {
            ctx.ui.out(|w| view::json(&plan, true, &[], w))?;
        } else {
            ctx.ui.out(|w| view::text(&plan, w))?;
            ctx.ui
                .note("dry run: nothing was run and nothing was recorded");
        }
        return Ok(Exit::Ok);
    }
    if !json {
        ctx.ui.out(|w| view::text(&plan, w))?;
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Usage(format!("cannot start the runtime: {e}")))?;
    // one listener for the whole session, so a Ctrl-C between two waits is not lost (the
    // next wait sees it at once); installing it means SIGINT no longer kills the process, so
    // every wait below races it
    let sigint = {
        let _in = rt.enter();
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt()).ok()
    };
    let mut s = Session {
        ctx,
        rt,
        sigint: std::cell::RefCell::new(sigint),
        store: &store,
        id: &id,
        report: &r,
        operator: audit::operator(),
        pg: pg_url,
        prom: target.prom.clone(),
        window,
        outcomes: Vec::new(),
    };
    let code = s.decide_and_run(&plan, &a.approve)?;
    if json {
        ctx.ui.out(|w| view::json(&plan, false, &s.outcomes, w))?;
    }
    Ok(code)
}

/// The incident when none is named: the one worked on last (the one just investigated).
fn latest(ctx: &Ctx, store: &Store) -> Result<String> {
    let id = store.last_worked_on()?.ok_or_else(|| {
        Error::Usage("the incident store is empty: run `sentinel investigate FILE` first".into())
    })?;
    ctx.ui.note(&format!(
        "no incident named: using {id}, the one worked on last (`sentinel incidents list` shows them all)"
    ));
    Ok(id)
}

/// Where the actions run: the targets of the bundle's probe run; `--pg` gives the database's
/// credentials and must name the database the probes read.
fn target(
    saved: Option<&crate::probe::saved::Saved>,
    pg: Option<&str>,
) -> Result<(Target, Option<String>)> {
    let t = saved.map(|s| &s.targets);
    let recorded = t.and_then(|t| t.pg.clone());
    let given = match pg {
        Some(u) => Some(
            crate::store::dsn::Dsn::parse(u)
                .map_err(|e| Error::Usage(format!("--pg: {e}")))?
                .shown,
        ),
        None => None,
    };
    if let (Some(g), Some(r)) = (&given, &recorded)
        && g != r
    {
        return Err(Error::Usage(format!(
            "--pg names {g}, but the probes of this incident read {r}: mitigations run where the evidence came from"
        )));
    }
    let url = pg.map(str::to_string).or_else(|| recorded.clone());
    Ok((
        Target {
            kube_context: saved
                .and_then(|s| s.kube_context.clone().or(s.targets.kube_context.clone())),
            namespace: saved.and_then(|s| s.namespace.clone().or(s.targets.namespace.clone())),
            host: t.and_then(|t| t.hosts.first().cloned()),
            database: given.or(recorded),
            prom: t.and_then(|t| t.prom.clone()),
        },
        url,
    ))
}

/// What the person answered.
enum Answer {
    Run(Vec<Step>),
    Skip,
    Quit,
    /// Ctrl-C at the prompt.
    Interrupted,
}

/// Ctrl-C came while something ran or a prompt waited.
struct Interrupted;

struct Session<'a> {
    ctx: &'a Ctx,
    /// Runs the steps, the verification and the prompts, each racing Ctrl-C.
    rt: tokio::runtime::Runtime,
    /// SIGINT, received (None when it cannot be listened for: then Ctrl-C kills as usual).
    sigint: std::cell::RefCell<Option<tokio::signal::unix::Signal>>,
    store: &'a Store,
    id: &'a str,
    /// The analysis the plan came from (its hypotheses are what a recovery confirms).
    report: &'a crate::analyze::Report,
    operator: String,
    pg: Option<String>,
    prom: Option<String>,
    window: Duration,
    outcomes: Vec<Outcome>,
}

fn now() -> String {
    jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

impl Session<'_> {
    /// Run `f` to its end unless Ctrl-C comes first (then `f` is dropped: a child process it
    /// started is killed).
    fn until_interrupted<F: std::future::Future>(
        &self,
        f: F,
    ) -> std::result::Result<F::Output, Interrupted> {
        let mut sigint = self.sigint.borrow_mut();
        self.rt.block_on(async {
            let ctrl_c = async {
                match sigint.as_mut() {
                    Some(s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                v = f => Ok(v),
                () = ctrl_c => Err(Interrupted),
            }
        })
    }

    /// Append an entry; an audit log that cannot be written stops everything (nothing runs
    /// unrecorded).
    fn log(&self, e: Entry) -> Result<()> {
        self.store
            .append(self.id, crate::store::attachment::AUDIT, &e.line())
            .map_err(Error::from)
    }

    fn entry(&self, actor: &str, event: Event, a: &Action, text: String) -> Entry {
        Entry::new(now(), actor, event, &a.qualified, text)
    }

    /// Progress for the person: stderr in every format (stdout carries the result).
    fn say(&self, text: &str) {
        self.ctx.ui.say(text);
    }

    fn decide_and_run(&mut self, plan: &Plan, approve: &[String]) -> Result<Exit> {
        let interactive = self.ctx.ui.interactive;
        let named: Vec<&Action> = approve.iter().filter_map(|k| plan.find(k)).collect();
        if !interactive && named.is_empty() {
            let runnable = plan
                .actions
                .iter()
                .filter(|a| a.blocked().is_none())
                .count();
            return Err(Error::Decision(if runnable == 0 {
                format!(
                    "none of the {} mitigation(s) of {} can run here, and nothing was approved",
                    plan.actions.len(),
                    self.id
                )
            } else {
                format!(
                    "{runnable} mitigation(s) of {} need a decision and there is no terminal to ask on: nothing was run; name the ones to run with --approve ID (see the plan above, or --dry-run)",
                    self.id
                )
            }));
        }
        let mut code = Exit::Ok;
        for a in &plan.actions {
            let by_flag = named.iter().any(|n| n.qualified == a.qualified);
            if !interactive && !by_flag {
                continue;
            }
            let mut proposed = self.entry(
                "sentinel",
                Event::Proposed,
                a,
                format!("proposed [{}] {}", a.n, a.title),
            );
            proposed.command = Some(commands(&a.steps));
            self.log(proposed)?;
            if let Some(b) = a.blocked() {
                if by_flag {
                    self.log(self.entry(
                        "sentinel",
                        Event::Failed,
                        a,
                        format!("cannot run [{}] {}: {b}", a.n, a.title),
                    ))?;
                    self.say(&format!("  [{}] cannot run: {b}\n", a.n));
                    self.outcomes.push(outcome(a, "blocked", None, true));
                    code = Exit::MitigationFailed;
                }
                continue;
            }
            let answer = if by_flag {
                let who = format!("{} (--approve)", self.operator);
                let mut e = self.entry(
                    &self.operator,
                    Event::Approved,
                    a,
                    format!("{who} approved [{}] {}", a.n, a.title),
                );
                e.command = Some(commands(&a.steps));
                self.log(e)?;
                if let Some((why, line, _)) = &a.will_not_help {
                    self.ctx.ui.warn(&format!(
                        "[{}] was approved although the paste says it will not help (line {line}): {why}",
                        a.n
                    ));
                }
                Answer::Run(a.steps.clone())
            } else {
                self.ask(a)?
            };
            match answer {
                Answer::Interrupted => {
                    self.log(self.entry(
                        &self.operator,
                        Event::Interrupted,
                        a,
                        format!(
                            "{} pressed Ctrl-C at [{}]; nothing further ran",
                            self.operator, a.n
                        ),
                    ))?;
                    self.say("\n  interrupted: nothing further runs\n");
                    self.outcomes
                        .push(outcome(a, "interrupted", Some(&self.operator), false));
                    return Ok(Exit::Interrupted);
                }
                Answer::Quit => {
                    self.log(self.entry(
                        &self.operator,
                        Event::Quit,
                        a,
                        format!(
                            "{} stopped at [{}]; nothing further ran",
                            self.operator, a.n
                        ),
                    ))?;
                    self.outcomes
                        .push(outcome(a, "quit", Some(&self.operator), false));
                    break;
                }
                Answer::Skip => {
                    self.outcomes
                        .push(outcome(a, "skipped", Some(&self.operator), false));
                }
                Answer::Run(steps) => {
                    let by = if by_flag {
                        "--approve".to_string()
                    } else {
                        self.operator.clone()
                    };
                    let o = self.execute(a, &steps, &by)?;
                    if o.decision == "interrupted" {
                        self.outcomes.push(o);
                        return Ok(Exit::Interrupted);
                    }
                    self.remember(a, &o);
                    if o.failed {
                        code = Exit::MitigationFailed;
                    }
                    let stop = o.failed && steps.len() > 1;
                    self.outcomes.push(o);
                    if stop {
                        break;
                    }
                }
            }
        }
        Ok(code)
    }

    /// Ask about one action: run, skip, edit, quit. End of input is a no.
    fn ask(&self, a: &Action) -> Result<Answer> {
        let mut shown = Vec::new();
        let _ = view::action(a, &mut shown);
        self.say(&format!("\n{}", String::from_utf8_lossy(&shown)));
        let mut steps = a.steps.clone();
        let mut edited = false;
        loop {
            let q = if edited {
                format!("Run the edited [{}]? (y/N/e=edit/s=skip/q=quit)", a.n)
            } else {
                format!("Run [{}]? (y/N/e=edit/s=skip/q=quit)", a.n)
            };
            let Ok(reply) = self.until_interrupted(self.ctx.ui.ask(&q)) else {
                return Ok(Answer::Interrupted);
            };
            let reply = reply.unwrap_or_default();
            match reply.trim().to_ascii_lowercase().as_str() {
                "y" | "yes" => {
                    let mut e = self.entry(
                        &self.operator,
                        Event::Approved,
                        a,
                        format!("{} approved [{}] {}", self.operator, a.n, a.title),
                    );
                    e.command = Some(commands(&steps));
                    self.log(e)?;
                    return Ok(Answer::Run(steps));
                }
                "e" | "edit" => {
                    let mut changed = Vec::new();
                    for s in &steps {
                        let initial = editable(s);
                        let text = match self.ctx.ui.edit("  edit", &initial) {
                            crate::ui::Edit::Text(t) => t,
                            crate::ui::Edit::Unchanged => {
                                changed.push(s.clone());
                                continue;
                            }
                            crate::ui::Edit::Interrupted => return Ok(Answer::Interrupted),
                        };
                        match edited_step(s, &text) {
                            Ok(n) => changed.push(n),
                            Err(e) => {
                                self.ctx.ui.warn(&format!("not changed: {e}"));
                                changed.push(s.clone());
                            }
                        }
                    }
                    if commands(&changed) != commands(&steps) {
                        let mut e = self.entry(
                            &self.operator,
                            Event::Edited,
                            a,
                            format!("{} edited [{}]", self.operator, a.n),
                        );
                        e.command = Some(commands(&changed));
                        self.log(e)?;
                        steps = changed;
                        edited = true;
                        let shown: String = steps
                            .iter()
                            .map(|s| {
                                format!("        $ {}\n", crate::report::sanitize::clean(&s.shown))
                            })
                            .collect();
                        self.say(&shown);
                    }
                }
                "q" | "quit" => return Ok(Answer::Quit),
                // no, skip, an empty line, end of input: not run
                _ => {
                    self.log(self.entry(
                        &self.operator,
                        Event::Skipped,
                        a,
                        format!("{} skipped [{}] {}", self.operator, a.n, a.title),
                    ))?;
                    return Ok(Answer::Skip);
                }
            }
        }
    }

    /// Run an approved action step by step, stopping at the first step that fails, then watch
    /// its verification.
    fn execute(&self, a: &Action, steps: &[Step], by: &str) -> Result<Outcome> {
        let mut out = outcome(a, "approved", Some(by), false);
        let pg = self.pg.as_deref();
        let prom = self.prom.as_deref();
        // the value before, read once before anything runs
        let before = match &a.verify {
            Some(v) => match &v.sample {
                Some(s) => {
                    let read = mitigate::run::sample(s, pg, prom, Duration::from_secs(15));
                    let Ok(read) = self.until_interrupted(read) else {
                        return self.interrupted(a, out, "before anything ran");
                    };
                    match read {
                        Ok(x) => {
                            let mut e = self.entry(
                                "sentinel",
                                Event::Baseline,
                                a,
                                format!("{} before [{}]: {}", v.what, a.n, mitigate::num(x)),
                            );
                            e.before = Some(x);
                            self.log(e)?;
                            Some(x)
                        }
                        Err(e) => {
                            self.ctx
                                .ui
                                .warn(&format!("cannot read {} before [{}]: {e}", v.what, a.n));
                            None
                        }
                    }
                }
                None => None,
            },
            None => None,
        };
        for (i, s) in steps.iter().enumerate() {
            let Some(exec) = &s.exec else {
                out.failed = true;
                break;
            };
            let mut e = self.entry(
                "sentinel",
                Event::Started,
                a,
                format!("running [{}] step {}", a.n, i + 1),
            );
            e.command = Some(s.shown.clone());
            e.on = Some(s.on.clone());
            self.log(e)?;
            let Ok(done) = self.until_interrupted(mitigate::run::step(exec, s.timeout, pg)) else {
                return self.interrupted(
                    a,
                    out,
                    &format!(
                        "while step {} ran (`{}` was stopped; what it changed before that is not known)",
                        i + 1,
                        s.shown
                    ),
                );
            };
            let text = if done.ok {
                let first = done.output.lines().next().unwrap_or("").trim();
                format!(
                    "ran [{}]{} on {} in {:.1}s{}",
                    a.n,
                    if steps.len() > 1 {
                        format!(" step {}", i + 1)
                    } else {
                        String::new()
                    },
                    s.on.split(", ").next().unwrap_or(&s.on),
                    done.took.as_secs_f64(),
                    if first.is_empty() {
                        String::new()
                    } else {
                        format!(": {first}")
                    }
                )
            } else {
                format!(
                    "[{}] {} failed: {}",
                    a.n,
                    s.shown,
                    done.error.as_deref().unwrap_or("failed")
                )
            };
            let mut e = self
                .entry(
                    "sentinel",
                    if done.ok { Event::Ran } else { Event::Failed },
                    a,
                    text.clone(),
                )
                .with_output(&done.output);
            e.command = Some(s.shown.clone());
            e.on = Some(s.on.clone());
            e.exit = done.exit;
            e.took_ms = Some(done.took.as_millis() as u64);
            self.log(e)?;
            self.say(&format!(
                "  {} {}\n",
                if done.ok { "✔" } else { "✘" },
                crate::report::sanitize::clean(&text)
            ));
            if !done.output.trim().is_empty() && self.ctx.ui.verbose {
                self.say(&format!(
                    "{}\n",
                    crate::report::sanitize::clean(done.output.trim_end())
                ));
            }
            out.steps.push(StepOutcome {
                command: s.shown.clone(),
                ok: done.ok,
                exit: done.exit,
                output: audit::capped(&done.output).unwrap_or_default(),
                error: done.error.clone(),
                took_ms: done.took.as_millis() as u64,
            });
            if !done.ok {
                out.failed = true;
                return Ok(out);
            }
            // a quick read after each step but the last, so a person sees each one's effect
            if i + 1 < steps.len()
                && let Some(v) = &a.verify
                && let Some(smp) = &v.sample
                && let Ok(Ok(x)) = self.until_interrupted(mitigate::run::sample(
                    smp,
                    pg,
                    prom,
                    Duration::from_secs(15),
                ))
            {
                self.say(&format!(
                    "    {} after step {}: {}\n",
                    v.what,
                    i + 1,
                    mitigate::num(x)
                ));
            }
        }
        let Some(v) = &a.verify else {
            return Ok(out);
        };
        self.say(&format!(
            "  verifying for up to {}: {} (recovered when {})\n",
            crate::probe::show_duration(self.window),
            v.what,
            v.rule.describe(before)
        ));
        let watched = mitigate::run::watch(v, before, self.window, pg, prom, &|_| {});
        let Ok(w) = self.until_interrupted(watched) else {
            return self.interrupted(
                a,
                out,
                "while the verification watched (the action itself ran)",
            );
        };
        // a relative rule has nothing to compare with when the signal was already at zero
        let nothing = v.rule.relative && before == Some(0.0);
        let (event, result) = if w.recovered {
            (Event::Recovered, "recovered")
        } else if w.after.is_none() {
            (Event::Unverified, "unverified")
        } else {
            (Event::NotRecovered, "not_recovered")
        };
        let shown = |x: Option<f64>| x.map_or("?".to_string(), mitigate::num);
        let text = match event {
            Event::Recovered => format!(
                "{} {} → {} ✔ recovered",
                v.what,
                shown(before),
                shown(w.after)
            ),
            _ if nothing => format!(
                "{} was already 0 before [{}]: nothing to verify",
                v.what, a.n
            ),
            Event::NotRecovered => format!(
                "{} {} → {} ✘ not recovered after {}",
                v.what,
                shown(before),
                shown(w.after),
                crate::probe::show_duration(w.took)
            ),
            _ => format!(
                "{}: could not be read ({})",
                v.what,
                w.error.as_deref().unwrap_or("no reading")
            ),
        };
        let event = if nothing && !w.recovered {
            Event::Unverified
        } else {
            event
        };
        let result = if nothing && !w.recovered {
            "unverified"
        } else {
            result
        };
        let mut e = self.entry("sentinel", event, a, text.clone());
        e.before = before;
        e.after = w.after;
        e.took_ms = Some(w.took.as_millis() as u64);
        self.log(e)?;
        self.say(&format!("  {}\n", crate::report::sanitize::clean(&text)));
        out.failed = !w.recovered && !nothing;
        out.verification = Some(Verification {
            what: v.what.clone(),
            before,
            after: w.after,
            result: result.into(),
            rule: v.rule.describe(before),
            error: w.error,
        });
        Ok(out)
    }
}

impl Session<'_> {
    /// A mitigation whose verification saw the signal recover confirms its hypothesis: the
    /// root cause and the resolution are kept with the incident, so the next outage that looks
    /// like it is told what this one was and what fixed it. A store that cannot take it costs a
    /// warning (the action ran and the audit log has it).
    fn remember(&self, a: &Action, o: &Outcome) {
        let Some(v) = o.verification.as_ref().filter(|v| v.result == "recovered") else {
            return;
        };
        let Some(h) = self.report.hypotheses.iter().find(|h| h.id == a.hypothesis) else {
            return;
        };
        let shown = |x: Option<f64>| x.map_or("?".to_string(), mitigate::num);
        let resolution = format!(
            "{} ({} {} → {}, verified recovered)",
            a.title,
            v.what,
            shown(v.before),
            shown(v.after)
        );
        let outcome =
            crate::store::Outcome::of(h, crate::store::ConfirmedBy::Mitigation, Some(resolution));
        match self.store.record(self.id, &outcome) {
            Ok(Some(m)) => self.say(&format!(
                "  kept with {}: root cause {} (confirmed by {})\n",
                self.id,
                crate::report::sanitize::clean(m.root_cause.as_deref().unwrap_or_default()),
                m.confirmed_by
                    .map_or("a person", crate::store::ConfirmedBy::as_str)
            )),
            Ok(None) => {}
            Err(e) => self.ctx.ui.warn(&format!(
                "the recovery was not kept with {} as its root cause: {e}",
                self.id
            )),
        }
    }

    /// Ctrl-C while an action ran: recorded, and the session ends.
    fn interrupted(&self, a: &Action, mut out: Outcome, when: &str) -> Result<Outcome> {
        self.log(self.entry(
            &self.operator,
            Event::Interrupted,
            a,
            format!(
                "{} pressed Ctrl-C at [{}] {when}; nothing further ran",
                self.operator, a.n
            ),
        ))?;
        self.say(&format!("\n  interrupted [{}] {when}\n", a.n));
        out.decision = "interrupted".into();
        out.failed = true;
        Ok(out)
    }
}

fn outcome(a: &Action, decision: &str, by: Option<&str>, failed: bool) -> Outcome {
    Outcome {
        action: a.qualified.clone(),
        decision: decision.into(),
        by: by.map(str::to_string),
        steps: Vec::new(),
        verification: None,
        failed,
    }
}

/// The commands of some steps, one per line.
fn commands(steps: &[Step]) -> String {
    steps
        .iter()
        .map(|s| s.shown.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The part of a step a person edits: the kubectl line, the words run on the host, the SQL.
fn editable(s: &Step) -> String {
    match &s.exec {
        Some(Exec::Argv(argv)) if argv.first().map(String::as_str) == Some("ssh") => {
            crate::template::display_argv(crate::probe::host::remote_of(argv).1)
        }
        Some(Exec::Argv(argv)) => crate::template::display_argv(argv),
        Some(Exec::Sql { query, .. }) => query.split_whitespace().collect::<Vec<_>>().join(" "),
        None => s.shown.clone(),
    }
}

/// A step after a person's edit, checked as the playbook's steps are: the same kind and target,
/// the mitigation allowlists.
fn edited_step(s: &Step, text: &str) -> std::result::Result<Step, String> {
    if text.chars().any(char::is_control) {
        return Err("the edited command holds a control character".into());
    }
    let mut n = s.clone();
    match &s.exec {
        Some(Exec::Argv(argv)) if argv.first().map(String::as_str) == Some("ssh") => {
            let host = crate::probe::host::remote_of(argv)
                .0
                .ok_or("no host")?
                .to_string();
            let words = crate::template::split_words(text)?;
            let built = crate::probe::host::ssh_mitigation_argv(&host, &words, s.timeout)?;
            n.shown = format!(
                "ssh -o BatchMode=yes {} -- {}",
                crate::template::quote(&host),
                crate::template::display_argv(&words)
            );
            n.exec = Some(Exec::Argv(built));
        }
        Some(Exec::Argv(_)) => {
            let argv = crate::template::split_words(text)?;
            crate::safety::kubectl_mitigation(&argv)?;
            n.shown = crate::template::display_argv(&argv);
            n.exec = Some(Exec::Argv(argv));
        }
        Some(Exec::Sql {
            params,
            transaction,
            lock_timeout,
            ..
        }) => {
            crate::safety::sql_mitigation(text, *transaction)?;
            n.shown = mitigate::sql_shown(text, params);
            n.exec = Some(Exec::Sql {
                query: text.trim().to_string(),
                params: params.clone(),
                transaction: *transaction,
                lock_timeout: *lock_timeout,
            });
        }
        None => return Err("this step cannot run".into()),
    }
    Ok(n)
}
