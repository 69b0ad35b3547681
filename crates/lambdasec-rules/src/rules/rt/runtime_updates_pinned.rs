use crate::{Context, Findings, declare_rule};
use lambdasec_model::UpdateRuntimeOn;

declare_rule! {
    /// ## What it does
    /// Flags functions whose runtime management mode is `Manual`: the function stays on the
    /// runtime version it names (`RuntimeVersionArn`) instead of receiving runtime updates.
    /// `Auto` (the default) and `FunctionUpdate` pass.
    ///
    /// ## Why is this bad
    /// AWS patches managed runtimes (language runtime, libraries, operating system) through
    /// runtime version updates. A pinned function keeps the vulnerabilities of its version
    /// until someone moves the pin by hand — the mode exists to roll back a breaking update for
    /// a short time, not as a steady state.
    ///
    /// ## Example
    /// ```yaml
    /// RuntimeManagementConfig:
    ///   UpdateRuntimeOn: Manual
    ///   RuntimeVersionArn: arn:aws:lambda:us-east-1::runtime:0123abcd
    /// ```
    ///
    /// ## Remediation
    /// Return to `Auto` (or `FunctionUpdate` to take updates with your deployments) once the
    /// incompatibility that required the pin is fixed.
    /// - CloudFormation: `RuntimeManagementConfig.UpdateRuntimeOn: Auto`.
    /// - SAM: `RuntimeManagementConfig` of the function (or `Globals.Function`).
    /// - Terraform: `update_runtime_on = "Auto"` on `aws_lambda_runtime_management_config`.
    /// - Live: `aws lambda put-runtime-management-config --update-runtime-on Auto`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html
    pub struct RuntimeUpdatesPinned {
        code: "RT003",
        name: "runtime-updates-pinned",
        title: "Runtime updates pinned",
        severity: Medium,
        kinds: [Function],
        inputs: [CloudFormation, Sam, Terraform, Live],
        fix: None,
    }
}

impl RuntimeUpdatesPinned {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        for f in &cx.inventory.functions {
            let Some(rm) = &f.runtime_management else {
                continue;
            };
            if !rm.update_runtime_on.is(|u| *u == UpdateRuntimeOn::Manual) {
                continue;
            }
            let version = rm
                .runtime_version_arn
                .as_ref()
                .map_or_else(String::new, |v| format!(" on `{v}`"));
            out.add(
                &f.meta,
                &rm.update_runtime_on.origin,
                format!(
                    "runtime updates of `{}` are pinned (`Manual`){version}: security patches of the runtime are not applied",
                    f.meta.id
                ),
            );
        }
    }
}
