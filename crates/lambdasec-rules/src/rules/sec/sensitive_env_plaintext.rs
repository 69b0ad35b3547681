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

#[cfg(test)]
mod tests {
    use crate::{RuleConfig, Selection};
    use lambdasec_model::{
        EnvVar, Function, InputKind, Inventory, Meta, Origin, ResourceKind, Value,
    };

    fn findings(vars: &[(&str, &str)], config: &RuleConfig) -> Vec<String> {
        let o = Origin::Unknown;
        let mut f = Function::new(Meta::new("Api", ResourceKind::Function, o.clone()));
        f.environment = Some(Value::explicit(
            vars.iter()
                .map(|(n, v)| EnvVar {
                    name: (*n).to_owned(),
                    name_origin: o.clone(),
                    value: Value::explicit((*v).to_owned(), o.clone()),
                })
                .collect(),
            o.clone(),
        ));
        let mut inv = Inventory::new(InputKind::CloudFormation);
        inv.functions.push(f);
        let selection = Selection {
            select: vec!["SEC004".into()],
            ignore: vec![],
        };
        crate::run(&inv, config, &selection, &[], &|_| None)
            .findings
            .into_iter()
            .map(|f| f.message)
            .collect()
    }

    #[test]
    fn configured_terms_extend_the_defaults_and_values_stay_hidden() {
        let vars = [("DOOR_PIN", "4821-7730"), ("DB_PASSWORD", "hunter2")];
        let default = findings(&vars, &RuleConfig::default());
        assert_eq!(default.len(), 1, "{default:?}");
        assert!(default[0].contains("`DB_PASSWORD`"));
        let config = RuleConfig {
            sensitive_names: vec!["PIN".into()],
            ..RuleConfig::default()
        };
        let configured = findings(&vars, &config);
        assert_eq!(configured.len(), 2, "{configured:?}");
        assert!(configured.iter().any(|m| m.contains("`DOOR_PIN`")));
        assert!(
            configured
                .iter()
                .all(|m| !m.contains("hunter2") && !m.contains("4821-7730"))
        );
    }

    #[test]
    fn recognised_secrets_are_left_to_sec001() {
        let vars = [(
            "AWS_SECRET_ACCESS_KEY_VALUE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzK9qL2vN8s",
        )];
        let (name, value) = vars[0];
        // Both rules would see it: the name is sensitive and SEC001 recognises the value.
        assert!(lambdasec_secrets::SensitiveNames::default().is_sensitive(name));
        assert!(lambdasec_secrets::check_env(name, value).is_some());
        assert!(findings(&vars, &RuleConfig::default()).is_empty());
    }
}
