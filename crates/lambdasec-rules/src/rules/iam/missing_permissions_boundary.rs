use crate::facts::execution_roles;
use crate::{Context, Findings, declare_rule};

declare_rule! {
    /// ## What it does
    /// When the configuration requires it (`require_permissions_boundary = true` in
    /// `lambdasec.toml`), flags execution roles without a permissions boundary. Off by default:
    /// boundaries are an organisation's choice, usually enforced where developers may create
    /// roles.
    ///
    /// ## Why is this bad
    /// A permissions boundary caps what a role can ever do, whatever policies are attached to
    /// it later. Organisations that let teams create their own execution roles rely on it so
    /// that no deployment — and no escalation through `iam:PutRolePolicy` — can exceed the cap.
    /// A role without the boundary escapes that guarantee.
    ///
    /// ## Example
    /// ```yaml
    /// ExecRole:
    ///   Type: AWS::IAM::Role
    ///   Properties:
    ///     AssumeRolePolicyDocument: {...}
    ///     # no PermissionsBoundary
    /// ```
    ///
    /// ## Remediation
    /// Attach the organisation's boundary policy.
    /// - CloudFormation: `PermissionsBoundary` on `AWS::IAM::Role`.
    /// - SAM: `PermissionsBoundary` on the function (or in `Globals.Function`).
    /// - Terraform: `permissions_boundary` on `aws_iam_role`.
    /// - serverless.yml: `provider.iam.role.permissionsBoundary`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
    /// - https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
    pub struct MissingPermissionsBoundary {
        code: "IAM010",
        name: "missing-permissions-boundary",
        title: "Execution role without a permissions boundary",
        severity: Low,
        kinds: [Role],
        inputs: [CloudFormation, Sam, Terraform, Serverless, Live],
        fix: None,
    }
}

impl MissingPermissionsBoundary {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        if !cx.config.require_permissions_boundary {
            return;
        }
        for role in execution_roles(cx) {
            if role.role.permissions_boundary.is_some() {
                continue;
            }
            let used_by: Vec<&str> = role.functions.iter().map(|f| f.meta.id.as_str()).collect();
            let finding = out.add(
                &role.role.meta,
                &role.role.meta.origin,
                format!(
                    "execution role `{}` (used by {}) has no permissions boundary, which the configuration requires",
                    role.id(),
                    super::name_list(&used_by)
                ),
            );
            if let Some(r) = role.functions.first().and_then(|f| f.role.as_ref()) {
                finding.with_related(&r.origin, "a function uses the role here");
            }
        }
    }
}
