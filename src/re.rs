//! Regexes for the fixed patterns of the code (not the playbooks'): the same syntax, with the
//! Perl classes `\w \d \s \b` read as ASCII. Unicode classes make each automaton many times
//! larger, and compiling ~60 of them cost more than reading a 1 MB paste; incident text is
//! matched on ASCII words (names, versions, units) anyway. Negated classes (`\W`) and `.` stay
//! Unicode, so every match is still valid UTF-8.

use regex::{Regex, RegexSet};

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

/// Compile a fixed pattern (see the module docs).
pub fn compile(p: &str) -> Result<Regex, regex::Error> {
    Regex::new(&ascii(p))
}

/// [`compile`] for a set.
pub fn compile_set<I: IntoIterator<Item = S>, S: AsRef<str>>(
    ps: I,
) -> Result<RegexSet, regex::Error> {
    RegexSet::new(ps.into_iter().map(|p| ascii(p.as_ref())))
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
    }
}
