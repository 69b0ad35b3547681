use crate::facts::{execution_role, raise_if_exposed, statement_label};
use crate::{Context, Findings, declare_rule};
use lambdasec_iam::Escalation;

declare_rule! {
    /// ## What it does
    /// Flags functions whose execution role can raise its own privileges or take over a more
    /// privileged principal, and reports the path: the method (after Rhino Security Labs'
    /// catalogue, as Cloudsplaining and Prowler name them), the actions it needs and the
    /// statements that grant them. Methods include writing or attaching policies
    /// (`iam:PutRolePolicy`, `iam:AttachRolePolicy`, `iam:CreatePolicyVersion`), minting
    /// credentials for others (`iam:CreateAccessKey`, `iam:UpdateLoginProfile`), rewriting a
    /// trust policy (`iam:UpdateAssumeRolePolicy` + `sts:AssumeRole`), passing a role to new
    /// compute (`iam:PassRole` with `lambda:CreateFunction` + `lambda:InvokeFunction`,
    /// `ec2:RunInstances`, `cloudformation:CreateStack`, ...) and replacing the code or
    /// configuration of other functions (`lambda:UpdateFunctionCode`,
    /// `lambda:UpdateFunctionConfiguration`).
    ///
    /// A path is reported when every action it needs is granted on every resource (`*` or an
    /// ARN pattern wildcarding the whole service) without a condition; grants narrowed to named
    /// resources or by conditions are not judged. Roles with full administrator access are
    /// reported by IAM001 instead. When the function is reachable from the internet the message
    /// says so and the severity stays at its highest.
    ///
    /// ## Why is this bad
    /// Code running in the function — an injected command, a malicious dependency — can turn
    /// the role's narrow purpose into administrator access: attach `AdministratorAccess` to
    /// itself, create a function with a more powerful role and invoke it, or rewrite the code of
    /// a function that already has one.
    ///
    /// ## Example
    /// ```yaml
    /// - Effect: Allow
    ///   Action: [iam:PassRole, lambda:CreateFunction, lambda:InvokeFunction]
    ///   Resource: "*"
    /// ```
    ///
    /// ## Remediation
    /// Remove the IAM write actions from execution roles; scope `iam:PassRole` to the roles the
    /// function must pass (with an `iam:PassedToService` condition) and Lambda management actions
    /// to the functions it manages.
    /// - CloudFormation / SAM: the role's `Policies` and `ManagedPolicyArns`.
    /// - Terraform: the role's `aws_iam_policy_document` statements.
    /// - serverless.yml: `provider.iam.role.statements`.
    ///
    /// ## References
    /// - https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
    /// - https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
    pub struct PrivilegeEscalationRole {
        code: "IAM004",
        name: "privilege-escalation-role",
        title: "Execution role can escalate privileges",
        severity: Critical,
        kinds: [Function],
        inputs: [CloudFormation, Sam, Terraform, Serverless, Live],
        fix: None,
    }
}

impl PrivilegeEscalationRole {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        for f in &cx.inventory.functions {
            let Some(role) = execution_role(cx, f) else {
                continue;
            };
            if role.full_admin().is_some() {
                continue;
            }
            let paths: Vec<&Escalation> = role
                .caps
                .escalations
                .iter()
                .filter(|e| e.unrestricted)
                .collect();
            let Some(first) = paths.first() else {
                continue;
            };
            let Some(st) = first.statements.first() else {
                continue;
            };
            let others: Vec<&str> = paths.iter().skip(1).map(|e| e.method).collect();
            let also = if others.is_empty() {
                String::new()
            } else {
                format!("; other paths: {}", super::name_list(&others))
            };
            let finding = out.add(
                &f.meta,
                &role.statement_origin(st),
                format!(
                    "execution role `{}` of `{}` can escalate privileges: `{}` ({} on `*`, {}) — {}{also}",
                    role.id(),
                    f.meta.id,
                    first.method,
                    super::name_list(&first.actions),
                    statement_label(st),
                    first.description
                ),
            );
            super::relate(
                finding,
                role,
                f,
                &first.statements,
                "grants part of the path",
            );
            raise_if_exposed(cx, f, finding);
        }
    }
}
