//! Event sources and their policies: `AWS::SQS::*`, `AWS::SNS::*`, `AWS::S3::Bucket` (Lambda
//! notifications) and `AWS::S3::BucketPolicy`, `AWS::Events::Rule`, `AWS::Scheduler::Schedule`.

use super::{Decl, Pending};
use crate::cloudformation::props::{Props, from_json};
use crate::cloudformation::template::Template;
use lambdasec_model::{
    Bucket, BucketNotification, EventRule, Inventory, Meta, Node, NodeKind, Queue, ResourceKind,
    Subscription, Topic, Value,
};

pub(crate) fn queue(t: &Template<'_>, d: &Decl<'_>) -> Queue {
    let p = d.props(t);
    // `RedrivePolicy` is a map, or a JSON string.
    let parsed: Option<Node> = p.get("RedrivePolicy").and_then(|n| match &n.kind {
        NodeKind::String(s) => serde_json::from_str::<serde_json::Value>(s)
            .ok()
            .map(|v| from_json(&v, &n.origin)),
        _ => None,
    });
    let redrive = match &parsed {
        Some(node) => Some(Props::new(t, Some(node), &node.origin)),
        None => p.block("RedrivePolicy"),
    };
    let kms_key = p.target("KmsMasterKeyId");
    let sse_default = kms_key.is_none();
    Queue {
        meta: d.meta(t, ResourceKind::Queue),
        name: p.string("QueueName"),
        fifo: p.bool_or("FifoQueue", false),
        visibility_timeout_seconds: p.int_or("VisibilityTimeout", 30),
        dead_letter_target: redrive.and_then(|r| r.target("deadLetterTargetArn")),
        max_receive_count: redrive.and_then(|r| r.int("maxReceiveCount")),
        kms_key,
        // New queues get SQS-managed encryption unless a KMS key is set.
        sqs_managed_sse: p.bool_or("SqsManagedSseEnabled", sse_default),
        policy: None,
    }
}

pub(crate) fn queue_policy(t: &Template<'_>, d: &Decl<'_>, pending: &mut Pending) {
    let p = d.props(t);
    if let Some(doc) = p.document("PolicyDocument") {
        pending
            .attachments
            .push((ResourceKind::Queue, p.targets("Queues"), doc));
    }
}

pub(crate) fn topic(t: &Template<'_>, d: &Decl<'_>, inv: &mut Inventory) {
    let p = d.props(t);
    let meta = d.meta(t, ResourceKind::Topic);
    for (i, s) in p.blocks("Subscription").into_iter().enumerate() {
        let mut m = Meta::new(
            format!("{}Subscription{i}", d.id),
            ResourceKind::Subscription,
            s.owner.clone(),
        );
        m.suppressions.clone_from(&meta.suppressions);
        inv.subscriptions.push(Subscription {
            meta: m,
            topic: Value::explicit(
                lambdasec_model::Target::Local(d.id.clone()),
                d.origin.clone(),
            ),
            protocol: s.required_string("Protocol"),
            endpoint: s.required_target("Endpoint"),
            filter_policy: None,
        });
    }
    inv.topics.push(Topic {
        meta,
        name: p.string("TopicName"),
        kms_key: p.target("KmsMasterKeyId"),
        policy: None,
    });
}

pub(crate) fn subscription(t: &Template<'_>, d: &Decl<'_>) -> Subscription {
    let p = d.props(t);
    Subscription {
        meta: d.meta(t, ResourceKind::Subscription),
        topic: p.required_target("TopicArn"),
        protocol: p.required_string("Protocol"),
        endpoint: p.required_target("Endpoint"),
        filter_policy: p.document("FilterPolicy"),
    }
}

pub(crate) fn topic_policy(t: &Template<'_>, d: &Decl<'_>, pending: &mut Pending) {
    let p = d.props(t);
    if let Some(doc) = p.document("PolicyDocument") {
        pending
            .attachments
            .push((ResourceKind::Topic, p.targets("Topics"), doc));
    }
}

pub(crate) fn bucket(t: &Template<'_>, d: &Decl<'_>) -> Bucket {
    let p = d.props(t);
    let notifications = p
        .block("NotificationConfiguration")
        .map(|n| n.blocks("LambdaConfigurations"))
        .unwrap_or_default()
        .into_iter()
        .map(|c| BucketNotification {
            function: c.required_target("Function"),
            events: c.strings("Event"),
            filter: c.document("Filter"),
            origin: c.owner.clone(),
        })
        .collect();
    Bucket {
        meta: d.meta(t, ResourceKind::Bucket),
        name: p.string("BucketName"),
        notifications,
        policy: None,
    }
}

pub(crate) fn bucket_policy(t: &Template<'_>, d: &Decl<'_>, pending: &mut Pending) {
    let p = d.props(t);
    if let (Some(doc), Some(bucket)) = (p.document("PolicyDocument"), p.target("Bucket")) {
        pending
            .attachments
            .push((ResourceKind::Bucket, vec![bucket], doc));
    }
}

/// `State`: rules and schedules run unless `DISABLED`.
fn enabled(p: &Props<'_>) -> Value<bool> {
    match p.string("State") {
        Some(v) => v.map(|s| s != "DISABLED"),
        None => Value::default(true, p.owner),
    }
}

pub(crate) fn event_rule(t: &Template<'_>, d: &Decl<'_>) -> EventRule {
    let p = d.props(t);
    EventRule {
        meta: d.meta(t, ResourceKind::EventRule),
        name: p.string("Name"),
        schedule: p.string("ScheduleExpression"),
        event_pattern: p.document("EventPattern"),
        targets: p
            .blocks("Targets")
            .into_iter()
            .map(|b| b.required_target("Arn"))
            .collect(),
        enabled: enabled(&p),
    }
}

pub(crate) fn schedule(t: &Template<'_>, d: &Decl<'_>) -> EventRule {
    let p = d.props(t);
    EventRule {
        meta: d.meta(t, ResourceKind::EventRule),
        name: p.string("Name"),
        schedule: p.string("ScheduleExpression"),
        event_pattern: None,
        targets: p
            .block("Target")
            .map(|b| b.required_target("Arn"))
            .into_iter()
            .collect(),
        enabled: enabled(&p),
    }
}
