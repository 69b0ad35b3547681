use crate::finding::{Applicability, Fix};
use crate::{Context, Findings, declare_rule};
use lambdasec_model::{KeyManager, State};

declare_rule! {
    /// ## What it does
    /// Flags customer-managed KMS keys that encrypt a function's environment variables
    /// (`KmsKeyArn`) and have automatic rotation off (`EnableKeyRotation` absent or `false`).
    /// The key must be declared in the same project (or collected from the account). AWS-managed
    /// keys rotate on their own and are not examined, nor are asymmetric and HMAC keys, which
    /// cannot rotate automatically.
    ///
    /// ## Why is this bad
    /// Without rotation the same key material protects every secret the function's variables
    /// ever held, for as long as the key lives: key material that leaks (or is misused through
    /// an over-broad key policy) keeps decrypting old and new values alike. Yearly rotation is
    /// the baseline of most standards (CIS AWS Foundations 3.6, NIST SP 800-57).
    ///
    /// ## Example
    /// ```yaml
    /// EnvKey:
    ///   Type: AWS::KMS::Key
    ///   Properties:
    ///     EnableKeyRotation: false
    /// ```
    ///
    /// ## Remediation
    /// Turn automatic rotation on (existing ciphertexts stay decryptable).
    /// - CloudFormation / SAM: `EnableKeyRotation: true` on `AWS::KMS::Key`.
    /// - Terraform: `enable_key_rotation = true` on `aws_kms_key`.
    /// - Live: `aws kms enable-key-rotation --key-id <key>`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/kms-controls.html#kms-4
    pub struct KmsKeyRotationDisabled {
        code: "ENC002",
        name: "kms-key-rotation-disabled",
        title: "KMS key of a function without automatic rotation",
        severity: Medium,
        kinds: [KmsKey],
        inputs: [CloudFormation, Sam, Terraform, Live],
        fix: Some(Applicability::Safe),
    }
}

impl KmsKeyRotationDisabled {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        for (key, users) in super::function_keys(cx) {
            if key.manager.is(|m| *m == KeyManager::Aws)
                || !key.key_spec.is(|s| s == "SYMMETRIC_DEFAULT")
            {
                continue;
            }
            let how = match &key.rotation_enabled.state {
                State::Explicit(false) => "is turned off",
                State::Default(false) => "is not enabled",
                _ => continue,
            };
            let names: Vec<String> = users.iter().map(|f| format!("`{}`", f.meta.id)).collect();
            let f = out.add(
                &key.meta,
                &key.rotation_enabled.origin,
                format!(
                    "automatic rotation of KMS key `{}` (environment key of {}) {how}",
                    key.meta.id,
                    names.join(", ")
                ),
            );
            f.with_fix(Fix::replace(
                &key.rotation_enabled.origin,
                "true",
                Applicability::Safe,
                "turn automatic key rotation on",
            ));
            for u in users {
                f.with_related(
                    &u.meta.origin,
                    format!("`{}` encrypts its environment with the key", u.meta.id),
                );
            }
        }
    }
}
