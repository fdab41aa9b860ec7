//! The log probe: a grep over files and folders (recursively, in name order) for a probe's
//! pattern, with the count, the first and last matching lines and a few examples. Reads only.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Most bytes read from one file.
const FILE_CAP: u64 = 1 << 30;
/// Example lines kept.
const EXAMPLES: usize = 3;

/// What a grep found.
#[derive(Debug, Default)]
pub struct Grep {
    /// Files searched.
    pub files: usize,
    /// Matching lines.
    pub count: usize,
    /// The first matches (file, 1-based line, text).
    pub first: Vec<(PathBuf, usize, String)>,
    /// The last match.
    pub last: Option<(PathBuf, usize, String)>,
    /// Files that could not be read, with the reason.
    pub unreadable: Vec<(PathBuf, String)>,
    /// Matches per minute, keyed by the minute of their timestamp (unix minutes when the lines
    /// carry a date, minutes of the day when they carry a time only; lines of the other kind
    /// are not counted).
    pub per_minute: BTreeMap<i64, usize>,
    /// The per-minute keys are unix minutes (else minutes of the day).
    pub dated: Option<bool>,
    /// The earliest and latest timestamps of a match (seconds, same kind as the keys).
    pub span: Option<(i64, i64)>,
}

/// The seconds of the first timestamp of a line: (dated?, seconds).
fn stamp_of(line: &str) -> Option<(bool, i64)> {
    use crate::ingest::time::Raw;
    let st = crate::ingest::time::find_stamps(line, &Default::default());
    st.into_iter().find_map(|s| match s.raw {
        Raw::Instant(ts) => Some((true, ts.as_second())),
        Raw::Civil(dt) => dt
            .to_zoned(jiff::tz::TimeZone::UTC)
            .ok()
            .map(|z| (true, z.timestamp().as_second())),
        Raw::Time { time, offset } => {
            let secs = i64::from(time.hour()) * 3600
                + i64::from(time.minute()) * 60
                + i64::from(time.second());
            let off = offset.map_or(0, |o| i64::from(o.seconds()));
            Some((false, (secs - off).rem_euclid(86_400)))
        }
        Raw::Date(_) => None,
    })
}

impl Grep {
    fn count_time(&mut self, line: &str) {
        let Some((dated, secs)) = stamp_of(line) else {
            return;
        };
        if *self.dated.get_or_insert(dated) != dated {
            return;
        }
        *self.per_minute.entry(secs.div_euclid(60)).or_default() += 1;
        self.span = Some(match self.span {
            None => (secs, secs),
            Some((a, b)) => (a.min(secs), b.max(secs)),
        });
    }

    /// `HH:MM:SS` (UTC when dated) of a seconds value of [`Grep::span`].
    pub fn clock(&self, secs: i64) -> String {
        let day = secs.rem_euclid(86_400);
        let hms = format!("{:02}:{:02}:{:02}", day / 3600, day / 60 % 60, day % 60);
        if self.dated == Some(true) {
            format!("{hms} UTC")
        } else {
            hms
        }
    }

    /// The matches over time as a sparkline, one bar per minute (or per few minutes when the
    /// span is longer than an hour), with its first and last minute.
    pub fn sparkline(&self) -> Option<String> {
        let (&lo, _) = self.per_minute.first_key_value()?;
        let (&hi, _) = self.per_minute.last_key_value()?;
        let width = 60;
        let step = ((hi - lo + 1) + width - 1) / width;
        let step = step.max(1);
        let n = usize::try_from((hi - lo) / step + 1).ok()?;
        let mut buckets = vec![0usize; n];
        for (&m, &c) in &self.per_minute {
            buckets[usize::try_from((m - lo) / step).ok()?] += c;
        }
        let max = buckets.iter().copied().max().unwrap_or(1).max(1);
        const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
        let line: String = buckets
            .iter()
            .map(|&c| {
                if c == 0 {
                    ' '
                } else {
                    // 1 match is the lowest bar, the busiest minute the highest
                    BARS[if max == 1 { 7 } else { (c - 1) * 7 / (max - 1) }]
                }
            })
            .collect();
        let unit = if step == 1 {
            "per minute".to_string()
        } else {
            format!("per {step} minutes")
        };
        Some(format!(
            "{unit} {}–{}: {line}",
            self.clock(lo * 60),
            self.clock(hi * 60)
        ))
    }
}

/// Every regular file under `paths` (a file is itself; a folder is walked), sorted within each
/// folder, hidden entries skipped.
pub fn files(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        walk(p, &mut out, 0);
    }
    out
}

fn walk(p: &Path, out: &mut Vec<PathBuf>, depth: usize) {
    if p.is_file() {
        out.push(p.to_path_buf());
        return;
    }
    if depth > 16 {
        return;
    }
    let Ok(rd) = std::fs::read_dir(p) else { return };
    let mut entries: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|e| {
            !e.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'))
        })
        .collect();
    entries.sort();
    for e in entries {
        walk(&e, out, depth + 1);
    }
}

/// Grep `files` for `re`.
pub fn grep(files: &[PathBuf], re: &regex::bytes::Regex) -> Grep {
    use std::io::Read;
    let mut g = Grep::default();
    for f in files {
        let mut buf = Vec::new();
        let read = std::fs::File::open(f).and_then(|h| h.take(FILE_CAP).read_to_end(&mut buf));
        if let Err(e) = read {
            g.unreadable.push((f.clone(), e.to_string()));
            continue;
        }
        g.files += 1;
        for (i, line) in buf.split(|b| *b == b'\n').enumerate() {
            if !re.is_match(line) {
                continue;
            }
            g.count += 1;
            let text = String::from_utf8_lossy(line).trim_end().to_string();
            g.count_time(&text);
            if g.first.len() < EXAMPLES {
                g.first.push((f.clone(), i + 1, text.clone()));
            }
            g.last = Some((f.clone(), i + 1, text));
        }
    }
    g
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_keeps_first_and_last() {
        let dir = tempfile::tempdir().expect("tmp");
        std::fs::write(dir.path().join("a.log"), "ok\nERROR too many clients\nok\n").expect("w");
        std::fs::create_dir(dir.path().join("sub")).expect("d");
        std::fs::write(
            dir.path().join("sub/b.log"),
            "too many clients again\nfine\n",
        )
        .expect("w");
        std::fs::write(dir.path().join(".hidden"), "too many clients\n").expect("w");
        let fs = files(&[dir.path().to_path_buf()]);
        assert_eq!(fs.len(), 2);
        let g = grep(
            &fs,
            &regex::bytes::Regex::new("too many clients").expect("re"),
        );
        assert_eq!(g.count, 2);
        assert_eq!(g.first[0].1, 2);
        assert_eq!(
            g.last.as_ref().map(|l| l.2.as_str()),
            Some("too many clients again")
        );
    }

    #[test]
    fn matches_are_counted_per_minute_with_their_span() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut text = String::new();
        for (m, n) in [(1, 1), (2, 4), (5, 8)] {
            for s in 0..n {
                text.push_str(&format!(
                    "2026-06-02T14:0{m}:{s:02}Z ERROR too many clients\n"
                ));
            }
        }
        std::fs::write(dir.path().join("a.log"), text).expect("w");
        let g = grep(
            &files(&[dir.path().to_path_buf()]),
            &regex::bytes::Regex::new("too many clients").expect("re"),
        );
        assert_eq!(g.count, 13);
        let (a, b) = g.span.expect("span");
        assert_eq!(g.clock(a), "14:01:00 UTC");
        assert_eq!(g.clock(b), "14:05:07 UTC");
        assert_eq!(
            g.sparkline().as_deref(),
            Some("per minute 14:01:00 UTC–14:05:00 UTC: ▁▄  █")
        );
    }
}
