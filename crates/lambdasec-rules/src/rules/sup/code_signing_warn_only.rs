use crate::finding::{Applicability, Fix};
use crate::{Context, Findings, declare_rule};
use lambdasec_model::{Function, UntrustedArtifactAction};

declare_rule! {
    /// ## What it does
    /// Flags code signing configurations whose policy for untrusted artifacts is `Warn` —
    /// written, or left to the default (`CodeSigningPolicies` absent means `Warn`).
    ///
    /// ## Why is this bad
    /// With `Warn`, Lambda only logs a CloudWatch metric when a package is unsigned, signed by
    /// an untrusted profile, expired or revoked — and deploys it anyway. Code signing then
    /// protects nothing: a stolen deployment credential still replaces the function's code.
    ///
    /// ## Example
    /// ```yaml
    /// Signing:
    ///   Type: AWS::Lambda::CodeSigningConfig
    ///   Properties:
    ///     AllowedPublishers:
    ///       SigningProfileVersionArns: [!GetAtt Profile.ProfileVersionArn]
    ///     CodeSigningPolicies:
    ///       UntrustedArtifactOnDeployment: Warn
    /// ```
    ///
    /// ## Remediation
    /// Sign every package in CI first, then switch the policy to `Enforce`.
    /// - CloudFormation / SAM: `CodeSigningPolicies.UntrustedArtifactOnDeployment: Enforce`.
    /// - Terraform: `policies { untrusted_artifact_on_deployment = "Enforce" }` on
    ///   `aws_lambda_code_signing_config`.
    /// - Live: `aws lambda update-code-signing-config --code-signing-policies
    ///   UntrustedArtifactOnDeployment=Enforce`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/configuration-codesigning.html
    pub struct CodeSigningWarnOnly {
        code: "SUP003",
        name: "code-signing-warn-only",
        title: "Code signing only warns about untrusted packages",
        severity: Medium,
        kinds: [CodeSigningConfig],
        inputs: [CloudFormation, Sam, Terraform, Live],
        fix: Some(Applicability::Unsafe),
    }
}

impl CodeSigningWarnOnly {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        for c in &cx.inventory.code_signing_configs {
            let policy = &c.untrusted_artifact_on_deployment;
            if !policy.is(|p| *p == UntrustedArtifactAction::Warn) {
                continue;
            }
            let how = if policy.is_explicit() {
                "is `Warn`"
            } else {
                "is not set (defaults to `Warn`)"
            };
            let users: Vec<&Function> = cx
                .inventory
                .functions
                .iter()
                .filter(|f| {
                    f.code_signing_config
                        .as_ref()
                        .is_some_and(|t| cx.index.points_to(t, c))
                })
                .collect();
            let finding = out.add(
                &c.meta,
                &policy.origin,
                format!(
                    "the untrusted-artifact policy of code signing config `{}` {how}: unsigned or untrusted packages are deployed anyway",
                    c.meta.id
                ),
            );
            finding.with_fix(Fix::replace(
                &policy.origin,
                "Enforce",
                Applicability::Unsafe,
                "reject unsigned and untrusted packages (sign every package first)",
            ));
            for f in users {
                finding.with_related(
                    &f.meta.origin,
                    format!("`{}` uses this configuration", f.meta.id),
                );
            }
        }
    }
}
