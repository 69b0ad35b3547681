//! Command-line arguments.

use clap::{Args, Parser, Subcommand, ValueEnum};
use lambdasec_rules::Severity;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "lambdasec",
    version,
    about = "Find, explain and fix AWS Lambda security risks",
    long_about = "lambdasec scans CloudFormation and SAM templates (and, as their loaders land, \
                  Terraform, serverless.yml and live-account snapshots) for AWS Lambda security \
                  risks: public function URLs and policies, confused deputies, secrets in \
                  environment variables, deprecated runtimes, missing encryption, tracing, \
                  concurrency limits and failure handling, untrusted layers, shared roles."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan files and directories (templates are detected by content), or a live account
    /// (`--aws`).
    Scan(ScanArgs),
    /// Record live accounts into a snapshot file that `scan` reads offline.
    Collect(CollectArgs),
    /// List the rules.
    Rules(RulesArgs),
    /// Show one rule's documentation.
    Rule(RuleArgs),
    /// IAM policies: check (lint), simulate (one request) and analyze (what principals can do).
    Policy(crate::policy_cmd::PolicyArgs),
    /// Scan directories, files and archives (zip, jar, whl, nested) for secrets directly.
    Secrets(SecretsArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
    Sarif,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeverityArg {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl From<SeverityArg> for Severity {
    fn from(s: SeverityArg) -> Self {
        match s {
            SeverityArg::Info => Severity::Info,
            SeverityArg::Low => Severity::Low,
            SeverityArg::Medium => Severity::Medium,
            SeverityArg::High => Severity::High,
            SeverityArg::Critical => Severity::Critical,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files or directories to scan (directories are walked, respecting .gitignore).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,

    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Exit with status 1 when a finding is at or above this severity [default: high].
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<SeverityArg>,

    /// Run only these rules (codes, code prefixes such as `URL`, or names), comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub select: Vec<String>,

    /// Do not run these rules (codes, prefixes or names), comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub ignore: Vec<String>,

    /// Configuration file [default: ./lambdasec.toml when present].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Peer-compatible (broader) behaviour for rules whose default is narrower.
    #[arg(long)]
    pub strict: bool,

    /// The audited account id (for cross-account rules).
    #[arg(long, value_name = "ID")]
    pub account_id: Option<String>,

    /// The region templates deploy to (resolves `AWS::Region`); with `--aws`, the regions to
    /// collect: `r1,r2` or `all` [default: the configured region].
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,

    /// Scan the live account of the AWS credentials instead of files (see `lambdasec collect`
    /// for the other AWS flags).
    #[arg(long)]
    pub aws: bool,

    #[command(flatten)]
    pub live: AwsArgs,

    /// A template parameter value, `Name=Value` (repeatable).
    #[arg(long = "parameter", short = 'p', value_name = "NAME=VALUE")]
    pub parameters: Vec<String>,

    /// Colour the text output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Do not read the code of functions and layers (local directories and archives, inline
    /// code) for secrets (rules SEC002, SEC003).
    #[arg(long)]
    pub no_package_scan: bool,

    /// Add the PASS / FAIL / SKIP table of a compliance framework's controls (`aws-fsbp`,
    /// `cis-aws`, `owasp-serverless`, `nist-800-204c`) to the text or JSON report.
    #[arg(long, value_name = "NAME")]
    pub compliance: Option<String>,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = RulesFormat::Text)]
    pub format: RulesFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Text,
    Json,
    Markdown,
}

#[derive(Debug, Args)]
pub struct RuleArgs {
    /// The rule's code (`URL001`) or name (`function-url-without-auth`).
    pub code: String,
}

/// How to reach AWS (`scan --aws`, `collect`).
#[derive(Debug, Clone, Args)]
pub struct AwsArgs {
    /// A named profile of the AWS config and credentials files.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,

    /// A role to assume in each account of `--accounts`, with `{account}` for the account id
    /// (`arn:aws:iam::{account}:role/LambdasecAudit`).
    #[arg(long, value_name = "TEMPLATE")]
    pub role_arn: Option<String>,

    /// The accounts to collect through `--role-arn`: `ID,ID,...` or `org` (every active
    /// account of the organization).
    #[arg(long, value_name = "IDS|org")]
    pub accounts: Option<String>,

    /// Send every AWS request to this endpoint (an emulator such as moto).
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,

    /// Concurrent requests per service and region.
    #[arg(long, value_name = "N", default_value_t = 8)]
    pub concurrency: usize,

    /// Attempts per request (adaptive retry on throttling and server errors).
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub max_attempts: u32,
}

#[derive(Debug, Args)]
pub struct CollectArgs {
    /// The snapshot file to write.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: PathBuf,

    /// The regions to collect: `r1,r2` or `all` [default: the configured region].
    #[arg(long, value_name = "REGIONS")]
    pub region: Option<String>,

    /// Also save every function's deployment package and layer archive, next to the snapshot
    /// in `<name>.packages/`, for the secret and dependency checks.
    #[arg(long)]
    pub download_code: bool,

    /// Packages larger than this many MiB are not saved (the snapshot says so).
    #[arg(long, value_name = "MIB", default_value_t = 256)]
    pub max_package_size: u64,

    #[command(flatten)]
    pub live: AwsArgs,
}

#[derive(Debug, Args)]
pub struct SecretsArgs {
    /// Directories, files or archives to scan (directories are walked whole, except version
    /// control and `.aws-sam` build output).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,

    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Report matches at or above this confidence (`low` adds human-looking passwords under
    /// sensitive names).
    #[arg(long, value_enum, default_value_t = ConfidenceArg::Medium)]
    pub min_confidence: ConfidenceArg,

    /// Files and archive entries larger than this many MiB are not read (the report says so).
    #[arg(long, value_name = "MIB", default_value_t = 256)]
    pub max_file_size: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ConfidenceArg {
    Low,
    Medium,
    High,
}

impl From<ConfidenceArg> for lambdasec_secrets::Confidence {
    fn from(c: ConfidenceArg) -> Self {
        match c {
            ConfidenceArg::Low => lambdasec_secrets::Confidence::Low,
            ConfidenceArg::Medium => lambdasec_secrets::Confidence::Medium,
            ConfidenceArg::High => lambdasec_secrets::Confidence::High,
        }
    }
}
