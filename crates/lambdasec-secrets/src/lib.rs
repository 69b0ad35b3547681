//! Secret detection for Lambda: environment values, deployment packages and layers.
//!
//! - [`Detector`]: provider formats (AWS, GitHub, GitLab, Slack, Stripe, Twilio, SendGrid, Google,
//!   Azure, npm, PyPI, OpenAI, Anthropic, Hugging Face, Shopify, Vault, JWTs, private keys,
//!   passwords in URLs) plus generic `password = "..."` assignments gated by entropy thresholds
//!   per character set, behind an Aho-Corasick keyword prefilter. Every match has a
//!   [`Confidence`].
//! - [`Detector::check_env`] (rule SEC001) decides whether an environment variable's value is a
//!   secret; [`SensitiveNames`] and [`classify_value`] (rule SEC004) decide whether a sensitive
//!   name holds plaintext rather than a reference.
//! - [`redact`]: the only form a secret leaves this crate in — prefix, length and stable hash. A
//!   [`SecretMatch`] never holds the secret, so no renderer can print it by accident.
//!
//! - [`Scanner`] (rules SEC002 and SEC003): directories, files and zip archives (packages,
//!   layers, jars, wheels, nested archives) scanned in memory with caps against zip bombs;
//!   findings carry `archive.zip!/inner.jar!/file` paths and lines; [`output`] renders a
//!   report as text, JSON or SARIF (`lambdasec secrets PATH...`).
//!
//! ```
//! use lambdasec_secrets::{Detector, ScanOptions, Scanner, SecretKind};
//!
//! let detector = Detector::shared().expect("the built-in rules compile");
//!
//! // SEC001: a secret in an environment variable (span relative to the value).
//! let m = detector.check_env("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE").unwrap();
//! assert_eq!(m.kind, SecretKind::AwsAccessKeyId);
//! assert_eq!(m.redacted.prefix, "AKIA");
//! assert!(detector.check_env("DB_PASSWORD", "{{resolve:secretsmanager:prod/db}}").is_none());
//!
//! // SEC004: a sensitive name holding plaintext rather than a reference.
//! assert!(detector.check_sensitive_plaintext("DB_PASSWORD", "hunter2").is_some());
//! assert!(detector.check_sensitive_plaintext("DB_PASSWORD", "${ssm:/db/password}").is_none());
//!
//! // SEC002 / SEC003: files, directories, archives (here inline code held in memory).
//! let scanner = Scanner::new(detector, ScanOptions::default());
//! let report = scanner.scan_bytes("inline.py", b"import os\nKEY = 'AKIAQX7RMZ2WK4TB5NLP'\n");
//! assert_eq!((report.findings[0].line, report.findings[0].column), (2, 8));
//! ```
//!
//! The crate is pure: no printing, no network. Scanning files and archives reads the paths it is
//! given and nothing else.

mod archive;
mod detector;
pub mod entropy;
mod env;
mod kind;
mod names;
pub mod output;
mod patterns;
pub mod redact;
mod rules;
mod scan;
mod value;

pub use detector::{BuildError, Detector, SecretMatch};
pub use env::SensitivePlaintext;
pub use kind::{Confidence, SecretKind};
pub use names::{DEFAULT_POINTER_WORDS, DEFAULT_TERMS, SensitiveNames, words};
pub use patterns::{PatternError, Patterns};
pub use redact::{Redacted, Redactor, mask, redact};
pub use scan::{
    Finding, Limits, ScanError, ScanOptions, ScanReport, Scanner, SkipReason, Skipped, is_binary,
    is_zip,
};
pub use value::{
    ReferenceKind, ValueClass, classify_value, has_interpolation, is_arn, is_identifier_like,
    is_kms_ciphertext, is_placeholder, is_uuid, reference_kind,
};

/// SEC001 with the shared default detector: is the value of environment variable `name` a
/// secret? `None` when it is not, or when the built-in rules failed to build (never, in
/// practice: a test builds them).
pub fn check_env(name: &str, value: &str) -> Option<SecretMatch> {
    Detector::shared().ok()?.check_env(name, value)
}
