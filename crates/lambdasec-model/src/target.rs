//! References between resources, and ARNs.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A reference from one resource to another.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Target {
    /// A resource of the same inventory, by its id (logical id, Terraform address, function key).
    Local(String),
    /// An ARN, which may name a resource of the inventory or one outside it.
    Arn(String),
    /// A bare name (function name, role name, queue URL...), as some properties accept.
    Name(String),
}

impl Target {
    /// Classify a literal string written where a reference is expected.
    pub fn from_literal(s: &str) -> Target {
        if s.starts_with("arn:") {
            Target::Arn(s.to_owned())
        } else {
            Target::Name(s.to_owned())
        }
    }

    pub fn as_local(&self) -> Option<&str> {
        match self {
            Target::Local(id) => Some(id),
            _ => None,
        }
    }

    pub fn as_arn(&self) -> Option<Arn<'_>> {
        match self {
            Target::Arn(a) => Arn::parse(a),
            _ => None,
        }
    }

    pub fn text(&self) -> &str {
        match self {
            Target::Local(s) | Target::Arn(s) | Target::Name(s) => s,
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text())
    }
}

/// A parsed ARN, borrowing its text: `arn:partition:service:region:account:resource`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Arn<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    pub resource: &'a str,
}

impl<'a> Arn<'a> {
    pub fn parse(s: &'a str) -> Option<Arn<'a>> {
        let mut it = s.splitn(6, ':');
        if it.next()? != "arn" {
            return None;
        }
        let partition = it.next()?;
        let service = it.next()?;
        let region = it.next()?;
        let account = it.next()?;
        let resource = it.next()?;
        if partition.is_empty() || service.is_empty() {
            return None;
        }
        Some(Arn {
            partition,
            service,
            region,
            account,
            resource,
        })
    }

    /// The resource type and the rest: `function:name:alias` → (`function`, `name:alias`);
    /// `role/path/name` → (`role`, `path/name`).
    pub fn resource_type(&self) -> (&'a str, &'a str) {
        let cut = self.resource.find([':', '/']);
        match cut {
            Some(i) => (
                self.resource.get(..i).unwrap_or_default(),
                self.resource.get(i + 1..).unwrap_or_default(),
            ),
            None => ("", self.resource),
        }
    }

    /// The last name of the resource: a role name without its path, a function name without its
    /// qualifier, a layer name without its version.
    pub fn resource_name(&self) -> &'a str {
        let (kind, rest) = self.resource_type();
        match (self.service, kind) {
            ("lambda", "function" | "layer") => rest.split(':').next().unwrap_or(rest),
            ("iam", _) => rest.rsplit('/').next().unwrap_or(rest),
            ("sqs" | "sns", _) => self.resource,
            (_, "") => rest,
            _ => rest,
        }
    }

    /// True when the account is a 12-digit account id (not empty, not a wildcard, not `aws`).
    pub fn has_account_id(&self) -> bool {
        is_account_id(self.account)
    }
}

/// A 12-digit AWS account id.
pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_arns() {
        let a = Arn::parse("arn:aws:lambda:us-east-1:123456789012:function:my-fn:prod").unwrap();
        assert_eq!(a.service, "lambda");
        assert_eq!(a.resource_type(), ("function", "my-fn:prod"));
        assert_eq!(a.resource_name(), "my-fn");
        assert!(a.has_account_id());
        let r = Arn::parse("arn:aws:iam::123456789012:role/service/exec").unwrap();
        assert_eq!(r.resource_name(), "exec");
        let q = Arn::parse("arn:aws:sqs:eu-west-1:123456789012:jobs").unwrap();
        assert_eq!(q.resource_name(), "jobs");
        let l = Arn::parse("arn:aws:lambda:us-east-1:123456789012:layer:deps:3").unwrap();
        assert_eq!(l.resource_name(), "deps");
        let p = Arn::parse("arn:aws:iam::aws:policy/AdministratorAccess").unwrap();
        assert!(!p.has_account_id());
        assert_eq!(p.resource_name(), "AdministratorAccess");
        assert!(Arn::parse("not-an-arn").is_none());
        assert!(Arn::parse("arn:aws:s3").is_none());
        assert_eq!(
            Target::from_literal("arn:aws:s3:::b"),
            Target::Arn("arn:aws:s3:::b".into())
        );
        assert_eq!(Target::from_literal("fn"), Target::Name("fn".into()));
    }
}
