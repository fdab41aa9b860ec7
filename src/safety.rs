//! Read-only by construction: the allowlists that every probe passes at lint time and again at
//! run time. kubectl: read verbs only, never on secrets. host: a few read-only commands. SQL: one
//! read-only statement without functions that act even inside a READ ONLY transaction. Pure.

/// kubectl verbs a probe may use (with the sub-verb, where one is needed).
const KUBECTL_VERBS: &[&str] = &[
    "get",
    "describe",
    "logs",
    "top",
    "events",
    "version",
    "explain",
    "api-resources",
];

/// The verb of a kubectl argv (the first word that is not a flag or a flag's value) and the
/// words after it.
fn verb_and_rest(argv: &[String]) -> (Option<&str>, Vec<&str>) {
    let mut verb = None;
    let mut rest = Vec::new();
    let mut i = 1;
    while i < argv.len() {
        let a = argv[i].as_str();
        if a.starts_with('-') {
            // flags that take a separate value
            if matches!(
                a,
                "-n" | "--namespace"
                    | "--context"
                    | "--kubeconfig"
                    | "-l"
                    | "--selector"
                    | "-o"
                    | "--output"
                    | "-c"
                    | "--container"
                    | "--since"
                    | "--tail"
                    | "--field-selector"
                    | "--sort-by"
                    | "--since-time"
                    | "-p"
                    | "--patch"
            ) {
                i += 1;
            }
        } else if verb.is_none() {
            verb = Some(a);
        } else {
            rest.push(a);
        }
        i += 1;
    }
    (verb, rest)
}

/// Check a kubectl argv (including `kubectl` itself as argv[0]).
pub fn kubectl_read_only(argv: &[String]) -> Result<(), String> {
    if argv.first().map(String::as_str) != Some("kubectl") {
        return Err("a kubectl probe's argv must start with `kubectl`".into());
    }
    let (verb, rest) = verb_and_rest(argv);
    let Some(verb) = verb else {
        return Err("a kubectl probe needs a verb".into());
    };
    let ok = KUBECTL_VERBS.contains(&verb)
        || verb == "rollout" && matches!(rest.first(), Some(&"history" | &"status"))
        || verb == "config"
            && matches!(
                rest.first(),
                Some(&"current-context" | &"get-contexts" | &"view")
            )
        || verb == "auth" && rest.first() == Some(&"can-i")
        || verb == "cluster-info";
    if !ok {
        return Err(format!(
            "kubectl verb `{verb}` is not read-only (allowed: get, describe, logs, top, events, rollout history|status, version, config current-context, auth can-i)"
        ));
    }
    // any word of any argument: `secrets`, `secret/x`, `pods,secrets`, `--raw /api/v1/…/secrets`
    if argv.iter().any(|a| {
        a.to_ascii_lowercase()
            .split(['/', ',', '.', '=', ':'])
            .any(|w| w == "secret" || w == "secrets")
    }) {
        return Err("kubectl probes never read secrets".into());
    }
    if argv.iter().any(|a| a == "--raw" || a.starts_with("--raw=")) && verb != "get" {
        return Err("`--raw` is only allowed with get".into());
    }
    Ok(())
}

/// Commands a host probe may run over ssh.
const HOST_COMMANDS: &[&str] = &[
    "systemctl",
    "journalctl",
    "ps",
    "top",
    "df",
    "free",
    "ss",
    "uptime",
    "cat",
    "dmesg",
    "vmstat",
    "iostat",
    "netstat",
    "uname",
    "ulimit",
    "sysctl",
    "lsof",
    "nproc",
    "ip",
];

/// Check a host argv.
pub fn host_read_only(argv: &[String]) -> Result<(), String> {
    let Some(cmd) = argv.first() else {
        return Err("a host probe needs a command".into());
    };
    if !HOST_COMMANDS.contains(&cmd.as_str()) {
        return Err(format!(
            "host command `{cmd}` is not in the read-only allowlist ({})",
            HOST_COMMANDS.join(", ")
        ));
    }
    let sub = argv.get(1).map(String::as_str).unwrap_or("");
    match cmd.as_str() {
        "systemctl"
            if !matches!(
                sub,
                "status" | "show" | "is-active" | "list-units" | "is-failed" | "cat"
            ) =>
        {
            Err(format!(
                "`systemctl {sub}` is not read-only (allowed: status, show, is-active, is-failed, list-units, cat)"
            ))
        }
        "cat"
            if !argv[1..].iter().all(|a| {
                a.starts_with("/proc/")
                    || a.starts_with("/sys/fs/cgroup/")
                    || a.starts_with("/sys/")
            }) =>
        {
            Err("`cat` may only read /proc and /sys".into())
        }
        "sysctl" if argv[1..].iter().any(|a| a.contains('=') || a == "-w") => {
            Err("`sysctl` may only read".into())
        }
        "ip" if !matches!(sub, "addr" | "link" | "route" | "-s" | "a" | "r") => {
            Err(format!("`ip {sub}` is not read-only"))
        }
        _ => {
            for a in argv {
                if a.chars().any(|c| {
                    matches!(
                        c,
                        ';' | '|'
                            | '&'
                            | '$'
                            | '`'
                            | '>'
                            | '<'
                            | '\n'
                            | '\\'
                            | '('
                            | ')'
                            | '\''
                            | '"'
                    )
                }) {
                    return Err(format!(
                        "host probe argument `{a}` contains shell metacharacters"
                    ));
                }
            }
            Ok(())
        }
    }
}

/// Functions that act even in a READ ONLY transaction, or read the server's files.
const SQL_FORBIDDEN: &[&str] = &[
    "pg_terminate_backend",
    "pg_cancel_backend",
    "pg_advisory",
    "pg_try_advisory",
    "pg_read_file",
    "pg_read_binary_file",
    "pg_ls_dir",
    "pg_stat_file",
    "lo_import",
    "lo_export",
    "lo_",
    "dblink",
    "set_config",
    "pg_reload_conf",
    "pg_rotate_logfile",
    "pg_switch_wal",
    "pg_create_restore_point",
    "pg_promote",
    "pg_sleep",
    "copy",
    "program",
    "pg_logical_emit_message",
    "nextval",
    "setval",
    "txid_current",
    "pg_current_xact_id",
    "into",
];

/// Check that a SQL probe is one read-only statement.
pub fn sql_read_only(query: &str) -> Result<(), String> {
    let q = query.trim().trim_end_matches(';').trim();
    if q.contains(';') {
        return Err("a SQL probe must be one statement".into());
    }
    let lower = q.to_ascii_lowercase();
    let first = lower.split_whitespace().next().unwrap_or("");
    if !matches!(
        first,
        "select" | "with" | "show" | "explain" | "values" | "table"
    ) {
        return Err(format!(
            "a SQL probe must start with SELECT, WITH, SHOW or EXPLAIN, not `{first}`"
        ));
    }
    if first == "explain" && lower.contains("analyze") {
        return Err("EXPLAIN ANALYZE executes the statement; use plain EXPLAIN".into());
    }
    // string literals are data, not calls: drop them before looking for function names
    let mut code = String::with_capacity(lower.len());
    let mut in_str = false;
    for c in lower.chars() {
        if c == '\'' {
            in_str = !in_str;
            code.push(' ');
        } else if !in_str {
            code.push(c);
        }
    }
    let words: Vec<&str> = code
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .filter(|w| !w.is_empty())
        .collect();
    for f in SQL_FORBIDDEN {
        let hit = if f.ends_with('_') {
            words.iter().any(|w| w.starts_with(f))
        } else if *f == "pg_advisory" || *f == "pg_try_advisory" {
            words.iter().any(|w| w.starts_with(f))
        } else {
            words.contains(f)
        };
        if hit {
            return Err(format!(
                "`{f}` is not allowed in a SQL probe (it acts even in a read-only transaction)"
            ));
        }
    }
    for w in [
        "insert", "update", "delete", "drop", "alter", "create", "truncate", "grant", "revoke",
        "vacuum", "reindex", "cluster", "lock", "refresh", "call", "do",
    ] {
        if words.contains(&w) {
            return Err(format!("`{w}` is not allowed in a SQL probe"));
        }
    }
    Ok(())
}

/// kubectl verbs a mitigation may use, with the sub-verbs where one is needed. Nothing that
/// reads or writes secrets, execs into a pod or applies arbitrary manifests.
const KUBECTL_MUTATIONS: &[(&str, &[&str])] = &[
    ("rollout", &["undo", "restart", "pause", "resume"]),
    ("scale", &[]),
    ("delete", &["pod", "pods", "po", "job", "jobs"]),
    ("cordon", &[]),
    ("uncordon", &[]),
    ("drain", &[]),
    ("set", &["resources"]),
];

/// Check a mitigation's kubectl argv (argv[0] is `kubectl`): one of the allowed mutating verbs
/// or a read verb, never on secrets, no `--raw`, no `exec`/`apply`/`edit`/`patch`.
pub fn kubectl_mitigation(argv: &[String]) -> Result<(), String> {
    if argv.first().map(String::as_str) != Some("kubectl") {
        return Err("a kubectl mitigation's argv must start with `kubectl`".into());
    }
    if kubectl_read_only(argv).is_ok() {
        return Ok(());
    }
    let (verb, rest) = verb_and_rest(argv);
    let Some(verb) = verb else {
        return Err("a kubectl mitigation needs a verb".into());
    };
    if verb == "patch" {
        return suspend_patch(argv, &rest);
    }
    let Some((_, subs)) = KUBECTL_MUTATIONS.iter().find(|(v, _)| *v == verb) else {
        return Err(format!(
            "kubectl verb `{verb}` is not allowed in a mitigation (allowed: rollout undo|restart|pause|resume, scale, delete pod|job, cordon, uncordon, drain, set resources)"
        ));
    };
    if !subs.is_empty() {
        let sub = rest.first().map(|s| s.split('/').next().unwrap_or(s));
        if !sub.is_some_and(|s| subs.contains(&s)) {
            return Err(format!(
                "`kubectl {verb} {}` is not allowed in a mitigation (allowed: {})",
                rest.first().unwrap_or(&""),
                subs.join(", ")
            ));
        }
    }
    if argv.iter().any(|a| {
        a.to_ascii_lowercase()
            .split(['/', ',', '.', '=', ':'])
            .any(|w| w == "secret" || w == "secrets")
    }) {
        return Err("kubectl mitigations never touch secrets".into());
    }
    if argv.iter().any(|a| {
        a == "--raw"
            || a.starts_with("--raw=")
            || a == "--all"
            || a == "-A"
            || a == "--all-namespaces"
    }) {
        return Err(
            "a kubectl mitigation names its objects: no --raw, --all or --all-namespaces".into(),
        );
    }
    Ok(())
}

/// The one patch a mitigation may apply: suspend or resume a CronJob.
fn suspend_patch(argv: &[String], rest: &[&str]) -> Result<(), String> {
    let cronjob = match rest {
        [one] => one
            .split_once('/')
            .is_some_and(|(k, n)| matches!(k, "cronjob" | "cronjobs" | "cj") && !n.is_empty()),
        [kind, name] => matches!(*kind, "cronjob" | "cronjobs" | "cj") && !name.is_empty(),
        _ => false,
    };
    let patch = argv
        .iter()
        .position(|a| a == "-p" || a == "--patch")
        .and_then(|i| argv.get(i + 1))
        .map(|p| p.split_whitespace().collect::<String>());
    let suspend = matches!(
        patch.as_deref(),
        Some(r#"{"spec":{"suspend":true}}"# | r#"{"spec":{"suspend":false}}"#)
    );
    if cronjob && suspend && !argv.iter().any(|a| a.starts_with("--type")) {
        Ok(())
    } else {
        Err("the only patch a mitigation may apply suspends or resumes a CronJob: patch cronjob/NAME -p '{\"spec\":{\"suspend\":true}}'".into())
    }
}

/// Signals a host mitigation may send.
const SIGNALS: &[&str] = &["-TERM", "-HUP", "-INT", "-QUIT", "-USR1", "-USR2", "-s"];

/// Check a mitigation's host command (the words run over ssh): `kill -SIG PID…` with numeric
/// pids, `systemctl restart|reload|start|stop|reset-failed UNIT…`, either after `sudo -n`; or a
/// read-only probe command.
pub fn host_mitigation(argv: &[String]) -> Result<(), String> {
    let words: &[String] = match argv {
        [sudo, n, rest @ ..] if sudo == "sudo" && n == "-n" => rest,
        _ => argv,
    };
    if host_read_only(words).is_ok() {
        return Ok(());
    }
    let Some(cmd) = words.first() else {
        return Err("a host mitigation needs a command".into());
    };
    let plain = |a: &String| {
        !a.is_empty()
            && a.chars()
                .all(|c| c.is_ascii_alphanumeric() || "@._:-".contains(c))
    };
    match cmd.as_str() {
        "kill" => {
            let mut rest = &words[1..];
            match rest.first().map(String::as_str) {
                Some("-s") => {
                    let sig = rest.get(1).map(String::as_str).unwrap_or("");
                    if !matches!(sig, "TERM" | "HUP" | "INT" | "QUIT" | "USR1" | "USR2") {
                        return Err(format!(
                            "`kill -s {sig}` is not an allowed signal (TERM, HUP, INT, QUIT, USR1, USR2)"
                        ));
                    }
                    rest = &rest[2..];
                }
                Some(s) if SIGNALS.contains(&s) => rest = &rest[1..],
                Some(s) => {
                    return Err(format!(
                        "`kill {s}`: a host mitigation names its signal (-TERM, -HUP, -INT, -QUIT, -USR1, -USR2; never -KILL)"
                    ));
                }
                None => return Err("`kill` needs a signal and a pid".into()),
            }
            if rest.is_empty()
                || !rest.iter().all(|p| {
                    !p.is_empty()
                        && p.len() <= 10
                        && p.bytes().all(|b| b.is_ascii_digit())
                        && p != "0"
                        && p != "1"
                })
            {
                return Err("`kill` takes numeric pids only (not 0, 1 or -1)".into());
            }
            Ok(())
        }
        "systemctl" => {
            let sub = words.get(1).map(String::as_str).unwrap_or("");
            if !matches!(
                sub,
                "restart"
                    | "reload"
                    | "try-restart"
                    | "reload-or-restart"
                    | "start"
                    | "stop"
                    | "reset-failed"
            ) {
                return Err(format!(
                    "`systemctl {sub}` is not allowed in a mitigation (allowed: restart, reload, try-restart, reload-or-restart, start, stop, reset-failed)"
                ));
            }
            if words.len() < 3 || !words[2..].iter().all(|u| plain(u) && !u.starts_with('-')) {
                return Err("`systemctl` in a mitigation names its units".into());
            }
            Ok(())
        }
        _ => Err(format!(
            "host command `{cmd}` is not allowed in a mitigation (allowed: kill -SIG PID, systemctl restart|reload|start|stop UNIT, each optionally after `sudo -n`)"
        )),
    }
}

/// How a SQL mitigation runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize, serde::Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Transaction {
    /// In a transaction of its own (BEGIN … COMMIT), with a lock_timeout.
    #[default]
    Own,
    /// Alone, outside any transaction (`CREATE INDEX CONCURRENTLY`, `VACUUM`).
    None,
}

/// Statements that cannot run inside a transaction block.
fn needs_no_transaction(lower: &str) -> bool {
    lower.contains("concurrently") || lower.starts_with("vacuum") || lower.starts_with("reindex")
}

/// Check a SQL mitigation: one statement; values only as `$n` parameters (never a `{var}`
/// template); a session-killing one excludes sentinel's own session and filters by application
/// or user and by how long the session has run, not by a pattern over the query text; a statement
/// that cannot run in a transaction is declared `transaction: none`; no DROP/TRUNCATE/DELETE
/// without WHERE.
pub fn sql_mitigation(query: &str, tx: Transaction) -> Result<(), String> {
    let q = query.trim().trim_end_matches(';').trim();
    if q.contains(';') {
        return Err("a SQL mitigation must be one statement".into());
    }
    if q.contains('{') {
        return Err("a SQL mitigation takes its values as $1, $2… parameters (`params:`), never as {var} templates in the text".into());
    }
    let lower = q.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .filter(|w| !w.is_empty())
        .collect();
    for w in [
        "drop",
        "truncate",
        "grant",
        "revoke",
        "copy",
        "program",
        "dblink",
        "lo_import",
        "lo_export",
    ] {
        if words.contains(&w) {
            return Err(format!("`{w}` is not allowed in a SQL mitigation"));
        }
    }
    if (words.first() == Some(&"delete") || words.first() == Some(&"update"))
        && !words.contains(&"where")
    {
        return Err("a DELETE or UPDATE in a mitigation needs a WHERE".into());
    }
    if words.contains(&"pg_terminate_backend") || words.contains(&"pg_cancel_backend") {
        if !lower.replace(' ', "").contains("pid<>pg_backend_pid()") {
            return Err("a session-killing mitigation must exclude sentinel's own session: `pid <> pg_backend_pid()`".into());
        }
        if !(words.contains(&"application_name") || words.contains(&"usename")) {
            return Err(
                "a session-killing mitigation filters by application_name or usename".into(),
            );
        }
        if !(words.contains(&"query_start")
            || words.contains(&"xact_start")
            || words.contains(&"state_change")
            || words.contains(&"backend_start"))
        {
            return Err("a session-killing mitigation filters by how long the session has run (query_start, xact_start or state_change)".into());
        }
        if words.contains(&"like") || words.contains(&"ilike") || words.contains(&"similar") {
            return Err("a session-killing mitigation does not pick sessions by a pattern (LIKE) over their text: filter by application and duration".into());
        }
    }
    if needs_no_transaction(&lower) && tx != Transaction::None {
        return Err(
            "this statement cannot run inside a transaction: declare `transaction: none`".into(),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn kubectl_allowlist() {
        assert!(kubectl_read_only(&v("kubectl -n prod get pods -o json")).is_ok());
        assert!(kubectl_read_only(&v("kubectl rollout history deployment/api")).is_ok());
        assert!(kubectl_read_only(&v("kubectl -n prod delete pod x")).is_err());
        assert!(kubectl_read_only(&v("kubectl rollout undo deployment/api")).is_err());
        assert!(kubectl_read_only(&v("kubectl get secrets -o json")).is_err());
        assert!(kubectl_read_only(&v("kubectl get --raw /api/v1/namespaces/x/secrets")).is_err());
        assert!(kubectl_read_only(&v("kubectl get pods,secrets -n x")).is_err());
        assert!(kubectl_read_only(&v("kubectl -n x get pods -l app=secret-rotator")).is_ok());
        assert!(kubectl_read_only(&v("kubectl exec -it x -- sh")).is_err());
    }

    #[test]
    fn mitigation_allowlists() {
        assert!(kubectl_mitigation(&v("kubectl -n prod rollout undo deployment/api")).is_ok());
        assert!(
            kubectl_mitigation(&v("kubectl -n prod scale deployment/api --replicas=3")).is_ok()
        );
        assert!(kubectl_mitigation(&v("kubectl -n prod delete pod api-1")).is_ok());
        assert!(kubectl_mitigation(&v("kubectl -n prod delete deployment api")).is_err());
        assert!(kubectl_mitigation(&v("kubectl -n prod delete pods --all")).is_err());
        assert!(kubectl_mitigation(&v("kubectl -n prod exec -it api -- sh")).is_err());
        assert!(kubectl_mitigation(&v("kubectl apply -f x.yaml")).is_err());
        assert!(kubectl_mitigation(&v("kubectl -n prod delete secret db")).is_err());
        let mut suspend = v("kubectl -n prod patch cronjob/purge -p");
        suspend.push(r#"{"spec":{"suspend":true}}"#.into());
        assert!(kubectl_mitigation(&suspend).is_ok());
        let mut other = v("kubectl -n prod patch deployment/api -p");
        other.push(r#"{"spec":{"replicas":0}}"#.into());
        assert!(kubectl_mitigation(&other).is_err());
        assert!(host_mitigation(&v("kill -TERM 18472")).is_ok());
        assert!(host_mitigation(&v("sudo -n systemctl restart api.service")).is_ok());
        assert!(host_mitigation(&v("kill -KILL 18472")).is_err());
        assert!(host_mitigation(&v("kill -TERM 1")).is_err());
        assert!(host_mitigation(&v("kill -TERM -1")).is_err());
        assert!(host_mitigation(&v("rm -rf /var/lib/app")).is_err());
        assert!(host_mitigation(&v("systemctl restart")).is_err());
        let kill = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND application_name = $1 AND now() - xact_start > $2::interval";
        assert!(sql_mitigation(kill, Transaction::Own).is_ok());
        assert!(
            sql_mitigation(
                &kill.replace("pid <> pg_backend_pid() AND ", ""),
                Transaction::Own
            )
            .is_err()
        );
        assert!(
            sql_mitigation(
                &kill.replace("application_name = $1", "query LIKE '%x%'"),
                Transaction::Own
            )
            .is_err()
        );
        assert!(sql_mitigation(&kill.replace("$1", "'{service}'"), Transaction::Own).is_err());
        assert!(sql_mitigation("CREATE INDEX CONCURRENTLY i ON t (a)", Transaction::Own).is_err());
        assert!(sql_mitigation("CREATE INDEX CONCURRENTLY i ON t (a)", Transaction::None).is_ok());
        assert!(sql_mitigation("DELETE FROM jobs", Transaction::Own).is_err());
        assert!(sql_mitigation("DROP TABLE jobs", Transaction::Own).is_err());
        assert!(sql_mitigation("SELECT 1; SELECT 2", Transaction::Own).is_err());
    }

    #[test]
    fn host_and_sql() {
        assert!(host_read_only(&v("systemctl status api.service")).is_ok());
        assert!(host_read_only(&v("systemctl restart api.service")).is_err());
        assert!(host_read_only(&v("rm -rf /")).is_err());
        assert!(sql_read_only("SELECT count(*) FROM pg_stat_activity").is_ok());
        assert!(sql_read_only("SELECT pg_terminate_backend(pid) FROM pg_stat_activity").is_err());
        assert!(sql_read_only("SELECT 1; DROP TABLE x").is_err());
        assert!(sql_read_only("DELETE FROM x").is_err());
        assert!(sql_read_only("SELECT pg_advisory_lock(1)").is_err());
        assert!(sql_read_only("EXPLAIN ANALYZE SELECT 1").is_err());
        assert!(sql_read_only("SELECT column_name FROM information_schema.columns WHERE column_default LIKE 'nextval%'").is_ok());
    }
}
