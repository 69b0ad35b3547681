//! Event sources: SQS queues, SNS topics and subscriptions, S3 buckets and their
//! notifications, EventBridge rules and schedules, with their resource policies.

use super::lambda::not_found;
use super::{Res, find_mut};
use crate::terraform::body::{Blk, Cx, Obj, at, string_value, target_value};
use crate::terraform::value::{Kind, V};
use lambdasec_model::{
    Bucket, BucketNotification, Entry, EventRule, Inventory, Node, NodeKind, Origin, Queue,
    ResourceKind, Subscription, Target, Topic, Value,
};

pub(super) fn primary(cx: &Cx<'_>, r: &Res<'_>, inv: &mut Inventory) {
    let o = &r.obj;
    match r.rtype.as_str() {
        "aws_sqs_queue" => {
            let kms_key = o.target("kms_master_key_id");
            let mut q = Queue {
                meta: r.meta(ResourceKind::Queue),
                name: o.string("name"),
                fifo: o
                    .bool("fifo_queue")
                    .unwrap_or_else(|| Value::default(false, &o.origin)),
                visibility_timeout_seconds: o
                    .int("visibility_timeout_seconds")
                    .unwrap_or_else(|| Value::default(30, &o.origin)),
                dead_letter_target: None,
                max_receive_count: None,
                // New queues get SQS-managed encryption unless a KMS key is set.
                sqs_managed_sse: o
                    .bool("sqs_managed_sse_enabled")
                    .unwrap_or_else(|| Value::default(kms_key.is_none(), &o.origin)),
                kms_key,
                policy: o.document("policy"),
            };
            redrive(cx, o, "redrive_policy", &mut q);
            inv.queues.push(q);
        }
        "aws_sns_topic" => inv.topics.push(Topic {
            meta: r.meta(ResourceKind::Topic),
            name: o.string("name"),
            kms_key: o.target("kms_master_key_id"),
            policy: o.document("policy"),
        }),
        "aws_sns_topic_subscription" => inv.subscriptions.push(Subscription {
            meta: r.meta(ResourceKind::Subscription),
            topic: required(o, "topic_arn"),
            protocol: o
                .string("protocol")
                .unwrap_or_else(|| Value::unresolved("missing `protocol`", o.origin.clone())),
            endpoint: required(o, "endpoint"),
            filter_policy: o.document("filter_policy"),
        }),
        "aws_s3_bucket" => inv.buckets.push(Bucket {
            meta: r.meta(ResourceKind::Bucket),
            name: o.string("bucket"),
            notifications: Vec::new(),
            policy: o.document("policy"),
        }),
        "aws_cloudwatch_event_rule" => {
            let enabled = match (o.string("state"), o.bool("is_enabled")) {
                (Some(s), _) => s.map(|s| s != "DISABLED"),
                (None, Some(b)) => b,
                (None, None) => Value::default(true, &o.origin),
            };
            inv.event_rules.push(EventRule {
                meta: r.meta(ResourceKind::EventRule),
                name: o.string("name"),
                schedule: o.string("schedule_expression"),
                event_pattern: o.document("event_pattern"),
                targets: Vec::new(),
                enabled,
            });
        }
        "aws_scheduler_schedule" => inv.event_rules.push(EventRule {
            meta: r.meta(ResourceKind::EventRule),
            name: o.string("name"),
            schedule: o.string("schedule_expression"),
            event_pattern: None,
            targets: o
                .block("target")
                .known()
                .and_then(|t| t.target("arn"))
                .into_iter()
                .collect(),
            enabled: o
                .string("state")
                .map(|s| s.map(|s| s != "DISABLED"))
                .unwrap_or_else(|| Value::default(true, &o.origin)),
        }),
        _ => {}
    }
}

fn required(o: &Obj<'_>, key: &str) -> Value<Target> {
    o.target(key)
        .unwrap_or_else(|| Value::unresolved(format!("missing `{key}`"), o.origin.clone()))
}

/// A redrive policy (`{"deadLetterTargetArn": ..., "maxReceiveCount": n}`), given as
/// `jsonencode(...)` or JSON text.
fn redrive(cx: &Cx<'_>, o: &Obj<'_>, key: &str, q: &mut Queue) {
    let Some(v) = o.get(key) else {
        return;
    };
    let path = o.path_of(key);
    let doc: Option<V> = match &v.kind {
        Kind::Json(inner) => Some((**inner).clone()),
        Kind::String(s) => serde_json::from_str::<serde_json::Value>(s)
            .ok()
            .map(|j| crate::terraform::value::from_json(&j, v.file, v.span)),
        _ => None,
    };
    let Some(doc) = doc else {
        let text = v.unknown_text().map_or_else(|| v.to_json(), str::to_owned);
        q.dead_letter_target = Some(Value::unresolved(text, at(v, path)));
        return;
    };
    if let Some(t) = doc.get("deadLetterTargetArn") {
        q.dead_letter_target = Some(target_value(
            cx,
            t,
            at(t, format!("{path}.deadLetterTargetArn")),
        ));
    }
    if let Some(n) = doc.get("maxReceiveCount") {
        let origin = at(n, format!("{path}.maxReceiveCount"));
        q.max_receive_count = Some(match n.as_f64() {
            Some(x) if x.fract() == 0.0 && x.abs() < 1e9 => {
                #[allow(clippy::cast_possible_truncation, reason = "whole and small")]
                let i = x as i64;
                Value::explicit(i, origin)
            }
            _ => Value::unresolved(string_value(n, origin.clone()).to_string(), origin),
        });
    }
}

pub(super) fn attach(cx: &Cx<'_>, r: &Res<'_>, inv: &mut Inventory) {
    let o = &r.obj;
    match r.rtype.as_str() {
        "aws_sqs_queue_policy" => {
            let Some(queue) = o.target("queue_url") else {
                return;
            };
            match find_mut(&mut inv.queues, &queue) {
                Some(q) => q.policy = o.document("policy"),
                None => not_found(cx, r, "queue"),
            }
        }
        "aws_sqs_queue_redrive_policy" => {
            let Some(queue) = o.target("queue_url") else {
                return;
            };
            match find_mut(&mut inv.queues, &queue) {
                Some(q) => redrive(cx, o, "redrive_policy", q),
                None => not_found(cx, r, "queue"),
            }
        }
        "aws_sns_topic_policy" => {
            let Some(topic) = o.target("arn") else {
                return;
            };
            match find_mut(&mut inv.topics, &topic) {
                Some(t) => t.policy = o.document("policy"),
                None => not_found(cx, r, "topic"),
            }
        }
        "aws_s3_bucket_policy" => {
            let Some(bucket) = o.target("bucket") else {
                return;
            };
            let policy = o.document("policy");
            match find_mut(&mut inv.buckets, &bucket) {
                Some(b) => b.policy = policy,
                None => {
                    let mut b = external_bucket(r, o);
                    b.policy = policy;
                    inv.buckets.push(b);
                }
            }
        }
        "aws_s3_bucket_notification" => {
            let Some(bucket) = o.target("bucket") else {
                return;
            };
            let notifications: Vec<BucketNotification> = o
                .blocks("lambda_function")
                .into_iter()
                .filter_map(|b| match b {
                    Blk::Known(n) => Some(notification(&n)),
                    Blk::Unknown { expr, origin } => Some(BucketNotification {
                        function: Value::unresolved(expr, origin.clone()),
                        events: Vec::new(),
                        filter: None,
                        origin,
                    }),
                    Blk::Absent => None,
                })
                .collect();
            match find_mut(&mut inv.buckets, &bucket) {
                Some(b) => b.notifications.extend(notifications),
                None => {
                    let mut b = external_bucket(r, o);
                    b.notifications = notifications;
                    inv.buckets.push(b);
                }
            }
        }
        "aws_cloudwatch_event_target" => {
            let (Some(rule), Some(arn)) = (o.target("rule"), o.target("arn")) else {
                return;
            };
            match find_mut(&mut inv.event_rules, &rule) {
                Some(rule) => rule.targets.push(arn),
                None => not_found(cx, r, "rule"),
            }
        }
        _ => {}
    }
}

/// A bucket declared outside this configuration, known through a notification or policy on it.
fn external_bucket(r: &Res<'_>, o: &Obj<'_>) -> Bucket {
    Bucket {
        meta: r.meta(ResourceKind::Bucket),
        name: o.string("bucket"),
        notifications: Vec::new(),
        policy: None,
    }
}

/// A `lambda_function` block of a bucket notification; the filter in the shape of
/// CloudFormation's `Filter.S3Key.Rules`.
fn notification(n: &Obj<'_>) -> BucketNotification {
    let mut rules = Vec::new();
    for (key, name) in [("filter_prefix", "prefix"), ("filter_suffix", "suffix")] {
        if let Some(v) = n.get(key) {
            let o = n.origin_of(key);
            rules.push(Node::new(
                NodeKind::Map(vec![
                    entry("Name", o.clone(), Node::string(name, o.clone())),
                    entry("Value", o.clone(), v.to_node(&o)),
                ]),
                o,
            ));
        }
    }
    let filter = (!rules.is_empty()).then(|| {
        let o = n.origin.clone();
        Node::new(
            NodeKind::Map(vec![entry(
                "S3Key",
                o.clone(),
                Node::new(
                    NodeKind::Map(vec![entry(
                        "Rules",
                        o.clone(),
                        Node::new(NodeKind::List(rules), o.clone()),
                    )]),
                    o.clone(),
                ),
            )]),
            o,
        )
    });
    BucketNotification {
        function: n.target("lambda_function_arn").unwrap_or_else(|| {
            Value::unresolved("missing `lambda_function_arn`", n.origin.clone())
        }),
        events: n.strings("events"),
        filter,
        origin: n.origin.clone(),
    }
}

fn entry(key: &str, key_origin: Origin, value: Node) -> Entry {
    Entry {
        key: key.to_owned(),
        key_origin,
        value,
    }
}
