//! Entities named in the paste: services, namespaces, hosts, pods, nodes, tables, databases,
//! systemd units, containers, jobs and endpoints, counted so the most mentioned come first. Pure.

use crate::model::Entities;
use crate::re::Re;
use std::collections::BTreeMap;
use std::sync::LazyLock;

struct Rule {
    re: Re,
    group: usize,
    weight: u32,
}

fn rule(p: &str, group: usize, weight: u32) -> Rule {
    Rule {
        re: crate::re::compile(p).expect("valid entity pattern"),
        group,
        weight,
    }
}

static SERVICE: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    vec![
        rule(
            r"(?i)\b(?:service|svc|app|application|component|workload)\s*[:=]\s*`?([a-z][a-z0-9-]{1,50}[a-z0-9])",
            1,
            5,
        ),
        // "geo-lookup pods": a hyphenated name before the word for its replicas
        rule(
            r"\b([a-z][a-z0-9]*-[a-z0-9-]{0,48}[a-z0-9]) (?:pods?|replicas|containers?|deployment)\b",
            1,
            3,
        ),
        // "service report-renderer": a hyphenated name, so that "service is down" is not one
        rule(
            r"(?i)\b(?:service|svc|app|workload|microservice)\s+`?([a-z][a-z0-9]*-[a-z0-9-]{0,48}[a-z0-9])\b",
            1,
            4,
        ),
        rule(
            r"(?i)\bapp(?:\.kubernetes\.io/name)?=([a-z][a-z0-9-]{1,50}[a-z0-9])",
            1,
            4,
        ),
        rule(
            r"(?i)\b(?:deployment|deploy|statefulset|daemonset|sts|ds)(?:\.apps)?[/ ]([a-z][a-z0-9-]{1,50}[a-z0-9])\b",
            1,
            4,
        ),
        rule(
            r"\b([a-z][a-z0-9]*(?:-[a-z0-9]+)*-(?:svc|service|api|worker|web|server|gateway|proxy|backend|frontend|consumer|producer|scheduler|writer|reader|relay|indexer|ingest(?:er|or)?))\b",
            1,
            2,
        ),
    ]
});

/// Names a paste introduces rather than mentions: a title that starts `pusher (audio relay) …`
/// (the first line only), and a description line `pusher: Python 3.11 asyncio service; …`.
static SUBJECT: LazyLock<Re> = LazyLock::new(|| {
    crate::re::compile(r"^\s*([a-z][a-z0-9]*(?:-[a-z0-9]+)*)\s+\([a-z][^)]{0,60}\)").expect("valid")
});
static DESCRIBED: LazyLock<Re> = LazyLock::new(|| {
    crate::re::compile(r"^([a-z][a-z0-9]*(?:-[a-z0-9]+)*):\s+(?:[\w.+-]+\s+){1,4}(?:service|daemon|microservice|app|application|api|worker)\b").expect("valid")
});
/// Words that start a line `WORD: …` as a label, not a name.
const LABELS: &[&str] = &[
    "note",
    "notes",
    "update",
    "summary",
    "impact",
    "context",
    "cause",
    "fix",
    "action",
    "todo",
    "question",
    "answer",
    "theory",
    "hypothesis",
    "incident",
    "problem",
    "issue",
    "symptom",
    "symptoms",
    "resolution",
    "mitigation",
    "timeline",
    "background",
    "setup",
    "edit",
    "ps",
    "observation",
    "status",
    "finding",
    "result",
    "conclusion",
    "workaround",
    "owner",
    "ask",
];

static NAMESPACE: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    vec![
        rule(
            r"(?:^|\s)(?:-n|--namespace)[= ]([a-z0-9][a-z0-9-]{0,62})\b",
            1,
            3,
        ),
        rule(
            r"(?i)\bnamespace\s*[:=]?\s*`?([a-z0-9][a-z0-9-]{0,62})\b",
            1,
            3,
        ),
        rule(r"\bns/([a-z0-9][a-z0-9-]{0,62})\b", 1, 3),
    ]
});

static POD: LazyLock<Re> = LazyLock::new(|| {
    crate::re::compile(r"\b([a-z][a-z0-9-]*?-[a-f0-9]{6,10}-[a-z0-9]{5})\b").expect("valid")
});
static NODE: LazyLock<Re> = LazyLock::new(|| {
    crate::re::compile(r"\b(ip-\d{1,3}-\d{1,3}-\d{1,3}-\d{1,3}(?:\.[a-z0-9.-]+)?|gke-[a-z0-9-]+|aks-[a-z0-9-]+)\b|(?i)\bnode[:/ ]\s*([a-z][a-z0-9.-]*\d[a-z0-9.-]*)").expect("valid")
});
static HOST: LazyLock<Re> = LazyLock::new(|| {
    crate::re::compile(r"(?i)\b(?:host|on|from|server|vm|box|instance)[:= ]\s*([a-z][a-z0-9]*(?:-[a-z0-9]+)*(?:\d|-\d+)[a-z0-9]*(?:\.[a-z0-9-]+)*)\b|\b([a-z]+-?(?:web|db|app|api|cache|worker|node|host|srv|lb|proxy|sql)\d{1,3}[a-z]?)\b|\b((?:web|db|app|api|cache|worker|host|srv|lb|proxy|sql|redis|pg|mysql|kafka|es|etcd|zk)-?\d{1,3}[a-z]?)\b").expect("valid")
});
static TABLE: LazyLock<Re> = LazyLock::new(|| {
    crate::re::compile(r#"\b(?:FROM|JOIN|UPDATE|INTO|TABLE|Seq Scan on|Index Scan using \S+ on|relation|table)\s+"?([a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)?)"?"#).expect("valid")
});
/// A column a query filters on, with how sure the line is that it is the one to index:
/// "no index on X" (3), a plan's `Filter:`/`Index Cond:` (2), `FROM t WHERE X =` (1).
static COLUMN: LazyLock<Re> = LazyLock::new(|| {
    crate::re::compile(
        r#"(?i)\b(?:no (?:usable |suitable |matching )?index|missing index|not indexed|unindexed) (?:on|for)(?: the)?(?: column)? +"?(?:[a-z_][a-z0-9_]*\.)?([a-z_][a-z0-9_]*)"?|\b(?:Filter|Index Cond|Recheck Cond): \(+"?([a-z_][a-z0-9_]*)"?\)? *(?:=|<>|!=|<=|>=|<|>|~~|IS\b|IN\b|= ANY)|\bFROM +"?[a-z_][a-z0-9_.]*"?(?: +(?:AS +)?[a-z_][a-z0-9_]*)? +WHERE +\(?"?(?:[a-z_][a-z0-9_]*\.)?([a-z_][a-z0-9_]*)"? *(?:=|<>|!=|<=|>=|<|>|(?:NOT )?(?:IN|LIKE|ILIKE|BETWEEN)\b|IS\b)"#,
    )
    .expect("valid")
});
static DATABASE: LazyLock<Re> = LazyLock::new(|| {
    crate::re::compile(r#"(?i)\b(?:database|dbname|db)\s*[=:]\s*"?([a-z_][a-z0-9_-]*)"?|\bdatabase "([a-z_][a-z0-9_-]*)""#).expect("valid")
});
static UNIT: LazyLock<Re> = LazyLock::new(|| {
    crate::re::compile(r"\b([a-zA-Z][\w@.-]*\.(?:service|timer|socket))\b").expect("valid")
});
static CONTAINER: LazyLock<Re> = LazyLock::new(|| {
    crate::re::compile(
        r#"(?i)\bcontainer[= ]"?([a-z][a-z0-9-]{1,62})"?|(?:^|\s)-c ([a-z][a-z0-9-]{1,62})\b"#,
    )
    .expect("valid")
});
static JOB: LazyLock<Re> = LazyLock::new(|| {
    crate::re::compile(r"(?i)\b(?:cronjob|job)[/ :]+([a-z][a-z0-9-]{2,62})\b").expect("valid")
});
/// A process id named as such: `pid 18472`, `pid=18472`, `[18472]` after a process name
/// (`gunicorn[18472]:`, as syslog and journald print it).
static PID: LazyLock<Re> = LazyLock::new(|| {
    crate::re::compile(
        r"(?i)\bpid[ =:#]{0,2}([1-9][0-9]{1,9})\b|\b[a-z][a-z0-9_.-]{1,30}\[([1-9][0-9]{1,9})\]:",
    )
    .expect("valid")
});
static ENDPOINT: LazyLock<Re> = LazyLock::new(|| {
    crate::re::compile(r"\b(?:GET|POST|PUT|DELETE|PATCH|HEAD)\s+(/[\w/{}.:-]*)").expect("valid")
});

const STOP: &[&str] = &[
    "the",
    "a",
    "an",
    "and",
    "or",
    "is",
    "was",
    "to",
    "of",
    "in",
    "on",
    "at",
    "for",
    "it",
    "this",
    "that",
    "all",
    "is",
    "be",
    "now",
    "same",
    "new",
    "old",
    "name",
    "type",
    "ready",
    "status",
    "restarts",
    "age",
    "kind",
    "set",
    "has",
    "had",
    "have",
    "were",
    "are",
    "with",
    "from",
    "by",
    "not",
    "no",
    "still",
    "again",
    "went",
    "got",
    "rolled",
    "rollout",
    "failed",
    "started",
    "stopped",
    "took",
    "keeps",
    "will",
    "would",
    "should",
    "can",
    "could",
    "did",
    "does",
    "since",
    "today",
    "tonight",
    "yesterday",
    "last",
    "yet",
    "ago",
    "before",
    "after",
    "during",
    "window",
    "freeze",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "until",
    "today's",
];

#[derive(Default)]
struct Counter(BTreeMap<String, (u32, usize)>);

impl Counter {
    fn add(&mut self, v: &str, w: u32, order: usize) {
        let v = v
            .trim_matches(|c: char| c == '.' || c == '-' || c == '`')
            .to_string();
        if v.len() < 2 || STOP.contains(&v.to_ascii_lowercase().as_str()) {
            return;
        }
        let e = self.0.entry(v).or_insert((0, order));
        e.0 += w;
    }
    /// [`Counter::add`] without the stop words (which hold common column names: `status`).
    fn add_word(&mut self, v: &str, w: u32, order: usize) {
        let e = self.0.entry(v.to_string()).or_insert((0, order));
        e.0 += w;
    }
    fn ranked(self) -> Vec<String> {
        let mut v: Vec<(String, (u32, usize))> = self.0.into_iter().collect();
        v.sort_by(|a, b| {
            b.1.0
                .cmp(&a.1.0)
                .then(a.1.1.cmp(&b.1.1))
                .then(a.0.cmp(&b.0))
        });
        v.into_iter().map(|(k, _)| k).collect()
    }
}

/// Collect entities from the lines. `change_services` are subjects of deploy lines (strong hints);
/// lines whose `skip` flag is set (repeats of one shape) are not read.
pub fn extract(lines: &[&str], change_services: &[String], skip: &[bool]) -> Entities {
    let mut services = Counter::default();
    let mut namespaces = Counter::default();
    let mut hosts = Counter::default();
    let mut pods = Counter::default();
    let mut nodes = Counter::default();
    let mut tables = Counter::default();
    let mut columns = Counter::default();
    let mut databases = Counter::default();
    let mut units = Counter::default();
    let mut containers = Counter::default();
    let mut jobs = Counter::default();
    let mut endpoints = Counter::default();
    let mut pids = Counter::default();
    for s in change_services {
        services.add(s, 3, 0);
    }
    let title = lines.iter().position(|l| !l.trim().is_empty());
    for (i, line) in lines.iter().enumerate() {
        if skip.get(i).copied().unwrap_or(false) {
            continue;
        }
        let line: &str = if line.len() > 4096 {
            cut(line, 4096)
        } else {
            line
        };
        if Some(i) == title
            && let Some(c) = SUBJECT.captures(line)
        {
            services.add(&c[1], 3, i);
        }
        if let Some(c) = DESCRIBED.captures(line)
            && !LABELS.contains(&&c[1])
        {
            services.add(&c[1], 3, i);
        }
        for r in SERVICE.iter() {
            for c in r.re.captures_iter(line) {
                if let Some(m) = c.get(r.group) {
                    services.add(&m.as_str().to_ascii_lowercase(), r.weight, i);
                }
            }
        }
        for r in NAMESPACE.iter() {
            for c in r.re.captures_iter(line) {
                if let Some(m) = c.get(r.group) {
                    namespaces.add(m.as_str(), r.weight, i);
                }
            }
        }
        for c in POD.captures_iter(line) {
            let pod = &c[1];
            pods.add(pod, 1, i);
            // the workload behind a pod name (strip the replica-set hash and pod suffix)
            if let Some(w) = workload_of(pod) {
                services.add(&w, 1, i);
            }
        }
        for c in NODE.captures_iter(line) {
            if let Some(m) = c.get(1).or_else(|| c.get(2)) {
                nodes.add(m.as_str(), 1, i);
            }
        }
        for c in HOST.captures_iter(line) {
            if let Some(m) = c.get(1).or_else(|| c.get(2)).or_else(|| c.get(3)) {
                hosts.add(&m.as_str().to_ascii_lowercase(), 1, i);
            }
        }
        for c in TABLE.captures_iter(line) {
            let t = &c[1];
            if !matches!(
                t,
                "select"
                    | "where"
                    | "set"
                    | "values"
                    | "the"
                    | "a"
                    | "pg_stat_activity"
                    | "pg_locks"
            ) {
                tables.add(t, 1, i);
            }
        }
        for c in COLUMN.captures_iter(line) {
            let (m, weight) = match (c.get(1), c.get(2), c.get(3)) {
                (Some(m), _, _) => (m, 3),
                (_, Some(m), _) => (m, 2),
                (_, _, Some(m)) => (m, 1),
                _ => continue,
            };
            let col = m.as_str().to_ascii_lowercase();
            if !matches!(
                col.as_str(),
                "the"
                    | "a"
                    | "an"
                    | "it"
                    | "this"
                    | "that"
                    | "its"
                    | "table"
                    | "column"
                    | "not"
                    | "null"
                    | "true"
                    | "false"
                    | "select"
                    | "and"
                    | "or"
                    | "where"
                    | "any"
            ) {
                columns.add_word(&col, weight, i);
            }
        }
        for c in DATABASE.captures_iter(line) {
            if let Some(m) = c.get(1).or_else(|| c.get(2)) {
                databases.add(m.as_str(), 1, i);
            }
        }
        for c in UNIT.captures_iter(line) {
            units.add(&c[1], 1, i);
        }
        for c in CONTAINER.captures_iter(line) {
            if let Some(m) = c.get(1).or_else(|| c.get(2)) {
                containers.add(m.as_str(), 1, i);
            }
        }
        for c in JOB.captures_iter(line) {
            jobs.add(&c[1].to_ascii_lowercase(), 1, i);
        }
        for c in ENDPOINT.captures_iter(line) {
            endpoints.add(&c[1], 1, i);
        }
        for c in PID.captures_iter(line) {
            if let Some(m) = c.get(1).or_else(|| c.get(2)) {
                pids.add(m.as_str(), 1, i);
            }
        }
    }
    Entities {
        services: services.ranked(),
        namespaces: namespaces.ranked(),
        hosts: hosts.ranked(),
        pods: pods.ranked(),
        nodes: nodes.ranked(),
        tables: tables.ranked(),
        columns: columns.ranked(),
        databases: databases.ranked(),
        units: units.ranked(),
        containers: containers.ranked(),
        jobs: jobs.ranked(),
        endpoints: endpoints.ranked(),
        pids: pids.ranked(),
    }
}

/// `payment-svc-6c9d7f8b4c-9vmdq` -> `payment-svc`.
pub fn workload_of(pod: &str) -> Option<String> {
    let mut parts: Vec<&str> = pod.split('-').collect();
    if parts.len() < 3 {
        return None;
    }
    parts.pop();
    parts.pop();
    Some(parts.join("-"))
}

fn cut(s: &str, max: usize) -> &str {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Compile this module's fixed patterns now (see [`crate::warm`]).
pub(crate) fn warm() {
    std::sync::LazyLock::force(&ENDPOINT);
    std::sync::LazyLock::force(&JOB);
    std::sync::LazyLock::force(&CONTAINER);
    std::sync::LazyLock::force(&UNIT);
    std::sync::LazyLock::force(&DATABASE);
    std::sync::LazyLock::force(&TABLE);
    std::sync::LazyLock::force(&HOST);
    std::sync::LazyLock::force(&NODE);
    std::sync::LazyLock::force(&POD);
    std::sync::LazyLock::force(&NAMESPACE);
    std::sync::LazyLock::force(&SERVICE);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_common_names() {
        let lines = [
            "service: payment-svc",
            "kubectl -n prod logs payment-svc-6c9d7f8b4c-9vmdq",
            "SELECT * FROM ledger_entries WHERE status='pending'",
            "Loaded: loaded (/etc/systemd/system/api.gunicorn.service; enabled)",
            "CPU high on web-02",
        ];
        let e = extract(&lines, &[], &[]);
        assert_eq!(e.services.first().map(String::as_str), Some("payment-svc"));
        assert_eq!(e.namespaces.first().map(String::as_str), Some("prod"));
        assert_eq!(e.tables.first().map(String::as_str), Some("ledger_entries"));
        assert_eq!(
            e.units.first().map(String::as_str),
            Some("api.gunicorn.service")
        );
        assert!(e.hosts.iter().any(|h| h == "web-02"), "{:?}", e.hosts);
        let e = extract(&["PAGE HostCPUHigh on app-vm-1: cpu 97%"], &[], &[]);
        assert_eq!(e.hosts, ["app-vm-1"]);
        assert_eq!(
            workload_of("payment-svc-6c9d7f8b4c-9vmdq").as_deref(),
            Some("payment-svc")
        );
    }

    #[test]
    fn finds_the_column_a_slow_query_filters_on() {
        let col = |lines: &[&str]| extract(lines, &[], &[]).columns.first().cloned();
        assert_eq!(
            col(&["statement: SELECT * FROM ledger_entries WHERE status = 'pending'"]).as_deref(),
            Some("status")
        );
        assert_eq!(
            col(&["select id from orders o where o.customer_id in (1, 2)"]).as_deref(),
            Some("customer_id")
        );
        assert_eq!(
            col(&["   Filter: (tracking_code = '...'::text)"]).as_deref(),
            Some("tracking_code")
        );
        // what people say outweighs a clause that filters on something else too
        assert_eq!(
            col(&[
                "SELECT * FROM events WHERE tenant_id = 4 AND kind = 'x'",
                "there is no index on events.kind",
            ])
            .as_deref(),
            Some("kind")
        );
        // prose is not SQL
        assert_eq!(col(&["and latency = 5s where errors > 3%"]), None);
        assert_eq!(col(&["no index on the table"]), None);
    }

    #[test]
    fn finds_the_name_a_paste_introduces() {
        let e = extract(
            &[
                "",
                "pusher (audio relay) OOMKilled every ~10 h",
                "later (maybe) we retry",
            ],
            &[],
            &[],
        );
        assert_eq!(e.services, ["pusher"]);
        let e = extract(
            &["notes", "ledger: Go 1.22 gRPC service; 4 replicas"],
            &[],
            &[],
        );
        assert_eq!(e.services, ["ledger"]);
        // a label is not a name, and a parenthesis after the first line is not a title
        let e = extract(
            &[
                "outage notes",
                "update: the api service is back",
                "later (maybe) we retry",
            ],
            &[],
            &[],
        );
        assert!(e.services.is_empty(), "{:?}", e.services);
    }
}
