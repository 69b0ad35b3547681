use crate::public_policy::permission_open_to_outsiders;
use crate::{Context, Findings, declare_rule};
use lambdasec_iam::wildcard;
use lambdasec_model::{Effect, Principal, UrlAuthType};

declare_rule! {
    /// ## What it does
    /// Flags function policy statements that grant `lambda:InvokeFunctionUrl` to anyone (`*`,
    /// not narrowed by `aws:SourceAccount`, `aws:PrincipalOrgID`, ... conditions) on a function
    /// whose URL uses `AuthType: AWS_IAM`.
    ///
    /// ## Why is this bad
    /// The URL looks protected, but it is one configuration change from public: switch
    /// `AuthType` to `NONE` (a common "quick fix" while debugging a 403) and the existing grant
    /// opens the function to the internet at once — the grant is usually conditioned on exactly
    /// that (`lambda:FunctionUrlAuthType: NONE`). With `AWS_IAM` the grant already lets any
    /// authenticated principal of any AWS account invoke the URL.
    ///
    /// ## Example
    /// ```yaml
    /// UrlPublicAccess:
    ///   Type: AWS::Lambda::Permission
    ///   Properties:
    ///     FunctionName: !Ref Api
    ///     Action: lambda:InvokeFunctionUrl
    ///     Principal: "*"
    ///     FunctionUrlAuthType: NONE
    /// ```
    ///
    /// ## Remediation
    /// Remove the public grant; grant `lambda:InvokeFunctionUrl` to the roles or accounts that
    /// call the URL.
    /// - CloudFormation / SAM: delete the `AWS::Lambda::Permission` (SAM creates the right one
    ///   from `FunctionUrlConfig`), or set `Principal` to an account or role.
    /// - Terraform: `principal` of the `aws_lambda_permission`.
    /// - Live: `aws lambda remove-permission --statement-id FunctionURLAllowPublicAccess`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html
    /// - https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html
    pub struct UrlInvokePublicGrant {
        code: "URL004",
        name: "url-invoke-public-grant",
        title: "Public URL grant on an IAM-authenticated URL",
        severity: Medium,
        kinds: [Permission],
        inputs: [CloudFormation, Sam, Terraform, Live],
        fix: None,
    }
}

impl UrlInvokePublicGrant {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        for p in &cx.inventory.permissions {
            if p.effect != Effect::Allow
                || !p.principal.is(|pr| *pr == Principal::Any)
                || !p.actions.iter().any(|a| {
                    a.is(|s| wildcard::matches_ignore_case(s.trim(), "lambda:InvokeFunctionUrl"))
                })
                || !permission_open_to_outsiders(p, "lambda:InvokeFunctionUrl")
            {
                continue;
            }
            let Some(f) = cx.index.function(&p.function) else {
                continue;
            };
            let Some(url) = cx.inventory.function_urls.iter().find(|u| {
                cx.index.points_to(&u.function, f) && u.auth_type.is(|a| *a == UrlAuthType::AwsIam)
            }) else {
                continue;
            };
            let auth_condition: Vec<&str> = p
                .conditions_on("lambda:FunctionUrlAuthType")
                .flat_map(|c| &c.values)
                .filter_map(|v| v.as_str())
                .collect();
            let effect = if auth_condition
                .iter()
                .any(|v| v.eq_ignore_ascii_case("NONE"))
            {
                "the grant takes effect, and the URL is public, as soon as its `AuthType` is set to `NONE`"
            } else {
                "any authenticated principal of any AWS account may invoke the URL"
            };
            out.add(
                &p.meta,
                &p.principal.origin,
                format!(
                    "`lambda:InvokeFunctionUrl` on `{}` is granted to anyone (`*`) while its URL `{}` uses `AWS_IAM`: {effect}",
                    f.meta.id, url.meta.id
                ),
            )
            .with_related(&url.auth_type.origin, "the URL's `AuthType`");
        }
    }
}
