use super::lifecycle::runtime_lifecycle;
use crate::{Context, Findings, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags functions whose runtime will be deprecated within the warning window (90 days by
    /// default; `runtime_warning_days` in `lambdasec.toml`), according to the embedded runtime
    /// lifecycle table.
    ///
    /// ## Why is this bad
    /// After the deprecation date the runtime gets no more security patches, and creating and
    /// then updating functions on it will be blocked. Planning the move before the date avoids
    /// running unpatched code and emergency migrations.
    ///
    /// ## Example
    /// ```yaml
    /// Api:
    ///   Type: AWS::Lambda::Function
    ///   Properties:
    ///     Runtime: nodejs20.x   # deprecation announced for 2026-04-30
    /// ```
    ///
    /// ## Remediation
    /// Schedule the move to the successor runtime named in the finding.
    /// - CloudFormation / SAM: `Runtime`.
    /// - Terraform: `runtime`.
    /// - serverless.yml: `runtime`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html#runtimes-future
    pub struct RuntimeNearingDeprecation {
        code: "RT002",
        name: "runtime-nearing-deprecation",
        title: "Runtime nearing deprecation",
        severity: Low,
        kinds: [Function],
        inputs: [CloudFormation, Sam, Terraform, Serverless, Live],
        fix: None,
    }
}

impl RuntimeNearingDeprecation {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        let table = runtime_lifecycle();
        let today = cx.config.today;
        let horizon = today.add_days(cx.config.runtime_warning_days);
        for f in &cx.inventory.functions {
            let Some(runtime) = &f.runtime else { continue };
            let Some(name) = runtime.as_str() else {
                continue;
            };
            let Some(life) = table.get(name) else {
                continue;
            };
            let Some(deprecated) = life.deprecated.filter(|d| *d > today && *d <= horizon) else {
                continue;
            };
            let days = today.days_until(deprecated);
            let mut message = format!(
                "runtime `{name}` of `{}` will be deprecated on {deprecated} (in {days} days)",
                f.meta.id
            );
            if let Some(next) = &life.successor {
                message.push_str(&format!("; plan the move to `{next}`"));
            }
            out.add(&f.meta, &runtime.origin, message);
        }
    }
}
