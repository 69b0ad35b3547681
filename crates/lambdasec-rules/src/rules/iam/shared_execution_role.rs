use crate::{Context, Findings, declare_rule};
use lambdasec_model::{Function, Role};
use std::collections::BTreeMap;

declare_rule! {
    /// ## What it does
    /// Flags functions whose execution role is also the execution role of another function.
    ///
    /// ## Why is this bad
    /// A shared role must hold the union of the permissions every function using it needs, so
    /// each function gets more than it uses; a bug or injection in the least critical function
    /// then reaches the data of the most critical one. Per-function roles are the basis of least
    /// privilege and make CloudTrail attribution exact.
    ///
    /// ## Example
    /// ```yaml
    /// A:
    ///   Type: AWS::Lambda::Function
    ///   Properties: { Role: !GetAtt SharedRole.Arn }
    /// B:
    ///   Type: AWS::Lambda::Function
    ///   Properties: { Role: !GetAtt SharedRole.Arn }
    /// ```
    ///
    /// ## Remediation
    /// Give each function its own role with only the permissions it needs.
    /// - CloudFormation: one `AWS::IAM::Role` per function.
    /// - SAM: omit `Role` and use `Policies` (SAM creates one role per function).
    /// - Terraform: one `aws_iam_role` per `aws_lambda_function`.
    /// - serverless.yml: the `serverless-iam-roles-per-function` plugin, or `role:` per
    ///   function (by default the Framework shares one role across the service).
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
    /// - https://docs.aws.amazon.com/wellarchitected/latest/serverless-applications-lens/identity-and-access-management.html
    pub struct SharedExecutionRole {
        code: "IAM005",
        name: "shared-execution-role",
        title: "Execution role shared by several functions",
        severity: Medium,
        kinds: [Function],
        inputs: [CloudFormation, Sam, Terraform, Serverless, Live],
        fix: None,
    }
}

impl SharedExecutionRole {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        // Group by the role's identity: the declared role when it resolves, else the written
        // reference (an external ARN). Unresolved references are not grouped.
        let mut groups: BTreeMap<String, Vec<&Function>> = BTreeMap::new();
        for f in &cx.inventory.functions {
            let Some(role) = &f.role else { continue };
            let Some(target) = role.get() else { continue };
            let key = match cx.index.resolve::<Role>(target) {
                Some(r) => format!("local:{}", r.meta.id),
                None => format!("ref:{}", target.text()),
            };
            groups.entry(key).or_default().push(f);
        }
        for functions in groups.values().filter(|g| g.len() > 1) {
            for f in functions {
                let Some(role) = &f.role else { continue };
                let others: Vec<String> = functions
                    .iter()
                    .filter(|o| o.meta.id != f.meta.id)
                    .map(|o| format!("`{}`", o.meta.id))
                    .collect();
                let finding = out.add(
                    &f.meta,
                    &role.origin,
                    format!(
                        "execution role `{role}` of `{}` is shared with {}",
                        f.meta.id,
                        others.join(", ")
                    ),
                );
                for o in functions.iter().filter(|o| o.meta.id != f.meta.id) {
                    let at = o.role.as_ref().map_or(&o.meta.origin, |r| &r.origin);
                    finding.with_related(at, format!("`{}` uses the same role", o.meta.id));
                }
            }
        }
    }
}
