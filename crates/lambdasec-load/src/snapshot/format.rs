//! The snapshot format, version 1: what `lambdasec collect` writes and [`super::load`] reads.
//!
//! Two naming conventions, on purpose:
//! - `snake_case` keys are lambdasec's envelope: the marker, accounts, regions, and the records
//!   that group the answers of several calls about one resource (`configuration`, `policy`, ...).
//! - `PascalCase` keys are AWS API shapes, with the field names of the API reference (and of the
//!   AWS CLI's JSON output). Each record field holds the answer of one named API call, trimmed to
//!   the fields listed here. Policy documents are stored decoded, as JSON objects (IAM returns
//!   them URL-encoded; Lambda, KMS, SQS, SNS and S3 return them as JSON strings).
//!
//! Storing API shapes rather than the normalized model keeps a snapshot close to what the
//! account said: a finding's location is an ARN plus an API field path a user can check with the
//! AWS CLI, and a snapshot recorded today can be re-mapped when the model learns more. Readers
//! ignore unknown keys, so adding fields is not a format change; removing or renaming one is,
//! and bumps [`FORMAT_VERSION`].

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use std::collections::BTreeMap;

/// The version this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;

/// A whole snapshot file.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Snapshot {
    /// The format version; its key marks a file as a snapshot.
    pub lambdasec_snapshot: u32,
    /// The program that wrote it (`lambdasec 0.1.0`).
    pub generator: String,
    /// When collection started, RFC 3339 UTC.
    pub collected_at: Option<String>,
    pub accounts: Vec<AccountSnapshot>,
}

/// Everything collected in one account.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AccountSnapshot {
    pub account_id: String,
    /// `aws`, `aws-cn`, `aws-us-gov`.
    pub partition: String,
    /// IAM is global: collected once per account.
    pub iam: IamSnapshot,
    pub regions: Vec<RegionSnapshot>,
    /// Calls that failed: the data they would have given is missing, and the checks that need it
    /// are not assessed.
    pub not_assessed: Vec<NotAssessed>,
}

/// A call that failed (access denied, unsupported, throttled past the retry budget, ...).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct NotAssessed {
    /// `None` for global services (IAM, Organizations).
    pub region: Option<String>,
    /// The IAM action of the call, `lambda:GetPolicy`.
    pub action: String,
    /// The API operation, `GetPolicy` (API Gateway's IAM actions, `apigateway:GET`, do not
    /// name it).
    pub operation: Option<String>,
    /// The resource the call was about, when it was about one.
    pub resource: Option<String>,
    /// `AccessDenied`, `AccessDeniedException`, `UnauthorizedOperation`, `Throttling`, ...
    pub error_code: String,
    pub message: String,
}

/// IAM identities and policies (the shapes of `GetAccountAuthorizationDetails`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct IamSnapshot {
    #[serde(rename = "RoleDetailList")]
    pub roles: Vec<RoleDetail>,
    #[serde(rename = "UserDetailList")]
    pub users: Vec<UserDetail>,
    #[serde(rename = "GroupDetailList")]
    pub groups: Vec<GroupDetail>,
    /// Customer-managed policies, and the AWS-managed policies attached to any identity, each
    /// with its default version only.
    #[serde(rename = "Policies")]
    pub policies: Vec<ManagedPolicyDetail>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct Tag {
    pub key: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct PolicyDetail {
    pub policy_name: String,
    pub policy_document: Json,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct AttachedPolicy {
    pub policy_name: Option<String>,
    pub policy_arn: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct PermissionsBoundary {
    pub permissions_boundary_type: Option<String>,
    pub permissions_boundary_arn: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct RoleDetail {
    pub path: Option<String>,
    pub role_name: String,
    pub role_id: Option<String>,
    pub arn: String,
    pub assume_role_policy_document: Option<Json>,
    pub role_policy_list: Vec<PolicyDetail>,
    pub attached_managed_policies: Vec<AttachedPolicy>,
    pub permissions_boundary: Option<PermissionsBoundary>,
    pub tags: Vec<Tag>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct UserDetail {
    pub path: Option<String>,
    pub user_name: String,
    pub user_id: Option<String>,
    pub arn: String,
    pub user_policy_list: Vec<PolicyDetail>,
    /// Group names.
    pub group_list: Vec<String>,
    pub attached_managed_policies: Vec<AttachedPolicy>,
    pub permissions_boundary: Option<PermissionsBoundary>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct GroupDetail {
    pub path: Option<String>,
    pub group_name: String,
    pub group_id: Option<String>,
    pub arn: String,
    pub group_policy_list: Vec<PolicyDetail>,
    pub attached_managed_policies: Vec<AttachedPolicy>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct ManagedPolicyDetail {
    pub policy_name: String,
    pub arn: String,
    pub path: Option<String>,
    pub default_version_id: Option<String>,
    pub attachment_count: Option<i64>,
    pub policy_version_list: Vec<PolicyVersion>,
}

impl ManagedPolicyDetail {
    /// The document of the default version.
    pub fn default_document(&self) -> Option<&Json> {
        self.policy_version_list
            .iter()
            .find(|v| v.is_default_version)
            .or_else(|| self.policy_version_list.first())
            .map(|v| &v.document)
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct PolicyVersion {
    pub document: Json,
    pub version_id: Option<String>,
    pub is_default_version: bool,
}

/// Everything collected in one region of an account.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RegionSnapshot {
    pub region: String,
    pub functions: Vec<FunctionRecord>,
    /// `ListEventSourceMappings`.
    pub event_source_mappings: Vec<EventSourceMapping>,
    pub layers: Vec<LayerVersionRecord>,
    /// `ListCodeSigningConfigs`.
    pub code_signing_configs: Vec<CodeSigningConfig>,
    /// The KMS keys functions, log groups and trails use.
    pub kms_keys: Vec<KmsKeyRecord>,
    /// The functions' log groups (`DescribeLogGroups`).
    pub log_groups: Vec<LogGroup>,
    /// The security groups and subnets of VPC functions (EC2 `Describe*`).
    pub security_groups: Vec<SecurityGroup>,
    pub subnets: Vec<Subnet>,
    pub trails: Vec<TrailRecord>,
    /// `GetDetector` of each detector (`ListDetectors`).
    pub guardduty_detectors: Vec<GuardDutyDetector>,
    /// Inspector `BatchGetAccountStatus` for the account.
    pub inspector: Option<InspectorAccountState>,
    pub rest_apis: Vec<RestApiRecord>,
    pub http_apis: Vec<HttpApiRecord>,
    /// Queues that feed functions through event source mappings.
    pub queues: Vec<QueueRecord>,
    /// Topics with Lambda subscriptions.
    pub topics: Vec<TopicRecord>,
    /// Buckets allowed to invoke functions by a function policy.
    pub buckets: Vec<BucketRecord>,
}

/// One function and the answers of the calls about it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct FunctionRecord {
    /// `ListFunctions` / `GetFunction` `Configuration`.
    pub configuration: FunctionConfiguration,
    /// `GetFunction` `Code` (without the presigned `Location`).
    pub code: Option<FunctionCodeLocation>,
    /// `GetFunction` `Tags`.
    pub tags: BTreeMap<String, String>,
    /// `GetFunction` `Concurrency.ReservedConcurrentExecutions`.
    pub reserved_concurrent_executions: Option<i64>,
    /// `GetPolicy` `Policy` (unqualified); `None` when the function has no policy.
    pub policy: Option<Json>,
    /// `ListFunctionUrlConfigs`.
    pub url_configs: Vec<FunctionUrlConfig>,
    /// `GetFunctionCodeSigningConfig` `CodeSigningConfigArn`.
    pub code_signing_config_arn: Option<String>,
    /// `ListFunctionEventInvokeConfigs`.
    pub event_invoke_configs: Vec<FunctionEventInvokeConfig>,
    /// `GetFunctionRecursionConfig` `RecursiveLoop`.
    pub recursive_loop: Option<String>,
    /// `GetRuntimeManagementConfig`.
    pub runtime_management_config: Option<RuntimeManagementConfig>,
    /// `ListAliases`, each with its `GetPolicy`.
    pub aliases: Vec<AliasRecord>,
    /// `ListVersionsByFunction` (published versions, not `$LATEST`), each with its `GetPolicy`.
    pub versions: Vec<VersionRecord>,
    /// The downloaded deployment package (`--download-code`).
    pub package: Option<DownloadedPackage>,
    /// CloudWatch `GetMetricData`: the daily sums of the `AWS/Lambda` `Invocations` metric of
    /// the function (dimension `FunctionName`) over the collection window.
    pub invocations: Option<InvocationMetrics>,
}

/// A `MetricDataResult` of `GetMetricData`, with the window and period it was asked for.
/// Days without invocations have no data point.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct InvocationMetrics {
    /// RFC 3339 UTC.
    pub start_time: String,
    pub end_time: String,
    /// Seconds per data point (86400: one per day).
    pub period: i64,
    /// Newest first (`ScanBy=TimestampDescending`), RFC 3339 UTC.
    pub timestamps: Vec<String>,
    pub values: Vec<f64>,
    /// `Complete`, `PartialData`, `InternalError`, `Forbidden`.
    pub status_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct FunctionConfiguration {
    pub function_name: String,
    pub function_arn: String,
    pub runtime: Option<String>,
    pub role: Option<String>,
    pub handler: Option<String>,
    pub code_size: Option<i64>,
    pub description: Option<String>,
    pub timeout: Option<i64>,
    pub memory_size: Option<i64>,
    pub last_modified: Option<String>,
    pub code_sha256: Option<String>,
    pub version: Option<String>,
    pub vpc_config: Option<VpcConfig>,
    pub dead_letter_config: Option<DeadLetterConfig>,
    pub environment: Option<Environment>,
    #[serde(rename = "KMSKeyArn")]
    pub kms_key_arn: Option<String>,
    pub tracing_config: Option<TracingConfig>,
    pub layers: Vec<FunctionLayer>,
    pub state: Option<String>,
    pub package_type: Option<String>,
    pub architectures: Vec<String>,
    pub ephemeral_storage: Option<EphemeralStorage>,
    pub signing_profile_version_arn: Option<String>,
    pub signing_job_arn: Option<String>,
    pub logging_config: Option<LoggingConfig>,
    pub runtime_version_config: Option<RuntimeVersionConfig>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct VpcConfig {
    pub subnet_ids: Vec<String>,
    pub security_group_ids: Vec<String>,
    pub vpc_id: Option<String>,
    pub ipv6_allowed_for_dual_stack: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct DeadLetterConfig {
    pub target_arn: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct Environment {
    pub variables: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct TracingConfig {
    pub mode: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct FunctionLayer {
    pub arn: String,
    pub code_size: Option<i64>,
    pub signing_profile_version_arn: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct EphemeralStorage {
    pub size: i64,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct LoggingConfig {
    pub log_format: Option<String>,
    pub application_log_level: Option<String>,
    pub system_log_level: Option<String>,
    pub log_group: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct RuntimeVersionConfig {
    pub runtime_version_arn: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct FunctionCodeLocation {
    /// `S3` or `ECR`.
    pub repository_type: Option<String>,
    pub image_uri: Option<String>,
    pub resolved_image_uri: Option<String>,
}

/// A deployment package or layer archive saved next to the snapshot.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DownloadedPackage {
    /// Relative to the snapshot file.
    pub path: String,
    pub size: u64,
    /// Set when the package was larger than the cap and was not saved.
    pub skipped: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct FunctionUrlConfig {
    pub function_url: Option<String>,
    pub function_arn: String,
    /// `NONE` or `AWS_IAM`.
    pub auth_type: String,
    pub cors: Option<Cors>,
    pub invoke_mode: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct Cors {
    pub allow_credentials: Option<bool>,
    pub allow_headers: Vec<String>,
    pub allow_methods: Vec<String>,
    pub allow_origins: Vec<String>,
    pub expose_headers: Vec<String>,
    pub max_age: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct FunctionEventInvokeConfig {
    pub function_arn: String,
    pub maximum_retry_attempts: Option<i64>,
    pub maximum_event_age_in_seconds: Option<i64>,
    pub destination_config: Option<DestinationConfig>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct DestinationConfig {
    pub on_success: Option<Destination>,
    pub on_failure: Option<Destination>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct Destination {
    pub destination: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct RuntimeManagementConfig {
    /// `Auto`, `FunctionUpdate` or `Manual`.
    pub update_runtime_on: Option<String>,
    pub runtime_version_arn: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AliasRecord {
    /// `ListAliases` item.
    pub configuration: AliasConfiguration,
    /// `GetPolicy` with the alias as qualifier.
    pub policy: Option<Json>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct AliasConfiguration {
    pub alias_arn: String,
    pub name: String,
    pub function_version: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct VersionRecord {
    /// `ListVersionsByFunction` item.
    pub configuration: FunctionConfiguration,
    /// `GetPolicy` with the version as qualifier.
    pub policy: Option<Json>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct EventSourceMapping {
    #[serde(rename = "UUID")]
    pub uuid: String,
    pub event_source_mapping_arn: Option<String>,
    pub event_source_arn: Option<String>,
    pub function_arn: String,
    /// `Enabled`, `Disabled`, `Creating`, ...
    pub state: Option<String>,
    pub batch_size: Option<i64>,
    pub starting_position: Option<String>,
    pub maximum_retry_attempts: Option<i64>,
    pub maximum_record_age_in_seconds: Option<i64>,
    pub bisect_batch_on_function_error: Option<bool>,
    pub destination_config: Option<DestinationConfig>,
    pub filter_criteria: Option<Json>,
}

/// One layer version with its policy.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct LayerVersionRecord {
    /// `ListLayers` `LayerName`.
    pub layer_name: String,
    /// `ListLayerVersions` item.
    pub version: LayerVersion,
    /// `GetLayerVersionPolicy` `Policy`; `None` when the version has no policy.
    pub policy: Option<Json>,
    /// The downloaded archive (`--download-code`).
    pub package: Option<DownloadedPackage>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct LayerVersion {
    pub layer_version_arn: String,
    pub version: i64,
    pub description: Option<String>,
    pub created_date: Option<String>,
    pub compatible_runtimes: Vec<String>,
    pub compatible_architectures: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct CodeSigningConfig {
    pub code_signing_config_id: Option<String>,
    pub code_signing_config_arn: String,
    pub description: Option<String>,
    pub allowed_publishers: AllowedPublishers,
    pub code_signing_policies: CodeSigningPolicies,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct AllowedPublishers {
    pub signing_profile_version_arns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct CodeSigningPolicies {
    /// `Warn` or `Enforce`.
    pub untrusted_artifact_on_deployment: Option<String>,
}

/// A KMS key: `DescribeKey`, `GetKeyRotationStatus`, `GetKeyPolicy`, `ListAliases`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct KmsKeyRecord {
    pub key_metadata: KeyMetadata,
    /// `None` when not asked (AWS-managed keys rotate every year and cannot be changed).
    pub key_rotation_enabled: Option<bool>,
    pub policy: Option<Json>,
    /// Alias names (`alias/app`).
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct KeyMetadata {
    pub key_id: String,
    pub arn: String,
    pub description: Option<String>,
    pub enabled: Option<bool>,
    pub key_state: Option<String>,
    /// `CUSTOMER` or `AWS`.
    pub key_manager: Option<String>,
    pub key_spec: Option<String>,
    pub key_usage: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct LogGroup {
    pub log_group_name: String,
    pub arn: Option<String>,
    pub retention_in_days: Option<i64>,
    pub kms_key_id: Option<String>,
    pub log_group_class: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct SecurityGroup {
    pub group_id: String,
    pub group_name: Option<String>,
    pub owner_id: Option<String>,
    pub vpc_id: Option<String>,
    pub description: Option<String>,
    pub ip_permissions: Vec<IpPermission>,
    pub ip_permissions_egress: Vec<IpPermission>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct IpPermission {
    /// `-1` for all protocols.
    pub ip_protocol: String,
    pub from_port: Option<i64>,
    pub to_port: Option<i64>,
    pub ip_ranges: Vec<IpRange>,
    pub ipv6_ranges: Vec<Ipv6Range>,
    pub user_id_group_pairs: Vec<UserIdGroupPair>,
    pub prefix_list_ids: Vec<PrefixListId>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct IpRange {
    pub cidr_ip: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct Ipv6Range {
    pub cidr_ipv6: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct UserIdGroupPair {
    pub group_id: Option<String>,
    pub user_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct PrefixListId {
    pub prefix_list_id: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct Subnet {
    pub subnet_id: String,
    pub subnet_arn: Option<String>,
    pub vpc_id: Option<String>,
    pub availability_zone: Option<String>,
    pub availability_zone_id: Option<String>,
    pub cidr_block: Option<String>,
    pub map_public_ip_on_launch: Option<bool>,
}

/// A trail: `DescribeTrails` item, `GetTrailStatus`, `GetEventSelectors`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TrailRecord {
    pub trail: Trail,
    /// `GetTrailStatus` `IsLogging`.
    pub is_logging: Option<bool>,
    pub event_selectors: Vec<EventSelector>,
    pub advanced_event_selectors: Option<Json>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct Trail {
    pub name: String,
    #[serde(rename = "TrailARN")]
    pub trail_arn: String,
    pub home_region: Option<String>,
    pub is_multi_region_trail: Option<bool>,
    pub is_organization_trail: Option<bool>,
    pub log_file_validation_enabled: Option<bool>,
    pub kms_key_id: Option<String>,
    pub s3_bucket_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct EventSelector {
    pub read_write_type: Option<String>,
    pub include_management_events: Option<bool>,
    pub data_resources: Vec<DataResource>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct DataResource {
    #[serde(rename = "Type")]
    pub kind: String,
    pub values: Vec<String>,
}

/// `GetDetector`, with the id from `ListDetectors`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct GuardDutyDetector {
    pub detector_id: String,
    /// `ENABLED` or `DISABLED`.
    pub status: Option<String>,
    pub features: Vec<DetectorFeature>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct DetectorFeature {
    /// `LAMBDA_NETWORK_LOGS` is Lambda Protection.
    pub name: String,
    pub status: Option<String>,
}

/// Inspector `BatchGetAccountStatus` `accounts[]` item for the audited account.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct InspectorAccountState {
    pub account_id: String,
    pub resource_state: InspectorResourceState,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct InspectorResourceState {
    /// Lambda standard scanning.
    pub lambda: Option<InspectorState>,
    /// Lambda code scanning.
    pub lambda_code: Option<InspectorState>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct InspectorState {
    /// `ENABLED`, `DISABLED`, `ENABLING`, `SUSPENDED`, ...
    pub status: Option<String>,
}

/// A REST API (API Gateway v1) with its methods, stages and authorizers.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RestApiRecord {
    /// `GetRestApis` item.
    pub api: RestApi,
    /// `GetResources` with embedded methods.
    pub resources: Vec<RestResource>,
    /// `GetStages`.
    pub stages: Vec<RestStage>,
    /// `GetAuthorizers`.
    pub authorizers: Vec<RestAuthorizer>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RestApi {
    pub id: String,
    pub name: Option<String>,
    pub endpoint_configuration: Option<EndpointConfiguration>,
    pub disable_execute_api_endpoint: Option<bool>,
    pub policy: Option<Json>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct EndpointConfiguration {
    /// `EDGE`, `REGIONAL`, `PRIVATE`.
    pub types: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RestResource {
    pub id: String,
    pub path: String,
    pub resource_methods: BTreeMap<String, RestMethod>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RestMethod {
    pub http_method: String,
    pub authorization_type: Option<String>,
    pub authorizer_id: Option<String>,
    pub api_key_required: Option<bool>,
    pub request_validator_id: Option<String>,
    pub method_integration: Option<RestIntegration>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RestIntegration {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub uri: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RestStage {
    pub stage_name: String,
    pub deployment_id: Option<String>,
    pub tracing_enabled: Option<bool>,
    pub access_log_settings: Option<AccessLogSettings>,
    /// Keyed by `resource/method`; `*/*` holds the stage-wide settings.
    pub method_settings: BTreeMap<String, MethodSetting>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct MethodSetting {
    /// `OFF`, `ERROR`, `INFO`.
    pub logging_level: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AccessLogSettings {
    pub format: Option<String>,
    pub destination_arn: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RestAuthorizer {
    pub id: String,
    pub name: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub authorizer_uri: Option<String>,
    pub identity_source: Option<String>,
}

/// An HTTP or WebSocket API (API Gateway v2) with its routes, integrations, stages, authorizers.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct HttpApiRecord {
    /// `GetApis` item.
    pub api: HttpApi,
    pub routes: Vec<HttpRoute>,
    pub integrations: Vec<HttpIntegration>,
    pub stages: Vec<HttpStage>,
    pub authorizers: Vec<HttpAuthorizer>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct HttpApi {
    pub api_id: String,
    pub name: Option<String>,
    /// `HTTP` or `WEBSOCKET`.
    pub protocol_type: Option<String>,
    pub api_endpoint: Option<String>,
    pub disable_execute_api_endpoint: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct HttpRoute {
    pub route_id: String,
    /// `GET /items`, `$default`, `$connect`.
    pub route_key: String,
    pub authorization_type: Option<String>,
    pub authorizer_id: Option<String>,
    pub api_key_required: Option<bool>,
    /// `integrations/<id>`.
    pub target: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct HttpIntegration {
    pub integration_id: String,
    pub integration_type: Option<String>,
    pub integration_uri: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct HttpStage {
    pub stage_name: String,
    pub access_log_settings: Option<HttpAccessLogSettings>,
    pub default_route_settings: Option<RouteSettings>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct RouteSettings {
    /// `OFF`, `ERROR`, `INFO` (WebSocket APIs).
    pub logging_level: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct HttpAccessLogSettings {
    pub destination_arn: Option<String>,
    pub format: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct HttpAuthorizer {
    pub authorizer_id: String,
    pub name: Option<String>,
    /// `REQUEST` or `JWT`.
    pub authorizer_type: Option<String>,
    pub authorizer_uri: Option<String>,
    pub identity_source: Vec<String>,
}

/// A queue: its URL and `GetQueueAttributes` (all attributes, as strings).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct QueueRecord {
    pub queue_url: String,
    pub attributes: BTreeMap<String, String>,
}

/// A topic: `GetTopicAttributes` (as strings) and its Lambda subscriptions.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TopicRecord {
    pub topic_arn: String,
    pub attributes: BTreeMap<String, String>,
    pub subscriptions: Vec<TopicSubscription>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct TopicSubscription {
    pub subscription_arn: String,
    pub protocol: String,
    pub endpoint: String,
}

/// A bucket: `GetBucketNotificationConfiguration` and `GetBucketPolicy`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct BucketRecord {
    pub name: String,
    pub lambda_function_configurations: Vec<LambdaFunctionConfiguration>,
    pub policy: Option<Json>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct LambdaFunctionConfiguration {
    pub id: Option<String>,
    pub lambda_function_arn: String,
    pub events: Vec<String>,
    pub filter: Option<Json>,
}
