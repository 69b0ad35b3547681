use crate::finding::{Applicability, Fix};
use crate::{Context, Findings, declare_rule};
use lambdasec_iam::catalog;
use lambdasec_model::{Effect, Principal};

declare_rule! {
    /// ## What it does
    /// Flags function policy statements that grant another principal actions other than
    /// invoking the function: `lambda:*`, `lambda:GetFunction` (which returns a link to download
    /// the code), `lambda:UpdateFunctionCode`, `lambda:UpdateFunctionConfiguration`, ... Action
    /// patterns are expanded with the IAM action catalog, so `lambda:*` and `lambda:Get*` count
    /// and `lambda:Invoke*` does not.
    ///
    /// ## Why is this bad
    /// A resource-based policy is how other accounts and services reach the function. Beyond
    /// invoking it, they can read its code and environment (secrets included), replace its code,
    /// change its role or layers — take it over. Services never need more than invoke.
    ///
    /// ## Example
    /// ```yaml
    /// S3Invoke:
    ///   Type: AWS::Lambda::Permission
    ///   Properties:
    ///     FunctionName: !Ref Worker
    ///     Action: lambda:*
    ///     Principal: s3.amazonaws.com
    /// ```
    ///
    /// ## Remediation
    /// Grant `lambda:InvokeFunction` (or `lambda:InvokeFunctionUrl` for function URLs) only.
    /// Manage functions from other accounts with a role in the function's account instead.
    /// - CloudFormation / SAM: `Action: lambda:InvokeFunction` on `AWS::Lambda::Permission`.
    /// - Terraform: `action = "lambda:InvokeFunction"` on `aws_lambda_permission`.
    /// - Live: remove the statement and re-add it with the invoke action.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html
    /// - https://docs.aws.amazon.com/service-authorization/latest/reference/list_awslambda.html
    pub struct NonInvokeActionGranted {
        code: "RBP004",
        name: "non-invoke-action-granted",
        title: "Function policy grants more than invoke",
        severity: High,
        kinds: [Permission],
        inputs: [CloudFormation, Sam, Terraform, Live],
        fix: Some(Applicability::Unsafe),
    }
}

/// The non-invoke actions that matter most, named first in messages.
const NOTABLE: &[&str] = &[
    "lambda:UpdateFunctionCode",
    "lambda:UpdateFunctionConfiguration",
    "lambda:GetFunction",
    "lambda:AddPermission",
    "lambda:DeleteFunction",
];

impl NonInvokeActionGranted {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        let cat = catalog();
        let invoke = cat.expand("lambda:Invoke*");
        for p in &cx.inventory.permissions {
            if p.effect != Effect::Allow {
                continue;
            }
            let who = match p.principal.get() {
                Some(Principal::Any) => "anyone (`*`)".to_owned(),
                Some(Principal::Service(s) | Principal::Aws(s) | Principal::Other(s)) => {
                    format!("`{s}`")
                }
                None => "a principal".to_owned(),
            };
            for action in &p.actions {
                let Some(text) = action.as_str() else {
                    continue;
                };
                let mut granted = (*cat.expand(text.trim())).clone();
                if granted.is_empty() {
                    continue;
                }
                let covers_invoke = granted.intersects(&invoke);
                granted.subtract(&invoke);
                if granted.is_empty() {
                    continue;
                }
                let names: Vec<String> = granted.iter().map(|id| cat.full_name(id)).collect();
                let what = match names.as_slice() {
                    [one] if one.eq_ignore_ascii_case(text.trim()) => format!("`{text}`"),
                    _ => {
                        let notable: Vec<&str> = NOTABLE
                            .iter()
                            .copied()
                            .filter(|n| names.iter().any(|x| x.eq_ignore_ascii_case(n)))
                            .collect();
                        let shown = if notable.is_empty() {
                            crate::rules::iam::name_list(&names)
                        } else {
                            format!("including {}", crate::rules::iam::name_list(&notable))
                        };
                        format!(
                            "`{text}` ({} non-invoke action{}: {shown})",
                            names.len(),
                            if names.len() == 1 { "" } else { "s" }
                        )
                    }
                };
                let finding = out.add(
                    &p.meta,
                    &action.origin,
                    format!("function policy grants {what} to {who}; only invoke actions should be granted"),
                );
                if covers_invoke {
                    finding.with_fix(Fix::replace(
                        &action.origin,
                        "lambda:InvokeFunction",
                        Applicability::Unsafe,
                        "grant only `lambda:InvokeFunction`",
                    ));
                }
            }
        }
    }
}
