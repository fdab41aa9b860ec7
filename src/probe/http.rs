//! Stage 3, probe, HTTP executor (I/O): GET requests to the Prometheus server given by `--prom`,
//! and only there. For each checklist entry of kind `http` with a PromQL query it asks for the
//! value now (`/api/v1/query`) and for the curve over the window (`/api/v1/query_range`), parses
//! the API's JSON into series, and writes findings the ranking reads like pasted text:
//! `cpu from 35% to 97% — peak 98% — ≥ 80% sustained for 12 min since 13:50 UTC — pod=api-1`.
//!
//! Never does: request a URL that did not come from a flag (nothing from the paste reaches a
//! URL here; the query only travels as an encoded parameter), follow a redirect to another
//! origin, read more than [`BODY_CAP`] of a body, show credentials that were in the URL, print,
//! or panic on a bad response.

use super::{Config, Outcome, status};
use reqwest::Url;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// The most of a response body read; a larger answer fails the probe.
pub const BODY_CAP: usize = 4 * 1024 * 1024;
/// Resolution of the range query, in seconds.
pub const STEP_S: i64 = 60;
/// The window when none is given: the last hour.
pub const DEFAULT_WINDOW_S: i64 = 3600;
/// Series reported per probe, by latest value.
pub const TOP: usize = 5;
/// A ratio (0..1) at or above this is high: the "≥ 80% sustained" threshold.
pub const RATIO_HIGH: f64 = 0.8;
/// Prometheus refuses range queries of more points than this per series.
const MAX_POINTS: i64 = 11_000;
/// Redirects followed, all on the same origin.
const MAX_REDIRECTS: usize = 5;
/// Body bytes of each response kept in the outcome's output.
const KEPT_BODY: usize = 64 * 1024;

/// Install rustls's ring provider as the process default, once. reqwest is built with
/// `rustls-no-provider`, so building a client without it panics, even for `http://` URLs.
pub fn install_crypto() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // an error means a provider is already installed, which is as good
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// The HTTP client of one run: the probe timeout, redirects only within the same origin,
/// `sentinel/<version>` as user agent, no referer.
pub fn client(timeout: Duration) -> Result<reqwest::Client, String> {
    install_crypto();
    reqwest::Client::builder()
        .user_agent(concat!("sentinel/", env!("CARGO_PKG_VERSION")))
        .timeout(timeout)
        .connect_timeout(timeout)
        .redirect(reqwest::redirect::Policy::custom(same_origin))
        .referer(false)
        .build()
        .map_err(|e| format!("cannot set up the HTTP client: {}", e.without_url()))
}

/// Follow a redirect only to the origin (scheme, host, port) the request started at.
fn same_origin(a: reqwest::redirect::Attempt<'_>) -> reqwest::redirect::Action {
    let Some(first) = a.previous().first() else {
        return a.stop();
    };
    if a.previous().len() > MAX_REDIRECTS || a.url().origin() != first.origin() {
        return a.stop();
    }
    a.follow()
}

/// Check a `--prom` value: an http(s) URL with a host, no query or fragment.
pub fn base_url(raw: &str) -> Result<Url, String> {
    let u = http_url(raw)?;
    if u.query().is_some() || u.fragment().is_some() {
        return Err("give the server's base URL, without a query or fragment".into());
    }
    Ok(u)
}

/// A URL as shown: any user name and password before the host masked (`http://***@prom:9090`).
/// Works on text that does not parse as a URL too.
pub fn masked(raw: &str) -> String {
    let (scheme, rest) = match raw.find("://") {
        Some(i) => raw.split_at(i + 3),
        None => ("", raw),
    };
    let auth_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..auth_end].rfind('@') {
        Some(at) => format!("{scheme}***{}", &rest[at..]),
        None => raw.to_string(),
    }
}

/// One API endpoint under the base URL (`{base}/api/v1/{endpoint}`), parameters encoded.
pub fn api_url(base: &Url, endpoint: &str, params: &[(&str, &str)]) -> Url {
    let mut u = base.clone();
    let path = format!("{}/api/v1/{endpoint}", base.path().trim_end_matches('/'));
    u.set_path(&path);
    u.set_query(None);
    u.set_fragment(None);
    {
        let mut q = u.query_pairs_mut();
        for (k, v) in params {
            q.append_pair(k, v);
        }
    }
    u
}

/// A series' label set.
pub type Labels = BTreeMap<String, String>;

/// One series: its labels and its (unix seconds, value) points, in time order.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// The label set (`__name__` included when Prometheus sends it).
    pub labels: BTreeMap<String, String>,
    /// Points; values may be NaN or infinite.
    pub points: Vec<(f64, f64)>,
}

/// The `data` of a successful Prometheus API answer.
#[derive(Clone, Debug, PartialEq)]
pub enum Data {
    /// Instant query: one point per series.
    Vector(Vec<Series>),
    /// Range query: many points per series.
    Matrix(Vec<Series>),
    /// A scalar: (time, value).
    Scalar(f64, f64),
    /// A string: (time, text).
    Text(f64, String),
}

impl Data {
    fn series(&self) -> &[Series] {
        match self {
            Data::Vector(s) | Data::Matrix(s) => s,
            Data::Scalar(..) | Data::Text(..) => &[],
        }
    }
}

/// A Prometheus number: a JSON string such as `"0.93"`, `"NaN"`, `"+Inf"`, `"-Inf"`.
fn number(v: &serde_json::Value) -> Option<f64> {
    let s = v.as_str()?;
    match s {
        "NaN" => Some(f64::NAN),
        "+Inf" | "Inf" => Some(f64::INFINITY),
        "-Inf" => Some(f64::NEG_INFINITY),
        _ => s.trim().parse::<f64>().ok(),
    }
}

/// A `[time, "value"]` pair.
fn point(v: &serde_json::Value) -> Option<(f64, f64)> {
    let a = v.as_array()?;
    Some((a.first()?.as_f64()?, number(a.get(1)?)?))
}

fn labels(v: &serde_json::Value) -> BTreeMap<String, String> {
    v.get("metric")
        .and_then(serde_json::Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                .collect()
        })
        .unwrap_or_default()
}

/// Parse a Prometheus HTTP API answer. An `{"status":"error"}` answer is `Err` with its type and
/// message; so is anything that is not the API's JSON. Unreadable points are dropped.
pub fn parse(body: &[u8]) -> Result<Data, String> {
    let v: serde_json::Value = serde_json::from_slice(body).map_err(|_| {
        format!(
            "the answer is not Prometheus API JSON: {}",
            first_line(&String::from_utf8_lossy(body))
        )
    })?;
    let st = v.get("status").and_then(serde_json::Value::as_str);
    if st == Some("error") {
        let kind = v
            .get("errorType")
            .and_then(serde_json::Value::as_str)
            .unwrap_or("error");
        let msg = v
            .get("error")
            .and_then(serde_json::Value::as_str)
            .unwrap_or("no message");
        return Err(format!("prometheus {kind} error: {msg}"));
    }
    if st != Some("success") {
        return Err("the answer is not Prometheus API JSON (no \"status\": \"success\")".into());
    }
    let data = v
        .get("data")
        .ok_or("the answer has no \"data\" field".to_string())?;
    let result = data.get("result").unwrap_or(&serde_json::Value::Null);
    let kind = data.get("resultType").and_then(serde_json::Value::as_str);
    let each = || result.as_array().map(Vec::as_slice).unwrap_or_default();
    match kind {
        Some("vector") => Ok(Data::Vector(
            each()
                .iter()
                .map(|s| Series {
                    labels: labels(s),
                    points: s.get("value").and_then(point).into_iter().collect(),
                })
                .filter(|s| !s.points.is_empty())
                .collect(),
        )),
        Some("matrix") => Ok(Data::Matrix(
            each()
                .iter()
                .map(|s| Series {
                    labels: labels(s),
                    points: s
                        .get("values")
                        .and_then(serde_json::Value::as_array)
                        .map(|ps| ps.iter().filter_map(point).collect())
                        .unwrap_or_default(),
                })
                .filter(|s| !s.points.is_empty())
                .collect(),
        )),
        Some("scalar") => point(result)
            .map(|(t, x)| Data::Scalar(t, x))
            .ok_or_else(|| "the scalar result is not [time, \"value\"]".to_string()),
        Some("string") => {
            let a = result.as_array().map(Vec::as_slice).unwrap_or_default();
            match (a.first().and_then(serde_json::Value::as_f64), a.get(1)) {
                (Some(t), Some(s)) => Ok(Data::Text(t, s.as_str().unwrap_or_default().into())),
                _ => Err("the string result is not [time, \"text\"]".into()),
            }
        }
        other => Err(format!(
            "unknown resultType {:?} in the answer",
            other.unwrap_or("")
        )),
    }
}

/// How a probe's numbers are written, so that they read as what they measure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// A ratio: 0.93 is written `93%`.
    Percent,
    /// Seconds (latency quantiles, mean pauses): `340ms`, `1.2s`.
    Seconds,
    /// A size in bytes: `1.9GiB`.
    Bytes,
    /// As is.
    Plain,
}

/// The scale of a probe's numbers from its query, the words describing it (id, why, expected)
/// and the values it returned: a ratio the words call one (`ratio`, `share`, `fraction`,
/// `percent`, `%`) that divides or stays within 0..1 is a percentage; a histogram quantile or a
/// sum/count of `_seconds` is seconds; a gauge of `_bytes` is bytes.
pub fn scale_of(query: &str, about: &str, values: &[f64]) -> Scale {
    let q = query.to_ascii_lowercase();
    let about = about.to_ascii_lowercase();
    let ratio_word = about.contains('%')
        || about
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| matches!(w, "ratio" | "share" | "fraction" | "percent" | "percentage"));
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    let unit_interval = !finite.is_empty() && finite.iter().all(|v| (0.0..=1.0).contains(v));
    if ratio_word && (q.contains('/') || unit_interval) {
        return Scale::Percent;
    }
    if q.contains("_seconds_bucket") || q.contains("_seconds_sum") {
        return Scale::Seconds;
    }
    let rated = ["rate(", "irate(", "increase(", "deriv("]
        .iter()
        .any(|f| q.contains(f));
    if q.contains("_bytes") && !rated && !q.contains('/') {
        return Scale::Bytes;
    }
    Scale::Plain
}

/// What a probe measures, from its id: `cpu-saturation/prom-cpu-vs-requests` reads `cpu`,
/// `…/prom-redis-hit-ratio` reads `redis hit ratio`. The part before `vs`/`by`/`per` is the
/// measured quantity (the rest is its denominator or grouping, which the labels show).
pub fn name_of(id: &str) -> String {
    let last = id.rsplit('/').next().unwrap_or(id);
    let last = last.strip_prefix("prom-").unwrap_or(last);
    let words: Vec<&str> = last.split(['-', '_']).filter(|w| !w.is_empty()).collect();
    let cut = words
        .iter()
        .position(|w| matches!(*w, "vs" | "by" | "per"))
        .filter(|i| *i > 0)
        .unwrap_or(words.len());
    let name = words[..cut].join(" ");
    if name.is_empty() {
        "value".into()
    } else {
        name
    }
}

/// A number with about three significant digits, no trailing zeros.
fn num(v: f64) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "+Inf" } else { "-Inf" }.into();
    }
    let a = v.abs();
    let s = if a >= 100.0 || a == 0.0 {
        format!("{v:.0}")
    } else if a >= 10.0 {
        format!("{v:.1}")
    } else if a >= 1.0 {
        format!("{v:.2}")
    } else {
        // three significant digits below 1, at most 12 decimals
        let lead = (-a.log10()).floor().clamp(0.0, 10.0);
        let d = lead as usize + 3;
        format!("{v:.d$}")
    };
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// A value written in its scale.
pub fn show(v: f64, scale: Scale) -> String {
    if !v.is_finite() {
        return num(v);
    }
    match scale {
        Scale::Percent => format!("{}%", num(v * 100.0)),
        Scale::Seconds if v.abs() < 1.0 => format!("{}ms", num(v * 1000.0)),
        Scale::Seconds => format!("{}s", num(v)),
        Scale::Bytes => {
            const KIB: f64 = 1024.0;
            let a = v.abs();
            if a >= KIB * KIB * KIB {
                format!("{}GiB", num(v / (KIB * KIB * KIB)))
            } else if a >= KIB * KIB {
                format!("{}MiB", num(v / (KIB * KIB)))
            } else if a >= 10.0 * KIB {
                format!("{}KiB", num(v / KIB))
            } else {
                format!("{} bytes", num(v))
            }
        }
        Scale::Plain => num(v),
    }
}

/// `HH:MM UTC` of a unix time.
fn clock(t: f64) -> String {
    jiff::Timestamp::from_second(t.floor() as i64)
        .map(|ts| ts.strftime("%H:%M").to_string())
        .unwrap_or_else(|_| "?".into())
}

/// The longest run of consecutive points at or above a threshold.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sustained {
    /// The threshold.
    pub threshold: f64,
    /// Time of its first point.
    pub start: f64,
    /// Time of its last point.
    pub end: f64,
    /// Points × step, in whole minutes.
    pub minutes: i64,
    /// It lasts to the last point of the series.
    pub ongoing: bool,
}

/// The longest run of points `>= threshold` with no gap longer than one and a half steps
/// (Prometheus leaves out points with no data). At least two points.
pub fn sustained(points: &[(f64, f64)], threshold: f64, step: i64) -> Option<Sustained> {
    let step_f = step.max(1) as f64;
    let mut best: Option<(usize, usize)> = None;
    let mut cur: Option<(usize, usize)> = None;
    for (i, (t, v)) in points.iter().enumerate() {
        let high = v.is_finite() && *v >= threshold;
        cur = match (cur, high) {
            (_, false) => None,
            (Some((s, e)), true) if *t - points[e].0 <= step_f * 1.5 => Some((s, i)),
            (_, true) => Some((i, i)),
        };
        if let Some((s, e)) = cur
            && best.is_none_or(|(bs, be)| e - s > be - bs)
        {
            best = Some((s, e));
        }
    }
    let (s, e) = best?;
    let n = i64::try_from(e - s + 1).unwrap_or(i64::MAX);
    (n >= 2).then(|| Sustained {
        threshold,
        start: points[s].0,
        end: points[e].0,
        minutes: (n.saturating_mul(step) + 30) / 60,
        ongoing: e + 1 == points.len(),
    })
}

/// What a range of one series shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Summary {
    /// The last finite value.
    pub latest: f64,
    /// The lowest finite value.
    pub min: f64,
    /// The highest finite value.
    pub max: f64,
    /// The median of the first third of the window: what was normal before.
    pub baseline: f64,
    /// The longest high run: at or above [`RATIO_HIGH`] for ratios; otherwise at or above
    /// halfway from the baseline to the peak, when the peak is at least 1.5 × the baseline.
    pub high: Option<Sustained>,
}

/// Summarise a range series (None when it has no finite value).
pub fn summarize(points: &[(f64, f64)], scale: Scale, step: i64) -> Option<Summary> {
    let finite: Vec<f64> = points
        .iter()
        .map(|p| p.1)
        .filter(|v| v.is_finite())
        .collect();
    let latest = *finite.last()?;
    let min = finite.iter().copied().fold(f64::INFINITY, f64::min);
    let max = finite.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut first: Vec<f64> = finite[..finite.len().div_ceil(3)].to_vec();
    first.sort_by(f64::total_cmp);
    let baseline = if first.len() % 2 == 1 {
        first[first.len() / 2]
    } else {
        (first[first.len() / 2 - 1] + first[first.len() / 2]) / 2.0
    };
    let threshold = if scale == Scale::Percent {
        (max >= RATIO_HIGH).then_some(RATIO_HIGH)
    } else {
        let grew = if baseline > 0.0 {
            max >= baseline * 1.5
        } else {
            max > baseline
        };
        grew.then(|| baseline + (max - baseline) / 2.0)
    };
    Some(Summary {
        latest,
        min,
        max,
        baseline,
        high: threshold.and_then(|t| sustained(points, t, step)),
    })
}

/// Did the value move from the baseline enough to say so (× 1.5 either way, or 10 points of a
/// percentage)?
fn changed(baseline: f64, latest: f64, scale: Scale) -> bool {
    if scale == Scale::Percent && (latest - baseline).abs() >= 0.1 {
        return true;
    }
    if baseline > 0.0 && latest >= 0.0 {
        let k = latest / baseline;
        return (k >= 1.5 || k <= 1.0 / 1.5) && (latest - baseline).abs() > f64::EPSILON;
    }
    baseline == 0.0 && latest > 0.0
}

/// The labels as shown: `pod=api-1 container=app` (at most 6, long values cut).
fn label_text(labels: &BTreeMap<String, String>) -> String {
    labels
        .iter()
        .filter(|(k, _)| k.as_str() != "__name__")
        .take(6)
        .map(|(k, v)| {
            let v: String = v.chars().take(60).collect();
            format!("{k}={v}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The findings of one probe from its instant answer and its range answer (either may be
/// missing): a head line, then one line per series for the top [`TOP`] by latest value.
pub fn findings(
    name: &str,
    scale: Scale,
    instant: Option<&Data>,
    range: Option<&Data>,
    step: i64,
) -> Vec<String> {
    let mut out = Vec::new();
    for d in [instant, range].into_iter().flatten() {
        match d {
            Data::Scalar(_, v) => {
                out.push(format!("{name} {}", show(*v, scale)));
                return out;
            }
            Data::Text(_, s) => {
                let s: String = s.chars().take(200).collect();
                out.push(format!("{name}: {s:?}"));
                return out;
            }
            Data::Vector(_) | Data::Matrix(_) => {}
        }
    }
    // every series of either answer, keyed by its labels: (value now, range points)
    type Both<'a> = (Option<f64>, Option<&'a [(f64, f64)]>);
    let mut all: BTreeMap<&Labels, Both<'_>> = BTreeMap::new();
    if let Some(d) = instant {
        for s in d.series() {
            all.entry(&s.labels).or_default().0 = s.points.last().map(|p| p.1);
        }
    }
    if let Some(d) = range {
        for s in d.series() {
            all.entry(&s.labels).or_default().1 = Some(&s.points);
        }
    }
    if all.is_empty() {
        out.push("prometheus returned no series for this query".into());
        return out;
    }
    let mut rows: Vec<(&Labels, Option<f64>, Option<Summary>)> = all
        .into_iter()
        .map(|(labels, (now, points))| {
            let sum = points.and_then(|p| summarize(p, scale, step));
            let latest = now.or(sum.map(|s| s.latest));
            (labels, latest, sum)
        })
        .collect();
    // latest value descending (NaN and missing last), then labels
    rows.sort_by(|a, b| {
        let key = |x: Option<f64>| x.filter(|v| !v.is_nan());
        match (key(a.1), key(b.1)) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
        .then_with(|| a.0.cmp(b.0))
    });
    let n = rows.len();
    out.push(if n > TOP {
        format!("prometheus returned {n} series; the top {TOP} by latest value follow")
    } else if n == 1 {
        "prometheus returned 1 series".to_string()
    } else {
        format!("prometheus returned {n} series")
    });
    for (labels, latest, sum) in rows.into_iter().take(TOP) {
        let mut parts = Vec::new();
        let latest = latest.unwrap_or(f64::NAN);
        match sum {
            Some(s) if latest.is_finite() && changed(s.baseline, latest, scale) => {
                let mut head = format!(
                    "{name} from {} to {}",
                    show(s.baseline, scale),
                    show(latest, scale)
                );
                if s.baseline > 0.0 && latest >= 0.0 {
                    head.push_str(&format!(" (×{})", num(latest / s.baseline)));
                }
                parts.push(head);
            }
            _ => parts.push(format!("{name} {}", show(latest, scale))),
        }
        if let Some(s) = sum {
            parts.push(format!("peak {}", show(s.max, scale)));
            parts.push(format!("lowest {}", show(s.min, scale)));
            if let Some(h) = s.high {
                let when = if h.ongoing {
                    format!("since {} UTC", clock(h.start))
                } else {
                    format!("from {} until {} UTC", clock(h.start), clock(h.end))
                };
                parts.push(format!(
                    "≥ {} sustained for {} min {when}",
                    show(h.threshold, scale),
                    h.minutes
                ));
            }
        }
        let l = label_text(labels);
        if !l.is_empty() {
            parts.push(l);
        }
        out.push(parts.join(" — "));
    }
    out
}

/// A probe of kind `http`: the PromQL query, the words that describe it (to choose its
/// [`Scale`]) and the client of its run.
#[derive(Clone, Debug)]
pub struct PromJob {
    /// The PromQL expression, template values filled in.
    pub query: String,
    /// Id, why and expected of the checklist entry.
    pub about: String,
    /// The run's client, or why it could not be built.
    pub client: Result<reqwest::Client, String>,
}

/// Why a request gave no answer to parse.
enum Failure {
    Timeout,
    Other(String),
}

/// One answer: its status, (capped) body and where a redirect pointed (masked).
struct Answer {
    status: u16,
    body: Vec<u8>,
    location: Option<String>,
}

/// The first non-blank line of a text, trimmed and cut to 200 characters.
fn first_line(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("(empty body)")
        .chars()
        .take(200)
        .collect()
}

/// GET one URL, reading at most [`BODY_CAP`] of the body.
async fn get(client: &reqwest::Client, url: Url) -> Result<Answer, Failure> {
    let err = |e: reqwest::Error| {
        if e.is_timeout() {
            Failure::Timeout
        } else if e.is_connect() {
            Failure::Other(format!("cannot connect to prometheus: {}", e.without_url()))
        } else {
            Failure::Other(format!("request to prometheus failed: {}", e.without_url()))
        }
    };
    let mut resp = client.get(url).send().await.map_err(err)?;
    let status = resp.status().as_u16();
    let location = resp
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(masked);
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(err)? {
        if body.len() + chunk.len() > BODY_CAP {
            return Err(Failure::Other(format!(
                "the answer from prometheus is larger than {} MiB",
                BODY_CAP / (1024 * 1024)
            )));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Answer {
        status,
        body,
        location,
    })
}

/// Check a `--health` value: an http(s) URL with a host (a query is allowed, a fragment is
/// not sent anyway).
pub fn health_url(raw: &str) -> Result<Url, String> {
    let mut u = http_url(raw)?;
    u.set_fragment(None);
    Ok(u)
}

/// An http(s) URL with a host.
fn http_url(raw: &str) -> Result<Url, String> {
    let u = Url::parse(raw.trim()).map_err(|e| format!("not a URL ({e})"))?;
    if !matches!(u.scheme(), "http" | "https") {
        return Err(format!(
            "the scheme must be http or https, not {:?}",
            u.scheme()
        ));
    }
    if u.host_str().is_none_or(str::is_empty) {
        return Err("the URL has no host".into());
    }
    Ok(u)
}

/// Body bytes of a health answer read for findings.
const HEALTH_BODY: usize = 64 * 1024;

/// GET one `--health` endpoint into `out`: the status line, how long it took, and what the
/// body says. A JSON body's `status` fields that are not up (Spring Boot actuator, the
/// health-check RFC draft, most frameworks' shapes) are named with their path and any error
/// beside them; another body gives its first line. A refused connection or a timeout is a
/// finding as well as the probe's status, since an endpoint that does not answer is evidence.
pub async fn health(out: &mut Outcome, url: &Url, client: &Result<reqwest::Client, String>) {
    let started = Instant::now();
    let client = match client {
        Ok(c) => c,
        Err(e) => {
            out.status = status::FAILED.into();
            out.reason = Some(e.clone());
            return;
        }
    };
    let shown = masked(url.as_str());
    let got = async {
        let mut resp = client.get(url.clone()).send().await?;
        let code = resp.status();
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await? {
            let room = HEALTH_BODY.saturating_sub(body.len());
            body.extend_from_slice(&chunk[..chunk.len().min(room)]);
            if room <= chunk.len() {
                break;
            }
        }
        Ok::<_, reqwest::Error>((code, body))
    }
    .await;
    let took = started.elapsed();
    out.took_ms = u64::try_from(took.as_millis()).unwrap_or(u64::MAX);
    let secs = took.as_secs_f64();
    match got {
        Err(e) => {
            let why = if e.is_timeout() {
                out.status = status::TIMEOUT.into();
                format!("no answer within {:.0} s (timed out)", secs.ceil())
            } else {
                out.status = status::FAILED.into();
                let e = e.without_url();
                let mut msg = e.to_string();
                let mut src = std::error::Error::source(&e);
                while let Some(x) = src {
                    msg = format!("{msg}: {x}");
                    src = x.source();
                }
                if msg.to_ascii_lowercase().contains("connection refused") {
                    "connection refused".to_string()
                } else {
                    format!("request failed: {msg}")
                }
            };
            out.reason = Some(why.clone());
            out.output = format!("GET {shown}\n-> {why}\n");
            out.findings = vec![format!("health check {shown}: {why}")];
        }
        Ok((code, body)) => {
            out.status = status::OK.into();
            out.http_status = Some(code.as_u16());
            let text = crate::ingest::redact::redact(&String::from_utf8_lossy(&body)).0;
            let mut cut = text.len().min(KEPT_BODY);
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            out.output = format!(
                "GET {shown}\n-> HTTP {} in {secs:.2} s, {} bytes\n{}\n",
                code.as_u16(),
                body.len(),
                &text[..cut]
            );
            let verdict = if code.is_success() {
                "healthy status"
            } else {
                "unhealthy status"
            };
            let mut f = vec![format!(
                "health check {shown}: HTTP {} {} ({verdict}) in {secs:.2} s",
                code.as_u16(),
                code.canonical_reason().unwrap_or("")
            )];
            match serde_json::from_str::<serde_json::Value>(&text) {
                Ok(v) => {
                    let mut down = Vec::new();
                    not_up(&v, "", &mut down);
                    f.extend(
                        down.into_iter()
                            .take(8)
                            .map(|d| format!("health check {shown}: {d}")),
                    );
                }
                Err(_) => f.push(format!("health check {shown} says: {}", first_line(&text))),
            }
            out.findings = f;
        }
    }
}

/// The `status` fields of a health document that are not up, as `component db: DOWN (error:
/// …)`, depth first.
fn not_up(v: &serde_json::Value, path: &str, out: &mut Vec<String>) {
    let serde_json::Value::Object(m) = v else {
        return;
    };
    if let Some(st) = m.get("status").and_then(|s| s.as_str()) {
        let up = matches!(
            st.to_ascii_lowercase().as_str(),
            "up" | "ok" | "pass" | "passing" | "healthy" | "green" | "serving" | "available"
        );
        if !up {
            let detail = ["error", "message", "output", "reason"]
                .iter()
                .find_map(|k| {
                    m.get(*k).and_then(|x| x.as_str()).or_else(|| {
                        m.get("details")
                            .and_then(|d| d.get(*k))
                            .and_then(|x| x.as_str())
                    })
                })
                .map(|d| format!(" ({})", first_line(d)))
                .unwrap_or_default();
            let what = if path.is_empty() {
                "overall".to_string()
            } else {
                format!("component {path}")
            };
            out.push(format!("{what}: {st}{detail}"));
        }
    }
    for (k, x) in m {
        let child = match k.as_str() {
            // containers of components: their keys are the names
            "components" | "checks" | "details" | "entries" | "dependencies" => path.to_string(),
            _ => {
                if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                }
            }
        };
        match x {
            serde_json::Value::Object(_) => not_up(x, &child, out),
            serde_json::Value::Array(items) => {
                for it in items {
                    not_up(it, &child, out);
                }
            }
            _ => {}
        }
    }
}

/// An answer read as data: a Prometheus error body wins over the status line.
fn read(a: &Answer) -> Result<Data, String> {
    if (300..400).contains(&a.status) {
        return Err(format!(
            "HTTP {} from prometheus: the redirect to {} was not followed (another origin)",
            a.status,
            a.location.as_deref().unwrap_or("an unknown place")
        ));
    }
    match parse(&a.body) {
        Ok(d) if (200..300).contains(&a.status) => Ok(d),
        Err(e) if e.starts_with("prometheus ") => Err(e),
        _ if !(200..300).contains(&a.status) => Err(format!(
            "HTTP {} from prometheus: {}",
            a.status,
            first_line(&String::from_utf8_lossy(&a.body))
        )),
        other => other,
    }
}

/// The window to look at: the given one, else the last hour by the clock.
fn window(cfg: &Config) -> (i64, i64) {
    cfg.window.unwrap_or_else(|| {
        let now = jiff::Timestamp::now().as_second();
        (now - DEFAULT_WINDOW_S, now)
    })
}

/// The step of a range query: [`STEP_S`], widened so the window stays under Prometheus's
/// point limit.
fn step_for(start: i64, end: i64) -> i64 {
    let span = (end - start).max(0);
    STEP_S.max((span + MAX_POINTS - 1) / MAX_POINTS)
}

/// Run one Prometheus probe into `out`: instant and range query at once, within the probe
/// timeout. The status is ok when either answered; failed (with the error) when neither did.
pub async fn run(out: &mut Outcome, job: &PromJob, cfg: &Config) {
    let started = Instant::now();
    let base = match cfg.prom.as_deref().map(base_url) {
        Some(Ok(u)) => u,
        Some(Err(e)) => {
            out.status = status::FAILED.into();
            out.reason = Some(format!("--prom: {e}"));
            return;
        }
        None => {
            out.status = status::SKIPPED.into();
            out.reason = Some("needs --prom URL".into());
            return;
        }
    };
    let client = match &job.client {
        Ok(c) => c,
        Err(e) => {
            out.status = status::FAILED.into();
            out.reason = Some(e.clone());
            return;
        }
    };
    let (start, end) = window(cfg);
    let step = step_for(start, end);
    let (s, e, st) = (start.to_string(), end.to_string(), step.to_string());
    let mut instant_params = vec![("query", job.query.as_str())];
    if cfg.window.is_some() {
        instant_params.push(("time", e.as_str()));
    }
    let urls = [
        api_url(&base, "query", &instant_params),
        api_url(
            &base,
            "query_range",
            &[
                ("query", job.query.as_str()),
                ("start", &s),
                ("end", &e),
                ("step", &st),
            ],
        ),
    ];
    let both = async { tokio::join!(get(client, urls[0].clone()), get(client, urls[1].clone())) };
    let answers = tokio::time::timeout(cfg.timeout, both).await;
    out.took_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    let Ok((a_now, a_range)) = answers else {
        out.status = status::TIMEOUT.into();
        out.reason = Some(format!(
            "no answer from prometheus within {}s",
            cfg.timeout.as_secs()
        ));
        return;
    };
    let mut text = String::new();
    let mut read_one = |url: &Url, a: Result<Answer, Failure>| -> Result<Data, String> {
        let shown = masked(url.as_str());
        match a {
            Err(Failure::Timeout) => {
                text.push_str(&format!("GET {shown}\n-> timed out\n"));
                Err(format!(
                    "no answer from prometheus within {}s",
                    cfg.timeout.as_secs()
                ))
            }
            Err(Failure::Other(e)) => {
                text.push_str(&format!("GET {shown}\n-> {e}\n"));
                Err(e)
            }
            Ok(a) => {
                let kept = &a.body[..a.body.len().min(KEPT_BODY)];
                text.push_str(&format!(
                    "GET {shown}\n-> HTTP {}, {} bytes\n{}\n",
                    a.status,
                    a.body.len(),
                    String::from_utf8_lossy(kept)
                ));
                if kept.len() < a.body.len() {
                    out.truncated = true;
                }
                out.http_status = Some(out.http_status.map_or(a.status, |s| s.max(a.status)));
                read(&a)
            }
        }
    };
    let now = read_one(&urls[0], a_now);
    let range = read_one(&urls[1], a_range);
    out.output = crate::ingest::redact::redact(&text).0;
    match (&now, &range) {
        (Err(e), Err(_)) => {
            out.status = if e.starts_with("no answer") {
                status::TIMEOUT
            } else {
                status::FAILED
            }
            .into();
            out.reason = Some(e.clone());
        }
        _ => {
            out.status = status::OK.into();
            let values: Vec<f64> = [&now, &range]
                .iter()
                .filter_map(|d| d.as_ref().ok())
                .flat_map(|d| match d {
                    Data::Scalar(_, v) => vec![*v],
                    _ => d
                        .series()
                        .iter()
                        .flat_map(|s| s.points.iter().map(|p| p.1))
                        .collect(),
                })
                .collect();
            let scale = scale_of(&job.query, &job.about, &values);
            let name = name_of(&out.id);
            out.findings = findings(&name, scale, now.as_ref().ok(), range.as_ref().ok(), step)
                .into_iter()
                .map(|f| crate::ingest::redact::redact(&f).0)
                .collect();
            let failed = match (&now, &range) {
                (Err(e), _) => Some(format!("the instant query failed: {e}")),
                (_, Err(e)) => Some(format!("the range query failed: {e}")),
                _ => None,
            };
            out.reason = failed;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vector(json: &str) -> Data {
        parse(json.as_bytes()).expect("parses")
    }

    #[test]
    fn an_instant_vector_parses_with_labels_and_special_numbers() {
        let d = vector(
            r#"{"status":"success","data":{"resultType":"vector","result":[
              {"metric":{"pod":"api-1"},"value":[1779282000.5,"0.93"]},
              {"metric":{"pod":"api-2"},"value":[1779282000.5,"NaN"]},
              {"metric":{"pod":"api-3"},"value":[1779282000.5,"+Inf"]},
              {"metric":{"pod":"api-4"},"value":[1779282000.5,"-Inf"]},
              {"metric":{"pod":"bad"},"value":[1779282000.5,"x"]}]}}"#,
        );
        let Data::Vector(s) = d else {
            panic!("not a vector: {d:?}")
        };
        assert_eq!(s.len(), 4, "the unreadable point is dropped");
        assert_eq!(s[0].labels["pod"], "api-1");
        assert_eq!(s[0].points, vec![(1779282000.5, 0.93)]);
        assert!(s[1].points[0].1.is_nan());
        assert_eq!(s[2].points[0].1, f64::INFINITY);
        assert_eq!(s[3].points[0].1, f64::NEG_INFINITY);
    }

    #[test]
    fn a_matrix_a_scalar_and_a_string_parse() {
        let d = vector(
            r#"{"status":"success","data":{"resultType":"matrix","result":[
              {"metric":{"__name__":"up","job":"api"},"values":[[60,"1"],[120,"0"],[180,"NaN"]]}]}}"#,
        );
        let Data::Matrix(s) = d else {
            panic!("not a matrix: {d:?}")
        };
        assert_eq!(s[0].points.len(), 3);
        assert_eq!(s[0].labels["__name__"], "up");
        assert_eq!(
            vector(r#"{"status":"success","data":{"resultType":"scalar","result":[60,"4.5"]}}"#),
            Data::Scalar(60.0, 4.5)
        );
        assert_eq!(
            vector(r#"{"status":"success","data":{"resultType":"string","result":[60,"hi"]}}"#),
            Data::Text(60.0, "hi".into())
        );
        assert_eq!(
            vector(r#"{"status":"success","data":{"resultType":"vector","result":[]}}"#),
            Data::Vector(vec![])
        );
    }

    #[test]
    fn error_answers_and_garbage_are_errors_not_panics() {
        let e = parse(
            br#"{"status":"error","errorType":"bad_data","error":"1:5: parse error: unexpected \")\""}"#,
        )
        .expect_err("error");
        assert_eq!(
            e,
            "prometheus bad_data error: 1:5: parse error: unexpected \")\""
        );
        for junk in [
            &b""[..],
            b"<html>502 Bad Gateway</html>",
            b"{}",
            b"[1,2]",
            b"{\"status\":\"success\"}",
            b"{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[]}}",
            b"{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":7}}",
            b"\xff\xfe\x00",
        ] {
            let _ = parse(junk);
        }
        assert!(parse(b"<html>502</html>").is_err());
        assert!(parse(b"{\"status\":\"success\",\"data\":{\"resultType\":\"nope\"}}").is_err());
        // a 503 without an API body names the status and the first line
        let a = Answer {
            status: 503,
            body: b"\n  upstream connect error\nmore".to_vec(),
            location: None,
        };
        assert_eq!(
            read(&a).expect_err("503"),
            "HTTP 503 from prometheus: upstream connect error"
        );
        // a 400 with an API error body gives Prometheus's words
        let a = Answer {
            status: 400,
            body: br#"{"status":"error","errorType":"bad_data","error":"invalid parameter"}"#
                .to_vec(),
            location: None,
        };
        assert_eq!(
            read(&a).expect_err("400"),
            "prometheus bad_data error: invalid parameter"
        );
    }

    fn ramp(values: &[f64]) -> Vec<(f64, f64)> {
        // 2026-05-20T13:00:00Z, one point a minute
        values
            .iter()
            .enumerate()
            .map(|(i, v)| (1_779_282_000.0 + 60.0 * i as f64, *v))
            .collect()
    }

    #[test]
    fn the_longest_high_run_is_found_with_gaps_breaking_it() {
        let mut v = vec![0.3; 10];
        v.extend([0.85, 0.9, 0.7, 0.75]); // a short run, broken
        v.extend(vec![0.93; 12]); // the sustained one, to the end
        let p = ramp(&v);
        let s = sustained(&p, 0.8, 60).expect("run");
        assert_eq!(s.minutes, 12);
        assert!(s.ongoing);
        assert_eq!(clock(s.start), "13:14");
        // a gap in the data breaks a run
        let mut p = ramp(&[0.9, 0.9, 0.9, 0.9]);
        p[2].0 += 600.0;
        p[3].0 += 600.0;
        assert_eq!(sustained(&p, 0.8, 60).expect("run").minutes, 2);
        // one point is not sustained; NaN is not high
        assert_eq!(sustained(&ramp(&[0.1, 0.9, 0.1]), 0.8, 60), None);
        assert_eq!(sustained(&ramp(&[f64::NAN, f64::NAN]), 0.8, 60), None);
    }

    #[test]
    fn a_sustained_high_ratio_becomes_a_finding_the_ranking_reads() {
        let mut v = vec![0.35; 20];
        v.extend(vec![0.97; 12]);
        let range = Data::Matrix(vec![Series {
            labels: BTreeMap::from([("pod".to_string(), "checkout-7f9".to_string())]),
            points: ramp(&v),
        }]);
        let now = Data::Vector(vec![Series {
            labels: BTreeMap::from([("pod".to_string(), "checkout-7f9".to_string())]),
            points: vec![(1_779_284_000.0, 0.97)],
        }]);
        let f = findings("cpu", Scale::Percent, Some(&now), Some(&range), 60);
        assert_eq!(f[0], "prometheus returned 1 series");
        assert_eq!(
            f[1],
            "cpu from 35% to 97% (×2.77) — peak 97% — lowest 35% — ≥ 80% sustained for 12 min since 13:20 UTC — pod=checkout-7f9"
        );
        // ingest reads it as a CPU reading that rose, as in a paste
        let inc = crate::ingest::parse(&f.join("\n"), &Default::default());
        let cpu: Vec<_> = inc.metrics.iter().filter(|m| m.name == "cpu").collect();
        assert!(
            cpu.iter()
                .any(|m| m.before == Some(35.0) && m.value == 97.0 && m.unit == "%"),
            "{:?}",
            inc.metrics
        );
        assert!(
            inc.metrics.iter().all(|m| m.limit.is_none()),
            "no made-up limit: {:?}",
            inc.metrics
        );
    }

    #[test]
    fn a_change_that_is_not_a_ratio_reads_from_baseline_to_latest() {
        let mut v = vec![0.008; 30];
        v.extend(vec![0.34; 10]);
        let range = Data::Matrix(vec![Series {
            labels: BTreeMap::new(),
            points: ramp(&v),
        }]);
        let f = findings("commit latency", Scale::Seconds, None, Some(&range), 60);
        assert_eq!(
            f[1],
            "commit latency from 8ms to 340ms (×42.5) — peak 340ms — lowest 8ms — ≥ 174ms sustained for 10 min since 13:30 UTC"
        );
        let inc = crate::ingest::parse(&f[1], &Default::default());
        let m = &inc.metrics[0];
        assert_eq!(
            (m.name.as_str(), m.before, m.value),
            ("commit latency", Some(8.0), 340.0)
        );
        // flat series: no change, no run
        let flat = Data::Matrix(vec![Series {
            labels: BTreeMap::from([("instance".to_string(), "n1".to_string())]),
            points: ramp(&[5.0; 30]),
        }]);
        let f = findings("time wait", Scale::Plain, None, Some(&flat), 60);
        assert_eq!(f[1], "time wait 5 — peak 5 — lowest 5 — instance=n1");
    }

    #[test]
    fn only_the_top_series_by_latest_value_are_listed() {
        let series: Vec<Series> = (0..8)
            .map(|i| Series {
                labels: BTreeMap::from([("pod".to_string(), format!("p{i}"))]),
                points: vec![(60.0, f64::from(i) / 10.0)],
            })
            .chain(std::iter::once(Series {
                labels: BTreeMap::from([("pod".to_string(), "nan".to_string())]),
                points: vec![(60.0, f64::NAN)],
            }))
            .collect();
        let f = findings("x", Scale::Plain, Some(&Data::Vector(series)), None, 60);
        assert_eq!(f.len(), 1 + TOP);
        assert!(f[0].contains("9 series"), "{f:?}");
        assert_eq!(f[1], "x 0.7 — pod=p7");
        assert_eq!(f[5], "x 0.3 — pod=p3");
        let none = findings("x", Scale::Plain, Some(&Data::Vector(vec![])), None, 60);
        assert_eq!(none, vec!["prometheus returned no series for this query"]);
        assert_eq!(
            findings("x", Scale::Percent, Some(&Data::Scalar(1.0, 0.5)), None, 60),
            vec!["x 50%"]
        );
    }

    #[test]
    fn scales_and_names_follow_the_probe() {
        assert_eq!(
            scale_of("a / b", "share of CFS periods throttled", &[0.8]),
            Scale::Percent
        );
        assert_eq!(
            scale_of("sum(x) / sum(y)", "prom-redis-hit-ratio", &[3.0]),
            Scale::Percent
        );
        assert_eq!(
            scale_of(
                "rate(jvm_gc_pause_seconds_sum[5m]) / rate(jvm_gc_pause_seconds_count[5m])",
                "average GC pause per pod",
                &[0.2]
            ),
            Scale::Seconds
        );
        assert_eq!(
            scale_of(
                "max by (pod) (container_memory_working_set_bytes)",
                "",
                &[1e9]
            ),
            Scale::Bytes
        );
        assert_eq!(
            scale_of("rate(node_network_transmit_bytes_total[5m])", "", &[1e9]),
            Scale::Plain
        );
        assert_eq!(name_of("cpu-saturation/prom-cpu-vs-requests"), "cpu");
        assert_eq!(
            name_of("cache-stampede/prom-redis-hit-ratio"),
            "redis hit ratio"
        );
        assert_eq!(
            name_of("hot-partition-key/prom-per-partition"),
            "per partition"
        );
        assert_eq!(name_of("search/es-allocation"), "es allocation");
        assert_eq!(show(1.9 * 1024.0 * 1024.0 * 1024.0, Scale::Bytes), "1.9GiB");
        assert_eq!(show(1500.0, Scale::Bytes), "1500 bytes");
        assert_eq!(show(0.0042, Scale::Plain), "0.0042");
        assert_eq!(show(28231.4, Scale::Plain), "28231");
        assert_eq!(show(f64::NAN, Scale::Percent), "NaN");
        assert_eq!(show(1.25, Scale::Seconds), "1.25s");
    }

    #[test]
    fn prom_urls_are_checked_and_credentials_never_shown() {
        assert!(base_url("http://prometheus:9090").is_ok());
        assert!(base_url("https://prom.example/prometheus/").is_ok());
        for bad in [
            "prometheus:9090",
            "ftp://prom",
            "file:///etc/passwd",
            "http://",
            "not a url",
            "http://prom/?x=1",
            "",
        ] {
            assert!(base_url(bad).is_err(), "{bad} accepted");
        }
        assert_eq!(
            masked("https://admin:hunter2@prom.example:9090/api"),
            "https://***@prom.example:9090/api"
        );
        assert_eq!(masked("http://prom:9090/x@y"), "http://prom:9090/x@y");
        assert_eq!(masked("user:pw@prom"), "***@prom");
        let u = api_url(
            &base_url("http://prom:9090/sub/").expect("ok"),
            "query",
            &[("query", "sum(rate(x{code=~\"5..\"}[5m])) / 2")],
        );
        assert_eq!(
            u.as_str(),
            "http://prom:9090/sub/api/v1/query?query=sum%28rate%28x%7Bcode%3D%7E%225..%22%7D%5B5m%5D%29%29+%2F+2"
        );
    }

    #[test]
    fn http_entries_are_planned_only_with_prom_and_never_for_a_paste_url() {
        let item = crate::model::CheckItem {
            id: "cpu-saturation/prom-cpu-vs-requests".into(),
            kind: crate::model::ProbeKind::Http,
            command: "curl -sG \"$PROM_URL/api/v1/query\" --data-urlencode 'query=up'".into(),
            argv: Vec::new(),
            query: Some(" up ".into()),
            why: "CPU use relative to what was provisioned".into(),
            expected: "the ratio stays pinned near the capacity".into(),
            hypotheses: vec!["cpu-saturation".into()],
            missing: Vec::new(),
            status: "not_run",
            reason: None,
            findings: Vec::new(),
            took_ms: None,
        };
        let cfg = Config {
            timeout: Duration::from_secs(1),
            concurrency: 1,
            ..Config::default()
        };
        let jobs = super::super::plan(std::slice::from_ref(&item), &cfg);
        let out = jobs[0].outcome();
        assert_eq!(out.status, status::SKIPPED);
        assert_eq!(out.reason.as_deref(), Some("needs --prom URL"));
        let cfg = Config {
            prom: Some("http://prom:9090".into()),
            ..cfg
        };
        let jobs = super::super::plan(&[item.clone(), item], &cfg);
        let super::super::Job::Http { out, prom } = &jobs[0] else {
            panic!("not an HTTP job: {:?}", jobs[0])
        };
        assert_eq!(out.kind, Some(crate::model::ProbeKind::Http));
        assert_eq!(prom.query, "up");
        assert!(prom.client.is_ok());
        assert!(prom.about.contains("provisioned"));
    }

    #[test]
    fn the_step_fits_the_window() {
        assert_eq!(step_for(0, 3600), 60);
        assert_eq!(step_for(0, 30 * 86_400), 236);
    }

    /// A one-thread HTTP/1.1 server answering each request with `answer(path)`; it counts the
    /// connections it accepted.
    fn serve(
        answer: fn(&str, u16) -> (u16, String, Vec<u8>),
        other: u16,
    ) -> (u16, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
        use std::io::{Read, Write};
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = l.local_addr().expect("addr").port();
        let hits = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let seen = hits.clone();
        std::thread::spawn(move || {
            for c in l.incoming() {
                let Ok(mut c) = c else { continue };
                seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let mut head = Vec::new();
                let mut b = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") && c.read(&mut b).is_ok_and(|n| n == 1) {
                    head.push(b[0]);
                }
                let head = String::from_utf8_lossy(&head).to_string();
                let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
                let (code, extra, body) = answer(&path, other);
                let _ = write!(
                    c,
                    "HTTP/1.1 {code} X\r\nContent-Length: {}\r\nConnection: close\r\n{extra}\r\n",
                    body.len()
                );
                let _ = c.write_all(&body);
            }
        });
        (port, hits)
    }

    fn probe_at(port: u16, timeout: Duration) -> Outcome {
        let cfg = Config {
            prom: Some(format!("http://127.0.0.1:{port}")),
            timeout,
            concurrency: 1,
            ..Config::default()
        };
        let job = PromJob {
            query: "up".into(),
            about: String::new(),
            client: client(timeout),
        };
        let mut out = Outcome {
            id: "x/prom-up".into(),
            ..Default::default()
        };
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(run(&mut out, &job, &cfg));
        out
    }

    #[test]
    fn a_redirect_to_another_origin_is_not_followed() {
        let (other, other_hits) = serve(|_, _| (200, String::new(), b"{}".to_vec()), 0);
        let (port, hits) = serve(
            |_, other| {
                (
                    302,
                    format!("Location: http://127.0.0.1:{other}/api/v1/query\r\n"),
                    Vec::new(),
                )
            },
            other,
        );
        let out = probe_at(port, Duration::from_secs(5));
        assert_eq!(out.status, status::FAILED, "{out:?}");
        let reason = out.reason.unwrap_or_default();
        assert!(
            reason.contains("HTTP 302") && reason.contains("not followed"),
            "{reason}"
        );
        assert_eq!(out.http_status, Some(302));
        assert_eq!(hits.load(std::sync::atomic::Ordering::SeqCst), 2);
        assert_eq!(other_hits.load(std::sync::atomic::Ordering::SeqCst), 0);
    }

    #[test]
    fn a_huge_answer_fails_and_a_silent_server_times_out() {
        let (port, _) = serve(|_, _| (200, String::new(), vec![b' '; BODY_CAP + 10]), 0);
        let out = probe_at(port, Duration::from_secs(10));
        assert_eq!(out.status, status::FAILED, "{:?}", out.reason);
        assert!(out.reason.unwrap_or_default().contains("larger than 4 MiB"));
        // accepts, never answers
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = l.local_addr().expect("addr").port();
        let out = probe_at(port, Duration::from_millis(300));
        assert_eq!(out.status, status::TIMEOUT, "{:?}", out.reason);
        drop(l);
    }
}
