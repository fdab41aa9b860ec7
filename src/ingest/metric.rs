//! Metric observations read from one line: before -> after transitions, saturation ratios
//! (`500 / 500`), multiples of normal (`3.8x normal`) and single readings (`CPU: 35%`), with units
//! normalised (time to ms, sizes to bytes, rates per second or minute). Pure.

use super::text;
use crate::model::Metric;
use crate::re::Re;
use std::sync::LazyLock;

static QTY: LazyLock<Re> = LazyLock::new(|| {
    crate::re::compile(
        r"(?i)(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?P<sp>\s?)(?P<scale>[kKM](?:\b|/))?(?P<unit>[kmgt]i?b\b|bytes?\b|ms\b|µs|us\b|ns\b|secs?\b|seconds?\b|s\b|mins?\b|minutes?\b|hours?\b|h\b|%|x\b|×|req/s\b|rps\b|qps\b|/s\b|/sec\b|/min\b|per sec(?:ond)?\b|per min(?:ute)?\b|req/min\b|rpm\b)?\+?",
    )
    .expect("valid quantity pattern")
});

static ARROW: LazyLock<crate::re::Light> = LazyLock::new(|| {
    crate::re::light(r"(?i)^\s*(?:->|→|=>|⇒|-->|—>|to|baseline to|up to|down to|and now|now)\s*$")
        .expect("valid")
});

/// Words skipped when reading a metric's name backwards from its value.
const FILLER: &[&str] = &[
    "is",
    "are",
    "was",
    "were",
    "at",
    "of",
    "from",
    "jumped",
    "climbed",
    "rose",
    "spiked",
    "went",
    "increased",
    "increasing",
    "dropped",
    "fell",
    "now",
    "to",
    "about",
    "around",
    "approx",
    "approximately",
    "roughly",
    "over",
    "under",
    "up",
    "down",
    "by",
    "hit",
    "hits",
    "reached",
    "reaches",
    "peaked",
    "peak",
    "sitting",
    "sits",
    "stuck",
    "pegged",
    "steady",
    "grew",
    "grows",
    "growing",
    "doubled",
    "tripled",
    "ramped",
    "moved",
    "changed",
    "jumps",
    "climbs",
    "rises",
    "the",
    "a",
    "an",
    "with",
    "and",
    "for",
    "on",
    "in",
    "only",
    "still",
    "already",
    "currently",
    "showing",
    "shows",
    "hovering",
    "max",
    "high",
    "~",
    ">",
    "<",
    ">=",
    "<=",
    "=",
    ":",
    "-",
];

/// Zone words left in front of a reading once its timestamp is skipped (`14:02 UTC p99 ...`).
fn is_zone_word(w: &str) -> bool {
    const ZONES: &[&str] = &[
        "utc", "gmt", "z", "et", "pt", "ct", "cet", "cest", "est", "edt", "pst", "pdt", "cst",
        "cdt",
    ];
    ZONES.iter().any(|z| z.eq_ignore_ascii_case(w))
}

fn is_filler(w: &str) -> bool {
    FILLER.iter().any(|f| f.eq_ignore_ascii_case(w))
}

/// One number found in a line, with its unit normalised.
#[derive(Clone, Copy, Debug)]
struct Qty {
    start: usize,
    end: usize,
    value: f64,
    unit: &'static str,
    /// The number was written with a multiple sign (`3.8x`).
    times: bool,
}

fn parse_num(s: &str) -> Option<f64> {
    s.replace(',', "").parse::<f64>().ok()
}

static DATE_LIKE: LazyLock<crate::re::Light> = LazyLock::new(|| {
    crate::re::light(r"\d{1,4}/\d{1,2}/\d{1,4}|\d{1,4}-\d{1,2}-\d{1,4}").expect("valid")
});

fn quantities(line: &str, skip: &[(usize, usize)]) -> Vec<Qty> {
    let bytes = line.as_bytes();
    let dates: Vec<(usize, usize)> = DATE_LIKE
        .find_iter(line)
        .map(|m| (m.start(), m.end()))
        .collect();
    let mut out = Vec::new();
    for c in QTY.captures_iter(line) {
        let m = c.get(0).expect("group 0");
        let (start, end) = (m.start(), m.end());
        if skip
            .iter()
            .chain(dates.iter())
            .any(|(s, e)| start < *e && end > *s)
        {
            continue;
        }
        // not part of a word, version, IP, hex id, date or path
        let prev = start.checked_sub(1).map(|i| bytes[i]);
        if let Some(p) = prev {
            // after a slash only as the right side of a ratio (`500/500`, `500 / 500`)
            let ratio_right = p == b'/'
                && start >= 2
                && (bytes[start - 2] == b' ' || bytes[start - 2].is_ascii_digit());
            if (p.is_ascii_alphanumeric() || p == b'.' || p == b'_' || p == b'/') && !ratio_right {
                continue;
            }
            if (p == b'v' || p == b'V') && start >= 1 {
                continue;
            }
        }
        let num_str = c.name("num").expect("num").as_str();
        let after = &line[c.name("num").expect("num").end()..];
        if after.starts_with('.') && after[1..].starts_with(|ch: char| ch.is_ascii_digit()) {
            continue; // 1.2.3
        }
        if after.starts_with(':') && after[1..].starts_with(|ch: char| ch.is_ascii_digit()) {
            continue; // times, ports
        }
        if after.starts_with('/') && after[1..].starts_with(|ch: char| ch.is_ascii_digit()) {
            // a ratio's left side is fine, a date (6/2/2026) is not
            let rest = &after[1..];
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            if rest[digits.len()..].starts_with('/') {
                continue;
            }
        }
        if after.starts_with('-') && after[1..].starts_with(|ch: char| ch.is_ascii_alphanumeric()) {
            continue; // ids like 7f9-abc
        }
        let Some(mut value) = parse_num(num_str) else {
            continue;
        };
        let scale = c.name("scale").map(|s| s.as_str().trim_end_matches('/'));
        match scale {
            Some("k" | "K") => value *= 1e3,
            Some("M") => value *= 1e6,
            _ => {}
        }
        let unit_raw = c.name("unit").map(|u| u.as_str().to_ascii_lowercase());
        let rate_after_scale =
            scale.is_some() && line[c.name("scale").expect("scale").end() - 1..].starts_with('/');
        let mut times = false;
        let unit: &'static str = match unit_raw.as_deref() {
            Some("ms") => "ms",
            Some("µs" | "us") => {
                value /= 1000.0;
                "ms"
            }
            Some("ns") => {
                value /= 1e6;
                "ms"
            }
            Some("s" | "sec" | "secs" | "second" | "seconds") => {
                value *= 1000.0;
                "ms"
            }
            Some("min" | "mins" | "minute" | "minutes") if !rate_after_scale => {
                value *= 60_000.0;
                "ms"
            }
            Some("h" | "hour" | "hours") => {
                value *= 3_600_000.0;
                "ms"
            }
            Some("%") => "%",
            Some("x" | "×") => {
                times = true;
                "x"
            }
            Some(u) if u.ends_with('b') || u.starts_with("byte") => {
                let mult = match u.trim_end_matches("ytes").trim_end_matches("yte") {
                    "kb" | "kib" => 1024.0,
                    "mb" | "mib" => 1024.0 * 1024.0,
                    "gb" | "gib" => 1024.0 * 1024.0 * 1024.0,
                    "tb" | "tib" => 1024.0f64.powi(4),
                    _ => 1.0,
                };
                value *= mult;
                "bytes"
            }
            Some("req/s" | "rps" | "qps" | "/s" | "/sec" | "per sec" | "per second") => "per_s",
            Some("/min" | "per min" | "per minute" | "req/min" | "rpm") => "per_min",
            Some(u) if rate_after_scale && u.starts_with("min") => "per_min",
            _ => {
                if rate_after_scale {
                    let tail = &line[c.name("scale").expect("scale").end()..];
                    if tail.starts_with("min") {
                        "per_min"
                    } else {
                        "per_s"
                    }
                } else {
                    "count"
                }
            }
        };
        out.push(Qty {
            start,
            end,
            value,
            unit,
            times,
        });
    }
    out
}

/// The metric name: the last few meaningful words before `pos` in its clause.
fn name_before(line: &str, clause_start: usize, pos: usize) -> String {
    let before = &line[clause_start..pos];
    let mut words: Vec<&str> = before
        .split(|c: char| {
            c.is_whitespace()
                || c == '('
                || c == ')'
                || c == '"'
                || c == '['
                || c == ']'
                || c == '\''
        })
        .filter(|w| !w.is_empty())
        .collect();
    while let Some(w) = words.last() {
        let w2 = w.trim_end_matches([':', '=', ',']);
        if is_filler(w2) || w2.is_empty() || w2.chars().all(|c| !c.is_alphanumeric()) {
            words.pop();
        } else {
            break;
        }
    }
    let take = words.len().saturating_sub(3);
    let name = words[take..]
        .iter()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '_' && c != '.' && c != '-'))
        .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()) && !is_zone_word(w))
        .collect::<Vec<_>>()
        .join(" ");
    name.to_lowercase()
}

/// Every metric observation in one line. `skip` holds byte spans (timestamps) to ignore.
pub fn extract(line: &str, line_no: usize, skip: &[(usize, usize)]) -> Vec<Metric> {
    if !line.bytes().any(|b| b.is_ascii_digit()) {
        return Vec::new();
    }
    let qs = quantities(line, skip);
    let mut out = Vec::new();
    let mut used = vec![false; qs.len()];
    let mut i = 0;
    while i < qs.len() {
        if used[i] {
            i += 1;
            continue;
        }
        let q = qs[i];
        let (cs, ce) = text::clause(line, q.start, q.end);
        let normal = text::says_normal(&line[cs..ce]);
        let name = name_before(line, cs, q.start);
        if let Some(next) = qs.get(i + 1).copied() {
            let between = &line[q.end..next.start];
            // transition: A -> B, from A to B
            if ARROW.is_match(between)
                && (q.unit == next.unit || q.unit == "count" || next.unit == "count")
            {
                let unit = if q.unit == "count" { next.unit } else { q.unit };
                let before = if q.unit == "count" && next.unit != "count" {
                    rescale(q.value, line, q, next)
                } else {
                    q.value
                };
                out.push(Metric {
                    name,
                    before: Some(before),
                    value: next.value,
                    unit,
                    limit: None,
                    factor: None,
                    normal,
                    line: line_no,
                });
                used[i] = true;
                used[i + 1] = true;
                // a limit after the transition: "410 -> 690 (of max 800)"
                if let Some(lim) = qs.get(i + 2) {
                    let gap = &line[next.end..lim.start].to_lowercase();
                    if gap.contains("of") || gap.contains("max") || gap.trim() == "/" {
                        if let Some(m) = out.last_mut() {
                            m.limit = Some(lim.value);
                        }
                        used[i + 2] = true;
                    }
                }
                i += 2;
                continue;
            }
            // ratio: A / B, A of B, A out of B
            let b = between.trim().to_lowercase();
            if (b == "/" || b == "of" || b == "out of" || b == "of max" || b == "/ max")
                && q.unit == next.unit
                && next.value > 0.0
            {
                out.push(Metric {
                    name,
                    before: None,
                    value: q.value,
                    unit: q.unit,
                    limit: Some(next.value),
                    factor: None,
                    normal,
                    line: line_no,
                });
                used[i] = true;
                used[i + 1] = true;
                i += 2;
                continue;
            }
        }
        if q.times {
            out.push(Metric {
                name,
                before: None,
                value: q.value,
                unit: "x",
                limit: None,
                factor: Some(q.value),
                normal,
                line: line_no,
            });
            used[i] = true;
            i += 1;
            continue;
        }
        if !name.is_empty() && q.unit != "count"
            || name.ends_with("connections")
            || name.contains("restart")
            || name.contains("queue")
            || name.contains("lag")
            || name.contains("threads")
            || name.contains("waiting")
        {
            // a limit may follow: "active_connections: 500 (max_connections 500)"
            out.push(Metric {
                name,
                before: None,
                value: q.value,
                unit: q.unit,
                limit: None,
                factor: None,
                normal,
                line: line_no,
            });
        }
        used[i] = true;
        i += 1;
    }
    out
}

/// `120 -> 4.8s`: when only the second number has a unit, the first shares it.
fn rescale(v: f64, _line: &str, _a: Qty, b: Qty) -> f64 {
    match b.unit {
        "ms" => v * 1000.0 * 0.001, // unit-less left side: assume the same unit as written on the right
        _ => v,
    }
}

/// Compile this module's fixed patterns now (see [`crate::warm`]).
pub(crate) fn warm() {
    std::sync::LazyLock::force(&DATE_LIKE);
    std::sync::LazyLock::force(&ARROW);
    std::sync::LazyLock::force(&QTY);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(line: &str) -> Metric {
        let ms = extract(line, 1, &[]);
        assert!(!ms.is_empty(), "no metric in {line:?}");
        ms[0].clone()
    }

    #[test]
    fn transitions() {
        let m = one("p99 latency jumped from 120ms to 4.8s");
        assert_eq!(m.name, "p99 latency");
        assert_eq!(m.before, Some(120.0));
        assert_eq!(m.value, 4800.0);
        assert!(m.change_factor().expect("factor") > 39.0);
        let m = one("error rate 0.1% -> 12%");
        assert_eq!((m.before, m.value, m.unit), (Some(0.1), 12.0, "%"));
        let m = one("Celery rate 13k/min baseline to 73k/min");
        assert_eq!(
            (m.before, m.value, m.unit),
            (Some(13000.0), 73000.0, "per_min")
        );
    }

    #[test]
    fn ratios_and_singles() {
        let m = one("active_connections: 500 / 500 (max_connections)");
        assert_eq!(m.name, "active_connections");
        assert!(m.saturated());
        let m = one("persons-writer connections 800/800 for the first time");
        assert!(m.saturated(), "{m:?}");
        let m = one("CPU: 35% (normal)");
        assert_eq!((m.name.as_str(), m.value, m.normal), ("cpu", 35.0, true));
        let m = one("RSS 2GB+ and climbing");
        assert_eq!(m.unit, "bytes");
        let m = one("traffic 530 req/s (3.8x normal)");
        assert_eq!(m.unit, "per_s");
        let f = extract("traffic 530 req/s (3.8x normal)", 1, &[]);
        assert!(f.iter().any(|m| m.factor == Some(3.8)));
    }

    #[test]
    fn not_metrics() {
        assert!(extract("deploy v2.4.1 shipped", 1, &[]).is_empty());
        assert!(extract("host 10.0.0.12 port", 1, &[]).is_empty());
        assert!(extract("created: 6/2/2026", 1, &[]).is_empty());
    }
}
