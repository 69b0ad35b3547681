use super::super::region::{SHOWN_FUNCTIONS, count, describe, functions_in};
use crate::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags regions of a live account that run functions while Amazon Inspector's Lambda
    /// standard scanning is not enabled. Where standard scanning is on but Lambda code scanning
    /// is off, it reports that at low severity.
    ///
    /// A region without functions is not flagged, and neither is a region whose Inspector status
    /// could not be read (the call failed: the region is reported as not assessed).
    ///
    /// ## Why is this bad
    /// Inspector's Lambda standard scanning checks the dependencies of every function's package
    /// and layers against known vulnerabilities, continuously, as new advisories appear; code
    /// scanning also reviews the function's own code (injection flaws, hard-coded secrets).
    /// Without it, a function keeps running a library with a published exploit and nobody is
    /// told.
    ///
    /// ## Example
    /// ```json
    /// {"accountId": "111122223333",
    ///  "resourceState": {"lambda": {"status": "DISABLED"}, "lambdaCode": {"status": "DISABLED"}}}
    /// ```
    ///
    /// ## Remediation
    /// - Live: enable Lambda scanning in each region that runs functions (for an organization,
    ///   from the Inspector delegated administrator):
    ///   `aws inspector2 enable --resource-types LAMBDA LAMBDA_CODE`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/inspector/latest/user/scanning-lambda.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/inspector-controls.html
    pub struct InspectorLambdaScanningOff {
        code: "SUP006",
        name: "inspector-lambda-scanning-off",
        title: "Amazon Inspector Lambda scanning not enabled in a region with functions",
        severity: Medium,
        kinds: [Account],
        inputs: [Live],
        fix: None,
    }
}

impl InspectorLambdaScanningOff {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        for s in &cx.inventory.accounts {
            // `None`: the Inspector calls failed, the region is not assessed.
            let Some(standard) = &s.inspector_lambda_scanning else {
                continue;
            };
            let code = s.inspector_lambda_code_scanning.as_ref();
            let (value, what, why, severity) = match standard.get() {
                Some(false) => (
                    standard,
                    "standard scanning",
                    "their packages and layers are not checked for vulnerable dependencies",
                    out.severity(),
                ),
                Some(true) => match code {
                    Some(c) if c.get() == Some(&false) => (
                        c,
                        "code scanning",
                        "their own code is not checked for vulnerabilities and embedded secrets",
                        Severity::Low.min(out.severity()),
                    ),
                    _ => continue,
                },
                None => continue,
            };
            let functions = functions_in(cx, s);
            if functions.is_empty() {
                continue;
            }
            let finding = out.add(
                &s.meta,
                &value.origin,
                format!(
                    "{} runs {} without Amazon Inspector Lambda {what}: {why}",
                    describe(s),
                    count(&functions)
                ),
            );
            finding.with_severity(severity);
            for f in functions.iter().take(SHOWN_FUNCTIONS) {
                finding.with_related(
                    &f.meta.origin,
                    format!("`{}` runs in this region", f.meta.id),
                );
            }
        }
    }
}
