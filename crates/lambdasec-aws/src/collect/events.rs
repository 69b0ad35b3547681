//! Front doors and event sources of one region: API Gateway v1/v2, the SQS queues feeding
//! functions, the SNS topics with Lambda subscriptions, the S3 buckets allowed to invoke them.

use super::parse_policy;
use crate::actions::Action as A;
use crate::clients::RegionClients;
use crate::scope::Scope;
use lambdasec_load::snapshot::format as f;
use lambdasec_model::Arn;
use serde_json::Value as Json;
use std::collections::{BTreeMap, BTreeSet};

pub async fn rest_apis(scope: &Scope, c: &RegionClients) -> Vec<f::RestApiRecord> {
    let g = &c.apigateway;
    let apis = scope
        .get(
            A::ApiGatewayGetRestApis,
            None,
            g.get_rest_apis()
                .into_paginator()
                .items()
                .send()
                .collect::<Result<Vec<_>, _>>(),
        )
        .await
        .unwrap_or_default();
    let mut out = Vec::new();
    for a in apis {
        let id = a.id().unwrap_or_default().to_owned();
        let arn = format!(
            "arn:aws:apigateway:{}::/restapis/{id}",
            scope.region().unwrap_or_default()
        );
        let res = Some(arn.as_str());
        let resources = scope
            .get(
                A::ApiGatewayGetResources,
                res,
                g.get_resources()
                    .rest_api_id(&id)
                    .embed("methods")
                    .into_paginator()
                    .items()
                    .send()
                    .collect::<Result<Vec<_>, _>>(),
            )
            .await
            .unwrap_or_default();
        let stages = scope
            .get(
                A::ApiGatewayGetStages,
                res,
                g.get_stages().rest_api_id(&id).send(),
            )
            .await;
        let authorizers = scope
            .get(
                A::ApiGatewayGetAuthorizers,
                res,
                g.get_authorizers().rest_api_id(&id).limit(500).send(),
            )
            .await
            .map(|o| o.items().to_vec())
            .unwrap_or_default();
        out.push(f::RestApiRecord {
            api: f::RestApi {
                id: id.clone(),
                name: a.name().map(str::to_owned),
                endpoint_configuration: a.endpoint_configuration().map(|e| {
                    f::EndpointConfiguration {
                        types: e.types().iter().map(|t| t.as_str().to_owned()).collect(),
                    }
                }),
                disable_execute_api_endpoint: Some(a.disable_execute_api_endpoint()),
                policy: a.policy().map(rest_api_policy),
            },
            resources: resources
                .iter()
                .map(|r| f::RestResource {
                    id: r.id().unwrap_or_default().to_owned(),
                    path: r.path().unwrap_or_default().to_owned(),
                    resource_methods: r
                        .resource_methods()
                        .map(|m| {
                            m.iter()
                                .map(|(verb, m)| {
                                    (
                                        verb.clone(),
                                        f::RestMethod {
                                            http_method: m.http_method().unwrap_or(verb).to_owned(),
                                            authorization_type: m
                                                .authorization_type()
                                                .map(str::to_owned),
                                            authorizer_id: m.authorizer_id().map(str::to_owned),
                                            api_key_required: m.api_key_required(),
                                            request_validator_id: m
                                                .request_validator_id()
                                                .map(str::to_owned),
                                            method_integration: m.method_integration().map(|i| {
                                                f::RestIntegration {
                                                    kind: i.r#type().map(|t| t.as_str().to_owned()),
                                                    uri: i.uri().map(str::to_owned),
                                                }
                                            }),
                                        },
                                    )
                                })
                                .collect()
                        })
                        .unwrap_or_default(),
                })
                .collect(),
            stages: stages
                .as_ref()
                .map(|s| {
                    s.item()
                        .iter()
                        .map(|s| f::RestStage {
                            stage_name: s.stage_name().unwrap_or_default().to_owned(),
                            deployment_id: s.deployment_id().map(str::to_owned),
                            tracing_enabled: Some(s.tracing_enabled()),
                            access_log_settings: s.access_log_settings().map(|l| {
                                f::AccessLogSettings {
                                    format: l.format().map(str::to_owned),
                                    destination_arn: l.destination_arn().map(str::to_owned),
                                }
                            }),
                            method_settings: s
                                .method_settings()
                                .map(|m| {
                                    m.iter()
                                        .map(|(k, v)| {
                                            (
                                                k.clone(),
                                                f::MethodSetting {
                                                    logging_level: v
                                                        .logging_level()
                                                        .map(str::to_owned),
                                                },
                                            )
                                        })
                                        .collect()
                                })
                                .unwrap_or_default(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            authorizers: authorizers
                .iter()
                .map(|z| f::RestAuthorizer {
                    id: z.id().unwrap_or_default().to_owned(),
                    name: z.name().map(str::to_owned),
                    kind: z.r#type().map(|t| t.as_str().to_owned()),
                    authorizer_uri: z.authorizer_uri().map(str::to_owned),
                    identity_source: z.identity_source().map(str::to_owned),
                })
                .collect(),
        });
    }
    out
}

/// API Gateway returns the REST API policy as JSON with its quotes backslash-escaped.
fn rest_api_policy(s: &str) -> Json {
    serde_json::from_str(s)
        .or_else(|_| serde_json::from_str(&s.replace("\\\"", "\"").replace("\\\\", "\\")))
        .unwrap_or_else(|_| Json::String(s.to_owned()))
}

/// Page through an API Gateway v2 listing (`NextToken` by hand: the SDK has no paginator).
macro_rules! v2_pages {
    ($scope:expr, $action:expr, $res:expr, $builder:expr, $items:ident) => {{
        let mut all = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let page = $scope
                .get($action, $res, $builder.set_next_token(token.clone()).send())
                .await;
            let Some(page) = page else { break };
            all.extend(page.$items().iter().cloned());
            token = page
                .next_token()
                .map(str::to_owned)
                .filter(|t| !t.is_empty());
            if token.is_none() {
                break;
            }
        }
        all
    }};
}

pub async fn http_apis(scope: &Scope, c: &RegionClients) -> Vec<f::HttpApiRecord> {
    let g = &c.apigatewayv2;
    let apis = v2_pages!(scope, A::ApiGatewayV2GetApis, None, g.get_apis(), items);
    let mut out = Vec::new();
    for a in apis {
        let id = a.api_id().unwrap_or_default().to_owned();
        let arn = format!(
            "arn:aws:apigateway:{}::/apis/{id}",
            scope.region().unwrap_or_default()
        );
        let res = Some(arn.as_str());
        let routes = v2_pages!(
            scope,
            A::ApiGatewayV2GetRoutes,
            res,
            g.get_routes().api_id(&id),
            items
        );
        let integrations = v2_pages!(
            scope,
            A::ApiGatewayV2GetIntegrations,
            res,
            g.get_integrations().api_id(&id),
            items
        );
        let stages = v2_pages!(
            scope,
            A::ApiGatewayV2GetStages,
            res,
            g.get_stages().api_id(&id),
            items
        );
        let authorizers = v2_pages!(
            scope,
            A::ApiGatewayV2GetAuthorizers,
            res,
            g.get_authorizers().api_id(&id),
            items
        );
        out.push(f::HttpApiRecord {
            api: f::HttpApi {
                api_id: id.clone(),
                name: a.name().map(str::to_owned),
                protocol_type: a.protocol_type().map(|p| p.as_str().to_owned()),
                api_endpoint: a.api_endpoint().map(str::to_owned),
                disable_execute_api_endpoint: a.disable_execute_api_endpoint(),
            },
            routes: routes
                .iter()
                .map(|r| f::HttpRoute {
                    route_id: r.route_id().unwrap_or_default().to_owned(),
                    route_key: r.route_key().unwrap_or_default().to_owned(),
                    authorization_type: r.authorization_type().map(|t| t.as_str().to_owned()),
                    authorizer_id: r.authorizer_id().map(str::to_owned),
                    api_key_required: r.api_key_required(),
                    target: r.target().map(str::to_owned),
                })
                .collect(),
            integrations: integrations
                .iter()
                .map(|i| f::HttpIntegration {
                    integration_id: i.integration_id().unwrap_or_default().to_owned(),
                    integration_type: i.integration_type().map(|t| t.as_str().to_owned()),
                    integration_uri: i.integration_uri().map(str::to_owned),
                })
                .collect(),
            stages: stages
                .iter()
                .map(|s| f::HttpStage {
                    stage_name: s.stage_name().unwrap_or_default().to_owned(),
                    access_log_settings: s.access_log_settings().map(|l| {
                        f::HttpAccessLogSettings {
                            destination_arn: l.destination_arn().map(str::to_owned),
                            format: l.format().map(str::to_owned),
                        }
                    }),
                    default_route_settings: s.default_route_settings().map(|d| f::RouteSettings {
                        logging_level: d.logging_level().map(|l| l.as_str().to_owned()),
                    }),
                })
                .collect(),
            authorizers: authorizers
                .iter()
                .map(|z| f::HttpAuthorizer {
                    authorizer_id: z.authorizer_id().unwrap_or_default().to_owned(),
                    name: z.name().map(str::to_owned),
                    authorizer_type: z.authorizer_type().map(|t| t.as_str().to_owned()),
                    authorizer_uri: z.authorizer_uri().map(str::to_owned),
                    identity_source: z.identity_source().to_vec(),
                })
                .collect(),
        });
    }
    out
}

/// The queues that feed functions through event source mappings.
pub async fn queues(
    scope: &Scope,
    c: &RegionClients,
    esms: &[f::EventSourceMapping],
) -> Vec<f::QueueRecord> {
    let region = scope.region().unwrap_or_default();
    let arns: BTreeSet<&str> = esms
        .iter()
        .filter_map(|e| e.event_source_arn.as_deref())
        .filter(|a| Arn::parse(a).is_some_and(|p| p.service == "sqs" && p.region == region))
        .collect();
    let mut out = Vec::new();
    for arn in arns {
        let Some(p) = Arn::parse(arn) else { continue };
        let Some(url) = scope
            .get(
                A::SqsGetQueueUrl,
                Some(arn),
                c.sqs
                    .get_queue_url()
                    .queue_name(p.resource)
                    .queue_owner_aws_account_id(p.account)
                    .send(),
            )
            .await
            .and_then(|o| o.queue_url().map(str::to_owned))
        else {
            continue;
        };
        let attributes = scope
            .get(
                A::SqsGetQueueAttributes,
                Some(arn),
                c.sqs
                    .get_queue_attributes()
                    .queue_url(&url)
                    .attribute_names(aws_sdk_sqs::types::QueueAttributeName::All)
                    .send(),
            )
            .await
            .and_then(|o| {
                o.attributes().map(|m| {
                    m.iter()
                        .map(|(k, v)| (k.as_str().to_owned(), v.clone()))
                        .collect::<BTreeMap<_, _>>()
                })
            })
            .unwrap_or_default();
        out.push(f::QueueRecord {
            queue_url: url,
            attributes,
        });
    }
    out
}

/// The topics with Lambda subscriptions, and those subscriptions.
pub async fn topics(scope: &Scope, c: &RegionClients) -> Vec<f::TopicRecord> {
    let subs = scope
        .get(
            A::SnsListSubscriptions,
            None,
            c.sns
                .list_subscriptions()
                .into_paginator()
                .items()
                .send()
                .collect::<Result<Vec<_>, _>>(),
        )
        .await
        .unwrap_or_default();
    let mut by_topic: BTreeMap<String, Vec<f::TopicSubscription>> = BTreeMap::new();
    for s in subs.iter().filter(|s| s.protocol() == Some("lambda")) {
        let Some(topic) = s.topic_arn() else { continue };
        by_topic
            .entry(topic.to_owned())
            .or_default()
            .push(f::TopicSubscription {
                subscription_arn: s.subscription_arn().unwrap_or_default().to_owned(),
                protocol: "lambda".into(),
                endpoint: s.endpoint().unwrap_or_default().to_owned(),
            });
    }
    let mut out = Vec::new();
    for (topic, subscriptions) in by_topic {
        let attributes = scope
            .get(
                A::SnsGetTopicAttributes,
                Some(&topic),
                c.sns.get_topic_attributes().topic_arn(&topic).send(),
            )
            .await
            .and_then(|o| {
                o.attributes()
                    .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            })
            .unwrap_or_default();
        out.push(f::TopicRecord {
            topic_arn: topic,
            attributes,
            subscriptions,
        });
    }
    out
}

/// The buckets that function policies let S3 invoke from (`aws:SourceArn` of an
/// `s3.amazonaws.com` statement).
pub fn buckets_in_policies(functions: &[f::FunctionRecord]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let docs = functions.iter().flat_map(|r| {
        r.policy
            .iter()
            .chain(r.aliases.iter().filter_map(|a| a.policy.as_ref()))
    });
    for doc in docs {
        let statements = match doc.get("Statement") {
            Some(Json::Array(s)) => s.iter().collect::<Vec<_>>(),
            Some(s) => vec![s],
            None => Vec::new(),
        };
        for s in statements {
            let service = s.pointer("/Principal/Service").and_then(Json::as_str);
            if service != Some("s3.amazonaws.com") {
                continue;
            }
            let Some(Json::Object(ops)) = s.get("Condition") else {
                continue;
            };
            for keys in ops.values() {
                let Some(keys) = keys.as_object() else {
                    continue;
                };
                for (k, v) in keys {
                    if !k.eq_ignore_ascii_case("aws:SourceArn") {
                        continue;
                    }
                    let values = match v {
                        Json::Array(a) => a.iter().filter_map(Json::as_str).collect(),
                        Json::String(s) => vec![s.as_str()],
                        _ => Vec::new(),
                    };
                    for arn in values {
                        if let Some(name) = arn
                            .strip_prefix("arn:aws:s3:::")
                            .filter(|n| !n.is_empty() && !n.contains(['*', '?', '/']))
                        {
                            out.insert(name.to_owned());
                        }
                    }
                }
            }
        }
    }
    out
}

pub async fn buckets(
    scope: &Scope,
    c: &RegionClients,
    names: BTreeSet<String>,
) -> Vec<f::BucketRecord> {
    let mut out = Vec::new();
    for name in names {
        let arn = format!("arn:aws:s3:::{name}");
        let notifications = scope
            .get(
                A::S3GetBucketNotificationConfiguration,
                Some(&arn),
                c.s3.get_bucket_notification_configuration()
                    .bucket(&name)
                    .send(),
            )
            .await;
        let policy = scope
            .get(
                A::S3GetBucketPolicy,
                Some(&arn),
                c.s3.get_bucket_policy().bucket(&name).send(),
            )
            .await
            .and_then(|o| o.policy().map(parse_policy));
        out.push(f::BucketRecord {
            name,
            lambda_function_configurations: notifications
                .as_ref()
                .map(|n| {
                    n.lambda_function_configurations()
                        .iter()
                        .map(|l| f::LambdaFunctionConfiguration {
                            id: l.id().map(str::to_owned),
                            lambda_function_arn: l.lambda_function_arn().to_owned(),
                            events: l.events().iter().map(|e| e.as_str().to_owned()).collect(),
                            filter: l.filter().and_then(|f| f.key()).map(|k| {
                                let rules: Vec<Json> = k
                                    .filter_rules()
                                    .iter()
                                    .map(|r| {
                                        serde_json::json!({
                                            "Name": r.name().map(|n| n.as_str()),
                                            "Value": r.value(),
                                        })
                                    })
                                    .collect();
                                serde_json::json!({ "Key": { "FilterRules": rules } })
                            }),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            policy,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_buckets_in_function_policies() {
        let policy: Json = serde_json::from_str(
            r#"{"Statement":[
              {"Principal":{"Service":"s3.amazonaws.com"},"Condition":{"ArnLike":{"AWS:SourceArn":"arn:aws:s3:::uploads"}}},
              {"Principal":{"Service":"s3.amazonaws.com"},"Condition":{"ArnLike":{"aws:SourceArn":["arn:aws:s3:::logs-*","arn:aws:s3:::b2"]}}},
              {"Principal":{"Service":"sns.amazonaws.com"},"Condition":{"ArnLike":{"AWS:SourceArn":"arn:aws:s3:::not-s3"}}}]}"#,
        )
        .unwrap();
        let rec = f::FunctionRecord {
            policy: Some(policy),
            ..f::FunctionRecord::default()
        };
        let names: Vec<String> = buckets_in_policies(&[rec]).into_iter().collect();
        assert_eq!(names, vec!["b2".to_owned(), "uploads".to_owned()]);
    }

    #[test]
    fn rest_api_policies_are_unescaped() {
        let p = rest_api_policy(r#"{\"Version\":\"2012-10-17\",\"Statement\":[]}"#);
        assert_eq!(p["Version"], "2012-10-17");
        let p = rest_api_policy(r#"{"Version":"2012-10-17"}"#);
        assert_eq!(p["Version"], "2012-10-17");
    }
}
