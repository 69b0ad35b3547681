use super::{consumers, queue_sources};
use crate::finding::{Applicability, Fix};
use crate::{Context, Findings, declare_rule};

/// The longest visibility timeout SQS accepts (12 hours).
const MAX_VISIBILITY: i64 = 43_200;

declare_rule! {
    /// ## What it does
    /// Flags SQS queues that feed a function whose timeout is longer than the queue's
    /// visibility timeout (30 seconds when not set). Both must be known: the queue declared in
    /// the same project (or collected from the account), and the function's timeout.
    ///
    /// ## Why is this bad
    /// A message becomes visible again while the function is still processing it: another
    /// invocation receives it and processes it a second time — duplicate payments, e-mails or
    /// writes, and twice the cost. Lambda refuses to create such a mapping, so the deployment
    /// fails too. AWS recommends a visibility timeout of at least six times the function
    /// timeout.
    ///
    /// ## Example
    /// ```yaml
    /// Jobs:
    ///   Type: AWS::SQS::Queue
    ///   Properties:
    ///     VisibilityTimeout: 30
    /// Worker:
    ///   Type: AWS::Serverless::Function
    ///   Properties:
    ///     Timeout: 120
    /// ```
    ///
    /// ## Remediation
    /// Set the queue's visibility timeout to at least six times the function timeout (at most
    /// 12 hours), or shorten the function timeout.
    /// - CloudFormation / SAM: `VisibilityTimeout` on `AWS::SQS::Queue`.
    /// - Terraform: `visibility_timeout_seconds` on `aws_sqs_queue`.
    /// - serverless.yml: the same in `resources`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html#events-sqs-queueconfig
    /// - https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html
    pub struct QueueVisibilityShorterThanTimeout {
        code: "EVT006",
        name: "queue-visibility-shorter-than-timeout",
        title: "Queue visibility timeout shorter than the function timeout",
        severity: Low,
        kinds: [Queue],
        inputs: [CloudFormation, Sam, Terraform, Serverless, Live],
        fix: Some(Applicability::Safe),
    }
}

impl QueueVisibilityShorterThanTimeout {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        for (q, mappings) in queue_sources(cx) {
            let Some(&visibility) = q.visibility_timeout_seconds.get() else {
                continue;
            };
            let Some((f, timeout)) = mappings
                .iter()
                .filter_map(|(_, f)| f.and_then(|f| f.timeout_seconds.get().map(|t| (f, *t))))
                .max_by_key(|(_, t)| *t)
            else {
                continue;
            };
            if visibility >= timeout {
                continue;
            }
            let written = if q.visibility_timeout_seconds.is_explicit() {
                ""
            } else {
                ", the default"
            };
            let suggested = timeout.saturating_mul(6).min(MAX_VISIBILITY).max(timeout);
            out.add(
                &q.meta,
                &q.visibility_timeout_seconds.origin,
                format!(
                    "the visibility timeout of queue `{}` ({visibility} s{written}) is shorter than the timeout of {} ({timeout} s): messages are processed twice",
                    q.meta.id,
                    consumers(cx, &mappings)
                ),
            )
            .with_related(&f.timeout_seconds.origin, format!("timeout of `{}`", f.meta.id))
            .with_fix(Fix::replace(
                &q.visibility_timeout_seconds.origin,
                suggested.to_string(),
                Applicability::Safe,
                format!("set the visibility timeout to {suggested} s (six times the function timeout)"),
            ));
        }
    }
}
