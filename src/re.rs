//! Regexes for the fixed patterns of the code (not the playbooks'): the same syntax, with the
//! Perl classes `\w \d \s \b` read as ASCII. Unicode classes make each automaton many times
//! larger, and compiling ~60 of them cost more than reading a 1 MB paste; incident text is
//! matched on ASCII words (names, versions, units) anyway. They search bytes with ASCII case
//! folding (a pattern with a non-ASCII class keeps Unicode mode), and every span they give is
//! widened to char boundaries, so every match is valid UTF-8.

use regex::RegexSet;

/// Rewrite `\w \d \s \b \B` to their ASCII forms (`(?-u:\w)` outside a class, `[:word:]` in one).
pub fn ascii(p: &str) -> String {
    let mut out = String::with_capacity(p.len() + 16);
    let mut chars = p.chars().peekable();
    let mut class = 0usize; // nesting depth of [...]
    let mut class_start = false; // just after `[` or `[^` (a `]` here is a literal)
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(n) = chars.next() else {
                    out.push('\\');
                    break;
                };
                let repl = match (class > 0, n) {
                    (false, 'w' | 'd' | 's' | 'b' | 'B') => Some(format!("(?-u:\\{n})")),
                    (true, 'w') => Some("[:word:]".to_string()),
                    (true, 'd') => Some("[:digit:]".to_string()),
                    (true, 's') => Some("[:space:]".to_string()),
                    _ => None,
                };
                match repl {
                    Some(r) => out.push_str(&r),
                    None => {
                        out.push('\\');
                        out.push(n);
                    }
                }
            }
            '[' => {
                out.push('[');
                if class > 0 && chars.peek() == Some(&':') {
                    // an ASCII class like [:alpha:] inside a class: copy through its `:]`
                    while let Some(x) = chars.next() {
                        out.push(x);
                        if x == ':' && chars.peek() == Some(&']') {
                            out.push(chars.next().unwrap_or(']'));
                            break;
                        }
                    }
                    continue;
                }
                class += 1;
                class_start = true;
                if chars.peek() == Some(&'^') {
                    out.push('^');
                    chars.next();
                }
                continue;
            }
            ']' if class > 0 && !class_start => {
                class -= 1;
                out.push(']');
            }
            _ => out.push(c),
        }
        class_start = false;
    }
    out
}

/// A fixed pattern with capture groups, for short texts (a line, a field): compiled without a
/// literal prefilter, a one-pass DFA or a full DFA, which makes it several times cheaper to build
/// than a `regex::Regex` (each run compiles its patterns afresh). It searches bytes with ASCII
/// classes and case folding (see the module docs); every span it gives is widened to char
/// boundaries. The methods follow `regex::Regex`.
#[derive(Debug)]
pub struct Re(regex_automata::meta::Regex);

/// The groups of one match of a [`Re`].
#[derive(Debug)]
pub struct Caps<'h> {
    hay: &'h str,
    caps: regex_automata::util::captures::Captures,
}

impl<'h> Caps<'h> {
    /// Group `i` (0 is the whole match), if it took part in the match.
    pub fn get(&self, i: usize) -> Option<Span<'h>> {
        self.caps
            .get_group(i)
            .map(|s| span(self.hay, s.start, s.end))
    }
    /// The named group, if it took part in the match.
    pub fn name(&self, name: &str) -> Option<Span<'h>> {
        self.caps
            .get_group_by_name(name)
            .map(|s| span(self.hay, s.start, s.end))
    }
    /// How many groups the pattern has (the whole match included).
    pub fn len(&self) -> usize {
        self.caps.group_len()
    }
    /// Never true: a match has at least its whole-match group.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl std::ops::Index<usize> for Caps<'_> {
    type Output = str;
    /// The text of group `i`; panics if it did not take part (as `regex::Captures` does).
    fn index(&self, i: usize) -> &str {
        self.get(i)
            .unwrap_or_else(|| panic!("no group {i} in this match"))
            .as_str()
    }
}

impl std::ops::Index<&str> for Caps<'_> {
    type Output = str;
    /// The text of the named group; panics if it did not take part.
    fn index(&self, name: &str) -> &str {
        self.name(name)
            .unwrap_or_else(|| panic!("no group {name} in this match"))
            .as_str()
    }
}

/// Compile a fixed pattern (see [`Re`] and the module docs).
pub fn compile(p: &str) -> Result<Re, Box<regex_automata::meta::BuildError>> {
    use regex_automata::{meta, nfa::thompson::WhichCaptures};
    let mut b = light_builder();
    // groups, and the backtracker that finds them cheaply in a short text
    b.configure(
        meta::Config::new()
            .which_captures(WhichCaptures::All)
            .backtrack(true),
    );
    light_build(&mut b, &[ascii(p)]).map(Re)
}

impl Re {
    /// Does it match somewhere in `hay`?
    pub fn is_match(&self, hay: &str) -> bool {
        self.0.is_match(hay)
    }
    /// The leftmost-first match.
    pub fn find<'h>(&self, hay: &'h str) -> Option<Span<'h>> {
        self.0.find(hay).map(|m| span(hay, m.start(), m.end()))
    }
    /// Every non-overlapping match.
    pub fn find_iter<'r, 'h>(&'r self, hay: &'h str) -> impl Iterator<Item = Span<'h>> + 'r
    where
        'h: 'r,
    {
        self.0
            .find_iter(hay)
            .map(move |m| span(hay, m.start(), m.end()))
    }
    /// The groups of the leftmost-first match.
    pub fn captures<'h>(&self, hay: &'h str) -> Option<Caps<'h>> {
        let mut caps = self.0.create_captures();
        self.0.captures(hay, &mut caps);
        caps.is_match().then_some(Caps { hay, caps })
    }
    /// `hay` with every match replaced by what `f` makes of its groups.
    pub fn replace_all<'h>(
        &self,
        hay: &'h str,
        mut f: impl FnMut(&Caps<'h>) -> String,
    ) -> std::borrow::Cow<'h, str> {
        let mut out = String::new();
        let mut last = 0;
        let mut matched = false;
        for c in self.captures_iter(hay) {
            let Some(m) = c.get(0) else { continue };
            out.push_str(&hay[last..m.start()]);
            out.push_str(&f(&c));
            last = m.end();
            matched = true;
        }
        if !matched {
            return std::borrow::Cow::Borrowed(hay);
        }
        out.push_str(&hay[last..]);
        std::borrow::Cow::Owned(out)
    }
    /// `hay` with its first match replaced by `with` (taken literally).
    pub fn replace<'h>(&self, hay: &'h str, with: &str) -> std::borrow::Cow<'h, str> {
        match self.find(hay) {
            Some(m) => format!("{}{with}{}", &hay[..m.start()], &hay[m.end()..]).into(),
            None => std::borrow::Cow::Borrowed(hay),
        }
    }
    /// The groups of every non-overlapping match.
    pub fn captures_iter<'r, 'h>(&'r self, hay: &'h str) -> impl Iterator<Item = Caps<'h>> + 'r
    where
        'h: 'r,
    {
        self.0
            .captures_iter(hay)
            .map(move |caps| Caps { hay, caps })
    }
}

/// [`compile`] for a set.
pub fn compile_set<I: IntoIterator<Item = S>, S: AsRef<str>>(
    ps: I,
) -> Result<RegexSet, regex::Error> {
    RegexSet::new(ps.into_iter().map(|p| ascii(p.as_ref())))
}

/// A fixed pattern that only tests for and locates matches: a [`Re`] built without capture
/// groups (its [`Re::captures`] has the whole match only), cheaper still to build.
pub type Light = Re;

/// A match of a [`Re`] (or [`Light`]) pattern.
#[derive(Clone, Copy, Debug)]
pub struct Span<'h> {
    hay: &'h str,
    start: usize,
    end: usize,
}

impl<'h> Span<'h> {
    /// The byte range.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start..self.end
    }
    /// Its length in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    /// Is it empty?
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
    /// Byte offset of the start.
    pub fn start(&self) -> usize {
        self.start
    }
    /// Byte offset of the end.
    pub fn end(&self) -> usize {
        self.end
    }
    /// The matched text.
    pub fn as_str(&self) -> &'h str {
        &self.hay[self.start..self.end]
    }
}

fn light_builder() -> regex_automata::meta::Builder {
    use regex_automata::{meta, nfa::thompson::WhichCaptures, util::syntax};
    let mut b = meta::Builder::new();
    b.configure(
        meta::Config::new()
            .which_captures(WhichCaptures::Implicit)
            .onepass(false)
            .backtrack(false)
            .dfa(false)
            .auto_prefilter(false),
    )
    .syntax(syntax::Config::new().unicode(false).utf8(false));
    b
}

/// Build with [`light_builder`]: ASCII case folding over bytes (a much smaller automaton than
/// Unicode case folding); a pattern with a non-ASCII class (`[—–]`) is built Unicode-aware.
fn light_build(
    b: &mut regex_automata::meta::Builder,
    ps: &[String],
) -> Result<regex_automata::meta::Regex, Box<regex_automata::meta::BuildError>> {
    b.build_many(ps).or_else(|_| {
        b.syntax(regex_automata::util::syntax::Config::new())
            .build_many(ps)
            .map_err(Box::new)
    })
}

/// [`light`] for a pattern searched over a whole text rather than line by line: with the literal
/// prefilter (a vectorised scan for the words every match holds), which costs a little to build
/// and saves most of a long search.
pub fn scanner(p: &str) -> Result<Light, Box<regex_automata::meta::BuildError>> {
    let mut b = light_builder();
    b.configure(regex_automata::meta::Config::new().auto_prefilter(true));
    light_build(&mut b, &[ascii(p)]).map(Re)
}

/// Compile a [`Light`] pattern (ASCII Perl classes, as [`compile`]).
pub fn light(p: &str) -> Result<Light, Box<regex_automata::meta::BuildError>> {
    light_build(&mut light_builder(), &[ascii(p)]).map(Re)
}

/// A match over bytes widened to char boundaries (a byte class can stop inside a char).
fn span(hay: &str, mut start: usize, mut end: usize) -> Span<'_> {
    while start > 0 && !hay.is_char_boundary(start) {
        start -= 1;
    }
    while end < hay.len() && !hay.is_char_boundary(end) {
        end += 1;
    }
    Span { hay, start, end }
}

/// Several [`Light`] patterns searched at once: which of them match a text.
#[derive(Debug)]
pub struct LightSet(regex_automata::meta::Regex);

/// Compile a [`LightSet`].
pub fn light_set<I: IntoIterator<Item = S>, S: AsRef<str>>(
    ps: I,
) -> Result<LightSet, Box<regex_automata::meta::BuildError>> {
    let ps: Vec<String> = ps.into_iter().map(|p| ascii(p.as_ref())).collect();
    let mut b = light_builder();
    b.configure(
        regex_automata::meta::Config::new()
            .match_kind(regex_automata::MatchKind::All)
            .which_captures(regex_automata::nfa::thompson::WhichCaptures::None),
    );
    light_build(&mut b, &ps).map(LightSet)
}

impl LightSet {
    /// The indexes of the patterns that match somewhere in `hay`, ascending.
    pub fn matches(&self, hay: &str) -> Vec<usize> {
        let input = regex_automata::Input::new(hay);
        if !self.0.is_match(input.clone()) {
            return Vec::new();
        }
        let mut set = regex_automata::PatternSet::new(self.0.pattern_len());
        self.0.which_overlapping_matches(&input, &mut set);
        set.iter().map(|p| p.as_usize()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perl_classes_become_ascii() {
        assert_eq!(ascii(r"\bv\d+\b"), r"(?-u:\b)v(?-u:\d)+(?-u:\b)");
        assert_eq!(ascii(r"[\w.-]+"), r"[[:word:].-]+");
        assert_eq!(ascii(r"[^\s\]]"), r"[^[:space:]\]]");
        assert_eq!(ascii(r"[]a]\w"), r"[]a](?-u:\w)");
        assert_eq!(ascii(r"[[:alpha:]\d]"), r"[[:alpha:][:digit:]]");
        assert_eq!(ascii(r"\\w\W"), r"\\w\W");
        let re = compile(r"(?i)\bcafé\s\w+").expect("valid");
        assert!(re.is_match("Café bar"));
        assert!(!compile(r"^\w+$").expect("valid").is_match("ü"));
        let l = light(r"(?i)\bslow\b").expect("valid");
        let m: Vec<&str> = l
            .find_iter("Slow, slower, SLOW")
            .map(|m| m.as_str())
            .collect();
        assert_eq!(m, ["Slow", "SLOW"]);
        let set = light_set([r"a\d", r"b", r"zz"]).expect("valid");
        assert_eq!(set.matches("xa1 b"), [0, 1]);
    }
}
