//! What a live collection could not read.
//!
//! A call that failed while collecting an account (access denied by an identity policy, a
//! permissions boundary or an SCP; an unsupported call; throttled past the retry budget) leaves
//! a gap in the inventory. A missing function policy is not "no policy", and a log group that
//! could not be listed is not "no log group": the checks that need the missing answer are *not
//! assessed* for what the gap covers, rather than passing or failing on absent data.

use crate::origin::Origin;
use crate::resource::{Meta, ResourceKind};
use serde::{Deserialize, Serialize};

/// A call of a live collection that failed, and what its answer would have covered.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NotAssessed {
    /// The account the call was made in.
    pub account: Option<String>,
    /// The region; `None` for global services (IAM, Organizations).
    pub region: Option<String>,
    /// The IAM action of the call, `lambda:GetPolicy`.
    pub action: String,
    /// The API operation when the action does not name it (`apigateway:GET` → `GetStages`).
    pub operation: Option<String>,
    /// The ARN of the resource the call was about; `None` for a call about a whole region
    /// (a listing, a region setting) or a global service.
    pub resource: Option<String>,
    /// `AccessDeniedException`, `UnauthorizedOperation`, `Throttling`, ...
    pub error_code: String,
    pub message: String,
    /// Where the gap is recorded (the snapshot's `not_assessed` entry, or the resource).
    pub origin: Origin,
}

impl NotAssessed {
    /// The service part of the action (`lambda`).
    pub fn service(&self) -> &str {
        self.action
            .split_once(':')
            .map_or(self.action.as_str(), |(s, _)| s)
    }

    /// True when the failed call's answer would have described `meta`: the resource it was
    /// about (and what hangs off it: a function's permissions and URLs carry the function's
    /// ARN), or every resource of its account and region for a region-wide call, or of its
    /// account for a global one.
    pub fn covers(&self, meta: &Meta) -> bool {
        if let Some(resource) = &self.resource {
            return meta.arn.as_deref() == Some(resource.as_str());
        }
        let Some((account, region)) = scope_of(meta) else {
            return false;
        };
        if self.account.as_deref().is_some_and(|a| a != account) {
            return false;
        }
        match &self.region {
            // IAM is global: its gap covers the whole account.
            None => true,
            Some(r) => r == region,
        }
    }

    /// A one-line description: "`lambda:GetPolicy` failed (AccessDeniedException)".
    pub fn summary(&self) -> String {
        let operation = self
            .operation
            .as_deref()
            .filter(|op| !self.action.ends_with(op))
            .map(|op| format!(" ({op})"))
            .unwrap_or_default();
        format!("`{}`{operation} failed ({})", self.action, self.error_code)
    }
}

/// The account and region a live resource belongs to: from its ARN (or, for region settings,
/// which have none, from the ARN of their origin). `None` for resources not read from an
/// account. The region is empty for global resources (IAM).
pub fn scope_of(meta: &Meta) -> Option<(&str, &str)> {
    let arn = match (&meta.arn, meta.origin.anchor()) {
        (Some(a), _) => a.as_str(),
        (None, Origin::Live { arn, .. }) if meta.kind == ResourceKind::Account => arn.as_str(),
        _ => return None,
    };
    // arn:partition:service:region:account:resource — the service may be empty.
    let mut parts = arn.splitn(6, ':');
    if parts.next() != Some("arn") {
        return None;
    }
    let _partition = parts.next()?;
    let _service = parts.next()?;
    let region = parts.next()?;
    let account = parts.next()?;
    Some((account, region))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gap(region: Option<&str>, action: &str, resource: Option<&str>) -> NotAssessed {
        NotAssessed {
            account: Some("111122223333".into()),
            region: region.map(str::to_owned),
            action: action.into(),
            operation: None,
            resource: resource.map(str::to_owned),
            error_code: "AccessDeniedException".into(),
            message: "denied".into(),
            origin: Origin::Unknown,
        }
    }

    fn live(kind: ResourceKind, arn: &str) -> Meta {
        let mut m = Meta::new("x", kind, Origin::live(arn, ""));
        m.arn = Some(arn.to_owned());
        m
    }

    const F: &str = "arn:aws:lambda:eu-west-1:111122223333:function:orders";

    #[test]
    fn resource_gaps_cover_that_resource_only() {
        let g = gap(Some("eu-west-1"), "lambda:GetPolicy", Some(F));
        assert!(g.covers(&live(ResourceKind::Function, F)));
        // A permission of the function carries the function's ARN.
        assert!(g.covers(&live(ResourceKind::Permission, F)));
        assert!(!g.covers(&live(
            ResourceKind::Function,
            "arn:aws:lambda:eu-west-1:111122223333:function:other"
        )));
        assert_eq!(g.service(), "lambda");
        assert_eq!(
            g.summary(),
            "`lambda:GetPolicy` failed (AccessDeniedException)"
        );
    }

    #[test]
    fn region_and_global_gaps() {
        let logs = gap(Some("eu-west-1"), "logs:DescribeLogGroups", None);
        assert!(logs.covers(&live(ResourceKind::Function, F)));
        assert!(!logs.covers(&live(
            ResourceKind::Function,
            "arn:aws:lambda:us-east-1:111122223333:function:orders"
        )));
        assert!(!logs.covers(&live(
            ResourceKind::Function,
            "arn:aws:lambda:eu-west-1:444455556666:function:orders"
        )));
        // Region settings have no ARN; their origin names the account and region.
        let settings = Meta::new(
            "111122223333/eu-west-1",
            ResourceKind::Account,
            Origin::live("arn:aws::eu-west-1:111122223333:", ""),
        );
        assert!(gap(Some("eu-west-1"), "guardduty:ListDetectors", None).covers(&settings));
        let iam = gap(None, "iam:GetAccountAuthorizationDetails", None);
        assert!(iam.covers(&live(ResourceKind::Function, F)));
        assert!(iam.covers(&live(
            ResourceKind::Role,
            "arn:aws:iam::111122223333:role/exec"
        )));
        // Template resources are never covered.
        let template = Meta::new("Fn", ResourceKind::Function, Origin::Unknown);
        assert!(!iam.covers(&template));
        let op = NotAssessed {
            operation: Some("GetStages".into()),
            ..gap(Some("eu-west-1"), "apigateway:GET", None)
        };
        assert_eq!(
            op.summary(),
            "`apigateway:GET` (GetStages) failed (AccessDeniedException)"
        );
    }
}
