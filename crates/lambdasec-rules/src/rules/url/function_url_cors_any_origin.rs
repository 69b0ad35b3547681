use crate::{Context, Findings, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags function URLs whose CORS configuration allows any origin (`AllowOrigins: ["*"]`).
    ///
    /// ## Why is this bad
    /// CORS tells browsers which web sites may read the function's responses. A wildcard origin
    /// lets any page a user visits call the function from the user's browser and read the
    /// result, which turns the browser into a proxy to the function (and to anything reachable
    /// from the user's network position). Unlike peers that require both the origin and the
    /// methods to be wildcards, lambdasec reports the wildcard origin alone: the methods do not
    /// limit who can read the responses.
    ///
    /// ## Example
    /// ```yaml
    /// ApiUrl:
    ///   Type: AWS::Lambda::Url
    ///   Properties:
    ///     TargetFunctionArn: !GetAtt Api.Arn
    ///     AuthType: AWS_IAM
    ///     Cors:
    ///       AllowOrigins: ["*"]
    /// ```
    ///
    /// ## Remediation
    /// List the exact origins of your front ends (`https://app.example.com`).
    /// - CloudFormation / SAM: `Cors.AllowOrigins` (SAM: `FunctionUrlConfig.Cors.AllowOrigins`).
    /// - Terraform: `cors { allow_origins = [...] }` on `aws_lambda_function_url`.
    /// - serverless.yml: `url: { cors: { allowedOrigins: [...] } }`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/urls-configuration.html#urls-cors
    /// - https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS
    pub struct FunctionUrlCorsAnyOrigin {
        code: "URL002",
        name: "function-url-cors-any-origin",
        title: "Function URL CORS allows any origin",
        severity: Medium,
        kinds: [FunctionUrl],
        inputs: [CloudFormation, Sam, Terraform, Serverless, Live],
        fix: None,
    }
}

impl FunctionUrlCorsAnyOrigin {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        for url in &cx.inventory.function_urls {
            let Some(cors) = &url.cors else { continue };
            if let Some(origin) = super::wildcard_origin(cors) {
                let f = out.add(
                    &url.meta,
                    &origin.origin,
                    "function URL CORS allows any origin (`*`): any web site can read its responses from a visitor's browser",
                );
                if let Some(func) = cx.index.function(&url.function) {
                    f.with_related(&func.meta.origin, "the function behind the URL");
                }
            }
        }
    }
}
