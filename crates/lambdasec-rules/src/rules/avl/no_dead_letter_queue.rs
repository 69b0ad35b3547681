use crate::facts::invocation;
use crate::{Context, Findings, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags functions that may be invoked asynchronously and have neither a dead-letter queue
    /// (`DeadLetterConfig`) nor an on-failure destination (`EventInvokeConfig`).
    ///
    /// A function counts as asynchronously invoked when the project shows an asynchronous
    /// trigger (S3 notification, SNS subscription, EventBridge rule or schedule, a permission
    /// for an asynchronous service such as `s3`, `sns`, `events`, `logs`, `iot`, `ses`,
    /// `config`, `cloudformation`), and also when it
    /// declares no trigger at all (it may be invoked by anything). Functions invoked only
    /// synchronously (API Gateway, function URLs, authorizers) or through event source
    /// mappings (which have their own failure handling, see AVL003) pass. A function with an
    /// asynchronous invocation configuration (`EventInvokeConfig`) is judged by AVL003, on the
    /// configuration.
    ///
    /// ## Why is this bad
    /// Asynchronous events that keep failing are retried twice and then dropped. Without a
    /// dead-letter queue or failure destination the event is lost without trace — an order not
    /// processed, an alert not sent, an attack that crashed the handler left unnoticed.
    ///
    /// ## Example
    /// ```yaml
    /// Thumbnailer:
    ///   Type: AWS::Serverless::Function
    ///   Properties:
    ///     Events:
    ///       Upload:
    ///         Type: S3
    ///         Properties: { Bucket: !Ref Uploads, Events: s3:ObjectCreated:* }
    /// ```
    ///
    /// ## Remediation
    /// Add a dead-letter queue (SQS or SNS) or an on-failure destination.
    /// - CloudFormation: `DeadLetterConfig.TargetArn`, or `AWS::Lambda::EventInvokeConfig` with
    ///   `DestinationConfig.OnFailure`.
    /// - SAM: `DeadLetterQueue: {Type: SQS, TargetArn: ...}` or
    ///   `EventInvokeConfig.DestinationConfig.OnFailure`.
    /// - Terraform: `dead_letter_config { target_arn = ... }` or
    ///   `aws_lambda_function_event_invoke_config`.
    /// - serverless.yml: `onError: <arn>` or `destinations: { onFailure: ... }`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
    pub struct NoDeadLetterQueue {
        code: "AVL002",
        name: "no-dead-letter-queue",
        title: "Asynchronously invoked function without dead-letter queue or failure destination",
        severity: Low,
        kinds: [Function],
        inputs: [CloudFormation, Sam, Terraform, Serverless, Live],
        fix: None,
    }
}

impl NoDeadLetterQueue {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        for f in &cx.inventory.functions {
            if f.dead_letter_target.is_some() {
                continue;
            }
            // An asynchronous invocation config has (or lacks) its on-failure destination:
            // AVL003 judges it where it is written.
            let has_async_config = cx
                .inventory
                .event_invoke_configs
                .iter()
                .any(|c| cx.index.points_to(&c.function, f));
            if has_async_config {
                continue;
            }
            let how = invocation(cx, f);
            if let Some((origin, what)) = how.asynchronous.first() {
                out.add(
                    &f.meta,
                    &f.meta.origin,
                    format!(
                        "`{}` is invoked asynchronously by {what} and has no dead-letter queue or on-failure destination: failed events are dropped",
                        f.meta.id
                    ),
                )
                .with_related(origin, "asynchronous trigger");
            } else if how.is_undeclared() {
                out.add(
                    &f.meta,
                    &f.meta.origin,
                    format!(
                        "`{}` declares no trigger (it may be invoked asynchronously) and has no dead-letter queue or on-failure destination",
                        f.meta.id
                    ),
                );
            }
        }
    }
}
