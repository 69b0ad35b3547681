use crate::{Context, Findings, Severity, declare_rule};
use lambdasec_model::{Effect, Principal};

declare_rule! {
    /// ## What it does
    /// Flags function policy statements that grant an AWS account principal (an account id, its
    /// root, or a role or user ARN) of another account: one that is neither the audited account
    /// (`account_id`) nor listed in `trusted_accounts`. A statement restricted to the configured
    /// organization (`aws:PrincipalOrgID` equal to `organization_id`) is not reported. When the
    /// audited account is unknown (a template scanned without `account_id`), the finding says so
    /// and its severity drops to low.
    ///
    /// ## Why is this bad
    /// Every identity of that account that its administrators allow `lambda:InvokeFunction` can
    /// invoke the function — with any payload, as often as it likes — and you do not control who
    /// they are. Cross-account grants are often left behind after a migration or a test, and
    /// attackers who gain a foothold in a partner account use them to move laterally.
    ///
    /// ## Example
    /// ```yaml
    /// PartnerInvoke:
    ///   Type: AWS::Lambda::Permission
    ///   Properties:
    ///     FunctionName: !Ref Api
    ///     Action: lambda:InvokeFunction
    ///     Principal: "210987654321"
    /// ```
    ///
    /// ## Remediation
    /// Remove grants that are no longer needed; otherwise grant a specific role of the partner
    /// account rather than the whole account, and record the account in `trusted_accounts` (or
    /// restrict the grant with `PrincipalOrgID`).
    /// - CloudFormation / SAM: `Principal` / `PrincipalOrgID` on `AWS::Lambda::Permission`.
    /// - Terraform: `principal` / `principal_org_id` on `aws_lambda_permission`.
    /// - Live: `aws lambda remove-permission --statement-id ...`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/permissions-function-cross-account.html
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid
    pub struct CrossAccountInvocation {
        code: "RBP003",
        name: "cross-account-invocation",
        title: "Function policy grants another account",
        severity: Medium,
        kinds: [Permission],
        inputs: [CloudFormation, Sam, Terraform, Live],
        fix: None,
    }
}

impl CrossAccountInvocation {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        for p in &cx.inventory.permissions {
            if p.effect != Effect::Allow {
                continue;
            }
            let Some(principal @ Principal::Aws(written)) = p.principal.get() else {
                continue;
            };
            let Some(account) = principal.account() else {
                continue;
            };
            if cx.is_own_account(account) {
                continue;
            }
            let in_org = cx.config.organization_id.as_deref().is_some_and(|org| {
                p.conditions_on("aws:PrincipalOrgID")
                    .filter(|c| super::narrows(c))
                    .any(|c| c.values.iter().all(|v| v.is(|s| s == org)))
            });
            if in_org {
                continue;
            }
            let target = cx
                .index
                .function(&p.function)
                .map_or_else(|| p.function.to_string(), |f| f.meta.id.clone());
            let who = if written == account {
                format!("account `{account}`")
            } else {
                format!("`{written}` of account `{account}`")
            };
            match cx.audited_account() {
                Some(own) => {
                    out.add(
                        &p.meta,
                        &p.principal.origin,
                        format!(
                            "function policy of `{target}` grants {who}, which is not the audited account `{own}` nor a trusted one"
                        ),
                    );
                }
                None => {
                    let severity = out.severity().min(Severity::Low);
                    out.add(
                        &p.meta,
                        &p.principal.origin,
                        format!(
                            "function policy of `{target}` grants {who}, which is not a trusted account (the audited account is unknown: set `account_id` or `trusted_accounts`)"
                        ),
                    )
                    .with_severity(severity);
                }
            }
        }
    }
}
