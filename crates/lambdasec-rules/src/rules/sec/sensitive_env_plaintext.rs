use crate::{Context, Findings, declare_rule};
use lambdasec_secrets::{SensitiveNames, classify_value, redact};

declare_rule! {
    /// ## What it does
    /// Flags environment variables whose name marks them sensitive and whose value is written
    /// in plain text instead of a reference. Sensitive names contain a term such as `PASSWORD`,
    /// `SECRET`, `TOKEN`, `API_KEY`, `PRIVATE_KEY`, `ACCESS_KEY`, `CREDENTIALS` or
    /// `CONNECTION_STRING` (in any case, with `_`, `-`, `.` or camelCase: `DB_PASSWORD`,
    /// `stripeApiKey`); add terms with `sensitive_names = ["PIN", "LICENSE"]` in
    /// `lambdasec.toml`.
    ///
    /// A name that points at a secret rather than holds it (`DB_PASSWORD_SECRET_ARN`,
    /// `API_KEY_PARAM`, `TOKEN_TTL`) passes, and so do references (`{{resolve:secretsmanager:...}}`,
    /// `{{resolve:ssm-secure:...}}`, `${ssm:...}`, ARNs, parameter paths such as
    /// `/prod/db/password`), KMS ciphertext, placeholders (`changeme`, `<token>`), locations
    /// (URLs without credentials) and values unknown offline (a parameter without default).
    /// A value that SEC001 recognises as a secret is reported by SEC001 only. Findings show a
    /// redacted preview, never the value.
    ///
    /// ## Why is this bad
    /// A password or token written into the template ends up in version control, in every
    /// deployment artifact and in the function's configuration, where anyone allowed
    /// `lambda:GetFunctionConfiguration` reads it. Even a weak or test value signals a secret
    /// managed outside a vault: it cannot be rotated or audited, and the production value tends
    /// to follow the same path.
    ///
    /// ## Example
    /// ```yaml
    /// Environment:
    ///   Variables:
    ///     DB_PASSWORD: hunter2
    /// ```
    ///
    /// ## Remediation
    /// Store the value in AWS Secrets Manager or SSM Parameter Store (SecureString), pass its
    /// name or ARN in the variable and read it at run time (the AWS Parameters and Secrets
    /// Lambda Extension caches it), or encrypt the value with KMS before setting it.
    /// - CloudFormation / SAM: `DB_PASSWORD_SECRET_ARN: !Ref DbSecret`, or a
    ///   `{{resolve:secretsmanager:...}}` dynamic reference.
    /// - Terraform: pass `aws_secretsmanager_secret.db.arn`.
    /// - serverless.yml: pass the parameter name and read it at run time (`${ssm:...}`
    ///   resolves into the variable at deploy time).
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-encryption
    /// - https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html
    pub struct SensitiveEnvPlaintext {
        code: "SEC004",
        name: "sensitive-env-plaintext",
        title: "Sensitive environment variable in plain text",
        severity: Medium,
        kinds: [Function],
        inputs: [CloudFormation, Sam, Terraform, Serverless, Live],
        fix: None,
    }
}

impl SensitiveEnvPlaintext {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        let names = SensitiveNames::default().with_terms(&cx.config.sensitive_names);
        for f in &cx.inventory.functions {
            for var in f.env_vars() {
                let Some(value) = var.value.as_str() else {
                    continue;
                };
                let Some(term) = names.sensitive_term(&var.name) else {
                    continue;
                };
                if !classify_value(value).is_plaintext()
                    || lambdasec_secrets::check_env(&var.name, value).is_some()
                {
                    continue;
                }
                let preview = redact(value.trim().as_bytes(), 0);
                out.add(
                    &f.meta,
                    &var.value.origin,
                    format!(
                        "environment variable `{}` of `{}` (`{term}` marks it sensitive) holds a plaintext value `{preview}` rather than a reference to Secrets Manager or Parameter Store",
                        var.name,
                        f.meta.id,
                    ),
                )
                .mark_sensitive();
            }
        }
    }
}
