//! Changes read from one line: deploys, config pushes, flags, migrations, cron schedules, infra,
//! scaling, rotations, deletions, DNS and network changes, upgrades, rollbacks; with service and
//! version where named. Pure.

use super::text;
use crate::model::ChangeKind;
use regex::Regex;
use std::sync::LazyLock;

const KINDS: &[(ChangeKind, &str)] = &[
    (
        ChangeKind::Deploy,
        r"\b(deploy(ed|s|ing|ment)?|rolled out|roll(ing)?[- ]?out|released?|shipped|ships|(build|release|version|v\d[\w.]*|deploy\w*)\b.{0,30}\bwent out|pushed (to prod\w*|out|live)|promot(ed|ion) to prod\w*|canary|helm upgrade|argo(cd)? sync|merged and deployed|new (build|release|version)|build [\w.-]+ (went|is) (out|live))\b",
    ),
    (
        ChangeKind::Config,
        r"\b(config(uration)?|settings?|parameters?|timeouts?|limits?|env(ironment)? var\w*|values\.ya?ml)\b.{0,40}\b(change[ds]?|push(ed)?|updated?|edited|modified|tweak(ed)?|lowered|raised|cut|reduced|increased|set to|rolled out|applied|deployed)\b|\b(changed?|pushed|updated|applied|edited|tightened|lowered|raised|reduced|cut)\b.{0,40}\b(config(uration)?|settings?|timeouts?|limits?|policy|policies)\b",
    ),
    (
        ChangeKind::Flag,
        r"\b(feature[- ]flag|flag (flip(ped)?|enabled|turned on|rolled|ramp(ed)?)|flipped|toggled|ramped to \d+ ?%|rolled (out )?to \d+ ?%|enabled for (all|\d+ ?%))",
    ),
    (
        ChangeKind::Migration,
        r"\b(migration|migrat(ed|ing|e)|alter table|backfill(ing)?|schema change|add(ed)? (a )?column|create index|reindex)\b",
    ),
    (
        ChangeKind::Cron,
        r"(\bcron(job|tab)?s?\b|\*/\d+ \*|\bschedul(ed|er) (job|task|run)|\bbatch (job|run)|\bnightly\b|\bhourly\b|\bperiodic (job|task)|\b(purge|cleanup|retention|export|settlement|report(ing)?) (job|task|run)s?\b)",
    ),
    (
        ChangeKind::Infra,
        r"\b(terraform( apply)?|node (pool|group)s? (upgrade|rotation|replace\w*|rolled)|node rotation|\bami\b|kernel (patch|upgrade|update)|instance type|cluster upgrade|maintenance (window|work)|hardware (swap|replace\w*)|consolidat(ion|ed)|karpenter|drain(ed)?)\b",
    ),
    (
        ChangeKind::Scale,
        r"\b(scaled? (up|down|out|in|to)|replicas? (to|from) \d|resized|added \d+ (nodes|hosts|servers|instances))\b",
    ),
    (
        ChangeKind::Rotation,
        r"\b(rotat(ed|ion|ing|e))\b.{0,40}\b(keys?|certs?|certificates?|secrets?|credentials?|passwords?|tokens?)\b|\b(keys?|certs?|certificates?|secrets?|credentials?|passwords?|tokens?)\b.{0,40}\b(rotat(ed|ion|ing)|renewed|revoked|replaced)\b",
    ),
    (
        ChangeKind::Delete,
        r"\b(deleted|removed|dropped|truncated|purged|rm -rf|drop table|delete from|decommission\w*|retire[ds]?|retirement|wiped|destroy(ed)?)\b",
    ),
    (
        ChangeKind::Dns,
        r"\b(dns (change|migration|record|zone|update|cutover)|nameservers?|ns records?|cname|zone (file|transfer|migration|delegation))\b",
    ),
    (
        ChangeKind::Network,
        r"\b(bgp|route (map|policy|change)|routing (change|policy)|prefix(-list)?|peering|firewall (rule|change)|security group|acl change|local.?pref\w*|network (change|config))\b",
    ),
    (
        ChangeKind::Upgrade,
        r"\b(upgrad(e|ed|ing)|bump(ed)? (to|from)|updated? to v?\d)\b",
    ),
    (
        ChangeKind::Rollback,
        r"\b(roll(ed|ing)?[- ]?back|revert(ed|ing)?|undo)\b",
    ),
];

static ANY: LazyLock<crate::re::LightSet> = LazyLock::new(|| {
    crate::re::light_set(KINDS.iter().map(|(_, p)| format!("(?i){p}")))
        .expect("valid change pattern")
});

static SETS: LazyLock<Vec<crate::re::Light>> = LazyLock::new(|| {
    KINDS
        .iter()
        .map(|(_, p)| crate::re::light(&format!("(?i){p}")).expect("valid change pattern"))
        .collect()
});

static VERSION: LazyLock<Regex> = LazyLock::new(|| {
    crate::re::compile(r"(?i)(?:(?P<svc>[a-z][a-z0-9_-]*[a-z0-9])(?:/|@|:| )+)?(?P<ver>\bv\d+(?:\.\d+)+(?:[-+][\w.]+)?|\bv\d+\b|\b\d+\.\d+\.\d+(?:[-+][\w.]+)?|\b\d{4}[.-]\d{2}[.-]\d{2}[.-]\d+\b)")
        .expect("valid version pattern")
});

static FROM_TO: LazyLock<Regex> = LazyLock::new(|| {
    crate::re::compile(r"(?i)(?P<a>v?\d+(?:\.\d+)+(?:[-+][\w.]+)?)\s*(?:->|→|=>|to)\s*(?P<b>v?\d+(?:\.\d+)+(?:[-+][\w.]+)?)").expect("valid")
});

/// Words that name a version's subject poorly: skip them as service names.
const NOT_SERVICE: &[&str] = &[
    "version", "release", "build", "deploy", "deployed", "shipped", "to", "from", "of", "the", "a",
    "an", "at", "and", "release", "tag", "image", "chart", "revision", "commit", "rolled", "out",
    "upgrade", "upgraded", "bump", "bumped", "ver", "rev", "is", "was", "now", "on", "in", "with",
    "running",
];

/// A change one line records.
#[derive(Clone, Debug, Default)]
pub struct Found {
    /// Kinds, in table order.
    pub kinds: Vec<ChangeKind>,
    /// The subject service, if named next to a version.
    pub service: Option<String>,
    /// The version shipped.
    pub version: Option<String>,
    /// The version before it.
    pub previous: Option<String>,
}

/// The change a line records, if any.
pub fn scan(line: &str) -> Option<Found> {
    let mut kinds = Vec::new();
    // one pass tells which kinds a line can be; most lines are none
    for i in ANY.matches(line) {
        if let Some(m) = SETS[i].find(line) {
            if text::negated_at(line, m.start(), m.end()) {
                continue;
            }
            kinds.push(KINDS[i].0);
        }
    }
    if kinds.is_empty() {
        return None;
    }
    let mut found = Found {
        kinds,
        ..Found::default()
    };
    if let Some(c) = FROM_TO.captures(line) {
        let a = c.name("a").map(|m| m.as_str().to_string());
        let b = c.name("b").map(|m| m.as_str().to_string());
        if found.kinds.contains(&ChangeKind::Rollback) {
            found.version = b;
            found.previous = a;
        } else {
            found.previous = a;
            found.version = b;
        }
    }
    for c in VERSION.captures_iter(line) {
        let ver = c.name("ver").map(|m| m.as_str().to_string());
        if found.version.is_none() {
            found.version.clone_from(&ver);
        }
        if found.service.is_none()
            && let Some(s) = c.name("svc")
        {
            let s = s.as_str().to_ascii_lowercase();
            if !NOT_SERVICE.contains(&s.as_str()) && s.len() > 1 {
                found.service = Some(s);
            }
        }
    }
    if found.previous.is_none() {
        found.previous = found.version.as_deref().and_then(previous_version);
    }
    Some(found)
}

/// The version before `v` by decrementing its last number (v2.41 -> v2.40, 1.4.0 -> none).
pub fn previous_version(v: &str) -> Option<String> {
    let digits_end = v.len() - v.chars().rev().take_while(|c| !c.is_ascii_digit()).count();
    let head = &v[..digits_end];
    let start = head
        .rfind(|c: char| !c.is_ascii_digit())
        .map_or(0, |i| i + 1);
    let n: u64 = head[start..].parse().ok()?;
    if n == 0 || digits_end != v.len() {
        return None;
    }
    Some(format!("{}{}", &head[..start], n - 1))
}

/// Compile this module's fixed patterns now (see [`crate::warm`]).
pub(crate) fn warm() {
    std::sync::LazyLock::force(&FROM_TO);
    std::sync::LazyLock::force(&VERSION);
    std::sync::LazyLock::force(&SETS);
    std::sync::LazyLock::force(&ANY);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deploy_with_service_and_version() {
        let f = scan("13:50 UTC — payment-svc v2.41 shipped").expect("change");
        assert!(f.kinds.contains(&ChangeKind::Deploy));
        assert_eq!(f.service.as_deref(), Some("payment-svc"));
        assert_eq!(f.version.as_deref(), Some("v2.41"));
        assert_eq!(f.previous.as_deref(), Some("v2.40"));
        let f = scan("14:31:42 ci deploy api/v2.4.1 shipped").expect("change");
        assert_eq!(f.service.as_deref(), Some("api"));
        assert_eq!(f.previous.as_deref(), Some("v2.4.0"));
    }

    #[test]
    fn kinds_and_negation() {
        assert!(scan("No infra/DB changes in past 7 days, no deploys").is_none());
        let f = scan("changelog: added nightly settlement batch (cron: */30 * * * *)").expect("c");
        assert!(f.kinds.contains(&ChangeKind::Cron));
        let f = scan("reverted v2.4.1 -> v2.4.0").expect("c");
        assert!(f.kinds.contains(&ChangeKind::Rollback));
        assert_eq!(f.previous.as_deref(), Some("v2.4.1"));
        assert_eq!(previous_version("v2.10").as_deref(), Some("v2.9"));
        assert_eq!(previous_version("v3.0"), None);
    }
}
