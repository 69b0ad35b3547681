use crate::facts::{execution_roles, identity_of_role, statement_label, statement_origin};
use crate::{Context, Findings, declare_rule};
use lambdasec_iam::{ActionCache, Escalation, Identity, analyze_cached};
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
        let cache = ActionCache::default();
        let exec: Vec<&str> = execution_roles(cx).iter().map(|r| r.id()).collect();
        for role in inv
            .roles
            .iter()
            .filter(|r| !exec.contains(&r.meta.id.as_str()))
        {
            let id = identity_of_role(role, inv);
            report(out, role, &id, &cache);
        }
        for user in &inv.users {
            let groups: Vec<&Group> = user.groups.iter().filter_map(|g| cx.index.get(g)).collect();
            let (shadow, id) = identity_of(cx, &user.meta, user.name.as_ref(), user, &groups);
            report(out, &shadow, &id, &cache);
        }
        for group in &inv.groups {
            let (shadow, id) = identity_of(cx, &group.meta, group.name.as_ref(), &Empty, &[group]);
            report(out, &shadow, &id, &cache);
        }
    }
}

/// The parts of a user the identity is built from (a group alone has none).
trait Own {
    fn parts(
        &self,
    ) -> (
        &[lambdasec_model::InlinePolicy],
        &[Value<Target>],
        Option<&Value<Target>>,
    );
}

impl Own for User {
    fn parts(
        &self,
    ) -> (
        &[lambdasec_model::InlinePolicy],
        &[Value<Target>],
        Option<&Value<Target>>,
    ) {
        (
            &self.inline_policies,
            &self.managed_policies,
            self.permissions_boundary.as_ref(),
        )
    }
}

struct Empty;

impl Own for Empty {
    fn parts(
        &self,
    ) -> (
        &[lambdasec_model::InlinePolicy],
        &[Value<Target>],
        Option<&Value<Target>>,
    ) {
        (&[], &[], None)
    }
}

/// The identity of a user (with its groups) or of a group: its policies gathered on a
/// role-shaped value (returned too, to blame attachments) so the IAM engine resolves AWS and
/// customer managed policies the same way, plus the standalone policies that name it.
fn identity_of(
    cx: &Context<'_>,
    meta: &Meta,
    name: Option<&Value<String>>,
    own: &dyn Own,
    groups: &[&Group],
) -> (Role, Identity) {
    let inv = cx.inventory;
    let (inline, managed, boundary) = own.parts();
    let mut shadow = Role::new(meta.clone());
    shadow.name = name.cloned();
    shadow.inline_policies = inline.to_vec();
    shadow.managed_policies = managed.to_vec();
    shadow.permissions_boundary = boundary.cloned();
    for g in groups {
        if !std::ptr::eq(&g.meta, meta) {
            shadow
                .inline_policies
                .extend(g.inline_policies.iter().cloned());
            shadow
                .managed_policies
                .extend(g.managed_policies.iter().cloned());
        }
    }
    let mut id = identity_of_role(&shadow, inv);
    for p in &inv.policies {
        let names_user = p.users.iter().any(|t| names(cx, t, meta));
        let names_group = p
            .groups
            .iter()
            .any(|t| groups.iter().any(|g| names(cx, t, &g.meta)));
        if names_user || names_group {
            let label = p
                .name
                .as_ref()
                .and_then(|n| n.as_str())
                .unwrap_or(&p.meta.id);
            id.add_document(Some(label), &p.document);
        }
    }
    (shadow, id)
}

/// Whether a reference names the resource `meta` (users and groups by id, name or ARN).
fn names(cx: &Context<'_>, t: &Value<Target>, meta: &Meta) -> bool {
    let user: Option<&User> = cx.index.get(t);
    let group: Option<&Group> = cx.index.get(t);
    user.map(|u| &u.meta)
        .or(group.map(|g| &g.meta))
        .is_some_and(|m| std::ptr::eq(m, meta))
}

fn report(out: &mut Findings, holder: &Role, id: &Identity, cache: &ActionCache) {
    let meta = &holder.meta;
    let caps = analyze_cached(id, cache);
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
