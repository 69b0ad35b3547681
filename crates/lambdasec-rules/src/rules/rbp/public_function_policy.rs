use crate::public_policy::outsider_actions;
use crate::{Context, Findings, declare_rule};
use lambdasec_model::{Effect, Principal};

declare_rule! {
    /// ## What it does
    /// Flags function policy statements that allow anyone (`Principal: "*"` or
    /// `{"AWS": "*"}`) and are not narrowed by a restrictive condition: `aws:SourceAccount`,
    /// `aws:SourceArn`, `aws:SourceOwner`, `aws:PrincipalAccount`, `aws:PrincipalArn`,
    /// `aws:PrincipalOrgID`, `aws:PrincipalOrgPaths`, `aws:SourceVpc`, `aws:SourceVpce`,
    /// `aws:SourceOrgID`, `aws:SourceOrgPaths` or `lambda:EventSourceToken` with specific values
    /// (a wildcard value does not narrow).
    ///
    /// The statement is evaluated by the IAM engine for two outsiders — any AWS account calling
    /// directly, and any AWS service acting for such an account — so conditions count for what
    /// they do, not for the key they name: `StringEqualsIfExists` on `aws:SourceAccount` lets
    /// direct callers through (they have no source account), a `Null` test or a negated operator
    /// narrows nothing, and a condition on a key the caller chooses (`aws:UserAgent`) is met.
    ///
    /// The grants that back a function URL (`lambda:InvokeFunctionUrl` conditioned on
    /// `lambda:FunctionUrlAuthType`, and grants restricted to calls through the URL with
    /// `lambda:InvokedViaFunctionUrl`) are judged by URL001 and URL004 instead.
    ///
    /// ## Why is this bad
    /// Any AWS account — and, through services that act on behalf of callers, anyone — can
    /// invoke the function (or perform whatever else the statement grants). It is the function
    /// equivalent of a public S3 bucket: Security Hub control Lambda.1.
    ///
    /// ## Example
    /// ```yaml
    /// PublicInvoke:
    ///   Type: AWS::Lambda::Permission
    ///   Properties:
    ///     FunctionName: !Ref Api
    ///     Action: lambda:InvokeFunction
    ///     Principal: "*"
    /// ```
    ///
    /// ## Remediation
    /// Grant the specific principal that needs access (a service principal with `SourceArn` and
    /// `SourceAccount`, or an account id), or keep `*` and add `SourceAccount` /
    /// `PrincipalOrgID`.
    /// - CloudFormation / SAM: `Principal`, `SourceAccount`, `SourceArn`, `PrincipalOrgID` on
    ///   `AWS::Lambda::Permission`.
    /// - Terraform: `principal`, `source_account`, `source_arn`, `principal_org_id` on
    ///   `aws_lambda_permission`.
    /// - Live: `aws lambda remove-permission` and re-add a narrowed statement.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/lambda-controls.html#lambda-1
    /// - https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html
    pub struct PublicFunctionPolicy {
        code: "RBP001",
        name: "public-function-policy",
        title: "Function policy allows public access",
        severity: Critical,
        kinds: [Permission],
        inputs: [CloudFormation, Sam, Terraform, Live],
        fix: None,
    }
}

impl PublicFunctionPolicy {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        for p in &cx.inventory.permissions {
            if p.effect != Effect::Allow
                || !p.principal.is(|pr| *pr == Principal::Any)
                || super::is_function_url_grant(p)
            {
                continue;
            }
            let open = outsider_actions(p);
            if open.is_empty() {
                continue;
            }
            let actions: Vec<String> = open.iter().map(|a| format!("`{a}`")).collect();
            let target = cx
                .index
                .function(&p.function)
                .map_or_else(|| p.function.to_string(), |f| f.meta.id.clone());
            out.add(
                &p.meta,
                &p.principal.origin,
                format!(
                    "function policy grants {} on `{target}` to anyone (`*`) without a narrowing condition",
                    actions.join(", ")
                ),
            );
        }
    }
}
