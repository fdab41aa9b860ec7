//! Credential masking: the first thing done to any paste, before it is analysed, rendered or saved.
//!
//! Pure: text in, masked text out. Line structure is kept (a masked private-key block keeps its
//! line count) so that evidence line numbers still point at the user's paste.

use crate::re::Re;
use std::sync::LazyLock;

/// The mask written in place of a credential.
pub const MASK: &str = "[REDACTED]";

struct Rule {
    re: Re,
    /// Capture group holding the secret; the rest of the match is kept.
    group: usize,
    /// Words (any case) one of which every match holds: a line without any is not searched.
    gate: aho_corasick::AhoCorasick,
}

/// An any-case finder of words.
fn words(ws: &[&str]) -> aho_corasick::AhoCorasick {
    aho_corasick::AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(ws)
        .expect("small word list")
}

/// The credential rules: (pattern, group holding the secret, words every match holds).
const SPECS: [(&str, usize, &[&str]); 5] = [
    // scheme://user:password@host
    (
        r"(?i)\b[a-z][a-z0-9+.-]*://[^\s:/@]*:([^\s@/]+)@",
        1,
        &["://"],
    ),
    // Authorization headers
    (
        r"(?i)\b(?:bearer|basic|token)\s+([A-Za-z0-9._~+/=-]{8,})",
        1,
        &["bearer", "basic", "token"],
    ),
    // AWS access key ids
    (r"\b((?:AKIA|ASIA)[0-9A-Z]{16})\b", 1, &["akia", "asia"]),
    // JWTs
    (
        r"\b(eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,})",
        1,
        &["eyj"],
    ),
    // key=value and key: value credentials
    (
        r#"(?i)\b(?:[a-z0-9_.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|client[_-]?secret))["']?\s*[=:]\s*["']?([^\s"',;&]{3,})"#,
        1,
        &["passw", "pwd", "secret", "token", "key"],
    ),
];

static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    SPECS
        .iter()
        .map(|&(p, group, ws)| Rule {
            re: crate::re::compile(p).expect("redaction patterns are valid"),
            group,
            gate: words(ws),
        })
        .collect()
});

/// Every private key block begins with a line holding this (any case).
static KEY_GATE: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| words(&["private key"]));

/// Every rule's words at once: lines without any are copied as they are.
static ANY_GATE: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
    let all: Vec<&str> = SPECS.iter().flat_map(|s| s.2.iter().copied()).collect();
    words(&all)
});

static KEY_BEGIN: LazyLock<Re> = LazyLock::new(|| {
    crate::re::compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----").expect("valid")
});
static KEY_END: LazyLock<Re> = LazyLock::new(|| {
    crate::re::compile(r"-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----").expect("valid")
});

/// Mask every credential in `text`. Returns the masked text and how many were masked.
pub fn redact(text: &str) -> (String, usize) {
    let mut out = String::with_capacity(text.len());
    let mut count = 0;
    let mut in_key = false;
    let keys = KEY_GATE.is_match(text);
    // where the rules' words are, in one pass over the whole text
    let mut hits = ANY_GATE.find_iter(text).map(|m| m.start()).peekable();
    let mut start = 0;
    for (i, line) in text.split('\n').enumerate() {
        let end = start + line.len();
        let mut flagged = false;
        while let Some(&h) = hits.peek() {
            if h >= end {
                break;
            }
            flagged |= h >= start;
            hits.next();
        }
        start = end + 1;
        if i > 0 {
            out.push('\n');
        }
        if in_key {
            if let Some(m) = KEY_END.find(line) {
                out.push_str(MASK);
                out.push_str(&line[m.start()..]);
                in_key = false;
            } else {
                out.push_str(MASK);
            }
            continue;
        }
        if let Some(m) = keys.then(|| KEY_BEGIN.find(line)).flatten() {
            count += 1;
            out.push_str(&line[..m.end()]);
            let rest = &line[m.end()..];
            if let Some(e) = KEY_END.find(rest) {
                out.push_str(MASK);
                out.push_str(&rest[e.start()..]);
            } else {
                if !rest.trim().is_empty() {
                    out.push_str(MASK);
                }
                in_key = true;
            }
            continue;
        }
        // most lines hold none of the words a credential comes with
        if flagged {
            let (masked, n) = redact_line(line);
            count += n;
            out.push_str(&masked);
        } else {
            out.push_str(line);
        }
    }
    (out, count)
}

fn redact_line(line: &str) -> (String, usize) {
    let mut cur = line.to_string();
    let mut count = 0;
    for rule in RULES.iter() {
        if !rule.gate.is_match(&cur) {
            continue;
        }
        let mut spans: Vec<(usize, usize)> = Vec::new();
        for caps in rule.re.captures_iter(&cur) {
            if let Some(g) = caps.get(rule.group)
                && g.as_str() != MASK
                && !g.as_str().starts_with("[REDACTED")
            {
                spans.push((g.start(), g.end()));
            }
        }
        if spans.is_empty() {
            continue;
        }
        count += spans.len();
        let mut next = String::with_capacity(cur.len());
        let mut last = 0;
        for (s, e) in spans {
            next.push_str(&cur[last..s]);
            next.push_str(MASK);
            last = e;
        }
        next.push_str(&cur[last..]);
        cur = next;
    }
    (cur, count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_on_any_line_of_a_long_paste() {
        let mut text = String::new();
        for i in 0..200 {
            text.push_str(&format!("12:00:{i:02} INFO request ok\n"));
        }
        text.push_str("12:01:00 DB_PASSWORD=hunter2xx\nx\nAPI_KEY: abcdefgh\n");
        let (out, n) = redact(&text);
        assert_eq!(n, 2, "{out}");
        assert!(!out.contains("hunter2xx") && !out.contains("abcdefgh"));
        assert_eq!(out.lines().count(), text.lines().count());
        assert!(out.starts_with("12:00:00 INFO request ok\n"));
    }

    #[test]
    fn masks_each_kind() {
        let cases = [
            ("postgres://app:s3cr3tpw@db-1:5432/pay", "s3cr3tpw"),
            (
                "DSN host=db user=app password=hunter2xx dbname=x",
                "hunter2xx",
            ),
            ("token=abcd1234efgh", "abcd1234efgh"),
            ("secret: topsecretvalue", "topsecretvalue"),
            ("Authorization: Bearer abcdefghijklmnop", "abcdefghijklmnop"),
            (
                "Authorization: Basic dXNlcjpwYXNzd29yZA==",
                "dXNlcjpwYXNzd29yZA==",
            ),
            ("key AKIAIOSFODNN7EXAMPLE used", "AKIAIOSFODNN7EXAMPLE"),
            (
                "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG",
                "wJalrXUtnFEMI/K7MDENG",
            ),
            (
                "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N",
                "eyJzdWIiOiIxMjM0NTY3ODkwIn0",
            ),
            ("MYSQL_PWD=\"opensesame\"", "opensesame"),
        ];
        for (input, secret) in cases {
            let (out, n) = redact(input);
            assert!(!out.contains(secret), "{input} -> {out}");
            assert!(out.contains(MASK), "{input} -> {out}");
            assert!(n >= 1);
        }
    }

    #[test]
    fn private_key_block_keeps_line_count() {
        let text = "before\n-----BEGIN RSA PRIVATE KEY-----\nMIIEabc\nxyz123\n-----END RSA PRIVATE KEY-----\nafter";
        let (out, n) = redact(text);
        assert_eq!(n, 1);
        assert_eq!(out.lines().count(), text.lines().count());
        assert!(!out.contains("MIIEabc") && !out.contains("xyz123"));
        assert!(out.contains("after"));
    }

    #[test]
    fn leaves_ordinary_text_alone() {
        let text = "14:02 UTC p99 latency 120ms -> 4.8s; active_connections: 500 / 500";
        assert_eq!(redact(text).0, text);
        assert_eq!(
            redact("http://prometheus:9090/api").0,
            "http://prometheus:9090/api"
        );
    }
}
