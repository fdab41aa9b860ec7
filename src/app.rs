//! Turns the parsed command line into settings ([`Ctx`]) once, then dispatches to a command.

use crate::cli::{Cli, Command, DateOrderArg};
use crate::error::{Error, Exit, Result};
use crate::ingest::Settings;
use crate::ingest::time::{DateOrder, TimeSettings};
use crate::playbook::{self, Library};
use crate::ui::Ui;

/// Resolved settings shared by all commands.
pub struct Ctx {
    /// Output.
    pub ui: Ui,
    /// Parse settings.
    pub settings: Settings,
    /// `--format`.
    pub format: Option<crate::report::Format>,
    /// `--playbooks` folders.
    pub playbook_dirs: Vec<std::path::PathBuf>,
    /// `--store`.
    pub store: Option<String>,
    /// The Postgres store once connected, by its URL (see `commands::store`).
    pub pg: std::sync::Mutex<Option<(String, std::sync::Arc<crate::store::pg::PgStore>)>>,
}

impl Ctx {
    /// The playbook library: built-ins overridden and extended by `--playbooks`.
    pub fn library(&self) -> Result<Library> {
        library(&self.playbook_dirs)
    }
}

/// The built-in playbooks overridden and extended by those in `dirs`.
pub fn library(dirs: &[std::path::PathBuf]) -> Result<Library> {
    let builtin = playbook::builtins()?;
    let mut custom = Vec::new();
    for d in dirs {
        custom.extend(playbook::load_dir(d)?);
    }
    Ok(Library::new(builtin, custom)?)
}

/// Run a parsed command line.
pub fn run(cli: Cli) -> Result<Exit> {
    let g = &cli.global;
    let tz = crate::ingest::time::parse_zone(&g.tz)
        .map_err(|e| Error::Usage(format!("--tz {}: {e}", g.tz)))?;
    let ctx = Ctx {
        ui: Ui::new(g.color, g.quiet, g.verbose, g.no_input),
        settings: Settings {
            time: TimeSettings {
                date_order: match g.date_order {
                    DateOrderArg::Mdy => DateOrder::Mdy,
                    DateOrderArg::Dmy => DateOrder::Dmy,
                },
                tz,
            },
        },
        format: g.format,
        playbook_dirs: g.playbooks.clone(),
        store: g.store.clone(),
        pg: std::sync::Mutex::new(None),
    };
    match &cli.command {
        Command::Investigate(a) => crate::commands::investigate::run(&ctx, a),
        Command::Checklist(a) => crate::commands::investigate::checklist(&ctx, a),
        Command::Playbook(c) => crate::commands::playbook::run(&ctx, c),
        Command::Completions(a) => crate::commands::completions::run(&ctx, a.shell),
        Command::Man => crate::commands::completions::man(&ctx),
        Command::Mitigate(a) => crate::commands::mitigate::run(&ctx, a),
        Command::Postmortem(a) => crate::commands::postmortem::run(&ctx, a),
        Command::Similar(a) => crate::commands::store::run_similar(&ctx, a),
        Command::Ingest(a) => crate::commands::store::ingest(&ctx, a),
        Command::Incidents(c) => crate::commands::store::incidents(&ctx, c),
        Command::Store(c) => crate::commands::store::store_command(&ctx, c),
    }
}
