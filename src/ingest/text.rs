//! Reading a line the way a person does: clauses, negation ("no lock waits"), statements that a
//! value is normal ("CPU 35% (normal)"), and speculation ("maybe traffic?"). Pure functions.

use std::sync::LazyLock;

/// Speculation, asking, disputing (see [`is_hedged`]).
const HEDGE_P: &str = r"(?i)(\?\s*$|\?[\s)\x22']|\b(maybe|perhaps|might|possibly|probably not|could it be|could be|suspects?|suspected|guess|guessing|wonder(ing)?|i think|we think|not sure|theory|hypothes[ie]s|propos(es|ed|ing)|suggest(s|ed|ing)?|speculat\w*|rumou?r|assum\w*|mis-?diagnos\w*|red herring|ruled out|false alarm|unrelated|not related|coincidence|decoy|hunch|blame[ds]?|claims?|thought it was|looks like it might|smells like|sounds like|feels like|my bet|gut (says|feeling)|asks?|asked|question)\b)";

static HEDGE: LazyLock<crate::re::Light> =
    LazyLock::new(|| crate::re::light(HEDGE_P).expect("valid hedge pattern"));

/// [`HEDGE_P`] over many lines at once, with a literal prefilter.
static HEDGE_SCAN: LazyLock<crate::re::Light> =
    LazyLock::new(|| crate::re::scanner(&format!("(?m){HEDGE_P}")).expect("valid hedge pattern"));

static NEGATORS: LazyLock<crate::re::Light> = LazyLock::new(|| {
    crate::re::light(r"(?i)\b(no|not|never|without|none|nothing|neither|nor|zero|isn't|aren't|wasn't|weren't|doesn't|don't|didn't|hasn't|haven't|cannot rule in|ruled out|rules out|no sign of|no evidence of|absent|free of)\b")
        .expect("valid negators")
});

static NORMALS: LazyLock<crate::re::Light> = LazyLock::new(|| {
    crate::re::light(r"(?i)\b(normal|fine|ok|okay|healthy|flat|unchanged|nominal|stable|as usual|looks good|all good|green|unaffected|no change|not elevated|within limits|as expected|quiet|clean|ruled out|not the (cause|issue|problem)|not it|irrelevant|unrelated)\b")
        .expect("valid normals")
});

/// Words that end a clause inside a line.
static CLAUSE_BREAK: LazyLock<crate::re::Light> = LazyLock::new(|| {
    crate::re::light(r"(?i)([.;!?|]\s|[,;|]|\s[-—–]+\s|\s(but|however|although|though|while|whereas|yet|except|and then|so)\s)")
        .expect("valid clause breaks")
});

/// True when the whole line only speculates, asks, or reports a disputed guess.
pub fn is_hedged(line: &str) -> bool {
    // a question answered on the same line ("is this a DDoS? -> no: rps flat") states the
    // answer, so only the answer is read for speculation
    let answer = line.find('?').and_then(|q| {
        let rest = &line[q + 1..];
        let t = rest.trim_start();
        ["->", "→", "=>", "A:"]
            .iter()
            .find_map(|a| t.strip_prefix(a))
            .filter(|a| !a.trim().is_empty())
    });
    HEDGE.is_match(answer.unwrap_or(line))
}

/// [`is_hedged`] of each line. One prefiltered search over all of them picks the lines that can
/// be hedged (most cannot: the search skips them at memchr speed), and only those are read one by
/// one. A match that runs past a line end takes only blank space with it (`?` then the end of the
/// line), so it hides no other line's match.
pub fn hedged_lines(lines: &[&str]) -> Vec<bool> {
    let mut out = vec![false; lines.len()];
    let mut read = vec![false; lines.len()];
    // in chunks of whole lines, so a large paste is not copied whole once more
    let mut text = String::new();
    let mut starts: Vec<usize> = Vec::new();
    let mut first = 0;
    for (i, l) in lines.iter().enumerate() {
        starts.push(text.len());
        text.push_str(l);
        text.push('\n');
        if text.len() < HEDGE_CHUNK && i + 1 < lines.len() {
            continue;
        }
        let line_of = |off: usize| first + starts.partition_point(|s| *s <= off).saturating_sub(1);
        for m in HEDGE_SCAN.find_iter(&text) {
            let last = line_of(m.end().saturating_sub(1).max(m.start()));
            for j in line_of(m.start())..=last {
                if !read[j] {
                    read[j] = true;
                    out[j] = is_hedged(lines[j]);
                }
            }
        }
        text.clear();
        starts.clear();
        first = i + 1;
    }
    out
}

/// Bytes of lines [`hedged_lines`] searches at once.
const HEDGE_CHUNK: usize = 1 << 20;

/// Does `line` continue `prev` (a wrapped sentence: indented deeper, starting in lower case)?
pub fn continues(prev: &str, line: &str) -> bool {
    let indent = |l: &str| l.len() - l.trim_start().len();
    !prev.trim().is_empty()
        && indent(line) > indent(prev)
        && line.trim_start().starts_with(|c: char| c.is_lowercase())
}

/// The clause of `line` that contains the byte span `start..end`.
pub fn clause(line: &str, start: usize, end: usize) -> (usize, usize) {
    let mut cs = 0;
    let mut ce = line.len();
    for m in CLAUSE_BREAK.find_iter(line) {
        if m.end() <= start {
            cs = m.end();
        } else if m.start() >= end {
            ce = m.start();
            break;
        }
    }
    (cs, ce)
}

/// True when the match at `start..end` sits in a negated clause ("no lock waits", "not DNS"),
/// or in a clause that calls it normal ("CPU 35% (normal)", "DNS looks fine").
pub fn negated_at(line: &str, start: usize, end: usize) -> bool {
    let (cs, ce) = clause(line, start, end);
    let before = &line[cs..start];
    // a negator among the last few words before the match
    let words: Vec<&str> = before.split_whitespace().collect();
    let tail = words[words.len().saturating_sub(5)..].join(" ");
    if NEGATORS.is_match(&tail) {
        return true;
    }
    let after = &line[end..ce];
    let after_short: String = after.chars().take(60).collect();
    NORMALS.is_match(&after_short)
        || NORMALS.is_match(&tail) && tail.split_whitespace().count() <= 3
}

/// True when a clause calls its value normal (used for metrics).
pub fn says_normal(text: &str) -> bool {
    NORMALS.is_match(text)
}

/// Compile this module's fixed patterns now (see [`crate::warm`]).
pub(crate) fn warm() {
    std::sync::LazyLock::force(&CLAUSE_BREAK);
    std::sync::LazyLock::force(&NORMALS);
    std::sync::LazyLock::force(&NEGATORS);
    std::sync::LazyLock::force(&HEDGE);
    std::sync::LazyLock::force(&HEDGE_SCAN);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answered_question_is_read_by_its_answer() {
        assert!(is_hedged("is this a DDoS? maybe"));
        assert!(is_hedged("did the deploy do it?"));
        assert!(!is_hedged(
            "who else sends on this key? -> marketing started the SMS blast at 19:02"
        ));
        assert!(is_hedged("cause? -> perhaps the cron job"));
    }

    #[test]
    fn wrapped_lines_continue_their_sentence() {
        let prev = "Tue  ticket opened, assumed the celery 5.5 upgrade";
        assert!(continues(prev, "           rolled out Feb 1"));
        assert!(!continues(prev, "Wed  raised worker concurrency"));
        assert!(!continues("", "   rolled out"));
        assert!(!continues(prev, "   Rolled out Feb 1"));
    }

    fn neg(line: &str, word: &str) -> bool {
        let s = line.to_lowercase().find(word).expect("word in line");
        negated_at(line, s, s + word.len())
    }

    #[test]
    fn negation_and_normal_statements() {
        assert!(neg(
            "writer CPU 62%, no lock waits to speak of",
            "lock waits"
        ));
        assert!(neg("Postgres CPU: 35% (normal)", "cpu"));
        assert!(neg("DNS looks fine from the bastion", "dns"));
        assert!(neg("memory on web tier flat, GC % normal", "gc"));
        assert!(!neg(
            "FATAL: sorry, too many clients already",
            "too many clients"
        ));
        assert!(!neg("No space left on device", "no space left"));
        assert!(!neg(
            "no deploys today but too many clients errors",
            "too many clients"
        ));
        assert!(!neg("active_connections: 500 / 500", "active_connections"));
    }

    #[test]
    fn hedges() {
        assert!(is_hedged(
            "@sven: the new SDK launched today, maybe traffic?"
        ));
        assert!(is_hedged(
            "14:47 \"is this an attack?\" -> edge traffic looks organic"
        ));
        assert!(is_hedged(
            "14:06 - \"DB looks healthy\" (initial mis-diagnosis)"
        ));
        assert!(is_hedged("someone proposes rolling back build .3"));
        assert!(is_hedged(
            "06:40 rafa: smells like a memory leak in 1.8.3, let's just double the memory limit"
        ));
        assert!(is_hedged("sounds like DNS to me"));
        assert!(!is_hedged(
            "memory climbs to 2.3Gi while the purge holds the lock"
        ));
        assert!(!is_hedged("FATAL: sorry, too many clients already"));
    }

    #[test]
    fn hedged_lines_agrees_with_is_hedged_line_by_line() {
        let lines = [
            "is this a DDoS?",
            "",
            "   ",
            "maybe the cron job",
            "FATAL: sorry, too many clients already",
            "cause? -> perhaps the cron job",
            "is it DNS? -> no: resolution is fine",
            "who knows ?",
            "?",
            "deploy v2 at 14:02 (suspected)",
            "p99 normal",
        ];
        let want: Vec<bool> = lines.iter().map(|l| is_hedged(l)).collect();
        assert!(want.iter().filter(|h| **h).count() >= 5);
        assert_eq!(hedged_lines(&lines), want);
        // over more than one chunk
        let many: Vec<String> = (0..60_000)
            .map(|i| match i % 997 {
                0 => format!("{i} maybe the cache?"),
                1 => format!("{i} is it DNS?"),
                _ => format!("{i} GET /api/orders/{i} 200 12ms user=42"),
            })
            .collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert!(many.iter().map(|l| l.len() + 1).sum::<usize>() > 2 * HEDGE_CHUNK);
        let want: Vec<bool> = many.iter().map(|l| is_hedged(l)).collect();
        assert!(want.iter().filter(|h| **h).count() >= 80);
        assert_eq!(hedged_lines(&many), want);
    }
}
