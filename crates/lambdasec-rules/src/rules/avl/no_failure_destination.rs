use crate::{Context, Findings, declare_rule};
use lambdasec_model::{EventSourceMapping, Queue};

declare_rule! {
    /// ## What it does
    /// Flags failure handling that loses or blocks events:
    /// - event source mappings that read a stream (Kinesis, DynamoDB Streams, Amazon MSK,
    ///   self-managed Kafka, DocumentDB) without an on-failure destination
    ///   (`DestinationConfig.OnFailure`). The message says whether retries are bounded
    ///   (`MaximumRetryAttempts`, `MaximumRecordAgeInSeconds`, `BisectBatchOnFunctionError`):
    ///   unbounded, a failing batch blocks its shard until the records expire; bounded, the
    ///   failing records are dropped.
    /// - asynchronous invocation configurations (`EventInvokeConfig`) without an on-failure
    ///   destination, for a function without a dead-letter queue.
    ///
    /// Mappings that read an SQS queue are left to the queue's redrive policy (EVT004);
    /// functions with asynchronous triggers and no configuration at all are AVL002.
    ///
    /// ## Why is this bad
    /// A record that keeps failing (a poison message, a bug, an attack payload that crashes the
    /// handler) is retried until it expires — up to a year for Kinesis — stalling every record
    /// behind it; once retries are bounded it is silently discarded. Either way nothing keeps
    /// the failed event for analysis or replay.
    ///
    /// ## Example
    /// ```yaml
    /// Orders:
    ///   Type: AWS::Lambda::EventSourceMapping
    ///   Properties:
    ///     FunctionName: !Ref Processor
    ///     EventSourceArn: !GetAtt OrderStream.Arn
    ///     StartingPosition: LATEST
    /// ```
    ///
    /// ## Remediation
    /// Bound retries and send failures to a queue or topic (or bucket) you monitor.
    /// - CloudFormation: `MaximumRetryAttempts`, `BisectBatchOnFunctionError: true` and
    ///   `DestinationConfig.OnFailure.Destination` on `AWS::Lambda::EventSourceMapping`;
    ///   `DestinationConfig.OnFailure` on `AWS::Lambda::EventInvokeConfig`.
    /// - SAM: the same properties on `Kinesis` / `DynamoDB` / `MSK` events; `EventInvokeConfig`
    ///   of the function.
    /// - Terraform: `destination_config { on_failure { destination_arn } }` on
    ///   `aws_lambda_event_source_mapping` and `aws_lambda_function_event_invoke_config`.
    /// - serverless.yml: `destinations.onFailure` of the stream event or the function.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventsourcemapping.html#invocation-eventsourcemapping-destinations
    /// - https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
    pub struct NoFailureDestination {
        code: "AVL003",
        name: "no-failure-destination",
        title: "Stream or asynchronous invocation without an on-failure destination",
        severity: Low,
        kinds: [EventSourceMapping, EventInvokeConfig],
        inputs: [CloudFormation, Sam, Terraform, Serverless, Live],
        fix: None,
    }
}

/// Services whose event source mappings read streams and support on-failure destinations.
const STREAM_SERVICES: &[&str] = &["kinesis", "dynamodb", "kafka", "rds"];

/// `Some(true)` for a stream source, `Some(false)` for a queue or broker without destinations,
/// `None` when the source is not known.
fn reads_stream(cx: &Context<'_>, m: &EventSourceMapping) -> Option<bool> {
    let Some(source) = &m.event_source else {
        // Self-managed Kafka has no event source ARN.
        return Some(true);
    };
    if cx.index.get::<Queue>(source).is_some() {
        return Some(false);
    }
    if let Some(arn) = source.get().and_then(|t| t.as_arn()) {
        return Some(STREAM_SERVICES.contains(&arn.service));
    }
    // A stream declared in the template: only streams take a starting position.
    m.starting_position.as_ref().map(|_| true)
}

impl NoFailureDestination {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        for m in &cx.inventory.event_source_mappings {
            if m.on_failure.is_some() || reads_stream(cx, m) != Some(true) {
                continue;
            }
            let bounded = m
                .maximum_retry_attempts
                .as_ref()
                .is_some_and(|v| v.is(|n| *n >= 0))
                || m.maximum_record_age_seconds
                    .as_ref()
                    .is_some_and(|v| v.is(|n| *n >= 0));
            let consequence = if bounded {
                "records that keep failing are dropped after the retries"
            } else {
                "a failing batch is retried until its records expire, blocking the shard"
            };
            let source = m
                .event_source
                .as_ref()
                .map_or_else(|| "its Kafka cluster".to_owned(), |s| format!("`{s}`"));
            out.add(
                &m.meta,
                &m.meta.origin,
                format!(
                    "event source mapping `{}` reads {source} without an on-failure destination: {consequence}",
                    m.meta.id
                ),
            );
        }
        for c in &cx.inventory.event_invoke_configs {
            if c.on_failure.is_some() {
                continue;
            }
            let function = cx.index.function(&c.function);
            if function.is_some_and(|f| f.dead_letter_target.is_some()) {
                continue;
            }
            let name = function.map_or_else(|| c.function.to_string(), |f| f.meta.id.clone());
            let finding = out.add(
                &c.meta,
                &c.meta.origin,
                format!(
                    "asynchronous invocation config `{}` of `{name}` has no on-failure destination and the function no dead-letter queue: events that fail every retry are dropped",
                    c.meta.id
                ),
            );
            if let Some(f) = function {
                finding.with_related(&f.meta.origin, "the function");
            }
        }
    }
}
