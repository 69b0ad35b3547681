//! Front doors and event sources: API Gateway v1/v2, SQS queues, SNS topics, S3 buckets.

use super::RegionCtx;
use super::format as f;
use super::node::{string_document_to_node, to_node};
use lambdasec_model::{
    Api, ApiKind, Authorizer, Bucket, BucketNotification, Inventory, Meta, Origin, Queue,
    ResourceKind, Route, Stage, Subscription, Target, Topic, Value,
};

pub(super) fn load(ctx: &RegionCtx<'_>, region: &f::RegionSnapshot, inv: &mut Inventory) {
    for api in &region.rest_apis {
        rest_api(ctx, api, inv);
    }
    for api in &region.http_apis {
        http_api(ctx, api, inv);
    }
    for q in &region.queues {
        inv.queues.push(queue(ctx, q));
    }
    for t in &region.topics {
        topic(t, inv);
    }
    for b in &region.buckets {
        inv.buckets.push(bucket(ctx, b));
    }
}

/// The function ARN inside an API Gateway integration URI
/// (`arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/<arn>/invocations`), or the
/// URI itself when it is already a function ARN (HTTP APIs accept both).
pub(super) fn function_of_uri(uri: &str) -> Option<&str> {
    if let Some(rest) = uri.split_once("/functions/").map(|(_, r)| r) {
        return Some(rest.strip_suffix("/invocations").unwrap_or(rest));
    }
    (uri.starts_with("arn:") && uri.contains(":lambda:") && uri.contains(":function:"))
        .then_some(uri)
}

fn apigw_arn(ctx: &RegionCtx<'_>, path: &str) -> String {
    format!(
        "arn:{}:apigateway:{}::{path}",
        ctx.ctx.partition, ctx.region
    )
}

fn opt(v: &Option<String>, o: &Origin, field: &str) -> Option<Value<String>> {
    v.as_ref()
        .filter(|s| !s.is_empty())
        .map(|s| Value::explicit(s.clone(), o.child(field)))
}

fn rest_api(ctx: &RegionCtx<'_>, r: &f::RestApiRecord, inv: &mut Inventory) {
    let a = &r.api;
    let arn = apigw_arn(ctx, &format!("/restapis/{}", a.id));
    let o = Origin::live(&arn, "");
    let mut meta = Meta::new(&a.id, ResourceKind::Api, o.clone());
    meta.arn = Some(arn.clone());
    let api_target = || Value::explicit(Target::Arn(arn.clone()), o.child("id"));
    inv.apis.push(Api {
        meta,
        kind: ApiKind::Rest,
        name: opt(&a.name, &o, "name"),
        endpoint_type: a
            .endpoint_configuration
            .as_ref()
            .and_then(|e| e.types.first())
            .map(|t| Value::explicit(t.clone(), o.child("endpointConfiguration.types[0]"))),
        disable_execute_api_endpoint: Value::explicit(
            a.disable_execute_api_endpoint.unwrap_or(false),
            o.child("disableExecuteApiEndpoint"),
        ),
        policy: a.policy.as_ref().map(|p| match p {
            serde_json::Value::String(s) => string_document_to_node(s, &o.child("policy")),
            other => to_node(other, &o.child("policy")),
        }),
    });
    for (i, res) in r.resources.iter().enumerate() {
        for (method, m) in &res.resource_methods {
            let mo = o.child(&format!("resources[{i}].resourceMethods.{method}"));
            let mut meta = Meta::new(
                format!("{}/{} {}", a.id, method, res.path),
                ResourceKind::Route,
                mo.clone(),
            );
            meta.arn = Some(format!("{arn}/resources/{}/methods/{method}", res.id));
            let function = m
                .method_integration
                .as_ref()
                .and_then(|i| i.uri.as_deref())
                .and_then(function_of_uri)
                .map(|f| {
                    Value::explicit(Target::Arn(f.to_owned()), mo.child("methodIntegration.uri"))
                });
            inv.routes.push(Route {
                meta,
                api: api_target(),
                method: Value::explicit(method.clone(), mo.child("httpMethod")),
                path: Value::explicit(res.path.clone(), o.child(&format!("resources[{i}].path"))),
                authorization_type: Value::explicit(
                    m.authorization_type
                        .clone()
                        .unwrap_or_else(|| "NONE".into()),
                    mo.child("authorizationType"),
                ),
                authorizer: m.authorizer_id.as_ref().map(|id| {
                    Value::explicit(
                        Target::Arn(format!("{arn}/authorizers/{id}")),
                        mo.child("authorizerId"),
                    )
                }),
                api_key_required: Value::explicit(
                    m.api_key_required.unwrap_or(false),
                    mo.child("apiKeyRequired"),
                ),
                request_validator: m.request_validator_id.as_ref().map(|id| {
                    Value::explicit(Target::Name(id.clone()), mo.child("requestValidatorId"))
                }),
                function,
            });
        }
    }
    for (i, s) in r.stages.iter().enumerate() {
        let so = o.child(&format!("stages[{i}]"));
        let mut meta = Meta::new(
            format!("{}/{}", a.id, s.stage_name),
            ResourceKind::Stage,
            so.clone(),
        );
        meta.arn = Some(format!("{arn}/stages/{}", s.stage_name));
        let logs = s.access_log_settings.as_ref();
        inv.stages.push(Stage {
            meta,
            api: api_target(),
            name: Value::explicit(s.stage_name.clone(), so.child("stageName")),
            access_log_destination: logs.and_then(|l| l.destination_arn.as_ref()).map(|d| {
                Value::explicit(
                    Target::from_literal(d),
                    so.child("accessLogSettings.destinationArn"),
                )
            }),
            access_log_format: logs.and_then(|l| opt(&l.format, &so, "accessLogSettings.format")),
            tracing_enabled: Value::explicit(
                s.tracing_enabled.unwrap_or(false),
                so.child("tracingEnabled"),
            ),
            logging_level: s
                .method_settings
                .get("*/*")
                .and_then(|m| opt(&m.logging_level, &so, "methodSettings.*/*.loggingLevel")),
        });
    }
    for (i, z) in r.authorizers.iter().enumerate() {
        let zo = o.child(&format!("authorizers[{i}]"));
        let mut meta = Meta::new(
            format!("{}/{}", a.id, z.id),
            ResourceKind::Authorizer,
            zo.clone(),
        );
        meta.arn = Some(format!("{arn}/authorizers/{}", z.id));
        inv.authorizers.push(Authorizer {
            meta,
            api: api_target(),
            name: opt(&z.name, &zo, "name"),
            kind: Value::explicit(z.kind.clone().unwrap_or_default(), zo.child("type")),
            function: z
                .authorizer_uri
                .as_deref()
                .and_then(function_of_uri)
                .map(|f| Value::explicit(Target::Arn(f.to_owned()), zo.child("authorizerUri"))),
            identity_source: z
                .identity_source
                .iter()
                .flat_map(|s| s.split(','))
                .map(|s| Value::explicit(s.trim().to_owned(), zo.child("identitySource")))
                .collect(),
        });
    }
}

fn http_api(ctx: &RegionCtx<'_>, r: &f::HttpApiRecord, inv: &mut Inventory) {
    let a = &r.api;
    let arn = apigw_arn(ctx, &format!("/apis/{}", a.api_id));
    let o = Origin::live(&arn, "");
    let mut meta = Meta::new(&a.api_id, ResourceKind::Api, o.clone());
    meta.arn = Some(arn.clone());
    let kind = if a.protocol_type.as_deref() == Some("WEBSOCKET") {
        ApiKind::WebSocket
    } else {
        ApiKind::Http
    };
    let api_target = || Value::explicit(Target::Arn(arn.clone()), o.child("ApiId"));
    inv.apis.push(Api {
        meta,
        kind,
        name: opt(&a.name, &o, "Name"),
        endpoint_type: None,
        disable_execute_api_endpoint: Value::explicit(
            a.disable_execute_api_endpoint.unwrap_or(false),
            o.child("DisableExecuteApiEndpoint"),
        ),
        policy: None,
    });
    for (i, route) in r.routes.iter().enumerate() {
        let ro = o.child(&format!("Routes[{i}]"));
        let mut meta = Meta::new(
            format!("{}/{}", a.api_id, route.route_key),
            ResourceKind::Route,
            ro.clone(),
        );
        meta.arn = Some(format!("{arn}/routes/{}", route.route_id));
        let (method, path) = route
            .route_key
            .split_once(' ')
            .unwrap_or((&route.route_key, &route.route_key));
        let function = route
            .target
            .as_deref()
            .and_then(|t| t.strip_prefix("integrations/"))
            .and_then(|id| {
                r.integrations
                    .iter()
                    .enumerate()
                    .find(|(_, i)| i.integration_id == id)
            })
            .and_then(|(j, i)| {
                let uri = i.integration_uri.as_deref()?;
                let f = function_of_uri(uri)?;
                Some(Value::explicit(
                    Target::Arn(f.to_owned()),
                    o.child(&format!("Integrations[{j}].IntegrationUri")),
                ))
            });
        inv.routes.push(Route {
            meta,
            api: api_target(),
            method: Value::explicit(method.to_owned(), ro.child("RouteKey")),
            path: Value::explicit(path.to_owned(), ro.child("RouteKey")),
            authorization_type: Value::explicit(
                route
                    .authorization_type
                    .clone()
                    .unwrap_or_else(|| "NONE".into()),
                ro.child("AuthorizationType"),
            ),
            authorizer: route.authorizer_id.as_ref().map(|id| {
                Value::explicit(
                    Target::Arn(format!("{arn}/authorizers/{id}")),
                    ro.child("AuthorizerId"),
                )
            }),
            api_key_required: Value::explicit(
                route.api_key_required.unwrap_or(false),
                ro.child("ApiKeyRequired"),
            ),
            request_validator: None,
            function,
        });
    }
    for (i, s) in r.stages.iter().enumerate() {
        let so = o.child(&format!("Stages[{i}]"));
        let mut meta = Meta::new(
            format!("{}/{}", a.api_id, s.stage_name),
            ResourceKind::Stage,
            so.clone(),
        );
        meta.arn = Some(format!("{arn}/stages/{}", s.stage_name));
        let logs = s.access_log_settings.as_ref();
        inv.stages.push(Stage {
            meta,
            api: api_target(),
            name: Value::explicit(s.stage_name.clone(), so.child("StageName")),
            access_log_destination: logs.and_then(|l| l.destination_arn.as_ref()).map(|d| {
                Value::explicit(
                    Target::from_literal(d),
                    so.child("AccessLogSettings.DestinationArn"),
                )
            }),
            access_log_format: logs.and_then(|l| opt(&l.format, &so, "AccessLogSettings.Format")),
            tracing_enabled: Value::default(false, &so),
            logging_level: s
                .default_route_settings
                .as_ref()
                .and_then(|d| opt(&d.logging_level, &so, "DefaultRouteSettings.LoggingLevel")),
        });
    }
    for (i, z) in r.authorizers.iter().enumerate() {
        let zo = o.child(&format!("Authorizers[{i}]"));
        let mut meta = Meta::new(
            format!("{}/{}", a.api_id, z.authorizer_id),
            ResourceKind::Authorizer,
            zo.clone(),
        );
        meta.arn = Some(format!("{arn}/authorizers/{}", z.authorizer_id));
        inv.authorizers.push(Authorizer {
            meta,
            api: api_target(),
            name: opt(&z.name, &zo, "Name"),
            kind: Value::explicit(
                z.authorizer_type.clone().unwrap_or_default(),
                zo.child("AuthorizerType"),
            ),
            function: z
                .authorizer_uri
                .as_deref()
                .and_then(function_of_uri)
                .map(|f| Value::explicit(Target::Arn(f.to_owned()), zo.child("AuthorizerUri"))),
            identity_source: z
                .identity_source
                .iter()
                .enumerate()
                .map(|(j, s)| Value::explicit(s.clone(), zo.child(&format!("IdentitySource[{j}]"))))
                .collect(),
        });
    }
}

fn queue(ctx: &RegionCtx<'_>, q: &f::QueueRecord) -> Queue {
    let name = q
        .queue_url
        .rsplit('/')
        .next()
        .unwrap_or(&q.queue_url)
        .to_owned();
    let arn = q
        .attributes
        .get("QueueArn")
        .cloned()
        .unwrap_or_else(|| ctx.arn("sqs", &name));
    let o = Origin::live(&arn, "");
    let ao = o.child("Attributes");
    let attr = |k: &str| q.attributes.get(k).map(|v| (v, ao.child(k)));
    let int = |k: &str| attr(k).and_then(|(v, o)| v.parse::<i64>().ok().map(|n| (n, o)));
    let mut meta = Meta::new(&name, ResourceKind::Queue, o.clone());
    meta.arn = Some(arn.clone());
    let redrive = q
        .attributes
        .get("RedrivePolicy")
        .and_then(|r| serde_json::from_str::<serde_json::Value>(r).ok());
    let ro = ao.child("RedrivePolicy");
    Queue {
        meta,
        name: Some(Value::explicit(name.clone(), o.child("QueueUrl"))),
        fifo: match attr("FifoQueue") {
            Some((v, o)) => Value::explicit(v == "true", o),
            None => Value::default(name.ends_with(".fifo"), &o),
        },
        visibility_timeout_seconds: match int("VisibilityTimeout") {
            Some((n, o)) => Value::explicit(n, o),
            None => Value::default(30, &o),
        },
        dead_letter_target: redrive
            .as_ref()
            .and_then(|r| r.get("deadLetterTargetArn")?.as_str().map(str::to_owned))
            .map(|t| Value::explicit(Target::Arn(t), ro.child("deadLetterTargetArn"))),
        max_receive_count: redrive
            .as_ref()
            .and_then(|r| {
                let v = r.get("maxReceiveCount")?;
                v.as_i64().or_else(|| v.as_str()?.parse().ok())
            })
            .map(|n| Value::explicit(n, ro.child("maxReceiveCount"))),
        kms_key: attr("KmsMasterKeyId").map(|(v, o)| Value::explicit(Target::from_literal(v), o)),
        sqs_managed_sse: match attr("SqsManagedSseEnabled") {
            Some((v, o)) => Value::explicit(v == "true", o),
            None => Value::default(false, &o),
        },
        policy: attr("Policy").map(|(v, o)| string_document_to_node(v, &o)),
    }
}

fn topic(t: &f::TopicRecord, inv: &mut Inventory) {
    let arn = t.topic_arn.clone();
    let name = arn.rsplit(':').next().unwrap_or(&arn).to_owned();
    let o = Origin::live(&arn, "");
    let ao = o.child("Attributes");
    let mut meta = Meta::new(&name, ResourceKind::Topic, o.clone());
    meta.arn = Some(arn.clone());
    inv.topics.push(Topic {
        meta,
        name: Some(Value::explicit(name.clone(), o.child("TopicArn"))),
        kms_key: t
            .attributes
            .get("KmsMasterKeyId")
            .map(|k| Value::explicit(Target::from_literal(k), ao.child("KmsMasterKeyId"))),
        policy: t
            .attributes
            .get("Policy")
            .map(|p| string_document_to_node(p, &ao.child("Policy"))),
    });
    for (i, s) in t.subscriptions.iter().enumerate() {
        let so = o.child(&format!("Subscriptions[{i}]"));
        let mut meta = Meta::new(&s.subscription_arn, ResourceKind::Subscription, so.clone());
        meta.arn = Some(s.subscription_arn.clone());
        inv.subscriptions.push(Subscription {
            meta,
            topic: Value::explicit(Target::Arn(arn.clone()), o.child("TopicArn")),
            protocol: Value::explicit(s.protocol.clone(), so.child("Protocol")),
            endpoint: Value::explicit(Target::from_literal(&s.endpoint), so.child("Endpoint")),
            filter_policy: None,
        });
    }
}

fn bucket(ctx: &RegionCtx<'_>, b: &f::BucketRecord) -> Bucket {
    let arn = format!("arn:{}:s3:::{}", ctx.ctx.partition, b.name);
    let o = Origin::live(&arn, "");
    let mut meta = Meta::new(&b.name, ResourceKind::Bucket, o.clone());
    meta.arn = Some(arn);
    Bucket {
        meta,
        name: Some(Value::explicit(b.name.clone(), o.child("Name"))),
        notifications: b
            .lambda_function_configurations
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let no = o.child(&format!("LambdaFunctionConfigurations[{i}]"));
                BucketNotification {
                    function: Value::explicit(
                        Target::Arn(n.lambda_function_arn.clone()),
                        no.child("LambdaFunctionArn"),
                    ),
                    events: n
                        .events
                        .iter()
                        .enumerate()
                        .map(|(j, e)| Value::explicit(e.clone(), no.child(&format!("Events[{j}]"))))
                        .collect(),
                    filter: n.filter.as_ref().map(|f| to_node(f, &no.child("Filter"))),
                    origin: no,
                }
            })
            .collect(),
        policy: b.policy.as_ref().map(|p| to_node(p, &o.child("Policy"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integration_uris() {
        let f = "arn:aws:lambda:us-east-1:111122223333:function:api";
        let uri = format!(
            "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{f}/invocations"
        );
        assert_eq!(function_of_uri(&uri), Some(f));
        assert_eq!(function_of_uri(f), Some(f));
        assert_eq!(function_of_uri("https://example.com/x"), None);
    }
}
