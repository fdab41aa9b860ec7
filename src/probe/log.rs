//! The log probe: a grep over files, folders (recursively, in name order), globs and gzip files
//! for a probe's pattern, with the count, the first and last matching lines with a line of
//! context each side, a per-minute histogram and an optional time window. Reads only, never
//! prints.
//!
//! Speed: each file is read in large chunks ([`CHUNK`]); the regex runs over the whole chunk
//! (its literal prefilters skip the lines that cannot match) and only a match is expanded to
//! its line. The partial last line of a chunk is carried over to the next, with the line before
//! it kept as context. A big file is read (and its newlines counted, per 4 KiB block) on a
//! thread of its own while the chunk before is searched, so a match's line number costs at most
//! a 4 KiB count. A plain file of 64 MiB or more is cut into line-aligned parts, one per core,
//! each read with positioned reads and searched on a thread of its own; the parts' results are
//! merged in order (line numbers continue, the examples are the file's first, a match at a
//! part's edge takes its context line from the part beside it), so a split search reports
//! exactly what one pass does. Timestamps are parsed only on matching lines. No memory maps: a
//! log truncated by its rotation while mapped would kill the process (SIGBUS).
//! `benches/log_grep.rs` compares it with ripgrep.
//!
//! The regex should be built by [`matcher`] (multi-line mode), so that `^` and `$` match at the
//! start and end of every line as they do in grep.

use memchr::{memchr, memrchr};
use regex::bytes::Regex;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Most bytes read from one file (after decompression): past it the file is cut, and
/// [`Grep::cut`] names it.
pub const FILE_CAP: u64 = 16 << 30;
/// Bytes read at a time.
pub const CHUNK: usize = 512 * 1024;
/// A line longer than this is searched in pieces of this size.
const MAX_LINE: usize = 64 << 20;
/// The line before a chunk is kept as context only when it is no longer than this.
const CONTEXT_KEEP: usize = 64 * 1024;
/// Bytes looked at for a NUL to call a file binary.
const BINARY_PROBE: usize = 8 * 1024;
/// Bytes of a line kept for an example or a context line.
const SHOWN: usize = 1000;
/// Bytes of a line searched for its timestamp.
const STAMP_BYTES: usize = 512;
/// Example lines kept.
const EXAMPLES: usize = 3;
/// The prefix of a context line in [`findings`].
pub const CONTEXT: &str = "  - ";
/// The prefix of a note (a file cut, skipped or unreadable) in [`findings`].
pub const NOTE: &str = "note: ";

/// How a grep runs.
#[derive(Clone, Debug)]
pub struct Options {
    /// Only lines whose timestamp falls in `[start, end]` (unix seconds) count; lines without
    /// a timestamp always count (continuation lines). Lines stamped with a time of day only are
    /// compared with the window's times of day (UTC).
    pub window: Option<(i64, i64)>,
    /// Stop reading when this instant passes ([`Grep::stopped`]).
    pub deadline: Option<Instant>,
    /// Most bytes read from one file ([`FILE_CAP`]).
    pub file_cap: u64,
    /// Threads per file: 1 reads and searches on the calling thread; 0 (all the cores) or more
    /// cuts a plain file of 64 MiB or more into that many parts searched side by side (at most
    /// 8), and reads any other file of 8 MiB or more (decompressing a gzip one) on a thread of
    /// its own while the chunk before is searched.
    pub threads: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            window: None,
            deadline: None,
            file_cap: FILE_CAP,
            threads: 0,
        }
    }
}

/// One matching line, with a line of context each side.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hit {
    /// The file (or the name of the searched text).
    pub file: PathBuf,
    /// 1-based line number.
    pub line: usize,
    /// The line (at most 1000 bytes, lossily decoded, trailing blanks cut).
    pub text: String,
    /// The line before it, if any.
    pub before: Option<String>,
    /// The line after it, if any.
    pub after: Option<String>,
}

/// What a grep found.
#[derive(Debug, Default)]
pub struct Grep {
    /// Files searched (binary and unreadable ones not counted).
    pub files: usize,
    /// Bytes searched (decompressed).
    pub bytes: u64,
    /// Matching lines (inside the window, when one is set).
    pub count: usize,
    /// Matching lines left out because their timestamp is outside the window.
    pub outside: usize,
    /// The first matches.
    pub first: Vec<Hit>,
    /// The last match.
    pub last: Option<Hit>,
    /// Paths that could not be read (or matched no file), with the reason.
    pub unreadable: Vec<(PathBuf, String)>,
    /// Files skipped as binary (a NUL byte in their first 8 KiB).
    pub binary: Vec<PathBuf>,
    /// Files cut at [`Options::file_cap`]: only their beginning was searched.
    pub cut: Vec<PathBuf>,
    /// The deadline passed before every file was read: the counts cover only what was.
    pub stopped: bool,
    /// Matches per minute, keyed by the minute of their timestamp (unix minutes when the lines
    /// carry a date, minutes of the day when they carry a time only; lines of the other kind
    /// are not counted).
    pub per_minute: BTreeMap<i64, usize>,
    /// The per-minute keys are unix minutes (else minutes of the day).
    pub dated: Option<bool>,
    /// The earliest and latest timestamps of a match (seconds, same kind as the keys).
    pub span: Option<(i64, i64)>,
    /// While scanning: matches per minute and span for each kind of stamp (time of day, dated),
    /// and the kind of the first stamped match; [`Grep::finish`] keeps the first kind's.
    minutes: [BTreeMap<i64, usize>; 2],
    spans: [Option<(i64, i64)>; 2],
    kind: Option<bool>,
}

/// The regex a log probe runs: multi-line (`^`/`$` at every line, `\r\n` line ends
/// understood), with a bounded compiled size.
pub fn matcher(pattern: &str) -> Result<Regex, regex::Error> {
    regex::bytes::RegexBuilder::new(pattern)
        .multi_line(true)
        .crlf(true)
        .size_limit(1 << 24)
        .build()
}

/// The seconds of the first timestamp of a line: (dated?, seconds).
fn stamp_of(line: &[u8], ts: &crate::ingest::time::TimeSettings) -> Option<(bool, i64)> {
    use crate::ingest::time::Raw;
    let head = String::from_utf8_lossy(&line[..line.len().min(STAMP_BYTES)]);
    let st = crate::ingest::time::find_stamps(&head, ts);
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

/// Whether a timestamp falls in a window of unix seconds (a time of day: in the window's
/// times of day, across midnight too).
fn in_window(dated: bool, secs: i64, (start, end): (i64, i64)) -> bool {
    if dated {
        return start <= secs && secs <= end;
    }
    if end - start >= 86_400 {
        return true;
    }
    let (s, e) = (start.rem_euclid(86_400), end.rem_euclid(86_400));
    if s <= e {
        s <= secs && secs <= e
    } else {
        secs >= s || secs <= e
    }
}

/// The newlines in `hay`: byte counters over 32-byte blocks, which the compiler vectorises.
fn count_lines(hay: &[u8]) -> usize {
    let mut total = 0usize;
    let mut blocks = hay.chunks_exact(32);
    let mut acc = [0u8; 32];
    let mut n = 0u8;
    for b in &mut blocks {
        for (a, x) in acc.iter_mut().zip(b) {
            *a += u8::from(*x == b'\n');
        }
        n += 1;
        if n == u8::MAX {
            total += acc.iter().map(|&a| usize::from(a)).sum::<usize>();
            acc = [0; 32];
            n = 0;
        }
    }
    total += acc.iter().map(|&a| usize::from(a)).sum::<usize>();
    total + blocks.remainder().iter().filter(|&&b| b == b'\n').count()
}

/// A line as shown: at most [`SHOWN`] bytes, lossily decoded, trailing blanks cut.
fn shown(line: &[u8]) -> String {
    let cut = &line[..line.len().min(SHOWN)];
    let mut s = String::from_utf8_lossy(cut).trim_end().to_string();
    if line.len() > SHOWN {
        s.push('…');
    }
    s
}

impl Grep {
    fn count_time(&mut self, dated: bool, secs: i64) {
        self.kind.get_or_insert(dated);
        let k = usize::from(dated);
        *self.minutes[k].entry(secs.div_euclid(60)).or_default() += 1;
        self.spans[k] = Some(match self.spans[k] {
            None => (secs, secs),
            Some((a, b)) => (a.min(secs), b.max(secs)),
        });
    }

    /// Add what a later part of the input found; its line numbers start after `offset` lines.
    fn absorb(&mut self, mut part: Grep, offset: usize) {
        self.count += part.count;
        self.outside += part.outside;
        for mut h in part.first.drain(..) {
            if self.first.len() < EXAMPLES {
                h.line += offset;
                self.first.push(h);
            }
        }
        if let Some(mut l) = part.last.take() {
            l.line += offset;
            self.last = Some(l);
        }
        if self.kind.is_none() {
            self.kind = part.kind;
        }
        for k in 0..2 {
            for (m, c) in std::mem::take(&mut part.minutes[k]) {
                *self.minutes[k].entry(m).or_default() += c;
            }
            self.spans[k] = match (self.spans[k], part.spans[k]) {
                (Some((a, b)), Some((c, d))) => Some((a.min(c), b.max(d))),
                (x, y) => x.or(y),
            };
        }
    }

    /// Settle the per-minute counts and the span on the kind of the first stamped match (lines
    /// of the other kind are not counted in them).
    fn finish(mut self) -> Grep {
        self.dated = self.kind;
        if let Some(k) = self.kind {
            let k = usize::from(k);
            self.per_minute = std::mem::take(&mut self.minutes[k]);
            self.span = self.spans[k];
        }
        self.minutes = Default::default();
        self
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

    /// The examples to show: the first matches, then the last when it is not one of them.
    pub fn examples(&self) -> Vec<&Hit> {
        let mut out: Vec<&Hit> = self.first.iter().collect();
        if let Some(l) = &self.last
            && !out.iter().any(|h| h.file == l.file && h.line == l.line)
        {
            out.push(l);
        }
        out
    }
}

/// True when a path component holds a glob (`*`, `?` or a `[...]` class).
fn has_glob(s: &str) -> bool {
    s.contains(['*', '?']) || s.find('[').is_some_and(|i| s[i + 1..].contains(']'))
}

/// Whether `name` matches the shell glob `pat`: `*` any run of characters, `?` one character,
/// `[abc]`, `[a-z]`, `[!abc]` / `[^abc]` one character of (not of) a set.
pub fn glob_match(pat: &str, name: &str) -> bool {
    let p: Vec<char> = pat.chars().collect();
    let n: Vec<char> = name.chars().collect();
    let (mut pi, mut ni) = (0usize, 0usize);
    // where the last `*` was, and the name position it has swallowed up to
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        let step = match p.get(pi) {
            Some('*') => {
                star = Some((pi, ni));
                pi += 1;
                continue;
            }
            Some('?') => Some(1),
            Some('[') => match class(&p[pi..], n[ni]) {
                Some((true, len)) => Some(len),
                Some((false, _)) => None,
                // no closing bracket: a literal '['
                None => (n[ni] == '[').then_some(1),
            },
            Some(&c) => (c == n[ni]).then_some(1),
            None => None,
        };
        match step {
            Some(len) => {
                pi += len;
                ni += 1;
            }
            None => match star {
                Some((sp, sn)) => {
                    pi = sp + 1;
                    ni = sn + 1;
                    star = Some((sp, sn + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// A `[...]` class at the start of `p`: whether `c` is in it, and its length in chars.
fn class(p: &[char], c: char) -> Option<(bool, usize)> {
    let mut i = 1;
    let negated = matches!(p.get(i), Some('!' | '^'));
    if negated {
        i += 1;
    }
    let mut hit = false;
    let mut first = true;
    while let Some(&x) = p.get(i) {
        if x == ']' && !first {
            return Some((hit != negated, i + 1));
        }
        first = false;
        if p.get(i + 1) == Some(&'-') && p.get(i + 2).is_some_and(|&y| y != ']') {
            let y = p[i + 2];
            hit |= x <= c && c <= y;
            i += 3;
        } else {
            hit |= x == c;
            i += 1;
        }
    }
    None
}

/// The files of `--logs` paths: a file is itself, a folder is walked (sorted within each
/// folder, hidden entries skipped), a path whose last components hold `*`, `?` or `[...]` is
/// expanded to what it matches (sorted). The second list holds the paths that could not be
/// read or matched nothing, with the reason.
pub fn expand(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
    let mut out = Vec::new();
    let mut bad = Vec::new();
    for p in paths {
        let comps: Vec<String> = p
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        match comps.iter().position(|c| has_glob(c)) {
            None => match std::fs::metadata(p) {
                Ok(_) => walk(p, &mut out, &mut bad, 0),
                Err(e) => bad.push((p.clone(), e.to_string())),
            },
            Some(at) => {
                let base: PathBuf = if at == 0 {
                    PathBuf::from(".")
                } else {
                    p.components().take(at).collect()
                };
                let before = out.len();
                glob(&base, &comps[at..], &mut out, &mut bad);
                if out.len() == before {
                    bad.push((p.clone(), "no file matches this pattern".into()));
                }
            }
        }
    }
    (out, bad)
}

/// Expand the glob components `rest` under `base`.
fn glob(base: &Path, rest: &[String], out: &mut Vec<PathBuf>, bad: &mut Vec<(PathBuf, String)>) {
    let Some((comp, more)) = rest.split_first() else {
        walk(base, out, bad, 0);
        return;
    };
    if !has_glob(comp) {
        let next = base.join(comp);
        if more.is_empty() {
            if next.exists() {
                walk(&next, out, bad, 0);
            }
        } else if next.is_dir() {
            glob(&next, more, out, bad);
        }
        return;
    }
    let Ok(rd) = std::fs::read_dir(base) else {
        return;
    };
    let mut names: Vec<(String, PathBuf)> = rd
        .filter_map(|e| e.ok())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .filter(|(n, _)| (!n.starts_with('.') || comp.starts_with('.')) && glob_match(comp, n))
        .collect();
    names.sort();
    for (_, path) in names {
        if more.is_empty() {
            walk(&path, out, bad, 0);
        } else if path.is_dir() {
            glob(&path, more, out, bad);
        }
    }
}

/// Every regular file under `paths` (a file is itself; a folder is walked; a glob is
/// expanded), sorted within each folder, hidden entries skipped. See [`expand`] for the paths
/// that could not be read.
pub fn files(paths: &[PathBuf]) -> Vec<PathBuf> {
    expand(paths).0
}

fn walk(p: &Path, out: &mut Vec<PathBuf>, bad: &mut Vec<(PathBuf, String)>, depth: usize) {
    if p.is_file() {
        out.push(p.to_path_buf());
        return;
    }
    if depth > 16 || !p.is_dir() {
        return;
    }
    let rd = match std::fs::read_dir(p) {
        Ok(rd) => rd,
        Err(e) => {
            bad.push((p.to_path_buf(), e.to_string()));
            return;
        }
    };
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
        walk(&e, out, bad, depth + 1);
    }
}

/// True when the file is read through gzip (its name ends in `.gz`).
fn is_gzip(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"))
}

/// Grep `files` for `re` (see [`grep_with`]).
pub fn grep(files: &[PathBuf], re: &Regex) -> Grep {
    grep_with(files, re, &Options::default())
}

/// Expand `paths` (see [`expand`]) and grep the files for `re`; the paths that could not be
/// read or matched nothing are in [`Grep::unreadable`].
pub fn search(paths: &[PathBuf], re: &Regex, opts: &Options) -> Grep {
    let (fs, bad) = expand(paths);
    let mut g = grep_with(&fs, re, opts);
    g.unreadable.splice(0..0, bad);
    g
}

/// Grep `files` for `re`: files ending in `.gz` are decompressed as they are read, binary files
/// are skipped, a file that cannot be read is noted in [`Grep::unreadable`].
pub fn grep_with(files: &[PathBuf], re: &Regex, opts: &Options) -> Grep {
    let mut g = Grep::default();
    for f in files {
        if g.stopped {
            break;
        }
        let h = match std::fs::File::open(f) {
            Ok(h) => h,
            Err(e) => {
                g.unreadable.push((f.clone(), e.to_string()));
                continue;
            }
        };
        let len = h.metadata().map_or(0, |m| m.len());
        let parts = split_into(opts.threads, len, opts.file_cap);
        if parts > 1 && !is_gzip(f) {
            scan_split(&mut g, f, &h, len, parts, re, opts);
        } else if is_gzip(f) {
            let z = flate2::read::MultiGzDecoder::new(h);
            scan_one(&mut g, f, z, re, opts, len >= PIPE_AT / 8);
        } else {
            scan_one(&mut g, f, h, re, opts, len >= PIPE_AT);
        }
    }
    g.finish()
}

/// Grep texts held in memory (each with the name its hits carry), such as `kubectl logs`
/// output.
pub fn grep_texts(texts: &[(PathBuf, &[u8])], re: &Regex, opts: &Options) -> Grep {
    let mut g = Grep::default();
    for (name, text) in texts {
        scan_one(&mut g, name, *text, re, opts, false);
    }
    g.finish()
}

/// A file at least this big is read on a thread of its own while the previous chunk is
/// searched (for a gzip file, an eighth of this compressed).
const PIPE_AT: u64 = 8 << 20;
/// Newlines are counted per block of this many bytes as a chunk is read, so that a match's
/// line number costs a count of at most one block.
const BLOCK: usize = 4096;
/// Chunks in flight between the reading and the searching thread.
const IN_FLIGHT: usize = 3;

/// Scan one stream into `g`, noting why it was skipped or stopped; `piped`: read it on a
/// thread of its own (see [`Options::threads`]).
fn scan_one<R: Read + Send>(
    g: &mut Grep,
    name: &Path,
    r: R,
    re: &Regex,
    opts: &Options,
    piped: bool,
) {
    let mut found = Grep::default();
    let mut scan = Scan::new(re, opts, &mut found, name);
    let mut reader = Reader::new(r, opts);
    let (end, bytes) = if piped && opts.threads != 1 {
        pipe(&mut reader, &mut scan)
    } else {
        let mut spare = None;
        loop {
            match reader.next(spare.take()) {
                Next::Chunk(c) => {
                    scan.chunk(&c);
                    spare = Some(c.buf);
                }
                Next::End(e) => break (e, reader.total),
            }
        }
    };
    let last = scan.last.take();
    found.last = last.map(|l| l.hit(name));
    g.bytes += bytes;
    g.absorb(found, 0);
    match end {
        End::Binary => g.binary.push(name.to_path_buf()),
        End::Done | End::Cut | End::Stopped | End::Failed(_) => g.files += 1,
    }
    match end {
        End::Cut => g.cut.push(name.to_path_buf()),
        End::Stopped => g.stopped = true,
        End::Failed(e) => g.unreadable.push((
            name.to_path_buf(),
            format!("read error after {bytes} bytes: {e}"),
        )),
        End::Done | End::Binary => {}
    }
}

/// A plain file at least this big is cut into parts searched side by side.
const SPLIT_AT: u64 = 64 << 20;

/// Into how many parts a plain file of `len` bytes is cut: one per thread (all the cores for
/// `threads == 0`, at most 8), none below [`SPLIT_AT`] or above the cap (a cut file is read
/// from its start only).
fn split_into(threads: usize, len: u64, cap: u64) -> usize {
    if len < SPLIT_AT || len > cap || threads == 1 {
        return 1;
    }
    let n = if threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        threads
    };
    n.clamp(1, 8)
}

/// `len` bytes of a file from `pos`, read with positioned reads (so that several threads
/// share one open file).
struct Region<'a> {
    file: &'a std::fs::File,
    pos: u64,
    end: u64,
}

impl Read for Region<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        use std::os::unix::fs::FileExt;
        let left = usize::try_from(self.end - self.pos).unwrap_or(usize::MAX);
        let want = buf.len().min(left);
        if want == 0 {
            return Ok(0);
        }
        let n = self.file.read_at(&mut buf[..want], self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

/// The first line start at or after `at` (the file's length when there is none).
fn line_start(file: &std::fs::File, at: u64, len: u64) -> std::io::Result<u64> {
    use std::os::unix::fs::FileExt;
    if at == 0 {
        return Ok(0);
    }
    let mut pos = at - 1;
    let mut buf = vec![0u8; 64 * 1024];
    while pos < len {
        let n = file.read_at(&mut buf, pos)?;
        if n == 0 {
            break;
        }
        if let Some(i) = memchr(b'\n', &buf[..n]) {
            return Ok(pos + i as u64 + 1);
        }
        pos += n as u64;
    }
    Ok(len)
}

/// The beginning (at most [`SHOWN`] bytes and a few) of the line that ends just before `at`,
/// a line start: the context line of a part's first line.
fn line_before(file: &std::fs::File, at: u64) -> Option<Vec<u8>> {
    use std::os::unix::fs::FileExt;
    let end = at.checked_sub(1)?;
    let mut one = [0u8; 1];
    file.read_exact_at(&mut one, end).ok()?;
    if one[0] != b'\n' {
        return None;
    }
    // back to the line's start, a block at a time
    let mut start = 0;
    let mut hi = end;
    let mut buf = vec![0u8; 64 * 1024];
    while hi > 0 {
        let lo = hi.saturating_sub(buf.len() as u64);
        let n = usize::try_from(hi - lo).ok()?;
        file.read_exact_at(&mut buf[..n], lo).ok()?;
        if let Some(i) = memrchr(b'\n', &buf[..n]) {
            start = lo + i as u64 + 1;
            break;
        }
        hi = lo;
    }
    let n = usize::try_from((end - start).min(SHOWN as u64 + 4)).ok()?;
    let mut line = vec![0u8; n];
    file.read_exact_at(&mut line, start).ok()?;
    Some(line)
}

/// The line that starts at `at`, at most [`SHOWN`] bytes of it.
fn line_from(file: &std::fs::File, at: u64, len: u64) -> Option<Vec<u8>> {
    use std::os::unix::fs::FileExt;
    let n = usize::try_from((len - at).min(SHOWN as u64 + 4)).ok()?;
    let mut buf = vec![0u8; n];
    file.read_exact_at(&mut buf, at).ok()?;
    let e = memchr(b'\n', &buf).unwrap_or(buf.len());
    buf.truncate(e);
    Some(buf)
}

/// Search a plain file in `parts` line-aligned parts, one thread each, and merge them in
/// order: counts add up, line numbers continue from the part before, examples are the
/// file's first, and a match at a part's edge gets its context line from the part beside it.
fn scan_split(
    g: &mut Grep,
    name: &Path,
    file: &std::fs::File,
    len: u64,
    parts: usize,
    re: &Regex,
    opts: &Options,
) {
    let mut edges = vec![0u64];
    for k in 1..parts {
        let at = len / parts as u64 * k as u64;
        match line_start(file, at.max(*edges.last().unwrap_or(&0)), len) {
            Ok(a) => edges.push(a),
            Err(_) => return scan_one(g, name, file, re, opts, true),
        }
    }
    edges.push(len);
    edges.dedup();
    struct Part {
        found: Grep,
        end: End,
        bytes: u64,
        lines: usize,
    }
    let done: Vec<Part> = std::thread::scope(|sc| {
        let handles: Vec<_> = edges
            .windows(2)
            .map(|w| {
                let (from, to) = (w[0], w[1]);
                sc.spawn(move || {
                    let mut found = Grep::default();
                    let mut scan = Scan::new(re, opts, &mut found, name);
                    let mut reader = Reader::new(
                        Region {
                            file,
                            pos: from,
                            end: to,
                        },
                        opts,
                    );
                    if from > 0 {
                        // only the file's start says whether it is binary; the line before
                        // this part is its context
                        reader.first = false;
                        if let Some(mut prev) = line_before(file, from) {
                            prev.push(b'\n');
                            reader.start = prev.len();
                            reader.len = prev.len();
                            reader.buf = prev;
                        }
                    }
                    let mut spare = None;
                    let end = loop {
                        match reader.next(spare.take()) {
                            Next::Chunk(c) => {
                                scan.chunk(&c);
                                spare = Some(c.buf);
                            }
                            Next::End(e) => break e,
                        }
                    };
                    let last = scan.last.take();
                    found.last = last.map(|l| l.hit(name));
                    Part {
                        found,
                        end,
                        bytes: reader.total,
                        lines: reader.lines,
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    let mut offset = 0usize;
    let mut whole = End::Done;
    let n = done.len();
    for (k, mut p) in done.into_iter().enumerate() {
        if k == 0 && matches!(p.end, End::Binary) {
            g.binary.push(name.to_path_buf());
            return;
        }
        // a match on a part's last line: its after-context is the next part's first line
        if k + 1 < n {
            let next = || line_from(file, edges[k + 1], len).map(|l| shown(&l));
            for h in p.found.first.iter_mut().chain(p.found.last.as_mut()) {
                if h.line == p.lines && h.after.is_none() {
                    h.after = next();
                }
            }
        }
        g.bytes += p.bytes;
        g.absorb(p.found, offset);
        offset += p.lines;
        match p.end {
            End::Done | End::Binary | End::Cut => {}
            e @ (End::Stopped | End::Failed(_)) => {
                if matches!(whole, End::Done) {
                    whole = e;
                }
            }
        }
    }
    g.files += 1;
    match whole {
        End::Stopped => g.stopped = true,
        End::Failed(e) => g
            .unreadable
            .push((name.to_path_buf(), format!("read error: {e}"))),
        End::Done | End::Binary | End::Cut => {}
    }
}

/// Read on one thread and search on this one; the chunks' buffers go back to the reader.
fn pipe<R: Read + Send>(reader: &mut Reader<R>, scan: &mut Scan<'_>) -> (End, u64) {
    use std::sync::mpsc::sync_channel;
    let (to_search, chunks) = sync_channel::<Next>(IN_FLIGHT);
    let (to_reader, spares) = sync_channel::<Vec<u8>>(IN_FLIGHT + 1);
    std::thread::scope(|sc| {
        let read = sc.spawn(move || {
            let mut made = 1usize;
            loop {
                // a buffer the searcher is done with, else a new one while few are out
                let spare = match spares.try_recv() {
                    Ok(b) => Some(b),
                    Err(_) if made < IN_FLIGHT + 1 => {
                        made += 1;
                        None
                    }
                    Err(_) => spares.recv().ok(),
                };
                let next = reader.next(spare);
                let done = matches!(next, Next::End(_));
                if to_search.send(next).is_err() || done {
                    break;
                }
            }
            reader.total
        });
        let mut end = End::Failed(std::io::Error::other("the reading thread stopped"));
        for next in chunks.iter() {
            match next {
                Next::Chunk(c) => {
                    scan.chunk(&c);
                    let _ = to_reader.send(c.buf);
                }
                Next::End(e) => {
                    end = e;
                    break;
                }
            }
        }
        drop(to_reader);
        drop(chunks);
        let total = read.join().unwrap_or(0);
        (end, total)
    })
}

/// How a stream's scan ended.
enum End {
    Done,
    Binary,
    Cut,
    Stopped,
    Failed(std::io::Error),
}

/// A chunk of a stream, ready to search: whole lines `buf[start..end]`, the line before them
/// in `buf[..start]` (or nothing), what was read after them in `buf[end..len]`.
struct Chunk {
    buf: Vec<u8>,
    len: usize,
    start: usize,
    end: usize,
    /// Nothing follows `buf[..len]`.
    eof: bool,
    /// Newlines in the stream before `start`.
    lines: usize,
    /// `blocks[i]`: newlines in `buf[start..start + i * BLOCK]`.
    blocks: Vec<usize>,
}

/// What the reader gives next.
enum Next {
    Chunk(Chunk),
    End(End),
}

/// Cuts a stream into chunks of whole lines, carrying each chunk's partial last line (and the
/// line before it, as context) over to the next, and counts their newlines.
struct Reader<'a, R> {
    r: R,
    opts: &'a Options,
    /// The buffer being filled: `buf[..start]` the carried context line, `buf[start..len]` read
    /// and not searched yet.
    buf: Vec<u8>,
    start: usize,
    len: usize,
    total: u64,
    lines: usize,
    eof: bool,
    cut: bool,
    first: bool,
    done: bool,
}

impl<'a, R: Read> Reader<'a, R> {
    fn new(r: R, opts: &'a Options) -> Self {
        Reader {
            r,
            opts,
            buf: Vec::new(),
            start: 0,
            len: 0,
            total: 0,
            lines: 0,
            eof: false,
            cut: false,
            first: true,
            done: false,
        }
    }

    /// The next chunk (into `spare`, a used buffer, when given), or how the stream ended.
    fn next(&mut self, spare: Option<Vec<u8>>) -> Next {
        if self.done {
            return Next::End(if self.cut { End::Cut } else { End::Done });
        }
        let mut need = CHUNK;
        let end = loop {
            if self.opts.deadline.is_some_and(|d| Instant::now() >= d) {
                return self.end(End::Stopped);
            }
            while !self.eof && self.len - self.start < need {
                if self.buf.len() < self.start + need {
                    self.buf.resize(self.start + need, 0);
                }
                let room = self.buf.len() - self.len;
                let left = self.opts.file_cap.saturating_sub(self.total);
                let want = usize::try_from(left.min(room as u64)).unwrap_or(room);
                if want == 0 {
                    self.eof = true;
                    // at the cap: is there more?
                    let mut one = [0u8; 1];
                    self.cut = matches!(self.r.read(&mut one), Ok(n) if n > 0);
                    break;
                }
                match self.r.read(&mut self.buf[self.len..self.len + want]) {
                    Ok(0) => self.eof = true,
                    Ok(n) => {
                        self.len += n;
                        self.total += n as u64;
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => return self.end(End::Failed(e)),
                }
            }
            if std::mem::take(&mut self.first)
                && memchr(0, &self.buf[..self.len.min(BINARY_PROBE)]).is_some()
            {
                return self.end(End::Binary);
            }
            if self.eof {
                break self.len;
            }
            match memrchr(b'\n', &self.buf[self.start..self.len]) {
                Some(i) => break self.start + i + 1,
                None if self.len - self.start >= MAX_LINE => break self.len,
                // a line longer than the chunk: read more
                None => need = (self.len - self.start) * 2,
            }
        };
        let (start, len) = (self.start, self.len);
        if start == end && self.eof {
            return self.end(if self.cut { End::Cut } else { End::Done });
        }
        let mut blocks = Vec::with_capacity((end - start) / BLOCK + 2);
        let mut n = 0usize;
        blocks.push(0);
        for b in self.buf[start..end].chunks(BLOCK) {
            n += count_lines(b);
            blocks.push(n);
        }
        // the next buffer starts with this chunk's last line (context) and its unsearched tail
        let from = if self.eof {
            len
        } else {
            let ctx = memrchr(b'\n', &self.buf[start..end - 1]).map_or(start, |i| start + i + 1);
            if end - ctx <= CONTEXT_KEEP && self.buf[end - 1] == b'\n' {
                ctx
            } else {
                end
            }
        };
        let carry = len - from;
        let mut next = spare.unwrap_or_default();
        if next.len() < CHUNK + carry {
            next.resize(CHUNK + carry, 0);
        }
        next[..carry].copy_from_slice(&self.buf[from..len]);
        let buf = std::mem::replace(&mut self.buf, next);
        self.start = end - from;
        self.len = len - from;
        let lines = self.lines;
        self.lines += n;
        if self.eof {
            self.done = true;
        }
        Next::Chunk(Chunk {
            buf,
            len,
            start,
            end,
            eof: self.eof,
            lines,
            blocks,
        })
    }

    fn end(&mut self, e: End) -> Next {
        self.done = true;
        Next::End(e)
    }
}

/// The last match of a stream, kept as bytes so that replacing it costs no allocation.
#[derive(Default)]
struct RawHit {
    line: usize,
    text: Vec<u8>,
    before: Option<Vec<u8>>,
    after: Option<Vec<u8>>,
}

impl RawHit {
    fn hit(self, file: &Path) -> Hit {
        Hit {
            file: file.to_path_buf(),
            line: self.line,
            text: shown(&self.text),
            before: self.before.as_deref().map(shown),
            after: self.after.as_deref().map(shown),
        }
    }
}

fn keep(into: &mut Option<Vec<u8>>, from: Option<&[u8]>) {
    match from {
        None => *into = None,
        Some(b) => {
            let v = into.get_or_insert_with(Vec::new);
            v.clear();
            v.extend_from_slice(&b[..b.len().min(SHOWN + 4)]);
        }
    }
}

/// The line after a match: there, none, or not read yet.
enum After<'a> {
    Line(&'a [u8]),
    None,
    Pending,
}

/// The search side of one stream's scan.
struct Scan<'a> {
    re: &'a Regex,
    opts: &'a Options,
    g: &'a mut Grep,
    name: &'a Path,
    times: crate::ingest::time::TimeSettings,
    last: Option<RawHit>,
    /// The example (index in `g.first`) whose after-context is the next chunk's first line.
    pending_first: Option<usize>,
    /// Same for the last match.
    pending_last: bool,
}

impl<'a> Scan<'a> {
    fn new(re: &'a Regex, opts: &'a Options, g: &'a mut Grep, name: &'a Path) -> Self {
        Scan {
            re,
            opts,
            g,
            name,
            times: Default::default(),
            last: None,
            pending_first: None,
            pending_last: false,
        }
    }

    /// Search one chunk.
    fn chunk(&mut self, c: &Chunk) {
        let buf = &c.buf[..c.len];
        self.fill_pending(buf, c.start);
        let hay = &buf[..c.end];
        let mut pos = c.start;
        while pos < c.end {
            let Some(m) = self.re.find_at(hay, pos) else {
                break;
            };
            let ms = m.start();
            let ls = memrchr(b'\n', &hay[pos..ms]).map_or(pos, |i| pos + i + 1);
            let le = memchr(b'\n', &hay[ms..]).map_or(c.end, |i| ms + i);
            let next = (le + 1).min(c.end);
            // a match across the end of its line: the line must match on its own
            if m.end() > le && !self.re.is_match(&hay[ls..le]) {
                pos = next;
                continue;
            }
            let k = (ls - c.start) / BLOCK;
            let no = c.lines + c.blocks[k] + count_lines(&hay[c.start + k * BLOCK..ls]) + 1;
            self.hit(buf, ls, le, no, c.eof);
            pos = next;
        }
    }

    /// Give the matches waiting for their after-context the first line at `start`.
    fn fill_pending(&mut self, buf: &[u8], start: usize) {
        if self.pending_first.is_none() && !self.pending_last {
            return;
        }
        let next = match memchr(b'\n', &buf[start..]) {
            Some(i) => Some(&buf[start..start + i]),
            None if start < buf.len() => Some(&buf[start..]),
            None => None,
        };
        if let Some(i) = self.pending_first.take()
            && let Some(h) = self.g.first.get_mut(i)
        {
            h.after = next.map(shown);
        }
        if std::mem::take(&mut self.pending_last)
            && let Some(l) = &mut self.last
        {
            keep(&mut l.after, next);
        }
    }

    /// A matching line `buf[ls..le]`, number `no`.
    fn hit(&mut self, buf: &[u8], ls: usize, le: usize, no: usize, eof: bool) {
        let line = &buf[ls..le];
        if let Some((dated, secs)) = stamp_of(line, &self.times) {
            if let Some(w) = self.opts.window
                && !in_window(dated, secs, w)
            {
                self.g.outside += 1;
                return;
            }
            self.g.count_time(dated, secs);
        }
        self.g.count += 1;
        let before = (ls > 0).then(|| {
            let pe = ls - 1;
            let ps = memrchr(b'\n', &buf[..pe]).map_or(0, |i| i + 1);
            &buf[ps..pe]
        });
        let after = if le < buf.len() {
            let a = le + 1;
            match memchr(b'\n', &buf[a..]) {
                Some(i) => After::Line(&buf[a..a + i]),
                None if eof && a < buf.len() => After::Line(&buf[a..]),
                None if eof => After::None,
                None => After::Pending,
            }
        } else if eof {
            After::None
        } else {
            After::Pending
        };
        let pending = matches!(after, After::Pending);
        let after = match after {
            After::Line(l) => Some(l),
            After::None | After::Pending => None,
        };
        if self.g.first.len() < EXAMPLES {
            self.g.first.push(Hit {
                file: self.name.to_path_buf(),
                line: no,
                text: shown(line),
                before: before.map(shown),
                after: after.map(shown),
            });
            if pending {
                self.pending_first = Some(self.g.first.len() - 1);
            }
        }
        let l = self.last.get_or_insert_with(RawHit::default);
        l.line = no;
        l.text.clear();
        l.text.extend_from_slice(&line[..line.len().min(SHOWN + 4)]);
        keep(&mut l.before, before);
        keep(&mut l.after, after);
        self.pending_last = pending;
    }
}

/// The findings of a grep, one statement per line: the head (count, where, the window, the
/// first and last time), the sparkline, each example with its context lines (prefixed
/// [`CONTEXT`]), and notes on files cut, skipped or unreadable (prefixed [`NOTE`]). `place`
/// says where it searched ("in 3 file(s)"). The second value is the raw output as grep -C1
/// prints it (`file:N:` for a match, `file-N-` for context).
pub fn findings(g: &Grep, place: &str, window: Option<(i64, i64)>) -> (Vec<String>, String) {
    let mut out = Vec::new();
    let mut head = format!("{} matching line(s) {place}", g.count);
    if let Some(w) = window {
        head.push_str(&format!(" {}", between(w)));
    }
    if let Some((a, b)) = g.span {
        head.push_str(&format!(", first {}, last {}", g.clock(a), g.clock(b)));
    }
    out.push(head);
    if g.outside > 0 {
        out.push(format!(
            "{} more matching line(s) fall outside that window",
            g.outside
        ));
    }
    if let Some(spark) = g.sparkline() {
        out.push(spark);
    }
    let mut raw = String::new();
    let mut prev: Option<(&Path, usize)> = None;
    for h in g.examples() {
        if let Some(b) = &h.before {
            out.push(format!("{CONTEXT}{}", b.trim()));
        }
        out.push(h.text.trim().to_string());
        if let Some(a) = &h.after {
            out.push(format!("{CONTEXT}{}", a.trim()));
        }
        let f = h.file.display();
        let from = h.line - usize::from(h.before.is_some());
        if prev.is_some_and(|(pf, pe)| pf != h.file.as_path() || from > pe + 1) {
            raw.push_str("--\n");
        }
        if let Some(b) = &h.before {
            raw.push_str(&format!("{f}-{}-{b}\n", h.line - 1));
        }
        raw.push_str(&format!("{f}:{}:{}\n", h.line, h.text));
        if let Some(a) = &h.after {
            raw.push_str(&format!("{f}-{}-{a}\n", h.line + 1));
        }
        prev = Some((h.file.as_path(), h.line + usize::from(h.after.is_some())));
    }
    if g.stopped {
        out.push(format!(
            "{NOTE}the search stopped at the probe's timeout after {}; the counts cover only that part",
            size(g.bytes)
        ));
    }
    for f in &g.cut {
        out.push(format!(
            "{NOTE}only the first {} of {} were searched (the cap per file)",
            size(FILE_CAP),
            f.display()
        ));
    }
    for f in &g.binary {
        out.push(format!(
            "{NOTE}{} was skipped: it looks binary (a NUL byte in its first 8 KiB)",
            f.display()
        ));
    }
    for (f, why) in &g.unreadable {
        out.push(format!("{NOTE}could not read {}: {why}", f.display()));
    }
    let out = out
        .into_iter()
        .map(|l| crate::ingest::redact::redact(&l).0)
        .collect();
    (out, crate::ingest::redact::redact(&raw).0)
}

/// The findings the ranking reads: not the context lines nor the notes.
pub fn for_ranking(findings: &[String]) -> impl Iterator<Item = &String> {
    findings
        .iter()
        .filter(|f| !f.starts_with(CONTEXT) && !f.starts_with(NOTE))
}

/// `between 14:00 and 15:10 UTC` (dates named when the two ends fall on different days).
pub fn between((a, b): (i64, i64)) -> String {
    let at = |s: i64| jiff::Timestamp::from_second(s).ok();
    match (at(a), at(b)) {
        (Some(x), Some(y)) => {
            let (dx, dy) = (x.strftime("%Y-%m-%d"), y.strftime("%Y-%m-%d"));
            if dx.to_string() == dy.to_string() {
                format!(
                    "between {} and {} UTC",
                    x.strftime("%H:%M"),
                    y.strftime("%H:%M")
                )
            } else {
                format!(
                    "between {} and {} UTC",
                    x.strftime("%Y-%m-%d %H:%M"),
                    y.strftime("%Y-%m-%d %H:%M")
                )
            }
        }
        _ => format!("between {a} and {b} (unix seconds)"),
    }
}

/// A byte size in words: `512 KiB`, `2.0 GiB`.
fn size(b: u64) -> String {
    const GIB: u64 = 1 << 30;
    if b >= GIB {
        format!("{:.1} GiB", b as f64 / GIB as f64)
    } else if b >= 1 << 20 {
        format!("{:.1} MiB", b as f64 / f64::from(1u32 << 20))
    } else {
        format!("{} KiB", b.div_ceil(1024))
    }
}

/// Regexes for the incident's own error signatures, at most 5: (id, regex). The id is the
/// signature's name in lowercase words joined by `-` (`too-many-connections`); the regex is the
/// phrase the paste used for it (`too many clients`), escaped, case-insensitive, with word
/// boundaries at word-character ends, or the signature's built-in pattern when no line of the
/// paste shows one. Mechanisms come before symptoms (HTTP errors, timeouts, crashes).
pub fn incident_terms(inc: &crate::model::Incident) -> Vec<(String, String)> {
    use crate::ingest::signature;
    let mut sigs: Vec<&crate::model::Signature> = inc.signatures.iter().collect();
    sigs.sort_by_key(|s| signature::is_symptom(s.family));
    let mut out: Vec<(String, String)> = Vec::new();
    for s in sigs {
        if out.len() >= 5 {
            break;
        }
        let id = slug(&s.name);
        if id.is_empty() || out.iter().any(|(i, _)| *i == id) {
            continue;
        }
        let Some(table) = signature::pattern(&s.name) else {
            continue;
        };
        let Ok(re) = regex::Regex::new(&format!("(?i){table}")) else {
            continue;
        };
        let phrase = s
            .lines
            .iter()
            .filter_map(|&no| {
                inc.lines
                    .get(no.wrapping_sub(1))
                    .filter(|l| l.no == no)
                    .or_else(|| inc.lines.iter().find(|l| l.no == no))
            })
            .find_map(|l| re.find(&l.text).map(|m| m.as_str().trim().to_string()))
            .filter(|p| !p.is_empty());
        let term = match phrase {
            Some(p) => {
                let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
                let lead = if word(p.chars().next()) { r"\b" } else { "" };
                let tail = if word(p.chars().last()) { r"\b" } else { "" };
                format!("(?i){lead}{}{tail}", regex::escape(&p))
            }
            None => format!("(?i){table}"),
        };
        if out.iter().any(|(_, t)| *t == term) {
            continue;
        }
        out.push((id, term));
    }
    out
}

/// `too many connections` → `too-many-connections`.
fn slug(name: &str) -> String {
    let mut s = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.is_empty() && !s.ends_with('-') {
            s.push('-');
        }
    }
    s.trim_end_matches('-').to_string()
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
        assert_eq!(g.first[0].line, 2);
        assert_eq!(
            g.last.as_ref().map(|l| l.text.as_str()),
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

    /// A deterministic pseudo-random log: (text, expected matching line numbers).
    fn generated(lines: usize, seed: u64) -> (Vec<u8>, Vec<usize>) {
        let mut x = seed;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut text = Vec::new();
        let mut want = Vec::new();
        let mut no = 1;
        for i in 0..lines {
            let r = next();
            let body = match r % 97 {
                0 => "ERROR FATAL: sorry, too many clients already".to_string(),
                1 => "WARN too many\nclients split across lines".to_string(),
                2 => String::new(),
                3 => "x".repeat(usize::try_from(r % 5000).unwrap_or(0)),
                _ => format!("INFO GET /api/orders/{} 200 {}ms", r % 100_000, r % 900),
            };
            if body.contains("too many clients") {
                want.push(no);
            }
            // the split line above is two lines
            no += 1 + body.matches('\n').count();
            text.extend_from_slice(
                format!("2026-06-02T14:{:02}:{:02}Z {body}\n", (i / 60) % 60, i % 60).as_bytes(),
            );
        }
        (text, want)
    }

    fn naive(text: &[u8], re: &Regex) -> Vec<usize> {
        text.split(|&b| b == b'\n')
            .enumerate()
            .filter(|(_, l)| re.is_match(l))
            .map(|(i, _)| i + 1)
            .collect()
    }

    #[test]
    fn counts_equal_a_naive_line_by_line_count_across_chunks() {
        let (text, want) = generated(40_000, 0x9e37_79b9_7f4a_7c15);
        assert!(text.len() > 3 * CHUNK, "spans several chunks");
        for pat in [
            "too many clients",
            "^2026.*x{10}$",
            r"\d+ms$",
            "clients",
            "ERROR|WARN",
        ] {
            let re = matcher(pat).expect("re");
            let expect = naive(&text, &re);
            if pat == "too many clients" {
                assert_eq!(expect, want);
            }
            let g = grep_texts(
                &[(PathBuf::from("gen"), &text[..])],
                &re,
                &Options::default(),
            );
            assert_eq!(g.count, expect.len(), "{pat}");
            assert_eq!(
                g.first.iter().map(|h| h.line).collect::<Vec<_>>(),
                expect.iter().take(3).copied().collect::<Vec<_>>(),
                "{pat}"
            );
            assert_eq!(
                g.last.as_ref().map(|h| h.line),
                expect.last().copied(),
                "{pat}"
            );
        }
    }

    /// Everything a grep reports, for comparing two ways of running one.
    fn seen(g: &Grep) -> String {
        format!(
            "files {} bytes {} count {} outside {} first {:?} last {:?} minutes {:?} span {:?} dated {:?} binary {:?} stopped {}",
            g.files,
            g.bytes,
            g.count,
            g.outside,
            g.first,
            g.last,
            g.per_minute,
            g.span,
            g.dated,
            g.binary,
            g.stopped
        )
    }

    #[test]
    fn a_file_searched_in_parts_reports_exactly_what_one_pass_does() {
        let (mut text, _) = generated(30_000, 0x2545_f491_4f6c_dd1d);
        // a file that ends without a newline, and lines that match at every part's edge
        text.extend_from_slice(b"2026-06-02T15:00:00Z too many clients at the very end");
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("parts.log");
        std::fs::write(&p, &text).expect("w");
        let every = dir.path().join("every.log");
        let all: Vec<u8> = (0..5000)
            .flat_map(|i| format!("14:{:02}:{:02} x{i} ERROR\n", i / 60 % 60, i % 60).into_bytes())
            .collect();
        std::fs::write(&every, &all).expect("w");
        let windowed = Options {
            window: Some((1_780_409_400, 1_780_410_600)),
            ..Options::default()
        };
        for (path, pat) in [
            (&p, "too many clients"),
            (&p, "^2026.*x{10}$"),
            (&p, r"\d+ms$"),
            (&p, "ERROR|WARN"),
            (&every, "ERROR"),
            (&every, "x1"),
        ] {
            let re = matcher(pat).expect("re");
            let file = std::fs::File::open(path).expect("open");
            let len = file.metadata().expect("meta").len();
            for opts in [Options::default(), windowed.clone()] {
                let mut one = Grep::default();
                let fresh = std::fs::File::open(path).expect("open");
                scan_one(&mut one, path, fresh, &re, &opts, false);
                let one = one.finish();
                assert!(one.count > 0, "{pat}");
                for parts in 2..=7 {
                    let mut split = Grep::default();
                    scan_split(&mut split, path, &file, len, parts, &re, &opts);
                    assert_eq!(seen(&split.finish()), seen(&one), "{pat} in {parts} parts");
                }
            }
        }
        // one match, on the line just before or just after a part's edge: its context comes
        // from the part beside it
        let file = std::fs::File::open(&every).expect("open");
        let len = all.len() as u64;
        for parts in 2..=7usize {
            for k in 1..parts {
                let edge = line_start(&file, len / parts as u64 * k as u64, len).expect("edge");
                let no = all[..usize::try_from(edge).expect("usize")]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count();
                for i in [no - 1, no] {
                    let re = matcher(&format!(r"\bx{i} ")).expect("re");
                    let mut one = Grep::default();
                    let fresh = std::fs::File::open(&every).expect("open");
                    scan_one(&mut one, &every, fresh, &re, &Options::default(), false);
                    let one = one.finish();
                    assert_eq!(one.count, 1);
                    assert!(one.first[0].before.is_some() && one.first[0].after.is_some());
                    let mut split = Grep::default();
                    scan_split(
                        &mut split,
                        &every,
                        &file,
                        len,
                        parts,
                        &re,
                        &Options::default(),
                    );
                    assert_eq!(seen(&split.finish()), seen(&one), "x{i} in {parts} parts");
                }
            }
        }
        // a binary file is skipped whole, as in one pass
        let bin = dir.path().join("bin.log");
        let mut b = vec![0u8; 100];
        b.extend_from_slice(&text);
        std::fs::write(&bin, &b).expect("w");
        let f = std::fs::File::open(&bin).expect("open");
        let mut g = Grep::default();
        let re = matcher("too many clients").expect("re");
        scan_split(
            &mut g,
            &bin,
            &f,
            b.len() as u64,
            3,
            &re,
            &Options::default(),
        );
        assert_eq!(g.binary, std::slice::from_ref(&bin));
        assert_eq!(g.count, 0);
        assert_eq!(
            split_into(0, SPLIT_AT - 1, FILE_CAP),
            1,
            "small files are not split"
        );
        assert_eq!(split_into(1, SPLIT_AT, FILE_CAP), 1, "one thread asked for");
        assert_eq!(split_into(4, SPLIT_AT, FILE_CAP), 4);
        assert_eq!(
            split_into(4, FILE_CAP + 1, FILE_CAP),
            1,
            "a cut file is read from its start"
        );
    }

    #[test]
    fn a_big_file_read_on_its_own_thread_counts_like_a_naive_grep() {
        let (mut text, _) = generated(40_000, 11);
        while (text.len() as u64) < PIPE_AT + 1 {
            let again = text.clone();
            text.extend_from_slice(&again);
        }
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("big.log");
        std::fs::write(&p, &text).expect("w");
        for pat in ["too many clients", "^2026.*x{10}$"] {
            let re = matcher(pat).expect("re");
            let expect = naive(&text, &re);
            for threads in [0, 1] {
                let opts = Options {
                    threads,
                    ..Options::default()
                };
                let g = grep_with(std::slice::from_ref(&p), &re, &opts);
                assert_eq!(g.count, expect.len(), "{pat} {threads}");
                assert_eq!(g.bytes, text.len() as u64);
                assert_eq!(g.last.as_ref().map(|h| h.line), expect.last().copied());
                assert_eq!(g.first[2].line, expect[2]);
            }
        }
    }

    #[test]
    fn a_match_on_a_line_straddling_two_chunks_is_found_once_with_its_context() {
        // the match line starts just before the first chunk's end and ends after it
        let mut text = Vec::new();
        let filler = b"2026-06-02T14:00:00Z INFO filler line\n";
        while text.len() + filler.len() < CHUNK - 10 {
            text.extend_from_slice(filler);
        }
        let before_no = count_lines(&text);
        text.extend_from_slice(b"2026-06-02T14:00:01Z ERROR too many clients already\n");
        text.extend_from_slice(b"2026-06-02T14:00:02Z INFO after it\n");
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("a.log");
        std::fs::write(&p, &text).expect("w");
        let g = grep(&[p], &matcher("too many clients").expect("re"));
        assert_eq!(g.count, 1);
        let h = &g.first[0];
        assert_eq!(h.line, before_no + 1);
        assert_eq!(
            h.before.as_deref(),
            Some("2026-06-02T14:00:00Z INFO filler line")
        );
        assert_eq!(
            h.after.as_deref(),
            Some("2026-06-02T14:00:02Z INFO after it")
        );
        assert_eq!(g.last.as_ref(), Some(h));

        // the match line is the last of a chunk: its after-context is in the next one
        let mut text = Vec::new();
        while text.len() < CHUNK - 200 {
            text.extend_from_slice(filler);
        }
        let n = CHUNK - text.len() - 1;
        let mut line = b"too many clients ".to_vec();
        line.resize(n, b'y');
        text.extend_from_slice(&line);
        text.push(b'\n');
        assert_eq!(text.len(), CHUNK);
        text.extend_from_slice(b"next chunk's first line\n");
        let g = grep_texts(
            &[(PathBuf::from("t"), &text[..])],
            &matcher("too many clients").expect("re"),
            &Options::default(),
        );
        assert_eq!(g.count, 1);
        assert_eq!(g.first[0].after.as_deref(), Some("next chunk's first line"));
        assert_eq!(
            g.last.as_ref().and_then(|h| h.after.as_deref()),
            Some("next chunk's first line")
        );
    }

    #[test]
    fn a_line_longer_than_a_chunk_is_one_line() {
        let mut text = b"first\n".to_vec();
        text.extend(std::iter::repeat_n(b'a', CHUNK * 3));
        text.extend_from_slice(b" needle\nlast needle\n");
        let g = grep_texts(
            &[(PathBuf::from("t"), &text[..])],
            &matcher("needle").expect("re"),
            &Options::default(),
        );
        assert_eq!(g.count, 2);
        assert_eq!(g.first[0].line, 2);
        assert!(g.first[0].text.ends_with('…'));
        assert_eq!(g.first[1].line, 3);
    }

    #[test]
    fn a_match_across_a_newline_does_not_count_but_the_line_may() {
        let text = b"alpha\nbeta\nalpha beta\n";
        let re = matcher(r"alpha\s+beta").expect("re");
        let g = grep_texts(&[(PathBuf::from("t"), &text[..])], &re, &Options::default());
        assert_eq!(g.count, 1);
        assert_eq!(g.first[0].line, 3);
    }

    #[test]
    fn globs_expand_to_the_matching_files_sorted() {
        assert!(glob_match("*.log", "app.log"));
        assert!(!glob_match("*.log", "app.log.1"));
        assert!(glob_match("app.log.[0-9]*", "app.log.12.gz"));
        assert!(glob_match("app-?.log", "app-b.log"));
        assert!(!glob_match("app-[!b].log", "app-b.log"));
        assert!(glob_match("app-[^b].log", "app-c.log"));
        assert!(glob_match("a*b*c", "aXXbYYc"));
        assert!(!glob_match("a*b*c", "aXXbYY"));
        assert!(glob_match("[x", "[x"));

        let dir = tempfile::tempdir().expect("tmp");
        for d in ["api", "web", "db"] {
            std::fs::create_dir(dir.path().join(d)).expect("d");
            std::fs::write(dir.path().join(d).join("app.log"), "x\n").expect("w");
            std::fs::write(dir.path().join(d).join("app.txt"), "x\n").expect("w");
        }
        std::fs::write(dir.path().join("api/.hidden.log"), "x\n").expect("w");
        let (fs, bad) = expand(&[dir.path().join("*/*.log")]);
        let names: Vec<String> = fs
            .iter()
            .map(|p| {
                p.strip_prefix(dir.path())
                    .expect("under")
                    .display()
                    .to_string()
            })
            .collect();
        assert_eq!(names, ["api/app.log", "db/app.log", "web/app.log"]);
        assert!(bad.is_empty());
        let (fs, _) = expand(&[dir.path().join("[aw]*").join("app.txt")]);
        assert_eq!(fs.len(), 2);

        let nothing = dir.path().join("*.nope");
        let (fs, bad) = expand(&[nothing.clone(), dir.path().join("missing.log")]);
        assert!(fs.is_empty());
        assert_eq!(bad.len(), 2);
        assert_eq!(
            bad[0],
            (nothing, "no file matches this pattern".to_string())
        );
        let g = search(
            &[dir.path().join("*.nope")],
            &matcher("x").expect("re"),
            &Options::default(),
        );
        assert_eq!(g.files, 0);
        assert_eq!(g.unreadable.len(), 1);
    }

    #[test]
    fn gzip_files_are_searched_decompressed() {
        use std::io::Write;
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("app.log.1.gz");
        let mut text = String::new();
        for i in 0..50_000 {
            text.push_str(&format!("2026-06-02T14:{:02}:00Z INFO line {i}\n", i % 60));
            if i % 1000 == 7 {
                text.push_str("2026-06-02T14:30:00Z ERROR too many clients\n");
            }
        }
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(text.as_bytes()).expect("gz");
        std::fs::write(&p, enc.finish().expect("gz")).expect("w");
        std::fs::write(dir.path().join("plain.log"), "too many clients\n").expect("w");
        let g = search(
            &[dir.path().to_path_buf()],
            &matcher("too many clients").expect("re"),
            &Options::default(),
        );
        assert_eq!(g.files, 2);
        assert_eq!(g.count, 51);
        assert_eq!(g.bytes, text.len() as u64 + 17);
        assert_eq!(g.first[0].line, 9);

        std::fs::write(dir.path().join("bad.gz"), b"not gzip at all\n").expect("w");
        let g = grep(&[dir.path().join("bad.gz")], &matcher("x").expect("re"));
        assert_eq!(g.unreadable.len(), 1, "{:?}", g.unreadable);
    }

    #[test]
    fn binary_files_are_skipped_with_a_note() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut bin = b"too many clients\n".to_vec();
        bin.extend_from_slice(&[0, 1, 2, 3]);
        std::fs::write(dir.path().join("core"), &bin).expect("w");
        std::fs::write(dir.path().join("ok.log"), "too many clients\n").expect("w");
        let g = search(
            &[dir.path().to_path_buf()],
            &matcher("too many clients").expect("re"),
            &Options::default(),
        );
        assert_eq!(g.count, 1);
        assert_eq!(g.files, 1);
        assert_eq!(g.binary, [dir.path().join("core")]);
        let (f, _) = findings(&g, "in 1 file(s)", None);
        assert!(
            f.iter()
                .any(|l| l.starts_with(NOTE) && l.contains("binary")),
            "{f:?}"
        );
        assert_eq!(for_ranking(&f).count(), 2, "{f:?}");
    }

    #[test]
    fn the_time_window_keeps_lines_inside_it_and_unstamped_ones() {
        let text = "\
2026-06-02T13:50:00Z ERROR too many clients
2026-06-02T14:05:00Z ERROR too many clients
  continuation: too many clients
2026-06-02T15:00:00Z ERROR too many clients
2026-06-02T15:20:00Z ERROR too many clients
";
        let at = |s: &str| s.parse::<jiff::Timestamp>().expect("ts").as_second();
        let w = (at("2026-06-02T14:00:00Z"), at("2026-06-02T15:10:00Z"));
        let opts = Options {
            window: Some(w),
            ..Options::default()
        };
        let re = matcher("too many clients").expect("re");
        let g = grep_texts(&[(PathBuf::from("t"), text.as_bytes())], &re, &opts);
        assert_eq!(g.count, 3);
        assert_eq!(g.outside, 2);
        assert_eq!(g.first[0].line, 2);
        let (f, _) = findings(&g, "in 1 file(s)", Some(w));
        assert!(
            f[0].starts_with("3 matching line(s) in 1 file(s) between 14:00 and 15:10 UTC"),
            "{f:?}"
        );
        assert_eq!(f[1], "2 more matching line(s) fall outside that window");

        // times of day only: the window's times of day, across midnight too
        assert!(in_window(false, 14 * 3600 + 300, w));
        assert!(!in_window(false, 13 * 3600, w));
        let night = (at("2026-06-02T23:30:00Z"), at("2026-06-03T00:30:00Z"));
        assert!(in_window(false, 10 * 60, night));
        assert!(!in_window(false, 3600 * 2, night));
        assert!(between(night).contains("2026-06-03 00:30"));
    }

    #[test]
    fn findings_show_context_like_grep_c1() {
        let text = "a\nb too many clients\nc\n";
        let g = grep_texts(
            &[(PathBuf::from("app.log"), text.as_bytes())],
            &matcher("too many clients").expect("re"),
            &Options::default(),
        );
        let (f, raw) = findings(&g, "in 1 file(s)", None);
        assert_eq!(
            f,
            [
                "1 matching line(s) in 1 file(s)",
                "  - a",
                "b too many clients",
                "  - c"
            ]
        );
        assert_eq!(
            raw,
            "app.log-1-a\napp.log:2:b too many clients\napp.log-3-c\n"
        );
    }

    #[test]
    fn the_cap_cuts_a_file_and_says_so() {
        let text = "too many clients\n".repeat(1000);
        let opts = Options {
            file_cap: 100,
            ..Options::default()
        };
        let g = grep_texts(
            &[(PathBuf::from("t"), text.as_bytes())],
            &matcher("too many clients").expect("re"),
            &opts,
        );
        assert_eq!(
            g.count, 5,
            "the 5 whole lines; the cut sixth does not match"
        );
        assert_eq!(g.cut, [PathBuf::from("t")]);
        let g = grep_texts(
            &[(PathBuf::from("t"), &text.as_bytes()[..100])],
            &matcher("too many clients").expect("re"),
            &opts,
        );
        assert!(g.cut.is_empty());
    }

    #[test]
    fn line_counting_matches_a_plain_count() {
        let (text, _) = generated(3000, 7);
        for n in [0, 1, 31, 32, 33, 255 * 32 + 5, text.len()] {
            let n = n.min(text.len());
            assert_eq!(
                count_lines(&text[..n]),
                text[..n].iter().filter(|&&b| b == b'\n').count()
            );
        }
    }

    fn incident(text: &str) -> crate::model::Incident {
        crate::ingest::parse(text, &Default::default())
    }

    #[test]
    fn incident_terms_are_the_pastes_own_phrases() {
        let inc = incident(
            "14:02 FATAL: sorry, Too Many Clients already\n\
             14:03 upstream returned HTTP 503 to checkout\n\
             14:04 pq: too many clients again\n",
        );
        let terms = incident_terms(&inc);
        assert_eq!(terms[0].0, "too-many-connections");
        assert_eq!(terms[0].1, r"(?i)\bToo Many Clients\b");
        assert!(terms.iter().any(|(id, _)| id == "http-5xx"), "{terms:?}");
        // mechanisms first
        let last = terms.last().expect("some");
        assert_eq!(last.0, "http-5xx");
        for (_, t) in &terms {
            let re = matcher(t).expect("compiles");
            assert!(re.is_match(b"x too many clients y") || t.contains("503"));
        }
        assert!(incident_terms(&incident("all quiet\n")).is_empty());
    }

    #[test]
    fn incident_terms_are_escaped_distinct_and_at_most_five() {
        let inc = incident(
            "OOMKilled (exit code 137)\n\
             no space left on device\n\
             x509: certificate has expired\n\
             connection refused\n\
             too many open files\n\
             deadlock detected\n\
             NXDOMAIN for db.internal\n\
             OOMKilled again\n",
        );
        let terms = incident_terms(&inc);
        assert_eq!(terms.len(), 5, "{terms:?}");
        let mut ids: Vec<&str> = terms.iter().map(|(i, _)| i.as_str()).collect();
        ids.dedup();
        assert_eq!(ids.len(), 5);
        for (id, t) in &terms {
            assert!(!id.contains(' '));
            matcher(t).expect("compiles");
        }
        let inc = incident("ERROR: tls: handshake failure (x509?) \n");
        for (_, t) in incident_terms(&inc) {
            matcher(&t).expect("escaped");
        }
    }

    #[test]
    fn slugs_are_lowercase_words() {
        assert_eq!(slug("too many connections"), "too-many-connections");
        assert_eq!(slug("HTTP 5xx"), "http-5xx");
        assert_eq!(slug("CrashLoopBackOff"), "crashloopbackoff");
    }
}
