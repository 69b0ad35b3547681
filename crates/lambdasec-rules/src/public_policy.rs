//! Whether a resource-based policy (a queue, topic, bucket, KMS key or API policy) lets anyone
//! act on its resource — answered by the IAM engine, not by reading the policy text.
//!
//! The caller is modelled as an anonymous request from the internet: condition keys AWS sets
//! only for identified or service callers (source account and ARN, organization, VPC, source IP,
//! principal ARN and tags, `kms:CallerAccount`, `kms:ViaService`, ...) are absent, so a positive
//! condition on one of them keeps the caller out; every other key (`aws:SecureTransport`,
//! `aws:Referer`, `aws:UserAgent`, request tags, encryption context, ...) is chosen by the caller,
//! so a statement that only depends on those grants access. A condition on a caller key whose
//! values are all wildcards (`*`, `arn:aws:s3:::*`) narrows nothing and is dropped first, as in
//! RBP001.
//!
//! A policy is attached to its resource: its `Resource` entries name that resource (or its
//! objects), so they are taken to match — references a template cannot resolve offline
//! (`!GetAtt Queue.Arn`) included.

use crate::rules::rbp::value_is_specific;
use lambdasec_iam::condition::Family;
use lambdasec_iam::{
    Context as IamContext, Decision, Effect, Item, Layer, Policy, PolicySet, PrincipalEntry,
    Request, RequestPrincipal, Statement, Unknown, catalog, evaluate, parse_policy,
    statement_actions,
};
use lambdasec_model::{
    Effect as PermissionEffect, Entry, Node, NodeKind, Origin, Permission, Principal, Value,
};

/// Condition keys that an anonymous caller from the internet does not have (lower-case).
const CALLER_KEYS: &[&str] = &[
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourceowner",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:sourcevpcarn",
    "aws:vpcsourceip",
    "aws:sourceip",
    "aws:sourceidentity",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalisawsservice",
    "aws:principalservicename",
    "aws:principalservicenameslist",
    "aws:userid",
    "aws:username",
    "aws:federatedprovider",
    "aws:calledvia",
    "aws:calledviafirst",
    "aws:calledvialast",
    "aws:viaawsservice",
    "aws:multifactorauthpresent",
    "aws:multifactorauthage",
    "aws:tokenissuetime",
    "aws:ec2instancesourcevpc",
    "aws:ec2instancesourceprivateipv4",
    "kms:calleraccount",
    "kms:viaservice",
    "kms:grantisforawsresource",
];

/// Caller keys that come in families (`aws:PrincipalTag/team`).
const CALLER_KEY_PREFIXES: &[&str] = &["aws:principaltag/"];

fn is_caller_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    CALLER_KEYS.contains(&k.as_str()) || CALLER_KEY_PREFIXES.iter().any(|p| k.starts_with(p))
}

/// A statement of the policy that grants an action to anyone.
#[derive(Debug, Clone)]
pub(crate) struct PublicGrant {
    pub action: String,
    /// The statement (its `Sid` when it has one).
    pub sid: Option<String>,
    pub statement: Origin,
}

/// The policy with its `Resource` elements matching everything and wildcard-only conditions
/// on caller keys removed. `None` when the document is not a policy.
pub(crate) fn prepare(doc: &Node) -> Option<Policy> {
    let mut policy = parse_policy(doc).ok()?;
    for st in &mut policy.statements {
        if st.resource.as_ref().is_some_and(|r| !r.negated) {
            st.resource = None;
        }
        st.conditions.retain(|c| {
            let positive = !c.operator.negated && c.operator.family != Family::Null;
            let wildcard_only = !c.values.is_empty()
                && c.values.iter().all(|v| match v {
                    Item::Text { text, .. } => !value_is_specific(text),
                    Item::Unknown { .. } => false,
                });
            !(positive && wildcard_only && is_caller_key(&c.key))
        });
    }
    Some(policy)
}

/// The anonymous caller's request context: caller keys absent, everything else unknown.
fn anonymous_context() -> IamContext {
    let mut cx = IamContext::partial();
    for k in CALLER_KEYS {
        cx.set_multi(k, Vec::<String>::new());
    }
    cx.set("aws:PrincipalType", "Anonymous");
    cx
}

/// The statements of `policy` that let an anonymous caller perform `action` on the resource the
/// policy is attached to (empty when none does, or when it depends on values unknown offline).
pub(crate) fn public_grants(policy: &Policy, action: &str) -> Vec<PublicGrant> {
    let request =
        Request::new(RequestPrincipal::anonymous(), action, "*").with_context(anonymous_context());
    let response = evaluate(&request, &PolicySet::new().resource(policy));
    let grant = |sid: Option<&str>, origin: &Origin| PublicGrant {
        action: action.to_owned(),
        sid: sid.map(str::to_owned),
        statement: origin.clone(),
    };
    match response.decision {
        Decision::Allow => response
            .statements
            .iter()
            .filter(|s| s.layer == Layer::Resource && s.effect == Effect::Allow)
            .map(|s| grant(s.sid.as_deref(), &s.origin))
            .collect(),
        // Allowed when conditions the caller controls hold: the caller makes them hold. A
        // statement that depends on a value unknown offline (an unresolved principal or
        // statement) is not judged.
        Decision::Depends => response
            .residual
            .iter()
            .filter(|r| {
                r.statement.effect == Effect::Allow
                    && r.unknowns
                        .iter()
                        .all(|u| matches!(u, Unknown::Condition { key, .. } if !is_caller_key(key)))
            })
            .map(|r| grant(r.statement.sid.as_deref(), &r.statement.origin))
            .collect(),
        Decision::ExplicitDeny | Decision::ImplicitDeny => Vec::new(),
    }
}

/// Outsiders who may call a function whose policy grants `*`: any AWS account calling
/// directly (its own account, ARN and organization — never the owner's), and any AWS service
/// acting for such an account (its own source account, ARN and organization). Keys neither
/// caller has are absent; every other key is unknown, so a statement that only depends on
/// those is taken as granting.
fn outsiders() -> [(RequestPrincipal, IamContext); 2] {
    const ACCOUNT: &str = "999999999999";
    const ORG: &str = "o-outsider000";
    const USER: &str = "arn:aws:iam::999999999999:user/outsider";
    let base = || {
        let mut cx = IamContext::partial();
        for k in CALLER_KEYS.iter().chain(FUNCTION_CALLER_KEYS) {
            cx.set_multi(k, Vec::<String>::new());
        }
        cx
    };
    let mut direct = base();
    direct
        .set("aws:PrincipalAccount", ACCOUNT)
        .set("aws:PrincipalArn", USER)
        .set("aws:PrincipalOrgID", ORG)
        .set(
            "aws:PrincipalOrgPaths",
            format!("{ORG}/r-out0/ou-out0-outsider/"),
        )
        .set("aws:PrincipalType", "User")
        .set("aws:username", "outsider");
    let mut service = base();
    service
        .set("aws:SourceAccount", ACCOUNT)
        .set("aws:SourceOwner", ACCOUNT)
        .set(
            "aws:SourceArn",
            "arn:aws:sns:us-east-1:999999999999:outsider",
        )
        .set("aws:SourceOrgID", ORG)
        .set(
            "aws:SourceOrgPaths",
            format!("{ORG}/r-out0/ou-out0-outsider/"),
        )
        .set("aws:PrincipalIsAWSService", "true")
        .set("aws:PrincipalServiceName", "sns.amazonaws.com");
    [
        (RequestPrincipal::user(USER), direct),
        (RequestPrincipal::service("sns.amazonaws.com"), service),
    ]
}

/// Keys of function policies set by AWS, never by the caller: the Alexa skill id.
const FUNCTION_CALLER_KEYS: &[&str] = &["lambda:eventsourcetoken"];

/// A function policy statement (a permission) as a one-statement policy: its principal, its
/// actions, every resource (it is attached to the function), and its conditions, each value
/// with its origin (unresolved values stay unresolved).
fn permission_policy(p: &Permission) -> Option<Policy> {
    let o = &p.meta.origin;
    let text = |v: &Value<String>| match v.get() {
        Some(s) => Node::string(s.clone(), v.origin.clone()),
        None => Node::new(
            NodeKind::Unresolved(v.unresolved_expr().unwrap_or_default().to_owned()),
            v.origin.clone(),
        ),
    };
    let entry = |key: &str, value: Node| Entry {
        key: key.to_owned(),
        key_origin: value.origin.clone(),
        value,
    };
    let principal = match p.principal.get() {
        Some(Principal::Any) => Node::string("*", p.principal.origin.clone()),
        Some(Principal::Service(s)) => Node::new(
            NodeKind::Map(vec![entry(
                "Service",
                Node::string(s.clone(), p.principal.origin.clone()),
            )]),
            p.principal.origin.clone(),
        ),
        Some(Principal::Aws(s) | Principal::Other(s)) => Node::new(
            NodeKind::Map(vec![entry(
                "AWS",
                Node::string(s.clone(), p.principal.origin.clone()),
            )]),
            p.principal.origin.clone(),
        ),
        None => return None,
    };
    let mut operators: Vec<Entry> = Vec::new();
    for c in &p.conditions {
        let values = Node::new(
            NodeKind::List(c.values.iter().map(text).collect()),
            c.origin.clone(),
        );
        let key = entry(&c.key, values);
        match operators.iter_mut().find(|e| e.key == c.operator) {
            Some(Entry {
                value:
                    Node {
                        kind: NodeKind::Map(keys),
                        ..
                    },
                ..
            }) => keys.push(key),
            _ => operators.push(entry(
                &c.operator,
                Node::new(NodeKind::Map(vec![key]), c.origin.clone()),
            )),
        }
    }
    let effect = match p.effect {
        PermissionEffect::Allow => "Allow",
        PermissionEffect::Deny => "Deny",
    };
    let mut statement = vec![
        entry("Effect", Node::string(effect, o.clone())),
        entry("Principal", principal),
        entry(
            "Action",
            Node::new(
                NodeKind::List(p.actions.iter().map(text).collect()),
                o.clone(),
            ),
        ),
        entry("Resource", Node::string("*", o.clone())),
    ];
    if !operators.is_empty() {
        statement.push(entry(
            "Condition",
            Node::new(NodeKind::Map(operators), o.clone()),
        ));
    }
    let doc = Node::new(
        NodeKind::Map(vec![
            entry("Version", Node::string("2012-10-17", o.clone())),
            entry(
                "Statement",
                Node::new(
                    NodeKind::List(vec![Node::new(NodeKind::Map(statement), o.clone())]),
                    o.clone(),
                ),
            ),
        ]),
        o.clone(),
    );
    prepare(&doc)
}

/// True when a function policy statement lets an outsider — any AWS account, or a service
/// acting for one — perform `action` (`lambda:InvokeFunction`), as the IAM engine evaluates
/// the statement's principal and conditions (`...IfExists`, `Null`, negated operators and
/// wildcard values included). Values unknown offline on caller keys keep it silent.
pub(crate) fn permission_open_to_outsiders(p: &Permission, action: &str) -> bool {
    let Some(policy) = permission_policy(p) else {
        return false;
    };
    outsiders().into_iter().any(|(principal, context)| {
        let request = Request::new(principal, action, "*").with_context(context);
        let response = evaluate(&request, &PolicySet::new().resource(&policy));
        match response.decision {
            Decision::Allow => true,
            Decision::Depends => response.residual.iter().any(|r| {
                r.statement.effect == Effect::Allow
                    && r.unknowns.iter().all(|u| {
                        matches!(u, Unknown::Condition { key, .. }
                            if !is_caller_key(key) && !FUNCTION_CALLER_KEYS.contains(&key.to_ascii_lowercase().as_str()))
                    })
            }),
            Decision::ExplicitDeny | Decision::ImplicitDeny => false,
        }
    })
}

/// The actions a permission grants that an outsider may use, as written (`lambda:InvokeFunction`,
/// `lambda:*`); unresolved actions are left out.
pub(crate) fn outsider_actions(p: &Permission) -> Vec<&str> {
    p.actions
        .iter()
        .filter_map(|a| a.as_str())
        .filter(|a| permission_open_to_outsiders(p, a.trim()))
        .collect()
}

/// The first public grant among `actions`.
pub(crate) fn first_public_grant(policy: &Policy, actions: &[&str]) -> Option<PublicGrant> {
    actions
        .iter()
        .find_map(|a| public_grants(policy, a).into_iter().next())
}

/// True when the statement allows every principal (`*`, `{"AWS": "*"}`) whatever its
/// conditions.
pub(crate) fn allows_everyone(st: &Statement) -> bool {
    st.effect == Effect::Allow
        && st
            .principal
            .as_ref()
            .is_some_and(|p| !p.negated && p.items.iter().any(PrincipalEntry::is_everyone))
}

/// True when the statement's actions cover every action of `service` (`kms:*`, `*`, or a
/// `NotAction` that leaves them all).
pub(crate) fn covers_service(st: &Statement, service: &str) -> bool {
    let cat = catalog();
    let all = cat.expand(&format!("{service}:*"));
    if all.is_empty() {
        return false;
    }
    let (set, _) = statement_actions(cat, st);
    set.is_superset(&all)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lambdasec_iam::node_from_json;

    fn policy(json: &str) -> Policy {
        prepare(&node_from_json(json, &Origin::Unknown).unwrap()).unwrap()
    }

    fn public(json: &str, action: &str) -> bool {
        !public_grants(&policy(json), action).is_empty()
    }

    const SEND: &str = "sqs:SendMessage";

    fn permission(principal: &str, conditions: &[(&str, &str, &[&str])]) -> Permission {
        use lambdasec_model::{Condition, Meta, ResourceKind, Target};
        let o = Origin::Unknown;
        Permission {
            meta: Meta::new("P", ResourceKind::Permission, o.clone()),
            function: Value::explicit(Target::Local("Fn".into()), o.clone()),
            qualifier: None,
            statement_id: None,
            effect: PermissionEffect::Allow,
            principal: Value::explicit(Principal::from_lambda_permission(principal), o.clone()),
            actions: vec![Value::explicit(
                "lambda:InvokeFunction".to_owned(),
                o.clone(),
            )],
            conditions: conditions
                .iter()
                .map(|(op, key, values)| Condition {
                    operator: (*op).to_owned(),
                    key: (*key).to_owned(),
                    values: values
                        .iter()
                        .map(|v| match v.strip_prefix('!') {
                            Some(expr) => Value::unresolved(expr, o.clone()),
                            None => Value::explicit((*v).to_owned(), o.clone()),
                        })
                        .collect(),
                    origin: o.clone(),
                })
                .collect(),
        }
    }

    fn open(conditions: &[(&str, &str, &[&str])]) -> bool {
        permission_open_to_outsiders(&permission("*", conditions), "lambda:InvokeFunction")
    }

    #[test]
    fn function_permissions_for_outsiders() {
        const OWNER: &[&str] = &["111122223333"];
        // No condition, or conditions that narrow nothing.
        assert!(open(&[]));
        assert!(open(&[("StringLike", "aws:SourceAccount", &["*"])]));
        assert!(open(&[(
            "ArnLike",
            "aws:SourceArn",
            &["arn:aws:s3:::uploads-*"]
        )]));
        assert!(open(&[("StringNotEquals", "aws:SourceAccount", OWNER)]));
        assert!(open(&[("Null", "aws:SourceAccount", &["false"])]));
        assert!(open(&[("StringLike", "aws:UserAgent", &["curl/*"])]));
        // Direct callers have no source account: `...IfExists` lets them through.
        assert!(open(&[(
            "StringEqualsIfExists",
            "aws:SourceAccount",
            OWNER
        )]));
        // Narrowed to the owner's account, organization, skill or bucket.
        assert!(!open(&[("StringEquals", "aws:SourceAccount", OWNER)]));
        assert!(!open(&[("StringEquals", "aws:PrincipalAccount", OWNER)]));
        assert!(!open(&[(
            "StringEquals",
            "aws:PrincipalOrgID",
            &["o-abc123def4"]
        )]));
        assert!(!open(&[(
            "StringEquals",
            "lambda:EventSourceToken",
            &["amzn1.ask.skill.1"]
        )]));
        assert!(!open(&[(
            "ArnLike",
            "aws:SourceArn",
            &["arn:aws:s3:::uploads"]
        )]));
        assert!(!open(&[
            ("StringLike", "aws:UserAgent", &["curl/*"]),
            ("StringEquals", "aws:SourceAccount", OWNER),
        ]));
        // A value unknown offline names something: silent.
        assert!(!open(&[(
            "StringEquals",
            "aws:SourceAccount",
            &["!AWS::AccountId"]
        )]));
        // An account or service principal is not an outsider's.
        assert!(!permission_open_to_outsiders(
            &permission("111122223333", &[]),
            "lambda:InvokeFunction"
        ));
        // Another action is not granted.
        assert!(!permission_open_to_outsiders(
            &permission("*", &[]),
            "lambda:UpdateFunctionCode"
        ));
    }

    #[test]
    fn anyone_without_condition_is_public() {
        let p = r#"{"Statement":[{"Sid":"Open","Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:123456789012:q"}]}"#;
        let g = public_grants(&policy(p), SEND);
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].sid.as_deref(), Some("Open"));
        assert!(public(
            r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sqs:*","Resource":"*"}]}"#,
            SEND
        ));
        // Another action is not granted.
        assert!(!public(p, "sqs:DeleteQueue"));
    }

    #[test]
    fn caller_conditions_narrow_and_wildcards_do_not() {
        let with = |cond: &str| {
            format!(
                r#"{{"Statement":[{{"Effect":"Allow","Principal":"*","Action":"sns:Publish","Resource":"*","Condition":{cond}}}]}}"#
            )
        };
        let narrowed = [
            r#"{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::uploads"}}"#,
            r#"{"StringEquals":{"aws:SourceAccount":"123456789012"}}"#,
            r#"{"StringEquals":{"aws:PrincipalOrgID":"o-abc123"}}"#,
            r#"{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}"#,
            r#"{"StringEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}"#,
            r#"{"StringEquals":{"aws:PrincipalTag/team":"payments"}}"#,
        ];
        for c in narrowed {
            assert!(!public(&with(c), "sns:Publish"), "{c}");
        }
        let open = [
            r#"{"Bool":{"aws:SecureTransport":"true"}}"#,
            r#"{"StringLike":{"aws:Referer":"https://example.com/*"}}"#,
            r#"{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::*"}}"#,
            r#"{"StringLike":{"aws:SourceAccount":"*"}}"#,
            r#"{"StringNotEquals":{"aws:SourceAccount":"123456789012"}}"#,
        ];
        for c in open {
            assert!(public(&with(c), "sns:Publish"), "{c}");
        }
    }

    #[test]
    fn denies_and_unknowns() {
        // A deny for every caller outside a VPC endpoint closes an open allow.
        let p = r#"{"Statement":[
            {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"},
            {"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
             "Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}}]}"#;
        assert!(!public(p, "execute-api:Invoke"));
        // An account principal is not anyone.
        assert!(!public(
            r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sqs:SendMessage","Resource":"*"}]}"#,
            SEND
        ));
        // A service principal is not anyone either.
        assert!(!public(
            r#"{"Statement":[{"Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"sqs:SendMessage","Resource":"*"}]}"#,
            SEND
        ));
    }

    #[test]
    fn kms_full_control() {
        let p = policy(
            r#"{"Statement":[
            {"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:*","Resource":"*","Condition":{"StringEquals":{"kms:CallerAccount":"123456789012"}}},
            {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"kms:*","Resource":"*"},
            {"Effect":"Allow","Principal":"*","Action":["kms:Decrypt","kms:Encrypt"],"Resource":"*"}]}"#,
        );
        let everyone: Vec<bool> = p.statements.iter().map(allows_everyone).collect();
        assert_eq!(everyone, [true, false, true]);
        let full: Vec<bool> = p
            .statements
            .iter()
            .map(|s| covers_service(s, "kms"))
            .collect();
        assert_eq!(full, [true, true, false]);
        // The first is limited to the account: not public; the third is.
        assert!(public_grants(&p, "kms:ScheduleKeyDeletion").is_empty());
        assert!(!public_grants(&p, "kms:Decrypt").is_empty());
    }
}
