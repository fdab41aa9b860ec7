//! Running an approved step, and reading a verification's number. Programs run through argv
//! (never a shell) with a timeout; each command is checked against the mitigation allowlists
//! again right before it runs. A SQL step runs as its playbook declares: in its own
//! transaction, or alone, with a lock_timeout and a statement_timeout, its values bound as text
//! parameters. Verification reads are read-only (`BEGIN READ ONLY`, the probe allowlists).

use super::{Exec, Sample, Verify};
use crate::safety::{self, Transaction};
use std::time::{Duration, Instant};

/// What a step did.
#[derive(Clone, Debug)]
pub struct Done {
    /// It succeeded.
    pub ok: bool,
    /// Its exit status (programs).
    pub exit: Option<i32>,
    /// What it printed, or what the statement returned.
    pub output: String,
    /// How long it took.
    pub took: Duration,
    /// Why it failed, in a sentence.
    pub error: Option<String>,
}

fn failed(error: String, took: Duration) -> Done {
    Done {
        ok: false,
        exit: None,
        output: String::new(),
        took,
        error: Some(error),
    }
}

/// Run one step.
pub async fn step(exec: &Exec, timeout: Duration, pg: Option<&str>) -> Done {
    let start = Instant::now();
    match exec {
        Exec::Argv(argv) => {
            let check = match argv.first().map(String::as_str) {
                Some("kubectl") => safety::kubectl_mitigation(argv),
                Some("ssh") => match crate::probe::host::remote_of(argv) {
                    (Some(_), words) => safety::host_mitigation(words),
                    (None, _) => Err("not an ssh command sentinel built".into()),
                },
                _ => Err("only kubectl and ssh run as mitigation steps".into()),
            };
            if let Err(e) = check {
                return failed(format!("refused: {e}"), start.elapsed());
            }
            match crate::probe::exec::run(argv, timeout, 256 * 1024).await {
                Err(e) => failed(format!("cannot run {}: {e}", argv[0]), start.elapsed()),
                Ok(r) if r.timed_out => failed(
                    format!("timed out after {}", crate::probe::show_duration(timeout)),
                    r.took,
                ),
                Ok(r) => {
                    let mut output = String::from_utf8_lossy(&r.stdout).trim_end().to_string();
                    let err = String::from_utf8_lossy(&r.stderr).trim_end().to_string();
                    if !err.is_empty() {
                        if !output.is_empty() {
                            output.push('\n');
                        }
                        output.push_str(&err);
                    }
                    let ok = r.code == Some(0);
                    Done {
                        ok,
                        exit: r.code,
                        error: (!ok).then(|| {
                            format!(
                                "exited with status {}{}",
                                r.code
                                    .map_or("none (killed by a signal)".into(), |c| c.to_string()),
                                err.lines()
                                    .last()
                                    .map(|l| format!(": {l}"))
                                    .unwrap_or_default()
                            )
                        }),
                        output,
                        took: r.took,
                    }
                }
            }
        }
        Exec::Sql {
            query,
            params,
            transaction,
            lock_timeout,
        } => {
            let Some(url) = pg else {
                return failed("no database to run it on".into(), start.elapsed());
            };
            if let Err(e) = safety::sql_mitigation(query, *transaction) {
                return failed(format!("refused: {e}"), start.elapsed());
            }
            let work = sql_step(url, query, params, *transaction, *lock_timeout, timeout);
            match tokio::time::timeout(timeout + Duration::from_secs(2), work).await {
                Ok(Ok(output)) => Done {
                    ok: true,
                    exit: Some(0),
                    output,
                    took: start.elapsed(),
                    error: None,
                },
                Ok(Err(e)) => failed(e, start.elapsed()),
                Err(_) => failed(
                    format!("timed out after {}", crate::probe::show_duration(timeout)),
                    start.elapsed(),
                ),
            }
        }
    }
}

fn ms(d: Duration) -> u128 {
    d.as_millis().max(1)
}

async fn sql_step(
    url: &str,
    query: &str,
    params: &[String],
    transaction: Transaction,
    lock_timeout: Duration,
    timeout: Duration,
) -> Result<String, String> {
    use tokio_postgres::types::{ToSql, Type};
    let mut client = crate::probe::sql::connect(url).await?;
    let pg = |e: tokio_postgres::Error| crate::probe::sql::pg_error(&e);
    client
        .batch_execute("SET application_name = 'sentinel-mitigate'")
        .await
        .map_err(pg)?;
    let settings = format!(
        "SET {scope}lock_timeout = {}; SET {scope}statement_timeout = {}",
        ms(lock_timeout),
        ms(timeout),
        scope = if transaction == Transaction::Own {
            "LOCAL "
        } else {
            ""
        }
    );
    let args: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
    let types = vec![Type::TEXT; params.len()];
    match transaction {
        Transaction::Own => {
            let tx = client.transaction().await.map_err(pg)?;
            let out = run_on(&tx, &settings, query, &types, &args)
                .await
                .map_err(pg)?;
            tx.commit().await.map_err(pg)?;
            Ok(out)
        }
        Transaction::None => run_on(&client, &settings, query, &types, &args)
            .await
            .map_err(pg),
    }
}

/// The settings, then the statement, on a connection or in a transaction: what it returned.
async fn run_on<C: tokio_postgres::GenericClient>(
    c: &C,
    settings: &str,
    query: &str,
    types: &[tokio_postgres::types::Type],
    args: &[&(dyn tokio_postgres::types::ToSql + Sync)],
) -> Result<String, tokio_postgres::Error> {
    c.batch_execute(settings).await?;
    let st = c.prepare_typed(query, types).await?;
    Ok(if st.columns().is_empty() {
        format!("{} row(s) affected", c.execute(&st, args).await?)
    } else {
        describe_rows(&c.query(&st, args).await?)
    })
}

/// What a statement's rows say: how many, and how many were true when the first column is a
/// boolean (`pg_terminate_backend` returns one per session).
fn describe_rows(rows: &[tokio_postgres::Row]) -> String {
    let trues = rows
        .iter()
        .filter_map(|r| r.try_get::<_, bool>(0).ok())
        .collect::<Vec<_>>();
    if !trues.is_empty() {
        let t = trues.iter().filter(|b| **b).count();
        format!("{} row(s), {t} true", rows.len())
    } else {
        format!("{} row(s)", rows.len())
    }
}

/// How many non-blank lines a program printed (those `matching` matches, when given).
pub fn line_count(text: &str, matching: Option<&regex::Regex>) -> f64 {
    // at most the bytes read: exact in an f64
    text.lines()
        .filter(|l| !l.trim().is_empty() && matching.is_none_or(|re| re.is_match(l)))
        .count() as f64
}

/// The first number in a program's output (`3`, `0.82`, `12%`).
pub fn first_number(text: &str) -> Option<f64> {
    text.split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
        .filter(|w| !w.is_empty() && *w != "-" && *w != ".")
        .find_map(|w| w.parse::<f64>().ok())
        .filter(|v| v.is_finite())
}

/// Read a verification's number once.
pub async fn sample(
    s: &Sample,
    pg: Option<&str>,
    prom: Option<&str>,
    timeout: Duration,
) -> Result<f64, String> {
    match s {
        Sample::Argv(argv) | Sample::Lines(argv, _) => {
            let check = match argv.first().map(String::as_str) {
                Some("kubectl") => safety::kubectl_read_only(argv),
                Some("ssh") => crate::probe::host::check_argv(argv),
                _ => Err("only kubectl and ssh read a verification".into()),
            };
            check.map_err(|e| format!("refused: {e}"))?;
            // lines are counted in full (a minute of a unit's journal); a number is at the start
            let cap = match s {
                Sample::Lines(..) => 16 << 20,
                _ => 64 * 1024,
            };
            let r = crate::probe::exec::run(argv, timeout, cap)
                .await
                .map_err(|e| format!("cannot run {}: {e}", argv[0]))?;
            if r.timed_out {
                return Err("timed out".into());
            }
            if r.code != Some(0) {
                return Err(format!(
                    "exited with status {}: {}",
                    r.code.unwrap_or(-1),
                    String::from_utf8_lossy(&r.stderr)
                        .lines()
                        .last()
                        .unwrap_or("")
                ));
            }
            let out = String::from_utf8_lossy(&r.stdout);
            if let Sample::Lines(_, matching) = s {
                if r.truncated {
                    return Err(format!(
                        "its output passed {} MiB: too much to count",
                        cap >> 20
                    ));
                }
                let re = match matching {
                    Some(p) => Some(
                        regex::Regex::new(p).map_err(|e| format!("matching: bad regex: {e}"))?,
                    ),
                    None => None,
                };
                return Ok(line_count(&out, re.as_ref()));
            }
            first_number(&out).ok_or_else(|| "its output has no number".into())
        }
        Sample::Sql { query, params } => {
            let url = pg.ok_or("no database")?;
            safety::sql_read_only(query).map_err(|e| format!("refused: {e}"))?;
            let work = async {
                use tokio_postgres::types::{ToSql, Type};
                let mut client = crate::probe::sql::connect(url).await?;
                let pg = |e: tokio_postgres::Error| crate::probe::sql::pg_error(&e);
                let tx = client
                    .build_transaction()
                    .read_only(true)
                    .start()
                    .await
                    .map_err(pg)?;
                tx.batch_execute(&format!(
                    "SET LOCAL statement_timeout = {}; SET LOCAL lock_timeout = {}",
                    ms(timeout),
                    ms(timeout / 4)
                ))
                .await
                .map_err(pg)?;
                // any type of number: read the first column as text
                let q = format!(
                    "SELECT (v)::text FROM ({}) AS sentinel_verify(v) LIMIT 1",
                    query.trim().trim_end_matches(';')
                );
                let types = vec![Type::TEXT; params.len()];
                let st = tx.prepare_typed(&q, &types).await.map_err(pg)?;
                let args: Vec<&(dyn ToSql + Sync)> =
                    params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
                let row = tx.query_opt(&st, &args).await.map_err(pg)?;
                let _ = tx.rollback().await;
                let text: Option<String> = row.and_then(|r| r.get(0));
                text.as_deref()
                    .and_then(|t| t.trim().parse::<f64>().ok())
                    .ok_or_else(|| "the statement returned no number".to_string())
            };
            tokio::time::timeout(timeout, work)
                .await
                .map_err(|_| "timed out".to_string())?
        }
        Sample::Prom(expr) => {
            let base = crate::probe::http::base_url(prom.ok_or("no Prometheus URL")?)?;
            let client = crate::probe::http::client(timeout)?;
            let url = crate::probe::http::api_url(&base, "query", &[("query", expr)]);
            let body = client
                .get(url)
                .send()
                .await
                .map_err(|e| e.without_url().to_string())?
                .bytes()
                .await
                .map_err(|e| e.without_url().to_string())?;
            match crate::probe::http::parse(&body)? {
                crate::probe::http::Data::Vector(s) => s
                    .first()
                    .and_then(|s| s.points.first())
                    .map(|p| p.1)
                    .filter(|v| v.is_finite())
                    .ok_or_else(|| "the query returned no series".into()),
                crate::probe::http::Data::Scalar(_, v) if v.is_finite() => Ok(v),
                _ => Err("the query returned no number".into()),
            }
        }
    }
}

/// What a verification saw.
#[derive(Clone, Debug)]
pub struct Watched {
    /// The value before the action.
    pub before: Option<f64>,
    /// The last value read.
    pub after: Option<f64>,
    /// The signal recovered.
    pub recovered: bool,
    /// How many reads.
    pub samples: usize,
    /// The last read that failed, if every read failed.
    pub error: Option<String>,
    /// How long it watched.
    pub took: Duration,
}

/// How often a verification reads within `window`.
pub fn interval(window: Duration) -> Duration {
    (window / 10).clamp(Duration::from_millis(500), Duration::from_secs(15))
}

/// Watch a signal after an action for up to `window`: recovered once the rule holds on two
/// reads in a row (or on the last read of the window); the window ends early then.
pub async fn watch(
    v: &Verify,
    before: Option<f64>,
    window: Duration,
    pg: Option<&str>,
    prom: Option<&str>,
    on_read: &(dyn Fn(f64) + Sync),
) -> Watched {
    let start = Instant::now();
    let mut w = Watched {
        before,
        after: None,
        recovered: false,
        samples: 0,
        error: None,
        took: Duration::ZERO,
    };
    let Some(s) = &v.sample else {
        w.error = v.blocked.clone().or(Some("nothing to read".into()));
        return w;
    };
    let every = interval(window);
    let mut held = 0;
    let mut last_ok;
    loop {
        let read = sample(s, pg, prom, every.max(Duration::from_secs(5))).await;
        w.samples += 1;
        match read {
            Ok(x) => {
                on_read(x);
                w.after = Some(x);
                w.error = None;
                last_ok = v.rule.holds(before, x);
                held = if last_ok { held + 1 } else { 0 };
                if held >= 2 {
                    w.recovered = true;
                    break;
                }
            }
            Err(e) => {
                if w.after.is_none() {
                    w.error = Some(e);
                }
                last_ok = false;
                held = 0;
            }
        }
        if start.elapsed() + every > window {
            w.recovered = last_ok;
            break;
        }
        tokio::time::sleep(every).await;
    }
    w.took = start.elapsed();
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_output() {
        assert_eq!(first_number("3\n"), Some(3.0));
        assert_eq!(first_number("load average: 0.82, 0.5"), Some(0.82));
        assert_eq!(first_number("ready 2/3"), Some(2.0));
        assert_eq!(first_number("none"), None);
        assert_eq!(first_number("- . -"), None);
        assert_eq!(line_count("", None), 0.0);
        assert_eq!(line_count("a\n\n  \nb\n", None), 2.0);
        let re = regex::Regex::new("(?i)worker timeout|harakiri").unwrap();
        let journal = "Dec 07 14:02:11 web-01 gunicorn[81]: [CRITICAL] WORKER TIMEOUT (pid:90)\n\
                       Dec 07 14:02:12 web-01 gunicorn[81]: [INFO] Booting worker with pid: 91\n\
                       Dec 07 14:02:13 web-01 uwsgi[7]: *** HARAKIRI ON WORKER 3 (pid: 12) ***\n";
        assert_eq!(line_count(journal, Some(&re)), 2.0);
    }

    #[test]
    fn the_interval_fits_the_window() {
        assert_eq!(interval(Duration::from_secs(300)), Duration::from_secs(15));
        assert_eq!(interval(Duration::from_secs(2)), Duration::from_millis(500));
    }
}
