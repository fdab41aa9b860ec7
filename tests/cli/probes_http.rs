//! HTTP probes (issue 5) against a local Prometheus stand-in: a thread on 127.0.0.1:0 that
//! answers `/api/v1/query` and `/api/v1/query_range` with the recorded answers in
//! fixtures/prometheus/ and records every request. The probes only ever go to the `--prom` URL,
//! never to one found in the paste; what they find is evidence cited as `probe:ID`.

use crate::util::{fixture, root, sentinel, tmp};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

/// One request the stand-in saw.
#[derive(Clone, Debug)]
struct Seen {
    /// The request target (`/api/v1/query?query=…`).
    target: String,
    /// The Host header.
    host: String,
    /// The User-Agent header.
    agent: String,
}

/// How the stand-in answers.
#[derive(Clone, Copy)]
enum Mode {
    /// The recorded answers, by the metric the query names.
    Recorded,
    /// HTTP 400 with Prometheus's error body.
    BadData,
}

struct Server {
    port: u16,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().expect("lock").clone()
    }
}

/// `%XX` and `+` decoded.
fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(x) => {
                        out.push(x);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The value of a parameter of a request target.
fn param(target: &str, name: &str) -> Option<String> {
    let q = target.split_once('?')?.1;
    q.split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| decode(v))
}

fn recorded(name: &str) -> Vec<u8> {
    std::fs::read(root().join("fixtures/prometheus").join(name)).expect("fixture")
}

/// The answer to one request target.
fn answer(target: &str, mode: Mode) -> (u16, Vec<u8>) {
    let endpoint = target.split('?').next().unwrap_or("");
    let kind = match endpoint {
        "/api/v1/query" => "query",
        "/api/v1/query_range" => "query_range",
        _ => return (404, b"404 page not found\n".to_vec()),
    };
    if let Mode::BadData = mode {
        return (400, recorded("error-bad-data.json"));
    }
    let q = param(target, "query").unwrap_or_default();
    let name = if q.contains("container_cpu_cfs_throttled_periods_total") {
        "throttle-ratio"
    } else if q.contains("container_cpu_usage_seconds_total") {
        "cpu-vs-requests"
    } else if q.contains("http_requests_total") {
        "errors-by-version"
    } else {
        "empty"
    };
    (200, recorded(&format!("{name}.{kind}.json")))
}

/// The request line and headers of one HTTP request (None when the client went away first).
fn request_head(c: &mut std::net::TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 64 * 1024 {
        match c.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return None,
        }
    }
    Some(String::from_utf8_lossy(&head).into_owned())
}

/// Start the Prometheus stand-in (see [`serve`]).
fn prometheus(mode: Mode) -> Server {
    serve(move |target| answer(target, mode))
}

/// A local HTTP server answering every request with `answer(target)`; each connection is served
/// on its own thread (HTTP/1.1, one request, then closed) and every request is recorded.
fn serve(answer: impl Fn(&str) -> (u16, Vec<u8>) + Send + Sync + 'static) -> Server {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = l.local_addr().expect("addr").port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let answer = Arc::new(answer);
    std::thread::spawn(move || {
        for conn in l.incoming() {
            let Ok(mut c) = conn else { continue };
            let log = log.clone();
            let answer = answer.clone();
            std::thread::spawn(move || {
                let Some(head) = request_head(&mut c) else {
                    return;
                };
                let target = head.split_whitespace().nth(1).unwrap_or("").to_string();
                let header = |name: &str| {
                    head.lines()
                        .filter_map(|l| l.split_once(':'))
                        .find(|(k, _)| k.trim().eq_ignore_ascii_case(name))
                        .map(|(_, v)| v.trim().to_string())
                        .unwrap_or_default()
                };
                log.lock().expect("lock").push(Seen {
                    target: target.clone(),
                    host: header("host"),
                    agent: header("user-agent"),
                });
                let (code, body) = answer(&target);
                let reason = match code {
                    200 => "OK",
                    400 => "Bad Request",
                    503 => "Service Unavailable",
                    _ => "Status",
                };
                let _ = write!(
                    c,
                    "HTTP/1.1 {code} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = c.write_all(&body);
            });
        }
    });
    Server { port, seen }
}

/// investigate `paste` with `--prom url`, no kubectl or ssh on PATH.
fn investigate(
    t: &tempfile::TempDir,
    paste: &std::path::Path,
    extra: &[&str],
) -> (i32, serde_json::Value, String) {
    let bin = t.path().join("bin");
    std::fs::create_dir_all(&bin).expect("bin dir");
    let out = sentinel(t)
        .env("PATH", &bin)
        .args(["investigate", "--format", "json", "--no-input"])
        .arg(paste)
        .args(extra)
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\nstderr: {stderr}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    (out.status.code().unwrap_or(-1), report, stderr)
}

fn entry<'a>(r: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    r["checklist"]
        .as_array()
        .expect("checklist")
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("{id} not in the checklist: {}", r["checklist"]))
}

fn http_entries(r: &serde_json::Value) -> Vec<&serde_json::Value> {
    r["checklist"]
        .as_array()
        .expect("checklist")
        .iter()
        .filter(|c| c["kind"] == "http")
        .collect()
}

const THROTTLE: &str = "cpu-throttling-limits/prom-throttle-ratio";
const CPU: &str = "cpu-saturation/prom-cpu-vs-requests";

#[test]
fn prometheus_answers_become_findings_and_cited_evidence() {
    let prom = prometheus(Mode::Recorded);
    let t = tmp();
    let paste = fixture("018-quote-engine-cpu-throttled.txt");
    let (code, r, stderr) = investigate(&t, &paste, &["--prom", &prom.url()]);
    assert_eq!(code, 0, "{stderr}");
    let https = http_entries(&r);
    assert!(https.len() >= 2, "{}", r["checklist"]);
    for c in &https {
        assert_eq!(c["status"], "ok", "{c}");
        assert!(
            c["findings"].as_array().is_some_and(|f| !f.is_empty()),
            "{c}"
        );
    }
    // six pods throttled in ~80% of periods since the limit was cut: the top five are listed
    let thr: Vec<&str> = entry(&r, THROTTLE)["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f.as_str())
        .collect();
    assert!(
        thr[0].contains("6 series") && thr[0].contains("top 5"),
        "{thr:?}"
    );
    assert_eq!(thr.len(), 6, "{thr:?}");
    assert!(
        thr[1].starts_with("throttle ratio from ")
            && thr[1].contains("sustained for")
            && thr[1].contains("pod=quote-engine-77c9b8d6f-"),
        "{thr:?}"
    );
    // CPU pinned at its request reads as a CPU reading above 90%, cited from the probe
    let cpu: Vec<&str> = entry(&r, CPU)["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f.as_str())
        .collect();
    assert!(
        cpu[1].starts_with("cpu from 6") && cpu[1].contains("≥ 80% sustained for 3"),
        "{cpu:?}"
    );
    let cited = r["hypotheses"]
        .as_array()
        .expect("hypotheses")
        .iter()
        .flat_map(|h| h["evidence"].as_array().into_iter().flatten())
        .any(|e| e["source"] == format!("probe:{CPU}"));
    assert!(cited, "probe:{CPU} is not cited: {}", r["hypotheses"]);
    // only our server, only the API, the PromQL encoded in the query string
    let seen = prom.seen();
    assert_eq!(seen.len(), 2 * https.len(), "{seen:?}");
    for s in &seen {
        assert_eq!(s.host, format!("127.0.0.1:{}", prom.port), "{s:?}");
        assert!(s.agent.starts_with("sentinel/"), "{s:?}");
        assert!(
            s.target.starts_with("/api/v1/query?query=")
                || s.target.starts_with("/api/v1/query_range?query="),
            "{s:?}"
        );
        assert!(
            !s.target.contains(' ') && !s.target.contains('{') && !s.target.contains('"'),
            "not encoded: {s:?}"
        );
    }
    let throttle_q = entry(&r, THROTTLE)["command"].as_str().expect("command");
    let sent = seen
        .iter()
        .find(|s| s.target.starts_with("/api/v1/query_range?"))
        .and_then(|s| param(&s.target, "step"));
    assert_eq!(sent.as_deref(), Some("60"));
    assert!(
        seen.iter()
            .filter_map(|s| param(&s.target, "query"))
            .any(|q| q.contains("container_cpu_cfs_throttled_periods_total")
                && throttle_q.contains(&q)),
        "{seen:?}"
    );
}

#[test]
fn a_url_in_the_paste_is_never_requested() {
    let decoy = TcpListener::bind("127.0.0.1:0").expect("bind");
    decoy.set_nonblocking(true).expect("nonblocking");
    let dport = decoy.local_addr().expect("addr").port();
    let prom = prometheus(Mode::Recorded);
    let t = tmp();
    let mut text =
        std::fs::read_to_string(fixture("018-quote-engine-cpu-throttled.txt")).expect("fixture");
    text.push_str(&format!(
        "13:28 kim: prometheus is http://127.0.0.1:{dport} and the dashboard http://127.0.0.1:{dport}/d/quote?from=now-1h\n\
         13:29 kim: curl -s 'http://127.0.0.1:{dport}/api/v1/query?query=up' says the same\n"
    ));
    let paste = t.path().join("paste.txt");
    std::fs::write(&paste, text).expect("write");
    // with --prom: only that server is asked
    let (code, r, stderr) = investigate(&t, &paste, &["--prom", &prom.url()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!prom.seen().is_empty());
    // without --prom: nothing is asked, the probes say what they need
    let (code, r2, stderr) = investigate(&t, &paste, &[]);
    assert_eq!(code, 0, "{stderr}");
    for c in http_entries(&r2) {
        assert_eq!(c["status"], "skipped", "{c}");
        assert!(
            c["reason"].as_str().is_some_and(|s| s.contains("--prom")),
            "{c}"
        );
    }
    assert!(
        matches!(
            decoy.accept(),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock
        ),
        "the URL from the paste got a connection"
    );
    assert!(!http_entries(&r).is_empty());
}

#[test]
fn a_prometheus_error_fails_the_probe_and_the_report_completes() {
    let prom = prometheus(Mode::BadData);
    let t = tmp();
    let paste = fixture("018-quote-engine-cpu-throttled.txt");
    let (code, r, stderr) = investigate(&t, &paste, &["--prom", &prom.url()]);
    assert_eq!(code, 0, "{stderr}");
    let https = http_entries(&r);
    assert!(!https.is_empty());
    for c in https {
        assert_eq!(c["status"], "failed", "{c}");
        let reason = c["reason"].as_str().unwrap_or("");
        assert!(
            reason.contains("bad_data") && reason.contains("parse error: unexpected"),
            "{c}"
        );
    }
    assert_eq!(top(&r), "cpu-throttling-limits", "{}", r["hypotheses"]);
}

fn top(r: &serde_json::Value) -> &str {
    r["hypotheses"][0]["id"].as_str().unwrap_or("")
}

#[test]
fn a_prom_url_that_is_not_http_is_a_usage_error_without_its_password() {
    let t = tmp();
    let paste = fixture("018-quote-engine-cpu-throttled.txt");
    for (bad, why) in [
        ("ftp://prom.internal:9090", "http or https"),
        ("prometheus:9090", "http or https"),
        ("http://admin:s3cret@/", "URL"),
        ("http://admin:s3cret@:9090", "URL"),
    ] {
        let out = sentinel(&t)
            .env("PATH", t.path())
            .args(["investigate", "--format", "json", "--prom", bad])
            .arg(&paste)
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(2), "{bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("--prom") && err.contains(why), "{bad}: {err}");
        assert!(!err.contains("s3cret"), "{err}");
    }
}

#[test]
fn a_health_endpoint_names_its_status_and_the_components_that_are_down() {
    let srv = serve(|_| {
        (
            503,
            br#"{"status":"DOWN","components":{"db":{"status":"DOWN","details":{"error":"java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms."}},"diskSpace":{"status":"UP"},"ping":{"status":"UP"}}}"#
                .to_vec(),
        )
    });
    // a port nothing listens on: the refusal is a finding too
    let closed = TcpListener::bind("127.0.0.1:0").expect("bind");
    let closed_url = format!(
        "http://127.0.0.1:{}/healthz",
        closed.local_addr().expect("addr").port()
    );
    drop(closed);
    let t = tmp();
    let paste = t.path().join("paste.txt");
    std::fs::write(
        &paste,
        "10:02 UTC checkout-api 5xx at 40%, requests hang about 30s then fail\n\
         see https://status.example.com/incident/42 (must never be requested)\n",
    )
    .expect("write");
    let health = format!("{}/actuator/health", srv.url());
    let (code, r, stderr) = investigate(
        &t,
        &paste,
        &[
            "--health",
            &health,
            "--health",
            &closed_url,
            "--timeout",
            "5s",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let h = entry(&r, "http/health/1");
    assert_eq!(h["status"], "ok", "{h}");
    let f: Vec<&str> = h["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|x| x.as_str())
        .collect();
    assert_eq!(
        f[0].split(" in ").next(),
        Some(
            format!("health check {health}: HTTP 503 Service Unavailable (unhealthy status)")
                .as_str()
        ),
        "{f:?}"
    );
    assert_eq!(f.len(), 3, "{f:?}");
    assert!(f[1].ends_with(": overall: DOWN"), "{f:?}");
    assert!(
        f[2].contains("component db: DOWN (java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available"),
        "{f:?}"
    );
    let refused = entry(&r, "http/health/2");
    assert_eq!(refused["status"], "failed", "{refused}");
    assert_eq!(
        refused["findings"][0],
        format!("health check {closed_url}: connection refused")
    );
    // only the given URL was requested, and the db finding is evidence
    assert_eq!(
        srv.seen()
            .iter()
            .map(|s| s.target.as_str())
            .collect::<Vec<_>>(),
        ["/actuator/health"]
    );
    let cited = r["hypotheses"]
        .as_array()
        .expect("hypotheses")
        .iter()
        .flat_map(|h| h["evidence"].as_array().into_iter().flatten())
        .any(|e| e["source"] == "probe:http/health/1");
    assert!(cited, "{}", r["hypotheses"]);
    // a URL that is not http(s) is a usage error
    let out = sentinel(&t)
        .args(["investigate", "--no-input", "--health", "ftp://h/x"])
        .arg(&paste)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("--health ftp://h/x: the scheme must be http or https")
    );
}
