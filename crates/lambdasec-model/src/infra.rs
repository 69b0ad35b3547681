//! Supporting infrastructure: logs, keys, trails, networks, account settings.

use crate::node::Node;
use crate::origin::{Origin, Value};
use crate::resource::{Meta, impl_resource};
use crate::target::Target;
use serde::{Deserialize, Serialize};

/// A CloudWatch Logs log group.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LogGroup {
    pub meta: Meta,
    pub name: Option<Value<String>>,
    /// Retention in days; `None` means never expire.
    pub retention_days: Option<Value<i64>>,
    pub kms_key: Option<Value<Target>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum KeyManager {
    Customer,
    Aws,
}

/// A KMS key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct KmsKey {
    pub meta: Meta,
    pub manager: Value<KeyManager>,
    pub description: Option<Value<String>>,
    pub enabled: Value<bool>,
    pub rotation_enabled: Value<bool>,
    pub key_spec: Value<String>,
    pub key_policy: Option<Node>,
    /// Alias names (`alias/app`) pointing at the key.
    pub aliases: Vec<Value<String>>,
}

/// A data-resource selector of a trail (`EventSelectors[].DataResources[]`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DataResource {
    /// `AWS::Lambda::Function`, `AWS::S3::Object`, ...
    pub resource_type: Value<String>,
    /// ARNs or prefixes; `arn:aws:lambda` covers every function.
    pub values: Vec<Value<String>>,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EventSelector {
    /// `All`, `ReadOnly`, `WriteOnly`.
    pub read_write_type: Value<String>,
    pub include_management_events: Value<bool>,
    pub data_resources: Vec<DataResource>,
    pub origin: Origin,
}

/// A CloudTrail trail.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Trail {
    pub meta: Meta,
    pub name: Option<Value<String>>,
    pub is_logging: Value<bool>,
    pub is_multi_region: Value<bool>,
    pub is_organization_trail: Value<bool>,
    pub event_selectors: Vec<EventSelector>,
    /// Advanced event selectors, kept as written (field selectors with Equals/StartsWith/...).
    pub advanced_event_selectors: Option<Node>,
    pub kms_key: Option<Value<Target>>,
    pub log_file_validation: Value<bool>,
}

/// One rule of a security group.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SgRule {
    /// `-1` (all), `tcp`, `udp`, `icmp`, or a protocol number.
    pub protocol: Value<String>,
    pub from_port: Option<Value<i64>>,
    pub to_port: Option<Value<i64>>,
    pub cidr_ipv4: Option<Value<String>>,
    pub cidr_ipv6: Option<Value<String>>,
    pub peer_group: Option<Value<Target>>,
    pub prefix_list: Option<Value<String>>,
    pub origin: Origin,
}

/// A VPC security group with its rules (inline and standalone rules merged).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SecurityGroup {
    pub meta: Meta,
    pub name: Option<Value<String>>,
    pub vpc: Option<Value<Target>>,
    pub ingress: Vec<SgRule>,
    /// Egress rules; a group declared without any gets AWS's default allow-all rule, with an
    /// implied origin.
    pub egress: Vec<SgRule>,
}

/// A VPC subnet.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Subnet {
    pub meta: Meta,
    pub vpc: Option<Value<Target>>,
    pub availability_zone: Option<Value<String>>,
    pub cidr_ipv4: Option<Value<String>>,
    pub map_public_ip_on_launch: Value<bool>,
}

/// Region-level security services that protect functions (live only).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AccountSettings {
    pub meta: Meta,
    pub account_id: Value<String>,
    pub region: Value<String>,
    pub guardduty_lambda_protection: Option<Value<bool>>,
    pub inspector_lambda_scanning: Option<Value<bool>>,
    pub inspector_lambda_code_scanning: Option<Value<bool>>,
}

impl_resource!(
    LogGroup => LogGroup,
    KmsKey => KmsKey,
    Trail => Trail,
    SecurityGroup => SecurityGroup,
    Subnet => Subnet,
    AccountSettings => Account,
);
