//! Running a program for a probe: argv only (never a shell), stdin closed, its output read up to
//! a cap (the rest drained so the program can finish), killed at its timeout.

use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncReadExt};

/// What a program did.
#[derive(Debug)]
pub struct Ran {
    /// Exit code (None when killed by a signal or at the timeout).
    pub code: Option<i32>,
    /// stdout, up to the cap.
    pub stdout: Vec<u8>,
    /// stderr, up to the cap.
    pub stderr: Vec<u8>,
    /// Output was cut at the cap.
    pub truncated: bool,
    /// It was killed at its timeout.
    pub timed_out: bool,
    /// Wall time.
    pub took: Duration,
}

/// Read up to `cap` bytes, then drain the rest; true when something was left out.
async fn capped<R: AsyncRead + Unpin>(r: Option<R>, cap: usize, buf: &mut Vec<u8>) -> bool {
    let Some(mut r) = r else { return false };
    let mut limited = (&mut r).take(cap as u64);
    if limited.read_to_end(buf).await.is_err() {
        return false;
    }
    let mut sink = tokio::io::sink();
    matches!(tokio::io::copy(&mut r, &mut sink).await, Ok(n) if n > 0)
}

/// Run `argv` with a timeout. Err only when it could not be started (not installed, not
/// executable): the caller reports that as the reason the probe was skipped.
pub async fn run(argv: &[String], timeout: Duration, cap: usize) -> std::io::Result<Ran> {
    let Some((prog, args)) = argv.split_first() else {
        return Err(std::io::Error::other("empty argv"));
    };
    let start = Instant::now();
    let mut child = tokio::process::Command::new(prog)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()?;
    let out = child.stdout.take();
    let err = child.stderr.take();
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    let work = async {
        let (a, b) = tokio::join!(
            capped(out, cap, &mut stdout),
            capped(err, 64 * 1024, &mut stderr)
        );
        let status = child.wait().await;
        (a || b, status)
    };
    match tokio::time::timeout(timeout, work).await {
        Ok((truncated, status)) => Ok(Ran {
            code: status.ok().and_then(|s| s.code()),
            stdout,
            stderr,
            truncated,
            timed_out: false,
            took: start.elapsed(),
        }),
        Err(_) => {
            let _ = child.start_kill();
            let _ = child.wait().await;
            Ok(Ran {
                code: None,
                stdout: Vec::new(),
                stderr: Vec::new(),
                truncated: false,
                timed_out: true,
                took: start.elapsed(),
            })
        }
    }
}
