//! `sentinel completions SHELL` and `sentinel man`.

use crate::app::Ctx;
use crate::error::{Error, Exit, Result};
use clap::CommandFactory;

/// The completion script for a shell.
pub fn script(shell: clap_complete::Shell) -> Vec<u8> {
    let mut cmd = crate::cli::Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "sentinel", &mut out);
    out
}

/// completions.
pub fn run(ctx: &Ctx, shell: clap_complete::Shell) -> Result<Exit> {
    let s = script(shell);
    ctx.ui.out(|w| w.write_all(&s))?;
    Ok(Exit::Ok)
}

/// man.
pub fn man(ctx: &Ctx) -> Result<Exit> {
    let cmd = crate::cli::Cli::command();
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd)
        .render(&mut out)
        .map_err(Error::Output)?;
    ctx.ui.out(|w| w.write_all(&out))?;
    Ok(Exit::Ok)
}
