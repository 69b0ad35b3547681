//! The typed IAM policy: statements with their elements, each value keeping its [`Origin`].
//!
//! Grammar: <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html>.
//! Values that could not be known offline (a `Resource` built with `!Sub` from a parameter)
//! are kept as [`Item::Unknown`]: evaluation treats them as "may or may not match".

use crate::condition::Condition;
use lambdasec_model::Origin;
use serde::Serialize;

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Effect {
    Allow,
    Deny,
}

impl Effect {
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        }
    }
}

/// The policy language version. Policy variables are substituted only under `2012-10-17`;
/// without a `Version` element the language is `2008-10-17` —
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html>.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Version {
    #[serde(rename = "2012-10-17")]
    V2012_10_17,
    #[serde(rename = "2008-10-17")]
    V2008_10_17,
}

impl Version {
    pub fn as_str(self) -> &'static str {
        match self {
            Version::V2012_10_17 => "2012-10-17",
            Version::V2008_10_17 => "2008-10-17",
        }
    }
}

/// One value of a policy element.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Item {
    /// A value as written.
    Text { text: String, origin: Origin },
    /// Not knowable offline: the expression text.
    Unknown { expr: String, origin: Origin },
}

impl Item {
    pub fn text(&self) -> Option<&str> {
        match self {
            Item::Text { text, .. } => Some(text),
            Item::Unknown { .. } => None,
        }
    }

    pub fn origin(&self) -> &Origin {
        match self {
            Item::Text { origin, .. } | Item::Unknown { origin, .. } => origin,
        }
    }

    /// The text, or the expression of an unknown value.
    pub fn display(&self) -> &str {
        match self {
            Item::Text { text, .. } => text,
            Item::Unknown { expr, .. } => expr,
        }
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Item::Unknown { .. })
    }
}

/// An action pattern (`s3:Get*`, `*`), lower-cased once for matching.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ActionPattern {
    pub item: Item,
    /// Lower-cased text; empty for unknown items.
    pub lower: String,
}

impl ActionPattern {
    pub fn new(item: Item) -> Self {
        let lower = item.text().map(str::to_ascii_lowercase).unwrap_or_default();
        ActionPattern { item, lower }
    }

    /// The service prefix (`s3`), or `None` for `*` and unknown values.
    pub fn service(&self) -> Option<&str> {
        self.lower.split_once(':').map(|(s, _)| s)
    }
}

/// `Action` / `NotAction`, `Resource` / `NotResource`: a list of values, possibly negated.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Block<T> {
    /// True for the `Not...` form.
    pub negated: bool,
    pub items: Vec<T>,
    /// The element's key (`Action`, `NotResource`, ...).
    pub origin: Origin,
}

/// One principal of a `Principal` / `NotPrincipal` element —
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html>.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PrincipalEntry {
    /// `"Principal": "*"`: everyone, including anonymous users.
    Everyone(Origin),
    /// `{"AWS": ...}`: `*`, an account id, or an IAM / STS ARN.
    Aws(Item),
    /// `{"Service": "lambda.amazonaws.com"}`.
    Service(Item),
    /// `{"Federated": "cognito-identity.amazonaws.com"}` or a SAML / OIDC provider ARN.
    Federated(Item),
    /// `{"CanonicalUser": "..."}` (S3).
    CanonicalUser(Item),
}

impl PrincipalEntry {
    pub fn origin(&self) -> &Origin {
        match self {
            PrincipalEntry::Everyone(o) => o,
            PrincipalEntry::Aws(i)
            | PrincipalEntry::Service(i)
            | PrincipalEntry::Federated(i)
            | PrincipalEntry::CanonicalUser(i) => i.origin(),
        }
    }

    /// True for `*` and `{"AWS": "*"}`.
    pub fn is_everyone(&self) -> bool {
        match self {
            PrincipalEntry::Everyone(_) => true,
            PrincipalEntry::Aws(i) => i.text() == Some("*"),
            _ => false,
        }
    }

    /// The principal type name as written in policies.
    pub fn type_name(&self) -> &'static str {
        match self {
            PrincipalEntry::Everyone(_) => "*",
            PrincipalEntry::Aws(_) => "AWS",
            PrincipalEntry::Service(_) => "Service",
            PrincipalEntry::Federated(_) => "Federated",
            PrincipalEntry::CanonicalUser(_) => "CanonicalUser",
        }
    }
}

/// One statement.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Statement {
    /// Position in the policy's statement list.
    pub index: usize,
    pub sid: Option<Item>,
    pub effect: Effect,
    pub action: Block<ActionPattern>,
    /// Absent in trust policies and some resource policies: then every resource matches.
    pub resource: Option<Block<Item>>,
    pub principal: Option<Block<PrincipalEntry>>,
    pub conditions: Vec<Condition>,
    /// The statement object.
    pub origin: Origin,
}

impl Statement {
    pub fn sid_text(&self) -> Option<&str> {
        self.sid.as_ref().and_then(Item::text)
    }

    /// Whether the statement has a `Condition` element.
    pub fn is_conditional(&self) -> bool {
        !self.conditions.is_empty()
    }
}

/// A statement whose shape could not be known offline (an `Fn::If` choosing a statement, an
/// unresolved `Effect`): it may allow or deny anything.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OpaqueStatement {
    pub index: usize,
    pub expr: String,
    pub origin: Origin,
}

/// A parsed policy document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Policy {
    /// A label for reports: a managed policy's name, an inline policy's name, a file name.
    pub name: Option<String>,
    pub version: Option<Version>,
    pub id: Option<Item>,
    pub statements: Vec<Statement>,
    pub opaque: Vec<OpaqueStatement>,
    /// The document.
    pub origin: Origin,
}

impl Policy {
    /// Whether policy variables (`${aws:username}`) are substituted (`Version: 2012-10-17`).
    pub fn supports_variables(&self) -> bool {
        self.version == Some(Version::V2012_10_17)
    }

    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }
}
