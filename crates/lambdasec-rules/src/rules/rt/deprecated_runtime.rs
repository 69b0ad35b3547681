use super::lifecycle::runtime_lifecycle;
use crate::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags functions whose runtime is past its deprecation date, according to the embedded
    /// Lambda runtime lifecycle table (its date is shown by `lambdasec rules`). The finding says
    /// which phase applies today; severity rises to critical once updates of functions on the
    /// runtime are blocked.
    ///
    /// ## Why is this bad
    /// A deprecated runtime no longer receives security patches for the language runtime or
    /// the operating system underneath it. Later phases block creating, then updating,
    /// functions on it: a function stuck there cannot even be patched in place when a
    /// vulnerability is found in its code. Security Hub control Lambda.2.
    ///
    /// ## Example
    /// ```yaml
    /// Legacy:
    ///   Type: AWS::Lambda::Function
    ///   Properties:
    ///     Runtime: python3.6
    /// ```
    ///
    /// ## Remediation
    /// Move to the runtime's successor (named in the finding) and redeploy.
    /// - CloudFormation / SAM: `Runtime` (SAM: or `Globals.Function.Runtime`).
    /// - Terraform: `runtime` on `aws_lambda_function`.
    /// - serverless.yml: `runtime` on the function or the provider.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html#runtime-support-policy
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/lambda-controls.html#lambda-2
    pub struct DeprecatedRuntime {
        code: "RT001",
        name: "deprecated-runtime",
        title: "Deprecated runtime",
        severity: High,
        kinds: [Function],
        inputs: [CloudFormation, Sam, Terraform, Serverless, Live],
        fix: None,
    }
}

impl DeprecatedRuntime {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        let table = runtime_lifecycle();
        let today = cx.config.today;
        for f in &cx.inventory.functions {
            let Some(runtime) = &f.runtime else { continue };
            let Some(name) = runtime.as_str() else {
                continue;
            };
            let Some(life) = table.get(name) else {
                continue;
            };
            let Some(deprecated) = life.deprecated.filter(|d| *d <= today) else {
                continue;
            };
            let mut message = format!(
                "runtime `{name}` of `{}` was deprecated on {deprecated}",
                f.meta.id
            );
            let mut severity = out.severity();
            match (life.create_blocked, life.update_blocked) {
                (_, Some(u)) if u <= today => {
                    message.push_str(&format!(
                        "; creating and updating functions on it is blocked since {u}"
                    ));
                    severity = Severity::Critical;
                }
                (Some(c), u) if c <= today => {
                    message.push_str(&format!("; creating functions on it is blocked since {c}"));
                    if let Some(u) = u {
                        message.push_str(&format!(", updates are blocked from {u}"));
                    }
                }
                (c, u) => {
                    if let Some(c) = c {
                        message
                            .push_str(&format!("; creating functions on it is blocked from {c}"));
                    }
                    if let Some(u) = u {
                        message.push_str(&format!(", updates from {u}"));
                    }
                }
            }
            if let Some(next) = &life.successor {
                message.push_str(&format!("; move to `{next}`"));
            }
            out.add(&f.meta, &runtime.origin, message)
                .with_severity(severity);
        }
    }
}
