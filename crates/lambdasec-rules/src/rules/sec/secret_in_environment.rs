use crate::facts::raise_if_exposed;
use crate::{Context, Findings, Severity, declare_rule};
use lambdasec_secrets::Confidence;

declare_rule! {
    /// ## What it does
    /// Flags environment variables whose value is a secret: a credential in a known provider
    /// format (AWS access keys and secret keys, private keys, GitHub, GitLab, Slack, Stripe,
    /// Twilio, SendGrid, Google, Azure, npm, PyPI tokens, JWTs, URLs with passwords, ...) or a
    /// random-looking value in a variable whose name marks it sensitive (`PASSWORD`, `SECRET`,
    /// `TOKEN`, `API_KEY`, ...). References are the right way and never fire:
    /// `{{resolve:secretsmanager:...}}`, `{{resolve:ssm:...}}`, `${ssm:...}`, ARNs, parameter
    /// names, KMS ciphertext, placeholders. Findings show the variable name and a redacted
    /// preview (prefix, length, hash), never the value.
    ///
    /// When the function is reachable from the internet (a public function URL, an API route
    /// without authorization, a public function policy), the message says so and the severity is
    /// raised one step (so a low-confidence match keeps the rule's full severity).
    ///
    /// ## Why is this bad
    /// Environment variables are configuration, not a vault: anyone allowed
    /// `lambda:GetFunctionConfiguration` (often every developer, CI role and monitoring tool)
    /// reads them in plain text, they are copied into every template, state file, snapshot and
    /// CI log that touches the function, and they cannot be rotated without a redeploy.
    ///
    /// ## Example
    /// ```yaml
    /// Environment:
    ///   Variables:
    ///     AWS_ACCESS_KEY_ID: AKIAIOSFODNN7EXAMPLE
    /// ```
    ///
    /// ## Remediation
    /// Revoke and rotate the credential (it is exposed), store the new one in AWS Secrets
    /// Manager or SSM Parameter Store (SecureString), grant the role read access to it and read
    /// it at run time (the AWS Parameters and Secrets Lambda Extension caches it). Use the
    /// execution role instead of access keys for AWS APIs.
    /// - CloudFormation / SAM: pass the secret's name or ARN, or a
    ///   `{{resolve:secretsmanager:...}}` dynamic reference.
    /// - Terraform: pass `aws_secretsmanager_secret.x.arn`, not the value.
    /// - serverless.yml: `${ssm:/path}` resolves at deploy time into the variable — prefer
    ///   passing the parameter name and reading it at run time.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-encryption
    /// - https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html
    pub struct SecretInEnvironment {
        code: "SEC001",
        name: "secret-in-environment",
        title: "Secret in an environment variable",
        severity: Critical,
        kinds: [Function],
        inputs: [CloudFormation, Sam, Terraform, Serverless, Live],
        fix: None,
    }
}

impl SecretInEnvironment {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        for f in &cx.inventory.functions {
            for var in f.env_vars() {
                let Some(value) = var.value.as_str() else {
                    continue;
                };
                let Some(m) = lambdasec_secrets::check_env(&var.name, value) else {
                    continue;
                };
                let severity = match m.confidence {
                    Confidence::High | Confidence::Medium => out.severity(),
                    Confidence::Low => out.severity().min(Severity::High),
                };
                let finding = out
                    .add(
                        &f.meta,
                        &var.value.origin,
                        format!(
                            "environment variable `{}` of `{}` holds {} `{}` ({} confidence)",
                            var.name,
                            f.meta.id,
                            article(m.kind.title()),
                            m.redacted,
                            m.confidence
                        ),
                    )
                    .with_severity(severity)
                    .mark_sensitive();
                raise_if_exposed(cx, f, finding);
            }
        }
    }
}

fn article(noun: &str) -> String {
    let vowel = noun
        .chars()
        .next()
        .is_some_and(|c| matches!(c.to_ascii_lowercase(), 'a' | 'e' | 'i' | 'o' | 'u'));
    format!("{} {noun}", if vowel { "an" } else { "a" })
}
