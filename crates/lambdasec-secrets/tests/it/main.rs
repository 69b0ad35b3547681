//! Integration tests: the precision corpus, package scanning, redaction and archive robustness.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "test helpers: a failure is a test failure"
)]

mod archive_props;
mod env_corpus;
mod fake;
mod files;
mod no_leak;
mod per_rule;
