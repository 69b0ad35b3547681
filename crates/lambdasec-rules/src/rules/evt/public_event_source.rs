use super::{consumers, function_name, queue_sources};
use crate::public_policy::{PublicGrant, first_public_grant, prepare};
use crate::{Context, Findings, declare_rule};
use lambdasec_model::{Meta, Node, Topic};

declare_rule! {
    /// ## What it does
    /// Flags event sources whose resource policy lets anyone produce the events that invoke a
    /// function: an SQS queue read by an event source mapping whose policy allows
    /// `sqs:SendMessage` to anyone, an SNS topic with a function subscription whose policy
    /// allows `sns:Publish` to anyone, an S3 bucket notifying a function whose policy allows
    /// anyone to create (`s3:PutObject`), delete or tag the objects whose events are notified.
    ///
    /// The policy is evaluated by the IAM engine for an anonymous caller: a statement for `*`
    /// narrowed by a condition such a caller cannot meet (`aws:SourceArn`,
    /// `aws:SourceAccount`, `aws:PrincipalOrgID`, `aws:SourceVpce`, `aws:SourceIp`, ...) with
    /// specific values is not public; conditions the caller controls (`aws:SecureTransport`,
    /// `aws:Referer`) or wildcard values do not narrow. The policy must be declared in the
    /// same project (or collected from the account).
    ///
    /// ## Why is this bad
    /// Anyone on the internet can drive the function: inject arbitrary payloads into its event
    /// parsing, trigger it at will to run up cost or exhaust its concurrency, and push poison
    /// messages through its failure handling — without any permission in your account.
    ///
    /// ## Example
    /// ```yaml
    /// JobsPolicy:
    ///   Type: AWS::SQS::QueuePolicy
    ///   Properties:
    ///     Queues: [!Ref Jobs]
    ///     PolicyDocument:
    ///       Statement:
    ///         - Effect: Allow
    ///           Principal: "*"
    ///           Action: sqs:SendMessage
    ///           Resource: !GetAtt Jobs.Arn
    /// ```
    ///
    /// ## Remediation
    /// Grant the producers that need access by name (an account, a role, a service principal
    /// with `aws:SourceArn` and `aws:SourceAccount`), or keep `*` and add `aws:PrincipalOrgID`
    /// or `aws:SourceAccount`. Turn on S3 Block Public Access for buckets.
    /// - CloudFormation / SAM: `AWS::SQS::QueuePolicy`, `AWS::SNS::TopicPolicy`,
    ///   `AWS::S3::BucketPolicy`.
    /// - Terraform: `aws_sqs_queue_policy`, `aws_sns_topic_policy`, `aws_s3_bucket_policy` (or
    ///   the `policy` argument).
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-basic-examples-of-sqs-policies.html
    /// - https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html
    /// - https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
    pub struct PublicEventSource {
        code: "EVT005",
        name: "public-event-source",
        title: "Event source open to anyone",
        severity: High,
        kinds: [Queue, Topic, Bucket],
        inputs: [CloudFormation, Sam, Terraform, Serverless, Live],
        fix: None,
    }
}

/// The S3 actions that produce a notified event type (`s3:ObjectCreated:*`, ...).
fn s3_actions(event: &str) -> &'static [&'static str] {
    let e = event.trim_start_matches("s3:");
    if e.starts_with("ObjectCreated") {
        &["s3:PutObject"]
    } else if e.starts_with("ObjectRemoved") {
        &["s3:DeleteObject"]
    } else if e.starts_with("ObjectTagging") {
        &["s3:PutObjectTagging", "s3:DeleteObjectTagging"]
    } else if e.starts_with("ObjectAcl") {
        &["s3:PutObjectAcl"]
    } else if e.starts_with("ObjectRestore") {
        &["s3:RestoreObject"]
    } else if e == "*" {
        &["s3:PutObject", "s3:DeleteObject"]
    } else {
        &[]
    }
}

fn report(out: &mut Findings, meta: &Meta, what: &str, grant: &PublicGrant, functions: &str) {
    let sid = grant
        .sid
        .as_deref()
        .map_or_else(String::new, |s| format!(" (statement `{s}`)"));
    out.add(
        meta,
        &grant.statement,
        format!(
            "the policy of {what} `{}` lets anyone (`*`) call `{}`{sid}: anyone can drive {functions}",
            meta.id, grant.action
        ),
    );
}

fn grant_of(doc: &Node, actions: &[&str]) -> Option<PublicGrant> {
    first_public_grant(&prepare(doc)?, actions)
}

impl PublicEventSource {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        for (q, mappings) in queue_sources(cx) {
            let Some(doc) = &q.policy else { continue };
            if let Some(g) = grant_of(doc, &["sqs:SendMessage"]) {
                report(out, &q.meta, "queue", &g, &consumers(cx, &mappings));
            }
        }
        let mut topics: Vec<(&Topic, Vec<String>)> = Vec::new();
        for s in &cx.inventory.subscriptions {
            let to_function = s.protocol.is(|p| p.eq_ignore_ascii_case("lambda"))
                || cx.index.function(&s.endpoint).is_some();
            let Some(t) = cx.index.get::<Topic>(&s.topic).filter(|_| to_function) else {
                continue;
            };
            let name = format!("`{}`", function_name(cx, &s.endpoint));
            match topics.iter_mut().find(|(x, _)| std::ptr::eq(*x, t)) {
                Some((_, fs)) if !fs.contains(&name) => fs.push(name),
                Some(_) => {}
                None => topics.push((t, vec![name])),
            }
        }
        for (t, functions) in topics {
            let Some(doc) = &t.policy else { continue };
            if let Some(g) = grant_of(doc, &["sns:Publish"]) {
                report(out, &t.meta, "topic", &g, &functions.join(", "));
            }
        }
        for b in &cx.inventory.buckets {
            let Some(doc) = &b.policy else { continue };
            let mut actions: Vec<&str> = Vec::new();
            let mut functions: Vec<String> = Vec::new();
            for n in &b.notifications {
                let name = format!("`{}`", function_name(cx, &n.function));
                if !functions.contains(&name) {
                    functions.push(name);
                }
                for e in &n.events {
                    let acts = e.as_str().map_or(&["s3:PutObject"][..], s3_actions);
                    for a in acts {
                        if !actions.contains(a) {
                            actions.push(a);
                        }
                    }
                }
            }
            if functions.is_empty() {
                continue;
            }
            if let Some(g) = grant_of(doc, &actions) {
                report(out, &b.meta, "bucket", &g, &functions.join(", "));
            }
        }
    }
}
