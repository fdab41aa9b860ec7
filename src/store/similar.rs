//! Ranking past incidents against a new one: the pg_trgm similarity of their texts blended with
//! agreement of what the analysis found in each (failure mode, service, error signatures), so an
//! incident of the same mechanism written by someone else, with no name in common, still ranks
//! first. Pure; both stores rank with this.

use super::trgm::{self, Trigram};
use super::{Meta, Stored};
use crate::analyze::SimilarMatch;

/// Weights of the blend; they sum to 1.
const W_TEXT: f64 = 0.45;
const W_MODE: f64 = 0.35;
const W_SERVICE: f64 = 0.08;
const W_SIGNATURES: f64 = 0.12;

/// Two texts at least this alike are copies of one incident: only the best is listed, and
/// none that is a copy of the query itself.
const SAME_INCIDENT: f32 = 0.9;

/// How many incidents are scored in full per query: the nearest by [`signature_doc`], found
/// alike by both stores (the local index, Postgres's trigram index). A store no bigger than
/// this scores every incident.
pub const CANDIDATES: usize = 200;

/// A scored candidate, before collapsing copies.
struct Scored {
    stored: Stored,
    grams: Vec<Trigram>,
    score: f64,
    why: String,
}

/// The short text both stores pre-select candidates by: the failure modes, service, error
/// signatures and title the analysis found. Two incidents of one mechanism share most of it
/// however differently they were written up.
pub fn signature_doc(meta: &Meta) -> String {
    let mut doc = String::new();
    for part in meta
        .failure_modes
        .iter()
        .chain(&meta.service)
        .chain(&meta.signatures)
        .chain(std::iter::once(&meta.title))
    {
        if !doc.is_empty() {
            doc.push(' ');
        }
        doc.push_str(part);
    }
    doc
}

/// The ids of the [`CANDIDATES`] entries (id, trigrams of its signature doc) nearest to the
/// query's signature doc, nearest first, ties by id in byte order: Postgres's
/// `ORDER BY sig <-> $1, id COLLATE "C" LIMIT 200`.
pub fn preselect<'a>(
    query_sig: &[Trigram],
    entries: impl IntoIterator<Item = (&'a str, &'a [Trigram])>,
) -> Vec<&'a str> {
    // pg_trgm's distance `a <-> b`: 1 - similarity, in float4
    let set = trgm::TrigramSet::new(query_sig);
    let mut near: Vec<(f32, &str)> = entries
        .into_iter()
        .map(|(id, sig)| (1.0 - set.similarity(sig), id))
        .collect();
    let by = |a: &(f32, &str), b: &(f32, &str)| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(b.1));
    if near.len() > CANDIDATES {
        near.select_nth_unstable_by(CANDIDATES - 1, by);
        near.truncate(CANDIDATES);
    }
    near.sort_unstable_by(by);
    near.into_iter().map(|(_, id)| id).collect()
}

/// How much of a text is compared: its first 64 KiB, cut at a line end. A megabyte of pasted
/// log says no more about which incident it is than its first screens, and scoring it whole
/// would cost a query more than the analysis. Both stores compare exactly this (Postgres keeps
/// it as `body`).
pub const COMPARED: usize = 64 * 1024;

/// The part of `text` that is compared (see [`COMPARED`]).
pub fn compared(text: &str) -> &str {
    if text.len() <= COMPARED {
        return text;
    }
    let mut end = COMPARED;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    match text[..end].rfind('\n') {
        Some(nl) if nl > 0 => &text[..nl],
        _ => &text[..end],
    }
}

/// A pre-selected incident and the `similarity()` of its text to the query's.
pub struct Candidate {
    /// The incident.
    pub stored: Stored,
    /// The trigrams of its text.
    pub grams: Vec<Trigram>,
    /// `similarity(text, query text)`, as the store computed it.
    pub lexical: f32,
}

impl Candidate {
    /// A candidate scored here against the query's trigrams.
    pub fn scored(stored: Stored, query: &trgm::TrigramSet) -> Candidate {
        let grams = trgm::trigrams(compared(&stored.text));
        Candidate {
            lexical: query.similarity(&grams),
            grams,
            stored,
        }
    }

    /// A candidate the store scored (Postgres's `similarity()`).
    pub fn with_score(stored: Stored, lexical: f32) -> Candidate {
        Candidate {
            grams: trgm::trigrams(compared(&stored.text)),
            stored,
            lexical,
        }
    }
}

/// The `limit` stored incidents most like the query (its meta and masked text), best first;
/// never the query itself (same id, same text, or a near-identical copy), and one row per group
/// of near-identical copies. Scores are rounded to 6 places before ordering and ties break by
/// id, so every store orders alike.
pub fn rank(query: &Meta, text: &str, stored: &[Stored], limit: usize) -> Vec<SimilarMatch> {
    let q = trgm::TrigramSet::new(&trgm::trigrams(compared(text)));
    let candidates = stored
        .iter()
        .filter(|s| s.meta.id != query.id && s.meta.hash != query.hash)
        .map(|s| Candidate::scored(s.clone(), &q))
        .collect();
    rank_candidates(query, candidates, limit)
}

/// [`rank`] over candidates whose lexical score the store computed.
pub fn rank_candidates(
    query: &Meta,
    candidates: Vec<Candidate>,
    limit: usize,
) -> Vec<SimilarMatch> {
    let mut scored: Vec<Scored> = candidates
        .into_iter()
        .filter(|c| {
            c.stored.meta.id != query.id
                && c.stored.meta.hash != query.hash
                && c.lexical < SAME_INCIDENT
        })
        .map(|c| {
            let (score, why) = blend(query, &c.stored.meta, c.lexical);
            Scored {
                grams: c.grams,
                stored: c.stored,
                score: (score * 1e6).round() / 1e6,
                why,
            }
        })
        .collect();
    scored.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.stored.meta.id.cmp(&b.stored.meta.id))
    });
    let mut kept: Vec<Scored> = Vec::new();
    for s in scored {
        if kept.len() >= limit {
            break;
        }
        if kept
            .iter()
            .any(|k| trgm::similarity_of(&k.grams, &s.grams) >= SAME_INCIDENT)
        {
            continue;
        }
        kept.push(s);
    }
    kept.into_iter()
        .map(|s| SimilarMatch {
            id: s.stored.meta.id.clone(),
            title: s.stored.meta.title.clone(),
            score: s.score,
            root_cause: s.stored.meta.root_cause.clone(),
            resolution: s.stored.meta.resolution.clone(),
            failure_mode: s.stored.meta.failure_modes.first().cloned(),
            confirmed: s.stored.meta.confirmed && s.stored.meta.root_cause.is_some(),
            why: s.why,
        })
        .collect()
}

/// The blended score of one candidate and the reasons, strongest first.
fn blend(q: &Meta, s: &Meta, lexical: f32) -> (f64, String) {
    let mut why = Vec::new();
    let mode = match (q.failure_modes.first(), s.failure_modes.first()) {
        (Some(a), Some(b)) if a == b => {
            why.push(format!(
                "same failure mode ({})",
                s.failure_title.as_deref().unwrap_or(b)
            ));
            1.0
        }
        (Some(a), Some(b)) if s.failure_modes.contains(a) || q.failure_modes.contains(b) => {
            why.push(format!("related failure mode ({b})"));
            0.4
        }
        _ => 0.0,
    };
    let service = match (&q.service, &s.service) {
        (Some(a), Some(b)) if a.eq_ignore_ascii_case(b) => {
            why.push(format!("same service {b}"));
            1.0
        }
        _ => 0.0,
    };
    let shared: Vec<&String> = q
        .signatures
        .iter()
        .filter(|x| s.signatures.contains(x))
        .collect();
    let union = q.signatures.len() + s.signatures.len() - shared.len();
    let sigs = if union == 0 {
        0.0
    } else {
        shared.len() as f64 / union as f64
    };
    if !shared.is_empty() {
        let names: Vec<&str> = shared.iter().take(4).map(|x| x.as_str()).collect();
        why.push(format!("shared error signatures: {}", names.join(", ")));
    }
    why.push(format!("text {:.0}% alike", f64::from(lexical) * 100.0));
    let score =
        W_TEXT * f64::from(lexical) + W_MODE * mode + W_SERVICE * service + W_SIGNATURES * sigs;
    (score, why.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(id: &str, text: &str, mode: &str) -> Stored {
        Stored {
            meta: Meta {
                schema: super::super::BUNDLE_SCHEMA.into(),
                id: id.into(),
                title: id.into(),
                date: None,
                hash: super::super::hash(text),
                source: "import".into(),
                service: None,
                failure_modes: vec![mode.into()],
                failure_title: None,
                signatures: vec![],
                root_cause: None,
                resolution: None,
                confirmed: false,
                confirmed_by: None,
            },
            text: text.into(),
        }
    }

    #[test]
    fn same_mechanism_beats_shared_words() {
        let q = stored(
            "q",
            "checkout latency high; orders-db pool timeouts",
            "db-connection-pool-exhaustion",
        );
        let all = vec![
            // many words in common, another mechanism
            stored(
                "a",
                "checkout latency high; orders-db cpu at 100%",
                "cpu-saturation",
            ),
            // fewer words in common, the same mechanism
            stored(
                "b",
                "payments: pool timeouts, too many clients",
                "db-connection-pool-exhaustion",
            ),
        ];
        let r = rank(&q.meta, &q.text, &all, 5);
        assert_eq!(r[0].id, "b");
        assert!(r[0].why.contains("same failure mode"), "{}", r[0].why);
    }

    #[test]
    fn never_itself_and_copies_collapse() {
        let text = "orders-db connections 500/500, too many clients, cron job v2.41 at 13:50";
        let past = "payments-db connections 100/100 used, pool timeouts after the ledger cron job";
        let q = stored("q", text, "db-connection-pool-exhaustion");
        let all = vec![
            stored("same-text", text, "db-connection-pool-exhaustion"),
            // the query pasted again with a full stop: still the query
            stored(
                "re-paste",
                &format!("{text}."),
                "db-connection-pool-exhaustion",
            ),
            stored("copy-1", past, "db-connection-pool-exhaustion"),
            stored(
                "copy-2",
                &format!("{past}!"),
                "db-connection-pool-exhaustion",
            ),
            stored("other", "disk full on kafka-b3", "disk-full"),
        ];
        let r = rank(&q.meta, &q.text, &all, 5);
        let ids: Vec<&str> = r.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, vec!["copy-1", "other"]);
    }

    #[test]
    fn only_the_first_64_kib_is_compared_cut_at_a_line_end() {
        let short = "a\nb\n";
        assert_eq!(compared(short), short);
        let line = format!("{}\n", "é".repeat(99));
        let long = line.repeat(2000);
        let c = compared(&long);
        assert!(
            c.len() <= COMPARED && c.len() > COMPARED - line.len(),
            "{}",
            c.len()
        );
        assert!(long[c.len()..].starts_with('\n'), "cut at a line end");
        let one_line = "x".repeat(COMPARED + 10);
        assert_eq!(compared(&one_line).len(), COMPARED);
    }

    #[test]
    fn preselection_is_nearest_first_ties_by_id() {
        let q = trgm::trigrams("pool exhaustion payment-svc");
        let near = trgm::trigrams("pool exhaustion payment-svc too_many_clients");
        let far = trgm::trigrams("disk full kafka");
        let mut entries: Vec<(String, Vec<Trigram>)> = (0..CANDIDATES + 50)
            .map(|i| (format!("far-{i:04}"), far.clone()))
            .collect();
        entries.push(("z-near".into(), near.clone()));
        entries.push(("a-near".into(), near));
        let picked = preselect(
            &q,
            entries.iter().map(|(id, g)| (id.as_str(), g.as_slice())),
        );
        assert_eq!(picked.len(), CANDIDATES);
        assert_eq!(&picked[..3], &["a-near", "z-near", "far-0000"]);
        assert_eq!(picked[CANDIDATES - 1], format!("far-{:04}", CANDIDATES - 3));
    }
}
