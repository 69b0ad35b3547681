use crate::finding::{Applicability, Fix};
use crate::{Context, Findings, declare_rule};
use lambdasec_model::{Function, UrlAuthType};

declare_rule! {
    /// ## What it does
    /// Flags function URLs whose `AuthType` is `NONE`.
    ///
    /// ## Why is this bad
    /// A function URL with `AuthType: NONE` is a public HTTPS endpoint: anyone on the internet
    /// who learns the URL can invoke the function, with any payload, as often as they like. The
    /// function's code becomes the only line of defence, its execution role is one request away
    /// from an attacker, and every invocation is billed to you. Function URLs are easy to
    /// discover (they appear in logs, browser history and front-end bundles).
    ///
    /// ## Example
    /// ```yaml
    /// ApiUrl:
    ///   Type: AWS::Lambda::Url
    ///   Properties:
    ///     TargetFunctionArn: !GetAtt Api.Arn
    ///     AuthType: NONE
    /// ```
    ///
    /// ## Remediation
    /// Use `AuthType: AWS_IAM` and have callers sign requests with SigV4 (from a front end,
    /// through Amazon Cognito identity pools or CloudFront with origin access control). If the
    /// endpoint must be public, put it behind API Gateway with an authorizer, throttling and WAF,
    /// or make the public exposure explicit and suppress this finding with a reason.
    /// - CloudFormation / SAM: `AuthType: AWS_IAM` (SAM: `FunctionUrlConfig.AuthType`).
    /// - Terraform: `authorization_type = "AWS_IAM"` on `aws_lambda_function_url`.
    /// - serverless.yml: `url: { authorizer: aws_iam }`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html
    /// - https://docs.aws.amazon.com/lambda/latest/dg/urls-configuration.html
    pub struct FunctionUrlWithoutAuth {
        code: "URL001",
        name: "function-url-without-auth",
        title: "Function URL without authentication",
        severity: High,
        kinds: [FunctionUrl],
        inputs: [CloudFormation, Sam, Terraform, Serverless, Live],
        fix: Some(Applicability::Unsafe),
    }
}

impl FunctionUrlWithoutAuth {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        for url in &cx.inventory.function_urls {
            if !url.auth_type.is(|a| *a == UrlAuthType::None) {
                continue;
            }
            let function: Option<&Function> = cx.index.function(&url.function);
            let name = function.map_or_else(|| url.function.to_string(), |f| f.meta.id.clone());
            let f = out.add(
                &url.meta,
                &url.auth_type.origin,
                format!("function URL of `{name}` has `AuthType: NONE`: anyone on the internet can invoke it"),
            );
            f.with_fix(Fix::replace(
                &url.auth_type.origin,
                "AWS_IAM",
                Applicability::Unsafe,
                "require IAM authentication (callers must sign requests)",
            ));
            if let Some(func) = function {
                f.with_related(&func.meta.origin, "the function behind the URL");
            }
        }
    }
}
