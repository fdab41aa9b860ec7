//! The one integration test binary (`autotests = false`): every file here is declared below, and
//! `forgotten_files` fails when one is not.

mod util;

mod cli_contract;
mod fixtures;
mod forgotten_files;
mod json_contract;
mod mitigate;
mod mitigate_tty;
mod pg_store;
mod playbooks;
mod postmortem;
mod probes;
mod probes_host;
mod probes_http;
mod probes_pg;
mod replay;
mod retrieval;
mod robustness;
mod snapshots;
mod store;
mod trgm_parity;
