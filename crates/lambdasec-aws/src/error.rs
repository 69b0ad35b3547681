//! Errors that stop a collection before it starts. Everything that goes wrong during collection
//! is a "not assessed" marker in the snapshot instead.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum CollectError {
    /// A flag value that cannot be used.
    #[error("invalid {flag}: {message}")]
    InvalidOption { flag: &'static str, message: String },
    /// The audited identity could not be established (no credentials, expired token, unknown
    /// profile, unreachable endpoint).
    #[error("cannot identify the account{}: {code}: {message}", account.as_deref().map(|a| format!(" {a}")).unwrap_or_default())]
    Identity {
        account: Option<String>,
        code: String,
        message: String,
    },
    /// `--accounts org` needs the organization's account list.
    #[error("cannot list the organization's accounts: {code}: {message}")]
    Organization { code: String, message: String },
    /// `--region all` needs the enabled regions.
    #[error("cannot list the enabled regions: {code}: {message}")]
    Regions { code: String, message: String },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot start the async runtime: {0}")]
    Runtime(#[source] std::io::Error),
}
