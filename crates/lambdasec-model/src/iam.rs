//! IAM identities and policies. Policy documents are kept as [`Node`] trees with their origins;
//! the IAM engine interprets them.

use crate::lambda::Tag;
use crate::node::Node;
use crate::origin::{Origin, Value};
use crate::resource::{Meta, impl_resource};
use crate::target::Target;
use serde::{Deserialize, Serialize};

/// A policy embedded in an identity (`Policies` of a role, user or group).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct InlinePolicy {
    pub name: Value<String>,
    pub document: Node,
    pub origin: Origin,
    /// Where the statements come from when not written by the user, e.g. the SAM policy
    /// template `DynamoDBCrudPolicy` expanded from embedded data.
    pub expanded_from: Option<String>,
}

/// An IAM role.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Role {
    pub meta: Meta,
    pub name: Option<Value<String>>,
    pub path: Option<Value<String>>,
    /// The trust policy.
    pub assume_role_policy: Option<Node>,
    pub inline_policies: Vec<InlinePolicy>,
    /// Attached managed policies, local or AWS-managed (`arn:aws:iam::aws:policy/...`).
    pub managed_policies: Vec<Value<Target>>,
    pub permissions_boundary: Option<Value<Target>>,
    pub tags: Value<Vec<Tag>>,
}

impl Role {
    /// A role with nothing written but its declaration.
    pub fn new(meta: Meta) -> Self {
        let o = meta.origin.clone();
        Role {
            meta,
            name: None,
            path: None,
            assume_role_policy: None,
            inline_policies: Vec::new(),
            managed_policies: Vec::new(),
            permissions_boundary: None,
            tags: Value::default(Vec::new(), &o),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct User {
    pub meta: Meta,
    pub name: Option<Value<String>>,
    pub inline_policies: Vec<InlinePolicy>,
    pub managed_policies: Vec<Value<Target>>,
    pub groups: Vec<Value<Target>>,
    pub permissions_boundary: Option<Value<Target>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Group {
    pub meta: Meta,
    pub name: Option<Value<String>>,
    pub inline_policies: Vec<InlinePolicy>,
    pub managed_policies: Vec<Value<Target>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PolicyKind {
    /// A customer-managed policy (`AWS::IAM::ManagedPolicy`, `aws_iam_policy`).
    Managed,
    /// A standalone inline policy attached to identities (`AWS::IAM::Policy`,
    /// `aws_iam_role_policy`).
    Inline,
}

/// A policy declared as its own resource, with the identities it is attached to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Policy {
    pub meta: Meta,
    pub kind: PolicyKind,
    pub name: Option<Value<String>>,
    pub document: Node,
    pub roles: Vec<Value<Target>>,
    pub users: Vec<Value<Target>>,
    pub groups: Vec<Value<Target>>,
}

impl_resource!(Role => Role, User => User, Group => Group, Policy => Policy);
