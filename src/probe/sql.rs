//! SQL probes: one connection shared by every SQL probe of a run, each statement in its own
//! `BEGIN READ ONLY` transaction with `statement_timeout` and `lock_timeout` (a probe must not
//! queue behind the lock it is diagnosing), checked by [`crate::safety::sql_read_only`] first,
//! and rolled back. The built-in Postgres checks turn their rows into findings with numbers.

use tokio_postgres::{Client, SimpleQueryMessage};

/// A statement's rows, every value as text (NULL as `null`).
pub struct Rows {
    /// Column names.
    pub columns: Vec<String>,
    /// Values.
    pub rows: Vec<Vec<String>>,
}

/// A built-in check: id, why, the statement, and how its rows read.
pub struct Check {
    /// Checklist id (`pg/…`).
    pub id: &'static str,
    /// Why it runs.
    pub why: &'static str,
    /// One read-only statement.
    pub query: &'static str,
    /// Rows → findings.
    pub read: fn(&Rows) -> Vec<String>,
}

/// Connect for the probes (TLS and timeouts as the store's connections).
pub async fn connect(url: &str) -> Result<Client, String> {
    let dsn = crate::store::dsn::Dsn::parse(url).map_err(|e| e.to_string())?;
    crate::store::pg::connect(&dsn)
        .await
        .map_err(|e| e.to_string())
}

/// Run one statement read-only with the timeouts, then roll back.
pub async fn query(client: &Client, q: &str, timeout_ms: u64) -> Result<Rows, String> {
    crate::safety::sql_read_only(q).map_err(|e| format!("refused: {e}"))?;
    client
        .batch_execute(&format!(
            "BEGIN READ ONLY; SET LOCAL statement_timeout = {timeout_ms}; SET LOCAL lock_timeout = {}",
            (timeout_ms / 4).max(100)
        ))
        .await
        .map_err(|e| pg_error(&e))?;
    let got = client.simple_query(q).await;
    let _ = client.batch_execute("ROLLBACK").await;
    let msgs = got.map_err(|e| pg_error(&e))?;
    let mut out = Rows {
        columns: Vec::new(),
        rows: Vec::new(),
    };
    for m in msgs {
        if let SimpleQueryMessage::Row(r) = m {
            if out.columns.is_empty() {
                out.columns = r.columns().iter().map(|c| c.name().to_string()).collect();
            }
            out.rows.push(
                (0..r.len())
                    .map(|i| r.get(i).unwrap_or("null").to_string())
                    .collect(),
            );
        }
    }
    Ok(out)
}

/// The server's message of an error (`FATAL: sorry, too many clients already`).
pub fn pg_error(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{}: {}", db.severity(), db.message()),
        None => {
            let mut s = e.to_string();
            let mut src = std::error::Error::source(e);
            while let Some(x) = src {
                s = format!("{s}: {x}");
                src = x.source();
            }
            s
        }
    }
}

/// Rows as `col=value` lines (a playbook's own query).
pub fn generic(rows: &Rows) -> Vec<String> {
    let mut out = vec![format!("{} row(s)", rows.rows.len())];
    for r in rows.rows.iter().take(20) {
        out.push(
            rows.columns
                .iter()
                .zip(r)
                .map(|(c, v)| format!("{c}={v}"))
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    out
}

fn cell<'a>(rows: &'a Rows, r: usize, col: &str) -> &'a str {
    rows.columns
        .iter()
        .position(|c| c == col)
        .and_then(|i| rows.rows.get(r).and_then(|row| row.get(i)))
        .map_or("", String::as_str)
}

fn num(rows: &Rows, r: usize, col: &str) -> Option<f64> {
    cell(rows, r, col).parse().ok()
}

/// The built-in Postgres checks.
pub const CHECKS: &[Check] = &[
    Check {
        id: "pg/connection-usage",
        why: "connections in use against max_connections (less the superuser-reserved slots)",
        query: "SELECT count(*) AS used, current_setting('max_connections')::int AS max_connections, current_setting('superuser_reserved_connections')::int AS reserved FROM pg_stat_activity WHERE backend_type = 'client backend'",
        read: read_usage,
    },
    Check {
        id: "pg/connections-by-client",
        why: "which application, user and state hold the connections",
        query: "SELECT coalesce(nullif(application_name, ''), '(none)') AS application, coalesce(usename, '-') AS usename, coalesce(state, '-') AS state, count(*) AS conns FROM pg_stat_activity WHERE backend_type = 'client backend' GROUP BY 1, 2, 3 ORDER BY 4 DESC, 1 LIMIT 8",
        read: read_by_client,
    },
    Check {
        id: "pg/long-transactions",
        why: "sessions with a transaction or query open for more than a minute (idle in transaction holds locks)",
        query: "SELECT pid, coalesce(nullif(application_name, ''), '(none)') AS application, coalesce(state, '-') AS state, extract(epoch FROM now() - coalesce(xact_start, query_start))::bigint AS secs, left(regexp_replace(query, '\\s+', ' ', 'g'), 120) AS query FROM pg_stat_activity WHERE backend_type = 'client backend' AND datname = current_database() AND pid <> pg_backend_pid() AND coalesce(xact_start, query_start) < now() - interval '1 minute' AND state <> 'idle' ORDER BY 4 DESC LIMIT 5",
        read: read_long,
    },
    Check {
        id: "pg/lock-chains",
        why: "sessions waiting on a lock, and the session that blocks each",
        query: "SELECT w.pid AS waiting_pid, coalesce(nullif(w.application_name, ''), '(none)') AS waiting_app, extract(epoch FROM now() - w.query_start)::bigint AS waiting_secs, left(regexp_replace(w.query, '\\s+', ' ', 'g'), 100) AS waiting_query, b.pid AS blocking_pid, coalesce(nullif(b.application_name, ''), '(none)') AS blocking_app, coalesce(b.state, '-') AS blocking_state, extract(epoch FROM now() - coalesce(b.xact_start, b.query_start))::bigint AS blocking_secs, left(regexp_replace(b.query, '\\s+', ' ', 'g'), 100) AS blocking_query FROM pg_stat_activity w CROSS JOIN LATERAL unnest(pg_blocking_pids(w.pid)) AS bp(pid) JOIN pg_stat_activity b ON b.pid = bp.pid WHERE w.datname = current_database() ORDER BY 3 DESC LIMIT 10",
        read: read_locks,
    },
    Check {
        id: "pg/seq-scans",
        why: "tables read by sequential scans the most (a missing index shows here)",
        query: "SELECT schemaname || '.' || relname AS tbl, seq_scan, seq_tup_read, coalesce(idx_scan, 0) AS idx_scan, n_live_tup FROM pg_stat_user_tables WHERE seq_scan > 0 AND n_live_tup >= 1000 ORDER BY seq_tup_read DESC LIMIT 5",
        read: read_scans,
    },
    Check {
        id: "pg/table-bloat",
        why: "dead rows not yet vacuumed (table bloat: scans read them, a long transaction keeps vacuum from removing them)",
        query: "SELECT schemaname || '.' || relname AS tbl, n_live_tup, n_dead_tup, round(100.0 * n_dead_tup / greatest(n_live_tup + n_dead_tup, 1), 1) AS dead_pct, pg_total_relation_size(relid) AS bytes, coalesce(extract(epoch FROM now() - greatest(last_vacuum, last_autovacuum)), -1)::bigint AS vacuumed_secs_ago FROM pg_stat_user_tables WHERE n_dead_tup >= 1000 ORDER BY n_dead_tup DESC LIMIT 5",
        read: read_table_bloat,
    },
    Check {
        id: "pg/index-bloat",
        why: "B-tree indexes much larger than their rows need (index bloat), estimated from the planner's statistics",
        query: "SELECT n.nspname || '.' || ci.relname AS idx, t.relname AS tbl, pg_relation_size(i.indexrelid) AS bytes, greatest(ci.reltuples, 0)::bigint AS tuples, (ceil(greatest(ci.reltuples, 0) * (16 + coalesce(sum(s.avg_width), 8 * count(*))) / (current_setting('block_size')::numeric * 0.9)) + 1)::bigint * current_setting('block_size')::bigint AS expected_bytes FROM pg_index i JOIN pg_class ci ON ci.oid = i.indexrelid JOIN pg_am am ON am.oid = ci.relam AND am.amname = 'btree' JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY (i.indkey) LEFT JOIN pg_stats s ON s.schemaname = n.nspname AND s.tablename = t.relname AND s.attname = a.attname WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND pg_relation_size(i.indexrelid) >= 1048576 GROUP BY n.nspname, ci.relname, t.relname, i.indexrelid, ci.reltuples ORDER BY pg_relation_size(i.indexrelid) DESC LIMIT 20",
        read: read_index_bloat,
    },
    Check {
        id: "pg/xid-age",
        why: "transaction-ID age toward wraparound (writes stop at 2^31)",
        query: "SELECT datname, age(datfrozenxid) AS xid_age FROM pg_database ORDER BY 2 DESC LIMIT 1",
        read: read_xid,
    },
    Check {
        id: "pg/replication-lag",
        why: "how far the replicas are behind",
        query: "SELECT coalesce(nullif(application_name, ''), client_addr::text, '-') AS replica, state, coalesce(extract(epoch FROM replay_lag), 0)::bigint AS replay_lag_secs FROM pg_stat_replication ORDER BY 3 DESC LIMIT 5",
        read: read_replication,
    },
    Check {
        id: "pg/database-size",
        why: "the database's size on disk",
        query: "SELECT current_database() AS db, pg_database_size(current_database()) AS bytes",
        read: read_size,
    },
    Check {
        id: "pg/role",
        why: "whether sentinel connected as a superuser (a role with pg_monitor is enough)",
        query: "SELECT current_user AS role, rolsuper FROM pg_roles WHERE rolname = current_user",
        read: read_role,
    },
];

fn read_usage(rows: &Rows) -> Vec<String> {
    let (Some(used), Some(max), Some(reserved)) = (
        num(rows, 0, "used"),
        num(rows, 0, "max_connections"),
        num(rows, 0, "reserved"),
    ) else {
        return Vec::new();
    };
    let open = (max - reserved).max(1.0);
    let pct = (used / open * 100.0).round();
    vec![format!(
        "active_connections: {used} / {open} client slots in use ({pct}%; max_connections {max}, {reserved} reserved for superusers)"
    )]
}

fn read_by_client(rows: &Rows) -> Vec<String> {
    (0..rows.rows.len())
        .map(|r| {
            format!(
                "{} connections from {} (user {}) in state {}",
                cell(rows, r, "conns"),
                cell(rows, r, "application"),
                cell(rows, r, "usename"),
                cell(rows, r, "state")
            )
        })
        .collect()
}

fn mins(secs: f64) -> String {
    if secs >= 120.0 {
        format!("{:.0} min", secs / 60.0)
    } else {
        format!("{secs:.0} s")
    }
}

fn read_long(rows: &Rows) -> Vec<String> {
    (0..rows.rows.len())
        .map(|r| {
            format!(
                "session pid {} ({}) {} for {}: {}",
                cell(rows, r, "pid"),
                cell(rows, r, "application"),
                cell(rows, r, "state"),
                mins(num(rows, r, "secs").unwrap_or(0.0)),
                cell(rows, r, "query")
            )
        })
        .collect()
}

fn read_locks(rows: &Rows) -> Vec<String> {
    let mut out = Vec::new();
    if !rows.rows.is_empty() {
        out.push(format!("{} session(s) waiting for a lock", rows.rows.len()));
    }
    for r in 0..rows.rows.len() {
        out.push(format!(
            "pid {} ({}) waiting for a lock for {} on: {} -- blocked by pid {} ({}, {} for {}): {}",
            cell(rows, r, "waiting_pid"),
            cell(rows, r, "waiting_app"),
            mins(num(rows, r, "waiting_secs").unwrap_or(0.0)),
            cell(rows, r, "waiting_query"),
            cell(rows, r, "blocking_pid"),
            cell(rows, r, "blocking_app"),
            cell(rows, r, "blocking_state"),
            mins(num(rows, r, "blocking_secs").unwrap_or(0.0)),
            cell(rows, r, "blocking_query"),
        ));
    }
    out
}

fn read_scans(rows: &Rows) -> Vec<String> {
    (0..rows.rows.len())
        .filter(|&r| {
            // sequential reads that dwarf the index reads
            let seq = num(rows, r, "seq_scan").unwrap_or(0.0);
            let idx = num(rows, r, "idx_scan").unwrap_or(0.0);
            seq >= 10.0 && seq > idx
        })
        .map(|r| {
            format!(
                "table {}: {} sequential scans (Seq Scan) read {} rows, {} index scans, {} live rows",
                cell(rows, r, "tbl"),
                cell(rows, r, "seq_scan"),
                cell(rows, r, "seq_tup_read"),
                cell(rows, r, "idx_scan"),
                cell(rows, r, "n_live_tup")
            )
        })
        .collect()
}

fn size(bytes: f64) -> String {
    if bytes >= 1_073_741_824.0 {
        format!("{:.1} GB", bytes / 1_073_741_824.0)
    } else {
        format!("{:.1} MB", bytes / 1_048_576.0)
    }
}

fn read_table_bloat(rows: &Rows) -> Vec<String> {
    (0..rows.rows.len())
        .filter(|&r| num(rows, r, "dead_pct").unwrap_or(0.0) >= 20.0)
        .map(|r| {
            let ago = num(rows, r, "vacuumed_secs_ago").unwrap_or(-1.0);
            format!(
                "table {}: {} dead tuples, {}% of its rows (table bloat), {} with its indexes; {}",
                cell(rows, r, "tbl"),
                cell(rows, r, "n_dead_tup"),
                cell(rows, r, "dead_pct"),
                size(num(rows, r, "bytes").unwrap_or(0.0)),
                if ago < 0.0 {
                    "never vacuumed".to_string()
                } else {
                    format!("last vacuumed {} ago", mins(ago))
                }
            )
        })
        .collect()
}

fn read_index_bloat(rows: &Rows) -> Vec<String> {
    (0..rows.rows.len())
        .filter_map(|r| {
            let bytes = num(rows, r, "bytes")?;
            let expected = num(rows, r, "expected_bytes")?.max(8192.0);
            // at least 3x and 8 MB more than the rows need: bloat, not fill-factor slack
            (bytes >= 3.0 * expected && bytes - expected >= 8.0 * 1_048_576.0).then(|| {
                format!(
                    "index {} on {}: {} for {} rows, about {:.0}x the {} they need (index bloat; REINDEX CONCURRENTLY rebuilds it)",
                    cell(rows, r, "idx"),
                    cell(rows, r, "tbl"),
                    size(bytes),
                    cell(rows, r, "tuples"),
                    bytes / expected,
                    size(expected)
                )
            })
        })
        .collect()
}

fn read_xid(rows: &Rows) -> Vec<String> {
    let Some(age) = num(rows, 0, "xid_age") else {
        return Vec::new();
    };
    let pct = age / 2_147_483_647.0 * 100.0;
    vec![format!(
        "database {}: transaction ID age {age:.0} ({pct:.1}% of the way to wraparound)",
        cell(rows, 0, "datname")
    )]
}

fn read_replication(rows: &Rows) -> Vec<String> {
    (0..rows.rows.len())
        .map(|r| {
            format!(
                "replica {} ({}): replay lag {} s",
                cell(rows, r, "replica"),
                cell(rows, r, "state"),
                cell(rows, r, "replay_lag_secs")
            )
        })
        .collect()
}

fn read_size(rows: &Rows) -> Vec<String> {
    let Some(b) = num(rows, 0, "bytes") else {
        return Vec::new();
    };
    vec![format!(
        "database {} size {:.1} MB",
        cell(rows, 0, "db"),
        b / 1_048_576.0
    )]
}

fn read_role(rows: &Rows) -> Vec<String> {
    match cell(rows, 0, "rolsuper") {
        "t" => vec![format!(
            "connected as superuser {}: a role with pg_monitor is enough for these probes",
            cell(rows, 0, "role")
        )],
        _ => vec![format!("connected as {}", cell(rows, 0, "role"))],
    }
}
