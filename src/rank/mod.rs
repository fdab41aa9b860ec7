//! Stage 5, rank: (incident, evidence, playbooks) -> ordered hypotheses. Pure.
//!
//! Each playbook's signals are matched against the paste's lines, the facts read from pasted
//! command output, the parsed metrics and the changes. A signal counts once, however many lines
//! match ("how much of the picture it explains, not how many lines"); a match in a negated or
//! "normal" clause does not count, and a negated decisive signal counts against; speculative lines
//! count for little; shared symptoms count only beside real evidence and are capped. The closest
//! matching change before onset becomes the trigger. Ties sort by id, so output is deterministic.

use crate::ingest::text;
use crate::model::{ChangeKind, Confidence, Evidence, Hypothesis, Incident, Source, Status};
use crate::playbook::{Library, Matcher, Playbook, Signal};
use crate::template::Vars;

/// How much a speculative line counts.
pub const HEDGE_FACTOR: f64 = 0.3;
/// The most that shared symptoms add to a hypothesis.
pub const SYMPTOM_CAP: f64 = 2.0;
/// Evidence lines cited per signal.
const MAX_CITES: usize = 3;
/// Minimum raw score for a hypothesis to be listed.
pub const MIN_RAW: f64 = 1.0;

/// One line of text to match: its number, its text, whether it is hedged, and whether it is a fact.
struct Probe<'a> {
    no: usize,
    text: &'a str,
    /// `None`: not known yet, read from the text when a pattern is a candidate on it.
    hedged: Option<bool>,
}

#[derive(Default, Clone)]
struct Fired {
    factor: f64,
    cites: Vec<Evidence>,
    negated_line: Option<usize>,
    /// The first probe whose output fired it.
    probe: Option<String>,
}

/// A probe's output as read for the ranking: its id and its text parsed like a paste.
#[derive(Clone, Debug)]
pub struct Observed {
    /// The probe id (`source: probe:ID` in the evidence).
    pub probe: String,
    /// The output (or the findings drawn from it), parsed.
    pub incident: Incident,
}

/// A signal seen in a probe's output weighs this much more than the same signal in the paste:
/// it was observed on the system now, not reported.
pub const PROBE_FACTOR: f64 = 1.5;
/// Counter-evidence from probes of at least this weight, with no decisive probe support, refutes.
const REFUTE_AT: f64 = 2.0;

/// Scores for one playbook, before ordering.
struct Scored {
    pb: usize,
    raw: f64,
    positive: f64,
    counter_total: f64,
    decisive: bool,
    sources: usize,
    evidence: Vec<Evidence>,
    counter: Vec<Evidence>,
    trigger: Option<(usize, String)>,
    status: Status,
}

fn snippet(s: &str) -> String {
    let t = s.trim();
    if t.chars().count() > 160 {
        let cut: String = t.chars().take(157).collect();
        format!("{cut}...")
    } else {
        t.to_string()
    }
}

/// Which line signals of every playbook fired on some text units, and where:
/// `fired[playbook][counter?][signal]`.
#[derive(Clone)]
pub struct LineMatches(Vec<[Vec<Option<Fired>>; 2]>);

impl LineMatches {
    /// No matches at all: a placeholder for a caller that will not rank with it.
    pub fn empty() -> LineMatches {
        LineMatches(Vec::new())
    }
    /// Append the matches of later units (as if they had been matched in one run after these).
    pub fn then(&mut self, later: LineMatches) {
        for (mine, theirs) in self.0.iter_mut().zip(later.0) {
            for (m, t) in mine.iter_mut().zip(theirs) {
                for (a, b) in m.iter_mut().zip(t) {
                    let Some(b) = b else { continue };
                    let Some(a) = a else {
                        *a = Some(b);
                        continue;
                    };
                    a.factor = a.factor.max(b.factor);
                    for c in b.cites {
                        let room = if matches!(c.source, Source::Probe(_)) {
                            MAX_CITES + 2
                        } else {
                            MAX_CITES
                        };
                        if a.cites.len() < room && !a.cites.iter().any(|x| same_cite(x, &c)) {
                            a.cites.push(c);
                        }
                    }
                    a.negated_line = a.negated_line.or(b.negated_line);
                    a.probe = a.probe.take().or(b.probe);
                }
            }
        }
    }
}

/// Match the line signals of every playbook against lines of a paste, as
/// [`crate::ingest::Masked::lines`] gives them, the first being line `first` (from 1). Needs only
/// the text, so it can run while the rest of the paste is read, and in parts: matching the
/// lines in two runs and joining them with [`LineMatches::then`] gives what one run gives.
pub fn match_lines(lines: &[&str], first: usize, lib: &Library) -> LineMatches {
    let probes: Vec<Probe<'_>> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| Probe {
            no: first + i,
            text: l,
            hedged: None,
        })
        .collect();
    match_probes(&probes, lib, None)
}

/// Two cites of the same thing: the same paste line, or the same probe text.
fn same_cite(a: &Evidence, b: &Evidence) -> bool {
    match (&a.source, &b.source) {
        (Source::Probe(x), Source::Probe(y)) => x == y && a.text == b.text,
        _ => a.line.is_some() && a.line == b.line,
    }
}

/// Rank every playbook against the incident.
pub fn rank(inc: &Incident, lib: &Library) -> Vec<Hypothesis> {
    rank_with(inc, lib, None, &[])
}

/// [`rank`], with the incident's lines already matched by [`match_lines`], and what the probes
/// observed.
pub fn rank_with(
    inc: &Incident,
    lib: &Library,
    lines: Option<LineMatches>,
    observed: &[Observed],
) -> Vec<Hypothesis> {
    let mut fired = lines.unwrap_or_else(|| match_probes(&line_probes(inc), lib, None));
    // then the facts read from pasted command output (never hedged)
    fired.then(match_probes(&fact_probes(inc), lib, None));
    // then each probe's output, never hedged
    for o in observed {
        let mut units: Vec<Probe<'_>> = line_probes(&o.incident);
        units.iter_mut().for_each(|u| u.hedged = Some(false));
        units.extend(fact_probes(&o.incident));
        fired.then(match_probes(&units, lib, Some(&o.probe)));
    }
    order(inc, lib, &mut fired.0, observed)
}

/// The facts read from pasted command output, as text units.
fn fact_probes(inc: &Incident) -> Vec<Probe<'_>> {
    inc.facts
        .iter()
        .map(|(no, t)| Probe {
            no: *no,
            text: t,
            hedged: Some(false),
        })
        .collect()
}

/// The incident's non-blank lines as text units.
fn line_probes(inc: &Incident) -> Vec<Probe<'_>> {
    inc.lines
        .iter()
        .filter(|l| !l.text.trim().is_empty())
        .map(|l| Probe {
            no: l.no,
            text: &l.text,
            hedged: Some(l.hedged),
        })
        .collect()
}

/// Match text units; `probe` names the probe whose output they are (None: the paste).
fn match_probes(probes: &[Probe<'_>], lib: &Library, probe: Option<&str>) -> LineMatches {
    let mut fired: Vec<[Vec<Option<Fired>>; 2]> = lib
        .playbooks
        .iter()
        .map(|p| [vec![None; p.signals.len()], vec![None; p.counter.len()]])
        .collect();

    let candidates = candidates(probes, lib);
    for (pr, matches) in probes.iter().zip(candidates) {
        if matches.is_empty() {
            continue;
        }
        // read from the text only when a signal fires on the line
        let mut line_hedged = pr.hedged;
        // the candidates of one signal are adjacent (its patterns are numbered in a run)
        for group in matches.chunk_by(|a, b| lib.owners[*a] == lib.owners[*b]) {
            let (pi, is_counter, si) = lib.owners[group[0]];
            // a signal that has all its cites, unhedged, learns nothing from another line
            if fired[pi][usize::from(is_counter)][si]
                .as_ref()
                .is_some_and(|f| f.factor >= 1.0 && f.cites.len() >= MAX_CITES)
            {
                continue;
            }
            let pb = &lib.playbooks[pi];
            let sig = if is_counter {
                &pb.counter[si]
            } else {
                &pb.signals[si]
            };
            let Matcher::Lines { all, .. } = &sig.matcher else {
                continue;
            };
            // the first non-negated match of a candidate pattern (the others cannot match here)
            let mut positive = false;
            let mut negated = false;
            for &idx in group {
                let Some(r) = lib.set.patterns[idx].get() else {
                    continue;
                };
                for m in r.find_iter(pr.text.as_bytes()) {
                    let (ms, me) = snap(pr.text, m.start(), m.end());
                    if text::negated_at(pr.text, ms, me) {
                        negated = true;
                    } else {
                        positive = true;
                        break;
                    }
                }
                if positive {
                    break;
                }
            }
            if !(positive || negated) || !all.iter().all(|r| r.is_match(pr.text)) {
                continue;
            }
            let hedged = *line_hedged.get_or_insert_with(|| text::is_hedged(pr.text));
            let slot = fired[pi][usize::from(is_counter)][si].get_or_insert_with(Fired::default);
            if positive {
                let factor = if hedged { HEDGE_FACTOR } else { 1.0 };
                slot.factor = slot.factor.max(factor);
                if slot.cites.len() < MAX_CITES {
                    let cite = Evidence {
                        source: probe.map_or(Source::Context, |p| Source::Probe(p.to_string())),
                        text: format!("{}: {}", sig.describe, snippet(pr.text)),
                        line: probe.is_none().then_some(pr.no),
                        weight: 0.0,
                        signal: sig.id.clone(),
                    };
                    if !slot.cites.iter().any(|c| same_cite(c, &cite)) {
                        slot.cites.push(cite);
                    }
                }
                if let Some(p) = probe {
                    slot.probe.get_or_insert_with(|| p.to_string());
                }
            } else if probe.is_none() && negated && slot.negated_line.is_none() && !hedged {
                slot.negated_line = Some(pr.no);
            }
        }
    }
    LineMatches(fired)
}

/// Score and order the playbooks from their fired line signals (and the incident's metrics and
/// changes).
fn order(
    inc: &Incident,
    lib: &Library,
    fired: &mut [[Vec<Option<Fired>>; 2]],
    observed: &[Observed],
) -> Vec<Hypothesis> {
    let onset_key = inc.onset.and_then(|(at, _)| at).map(|m| m.key());
    let onset_line = inc.onset.map(|(_, l)| l);

    let mut scored: Vec<Scored> = Vec::new();
    for (pi, pb) in lib.playbooks.iter().enumerate() {
        for (is_counter, sigs) in [(false, &pb.signals), (true, &pb.counter)] {
            for (si, sig) in sigs.iter().enumerate() {
                match &sig.matcher {
                    Matcher::Lines { .. } => {}
                    Matcher::Metric { name, cond } => {
                        let all = std::iter::once((None, inc)).chain(
                            observed
                                .iter()
                                .map(|o| (Some(o.probe.as_str()), &o.incident)),
                        );
                        for (probe, src, m) in
                            all.flat_map(|(p, i)| i.metrics.iter().map(move |m| (p, i, m)))
                        {
                            if m.normal || !name.is_match(&m.name) {
                                continue;
                            }
                            let ok = if cond.saturated == Some(true) {
                                m.saturated()
                            } else if let Some(a) = cond.above {
                                m.value > a
                            } else if let Some(r) = cond.rises {
                                m.change_factor().is_some_and(|f| f >= r)
                            } else if let Some(d) = cond.drops {
                                m.change_factor().is_some_and(|f| f <= d)
                            } else {
                                false
                            };
                            if !ok {
                                continue;
                            }
                            let hedged =
                                probe.is_none() && src.line(m.line).is_some_and(|l| l.hedged);
                            let slot = fired[pi][usize::from(is_counter)][si]
                                .get_or_insert_with(Fired::default);
                            slot.factor = slot.factor.max(if hedged { HEDGE_FACTOR } else { 1.0 });
                            let line_text = src
                                .line(m.line)
                                .map(|l| snippet(&l.text))
                                .unwrap_or_default();
                            let cite = Evidence {
                                source: probe
                                    .map_or(Source::Context, |p| Source::Probe(p.to_string())),
                                text: format!("{}: {}", sig.describe, line_text),
                                line: probe.is_none().then_some(m.line),
                                weight: 0.0,
                                signal: sig.id.clone(),
                            };
                            if let Some(p) = probe {
                                slot.probe.get_or_insert_with(|| p.to_string());
                            }
                            if slot.cites.len() < MAX_CITES + 2
                                && !slot.cites.iter().any(|c| same_cite(c, &cite))
                            {
                                slot.cites.push(cite);
                            }
                        }
                    }
                    Matcher::Change {
                        kinds,
                        within_min,
                        text: tre,
                    } => {
                        for c in &inc.changes {
                            if c.kinds.contains(&ChangeKind::Rollback)
                                && !kinds.contains(&ChangeKind::Rollback)
                            {
                                continue;
                            }
                            if !c.kinds.iter().any(|k| kinds.contains(k)) {
                                continue;
                            }
                            if let Some(t) = tre
                                && !t.is_match(&c.text)
                            {
                                continue;
                            }
                            if !change_before_onset(c, onset_key, onset_line, *within_min) {
                                continue;
                            }
                            let slot = fired[pi][usize::from(is_counter)][si]
                                .get_or_insert_with(Fired::default);
                            slot.factor = 1.0;
                            if slot.cites.len() < MAX_CITES {
                                slot.cites.push(Evidence {
                                    source: Source::Context,
                                    text: format!("{}: {}", sig.describe, snippet(&c.text)),
                                    line: Some(c.line),
                                    weight: 0.0,
                                    signal: sig.id.clone(),
                                });
                            }
                        }
                    }
                }
            }
        }
        scored.push(score(pi, pb, &fired[pi], inc, onset_key, onset_line));
    }

    let mut hyps: Vec<(Scored, &Playbook)> = scored
        .into_iter()
        .filter(|s| s.positive > 0.0 && s.raw >= MIN_RAW)
        .map(|s| {
            let pb = &lib.playbooks[s.pb];
            (s, pb)
        })
        .collect();
    hyps.sort_by(|a, b| {
        b.0.raw
            .total_cmp(&a.0.raw)
            .then_with(|| a.1.spec.id.cmp(&b.1.spec.id))
    });

    let second_raw = hyps.get(1).map(|h| h.0.raw).unwrap_or(0.0);
    let vars = vars_for(inc, None);
    hyps.into_iter()
        .enumerate()
        .map(|(rank, (s, pb))| {
            let mut confidence =
                if s.decisive && s.sources >= 2 && s.counter_total < 0.3 * s.positive {
                    Confidence::High
                } else if s.decisive || s.raw >= 4.0 {
                    Confidence::Medium
                } else {
                    Confidence::Low
                };
            if rank == 0 && confidence == Confidence::High && second_raw > 0.9 * s.raw {
                confidence = Confidence::Medium; // contested
            }
            let trigger_change = s.trigger.as_ref().map(|(i, _)| &inc.changes[*i]);
            let mut vars = vars.clone();
            if let Some(c) = trigger_change {
                vars = vars_for(inc, Some(c));
            }
            let trigger = s.trigger.as_ref().map(|(_, t)| t.clone());
            let title = if pb.spec.generic {
                match trigger_change {
                    Some(c) => format!("{}: {}", pb.spec.title, change_label(c)),
                    None => pb.spec.title.clone(),
                }
            } else {
                pb.spec.title.clone()
            };
            let mut summary = pb.spec.summary.trim().to_string();
            if let Some(t) = &trigger {
                summary.push_str(&format!(" Likely set off by {t}."));
            }
            Hypothesis {
                id: pb.spec.id.clone(),
                title,
                summary,
                confidence,
                score: score_of(s.raw),
                raw: s.raw,
                status: s.status,
                trigger,
                generic: pb.spec.generic,
                evidence: s.evidence,
                counter_evidence: s.counter,
                mitigations: crate::plan::mitigations(pb, &vars),
                vars,
            }
        })
        .map(|mut h| {
            h.score = (h.score * 100.0).round() / 100.0;
            h
        })
        .collect()
}

/// A raw score as the 0..1 score shown (before rounding).
fn score_of(raw: f64) -> f64 {
    (1.0 - (-raw / 6.0).exp()).clamp(0.0, 0.99)
}

/// Past incidents at least this similar count as evidence.
const STRONG_MATCH: f64 = 0.5;
/// The most a past incident adds to a hypothesis's raw score.
const HISTORY_WEIGHT: f64 = 2.5;

/// A strong match with a confirmed root cause raises the hypothesis of that failure mode, citing
/// the match; the hypotheses are then re-ordered. Returns whether any moved.
pub fn corroborate(hyps: &mut [Hypothesis], matches: &[crate::analyze::SimilarMatch]) -> bool {
    let mut raised = false;
    for m in matches {
        let Some(mode) = m.failure_mode.as_deref() else {
            continue;
        };
        if !m.confirmed || m.score < STRONG_MATCH {
            continue;
        }
        let Some(h) = hyps.iter_mut().find(|h| h.id == mode) else {
            continue;
        };
        if h.evidence
            .iter()
            .any(|e| matches!(&e.source, Source::Similar(_)))
        {
            continue; // one past incident per hypothesis is enough
        }
        let w = HISTORY_WEIGHT * m.score;
        h.raw += w;
        h.score = (score_of(h.raw) * 100.0).round() / 100.0;
        if h.confidence == Confidence::Low {
            h.confidence = Confidence::Medium;
        }
        h.evidence.insert(
            0,
            Evidence {
                source: Source::Similar(m.id.clone()),
                text: match &m.resolution {
                    Some(fix) => format!(
                        "past incident {} ({:.0}% similar) had this root cause: {}; resolved by: {fix}",
                        m.id,
                        m.score * 100.0,
                        m.root_cause.as_deref().unwrap_or_default()
                    ),
                    None => format!(
                        "past incident {} ({:.0}% similar) had this root cause: {}",
                        m.id,
                        m.score * 100.0,
                        m.root_cause.as_deref().unwrap_or_default()
                    ),
                },
                line: None,
                weight: (w * 100.0).round() / 100.0,
                signal: "similar-incident".into(),
            },
        );
        raised = true;
    }
    if raised {
        hyps.sort_by(|a, b| b.raw.total_cmp(&a.raw).then_with(|| a.id.cmp(&b.id)));
    }
    raised
}

/// For each text unit, the set patterns that may match it. The pattern set runs once over the
/// whole text (not once per line, which costs a search start per line and automaton); each
/// pattern that matched somewhere then finds its lines. Every line a match touches is a candidate,
/// and the caller confirms each one on the line alone, so this is exactly the per-line result.
fn candidates(probes: &[Probe<'_>], lib: &Library) -> Vec<Vec<usize>> {
    let mut text = Vec::with_capacity(probes.iter().map(|p| p.text.len() + 1).sum());
    let mut starts = Vec::with_capacity(probes.len());
    for p in probes {
        starts.push(text.len());
        text.extend_from_slice(p.text.as_bytes());
        text.push(b'\n');
    }
    lib.set.candidates(&text, &starts)
}

/// Widen a byte span to char boundaries.
fn snap(t: &str, mut s: usize, mut e: usize) -> (usize, usize) {
    while s > 0 && !t.is_char_boundary(s) {
        s -= 1;
    }
    while e < t.len() && !t.is_char_boundary(e) {
        e += 1;
    }
    (s, e.min(t.len()))
}

fn change_before_onset(
    c: &crate::model::Change,
    onset_key: Option<i64>,
    onset_line: Option<usize>,
    within: Option<i64>,
) -> bool {
    before_onset(c.at.map(|m| m.key()), c.line, onset_key, onset_line, within)
}

fn before_onset(
    at: Option<i64>,
    line: usize,
    onset_key: Option<i64>,
    onset_line: Option<usize>,
    within: Option<i64>,
) -> bool {
    let within_s = within.unwrap_or(7 * 1440) * 60;
    match (at, onset_key) {
        // a change may be noted a few minutes after the first symptom was seen
        (Some(a), Some(o)) => a <= o && o - a <= within_s,
        (None, _) | (_, None) => onset_line.is_none_or(|ol| line <= ol + 3) || onset_line.is_none(),
    }
}

fn score(
    pi: usize,
    pb: &Playbook,
    fired: &[Vec<Option<Fired>>; 2],
    inc: &Incident,
    onset_key: Option<i64>,
    onset_line: Option<usize>,
) -> Scored {
    let mut positive = 0.0;
    let mut symptoms = 0.0;
    let mut counter_total = 0.0;
    let mut decisive = false;
    let mut evidence = Vec::new();
    let mut counter = Vec::new();
    let mut kinds_of_source: Vec<&'static str> = Vec::new();
    let mut lines_used: Vec<usize> = Vec::new();
    // what the probes saw, for the status
    let mut probe_decisive = false;
    let mut probe_support = 0.0;
    let mut probe_counter = 0.0;
    for (si, f) in fired[0].iter().enumerate() {
        let Some(f) = f else { continue };
        let sig: &Signal = &pb.signals[si];
        if f.factor > 0.0 {
            let probed = f.probe.is_some();
            let w = sig.weight * if probed { PROBE_FACTOR } else { f.factor };
            if sig.symptom {
                symptoms += w;
            } else {
                positive += w;
                if sig.decisive && f.factor >= 1.0 {
                    decisive = true;
                }
                if probed {
                    probe_support += w;
                    probe_decisive |= sig.decisive;
                    if !kinds_of_source.contains(&"probe") {
                        kinds_of_source.push("probe");
                    }
                }
                let kind = match sig.matcher {
                    Matcher::Lines { .. } => "lines",
                    Matcher::Metric { .. } => "metric",
                    Matcher::Change { .. } => "change",
                };
                if f.factor >= 1.0 {
                    if kind != "lines" {
                        if !kinds_of_source.contains(&kind) {
                            kinds_of_source.push(kind);
                        }
                    } else if let Some(l) = f.cites.first().and_then(|c| c.line)
                        && !lines_used.contains(&l)
                    {
                        lines_used.push(l);
                    }
                }
            }
            for mut c in f.cites.clone() {
                c.weight = (w * 100.0).round() / 100.0;
                evidence.push(c);
            }
        }
        if sig.decisive
            && let Some(l) = f.negated_line
            && f.factor == 0.0
        {
            let w = sig.weight * 0.5;
            counter_total += w;
            let t = inc.line(l).map(|x| snippet(&x.text)).unwrap_or_default();
            counter.push(Evidence {
                source: Source::Context,
                text: format!("stated as absent or normal: {t}"),
                line: Some(l),
                weight: (w * 100.0).round() / 100.0,
                signal: sig.id.clone(),
            });
        }
    }
    for (si, f) in fired[1].iter().enumerate() {
        let Some(f) = f else { continue };
        if f.factor == 0.0 {
            continue;
        }
        let sig = &pb.counter[si];
        let w = sig.weight
            * if f.probe.is_some() {
                PROBE_FACTOR
            } else {
                f.factor
            };
        counter_total += w;
        if f.probe.is_some() {
            probe_counter += w;
        }
        for mut c in f.cites.clone() {
            c.weight = (w * 100.0).round() / 100.0;
            counter.push(c);
        }
    }
    let sources = lines_used.len().min(2) + kinds_of_source.len();
    let symptom_part = if positive > 0.0 {
        symptoms.min(SYMPTOM_CAP)
    } else {
        0.0
    };
    let trigger = find_trigger(pb, inc, onset_key, onset_line);
    let trigger_bonus = if trigger.is_some() && positive > 0.0 {
        0.3
    } else {
        0.0
    };
    let raw = positive + symptom_part + trigger_bonus - counter_total;
    evidence.sort_by(|a: &Evidence, b: &Evidence| {
        b.weight.total_cmp(&a.weight).then(a.line.cmp(&b.line))
    });
    counter.sort_by(|a: &Evidence, b: &Evidence| {
        b.weight.total_cmp(&a.weight).then(a.line.cmp(&b.line))
    });
    let status = if probe_decisive && probe_counter < probe_support {
        Status::Confirmed
    } else if probe_counter >= REFUTE_AT && probe_counter >= probe_support {
        Status::Refuted
    } else {
        Status::Unconfirmed
    };
    Scored {
        pb: pi,
        raw,
        positive,
        counter_total,
        decisive,
        sources,
        evidence,
        counter,
        trigger,
        status,
    }
}

/// The closest change before onset whose kind can set this mechanism off.
fn find_trigger(
    pb: &Playbook,
    inc: &Incident,
    onset_key: Option<i64>,
    onset_line: Option<usize>,
) -> Option<(usize, String)> {
    if pb.triggers.is_empty() {
        return None;
    }
    let mut best: Option<(usize, i64)> = None;
    for (i, c) in inc.changes.iter().enumerate() {
        if c.kinds.contains(&ChangeKind::Rollback)
            || !c.kinds.iter().any(|k| pb.triggers.contains(k))
        {
            continue;
        }
        if !change_before_onset(c, onset_key, onset_line, Some(2 * 1440)) {
            continue;
        }
        // closeness: minutes before onset when known, else distance in lines
        let dist = match (c.at.map(|m| m.key()), onset_key) {
            (Some(a), Some(o)) => (o - a).abs(),
            _ => (onset_line.unwrap_or(c.line) as i64 - c.line as i64).abs() * 60 + 1_000_000,
        };
        // a change that names what shipped beats a nearby one that only mentions it
        let dist = if c.version.is_some() || c.service.is_some() {
            dist - 900
        } else {
            dist
        };
        if best.is_none_or(|(_, d)| dist < d) {
            best = Some((i, dist));
        }
    }
    let (i, _) = best?;
    let c = &inc.changes[i];
    let mut t = change_label(c);
    if let Some(at) = c.at {
        t.push_str(&format!(" at {}", crate::ingest::time::short(&at, false)));
        if let (Some(o), Some(a)) = (onset_key, Some(at.key())) {
            let secs = o - a;
            // under a minute apart: the seconds, not "0 min"
            let apart = if secs.abs() < 60 {
                format!("{} s", secs.abs())
            } else {
                span(secs.abs() / 60)
            };
            if secs >= 0 {
                t.push_str(&format!(" ({apart} before onset)"));
            } else {
                t.push_str(&format!(" ({apart} after the first symptom)"));
            }
        }
    } else {
        t.push_str(&format!(" (line {})", c.line));
    }
    Some((i, t))
}

/// A span of minutes as a person says it: "12 min", "3 h 05 min", "2 days".
fn span(mins: i64) -> String {
    match mins {
        ..120 => format!("{mins} min"),
        120..2880 => format!("{} h {:02} min", mins / 60, mins % 60),
        _ => format!("{} days", mins / 1440),
    }
}

/// "deploy + cron payment-svc v2.41".
pub fn change_label(c: &crate::model::Change) -> String {
    let kinds: Vec<&str> = c
        .kinds
        .iter()
        .filter(|k| **k != ChangeKind::Rollback)
        .map(|k| k.as_str())
        .collect();
    let mut t = if kinds.is_empty() {
        "change".to_string()
    } else {
        kinds.join(" + ")
    };
    match (&c.service, &c.version) {
        (Some(s), Some(v)) => t.push_str(&format!(" {s} {v}")),
        (None, Some(v)) => t.push_str(&format!(" {v}")),
        (Some(s), None) => t.push_str(&format!(" {s}")),
        (None, None) => match change_ref(&c.text).or_else(|| deleted_object(&c.text)) {
            Some(r) => t.push_str(&format!(" {r}")),
            None => {
                t.push_str(&format!(
                    ": {}",
                    crate::ingest::change::clause(&c.text, &c.kinds)
                ));
            }
        },
    }
    t
}

static CHANGE_REF: std::sync::LazyLock<crate::re::Re> = std::sync::LazyLock::new(|| {
    crate::re::compile(r"\b([A-Z][A-Z0-9]{1,9}(?:-[A-Z][A-Z0-9]{0,9})*-\d{1,7}|(?:PR|MR|pr|mr) ?#?\d{1,7}|[\w.-]+#\d{1,7}|rev(?:ision)? ?\d{1,7}|r\d{3,7})\b").expect("valid")
});

static DELETED: std::sync::LazyLock<crate::re::Re> = std::sync::LazyLock::new(|| {
    crate::re::compile(r#"(?i)\b(?:delete[ds]?|drop(?:ped)?|truncate[ds]?|removed?|destroy(?:ed)?)\s+(?:the\s+)?(namespace|ns|deployment|statefulset|pvc|bucket|database|table|index|cluster|volume|topic|queue|stack)\s+[`'"]?([\w.-]+)|"resource"\s*:\s*"(\w+)"\s*,\s*"name"\s*:\s*"([\w.-]+)""#).expect("valid")
});

/// What a deletion removed, when the line names it: `namespace billing`.
fn deleted_object(text: &str) -> Option<String> {
    let c = DELETED.captures(text)?;
    let kind = c.get(1).or_else(|| c.get(3))?.as_str();
    let name = c.get(2).or_else(|| c.get(4))?.as_str();
    Some(format!("{kind} {name}"))
}

/// A change's reference (ticket, PR, revision) when the line names one: `CFG-2231`, `api#412`.
fn change_ref(text: &str) -> Option<String> {
    // a ticket-style id (CFG-2231) names the change better than a revision number
    let all: Vec<&str> = CHANGE_REF.find_iter(text).map(|m| m.as_str()).collect();
    all.iter()
        .find(|r| r.contains('-') && r.chars().next().is_some_and(|c| c.is_ascii_uppercase()))
        .or(all.first())
        .map(|s| (*s).to_string())
}

/// Template values from the incident (and the trigger change, when known).
pub fn vars_for(inc: &Incident, trigger: Option<&crate::model::Change>) -> Vars {
    let mut v = Vars::default();
    let e = &inc.entities;
    if let Some(c) = trigger {
        if let Some(s) = &c.service {
            v.offer("service", s);
            v.offer("deployment", s);
        }
        if let Some(ver) = &c.version {
            v.offer("version", ver);
        }
        if let Some(p) = &c.previous_version {
            v.offer("previous_version", p);
        }
    }
    for s in e.services.iter().take(3) {
        v.offer("service", s);
        v.offer("deployment", s);
    }
    if let Some(s) = v.get("service").map(str::to_string) {
        v.offer("selector", &format!("app={s}"));
    }
    for c in &inc.changes {
        if let Some(ver) = &c.version {
            v.offer("version", ver);
        }
        if let Some(p) = &c.previous_version {
            v.offer("previous_version", p);
        }
    }
    for (var, list) in [
        ("namespace", &e.namespaces),
        ("pod", &e.pods),
        ("node", &e.nodes),
        ("host", &e.hosts),
        ("unit", &e.units),
        ("container", &e.containers),
        ("table", &e.tables),
        ("column", &e.columns),
        ("database", &e.databases),
        ("job", &e.jobs),
        ("pid", &e.pids),
    ] {
        for x in list.iter().take(3) {
            v.offer(var, x);
        }
    }
    v.offer("since", "1h");
    v
}

/// Compile this module's fixed patterns now (see [`crate::warm`]).
pub(crate) fn warm() {
    std::sync::LazyLock::force(&CHANGE_REF);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hyp(id: &str, raw: f64) -> Hypothesis {
        Hypothesis {
            id: id.into(),
            title: id.into(),
            summary: String::new(),
            confidence: Confidence::Low,
            score: score_of(raw),
            raw,
            status: Status::Unconfirmed,
            trigger: None,
            generic: false,
            evidence: Vec::new(),
            counter_evidence: Vec::new(),
            mitigations: Vec::new(),
            vars: Default::default(),
        }
    }

    fn past(mode: &str, score: f64, confirmed: bool) -> crate::analyze::SimilarMatch {
        crate::analyze::SimilarMatch {
            id: "INC-0814".into(),
            title: "t".into(),
            score,
            root_cause: Some("the cron job held connections".into()),
            resolution: Some("rolled back the deploy".into()),
            failure_mode: Some(mode.into()),
            confirmed,
            why: String::new(),
        }
    }

    #[test]
    fn a_confirmed_past_root_cause_raises_its_hypothesis() {
        let mut h = vec![
            hyp("cpu-saturation", 3.0),
            hyp("db-connection-pool-exhaustion", 2.5),
        ];
        assert!(!corroborate(
            &mut h,
            &[past("db-connection-pool-exhaustion", 0.8, false)]
        ));
        assert!(!corroborate(
            &mut h,
            &[past("db-connection-pool-exhaustion", 0.3, true)]
        ));
        assert_eq!(h[0].id, "cpu-saturation");
        assert!(corroborate(
            &mut h,
            &[past("db-connection-pool-exhaustion", 0.8, true)]
        ));
        assert_eq!(h[0].id, "db-connection-pool-exhaustion");
        assert_eq!(h[0].evidence[0].source, Source::Similar("INC-0814".into()));
        assert!(h[0].evidence[0].text.contains("cron job held connections"));
        assert_eq!(h[0].confidence, Confidence::Medium);
        // the same past incident is cited once
        assert!(!corroborate(
            &mut h,
            &[past("db-connection-pool-exhaustion", 0.8, true)]
        ));
    }

    #[test]
    fn change_labels_name_what_changed() {
        assert_eq!(
            deleted_object("I ran `kubectl delete namespace billing` by mistake").as_deref(),
            Some("namespace billing")
        );
        assert_eq!(
            deleted_object(
                r#"{"verb":"delete","objectRef":{"resource":"namespaces","name":"billing"}}"#
            )
            .as_deref(),
            Some("namespaces billing")
        );
        assert_eq!(
            change_ref("change NET-CHG-5518: moved").as_deref(),
            Some("NET-CHG-5518")
        );
        assert_eq!(span(12), "12 min");
        assert_eq!(span(1347), "22 h 27 min");
        assert_eq!(span(4000), "2 days");
    }

    /// The whole-text candidate search finds at least every pattern that matches a line alone.
    #[test]
    fn lines_matched_in_parts_rank_the_same() {
        let lib = Library::builtin().expect("playbooks");
        // a signal seen on many lines: it has all its cites before a cut, and again after it
        let mut spam = String::from("13:50 UTC deploy payment-svc v2.41 (cron */30 * * * *)\n");
        for i in 0..40 {
            spam.push_str(&format!(
                "14:{:02}:{:02} worker-{i} FATAL: sorry, too many clients already\n\
                 14:{:02}:{:02} maybe the pool is exhausted? active_connections: 500 / 500\n",
                i % 60,
                i % 59,
                i % 60,
                i % 58
            ));
        }
        for text in [
            include_str!("../../fixtures/incidents/000-checkout-sync-db-call.txt"),
            include_str!("../../fixtures/incidents/001-payment-pool-cron.txt"),
            include_str!("../../fixtures/incidents/002-purge-lock-restart-loop.txt"),
            spam.as_str(),
        ] {
            let masked = crate::ingest::Masked::new(text);
            let inc = crate::ingest::parse_masked(&masked, &Default::default());
            let whole = format!("{:?}", rank(&inc, &lib));
            let lines = masked.lines();
            for cut in [1, lines.len() / 3, lines.len() / 2, lines.len() - 1] {
                let (a, b) = lines.split_at(cut);
                let mut m = match_lines(a, 1, &lib);
                m.then(match_lines(b, cut + 1, &lib));
                let parts = format!("{:?}", rank_with(&inc, &lib, Some(m), &[]));
                assert_eq!(whole, parts, "cut at line {cut}");
            }
        }
    }

    #[test]
    fn candidates_cover_per_line_matches() {
        let lib = Library::builtin().expect("playbooks");
        for text in [
            include_str!("../../fixtures/incidents/000-checkout-sync-db-call.txt"),
            include_str!("../../fixtures/incidents/001-payment-pool-cron.txt"),
            include_str!("../../fixtures/incidents/002-purge-lock-restart-loop.txt"),
            include_str!("../../fixtures/incidents/019-relay-too-many-open-files.txt"),
        ] {
            let inc = crate::ingest::parse(text, &Default::default());
            let probes = line_probes(&inc);
            let cands = candidates(&probes, &lib);
            let mut total = 0;
            for (p, c) in probes.iter().zip(&cands) {
                for idx in lib.set.matches(p.text.as_bytes()) {
                    total += 1;
                    assert!(
                        c.contains(&idx),
                        "line {}: pattern {} missed",
                        p.no,
                        lib.set.patterns[idx].pattern
                    );
                }
            }
            assert!(total > 10, "the fixture should match some patterns");
        }
    }
}
