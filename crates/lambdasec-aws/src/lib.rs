//! Live collection for lambdasec: everything the rules need from AWS accounts, read with the AWS
//! SDK for Rust (the only crate of the workspace that links it), into a versioned snapshot
//! ([`lambdasec_load::snapshot::format`]) that scans exactly like a live account.
//!
//! ```no_run
//! use lambdasec_aws::{CollectOptions, NoProgress, Regions, collect_blocking, write_snapshot};
//! use std::sync::Arc;
//!
//! let options = CollectOptions {
//!     regions: Regions::parse("eu-west-1,us-east-1")?,
//!     ..CollectOptions::default()
//! };
//! let collection = collect_blocking(&options, Arc::new(NoProgress))?;
//! write_snapshot(&collection.snapshot, std::path::Path::new("account.json"))?;
//! let inventory = collection.inventory(); // what `scan --aws` scans
//! # Ok::<(), lambdasec_aws::CollectError>(())
//! ```
//!
//! Collection never aborts on a failed call: access denied, unsupported or throttled-out calls
//! become `not_assessed` entries of the snapshot (and warnings of the inventory). Only a missing
//! identity (no usable credentials) or an unusable option stops it.

pub mod actions;
mod clients;
pub mod cloudwatch;
mod collect;
mod download;
pub mod ec2;
mod error;
mod http;
mod options;
mod progress;
mod query;
mod scope;
mod write;

pub use actions::{Action, ORGANIZATION_POLICY, READ_ONLY_POLICY};
pub use collect::{Collection, collect, collect_blocking};
pub use error::CollectError;
pub use options::{
    ACCOUNT_PLACEHOLDER, Accounts, CollectOptions, DEFAULT_MAX_PACKAGE_BYTES, Download, Regions,
};
pub use progress::{NoProgress, Progress};
pub use scope::Failure;
pub use write::{snapshot_to_json, write_snapshot};
