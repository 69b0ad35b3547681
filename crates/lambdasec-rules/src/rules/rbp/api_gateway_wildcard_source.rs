use crate::{Context, Findings, declare_rule};
use lambdasec_model::{Effect, Principal, State};

declare_rule! {
    /// ## What it does
    /// Flags permissions that let API Gateway (`apigateway.amazonaws.com`) invoke a function for
    /// a `SourceArn` ending in `/*/*`: any stage, any method and any path of the API. The
    /// literal end of the written ARN is judged even when its beginning (the API id) is only
    /// known at deploy time.
    ///
    /// ## Why is this bad
    /// Every route of the API — including ones added later, test stages and routes without
    /// authorization — can invoke the function, not only the route built for it. A route created
    /// for another purpose becomes a way to reach this function's code and role.
    ///
    /// ## Example
    /// ```yaml
    /// ApiInvoke:
    ///   Type: AWS::Lambda::Permission
    ///   Properties:
    ///     FunctionName: !Ref Handler
    ///     Action: lambda:InvokeFunction
    ///     Principal: apigateway.amazonaws.com
    ///     SourceArn: !Sub arn:aws:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*/*
    /// ```
    ///
    /// ## Remediation
    /// Name the stage, method and path the function serves: `.../${Api}/prod/GET/orders`.
    /// - CloudFormation / SAM: `SourceArn` on `AWS::Lambda::Permission` (SAM's `Events` already
    ///   generate scoped permissions).
    /// - Terraform: `source_arn = "${aws_api_gateway_rest_api.api.execution_arn}/prod/GET/orders"`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/apigateway/latest/developerguide/arn-format-reference.html
    /// - https://docs.aws.amazon.com/lambda/latest/dg/services-apigateway.html
    pub struct ApiGatewayWildcardSource {
        code: "RBP005",
        name: "api-gateway-wildcard-source",
        title: "API Gateway may invoke from any route",
        severity: Low,
        kinds: [Permission],
        inputs: [CloudFormation, Sam, Terraform, Live],
        fix: None,
    }
}

impl ApiGatewayWildcardSource {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        for p in &cx.inventory.permissions {
            let is_apigw = p.principal.is(|pr| {
                matches!(pr, Principal::Service(s) if s.eq_ignore_ascii_case("apigateway.amazonaws.com"))
            });
            if p.effect != Effect::Allow || !is_apigw {
                continue;
            }
            for v in p.conditions_on("aws:SourceArn").flat_map(|c| &c.values) {
                // An unresolved value keeps its expression (`"${api.execution_arn}/*/*"`, `!Sub
                // ...`): its literal end is what is judged.
                let text = match &v.state {
                    State::Explicit(s) | State::Default(s) | State::Unresolved(s) => {
                        s.trim().trim_matches(['"', '\''])
                    }
                };
                if !text.ends_with("/*/*") {
                    continue;
                }
                let target = cx
                    .index
                    .function(&p.function)
                    .map_or_else(|| p.function.to_string(), |f| f.meta.id.clone());
                out.add(
                    &p.meta,
                    &v.origin,
                    format!(
                        "API Gateway may invoke `{target}` from any stage, method and path: `SourceArn` `{text}` ends in `/*/*`"
                    ),
                );
            }
        }
    }
}
