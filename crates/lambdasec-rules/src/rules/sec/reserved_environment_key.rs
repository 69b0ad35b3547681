use crate::{Context, Findings, declare_rule};

/// The environment variables Lambda reserves: it sets them itself and rejects a function
/// configuration that sets them ("Defined runtime environment variables", Lambda developer
/// guide).
const RESERVED: &[&str] = &[
    "_HANDLER",
    "_X_AMZN_TRACE_ID",
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
    "AWS_EXECUTION_ENV",
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_INITIALIZATION_TYPE",
    "AWS_LAMBDA_LOG_GROUP_NAME",
    "AWS_LAMBDA_LOG_STREAM_NAME",
    "AWS_ACCESS_KEY",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_LAMBDA_RUNTIME_API",
    "LAMBDA_TASK_ROOT",
    "LAMBDA_RUNTIME_DIR",
];

declare_rule! {
    /// ## What it does
    /// Flags environment variables that set a key Lambda reserves for itself: `AWS_REGION`,
    /// `AWS_DEFAULT_REGION`, `AWS_EXECUTION_ENV`, `_HANDLER`, `_X_AMZN_TRACE_ID`,
    /// `AWS_LAMBDA_FUNCTION_NAME` and the other `AWS_LAMBDA_*` runtime variables,
    /// `LAMBDA_TASK_ROOT`, `LAMBDA_RUNTIME_DIR`, and the credential variables
    /// `AWS_ACCESS_KEY`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`.
    /// Keys Lambda lets you set (`TZ`, `LANG`, `PATH`, `LD_LIBRARY_PATH`, `NODE_OPTIONS`,
    /// `AWS_LAMBDA_EXEC_WRAPPER`, `AWS_XRAY_*`, ...) pass.
    ///
    /// A deployment-time check: it reads templates and projects, not live accounts, since
    /// Lambda refuses to store a reserved key and a deployed function never carries one.
    ///
    /// ## Why is this bad
    /// Lambda rejects the configuration: the deployment fails. Where a tool or a later change
    /// works around it, the intent is worse — setting `AWS_ACCESS_KEY_ID` /
    /// `AWS_SECRET_ACCESS_KEY` means long-lived user keys instead of the execution role's
    /// temporary credentials, and overriding `AWS_REGION` or `_HANDLER` changes what the
    /// runtime and the SDKs trust about the function itself.
    ///
    /// ## Example
    /// ```yaml
    /// Environment:
    ///   Variables:
    ///     AWS_REGION: eu-west-1
    /// ```
    ///
    /// ## Remediation
    /// Remove the variable. Read the region and the function's identity from the variables
    /// Lambda sets; give the function AWS permissions through its execution role, never through
    /// access keys; use another name for an application setting (`TARGET_REGION`).
    /// - CloudFormation / SAM: `Environment.Variables`.
    /// - Terraform: `environment { variables = {...} }` on `aws_lambda_function`.
    /// - serverless.yml: `environment` on the function or the provider.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
    pub struct ReservedEnvironmentKey {
        code: "SEC005",
        name: "reserved-environment-key",
        title: "Reserved environment variable set",
        severity: Low,
        kinds: [Function],
        inputs: [CloudFormation, Sam, Terraform, Serverless],
        fix: None,
    }
}

impl ReservedEnvironmentKey {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        for f in &cx.inventory.functions {
            for var in f.env_vars() {
                if !RESERVED.contains(&var.name.as_str()) {
                    continue;
                }
                let why = if var.name.starts_with("AWS_ACCESS_KEY")
                    || var.name == "AWS_SECRET_ACCESS_KEY"
                    || var.name == "AWS_SESSION_TOKEN"
                {
                    "; the function gets credentials from its execution role"
                } else {
                    ""
                };
                out.add(
                    &f.meta,
                    &var.name_origin,
                    format!(
                        "`{}` sets the reserved environment variable `{}`: Lambda rejects the configuration{why}",
                        f.meta.id, var.name
                    ),
                );
            }
        }
    }
}
