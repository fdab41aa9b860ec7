//! Host probes over ssh, for VMs and bare hosts: the real `ssh` binary through argv (never a
//! local shell), `BatchMode=yes` so it never prompts, to the hosts of `--host` (or the paste's),
//! running only the read-only commands of [`crate::safety::host_read_only`]. The remote sshd joins
//! the command words and hands them to the remote user's shell, so every word (and the host) must
//! pass a strict character set here, checked when the argv is built and again just before it
//! runs. The readers turn `top`, `uptime`, `free`, `df`, `ss -s`, `systemctl status`, `journalctl` and `ps`
//! output into findings phrased the way incident text says it, so the playbooks' signal rules read
//! them like a paste. Nothing here prints; the readers never panic on odd output and return what
//! they could read.

use super::{Config, Job, Outcome, Read, status};
use crate::model::{CheckItem, ProbeKind};
use crate::re::Re;
use std::collections::BTreeMap;
use std::sync::LazyLock;
use std::time::Duration;

/// Hosts probed per run; the rest are listed as skipped.
pub const MAX_HOSTS: usize = 5;
/// A process at or above this %CPU is counted as pinned.
const PINNED_CPU: f64 = 90.0;
/// A filesystem at or above this use is reported.
const FULL_PCT: f64 = 85.0;
/// Processes listed by CPU (and groups of pinned processes).
const TOP_PROCESSES: usize = 5;
/// Repeated journal messages listed.
const JOURNAL_GROUPS: usize = 10;
/// Log lines kept from `systemctl status`.
const STATUS_LOG_LINES: usize = 10;
/// TIME-WAIT sockets worth a finding of their own (a third of Linux's default 28232 ephemeral
/// ports).
const TIME_WAIT_MANY: u64 = 10_000;
/// The longest ssh connect timeout, in seconds.
const MAX_CONNECT_TIMEOUT: u64 = 30;

/// The survey run on each host: (name in the id, remote command). The unit's commands are added
/// by [`survey`] when a unit is known.
const SURVEY: &[(&str, &[&str])] = &[
    ("uptime", &["uptime"]),
    ("nproc", &["nproc"]),
    ("top", &["top", "-b", "-n", "1"]),
    ("free", &["free", "-m"]),
    ("df", &["df", "-P", "-h"]),
    ("ss", &["ss", "-s"]),
];

/// Is `host` a `[user@]name` ssh may be given: a DNS name or IPv4 address, optionally with a
/// login name, never starting with `-` (an option) and with nothing a shell or ssh would read
/// specially (no `:`, `/`, spaces or quotes, so no `ssh://` URI or port either).
pub fn valid_host(host: &str) -> bool {
    let (user, name) = match host.split_once('@') {
        Some((u, n)) => (Some(u), n),
        None => (None, host),
    };
    let user_ok = user.is_none_or(|u| {
        !u.is_empty()
            && u.len() <= 32
            && u.bytes()
                .next()
                .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
            && u.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
    });
    user_ok && !host.starts_with('-') && crate::template::valid("host", name)
}

/// Is `word` safe as one word of a remote command line: letters, digits and `._/:=,@%+-` only,
/// so the remote shell reads it as itself (no spaces, quotes, globs, `~`, `$`, `;`, `|`, `&`,
/// redirections or backslashes).
pub fn valid_word(word: &str) -> bool {
    !word.is_empty()
        && word.len() <= 256
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._/:=,@%+-".contains(&b))
}

static AGO: LazyLock<Re> =
    LazyLock::new(|| crate::re::compile(r"^([0-9]{1,5})(s|m|min|h|d) ago$").expect("valid"));

/// One remote word as sent: `1h ago` (a playbook's `{since} ago`) becomes `-1h`, which systemd
/// reads the same and which needs no quoting; any other word must pass [`valid_word`].
pub fn remote_word(word: &str) -> Result<String, String> {
    if let Some(c) = AGO.captures(word) {
        return Ok(format!("-{}{}", &c[1], &c[2]));
    }
    if valid_word(word) {
        Ok(word.to_string())
    } else {
        Err(format!(
            "`{word}` is not a safe remote command word (letters, digits and ._/:=,@%+- only)"
        ))
    }
}

/// The argv that runs `remote` on `host` over ssh:
/// `ssh -o BatchMode=yes -o ConnectTimeout=N -T -- HOST word…` (N two thirds of the probe's
/// timeout, 1 to 30 s). BatchMode makes ssh fail rather than ask for a password or a host key;
/// `-T` asks for no terminal; `--` ends ssh's options, so neither the host nor a word after it
/// is ever read as one (without it, OpenSSH parses options again after the host:
/// `ssh HOST -oProxyCommand=…` would set one). Host keys are checked as the user's ssh config
/// says.
pub fn ssh_argv(host: &str, remote: &[String], timeout: Duration) -> Result<Vec<String>, String> {
    ssh_checked(host, remote, timeout, crate::safety::host_read_only)
}

/// [`ssh_argv`] for a mitigation's command: the same shape and word rules, the mitigation
/// allowlist ([`crate::safety::host_mitigation`]) instead of the read-only one.
pub fn ssh_mitigation_argv(
    host: &str,
    remote: &[String],
    timeout: Duration,
) -> Result<Vec<String>, String> {
    ssh_checked(host, remote, timeout, crate::safety::host_mitigation)
}

fn ssh_checked(
    host: &str,
    remote: &[String],
    timeout: Duration,
    allowed: fn(&[String]) -> Result<(), String>,
) -> Result<Vec<String>, String> {
    if !valid_host(host) {
        return Err(format!(
            "host `{host}` is not a [user@]hostname or IPv4 address"
        ));
    }
    let words = remote
        .iter()
        .map(|w| remote_word(w))
        .collect::<Result<Vec<_>, _>>()?;
    allowed(&words)?;
    // ssh gives up on the connection before the probe's timeout, so its reason is reported
    let secs = (timeout.as_secs() * 2 / 3).clamp(1, MAX_CONNECT_TIMEOUT);
    let mut argv: Vec<String> = [
        "ssh",
        "-o",
        "BatchMode=yes",
        "-o",
        &format!("ConnectTimeout={secs}"),
        "-T",
        "--",
        host,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    argv.extend(words);
    Ok(argv)
}

/// The host and the remote command of an argv from [`ssh_argv`] (or the argv itself as the
/// command when it is not an ssh argv).
pub fn remote_of(argv: &[String]) -> (Option<&str>, &[String]) {
    if argv.first().map(String::as_str) != Some("ssh") {
        return (None, argv);
    }
    match argv.iter().position(|a| a == "--") {
        Some(i) if i + 1 < argv.len() => (Some(argv[i + 1].as_str()), &argv[i + 2..]),
        _ => (None, &argv[argv.len()..]),
    }
}

/// Check an ssh argv again just before it runs: the shape [`ssh_argv`] builds, a valid host,
/// safe and read-only remote words.
pub fn check_argv(argv: &[String]) -> Result<(), String> {
    let fixed = ["ssh", "-o", "BatchMode=yes", "-o"];
    let shape = argv.len() > 8
        && argv[..4].iter().map(String::as_str).eq(fixed)
        && argv[4]
            .strip_prefix("ConnectTimeout=")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        && argv[5] == "-T"
        && argv[6] == "--";
    if !shape {
        return Err("not an ssh argv of the form sentinel builds".into());
    }
    let (host, remote) = remote_of(argv);
    let host = host.unwrap_or_default();
    if !valid_host(host) {
        return Err(format!("host `{host}` is not a [user@]hostname"));
    }
    if let Some(w) = remote.iter().find(|w| !valid_word(w)) {
        return Err(format!("`{w}` is not a safe remote command word"));
    }
    crate::safety::host_read_only(remote)
}

/// The systemd unit the survey looks at: the one named in the paste, else the workload's name
/// (systemctl reads `api` as `api.service`), if it passes the unit name rules.
fn unit_of(cfg: &Config) -> Option<String> {
    cfg.unit
        .iter()
        .chain(cfg.workload.iter())
        .find(|u| crate::template::valid("unit", u))
        .cloned()
}

/// The hosts probed: the first [`MAX_HOSTS`] of `--host`, without repeats.
fn hosts_of(cfg: &Config) -> Vec<&str> {
    let mut hosts: Vec<&str> = Vec::new();
    for h in &cfg.hosts {
        if !hosts.contains(&h.as_str()) {
            hosts.push(h);
        }
    }
    hosts
}

fn words(ws: &[&str]) -> Vec<String> {
    ws.iter().map(|w| w.to_string()).collect()
}

/// How a host command's output is read: by this module's readers, or as text.
pub fn read_of(remote: &[String]) -> Read {
    let sub = remote.get(1).map(String::as_str);
    match remote.first().map(String::as_str) {
        Some("top" | "uptime" | "free" | "df" | "journalctl" | "ps" | "nproc") => Read::Host,
        Some("systemctl") if sub == Some("status") => Read::Host,
        Some("ss") if remote.iter().any(|w| w == "-s" || w == "--summary") => Read::Host,
        _ => Read::Text,
    }
}

fn job(id: String, argv: Vec<String>, hypotheses: Vec<String>) -> Job {
    let read = read_of(remote_of(&argv).1);
    Job::Argv {
        out: Outcome {
            id,
            kind: Some(ProbeKind::Host),
            command: crate::template::display_argv(&argv),
            argv,
            read,
            hypotheses,
            ..Default::default()
        },
    }
}

fn skipped(id: String, command: String, reason: String, hypotheses: Vec<String>) -> Job {
    Job::Skip {
        out: Outcome {
            id,
            kind: Some(ProbeKind::Host),
            command,
            status: status::SKIPPED.into(),
            reason: Some(reason),
            hypotheses,
            ..Default::default()
        },
    }
}

/// The survey of each `--host` (up to [`MAX_HOSTS`]): uptime, CPU count, top, memory, disks,
/// sockets, and the unit's status and recent journal when a unit is known. Ids are
/// `host/HOST/NAME`; hosts past the cap get one skipped entry each.
pub(super) fn survey(cfg: &Config) -> Vec<Job> {
    let mut jobs = Vec::new();
    let hosts = hosts_of(cfg);
    let unit = unit_of(cfg);
    for (n, host) in hosts.iter().enumerate() {
        if n >= MAX_HOSTS {
            jobs.push(skipped(
                format!("host/{host}"),
                format!("ssh {}", crate::template::quote(host)),
                format!("only the first {MAX_HOSTS} --host targets are probed"),
                Vec::new(),
            ));
            continue;
        }
        let mut cmds: Vec<(String, Vec<String>)> = SURVEY
            .iter()
            .map(|(name, ws)| (name.to_string(), words(ws)))
            .collect();
        if let Some(u) = &unit {
            cmds.push((
                "systemctl-status".into(),
                words(&["systemctl", "status", u, "--no-pager", "--full", "-n", "20"]),
            ));
            cmds.push((
                "journal".into(),
                words(&[
                    "journalctl",
                    "-u",
                    u,
                    "--since",
                    "-30min",
                    "--no-pager",
                    "-n",
                    "300",
                ]),
            ));
        }
        for (name, remote) in cmds {
            let id = format!("host/{host}/{name}");
            match ssh_argv(host, &remote, cfg.timeout) {
                Ok(argv) => jobs.push(job(id, argv, Vec::new())),
                Err(e) => jobs.push(skipped(
                    id,
                    crate::template::display_argv(&remote),
                    format!("refused: {e}"),
                    Vec::new(),
                )),
            }
        }
    }
    jobs
}

/// A checklist host entry as jobs: its argv over ssh on each probed `--host` (id
/// `ID@HOST` when there are several hosts, else `ID`), skipped with the reason when no host is
/// given, a word is refused, or the survey already runs the same command on that host.
pub(super) fn checklist_jobs(c: &CheckItem, cfg: &Config, planned: &[Job]) -> Vec<Job> {
    let hosts = hosts_of(cfg);
    let skip =
        |id: String, reason: String| skipped(id, c.command.clone(), reason, c.hypotheses.clone());
    if hosts.is_empty() {
        let named: Vec<&str> = cfg
            .paste_hosts
            .iter()
            .map(String::as_str)
            .filter(|h| valid_host(h))
            .take(3)
            .collect();
        let reason = match named.first() {
            Some(h) => format!(
                "needs --host HOST (the paste names {}; e.g. --host {h})",
                named.join(", ")
            ),
            None => "needs --host HOST".into(),
        };
        return vec![skip(c.id.clone(), reason)];
    }
    let several = hosts.len() > 1;
    let mut jobs = Vec::new();
    for host in hosts.iter().take(MAX_HOSTS) {
        let id = if several {
            format!("{}@{host}", c.id)
        } else {
            c.id.clone()
        };
        let argv = match ssh_argv(host, &c.argv, cfg.timeout) {
            Ok(a) => a,
            Err(e) => {
                jobs.push(skip(id, format!("refused: {e}")));
                continue;
            }
        };
        let same = planned
            .iter()
            .chain(jobs.iter())
            .map(Job::outcome)
            .find(|o| o.argv == argv);
        if let Some(o) = same {
            jobs.push(skip(
                id,
                format!("the same command runs as {} (see its findings)", o.id),
            ));
            continue;
        }
        jobs.push(job(id, argv, c.hypotheses.clone()));
    }
    jobs
}

/// Did the remote command answer? Exit 0, or for `systemctl status` 1-3 (the unit is not
/// running: its status is the answer). ssh's own failures are 255.
pub fn answered(argv: &[String], code: Option<i32>) -> bool {
    let remote = remote_of(argv).1;
    match code {
        Some(0) => true,
        Some(1..=3) => {
            remote.first().map(String::as_str) == Some("systemctl")
                && remote.get(1).map(String::as_str) == Some("status")
        }
        _ => false,
    }
}

/// Why a host probe of the survey runs (`rest` is the id after `host/`).
pub fn why(rest: &str) -> &'static str {
    match rest.rsplit_once('/').map(|(_, n)| n) {
        Some("uptime") => "survey: how long the host has been up and its load averages",
        Some("nproc") => "survey: the host's CPU count, to read the load against",
        Some("top") => "survey: CPU time by kind and the busiest processes",
        Some("free") => "survey: memory and swap in use",
        Some("df") => "survey: filesystems close to full",
        Some("ss") => "survey: TCP sockets by state",
        Some("systemctl-status") => {
            "survey: the service's unit: state, main PID, tasks against its limit, last log lines"
        }
        Some("journal") => {
            "survey: the unit's journal for the last 30 minutes, repeated lines counted"
        }
        _ => "host probes run on the first --host targets only",
    }
}

/// Findings from a host command's output (`argv` is the ssh argv or the remote command).
pub fn findings(argv: &[String], output: &str) -> Vec<String> {
    let remote = remote_of(argv).1;
    let sub = remote.get(1).map(String::as_str);
    let flag = |f: &str| remote.iter().any(|w| w == f);
    let mut out = match remote.first().map(String::as_str) {
        Some("top") => top(output),
        Some("uptime") => uptime(output),
        Some("nproc") => nproc(output)
            .map(|n| vec![format!("{n} CPUs")])
            .unwrap_or_default(),
        Some("free") => free(output, free_unit(remote)),
        Some("df") => df(output),
        Some("ss") if flag("-s") || flag("--summary") => ss_summary(output),
        Some("systemctl") if sub == Some("status") => systemctl_status(output),
        Some("journalctl") => {
            let unit = remote
                .windows(2)
                .find(|w| w[0] == "-u" || w[0] == "--unit")
                .map(|w| w[1].as_str());
            journal(output, unit)
        }
        Some("ps") => ps(output),
        _ => Vec::new(),
    };
    if out.is_empty() {
        let n = output.lines().filter(|l| !l.trim().is_empty()).count();
        out.push(format!("{n} line(s) of output"));
    }
    out
}

/// After a run: relate each host's load to its CPU count (`load 9.40 on 4 CPUs`), on the
/// outcome of its `uptime` (or `top`) probe.
pub fn relate(outcomes: &mut [Outcome]) {
    let mut cpus: BTreeMap<String, u64> = BTreeMap::new();
    for o in outcomes.iter() {
        if o.kind != Some(ProbeKind::Host) || o.status != status::OK {
            continue;
        }
        let (Some(host), remote) = remote_of(&o.argv) else {
            continue;
        };
        if remote.first().map(String::as_str) == Some("nproc")
            && let Some(n) = nproc(&o.output)
        {
            cpus.insert(host.to_string(), n);
        }
    }
    for o in outcomes.iter_mut() {
        if o.kind != Some(ProbeKind::Host) || o.status != status::OK {
            continue;
        }
        let (Some(host), remote) = remote_of(&o.argv) else {
            continue;
        };
        let Some(n) = cpus.get(host).copied() else {
            continue;
        };
        if !matches!(remote.first().map(String::as_str), Some("uptime" | "top")) {
            continue;
        }
        let Some([one, _, _]) = o.output.lines().find_map(load_average) else {
            continue;
        };
        let line = load_vs_cpus(one, n);
        if !o.findings.contains(&line) {
            o.findings.push(line);
        }
    }
}

/// `load 9.40 on 4 CPUs (…)`.
fn load_vs_cpus(one: f64, cpus: u64) -> String {
    let cores = cpus as f64;
    let how = if one > cores {
        "the 1-minute average is above the CPU count: runnable tasks wait for a core"
    } else {
        "the 1-minute average is within the CPU count"
    };
    format!("load {one:.2} on {cpus} CPUs ({how})")
}

/// A number as top, free and ps print it (`93.1`, `93,1` in some locales).
fn num(s: &str) -> Option<f64> {
    let t = s.trim().trim_matches(',');
    t.replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite())
}

static LOAD: LazyLock<Re> = LazyLock::new(|| {
    crate::re::compile(r"load averages?:\s*([0-9.,]+)[,\s]\s*([0-9.,]+)[,\s]\s*([0-9.,]+)")
        .expect("valid")
});

/// The three load averages of an `uptime` or `top` header line.
fn load_average(line: &str) -> Option<[f64; 3]> {
    let c = LOAD.captures(line)?;
    Some([num(&c[1])?, num(&c[2])?, num(&c[3])?])
}

fn load_line(l: [f64; 3]) -> String {
    format!("load average: {:.2}, {:.2}, {:.2}", l[0], l[1], l[2])
}

/// `nproc`: the CPU count.
pub fn nproc(output: &str) -> Option<u64> {
    output
        .lines()
        .find(|l| !l.trim().is_empty())?
        .trim()
        .parse()
        .ok()
        .filter(|n| *n > 0)
}

static UP: LazyLock<Re> = LazyLock::new(|| {
    crate::re::compile(r"\bup\s+(.+?),\s+\d+\s+users?\b|\bup\s+(.+?),\s+load averages?:")
        .expect("valid")
});

/// `uptime`: how long the host has been up and its load averages.
pub fn uptime(output: &str) -> Vec<String> {
    let Some(line) = output.lines().find(|l| l.contains("load average")) else {
        return Vec::new();
    };
    let up = UP
        .captures(line)
        .and_then(|c| c.get(1).or_else(|| c.get(2)))
        .map(|m| m.as_str().split_whitespace().collect::<Vec<_>>().join(" "));
    let mut out = Vec::new();
    match (up, load_average(line)) {
        (Some(u), Some(l)) => out.push(format!("up {u}, {}", load_line(l))),
        (None, Some(l)) => out.push(load_line(l)),
        (Some(u), None) => out.push(format!("up {u}")),
        (None, None) => {}
    }
    out
}

static CPU_FIELD: LazyLock<Re> = LazyLock::new(|| {
    crate::re::compile(r"([0-9][0-9.,]*)\s*(us|sy|ni|id|wa|hi|si|st)\b").expect("valid")
});

/// One process row of `top` or `ps`.
#[derive(Clone, Debug, Default)]
struct Proc {
    pid: u64,
    ppid: Option<u64>,
    user: Option<String>,
    cpu: Option<f64>,
    mem: Option<f64>,
    rss_kib: Option<f64>,
    threads: Option<u64>,
    state: Option<String>,
    command: String,
}

/// The program a command line runs: `gunicorn` for `gunicorn: worker [app]`,
/// `/opt/venv/bin/gunicorn -w 8 …` or `/usr/bin/python3 /opt/venv/bin/gunicorn …`.
fn program(command: &str) -> String {
    let mut ws = command.split_whitespace();
    let base = |w: &str| -> String {
        w.trim_end_matches(':')
            .rsplit('/')
            .next()
            .unwrap_or(w)
            .to_string()
    };
    let Some(first) = ws.next() else {
        return String::new();
    };
    if first.starts_with('[') {
        return first.to_string();
    }
    let name = base(first);
    // `python3.11` is `python`
    let interpreter = ["python", "ruby", "node", "perl", "php", "bash", "sh"]
        .iter()
        .any(|i| {
            name.strip_prefix(i)
                .is_some_and(|v| v.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
        });
    match ws.next() {
        Some(next) if interpreter && !next.starts_with('-') => base(next),
        _ => name,
    }
}

/// Process rows under a header line (`PID USER … COMMAND`), one per line until a blank line.
fn proc_table(lines: &[&str]) -> (Vec<Proc>, bool) {
    let Some(hi) = lines
        .iter()
        .position(|l| l.split_whitespace().any(|w| w == "PID"))
    else {
        return (Vec::new(), false);
    };
    let header: Vec<String> = lines[hi]
        .split_whitespace()
        .map(|w| w.to_ascii_uppercase())
        .collect();
    let last = header.last().map(String::as_str).unwrap_or("");
    let command_last = matches!(last, "COMMAND" | "CMD" | "ARGS" | "COMM");
    let mut procs = Vec::new();
    let mut parsed_all = true;
    for line in &lines[hi + 1..] {
        if line.trim().is_empty() {
            break;
        }
        let toks: Vec<&str> = line.split_whitespace().collect();
        let mut p = Proc::default();
        let mut i = 0;
        let mut ok = true;
        for (ci, col) in header.iter().enumerate() {
            if ci + 1 == header.len() && command_last {
                p.command = toks.get(i..).map(|t| t.join(" ")).unwrap_or_default();
                break;
            }
            // lstart prints a date of five words
            let width = if col == "STARTED" { 5 } else { 1 };
            let Some(v) = toks.get(i..i + width) else {
                ok = false;
                break;
            };
            let v = v.join(" ");
            i += width;
            match col.as_str() {
                "PID" => match v.parse() {
                    Ok(n) => p.pid = n,
                    Err(_) => ok = false,
                },
                "PPID" => p.ppid = v.parse().ok(),
                "USER" | "RUSER" | "EUSER" => p.user = Some(v),
                "%CPU" | "PCPU" | "C" => p.cpu = num(&v),
                "%MEM" | "PMEM" => p.mem = num(&v),
                "RSS" | "RSZ" => p.rss_kib = num(&v),
                "NLWP" | "THCNT" => p.threads = v.parse().ok(),
                "S" | "STAT" => p.state = Some(v),
                _ => {}
            }
        }
        if ok && (!command_last || !p.command.is_empty()) {
            procs.push(p);
        } else {
            parsed_all = false;
        }
    }
    (procs, parsed_all)
}

fn proc_line(p: &Proc) -> String {
    let mut s = format!("pid {} {}", p.pid, short(&program(&p.command), 60));
    if let Some(u) = &p.user {
        s.push_str(&format!(" ({u})"));
    }
    let mut parts = Vec::new();
    if let Some(c) = p.cpu {
        parts.push(format!("{c:.1}% CPU"));
    }
    if let Some(m) = p.mem {
        parts.push(format!("{m:.1}% MEM"));
    }
    if let Some(r) = p.rss_kib {
        parts.push(format!("RSS {}", size(r * 1024.0)));
    }
    if !parts.is_empty() {
        s.push_str(": ");
        s.push_str(&parts.join(", "));
    }
    s
}

/// Findings about processes: the busiest by CPU, groups of processes of one program pinned at
/// ≥ 90% CPU (`all 8 gunicorn worker processes are busy` when every worker is), the largest
/// thread counts and resident sizes, and processes stuck in uninterruptible sleep.
fn proc_findings(procs: &[Proc], complete: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut by_cpu: Vec<&Proc> = procs
        .iter()
        .filter(|p| p.cpu.is_some_and(|c| c > 0.0))
        .collect();
    by_cpu.sort_by(|a, b| {
        b.cpu
            .unwrap_or(0.0)
            .total_cmp(&a.cpu.unwrap_or(0.0))
            .then(a.pid.cmp(&b.pid))
    });
    for p in by_cpu.iter().take(TOP_PROCESSES) {
        out.push(proc_line(p));
    }
    // processes of one program, and how many of them are pinned
    let mut groups: BTreeMap<String, Vec<&Proc>> = BTreeMap::new();
    for p in procs {
        let name = program(&p.command);
        if !name.is_empty() && !name.starts_with('[') {
            groups.entry(name).or_default().push(p);
        }
    }
    let mut pinned: Vec<(usize, String, Vec<&Proc>)> = groups
        .into_iter()
        .filter_map(|(name, ps)| {
            let n = ps
                .iter()
                .filter(|p| p.cpu.is_some_and(|c| c >= PINNED_CPU))
                .count();
            (n >= 2).then_some((n, name, ps))
        })
        .collect();
    pinned.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (n, name, ps) in pinned.iter().take(TOP_PROCESSES) {
        let m = ps.len();
        out.push(format!(
            "{n} of {m} {name} processes at ≥ {PINNED_CPU:.0}% CPU"
        ));
        if let Some(line) = all_workers_busy(*n, name, ps, complete) {
            out.push(line);
        }
    }
    let mut by_threads: Vec<&Proc> = procs
        .iter()
        .filter(|p| p.threads.is_some_and(|t| t > 1))
        .collect();
    by_threads.sort_by(|a, b| b.threads.cmp(&a.threads).then(a.pid.cmp(&b.pid)));
    for p in by_threads.iter().take(3) {
        out.push(format!(
            "pid {} {}: {} threads",
            p.pid,
            short(&program(&p.command), 60),
            p.threads.unwrap_or(0)
        ));
    }
    if procs.iter().all(|p| p.cpu.is_none()) {
        let mut by_rss: Vec<&Proc> = procs.iter().filter(|p| p.rss_kib.is_some()).collect();
        by_rss.sort_by(|a, b| {
            b.rss_kib
                .unwrap_or(0.0)
                .total_cmp(&a.rss_kib.unwrap_or(0.0))
                .then(a.pid.cmp(&b.pid))
        });
        for p in by_rss.iter().take(3) {
            out.push(proc_line(p));
        }
    }
    let stuck = procs
        .iter()
        .filter(|p| p.state.as_deref().is_some_and(|s| s.starts_with('D')))
        .count();
    if stuck > 0 {
        out.push(format!(
            "{stuck} process(es) in uninterruptible sleep (state D, usually waiting on disk or NFS I/O)"
        ));
    }
    let zombies = procs
        .iter()
        .filter(|p| p.state.as_deref().is_some_and(|s| s.starts_with('Z')))
        .count();
    if zombies > 0 {
        out.push(format!("{zombies} zombie process(es)"));
    }
    out
}

/// `all N NAME worker processes are busy`, when every process of the program is pinned but at
/// most one: their master (its parent when known, else the oldest, lowest pid). Only from a
/// complete listing: a cut one may have left idle workers out.
fn all_workers_busy(n: usize, name: &str, ps: &[&Proc], complete: bool) -> Option<String> {
    if !complete {
        return None;
    }
    let busy = |p: &&&Proc| p.cpu.is_some_and(|c| c >= PINNED_CPU);
    let idle: Vec<&&Proc> = ps.iter().filter(|p| !busy(p)).collect();
    match idle.as_slice() {
        [] => Some(format!(
            "all {n} {name} worker processes are busy (each at ≥ {PINNED_CPU:.0}% CPU)"
        )),
        [master] => {
            let parent = ps.iter().filter(|p| busy(p)).all(|p| match p.ppid {
                Some(pp) => pp == master.pid,
                None => p.pid > master.pid,
            });
            parent.then(|| {
                format!(
                    "all {n} {name} worker processes are busy (each at ≥ {PINNED_CPU:.0}% CPU; pid {} is their master)",
                    master.pid
                )
            })
        }
        _ => None,
    }
}

/// `top -b -n 1`: load averages, CPU time by kind, the busiest processes and pinned groups.
pub fn top(output: &str) -> Vec<String> {
    let lines: Vec<&str> = output.lines().collect();
    let mut out = Vec::new();
    if let Some(l) = lines.iter().take(10).find_map(|l| load_average(l)) {
        out.push(load_line(l));
    }
    if let Some(cpu) = lines
        .iter()
        .take(12)
        .find(|l| l.trim_start().starts_with("%Cpu(s)") || l.trim_start().starts_with("Cpu(s)"))
    {
        let mut f: BTreeMap<&str, f64> = BTreeMap::new();
        for c in CPU_FIELD.captures_iter(cpu) {
            if let (Some(v), Some(k)) = (num(&c[1]), c.get(2)) {
                f.entry(k.as_str()).or_insert(v);
            }
        }
        let part = |k: &str, what: &str| f.get(k).map(|v| format!("{v:.1}% {what}"));
        let parts: Vec<String> = [
            part("us", "user"),
            part("sy", "system"),
            part("wa", "iowait"),
            part("st", "steal"),
        ]
        .into_iter()
        .flatten()
        .collect();
        match f.get("id") {
            Some(idle) => out.push(format!(
                "CPU {:.1}% busy: {}",
                (100.0 - idle).clamp(0.0, 100.0),
                parts.join(", ")
            )),
            None if !parts.is_empty() => out.push(format!("CPU: {}", parts.join(", "))),
            None => {}
        }
    }
    let (procs, complete) = proc_table(&lines);
    out.extend(proc_findings(&procs, complete));
    out
}

/// `ps` with a header line (`-eo pid,ppid,pcpu,…,cmd`, `aux`): the same process findings as
/// [`top`], plus thread counts and resident sizes when it lists them.
pub fn ps(output: &str) -> Vec<String> {
    let lines: Vec<&str> = output.lines().collect();
    let (procs, complete) = proc_table(&lines);
    if procs.is_empty() {
        return Vec::new();
    }
    let mut out = vec![format!("{} processes listed", procs.len())];
    out.extend(proc_findings(&procs, complete));
    out
}

/// A size in bytes as `1.5 GiB` / `512 MiB`.
fn size(bytes: f64) -> String {
    const GIB: f64 = 1024.0 * 1024.0 * 1024.0;
    const MIB: f64 = 1024.0 * 1024.0;
    if bytes >= GIB {
        format!("{:.1} GiB", bytes / GIB)
    } else if bytes >= MIB {
        format!("{:.0} MiB", bytes / MIB)
    } else {
        format!("{:.0} KiB", bytes / 1024.0)
    }
}

/// `15Gi`, `1.2G`, `512M`, `0B` or a plain number in `unit` bytes.
fn bytes_of(s: &str, unit: f64) -> Option<f64> {
    let s = s.trim();
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .unwrap_or(s.len());
    let n = num(&s[..split])?;
    let suffix = s[split..].trim_end_matches(['i', 'B']).to_ascii_uppercase();
    let k = 1024.0_f64;
    let m = match suffix.as_str() {
        "" if split == s.len() => unit,
        "" => 1.0,
        "K" => k,
        "M" => k * k,
        "G" => k * k * k,
        "T" => k * k * k * k,
        "P" => k * k * k * k * k,
        _ => return None,
    };
    Some(n * m)
}

/// The unit `free` printed in, from its flags (KiB by default).
fn free_unit(remote: &[String]) -> f64 {
    let k = 1024.0_f64;
    let mut unit = k;
    for w in remote {
        unit = match w.as_str() {
            "-b" | "--bytes" => 1.0,
            "-k" | "--kibi" => k,
            "-m" | "--mebi" => k * k,
            "-g" | "--gibi" => k * k * k,
            "--kilo" => 1e3,
            "--mega" => 1e6,
            "--giga" => 1e9,
            _ => unit,
        };
    }
    unit
}

/// `free`: memory in use (total minus available) and swap in use.
pub fn free(output: &str, unit: f64) -> Vec<String> {
    let lines: Vec<&str> = output.lines().collect();
    let Some(header) = lines.iter().find(|l| l.contains("total")) else {
        return Vec::new();
    };
    let cols: Vec<&str> = header.split_whitespace().collect();
    let row = |name: &str| -> Option<BTreeMap<&str, f64>> {
        let l = lines.iter().find(|l| l.trim_start().starts_with(name))?;
        let vals: Vec<&str> = l.split_whitespace().skip(1).collect();
        Some(
            cols.iter()
                .zip(vals)
                .filter_map(|(c, v)| Some((*c, bytes_of(v, unit)?)))
                .collect(),
        )
    };
    let mut out = Vec::new();
    if let Some(mem) = row("Mem:")
        && let Some(total) = mem.get("total").copied().filter(|t| *t > 0.0)
    {
        let avail = mem.get("available").copied().or_else(|| {
            // before procps 3.3.10: free + buffers + cached
            let f = mem.get("free")?;
            Some(f + mem.get("buffers").unwrap_or(&0.0) + mem.get("cached").unwrap_or(&0.0))
        });
        if let Some(avail) = avail {
            let used = (total - avail).max(0.0);
            out.push(format!(
                "memory {:.0}% used: {} of {}, available {}",
                used / total * 100.0,
                size(used).trim_end_matches(" GiB"),
                size(total),
                size(avail)
            ));
        }
    }
    if let Some(swap) = row("Swap:") {
        let total = swap.get("total").copied().unwrap_or(0.0);
        let used = swap.get("used").copied().unwrap_or(0.0);
        if total <= 0.0 {
            out.push("no swap configured".into());
        } else {
            out.push(format!(
                "swap {:.0}% used: {} of {}",
                used / total * 100.0,
                size(used),
                size(total)
            ));
        }
    }
    out
}

/// One row of `df`.
struct Fs {
    source: String,
    size: String,
    used: String,
    avail: String,
    pct: f64,
    mount: String,
}

/// `df` (`-P -h`, `-h`, `-k`, `-i`): filesystems at or above 85% of their space (or inodes),
/// else that usage is fine, with the fullest one.
pub fn df(output: &str) -> Vec<String> {
    let lines: Vec<&str> = output.lines().collect();
    let Some(hi) = lines.iter().position(|l| l.contains("Mounted on")) else {
        return Vec::new();
    };
    let header = lines[hi];
    let inodes = header.contains("IUse") || header.contains("Inodes");
    // 1K-blocks / 1024-blocks / 512-blocks columns count blocks, not sizes
    let block = if header.contains("512-blocks") {
        Some(512.0)
    } else if header.contains("-blocks") {
        Some(1024.0)
    } else {
        None
    };
    let mut rows: Vec<Fs> = Vec::new();
    let mut pending: Option<String> = None;
    for l in &lines[hi + 1..] {
        let line = match pending.take() {
            Some(p) => format!("{p} {}", l.trim()),
            None => l.to_string(),
        };
        let toks: Vec<&str> = line.split_whitespace().collect();
        if toks.len() == 1 {
            // a long source name alone on its line (df without -P)
            pending = Some(line);
            continue;
        }
        if toks.len() < 6 {
            continue;
        }
        let Some(pct) = toks[4].strip_suffix('%').and_then(num) else {
            continue;
        };
        let shown = |s: &str| match block {
            Some(b) if !inodes => num(s).map_or(s.to_string(), |n| size(n * b)),
            _ => s.to_string(),
        };
        rows.push(Fs {
            source: toks[0].to_string(),
            size: shown(toks[1]),
            used: shown(toks[2]),
            avail: shown(toks[3]),
            pct,
            mount: toks[5..].join(" "),
        });
    }
    // read-only images are always full: snaps and loop-mounted squashfs
    rows.retain(|r| {
        !(r.source.starts_with("/dev/loop")
            || r.source == "squashfs"
            || r.mount.starts_with("/snap/"))
    });
    if rows.is_empty() {
        return Vec::new();
    }
    let mut full: Vec<&Fs> = rows.iter().filter(|r| r.pct >= FULL_PCT).collect();
    full.sort_by(|a, b| b.pct.total_cmp(&a.pct).then(a.mount.cmp(&b.mount)));
    let mut out = Vec::new();
    for r in &full {
        out.push(if inodes {
            format!(
                "inode usage on {} {:.0}%: {} of {} inodes used, IUse% {:.0}% ({})",
                r.mount, r.pct, r.used, r.size, r.pct, r.source
            )
        } else {
            format!(
                "filesystem {} {:.0}% used: {} of {}, available {} ({})",
                r.mount, r.pct, r.used, r.size, r.avail, r.source
            )
        });
    }
    if full.is_empty()
        && let Some(top) = rows
            .iter()
            .max_by(|a, b| a.pct.total_cmp(&b.pct).then(b.mount.cmp(&a.mount)))
    {
        out.push(if inodes {
            format!(
                "inode usage is fine: no filesystem at or above {FULL_PCT:.0}% of its inodes (fullest: {} at {:.0}%)",
                top.mount, top.pct
            )
        } else {
            format!(
                "disk usage is fine: no filesystem at or above {FULL_PCT:.0}% used (fullest: {} at {:.0}%)",
                top.mount, top.pct
            )
        });
    }
    out
}

static SS_FIELD: LazyLock<Re> = LazyLock::new(|| {
    crate::re::compile(r"\b(estab|closed|orphaned|synrecv|timewait)\s+(\d+)").expect("valid")
});

/// `ss -s`: TCP sockets established and orphaned, and TIME-WAIT when it is a large share of the
/// ephemeral ports.
pub fn ss_summary(output: &str) -> Vec<String> {
    let Some(line) = output.lines().find(|l| l.trim_start().starts_with("TCP:")) else {
        return Vec::new();
    };
    let total: Option<u64> = line
        .trim_start()
        .trim_start_matches("TCP:")
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok());
    let mut f: BTreeMap<&str, u64> = BTreeMap::new();
    for c in SS_FIELD.captures_iter(line) {
        if let (Some(k), Ok(v)) = (c.get(1), c[2].parse()) {
            f.insert(k.as_str(), v);
        }
    }
    let mut parts = Vec::new();
    if let Some(e) = f.get("estab") {
        parts.push(format!("{e} established"));
    }
    if let Some(o) = f.get("orphaned") {
        parts.push(format!("{o} orphaned"));
    }
    if let Some(s) = f.get("synrecv").filter(|s| **s > 0) {
        parts.push(format!("{s} in SYN-RECV"));
    }
    if let Some(t) = total {
        parts.push(format!("{t} sockets in all"));
    }
    let mut out = Vec::new();
    if !parts.is_empty() {
        out.push(format!("TCP: {}", parts.join(", ")));
    }
    if let Some(tw) = f.get("timewait").filter(|t| **t >= TIME_WAIT_MANY) {
        out.push(format!(
            "{tw} TCP sockets in TIME-WAIT (Linux's default ephemeral port range has 28232 ports)"
        ));
    }
    out
}

static JOURNAL_LINE: LazyLock<Re> = LazyLock::new(|| {
    crate::re::compile(
        r"^(?:[A-Z][a-z]{2} [ 0-9]?[0-9] ([0-9]{2}:[0-9]{2}:[0-9]{2})|[0-9]{4}-[0-9]{2}-[0-9]{2}T([0-9]{2}:[0-9]{2}:[0-9]{2})\S*)\s+\S+\s+([^\s:\[]+)(?:\[[0-9]+\])?:\s?(.*)$",
    )
    .expect("valid")
});
static LEADING_TIME: LazyLock<Re> = LazyLock::new(|| {
    crate::re::compile(
        r"^\[?[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}(?:[.,][0-9]+)?(?:\s?(?:Z|UTC|[+-][0-9]{2}:?[0-9]{2}))?\]?\s*",
    )
    .expect("valid")
});
static NOTABLE: LazyLock<Re> = LazyLock::new(|| {
    crate::re::compile(r"(?i)error|crit|fatal|fail|panic|timeout|timed out|kill|oom|out of memory|no space|denied|refused|unable|cannot|can't|exception|traceback|warn|errno|segfault|abort|restart|exited")
        .expect("valid")
});

/// A journal line as (time, program, message).
fn journal_line(line: &str) -> (Option<&str>, &str, &str) {
    match JOURNAL_LINE.captures(line) {
        Some(c) => {
            let time = c.get(1).or_else(|| c.get(2)).map(|m| m.as_str());
            let ident = c.get(3).map_or("", |m| m.as_str());
            let msg = c.get(4).map_or("", |m| m.as_str());
            (time, ident, msg)
        }
        None => (None, "", line.trim()),
    }
}

/// A message without a leading timestamp of its own (`[2026-06-02 11:04:10 +0000] …`).
fn bare(msg: &str) -> &str {
    match LEADING_TIME.find(msg) {
        Some(m) => &msg[m.end()..],
        None => msg,
    }
}

/// The same message with its numbers blanked, to count repeats.
fn shape(ident: &str, msg: &str) -> String {
    let mut s = String::with_capacity(ident.len() + msg.len() + 1);
    s.push_str(ident);
    s.push(' ');
    let mut digits = false;
    for c in msg.chars() {
        if c.is_ascii_digit() {
            if !digits {
                s.push('#');
            }
            digits = true;
        } else {
            digits = false;
            s.push(c);
        }
    }
    s
}

fn short(s: &str, max: usize) -> String {
    let t = s.trim();
    if t.chars().count() > max {
        let cut: String = t.chars().take(max.saturating_sub(3)).collect();
        format!("{cut}...")
    } else {
        t.to_string()
    }
}

/// `journalctl`: how many lines over what span, then the messages that repeat (errors and
/// warnings first), each with its count and first and last time: `12× gunicorn: [CRITICAL]
/// WORKER TIMEOUT (pid:4131) (10:58:12 to 11:05:40)`.
pub fn journal(output: &str, unit: Option<&str>) -> Vec<String> {
    struct Group<'a> {
        n: usize,
        first_at: usize,
        first: Option<&'a str>,
        last: Option<&'a str>,
        ident: &'a str,
        example: &'a str,
        notable: bool,
    }
    let whose = unit.map_or_else(|| "journal".to_string(), |u| format!("journal of {u}"));
    let mut groups: BTreeMap<String, Group<'_>> = BTreeMap::new();
    let mut count = 0;
    let (mut first, mut last) = (None, None);
    for (i, line) in output.lines().enumerate() {
        let t = line.trim();
        if t.is_empty() || t.starts_with("-- ") {
            continue;
        }
        count += 1;
        let (time, ident, msg) = journal_line(line);
        let msg = bare(msg);
        if time.is_some() {
            first = first.or(time);
            last = time.or(last);
        }
        let g = groups.entry(shape(ident, msg)).or_insert_with(|| Group {
            n: 0,
            first_at: i,
            first: time,
            last: time,
            ident,
            example: msg,
            notable: NOTABLE.is_match(msg),
        });
        g.n += 1;
        g.last = time.or(g.last);
        g.example = msg;
    }
    if count == 0 {
        let empty = output.contains("No entries");
        return if empty {
            vec![format!("no entries in the {whose} for the window")]
        } else {
            Vec::new()
        };
    }
    let span = match (first, last) {
        (Some(a), Some(b)) => format!(" from {a} to {b}"),
        _ => String::new(),
    };
    let mut out = vec![format!(
        "{count} lines in the {whose}{span}, {} distinct messages",
        groups.len()
    )];
    let mut list: Vec<&Group<'_>> = groups.values().collect();
    list.sort_by(|a, b| {
        b.notable
            .cmp(&a.notable)
            .then(b.n.cmp(&a.n))
            .then(a.first_at.cmp(&b.first_at))
    });
    for g in list.iter().take(JOURNAL_GROUPS) {
        let who = if g.ident.is_empty() {
            String::new()
        } else {
            format!("{}: ", g.ident)
        };
        let when = match (g.first, g.last) {
            (Some(a), Some(b)) if g.n > 1 && a != b => format!(" ({a} to {b})"),
            (Some(a), _) => format!(" ({a})"),
            _ => String::new(),
        };
        out.push(format!("{}× {who}{}{when}", g.n, short(g.example, 200)));
    }
    out
}

/// `systemctl status UNIT`: the unit's state, main PID, tasks against their limit, memory,
/// failed processes, and the last log lines it shows (where supervisors report worker timeouts
/// and respawns).
pub fn systemctl_status(output: &str) -> Vec<String> {
    let lines: Vec<&str> = output.lines().collect();
    let Some(head) = lines.iter().position(|l| {
        let t = l.trim_start();
        ["●", "○", "×", "*", "↻"].iter().any(|m| t.starts_with(m)) && t.contains('.')
    }) else {
        return Vec::new();
    };
    let unit = lines[head]
        .trim_start()
        .trim_start_matches(['●', '○', '×', '*', '↻'])
        .split_whitespace()
        .next()
        .unwrap_or("the unit")
        .to_string();
    let mut out = Vec::new();
    let mut end = lines.len();
    let mut cgroup = 0;
    let mut in_cgroup = false;
    for (i, l) in lines.iter().enumerate().skip(head + 1) {
        let t = l.trim();
        if t.is_empty() {
            end = i;
            break;
        }
        if JOURNAL_LINE.is_match(t) {
            end = i;
            break;
        }
        let field = |name: &str| t.strip_prefix(name).map(str::trim);
        if let Some(v) = field("Active:") {
            out.push(format!("{unit}: Active: {v}"));
        } else if let Some(v) = field("Main PID:") {
            out.push(format!("{unit}: Main PID: {v}"));
        } else if let Some(v) = field("Tasks:") {
            out.push(format!("{unit}: Tasks: {v}"));
            if let Some(line) = tasks_near_limit(&unit, v) {
                out.push(line);
            }
        } else if let Some(v) = field("Memory:") {
            out.push(format!("{unit}: Memory: {v}"));
        } else if let Some(v) = field("Process:") {
            if v.contains("status=") && !v.contains("status=0/SUCCESS") {
                out.push(format!("{unit}: Process: {v}"));
            }
        } else if field("CGroup:").is_some() {
            in_cgroup = true;
            continue;
        }
        if in_cgroup {
            let proc = t.trim_start_matches(['├', '└', '│', '─', ' ', '|', '`', '-']);
            if proc.bytes().next().is_some_and(|b| b.is_ascii_digit()) {
                cgroup += 1;
            }
        }
    }
    match cgroup {
        0 => {}
        1 => out.push(format!("{unit}: 1 process in its cgroup")),
        n => out.push(format!("{unit}: {n} processes in its cgroup")),
    }
    let logs: Vec<&str> = lines[end.min(lines.len())..]
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty() && !l.starts_with("Hint:") && !l.starts_with("Warning:"))
        .collect();
    for l in &logs[logs.len().saturating_sub(STATUS_LOG_LINES)..] {
        let (time, ident, msg) = journal_line(l);
        let who = if ident.is_empty() {
            String::new()
        } else {
            format!("{ident}: ")
        };
        let at = time.map(|t| format!("{t} ")).unwrap_or_default();
        out.push(format!("{at}{who}{}", short(bare(msg), 200)));
    }
    out
}

/// `tasks 4915 / 4915, 100% of the unit's task limit (TasksMax)` when at least 90% of it.
fn tasks_near_limit(unit: &str, v: &str) -> Option<String> {
    let n: f64 = v.split_whitespace().next().and_then(num)?;
    let limit = v
        .split_once("limit:")
        .and_then(|(_, l)| num(l.trim().trim_end_matches(')')))?;
    (limit > 0.0 && n / limit >= 0.9).then(|| {
        format!(
            "{unit}: tasks {n:.0} / {limit:.0}, {:.0}% of the unit's task limit (TasksMax)",
            n / limit * 100.0
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    fn secs(n: u64) -> Duration {
        Duration::from_secs(n)
    }

    #[test]
    fn the_ssh_argv_is_batch_mode_with_options_ended_before_the_host() {
        let a = ssh_argv("app-vm-1", &v("top -b -n 1"), secs(10)).expect("argv");
        assert_eq!(
            a,
            v("ssh -o BatchMode=yes -o ConnectTimeout=6 -T -- app-vm-1 top -b -n 1")
        );
        assert!(!a.iter().any(|w| w.contains("StrictHostKeyChecking")));
        check_argv(&a).expect("passes the run-time check");
        let a = ssh_argv("deploy@10.0.3.7", &v("uptime"), secs(600)).expect("argv");
        assert_eq!(a[4], "ConnectTimeout=30");
        assert_eq!(remote_of(&a), (Some("deploy@10.0.3.7"), &a[8..]));
        // a playbook's `{since} ago` becomes one word systemd reads the same
        let a = ssh_argv(
            "h1",
            &["journalctl".into(), "--since".into(), "1h ago".into()],
            secs(5),
        )
        .expect("argv");
        assert_eq!(a.last().map(String::as_str), Some("-1h"));
    }

    #[test]
    fn hosts_and_words_with_metacharacters_are_refused() {
        for h in [
            "-oProxyCommand=x",
            "bad host",
            "a;b",
            "$(reboot)",
            "h`id`",
            "user@@h",
            "h:22",
            "ssh://h",
            "",
            "@h",
            "-h",
            "h/x",
            "h\nx",
        ] {
            assert!(!valid_host(h), "{h:?}");
            assert!(ssh_argv(h, &v("uptime"), secs(5)).is_err(), "{h:?}");
        }
        for h in [
            "app-vm-1",
            "web-02.prod.example.com",
            "10.1.2.3",
            "ops@db-1",
        ] {
            assert!(valid_host(h), "{h:?}");
        }
        for w in [
            "api; rm -rf /",
            "$(reboot)",
            "`id`",
            "a|b",
            "a&b",
            "a>b",
            "~root",
            "*",
            "a?",
            "[x]",
            "!1",
            "#x",
            "'q'",
            "\"q\"",
            "a\\b",
            "a\nb",
            "a b",
            "",
            "{a,b}",
        ] {
            let remote = vec!["systemctl".to_string(), "status".into(), w.to_string()];
            assert!(ssh_argv("h1", &remote, secs(5)).is_err(), "{w:?}");
        }
        // read-only allowlist, also at run time
        assert!(ssh_argv("h1", &v("systemctl restart api"), secs(5)).is_err());
        assert!(ssh_argv("h1", &v("rm -rf /tmp/x"), secs(5)).is_err());
        let mut a = ssh_argv("h1", &v("systemctl status api"), secs(5)).expect("argv");
        a[9] = "restart".into();
        assert!(check_argv(&a).is_err());
        let mut a = ssh_argv("h1", &v("uptime"), secs(5)).expect("argv");
        a.push("$(reboot)".into());
        assert!(check_argv(&a).is_err());
        let mut a = ssh_argv("h1", &v("uptime"), secs(5)).expect("argv");
        a.remove(6);
        assert!(check_argv(&a).is_err(), "the `--` is required");
    }

    fn cfg(hosts: &[&str]) -> Config {
        Config {
            hosts: hosts.iter().map(|h| h.to_string()).collect(),
            timeout: secs(5),
            concurrency: 4,
            ..Config::default()
        }
    }

    fn ids(jobs: &[Job]) -> Vec<String> {
        jobs.iter().map(|j| j.outcome().id.clone()).collect()
    }

    #[test]
    fn the_survey_covers_each_host_up_to_the_cap() {
        let mut c = cfg(&["h1"]);
        c.unit = Some("billing-web.service".into());
        let jobs = survey(&c);
        let got = ids(&jobs);
        for name in [
            "uptime",
            "top",
            "free",
            "df",
            "ss",
            "systemctl-status",
            "journal",
        ] {
            assert!(got.contains(&format!("host/h1/{name}")), "{got:?}");
        }
        for j in &jobs {
            check_argv(&j.outcome().argv).expect("every survey argv passes");
        }
        // without a unit, no unit commands; the workload's name stands in
        assert!(
            !ids(&survey(&cfg(&["h1"])))
                .iter()
                .any(|i| i.ends_with("journal"))
        );
        let mut c = cfg(&["h1"]);
        c.workload = Some("billing-web".into());
        let j = survey(&c);
        let status = j
            .iter()
            .find(|j| j.outcome().id == "host/h1/systemctl-status")
            .expect("status");
        assert!(status.outcome().argv.contains(&"billing-web".to_string()));
        // a unit that is not a unit name is never sent
        let mut c = cfg(&["h1"]);
        c.unit = Some("api; rm -rf /".into());
        c.workload = Some("$(reboot)".into());
        assert!(!ids(&survey(&c)).iter().any(|i| i.ends_with("journal")));
        // seven hosts: five surveyed, two skipped with the reason
        let c = cfg(&["a1", "a2", "a3", "a4", "a5", "a6", "a7"]);
        let jobs = survey(&c);
        let skipped: Vec<&Outcome> = jobs
            .iter()
            .map(Job::outcome)
            .filter(|o| o.status == status::SKIPPED)
            .collect();
        assert_eq!(skipped.len(), 2);
        assert_eq!(skipped[0].id, "host/a6");
        assert!(
            skipped[0]
                .reason
                .as_deref()
                .unwrap_or("")
                .contains("first 5")
        );
    }

    fn item(id: &str, argv: &str) -> CheckItem {
        CheckItem {
            id: id.into(),
            kind: ProbeKind::Host,
            command: format!("ssh -o BatchMode=yes <host> -- {argv}"),
            argv: v(argv),
            query: None,
            why: String::new(),
            expected: String::new(),
            hypotheses: vec!["x".into()],
            missing: Vec::new(),
            status: "not_run",
            reason: None,
            findings: Vec::new(),
            took_ms: None,
        }
    }

    #[test]
    fn checklist_entries_run_per_host() {
        let c = item("pb/host-ps", "ps -eo pid,ppid,pcpu,cmd --sort=-pcpu");
        let none = checklist_jobs(&c, &cfg(&[]), &[]);
        assert_eq!(none[0].outcome().status, status::SKIPPED);
        assert_eq!(
            none[0].outcome().reason.as_deref(),
            Some("needs --host HOST")
        );
        let one = checklist_jobs(&c, &cfg(&["h1"]), &[]);
        assert_eq!(ids(&one), vec!["pb/host-ps"]);
        let two = checklist_jobs(&c, &cfg(&["h1", "h2"]), &[]);
        assert_eq!(ids(&two), vec!["pb/host-ps@h1", "pb/host-ps@h2"]);
        // the same command as the survey's is not run twice
        let t = item("pb/host-top", "top -b -n 1");
        let planned = survey(&cfg(&["h1"]));
        let dup = checklist_jobs(&t, &cfg(&["h1"]), &planned);
        assert_eq!(dup[0].outcome().status, status::SKIPPED);
        assert!(
            dup[0]
                .outcome()
                .reason
                .as_deref()
                .unwrap_or("")
                .contains("host/h1/top")
        );
        // a word that is not safe is refused with the reason
        let mut bad = item("pb/host-unit", "systemctl status x");
        bad.argv[2] = "api;reboot".into();
        let r = checklist_jobs(&bad, &cfg(&["h1"]), &[]);
        assert_eq!(r[0].outcome().status, status::SKIPPED);
        assert!(
            r[0].outcome()
                .reason
                .as_deref()
                .unwrap_or("")
                .starts_with("refused")
        );
        assert!(r[0].outcome().argv.is_empty());
    }

    const TOP: &str = "\
top - 11:06:02 up 12 days,  2:41,  1 user,  load average: 9.40, 8.12, 5.30
Tasks: 151 total,   9 running, 142 sleeping,   0 stopped,   0 zombie
%Cpu(s): 92.3 us,  4.8 sy,  0.0 ni,  2.9 id,  0.2 wa,  0.0 hi,  0.1 si,  0.0 st
MiB Mem :  15990.1 total,   1211.4 free,  13020.8 used,   1757.9 buff/cache
MiB Swap:   2048.0 total,   1980.0 free,     68.0 used.   2969.3 avail Mem

    PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND
   4127 www-data  20   0  912344 301220  14008 R  99.1   1.8  11:02.17 gunicorn
   4128 www-data  20   0  897112 288460  13980 R  98.7   1.8  10:40.55 gunicorn
   4129 www-data  20   0  889020 281032  13912 R  97.9   1.7  10:12.80 gunicorn
   4120 www-data  20   0   55880  31200   7320 S   0.3   0.2   0:04.09 gunicorn
    811 root      20   0   25512  11200   7320 S   0.0   0.1   0:44.09 sshd
";

    #[test]
    fn top_gives_load_cpu_the_busiest_and_the_pinned_workers() {
        let f = top(TOP);
        assert_eq!(f[0], "load average: 9.40, 8.12, 5.30");
        assert_eq!(
            f[1],
            "CPU 97.1% busy: 92.3% user, 4.8% system, 0.2% iowait, 0.0% steal"
        );
        assert!(
            f.contains(&"pid 4127 gunicorn (www-data): 99.1% CPU, 1.8% MEM".to_string()),
            "{f:?}"
        );
        assert!(
            f.contains(&"3 of 4 gunicorn processes at ≥ 90% CPU".to_string()),
            "{f:?}"
        );
        assert!(
            f.iter().any(
                |l| l.starts_with("all 3 gunicorn worker processes are busy")
                    && l.contains("pid 4120 is their master")
            ),
            "{f:?}"
        );
        // two idle ones: not all are busy
        let two_idle = TOP.replace("R  97.9", "S   1.2");
        assert!(!top(&two_idle).iter().any(|l| l.starts_with("all ")));
        // garbage and truncation never panic
        for t in [
            "",
            "x",
            "PID",
            "    PID USER COMMAND\n 12",
            &TOP[..TOP.len() / 2],
        ] {
            let _ = top(t);
        }
        // the locale's decimal comma
        let comma =
            "%Cpu(s): 93,1 us,  4,2 sy,  0,0 ni,  1,9 id,  0,6 wa,  0,0 hi,  0,2 si,  0,0 st";
        assert!(
            top(comma)[0].starts_with("CPU 98.1% busy: 93.1% user"),
            "{:?}",
            top(comma)
        );
    }

    #[test]
    fn ps_with_ppid_names_the_master() {
        let out = "\
    PID    PPID STAT %CPU ELAPSED WCHAN                            CMD
   4127    4120 R    99.0    700 -                                gunicorn: worker [billing]
   4128    4120 R    98.2    700 -                                gunicorn: worker [billing]
   4120       1 Ss    0.1    800 do_select                        gunicorn: master [billing]
    900       1 D     0.0   9000 io_schedule                      /usr/sbin/rsyslogd -n
";
        let f = ps(out);
        assert!(
            f.contains(&"2 of 3 gunicorn processes at ≥ 90% CPU".to_string()),
            "{f:?}"
        );
        assert!(
            f.iter().any(|l| l.contains("pid 4120 is their master")),
            "{f:?}"
        );
        assert!(
            f.iter().any(|l| l.contains("uninterruptible sleep")),
            "{f:?}"
        );
        let lstart = "  PID                  STARTED     ELAPSED COMMAND\n  12 Tue Jun  2 10:52:31 2026       13:31 /usr/bin/python3 /opt/app/sync.py\n";
        assert_eq!(ps(lstart)[0], "1 processes listed");
        let threads = "  PID USER NLWP   RSS CMD\n  811 app  4080 2097152 java -jar app.jar\n";
        assert!(
            ps(threads).iter().any(|l| l.contains("4080 threads")),
            "{:?}",
            ps(threads)
        );
        assert_eq!(
            program("/usr/bin/python3 /opt/venv/bin/gunicorn -w 8"),
            "gunicorn"
        );
        assert_eq!(program("python -m celery"), "python");
    }

    #[test]
    fn uptime_free_df_and_ss() {
        assert_eq!(
            uptime(" 11:06:02 up 12 days,  2:41,  1 user,  load average: 9.40, 8.12, 5.30\n"),
            vec!["up 12 days, 2:41, load average: 9.40, 8.12, 5.30"]
        );
        assert_eq!(
            uptime(" 14:06:43 up 8 min,  0 users,  load average: 2,24, 1,94, 0,87"),
            vec!["up 8 min, load average: 2.24, 1.94, 0.87"]
        );
        let free_m =
            "               total        used        free      shared  buff/cache   available
Mem:           15990       13020        1211         112        1757        1129
Swap:           2047        1536         511
";
        let f = free(free_m, 1024.0 * 1024.0);
        assert_eq!(f[0], "memory 93% used: 14.5 of 15.6 GiB, available 1.1 GiB");
        assert_eq!(f[1], "swap 75% used: 1.5 GiB of 2.0 GiB");
        let human = "               total        used        free      shared  buff/cache   available\nMem:            15Gi       1.0Gi        13Gi       112Mi       1.5Gi        14Gi\nSwap:             0B          0B          0B\n";
        let f = free(human, 1024.0);
        assert!(f[0].starts_with("memory 7% used"), "{f:?}");
        assert_eq!(f[1], "no swap configured");
        let dfp = "Filesystem      Size  Used Avail Capacity Mounted on
/dev/sda1        30G   12G   17G      42% /
/dev/sdb1        50G   49G  1.5G      97% /var
/dev/loop3       64M   64M     0     100% /snap/core20/2105
";
        assert_eq!(
            df(dfp),
            vec!["filesystem /var 97% used: 49G of 50G, available 1.5G (/dev/sdb1)"]
        );
        let fine = "Filesystem 1024-blocks Used Available Capacity Mounted on\n/dev/sda1 31441920 12582912 17825792 42% /\n";
        assert_eq!(
            df(fine),
            vec!["disk usage is fine: no filesystem at or above 85% used (fullest: / at 42%)"]
        );
        let wrapped = "Filesystem     Size  Used Avail Use% Mounted on\n/dev/mapper/vg0-very--long--volume--name\n                50G   50G     0 100% /var/lib/docker\n";
        assert!(
            df(wrapped)[0].starts_with("filesystem /var/lib/docker 100% used"),
            "{:?}",
            df(wrapped)
        );
        let inodes = "Filesystem      Inodes   IUsed IFree IUse% Mounted on\n/dev/sda1      3276800 3276800     0  100% /\n";
        assert!(df(inodes)[0].contains("IUse% 100%"), "{:?}", df(inodes));
        let ss = "Total: 1702\nTCP:   1590 (estab 812, closed 702, orphaned 3, timewait 699)\n\nTransport Total     IP        IPv6\nTCP\t  888       880       8\n";
        assert_eq!(
            ss_summary(ss),
            vec!["TCP: 812 established, 3 orphaned, 1590 sockets in all"]
        );
        let many = "TCP:   30110 (estab 90, closed 30000, orphaned 0, synrecv 0, timewait 29990/0), ports 0\n";
        assert!(ss_summary(many)[1].starts_with("29990 TCP sockets in TIME-WAIT"));
        for junk in ["", "Mounted on", "TCP:", "total\nMem:", "\u{0}\u{1}"] {
            let _ = (
                df(junk),
                ss_summary(junk),
                free(junk, 1.0),
                uptime(junk),
                ps(junk),
            );
        }
    }

    #[test]
    fn systemctl_status_and_the_journal() {
        let status = "\
● billing-web.service - Billing web (gunicorn)
     Loaded: loaded (/etc/systemd/system/billing-web.service; enabled; preset: enabled)
     Active: active (running) since Tue 2026-06-02 10:52:31 UTC; 13min ago
   Main PID: 4120 (gunicorn)
      Tasks: 9 (limit: 18994)
     Memory: 2.3G
        CPU: 1h 2min 11.402s
     CGroup: /system.slice/billing-web.service
             ├─4120 /opt/billing/venv/bin/python /opt/billing/venv/bin/gunicorn -w 8 billing.wsgi
             └─4127 /opt/billing/venv/bin/python /opt/billing/venv/bin/gunicorn -w 8 billing.wsgi

Jun 02 11:04:10 app-vm-1 gunicorn[4120]: [2026-06-02 11:04:10 +0000] [4120] [CRITICAL] WORKER TIMEOUT (pid:4131)
Jun 02 11:04:11 app-vm-1 gunicorn[4120]: [2026-06-02 11:04:11 +0000] [4140] [INFO] Booting worker with pid: 4140
";
        let f = systemctl_status(status);
        assert_eq!(
            f[0],
            "billing-web.service: Active: active (running) since Tue 2026-06-02 10:52:31 UTC; 13min ago"
        );
        assert!(f.contains(&"billing-web.service: Main PID: 4120 (gunicorn)".to_string()));
        assert!(
            f.contains(&"billing-web.service: 2 processes in its cgroup".to_string()),
            "{f:?}"
        );
        assert!(
            f.contains(
                &"11:04:10 gunicorn: [4120] [CRITICAL] WORKER TIMEOUT (pid:4131)".to_string()
            ),
            "{f:?}"
        );
        let full = status.replace("Tasks: 9 (limit: 18994)", "Tasks: 4915 (limit: 4915)");
        assert!(
            systemctl_status(&full)
                .iter()
                .any(|l| l.contains("tasks 4915 / 4915, 100% of the unit's task limit (TasksMax)"))
        );
        let journal_out = "\
Jun 02 10:58:12 app-vm-1 gunicorn[4120]: [2026-06-02 10:58:12 +0000] [4120] [CRITICAL] WORKER TIMEOUT (pid:4125)
Jun 02 10:58:13 app-vm-1 gunicorn[4120]: [2026-06-02 10:58:13 +0000] [4133] [INFO] Booting worker with pid: 4133
Jun 02 11:05:40 app-vm-1 gunicorn[4120]: [2026-06-02 11:05:40 +0000] [4120] [CRITICAL] WORKER TIMEOUT (pid:4131)
Jun 02 11:05:41 app-vm-1 gunicorn[4120]: [2026-06-02 11:05:41 +0000] [4141] [INFO] Booting worker with pid: 4141
";
        let j = journal(journal_out, Some("billing-web.service"));
        assert_eq!(
            j[0],
            "4 lines in the journal of billing-web.service from 10:58:12 to 11:05:41, 2 distinct messages"
        );
        assert_eq!(
            j[1],
            "2× gunicorn: [4120] [CRITICAL] WORKER TIMEOUT (pid:4131) (10:58:12 to 11:05:40)"
        );
        assert!(
            j[2].starts_with("2× gunicorn: [4141] [INFO] Booting worker"),
            "{j:?}"
        );
        assert_eq!(
            journal("-- No entries --\n", Some("x.service")),
            vec!["no entries in the journal of x.service for the window"]
        );
        let iso = "2026-06-02T11:05:40+0000 app-vm-1 orders-api[2211]: OSError: [Errno 28] No space left on device\n";
        assert!(journal(iso, None)[1].contains("No space left on device"));
        for junk in ["", "●", "● x.service\n  Tasks: many (limit: )", "\u{feff}"] {
            let _ = (systemctl_status(junk), journal(junk, None));
        }
    }

    #[test]
    fn the_load_is_read_against_the_cpu_count() {
        let mk = |id: &str, remote: &str, output: &str| Outcome {
            id: id.into(),
            kind: Some(ProbeKind::Host),
            argv: ssh_argv("h1", &v(remote), secs(5)).expect("argv"),
            status: status::OK.into(),
            output: output.into(),
            ..Default::default()
        };
        let mut outs = vec![
            mk(
                "host/h1/uptime",
                "uptime",
                " 11:06:02 up 12 days,  2:41,  1 user,  load average: 9.40, 8.12, 5.30\n",
            ),
            mk("host/h1/nproc", "nproc", "4\n"),
        ];
        relate(&mut outs);
        assert_eq!(
            outs[0].findings,
            vec![
                "load 9.40 on 4 CPUs (the 1-minute average is above the CPU count: runnable tasks wait for a core)"
            ]
        );
        assert!(answered(&outs[0].argv, Some(0)));
        let status = ssh_argv("h1", &v("systemctl status x"), secs(5)).expect("argv");
        assert!(answered(&status, Some(3)));
        assert!(!answered(&status, Some(4)));
        assert!(!answered(&outs[0].argv, Some(255)));
    }
}
