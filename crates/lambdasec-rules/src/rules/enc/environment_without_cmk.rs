use crate::{Context, Findings, declare_rule};
use lambdasec_model::{KeyManager, KmsKey};

declare_rule! {
    /// ## What it does
    /// Flags functions that have environment variables but no customer-managed KMS key
    /// (`KmsKeyArn`) to encrypt them. In live accounts, a key that turns out to be AWS-managed
    /// (`alias/aws/lambda`) counts as no customer key.
    ///
    /// ## Why is this bad
    /// Without a customer-managed key, environment variables are encrypted with the AWS-managed
    /// key `aws/lambda`, which every principal allowed `lambda:GetFunctionConfiguration` can use
    /// implicitly: anyone who can read the function's configuration reads its variables in
    /// plain text. A customer-managed key adds a second, auditable permission (`kms:Decrypt`
    /// through the key policy) and lets you revoke access.
    ///
    /// ## Example
    /// ```yaml
    /// Api:
    ///   Type: AWS::Lambda::Function
    ///   Properties:
    ///     Environment:
    ///       Variables:
    ///         TABLE: orders
    /// ```
    ///
    /// ## Remediation
    /// Set a customer-managed key, and keep secrets out of variables altogether (Secrets Manager
    /// or SSM Parameter Store, read at run time).
    /// - CloudFormation / SAM: `KmsKeyArn: !GetAtt Key.Arn`.
    /// - Terraform: `kms_key_arn` on `aws_lambda_function`.
    /// - serverless.yml: `kmsKeyArn` on the function or the provider.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html
    pub struct EnvironmentWithoutCmk {
        code: "ENC001",
        name: "environment-without-cmk",
        title: "Environment variables without a customer-managed KMS key",
        severity: Medium,
        kinds: [Function],
        inputs: [CloudFormation, Sam, Terraform, Serverless, Live],
        fix: None,
    }
}

impl EnvironmentWithoutCmk {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        for f in &cx.inventory.functions {
            let Some(env) = &f.environment else { continue };
            if env.get().is_some_and(Vec::is_empty) {
                continue;
            }
            match &f.kms_key {
                None => {
                    out.add(
                        &f.meta,
                        &env.origin,
                        format!(
                            "environment variables of `{}` are encrypted with the AWS-managed key: set a customer-managed `KmsKeyArn`",
                            f.meta.id
                        ),
                    );
                }
                Some(key) => {
                    let aws_alias = key
                        .get()
                        .is_some_and(|t| t.text().ends_with("alias/aws/lambda"));
                    let aws_managed = cx
                        .index
                        .get::<KmsKey>(key)
                        .is_some_and(|k| k.manager.is(|m| *m == KeyManager::Aws));
                    if aws_alias || aws_managed {
                        out.add(
                            &f.meta,
                            &key.origin,
                            format!(
                                "environment variables of `{}` are encrypted with an AWS-managed key (`{key}`)",
                                f.meta.id
                            ),
                        );
                    }
                }
            }
        }
    }
}
