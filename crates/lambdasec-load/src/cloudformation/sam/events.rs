//! A SAM function's `Events`: each type becomes the resources SAM generates for it — invoke
//! permissions (with the `SourceArn` / `SourceAccount` SAM sets), event source mappings (and the
//! managed policies SAM attaches to the implicit role), subscriptions, rules, schedules, bucket
//! notifications and API routes.

use super::Out;
use super::api::{IMPLICIT_HTTP, IMPLICIT_REST, route_meta};
use super::build::B;
use super::function::Invoked;
use crate::cloudformation::extract::Decl;
use crate::cloudformation::intrinsics::local_ref;
use crate::cloudformation::props::{boolean, document, list, string};
use crate::cloudformation::template::Template;
use lambdasec_model::{BucketNotification, Node, NodeKind, Route, Target, Value};

/// Properties of stream and queue events copied onto the event source mapping.
const MAPPING_PROPS: &[&str] = &[
    "BatchSize",
    "StartingPosition",
    "StartingPositionTimestamp",
    "MaximumRetryAttempts",
    "MaximumRecordAgeInSeconds",
    "BisectBatchOnFunctionError",
    "ParallelizationFactor",
    "MaximumBatchingWindowInSeconds",
    "DestinationConfig",
    "FilterCriteria",
    "FunctionResponseTypes",
    "TumblingWindowInSeconds",
    "Enabled",
    "Topics",
    "Queues",
    "SourceAccessConfigurations",
    "ScalingConfig",
    "KmsKeyArn",
];

/// What events add to the function's implicit role.
#[derive(Debug)]
pub(crate) struct Grants<'g> {
    /// Managed policy ARNs.
    pub(crate) managed: &'g mut Vec<Node>,
    /// Inline policies: (name, document, policy template).
    pub(crate) inline: &'g mut Vec<(String, Node, Option<String>)>,
}

pub(crate) fn expand<'a>(
    t: &Template<'_>,
    d: &Decl<'a>,
    name: &str,
    ev: &Node,
    invoked: &Invoked,
    grants: &mut Grants<'_>,
    out: &mut Out<'a>,
) {
    let managed = &mut *grants.managed;
    let b = B::new(&ev.origin);
    let empty = b.map(Vec::new());
    let p = ev.get("Properties").unwrap_or(&empty);
    let fid = &invoked.id;
    let id = format!("{fid}{name}");
    let function_ref = || match &invoked.alias {
        Some(a) => b.reference(&format!("{fid}Alias{a}")),
        None => b.reference(fid),
    };
    let function_arn = || match &invoked.alias {
        Some(a) => b.reference(&format!("{fid}Alias{a}")),
        None => b.get_att(fid, "Arn"),
    };
    let partition = t.partition();
    let aws_policy = |n: &str| b.s(format!("arn:{partition}:iam::aws:policy/service-role/{n}"));
    let permission = |out: &mut Out<'a>, principal: &str, extra: Vec<(&str, Node)>| {
        let mut props = vec![
            ("Action", b.s("lambda:InvokeFunction")),
            ("FunctionName", function_ref()),
            ("Principal", b.s(principal)),
        ];
        props.extend(extra);
        out.push(
            d,
            &format!("{id}Permission"),
            "AWS::Lambda::Permission",
            b.map(props),
            true,
        );
    };
    let ty = ev.get("Type").and_then(Node::as_str).unwrap_or("");
    match ty {
        "S3" => {
            permission(
                out,
                "s3.amazonaws.com",
                vec![("SourceAccount", b.reference("AWS::AccountId"))],
            );
            // A bucket outside the template is reported by the validation.
            if let Some((bucket, _)) = p.get("Bucket").and_then(local_ref) {
                out.extras.notifications.push((
                    bucket.to_owned(),
                    BucketNotification {
                        function: Value::explicit(Target::Local(fid.clone()), ev.origin.clone()),
                        events: p
                            .get("Events")
                            .map(|e| list(t, e, string))
                            .unwrap_or_default(),
                        filter: p.get("Filter").map(|f| document(t, f)),
                        origin: ev.origin.clone(),
                    },
                ));
            }
        }
        "SNS" => {
            let Some(topic) = p.get("Topic") else {
                return missing(t, ev, "Topic");
            };
            let sqs = p
                .get("SqsSubscription")
                .is_some_and(|s| !matches!(s.kind, NodeKind::Bool(false)));
            if sqs {
                let queue_arn = match p.get("SqsSubscription").and_then(|s| s.get("QueueArn")) {
                    Some(q) => q.clone(),
                    None => {
                        let qid = format!("{id}Queue");
                        out.push(d, &qid, "AWS::SQS::Queue", b.map(Vec::new()), true);
                        b.get_att(&qid, "Arn")
                    }
                };
                let mut sub = vec![
                    ("TopicArn", topic.clone()),
                    ("Protocol", b.s("sqs")),
                    ("Endpoint", queue_arn.clone()),
                ];
                if let Some(f) = p.get("FilterPolicy") {
                    sub.push(("FilterPolicy", f.clone()));
                }
                out.push(d, &id, "AWS::SNS::Subscription", b.map(sub), true);
                out.push(
                    d,
                    &format!("{id}EventSourceMapping"),
                    "AWS::Lambda::EventSourceMapping",
                    b.map(vec![
                        ("FunctionName", function_ref()),
                        ("EventSourceArn", queue_arn),
                    ]),
                    true,
                );
                managed.push(aws_policy("AWSLambdaSQSQueueExecutionRole"));
            } else {
                let mut sub = vec![
                    ("TopicArn", topic.clone()),
                    ("Protocol", b.s("lambda")),
                    ("Endpoint", function_arn()),
                ];
                if let Some(f) = p.get("FilterPolicy") {
                    sub.push(("FilterPolicy", f.clone()));
                }
                out.push(d, &id, "AWS::SNS::Subscription", b.map(sub), true);
                permission(out, "sns.amazonaws.com", vec![("SourceArn", topic.clone())]);
            }
        }
        "Kinesis" | "DynamoDB" | "SQS" | "MSK" | "MQ" | "SelfManagedKafka" | "DocumentDB" => {
            let (source, policy) = match ty {
                "Kinesis" => ("Stream", Some("AWSLambdaKinesisExecutionRole")),
                "DynamoDB" => ("Stream", Some("AWSLambdaDynamoDBExecutionRole")),
                "SQS" => ("Queue", Some("AWSLambdaSQSQueueExecutionRole")),
                "MSK" => ("Stream", Some("AWSLambdaMSKExecutionRole")),
                "MQ" => ("Broker", None),
                "DocumentDB" => ("Cluster", None),
                _ => ("", None),
            };
            let mut props = vec![("FunctionName", function_ref())];
            if !source.is_empty() {
                match p.get(source) {
                    Some(s) => props.push(("EventSourceArn", s.clone())),
                    None => return missing(t, ev, source),
                }
            }
            for k in MAPPING_PROPS {
                if let Some(v) = p.get(k) {
                    props.push((k, v.clone()));
                }
            }
            if let Some(policy) = policy {
                managed.push(aws_policy(policy));
            }
            if let Some((policy_name, doc)) = super::source_policies::policy(ty, &id, p, &b) {
                grants.inline.push((policy_name, doc, None));
            }
            out.push(
                d,
                &id,
                "AWS::Lambda::EventSourceMapping",
                b.map(props),
                true,
            );
        }
        "Api" => api_route(t, d, name, ev, p, invoked, out, false),
        "HttpApi" => api_route(t, d, name, ev, p, invoked, out, true),
        "Schedule" | "CloudWatchEvent" | "EventBridgeRule" => {
            let mut rule = vec![(
                "Targets",
                b.list(vec![b.map(vec![
                    ("Arn", function_arn()),
                    ("Id", b.s(format!("{id}LambdaTarget"))),
                ])]),
            )];
            if ty == "Schedule" {
                match p.get("Schedule") {
                    Some(s) => rule.push(("ScheduleExpression", s.clone())),
                    None => return missing(t, ev, "Schedule"),
                }
            } else {
                match p.get("Pattern") {
                    Some(s) => rule.push(("EventPattern", s.clone())),
                    None => return missing(t, ev, "Pattern"),
                }
            }
            for k in ["Name", "State", "EventBusName"] {
                if let Some(v) = p.get(k) {
                    rule.push((k, v.clone()));
                }
            }
            if p.get("State").is_none()
                && let Some(enabled) = p.get("Enabled")
                && boolean(t, enabled).get() == Some(&false)
            {
                rule.push(("State", Node::string("DISABLED", enabled.origin.clone())));
            }
            out.push(d, &id, "AWS::Events::Rule", b.map(rule), true);
            permission(
                out,
                "events.amazonaws.com",
                vec![("SourceArn", b.get_att(&id, "Arn"))],
            );
        }
        "ScheduleV2" => {
            let mut schedule = vec![("Target", b.map(vec![("Arn", function_arn())]))];
            match p.get("ScheduleExpression") {
                Some(s) => schedule.push(("ScheduleExpression", s.clone())),
                None => return missing(t, ev, "ScheduleExpression"),
            }
            for k in ["Name", "State"] {
                if let Some(v) = p.get(k) {
                    schedule.push((k, v.clone()));
                }
            }
            out.push(d, &id, "AWS::Scheduler::Schedule", b.map(schedule), true);
        }
        "CloudWatchLogs" => {
            let Some(group) = p.get("LogGroupName") else {
                return missing(t, ev, "LogGroupName");
            };
            let arn = match string(t, group).get() {
                Some(g) => b.sub(format!(
                    "arn:${{AWS::Partition}}:logs:${{AWS::Region}}:${{AWS::AccountId}}:log-group:{g}:*"
                )),
                None => Node::new(NodeKind::Unresolved(t.expr_text(group)), group.origin.clone()),
            };
            permission(out, "logs.amazonaws.com", vec![("SourceArn", arn)]);
        }
        "IoTRule" => {
            let rule = id.clone();
            out.push(d, &rule, "AWS::IoT::TopicRule", b.map(Vec::new()), true);
            permission(
                out,
                "iot.amazonaws.com",
                vec![
                    (
                        "SourceArn",
                        b.sub(format!(
                            "arn:${{AWS::Partition}}:iot:${{AWS::Region}}:${{AWS::AccountId}}:rule/${{{rule}}}"
                        )),
                    ),
                    ("SourceAccount", b.reference("AWS::AccountId")),
                ],
            );
        }
        "AlexaSkill" => {
            let extra = p
                .get("SkillId")
                .map(|s| vec![("EventSourceToken", s.clone())])
                .unwrap_or_default();
            permission(out, "alexa-appkit.amazon.com", extra);
        }
        "Cognito" => {
            let Some(pool) = p.get("UserPool") else {
                return missing(t, ev, "UserPool");
            };
            let arn = match local_ref(pool) {
                Some((id, _)) => b.get_att(id, "Arn"),
                None => pool.clone(),
            };
            permission(out, "cognito-idp.amazonaws.com", vec![("SourceArn", arn)]);
        }
        // Events without a known type are reported by the validation.
        _ => {}
    }
}

/// A required property is missing: reported by the validation; the event creates nothing.
fn missing(_t: &Template<'_>, _ev: &Node, _property: &str) {}

/// The request validator SAM attaches to a REST method whose `RequestModel` validates the body
/// or the parameters (`ValidateBody` / `ValidateParameters` true), named as SAM names it
/// (`body-and-params`, `body-only`, `params-only`).
fn request_validator(p: &Node) -> Option<Value<Target>> {
    let model = p.get("RequestModel")?;
    let on = |key: &str| model.get(key).and_then(Node::as_bool) == Some(true);
    let name = match (on("ValidateBody"), on("ValidateParameters")) {
        (true, true) => "body-and-params",
        (true, false) => "body-only",
        (false, true) => "params-only",
        (false, false) => return None,
    };
    Some(Value::explicit(
        Target::Name(name.to_owned()),
        model.origin.clone(),
    ))
}

/// An `Api` or `HttpApi` event: the route on its API, and the permission for API Gateway.
#[allow(
    clippy::too_many_arguments,
    reason = "one event read with its function's context"
)]
fn api_route<'a>(
    t: &Template<'_>,
    d: &Decl<'a>,
    name: &str,
    ev: &Node,
    p: &Node,
    invoked: &Invoked,
    out: &mut Out<'a>,
    http: bool,
) {
    let b = B::new(&ev.origin);
    let fid = &invoked.id;
    let (key, implicit) = if http {
        ("ApiId", IMPLICIT_HTTP)
    } else {
        ("RestApiId", IMPLICIT_REST)
    };
    let api = match p.get(key) {
        Some(n) => match local_ref(n) {
            Some((id, _)) => id.to_owned(),
            // SAM also takes the API's logical id as a plain string.
            None if n.as_str().is_some_and(|s| out.apis.contains_key(s)) => {
                n.as_str().unwrap_or_default().to_owned()
            }
            // Reported by the validation.
            None => return,
        },
        None => implicit.to_owned(),
    };
    let path = p.get("Path").map(|n| string(t, n));
    let method = p
        .get("Method")
        .map(|n| string(t, n).map(|m| m.to_ascii_uppercase()));
    let (method, path) = match (method, path) {
        (Some(m), Some(p)) => (m, p),
        (None, None) if http => (
            Value::default("$default".to_owned(), &ev.origin),
            Value::default("$default".to_owned(), &ev.origin),
        ),
        // Reported by the validation.
        _ => return,
    };
    // Authorization: the event's authorizer, else the API's default.
    let conf = out.apis.get(&api).cloned().unwrap_or_default();
    if out.apis.contains_key(&api) && conf.http != http {
        // Reported by the validation.
        return;
    }
    let auth = p.get("Auth");
    let chosen = auth
        .and_then(|a| a.get("Authorizer"))
        .map(|n| string(t, n))
        .or(conf.default_authorizer.clone());
    let (authorization_type, authorizer) = match &chosen {
        None => (Value::default("NONE".to_owned(), &ev.origin), None),
        Some(v) => match v.get().map(String::as_str) {
            None => (v.clone(), None),
            Some("NONE") => (v.clone().map(|_| "NONE".to_owned()), None),
            Some("AWS_IAM") => (v.clone().map(|_| "AWS_IAM".to_owned()), None),
            Some(n) => match conf.authorizers.get(n) {
                Some(kind) => (
                    v.clone().map(|_| kind.clone()),
                    Some(Value::explicit(
                        Target::Local(format!("{api}{n}Authorizer")),
                        v.origin.clone(),
                    )),
                ),
                // Reported by the validation.
                None => (Value::unresolved(n.to_owned(), v.origin.clone()), None),
            },
        },
    };
    if !http
        && let Some(rp) = auth
            .and_then(|a| a.get("ResourcePolicy"))
            .filter(|r| matches!(r.kind, NodeKind::Map(_)))
        && let (Some(m), Some(pth)) = (method.get(), path.get())
    {
        let resource = super::resource_policy::method_resource(m, pth);
        for s in super::resource_policy::statements(rp, &resource) {
            out.policy_statements.push((api.clone(), s));
        }
    }
    let api_key_required = auth
        .and_then(|a| a.get("ApiKeyRequired"))
        .map(|n| boolean(t, n))
        .or(conf.api_key_required.clone())
        .unwrap_or_else(|| Value::default(false, &ev.origin));
    // An external definition (`DefinitionUri`) decides the route's security, which SAM cannot
    // add to it: unknown offline.
    let external = conf.external_definition.as_ref().map(|uri| {
        format!(
            "the security of `{} {}` in the API definition at `{uri}`",
            method.get().map_or("?", String::as_str),
            path.get().map_or("?", String::as_str)
        )
    });
    let (authorization_type, authorizer, api_key_required, request_validator) = match external {
        Some(why) => (
            Value::unresolved(why.clone(), ev.origin.clone()),
            None,
            Value::unresolved(why.clone(), ev.origin.clone()),
            (!http).then(|| Value::unresolved(why, ev.origin.clone())),
        ),
        None => (
            authorization_type,
            authorizer,
            api_key_required,
            if http { None } else { request_validator(p) },
        ),
    };
    out.extras.routes.push(Route {
        meta: route_meta(t, d, format!("{fid}{name}"), &ev.origin),
        api: Value::explicit(Target::Local(api.clone()), ev.origin.clone()),
        method: method.clone(),
        path: path.clone(),
        authorization_type,
        authorizer,
        api_key_required,
        request_validator,
        function: Some(Value::explicit(
            Target::Local(fid.clone()),
            ev.origin.clone(),
        )),
    });
    // The permission: any stage, this method and path (`*` for ANY and path parameters).
    let source = match (method.get(), path.get()) {
        (Some(m), Some(pth)) if m != "$default" => {
            let m = if m == "ANY" { "*" } else { m.as_str() };
            let pth: Vec<String> = pth
                .split('/')
                .map(|s| {
                    if s.starts_with('{') {
                        "*".to_owned()
                    } else {
                        s.to_owned()
                    }
                })
                .collect();
            Some(format!("{m}{}", pth.join("/")))
        }
        (Some(_), Some(_)) => Some("*".to_owned()),
        _ => None,
    };
    let source_arn = match source {
        Some(s) => b.sub(format!(
            "arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{api}}}/*/{s}"
        )),
        None => b.sub(format!(
            "arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{api}}}/*"
        )),
    };
    let function_ref = match &invoked.alias {
        Some(a) => b.reference(&format!("{fid}Alias{a}")),
        None => b.reference(fid),
    };
    let perm_id = if http {
        format!("{fid}{name}Permission")
    } else {
        format!("{fid}{name}PermissionProd")
    };
    out.push(
        d,
        &perm_id,
        "AWS::Lambda::Permission",
        b.map(vec![
            ("Action", b.s("lambda:InvokeFunction")),
            ("FunctionName", function_ref),
            ("Principal", b.s("apigateway.amazonaws.com")),
            ("SourceArn", source_arn),
        ]),
        true,
    );
}
