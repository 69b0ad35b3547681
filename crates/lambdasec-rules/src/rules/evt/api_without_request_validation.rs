use super::{function_name, route_label};
use crate::{Context, Findings, declare_rule};
use lambdasec_model::{Api, ApiKind};

/// Methods that carry a request body.
const BODY_METHODS: &[&str] = &["POST", "PUT", "PATCH", "ANY"];

declare_rule! {
    /// ## What it does
    /// Flags REST API methods that pass requests with a body (`POST`, `PUT`, `PATCH`, `ANY`) to
    /// a function without a request validator (`RequestValidatorId`, SAM `RequestModel` with
    /// validation). HTTP and WebSocket APIs have no request validation and are not examined.
    ///
    /// ## Why is this bad
    /// Without validation every malformed, oversized or hostile payload reaches the function:
    /// the handler's parsing code becomes the attack surface (injection, deserialization,
    /// type confusion), and each bad request costs an invocation. A validator with a model
    /// rejects them at the edge, before they are billed or processed.
    ///
    /// ## Example
    /// ```yaml
    /// CreateOrder:
    ///   Type: AWS::ApiGateway::Method
    ///   Properties:
    ///     HttpMethod: POST
    ///     AuthorizationType: AWS_IAM
    ///     Integration: {Type: AWS_PROXY, IntegrationHttpMethod: POST, Uri: ...}
    /// ```
    ///
    /// ## Remediation
    /// Declare a model of the expected body and a validator that checks body and parameters.
    /// - CloudFormation: `AWS::ApiGateway::RequestValidator` with `ValidateRequestBody: true`,
    ///   referenced by `RequestValidatorId`, and `RequestModels` on the method.
    /// - SAM: `RequestModel: {Model: Order, Required: true, ValidateBody: true}` on the `Api`
    ///   event.
    /// - Terraform: `aws_api_gateway_request_validator` and `request_validator_id` /
    ///   `request_models` on `aws_api_gateway_method`.
    /// - serverless.yml: `request.schemas` on the `http` event.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html
    pub struct ApiWithoutRequestValidation {
        code: "EVT002",
        name: "api-without-request-validation",
        title: "REST API method invoking a function without request validation",
        severity: Low,
        kinds: [Route],
        inputs: [CloudFormation, Sam, Terraform, Serverless, Live],
        fix: None,
    }
}

impl ApiWithoutRequestValidation {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        for r in &cx.inventory.routes {
            let Some(target) = &r.function else { continue };
            let Some(api) = cx.index.get::<Api>(&r.api) else {
                continue;
            };
            if api.kind != ApiKind::Rest || r.request_validator.is_some() {
                continue;
            }
            let Some(method) = r.method.as_str() else {
                continue;
            };
            if !BODY_METHODS.iter().any(|m| m.eq_ignore_ascii_case(method)) {
                continue;
            }
            out.add(
                &r.meta,
                &r.meta.origin,
                format!(
                    "REST method `{}` of API `{}` passes requests to `{}` without a request validator",
                    route_label(r),
                    api.meta.id,
                    function_name(cx, target)
                ),
            );
        }
    }
}
