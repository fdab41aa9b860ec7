//! `playbook test`: run every example of every playbook through the full ranking, the way
//! `promtool test rules` runs alerting-rule tests. Pure.

use super::Library;
use super::schema::Expect;

/// One example's outcome.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Playbook id.
    pub playbook: String,
    /// Example name.
    pub example: String,
    /// What it expected.
    pub expect: Expect,
    /// Where the playbook ranked (1-based), if listed.
    pub rank: Option<usize>,
    /// The top three ids.
    pub top: Vec<String>,
    /// Passed.
    pub passed: bool,
}

/// Run the examples of the playbooks whose ids are in `only` (all when empty).
pub fn run(lib: &Library, only: &[String], settings: &crate::ingest::Settings) -> Vec<Outcome> {
    let mut out = Vec::new();
    for pb in &lib.playbooks {
        if !only.is_empty() && !only.contains(&pb.spec.id) {
            continue;
        }
        for ex in &pb.spec.examples {
            let inc = crate::ingest::parse(&ex.text, settings);
            let hyps = crate::rank::rank(&inc, lib);
            let rank = hyps.iter().position(|h| h.id == pb.spec.id).map(|i| i + 1);
            let passed = match ex.expect {
                Expect::Top1 => rank == Some(1),
                Expect::Top3 => rank.is_some_and(|r| r <= 3),
                Expect::NotTop3 => rank.is_none_or(|r| r > 3),
            };
            out.push(Outcome {
                playbook: pb.spec.id.clone(),
                example: ex.name.clone(),
                expect: ex.expect,
                rank,
                top: hyps.iter().take(3).map(|h| h.id.clone()).collect(),
                passed,
            });
        }
    }
    out
}
