//! Stage 1, ingest: raw paste text -> [`Incident`]. Pure: no clock, no environment, no files.
//!
//! Extracts per line: the time it states, whether it only speculates, error signatures, metric
//! observations and changes; across lines: pasted command output (see [`blocks`]), entities, the
//! onset (the first symptom, never a change in load), and the timeline. Never fails: lines it does
//! not understand are kept as they are. Credentials are masked before anything else (see [`redact`]).

pub mod blocks;
pub mod change;
pub mod entity;
pub mod metric;
pub mod redact;
pub mod signature;
pub mod text;
pub mod time;

use crate::model::{Change, ChangeKind, Incident, Line, Signature, TimelineEntry};
use crate::re::Re;
use std::collections::BTreeMap;
use std::sync::LazyLock;
use time::{Moment, TimeSettings};

/// Lines longer than this are cut for analysis (the raw text is kept whole elsewhere).
pub const MAX_LINE: usize = 8 * 1024;

/// Settings that change how text is read.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// How dates and zones are read.
    pub time: TimeSettings,
}

static LOAD_ONLY: LazyLock<crate::re::Light> = LazyLock::new(|| {
    crate::re::light(r"(?i)\b(traffic|req/s|rps|qps|requests per|load (rose|climbed|increased|grew|spike)|rate (rose|climbed|jumped)|surge|volume|throughput|tasks?/min|events?/s)\b|\d[\d.,]*\s?[km]?\s?/\s?(min|minute|sec|second|hour)\b").expect("valid")
});
static SYMPTOM: LazyLock<crate::re::Light> = LazyLock::new(|| {
    crate::re::light(r"(?i)\b(error|errors|fail(ed|ing|ure|s)?|fatal|crit(ical)?|alert(ed|ing)?|firing|paged?|pager|down|outage|unavailable|latency|slow|timeout|timed out|timing out|5xx|http 5\d\d|degraded|crash\w*|restart(ed|ing|s)?|oom\w*|killed|unhealthy|saturat\w*|pegged|exhaust\w*|refused|stall(ed|s)?|hang(ing|s)?|spik(e|ed|ing)|cpu|backlog|lag|not ready|notready|evicted|panic\w*|exception|pagerduty|opsgenie|return(s|ed|ing)? (an? )?5\d\d|5\d\ds?( errors?| responses?| for)|(cannot|can't|could not|couldn't|unable to) (write|read|connect|reach|acquire|allocate|open|resolve|flush|commit|get a connection)|(lock|database|db) (is )?(busy|locked))\b").expect("valid")
});
/// Alert names that say what is wrong: `BillingApiDown`, `CheckoutLatencyHigh`.
static ALERT_NAME: LazyLock<crate::re::Light> = LazyLock::new(|| {
    crate::re::light(r"[a-z](Down|Failing|Failed|Errors?|ErrorRate|High|Latency|Unavailable|Unhealthy|Critical|Slow|Lag|Full)\b").expect("valid")
});
/// "42 min after v3.8.0 rolled out": the change came that long before the line's time.
static AFTER: LazyLock<Re> = LazyLock::new(|| {
    crate::re::compile(r"(?i)\b(\d{1,4})\s*(m|mins?|minutes?|h|hrs?|hours?)\s+after\b")
        .expect("valid")
});

/// The line's time less what it says passed since the change it names, if it says so.
fn before_by(at: Moment, text: &str) -> Option<Moment> {
    let c = AFTER.captures(text)?;
    let n: i64 = c[1].parse().ok()?;
    let unit = if c[2].starts_with(['h', 'H']) {
        3600
    } else {
        60
    };
    let secs = n * unit;
    match at {
        Moment::At(ts) => Some(Moment::At(
            jiff::Timestamp::from_second(ts.as_second() - secs).ok()?,
        )),
        Moment::TimeOfDay { day, secs: s } => {
            let key = i64::from(day) * 86_400 + i64::from(s) - secs;
            (key >= 0).then(|| Moment::TimeOfDay {
                day: u16::try_from(key / 86_400).unwrap_or(0),
                secs: u32::try_from(key % 86_400).unwrap_or(0),
            })
        }
    }
}

/// "~22h later": what a line says followed its own time.
static LATER: LazyLock<crate::re::Light> = LazyLock::new(|| {
    crate::re::light(r"(?i)\b\d+(\.\d+)?\s*(s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|weeks?)\s+(later|afterwards)\b").expect("valid")
});
static ACTOR: LazyLock<Re> = LazyLock::new(|| {
    crate::re::compile(r"^[\s\-*•>|]*(?:\[([A-Za-z][\w.@-]{0,30})\]|@([A-Za-z][\w.-]{0,30})\b|([A-Za-z][\w.-]{0,20}(?: [A-Z][a-z]+)?):\s|<([A-Za-z][\w.-]{0,30})>)").expect("valid")
});
static TITLE_PREFIX: LazyLock<Re> = LazyLock::new(|| {
    crate::re::compile(
        r"(?i)^[#*=\-\s>]*(incident|title|subject|summary|inc-\d+|sev\d)\s*[:\-—]\s*",
    )
    .expect("valid")
});

/// Parse a paste.
pub fn parse(raw: &str, settings: &Settings) -> Incident {
    parse_masked(&Masked::new(raw), settings)
}

/// A paste with its credentials masked: what every reader sees.
#[derive(Debug, Default)]
pub struct Masked {
    text: String,
    redactions: usize,
}

impl Masked {
    /// The masked text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The masked text, owned.
    pub fn into_text(self) -> String {
        self.text
    }

    /// Mask the credentials in a paste (see [`redact`]).
    pub fn new(raw: &str) -> Masked {
        let (text, redactions) = redact::redact(raw);
        Masked { text, redactions }
    }

    /// Its lines, as [`parse`] numbers them (from 1) and reads them: no line break, cut at
    /// [`MAX_LINE`]; a trailing newline does not make a line.
    pub fn lines(&self) -> Vec<&str> {
        let mut lines: Vec<&str> = self
            .text
            .split('\n')
            .map(|l| cut(l.strip_suffix('\r').unwrap_or(l), MAX_LINE))
            .collect();
        if self.text.ends_with('\n') {
            lines.pop();
        }
        lines
    }
}

/// [`parse`] of a paste already masked.
pub fn parse_masked(masked: &Masked, settings: &Settings) -> Incident {
    let lines_cut = masked.lines();
    let redactions = masked.redactions;
    let resolved = time::resolve(&lines_cut, &settings.time);
    let read = blocks::read(&lines_cut);

    let repeated = repeated_shapes(&lines_cut);
    let hedged_lines = text::hedged_lines(&lines_cut);
    let mut inc = Incident {
        redactions,
        anchor_date: resolved.anchor_date,
        ..Incident::default()
    };
    let mut sigs: BTreeMap<(crate::model::Family, &'static str), Signature> = BTreeMap::new();
    // inside a list under a "deploys:" / "recent changes:" heading
    let mut listing = false;
    for (i, text) in lines_cut.iter().enumerate() {
        let no = i + 1;
        let at = if read.rows.binary_search(&no).is_ok() {
            None
        } else {
            resolved.per_line.get(i).copied().flatten()
        };
        // a wrapped line keeps the hedging of the sentence it continues
        let hedged = hedged_lines[i]
            || (i > 0
                && inc.lines.last().is_some_and(|l| l.hedged)
                && text::continues(lines_cut[i - 1], text));
        inc.lines.push(Line {
            no,
            text: (*text).to_string(),
            at,
            hedged,
        });
        if text.trim().is_empty() {
            listing = false;
            continue;
        }
        let (hits, count) = signature::scan(text);
        for (family, name) in hits {
            let s = sigs.entry((family, name)).or_insert_with(|| Signature {
                family,
                name: name.to_string(),
                lines: Vec::new(),
                count: None,
            });
            if s.lines.len() < 50 {
                s.lines.push(no);
            }
            if let Some(c) = count {
                s.count = Some(s.count.unwrap_or(0).max(c));
            }
        }
        // a line of a shape already seen many times (log spam) adds no new metric series,
        // change or name; skipping them keeps large pastes linear and cheap
        if repeated[i] {
            continue;
        }
        inc.metrics
            .extend(metric::extract(text, no, resolved.stamps(i)));
        if change::is_heading(text) {
            listing = true;
            continue;
        }
        let found = if hedged {
            None
        } else {
            change::scan(text).or_else(|| listing.then(|| change::listed(text)).flatten())
        };
        listing &= text.starts_with([' ', '\t', '-', '*']);
        if let Some(f) = found {
            inc.changes.push(Change {
                kinds: f.kinds,
                at: at
                    .and_then(|_| resolved.stated_at(i, text))
                    .or_else(|| at.and_then(|a| before_by(a, text)))
                    .or(at),
                service: f.service,
                version: f.version,
                previous_version: f.previous,
                line: no,
                text: text.trim().to_string(),
            });
        }
    }
    merge_change_continuations(&mut inc.changes, &lines_cut);
    inc.signatures = sigs.into_values().collect();

    inc.facts = read.facts;
    inc.metrics.extend(read.metrics);
    inc.metrics.sort_by_key(|m| m.line);
    inc.blocks = read.blocks;

    let change_services: Vec<String> = inc
        .changes
        .iter()
        .filter(|c| !c.kinds.contains(&ChangeKind::Rollback))
        .filter_map(|c| c.service.clone())
        .collect();
    inc.entities = entity::extract(&lines_cut, &change_services, &repeated);

    inc.onset = onset(&inc, &resolved);
    inc.timeline = timeline(&inc, &resolved, &repeated);
    inc.title = title(&lines_cut);
    inc
}

/// How many lines of one shape are read in full; later ones only count for signatures.
pub const SHAPE_REPEATS: u32 = 5;

/// For each line: has a line of the same shape (digits dropped, first 160 bytes) already been
/// seen [`SHAPE_REPEATS`] times?
fn repeated_shapes(lines: &[&str]) -> Vec<bool> {
    let mut seen: std::collections::HashMap<Vec<u8>, u32> = std::collections::HashMap::new();
    lines
        .iter()
        .map(|l| {
            let key: Vec<u8> = l
                .bytes()
                .filter(|b| !b.is_ascii_digit())
                .take(160)
                .collect();
            let n = seen.entry(key).or_insert(0);
            *n += 1;
            *n > SHAPE_REPEATS
        })
        .collect()
}

/// A line right after a deploy that describes it ("changelog: adds a cron job") adds its kinds.
fn merge_change_continuations(changes: &mut Vec<Change>, lines: &[&str]) {
    let mut i = 1;
    while i < changes.len() {
        let (prev, cur) = (&changes[i - 1], &changes[i]);
        // not across a paragraph break
        let blank_between =
            (prev.line..cur.line - 1).any(|n| lines.get(n).is_some_and(|l| l.trim().is_empty()));
        let adjacent = cur.line <= prev.line + 2
            && !blank_between
            && cur.at.is_none()
            && prev.kinds.contains(&ChangeKind::Deploy);
        if adjacent {
            let cur = changes.remove(i);
            let prev = &mut changes[i - 1];
            for k in cur.kinds {
                if !prev.kinds.contains(&k) && k != ChangeKind::Rollback {
                    prev.kinds.push(k);
                }
            }
            prev.text = format!("{} / {}", prev.text, cur.text);
            continue;
        }
        i += 1;
    }
}

/// Is this line a symptom (errors, latency, saturation, restarts), not a change or a load figure?
pub fn is_symptom_line(inc: &Incident, line: &Line) -> bool {
    if line.hedged || line.text.trim().is_empty() {
        return false;
    }
    // a change line's time is the change's, even when it mentions what followed
    // ("v7.2.0 ... (first OOM kill ~22h later)")
    if inc.changes.iter().any(|c| c.line == line.no)
        && (!inc.signatures.iter().any(|s| s.lines.contains(&line.no))
            || LATER.is_match(&line.text))
    {
        return false;
    }
    let t = &line.text;
    if LOAD_ONLY.is_match(t)
        && !inc
            .signatures
            .iter()
            .any(|s| s.lines.contains(&line.no) && !signature::is_symptom(s.family))
    {
        // a load figure: context, not onset, unless it also names a failure
        let sym = SYMPTOM.find_iter(t).any(|m| {
            !matches!(
                m.as_str().to_ascii_lowercase().as_str(),
                "spike" | "spiked" | "spiking" | "cpu"
            )
        });
        if !sym {
            return false;
        }
    }
    // a reading that moved several-fold (`p99 120ms -> 4.8s`) is a symptom even without the word
    let moved = inc
        .metrics
        .iter()
        .skip(inc.metrics.partition_point(|m| m.line < line.no))
        .take_while(|m| m.line == line.no)
        .any(|m| !m.normal && m.change_factor().is_some_and(|f| f >= 2.0));
    if moved && !LOAD_ONLY.is_match(t) {
        return true;
    }
    // "slow query log" is a diagnostic the DB keeps, not a symptom users see
    let named = |m: crate::re::Span<'_>| {
        let rest = t[m.end()..]
            .trim_start_matches([' ', '_'])
            .to_ascii_lowercase();
        let diagnostic = m.as_str().eq_ignore_ascii_case("slow")
            && (rest.starts_with("quer") || rest.starts_with("log"));
        !diagnostic && !text::negated_at(t, m.start(), m.end())
    };
    // an HTTP 5xx status in any of its written forms ("502s since 09:14") is the symptom users see
    let http =
        inc.signatures.iter().any(|s| {
            s.family == crate::model::Family::Http && s.lines.binary_search(&line.no).is_ok()
        }) && status_words(t).any(|(a, b)| !text::negated_at(t, a, b));
    http || SYMPTOM.find_iter(t).any(named)
        || ALERT_NAME
            .find(t)
            .is_some_and(|m| !text::negated_at(t, m.start(), m.end()))
}

/// The spans of the words of `t` that are a 5xx status (`502`, `502s`, `5xx`, `5XXs`).
fn status_words(t: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let b = t.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() {
            let start = i;
            while i < b.len() && b[i].is_ascii_alphanumeric() {
                i += 1;
            }
            let w = &b[start..i];
            i += 1;
            let w = w.strip_suffix(b"s").unwrap_or(w);
            let status = w.len() == 3
                && w[0] == b'5'
                && (w[1..].iter().all(u8::is_ascii_digit) || w[1..].eq_ignore_ascii_case(b"xx"));
            if status {
                return Some((start, start + w.len()));
            }
        }
        None
    })
}

fn onset(inc: &Incident, resolved: &time::Resolved) -> Option<(Option<Moment>, usize)> {
    let mut best: Option<(Moment, usize)> = None;
    let mut first_line: Option<usize> = None;
    for line in &inc.lines {
        // a change line that also reports a symptom: the symptom's time is a later one it
        // states ("deploy v5.2 at 09:10, 502s since 09:14"), not the change's
        let at = match inc.changes.iter().find(|c| c.line == line.no) {
            Some(c) if c.at.is_some() && c.at == line.at => line
                .no
                .checked_sub(1)
                .and_then(|i| resolved.later_at(i, &line.text))
                .or(line.at),
            _ => line.at,
        };
        let earlier = at.filter(|at| best.is_none_or(|(b, _)| at.key() < b.key()));
        // only a line that could change the answer is tested
        if (earlier.is_none() && first_line.is_some()) || !is_symptom_line(inc, line) {
            continue;
        }
        if first_line.is_none() {
            first_line = Some(line.no);
        }
        if let Some(at) = earlier {
            best = Some((at, line.no));
        }
    }
    match best {
        Some((at, no)) => Some((Some(at), no)),
        None => first_line.map(|l| (None, l)),
    }
}

fn timeline(inc: &Incident, resolved: &time::Resolved, repeated: &[bool]) -> Vec<TimelineEntry> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut out = Vec::new();
    for (i, line) in inc.lines.iter().enumerate() {
        let Some(at) = line.at else { continue };
        // log spam of one shape: its first lines are already in
        if repeated.get(i).copied().unwrap_or(false) {
            continue;
        }
        let body = strip_stamp(&line.text, resolved.stamps(i).first().copied());
        if body.is_empty() {
            continue;
        }
        let key: String = body
            .chars()
            .filter(|c| !c.is_ascii_digit())
            .take(80)
            .collect();
        let n = seen.entry(key).or_insert(0);
        *n += 1;
        if *n > 1 {
            continue;
        }
        let actor = ACTOR.captures(&body).and_then(|c| {
            c.get(1)
                .or_else(|| c.get(2))
                .or_else(|| c.get(3))
                .or_else(|| c.get(4))
                .map(|m| m.as_str().to_string())
        });
        out.push(TimelineEntry {
            at,
            actor,
            text: body,
            line: line.no,
        });
        if out.len() >= 200 {
            break;
        }
    }
    out.sort_by_key(|e| (e.at.key(), e.line));
    out
}

/// The line without its leading timestamp and separators.
fn strip_stamp(line: &str, first: Option<(usize, usize)>) -> String {
    let mut s = line;
    if let Some((start, end)) = first
        && line[..start]
            .trim_matches(|c: char| !c.is_alphanumeric())
            .is_empty()
    {
        s = &line[end..];
    }
    s.trim_matches(|c: char| {
        c.is_whitespace() || matches!(c, '-' | '—' | '–' | ':' | '|' | ']' | '*' | '•')
    })
    .chars()
    .take(300)
    .collect()
}

fn title(lines: &[&str]) -> String {
    for l in lines.iter().take(20) {
        let t = TITLE_PREFIX.replace(l.trim(), "");
        let t = t
            .trim()
            .trim_matches(|c: char| matches!(c, '#' | '*' | '=' | '-' | '>'))
            .trim();
        if t.chars().filter(|c| c.is_alphabetic()).count() >= 8 {
            return t.chars().take(120).collect();
        }
    }
    "Untitled incident".to_string()
}

fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Compile this module's fixed patterns now (see [`crate::warm`]).
pub(crate) fn warm() {
    std::sync::LazyLock::force(&TITLE_PREFIX);
    std::sync::LazyLock::force(&ACTOR);
    std::sync::LazyLock::force(&SYMPTOM);
    std::sync::LazyLock::force(&ALERT_NAME);
    std::sync::LazyLock::force(&LOAD_ONLY);
    std::sync::LazyLock::force(&LATER);
    std::sync::LazyLock::force(&AFTER);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn changes(text: &str) -> Vec<(usize, Option<String>, Option<String>)> {
        parse(text, &Settings::default())
            .changes
            .iter()
            .map(|c| {
                let at = c.at.map(|m| time::short(&m, false));
                (c.line, c.version.clone(), at)
            })
            .collect()
    }

    #[test]
    fn change_times_the_line_states() {
        let c = changes(
            "Tue 2026-09-08\nfirst OOMKilled on record: 15:52 UTC, 42 min after v3.8.0 rolled out\n",
        );
        assert_eq!(
            c,
            vec![(2, Some("v3.8.0".into()), Some("15:10 UTC".into()))]
        );
    }

    #[test]
    fn a_list_of_deploys_under_a_heading() {
        let inc = parse(
            "deploys:\n  2026-08-19T16:20Z  feed-api v7.2.0 (first OOM kill ~22h later)\n  2026-08-21T18:05Z  feed-api v7.2.1\n\n2026-08-20T14:47Z OOMKilled again\n",
            &Settings::default(),
        );
        let lines: Vec<usize> = inc.changes.iter().map(|c| c.line).collect();
        assert_eq!(lines, vec![2, 3]);
        // the deploy line's time is the deploy's, not the first OOM kill's
        assert_eq!(inc.onset.map(|(_, l)| l), Some(5));
    }

    #[test]
    fn a_wrapped_guess_is_still_a_guess() {
        let c = changes(
            "2026-02-03 ticket: workers leaking memory? assumed the celery upgrade\n           rolled out Feb 1\n",
        );
        assert!(c.is_empty(), "{c:?}");
    }

    #[test]
    fn a_symptom_stated_on_the_deploy_line_is_the_onset() {
        let inc = parse(
            "orders-api 502s since 09:14 UTC after deploy orders-api v5.2 at 09:10\nerror rate 0.2% -> 9%\n",
            &Settings::default(),
        );
        let (at, line) = inc.onset.expect("an onset");
        assert_eq!(line, 1);
        assert_eq!(at.map(|m| time::short(&m, false)).as_deref(), Some("09:14"));
        let deploy = inc.changes.first().expect("the deploy");
        assert_eq!(
            deploy.at.map(|m| time::short(&m, false)).as_deref(),
            Some("09:10")
        );
        // the other way round: the deploy's time first, the symptom's after it
        let inc = parse(
            "deploy orders-api v5.2 at 09:10, 502s since 09:14\n",
            &Settings::default(),
        );
        let (at, line) = inc.onset.expect("an onset");
        assert_eq!(line, 1);
        assert_eq!(at.map(|m| time::short(&m, false)).as_deref(), Some("09:14"));
        // a status said not to be there is no symptom
        let inc = parse(
            "deploy orders-api v5.2 at 09:10, no 502s since\n09:20 p99 120ms -> 900ms\n",
            &Settings::default(),
        );
        assert_eq!(inc.onset.map(|(_, l)| l), Some(2));
    }

    #[test]
    fn a_rate_of_work_is_load_and_a_stalled_write_is_a_symptom() {
        // a task rate that jumps five-fold is load (context), not the onset; the first write
        // that cannot get through is
        let inc = parse(
            "00:10 Celery task rate jumps 13k/min -> 73k/min (5x)\n\
             03:00 purge run: deleted 1,423,097 rows\n\
             03:06 WARN flush: db lock busy, cannot write batch; pending=212,480\n",
            &Settings::default(),
        );
        let (at, line) = inc.onset.expect("an onset");
        assert_eq!(line, 3);
        assert_eq!(at.map(|m| time::short(&m, false)).as_deref(), Some("03:06"));
        // a rate that names a failure stays a symptom
        let inc = parse(
            "09:00 orders 2k/min -> 9k/min\n09:02 payment errors 3/min -> 400/min\n",
            &Settings::default(),
        );
        assert_eq!(inc.onset.map(|(_, l)| l), Some(2));
        // SQLite's own words
        let inc = parse(
            "note: ok\n11:00 sqlite3.OperationalError: database is locked\n",
            &Settings::default(),
        );
        assert_eq!(inc.onset.map(|(_, l)| l), Some(2));
    }

    #[test]
    fn paragraphs_do_not_merge_changes() {
        let inc = parse(
            "Monday's writer release went out\n\nWe dropped the test workspace's events\n",
            &Settings::default(),
        );
        assert_eq!(inc.changes.len(), 2);
    }
}
