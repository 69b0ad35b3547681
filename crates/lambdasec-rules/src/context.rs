//! What a rule sees: the inventory, its index, and the configuration.

use crate::date::Date;
use crate::severity::Severity;
use lambdasec_model::{Index, Inventory};
use std::collections::BTreeMap;

/// Accounts from which AWS publishes layers, with the layer-name prefix each publishes:
/// Powertools for AWS Lambda, Lambda Insights, the Parameters and Secrets and AppConfig
/// extensions (their us-east-1 accounts), the Lambda Web Adapter and AWS Distro for
/// OpenTelemetry. A layer is trusted only when both account and name match. The list is partial
/// (several of these layers are published from a different account per region): add others with
/// `trusted_accounts`, or turn the list off with `trust_aws_layer_publishers = false`.
pub const AWS_LAYER_PUBLISHERS: &[(&str, &str, &str)] = &[
    (
        "017000801446",
        "AWSLambdaPowertools",
        "Powertools for AWS Lambda (Python)",
    ),
    (
        "094274105915",
        "AWSLambdaPowertools",
        "Powertools for AWS Lambda (TypeScript)",
    ),
    (
        "580247275435",
        "LambdaInsightsExtension",
        "Amazon CloudWatch Lambda Insights",
    ),
    (
        "177933569100",
        "AWS-Parameters-and-Secrets-Lambda-Extension",
        "AWS Parameters and Secrets Lambda Extension",
    ),
    (
        "027255383542",
        "AWS-AppConfig-Extension",
        "AWS AppConfig Lambda extension",
    ),
    (
        "066940009817",
        "AWS-AppConfig-Extension",
        "AWS AppConfig Lambda extension",
    ),
    (
        "753240598075",
        "LambdaAdapterLayer",
        "AWS Lambda Web Adapter",
    ),
    ("901920570463", "aws-otel-", "AWS Distro for OpenTelemetry"),
];

/// Settings that change what rules report (from `lambdasec.toml` and flags).
#[derive(Debug, Clone)]
pub struct RuleConfig {
    /// The date rules judge against (runtime lifecycle).
    pub today: Date,
    /// The audited account, when the inventory does not know it.
    pub account_id: Option<String>,
    /// Accounts treated as ours (cross-account rules stay silent for them).
    pub trusted_accounts: Vec<String>,
    /// The audited organization (`o-...`).
    pub organization_id: Option<String>,
    /// Treat the AWS layer publisher accounts as trusted.
    pub trust_aws_layer_publishers: bool,
    /// Tag keys every function must carry.
    pub required_tags: Vec<String>,
    /// Terms that mark an environment variable's name as sensitive (SEC004), added to the
    /// default list (`PASSWORD`, `SECRET`, `TOKEN`, `API_KEY`, ...).
    pub sensitive_names: Vec<String>,
    /// RT002 warns this many days before a runtime's deprecation.
    pub runtime_warning_days: i64,
    /// Peer-compatible (broader) behaviour for rules whose default is narrower.
    pub strict: bool,
    /// Execution roles must have a permissions boundary (IAM010).
    pub require_permissions_boundary: bool,
    /// Per-rule severity overrides.
    pub severity: BTreeMap<String, Severity>,
}

impl Default for RuleConfig {
    fn default() -> Self {
        RuleConfig {
            today: Date::today(),
            account_id: None,
            trusted_accounts: Vec::new(),
            organization_id: None,
            trust_aws_layer_publishers: true,
            required_tags: Vec::new(),
            sensitive_names: Vec::new(),
            runtime_warning_days: 90,
            strict: false,
            require_permissions_boundary: false,
            severity: BTreeMap::new(),
        }
    }
}

/// What a rule's check receives.
#[derive(Debug)]
pub struct Context<'a> {
    pub inventory: &'a Inventory,
    pub index: Index<'a>,
    pub config: &'a RuleConfig,
    /// Facts several rules derive (execution roles analysed by the IAM engine, internet
    /// exposure), computed once on first use.
    pub(crate) facts: crate::facts::Facts<'a>,
}

impl<'a> Context<'a> {
    pub fn new(inventory: &'a Inventory, config: &'a RuleConfig) -> Self {
        Context {
            inventory,
            index: inventory.index(),
            config,
            facts: crate::facts::Facts::default(),
        }
    }

    /// The audited account: from the configuration, else from the inventory (live data).
    pub fn audited_account(&self) -> Option<&'a str> {
        self.config
            .account_id
            .as_deref()
            .or(self.inventory.account_id.as_deref())
    }

    /// True for the audited account and the configured trusted accounts.
    pub fn is_own_account(&self, account: &str) -> bool {
        self.audited_account() == Some(account)
            || self.config.trusted_accounts.iter().any(|a| a == account)
    }

    /// The AWS publisher of a layer (by account and layer name), when it is one and AWS
    /// publishers are trusted.
    pub fn aws_layer_publisher(&self, account: &str, layer_name: &str) -> Option<&'static str> {
        if !self.config.trust_aws_layer_publishers {
            return None;
        }
        AWS_LAYER_PUBLISHERS
            .iter()
            .find(|(a, prefix, _)| *a == account && layer_name.starts_with(prefix))
            .map(|(_, _, name)| *name)
    }
}
