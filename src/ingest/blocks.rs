//! Pasted command output, read by its structure: `kubectl get pods` and `get events` tables,
//! `kubectl describe` container states, `df` (space and inodes), `top`/`ps`, `free`, `systemctl
//! status`, `EXPLAIN` plans and Prometheus alert text. Each block yields canonical facts (short
//! sentences tied to their source line, matched by playbooks like any line) and metrics. Pure.

use crate::model::Metric;
use crate::re::Re;
use std::sync::LazyLock;

/// What the block readers found.
#[derive(Default, Debug)]
pub struct Read {
    /// (line, canonical text)
    pub facts: Vec<(usize, String)>,
    /// Metrics.
    pub metrics: Vec<Metric>,
    /// Block kinds recognised, with their first line.
    pub blocks: Vec<(&'static str, usize)>,
    /// Table rows whose clock-like columns (TIME+, AGE) are not event times.
    pub rows: Vec<usize>,
}

fn re(p: &str) -> Re {
    crate::re::compile(p).expect("valid block pattern")
}

static PODS_HDR: LazyLock<Re> =
    LazyLock::new(|| re(r"^\s*(NAMESPACE\s+)?NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE"));
static EVENTS_HDR: LazyLock<Re> =
    LazyLock::new(|| re(r"^\s*(NAMESPACE\s+)?LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE"));
static DF_HDR: LazyLock<Re> =
    LazyLock::new(|| re(r"^\s*Filesystem\s+.*\b(Use%|Capacity|IUse%)\s+Mounted on"));
static PS_HDR: LazyLock<Re> = LazyLock::new(|| re(r"^\s*(USER\s+)?PID\s+.*%CPU\s+%MEM"));
static FREE_MEM: LazyLock<Re> =
    LazyLock::new(|| re(r"^\s*Mem:\s+(\d+(?:\.\d+)?)([KMGT]i?)?\s+(\d+(?:\.\d+)?)([KMGT]i?)?"));
static STATE: LazyLock<Re> =
    LazyLock::new(|| re(r"^\s*(State|Last State):\s+(Running|Waiting|Terminated)"));
static REASON: LazyLock<Re> = LazyLock::new(|| re(r"^\s*Reason:\s+(\S+)"));
static EXIT: LazyLock<Re> = LazyLock::new(|| re(r"^\s*Exit Code:\s+(\d+)"));
static RESTARTS: LazyLock<Re> = LazyLock::new(|| re(r"^\s*Restart Count:\s+(\d+)"));
static ACTIVE: LazyLock<Re> = LazyLock::new(|| re(r"^\s*Active:\s+(\w+)\s+\(([^)]+)\)"));
static SEQ_SCAN: LazyLock<Re> =
    LazyLock::new(|| re(r"Seq Scan on\s+([A-Za-z_][\w.]*)(?:.*rows=(\d+))?"));
static FIRING: LazyLock<Re> = LazyLock::new(|| {
    re(r#"(?i)\[FIRING(?::\d+)?\]\s*([A-Za-z][\w]*)|alertname\s*[=:]\s*"?([A-Za-z][\w]*)"#)
});
static TOP_HDR: LazyLock<Re> =
    LazyLock::new(|| re(r"^\s*NAME\s+CPU\(cores\)\s+(CPU%\s+)?MEMORY\(bytes\)"));

fn pct(s: &str) -> Option<f64> {
    s.trim_end_matches('%').parse().ok()
}

fn metric(name: String, value: f64, unit: &'static str, limit: Option<f64>, line: usize) -> Metric {
    Metric {
        name,
        before: None,
        value,
        unit,
        limit,
        factor: None,
        normal: false,
        line,
    }
}

/// A word every line of a block kind holds (ASCII-lowercased), one per pattern: a pattern whose
/// word is nowhere in the paste (in most log dumps, none is) is not tried line by line.
const MARKERS: [&str; 14] = [
    "ready",          // PODS_HDR
    "last seen",      // EVENTS_HDR
    "filesystem",     // DF_HDR
    "pid",            // PS_HDR
    "cpu(cores)",     // TOP_HDR
    "state:",         // STATE
    "reason:",        // REASON
    "exit code:",     // EXIT
    "restart count:", // RESTARTS
    "active:",        // ACTIVE
    "mem:",           // FREE_MEM
    "seq scan on",    // SEQ_SCAN
    "firing",         // FIRING
    "alertname",      // FIRING
];

/// Which of [`MARKERS`] occur in the lines.
fn markers(lines: &[&str]) -> [bool; 14] {
    let finders: Vec<memchr::memmem::Finder<'_>> = MARKERS
        .iter()
        .map(|m| memchr::memmem::Finder::new(m.as_bytes()))
        .collect();
    let mut found = [false; 14];
    let mut lower = Vec::new();
    // a lowercase copy of 512 lines at a time
    for chunk in lines.chunks(512) {
        lower.clear();
        for l in chunk {
            lower.extend(l.bytes().map(|b| b.to_ascii_lowercase()));
            lower.push(b'\n');
        }
        for (f, hit) in finders.iter().zip(found.iter_mut()) {
            *hit = *hit || f.find(&lower).is_some();
        }
        if found.iter().all(|f| *f) {
            break;
        }
    }
    found
}

/// Read every recognised block in the lines (1-based line numbers in output).
pub fn read(lines: &[&str]) -> Read {
    let mut out = Read::default();
    let has = markers(lines);
    if !has.iter().any(|h| *h) {
        return out;
    }
    let mut table: Option<(&'static str, Vec<usize>, Vec<String>)> = None;
    let mut last_state: Option<(String, usize)> = None;
    for (i, raw) in lines.iter().enumerate() {
        let no = i + 1;
        let line = raw.trim_end();
        if line.len() > 2000 {
            continue;
        }
        // headers start a table; a blank or differently shaped line ends it
        let header = if has[0] && PODS_HDR.is_match(line) {
            Some("kubectl get pods")
        } else if has[1] && EVENTS_HDR.is_match(line) {
            Some("kubectl get events")
        } else if has[2] && DF_HDR.is_match(line) {
            Some(if line.contains("IUse%") {
                "df -i"
            } else {
                "df"
            })
        } else if has[3] && PS_HDR.is_match(line) {
            Some("top/ps")
        } else if has[4] && TOP_HDR.is_match(line) {
            Some("kubectl top")
        } else {
            None
        };
        if let Some(kind) = header {
            let (cols, names) = columns(line);
            out.blocks.push((kind, no));
            table = Some((kind, cols, names));
            continue;
        }
        if line.trim().is_empty() {
            table = None;
        }
        if let Some((kind, cols, names)) = &table {
            if let Some(cells) = cells(line, cols) {
                row(kind, names, &cells, no, &mut out);
                out.rows.push(no);
                continue;
            }
            table = None;
        }
        // kubectl describe: container state, reason, exit code, restart count
        if let Some(c) = has[5].then(|| STATE.captures(line)).flatten() {
            last_state = Some((
                format!("{} {}", c[1].to_lowercase(), c[2].to_lowercase()),
                no,
            ));
            if out.blocks.last().is_none_or(|b| b.0 != "kubectl describe") {
                out.blocks.push(("kubectl describe", no));
            }
        } else if let Some(c) = has[6].then(|| REASON.captures(line)).flatten() {
            if let Some((state, _)) = &last_state {
                out.facts
                    .push((no, format!("container {state} reason {}", &c[1])));
            }
        } else if let Some(c) = has[7].then(|| EXIT.captures(line)).flatten() {
            let code: u32 = c[1].parse().unwrap_or(0);
            let what = match code {
                137 => " (SIGKILL, sent by the kernel or the kubelet)",
                143 => " (SIGTERM)",
                139 => " (segmentation fault)",
                1 => " (application error)",
                _ => "",
            };
            if let Some((state, _)) = &last_state {
                out.facts
                    .push((no, format!("container {state} exit code {code}{what}")));
            }
        } else if let Some(c) = has[8].then(|| RESTARTS.captures(line)).flatten() {
            let n: f64 = c[1].parse().unwrap_or(0.0);
            out.metrics
                .push(metric("restart count".into(), n, "count", None, no));
            last_state = None;
        } else if let Some(c) = has[9].then(|| ACTIVE.captures(line)).flatten() {
            out.blocks.push(("systemctl status", no));
            out.facts
                .push((no, format!("unit is {} ({})", &c[1], &c[2])));
        } else if let Some(c) = has[10].then(|| FREE_MEM.captures(line)).flatten() {
            let total: f64 = c[1].parse().unwrap_or(0.0);
            let used: f64 = c[3].parse().unwrap_or(0.0);
            if total > 0.0 {
                out.blocks.push(("free", no));
                out.metrics
                    .push(metric("memory used".into(), used, "count", Some(total), no));
                out.facts.push((
                    no,
                    format!("memory used {:.0}% of total", used / total * 100.0),
                ));
            }
        }
        if let Some(c) = has[11].then(|| SEQ_SCAN.captures(line)).flatten() {
            out.blocks.push(("EXPLAIN", no));
            let rows = c
                .get(2)
                .map(|m| format!(" over {} rows", m.as_str()))
                .unwrap_or_default();
            out.facts
                .push((no, format!("sequential scan on table {}{rows}", &c[1])));
        }
        if let Some(c) = (has[12] || has[13])
            .then(|| FIRING.captures(line))
            .flatten()
            && let Some(m) = c.get(1).or_else(|| c.get(2))
        {
            out.facts
                .push((no, format!("alert {} firing", split_camel(m.as_str()))));
        }
    }
    out
}

/// Column names from a header line (multi-word names such as `LAST SEEN` kept whole).
fn columns(h: &str) -> (Vec<usize>, Vec<String>) {
    let joined = h
        .replace("LAST SEEN", "LAST_SEEN")
        .replace("Mounted on", "Mounted_on");
    let names: Vec<String> = joined
        .split_whitespace()
        .map(|n| n.replace('_', " "))
        .collect();
    ((0..names.len()).collect(), names)
}

/// Cells of a table row by whitespace (the last column takes the rest of the line).
fn cells(line: &str, cols: &[usize]) -> Option<Vec<String>> {
    let n = cols.len();
    let parts: Vec<&str> = line.split_whitespace().collect();
    if parts.len() < n.saturating_sub(1).max(2) {
        return None;
    }
    let mut out: Vec<String> = parts
        .iter()
        .take(n.saturating_sub(1))
        .map(|s| s.to_string())
        .collect();
    out.push(parts[n.saturating_sub(1).min(parts.len())..].join(" "));
    Some(out)
}

fn get<'a>(names: &[String], cells: &'a [String], col: &str) -> Option<&'a str> {
    names
        .iter()
        .position(|n| n == col)
        .and_then(|i| cells.get(i))
        .map(String::as_str)
}

fn row(kind: &str, names: &[String], cells: &[String], no: usize, out: &mut Read) {
    match kind {
        "kubectl get pods" => {
            // RESTARTS may be "12 (3m ago)", which splits into several cells: read by position from the left
            let name = get(names, cells, "NAME").unwrap_or("?");
            let status = get(names, cells, "STATUS").unwrap_or("?");
            let restarts: f64 = get(names, cells, "RESTARTS")
                .and_then(|r| r.split_whitespace().next())
                .and_then(|r| r.parse().ok())
                .unwrap_or(0.0);
            out.facts.push((
                no,
                format!("pod {name} status {status} restarts {restarts}"),
            ));
            if restarts > 0.0 {
                out.metrics.push(metric(
                    format!("restarts {name}"),
                    restarts,
                    "count",
                    None,
                    no,
                ));
            }
        }
        "kubectl get events" => {
            let reason = get(names, cells, "REASON").unwrap_or("?");
            let ty = get(names, cells, "TYPE").unwrap_or("?");
            let msg = cells.last().map(String::as_str).unwrap_or("");
            out.facts.push((no, format!("event {ty} {reason}: {msg}")));
        }
        "df" | "df -i" => {
            let col = if kind == "df -i" {
                "IUse%"
            } else if names.iter().any(|n| n == "Use%") {
                "Use%"
            } else {
                "Capacity"
            };
            let mount = cells.last().map(String::as_str).unwrap_or("?");
            if let Some(p) = get(names, cells, col).and_then(pct) {
                let what = if kind == "df -i" {
                    "inode usage"
                } else {
                    "disk usage"
                };
                out.facts.push((no, format!("{what} {p}% on {mount}")));
                out.metrics
                    .push(metric(format!("{what} {mount}"), p, "%", Some(100.0), no));
            }
        }
        "top/ps" => {
            let cmd = cells.last().map(String::as_str).unwrap_or("?");
            let cpu = get(names, cells, "%CPU").and_then(pct);
            let mem = get(names, cells, "%MEM").and_then(pct);
            if let Some(c) = cpu {
                out.facts.push((
                    no,
                    format!("process {cmd} cpu {c}% mem {}%", mem.unwrap_or(0.0)),
                ));
                out.metrics
                    .push(metric(format!("cpu {cmd}"), c, "%", None, no));
            }
        }
        "kubectl top" => {
            let name = get(names, cells, "NAME").unwrap_or("?");
            if let Some(p) = get(names, cells, "CPU%").and_then(pct) {
                out.metrics
                    .push(metric(format!("cpu {name}"), p, "%", None, no));
            }
        }
        _ => {}
    }
}

fn split_camel(s: &str) -> String {
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && ch.is_uppercase() {
            out.push(' ');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pods_table_and_describe() {
        let lines = [
            "NAME                          READY   STATUS             RESTARTS      AGE",
            "api-6c9d7f8b4c-9vmdq          0/1     CrashLoopBackOff   12 (3m ago)   40m",
            "",
            "    Last State:     Terminated",
            "      Reason:       OOMKilled",
            "      Exit Code:    137",
            "    Restart Count:  5",
        ];
        let r = read(&lines);
        assert!(
            r.facts
                .iter()
                .any(|(_, f)| f.contains("status CrashLoopBackOff restarts 12")),
            "{:?}",
            r.facts
        );
        assert!(
            r.facts
                .iter()
                .any(|(l, f)| *l == 5 && f.contains("terminated reason OOMKilled"))
        );
        assert!(r.facts.iter().any(|(_, f)| f.contains("exit code 137")));
        assert!(
            r.metrics
                .iter()
                .any(|m| m.name == "restart count" && m.value == 5.0)
        );
    }

    #[test]
    fn df_and_explain() {
        let lines = [
            "Filesystem      Size  Used Avail Use% Mounted on",
            "/dev/nvme0n1p1  100G  100G     0 100% /var/lib/postgresql",
            "",
            "  ->  Seq Scan on ledger_entries  (cost=0.00..250000.00 rows=12000000 width=64)",
            "[FIRING:1] PaymentSvcErrorRateHigh",
        ];
        let r = read(&lines);
        assert!(
            r.facts
                .iter()
                .any(|(_, f)| f == "disk usage 100% on /var/lib/postgresql"),
            "{:?}",
            r.facts
        );
        assert!(r.metrics.iter().any(|m| m.saturated()));
        assert!(
            r.facts
                .iter()
                .any(|(_, f)| f.contains("sequential scan on table ledger_entries"))
        );
        assert!(
            r.facts
                .iter()
                .any(|(_, f)| f.contains("alert Payment Svc Error Rate High firing"))
        );
    }
}
