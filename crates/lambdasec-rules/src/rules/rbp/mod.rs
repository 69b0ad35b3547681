//! RBP — resource-based policies of functions and layers.

mod api_gateway_wildcard_source;
mod confused_deputy_permission;
mod cross_account_invocation;
mod non_invoke_action_granted;
mod principal_source_mismatch;
mod public_function_policy;
mod public_layer_version;

pub use api_gateway_wildcard_source::ApiGatewayWildcardSource;
pub use confused_deputy_permission::ConfusedDeputyPermission;
pub use cross_account_invocation::CrossAccountInvocation;
pub use non_invoke_action_granted::NonInvokeActionGranted;
pub use principal_source_mismatch::PrincipalSourceMismatch;
pub use public_function_policy::PublicFunctionPolicy;
pub use public_layer_version::PublicLayerVersion;

use lambdasec_model::{Arn, Condition, Permission};

/// True when the condition restricts its key to specific values: a positive operator (not
/// `Not...`, not `Null`) and every value specific. Unresolved values (a `!Ref`, a variable) are
/// taken as specific: they name something, and rules stay silent rather than guess.
pub(crate) fn narrows(c: &Condition) -> bool {
    let op = c
        .operator
        .trim_start_matches("ForAnyValue:")
        .trim_start_matches("ForAllValues:");
    if op.starts_with("Not") || op.starts_with("Null") || c.values.is_empty() {
        return false;
    }
    c.values.iter().all(|v| match v.get() {
        None => true,
        Some(s) => value_is_specific(s),
    })
}

/// A condition value that is not a wildcard. ARNs are specific when they name a concrete account
/// or a resource without wildcards; other values when they hold no wildcard at all.
pub(crate) fn value_is_specific(s: &str) -> bool {
    let s = s.trim();
    if s.is_empty() {
        return false;
    }
    match Arn::parse(s) {
        Some(arn) => arn.has_account_id() || !arn.resource.contains(['*', '?']),
        None => !s.contains(['*', '?']),
    }
}

/// True for the grants that back a function URL, judged by the URL rules: only
/// `lambda:InvokeFunctionUrl`, conditioned on the URL's auth type, or any grant restricted to
/// calls through the URL (`lambda:InvokedViaFunctionUrl: true`, the `lambda:InvokeFunction`
/// grant a public URL also needs).
pub(crate) fn is_function_url_grant(p: &Permission) -> bool {
    let url_action = !p.actions.is_empty()
        && p.actions
            .iter()
            .all(|a| a.is(|s| s.eq_ignore_ascii_case("lambda:InvokeFunctionUrl")))
        && p.conditions_on("lambda:FunctionUrlAuthType")
            .next()
            .is_some();
    let via_url = p.conditions_on("lambda:InvokedViaFunctionUrl").any(|c| {
        !c.operator.starts_with("Not")
            && !c.values.is_empty()
            && c.values
                .iter()
                .all(|v| v.is(|s| s.trim().eq_ignore_ascii_case("true")))
    });
    !p.actions.is_empty() && (url_action || via_url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specific_values() {
        assert!(value_is_specific("123456789012"));
        assert!(!value_is_specific("*"));
        assert!(!value_is_specific("12345678901?"));
        assert!(value_is_specific(
            "arn:aws:execute-api:us-east-1:123456789012:abc/*/*"
        ));
        assert!(value_is_specific("arn:aws:s3:::my-bucket"));
        assert!(!value_is_specific("arn:aws:s3:::*"));
        assert!(!value_is_specific("arn:aws:sns:*:*:topic*"));
        assert!(!value_is_specific(""));
    }
}
