use super::function_route;
use crate::{Context, Findings, declare_rule};
use lambdasec_model::Api;

declare_rule! {
    /// ## What it does
    /// Flags API Gateway stages without access logging (`AccessLogSetting` /
    /// `AccessLogSettings` with a destination) when their API has a route or method that
    /// invokes a function.
    ///
    /// ## Why is this bad
    /// Access logs are the only record of who called the API: source IP, identity, route,
    /// status and latency of every request. Without them an attack through the API (credential
    /// stuffing, enumeration, exploitation of the function behind it) cannot be detected or
    /// investigated — the function's own logs do not see rejected or throttled requests, nor
    /// who sent the accepted ones.
    ///
    /// ## Example
    /// ```yaml
    /// Api:
    ///   Type: AWS::Serverless::Api
    ///   Properties:
    ///     StageName: prod
    /// ```
    ///
    /// ## Remediation
    /// Send access logs to a CloudWatch Logs group (or Firehose) in a structured format that
    /// includes `$context.identity.sourceIp`, `$context.requestId` and the authorizer's
    /// principal.
    /// - CloudFormation: `AccessLogSetting` on `AWS::ApiGateway::Stage`, `AccessLogSettings` on
    ///   `AWS::ApiGatewayV2::Stage`.
    /// - SAM: `AccessLogSetting` on `AWS::Serverless::Api`, `AccessLogSettings` on
    ///   `AWS::Serverless::HttpApi`.
    /// - Terraform: `access_log_settings` on `aws_api_gateway_stage` / `aws_apigatewayv2_stage`.
    /// - serverless.yml: `provider.logs.restApi` / `provider.logs.httpApi`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
    /// - https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging.html
    pub struct ApiAccessLoggingOff {
        code: "EVT003",
        name: "api-access-logging-off",
        title: "API stage without access logging",
        severity: Medium,
        kinds: [Stage],
        inputs: [CloudFormation, Sam, Terraform, Serverless, Live],
        fix: None,
    }
}

impl ApiAccessLoggingOff {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        for s in &cx.inventory.stages {
            if s.access_log_destination.is_some() {
                continue;
            }
            let Some(api) = cx.index.get::<Api>(&s.api) else {
                continue;
            };
            let Some(route) = function_route(cx, api) else {
                continue;
            };
            let stage = s
                .name
                .as_str()
                .map_or_else(|| s.meta.id.clone(), str::to_owned);
            out.add(
                &s.meta,
                &s.meta.origin,
                format!(
                    "stage `{stage}` of API `{}`, which invokes functions, has no access logging",
                    api.meta.id
                ),
            )
            .with_related(&route.meta.origin, "a route that invokes a function");
        }
    }
}
