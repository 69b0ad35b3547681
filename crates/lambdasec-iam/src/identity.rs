//! The policies of one principal (a role, a user with its groups, or a bare set of documents):
//! the input of capability analysis.
//!
//! Build one from typed policies, from AWS managed policy ARNs (resolved from embedded data),
//! or from a model [`Role`] and its [`Inventory`].

use crate::error::ParseError;
use crate::evaluate::{PolicySet, Response, evaluate};
use crate::managed::{ManagedLookup, managed_policy};
use crate::parse::parse_policy;
use crate::policy::Policy;
use crate::request::{Request, RequestPrincipal};
use lambdasec_model::{Inventory, Origin, PolicyKind, Role, State, Target, Value};
use std::sync::Arc;

/// A policy attached to a principal whose permissions cannot be known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownPolicy {
    /// The reference as written (an ARN, a logical id, an unresolved expression).
    pub reference: String,
    pub why: UnknownWhy,
    pub origin: Origin,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnknownWhy {
    /// Not resolvable offline (`!Ref Param`, `var.policy_arn`).
    Unresolved,
    /// An AWS managed policy whose document is not embedded.
    MissingManaged,
    /// A customer managed policy not found in the inventory.
    NotFound,
}

/// The policies of one principal.
#[derive(Debug, Clone, Default)]
pub struct Identity {
    pub name: String,
    /// The principal's ARN, when known (`arn:aws:iam::111122223333:role/app`).
    pub arn: Option<String>,
    /// Identity-based policies: inline and managed, including those of the user's groups.
    pub policies: Vec<Arc<Policy>>,
    pub boundary: Option<Arc<Policy>>,
    /// Attached policies whose documents are not known.
    pub unknown: Vec<UnknownPolicy>,
    /// Documents that did not parse.
    pub errors: Vec<ParseError>,
}

impl Identity {
    pub fn new(name: impl Into<String>) -> Self {
        Identity {
            name: name.into(),
            ..Identity::default()
        }
    }

    pub fn with_arn(mut self, arn: impl Into<String>) -> Self {
        self.arn = Some(arn.into());
        self
    }

    pub fn with_policy(mut self, p: impl Into<Arc<Policy>>) -> Self {
        self.policies.push(p.into());
        self
    }

    pub fn with_boundary(mut self, p: impl Into<Arc<Policy>>) -> Self {
        self.boundary = Some(p.into());
        self
    }

    /// Attach an AWS managed policy by ARN or name; unknown ones are recorded as such.
    pub fn with_managed(mut self, arn: &str, origin: &Origin) -> Self {
        self.attach_managed(arn, origin, false);
        self
    }

    /// Parse and attach a document (inline or managed); parse errors are kept in `errors`.
    pub fn add_document(&mut self, name: Option<&str>, doc: &lambdasec_model::Node) {
        match parse_policy(doc) {
            Ok(p) => {
                let p = match name {
                    Some(n) => p.with_name(n),
                    None => p,
                };
                self.policies.push(Arc::new(p));
            }
            Err(e) => self.errors.push(e),
        }
    }

    fn attach_managed(&mut self, arn: &str, origin: &Origin, boundary: bool) -> bool {
        match managed_policy(arn) {
            ManagedLookup::Found(p) => {
                if boundary {
                    self.boundary = Some(p);
                } else {
                    self.policies.push(p);
                }
                true
            }
            ManagedLookup::Missing(_) => {
                self.unknown.push(UnknownPolicy {
                    reference: arn.to_owned(),
                    why: UnknownWhy::MissingManaged,
                    origin: origin.clone(),
                });
                true
            }
            ManagedLookup::NotFound => false,
        }
    }

    /// The policies of a role of an inventory: inline policies, attached managed policies
    /// (AWS managed from embedded data, customer managed from the inventory), standalone
    /// policies that name the role, and its permissions boundary.
    pub fn from_role(role: &Role, inventory: &Inventory) -> Identity {
        let name = role
            .name
            .as_ref()
            .and_then(|n| n.as_str().map(str::to_owned))
            .unwrap_or_else(|| role.meta.id.clone());
        let mut id = Identity::new(name);
        id.arn = role.meta.arn.clone();
        for p in &role.inline_policies {
            id.add_document(p.name.as_str(), &p.document);
        }
        for m in &role.managed_policies {
            id.attach_target(m, inventory, false);
        }
        if let Some(b) = &role.permissions_boundary {
            id.attach_target(b, inventory, true);
        }
        for p in &inventory.policies {
            let names_role = p.roles.iter().any(|r| match r.get() {
                Some(Target::Local(l)) => *l == role.meta.id,
                Some(t) => {
                    role.meta.arn.as_deref() == Some(t.text())
                        || role.name.as_ref().and_then(|n| n.as_str()) == Some(t.text())
                }
                None => false,
            });
            if names_role {
                let label = p
                    .name
                    .as_ref()
                    .and_then(|n| n.as_str())
                    .unwrap_or(&p.meta.id);
                id.add_document(Some(label), &p.document);
            }
        }
        id
    }

    fn attach_target(&mut self, t: &Value<Target>, inventory: &Inventory, boundary: bool) {
        let target = match &t.state {
            State::Explicit(t) | State::Default(t) => t,
            State::Unresolved(expr) => {
                self.unknown.push(UnknownPolicy {
                    reference: expr.clone(),
                    why: UnknownWhy::Unresolved,
                    origin: t.origin.clone(),
                });
                return;
            }
        };
        let local = inventory.policies.iter().find(|p| {
            p.kind == PolicyKind::Managed
                && match target {
                    Target::Local(l) => *l == p.meta.id,
                    Target::Arn(a) => p.meta.arn.as_deref() == Some(a.as_str()),
                    Target::Name(n) => p.name.as_ref().and_then(|x| x.as_str()) == Some(n.as_str()),
                }
        });
        if let Some(p) = local {
            let label = p
                .name
                .as_ref()
                .and_then(|n| n.as_str())
                .unwrap_or(&p.meta.id);
            match parse_policy(&p.document) {
                Ok(parsed) => {
                    let parsed = Arc::new(parsed.with_name(label));
                    if boundary {
                        self.boundary = Some(parsed);
                    } else {
                        self.policies.push(parsed);
                    }
                }
                Err(e) => self.errors.push(e),
            }
            return;
        }
        if !matches!(target, Target::Local(_))
            && self.attach_managed(target.text(), &t.origin, boundary)
        {
            return;
        }
        self.unknown.push(UnknownPolicy {
            reference: target.text().to_owned(),
            why: UnknownWhy::NotFound,
            origin: t.origin.clone(),
        });
    }

    /// The identity's policies as a [`PolicySet`] (identity layer + boundary).
    pub fn policy_set(&self) -> PolicySet<'_> {
        PolicySet {
            identity: self.policies.iter().map(Arc::as_ref).collect(),
            boundary: self.boundary.as_deref(),
            ..PolicySet::default()
        }
    }

    /// Evaluate one request made by this identity (a role session or user, from its ARN).
    pub fn evaluate(&self, action: &str, resource: &str, context: crate::Context) -> Response {
        let principal = RequestPrincipal::from_arn(
            self.arn
                .as_deref()
                .unwrap_or("arn:aws:iam::000000000000:role/unknown"),
        );
        let req = Request::new(principal, action, resource).with_context(context);
        evaluate(&req, &self.policy_set())
    }
}
