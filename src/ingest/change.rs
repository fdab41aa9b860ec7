//! Changes read from one line: deploys, config pushes, flags, migrations, cron schedules, infra,
//! scaling, rotations, deletions, DNS and network changes, upgrades, rollbacks; with service and
//! version where named. Pure.

use super::text;
use crate::model::ChangeKind;
use crate::re::Re;
use std::sync::LazyLock;

const KINDS: &[(ChangeKind, &str)] = &[
    (
        ChangeKind::Deploy,
        r"\b(deploy(ed|s|ing|ment)?|rolled out|roll(ing)?[- ]?out|released?|shipped|ships|(build|release|version|v\d[\w.]*|deploy\w*)\b.{0,30}\bwent out|pushed (to prod\w*|out|live)|promot(ed|ion) to prod\w*|canary|helm upgrade|argo(cd)? sync|(argo\w*|flux\w*|spinnaker)\b.{0,40}\bsync(ed)? (started|succeeded|completed)|sync started\b.{0,60}\bimage|merged and (deployed|synced|applied|rolled out)|new (build|release|version)|build [\w.-]+ (went|is) (out|live))\b",
    ),
    (
        ChangeKind::Config,
        r"\b(config(uration)?|settings?|parameters?|timeouts?|limits?|env(ironment)? var\w*|values\.ya?ml)\b.{0,40}\b(change[ds]?|push(ed)?|updated?|edited|modified|tweak(ed)?|lowered|raised|cut|reduced|increased|set to|rolled out|applied|deployed)\b|\b(changed?|pushed|updated|applied|edited|tightened|lowered|raised|reduced|cut)\b.{0,40}\b(config(uration)?|settings?|timeouts?|limits?|policy|policies)\b|\b(resources\.)?(limits|requests)\.(cpu|memory)\b.{0,20}(->|→|=>|\bto\b)|\bpublish(es|ed|ing)?\b.{0,40}\b(bundle|rules?|ruleset|config\w*|polic(y|ies)|filters?)\b",
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
        r"(\bcron(job|tab)?s?\b|\*/\d+ \*|\bschedul(ed|er) (job|task|run)|\bbatch (job|run)|\bnightly\b|\bhourly\b|\bperiodic (job|task)|\b(purge|cleanup|retention|export|settlement|report(ing)?) (job|task|run)s?\b|\bcampaign (job|run|send)\b|\b(sms|email|push) blast\b)",
    ),
    (
        ChangeKind::Infra,
        r"\b(terraform( apply)?|node (pool|group)s? (upgrade|rotation|replace\w*|rolled)|node rotation|\bami\b|kernel (patch|upgrade|update)|instance type|cluster upgrade|maintenance (window|work)|hardware (swap|replace\w*)|consolidat(ion|ed)|karpenter|kubectl drain|drain(ed|ing)? (the |a |all |\d+ )?(node|nodes|host|hosts|pool)|change (request |ticket )?#?[a-z]+(-[a-z0-9]+)*-\d+|chg\d{4,})\b",
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
        r"\b(deleted|removed|dropped|truncated|purged|rm -rf|drop table|delete from|decommission\w*|retire[ds]?|retirement|wiped|destroy(ed)?|kubectl delete|delete (namespace|ns|deployment|statefulset|pvc|pv|bucket|database|cluster|volume)|verb\x22: ?\x22delete)\b",
    ),
    (
        ChangeKind::Dns,
        r"\b(dns (change|migration|record|zone|update|cutover)|nameservers?|ns records?|cname|zone (file|transfer|migration|delegation))\b",
    ),
    (
        ChangeKind::Network,
        r"\b(bgp|route (map|policy|change)|routing (change|policy)|prefix(-list)?|peering|firewall (rule|change)|security group|acl change|local.?pref\w*|network (change|config)|(traffic|routes?|prefixes)\b.{0,60}\bmoved\b|moved\b.{0,60}\b(tunnel|vpn|direct connect|interconnect|circuit))\b",
    ),
    (
        ChangeKind::Upgrade,
        r"\b(upgrad(e|ed|ing)|bump(ed)? (\w+ )?(to|from) v?\d|updated? to v?\d)\b",
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

/// Each kind's pattern alone, to locate its match: compiled when a line first shows the kind
/// (most pastes show few of them).
static ONE: [std::sync::OnceLock<crate::re::Light>; KINDS.len()] =
    [const { std::sync::OnceLock::new() }; KINDS.len()];

fn kind_re(i: usize) -> &'static crate::re::Light {
    ONE[i].get_or_init(|| {
        crate::re::light(&format!("(?i){}", KINDS[i].1)).expect("valid change pattern")
    })
}

static VERSION: LazyLock<Re> = LazyLock::new(|| {
    crate::re::compile(r"(?i)(?:(?P<svc>[a-z][a-z0-9_-]*[a-z0-9])(?:/|@|:| )+)?(?P<ver>\bv\d+(?:\.\d+)+(?:[-+][\w.]+)?|\bv\d+\b|\b\d+\.\d+\.\d+(?:[-+][\w.]+)?|\b\d{4}[.-]\d{2}[.-]\d{2}[.-]\d+\b)")
        .expect("valid version pattern")
});

static FROM_TO: LazyLock<Re> = LazyLock::new(|| {
    crate::re::compile(r"(?i)(?P<a>v?\d+(?:\.\d+)+(?:[-+][\w.]+)?)\s*(?:->|→|=>|to)\s*(?P<b>v?\d+(?:\.\d+)+(?:[-+][\w.]+)?)").expect("valid")
});

/// Words that name a version's subject poorly: skip them as service names.
const NOT_SERVICE: &[&str] = &[
    "version", "release", "build", "deploy", "deployed", "shipped", "to", "from", "of", "the", "a",
    "an", "at", "and", "release", "tag", "image", "chart", "revision", "commit", "rolled", "out",
    "upgrade", "upgraded", "bump", "bumped", "ver", "rev", "is", "was", "now", "on", "in", "with",
    "running", "after", "before", "since", "with", "until", "by", "for",
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
        if let Some(m) = kind_re(i).find(line) {
            if text::negated_at(line, m.start(), m.end()) {
                continue;
            }
            kinds.push(KINDS[i].0);
        }
    }
    if kinds.is_empty() || not_a_change(line) {
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

static PROPOSAL: LazyLock<Re> = LazyLock::new(|| {
    crate::re::compile(r"(?i)^\W*(\S+\s+){0,3}?(plan|options?|proposals?|proposed|next( steps?)?|todo|to do|action( items?)?|asks?|candidates?|ideas?|suggest(ion|ed)?s?|follow[- ]?ups?|recommend(ation|ed)?s?)\s*:")
        .expect("valid proposal pattern")
});

static HARMLESS: LazyLock<Re> = LazyLock::new(|| {
    crate::re::compile(r"(?i)\bonly (changed|changes|touched|touches|added|adds|updated|updates|tweaked) (the |some |a few )?(log(ging| lines| messages| levels?)?|docs?|documentation|comments?|copy|wording|text|strings|translations|readme|tests?|css|styles?|styling)\b|\bno[- ]op (change|release|deploy)|\bcosmetic (change|release|fix)")
        .expect("valid harmless pattern")
});

/// Lines that read like a change but are not one: a heading ("deploys:"), a query plan's node
/// ("Rows Removed by Filter"), a plan or list of options for what to do next.
fn not_a_change(line: &str) -> bool {
    let t = line.trim();
    if t.ends_with(':')
        && t.split_whitespace().count() <= 3
        && !t.bytes().any(|b| b.is_ascii_digit())
    {
        return true;
    }
    t.contains("Rows Removed by")
        || t.contains("(cost=")
        || PROPOSAL.is_match(t)
        || HARMLESS.is_match(t)
}

/// The part of a change's line that says the change: the clause (between `;`, `. ` or ` — `)
/// holding the first match of one of `kinds`, cut to about 80 characters around that match,
/// without the line's own leading time (the trigger gives it) and with blanks collapsed.
pub fn clause(line: &str, kinds: &[ChangeKind]) -> String {
    let c = clause_span(line, kinds);
    let c = crate::ingest::time::strip_leading_time(c);
    c.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn clause_span<'a>(line: &'a str, kinds: &[ChangeKind]) -> &'a str {
    const MAX: usize = 80;
    let first = KINDS
        .iter()
        .enumerate()
        .filter(|(_, (k, _))| kinds.contains(k))
        .filter_map(|(i, _)| kind_re(i).find(line))
        .min_by_key(|m| m.start());
    let Some(m) = first else {
        return line.trim();
    };
    let seps = ["; ", ". ", " — ", " -- "];
    let start = seps
        .iter()
        .filter_map(|s| line[..m.start()].rfind(s).map(|i| i + s.len()))
        .max()
        .unwrap_or(0);
    let end = seps
        .iter()
        .filter_map(|s| line[m.end()..].find(s).map(|i| m.end() + i))
        .min()
        .unwrap_or(line.len());
    let mut from = start;
    // a lead-in so long the match would be cut off: start two words before the match
    if m.end() - from > MAX {
        let before = line[..m.start()].trim_end();
        from = before
            .rfind(' ')
            .and_then(|i| before[..i].trim_end().rfind(' '))
            .map_or(m.start(), |i| i + 1)
            .max(start);
    }
    let mut to = end;
    if to - from > MAX {
        to = from + MAX;
        while !line.is_char_boundary(to) {
            to -= 1;
        }
        to = line[..to].rfind(' ').filter(|&i| i > m.end()).unwrap_or(to);
    }
    line[from..to].trim().trim_end_matches([',', ':', ';'])
}

static HEADING: LazyLock<Re> = LazyLock::new(|| {
    crate::re::compile(r"(?i)^\W*(recent |latest |today.s |relevant )?(deploy(s|ments)?|releases?|changes?|change ?log|rollouts?|change history)\b[^:]{0,40}:$")
        .expect("valid heading pattern")
});

/// Is this line the heading of a list of changes ("deploys:", "recent changes (24h):")?
pub fn is_heading(line: &str) -> bool {
    let t = line.trim();
    t.len() < 60 && t.ends_with(':') && HEADING.is_match(t)
}

/// An item of a list under a change heading: a deploy when it names a version.
pub fn listed(line: &str) -> Option<Found> {
    let c = VERSION
        .captures_iter(line)
        .find(|c| c.name("ver").is_some())?;
    let version = c.name("ver").map(|m| m.as_str().to_string());
    let service = c
        .name("svc")
        .map(|s| s.as_str().to_ascii_lowercase())
        .filter(|s| !NOT_SERVICE.contains(&s.as_str()) && s.len() > 1);
    Some(Found {
        kinds: vec![ChangeKind::Deploy],
        previous: version.as_deref().and_then(previous_version),
        service,
        version,
    })
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
    std::sync::LazyLock::force(&ANY);
    std::sync::LazyLock::force(&PROPOSAL);
    std::sync::LazyLock::force(&HEADING);
    std::sync::LazyLock::force(&HARMLESS);
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_change_is_named_by_the_clause_that_says_it() {
        use super::{ChangeKind, clause};
        let line = "taskwatch: single replica in ns observability, state in a SQLite file on a PVC (/data/taskwatch.db, ~26 GB); an hourly purge drops invocations older than 60h";
        let c = super::scan(line).expect("a schedule");
        assert_eq!(
            clause(line, &c.kinds),
            "an hourly purge drops invocations older than 60h"
        );
        // no separator: the words around the match, cut near 80 characters
        let long = format!(
            "{}the nightly cron job reindex-all starts at 02:00 {}",
            "x ".repeat(40),
            "y ".repeat(60)
        );
        let got = clause(&long, &[ChangeKind::Cron]);
        assert!(got.starts_with("x the nightly cron job"), "{got}");
        assert!(got.len() <= 80, "{got}");
        assert_eq!(clause("nothing here", &[ChangeKind::Cron]), "nothing here");
    }

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
    fn more_ways_to_write_a_change() {
        let kinds = |l: &str| scan(l).map(|f| f.kinds).unwrap_or_default();
        assert!(
            kinds("argo-bot: sync started catalog-api -> image reg/catalog-api:v1.9.2")
                .contains(&ChangeKind::Deploy)
        );
        assert!(
            kinds("infra-cost PR #2217 merged and synced: resources.limits.cpu \"2\" -> \"500m\"")
                .contains(&ChangeKind::Config)
        );
        assert!(
            kinds("sec-eng publishes input-rules bundle r4471 to api-edge")
                .contains(&ChangeKind::Config)
        );
        assert!(
            kinds("07:40 change NET-CHG-5518: traffic moved onto the new VPN tunnel")
                .contains(&ChangeKind::Network)
        );
        assert!(kinds("07:40 change NET-CHG-5518: new tunnel").contains(&ChangeKind::Infra));
        assert!(
            kinds("started the reactivation SMS blast (campaign job CMP-77)")
                .contains(&ChangeKind::Cron)
        );
        assert!(kinds("I ran `kubectl delete namespace billing`").contains(&ChangeKind::Delete));
        assert!(
            kinds(r#"{"verb":"delete","objectRef":{"resource":"namespaces"}}"#)
                .contains(&ChangeKind::Delete)
        );
    }

    #[test]
    fn lines_that_only_look_like_changes() {
        assert!(scan("deploys:").is_none());
        assert!(scan("         Rows Removed by Filter: 14211873").is_none());
        assert!(scan("2:27 PM  plan: feature-flag the search off, then CREATE INDEX").is_none());
        assert!(scan("09:34 priya: candidates: revert api/v2.4.1 -> api/v2.4.0").is_none());
        assert!(scan("Monday's writer release only changed logging").is_none());
        assert!(scan("a 2% traffic bump from the marketing push").is_none());
        assert!(
            scan("raised worker concurrency 4 -> 6 to drain faster")
                .is_none_or(|f| !f.kinds.contains(&ChangeKind::Infra))
        );
        assert!(
            scan("kubectl drain node-7 for the kernel patch")
                .is_some_and(|f| f.kinds.contains(&ChangeKind::Infra))
        );
    }

    #[test]
    fn listed_changes_under_a_heading() {
        assert!(is_heading("deploys:"));
        assert!(is_heading("Recent changes (last 24h):"));
        assert!(!is_heading("deploys: none today"));
        let f = listed("  2026-08-19T16:20Z  feed-api v7.2.0 \"live updates\"").expect("item");
        assert_eq!(f.version.as_deref(), Some("v7.2.0"));
        assert_eq!(f.service.as_deref(), Some("feed-api"));
        assert!(listed("  nothing else").is_none());
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
