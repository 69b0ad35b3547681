//! The policy checker (`lambdasec policy check`): lint a parsed policy like Parliament does —
//! unknown services and actions, malformed ARNs, resources that do not fit the actions,
//! redundant statements, risky constructs — each issue with its location.

use crate::catalog::{Catalog, catalog};
use crate::effective::statement_actions;
use crate::policy::{Effect, Item, Policy, Statement};
use crate::variables::has_variables;
use lambdasec_model::Origin;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// One finding of the checker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    /// Stable kebab-case name (`unknown-action`).
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub origin: Origin,
}

fn issue(code: &'static str, severity: Severity, message: String, origin: &Origin) -> Issue {
    Issue {
        code,
        severity,
        message,
        origin: origin.clone(),
    }
}

/// Check a policy. `identity_policy`: an identity-based policy (no `Principal`; `Resource`
/// required) rather than a resource-based one.
pub fn check_policy(policy: &Policy, identity_policy: bool) -> Vec<Issue> {
    let cat = catalog();
    let mut out = Vec::new();
    for st in &policy.statements {
        check_actions(cat, st, &mut out);
        let flagged = out.len();
        check_resources(cat, st, policy, &mut out);
        if !all_resources_flagged(st, out.get(flagged..).unwrap_or_default()) {
            check_resource_types(cat, st, &mut out);
        }
        check_constructs(st, identity_policy, &mut out);
        for c in &st.conditions {
            let canonical = c.operator.canonical();
            if c.operator.text != canonical {
                out.push(issue(
                    "condition-operator-case",
                    Severity::Warning,
                    format!("write `{}` as `{canonical}`", c.operator.text),
                    &c.operator_origin,
                ));
            }
        }
    }
    for o in &policy.opaque {
        out.push(issue(
            "unresolved-statement",
            Severity::Info,
            format!("statement `{}` cannot be known offline", o.expr),
            &o.origin,
        ));
    }
    duplicate_sids(policy, identity_policy, &mut out);
    redundant(cat, policy, &mut out);
    out
}

fn check_actions(cat: &Catalog, st: &Statement, out: &mut Vec<Issue>) {
    for a in &st.action.items {
        let Some(text) = a.item.text() else { continue };
        if text == "*" {
            continue;
        }
        let Some((svc, _)) = text.split_once(':') else {
            continue;
        };
        if !crate::wildcard::has_wildcard(svc) && cat.service(svc).is_none() {
            out.push(issue(
                "unknown-service",
                Severity::Error,
                format!("unknown service prefix `{svc}` in `{text}`"),
                a.item.origin(),
            ));
        } else if cat.expand(text).is_empty() {
            out.push(issue(
                "unknown-action",
                Severity::Error,
                format!("`{text}` matches no action"),
                a.item.origin(),
            ));
        }
    }
}

fn check_resources(cat: &Catalog, st: &Statement, policy: &Policy, out: &mut Vec<Issue>) {
    let Some(block) = &st.resource else { return };
    let mut services: Vec<&str> = if st.action.negated {
        Vec::new()
    } else {
        st.action.items.iter().filter_map(|a| a.service()).collect()
    };
    services.sort_unstable();
    services.dedup();
    for r in &block.items {
        let Item::Text { text, origin } = r else {
            continue;
        };
        if has_variables(text) && !policy.supports_variables() {
            out.push(issue(
                "variable-without-version",
                Severity::Warning,
                format!(
                    "`{text}` uses a policy variable, which needs `\"Version\": \"2012-10-17\"`"
                ),
                origin,
            ));
        }
        // `execute-api:/stage/METHOD/path`: API Gateway expands the short form in its
        // resource policies to the API's ARN.
        if text == "*" || text.starts_with("execute-api:/") {
            continue;
        }
        let parts: Vec<&str> = text.splitn(6, ':').collect();
        // A wildcard spans segments (`arn:aws:logs:*` matches every log ARN), so a pattern
        // that ends with one may have fewer than six.
        let spans = parts.len() >= 3 && parts.last().is_some_and(|p| p.contains('*'));
        if (parts.len() != 6 && !spans) || parts.first() != Some(&"arn") {
            out.push(issue(
                "malformed-arn",
                Severity::Error,
                format!("`{text}` is not an ARN (`arn:partition:service:region:account:resource`)"),
                origin,
            ));
            continue;
        }
        let arn_service = parts.get(2).copied().unwrap_or_default();
        if block.negated || services.is_empty() || crate::wildcard::has_wildcard(arn_service) {
            continue;
        }
        let fits = services.iter().any(|s| {
            crate::wildcard::has_wildcard(s)
                || s.eq_ignore_ascii_case(arn_service)
                || shares_arns(cat, s, arn_service)
        });
        if !fits {
            out.push(issue(
                "resource-mismatch",
                Severity::Warning,
                format!("`{text}` is a `{arn_service}` resource, but the statement's actions are for {}", services.join(", ")),
                origin,
            ));
        }
    }
}

/// Services whose resource types use another service's ARNs (`logs` on `arn:aws:logs`, but
/// `execute-api` for `apigateway`, ...): any resource type of `svc` whose ARN names `arn_service`.
fn shares_arns(cat: &Catalog, svc: &str, arn_service: &str) -> bool {
    cat.service(svc).is_some_and(|s| {
        s.resource_types
            .iter()
            .any(|rt| rt.arn.split(':').nth(2) == Some(arn_service))
    })
}

/// Whether the resource checks already reported every resource of the statement (a service
/// mismatch or a malformed ARN): the actions need not be compared with them again.
fn all_resources_flagged(st: &Statement, flagged: &[Issue]) -> bool {
    st.resource.as_ref().is_some_and(|r| {
        !r.items.is_empty()
            && r.items
                .iter()
                .all(|i| flagged.iter().any(|f| &f.origin == i.origin()))
    })
}

/// The ARN format's parts as wildcard patterns: `${Placeholder}` and policy variables match
/// anything.
fn as_pattern(arn: &str) -> String {
    let mut out = String::with_capacity(arn.len());
    let mut rest = arn;
    while let Some(start) = rest.find("${") {
        out.push_str(rest.get(..start).unwrap_or_default());
        match rest.get(start..).and_then(|r| r.find('}')) {
            Some(end) => {
                out.push('*');
                rest = rest.get(start + end + 1..).unwrap_or_default();
            }
            None => {
                out.push('*');
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether a policy's resource pattern can name a resource of an ARN format
/// (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`), part by part.
fn fits_arn_format(resource: &str, format: &str) -> bool {
    let (r, f) = (as_pattern(resource), as_pattern(format));
    let rp: Vec<&str> = r.splitn(6, ':').collect();
    let fp: Vec<&str> = f.splitn(6, ':').collect();
    if rp.len() != 6 || fp.len() != 6 {
        // A resource pattern with fewer parts may still span them with `*`.
        return crate::wildcard::overlaps(&r, &f);
    }
    rp.iter()
        .zip(&fp)
        .all(|(a, b)| crate::wildcard::overlaps(a, b))
}

/// Actions whose resource types none of the statement's resources can be (Parliament's
/// `RESOURCE_MISMATCH`): `s3:GetObject` on a bucket ARN, `s3:ListAllMyBuckets` (no resource
/// types: only `"*"`) on an ARN. A wildcard action is reported when none of the actions it
/// covers fits. Reported on the action.
fn check_resource_types(cat: &Catalog, st: &Statement, out: &mut Vec<Issue>) {
    let Some(block) = &st.resource else { return };
    if st.action.negated || block.negated || block.items.iter().any(Item::is_unknown) {
        return;
    }
    let resources: Vec<&str> = block
        .items
        .iter()
        .filter_map(Item::text)
        .filter(|t| *t == "*" || t.starts_with("arn:") || t.starts_with("execute-api:/"))
        .collect();
    if resources.iter().any(|r| r.starts_with("execute-api:/")) {
        return;
    }
    if resources.is_empty() || resources.contains(&"*") {
        return;
    }
    let fits = |id: crate::catalog::ActionId| -> bool {
        let (Some(def), Some(svc)) = (cat.action(id), cat.service_of(id)) else {
            return true;
        };
        def.resource_types.iter().any(|(name, _)| {
            svc.resource_types
                .iter()
                .filter(|rt| rt.name == *name)
                .any(|rt| resources.iter().any(|r| fits_arn_format(r, &rt.arn)))
        })
    };
    for a in &st.action.items {
        let Some(text) = a.item.text() else { continue };
        if text == "*" {
            continue;
        }
        let set = cat.expand(text);
        if set.is_empty() || set.iter().any(fits) {
            continue;
        }
        let message = match set.iter().next().filter(|_| set.len() == 1) {
            Some(id) => {
                let def = cat.action(id);
                let types: Vec<String> = def
                    .map(|d| {
                        d.resource_types
                            .iter()
                            .map(|(n, _)| format!("`{n}`"))
                            .collect()
                    })
                    .unwrap_or_default();
                if types.is_empty() {
                    format!(
                        "`{text}` does not support resource-level permissions: it needs \
                         `\"Resource\": \"*\"`"
                    )
                } else {
                    format!(
                        "`{text}` applies to {} resources, and none of the statement's resources is one",
                        types.join(", ")
                    )
                }
            }
            None => {
                format!("none of the actions `{text}` covers applies to the statement's resources")
            }
        };
        out.push(issue(
            "resource-type-mismatch",
            Severity::Warning,
            message,
            a.item.origin(),
        ));
    }
}

/// "In IAM, the Sid value must be unique within a JSON policy" —
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html>
/// (IAM rejects the policy); other services' resource policies are only warned about.
fn duplicate_sids(policy: &Policy, identity_policy: bool, out: &mut Vec<Issue>) {
    let mut seen: Vec<&str> = Vec::new();
    for st in &policy.statements {
        // An empty Sid names nothing: policy generators write `"Sid": ""` on every statement.
        let Some(sid) = st.sid_text().filter(|s| !s.is_empty()) else {
            continue;
        };
        if seen.contains(&sid) {
            let origin = st.sid.as_ref().map_or(&st.origin, Item::origin);
            out.push(issue(
                "duplicate-sid",
                if identity_policy {
                    Severity::Error
                } else {
                    Severity::Warning
                },
                format!("the Sid `{sid}` is used by another statement: Sids must be unique"),
                origin,
            ));
        } else {
            seen.push(sid);
        }
    }
}

fn check_constructs(st: &Statement, identity_policy: bool, out: &mut Vec<Issue>) {
    let allow = st.effect == Effect::Allow;
    if allow && st.action.negated {
        out.push(issue(
            "allow-not-action",
            Severity::Warning,
            "an Allow with `NotAction` grants every action not listed, including future ones"
                .into(),
            &st.action.origin,
        ));
    }
    if let Some(r) = &st.resource
        && allow
        && r.negated
    {
        out.push(issue(
            "allow-not-resource",
            Severity::Warning,
            "an Allow with `NotResource` grants every resource not listed".into(),
            &r.origin,
        ));
    }
    if let Some(p) = &st.principal {
        if identity_policy {
            out.push(issue(
                "principal-in-identity-policy",
                Severity::Error,
                "identity-based policies cannot have `Principal` or `NotPrincipal`".into(),
                &p.origin,
            ));
        }
        if allow && p.negated {
            out.push(issue(
                "allow-not-principal",
                Severity::Warning,
                "an Allow with `NotPrincipal` grants every principal not listed, anonymous users included".into(),
                &p.origin,
            ));
        }
        if allow
            && !p.negated
            && p.items.iter().any(|e| e.is_everyone())
            && st.conditions.is_empty()
        {
            out.push(issue(
                "public-principal",
                Severity::Warning,
                "an Allow for every principal (`*`) without a condition".into(),
                &p.origin,
            ));
        }
    } else if !identity_policy {
        out.push(issue(
            "missing-principal",
            Severity::Error,
            "a resource-based policy statement needs `Principal` or `NotPrincipal`".into(),
            &st.origin,
        ));
    }
    if identity_policy && st.resource.is_none() {
        out.push(issue(
            "missing-resource",
            Severity::Error,
            "an identity-based policy statement needs `Resource` or `NotResource`".into(),
            &st.origin,
        ));
    }
    let star_resource = st
        .resource
        .as_ref()
        .is_none_or(|r| !r.negated && r.items.iter().any(|i| i.text() == Some("*")));
    if allow && star_resource && st.conditions.is_empty() {
        for a in &st.action.items {
            let lower = a.lower.as_str();
            if !st.action.negated && (lower == "*" || lower.ends_with(":*")) {
                out.push(issue(
                    "wildcard-action",
                    Severity::Warning,
                    format!("`{}` on every resource", a.item.display()),
                    a.item.origin(),
                ));
            }
            if !st.action.negated && lower == "iam:passrole" {
                out.push(issue(
                    "pass-any-role",
                    Severity::Warning,
                    "`iam:PassRole` on every role: name the roles that may be passed".into(),
                    a.item.origin(),
                ));
            }
        }
    }
}

/// A statement whose actions, resources and conditions are covered by another statement of
/// the same effect adds nothing.
fn redundant(cat: &Catalog, policy: &Policy, out: &mut Vec<Issue>) {
    let sets: Vec<_> = policy
        .statements
        .iter()
        .map(|s| statement_actions(cat, s))
        .collect();
    for (i, a) in policy.statements.iter().enumerate() {
        let Some((aset, aunk)) = sets.get(i) else {
            continue;
        };
        if *aunk || aset.is_empty() {
            continue;
        }
        let covered = policy.statements.iter().enumerate().find(|(j, b)| {
            *j != i
                && b.effect == a.effect
                && b.principal == a.principal
                && b.conditions.is_empty()
                && same_or_broader_resources(b, a)
                && sets
                    .get(*j)
                    .is_some_and(|(bset, _)| bset.is_superset(aset) && (bset != aset || *j < i))
        });
        if let Some((j, _)) = covered {
            out.push(issue(
                "redundant-statement",
                Severity::Info,
                format!("statement {i} is covered by statement {j}"),
                &a.origin,
            ));
        }
    }
}

fn same_or_broader_resources(b: &Statement, a: &Statement) -> bool {
    match (&b.resource, &a.resource) {
        (None, _) => true,
        (Some(rb), _) if !rb.negated && rb.items.iter().any(|i| i.text() == Some("*")) => true,
        (Some(rb), Some(ra)) => {
            rb.negated == ra.negated
                && ra.items.iter().all(|x| {
                    rb.items
                        .iter()
                        .any(|y| y.text().is_some() && y.text() == x.text())
                })
        }
        (Some(_), None) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_policy_json;

    fn codes(text: &str, identity: bool) -> Vec<&'static str> {
        let p =
            parse_policy_json(text, &Origin::live("arn:aws:iam::1:policy/p", "Document")).unwrap();
        check_policy(&p, identity)
            .into_iter()
            .map(|i| i.code)
            .collect()
    }

    #[test]
    fn finds_problems_with_locations() {
        let text = r#"{"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Action":["s3:GetObject","s3:GetObjectt","s4:Get"],"Resource":["arn:aws:dynamodb:us-east-1:1:table/t","bucket/key"]},
            {"Effect":"Allow","NotAction":"iam:*","NotResource":"arn:aws:s3:::b"},
            {"Effect":"Allow","Action":"iam:PassRole","Resource":"*"},
            {"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"stringequals":{"aws:x":"y"}}},
            {"Effect":"Allow","Action":"s3:GetObject","Resource":"*"},
            {"Effect":"Allow","Action":"s3:Get*","Resource":"*"}
        ]}"#;
        let p =
            parse_policy_json(text, &Origin::live("arn:aws:iam::1:policy/p", "Document")).unwrap();
        let issues = check_policy(&p, true);
        let find = |c: &str| {
            issues
                .iter()
                .find(|i| i.code == c)
                .unwrap_or_else(|| panic!("{c}: {issues:?}"))
        };
        assert_eq!(
            find("unknown-action").origin.path(),
            Some("Document.Statement[0].Action[1]")
        );
        assert_eq!(
            find("unknown-service").origin.path(),
            Some("Document.Statement[0].Action[2]")
        );
        assert_eq!(
            find("resource-mismatch").origin.path(),
            Some("Document.Statement[0].Resource[0]")
        );
        assert_eq!(
            find("malformed-arn").origin.path(),
            Some("Document.Statement[0].Resource[1]")
        );
        find("allow-not-action");
        find("allow-not-resource");
        find("pass-any-role");
        find("condition-operator-case");
        assert!(
            issues.iter().any(|i| i.code == "redundant-statement"
                && i.origin.path() == Some("Document.Statement[4]"))
        );
    }

    #[test]
    fn clean_policies_have_no_issues() {
        let text = r#"{"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"arn:aws:logs:*:111122223333:log-group:/aws/lambda/f:*"},
            {"Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:111122223333:api/*"},
            {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/home/${aws:username}/*"}
        ]}"#;
        assert_eq!(codes(text, true), Vec::<&str>::new());
    }

    #[test]
    fn resource_types_that_do_not_fit() {
        let text = r#"{"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket","s3:Get*"],"Resource":"arn:aws:s3:::bucket"},
            {"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"arn:aws:s3:::*"},
            {"Effect":"Allow","Action":["s3:GetObject","dynamodb:GetItem"],"Resource":"arn:aws:dynamodb:us-east-1:111122223333:table/t"},
            {"Effect":"Allow","Action":"s3:GetObject","Resource":["arn:aws:s3:::bucket*","arn:aws:s3:::other/${aws:username}"]},
            {"Effect":"Allow","Action":"logs:PutLogEvents","Resource":"arn:aws:logs:*:*:log-group:/aws/lambda/f:*"},
            {"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::111122223333:role/r"},
            {"Effect":"Allow","Action":"dynamodb:GetRecords","Resource":"arn:aws:dynamodb:us-east-1:111122223333:table/t"}
        ]}"#;
        let p =
            parse_policy_json(text, &Origin::live("arn:aws:iam::1:policy/p", "Document")).unwrap();
        let issues = check_policy(&p, true);
        let found: Vec<(Option<&str>, &str)> = issues
            .iter()
            .filter(|i| i.code == "resource-type-mismatch")
            .map(|i| {
                let kind = if i.message.contains("resource-level") {
                    "unscoped"
                } else {
                    "type"
                };
                (i.origin.path(), kind)
            })
            .collect();
        assert_eq!(
            found,
            [
                (Some("Document.Statement[0].Action[0]"), "type"),
                (Some("Document.Statement[1].Action"), "unscoped"),
                (Some("Document.Statement[2].Action[0]"), "type"),
                (Some("Document.Statement[6].Action"), "type"),
            ]
        );
        // A statement whose resources are all of another service is reported once, on them.
        let c = codes(
            r#"{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:dynamodb:us-east-1:1:table/t"}]}"#,
            true,
        );
        assert_eq!(c, ["resource-mismatch"]);
    }

    #[test]
    fn short_and_spanning_resources() {
        let c = codes(
            r#"{"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/prod/GET/*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}},
            {"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sns:Publish","Resource":"arn:aws:sns:*"},
            {"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sns:Publish","Resource":"arn:aws:s3:*"},
            {"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sns:Publish","Resource":"arn:aws:sns:topic"},
            {"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sns:Publish","Resource":"arn:aws:sns:us-east-1:*","Condition":{"ArnEquals":{"aws:SourceArn":"arn:aws:s3:::b"}}}
            ]}"#,
            false,
        );
        assert_eq!(c, ["resource-mismatch", "malformed-arn"]);
    }

    #[test]
    fn sids_must_be_unique() {
        let text = r#"{"Version":"2012-10-17","Statement":[
            {"Sid":"","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b"},
            {"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
            {"Sid":"","Effect":"Allow","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::b/*"},
            {"Sid":"A","Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*"}]}"#;
        let p =
            parse_policy_json(text, &Origin::live("arn:aws:iam::1:policy/p", "Document")).unwrap();
        let issues = check_policy(&p, true);
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert_eq!(issues[0].code, "duplicate-sid");
        assert_eq!(issues[0].severity, Severity::Error);
        assert_eq!(issues[0].origin.path(), Some("Document.Statement[3].Sid"));
        let resource_based = check_policy(&p, false);
        let dup = resource_based
            .iter()
            .find(|i| i.code == "duplicate-sid")
            .unwrap();
        assert_eq!(dup.severity, Severity::Warning);
    }

    #[test]
    fn resource_policies() {
        let text = r#"{"Statement":[
            {"Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:1:function:f"},
            {"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::1:root"},"Action":"lambda:GetFunction","Resource":"arn:aws:lambda:us-east-1:1:function:f"},
            {"Effect":"Allow","Action":"lambda:GetPolicy","Resource":"arn:aws:lambda:us-east-1:1:function:f"}
        ]}"#;
        let c = codes(text, false);
        assert!(c.contains(&"public-principal"), "{c:?}");
        assert!(c.contains(&"allow-not-principal"), "{c:?}");
        assert!(c.contains(&"missing-principal"), "{c:?}");
        let v = codes(
            r#"{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}"}]}"#,
            true,
        );
        assert_eq!(v, ["variable-without-version"]);
    }
}
