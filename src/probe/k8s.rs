//! What `kubectl get … -o json` says, as findings: the few fields of the real API objects that
//! tell a failure (pod and container states, termination reasons and exit codes, restart counts,
//! evictions, scheduling, events, node conditions, rollout state), each turned into one line in
//! kubectl's own words so that the playbooks' signal rules read it like pasted output. Pure.

use serde::Deserialize;
use std::collections::BTreeMap;

/// A `kind: List` (or a single object, read as a list of one).
#[derive(Deserialize)]
#[serde(untagged)]
enum ListOr<T> {
    List { items: Vec<T> },
    One(T),
}

fn items<T: for<'de> Deserialize<'de>>(json: &str) -> Result<Vec<T>, String> {
    match serde_json::from_str::<ListOr<T>>(json) {
        Ok(ListOr::List { items }) => Ok(items),
        Ok(ListOr::One(x)) => Ok(vec![x]),
        Err(e) => Err(format!("not the JSON of kubectl -o json: {e}")),
    }
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Meta {
    name: String,
    namespace: Option<String>,
    annotations: BTreeMap<String, String>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Pod {
    metadata: Meta,
    spec: PodSpec,
    status: PodStatus,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct PodSpec {
    containers: Vec<Container>,
    node_name: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Container {
    name: String,
    image: Option<String>,
    resources: Resources,
    liveness_probe: Option<HealthProbe>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct HealthProbe {
    timeout_seconds: Option<u64>,
    period_seconds: Option<u64>,
    failure_threshold: Option<u64>,
    initial_delay_seconds: Option<u64>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Resources {
    limits: BTreeMap<String, String>,
    requests: BTreeMap<String, String>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct PodStatus {
    phase: Option<String>,
    reason: Option<String>,
    message: Option<String>,
    conditions: Vec<Condition>,
    container_statuses: Vec<ContainerStatus>,
    init_container_statuses: Vec<ContainerStatus>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Condition {
    #[serde(rename = "type")]
    kind: String,
    status: String,
    reason: Option<String>,
    message: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct ContainerStatus {
    name: String,
    ready: bool,
    restart_count: u64,
    state: State,
    last_state: State,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct State {
    waiting: Option<Waiting>,
    terminated: Option<Terminated>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Waiting {
    reason: Option<String>,
    message: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Terminated {
    exit_code: Option<i64>,
    signal: Option<i64>,
    reason: Option<String>,
    message: Option<String>,
    finished_at: Option<String>,
}

/// What a pod list says. `workload`, when given, keeps the pods whose name starts with it
/// (`checkout-api-7d9f8c6b5-x2k4q` for `checkout-api`) if any do.
pub fn pods(json: &str, workload: Option<&str>) -> Result<Findings, String> {
    let all: Vec<Pod> = items(json)?;
    let mine: Vec<&Pod> = match workload {
        Some(w) if all.iter().any(|p| belongs(&p.metadata.name, w)) => all
            .iter()
            .filter(|p| belongs(&p.metadata.name, w))
            .collect(),
        _ => all.iter().collect(),
    };
    let mut out = Findings::default();
    let mut not_ready = 0;
    let mut restarts = 0;
    for p in &mine {
        let name = &p.metadata.name;
        let st = &p.status;
        let phase = st.phase.as_deref().unwrap_or("Unknown");
        if let Some(reason) = &st.reason {
            out.lines.push(format!(
                "pod {name}: phase {phase}, reason {reason}: {}",
                one_line(st.message.as_deref().unwrap_or(""))
            ));
        } else if phase == "Pending" {
            let why = st
                .conditions
                .iter()
                .find(|c| c.status != "True" && c.reason.is_some())
                .map(|c| {
                    format!(
                        ": {} {}: {}",
                        c.kind,
                        c.reason.as_deref().unwrap_or(""),
                        one_line(c.message.as_deref().unwrap_or(""))
                    )
                })
                .unwrap_or_default();
            out.lines.push(format!("pod {name}: phase Pending{why}"));
        }
        let statuses = st
            .init_container_statuses
            .iter()
            .map(|c| (c, true))
            .chain(st.container_statuses.iter().map(|c| (c, false)));
        let mut ready = 0;
        let mut total = 0;
        for (c, init) in statuses {
            if !init {
                total += 1;
                ready += usize::from(c.ready);
            }
            restarts += c.restart_count;
            let kind = if init { "init container" } else { "container" };
            let limits = limits_of(&p.spec, &c.name);
            if let Some(w) = &c.state.waiting
                && let Some(reason) = &w.reason
            {
                out.lines.push(format!(
                    "pod {name}: {kind} {} waiting: {reason}: {}; restarts {}",
                    c.name,
                    one_line(w.message.as_deref().unwrap_or("")),
                    c.restart_count
                ));
            }
            for (when, t) in [
                ("terminated", c.state.terminated.as_ref()),
                ("last terminated", c.last_state.terminated.as_ref()),
            ] {
                let Some(t) = t else { continue };
                let reason = t.reason.as_deref().unwrap_or("unknown");
                if reason == "Completed" && t.exit_code == Some(0) {
                    continue;
                }
                let mut s = format!("pod {name}: {kind} {} {when}: reason {reason}", c.name);
                if let Some(code) = t.exit_code {
                    s.push_str(&format!(", exit code {code}"));
                    if let Some(sig) = t.signal.or(signal_of(code)) {
                        s.push_str(&format!(" (signal {sig})"));
                    }
                }
                if let Some(at) = &t.finished_at {
                    s.push_str(&format!(", finished {at}"));
                }
                s.push_str(&format!("; restarts {}", c.restart_count));
                if !limits.is_empty() {
                    s.push_str(&format!("; {limits}"));
                }
                if let Some(m) = t.message.as_deref().filter(|m| !m.trim().is_empty()) {
                    s.push_str(&format!("; {}", one_line(m)));
                }
                out.lines.push(s);
            }
        }
        if total > 0 && ready < total && phase != "Succeeded" {
            not_ready += 1;
        }
        if let Some(node) = &p.spec.node_name {
            out.nodes.push(node.clone());
        }
        if p.status
            .container_statuses
            .iter()
            .any(|c| c.restart_count > 0)
        {
            out.restarted.push(name.clone());
        }
        out.pods.push(name.clone());
    }
    out.summary = format!(
        "{} pod(s){}: {} not ready, {} restart(s) in all",
        mine.len(),
        p_ns(&mine),
        not_ready,
        restarts
    );
    out.nodes.sort();
    out.nodes.dedup();
    // the namespace most of the pods are in
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for p in &mine {
        if let Some(n) = p.metadata.namespace.as_deref() {
            *counts.entry(n).or_default() += 1;
        }
    }
    out.namespace = counts
        .into_iter()
        .max_by_key(|(n, c)| (*c, std::cmp::Reverse(*n)))
        .map(|(n, _)| n.to_string());
    Ok(out)
}

fn p_ns(pods: &[&Pod]) -> String {
    pods.first()
        .and_then(|p| p.metadata.namespace.as_deref())
        .map(|n| format!(" in {n}"))
        .unwrap_or_default()
}

/// CPU in millicores from a Kubernetes quantity (`250m`, `2`, `1.5`, `500000u`, `3n`).
fn millicores(q: &str) -> Option<f64> {
    let q = q.trim();
    let (num, scale) = match q.char_indices().last()? {
        (i, 'm') => (&q[..i], 1.0),
        (i, 'u') => (&q[..i], 1e-3),
        (i, 'n') => (&q[..i], 1e-6),
        _ => (q, 1000.0),
    };
    let v: f64 = num.parse().ok()?;
    (v.is_finite() && v >= 0.0).then_some(v * scale)
}

/// Bytes from a Kubernetes memory quantity (`512Mi`, `2Gi`, `300M`, `1024Ki`, `1000000`).
fn bytes_of(q: &str) -> Option<f64> {
    let q = q.trim();
    let split = q
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(q.len());
    let v: f64 = q[..split].parse().ok()?;
    let k = match &q[split..] {
        "" => 1.0,
        "Ki" => 1024.0,
        "Mi" => 1024.0 * 1024.0,
        "Gi" => 1024.0 * 1024.0 * 1024.0,
        "Ti" => 1024f64.powi(4),
        "k" | "K" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        _ => return None,
    };
    Some(v * k)
}

fn show_cpu(m: f64) -> String {
    format!("{m:.0}m")
}

fn show_mem(b: f64) -> String {
    let mi = b / (1024.0 * 1024.0);
    if mi >= 10.0 * 1024.0 {
        format!("{:.1}Gi", mi / 1024.0)
    } else {
        format!("{mi:.0}Mi")
    }
}

/// A pod's CPU (millicores) and memory (bytes) limits: the sum over its containers, none when
/// a container has no limit of that kind.
fn pod_limits(p: &Pod) -> (Option<f64>, Option<f64>) {
    let sum = |key: &str, read: fn(&str) -> Option<f64>| -> Option<f64> {
        if p.spec.containers.is_empty() {
            return None;
        }
        p.spec
            .containers
            .iter()
            .map(|c| c.resources.limits.get(key).and_then(|v| read(v)))
            .sum()
    };
    (sum("cpu", millicores), sum("memory", bytes_of))
}

/// Usage at or above this share of a limit is named.
const NEAR_LIMIT: f64 = 0.8;
/// ... and at or above this one it is "at its limit".
const AT_LIMIT: f64 = 0.9;

/// What `kubectl top pods` says (a table: kubectl has no JSON for it), read against the pods'
/// limits when the pod list (`get pods -o json`) is at hand: pods at or near their memory or
/// CPU limit (where the CFS quota throttles them), pods running without a CPU limit, and one
/// pod using far more CPU than its peers. Pods in back-off have no running container and are
/// not listed by kubectl top.
pub fn top(
    table: &str,
    pods_json: Option<&str>,
    workload: Option<&str>,
) -> Result<Findings, String> {
    let mut lines = table.lines().filter(|l| !l.trim().is_empty());
    let header: Vec<&str> = lines
        .next()
        .ok_or("kubectl top printed nothing")?
        .split_whitespace()
        .collect();
    let col = |p: &str| header.iter().position(|h| h.starts_with(p));
    let (Some(cpu_at), Some(mem_at)) = (col("CPU"), col("MEMORY")) else {
        return Err("not the table of kubectl top pods (no CPU and MEMORY columns)".into());
    };
    // with --containers the pod is in the POD column, and a pod's rows add up
    let name_at = col("POD").or(col("NAME")).unwrap_or(0);
    let mut usage: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    for l in lines {
        let cells: Vec<&str> = l.split_whitespace().collect();
        let (Some(n), Some(c), Some(m)) =
            (cells.get(name_at), cells.get(cpu_at), cells.get(mem_at))
        else {
            continue;
        };
        let (Some(c), Some(m)) = (millicores(c), bytes_of(m)) else {
            continue;
        };
        let e = usage.entry((*n).to_string()).or_default();
        e.0 += c;
        e.1 += m;
    }
    if usage.is_empty() {
        return Err("kubectl top listed no pod".into());
    }
    let of = workload.filter(|w| usage.keys().any(|p| belongs(p, w)));
    if let Some(w) = of {
        usage.retain(|p, _| belongs(p, w));
    }
    let pods: Vec<Pod> = pods_json.and_then(|j| items(j).ok()).unwrap_or_default();
    let limits: BTreeMap<&str, (Option<f64>, Option<f64>)> = pods
        .iter()
        .map(|p| (p.metadata.name.as_str(), pod_limits(p)))
        .collect();
    let mut out = Findings::default();
    let mut unlimited_cpu = 0;
    for (pod, &(cpu, mem)) in &usage {
        out.pods.push(pod.clone());
        let Some(&(cpu_limit, mem_limit)) = limits.get(pod.as_str()) else {
            continue;
        };
        if let Some(l) = mem_limit.filter(|&l| l > 0.0) {
            let r = mem / l;
            if r >= NEAR_LIMIT {
                out.lines.push(format!(
                    "pod {pod}: memory {} its limit: {} of {} ({:.0}%)",
                    if r >= AT_LIMIT { "at" } else { "near" },
                    show_mem(mem),
                    show_mem(l),
                    r * 100.0
                ));
            }
        }
        match cpu_limit.filter(|&l| l > 0.0) {
            Some(l) => {
                let r = cpu / l;
                if r >= AT_LIMIT {
                    out.lines.push(format!(
                        "pod {pod}: CPU at its limit: {} of {} ({:.0}%); at the limit the CFS quota throttles it",
                        show_cpu(cpu),
                        show_cpu(l),
                        r * 100.0
                    ));
                } else if r >= NEAR_LIMIT {
                    out.lines.push(format!(
                        "pod {pod}: CPU near its limit: {} of {} ({:.0}%)",
                        show_cpu(cpu),
                        show_cpu(l),
                        r * 100.0
                    ));
                }
            }
            None => unlimited_cpu += 1,
        }
    }
    if !limits.is_empty() && unlimited_cpu > 0 && unlimited_cpu == usage.len() {
        out.lines
            .push("no CPU limit is set on these pods (kubectl top against the pod specs)".into());
    }
    // one pod far busier than its peers
    let mut cpus: Vec<f64> = usage.values().map(|u| u.0).collect();
    cpus.sort_by(f64::total_cmp);
    if cpus.len() >= 3 {
        let median = cpus[cpus.len() / 2];
        if let Some((pod, u)) = usage.iter().max_by(|a, b| a.1.0.total_cmp(&b.1.0))
            && u.0 >= 100.0
            && u.0 >= 4.0 * median.max(1.0)
        {
            out.lines.push(format!(
                "pod {pod}: CPU {}, {:.1}x the median of its {} pods ({})",
                show_cpu(u.0),
                u.0 / median.max(1.0),
                usage.len(),
                show_cpu(median)
            ));
        }
    }
    let (lo_c, hi_c) = (cpus[0], cpus[cpus.len() - 1]);
    let mut mems: Vec<f64> = usage.values().map(|u| u.1).collect();
    mems.sort_by(f64::total_cmp);
    out.summary = format!(
        "kubectl top: {} pod(s){}: CPU {}, memory {}{}",
        usage.len(),
        of.map(|w| format!(" of {w}")).unwrap_or_default(),
        if lo_c == hi_c {
            show_cpu(lo_c)
        } else {
            format!("{}–{}", show_cpu(lo_c), show_cpu(hi_c))
        },
        if mems[0] == mems[mems.len() - 1] {
            show_mem(mems[0])
        } else {
            format!("{}–{}", show_mem(mems[0]), show_mem(mems[mems.len() - 1]))
        },
        if !limits.is_empty() && out.lines.is_empty() {
            "; none near its limits"
        } else {
            ""
        }
    );
    Ok(out)
}

/// Does a pod name belong to the workload `w` (its name plus generated suffixes)?
fn belongs(pod: &str, w: &str) -> bool {
    pod.strip_prefix(w)
        .is_some_and(|rest| rest.starts_with('-'))
}

/// A container's limits and requests in words (`memory limit 512Mi, cpu limit 500m`).
fn limits_of(spec: &PodSpec, container: &str) -> String {
    let Some(c) = spec.containers.iter().find(|c| c.name == container) else {
        return String::new();
    };
    let mut parts = Vec::new();
    for (k, v) in &c.resources.limits {
        parts.push(format!("{k} limit {v}"));
    }
    for (k, v) in &c.resources.requests {
        parts.push(format!("{k} request {v}"));
    }
    parts.join(", ")
}

/// The signal behind a container exit code of 128+N.
fn signal_of(code: i64) -> Option<i64> {
    (129..=159).contains(&code).then_some(code - 128)
}

/// Newlines and runs of spaces in a message folded, and a long one cut.
fn one_line(s: &str) -> String {
    let t = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.chars().count() > 300 {
        let cut: String = t.chars().take(297).collect();
        format!("{cut}...")
    } else {
        t
    }
}

/// What a probe's JSON said.
#[derive(Debug, Default, Clone)]
pub struct Findings {
    /// One line per notable fact, in kubectl's words.
    pub lines: Vec<String>,
    /// A one-line summary.
    pub summary: String,
    /// Pods seen (for follow-up probes).
    pub pods: Vec<String>,
    /// Pods with restarts (whose previous logs tell why).
    pub restarted: Vec<String>,
    /// Nodes the pods run on.
    pub nodes: Vec<String>,
    /// The namespace of (most of) the pods.
    pub namespace: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Event {
    involved_object: ObjectRef,
    reason: Option<String>,
    message: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    count: Option<u64>,
    series: Option<Series>,
    last_timestamp: Option<String>,
    event_time: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Series {
    count: Option<u64>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ObjectRef {
    kind: Option<String>,
    name: Option<String>,
}

/// What an event list says: the warnings (and the Normal events that tell a restart or a kill),
/// most frequent first, at most `max`.
pub fn events(json: &str, workload: Option<&str>, max: usize) -> Result<Findings, String> {
    let all: Vec<Event> = items(json)?;
    let concerns = |e: &Event| {
        workload.is_none_or(|w| {
            e.involved_object
                .name
                .as_deref()
                .is_some_and(|n| n == w || belongs(n, w))
        })
    };
    let mut evs: Vec<&Event> = all
        .iter()
        .filter(|e| {
            e.kind.as_deref() == Some("Warning")
                || matches!(
                    e.reason.as_deref(),
                    Some("Killing" | "Evicted" | "Preempting" | "OOMKilling" | "NodeNotReady")
                )
        })
        .collect();
    if evs.iter().any(|e| concerns(e)) {
        evs.retain(|e| concerns(e) || e.involved_object.kind.as_deref() == Some("Node"));
    }
    let count = |e: &Event| {
        e.series
            .as_ref()
            .and_then(|s| s.count)
            .or(e.count)
            .unwrap_or(1)
    };
    evs.sort_by_key(|e| std::cmp::Reverse(count(e)));
    let mut out = Findings::default();
    let warnings = evs.len();
    for e in evs.into_iter().take(max) {
        let obj = format!(
            "{}/{}",
            e.involved_object.kind.as_deref().unwrap_or("object"),
            e.involved_object.name.as_deref().unwrap_or("?")
        );
        let at = e
            .last_timestamp
            .as_deref()
            .or(e.event_time.as_deref())
            .map(|t| format!(", last {t}"))
            .unwrap_or_default();
        out.lines.push(format!(
            "event {} {} on {obj} (x{}{at}): {}",
            e.kind.as_deref().unwrap_or("Normal"),
            e.reason.as_deref().unwrap_or("-"),
            count(e),
            one_line(e.message.as_deref().unwrap_or(""))
        ));
    }
    out.summary = format!("{} event(s), {warnings} warning(s) or kills", all.len());
    Ok(out)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Node {
    metadata: Meta,
    status: NodeStatus,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NodeStatus {
    conditions: Vec<Condition>,
}

/// What a node list says: every node that is not Ready or is under memory, disk or PID pressure.
pub fn nodes(json: &str) -> Result<Findings, String> {
    let all: Vec<Node> = items(json)?;
    let mut out = Findings::default();
    let mut bad = 0;
    for n in &all {
        let mut flagged = false;
        for c in &n.status.conditions {
            let wrong = if c.kind == "Ready" {
                c.status != "True"
            } else {
                c.status == "True"
            };
            if wrong {
                flagged = true;
                out.lines.push(format!(
                    "node {}: condition {}={} ({}): {}",
                    n.metadata.name,
                    c.kind,
                    c.status,
                    c.reason.as_deref().unwrap_or("-"),
                    one_line(c.message.as_deref().unwrap_or(""))
                ));
            }
        }
        bad += usize::from(flagged);
    }
    out.summary = format!("{} node(s), {bad} not Ready or under pressure", all.len());
    Ok(out)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Deployment {
    metadata: Meta,
    spec: DeploymentSpec,
    status: DeploymentStatus,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DeploymentSpec {
    replicas: Option<u64>,
    template: Template,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Template {
    spec: PodSpec,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct DeploymentStatus {
    replicas: u64,
    ready_replicas: u64,
    updated_replicas: u64,
    unavailable_replicas: u64,
    conditions: Vec<Condition>,
}

/// What a deployment list says: replicas ready and unavailable, the failing conditions, the
/// revision and image of each (of the workload's, if given and present).
pub fn deployments(json: &str, workload: Option<&str>) -> Result<Findings, String> {
    let all: Vec<Deployment> = items(json)?;
    let mine: Vec<&Deployment> = match workload {
        Some(w) if all.iter().any(|d| d.metadata.name == w) => {
            all.iter().filter(|d| d.metadata.name == w).collect()
        }
        _ => all.iter().collect(),
    };
    let mut out = Findings::default();
    for d in &mine {
        let s = &d.status;
        let want = d.spec.replicas.unwrap_or(s.replicas);
        let images: Vec<&str> = d
            .spec
            .template
            .spec
            .containers
            .iter()
            .filter_map(|c| c.image.as_deref())
            .collect();
        let rev = d
            .metadata
            .annotations
            .get("deployment.kubernetes.io/revision")
            .map(|r| format!(", revision {r}"))
            .unwrap_or_default();
        let mut line = format!(
            "deployment {}: {}/{want} ready, {} updated, {} unavailable{rev}; image {}",
            d.metadata.name,
            s.ready_replicas,
            s.updated_replicas,
            s.unavailable_replicas,
            images.join(", ")
        );
        for c in &s.conditions {
            let failing =
                c.status != "True" || c.reason.as_deref() == Some("ProgressDeadlineExceeded");
            if failing {
                line.push_str(&format!(
                    "; condition {}={} ({}): {}",
                    c.kind,
                    c.status,
                    c.reason.as_deref().unwrap_or("-"),
                    one_line(c.message.as_deref().unwrap_or(""))
                ));
            }
        }
        out.lines.push(line);
        for c in &d.spec.template.spec.containers {
            let Some(p) = &c.liveness_probe else { continue };
            // only what is set: the API's defaults say nothing about this workload
            let set: Vec<String> = [
                ("timeoutSeconds", p.timeout_seconds),
                ("periodSeconds", p.period_seconds),
                ("failureThreshold", p.failure_threshold),
                ("initialDelaySeconds", p.initial_delay_seconds),
            ]
            .iter()
            .filter_map(|(k, v)| v.map(|v| format!("{k}={v}")))
            .collect();
            if !set.is_empty() {
                out.lines.push(format!(
                    "deployment {}: container {} livenessProbe {}",
                    d.metadata.name,
                    c.name,
                    set.join(" ")
                ));
            }
        }
    }
    out.summary = format!("{} deployment(s)", mine.len());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_oom_killed_container_is_named_with_its_exit_code_and_limit() {
        let json = r#"{"kind":"List","items":[{"metadata":{"name":"api-5d8f7-abcde","namespace":"shop"},
          "spec":{"nodeName":"n1","containers":[{"name":"api","resources":{"limits":{"memory":"512Mi"}}}]},
          "status":{"phase":"Running","containerStatuses":[{"name":"api","ready":false,"restartCount":7,
            "state":{"waiting":{"reason":"CrashLoopBackOff","message":"back-off 5m0s restarting failed container=api"}},
            "lastState":{"terminated":{"exitCode":137,"reason":"OOMKilled","finishedAt":"2026-05-14T09:12:03Z"}}}]}},
          {"metadata":{"name":"other-1"},"status":{"phase":"Running"}}]}"#;
        let f = pods(json, Some("api")).expect("pods");
        assert_eq!(f.pods, ["api-5d8f7-abcde"]);
        assert_eq!(f.restarted, ["api-5d8f7-abcde"]);
        assert!(
            f.lines
                .iter()
                .any(|l| l.contains("waiting: CrashLoopBackOff"))
        );
        let t = f
            .lines
            .iter()
            .find(|l| l.contains("last terminated"))
            .expect("termination");
        assert!(
            t.contains("reason OOMKilled, exit code 137 (signal 9)"),
            "{t}"
        );
        assert!(t.contains("memory limit 512Mi"), "{t}");
        assert_eq!(
            f.summary,
            "1 pod(s) in shop: 1 not ready, 7 restart(s) in all"
        );
        assert!(pods("not json", None).is_err());
    }

    #[test]
    fn events_keep_warnings_most_frequent_first() {
        let json = r#"{"items":[
          {"involvedObject":{"kind":"Pod","name":"api-1"},"reason":"Scheduled","type":"Normal","count":1,"message":"ok"},
          {"involvedObject":{"kind":"Pod","name":"api-1"},"reason":"BackOff","type":"Warning","count":3,"message":"Back-off restarting failed container"},
          {"involvedObject":{"kind":"Pod","name":"api-1"},"reason":"Unhealthy","type":"Warning","count":40,"message":"Liveness probe failed: timeout"}]}"#;
        let f = events(json, None, 10).expect("events");
        assert_eq!(f.lines.len(), 2);
        assert!(f.lines[0].starts_with("event Warning Unhealthy on Pod/api-1 (x40)"));
    }

    #[test]
    fn nodes_under_pressure_are_named() {
        let json = r#"{"items":[{"metadata":{"name":"n1"},"status":{"conditions":[
            {"type":"DiskPressure","status":"True","reason":"KubeletHasDiskPressure","message":"kubelet has disk pressure"},
            {"type":"Ready","status":"True"}]}},
            {"metadata":{"name":"n2"},"status":{"conditions":[{"type":"Ready","status":"True"}]}}]}"#;
        let f = nodes(json).expect("nodes");
        assert_eq!(
            f.lines,
            [
                "node n1: condition DiskPressure=True (KubeletHasDiskPressure): kubelet has disk pressure"
            ]
        );
        assert_eq!(f.summary, "2 node(s), 1 not Ready or under pressure");
    }

    fn pod(name: &str, limits: &str) -> String {
        format!(
            r#"{{"metadata":{{"name":"{name}","namespace":"shop"}},"spec":{{"containers":[{{"name":"app","resources":{{"limits":{{{limits}}}}}}}]}},"status":{{"phase":"Running"}}}}"#
        )
    }

    #[test]
    fn kubectl_top_is_read_against_the_pods_limits() {
        assert_eq!(millicores("250m"), Some(250.0));
        assert_eq!(millicores("2"), Some(2000.0));
        assert_eq!(millicores("1.5"), Some(1500.0));
        assert_eq!(millicores("500000u"), Some(500.0));
        assert_eq!(bytes_of("512Mi"), Some(512.0 * 1024.0 * 1024.0));
        assert_eq!(bytes_of("1G"), Some(1e9));
        assert_eq!(bytes_of("12 potatoes"), None);
        let table = "NAME                  CPU(cores)   MEMORY(bytes)   \n\
                     api-5d8f7-aaaaa       980m         1900Mi          \n\
                     api-5d8f7-bbbbb       120m         1000Mi          \n\
                     api-5d8f7-ccccc       110m         600Mi           \n\
                     worker-77f9-ddddd     5m           30Mi            \n";
        let pods = format!(
            r#"{{"kind":"List","items":[{},{},{}]}}"#,
            pod("api-5d8f7-aaaaa", r#""cpu":"1","memory":"2Gi""#),
            pod("api-5d8f7-bbbbb", r#""cpu":"1","memory":"2Gi""#),
            pod("api-5d8f7-ccccc", r#""cpu":"1","memory":"2Gi""#)
        );
        let f = top(table, Some(&pods), Some("api")).expect("top");
        assert_eq!(
            f.summary,
            "kubectl top: 3 pod(s) of api: CPU 110m–980m, memory 600Mi–1900Mi"
        );
        assert_eq!(
            f.lines,
            [
                "pod api-5d8f7-aaaaa: memory at its limit: 1900Mi of 2048Mi (93%)",
                "pod api-5d8f7-aaaaa: CPU at its limit: 980m of 1000m (98%); at the limit the CFS quota throttles it",
                "pod api-5d8f7-aaaaa: CPU 980m, 8.2x the median of its 3 pods (120m)",
            ]
        );
        // without the pod list: usage only
        let f = top(table, None, Some("api")).expect("top");
        assert!(
            f.lines.iter().all(|l| l.contains("median")),
            "{:?}",
            f.lines
        );
        // no CPU limit on any pod: said, since it rules throttling out
        let free = format!(
            r#"{{"kind":"List","items":[{}]}}"#,
            pod("worker-77f9-ddddd", r#""memory":"64Mi""#)
        );
        let f = top(table, Some(&free), Some("worker")).expect("top");
        assert_eq!(
            f.lines,
            ["no CPU limit is set on these pods (kubectl top against the pod specs)"]
        );
        // --containers: a pod's rows add up
        let per_container = "POD               NAME    CPU(cores)   MEMORY(bytes)\n\
                             api-5d8f7-aaaaa   app     400m         700Mi\n\
                             api-5d8f7-aaaaa   proxy   550m         100Mi\n";
        let one = format!(
            r#"{{"kind":"List","items":[{}]}}"#,
            pod("api-5d8f7-aaaaa", r#""cpu":"1","memory":"2Gi""#)
        );
        let f = top(per_container, Some(&one), None).expect("top");
        assert_eq!(f.summary, "kubectl top: 1 pod(s): CPU 950m, memory 800Mi");
        assert!(
            f.lines[0].contains("CPU at its limit: 950m of 1000m (95%)"),
            "{:?}",
            f.lines
        );
        assert!(top("error: Metrics API not available\n", None, None).is_err());
        assert!(top("", None, None).is_err());
    }
}
