use crate::{Context, Findings, declare_rule};
use lambdasec_model::{Arn, Effect, Principal};

declare_rule! {
    /// ## What it does
    /// Flags permissions that let an AWS service principal (`*.amazonaws.com`) invoke a
    /// function without saying *on behalf of which resource or account*: no `SourceArn` and no
    /// `SourceAccount`. Stricter than peers in two cases (after cfn-lint W3663): S3 and SES
    /// grants also need `SourceAccount` (bucket ARNs carry no account, and a deleted bucket name
    /// can be re-registered by anyone), and a `SourceArn` without an account id needs
    /// `SourceAccount`.
    ///
    /// ## Why is this bad
    /// Service principals act for every customer of the service. Without a source condition,
    /// any AWS account can point its own bucket, topic, rule or API at your function and make the
    /// service invoke it: the confused deputy problem.
    ///
    /// ## Example
    /// ```yaml
    /// S3Invoke:
    ///   Type: AWS::Lambda::Permission
    ///   Properties:
    ///     FunctionName: !Ref Worker
    ///     Action: lambda:InvokeFunction
    ///     Principal: s3.amazonaws.com
    /// ```
    ///
    /// ## Remediation
    /// Add `SourceArn` (the bucket, topic, rule or API) and `SourceAccount` (your account id).
    /// - CloudFormation / SAM: `SourceArn`, `SourceAccount: !Ref AWS::AccountId`.
    /// - Terraform: `source_arn`, `source_account` on `aws_lambda_permission`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
    /// - https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html
    pub struct ConfusedDeputyPermission {
        code: "RBP002",
        name: "confused-deputy-permission",
        title: "Service permission without source conditions",
        severity: High,
        kinds: [Permission],
        inputs: [CloudFormation, Sam, Terraform, Live],
        fix: None,
    }
}

/// Services whose grants need `SourceAccount` whatever the `SourceArn`.
const NEED_SOURCE_ACCOUNT: &[&str] = &["s3.amazonaws.com", "ses.amazonaws.com"];

impl ConfusedDeputyPermission {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        for p in &cx.inventory.permissions {
            let Some(Principal::Service(service)) = p.principal.get() else {
                continue;
            };
            if p.effect != Effect::Allow || !service.ends_with(".amazonaws.com") {
                continue;
            }
            let has_account = p
                .conditions
                .iter()
                .filter(|c| {
                    ["aws:SourceAccount", "aws:SourceOwner", "aws:SourceOrgID"]
                        .iter()
                        .any(|k| k.eq_ignore_ascii_case(&c.key))
                })
                .any(super::narrows);
            if has_account {
                continue;
            }
            let source_arns: Vec<_> = p
                .conditions_on("aws:SourceArn")
                .filter(|c| super::narrows(c))
                .flat_map(|c| &c.values)
                .collect();
            let problem = if NEED_SOURCE_ACCOUNT.contains(&service.as_str()) {
                Some(format!(
                    "`{service}` may invoke the function without `SourceAccount`: resources of `{service}` carry no account in their ARN, so any account's resource with that name can trigger it"
                ))
            } else if source_arns.is_empty() {
                Some(format!(
                    "`{service}` may invoke the function on behalf of any account: no `SourceArn` or `SourceAccount`"
                ))
            } else {
                source_arns
                    .iter()
                    .find(|v| {
                        v.as_str()
                            .and_then(Arn::parse)
                            .is_some_and(|a| !a.has_account_id())
                    })
                    .map(|arn| {
                        format!(
                            "`{service}` grant is narrowed by `SourceArn` `{arn}`, which names no account, and has no `SourceAccount`"
                        )
                    })
            };
            if let Some(message) = problem {
                out.add(&p.meta, &p.principal.origin, message);
            }
        }
    }
}
