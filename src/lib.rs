//! sentinel: an offline, deterministic incident investigator.
//!
//! The pipeline is one module per stage: [`ingest`] (text -> [`model::Incident`]), [`rank`]
//! (incident + [`playbook::Library`] -> hypotheses), [`plan`] (checklist, mitigations,
//! follow-ups), [`analyze`] (the whole offline pipeline), and [`report`] (the only renderer).
//! Pure stages take no clock, environment or filesystem. [`app`], [`cli`], [`commands`] and
//! [`ui`] are the command-line shell around them.

pub mod analyze;
pub mod app;
pub mod cli;
pub mod commands;
pub mod error;
pub mod ingest;
pub mod mitigate;
pub mod model;
pub mod plan;
pub mod playbook;
pub mod postmortem;
pub mod probe;
pub mod rank;
pub mod re;
pub mod report;
pub mod safety;
pub mod store;
pub mod template;
pub mod ui;

pub use error::{Error, Exit, Result};

/// Compile the fixed patterns of the whole pipeline, the last used first. Run on a spare thread
/// while the paste is being read, it takes their compiling (a few milliseconds) off the reading
/// thread: a pattern it is still compiling when the reader needs it is waited for, not built
/// twice.
pub fn warm() {
    analyze::warm();
    template::warm();
    rank::warm();
    ingest::warm();
    ingest::entity::warm();
    ingest::change::warm();
    ingest::metric::warm();
    ingest::signature::warm();
    ingest::text::warm();
}
