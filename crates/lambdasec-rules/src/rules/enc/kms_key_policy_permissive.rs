use crate::public_policy::{allows_everyone, covers_service, first_public_grant, prepare};
use crate::{Context, Findings, declare_rule};
use lambdasec_model::KeyManager;

/// The key operations a stranger would want: read and re-wrap data, mint grants, take the key
/// over or destroy it.
const KMS_ACTIONS: &[&str] = &[
    "kms:Decrypt",
    "kms:ReEncryptFrom",
    "kms:GenerateDataKey",
    "kms:Encrypt",
    "kms:CreateGrant",
    "kms:PutKeyPolicy",
    "kms:ScheduleKeyDeletion",
    "kms:DisableKey",
];

declare_rule! {
    /// ## What it does
    /// Flags the key policy of a customer-managed KMS key that encrypts a function's
    /// environment variables when it is public — the IAM engine finds that an anonymous caller
    /// can decrypt, encrypt, create grants, change the policy or delete the key — or when a
    /// statement grants every key action (`kms:*`, `*`) to every principal (`"*"` or
    /// `{"AWS": "*"}`), whatever its conditions. The key must be declared in the same project
    /// (or collected from the account).
    ///
    /// Conditions count as they do in AWS: a statement for `*` limited by `kms:CallerAccount`,
    /// `aws:PrincipalOrgID`, `aws:SourceVpce` or another condition an anonymous caller cannot
    /// meet is not public (but still flagged when it grants `kms:*`); conditions the caller
    /// controls (`aws:SecureTransport`, encryption context) do not protect the key.
    ///
    /// ## Why is this bad
    /// Whoever can use the key reads every environment variable it protects; whoever holds
    /// `kms:*` can also rewrite the key policy to lock you out, or schedule the key for deletion
    /// and make everything it encrypted unreadable. Granting `kms:*` to `*` — even within the
    /// account — removes the separation between key administrators and key users that key
    /// policies exist for.
    ///
    /// ## Example
    /// ```yaml
    /// KeyPolicy:
    ///   Statement:
    ///     - Effect: Allow
    ///       Principal: "*"
    ///       Action: kms:*
    ///       Resource: "*"
    /// ```
    ///
    /// ## Remediation
    /// Grant administration (`kms:*`) to the account root or an administrators role only, and
    /// `kms:Decrypt` to the function's execution role (and the deployers that set variables).
    /// Scope any statement for `*` with `kms:CallerAccount` and `kms:ViaService`.
    /// - CloudFormation / SAM: `KeyPolicy` of `AWS::KMS::Key`.
    /// - Terraform: `policy` of `aws_kms_key` (or `aws_kms_key_policy`).
    /// - Live: `aws kms put-key-policy`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
    /// - https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html
    pub struct KmsKeyPolicyPermissive {
        code: "ENC003",
        name: "kms-key-policy-permissive",
        title: "KMS key policy of a function key open to everyone",
        severity: High,
        kinds: [KmsKey],
        inputs: [CloudFormation, Sam, Terraform, Live],
        fix: None,
    }
}

impl KmsKeyPolicyPermissive {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        for (key, users) in super::function_keys(cx) {
            if key.manager.is(|m| *m == KeyManager::Aws) {
                continue;
            }
            let Some(doc) = &key.key_policy else { continue };
            let Some(policy) = prepare(doc) else { continue };
            let users: Vec<String> = users.iter().map(|f| format!("`{}`", f.meta.id)).collect();
            let users = users.join(", ");
            let public = first_public_grant(&policy, KMS_ACTIONS);
            if let Some(g) = &public {
                let sid = g
                    .sid
                    .as_deref()
                    .map_or_else(String::new, |s| format!(" `{s}`"));
                out.add(
                    &key.meta,
                    &g.statement,
                    format!(
                        "key policy statement{sid} of KMS key `{}` lets anyone (`*`) call `{}`: anyone can use the key protecting the environment of {users}",
                        key.meta.id, g.action
                    ),
                );
            }
            for st in policy
                .statements
                .iter()
                .filter(|st| allows_everyone(st) && covers_service(st, "kms"))
                .filter(|st| public.as_ref().is_none_or(|g| g.statement != st.origin))
            {
                let sid = st
                    .sid_text()
                    .map_or_else(String::new, |s| format!(" `{s}`"));
                let cond = if st.is_conditional() {
                    " (its conditions limit who, not what)"
                } else {
                    ""
                };
                out.add(
                    &key.meta,
                    &st.origin,
                    format!(
                        "key policy statement{sid} of KMS key `{}` grants every key action (`kms:*`) to every principal{cond}: any of them can change the policy or delete the key protecting {users}",
                        key.meta.id
                    ),
                );
            }
        }
    }
}
