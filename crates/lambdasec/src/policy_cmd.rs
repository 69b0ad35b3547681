//! `lambdasec policy check | simulate | analyze`: the IAM engine on policy files, templates and
//! `aws iam get-account-authorization-details` output. The logic is the library's
//! (`lambdasec_iam`); this module reads files, builds requests and renders answers.

mod analyze;
mod check;
mod input;
mod simulate;
mod view;

use clap::{Args, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct PolicyArgs {
    #[command(subcommand)]
    pub command: PolicyCommand,
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Lint IAM policies: unknown services and actions, malformed ARNs, resources that do not
    /// fit the actions, redundant statements, risky constructs. Reads policy documents (JSON or
    /// YAML), templates (every policy in them) and authorization-details files.
    Check(CheckArgs),
    /// Answer one request against policies, as AWS evaluates it.
    Simulate(Box<SimulateArgs>),
    /// What a principal can really do: admin equivalence, privilege escalation, data
    /// exfiltration, credentials and resource exposure, infrastructure modification.
    Analyze(AnalyzeArgs),
}

/// Output formats of the policy verbs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// How to read a bare policy document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DocKind {
    /// Resource-based when a statement names a `Principal`, identity-based otherwise.
    Auto,
    Identity,
    Resource,
}

/// The least severe issue that makes `policy check` exit with 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Policy documents, templates or authorization-details files.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// How to read bare policy documents.
    #[arg(long, value_enum, default_value_t = DocKind::Auto)]
    pub kind: DocKind,

    /// Exit with status 1 when an issue is at or above this level.
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,
}

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// An identity-based policy of the caller (repeatable).
    #[arg(long, value_name = "FILE")]
    pub policy: Vec<PathBuf>,

    /// The resource-based policy of the target resource.
    #[arg(long, value_name = "FILE")]
    pub resource_policy: Option<PathBuf>,

    /// The caller's permissions boundary.
    #[arg(long, value_name = "FILE")]
    pub boundary: Option<PathBuf>,

    /// A session policy of the caller's role session (repeatable).
    #[arg(long, value_name = "FILE")]
    pub session_policy: Vec<PathBuf>,

    /// A service control policy (repeatable; all apply at one level: one of them must allow).
    #[arg(long, value_name = "FILE")]
    pub scp: Vec<PathBuf>,

    /// The action (`s3:GetObject`).
    #[arg(long, value_name = "ACTION")]
    pub action: String,

    /// The resource ARN (`*` for actions without resources).
    #[arg(long, value_name = "ARN")]
    pub resource: String,

    /// The caller: a role, user, role-session or root ARN, an account id, a service
    /// (`lambda.amazonaws.com`), or `anonymous` [default: a role session in the resource's
    /// account].
    #[arg(long, value_name = "PRINCIPAL")]
    pub principal: Option<String>,

    /// The account that owns the resource, when its ARN does not say (S3).
    #[arg(long, value_name = "ID")]
    pub resource_account: Option<String>,

    /// A request context key, `KEY=VALUE` (repeatable; a key given several times is
    /// multivalued).
    #[arg(long, value_name = "KEY=VALUE")]
    pub context: Vec<String>,

    /// Keys not given with `--context` are absent from the request, as in AWS's policy
    /// simulator. By default they are unknown, and conditions on them make the answer
    /// `depends`.
    #[arg(long)]
    pub complete_context: bool,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// Policy documents, role JSON (an element of `RoleDetailList`), templates (every role) or
    /// authorization-details files.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// In text output, also list the principals with nothing to report.
    #[arg(long)]
    pub all: bool,
}

pub fn run(args: &PolicyArgs) -> anyhow::Result<ExitCode> {
    match &args.command {
        PolicyCommand::Check(a) => check::run(a),
        PolicyCommand::Simulate(a) => simulate::run(a),
        PolicyCommand::Analyze(a) => analyze::run(a),
    }
}
