use crate::facts::{execution_role, raise_if_exposed, statement_label};
use crate::{Context, Findings, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags functions whose execution role effectively allows every action on every resource:
    /// `Action: "*"` on `Resource: "*"`, an attached `AdministratorAccess`, or the equivalent
    /// through `NotAction` or several statements that together cover everything. The IAM engine
    /// judges what is effectively granted — after explicit denies and the permissions boundary —
    /// so `Action: "*"` limited to log-group ARNs is not admin (IAM002 reports it).
    ///
    /// When the function is reachable from the internet (a public function URL, an API route
    /// without authorization, a public function policy) the message says so and the severity is
    /// raised one step.
    ///
    /// ## Why is this bad
    /// Whoever runs code in the function — through a vulnerable dependency, an injection in the
    /// handler, or a stolen deployment credential — holds the role's temporary credentials
    /// (they are in the function's environment) and owns the account: every secret, every
    /// bucket, every other role. One function bug becomes a full account compromise.
    ///
    /// ## Example
    /// ```yaml
    /// ExecRole:
    ///   Type: AWS::IAM::Role
    ///   Properties:
    ///     ManagedPolicyArns:
    ///       - arn:aws:iam::aws:policy/AdministratorAccess
    /// ```
    ///
    /// ## Remediation
    /// Grant only the actions and resources the function uses (IAM Access Analyzer can generate
    /// a policy from CloudTrail activity; `lambdasec policy generate` does it from logs).
    /// - CloudFormation: replace `AdministratorAccess` / `Action: "*"` in the role's
    ///   `ManagedPolicyArns` and `Policies` with scoped statements.
    /// - SAM: use policy templates (`DynamoDBReadPolicy`, `S3ReadPolicy`, ...) in `Policies`.
    /// - Terraform: scope the `aws_iam_policy_document` / `aws_iam_role_policy` statements.
    /// - serverless.yml: scope `provider.iam.role.statements`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-policy-generation.html
    pub struct AdminExecutionRole {
        code: "IAM001",
        name: "admin-execution-role",
        title: "Execution role with administrator access",
        severity: Critical,
        kinds: [Function],
        inputs: [CloudFormation, Sam, Terraform, Serverless, Live],
        fix: None,
    }
}

impl AdminExecutionRole {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        for f in &cx.inventory.functions {
            let Some(role) = execution_role(cx, f) else {
                continue;
            };
            let Some(admin) = role.full_admin() else {
                continue;
            };
            let statements = role.covering(&admin.statements);
            let Some(first) = statements.first() else {
                continue;
            };
            let how = if admin.via_not_action {
                format!("through `NotAction` in {}", statement_label(first))
            } else {
                format!("through {}", statement_label(first))
            };
            let finding = out.add(
                &f.meta,
                &role.statement_origin(first),
                format!(
                    "execution role `{}` of `{}` allows every action on every resource {how}",
                    role.id(),
                    f.meta.id
                ),
            );
            super::relate(finding, role, f, &statements, "also grants it");
            raise_if_exposed(cx, f, finding);
        }
    }
}
