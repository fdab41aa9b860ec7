//! The log probe's grep against ripgrep on the same generated log:
//! `cargo bench --bench log_grep` (a 2 GiB file; `SENTINEL_BENCH_MB=200` for a quick run,
//! `SENTINEL_BENCH_DIR` for where the file goes, default the temp dir; `SENTINEL_BENCH_KEEP=1`
//! keeps it; `SENTINEL_BENCH_FILE=PATH` searches that file instead of a generated one).
//!
//! It writes a timestamped application log (about 0.1% of its lines match), installs ripgrep
//! from Debian when `rg` is missing (`apt-get install -y ripgrep`, through `sudo -n` when not
//! root; skipped with a message when that is impossible), then for each pattern runs
//! `sentinel::probe::log::grep_with` and `rg -c PATTERN FILE`: one untimed run each first (warm
//! cache), then timed runs alternating between the two so that both see the same machine load,
//! the best of each kept. It prints MB/s for both, the ratio ours/rg, and for reference
//! `rg --no-mmap` (ripgrep reading the file as we do, without a memory map), and exits non-zero
//! when a ratio to `rg -c` is below 0.8 or the two disagree on a count.
//! `SENTINEL_BENCH_VARIANT=one` searches on one thread (no reading thread).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

/// Patterns compared: a literal, and an alternation like the playbooks' log probes.
const PATTERNS: &[&str] = &[
    "too many clients",
    r"WORKER TIMEOUT|deadlock detected|too many clients|remaining connection slots",
];
/// Timed runs per tool and pattern (the best counts).
const RUNS: usize = 5;
/// Lowest acceptable ratio of our throughput to ripgrep's.
const MIN_RATIO: f64 = 0.8;

fn main() -> ExitCode {
    let mb: u64 = std::env::var("SENTINEL_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2048);
    let dir = std::env::var_os("SENTINEL_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let tmp = match tempfile::tempdir_in(&dir) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("log_grep: cannot make a temp dir in {}: {e}", dir.display());
            return ExitCode::FAILURE;
        }
    };
    let keep = std::env::var_os("SENTINEL_BENCH_KEEP").is_some();
    let given = std::env::var_os("SENTINEL_BENCH_FILE").map(PathBuf::from);
    let file = given.clone().unwrap_or_else(|| tmp.path().join("app.log"));
    let t = Instant::now();
    let made = match given {
        Some(_) => Ok(0),
        None => generate(&file, mb << 20),
    };
    let lines = match made {
        Ok(n) => n,
        Err(e) => {
            eprintln!(
                "log_grep: cannot write {mb} MB to {}: {e} (set SENTINEL_BENCH_DIR or SENTINEL_BENCH_MB)",
                file.display()
            );
            return ExitCode::FAILURE;
        }
    };
    let bytes = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
    println!(
        "generated {:.0} MB ({lines} lines) in {:.1}s: {}",
        mb_of(bytes),
        t.elapsed().as_secs_f64(),
        file.display()
    );
    let rg = ripgrep();
    if rg.is_none() {
        println!("ripgrep is not installed and could not be: timing sentinel alone");
    }
    let mut ok = true;
    for pat in PATTERNS {
        let re = sentinel::probe::log::matcher(pat).expect("the bench's patterns compile");
        let files = [file.clone()];
        println!("pattern {pat:?}");
        let variant = std::env::var("SENTINEL_BENCH_VARIANT").unwrap_or_default();
        let opts = sentinel::probe::log::Options {
            threads: if variant.contains("one") { 1 } else { 0 },
            ..Default::default()
        };
        let ours = || {
            let t = Instant::now();
            let g = sentinel::probe::log::grep_with(&files, &re, &opts);
            (t.elapsed(), g.count as u64)
        };
        let Some(rg) = &rg else {
            let _ = ours();
            let (t, n) = (0..RUNS).map(|_| ours()).min().unwrap_or_default();
            report("sentinel", bytes, t, n);
            continue;
        };
        let theirs = |mmap: bool| {
            let t = Instant::now();
            let n = rg_count(rg, pat, &file, mmap);
            (t.elapsed(), n)
        };
        // warm both (untimed), then alternate the timed runs so that both see the same load
        let _ = ours();
        let _ = theirs(true);
        let (mut best_ours, mut best_rg, mut best_rg_read) =
            (Duration::MAX, Duration::MAX, Duration::MAX);
        let (mut n_ours, mut n_rg) = (0, Ok(0));
        for _ in 0..RUNS {
            let (t, n) = ours();
            best_ours = best_ours.min(t);
            n_ours = n;
            let (t, n) = theirs(true);
            best_rg = best_rg.min(t);
            n_rg = n;
            let (t, _) = theirs(false);
            best_rg_read = best_rg_read.min(t);
        }
        let n_rg = match n_rg {
            Ok(n) => n,
            Err(e) => {
                println!("  rg failed: {e}");
                ok = false;
                continue;
            }
        };
        let ours_mbs = report("sentinel", bytes, best_ours, n_ours);
        let rg_mbs = report("ripgrep", bytes, best_rg, n_rg);
        let read_mbs = mb_of(bytes) / best_rg_read.as_secs_f64();
        let ratio = ours_mbs / rg_mbs;
        println!(
            "  ratio sentinel/rg = {ratio:.2} (at least {MIN_RATIO} wanted; rg --no-mmap: {read_mbs:.0} MB/s, ratio {:.2})",
            ours_mbs / read_mbs
        );
        if n_rg != n_ours {
            println!("  MISMATCH: the counts differ");
            ok = false;
        }
        if ratio < MIN_RATIO {
            println!("  TOO SLOW");
            ok = false;
        }
    }
    if keep {
        let kept = tmp.keep();
        println!("kept {}", kept.join("app.log").display());
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn mb_of(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

/// Print one tool's line: its throughput (returned), time and count.
fn report(who: &str, bytes: u64, t: Duration, n: u64) -> f64 {
    let mbs = mb_of(bytes) / t.as_secs_f64();
    println!(
        "  {who:<9} {mbs:>8.0} MB/s  {:>7.3}s  {n} matching lines",
        t.as_secs_f64()
    );
    mbs
}

/// `rg -c PATTERN FILE` (with `--no-mmap` unless `mmap`): the count it prints (0 when it
/// finds nothing and exits 1).
fn rg_count(rg: &Path, pat: &str, file: &Path, mmap: bool) -> Result<u64, String> {
    let out = Command::new(rg)
        .args(["-c", "--no-config"])
        .args((!mmap).then_some("--no-mmap"))
        .args(["--", pat])
        .arg(file)
        .output()
        .map_err(|e| e.to_string())?;
    match out.status.code() {
        Some(0) => String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .map_err(|e| format!("{e}")),
        Some(1) => Ok(0),
        _ => Err(String::from_utf8_lossy(&out.stderr).into_owned()),
    }
}

/// Where `rg` is, installing it from Debian when it is missing.
fn ripgrep() -> Option<PathBuf> {
    let found = |p: &str| {
        Command::new(p)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if found("rg") {
        return Some("rg".into());
    }
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let apt = |args: &[&str]| -> bool {
        let mut c = if root {
            Command::new("apt-get")
        } else {
            let mut c = Command::new("sudo");
            c.args(["-n", "apt-get"]);
            c
        };
        println!("installing ripgrep: apt-get {}", args.join(" "));
        c.args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if !apt(&["install", "-y", "ripgrep"]) {
        // the package lists may be missing or old
        let _ = apt(&["update"]);
        apt(&["install", "-y", "ripgrep"]);
    }
    found("rg").then(|| "rg".into())
}

/// Write about `size` bytes of a realistic, timestamped application log to `path`: request
/// lines, slow-request warnings, retries, a multi-line stack trace now and then, and about one
/// line in 1,000 a `too many clients` error. Returns the lines written.
fn generate(path: &Path, size: u64) -> std::io::Result<u64> {
    let mut f = std::fs::File::create(path)?;
    let mut buf: Vec<u8> = Vec::with_capacity(8 << 20);
    let mut rng = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    // 2026-06-02T14:00:00.000Z, advancing a few milliseconds a line
    let mut ms: u64 = 0;
    let mut written = 0u64;
    let mut lines = 0u64;
    const PODS: &[&str] = &[
        "api-7f9c6d5b4-x2x9q",
        "api-7f9c6d5b4-k8d2w",
        "worker-5d8f7-abcde",
        "checkout-6b9f-zz1x",
    ];
    const PATHS: &[&str] = &[
        "/api/orders/",
        "/api/cart/",
        "/api/users/",
        "/api/checkout/",
        "/healthz?id=",
    ];
    while written < size {
        let r = next();
        ms += r % 7;
        stamp(&mut buf, ms);
        let pod = PODS[(r >> 8) as usize % PODS.len()];
        match r % 1000 {
            0 => {
                buf.extend_from_slice(b" ERROR ");
                buf.extend_from_slice(pod.as_bytes());
                buf.extend_from_slice(b" pq: FATAL: sorry, too many clients already\n");
            }
            1..=30 => {
                buf.extend_from_slice(b" WARN  ");
                buf.extend_from_slice(pod.as_bytes());
                buf.extend_from_slice(b" slow request POST /api/checkout took ");
                num(&mut buf, (r >> 20) % 9000 + 1000);
                buf.extend_from_slice(b"ms (db wait ");
                num(&mut buf, (r >> 12) % 900);
                buf.extend_from_slice(b"ms)\n");
            }
            31..=35 => {
                buf.extend_from_slice(b" ERROR ");
                buf.extend_from_slice(pod.as_bytes());
                buf.extend_from_slice(
                    b" unhandled exception in request handler\n\
Traceback (most recent call last):\n  File \"/app/handlers/orders.py\", line 88, in create\n\
    db.session.commit()\nsqlalchemy.exc.OperationalError: connection reset by peer\n",
                );
                lines += 4;
            }
            36..=60 => {
                buf.extend_from_slice(b" INFO  ");
                buf.extend_from_slice(pod.as_bytes());
                buf.extend_from_slice(b" retrying upstream call to payments (attempt ");
                num(&mut buf, r % 5 + 1);
                buf.extend_from_slice(b"/5)\n");
            }
            _ => {
                buf.extend_from_slice(b" INFO  ");
                buf.extend_from_slice(pod.as_bytes());
                buf.extend_from_slice(if r & 0x100 == 0 { b" GET " } else { b" POST " });
                buf.extend_from_slice(PATHS[(r >> 16) as usize % PATHS.len()].as_bytes());
                num(&mut buf, (r >> 24) % 1_000_000);
                buf.extend_from_slice(b" 200 ");
                num(&mut buf, (r >> 40) % 400 + 2);
                buf.extend_from_slice(b"ms user=");
                num(&mut buf, (r >> 44) % 100_000);
                buf.extend_from_slice(b" trace=");
                hex(&mut buf, r);
                buf.push(b'\n');
            }
        }
        lines += 1;
        if buf.len() >= 8 << 20 {
            written += buf.len() as u64;
            f.write_all(&buf)?;
            buf.clear();
        }
    }
    f.write_all(&buf)?;
    f.sync_all()?;
    Ok(lines)
}

/// `2026-06-02T14:00:00.000Z` plus `ms` milliseconds (days past the 2nd roll into the month).
fn stamp(buf: &mut Vec<u8>, ms: u64) {
    let s = ms / 1000;
    let (d, h, m, sec) = (2 + s / 86_400, 14 + s / 3600 % 24, s / 60 % 60, s % 60);
    let (d, h) = (d + h / 24, h % 24);
    buf.extend_from_slice(b"2026-06-");
    two(buf, d.min(28));
    buf.push(b'T');
    two(buf, h);
    buf.push(b':');
    two(buf, m);
    buf.push(b':');
    two(buf, sec);
    buf.push(b'.');
    let f = ms % 1000;
    buf.extend_from_slice(&[
        b'0' + (f / 100) as u8,
        b'0' + (f / 10 % 10) as u8,
        b'0' + (f % 10) as u8,
        b'Z',
    ]);
}

fn two(buf: &mut Vec<u8>, n: u64) {
    buf.extend_from_slice(&[b'0' + (n / 10 % 10) as u8, b'0' + (n % 10) as u8]);
}

fn num(buf: &mut Vec<u8>, mut n: u64) {
    let mut d = [0u8; 20];
    let mut i = d.len();
    loop {
        i -= 1;
        d[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf.extend_from_slice(&d[i..]);
}

fn hex(buf: &mut Vec<u8>, n: u64) {
    const H: &[u8; 16] = b"0123456789abcdef";
    for i in (0..16).rev() {
        buf.push(H[(n >> (i * 4)) as usize & 15]);
    }
}
