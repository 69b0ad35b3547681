//! `aws_iam_*` resources: identities, policies and the attachments between them.

use super::lambda::not_found;
use super::{Res, find_mut};
use crate::terraform::body::{Blk, Cx};
use lambdasec_model::{
    Group, InlinePolicy, Inventory, Node, NodeKind, Policy, PolicyKind, ResourceKind, Role, User,
    Value,
};

pub(super) fn primary(_cx: &Cx<'_>, r: &Res<'_>, inv: &mut Inventory) {
    let o = &r.obj;
    match r.rtype.as_str() {
        "aws_iam_role" => {
            let mut role = Role::new(r.meta(ResourceKind::Role));
            role.name = o.string("name");
            role.path = o.string("path");
            role.assume_role_policy = o.document("assume_role_policy");
            role.inline_policies = inline_policies(r);
            role.managed_policies = o.targets("managed_policy_arns");
            role.permissions_boundary = o.target("permissions_boundary");
            role.tags = r.tags("tags");
            inv.roles.push(role);
        }
        "aws_iam_user" => inv.users.push(User {
            meta: r.meta(ResourceKind::User),
            name: o.string("name"),
            inline_policies: Vec::new(),
            managed_policies: Vec::new(),
            groups: Vec::new(),
            permissions_boundary: o.target("permissions_boundary"),
        }),
        "aws_iam_group" => inv.groups.push(Group {
            meta: r.meta(ResourceKind::Group),
            name: o.string("name"),
            inline_policies: Vec::new(),
            managed_policies: Vec::new(),
        }),
        "aws_iam_policy" => inv.policies.push(Policy {
            meta: r.meta(ResourceKind::Policy),
            kind: PolicyKind::Managed,
            name: o.string("name"),
            document: document(r, "policy"),
            roles: Vec::new(),
            users: Vec::new(),
            groups: Vec::new(),
        }),
        "aws_iam_role_policy" | "aws_iam_user_policy" | "aws_iam_group_policy" => {
            let (roles, users, groups) = match r.rtype.as_str() {
                "aws_iam_role_policy" => (o.target("role").into_iter().collect(), vec![], vec![]),
                "aws_iam_user_policy" => (vec![], o.target("user").into_iter().collect(), vec![]),
                _ => (vec![], vec![], o.target("group").into_iter().collect()),
            };
            inv.policies.push(Policy {
                meta: r.meta(ResourceKind::Policy),
                kind: PolicyKind::Inline,
                name: o.string("name"),
                document: document(r, "policy"),
                roles,
                users,
                groups,
            });
        }
        _ => {}
    }
}

/// A required policy argument; unresolved when missing.
fn document(r: &Res<'_>, key: &str) -> Node {
    r.obj.document(key).unwrap_or_else(|| {
        Node::new(
            NodeKind::Unresolved(format!("missing `{key}`")),
            r.obj.origin.clone(),
        )
    })
}

/// `inline_policy` blocks of a role (an empty block declares "no inline policies").
fn inline_policies(r: &Res<'_>) -> Vec<InlinePolicy> {
    r.obj
        .blocks("inline_policy")
        .into_iter()
        .filter_map(|b| match b {
            Blk::Known(p) => {
                let document = p.document("policy")?;
                Some(InlinePolicy {
                    name: p
                        .string("name")
                        .unwrap_or_else(|| Value::unresolved("generated", p.origin.clone())),
                    document,
                    origin: p.origin.clone(),
                    expanded_from: None,
                })
            }
            Blk::Unknown { expr, origin } => Some(InlinePolicy {
                name: Value::unresolved(expr.clone(), origin.clone()),
                document: Node::new(NodeKind::Unresolved(expr), origin.clone()),
                origin,
                expanded_from: None,
            }),
            Blk::Absent => None,
        })
        .collect()
}

pub(super) fn attach(cx: &Cx<'_>, r: &Res<'_>, inv: &mut Inventory) {
    let o = &r.obj;
    match r.rtype.as_str() {
        "aws_iam_role_policy_attachment" => {
            let (Some(role), Some(policy)) = (o.target("role"), o.target("policy_arn")) else {
                return;
            };
            match find_mut(&mut inv.roles, &role) {
                Some(role) => role.managed_policies.push(policy),
                None => not_found(cx, r, "role"),
            }
        }
        "aws_iam_user_policy_attachment" => {
            let (Some(user), Some(policy)) = (o.target("user"), o.target("policy_arn")) else {
                return;
            };
            match find_mut(&mut inv.users, &user) {
                Some(user) => user.managed_policies.push(policy),
                None => not_found(cx, r, "user"),
            }
        }
        "aws_iam_group_policy_attachment" => {
            let (Some(group), Some(policy)) = (o.target("group"), o.target("policy_arn")) else {
                return;
            };
            match find_mut(&mut inv.groups, &group) {
                Some(group) => group.managed_policies.push(policy),
                None => not_found(cx, r, "group"),
            }
        }
        "aws_iam_policy_attachment" => {
            let Some(policy) = o.target("policy_arn") else {
                return;
            };
            for role in o.targets("roles") {
                if let Some(x) = find_mut(&mut inv.roles, &role) {
                    x.managed_policies.push(policy.clone());
                }
            }
            for user in o.targets("users") {
                if let Some(x) = find_mut(&mut inv.users, &user) {
                    x.managed_policies.push(policy.clone());
                }
            }
            for group in o.targets("groups") {
                if let Some(x) = find_mut(&mut inv.groups, &group) {
                    x.managed_policies.push(policy.clone());
                }
            }
        }
        "aws_iam_user_group_membership" => {
            let Some(user) = o.target("user") else {
                return;
            };
            let groups = o.targets("groups");
            match find_mut(&mut inv.users, &user) {
                Some(u) => u.groups.extend(groups),
                None => not_found(cx, r, "user"),
            }
        }
        "aws_iam_group_membership" => {
            let Some(group) = o.target("group") else {
                return;
            };
            for user in o.targets("users") {
                if let Some(u) = find_mut(&mut inv.users, &user) {
                    u.groups.push(group.clone());
                }
            }
        }
        "aws_iam_role_policies_exclusive" | "aws_iam_role_policy_attachments_exclusive" => {
            // They only assert which policies exist; the policies are declared on their own.
        }
        _ => {}
    }
}
