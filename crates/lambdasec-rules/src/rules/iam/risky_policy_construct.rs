use crate::facts::execution_role;
use crate::{Context, Findings, declare_rule};
use lambdasec_iam::{check_policy, parse_policy};

/// The policy checker's issues that are risky constructs.
const CONSTRUCTS: &[&str] = &[
    "allow-not-action",
    "allow-not-resource",
    "allow-not-principal",
];

declare_rule! {
    /// ## What it does
    /// Flags Allow statements with `NotAction`, `NotResource` or `NotPrincipal` in a function's
    /// execution role: in the statements written for it (inline, standalone, customer managed
    /// policies; not those frameworks generate) and in its trust policy. (AWS managed policies
    /// that use `NotAction`, such as `PowerUserAccess`, are judged by what they grant: IAM001,
    /// IAM003, IAM004.)
    ///
    /// ## Why is this bad
    /// These elements grant by exclusion: an Allow with `NotAction: iam:*` grants every other
    /// action of every service — including those AWS adds tomorrow; `NotResource` every resource
    /// but the listed ones; `NotPrincipal` every principal but the listed ones, anonymous users
    /// included. They are hard to review and almost always grant far more than intended.
    ///
    /// ## Example
    /// ```yaml
    /// - Effect: Allow
    ///   NotAction: iam:*
    ///   Resource: "*"
    /// ```
    ///
    /// ## Remediation
    /// List what is allowed (`Action`, `Resource`, `Principal`); express exclusions as a Deny
    /// statement next to a narrow Allow.
    /// - CloudFormation / SAM: the role's `Policies`, `AssumeRolePolicyDocument`.
    /// - Terraform: `not_actions` / `not_resources` / `not_principals` in
    ///   `aws_iam_policy_document`.
    /// - serverless.yml: `provider.iam.role.statements`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
    pub struct RiskyPolicyConstruct {
        code: "IAM006",
        name: "risky-policy-construct",
        title: "Allow with NotAction, NotResource or NotPrincipal",
        severity: Medium,
        kinds: [Function],
        inputs: [CloudFormation, Sam, Terraform, Serverless, Live],
        fix: None,
    }
}

impl RiskyPolicyConstruct {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        for f in &cx.inventory.functions {
            let Some(role) = execution_role(cx, f) else {
                continue;
            };
            let trust = role
                .role
                .assume_role_policy
                .as_ref()
                .and_then(|n| parse_policy(n).ok());
            let documents = role
                .written_policies()
                .map(|p| (p, true))
                .chain(trust.iter().map(|p| (p, false)));
            for (policy, identity) in documents {
                let label = match (&policy.name, identity) {
                    (Some(n), _) => format!("`{n}`"),
                    (None, true) => "a policy".to_owned(),
                    (None, false) => "the trust policy".to_owned(),
                };
                for issue in check_policy(policy, identity)
                    .into_iter()
                    .filter(|i| CONSTRUCTS.contains(&i.code) && !i.origin.is_implied())
                {
                    let finding = out.add(
                        &f.meta,
                        &issue.origin,
                        format!(
                            "execution role `{}` of `{}`: {} (in {label})",
                            role.id(),
                            f.meta.id,
                            issue.message
                        ),
                    );
                    if let Some(r) = &f.role {
                        finding.with_related(
                            &r.origin,
                            format!("`{}` uses role `{}`", f.meta.id, role.id()),
                        );
                    }
                }
            }
        }
    }
}
