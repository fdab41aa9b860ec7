//! The command line (clap derive types only). The whole contract of DESIGN.md is accepted; parts
//! a later release builds say so when used.

use crate::report::Format;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Offline incident investigator: ranked root-cause hypotheses, a checklist of read-only probes,
/// mitigations with risk and rollback, from a raw outage paste.
#[derive(Debug, Parser)]
#[command(
    name = "sentinel",
    version,
    arg_required_else_help = true,
    propagate_version = true
)]
#[command(
    after_help = "Examples:\n  sentinel investigate incident.txt\n  pbpaste | sentinel investigate - --format json | jq '.hypotheses[0]'\n  sentinel checklist incident.txt"
)]
pub struct Cli {
    /// Flags shared by every command.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// When to use colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and NO_COLOR is unset.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// How all-numeric dates are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DateOrderArg {
    /// 6/2/2026 is June 2.
    Mdy,
    /// 6/2/2026 is 6 February.
    Dmy,
}

/// Global flags, accepted before or after the subcommand.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Output format (default: table; postmortem: markdown).
    #[arg(long, global = true, value_enum)]
    pub format: Option<Format>,
    /// Never prompt; fail with exit code 3 where a decision is needed.
    #[arg(long, global = true)]
    pub no_input: bool,
    /// When to use colour.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print only the result.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Show more: every hypothesis and all evidence.
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// Incident store: a directory or a postgres:// URL.
    #[arg(long, global = true, env = "SENTINEL_STORE", value_name = "DIR|URL")]
    pub store: Option<String>,
    /// Extra playbooks; a file whose id matches a built-in one replaces it (repeatable).
    #[arg(long, global = true, value_name = "DIR")]
    pub playbooks: Vec<PathBuf>,
    /// How a date like 6/2/2026 is read.
    #[arg(long, global = true, value_enum, env = "SENTINEL_DATE_ORDER", default_value_t = DateOrderArg::Mdy)]
    pub date_order: DateOrderArg,
    /// The zone of times written without one (IANA name or +HH:MM).
    #[arg(
        long,
        global = true,
        env = "SENTINEL_TZ",
        default_value = "UTC",
        value_name = "ZONE"
    )]
    pub tz: String,
}

/// Commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Rank root-cause hypotheses for an incident, with evidence, checklist and mitigations.
    #[command(
        after_help = "Examples:\n  sentinel investigate incident.txt\n  pbpaste | sentinel investigate -\n  sentinel investigate incident.txt --offline --format json | jq '.hypotheses[0]'"
    )]
    Investigate(InvestigateArgs),
    /// Print the investigation checklist (probe, command, why, expected) without running it.
    #[command(
        after_help = "Examples:\n  sentinel checklist incident.txt\n  sentinel checklist - --format json < incident.txt"
    )]
    Checklist(ChecklistArgs),
    /// Review and approve mitigations for a stored incident.
    #[command(
        after_help = "Examples:\n  sentinel mitigate INC-ID --dry-run\n  sentinel mitigate INC-ID --approve terminate-long-scans --no-input"
    )]
    Mitigate(MitigateArgs),
    /// Write the markdown postmortem draft.
    #[command(
        after_help = "Examples:\n  sentinel postmortem INC-ID -o postmortem.md\n  sentinel postmortem incident.txt\n  sentinel postmortem INC-ID --follow-ups | gh issue create --title 'INC-ID follow-ups' --body-file -"
    )]
    Postmortem(PostmortemArgs),
    /// Find similar past incidents, or add one to the store.
    #[command(
        after_help = "Examples:\n  sentinel similar incident.txt --limit 5\n  sentinel similar --add old-postmortem.md --id INC-0814"
    )]
    Similar(SimilarArgs),
    /// Parse and save an incident; prints its id on the last line.
    #[command(after_help = "Examples:\n  sentinel ingest incident.txt")]
    Ingest(IngestArgs),
    /// The stored incidents.
    #[command(
        subcommand,
        after_help = "Examples:\n  sentinel incidents list\n  sentinel incidents prune --older-than 180d"
    )]
    Incidents(IncidentsCommand),
    /// The incident store.
    #[command(
        subcommand,
        after_help = "Examples:\n  sentinel --store postgres://sentinel@db/incidents store migrate"
    )]
    Store(StoreCommand),
    /// List, show, lint and test playbooks.
    #[command(
        subcommand,
        after_help = "Examples:\n  sentinel playbook list\n  sentinel playbook lint ./my-playbooks\n  sentinel playbook test ./my-playbooks"
    )]
    Playbook(PlaybookCommand),
    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  sentinel completions bash > /etc/bash_completion.d/sentinel"
    )]
    Completions(CompletionsArgs),
    /// Print the man page (roff).
    #[command(after_help = "Examples:\n  sentinel man | man -l -")]
    Man,
}

/// An input: a file, `-` for stdin, or a stored incident id.
#[derive(Debug, Args)]
pub struct InputArg {
    /// A file, `-` for standard input, or a stored incident id.
    #[arg(value_name = "FILE|-|INCIDENT_ID")]
    pub input: Option<String>,
}

/// investigate.
#[derive(Debug, Args)]
pub struct InvestigateArgs {
    /// The incident.
    #[command(flatten)]
    pub input: InputArg,
    /// Run no probes: analyse the text alone.
    #[arg(long)]
    pub offline: bool,
    /// Kubernetes namespace for probes.
    #[arg(long, short = 'n')]
    pub namespace: Option<String>,
    /// kubectl context (default: the current context).
    #[arg(long)]
    pub kube_context: Option<String>,
    /// Label selector for the workload.
    #[arg(long, short = 'l')]
    pub selector: Option<String>,
    /// Host for host probes over ssh (repeatable).
    #[arg(long, allow_hyphen_values = true)]
    pub host: Vec<String>,
    /// Postgres URL for SQL probes (or libpq env vars).
    #[arg(long, value_name = "URL")]
    pub pg: Option<String>,
    /// Log file or folder to grep (repeatable).
    #[arg(long, value_name = "PATH")]
    pub logs: Vec<PathBuf>,
    /// Prometheus base URL.
    #[arg(long, value_name = "URL")]
    pub prom: Option<String>,
    /// Health endpoint to GET (repeatable): its status, latency and the components its body
    /// reports down.
    #[arg(long, value_name = "URL")]
    pub health: Vec<String>,
    /// Timeout per probe (e.g. 10s).
    #[arg(long, default_value = "10s")]
    pub timeout: String,
    /// Probes run at once.
    #[arg(long, default_value_t = 8)]
    pub concurrency: usize,
    /// Re-analyse the probe outputs saved in a bundle.
    #[arg(long)]
    pub replay: bool,
}

/// checklist.
#[derive(Debug, Args)]
pub struct ChecklistArgs {
    /// The incident.
    #[command(flatten)]
    pub input: InputArg,
    /// Kubernetes namespace for probes.
    #[arg(long, short = 'n')]
    pub namespace: Option<String>,
    /// Label selector for the workload.
    #[arg(long, short = 'l')]
    pub selector: Option<String>,
    /// Host for host probes (repeatable).
    #[arg(long)]
    pub host: Vec<String>,
    /// Postgres URL the SQL probes would use (or libpq env vars).
    #[arg(long, value_name = "URL")]
    pub pg: Option<String>,
    /// Log file or folder the log probes would grep (repeatable).
    #[arg(long, value_name = "PATH")]
    pub logs: Vec<PathBuf>,
    /// Prometheus base URL the HTTP probes would query.
    #[arg(long, value_name = "URL")]
    pub prom: Option<String>,
}

/// mitigate.
#[derive(Debug, Args)]
pub struct MitigateArgs {
    /// The stored incident.
    #[arg(value_name = "INCIDENT_ID")]
    pub incident: Option<String>,
    /// Show what would run; run nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Approve a mitigation by id (repeatable, for scripts).
    #[arg(long, value_name = "ID")]
    pub approve: Vec<String>,
    /// How long the verification probe watches.
    #[arg(long, default_value = "5m", value_name = "DURATION")]
    pub verify_for: String,
    /// The database SQL mitigations run on, with its credentials (the bundle keeps the URL of
    /// the probe run without its password; this must name the same server and database).
    #[arg(long, value_name = "URL")]
    pub pg: Option<String>,
}

/// postmortem.
#[derive(Debug, Args)]
pub struct PostmortemArgs {
    /// The incident.
    #[command(flatten)]
    pub input: InputArg,
    /// Write to this file.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Write over a draft without asking (human-edited sections are kept).
    #[arg(long)]
    pub force: bool,
    /// Print only the follow-up action items: a markdown checklist that pastes into an issue
    /// tracker (`--format json`: the items as data).
    #[arg(long, conflicts_with_all = ["output", "force"])]
    pub follow_ups: bool,
}

/// similar.
#[derive(Debug, Args)]
pub struct SimilarArgs {
    /// The incident.
    #[command(flatten)]
    pub input: InputArg,
    /// How many matches.
    #[arg(long, default_value_t = 5)]
    pub limit: usize,
    /// Add a past incident from this file.
    #[arg(long, value_name = "FILE", requires = "id")]
    pub add: Option<PathBuf>,
    /// The id for --add.
    #[arg(long)]
    pub id: Option<String>,
}

/// ingest.
#[derive(Debug, Args)]
pub struct IngestArgs {
    /// A file or `-`.
    #[arg(value_name = "FILE|-")]
    pub input: Option<String>,
}

/// incidents.
#[derive(Debug, Subcommand)]
pub enum IncidentsCommand {
    /// List stored incidents.
    List,
    /// Show one.
    Show {
        /// Incident id.
        id: String,
    },
    /// Remove one.
    Rm {
        /// Incident id.
        id: String,
    },
    /// Remove old ones.
    Prune {
        /// Age, e.g. 180d.
        #[arg(long, value_name = "DURATION")]
        older_than: String,
    },
}

/// store.
#[derive(Debug, Subcommand)]
pub enum StoreCommand {
    /// Create or upgrade the Postgres schema.
    Migrate,
}

/// playbook.
#[derive(Debug, Subcommand)]
pub enum PlaybookCommand {
    /// List playbooks with their source (builtin or custom).
    List,
    /// Show one playbook's YAML.
    Show {
        /// Playbook id.
        id: String,
    },
    /// Check playbooks: schema, regexes, weights, read-only probes (file:line:column).
    Lint {
        /// A folder (default: the built-in playbooks).
        dir: Option<PathBuf>,
    },
    /// Run each playbook's examples through the ranking.
    Test {
        /// A folder (default: the built-in playbooks).
        dir: Option<PathBuf>,
    },
}

/// completions.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}
