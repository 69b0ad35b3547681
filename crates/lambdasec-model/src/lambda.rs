//! Lambda resources: functions and everything attached to them.

use crate::node::Node;
use crate::origin::{Origin, Value};
use crate::resource::{Meta, impl_resource};
use crate::target::Target;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PackageType {
    Zip,
    Image,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TracingMode {
    Active,
    PassThrough,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RecursiveLoop {
    Allow,
    Terminate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum UpdateRuntimeOn {
    Auto,
    FunctionUpdate,
    Manual,
}

/// Where a function's (or layer's) code comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Code {
    /// Inline source (`ZipFile`).
    Inline { source: String },
    /// An object in S3.
    S3 {
        bucket: String,
        key: String,
        version: Option<String>,
    },
    /// A local file or directory, relative to the file that declares it (`CodeUri: src/`,
    /// `filename = "build/fn.zip"`, `package.artifact`).
    Local { path: String },
    /// A container image URI.
    Image { uri: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EnvVar {
    pub name: String,
    pub name_origin: Origin,
    pub value: Value<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Tag {
    pub key: String,
    pub value: Value<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct VpcConfig {
    pub subnets: Vec<Value<Target>>,
    pub security_groups: Vec<Value<Target>>,
    pub ipv6_allowed_for_dual_stack: Option<Value<bool>>,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LoggingConfig {
    /// A custom log group name (otherwise `/aws/lambda/<function name>`).
    pub log_group: Option<Value<String>>,
    pub log_format: Option<Value<String>>,
    pub application_log_level: Option<Value<String>>,
    pub system_log_level: Option<Value<String>>,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RuntimeManagement {
    pub update_runtime_on: Value<UpdateRuntimeOn>,
    pub runtime_version_arn: Option<Value<String>>,
    pub origin: Origin,
}

/// A Lambda function.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Function {
    pub meta: Meta,
    /// `FunctionName`; `None` when generated at deploy time.
    pub name: Option<Value<String>>,
    pub package_type: Value<PackageType>,
    /// `None` for image functions (and when missing).
    pub runtime: Option<Value<String>>,
    pub handler: Option<Value<String>>,
    pub code: Option<Value<Code>>,
    pub role: Option<Value<Target>>,
    /// `Environment.Variables`; `None` when the function has no environment.
    pub environment: Option<Value<Vec<EnvVar>>>,
    /// The customer-managed key for environment variables; `None` means the AWS-managed key.
    pub kms_key: Option<Value<Target>>,
    pub layers: Vec<Value<Target>>,
    pub vpc: Option<VpcConfig>,
    pub reserved_concurrency: Option<Value<i64>>,
    /// `DeadLetterConfig.TargetArn`.
    pub dead_letter_target: Option<Value<Target>>,
    pub tracing: Value<TracingMode>,
    pub code_signing_config: Option<Value<Target>>,
    pub logging: Option<LoggingConfig>,
    /// The log group declared for the function in the same input, when the loader can link
    /// them (a CloudFormation log group named `!Sub /aws/lambda/${Fn}`, the group the
    /// Serverless Framework generates). Otherwise the group is found by name:
    /// `LoggingConfig.LogGroup`, or `/aws/lambda/<function name>`.
    pub log_group: Option<Value<Target>>,
    pub ephemeral_storage_mb: Value<i64>,
    pub architectures: Value<Vec<String>>,
    pub timeout_seconds: Value<i64>,
    pub memory_mb: Value<i64>,
    pub tags: Value<Vec<Tag>>,
    pub runtime_management: Option<RuntimeManagement>,
    pub recursive_loop: Value<RecursiveLoop>,
    /// SAM `AutoPublishAlias`.
    pub auto_publish_alias: Option<Value<String>>,
    /// When the function's code or configuration last changed (`LastModified`, live only),
    /// as the API writes it (`2026-02-01T10:00:00.000+0000`).
    pub last_modified: Option<Value<String>>,
    /// Its invocations as counted by CloudWatch (live only, when collected).
    pub invocations: Option<Invocations>,
}

/// The invocations of a function over a window, from the `AWS/Lambda` `Invocations` metric
/// (all versions and aliases).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Invocations {
    /// The sum over the window; unresolved when CloudWatch's answer was incomplete.
    pub count: Value<u64>,
    /// The first and last day of the window (`YYYY-MM-DD`).
    pub first_day: String,
    pub last_day: String,
    /// The last day with at least one invocation.
    pub last_invoked: Option<String>,
    pub origin: Origin,
}

impl Function {
    /// A function with nothing written: every property absent, AWS defaults filled in with an
    /// origin implied by the declaration.
    pub fn new(meta: Meta) -> Self {
        let o = meta.origin.clone();
        Function {
            meta,
            name: None,
            package_type: Value::default(PackageType::Zip, &o),
            runtime: None,
            handler: None,
            code: None,
            role: None,
            environment: None,
            kms_key: None,
            layers: Vec::new(),
            vpc: None,
            reserved_concurrency: None,
            dead_letter_target: None,
            tracing: Value::default(TracingMode::PassThrough, &o),
            code_signing_config: None,
            logging: None,
            log_group: None,
            ephemeral_storage_mb: Value::default(512, &o),
            architectures: Value::default(vec!["x86_64".to_owned()], &o),
            timeout_seconds: Value::default(3, &o),
            memory_mb: Value::default(128, &o),
            tags: Value::default(Vec::new(), &o),
            runtime_management: None,
            recursive_loop: Value::default(RecursiveLoop::Terminate, &o),
            auto_publish_alias: None,
            last_modified: None,
            invocations: None,
        }
    }

    /// The name when known: written, or the last segment of a known ARN.
    pub fn known_name(&self) -> Option<&str> {
        self.name.as_ref().and_then(|n| n.as_str())
    }

    pub fn is_image(&self) -> bool {
        self.package_type.is(|p| *p == PackageType::Image)
    }

    pub fn env_vars(&self) -> &[EnvVar] {
        self.environment
            .as_ref()
            .and_then(|e| e.get())
            .map_or(&[], Vec::as_slice)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum UrlAuthType {
    #[serde(rename = "NONE")]
    None,
    #[serde(rename = "AWS_IAM")]
    AwsIam,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Cors {
    pub allow_origins: Vec<Value<String>>,
    pub allow_credentials: Option<Value<bool>>,
    pub allow_methods: Vec<Value<String>>,
    pub allow_headers: Vec<Value<String>>,
    pub expose_headers: Vec<Value<String>>,
    pub max_age: Option<Value<i64>>,
    pub origin: Origin,
}

/// A function URL.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FunctionUrl {
    pub meta: Meta,
    pub function: Value<Target>,
    pub qualifier: Option<Value<String>>,
    pub auth_type: Value<UrlAuthType>,
    pub cors: Option<Cors>,
    pub invoke_mode: Option<Value<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Effect {
    Allow,
    Deny,
}

/// A principal of a resource-based policy statement.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Principal {
    /// `*` or `{"AWS": "*"}`: anyone.
    Any,
    /// A service principal, e.g. `s3.amazonaws.com`.
    Service(String),
    /// An account id or an IAM ARN (`arn:aws:iam::123456789012:root`, a role ARN, ...).
    Aws(String),
    /// Anything else (`Federated`, `CanonicalUser`).
    Other(String),
}

impl Principal {
    /// Classify a principal as written in a Lambda permission (`Principal: s3.amazonaws.com`,
    /// `123456789012`, an ARN, or `*`).
    pub fn from_lambda_permission(s: &str) -> Principal {
        let s = s.trim();
        if s == "*" {
            Principal::Any
        } else if s.ends_with(".amazonaws.com") || s.ends_with(".amazonaws.com.cn") {
            Principal::Service(s.to_owned())
        } else {
            Principal::Aws(s.to_owned())
        }
    }

    /// The account a principal belongs to, when it names one.
    pub fn account(&self) -> Option<&str> {
        match self {
            Principal::Aws(s) if crate::target::is_account_id(s) => Some(s),
            Principal::Aws(s) => crate::target::Arn::parse(s)
                .map(|a| a.account)
                .filter(|a| crate::target::is_account_id(a)),
            _ => None,
        }
    }
}

/// A condition of a resource-based policy statement: `Operator: {Key: [values]}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Condition {
    pub operator: String,
    pub key: String,
    pub values: Vec<Value<String>>,
    pub origin: Origin,
}

/// One statement of a function's resource-based policy (an `AWS::Lambda::Permission`, a
/// `aws_lambda_permission`, or a statement returned by `GetPolicy`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Permission {
    pub meta: Meta,
    pub function: Value<Target>,
    pub qualifier: Option<Value<String>>,
    pub statement_id: Option<Value<String>>,
    pub effect: Effect,
    pub principal: Value<Principal>,
    pub actions: Vec<Value<String>>,
    /// Conditions, with the permission properties written as the conditions AWS generates from
    /// them (`SourceArn` → `ArnLike aws:SourceArn`, `SourceAccount` → `StringEquals
    /// aws:SourceAccount`, `PrincipalOrgID` → `StringEquals aws:PrincipalOrgID`,
    /// `EventSourceToken` → `StringEquals lambda:EventSourceToken`, `FunctionUrlAuthType` →
    /// `StringEquals lambda:FunctionUrlAuthType`).
    pub conditions: Vec<Condition>,
}

impl Permission {
    /// The conditions on `key` (case-insensitive, as IAM treats condition keys).
    pub fn conditions_on<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a Condition> + 'a {
        self.conditions
            .iter()
            .filter(move |c| c.key.eq_ignore_ascii_case(key))
    }
}

/// A function alias.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Alias {
    pub meta: Meta,
    pub function: Value<Target>,
    pub name: Value<String>,
    pub function_version: Option<Value<String>>,
    pub provisioned_concurrency: Option<Value<i64>>,
}

/// Asynchronous invocation settings of a function (or of one of its qualifiers).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EventInvokeConfig {
    pub meta: Meta,
    pub function: Value<Target>,
    pub qualifier: Option<Value<String>>,
    pub maximum_retry_attempts: Option<Value<i64>>,
    pub maximum_event_age_seconds: Option<Value<i64>>,
    pub on_success: Option<Value<Target>>,
    pub on_failure: Option<Value<Target>>,
}

/// A poller that reads a queue or stream and invokes a function.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EventSourceMapping {
    pub meta: Meta,
    pub function: Value<Target>,
    /// The queue, stream or broker (`None` for self-managed Kafka).
    pub event_source: Option<Value<Target>>,
    pub enabled: Value<bool>,
    pub batch_size: Option<Value<i64>>,
    pub starting_position: Option<Value<String>>,
    pub maximum_retry_attempts: Option<Value<i64>>,
    pub maximum_record_age_seconds: Option<Value<i64>>,
    pub bisect_batch_on_error: Option<Value<bool>>,
    pub on_failure: Option<Value<Target>>,
    pub filter_criteria: Option<Node>,
}

/// A layer version.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Layer {
    pub meta: Meta,
    pub name: Option<Value<String>>,
    pub content: Option<Value<Code>>,
    pub compatible_runtimes: Vec<Value<String>>,
}

/// A grant on a layer version (`AWS::Lambda::LayerVersionPermission`, `GetLayerVersionPolicy`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LayerPermission {
    pub meta: Meta,
    pub layer: Value<Target>,
    pub action: Value<String>,
    pub principal: Value<Principal>,
    pub organization_id: Option<Value<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum UntrustedArtifactAction {
    Warn,
    Enforce,
}

/// A code signing configuration.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CodeSigningConfig {
    pub meta: Meta,
    pub allowed_publishers: Vec<Value<Target>>,
    pub untrusted_artifact_on_deployment: Value<UntrustedArtifactAction>,
}

impl_resource!(
    Function => Function,
    FunctionUrl => FunctionUrl,
    Permission => Permission,
    Alias => Alias,
    EventInvokeConfig => EventInvokeConfig,
    EventSourceMapping => EventSourceMapping,
    Layer => Layer,
    LayerPermission => LayerPermission,
    CodeSigningConfig => CodeSigningConfig,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn principals() {
        assert_eq!(Principal::from_lambda_permission("*"), Principal::Any);
        assert_eq!(
            Principal::from_lambda_permission("s3.amazonaws.com"),
            Principal::Service("s3.amazonaws.com".into())
        );
        let acct = Principal::from_lambda_permission("123456789012");
        assert_eq!(acct.account(), Some("123456789012"));
        let arn = Principal::from_lambda_permission("arn:aws:iam::210987654321:root");
        assert_eq!(arn.account(), Some("210987654321"));
    }
}
