//! The incident store: bundles of past incidents and the similarity that finds them.

pub mod trgm;
