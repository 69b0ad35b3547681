//! Integration tests of the collector: against the moto emulator (skipped, with a message, when
//! `LAMBDASEC_MOTO_ENDPOINT` is not set — run them through `scripts/with-moto.sh`), and against
//! recorded responses for the calls moto does not implement.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed expectation is a failed test"
)]

mod accounts;
mod moto;
mod recorded;
mod scenario;
