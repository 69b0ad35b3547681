//! ENC — encryption.

mod environment_without_cmk;
mod kms_key_policy_permissive;
mod kms_key_rotation_disabled;
mod log_group_not_encrypted;

pub use environment_without_cmk::EnvironmentWithoutCmk;
pub use kms_key_policy_permissive::KmsKeyPolicyPermissive;
pub use kms_key_rotation_disabled::KmsKeyRotationDisabled;
pub use log_group_not_encrypted::LogGroupNotEncrypted;

use crate::Context;
use lambdasec_model::{Function, KmsKey, Target};

/// The KMS key a reference names: by id, ARN, or one of its aliases (`alias/app`,
/// `arn:aws:kms:...:alias/app`).
pub(crate) fn resolve_key<'a>(cx: &Context<'a>, target: &Target) -> Option<&'a KmsKey> {
    if let Some(k) = cx.index.resolve::<KmsKey>(target) {
        return Some(k);
    }
    let text = target.text();
    let alias = text.find("alias/").and_then(|i| text.get(i..))?;
    cx.inventory
        .kms_keys
        .iter()
        .find(|k| k.aliases.iter().any(|a| a.as_str() == Some(alias)))
}

/// The keys of the inventory that encrypt functions' environment variables, each with the
/// functions using it, in key order.
pub(crate) fn function_keys<'a>(cx: &Context<'a>) -> Vec<(&'a KmsKey, Vec<&'a Function>)> {
    let mut out: Vec<(&KmsKey, Vec<&Function>)> = Vec::new();
    for f in &cx.inventory.functions {
        let Some(key) = f
            .kms_key
            .as_ref()
            .and_then(|k| k.get())
            .and_then(|t| resolve_key(cx, t))
        else {
            continue;
        };
        match out.iter_mut().find(|(k, _)| std::ptr::eq(*k, key)) {
            Some((_, fs)) => fs.push(f),
            None => out.push((key, vec![f])),
        }
    }
    out.sort_by_key(|(k, _)| {
        cx.inventory
            .kms_keys
            .iter()
            .position(|x| std::ptr::eq(x, *k))
    });
    out
}
