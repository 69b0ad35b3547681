use super::{consumers, queue_sources};
use crate::{Context, Findings, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags SQS queues that feed a function (through an event source mapping) and have no
    /// redrive policy: no dead-letter queue receives the messages the function keeps failing
    /// on. The queue must be declared in the same project (or collected from the account).
    ///
    /// ## Why is this bad
    /// A message the function cannot process (a poison message, a bug, a crafted payload)
    /// returns to the queue after each failure and is retried until the queue's retention
    /// period expires (4 days by default), costing an invocation each time and delaying the
    /// messages behind it — then it is deleted without trace.
    ///
    /// ## Example
    /// ```yaml
    /// Jobs:
    ///   Type: AWS::SQS::Queue
    ///   Properties:
    ///     VisibilityTimeout: 180
    /// ```
    ///
    /// ## Remediation
    /// Give the queue a dead-letter queue with a small `maxReceiveCount` (3–5), alarm on its
    /// depth, and turn on `ReportBatchItemFailures` in the mapping so one bad message does not
    /// fail its whole batch.
    /// - CloudFormation / SAM: `RedrivePolicy: {deadLetterTargetArn: !GetAtt JobsDlq.Arn,
    ///   maxReceiveCount: 5}` on `AWS::SQS::Queue`.
    /// - Terraform: `redrive_policy` on `aws_sqs_queue` (or `aws_sqs_queue_redrive_policy`).
    /// - serverless.yml: the same in `resources`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
    /// - https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html#services-sqs-errorhandling
    pub struct QueueSourceWithoutDlq {
        code: "EVT004",
        name: "queue-source-without-dlq",
        title: "Queue feeding a function without a dead-letter queue",
        severity: Low,
        kinds: [Queue],
        inputs: [CloudFormation, Sam, Terraform, Serverless, Live],
        fix: None,
    }
}

impl QueueSourceWithoutDlq {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        for (q, mappings) in queue_sources(cx) {
            if q.dead_letter_target.is_some() {
                continue;
            }
            let finding = out.add(
                &q.meta,
                &q.meta.origin,
                format!(
                    "queue `{}` feeds {} and has no redrive policy: messages that keep failing are retried until they expire, then lost",
                    q.meta.id,
                    consumers(cx, &mappings)
                ),
            );
            for (m, _) in &mappings {
                finding.with_related(&m.meta.origin, "the event source mapping");
            }
        }
    }
}
