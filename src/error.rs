//! Errors and exit codes: the one place that maps what went wrong to what the user sees.
//!
//! Every fallible path in the library returns [`Error`]. Its `Display` is one sentence (lowercase start,
//! no trailing period); [`Error::hint`] gives the next step; [`Error::exit`] picks the exit code. `main`
//! prints `error: …` and `hint: …` on stderr. No stage module prints.

use std::path::PathBuf;

/// Process exit codes. These are a contract: scripts and runbooks depend on them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// A report was produced (even when some probes were skipped, failed or timed out).
    Ok = 0,
    /// A runtime error: unreadable input, a broken store, an invalid playbook.
    Runtime = 1,
    /// A usage error: bad flags (clap), an unknown id given to `--approve`.
    Usage = 2,
    /// A decision was needed but `--no-input` (or no terminal) forbade asking.
    DecisionNeeded = 3,
    /// An approved mitigation failed, or its verification did not show recovery.
    MitigationFailed = 4,
    /// Interrupted by Ctrl-C; partial results were saved.
    Interrupted = 130,
}

impl From<Exit> for std::process::ExitCode {
    fn from(e: Exit) -> Self {
        std::process::ExitCode::from(e as u8)
    }
}

/// Everything that can go wrong, with what the user needs to act on it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An input file could not be read.
    #[error("cannot read {path}: {source}")]
    ReadInput {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Standard input could not be read.
    #[error("cannot read standard input: {0}")]
    ReadStdin(std::io::Error),
    /// The input named neither a file nor a known incident.
    #[error("no file or stored incident named `{0}`")]
    UnknownInput(String),
    /// The incident store failed.
    #[error("incident store: {0}")]
    Store(#[from] crate::store::StoreError),
    /// A playbook file is invalid.
    #[error("{0}")]
    Playbook(#[from] crate::playbook::PlaybookError),
    /// `playbook lint` found problems.
    #[error("{count} problem(s) found in playbooks")]
    LintFailed {
        /// How many problems.
        count: usize,
    },
    /// `playbook test` found failing examples.
    #[error("{failed} of {total} playbook example(s) failed")]
    PlaybookTestFailed {
        /// Failing examples.
        failed: usize,
        /// All examples.
        total: usize,
    },
    /// A playbook id was not found.
    #[error("no playbook with id `{0}`")]
    UnknownPlaybook(String),
    /// A feature of the command line that a later release builds.
    #[error("{0} is not built yet")]
    NotBuilt(&'static str),
    /// A bad value for a flag, found after parsing.
    #[error("{0}")]
    Usage(String),
    /// A decision was needed and prompts are not allowed (`--no-input`, no terminal).
    #[error("{0}")]
    Decision(String),
    /// `investigate --replay` with nothing saved to replay.
    #[error("{0}")]
    NoReplay(String),
    /// Writing output failed.
    #[error("cannot write output: {0}")]
    Output(std::io::Error),
    /// Writing a file failed.
    #[error("cannot write {path}: {source}")]
    WriteFile {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

impl Error {
    /// The exit code this error maps to.
    pub fn exit(&self) -> Exit {
        match self {
            Error::Usage(_) => Exit::Usage,
            Error::Decision(_) => Exit::DecisionNeeded,
            _ => Exit::Runtime,
        }
    }

    /// The next step for the user, where one helps.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::UnknownInput(_) => Some(
                "pass a file path, `-` for standard input, or an id from `sentinel incidents list`"
                    .into(),
            ),
            Error::Playbook(_) | Error::LintFailed { .. } => {
                Some("see playbooks/README.md for the schema; `sentinel playbook lint DIR` lists every problem".into())
            }
            Error::PlaybookTestFailed { .. } => {
                Some("run `sentinel playbook test DIR -v` to see the ranking of each failing example".into())
            }
            Error::NoReplay(_) => Some(
                "run `sentinel investigate INPUT` without --offline: it runs the probes and saves their outputs for --replay".into(),
            ),
            Error::UnknownPlaybook(_) => Some("`sentinel playbook list` shows the ids".into()),
            Error::NotBuilt(_) => Some("see CHANGELOG.md for what this release covers".into()),
            Error::Store(crate::store::StoreError::NotFound(_)) => {
                Some("`sentinel incidents list` shows the stored ids".into())
            }
            Error::Store(crate::store::StoreError::Corrupt { .. }) => Some(
                "fix or remove that file; the other incidents are not affected".into(),
            ),
            Error::Store(crate::store::StoreError::BadId(_)) => {
                Some("for example: --id INC-0814".into())
            }
            Error::Store(crate::store::StoreError::NotImported(_)) => Some(
                "import the text under another --id; the ingested incident stays as it is".into(),
            ),
            Error::Store(crate::store::StoreError::SameText { existing, .. }) => Some(format!(
                "nothing to add: `sentinel incidents show {existing}` shows it"
            )),
            Error::Store(crate::store::StoreError::CaseClash { existing, .. }) => Some(format!(
                "ids that differ only in case are one folder on some file systems: use {existing} or another id"
            )),
            Error::Store(crate::store::StoreError::Postgres(m)) if m.contains("UnknownIssuer") => Some(
                "no trusted root signed the server's certificate: add sslrootcert=/path/to/its-ca.pem to the URL".into(),
            ),
            Error::Store(crate::store::StoreError::Postgres(m)) if m.contains("not valid for name") => Some(
                "connect by the name the certificate gives, or use sslmode=verify-ca to check the chain only".into(),
            ),
            Error::Store(crate::store::StoreError::Postgres(_)) => Some(
                "check the URL, that the server answers, and for TLS its sslmode and sslrootcert".into(),
            ),
            Error::Store(crate::store::StoreError::BadDsn(_)) => Some(
                "for example: --store 'postgres://sentinel@db.internal/incidents?sslmode=verify-full&sslrootcert=/etc/ssl/db-ca.pem'".into(),
            ),
            _ => None,
        }
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
