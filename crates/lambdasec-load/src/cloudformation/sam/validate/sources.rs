//! Event sources other than APIs: S3 and SNS notifications, stream and queue pollers, brokers
//! and Kafka clusters with their access configurations, EventBridge rules and schedules, and
//! Cognito triggers.

use super::At;
use super::shape::{entries, is_intrinsic, present};
use lambdasec_model::{Node, NodeKind};

/// The logical id a `{Ref: Id}` names.
fn reference(n: &Node) -> Option<&str> {
    match n.as_map()? {
        [e] if e.key == "Ref" => e.value.as_str(),
        _ => None,
    }
}

/// `S3`: the bucket must be declared in the template (SAM adds the notification to it).
pub(crate) fn s3(at: At<'_>, p: &Node) {
    let Some(bucket) = p.get("Bucket") else {
        return;
    };
    let id = reference(bucket).filter(|id| at.ctx.type_of(id) == Some("AWS::S3::Bucket"));
    let Some(id) = id else {
        at.error(
            &bucket.origin,
            "an S3 event's `Bucket` must be `!Ref` to an `AWS::S3::Bucket` declared in the template",
        );
        return;
    };
    let Some(props) = at.ctx.props_of(id) else {
        return;
    };
    let bucket_at = At::resource(at.ctx, id);
    if entries(props).is_none() {
        return;
    }
    if let Some(tags) = props.get("Tags") {
        bucket_at.list(tags, "Tags");
    }
    if let Some(n) = props.get("NotificationConfiguration")
        && bucket_at.map(n, "NotificationConfiguration").is_some()
        && let Some(l) = n.get("LambdaConfigurations")
    {
        bucket_at.list(l, "NotificationConfiguration.LambdaConfigurations");
    }
}

/// `SNS`: an SQS subscription is `true`, or a map with the queue's ARN and URL.
pub(crate) fn sns(at: At<'_>, p: &Node) {
    let Some(sub) = p.get("SqsSubscription") else {
        return;
    };
    if matches!(sub.kind, NodeKind::Map(_)) {
        for k in ["QueueArn", "QueueUrl"] {
            if !present(sub.get(k)) {
                at.error(
                    &sub.origin,
                    format!("`SqsSubscription` must be `true` or a map with `QueueArn` and `QueueUrl` (missing `{k}`)"),
                );
            }
        }
    }
}

/// Kinesis, DynamoDB, SQS and MSK pollers.
pub(crate) fn stream(at: At<'_>, ty: &str, p: &Node) {
    if let Some(d) = p.get("DestinationConfig") {
        destination(at, d);
    }
    if let Some(f) = p.get("FilterCriteria") {
        filter_criteria(at, f);
    }
    if ty == "MSK"
        && let Some(s) = p.get("SchemaRegistryConfig")
    {
        schema_registry(at, s);
    }
}

/// `DestinationConfig.OnFailure` of a stream: a map with a destination type SAM knows.
fn destination(at: At<'_>, d: &Node) {
    if at.map(d, "DestinationConfig").is_none() {
        return;
    }
    let Some(on_failure) = d
        .get("OnFailure")
        .filter(|n| !matches!(n.kind, NodeKind::Null))
    else {
        at.error(
            &d.origin,
            "`DestinationConfig.OnFailure` is required (a map)",
        );
        return;
    };
    if at.map(on_failure, "DestinationConfig.OnFailure").is_none() {
        return;
    }
    if let Some(t) = on_failure.get("Type")
        && let Some(s) = t.as_str()
        && !["SQS", "SNS", "S3", "Kafka"].contains(&s)
    {
        at.error(
            &t.origin,
            format!("`DestinationConfig.OnFailure.Type` must be SQS, SNS, S3 or Kafka, not `{s}`"),
        );
    }
}

/// `FilterCriteria: {Filters: [...]}`.
fn filter_criteria(at: At<'_>, f: &Node) {
    let Some(keys) = entries(f) else {
        return;
    };
    if keys.iter().any(|e| e.key != "Filters") || keys.is_empty() {
        at.error(
            &f.origin,
            "`FilterCriteria` must be a map with only `Filters`",
        );
    } else if let Some(filters) = f.get("Filters") {
        at.list(filters, "FilterCriteria.Filters");
    }
}

/// `SchemaRegistryConfig` of a Kafka source.
fn schema_registry(at: At<'_>, s: &Node) {
    if at.map(s, "SchemaRegistryConfig").is_none() {
        return;
    }
    for k in [
        "SchemaRegistryURI",
        "EventRecordFormat",
        "SchemaValidationConfigs",
    ] {
        if !present(s.get(k)) {
            at.error(&s.origin, format!("`SchemaRegistryConfig` needs `{k}`"));
        }
    }
}

/// The written `SourceAccessConfigurations`: (type, item) pairs; `None` when absent or not a
/// written list (intrinsic lists are not checked).
fn access_configs<'n>(at: At<'_>, p: &'n Node, what: &str) -> Option<Vec<(&'n str, &'n Node)>> {
    let Some(sac) = p.get("SourceAccessConfigurations") else {
        at.error(
            &p.origin,
            format!("{what} events need `SourceAccessConfigurations`"),
        );
        return None;
    };
    let items = match &sac.kind {
        NodeKind::List(items) => items,
        _ => {
            if !is_intrinsic(sac) {
                at.error(&sac.origin, "`SourceAccessConfigurations` should be a list");
            }
            return None;
        }
    };
    if items.is_empty() {
        at.error(
            &sac.origin,
            format!("{what} events need `SourceAccessConfigurations`"),
        );
        return None;
    }
    let mut out = Vec::new();
    for i in items {
        match i.get("Type").and_then(Node::as_str) {
            Some(t) => out.push((t, i)),
            None => at.error(
                &i.origin,
                "each `SourceAccessConfigurations` item needs a `Type`",
            ),
        }
    }
    Some(out)
}

/// One `BASIC_AUTH` item with its secret `URI`, and only the types `allowed`.
fn basic_auth(at: At<'_>, configs: &[(&str, &Node)], allowed: &[&str]) {
    for (t, item) in configs {
        if !allowed.contains(t) {
            at.error(
                &item.origin,
                format!(
                    "`SourceAccessConfigurations` type `{t}` is not supported here (expected {})",
                    allowed.join(" or ")
                ),
            );
        }
    }
    let basics: Vec<&&Node> = configs
        .iter()
        .filter(|(t, _)| *t == "BASIC_AUTH")
        .map(|(_, i)| i)
        .collect();
    match basics.as_slice() {
        [] => {}
        [one] => {
            if !present(one.get("URI")) {
                at.error(
                    &one.origin,
                    "the `BASIC_AUTH` item needs the secret's `URI`",
                );
            }
        }
        [_, second, ..] => at.error(
            &second.origin,
            "`SourceAccessConfigurations` has more than one `BASIC_AUTH` item",
        ),
    }
    if basics.is_empty()
        && configs.iter().all(|(t, _)| allowed.contains(t))
        && let Some((_, first)) = configs.first()
    {
        at.error(
            &first.origin,
            "`SourceAccessConfigurations` needs a `BASIC_AUTH` item",
        );
    }
}

/// `MQ`: Amazon MQ brokers authenticate with one `BASIC_AUTH` secret.
pub(crate) fn mq(at: At<'_>, p: &Node) {
    if let Some(configs) = access_configs(at, p, "MQ") {
        basic_auth(at, &configs, &["BASIC_AUTH", "VIRTUAL_HOST"]);
    }
}

/// `DocumentDB`: one `BASIC_AUTH` secret.
pub(crate) fn document_db(at: At<'_>, p: &Node) {
    if let Some(configs) = access_configs(at, p, "DocumentDB") {
        basic_auth(at, &configs, &["BASIC_AUTH"]);
    }
}

const KAFKA_AUTH: &[&str] = &[
    "BASIC_AUTH",
    "CLIENT_CERTIFICATE_TLS_AUTH",
    "SASL_SCRAM_256_AUTH",
    "SASL_SCRAM_512_AUTH",
];
const KAFKA_TYPES: &[&str] = &[
    "BASIC_AUTH",
    "CLIENT_CERTIFICATE_TLS_AUTH",
    "SASL_SCRAM_256_AUTH",
    "SASL_SCRAM_512_AUTH",
    "SERVER_ROOT_CA_CERTIFICATE",
    "VPC_SECURITY_GROUP",
    "VPC_SUBNET",
];

/// `SelfManagedKafka`: bootstrap servers, one topic, and access configurations with at most
/// one authentication mechanism and both or none of the VPC settings.
pub(crate) fn self_managed_kafka(at: At<'_>, p: &Node) {
    if !present(p.get("KafkaBootstrapServers")) {
        at.error(
            &p.origin,
            "SelfManagedKafka events need `KafkaBootstrapServers`",
        );
    }
    match p.get("Topics") {
        Some(t) => match &t.kind {
            NodeKind::List(items) if items.len() != 1 => at.error(
                &t.origin,
                "`Topics` of SelfManagedKafka events takes exactly one topic",
            ),
            _ => {}
        },
        None => at.error(&p.origin, "SelfManagedKafka events need `Topics`"),
    }
    if let Some(s) = p.get("SchemaRegistryConfig") {
        schema_registry(at, s);
    }
    let Some(configs) = access_configs(at, p, "SelfManagedKafka") else {
        return;
    };
    for (t, item) in &configs {
        if !KAFKA_TYPES.contains(t) {
            at.error(
                &item.origin,
                format!("`SourceAccessConfigurations` type `{t}` is not supported for self-managed Kafka"),
            );
        }
    }
    let auths: Vec<&&Node> = configs
        .iter()
        .filter(|(t, _)| KAFKA_AUTH.contains(t))
        .map(|(_, i)| i)
        .collect();
    if let [_, second, ..] = auths.as_slice() {
        at.error(
            &second.origin,
            "`SourceAccessConfigurations` may hold only one authentication mechanism",
        );
    }
    let subnet = configs.iter().any(|(t, _)| *t == "VPC_SUBNET");
    let group = configs.iter().any(|(t, _)| *t == "VPC_SECURITY_GROUP");
    if subnet != group {
        at.error(
            &p.origin,
            "`SourceAccessConfigurations` needs both `VPC_SUBNET` and `VPC_SECURITY_GROUP`, or neither",
        );
    }
}

/// EventBridge rules and schedules: `State` or `Enabled`, and a dead-letter queue given by
/// ARN or created by SAM.
pub(crate) fn rule(at: At<'_>, ty: &str, p: &Node) {
    if ty != "ScheduleV2"
        && present(p.get("Enabled"))
        && let Some(s) = p.get("State").filter(|s| !matches!(s.kind, NodeKind::Null))
    {
        at.error(&s.origin, "`State` and `Enabled` cannot both be set");
    }
    if ty == "ScheduleV2"
        && p.get("OmitName").and_then(Node::as_bool) == Some(true)
        && let Some(n) = p.get("Name")
    {
        at.error(&n.origin, "`Name` cannot be set when `OmitName` is true");
    }
    let Some(dlq) = p.get("DeadLetterConfig") else {
        return;
    };
    if at.map(dlq, "DeadLetterConfig").is_none() {
        return;
    }
    match (present(dlq.get("Arn")), dlq.get("Type")) {
        (true, Some(t)) => at.error(
            &t.origin,
            "`DeadLetterConfig` takes either `Arn` (an existing queue) or `Type` (a queue SAM creates), not both",
        ),
        (false, None) => at.error(
            &dlq.origin,
            "`DeadLetterConfig` needs `Arn` (an existing queue) or `Type: SQS` (a queue SAM creates)",
        ),
        (false, Some(t)) => {
            if t.as_str() != Some("SQS") {
                at.error(&t.origin, "`DeadLetterConfig.Type` can only be `SQS`");
            }
        }
        (true, None) => {}
    }
    if let Some(q) = dlq.get("QueueLogicalId")
        && q.as_str().is_none()
    {
        at.error(
            &q.origin,
            "`DeadLetterConfig.QueueLogicalId` must be a string",
        );
    }
}

/// `Cognito`: the user pool is declared in the template (SAM adds the trigger to it), and each
/// trigger is set once.
pub(crate) fn cognito(at: At<'_>, p: &Node, seen: &mut Vec<(String, String)>) {
    let Some(pool) = p.get("UserPool") else {
        return;
    };
    let Some(id) = reference(pool) else {
        if pool.get("Ref").is_none() {
            at.error(
                &pool.origin,
                "a Cognito event's `UserPool` must be `!Ref` to a user pool declared in the template",
            );
        }
        return;
    };
    if let Some(props) = at.ctx.props_of(id)
        && let Some(lc) = props.get("LambdaConfig")
    {
        At::resource(at.ctx, id).map(lc, "LambdaConfig");
    }
    let triggers = p.get("Trigger").map(Node::one_or_many).unwrap_or_default();
    for t in triggers {
        let Some(name) = t.as_str() else {
            continue;
        };
        if seen.iter().any(|(pl, tr)| pl == id && tr == name) {
            at.error(
                &t.origin,
                format!("Cognito trigger `{name}` of `{id}` is set by more than one event"),
            );
        } else {
            seen.push((id.to_owned(), name.to_owned()));
        }
    }
}
