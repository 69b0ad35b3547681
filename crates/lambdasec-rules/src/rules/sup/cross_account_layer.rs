use crate::{Context, Findings, Severity, declare_rule};
use lambdasec_model::Arn;

declare_rule! {
    /// ## What it does
    /// Flags functions that use a layer published by an account that is neither the audited
    /// account nor a trusted one (`account_id`, `trusted_accounts` in `lambdasec.toml`; live
    /// scans know the account). Layers that AWS publishes (Powertools for AWS Lambda, Lambda
    /// Insights, the Parameters and Secrets and AppConfig extensions, the Lambda Web Adapter,
    /// ADOT) are trusted by default, by account and layer name. When the audited account is
    /// unknown, the finding is reported at medium severity and says so.
    ///
    /// ## Why is this bad
    /// A layer's code runs inside the function with the function's role and sees every event.
    /// The publishing account can publish a new version at any time, delete the version you use
    /// (breaking deployments), or — if compromised — ship a backdoor with the next version you
    /// adopt. Layers and extensions are a documented persistence technique.
    ///
    /// ## Example
    /// ```yaml
    /// Layers:
    ///   - arn:aws:lambda:us-east-1:210987654321:layer:third-party-agent:7
    /// ```
    ///
    /// ## Remediation
    /// Copy the layer into your account (after review) and reference your copy, or list the
    /// publisher in `trusted_accounts` if you trust it.
    /// - CloudFormation / SAM: `Layers`.
    /// - Terraform: `layers`.
    /// - serverless.yml: `layers`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/chapter-layers.html
    /// - https://docs.aws.amazon.com/lambda/latest/dg/permissions-layer-cross-account.html
    pub struct CrossAccountLayer {
        code: "SUP002",
        name: "cross-account-layer",
        title: "Layer from an untrusted account",
        severity: High,
        kinds: [Function],
        inputs: [CloudFormation, Sam, Terraform, Serverless, Live],
        fix: None,
    }
}

impl CrossAccountLayer {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        let audited = cx.audited_account();
        for f in &cx.inventory.functions {
            for layer in &f.layers {
                let Some(arn) = layer.get().and_then(|t| t.as_arn()) else {
                    continue;
                };
                let Arn { account, .. } = arn;
                if !arn.has_account_id()
                    || cx.is_own_account(account)
                    || cx
                        .aws_layer_publisher(account, arn.resource_name())
                        .is_some()
                {
                    continue;
                }
                match audited {
                    Some(own) => {
                        out.add(
                            &f.meta,
                            &layer.origin,
                            format!(
                                "`{}` uses layer `{}` from account `{account}`, which is not the audited account `{own}` nor a trusted one",
                                f.meta.id,
                                arn.resource_name()
                            ),
                        );
                    }
                    None => {
                        let severity = out.severity().min(Severity::Medium);
                        out.add(
                            &f.meta,
                            &layer.origin,
                            format!(
                                "`{}` uses layer `{}` from account `{account}`, which is not a trusted account (the audited account is unknown: set `account_id` or `trusted_accounts`)",
                                f.meta.id,
                                arn.resource_name()
                            ),
                        )
                        .with_severity(severity);
                    }
                }
            }
        }
    }
}
