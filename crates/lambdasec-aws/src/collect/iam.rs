//! IAM, once per account: every role, user, group and customer-managed policy in one paginated
//! `GetAccountAuthorizationDetails`, plus the AWS-managed policies attached to any of them.

use crate::actions::Action as A;
use crate::clients::GlobalClients;
use crate::scope::Scope;
use aws_sdk_iam::types as t;
use lambdasec_load::snapshot::format as f;
use serde_json::Value as Json;
use std::collections::BTreeSet;

pub async fn collect(scope: &Scope, c: &GlobalClients) -> f::IamSnapshot {
    let pages = scope
        .get(
            A::IamGetAccountAuthorizationDetails,
            None,
            c.iam
                .get_account_authorization_details()
                .filter(t::EntityType::Role)
                .filter(t::EntityType::User)
                .filter(t::EntityType::Group)
                .filter(t::EntityType::LocalManagedPolicy)
                .into_paginator()
                .send()
                .collect::<Result<Vec<_>, _>>(),
        )
        .await
        .unwrap_or_default();
    let mut iam = f::IamSnapshot::default();
    for page in &pages {
        iam.roles.extend(page.role_detail_list().iter().map(role));
        iam.users.extend(page.user_detail_list().iter().map(user));
        iam.groups
            .extend(page.group_detail_list().iter().map(group));
        iam.policies.extend(page.policies().iter().map(policy));
    }

    let known: BTreeSet<&str> = iam.policies.iter().map(|p| p.arn.as_str()).collect();
    let attached: BTreeSet<String> = iam
        .roles
        .iter()
        .flat_map(|r| &r.attached_managed_policies)
        .chain(iam.users.iter().flat_map(|u| &u.attached_managed_policies))
        .chain(iam.groups.iter().flat_map(|g| &g.attached_managed_policies))
        .map(|p| p.policy_arn.clone())
        .chain(
            iam.roles
                .iter()
                .filter_map(|r| r.permissions_boundary.as_ref())
                .map(|b| b.permissions_boundary_arn.clone()),
        )
        .filter(|arn| !known.contains(arn.as_str()))
        .collect();
    let mut tasks = tokio::task::JoinSet::new();
    for arn in attached {
        let (scope, c) = (scope.clone(), c.clone());
        tasks.spawn(async move { aws_managed(&scope, &c, &arn).await });
    }
    let mut extra = Vec::new();
    while let Some(r) = tasks.join_next().await {
        if let Ok(Some(p)) = r {
            extra.push(p);
        }
    }
    extra.sort_by(|a, b| a.arn.cmp(&b.arn));
    iam.policies.extend(extra);
    iam
}

/// An attached policy that `GetAccountAuthorizationDetails` did not return (AWS-managed).
async fn aws_managed(
    scope: &Scope,
    c: &GlobalClients,
    arn: &str,
) -> Option<f::ManagedPolicyDetail> {
    let p = scope
        .get(
            A::IamGetPolicy,
            Some(arn),
            c.iam.get_policy().policy_arn(arn).send(),
        )
        .await?;
    let p = p.policy()?;
    let version_id = p.default_version_id()?.to_owned();
    let v = scope
        .get(
            A::IamGetPolicyVersion,
            Some(arn),
            c.iam
                .get_policy_version()
                .policy_arn(arn)
                .version_id(&version_id)
                .send(),
        )
        .await?;
    let document = v
        .policy_version()
        .and_then(|v| v.document())
        .map(decode_document)?;
    Some(f::ManagedPolicyDetail {
        policy_name: p.policy_name().unwrap_or_default().to_owned(),
        arn: arn.to_owned(),
        path: p.path().map(str::to_owned),
        default_version_id: Some(version_id.clone()),
        attachment_count: p.attachment_count().map(i64::from),
        policy_version_list: vec![f::PolicyVersion {
            document,
            version_id: Some(version_id),
            is_default_version: true,
        }],
    })
}

/// IAM returns documents as URL-encoded JSON; anything that does not decode is kept as given.
pub fn decode_document(s: &str) -> Json {
    let decoded = percent_encoding::percent_decode_str(s).decode_utf8_lossy();
    serde_json::from_str(&decoded)
        .or_else(|_| serde_json::from_str(s))
        .unwrap_or_else(|_| Json::String(s.to_owned()))
}

fn inline(list: &[t::PolicyDetail]) -> Vec<f::PolicyDetail> {
    list.iter()
        .map(|p| f::PolicyDetail {
            policy_name: p.policy_name().unwrap_or_default().to_owned(),
            policy_document: p
                .policy_document()
                .map(decode_document)
                .unwrap_or(Json::Null),
        })
        .collect()
}

fn attached(list: &[t::AttachedPolicy]) -> Vec<f::AttachedPolicy> {
    list.iter()
        .map(|p| f::AttachedPolicy {
            policy_name: p.policy_name().map(str::to_owned),
            policy_arn: p.policy_arn().unwrap_or_default().to_owned(),
        })
        .collect()
}

fn boundary(b: Option<&t::AttachedPermissionsBoundary>) -> Option<f::PermissionsBoundary> {
    b.and_then(|b| {
        Some(f::PermissionsBoundary {
            permissions_boundary_type: b.permissions_boundary_type().map(|t| t.as_str().to_owned()),
            permissions_boundary_arn: b.permissions_boundary_arn()?.to_owned(),
        })
    })
}

fn role(r: &t::RoleDetail) -> f::RoleDetail {
    f::RoleDetail {
        path: r.path().map(str::to_owned),
        role_name: r.role_name().unwrap_or_default().to_owned(),
        role_id: r.role_id().map(str::to_owned),
        arn: r.arn().unwrap_or_default().to_owned(),
        assume_role_policy_document: r.assume_role_policy_document().map(decode_document),
        role_policy_list: inline(r.role_policy_list()),
        attached_managed_policies: attached(r.attached_managed_policies()),
        permissions_boundary: boundary(r.permissions_boundary()),
        tags: r
            .tags()
            .iter()
            .map(|t| f::Tag {
                key: t.key().to_owned(),
                value: t.value().to_owned(),
            })
            .collect(),
    }
}

fn user(u: &t::UserDetail) -> f::UserDetail {
    f::UserDetail {
        path: u.path().map(str::to_owned),
        user_name: u.user_name().unwrap_or_default().to_owned(),
        user_id: u.user_id().map(str::to_owned),
        arn: u.arn().unwrap_or_default().to_owned(),
        user_policy_list: inline(u.user_policy_list()),
        group_list: u.group_list().to_vec(),
        attached_managed_policies: attached(u.attached_managed_policies()),
        permissions_boundary: boundary(u.permissions_boundary()),
    }
}

fn group(g: &t::GroupDetail) -> f::GroupDetail {
    f::GroupDetail {
        path: g.path().map(str::to_owned),
        group_name: g.group_name().unwrap_or_default().to_owned(),
        group_id: g.group_id().map(str::to_owned),
        arn: g.arn().unwrap_or_default().to_owned(),
        group_policy_list: inline(g.group_policy_list()),
        attached_managed_policies: attached(g.attached_managed_policies()),
    }
}

/// A customer-managed policy, keeping only its default version.
fn policy(p: &t::ManagedPolicyDetail) -> f::ManagedPolicyDetail {
    f::ManagedPolicyDetail {
        policy_name: p.policy_name().unwrap_or_default().to_owned(),
        arn: p.arn().unwrap_or_default().to_owned(),
        path: p.path().map(str::to_owned),
        default_version_id: p.default_version_id().map(str::to_owned),
        attachment_count: p.attachment_count().map(i64::from),
        policy_version_list: p
            .policy_version_list()
            .iter()
            .filter(|v| v.is_default_version())
            .map(|v| f::PolicyVersion {
                document: v.document().map(decode_document).unwrap_or(Json::Null),
                version_id: v.version_id().map(str::to_owned),
                is_default_version: true,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_url_encoded_documents() {
        let enc = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D";
        let d = decode_document(enc);
        assert_eq!(d["Version"], "2012-10-17");
        // already plain JSON (some emulators), and a `+` that must stay a plus
        let d = decode_document(r#"{"Condition":{"StringLike":{"k":"a+b"}}}"#);
        assert_eq!(d["Condition"]["StringLike"]["k"], "a+b");
        assert_eq!(decode_document("%%bad"), Json::String("%%bad".into()));
    }
}
