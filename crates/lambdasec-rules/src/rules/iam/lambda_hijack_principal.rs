use crate::facts::{execution_roles, identity_of_role, statement_label, statement_origin};
use crate::{Context, Findings, declare_rule};
use lambdasec_iam::{Escalation, Identity, analyze};
use lambdasec_model::{Group, Meta, Role, Target, User, Value};

declare_rule! {
    /// ## What it does
    /// Flags identities that are not execution roles — CI/CD roles, users, groups — that can
    /// take over Lambda functions: `iam:PassRole` with `lambda:CreateFunction` and a way to run
    /// the new function (`lambda:InvokeFunction`, `lambda:CreateEventSourceMapping` or
    /// `lambda:AddPermission`), or `lambda:UpdateFunctionCode` /
    /// `lambda:UpdateFunctionConfiguration`, every action granted on every resource without a
    /// condition. Users are judged with the policies of their groups. Only identities declared
    /// in the same template or project (or snapshot) can be judged.
    ///
    /// ## Why is this bad
    /// Such an identity can run code as any role it can pass — including more privileged
    /// execution roles — or replace the code of any existing function and inherit its role,
    /// data and triggers. A leaked CI credential becomes a way into every function of the
    /// account.
    ///
    /// ## Example
    /// ```yaml
    /// Deployer:
    ///   Type: AWS::IAM::User
    ///   Properties:
    ///     Policies:
    ///       - PolicyName: deploy
    ///         PolicyDocument:
    ///           Statement:
    ///             - Effect: Allow
    ///               Action: [iam:PassRole, lambda:CreateFunction, lambda:InvokeFunction]
    ///               Resource: "*"
    /// ```
    ///
    /// ## Remediation
    /// Scope `iam:PassRole` to the execution roles the pipeline deploys (with an
    /// `iam:PassedToService: lambda.amazonaws.com` condition) and Lambda management actions to
    /// the pipeline's functions (`arn:aws:lambda:*:*:function:app-*`).
    /// - CloudFormation: the identity's `Policies` / `AWS::IAM::Policy`.
    /// - Terraform: `aws_iam_policy_document` of the identity.
    /// - Live: the identity's policies in IAM.
    ///
    /// ## References
    /// - https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/
    /// - https://docs.aws.amazon.com/lambda/latest/dg/security-iam.html
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
    pub struct LambdaHijackPrincipal {
        code: "IAM007",
        name: "lambda-hijack-principal",
        title: "Identity can take over Lambda functions",
        severity: High,
        kinds: [Role, User, Group],
        inputs: [CloudFormation, Sam, Terraform, Live],
        fix: None,
    }
}

/// Escalation methods that take over functions (names from the IAM engine's catalogue).
const HIJACKS: &[&str] = &[
    "PassExistingRoleToNewLambdaThenInvoke",
    "PassExistingRoleToNewLambdaThenTriggerWithExistingDynamo",
    "PassExistingRoleToNewLambdaThenAddPermission",
    "EditExistingLambdaFunctionWithRole",
    "EditExistingLambdaFunctionConfiguration",
];

impl LambdaHijackPrincipal {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        let inv = cx.inventory;
        let exec: Vec<&str> = execution_roles(cx).iter().map(|r| r.id()).collect();
        for role in inv
            .roles
            .iter()
            .filter(|r| !exec.contains(&r.meta.id.as_str()))
        {
            report(out, role, &identity_of_role(role, inv));
        }
        for user in &inv.users {
            let groups: Vec<&Group> = user.groups.iter().filter_map(|g| cx.index.get(g)).collect();
            let mut shadow = Role::new(user.meta.clone());
            shadow.name.clone_from(&user.name);
            shadow.inline_policies.clone_from(&user.inline_policies);
            shadow.managed_policies.clone_from(&user.managed_policies);
            shadow
                .permissions_boundary
                .clone_from(&user.permissions_boundary);
            let id = identity_of(cx, &mut shadow, &groups);
            report(out, &shadow, &id);
        }
        for group in &inv.groups {
            let mut shadow = Role::new(group.meta.clone());
            shadow.name.clone_from(&group.name);
            let id = identity_of(cx, &mut shadow, &[group]);
            report(out, &shadow, &id);
        }
    }
}

/// The identity of a user (with its groups) or of a group: its policies gathered on a
/// role-shaped value (kept to blame attachments), so the IAM engine resolves AWS and customer
/// managed policies the same way, plus the standalone policies that name it or its groups.
fn identity_of(cx: &Context<'_>, shadow: &mut Role, groups: &[&Group]) -> Identity {
    let inv = cx.inventory;
    for g in groups {
        shadow
            .inline_policies
            .extend(g.inline_policies.iter().cloned());
        shadow
            .managed_policies
            .extend(g.managed_policies.iter().cloned());
    }
    let mut id = identity_of_role(shadow, inv);
    for p in &inv.policies {
        let names_holder = p.users.iter().any(|t| names(cx, t, &shadow.meta));
        let names_group = p
            .groups
            .iter()
            .any(|t| groups.iter().any(|g| names(cx, t, &g.meta)));
        if names_holder || names_group {
            let label = p
                .name
                .as_ref()
                .and_then(|n| n.as_str())
                .unwrap_or(&p.meta.id);
            id.add_document(Some(label), &p.document);
        }
    }
    id
}

/// Whether a reference names the user or group `meta` (by id, name or ARN).
fn names(cx: &Context<'_>, t: &Value<Target>, meta: &Meta) -> bool {
    let user: Option<&User> = cx.index.get(t);
    let group: Option<&Group> = cx.index.get(t);
    user.map(|u| &u.meta)
        .or(group.map(|g| &g.meta))
        .is_some_and(|m| m.kind == meta.kind && m.id == meta.id)
}

/// Report the takeover paths of one identity. (Each identity is analysed on its own: a shared
/// action cache is only valid while every identity it saw is alive.)
fn report(out: &mut Findings, holder: &Role, id: &Identity) {
    let meta = &holder.meta;
    let caps = analyze(id);
    let paths: Vec<&Escalation> = caps
        .escalations
        .iter()
        .filter(|e| e.unrestricted && HIJACKS.contains(&e.method))
        .collect();
    let Some(first) = paths.first() else {
        return;
    };
    let Some(st) = first.statements.first() else {
        return;
    };
    let others: Vec<&str> = paths.iter().skip(1).map(|e| e.method).collect();
    let also = if others.is_empty() {
        String::new()
    } else {
        format!("; other ways: {}", super::name_list(&others))
    };
    let finding = out.add(
        meta,
        &statement_origin(holder, st),
        format!(
            "{} `{}` can take over Lambda functions: `{}` ({} on `*`, {}) — {}{also}",
            meta.kind,
            meta.id,
            first.method,
            super::name_list(&first.actions),
            statement_label(st),
            first.description
        ),
    );
    for s in first.statements.iter().skip(1) {
        finding.with_related(
            &statement_origin(holder, s),
            format!("{} grants part of the path", statement_label(s)),
        );
    }
}
