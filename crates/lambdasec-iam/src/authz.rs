//! The output of `aws iam get-account-authorization-details` as an inventory of users, groups,
//! roles and policies, turned into one [`Identity`] per principal and analysed in parallel.
//!
//! API: <https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html>.
//! Policy documents may be objects (as the CLI prints them) or URL-encoded JSON strings (as the
//! API returns them). Customer managed policies use their default version; AWS managed policies
//! missing from the file come from the embedded data.

use crate::capability::{ActionFinding, Admin, Escalation, analyze_cached};
use crate::effective::ActionCache;
use crate::error::{JsonError, ParseError};
use crate::identity::{Identity, UnknownPolicy, UnknownWhy};
use crate::json::node_from_value;
use crate::managed::{ManagedLookup, managed_policy};
use crate::parse::parse_policy;
use crate::policy::Policy;
use lambdasec_model::{Node, Origin};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct Raw {
    user_detail_list: Vec<RawUser>,
    group_detail_list: Vec<RawGroup>,
    role_detail_list: Vec<RawRole>,
    policies: Vec<RawPolicy>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct RawUser {
    user_name: String,
    arn: String,
    group_list: Vec<String>,
    attached_managed_policies: Vec<RawAttached>,
    user_policy_list: Vec<RawInline>,
    permissions_boundary: Option<RawBoundary>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct RawGroup {
    group_name: String,
    arn: String,
    attached_managed_policies: Vec<RawAttached>,
    group_policy_list: Vec<RawInline>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct RawRole {
    role_name: String,
    arn: String,
    assume_role_policy_document: Option<serde_json::Value>,
    attached_managed_policies: Vec<RawAttached>,
    role_policy_list: Vec<RawInline>,
    permissions_boundary: Option<RawBoundary>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct RawAttached {
    policy_name: String,
    policy_arn: String,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct RawInline {
    policy_name: String,
    policy_document: serde_json::Value,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct RawBoundary {
    permissions_boundary_arn: String,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct RawPolicy {
    policy_name: String,
    arn: String,
    default_version_id: String,
    policy_version_list: Vec<RawVersion>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct RawVersion {
    document: serde_json::Value,
    version_id: String,
    is_default_version: bool,
}

/// The kind of an IAM principal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PrincipalType {
    User,
    Group,
    Role,
}

/// A principal of the account with its policies.
#[derive(Debug, Clone)]
pub struct AccountPrincipal {
    pub kind: PrincipalType,
    pub identity: Identity,
    /// Roles: the trust policy.
    pub trust: Option<Policy>,
}

/// An account's authorization details.
#[derive(Debug, Clone, Default)]
pub struct AuthorizationDetails {
    pub principals: Vec<AccountPrincipal>,
    /// Customer (and listed AWS) managed policies by ARN, default version.
    pub policies: HashMap<String, Arc<Policy>>,
}

/// The capability report of one principal (`lambdasec policy analyze`).
#[derive(Debug, Clone, Serialize)]
pub struct PrincipalReport {
    pub kind: PrincipalType,
    pub name: String,
    pub arn: Option<String>,
    pub admin: Option<Admin>,
    pub privilege_escalation: Vec<Escalation>,
    pub data_exfiltration: Option<ActionFinding>,
    pub credentials_exposure: Option<ActionFinding>,
    pub resource_exposure: Option<ActionFinding>,
    pub infrastructure_modification: Option<ActionFinding>,
    /// Attached policies whose permissions are unknown.
    pub unknown_policies: Vec<String>,
    /// Documents that did not parse, with their locations.
    pub errors: Vec<String>,
}

/// Read `get-account-authorization-details` JSON. Documents that do not parse are kept as
/// errors of the principal that holds them.
pub fn read_authorization_details(text: &str) -> Result<AuthorizationDetails, JsonError> {
    let raw: Raw = serde_json::from_str(text)?;
    let mut policies = HashMap::new();
    let mut policy_errors: HashMap<String, ParseError> = HashMap::new();
    for p in &raw.policies {
        let default = p
            .policy_version_list
            .iter()
            .find(|v| v.is_default_version || v.version_id == p.default_version_id);
        let Some(v) = default else { continue };
        let origin = Origin::live(
            &p.arn,
            format!("PolicyVersionList[{}].Document", v.version_id),
        );
        match document(&v.document, &origin).map(|n| parse_policy(&n)) {
            Some(Ok(parsed)) => {
                policies.insert(p.arn.clone(), Arc::new(parsed.with_name(&p.policy_name)));
            }
            Some(Err(e)) => {
                policy_errors.insert(p.arn.clone(), e);
            }
            None => {}
        }
    }
    let ctx = Ctx {
        policies: &policies,
        errors: &policy_errors,
    };
    let groups: HashMap<&str, &RawGroup> = raw
        .group_detail_list
        .iter()
        .map(|g| (g.group_name.as_str(), g))
        .collect();
    let mut principals = Vec::new();
    for u in &raw.user_detail_list {
        let mut id = Identity::new(&u.user_name).with_arn(&u.arn);
        ctx.inline(&mut id, &u.arn, "UserPolicyList", &u.user_policy_list);
        ctx.attached(&mut id, &u.arn, &u.attached_managed_policies);
        for g in &u.group_list {
            if let Some(g) = groups.get(g.as_str()) {
                ctx.inline(&mut id, &g.arn, "GroupPolicyList", &g.group_policy_list);
                ctx.attached(&mut id, &g.arn, &g.attached_managed_policies);
            }
        }
        if let Some(b) = &u.permissions_boundary {
            ctx.boundary(&mut id, &u.arn, &b.permissions_boundary_arn);
        }
        principals.push(AccountPrincipal {
            kind: PrincipalType::User,
            identity: id,
            trust: None,
        });
    }
    for g in &raw.group_detail_list {
        let mut id = Identity::new(&g.group_name).with_arn(&g.arn);
        ctx.inline(&mut id, &g.arn, "GroupPolicyList", &g.group_policy_list);
        ctx.attached(&mut id, &g.arn, &g.attached_managed_policies);
        principals.push(AccountPrincipal {
            kind: PrincipalType::Group,
            identity: id,
            trust: None,
        });
    }
    for r in &raw.role_detail_list {
        let mut id = Identity::new(&r.role_name).with_arn(&r.arn);
        ctx.inline(&mut id, &r.arn, "RolePolicyList", &r.role_policy_list);
        ctx.attached(&mut id, &r.arn, &r.attached_managed_policies);
        if let Some(b) = &r.permissions_boundary {
            ctx.boundary(&mut id, &r.arn, &b.permissions_boundary_arn);
        }
        let trust = r.assume_role_policy_document.as_ref().and_then(|d| {
            let origin = Origin::live(&r.arn, "AssumeRolePolicyDocument");
            match document(d, &origin).map(|n| parse_policy(&n)) {
                Some(Ok(p)) => Some(p),
                Some(Err(e)) => {
                    id.errors.push(e);
                    None
                }
                None => None,
            }
        });
        principals.push(AccountPrincipal {
            kind: PrincipalType::Role,
            identity: id,
            trust,
        });
    }
    Ok(AuthorizationDetails {
        principals,
        policies,
    })
}

struct Ctx<'a> {
    policies: &'a HashMap<String, Arc<Policy>>,
    errors: &'a HashMap<String, ParseError>,
}

impl Ctx<'_> {
    fn inline(&self, id: &mut Identity, owner: &str, field: &str, list: &[RawInline]) {
        for (i, p) in list.iter().enumerate() {
            let origin = Origin::live(owner, format!("{field}[{i}].PolicyDocument"));
            if let Some(node) = document(&p.policy_document, &origin) {
                id.add_document(Some(&p.policy_name), &node);
            }
        }
    }

    fn attached(&self, id: &mut Identity, owner: &str, list: &[RawAttached]) {
        for a in list {
            let origin = Origin::live(owner, "AttachedManagedPolicies");
            match self.lookup(&a.policy_arn, &a.policy_name, &origin) {
                Ok(p) => id.policies.push(p),
                Err(Some(e)) => id.errors.push(e),
                Err(None) => id.unknown.push(unknown(&a.policy_arn, &origin)),
            }
        }
    }

    fn boundary(&self, id: &mut Identity, owner: &str, arn: &str) {
        let origin = Origin::live(owner, "PermissionsBoundary");
        match self.lookup(arn, "", &origin) {
            Ok(p) => id.boundary = Some(p),
            Err(Some(e)) => id.errors.push(e),
            Err(None) => id.unknown.push(unknown(arn, &origin)),
        }
    }

    fn lookup(
        &self,
        arn: &str,
        _name: &str,
        _origin: &Origin,
    ) -> Result<Arc<Policy>, Option<ParseError>> {
        if let Some(p) = self.policies.get(arn) {
            return Ok(Arc::clone(p));
        }
        if let Some(e) = self.errors.get(arn) {
            return Err(Some(e.clone()));
        }
        match managed_policy(arn) {
            ManagedLookup::Found(p) => Ok(p),
            _ => Err(None),
        }
    }
}

fn unknown(arn: &str, origin: &Origin) -> UnknownPolicy {
    UnknownPolicy {
        reference: arn.to_owned(),
        why: if crate::managed::ManagedPolicies::is_aws_managed_arn(arn) {
            UnknownWhy::MissingManaged
        } else {
            UnknownWhy::NotFound
        },
        origin: origin.clone(),
    }
}

/// A document as an object, or as URL-encoded JSON text.
fn document(v: &serde_json::Value, origin: &Origin) -> Option<Node> {
    match v {
        serde_json::Value::Object(_) => Some(node_from_value(v, origin)),
        serde_json::Value::String(s) => {
            let decoded = percent_decode(s);
            let value: serde_json::Value = serde_json::from_str(&decoded).ok()?;
            Some(node_from_value(&value, origin))
        }
        _ => None,
    }
}

/// Decode `%XX` escapes (IAM returns policy documents URL-encoded).
fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_owned();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        let hex = |j: usize| b.get(j).and_then(|h| (*h as char).to_digit(16));
        match (c, hex(i + 1), hex(i + 2)) {
            (b'%', Some(h), Some(l)) => {
                out.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
                i += 3;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl AuthorizationDetails {
    /// Analyse every principal, in parallel.
    pub fn analyze(&self) -> Vec<PrincipalReport> {
        let cache = ActionCache::default();
        self.principals
            .par_iter()
            .map(|p| report(p, &cache))
            .collect()
    }
}

/// The capability report of one principal.
pub fn report(p: &AccountPrincipal, cache: &ActionCache) -> PrincipalReport {
    let caps = analyze_cached(&p.identity, cache);
    PrincipalReport {
        kind: p.kind,
        name: p.identity.name.clone(),
        arn: p.identity.arn.clone(),
        admin: caps.admin,
        privilege_escalation: caps.escalations,
        data_exfiltration: caps.data_exfiltration,
        credentials_exposure: caps.credentials_exposure,
        resource_exposure: caps.resource_exposure,
        infrastructure_modification: caps.infrastructure_modification,
        unknown_policies: caps
            .unknown_policies
            .into_iter()
            .map(|u| u.reference)
            .collect(),
        errors: p
            .identity
            .errors
            .iter()
            .map(|e| format!("{}: {e}", e.origin.path().unwrap_or("?")))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_url_encoded_documents() {
        assert_eq!(percent_decode("%7B%22a%22%3A1%7D"), "{\"a\":1}");
        assert_eq!(percent_decode("100%"), "100%");
        let text = r#"{
          "UserDetailList": [{"UserName":"dev","Arn":"arn:aws:iam::111122223333:user/dev","GroupList":["admins"],
             "UserPolicyList":[{"PolicyName":"keys","PolicyDocument":"%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22iam%3ACreateAccessKey%22%2C%22Resource%22%3A%22*%22%7D%5D%7D"}],
             "AttachedManagedPolicies":[]}],
          "GroupDetailList": [{"GroupName":"admins","Arn":"arn:aws:iam::111122223333:group/admins",
             "AttachedManagedPolicies":[{"PolicyName":"Custom","PolicyArn":"arn:aws:iam::111122223333:policy/Custom"}],"GroupPolicyList":[]}],
          "RoleDetailList": [{"RoleName":"fn","Arn":"arn:aws:iam::111122223333:role/fn",
             "AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]},
             "AttachedManagedPolicies":[{"PolicyName":"AWSLambdaBasicExecutionRole","PolicyArn":"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"},{"PolicyName":"Gone","PolicyArn":"arn:aws:iam::111122223333:policy/Gone"}],
             "RolePolicyList":[]}],
          "Policies": [{"PolicyName":"Custom","Arn":"arn:aws:iam::111122223333:policy/Custom","DefaultVersionId":"v2",
             "PolicyVersionList":[{"Document":{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]},"VersionId":"v1","IsDefaultVersion":false},
                                  {"Document":{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]},"VersionId":"v2","IsDefaultVersion":true}]}]
        }"#;
        let details = read_authorization_details(text).unwrap();
        assert_eq!(details.principals.len(), 3);
        let reports = details.analyze();
        let dev = reports.iter().find(|r| r.name == "dev").unwrap();
        assert!(
            dev.privilege_escalation
                .iter()
                .any(|e| e.method == "CreateAccessKey")
        );
        let exfil = dev.data_exfiltration.as_ref().unwrap();
        assert_eq!(exfil.actions, ["s3:GetObject"]);
        assert_eq!(
            exfil.statements[0].origin.path(),
            Some("PolicyVersionList[v2].Document.Statement[0]")
        );
        let role = reports.iter().find(|r| r.name == "fn").unwrap();
        assert!(role.admin.is_none() && role.privilege_escalation.is_empty());
        assert_eq!(
            role.unknown_policies,
            ["arn:aws:iam::111122223333:policy/Gone"]
        );
        let fnrole = details
            .principals
            .iter()
            .find(|p| p.identity.name == "fn")
            .unwrap();
        assert!(fnrole.trust.is_some());
        assert!(read_authorization_details("[1,2]").is_err());
    }
}
