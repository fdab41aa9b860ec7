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
pub mod model;
pub mod plan;
pub mod playbook;
pub mod rank;
pub mod re;
pub mod report;
pub mod safety;
pub mod template;
pub mod ui;

pub use error::{Error, Exit, Result};
