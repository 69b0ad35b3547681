use super::{function_name, route_label};
use crate::public_policy::{first_public_grant, prepare};
use crate::{Context, Findings, Severity, declare_rule};
use lambdasec_model::{Api, ApiKind};

declare_rule! {
    /// ## What it does
    /// Flags API Gateway routes (HTTP and WebSocket APIs) and methods (REST APIs) that invoke a
    /// function without any access control: authorization `NONE`, no authorizer (Lambda,
    /// Cognito, JWT), no IAM authorization and no API key required. An API whose resource
    /// policy keeps anonymous callers out (a source IP, VPC endpoint or organization
    /// condition, as the IAM engine evaluates it) passes. `OPTIONS` methods (CORS preflight)
    /// pass, and so do WebSocket routes other than `$connect`, where WebSocket authorization
    /// happens. Routes of a private API are reported at medium severity.
    ///
    /// ## Why is this bad
    /// Anyone who finds the endpoint — they are easy to guess and show up in front-end code,
    /// logs and browser history — can invoke the function with any payload, as often as the
    /// throttling allows: the function's code is the only defence between the internet and its
    /// execution role.
    ///
    /// ## Example
    /// ```yaml
    /// Events:
    ///   GetOrders:
    ///     Type: Api
    ///     Properties:
    ///       Path: /orders
    ///       Method: get
    /// ```
    ///
    /// ## Remediation
    /// Add an authorizer (Cognito user pool, JWT, or a Lambda authorizer), or require IAM
    /// authorization (callers sign requests with SigV4). If the route is meant to be public,
    /// suppress the finding with a reason and protect it with throttling and AWS WAF.
    /// - CloudFormation: `AuthorizationType` and `AuthorizerId` on `AWS::ApiGateway::Method` /
    ///   `AWS::ApiGatewayV2::Route`.
    /// - SAM: `Auth.DefaultAuthorizer` on the API, or `Auth.Authorizer` on the event.
    /// - Terraform: `authorization` / `authorization_type` and `authorizer_id` on
    ///   `aws_api_gateway_method` / `aws_apigatewayv2_route`.
    /// - serverless.yml: `authorizer` on the `http` / `httpApi` event.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-to-api.html
    /// - https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-access-control.html
    pub struct ApiWithoutAuthorization {
        code: "EVT001",
        name: "api-without-authorization",
        title: "API route invoking a function without authorization",
        severity: High,
        kinds: [Route],
        inputs: [CloudFormation, Sam, Terraform, Serverless, Live],
        fix: None,
    }
}

impl ApiWithoutAuthorization {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        for r in &cx.inventory.routes {
            let Some(target) = &r.function else { continue };
            let api = cx.index.get::<Api>(&r.api);
            let Some(method) = r.method.as_str() else {
                continue;
            };
            if method.eq_ignore_ascii_case("OPTIONS") {
                continue;
            }
            if api.is_some_and(|a| a.kind == ApiKind::WebSocket) && method != "$connect" {
                continue;
            }
            if r.authorizer.is_some()
                || !r.authorization_type.is(|t| t.eq_ignore_ascii_case("NONE"))
                || !r.api_key_required.is(|k| !*k)
            {
                continue;
            }
            // A resource policy that keeps anonymous callers out (one unknown offline may).
            if let Some(doc) = api.and_then(|a| a.policy.as_ref()) {
                let Some(policy) = prepare(doc) else { continue };
                if first_public_grant(&policy, &["execute-api:Invoke"]).is_none() {
                    continue;
                }
            }
            let private = api.is_some_and(|a| {
                a.endpoint_type
                    .as_ref()
                    .is_some_and(|e| e.is(|t| t.eq_ignore_ascii_case("PRIVATE")))
            });
            let api_name = api.map_or_else(|| r.api.to_string(), |a| a.meta.id.clone());
            let who = if private {
                "any caller in a VPC with access to the endpoint"
            } else {
                "anyone who finds the endpoint"
            };
            let severity = if private {
                out.severity().min(Severity::Medium)
            } else {
                out.severity()
            };
            let finding = out.add(
                &r.meta,
                &r.authorization_type.origin,
                format!(
                    "route `{}` of API `{api_name}` invokes `{}` with no authorizer, no IAM authorization and no API key: {who} can invoke it",
                    route_label(r),
                    function_name(cx, target),
                ),
            );
            finding.with_severity(severity);
            if let Some(f) = cx.index.function(target) {
                finding.with_related(&f.meta.origin, "the function behind the route");
            }
        }
    }
}
