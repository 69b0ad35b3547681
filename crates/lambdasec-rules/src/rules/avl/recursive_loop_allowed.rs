use crate::finding::{Applicability, Fix};
use crate::{Context, Findings, declare_rule};
use lambdasec_model::RecursiveLoop;

declare_rule! {
    /// ## What it does
    /// Flags functions whose recursive loop detection is turned off (`RecursiveLoop: Allow`).
    ///
    /// ## Why is this bad
    /// By default Lambda stops a function that invokes itself through SQS, SNS, S3 or another
    /// supported service after about 16 round trips. With `Allow`, a loop — a bug, or an event
    /// an attacker crafts to write back to the bucket or queue that triggered it — runs
    /// unbounded: runaway cost, throttling of everything sharing the concurrency, and a flood of
    /// downstream writes.
    ///
    /// ## Example
    /// ```yaml
    /// Resizer:
    ///   Type: AWS::Lambda::Function
    ///   Properties:
    ///     RecursiveLoop: Allow
    /// ```
    ///
    /// ## Remediation
    /// Keep loop detection on (`Terminate`, the default) unless the recursion is intended and
    /// bounded in code.
    /// - CloudFormation / SAM: `RecursiveLoop: Terminate` (or remove the property).
    /// - Terraform: `recursive_loop = "Terminate"` on `aws_lambda_function_recursion_config`.
    /// - Live: `aws lambda put-function-recursion-config --recursive-loop Terminate`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/invocation-recursion.html
    pub struct RecursiveLoopAllowed {
        code: "AVL004",
        name: "recursive-loop-allowed",
        title: "Recursive loop detection turned off",
        severity: Medium,
        kinds: [Function],
        inputs: [CloudFormation, Sam, Terraform, Live],
        fix: Some(Applicability::Unsafe),
    }
}

impl RecursiveLoopAllowed {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        for f in &cx.inventory.functions {
            if !f.recursive_loop.is(|r| *r == RecursiveLoop::Allow) {
                continue;
            }
            out.add(
                &f.meta,
                &f.recursive_loop.origin,
                format!(
                    "recursive loop detection of `{}` is off (`Allow`): an invocation loop through SQS, SNS or S3 runs unbounded",
                    f.meta.id
                ),
            )
            .with_fix(Fix::replace(
                &f.recursive_loop.origin,
                "Terminate",
                Applicability::Unsafe,
                "let Lambda stop recursive invocation loops",
            ));
        }
    }
}
