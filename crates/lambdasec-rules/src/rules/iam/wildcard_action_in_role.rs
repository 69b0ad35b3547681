use crate::Severity;
use crate::facts::execution_role;
use crate::{Context, Findings, declare_rule};
use lambdasec_iam::{Effect, Item, is_broad_pattern};

declare_rule! {
    /// ## What it does
    /// Flags Allow statements of a function's execution role whose `Action` is `*` (every
    /// action of every service) or `service:*` (every action of a service, present and
    /// future), in the statements written for the role: inline policies, standalone policies
    /// attached to it, customer managed policies. Statements that explicit denies or the
    /// permissions boundary empty entirely are not reported. AWS managed policies and the
    /// statements frameworks generate (SAM policy templates) are judged by what they grant
    /// (IAM001, IAM003, IAM004, IAM008), not here.
    ///
    /// A wildcard limited to named resources (`dynamodb:*` on one table) is reported at medium
    /// severity; on every resource at high.
    ///
    /// ## Why is this bad
    /// A wildcard grants far more than the function calls — `s3:*` includes deleting buckets and
    /// rewriting bucket policies, `dynamodb:*` dropping tables — and silently grows as AWS adds
    /// actions. An attacker who runs code in the function gets every one of them.
    ///
    /// ## Example
    /// ```yaml
    /// Policies:
    ///   - PolicyName: data
    ///     PolicyDocument:
    ///       Statement:
    ///         - Effect: Allow
    ///           Action: dynamodb:*
    ///           Resource: !GetAtt Table.Arn
    /// ```
    ///
    /// ## Remediation
    /// List the actions the function calls (`dynamodb:GetItem`, `dynamodb:PutItem`, ...).
    /// - CloudFormation: the role's `Policies` / `AWS::IAM::Policy` / `AWS::IAM::ManagedPolicy`.
    /// - SAM: prefer policy templates (`DynamoDBCrudPolicy`) to hand-written statements.
    /// - Terraform: the `actions` of `aws_iam_policy_document`, or the `policy` JSON.
    /// - serverless.yml: `provider.iam.role.statements[].Action`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
    pub struct WildcardActionInRole {
        code: "IAM002",
        name: "wildcard-action-in-role",
        title: "Wildcard action in an execution role",
        severity: High,
        kinds: [Function],
        inputs: [CloudFormation, Sam, Terraform, Serverless, Live],
        fix: None,
    }
}

impl WildcardActionInRole {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        for f in &cx.inventory.functions {
            let Some(role) = execution_role(cx, f) else {
                continue;
            };
            for (policy, st) in role.written_statements() {
                if st.effect != Effect::Allow || st.action.negated {
                    continue;
                }
                let Some(wild) = st
                    .action
                    .items
                    .iter()
                    .find(|a| a.lower == "*" || a.lower == "*:*" || a.lower.ends_with(":*"))
                else {
                    continue;
                };
                if role.grants_of(st).all(|g| g.actions.is_empty()) {
                    continue;
                }
                let text = wild.item.display();
                let scope = match wild.service().filter(|s| *s != "*") {
                    Some(svc) => format!("every `{svc}` action"),
                    None => "every action of every service".to_owned(),
                };
                let resources = st.resource.as_ref().map_or_else(
                    || "`*`".to_owned(),
                    |r| {
                        let names: Vec<&str> = r.items.iter().map(|i| i.display()).collect();
                        let list = super::name_list(&names);
                        if r.negated {
                            format!("everything but {list}")
                        } else {
                            list
                        }
                    },
                );
                // Named resources (known or written as references) limit the damage.
                let named = st.resource.as_ref().is_some_and(|r| {
                    !r.negated
                        && r.items.iter().all(|i| match i {
                            Item::Text { text, .. } => !is_broad_pattern(text),
                            Item::Unknown { .. } => true,
                        })
                });
                let severity = if named {
                    out.severity().min(Severity::Medium)
                } else {
                    out.severity()
                };
                let label = policy.name.as_deref().unwrap_or("a policy");
                let finding = out.add(
                        &f.meta,
                        wild.item.origin(),
                        format!(
                            "execution role `{}` of `{}` allows `{text}` ({scope}) on {resources} in `{label}`",
                            role.id(),
                            f.meta.id
                        ),
                    );
                finding.with_severity(severity);
                if let Some(r) = &f.role {
                    finding.with_related(
                        &r.origin,
                        format!("`{}` uses role `{}`", f.meta.id, role.id()),
                    );
                }
            }
        }
    }
}
