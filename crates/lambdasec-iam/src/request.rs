//! A request to evaluate: who asks, which action on which resource, in which context.

use crate::context::Context;
use serde::Serialize;

/// The kind of principal that makes a request —
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html>.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PrincipalKind {
    /// The account root user.
    Root,
    User,
    /// A role session (`arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION`).
    AssumedRole,
    /// An STS federated user session (`arn:aws:sts::ACCOUNT:federated-user/NAME`).
    FederatedUser,
    /// An AWS service (`lambda.amazonaws.com`).
    Service,
    /// A web identity or SAML session, before it assumes a role.
    WebIdentity,
    /// An unauthenticated caller.
    Anonymous,
}

/// The principal of a request.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct RequestPrincipal {
    pub kind: PrincipalKind,
    /// The principal's ARN (session ARN for roles), the service name, or the provider.
    pub id: String,
    /// The principal's account, when it has one.
    pub account: Option<String>,
    /// For role sessions: the role's ARN (with its path).
    pub role_arn: Option<String>,
}

impl RequestPrincipal {
    /// An IAM user, from its ARN.
    pub fn user(arn: &str) -> Self {
        RequestPrincipal {
            kind: PrincipalKind::User,
            id: arn.to_owned(),
            account: account_of(arn),
            role_arn: None,
        }
    }

    /// A session of the role `role_arn` named `session`.
    pub fn role_session(role_arn: &str, session: &str) -> Self {
        let account = account_of(role_arn);
        let partition = role_arn.split(':').nth(1).unwrap_or("aws");
        let name = role_arn.rsplit('/').next().unwrap_or(role_arn);
        RequestPrincipal {
            kind: PrincipalKind::AssumedRole,
            id: format!(
                "arn:{partition}:sts::{}:assumed-role/{name}/{session}",
                account.as_deref().unwrap_or("")
            ),
            account,
            role_arn: Some(role_arn.to_owned()),
        }
    }

    /// A session of an IAM role, or a user, from an ARN (`:role/` or `:user/` or
    /// `:assumed-role/`), or the root user (`:root`).
    pub fn from_arn(arn: &str) -> Self {
        if arn.contains(":role/") {
            RequestPrincipal::role_session(arn, "session")
        } else if arn.ends_with(":root") {
            let mut p = RequestPrincipal::user(arn);
            p.kind = PrincipalKind::Root;
            p
        } else if arn.contains(":assumed-role/") {
            let mut p = RequestPrincipal::user(arn);
            p.kind = PrincipalKind::AssumedRole;
            p
        } else if arn.contains(":federated-user/") {
            let mut p = RequestPrincipal::user(arn);
            p.kind = PrincipalKind::FederatedUser;
            p
        } else {
            RequestPrincipal::user(arn)
        }
    }

    /// The root user of an account.
    pub fn root(account: &str) -> Self {
        RequestPrincipal {
            kind: PrincipalKind::Root,
            id: format!("arn:aws:iam::{account}:root"),
            account: Some(account.to_owned()),
            role_arn: None,
        }
    }

    /// An AWS service principal.
    pub fn service(name: &str) -> Self {
        RequestPrincipal {
            kind: PrincipalKind::Service,
            id: name.to_owned(),
            account: None,
            role_arn: None,
        }
    }

    /// A web identity / SAML provider session.
    pub fn federated(provider: &str) -> Self {
        RequestPrincipal {
            kind: PrincipalKind::WebIdentity,
            id: provider.to_owned(),
            account: None,
            role_arn: None,
        }
    }

    pub fn anonymous() -> Self {
        RequestPrincipal {
            kind: PrincipalKind::Anonymous,
            id: "*".to_owned(),
            account: None,
            role_arn: None,
        }
    }
}

fn account_of(arn: &str) -> Option<String> {
    let acct = arn.split(':').nth(4)?;
    lambdasec_model::is_account_id(acct).then(|| acct.to_owned())
}

/// One request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub principal: RequestPrincipal,
    /// `service:Action`.
    pub action: String,
    /// The resource ARN (`*` for actions without a resource).
    pub resource: String,
    /// The account owning the resource, when known (decides same- vs cross-account).
    pub resource_account: Option<String>,
    pub context: Context,
    /// The resource-based policy must grant access even within the account (KMS key policies,
    /// role trust policies) —
    /// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html>.
    pub resource_policy_required: bool,
}

impl Request {
    pub fn new(principal: RequestPrincipal, action: &str, resource: &str) -> Self {
        let resource_account = resource
            .split(':')
            .nth(4)
            .filter(|a| lambdasec_model::is_account_id(a))
            .map(str::to_owned);
        Request {
            principal,
            action: action.to_owned(),
            resource: resource.to_owned(),
            resource_account,
            context: Context::new(),
            resource_policy_required: false,
        }
    }

    pub fn with_context(mut self, context: Context) -> Self {
        self.context = context;
        self
    }

    pub fn with_resource_account(mut self, account: &str) -> Self {
        self.resource_account = Some(account.to_owned());
        self
    }

    /// Whether principal and resource are in different accounts (both known and different;
    /// services and anonymous callers have no account).
    pub fn is_cross_account(&self) -> bool {
        match (&self.principal.account, &self.resource_account) {
            (Some(p), Some(r)) => p != r,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_and_accounts() {
        let p = RequestPrincipal::role_session("arn:aws:iam::111122223333:role/app/exec", "s1");
        assert_eq!(p.id, "arn:aws:sts::111122223333:assumed-role/exec/s1");
        assert_eq!(p.account.as_deref(), Some("111122223333"));
        let r = Request::new(p, "s3:GetObject", "arn:aws:s3:::bucket/key");
        assert!(!r.is_cross_account());
        let r2 = r.with_resource_account("444455556666");
        assert!(r2.is_cross_account());
        assert_eq!(
            RequestPrincipal::from_arn("arn:aws:iam::111122223333:root").kind,
            PrincipalKind::Root
        );
        assert_eq!(
            RequestPrincipal::from_arn("arn:aws:iam::111122223333:user/u").kind,
            PrincipalKind::User
        );
    }
}
