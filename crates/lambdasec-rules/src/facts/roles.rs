//! Execution roles: the declared roles that functions use, with their effective permissions and
//! capabilities from the IAM engine. Roles referenced by an ARN outside the inventory cannot be
//! judged: they have no entry, and rules stay silent about them.

use crate::context::Context;
use lambdasec_iam::{
    ActionCache, Admin, AdminKind, Capabilities, Identity, Layer, ManagedPolicies, Policy,
    Statement, StatementRef, analyze_cached, managed_policies,
};
use lambdasec_model::{Function, Inventory, Origin, Role, State, Target};
use std::collections::HashMap;

/// A declared role used as the execution role of at least one function.
#[derive(Debug)]
pub struct ExecutionRole<'a> {
    pub role: &'a Role,
    /// Its policies: inline, standalone policies attached to it, local and AWS managed policies,
    /// and its permissions boundary.
    pub identity: Identity,
    pub caps: Capabilities,
    /// The functions that use it, in declaration order.
    pub functions: Vec<&'a Function>,
}

/// Execution roles by role id, and the declaration order.
#[derive(Debug, Default)]
pub(crate) struct Roles<'a> {
    by_id: HashMap<&'a str, usize>,
    list: Vec<ExecutionRole<'a>>,
}

impl<'a> Roles<'a> {
    pub(crate) fn build(cx: &Context<'a>) -> Roles<'a> {
        let inv: &'a Inventory = cx.inventory;
        let cache = ActionCache::default();
        let mut roles = Roles::default();
        for f in &inv.functions {
            let Some(role) = f.role.as_ref().and_then(|r| cx.index.role(r)) else {
                continue;
            };
            match roles.by_id.get(role.meta.id.as_str()) {
                Some(&i) => {
                    if let Some(r) = roles.list.get_mut(i) {
                        r.functions.push(f);
                    }
                }
                None => {
                    let identity = identity_of_role(role, inv);
                    let caps = analyze_cached(&identity, &cache);
                    roles.by_id.insert(role.meta.id.as_str(), roles.list.len());
                    roles.list.push(ExecutionRole {
                        role,
                        identity,
                        caps,
                        functions: vec![f],
                    });
                }
            }
        }
        roles
    }

    pub(crate) fn all(&self) -> &[ExecutionRole<'a>] {
        &self.list
    }

    pub(crate) fn get(&self, role_id: &str) -> Option<&ExecutionRole<'a>> {
        self.by_id.get(role_id).and_then(|&i| self.list.get(i))
    }
}

/// The identity of a declared role: [`Identity::from_role`], with the role's ARN when known so
/// requests are made by a session of it.
pub(crate) fn identity_of_role(role: &Role, inv: &Inventory) -> Identity {
    let mut id = Identity::from_role(role, inv);
    if id.arn.is_none()
        && let (Some(account), Some(name)) = (
            inv.account_id.as_deref(),
            role.name.as_ref().and_then(|n| n.as_str()),
        )
    {
        id.arn = Some(format!("arn:aws:iam::{account}:role/{name}"));
    }
    id
}

impl ExecutionRole<'_> {
    /// The role's id, for messages.
    pub fn id(&self) -> &str {
        &self.role.meta.id
    }

    /// Its administrator access when it is full (`*` on `*`, directly or through `NotAction`),
    /// which IAM001 reports and the narrower IAM rules leave to it.
    pub fn full_admin(&self) -> Option<&Admin> {
        self.caps
            .admin
            .as_ref()
            .filter(|a| a.kind == AdminKind::Full)
    }

    /// Where to blame a statement: the statement as written, or — for an AWS managed policy,
    /// whose statements live in embedded data — the attachment of the policy to the role.
    pub fn statement_origin(&self, st: &StatementRef) -> Origin {
        statement_origin(self.role, st)
    }

    /// Of `statements` (which together give a capability), the widest first and then those
    /// that add actions the ones before do not grant: the statements worth pointing at.
    pub fn covering(&self, statements: &[StatementRef]) -> Vec<StatementRef> {
        let width =
            |st: &StatementRef| -> usize { self.grants_of_ref(st).map(|g| g.actions.len()).sum() };
        let mut sorted: Vec<&StatementRef> = statements.iter().collect();
        sorted.sort_by_key(|st| std::cmp::Reverse(width(st)));
        let mut covered = lambdasec_iam::catalog().empty_set();
        let mut out = Vec::new();
        for st in sorted {
            let mut adds = false;
            for g in self.grants_of_ref(st) {
                if !covered.is_superset(&g.actions) {
                    adds = true;
                    covered.union_with(&g.actions);
                }
            }
            if adds || out.is_empty() {
                out.push(st.clone());
            }
        }
        out
    }

    fn grants_of_ref<'s>(
        &'s self,
        st: &'s StatementRef,
    ) -> impl Iterator<Item = &'s lambdasec_iam::Grant> + 's {
        self.caps
            .effective
            .grants
            .iter()
            .filter(move |g| g.statement == *st)
    }

    /// The policies written for the role (not AWS managed), with their statements.
    pub fn written_policies(&self) -> impl Iterator<Item = &Policy> {
        self.identity
            .policies
            .iter()
            .map(AsRef::as_ref)
            .filter(|p| !is_aws_managed(&p.origin))
    }

    /// The statements the user wrote, with their policy: not those of AWS managed policies, nor
    /// those a framework generated (SAM policy templates, the Serverless Framework's log
    /// statements), whose origins are implied. Those are judged by what they grant.
    pub fn written_statements(&self) -> impl Iterator<Item = (&Policy, &Statement)> {
        self.written_policies().flat_map(|p| {
            p.statements
                .iter()
                .filter(|st| !st.origin.is_implied())
                .map(move |st| (p, st))
        })
    }

    /// The effective grants of a statement of one of its policies (none when denies or the
    /// boundary remove everything it allows).
    pub fn grants_of<'s>(
        &'s self,
        st: &'s Statement,
    ) -> impl Iterator<Item = &'s lambdasec_iam::Grant> + 's {
        self.caps.effective.grants.iter().filter(move |g| {
            g.statement.layer == Layer::Identity
                && g.statement.index == st.index
                && g.statement.origin == st.origin
        })
    }
}

/// Where to blame a statement of `role`'s policies: the statement as written, or the
/// attachment of the AWS managed policy it comes from.
pub(crate) fn statement_origin(role: &Role, st: &StatementRef) -> Origin {
    attachment_origin(role, &st.origin).unwrap_or_else(|| st.origin.clone())
}

/// True for the origin of a document (or statement) read from the embedded AWS managed
/// policies.
pub(crate) fn is_aws_managed(origin: &Origin) -> bool {
    matches!(origin, Origin::Live { arn, .. } if ManagedPolicies::is_aws_managed_arn(arn))
}

/// The attachment of the AWS managed policy a statement comes from, when it does.
fn attachment_origin(role: &Role, origin: &Origin) -> Option<Origin> {
    let Origin::Live { arn, .. } = origin else {
        return None;
    };
    if !ManagedPolicies::is_aws_managed_arn(arn) {
        return None;
    }
    let managed = managed_policies();
    let want = managed.resolve(arn)?;
    role.managed_policies
        .iter()
        .chain(role.permissions_boundary.iter())
        .find(|t| match &t.state {
            State::Explicit(Target::Arn(a) | Target::Name(a))
            | State::Default(Target::Arn(a) | Target::Name(a)) => managed.resolve(a) == Some(want),
            _ => false,
        })
        .map(|t| t.origin.clone())
}

/// A short label of a statement: ``statement `Sid` of `policy` `` (``AWS managed policy
/// `Name` `` for statements of AWS managed policies).
pub fn statement_label(st: &StatementRef) -> String {
    if is_aws_managed(&st.origin)
        && let Some(p) = &st.policy
    {
        return format!("AWS managed policy `{p}`");
    }
    let which = match &st.sid {
        Some(sid) if !sid.is_empty() => format!("statement `{sid}`"),
        _ => format!("statement {}", st.index + 1),
    };
    match &st.policy {
        Some(p) => format!("{which} of `{p}`"),
        None => which,
    }
}

/// The execution role of a function, when it is declared in the inventory.
pub fn execution_role<'c, 'a>(cx: &'c Context<'a>, f: &Function) -> Option<&'c ExecutionRole<'a>> {
    let role = f.role.as_ref().and_then(|r| cx.index.role(r))?;
    cx.facts.roles(cx).get(&role.meta.id)
}

/// Every execution role of the inventory, in the order functions first use them.
pub fn execution_roles<'c, 'a>(cx: &'c Context<'a>) -> &'c [ExecutionRole<'a>] {
    cx.facts.roles(cx).all()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::RuleConfig;
    use lambdasec_model::{FileId, InlinePolicy, Meta, ResourceKind, Span, Value};

    fn origin(path: &str) -> Origin {
        Origin::source(FileId(0), Span::new(0, 1), path)
    }

    #[test]
    fn execution_roles_are_declared_roles_used_by_functions() {
        let mut inv = Inventory::default();
        let mut role = Role::new(Meta::new(
            "Exec",
            ResourceKind::Role,
            origin("Resources.Exec"),
        ));
        let admin = origin("Resources.Exec.Properties.ManagedPolicyArns[0]");
        role.managed_policies.push(Value::explicit(
            Target::Arn("arn:aws:iam::aws:policy/AdministratorAccess".into()),
            admin.clone(),
        ));
        role.inline_policies.push(InlinePolicy {
            name: Value::explicit("p".into(), origin("x")),
            document: lambdasec_iam::node_from_json(
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#,
                &origin("Resources.Exec.Properties.Policies[0]"),
            )
            .unwrap(),
            origin: origin("x"),
            expanded_from: None,
        });
        inv.roles.push(role);
        inv.roles.push(Role::new(Meta::new(
            "Unused",
            ResourceKind::Role,
            origin("u"),
        )));
        for (id, target) in [
            ("A", Target::Local("Exec".into())),
            ("B", Target::Local("Exec".into())),
            (
                "C",
                Target::Arn("arn:aws:iam::111122223333:role/external".into()),
            ),
        ] {
            let mut f =
                lambdasec_model::Function::new(Meta::new(id, ResourceKind::Function, origin(id)));
            f.role = Some(Value::explicit(target, origin(id)));
            inv.functions.push(f);
        }
        let config = RuleConfig::default();
        let cx = Context::new(&inv, &config);
        let roles = execution_roles(&cx);
        assert_eq!(roles.len(), 1);
        let r = &roles[0];
        assert_eq!(r.functions.len(), 2);
        assert!(execution_role(&cx, &inv.functions[2]).is_none());
        let admin_sts = r.covering(&r.caps.admin.as_ref().unwrap().statements);
        assert_eq!(admin_sts.len(), 1, "the inline read adds nothing to `*`");
        assert_eq!(r.statement_origin(&admin_sts[0]), admin);
        let written: Vec<_> = r.written_policies().collect();
        assert_eq!(written.len(), 1);
        assert_eq!(r.grants_of(&written[0].statements[0]).count(), 1);
    }
}
