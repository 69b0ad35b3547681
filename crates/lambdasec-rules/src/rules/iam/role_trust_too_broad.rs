use crate::facts::execution_roles;
use crate::{Context, Findings, declare_rule};
use lambdasec_iam::{Effect, PrincipalEntry, Statement, parse_policy, wildcard};
use lambdasec_model::{Arn, is_account_id};

declare_rule! {
    /// ## What it does
    /// Flags execution roles whose trust policy lets principals other than the Lambda service
    /// (`lambda.amazonaws.com`, and `edgelambda.amazonaws.com` for Lambda@Edge) assume them:
    /// other services, accounts, roles, users, federated identities, everyone (`*`), or every
    /// principal but a few (`NotPrincipal`). The message says when a principal of another
    /// account (or everyone) may assume the role without any condition (`sts:ExternalId`,
    /// `aws:PrincipalOrgID`, `aws:SourceArn`, ...).
    ///
    /// ## Why is this bad
    /// An execution role holds what the function needs — its data, its secrets. Every other
    /// principal that may assume it gets the same access without running the function: another
    /// service's workload, a developer, a partner account. Cross-account trust without a
    /// condition is the classic confused-deputy opening, and a shared role cannot be scoped to
    /// one workload.
    ///
    /// ## Example
    /// ```yaml
    /// AssumeRolePolicyDocument:
    ///   Statement:
    ///     - Effect: Allow
    ///       Principal:
    ///         Service: [lambda.amazonaws.com, ec2.amazonaws.com]
    ///         AWS: arn:aws:iam::210987654321:root
    ///       Action: sts:AssumeRole
    /// ```
    ///
    /// ## Remediation
    /// Trust only `lambda.amazonaws.com`; give other services and people their own roles.
    /// - CloudFormation: the role's `AssumeRolePolicyDocument`.
    /// - SAM: omit `Role` to let SAM create a Lambda-only role, or fix the declared role.
    /// - Terraform: `assume_role_policy` of `aws_iam_role`.
    /// - serverless.yml: the role's `AssumeRolePolicyDocument` in `resources`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
    pub struct RoleTrustTooBroad {
        code: "IAM009",
        name: "role-trust-too-broad",
        title: "Execution role trusted by more than Lambda",
        severity: High,
        kinds: [Role],
        inputs: [CloudFormation, Sam, Terraform, Serverless, Live],
        fix: None,
    }
}

/// Service principals an execution role is meant to trust.
const LAMBDA_SERVICES: &[&str] = &[
    "lambda.amazonaws.com",
    "edgelambda.amazonaws.com",
    "lambda.amazonaws.com.cn",
];

/// Actions that assume a role (a trust statement granting only `sts:TagSession` opens
/// nothing by itself).
const ASSUME: &[&str] = &[
    "sts:AssumeRole",
    "sts:AssumeRoleWithWebIdentity",
    "sts:AssumeRoleWithSAML",
];

/// Whether the statement's actions include assuming the role; `None` when not knowable.
fn assumes(st: &Statement) -> Option<bool> {
    let mut any = false;
    for a in &st.action.items {
        let text = a.item.text()?;
        any |= ASSUME
            .iter()
            .any(|x| wildcard::matches_ignore_case(text, x));
    }
    Some(if st.action.negated {
        // `NotAction` that does not exclude every assume action.
        !ASSUME.iter().all(|x| {
            st.action.items.iter().any(|a| {
                a.item
                    .text()
                    .is_some_and(|t| wildcard::matches_ignore_case(t, x))
            })
        })
    } else {
        any
    })
}

impl RoleTrustTooBroad {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        for role in execution_roles(cx) {
            let Some(doc) = &role.role.assume_role_policy else {
                continue;
            };
            let Ok(trust) = parse_policy(doc) else {
                continue;
            };
            let used_by = super::name_list(
                &role
                    .functions
                    .iter()
                    .map(|f| f.meta.id.as_str())
                    .collect::<Vec<_>>(),
            );
            for st in &trust.statements {
                if st.effect != Effect::Allow || assumes(st) != Some(true) {
                    continue;
                }
                let Some(principals) = &st.principal else {
                    continue;
                };
                let conditions: Vec<&str> = st.conditions.iter().map(|c| c.key.as_str()).collect();
                let unconditioned = if conditions.is_empty() {
                    " without any condition"
                } else {
                    ""
                };
                if principals.negated {
                    out.add(
                        &role.role.meta,
                        &principals.origin,
                        format!(
                            "execution role `{}` (used by {used_by}) can be assumed by every principal except those listed in `NotPrincipal`{unconditioned}",
                            role.id()
                        ),
                    );
                    continue;
                }
                for p in &principals.items {
                    let who = match p {
                        PrincipalEntry::Service(i) => match i.text() {
                            Some(s)
                                if LAMBDA_SERVICES
                                    .iter()
                                    .any(|l| l.eq_ignore_ascii_case(s.trim())) =>
                            {
                                continue;
                            }
                            Some(s) => format!("service `{s}`"),
                            None => continue,
                        },
                        e if e.is_everyone() => format!("everyone (`*`){unconditioned}"),
                        PrincipalEntry::Aws(i) => {
                            let Some(s) = i.text() else { continue };
                            let account = if is_account_id(s) {
                                Some(s)
                            } else {
                                Arn::parse(s)
                                    .map(|a| a.account)
                                    .filter(|a| is_account_id(a))
                            };
                            match account {
                                Some(a) if cx.is_own_account(a) => format!("`{s}`"),
                                Some(a) if cx.audited_account().is_some() => {
                                    format!("`{s}` of another account (`{a}`){unconditioned}")
                                }
                                Some(a) => format!("`{s}` of account `{a}`{unconditioned}"),
                                None => format!("`{s}`"),
                            }
                        }
                        PrincipalEntry::Federated(i) => match i.text() {
                            Some(s) => format!("federated identities of `{s}`"),
                            None => continue,
                        },
                        PrincipalEntry::CanonicalUser(i) => match i.text() {
                            Some(s) => format!("canonical user `{s}`"),
                            None => continue,
                        },
                        PrincipalEntry::Everyone(_) => continue,
                    };
                    let finding = out.add(
                        &role.role.meta,
                        p.origin(),
                        format!(
                            "execution role `{}` (used by {used_by}) can be assumed by {who}, not only by Lambda",
                            role.id()
                        ),
                    );
                    if let Some(r) = role.functions.first().and_then(|f| f.role.as_ref()) {
                        finding.with_related(&r.origin, "a function uses the role here");
                    }
                }
            }
        }
    }
}
