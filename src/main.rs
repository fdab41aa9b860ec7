//! The `sentinel` binary: parse the command line, run, map the outcome to an exit code.

use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

/// Reuses freed memory across threads instead of faulting in fresh pages: a sixth of the CPU
/// time of a large paste under the system allocator (`benches/run.sh`).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match sentinel::cli::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = e.exit_code();
            let _ = e.print();
            return ExitCode::from(u8::try_from(code).unwrap_or(2));
        }
    };
    // reqwest is built without a TLS provider of its own: rustls with ring for the process
    sentinel::probe::http::install_crypto();
    match sentinel::app::run(cli) {
        Ok(exit) => exit.into(),
        Err(sentinel::Error::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(e) => {
            let mut err = std::io::stderr().lock();
            let _ = writeln!(err, "error: {e}");
            if let Some(h) = e.hint() {
                let _ = writeln!(err, "hint: {h}");
            }
            e.exit().into()
        }
    }
}
