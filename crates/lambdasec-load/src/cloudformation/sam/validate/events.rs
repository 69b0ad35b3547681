//! The `Events` of a function or state machine: each event is a map with a `Type` SAM knows
//! and the `Properties` that type takes; the checks of each source follow.

use super::api::Routes;
use super::shape::{entries, is_intrinsic, present};
use super::{At, api, http_api, schema, sources};
use lambdasec_model::{Node, NodeKind};

/// Whose events these are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Owner {
    Function,
    StateMachine,
}

const FUNCTION_TYPES: &[&str] = &[
    "AlexaSkill",
    "Api",
    "CloudWatchEvent",
    "CloudWatchLogs",
    "Cognito",
    "DocumentDB",
    "DynamoDB",
    "EventBridgeRule",
    "HttpApi",
    "IoTRule",
    "Kinesis",
    "MQ",
    "MSK",
    "S3",
    "SNS",
    "SQS",
    "Schedule",
    "ScheduleV2",
    "SelfManagedKafka",
];

const STATE_MACHINE_TYPES: &[&str] = &[
    "Api",
    "CloudWatchEvent",
    "EventBridgeRule",
    "Schedule",
    "ScheduleV2",
];

/// Properties each event type requires.
fn required(ty: &str) -> &'static [&'static str] {
    match ty {
        "S3" => &["Bucket", "Events"],
        "SNS" => &["Topic"],
        "Kinesis" | "DynamoDB" => &["Stream", "StartingPosition"],
        "SQS" => &["Queue"],
        "MSK" => &["Stream", "Topics"],
        "MQ" => &["Broker", "Queues"],
        "DocumentDB" => &["Cluster", "DatabaseName"],
        "Api" => &["Path", "Method"],
        "Schedule" => &["Schedule"],
        "ScheduleV2" => &["ScheduleExpression"],
        "CloudWatchLogs" => &["LogGroupName", "FilterPattern"],
        "IoTRule" => &["Sql"],
        "Cognito" => &["UserPool", "Trigger"],
        _ => &[],
    }
}

pub(crate) fn check_all(at: At<'_>, evs: &Node, owner: Owner, routes: &mut Routes) {
    let Some(list) = entries(evs) else {
        return;
    };
    let allowed = match owner {
        Owner::Function => FUNCTION_TYPES,
        Owner::StateMachine => STATE_MACHINE_TYPES,
    };
    let mut cognito: Vec<(String, String)> = Vec::new();
    for e in list {
        let at = at.event(&e.key);
        if !matches!(e.value.kind, NodeKind::Map(_)) || is_intrinsic(&e.value) {
            at.error(
                &e.value.origin,
                "an event must be a map with `Type` and `Properties`",
            );
            continue;
        }
        let ty = match e.value.get("Type") {
            Some(t) => match t.as_str() {
                Some(s) if allowed.contains(&s) => s,
                _ => {
                    at.error(
                        &t.origin,
                        format!(
                            "`Type` `{}` is not an event source SAM knows (expected one of {})",
                            t.scalar_text().unwrap_or_else(|| at.ctx.t.expr_text(t)),
                            allowed.join(", ")
                        ),
                    );
                    continue;
                }
            },
            None => {
                at.error(&e.value.origin, "an event needs a `Type`");
                continue;
            }
        };
        let empty = Node::new(NodeKind::Map(Vec::new()), e.value.origin.clone());
        let props = match e.value.get("Properties") {
            None => &empty,
            Some(p) if matches!(p.kind, NodeKind::Null) => &empty,
            Some(p) if is_intrinsic(p) => continue,
            Some(p) if !matches!(p.kind, NodeKind::Map(_)) => {
                at.error(&p.origin, "the event's `Properties` must be a map");
                continue;
            }
            Some(p) => p,
        };
        if let Some((own, shared)) = schema::event_props(ty) {
            schema::check_entries(at, props, &format!("{ty} events"), &[own, shared]);
        }
        for key in required(ty) {
            if !present(props.get(key)) {
                at.error(&props.origin, format!("{ty} events need `{key}`"));
            }
        }
        match ty {
            "Api" => api::event(at, props, routes),
            "HttpApi" => http_api::event(at, props, routes),
            "S3" => sources::s3(at, props),
            "SNS" => sources::sns(at, props),
            "Kinesis" | "DynamoDB" | "SQS" | "MSK" => sources::stream(at, ty, props),
            "MQ" => sources::mq(at, props),
            "DocumentDB" => sources::document_db(at, props),
            "SelfManagedKafka" => sources::self_managed_kafka(at, props),
            "Schedule" | "ScheduleV2" | "CloudWatchEvent" | "EventBridgeRule" => {
                sources::rule(at, ty, props);
            }
            "Cognito" => sources::cognito(at, props, &mut cognito),
            _ => {}
        }
    }
}
