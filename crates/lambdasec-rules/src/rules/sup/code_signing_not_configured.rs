use crate::{Context, Findings, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags zip-packaged functions without a code signing configuration
    /// (`CodeSigningConfigArn`). Image functions are verified through the registry and are not
    /// examined.
    ///
    /// ## Why is this bad
    /// Without code signing, Lambda accepts any package that a principal with
    /// `lambda:UpdateFunctionCode` uploads: a stolen CI credential or an over-privileged role
    /// can replace the function's code with a backdoor. A code signing configuration with
    /// `Enforce` makes Lambda reject packages not signed by your trusted signing profiles.
    ///
    /// The severity is low: nearly every function lacks code signing (it needs a signing
    /// profile and a signing step in the pipeline), so the finding is a hardening step rather
    /// than an exposure. Raise it with `[severity] SUP001 = "medium"` where signing is policy.
    ///
    /// ## Example
    /// ```yaml
    /// Api:
    ///   Type: AWS::Lambda::Function
    ///   Properties:
    ///     PackageType: Zip
    ///     Code: { S3Bucket: artifacts, S3Key: api.zip }
    /// ```
    ///
    /// ## Remediation
    /// Create an AWS Signer profile, an `AWS::Lambda::CodeSigningConfig` allowing it with
    /// `UntrustedArtifactOnDeployment: Enforce`, sign packages in CI, and attach the config.
    /// - CloudFormation / SAM: `CodeSigningConfigArn`.
    /// - Terraform: `code_signing_config_arn` on `aws_lambda_function`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/configuration-codesigning.html
    pub struct CodeSigningNotConfigured {
        code: "SUP001",
        name: "code-signing-not-configured",
        title: "Code signing not configured",
        severity: Low,
        kinds: [Function],
        inputs: [CloudFormation, Sam, Terraform, Live],
        fix: None,
    }
}

impl CodeSigningNotConfigured {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        for f in &cx.inventory.functions {
            if f.is_image() || f.package_type.is_unresolved() || f.code_signing_config.is_some() {
                continue;
            }
            out.add(
                &f.meta,
                &f.meta.origin,
                format!(
                    "`{}` has no code signing configuration: any uploaded package is accepted",
                    f.meta.id
                ),
            );
        }
    }
}
