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

/// Check a kubectl argv (including `kubectl` itself as argv[0]).
pub fn kubectl_read_only(argv: &[String]) -> Result<(), String> {
    if argv.first().map(String::as_str) != Some("kubectl") {
        return Err("a kubectl probe's argv must start with `kubectl`".into());
    }
    // the verb is the first word that is not a flag or a flag's value
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
            ) {
                i += 1;
            }
            i += 1;
            continue;
        }
        if verb.is_none() {
            verb = Some(a);
        } else {
            rest.push(a);
        }
        i += 1;
    }
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
