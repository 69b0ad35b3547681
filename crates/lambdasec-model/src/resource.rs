//! What every resource of the model carries.

use crate::origin::Origin;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The kinds of resources in the model. Rules declare the kinds they examine, so reports can say
/// PASS / FAIL / SKIP per resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ResourceKind {
    Function,
    FunctionUrl,
    Permission,
    Alias,
    EventInvokeConfig,
    EventSourceMapping,
    Layer,
    LayerPermission,
    CodeSigningConfig,
    Role,
    User,
    Group,
    Policy,
    LogGroup,
    KmsKey,
    Api,
    Route,
    Stage,
    Authorizer,
    Queue,
    Topic,
    Subscription,
    Bucket,
    EventRule,
    Trail,
    SecurityGroup,
    Subnet,
    Account,
}

impl ResourceKind {
    pub const ALL: &'static [ResourceKind] = &[
        ResourceKind::Function,
        ResourceKind::FunctionUrl,
        ResourceKind::Permission,
        ResourceKind::Alias,
        ResourceKind::EventInvokeConfig,
        ResourceKind::EventSourceMapping,
        ResourceKind::Layer,
        ResourceKind::LayerPermission,
        ResourceKind::CodeSigningConfig,
        ResourceKind::Role,
        ResourceKind::User,
        ResourceKind::Group,
        ResourceKind::Policy,
        ResourceKind::LogGroup,
        ResourceKind::KmsKey,
        ResourceKind::Api,
        ResourceKind::Route,
        ResourceKind::Stage,
        ResourceKind::Authorizer,
        ResourceKind::Queue,
        ResourceKind::Topic,
        ResourceKind::Subscription,
        ResourceKind::Bucket,
        ResourceKind::EventRule,
        ResourceKind::Trail,
        ResourceKind::SecurityGroup,
        ResourceKind::Subnet,
        ResourceKind::Account,
    ];

    /// The kebab-case name used in reports (`function-url`).
    pub fn as_str(self) -> &'static str {
        match self {
            ResourceKind::Function => "function",
            ResourceKind::FunctionUrl => "function-url",
            ResourceKind::Permission => "permission",
            ResourceKind::Alias => "alias",
            ResourceKind::EventInvokeConfig => "event-invoke-config",
            ResourceKind::EventSourceMapping => "event-source-mapping",
            ResourceKind::Layer => "layer",
            ResourceKind::LayerPermission => "layer-permission",
            ResourceKind::CodeSigningConfig => "code-signing-config",
            ResourceKind::Role => "role",
            ResourceKind::User => "user",
            ResourceKind::Group => "group",
            ResourceKind::Policy => "policy",
            ResourceKind::LogGroup => "log-group",
            ResourceKind::KmsKey => "kms-key",
            ResourceKind::Api => "api",
            ResourceKind::Route => "route",
            ResourceKind::Stage => "stage",
            ResourceKind::Authorizer => "authorizer",
            ResourceKind::Queue => "queue",
            ResourceKind::Topic => "topic",
            ResourceKind::Subscription => "subscription",
            ResourceKind::Bucket => "bucket",
            ResourceKind::EventRule => "event-rule",
            ResourceKind::Trail => "trail",
            ResourceKind::SecurityGroup => "security-group",
            ResourceKind::Subnet => "subnet",
            ResourceKind::Account => "account",
        }
    }
}

impl fmt::Display for ResourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A suppression written next to the resource (`Metadata: lambdasec: ignore: [...]`, a Terraform
/// comment, ...). A suppression without a reason is reported and not honoured.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Suppression {
    pub code: String,
    pub reason: Option<String>,
    pub origin: Origin,
}

/// Identity and provenance of a resource.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Meta {
    /// The id in its input: CloudFormation logical id, Terraform address, serverless.yml function
    /// key, or the name (live).
    pub id: String,
    pub kind: ResourceKind,
    /// The resource's declaration (for live resources: its ARN).
    pub origin: Origin,
    /// The ARN when known (live, or written literally).
    pub arn: Option<String>,
    /// Whether the resource was written by the user or synthesized by a framework (SAM's implicit
    /// role, serverless.yml's generated log groups).
    pub synthesized: bool,
    pub suppressions: Vec<Suppression>,
}

impl Meta {
    pub fn new(id: impl Into<String>, kind: ResourceKind, origin: Origin) -> Self {
        Meta {
            id: id.into(),
            kind,
            origin,
            arn: None,
            synthesized: false,
            suppressions: Vec::new(),
        }
    }
}

/// Every resource type of the model.
pub trait Resource {
    const KIND: ResourceKind;
    fn meta(&self) -> &Meta;
    fn meta_mut(&mut self) -> &mut Meta;
}

macro_rules! impl_resource {
    ($($ty:ty => $kind:ident),* $(,)?) => {
        $(impl $crate::resource::Resource for $ty {
            const KIND: $crate::resource::ResourceKind = $crate::resource::ResourceKind::$kind;
            fn meta(&self) -> &$crate::resource::Meta {
                &self.meta
            }
            fn meta_mut(&mut self) -> &mut $crate::resource::Meta {
                &mut self.meta
            }
        })*
    };
}
pub(crate) use impl_resource;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_listed_and_named_uniquely() {
        let mut names: Vec<_> = ResourceKind::ALL.iter().map(|k| k.as_str()).collect();
        let n = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), n);
        // serde and as_str agree
        for k in ResourceKind::ALL {
            let json = serde_json::to_string(k).unwrap();
            assert_eq!(json, format!("\"{}\"", k.as_str()));
        }
    }
}
