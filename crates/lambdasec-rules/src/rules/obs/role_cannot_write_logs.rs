use crate::facts::execution_role;
use crate::{Context, Findings, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags functions whose execution role cannot write their CloudWatch Logs: no statement
    /// (inline, standalone, customer or AWS managed) effectively allows `logs:CreateLogStream`
    /// and `logs:PutLogEvents`, after explicit denies and the permissions boundary. Roles whose
    /// policies are not all known offline (an unresolved managed policy ARN, a statement chosen
    /// by a condition) are not judged.
    ///
    /// ## Why is this bad
    /// The function runs, but everything it prints — errors, audit trails, security events — is
    /// silently dropped. Incidents cannot be investigated and detections built on the logs see
    /// nothing.
    ///
    /// ## Example
    /// ```yaml
    /// ExecRole:
    ///   Type: AWS::IAM::Role
    ///   Properties:
    ///     Policies:
    ///       - PolicyName: data
    ///         PolicyDocument:
    ///           Statement:
    ///             - Effect: Allow
    ///               Action: dynamodb:GetItem
    ///               Resource: !GetAtt Table.Arn
    /// ```
    ///
    /// ## Remediation
    /// Attach `AWSLambdaBasicExecutionRole`, or allow `logs:CreateLogStream` and
    /// `logs:PutLogEvents` on the function's log group (and `logs:CreateLogGroup` if the group is
    /// not declared).
    /// - CloudFormation: `ManagedPolicyArns:
    ///   [arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]`.
    /// - SAM: implicit roles include it; add it to a custom `Role`.
    /// - Terraform: `aws_iam_role_policy_attachment` of `AWSLambdaBasicExecutionRole`.
    /// - serverless.yml: the Framework's default role includes it; add it to a custom role.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html
    /// - https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSLambdaBasicExecutionRole.html
    pub struct RoleCannotWriteLogs {
        code: "OBS004",
        name: "role-cannot-write-logs",
        title: "Execution role cannot write logs",
        severity: Low,
        kinds: [Function],
        inputs: [CloudFormation, Sam, Terraform, Serverless, Live],
        fix: None,
    }
}

/// What a function needs to write its logs into an existing group.
const NEEDED: &[&str] = &["logs:CreateLogStream", "logs:PutLogEvents"];

impl RoleCannotWriteLogs {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        for f in &cx.inventory.functions {
            let Some(role) = execution_role(cx, f) else {
                continue;
            };
            let caps = &role.caps;
            let unknown = !caps.unknown_policies.is_empty()
                || !caps.effective.opaque.is_empty()
                || !role.identity.errors.is_empty()
                || caps.effective.grants.iter().any(|g| g.unknown_actions);
            if unknown {
                continue;
            }
            let missing: Vec<&str> = NEEDED.iter().copied().filter(|a| !caps.can(a)).collect();
            if missing.is_empty() {
                continue;
            }
            let at = f.role.as_ref().map_or(&f.meta.origin, |r| &r.origin);
            out.add(
                &f.meta,
                at,
                format!(
                    "execution role `{}` of `{}` cannot write CloudWatch Logs: nothing allows {}",
                    role.id(),
                    f.meta.id,
                    crate::rules::iam::name_list(&missing)
                ),
            )
            .with_related(&role.role.meta.origin, format!("role `{}`", role.id()));
        }
    }
}
