//! IAM shapes (`GetAccountAuthorizationDetails`) into roles, users, groups and managed policies.

use super::Ctx;
use super::format as f;
use super::node::to_node;
use lambdasec_model::{
    Group, InlinePolicy, Inventory, Meta, Node, NodeKind, Origin, Policy, PolicyKind, ResourceKind,
    Role, Tag, Target, User, Value,
};

pub(super) fn load(_ctx: &Ctx<'_>, iam: &f::IamSnapshot, inv: &mut Inventory) {
    for r in &iam.roles {
        inv.roles.push(role(r));
    }
    for u in &iam.users {
        inv.users.push(user(u));
    }
    for g in &iam.groups {
        inv.groups.push(group(g));
    }
    for p in &iam.policies {
        inv.policies.push(policy(p));
    }
}

fn inline(list: &[f::PolicyDetail], o: &Origin, field: &str) -> Vec<InlinePolicy> {
    list.iter()
        .enumerate()
        .map(|(i, p)| {
            let po = o.child(&format!("{field}[{i}]"));
            InlinePolicy {
                name: Value::explicit(p.policy_name.clone(), po.child("PolicyName")),
                document: to_node(&p.policy_document, &po.child("PolicyDocument")),
                origin: po,
                expanded_from: None,
            }
        })
        .collect()
}

fn attached(list: &[f::AttachedPolicy], o: &Origin) -> Vec<Value<Target>> {
    list.iter()
        .enumerate()
        .map(|(i, p)| {
            Value::explicit(
                Target::Arn(p.policy_arn.clone()),
                o.child(&format!("AttachedManagedPolicies[{i}].PolicyArn")),
            )
        })
        .collect()
}

fn boundary(b: &Option<f::PermissionsBoundary>, o: &Origin) -> Option<Value<Target>> {
    b.as_ref().map(|b| {
        Value::explicit(
            Target::Arn(b.permissions_boundary_arn.clone()),
            o.child("PermissionsBoundary.PermissionsBoundaryArn"),
        )
    })
}

fn role(r: &f::RoleDetail) -> Role {
    let o = Origin::live(&r.arn, "");
    let mut meta = Meta::new(&r.role_name, ResourceKind::Role, o.clone());
    meta.arn = Some(r.arn.clone());
    let mut role = Role::new(meta);
    role.name = Some(Value::explicit(r.role_name.clone(), o.child("RoleName")));
    role.path = r
        .path
        .as_ref()
        .map(|p| Value::explicit(p.clone(), o.child("Path")));
    role.assume_role_policy = r
        .assume_role_policy_document
        .as_ref()
        .map(|d| to_node(d, &o.child("AssumeRolePolicyDocument")));
    role.inline_policies = inline(&r.role_policy_list, &o, "RolePolicyList");
    role.managed_policies = attached(&r.attached_managed_policies, &o);
    role.permissions_boundary = boundary(&r.permissions_boundary, &o);
    let to = o.child("Tags");
    role.tags = Value::explicit(
        r.tags
            .iter()
            .enumerate()
            .map(|(i, t)| Tag {
                key: t.key.clone(),
                value: Value::explicit(t.value.clone(), to.child(&format!("[{i}].Value"))),
            })
            .collect(),
        to,
    );
    role
}

fn user(u: &f::UserDetail) -> User {
    let o = Origin::live(&u.arn, "");
    let mut meta = Meta::new(&u.user_name, ResourceKind::User, o.clone());
    meta.arn = Some(u.arn.clone());
    User {
        meta,
        name: Some(Value::explicit(u.user_name.clone(), o.child("UserName"))),
        inline_policies: inline(&u.user_policy_list, &o, "UserPolicyList"),
        managed_policies: attached(&u.attached_managed_policies, &o),
        groups: u
            .group_list
            .iter()
            .enumerate()
            .map(|(i, g)| {
                Value::explicit(Target::Name(g.clone()), o.child(&format!("GroupList[{i}]")))
            })
            .collect(),
        permissions_boundary: boundary(&u.permissions_boundary, &o),
    }
}

fn group(g: &f::GroupDetail) -> Group {
    let o = Origin::live(&g.arn, "");
    let mut meta = Meta::new(&g.group_name, ResourceKind::Group, o.clone());
    meta.arn = Some(g.arn.clone());
    Group {
        meta,
        name: Some(Value::explicit(g.group_name.clone(), o.child("GroupName"))),
        inline_policies: inline(&g.group_policy_list, &o, "GroupPolicyList"),
        managed_policies: attached(&g.attached_managed_policies, &o),
    }
}

fn policy(p: &f::ManagedPolicyDetail) -> Policy {
    let o = Origin::live(&p.arn, "");
    let mut meta = Meta::new(&p.policy_name, ResourceKind::Policy, o.clone());
    meta.arn = Some(p.arn.clone());
    let index = p
        .policy_version_list
        .iter()
        .position(|v| v.is_default_version)
        .unwrap_or(0);
    let document = match p.default_document() {
        Some(doc) => to_node(
            doc,
            &o.child(&format!("PolicyVersionList[{index}].Document")),
        ),
        None => Node::new(
            NodeKind::Unresolved("the default version was not collected".into()),
            o.child("PolicyVersionList"),
        ),
    };
    Policy {
        meta,
        kind: PolicyKind::Managed,
        name: Some(Value::explicit(
            p.policy_name.clone(),
            o.child("PolicyName"),
        )),
        document,
        roles: Vec::new(),
        users: Vec::new(),
        groups: Vec::new(),
    }
}
