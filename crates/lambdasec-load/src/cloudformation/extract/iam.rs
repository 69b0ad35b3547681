//! `AWS::IAM::*`: roles, users, groups and policies. Documents are kept as nodes with spans.

use super::Decl;
use super::lambda::tags;
use crate::cloudformation::props::Props;
use crate::cloudformation::template::Template;
use lambdasec_model::{
    Group, InlinePolicy, Node, NodeKind, Policy, PolicyKind, ResourceKind, Role, User, Value,
};

/// `Policies: [{PolicyName, PolicyDocument}]`.
pub(crate) fn inline_policies(p: &Props<'_>) -> Vec<InlinePolicy> {
    p.blocks("Policies")
        .into_iter()
        .filter_map(|b| {
            let document = match b.document("PolicyDocument") {
                Some(d) => d,
                None if b.is_unresolved() => Node::new(
                    NodeKind::Unresolved(b.node.map(|n| p.t.expr_text(n)).unwrap_or_default()),
                    b.owner.clone(),
                ),
                None => {
                    p.t.diags
                        .warn("an inline policy needs a `PolicyDocument`", b.owner);
                    return None;
                }
            };
            Some(InlinePolicy {
                name: b
                    .string("PolicyName")
                    .unwrap_or_else(|| Value::unresolved("<unnamed>", b.owner.clone())),
                document,
                origin: b.owner.clone(),
                expanded_from: None,
            })
        })
        .collect()
}

pub(crate) fn role(t: &Template<'_>, d: &Decl<'_>) -> Role {
    let p = d.props(t);
    let mut r = Role::new(d.meta(t, ResourceKind::Role));
    r.name = p.string("RoleName");
    r.path = p.string("Path");
    r.assume_role_policy = p.document("AssumeRolePolicyDocument");
    r.inline_policies = inline_policies(&p);
    r.managed_policies = p.targets("ManagedPolicyArns");
    r.permissions_boundary = p.target("PermissionsBoundary");
    if let Some(tags) = tags(&p, "Tags") {
        r.tags = tags;
    }
    r
}

pub(crate) fn user(t: &Template<'_>, d: &Decl<'_>) -> User {
    let p = d.props(t);
    User {
        meta: d.meta(t, ResourceKind::User),
        name: p.string("UserName"),
        inline_policies: inline_policies(&p),
        managed_policies: p.targets("ManagedPolicyArns"),
        groups: p.targets("Groups"),
        permissions_boundary: p.target("PermissionsBoundary"),
    }
}

pub(crate) fn group(t: &Template<'_>, d: &Decl<'_>) -> Group {
    let p = d.props(t);
    Group {
        meta: d.meta(t, ResourceKind::Group),
        name: p.string("GroupName"),
        inline_policies: inline_policies(&p),
        managed_policies: p.targets("ManagedPolicyArns"),
    }
}

/// `AWS::IAM::Policy`, `ManagedPolicy`, `RolePolicy`, `UserPolicy`, `GroupPolicy`.
pub(crate) fn policy(t: &Template<'_>, d: &Decl<'_>) -> Policy {
    let p = d.props(t);
    let ty = d.type_name.as_str();
    let kind = if ty == "AWS::IAM::ManagedPolicy" {
        PolicyKind::Managed
    } else {
        PolicyKind::Inline
    };
    let name = if kind == PolicyKind::Managed {
        p.string("ManagedPolicyName")
    } else {
        p.string("PolicyName")
    };
    let one = |key: &str| p.target(key).into_iter().collect::<Vec<_>>();
    let (roles, users, groups) = match ty {
        "AWS::IAM::RolePolicy" => (one("RoleName"), Vec::new(), Vec::new()),
        "AWS::IAM::UserPolicy" => (Vec::new(), one("UserName"), Vec::new()),
        "AWS::IAM::GroupPolicy" => (Vec::new(), Vec::new(), one("GroupName")),
        _ => (p.targets("Roles"), p.targets("Users"), p.targets("Groups")),
    };
    let document = p.document("PolicyDocument").unwrap_or_else(|| {
        p.t.diags
            .warn("required property `PolicyDocument` is missing", &d.origin);
        Node::new(
            NodeKind::Unresolved("<missing PolicyDocument>".into()),
            d.origin.clone(),
        )
    });
    Policy {
        meta: d.meta(t, ResourceKind::Policy),
        kind,
        name,
        document,
        roles,
        users,
        groups,
    }
}
