use crate::{Context, Findings, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags functions without a function-level concurrency limit
    /// (`ReservedConcurrentExecutions`).
    ///
    /// ## Why is this bad
    /// Without a limit, one function can take the whole account's concurrency (1,000 by
    /// default per region): a flood of events — malicious (a public endpoint hammered to run up
    /// the bill, "denial of wallet") or accidental (a retry storm, a recursive trigger) — then
    /// throttles every other function of the account, and scales downstream databases past
    /// their limits.
    ///
    /// ## Example
    /// ```yaml
    /// Worker:
    ///   Type: AWS::Lambda::Function
    ///   Properties:
    ///     Runtime: python3.13
    ///     Handler: app.handler
    /// ```
    ///
    /// ## Remediation
    /// Reserve the concurrency the function needs (it is both a guarantee and a ceiling).
    /// - CloudFormation / SAM: `ReservedConcurrentExecutions: 50`.
    /// - Terraform: `reserved_concurrent_executions = 50`.
    /// - serverless.yml: `reservedConcurrency: 50`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
    pub struct NoReservedConcurrency {
        code: "AVL001",
        name: "no-reserved-concurrency",
        title: "No function-level concurrency limit",
        severity: Low,
        kinds: [Function],
        inputs: [CloudFormation, Sam, Terraform, Serverless, Live],
        fix: None,
    }
}

impl NoReservedConcurrency {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        for f in &cx.inventory.functions {
            if f.reserved_concurrency.is_none() {
                out.add(
                    &f.meta,
                    &f.meta.origin,
                    format!("`{}` has no reserved concurrency limit", f.meta.id),
                );
            }
        }
    }
}
