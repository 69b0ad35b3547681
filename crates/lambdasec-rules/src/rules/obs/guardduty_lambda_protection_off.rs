use super::super::region::{SHOWN_FUNCTIONS, count, describe, functions_in};
use crate::{Context, Findings, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags regions of a live account that run functions while GuardDuty Lambda Protection is
    /// not enabled: no GuardDuty detector, a suspended detector, or a detector whose
    /// `LAMBDA_NETWORK_LOGS` feature is off.
    ///
    /// A region without functions is not flagged, and neither is a region whose GuardDuty status
    /// could not be read (the call failed: the region is reported as not assessed).
    ///
    /// ## Why is this bad
    /// Lambda Protection watches the network activity of every function invocation and reports
    /// threats: a function talking to a cryptocurrency mining pool or a command-and-control
    /// server, or reaching known malicious addresses after its code or a dependency was
    /// compromised. Without it, a hijacked function runs unnoticed; functions leave no host to
    /// inspect afterwards.
    ///
    /// ## Example
    /// ```json
    /// {"DetectorId": "12abc34d567e8fa901bc2d34e56789f0", "Status": "ENABLED",
    ///  "Features": [{"Name": "LAMBDA_NETWORK_LOGS", "Status": "DISABLED"}]}
    /// ```
    ///
    /// ## Remediation
    /// - Live: enable GuardDuty in each region that runs functions, with Lambda Protection
    ///   (for an organization, from the GuardDuty delegated administrator):
    ///   `aws guardduty update-detector --detector-id ID --features
    ///   Name=LAMBDA_NETWORK_LOGS,Status=ENABLED`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/guardduty/latest/ug/lambda-protection.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/guardduty-controls.html
    pub struct GuarddutyLambdaProtectionOff {
        code: "OBS005",
        name: "guardduty-lambda-protection-off",
        title: "GuardDuty Lambda Protection not enabled in a region with functions",
        severity: High,
        kinds: [Account],
        inputs: [Live],
        fix: None,
    }
}

impl GuarddutyLambdaProtectionOff {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        for s in &cx.inventory.accounts {
            // `None`: the GuardDuty calls failed, the region is not assessed.
            let Some(protection) = &s.guardduty_lambda_protection else {
                continue;
            };
            if protection.get() != Some(&false) {
                continue;
            }
            let functions = functions_in(cx, s);
            if functions.is_empty() {
                continue;
            }
            let finding = out.add(
                &s.meta,
                &protection.origin,
                format!(
                    "{} runs {} without GuardDuty Lambda Protection: their network activity is not watched for threats",
                    describe(s),
                    count(&functions)
                ),
            );
            for f in functions.iter().take(SHOWN_FUNCTIONS) {
                finding.with_related(
                    &f.meta.origin,
                    format!("`{}` runs in this region", f.meta.id),
                );
            }
        }
    }
}
