use crate::finding::{Applicability, Fix};
use crate::{Context, Findings, declare_rule};
use lambdasec_model::TracingMode;

declare_rule! {
    /// ## What it does
    /// Flags functions whose X-Ray tracing mode is not `Active` (absent `TracingConfig` means
    /// `PassThrough`).
    ///
    /// ## Why is this bad
    /// Without active tracing, a function only forwards traces started upstream; requests that
    /// start at the function (queues, schedules, URLs) leave no trace. During an incident you
    /// cannot follow a request through the function to the services it called, nor see which
    /// downstream calls an attacker's payload caused. Security Hub control Lambda.7.
    ///
    /// ## Example
    /// ```yaml
    /// Api:
    ///   Type: AWS::Lambda::Function
    ///   Properties:
    ///     TracingConfig:
    ///       Mode: PassThrough
    /// ```
    ///
    /// ## Remediation
    /// Turn active tracing on (the role needs `xray:PutTraceSegments` and
    /// `xray:PutTelemetryRecords`, e.g. the `AWSXRayDaemonWriteAccess` managed policy; SAM adds
    /// it for you).
    /// - CloudFormation: `TracingConfig: {Mode: Active}`.
    /// - SAM: `Tracing: Active` (or in `Globals.Function`).
    /// - Terraform: `tracing_config { mode = "Active" }`.
    /// - serverless.yml: `tracing: Active` on the function, or `provider.tracing.lambda: true`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/lambda-controls.html#lambda-7
    pub struct TracingNotActive {
        code: "OBS001",
        name: "tracing-not-active",
        title: "X-Ray active tracing is off",
        severity: Low,
        kinds: [Function],
        inputs: [CloudFormation, Sam, Terraform, Serverless, Live],
        fix: Some(Applicability::Unsafe),
    }
}

impl TracingNotActive {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        for f in &cx.inventory.functions {
            if !f.tracing.is(|m| *m == TracingMode::PassThrough) {
                continue;
            }
            let how = if f.tracing.is_explicit() {
                "is `PassThrough`"
            } else {
                "is not set (defaults to `PassThrough`)"
            };
            out.add(
                &f.meta,
                &f.tracing.origin,
                format!("X-Ray tracing of `{}` {how}", f.meta.id),
            )
            .with_fix(Fix::replace(
                &f.tracing.origin,
                "Active",
                Applicability::Unsafe,
                "turn active tracing on (the role must allow xray:PutTraceSegments)",
            ));
        }
    }
}
