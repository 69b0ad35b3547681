//! Front doors and event sources: API Gateway, SQS, SNS, S3 notifications, EventBridge rules.

use crate::node::Node;
use crate::origin::{Origin, Value};
use crate::resource::{Meta, impl_resource};
use crate::target::Target;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ApiKind {
    /// API Gateway REST API (v1).
    Rest,
    /// API Gateway HTTP API (v2).
    Http,
    /// API Gateway WebSocket API (v2).
    WebSocket,
}

/// An API Gateway API.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Api {
    pub meta: Meta,
    pub kind: ApiKind,
    pub name: Option<Value<String>>,
    /// `EDGE`, `REGIONAL` or `PRIVATE` (REST).
    pub endpoint_type: Option<Value<String>>,
    pub disable_execute_api_endpoint: Value<bool>,
    /// The REST API resource policy.
    pub policy: Option<Node>,
}

/// A route (HTTP/WebSocket) or method (REST) of an API, with the function it integrates.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Route {
    pub meta: Meta,
    pub api: Value<Target>,
    /// `GET`, `ANY`, ...; `$default`/`$connect` style keys keep the key here.
    pub method: Value<String>,
    pub path: Value<String>,
    /// `NONE`, `AWS_IAM`, `CUSTOM`, `COGNITO_USER_POOLS`, `JWT`.
    pub authorization_type: Value<String>,
    pub authorizer: Option<Value<Target>>,
    pub api_key_required: Value<bool>,
    pub request_validator: Option<Value<Target>>,
    /// The function the route invokes (Lambda proxy or custom integration).
    pub function: Option<Value<Target>>,
}

/// A deployment stage of an API.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Stage {
    pub meta: Meta,
    pub api: Value<Target>,
    pub name: Value<String>,
    /// The log group (or Firehose) receiving access logs; `None` when access logging is off.
    pub access_log_destination: Option<Value<Target>>,
    pub access_log_format: Option<Value<String>>,
    pub tracing_enabled: Value<bool>,
    /// Execution logging level (`OFF`, `ERROR`, `INFO`).
    pub logging_level: Option<Value<String>>,
}

/// An API authorizer.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Authorizer {
    pub meta: Meta,
    pub api: Value<Target>,
    pub name: Option<Value<String>>,
    /// `TOKEN`, `REQUEST`, `COGNITO_USER_POOLS`, `JWT`, `AWS_IAM`.
    pub kind: Value<String>,
    /// The authorizer function (Lambda authorizers).
    pub function: Option<Value<Target>>,
    pub identity_source: Vec<Value<String>>,
}

/// An SQS queue.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Queue {
    pub meta: Meta,
    pub name: Option<Value<String>>,
    pub fifo: Value<bool>,
    pub visibility_timeout_seconds: Value<i64>,
    /// Redrive policy: the dead-letter queue.
    pub dead_letter_target: Option<Value<Target>>,
    pub max_receive_count: Option<Value<i64>>,
    pub kms_key: Option<Value<Target>>,
    pub sqs_managed_sse: Value<bool>,
    /// The queue policy (`AWS::SQS::QueuePolicy`, `aws_sqs_queue_policy`, `GetQueueAttributes`).
    pub policy: Option<Node>,
}

/// An SNS topic.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Topic {
    pub meta: Meta,
    pub name: Option<Value<String>>,
    pub kms_key: Option<Value<Target>>,
    pub policy: Option<Node>,
}

/// A subscription of an endpoint (here: a function) to a topic.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Subscription {
    pub meta: Meta,
    pub topic: Value<Target>,
    pub protocol: Value<String>,
    pub endpoint: Value<Target>,
    pub filter_policy: Option<Node>,
}

/// A notification from a bucket to a function.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BucketNotification {
    pub function: Value<Target>,
    pub events: Vec<Value<String>>,
    pub filter: Option<Node>,
    pub origin: Origin,
}

/// An S3 bucket, as far as it matters to functions: its notifications and its policy.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Bucket {
    pub meta: Meta,
    pub name: Option<Value<String>>,
    pub notifications: Vec<BucketNotification>,
    pub policy: Option<Node>,
}

/// An EventBridge rule or schedule targeting functions.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EventRule {
    pub meta: Meta,
    pub name: Option<Value<String>>,
    pub schedule: Option<Value<String>>,
    pub event_pattern: Option<Node>,
    pub targets: Vec<Value<Target>>,
    pub enabled: Value<bool>,
}

impl_resource!(
    Api => Api,
    Route => Route,
    Stage => Stage,
    Authorizer => Authorizer,
    Queue => Queue,
    Topic => Topic,
    Subscription => Subscription,
    Bucket => Bucket,
    EventRule => EventRule,
);
