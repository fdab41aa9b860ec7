//! The library's pattern set: which of ~1,500 line regexes can match which lines, found without
//! compiling them. Every pattern is reduced to a few literals that any match must begin (or end)
//! with; one Aho-Corasick automaton finds those literals in the lowercased text, and only the
//! patterns whose literal appears on a line are compiled and run on that line. Patterns with no
//! usable literal (`\d+/\d+`) go to a small multi-pattern lazy DFA run over the whole text.
//!
//! Extracting literals costs a regex parse per pattern (tens of milliseconds for the built-ins),
//! so the built-ins' literals are precomputed in `literals.txt`, keyed by a hash of the pattern;
//! a pattern not in the table (a custom playbook, or a built-in edited since) is reduced at load.
//! A stale table costs time, never a match. Regenerate it with `.ci/gen-embedded.sh`.

use super::LazyRe;
use aho_corasick::AhoCorasick;
use regex_syntax::hir::literal::{ExtractKind, Extractor, Seq};

/// The precomputed literals of the built-in patterns.
pub const TABLE: &str = include_str!("literals.txt");

/// Shortest literal worth searching for (shorter ones match nearly every line).
const MIN_LITERAL: usize = 2;
/// Literals are searched for by their first this many bytes (a smaller automaton to build,
/// at the cost of a few more candidates to confirm).
const MAX_LITERAL_LEN: usize = 8;
/// Most literals per pattern (more are cut shorter until they merge).
const MAX_LITERALS: usize = 12;
/// A pattern whose literals are on at least this many lines, and on one line in
/// [`DENSE_SHARE`], is searched over the whole text instead of confirmed line by line.
const DENSE_MIN: usize = 256;
const DENSE_SHARE: usize = 8;
/// Patterns per residual automaton.
const CHUNK: usize = 48;

/// The literals (ASCII-lowercased) one of which every match of `pattern` must start or end with,
/// or `None` when there is no short, selective list. Errors if the pattern does not parse.
pub fn required_literals(pattern: &str) -> Result<Option<Vec<Vec<u8>>>, String> {
    // case-sensitive parse: lowercasing the literals and the text gives ASCII case-insensitivity
    // without the 2^n case variants a case-insensitive parse would list
    let hir = regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .multi_line(true)
        .build()
        .parse(pattern)
        .map_err(|e| e.to_string())?;
    Ok(inner(&hir, 0))
}

/// How good a literal list is as a filter: longer literals first (up to 16 bytes), then fewer.
fn quality(lits: &[Vec<u8>]) -> (usize, std::cmp::Reverse<usize>) {
    let shortest = lits.iter().map(Vec::len).min().unwrap_or(0);
    (shortest.min(16), std::cmp::Reverse(lits.len()))
}

/// The best literal list every match of `hir` contains: its own prefixes or suffixes, or those
/// of a part every match passes through (a piece of a concatenation, a repeated-at-least-once
/// or captured sub-pattern, each branch of an alternation). A line that matches on its own
/// holds the literal, so this is as good a filter as a prefix.
fn inner(hir: &regex_syntax::hir::Hir, depth: usize) -> Option<Vec<Vec<u8>>> {
    use regex_syntax::hir::HirKind;
    let mut options: Vec<Vec<Vec<u8>>> = [ExtractKind::Prefix, ExtractKind::Suffix]
        .into_iter()
        .filter_map(|kind| usable(&Extractor::new().kind(kind.clone()).extract(hir), kind))
        .collect();
    if depth < 8 {
        match hir.kind() {
            HirKind::Concat(parts) => {
                options.extend(parts.iter().filter_map(|p| inner(p, depth + 1)));
            }
            HirKind::Capture(c) => options.extend(inner(&c.sub, depth + 1)),
            HirKind::Repetition(r) if r.min >= 1 => options.extend(inner(&r.sub, depth + 1)),
            HirKind::Alternation(alts) => {
                let union: Option<Vec<Vec<u8>>> = alts
                    .iter()
                    .map(|a| inner(a, depth + 1))
                    .collect::<Option<Vec<_>>>()
                    .map(|sets| minimal(sets.into_iter().flatten().collect()));
                options.extend(union.filter(|u| u.len() <= MAX_LITERALS));
            }
            _ => {}
        }
    }
    options.into_iter().max_by_key(|l| quality(l))
}

fn usable(seq: &Seq, kind: ExtractKind) -> Option<Vec<Vec<u8>>> {
    let mut lits = minimal(
        seq.literals()?
            .iter()
            .map(|l| l.as_bytes().to_ascii_lowercase())
            .collect(),
    );
    // too many: cut every literal shorter (from its far end: a match still begins, or ends, with
    // the cut literal) until the variants collapse
    while lits.len() > MAX_LITERALS {
        let longest = lits.iter().map(Vec::len).max().unwrap_or(0);
        if longest <= MIN_LITERAL + 1 {
            return None;
        }
        let cut = longest - 1;
        lits = minimal(
            lits.into_iter()
                .map(|l| match kind {
                    ExtractKind::Suffix if l.len() > cut => l[l.len() - cut..].to_vec(),
                    _ => l[..l.len().min(cut)].to_vec(),
                })
                .collect(),
        );
    }
    let ok = !lits.is_empty() && lits.iter().all(|l| l.len() >= MIN_LITERAL);
    ok.then_some(lits)
}

/// Sorted by length, without duplicates or literals that contain another (the one contained is
/// found wherever the longer one is).
fn minimal(mut lits: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    lits.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
    lits.dedup();
    let mut keep: Vec<Vec<u8>> = Vec::new();
    for l in lits {
        if !keep.iter().any(|k| memchr::memmem::find(&l, k).is_some()) {
            keep.push(l);
        }
    }
    keep
}

/// FNV-1a of a pattern: the table's key.
pub fn key(pattern: &str) -> u64 {
    pattern.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// One table line: `KEY<TAB>LIT<TAB>LIT…`, or `KEY<TAB>-` for a pattern with no literals.
pub fn table_line(pattern: &str, lits: Option<&[Vec<u8>]>) -> String {
    let mut s = format!("{:016x}", key(pattern));
    match lits {
        None => s.push_str("\t-"),
        Some(lits) => {
            for l in lits {
                s.push('\t');
                for &b in l {
                    match b {
                        b'\\' => s.push_str("\\\\"),
                        b'-' if l.len() == 1 => s.push_str("\\x2d"),
                        0x21..=0x7e | b' ' => s.push(char::from(b)),
                        _ => s.push_str(&format!("\\x{b:02x}")),
                    }
                }
            }
        }
    }
    s
}

fn unescape(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' {
            match b.get(i + 1)? {
                b'\\' => {
                    out.push(b'\\');
                    i += 2;
                }
                b'x' => {
                    let hex = std::str::from_utf8(b.get(i + 2..i + 4)?).ok()?;
                    out.push(u8::from_str_radix(hex, 16).ok()?);
                    i += 4;
                }
                _ => return None,
            }
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(out)
}

/// The table, parsed: sorted by key. A malformed line is skipped (its pattern is reduced at load).
fn parse_table(table: &str) -> Vec<(u64, Option<Vec<Vec<u8>>>)> {
    let mut out: Vec<(u64, Option<Vec<Vec<u8>>>)> = table
        .lines()
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let k = u64::from_str_radix(fields.next()?, 16).ok()?;
            let rest: Vec<&str> = fields.collect();
            if rest == ["-"] {
                return Some((k, None));
            }
            let lits = rest
                .iter()
                .map(|f| unescape(f))
                .collect::<Option<Vec<_>>>()?;
            (!lits.is_empty()).then_some((k, Some(lits)))
        })
        .collect();
    out.sort_by_key(|(k, _)| *k);
    out
}

/// A pattern that a literal of the automaton stands for.
#[derive(Debug)]
struct Owner {
    pattern: usize,
    /// What follows the literal in the pattern's own (longer) literal.
    rest: Box<[u8]>,
}

/// A multi-pattern matcher over every line regex of the library.
#[derive(Debug)]
pub struct PatternSet {
    /// Each pattern on its own, compiled on first use.
    pub patterns: Vec<LazyRe>,
    /// Over every literal of every pattern that has literals.
    literals: Option<AhoCorasick>,
    /// For each literal, the patterns it stands for.
    owners: Vec<Vec<Owner>>,
    /// The patterns without literals, and the automata over them.
    residual: Vec<usize>,
    residual_sets: Vec<regex_automata::meta::Regex>,
}

impl PatternSet {
    /// Build over `patterns`. Patterns not in the precomputed table are parsed here; the error
    /// names the first index that does not parse.
    pub fn new(patterns: &[String]) -> Result<PatternSet, (usize, String)> {
        let table = parse_table(TABLE);
        let mut lit_index: std::collections::HashMap<Vec<u8>, usize> = Default::default();
        let mut lits: Vec<Vec<u8>> = Vec::new();
        let mut owners: Vec<Vec<Owner>> = Vec::new();
        let mut residual = Vec::new();
        for (i, p) in patterns.iter().enumerate() {
            let k = key(p);
            let found = table
                .binary_search_by_key(&k, |(k, _)| *k)
                .ok()
                .map(|at| table[at].1.clone());
            let req = match found {
                Some(r) => r,
                None => required_literals(p).map_err(|e| (i, e))?,
            };
            match req {
                None => residual.push(i),
                Some(req) => {
                    for mut l in req {
                        // a piece of a required literal is required too; a shorter one shares
                        // its trie path with more patterns, which keeps the automaton small.
                        // The rest is checked where the piece is found.
                        let rest = l.split_off(l.len().min(MAX_LITERAL_LEN)).into_boxed_slice();
                        let li = *lit_index.entry(l.clone()).or_insert_with(|| {
                            lits.push(l);
                            owners.push(Vec::new());
                            owners.len() - 1
                        });
                        let o = &mut owners[li];
                        // a pattern that needs only the piece needs no other rest
                        match o.last_mut() {
                            Some(last) if last.pattern == i && last.rest.is_empty() => {}
                            Some(last) if last.pattern == i && rest.is_empty() => last.rest = rest,
                            _ => o.push(Owner { pattern: i, rest }),
                        }
                    }
                }
            }
        }
        let literals = if lits.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
                    .build(&lits)
                    .map_err(|e| (0, e.to_string()))?,
            )
        };
        let residual_sets = residual
            .chunks(CHUNK)
            .map(|c| {
                let ps: Vec<&str> = c.iter().map(|&i| patterns[i].as_str()).collect();
                residual_chunk(&ps).map_err(|e| (c[0], e))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(PatternSet {
            patterns: patterns.iter().map(|p| LazyRe::new(p)).collect(),
            literals,
            owners,
            residual,
            residual_sets,
        })
    }

    /// For each unit of `text` (units start at the offsets in `starts`, ascending), the patterns
    /// that may match within it: every pattern that matches a unit on its own is listed for it
    /// (plus a few that do not; the caller confirms each on the unit).
    pub fn candidates(&self, text: &[u8], starts: &[usize]) -> Vec<Vec<usize>> {
        let unit_of = |off: usize| starts.partition_point(|s| *s <= off).saturating_sub(1);
        let mut out: Vec<Vec<usize>> = vec![Vec::new(); starts.len()];
        if starts.is_empty() {
            return out;
        }
        if let Some(ac) = &self.literals {
            let lower = text.to_ascii_lowercase();
            // units are visited in order, so the unit of a hit only moves forward
            let mut unit = 0;
            for m in ac.find_overlapping_iter(&lower) {
                let at = m.start();
                if at < starts[unit] || starts.get(unit + 1).is_some_and(|s| at >= *s) {
                    unit = unit_of(at);
                }
                let after = &lower[m.end()..];
                out[unit].extend(
                    self.owners[m.pattern().as_usize()]
                        .iter()
                        .filter(|o| after.starts_with(&o.rest))
                        .map(|o| o.pattern),
                );
            }
        }
        for list in &mut out {
            list.sort_unstable();
            list.dedup();
        }
        // Every line a match of `idx` over the whole text touches. This equals the lines it
        // matches on their own (the caller confirms each): line edges are `\n` in the text.
        let spread = |idx: usize, out: &mut Vec<Vec<usize>>| {
            let Some(r) = self.patterns[idx].get() else {
                return;
            };
            for m in r.find_iter(text) {
                let first = unit_of(m.start());
                let last = unit_of(m.end().saturating_sub(1).max(m.start()));
                for list in &mut out[first..=last] {
                    list.push(idx);
                }
            }
        };
        let mut extra = false;
        // A pattern whose literal is on most lines (a common word, a bare ` /`) is cheaper found
        // by one search over the whole text than confirmed line by line.
        let dense_min = (starts.len() / DENSE_SHARE).max(DENSE_MIN);
        if starts.len() >= dense_min {
            let mut seen = vec![0usize; self.patterns.len()];
            for list in &out {
                for &i in list {
                    seen[i] += 1;
                }
            }
            let dense: Vec<usize> = (0..seen.len()).filter(|&i| seen[i] >= dense_min).collect();
            if !dense.is_empty() {
                for list in &mut out {
                    list.retain(|i| dense.binary_search(i).is_err());
                }
                // one pass of all of them says which match at all (mostly none)
                let ps: Vec<&str> = dense
                    .iter()
                    .map(|&i| self.patterns[i].pattern.as_str())
                    .collect();
                let present: Vec<usize> = match residual_chunk(&ps) {
                    Ok(re) => {
                        let mut set = regex_automata::PatternSet::new(re.pattern_len());
                        re.which_overlapping_matches(&regex_automata::Input::new(text), &mut set);
                        set.iter().map(|p| dense[p.as_usize()]).collect()
                    }
                    Err(_) => dense,
                };
                for idx in present {
                    spread(idx, &mut out);
                }
                extra = true;
            }
        }
        for (ci, re) in self.residual_sets.iter().enumerate() {
            let input = regex_automata::Input::new(text);
            if !re.is_match(input.clone()) {
                continue;
            }
            let mut set = regex_automata::PatternSet::new(re.pattern_len());
            re.which_overlapping_matches(&input, &mut set);
            for p in set.iter() {
                spread(self.residual[ci * CHUNK + p.as_usize()], &mut out);
                extra = true;
            }
        }
        if extra {
            for list in &mut out {
                list.sort_unstable();
                list.dedup();
            }
        }
        out
    }

    /// The indexes of every pattern that matches somewhere in `hay`, ascending.
    pub fn matches(&self, hay: &[u8]) -> Vec<usize> {
        let mut all: Vec<usize> = self.candidates(hay, &[0]).pop().unwrap_or_default();
        all.retain(|&i| self.patterns[i].get().is_some_and(|r| r.is_match(hay)));
        all
    }
}

fn residual_chunk(patterns: &[&str]) -> Result<regex_automata::meta::Regex, String> {
    use regex_automata::{meta, nfa::thompson::WhichCaptures, util::syntax};
    meta::Builder::new()
        .configure(
            meta::Config::new()
                .match_kind(regex_automata::MatchKind::All)
                .which_captures(WhichCaptures::None)
                .onepass(false)
                .backtrack(false)
                .dfa(false)
                .auto_prefilter(false)
                .nfa_size_limit(Some(512 << 20))
                .hybrid_cache_capacity(32 << 20),
        )
        .syntax(
            syntax::Config::new()
                .case_insensitive(true)
                .unicode(false)
                .utf8(false)
                .multi_line(true),
        )
        .build_many(patterns)
        .map_err(|e| e.to_string())
}

/// The table for a list of patterns (sorted, one line each), as `literals.txt` holds it.
pub fn table_for(patterns: &[String]) -> String {
    let mut lines: Vec<(u64, String)> = patterns
        .iter()
        .filter_map(|p| {
            let lits = required_literals(p).ok()?;
            Some((key(p), table_line(p, lits.as_deref())))
        })
        .collect();
    lines.sort();
    lines.dedup();
    let mut s = String::from(
        "# generated by `.ci/gen-embedded.sh`: literals of the built-in line patterns\n",
    );
    for (_, l) in lines {
        s.push_str(&l);
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lits(p: &str) -> Option<Vec<String>> {
        required_literals(p).expect("parses").map(|v| {
            v.into_iter()
                .map(|l| String::from_utf8(l).expect("utf8"))
                .collect()
        })
    }

    #[test]
    fn literals_are_lowercased_and_minimal() {
        assert_eq!(
            lits(r"\bToo Many (clients|connections)\b"),
            Some(vec![
                "too many clients".to_string(),
                "too many connections".to_string()
            ])
        );
        // a literal that contains another adds nothing
        assert_eq!(
            lits(r"(pool|connection pool) exhausted"),
            Some(vec!["pool exhausted".to_string()])
        );
        assert_eq!(lits(r"\d+/\d+"), None);
        assert_eq!(lits(r"x*"), None);
    }

    #[test]
    fn table_lines_round_trip() {
        let l = vec![b"a\\b\t-\xff".to_vec(), b"-".to_vec()];
        let line = table_line("p", Some(&l));
        assert_eq!(parse_table(&line), vec![(key("p"), Some(l))]);
        assert_eq!(parse_table(&table_line("q", None)), vec![(key("q"), None)]);
    }

    #[test]
    fn set_finds_matches_case_insensitively_and_without_literals() {
        let pats: Vec<String> = [
            r"too many clients",
            r"^\d+/\d+$",
            r"ERROR \w+",
            "nothing here",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let set = PatternSet::new(&pats).expect("set");
        let text = b"FATAL: Too Many Clients already\n500/500\nerror db\n";
        assert_eq!(set.matches(text), vec![0, 1, 2]);
        let starts = [0, 32, 40];
        assert_eq!(
            set.candidates(text, &starts),
            vec![vec![0], vec![1], vec![2]]
        );
    }

    /// The committed table is what the built-in patterns give (regenerate: .ci/gen-embedded.sh).
    #[test]
    fn literal_table_is_current() {
        let lib = crate::playbook::Library::builtin().expect("playbooks");
        let patterns: Vec<String> = lib.set.patterns.iter().map(|p| p.pattern.clone()).collect();
        let want = table_for(&patterns);
        crate::playbook::generated_is_current("literals.txt", TABLE, &want);
    }
}
