//! The knowledge: playbooks parsed from YAML (embedded at build time, extendable with
//! `--playbooks DIR`), checked, and compiled into a [`Library`] that the ranking matches
//! against an incident in one pass. No I/O here except [`load_dir`], which reads a folder.

pub mod embedded;
pub mod lint;
pub mod prefilter;
pub mod schema;
pub mod selftest;

use crate::model::{ChangeKind, ProbeKind};
use schema::{MetricCond, PlaybookSpec, SignalSpec};
use std::path::{Path, PathBuf};

pub use prefilter::PatternSet;

/// Largest playbook file accepted.
pub const MAX_FILE: usize = 1024 * 1024;

/// A playbook problem, located.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct PlaybookError {
    /// The file (or `builtin:NAME`).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

/// Where a playbook came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Embedded in the binary.
    Builtin,
    /// Read from a `--playbooks` folder.
    Custom(PathBuf),
}

impl Origin {
    /// `builtin` or `custom`.
    pub fn label(&self) -> &'static str {
        match self {
            Origin::Builtin => "builtin",
            Origin::Custom(_) => "custom",
        }
    }
}

/// A line regex compiled on first use (the library's pattern set finds candidate lines first, so
/// most of these are never compiled in a run). ASCII-only, case-insensitive, over bytes.
#[derive(Debug)]
pub struct LazyRe {
    /// The pattern as written.
    pub pattern: String,
    re: std::sync::OnceLock<Option<LineRegex>>,
}

impl Clone for LazyRe {
    fn clone(&self) -> Self {
        LazyRe::new(&self.pattern)
    }
}

/// A compiled line pattern: finds match spans (no capture groups).
pub type LineRegex = regex_automata::meta::Regex;

/// Compile a line pattern: ASCII, case-insensitive, multi-line, over bytes. Built for short
/// lines and many patterns: no capture groups, no literal prefilter (the library's prefilter has
/// already picked the lines), no full DFA; the lazy DFA does the searching.
pub fn line_regex(p: &str) -> Result<LineRegex, Box<regex_automata::meta::BuildError>> {
    use regex_automata::{meta, nfa::thompson::WhichCaptures, util::syntax};
    meta::Builder::new()
        .configure(
            meta::Config::new()
                .which_captures(WhichCaptures::Implicit)
                .onepass(false)
                .backtrack(false)
                .dfa(false)
                .auto_prefilter(false)
                .nfa_size_limit(Some(4 << 20)),
        )
        .syntax(
            syntax::Config::new()
                .case_insensitive(true)
                .unicode(false)
                .utf8(false)
                .multi_line(true),
        )
        .build(p)
        .map_err(Box::new)
}

impl LazyRe {
    /// Wrap a pattern.
    pub fn new(p: &str) -> LazyRe {
        LazyRe {
            pattern: p.to_string(),
            re: std::sync::OnceLock::new(),
        }
    }
    /// The compiled regex (None only if the pattern is invalid, which loading rules out).
    pub fn get(&self) -> Option<&LineRegex> {
        self.re
            .get_or_init(|| line_regex(&self.pattern).ok())
            .as_ref()
    }
    /// Does it match the text?
    pub fn is_match(&self, t: &str) -> bool {
        self.get().is_some_and(|r| r.is_match(t.as_bytes()))
    }
}

/// How a compiled signal matches.
#[derive(Clone, Debug)]
pub enum Matcher {
    /// Line patterns, found through the library's pattern set.
    Lines {
        /// The `any` regexes (to locate the match for the negation check).
        any: Vec<LazyRe>,
        /// The `all` regexes.
        all: Vec<LazyRe>,
    },
    /// A metric condition.
    Metric {
        /// Name regex.
        name: LazyText,
        /// The condition.
        cond: MetricCond,
    },
    /// A change condition.
    Change {
        /// Kinds.
        kinds: Vec<ChangeKind>,
        /// Minutes before onset.
        within_min: Option<i64>,
        /// Text regex.
        text: Option<LazyText>,
    },
}

/// A compiled signal.
#[derive(Clone, Debug)]
pub struct Signal {
    /// Id within its playbook.
    pub id: String,
    /// Description.
    pub describe: String,
    /// Weight.
    pub weight: f64,
    /// Names the mechanism.
    pub decisive: bool,
    /// A shared symptom.
    pub symptom: bool,
    /// How it matches.
    pub matcher: Matcher,
}

/// A compiled playbook.
#[derive(Clone, Debug)]
pub struct Playbook {
    /// The parsed file.
    pub spec: PlaybookSpec,
    /// Where it came from.
    pub origin: Origin,
    /// The source text (for `playbook show`).
    pub source: String,
    /// Signals for.
    pub signals: Vec<Signal>,
    /// Signals against.
    pub counter: Vec<Signal>,
    /// Trigger kinds.
    pub triggers: Vec<ChangeKind>,
}

/// All playbooks, with one pattern set over every line regex.
#[derive(Debug)]
pub struct Library {
    /// Playbooks in id order.
    pub playbooks: Vec<Playbook>,
    /// One set over every `any` regex of every signal and counter signal.
    pub set: PatternSet,

    /// For each set pattern: (playbook, is_counter, signal index).
    pub owners: Vec<(usize, bool, usize)>,
}

/// Parse a `30m` / `3h` / `2d` duration into minutes.
pub fn parse_minutes(s: &str) -> Option<i64> {
    let s = s.trim();
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit())?);
    let n: i64 = num.parse().ok()?;
    Some(match unit {
        "m" | "min" => n,
        "h" => n * 60,
        "d" => n * 1440,
        _ => return None,
    })
}

/// The 1-based line and column where `needle` first appears in `text` (1:1 if absent).
pub fn locate(text: &str, needle: &str) -> (usize, usize) {
    match text.find(needle) {
        Some(pos) => {
            let before = &text[..pos];
            let line = before.matches('\n').count() + 1;
            let col = before.rfind('\n').map_or(pos, |n| pos - n - 1) + 1;
            (line, col)
        }
        None => (1, 1),
    }
}

/// A text regex (metric names, change texts) compiled on first use: most never are in a run.
#[derive(Debug)]
pub struct LazyText {
    /// The pattern as written.
    pub pattern: String,
    re: std::sync::OnceLock<Option<LineRegex>>,
}

impl Clone for LazyText {
    fn clone(&self) -> Self {
        LazyText {
            pattern: self.pattern.clone(),
            re: std::sync::OnceLock::new(),
        }
    }
}

impl LazyText {
    /// Wrap a pattern; with `check`, compile it now and fail if it does not compile.
    fn new(p: &str, check: bool) -> Result<LazyText, Box<regex_automata::meta::BuildError>> {
        let re = std::sync::OnceLock::new();
        if check {
            let _ = re.set(Some(line_regex(p)?));
        }
        Ok(LazyText {
            pattern: p.to_string(),
            re,
        })
    }
    /// Does it match the text?
    pub fn is_match(&self, t: &str) -> bool {
        self.re
            .get_or_init(|| line_regex(&self.pattern).ok())
            .as_ref()
            .is_some_and(|r| r.is_match(t.as_bytes()))
    }
}

/// Parse one playbook file's text (structure only; see [`lint`] for the rest).
pub fn parse_spec(file: &str, text: &str) -> Result<PlaybookSpec, PlaybookError> {
    if text.len() > MAX_FILE {
        return Err(PlaybookError {
            file: file.into(),
            line: 1,
            column: 1,
            message: format!("file is larger than {MAX_FILE} bytes"),
        });
    }
    yaml_serde::from_str::<PlaybookSpec>(text).map_err(|e| {
        let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
        let msg = e.to_string();
        // yaml_serde appends " at line X column Y"; the location is already in front
        let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
        PlaybookError {
            file: file.into(),
            line,
            column,
            message: msg,
        }
    })
}

fn compile_signal(
    file: &str,
    text: &str,
    s: &SignalSpec,
    check: bool,
) -> Result<Signal, PlaybookError> {
    let err = |needle: &str, message: String| {
        let (line, column) = locate(text, needle);
        PlaybookError {
            file: file.into(),
            line,
            column,
            message,
        }
    };
    let forms = usize::from(!s.any.is_empty())
        + usize::from(s.metric.is_some())
        + usize::from(s.change.is_some());
    if forms != 1 {
        return Err(err(
            &format!("id: {}", s.id),
            format!(
                "signal `{}` needs exactly one of `any`, `metric` or `change`",
                s.id
            ),
        ));
    }
    if !(0.1..=10.0).contains(&s.weight) {
        return Err(err(
            &format!("id: {}", s.id),
            format!("signal `{}`: weight {} is outside 0.1..=10", s.id, s.weight),
        ));
    }
    let re = |p: &String| {
        LazyText::new(p, check).map_err(|e| {
            err(
                p,
                format!(
                    "signal `{}`: bad regex `{p}`: {}",
                    s.id,
                    first_line(&e.to_string())
                ),
            )
        })
    };
    let matcher =
        if let Some(m) = &s.metric {
            let conds = usize::from(m.saturated == Some(true))
                + usize::from(m.above.is_some())
                + usize::from(m.rises.is_some())
                + usize::from(m.drops.is_some());
            if conds != 1 {
                return Err(err(
                    &m.name,
                    format!(
                        "signal `{}`: a metric needs exactly one of saturated, above, rises, drops",
                        s.id
                    ),
                ));
            }
            Matcher::Metric {
                name: re(&m.name)?,
                cond: m.clone(),
            }
        } else if let Some(c) = &s.change {
            let mut kinds = Vec::new();
            for k in &c.kinds {
                kinds.push(ChangeKind::parse(k).ok_or_else(|| {
                    err(k, format!("signal `{}`: unknown change kind `{k}`", s.id))
                })?);
            }
            let within_min = match &c.within {
                Some(w) => Some(parse_minutes(w).ok_or_else(|| {
                    err(
                        w,
                        format!("signal `{}`: bad duration `{w}` (use 90m, 3h, 2d)", s.id),
                    )
                })?),
                None => None,
            };
            let text_re = match &c.text {
                Some(t) => Some(re(t)?),
                None => None,
            };
            Matcher::Change {
                kinds,
                within_min,
                text: text_re,
            }
        } else {
            Matcher::Lines {
                any: s.any.iter().map(|p| LazyRe::new(p)).collect(),
                all: s.all.iter().map(|p| LazyRe::new(p)).collect(),
            }
        };
    Ok(Signal {
        id: s.id.clone(),
        describe: s.describe.clone(),
        weight: s.weight,
        decisive: s.decisive,
        symptom: s.symptom,
        matcher,
    })
}

fn first_line(s: &str) -> String {
    s.lines().last().unwrap_or(s).trim().to_string()
}

/// Compile a parsed spec.
pub fn compile(
    file: &str,
    text: &str,
    spec: PlaybookSpec,
    origin: Origin,
) -> Result<Playbook, PlaybookError> {
    // built-ins are checked by the tests; a folder's regexes are compiled now to report them
    let check = origin != Origin::Builtin;
    let signals = spec
        .signals
        .iter()
        .map(|s| compile_signal(file, text, s, check))
        .collect::<Result<Vec<_>, _>>()?;
    let counter = spec
        .counter
        .iter()
        .map(|s| compile_signal(file, text, s, check))
        .collect::<Result<Vec<_>, _>>()?;
    let mut triggers = Vec::new();
    for t in &spec.triggers {
        let k = ChangeKind::parse(t).ok_or_else(|| {
            let (line, column) = locate(text, t);
            PlaybookError {
                file: file.into(),
                line,
                column,
                message: format!("unknown trigger kind `{t}`"),
            }
        })?;
        triggers.push(k);
    }
    Ok(Playbook {
        spec,
        origin,
        source: text.to_string(),
        signals,
        counter,
        triggers,
    })
}

/// Parse and compile one file, then lint it; the first problem is the error. (The built-in
/// playbooks, see [`builtins`], are linted by the tests, not on every run.)
pub fn load_one(file: &str, text: &str, origin: Origin) -> Result<Playbook, PlaybookError> {
    let spec = parse_spec(file, text)?;
    let pb = compile(file, text, spec, origin)?;
    if let Some(p) = lint::check(file, text, &pb, false).into_iter().next() {
        return Err(p);
    }
    Ok(pb)
}

/// The built-in playbooks' specs, parsed ahead of time: one JSON line per file,
/// `["NAME","FNV-1A OF ITS TEXT",SPEC]`. Reading JSON costs a fraction of reading YAML; a file
/// whose text no longer has its hash (edited since) is read from its YAML, so a stale table costs
/// time, never a difference. Regenerate it with `.ci/gen-embedded.sh`.
pub const SPECS: &str = include_str!("specs.json");

/// One line of [`SPECS`].
type SpecLine = (String, String, PlaybookSpec);

/// The [`SPECS`] line for a file, as the generator writes it.
#[cfg(test)]
fn spec_line(name: &str, text: &str, spec: &PlaybookSpec) -> String {
    let line: (&str, String, &PlaybookSpec) =
        (name, format!("{:016x}", prefilter::key(text)), spec);
    serde_json::to_string(&line).unwrap_or_default()
}

/// The embedded playbooks.
pub fn builtins() -> Result<Vec<Playbook>, PlaybookError> {
    let mut pre: std::collections::HashMap<String, (String, PlaybookSpec)> = SPECS
        .lines()
        .filter_map(|l| serde_json::from_str::<SpecLine>(l).ok())
        .map(|(name, hash, spec)| (name, (hash, spec)))
        .collect();
    embedded::FILES
        .iter()
        .map(|(name, text)| {
            let file = format!("playbooks/{name}");
            let spec = match pre.remove(*name) {
                Some((hash, spec)) if hash == format!("{:016x}", prefilter::key(text)) => spec,
                _ => parse_spec(&file, text)?,
            };
            compile(&file, text, spec, Origin::Builtin)
        })
        .collect()
}

/// Read the `*.yaml`/`*.yml` files of a folder, sorted by name: (path, text).
pub fn read_dir(dir: &Path) -> Result<Vec<(PathBuf, String)>, crate::Error> {
    let rd = std::fs::read_dir(dir).map_err(|source| crate::Error::ReadInput {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut files: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let t = std::fs::read(&p).map_err(|source| crate::Error::ReadInput {
                path: p.clone(),
                source,
            })?;
            Ok((p, String::from_utf8_lossy(&t).into_owned()))
        })
        .collect()
}

/// Load a folder's playbooks.
pub fn load_dir(dir: &Path) -> Result<Vec<Playbook>, crate::Error> {
    let mut out = Vec::new();
    for (path, text) in read_dir(dir)? {
        out.push(load_one(
            &path.display().to_string(),
            &text,
            Origin::Custom(path.clone()),
        )?);
    }
    Ok(out)
}

impl Library {
    /// Build from built-ins overridden (by id) and extended by custom playbooks.
    pub fn new(builtin: Vec<Playbook>, custom: Vec<Playbook>) -> Result<Library, PlaybookError> {
        let mut all: std::collections::BTreeMap<String, Playbook> =
            std::collections::BTreeMap::new();
        for p in builtin.into_iter().chain(custom) {
            all.insert(p.spec.id.clone(), p);
        }
        let playbooks: Vec<Playbook> = all.into_values().collect();
        let mut patterns = Vec::new();
        let mut owners = Vec::new();
        let mut all_patterns = Vec::new();
        for (pi, p) in playbooks.iter().enumerate() {
            for (counter, sigs) in [(false, &p.signals), (true, &p.counter)] {
                for (si, s) in sigs.iter().enumerate() {
                    if let Matcher::Lines { any, all } = &s.matcher {
                        for r in any {
                            patterns.push(r.pattern.clone());
                            owners.push((pi, counter, si));
                        }
                        for r in all {
                            all_patterns.push((pi, r.pattern.clone()));
                        }
                    }
                }
            }
        }
        // patterns from folders are compiled now, so a bad one is reported at load, not when
        // (if ever) a line first reaches it; built-ins are checked by the tests
        let custom = |pi: usize| matches!(playbooks[pi].origin, Origin::Custom(_));
        let bad = patterns
            .iter()
            .zip(&owners)
            .map(|(p, (pi, ..))| (*pi, p))
            .chain(all_patterns.iter().map(|(pi, p)| (*pi, p)))
            .filter(|(pi, _)| custom(*pi))
            .find_map(|(pi, p)| line_regex(p).err().map(|e| (pi, p.clone(), e.to_string())));
        let set = match bad {
            Some(bad) => Err(bad),
            None => PatternSet::new(&patterns)
                .map_err(|(i, e)| (owners.get(i).map_or(0, |o| o.0), patterns[i].clone(), e)),
        };
        let set = set.map_err(|(pi, p, err)| {
            let pb = &playbooks[pi];
            let file = match &pb.origin {
                Origin::Builtin => format!("playbooks/{}.yaml", pb.spec.id),
                Origin::Custom(path) => path.display().to_string(),
            };
            let (line, column) = locate(&pb.source, &p);
            PlaybookError {
                file,
                line,
                column,
                message: format!("bad regex `{p}`: {}", first_line(&err)),
            }
        })?;
        Ok(Library {
            playbooks,
            set,
            owners,
        })
    }

    /// The built-in library alone.
    pub fn builtin() -> Result<Library, PlaybookError> {
        Library::new(builtins()?, Vec::new())
    }

    /// Find a playbook by id.
    pub fn get(&self, id: &str) -> Option<&Playbook> {
        self.playbooks.iter().find(|p| p.spec.id == id)
    }
}

/// The probe kinds, for lint messages.
pub fn probe_kind_name(k: ProbeKind) -> &'static str {
    k.as_str()
}

/// For the tests of a table generated into `src/playbook/`: with `SENTINEL_BLESS` set, write
/// `want` to it and say `false` (nothing more to check); otherwise fail unless it is current.
#[cfg(test)]
pub(crate) fn generated_is_current(file: &str, committed: &str, want: &str) -> bool {
    if std::env::var_os("SENTINEL_BLESS").is_some() {
        let path = format!("{}/src/playbook/{file}", env!("CARGO_MANIFEST_DIR"));
        std::fs::write(&path, want).unwrap_or_else(|e| panic!("write {path}: {e}"));
        return false;
    }
    assert!(
        committed == want,
        "src/playbook/{file} is stale: run .ci/gen-embedded.sh"
    );
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed specs are what the YAML files give (regenerate: .ci/gen-embedded.sh).
    #[test]
    fn spec_table_is_current() {
        let want: String = embedded::FILES
            .iter()
            .map(|(name, text)| {
                let spec = parse_spec(name, text).expect("built-in playbook parses");
                spec_line(name, text, &spec) + "\n"
            })
            .collect();
        if !generated_is_current("specs.json", SPECS, &want) {
            return;
        }
        // and reading it back gives the same specs as the YAML
        for (line, (name, text)) in SPECS.lines().zip(embedded::FILES) {
            let (n, _, spec) = serde_json::from_str::<SpecLine>(line).expect("a spec line");
            assert_eq!(n, *name);
            let yaml = parse_spec(name, text).expect("parses");
            assert_eq!(format!("{spec:?}"), format!("{yaml:?}"), "{name}");
        }
    }

    #[test]
    fn builtins_lint_clean() {
        let pbs = builtins().expect("built-in playbooks load");
        assert_eq!(pbs.len(), embedded::FILES.len());
        for ((name, text), pb) in embedded::FILES.iter().zip(&pbs) {
            let problems = lint::check(name, text, pb, true);
            assert!(problems.is_empty(), "{name}: {problems:?}");
        }
    }

    #[test]
    fn pattern_set_finds_line_anchored_patterns_in_multi_line_text() {
        let pats = vec![
            r"^\S+\s+\d{4,}\s+\d{4,}\s+0\s+100%\s+/".to_string(),
            r"no space left".to_string(),
        ];
        let set = PatternSet::new(&pats).expect("set");
        let text = b"$ df -h /var\n/dev/sda3        80G   31G   49G  39% /var\n$ df -i /var\n/dev/sda3      5242880 5242880       0  100% /var\nfailed: No space left on device (28)\n";
        assert_eq!(set.matches(text), vec![0, 1]);
    }
}

#[cfg(test)]
mod library_tests {
    #[test]
    fn builtin_set_reports_anchored_pattern() {
        let lib = super::Library::builtin().expect("lib");
        let text = b"$ df -h /var\n/dev/sda3        80G   31G   49G  39% /var\n$ df -i /var\n/dev/sda3      5242880 5242880       0  100% /var\nfailed: No space left on device (28)\n";
        let idx = lib
            .set
            .patterns
            .iter()
            .position(|p| p.pattern.starts_with(r"^\S+\s+\d{4,}"))
            .expect("pattern");
        let m = lib.set.matches(text);
        assert!(m.contains(&idx), "{idx} not in {m:?}");
        let line = b"/dev/sda3      5242880 5242880       0  100% /var";
        assert!(lib.set.matches(line).contains(&idx));
    }
}
