//! Error signatures: the error families a line shows (database, network, DNS, TLS, memory, disk,
//! file descriptors, locks, Kubernetes reasons, HTTP status classes, crashes), with counts where the
//! paste gives them. Pure; one `RegexSet` pass per line.

use crate::model::Family;
use crate::re::Re;
use std::sync::LazyLock;

/// (family, canonical name, pattern)
const TABLE: &[(Family, &str, &str)] = &[
    (
        Family::Database,
        "too many connections",
        r"too many (clients|connections)|remaining connection slots|max_connections|connection slots are reserved|ER_CON_COUNT_ERROR|error 1040",
    ),
    (
        Family::Database,
        "connection pool timeout",
        r"pool (timed out|timeout|exhausted)|timed out (waiting|acquiring) (for )?(a )?connection|connection is not available, request timed out|could not (obtain|acquire|get) (a )?(database )?connection|acquire timeout",
    ),
    (
        Family::Database,
        "deadlock",
        r"deadlock (detected|found)|ER_LOCK_DEADLOCK|\bdeadlock\b",
    ),
    (
        Family::Lock,
        "lock wait",
        r"lock wait timeout|waiting for (table )?(metadata )?lock|lock timeout|could not obtain lock|canceling statement due to lock timeout|database is locked|SQLITE_BUSY|AccessExclusiveLock|blocked by pid|\block (held|contention|queue)",
    ),
    (
        Family::Database,
        "statement timeout",
        r"canceling statement due to statement timeout|statement timeout|query timeout|max_execution_time",
    ),
    (
        Family::Database,
        "slow query",
        r"slow[_ ]query|seq scan|sequential scan|full table scan|rows examined|type: ALL\b",
    ),
    (
        Family::Database,
        "value out of range",
        r"out of range|integer overflow|2147483647|numeric value out of range|reached maximum value of sequence",
    ),
    (
        Family::Database,
        "wraparound",
        r"wraparound|datfrozenxid|not accepting commands to avoid|vacuum age|xid age",
    ),
    (
        Family::Database,
        "replication lag",
        r"replication lag|replica lag|seconds_behind_master|replay lag|standby.*behind",
    ),
    (
        Family::Network,
        "connection refused",
        r"connection refused|ECONNREFUSED",
    ),
    (
        Family::Network,
        "connection reset",
        r"connection reset|ECONNRESET|broken pipe|EPIPE",
    ),
    (
        Family::Network,
        "unreachable",
        r"no route to host|network is unreachable|host unreachable|EHOSTUNREACH|ENETUNREACH|packet loss",
    ),
    (
        Family::Latency,
        "timeout",
        r"\btimed? ?out\b|ETIMEDOUT|deadline exceeded|context deadline|i/o timeout|\btimeouts?\b",
    ),
    (
        Family::Dns,
        "dns failure",
        r"NXDOMAIN|SERVFAIL|no such host|name resolution|could not resolve|Temporary failure in name resolution|EAI_AGAIN|ENOTFOUND|getaddrinfo|UnknownHostException|dns (lookup|resolution|query) (failed|timeout|timed out)",
    ),
    (
        Family::Tls,
        "certificate error",
        r"x509|certificate (has )?expired|certificate verify failed|CERT_HAS_EXPIRED|unknown authority|unable to get local issuer|handshake fail|SSLHandshakeException|PKIX path|certificate is not (yet )?valid|NotAfter|tls: ",
    ),
    (
        Family::Memory,
        "out of memory",
        r"OOMKilled|out of memory|oom[- _]?kill|Killed process|OutOfMemoryError|Cannot allocate memory|ENOMEM|memory cgroup out of memory|exit code:? ?137|heap space|GC overhead limit",
    ),
    (
        Family::Disk,
        "disk full",
        r"no space left|ENOSPC|disk (is )?full|disk usage (9[5-9]|100)%|filesystem full|read-only file system|EROFS|DiskPressure|flood.stage|watermark",
    ),
    (
        Family::FileDescriptors,
        "too many open files",
        r"too many open files|EMFILE|ENFILE|file descriptors?|ulimit -n|nofile|CLOSE_WAIT",
    ),
    (
        Family::Kubernetes,
        "CrashLoopBackOff",
        r"CrashLoopBackOff|Back-off restarting failed container",
    ),
    (
        Family::Kubernetes,
        "image pull failure",
        r"ImagePullBackOff|ErrImagePull|manifest unknown|pull access denied|failed to pull image",
    ),
    (
        Family::Kubernetes,
        "config error",
        r"CreateContainerConfigError|CreateContainerError|couldn't find key|configmap .* not found|secret .* not found|InvalidImageName",
    ),
    (
        Family::Kubernetes,
        "probe failure",
        r"(liveness|readiness|startup) probe failed|Unhealthy",
    ),
    (
        Family::Kubernetes,
        "evicted",
        r"\bEvicted\b|eviction|MemoryPressure|PIDPressure",
    ),
    (
        Family::Kubernetes,
        "unschedulable",
        r"FailedScheduling|Unschedulable|Insufficient (cpu|memory)|nodes are available|didn't match",
    ),
    (
        Family::Kubernetes,
        "node not ready",
        r"NodeNotReady|node .* NotReady|NotReady",
    ),
    (
        Family::Http,
        "HTTP 5xx",
        r"\b(HTTP[ /]?|status[=: ]{0,3}|code[=: ]{0,3}|upstream )5\d\d\b|\b5\d\d (error|errors|status|responses?|response codes?)\b|\b5xx\b|\b50[0234]s\b|\b50[234]\b|internal server error|bad gateway|service unavailable|gateway timeout",
    ),
    (
        Family::RateLimit,
        "rate limited",
        r"\b429\b|too many requests|rate.?limit|throttl|rate exceeded|quota exceeded|RequestLimitExceeded|SlowDown",
    ),
    (
        Family::Auth,
        "auth failure",
        r"\b401\b|\b403\b|unauthori[sz]ed|forbidden|permission denied|access denied|authentication failed|invalid (token|credentials|signature)|password authentication failed",
    ),
    (
        Family::Crash,
        "panic or exception",
        r"\bpanic(ked)?\b|Traceback|\bexception\b|segfault|SIGSEGV|segmentation fault|fatal error|core dumped|stack overflow|uncaught|unhandled",
    ),
    (
        Family::Cpu,
        "cpu saturation",
        r"cpu.{0,20}(100|9\d)(\.\d+)?\s?%|cpu (pegged|saturat\w*|maxed|spike)|load average|run queue|cpu throttl|nr_throttled",
    ),
];

static SET: LazyLock<crate::re::LightSet> = LazyLock::new(|| {
    crate::re::light_set(TABLE.iter().map(|(_, _, p)| format!("(?i){p}")))
        .expect("valid signature table")
});

static COUNT: LazyLock<Re> = LazyLock::new(|| {
    crate::re::compile(r"(?i)(?:\b(\d[\d,]*)\s*(?:x\b|×|times|errors|occurrences|matches|hits|events|failures)|\bx\s?(\d[\d,]*)\b|\(x(\d+)\))")
        .expect("valid count pattern")
});

/// The signatures (family, name) one line shows, and a count it states.
pub fn scan(line: &str) -> (Vec<(Family, &'static str)>, Option<u64>) {
    let hits: Vec<(Family, &'static str)> = SET
        .matches(line)
        .into_iter()
        .map(|i| (TABLE[i].0, TABLE[i].1))
        .collect();
    if hits.is_empty() {
        return (hits, None);
    }
    let count = COUNT.captures(line).and_then(|c| {
        c.get(1)
            .or_else(|| c.get(2))
            .or_else(|| c.get(3))
            .and_then(|m| m.as_str().replace(',', "").parse().ok())
    });
    (hits, count)
}

/// The built-in pattern of a signature, by its canonical name (case-sensitive as written; the
/// scan itself adds `(?i)`).
pub fn pattern(name: &str) -> Option<&'static str> {
    TABLE
        .iter()
        .find(|(_, n, _)| *n == name)
        .map(|(_, _, p)| *p)
}

/// True when a family is a symptom (something many causes produce), not a mechanism.
pub fn is_symptom(f: Family) -> bool {
    matches!(f, Family::Http | Family::Latency | Family::Crash)
}

/// Compile this module's fixed patterns now (see [`crate::warm`]).
pub(crate) fn warm() {
    std::sync::LazyLock::force(&COUNT);
    std::sync::LazyLock::force(&SET);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families() {
        let (h, _) = scan("FATAL: sorry, too many clients already");
        assert!(h.iter().any(|(f, _)| *f == Family::Database));
        let (h, _) = scan("Last State: Terminated  Reason: OOMKilled  Exit Code: 137");
        assert!(h.iter().any(|(f, _)| *f == Family::Memory));
        let (h, c) = scan("3,412 matches of 'connection refused'");
        assert!(h.iter().any(|(f, _)| *f == Family::Network));
        assert_eq!(c, Some(3412));
        assert!(scan("deploy v2.41 shipped").0.is_empty());
    }
}
