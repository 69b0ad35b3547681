//! IAM — execution roles and identity policies. Every rule here asks the IAM engine
//! (`lambdasec-iam`: effective permissions after wildcards, `NotAction`, boundaries and explicit
//! denies) rather than matching policy text.

mod admin_execution_role;
mod data_exfiltration_role;
mod lambda_hijack_principal;
mod missing_permissions_boundary;
mod privilege_escalation_role;
mod risky_policy_construct;
mod role_trust_too_broad;
mod shared_execution_role;
mod unscoped_sensitive_action;
mod wildcard_action_in_role;

pub use admin_execution_role::AdminExecutionRole;
pub use data_exfiltration_role::DataExfiltrationRole;
pub use lambda_hijack_principal::LambdaHijackPrincipal;
pub use missing_permissions_boundary::MissingPermissionsBoundary;
pub use privilege_escalation_role::PrivilegeEscalationRole;
pub use risky_policy_construct::RiskyPolicyConstruct;
pub use role_trust_too_broad::RoleTrustTooBroad;
pub use shared_execution_role::SharedExecutionRole;
pub use unscoped_sensitive_action::UnscopedSensitiveAction;
pub use wildcard_action_in_role::WildcardActionInRole;

use crate::facts::{ExecutionRole, statement_label};
use crate::finding::Finding;
use lambdasec_iam::StatementRef;
use lambdasec_model::Function;

/// At most this many names in a message; the rest are counted.
const MAX_NAMES: usize = 5;

/// `` `a`, `b`, `c` and 4 more `` for a list of names.
pub(crate) fn name_list<S: AsRef<str>>(names: &[S]) -> String {
    let shown: Vec<String> = names
        .iter()
        .take(MAX_NAMES)
        .map(|n| format!("`{}`", n.as_ref()))
        .collect();
    match names.len().saturating_sub(MAX_NAMES) {
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}

/// Point a finding at the statements behind it (after the first, which it blames) and at the
/// function's reference to the role.
pub(crate) fn relate(
    finding: &mut Finding,
    role: &ExecutionRole<'_>,
    f: &Function,
    statements: &[StatementRef],
    what: &str,
) {
    for st in statements.iter().skip(1) {
        finding.with_related(
            &role.statement_origin(st),
            format!("{} {what}", statement_label(st)),
        );
    }
    if let Some(r) = &f.role {
        finding.with_related(
            &r.origin,
            format!("`{}` uses role `{}`", f.meta.id, role.id()),
        );
    }
}
