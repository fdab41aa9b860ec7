//! Stage 2, plan: incident + ranked playbooks -> the investigation checklist (probes with their
//! commands filled in, why they run and what would confirm them), the mitigations of each
//! hypothesis, and follow-ups. Pure.

use crate::model::{CheckItem, FollowUp, Hypothesis, Mitigation, ProbeKind};
use crate::playbook::{Library, Playbook};
use crate::template::{self, Vars};

/// How many hypotheses contribute probes to the checklist.
pub const CHECKLIST_HYPOTHESES: usize = 4;

/// A playbook's mitigations with the incident's values filled in.
pub fn mitigations(pb: &Playbook, vars: &Vars) -> Vec<Mitigation> {
    pb.spec
        .mitigations
        .iter()
        .map(|m| Mitigation {
            id: m.id.clone(),
            title: m.title.trim().to_string(),
            command: template::fill_display(m.command.trim(), vars).0,
            // the prose may name the same objects ("{service} keeps its old pods")
            risk: template::fill_display(m.risk.trim(), vars).0,
            rollback: template::fill_display(m.rollback.trim(), vars).0,
            not_when: m
                .not_when
                .as_ref()
                .map(|s| template::fill_display(s.trim(), vars).0),
            reversible: m.reversible,
            runnable: !m.steps.is_empty(),
            will_not_help: None,
        })
        .collect()
}

/// Mark the mitigations that a line of the paste says will not help (a playbook's `not_if`):
/// the first matching line is quoted as the reason, and they move after the others.
pub fn mark_useless(hyps: &mut [Hypothesis], lib: &Library, text: &str) {
    for h in hyps.iter_mut() {
        let Some(pb) = lib.get(&h.id) else { continue };
        for m in &mut h.mitigations {
            let Some(spec) = pb.spec.mitigations.iter().find(|s| s.id == m.id) else {
                continue;
            };
            for rule in &spec.not_if {
                if let Some((no, line)) = first_line_matching(&rule.pattern, text) {
                    m.will_not_help =
                        Some((rule.why.trim().to_string(), no, line.trim().to_string()));
                    break;
                }
            }
        }
        // what the evidence says will not help goes after what may
        h.mitigations.sort_by_key(|m| m.will_not_help.is_some());
    }
}

/// The first line of `text` (numbered from 1, as `str::lines` splits it) that a line pattern
/// matches. One prefiltered search over the whole text finds the candidate line (a pattern
/// compiled for lines would start a search on each of them); a match that runs across a line
/// break is not a match of that line, so the search goes on from the next one.
fn first_line_matching<'t>(pattern: &str, text: &'t str) -> Option<(usize, &'t str)> {
    let whole = crate::re::scanner(&format!("(?mR){pattern}")).ok()?;
    let line_re = crate::re::light(pattern).ok()?;
    let (mut from, mut no) = (0, 1);
    while from <= text.len() {
        let m = whole.find(&text[from..])?;
        let at = from + m.start();
        no += text[from..at].matches('\n').count();
        let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        let line = text[start..end]
            .strip_suffix('\r')
            .unwrap_or(&text[start..end]);
        if line_re.is_match(line) {
            return Some((no, line));
        }
        from = end + 1;
        no += 1;
    }
    None
}

/// The checklist for the top hypotheses, deduplicated by command.
pub fn checklist(hyps: &[Hypothesis], lib: &Library, vars: &Vars) -> Vec<CheckItem> {
    let mut out: Vec<CheckItem> = Vec::new();
    for h in hyps.iter().take(CHECKLIST_HYPOTHESES) {
        let Some(pb) = lib.get(&h.id) else { continue };
        for p in &pb.spec.probes {
            let mut missing = Vec::new();
            let mut query = None;
            let (command, argv) = match p.kind {
                ProbeKind::Kubectl | ProbeKind::Host => {
                    let argv: Vec<String> = p
                        .argv
                        .as_deref()
                        .unwrap_or_default()
                        .iter()
                        .map(|a| template::fill_arg(a, vars, &mut missing))
                        .collect();
                    let shown = template::display_argv(&argv);
                    let shown = if p.kind == ProbeKind::Host {
                        let host = vars
                            .get("host")
                            .map_or("<host>".to_string(), template::quote);
                        format!("ssh -o BatchMode=yes {host} -- {shown}")
                    } else {
                        shown
                    };
                    (shown, argv)
                }
                ProbeKind::Sql | ProbeKind::Http => {
                    let (q, m) =
                        template::fill_display(p.query.as_deref().unwrap_or("").trim(), vars);
                    missing.extend(m);
                    let q = q.split_whitespace().collect::<Vec<_>>().join(" ");
                    let mut raw = Vec::new();
                    query = Some(template::fill_arg(
                        p.query.as_deref().unwrap_or("").trim(),
                        vars,
                        &mut raw,
                    ));
                    let shown = if p.kind == ProbeKind::Sql {
                        format!("psql \"$DATABASE_URL\" -c {}", template::quote(&q))
                    } else {
                        format!(
                            "curl -sG \"$PROM_URL/api/v1/query\" --data-urlencode {}",
                            template::quote(&format!("query={q}"))
                        )
                    };
                    (shown, Vec::new())
                }
                ProbeKind::Log => {
                    let (pat, m) = template::fill_display(p.pattern.as_deref().unwrap_or(""), vars);
                    missing.extend(m);
                    let mut raw = Vec::new();
                    query = Some(regex_fill(
                        p.pattern.as_deref().unwrap_or(""),
                        vars,
                        &mut raw,
                    ));
                    (
                        format!("grep -E {} <logs>", template::quote(&pat)),
                        Vec::new(),
                    )
                }
            };
            if let Some(existing) = out.iter_mut().find(|c| c.command == command) {
                if !existing.hypotheses.contains(&h.id) {
                    existing.hypotheses.push(h.id.clone());
                }
                continue;
            }
            missing.sort();
            missing.dedup();
            out.push(CheckItem {
                id: format!("{}/{}", pb.spec.id, p.id),
                kind: p.kind,
                command,
                argv,
                query,
                why: p.why.trim().to_string(),
                expected: p.expected.trim().to_string(),
                hypotheses: vec![h.id.clone()],
                missing,
                status: "not_run",
                reason: None,
                findings: Vec::new(),
                took_ms: None,
            });
        }
    }
    out
}

/// Fill a regex template: each value is escaped, so that a name with `.` or `+` matches itself.
fn regex_fill(pattern: &str, vars: &Vars, missing: &mut Vec<String>) -> String {
    let mut escaped = Vars::default();
    for v in template::VARIABLES {
        if let Some(x) = vars.get(v) {
            escaped.offer_unchecked(v, &regex::escape(x));
        }
    }
    template::fill_arg(pattern, &escaped, missing)
}

/// Follow-ups: the top hypothesis' items, then the runner-up's when it is close.
pub fn follow_ups(hyps: &[Hypothesis], lib: &Library, vars: &Vars) -> Vec<FollowUp> {
    let mut out: Vec<FollowUp> = Vec::new();
    let top_raw = hyps.first().map(|h| h.raw).unwrap_or(0.0);
    for (i, h) in hyps.iter().take(2).enumerate() {
        let Some(pb) = lib.get(&h.id) else { continue };
        // the runner-up's items too when it is close, or a part of the same story (not the
        // generic "the change broke it", which adds nothing to a specific cause)
        if i == 1 && h.raw < 0.7 * top_raw && !contributes(&hyps[0], h) {
            break;
        }
        for f in &pb.spec.follow_ups {
            // names from the paste, as written (a title is prose, not a command)
            let title = crate::template::fill_arg(f.title.trim(), vars, &mut Vec::new());
            if out.iter().any(|o| o.title == title) {
                continue;
            }
            out.push(FollowUp {
                title,
                priority: f.priority.clone(),
                owner: f.owner.clone(),
                kind: f.kind.clone(),
            });
        }
    }
    out.sort_by(|a, b| a.priority.cmp(&b.priority));
    out
}

/// Is `h`, ranked below `top`, a contributing factor rather than a rival: supported (medium
/// confidence or more) and set off by the same change, so both are parts of one story (a
/// missing index that makes the new job's queries hold their connections for seconds)?
pub fn contributes(top: &Hypothesis, h: &Hypothesis) -> bool {
    h.confidence >= crate::model::Confidence::Medium
        && h.trigger.is_some()
        && h.trigger == top.trigger
        && !h.generic
}

#[cfg(test)]
mod tests {
    use super::first_line_matching;

    #[test]
    fn terminating_a_postgres_session_does_not_help_a_service_on_sqlite() {
        let lib = crate::playbook::Library::builtin().expect("playbooks");
        let text =
            "worker-monitor: state in a SQLite file on a PVC; a nightly purge deletes old rows
02:10 purge: deleted 3.2M rows in one pass, held the db lock for 14m
02:11 WARN flush: db lock busy, cannot write batch; pending=90,000 records buffered
";
        let r = crate::analyze::analyze(
            text,
            &Default::default(),
            &lib,
            &crate::analyze::Targets::default(),
        );
        let h = r
            .hypotheses
            .iter()
            .find(|h| h.id == "db-lock-holding-batch")
            .expect("the batch hypothesis");
        let m = h
            .mitigations
            .iter()
            .find(|m| m.id == "terminate-batch-session")
            .expect("the mitigation");
        let (why, line, _) = m.will_not_help.as_ref().expect("marked as no help");
        assert!(why.contains("SQLite"), "{why}");
        assert_eq!(*line, 1);
        // on Postgres it stays a mitigation that can help
        let pg = text.replace("state in a SQLite file on a PVC", "state in Postgres");
        let r = crate::analyze::analyze(&pg, &Default::default(), &lib, &Default::default());
        let h = r
            .hypotheses
            .iter()
            .find(|h| h.id == "db-lock-holding-batch");
        let m = h.and_then(|h| {
            h.mitigations
                .iter()
                .find(|m| m.id == "terminate-batch-session")
        });
        assert!(m.is_some_and(|m| m.will_not_help.is_none()), "{m:?}");
    }

    #[test]
    fn first_line_matching_finds_the_line_a_per_line_search_finds() {
        let text = "ok\r\nrestart did not help\r\nthe same database is mounted again\n";
        assert_eq!(
            first_line_matching(r"(?i)same (database|db)", text),
            Some((3, "the same database is mounted again"))
        );
        // `$` is a line end, CRLF or not
        assert_eq!(
            first_line_matching(r"help$", text),
            Some((2, "restart did not help"))
        );
        // a match across a line break is no line's match: the search goes on past it
        let text = "pool\nexhausted\npool exhausted here\n";
        assert_eq!(
            first_line_matching(r"pool\s+exhausted", text),
            Some((3, "pool exhausted here"))
        );
        assert_eq!(first_line_matching(r"^\s*$x", text), None);
        assert_eq!(first_line_matching(r"nowhere", text), None);
    }
}
