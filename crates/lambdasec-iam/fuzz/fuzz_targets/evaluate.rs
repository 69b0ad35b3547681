//! Evaluation of fuzzed policies (identity, resource, boundary, SCP) against fuzzed requests:
//! never panics, and keeps the documented invariants — statement order never matters, adding a
//! Deny never turns a decision into an Allow, an explicit deny stays one. Capability analysis
//! of the identity policies never panics either.
#![no_main]

use lambdasec_iam::{
    Context, Decision, Identity, Policy, PolicySet, Request, RequestPrincipal, analyze, evaluate,
    parse_policy_json,
};
use lambdasec_model::Origin;
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value, json};

const ACTIONS: &[&str] = &[
    "*",
    "s3:GetObject",
    "s3:Get*",
    "s3:*",
    "s3:PutObject",
    "iam:PassRole",
    "iam:*",
    "lambda:InvokeFunction",
    "lambda:*Function*",
    "lambda:CreateFunction",
    "sts:AssumeRole",
    "kms:Decrypt",
    "secretsmanager:GetSecretValue",
    "ec2:RunInstances",
    "dynamodb:Scan",
    "s3:get?bject",
];

const RESOURCES: &[&str] = &[
    "*",
    "arn:aws:s3:::bucket/key",
    "arn:aws:s3:::bucket/*",
    "arn:aws:s3:::bucket",
    "arn:aws:s3:::*",
    "arn:aws:lambda:us-east-1:111122223333:function:f",
    "arn:aws:lambda:*:111122223333:function:*",
    "arn:aws:iam::111122223333:role/app",
    "arn:aws:iam::111122223333:role/*",
    "arn:aws:kms:us-east-1:444455556666:key/k",
    "arn:aws:s3:::bucket/${aws:username}/*",
    "arn:aws:dynamodb:us-east-1:111122223333:table/t",
];

const PRINCIPALS: &[&str] = &[
    "arn:aws:iam::111122223333:role/app",
    "arn:aws:iam::111122223333:user/alice",
    "arn:aws:iam::111122223333:root",
    "arn:aws:sts::111122223333:assumed-role/app/s",
    "arn:aws:iam::444455556666:role/other",
    "111122223333",
    "444455556666",
    "arn:aws:iam::*:role/*",
];

const SERVICES: &[&str] = &["lambda.amazonaws.com", "s3.amazonaws.com", "sns.amazonaws.com"];

const KEYS: &[&str] = &[
    "aws:SourceIp",
    "aws:SourceArn",
    "aws:SourceAccount",
    "aws:PrincipalOrgID",
    "aws:username",
    "aws:SecureTransport",
    "aws:TagKeys",
    "aws:CurrentTime",
    "s3:prefix",
];

const OPERATORS: &[&str] = &[
    "StringEquals",
    "StringNotEquals",
    "StringLike",
    "StringNotLikeIfExists",
    "ForAllValues:StringEquals",
    "ForAnyValue:StringLike",
    "ArnLike",
    "ArnNotEquals",
    "IpAddress",
    "NotIpAddress",
    "Bool",
    "BoolIfExists",
    "Null",
    "DateGreaterThan",
    "NumericLessThan",
];

const VALUES: &[&str] = &[
    "10.0.0.0/8",
    "10.1.2.3",
    "true",
    "false",
    "111122223333",
    "o-abc123",
    "alice",
    "arn:aws:s3:::bucket",
    "arn:aws:sns:*:111122223333:*",
    "2020-01-01T00:00:00Z",
    "home/*",
    "${aws:username}",
    "100",
    "*",
];

#[derive(Arbitrary, Debug)]
enum Pick {
    Known(u8),
    Raw(String),
}

impl Pick {
    fn get(&self, list: &[&str]) -> String {
        match self {
            Pick::Known(i) => list[usize::from(*i) % list.len()].to_owned(),
            Pick::Raw(s) => s.clone(),
        }
    }
}

#[derive(Arbitrary, Debug)]
enum PrincipalSpec {
    Everyone,
    Aws(Vec<Pick>),
    Service(Pick),
    Federated(String),
}

#[derive(Arbitrary, Debug)]
struct CondSpec {
    operator: Pick,
    key: Pick,
    values: Vec<Pick>,
}

#[derive(Arbitrary, Debug)]
struct Stmt {
    deny: bool,
    sid: Option<String>,
    not_action: bool,
    actions: Vec<Pick>,
    not_resource: bool,
    resources: Option<Vec<Pick>>,
    not_principal: bool,
    principal: Option<PrincipalSpec>,
    conditions: Vec<CondSpec>,
}

#[derive(Arbitrary, Debug)]
enum Who {
    Arn(Pick),
    Service(Pick),
    Anonymous,
    Federated(String),
}

#[derive(Arbitrary, Debug)]
struct Input {
    identity: Vec<Stmt>,
    resource: Vec<Stmt>,
    boundary: Option<Vec<Stmt>>,
    scp: Option<Vec<Stmt>>,
    extra_deny: Stmt,
    who: Who,
    action: Pick,
    resource_arn: Pick,
    resource_account: Option<Pick>,
    resource_policy_required: bool,
    context: Vec<(Pick, Vec<Pick>, bool)>,
    unknown_keys: Vec<Pick>,
    partial: bool,
    version_2008: bool,
}

fn one_or_many(items: Vec<String>) -> Value {
    if items.len() == 1 {
        Value::from(items.into_iter().next().unwrap_or_default())
    } else {
        Value::from(items)
    }
}

fn statement(s: &Stmt, resource_based: bool) -> Value {
    let mut m = Map::new();
    if let Some(sid) = &s.sid {
        m.insert("Sid".into(), Value::from(sid.as_str()));
    }
    m.insert("Effect".into(), Value::from(if s.deny { "Deny" } else { "Allow" }));
    let actions: Vec<String> = s.actions.iter().map(|a| a.get(ACTIONS)).collect();
    let key = if s.not_action { "NotAction" } else { "Action" };
    m.insert(key.into(), one_or_many(actions));
    if let Some(rs) = &s.resources {
        let rs: Vec<String> = rs.iter().map(|r| r.get(RESOURCES)).collect();
        let key = if s.not_resource { "NotResource" } else { "Resource" };
        m.insert(key.into(), one_or_many(rs));
    }
    if resource_based {
        let p = match &s.principal {
            None | Some(PrincipalSpec::Everyone) => Value::from("*"),
            Some(PrincipalSpec::Aws(ps)) => {
                json!({"AWS": one_or_many(ps.iter().map(|p| p.get(PRINCIPALS)).collect())})
            }
            Some(PrincipalSpec::Service(p)) => json!({"Service": p.get(SERVICES)}),
            Some(PrincipalSpec::Federated(f)) => json!({"Federated": f}),
        };
        let key = if s.not_principal { "NotPrincipal" } else { "Principal" };
        m.insert(key.into(), p);
    }
    if !s.conditions.is_empty() {
        let mut block: Map<String, Value> = Map::new();
        for c in &s.conditions {
            let op = block
                .entry(c.operator.get(OPERATORS))
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(keys) = op {
                let values: Vec<String> = c.values.iter().map(|v| v.get(VALUES)).collect();
                keys.insert(c.key.get(KEYS), one_or_many(values));
            }
        }
        m.insert("Condition".into(), Value::Object(block));
    }
    Value::Object(m)
}

fn policy(stmts: &[Stmt], resource_based: bool, version_2008: bool, name: &str) -> Option<Policy> {
    if stmts.is_empty() {
        return None;
    }
    let version = if version_2008 { "2008-10-17" } else { "2012-10-17" };
    let statements: Vec<Value> = stmts.iter().map(|s| statement(s, resource_based)).collect();
    let doc = json!({"Version": version, "Statement": statements});
    parse_policy_json(&doc.to_string(), &Origin::live(name, "Document"))
        .ok()
        .map(|p| p.with_name(name))
}

/// The same policy with its statements in reverse order.
fn reversed(p: &Policy) -> Policy {
    let mut r = p.clone();
    r.statements.reverse();
    r
}

fn run(req: &Request, id: &[&Policy], res: &[&Policy], b: Option<&Policy>, scp: Option<&Policy>) -> Decision {
    let mut set = PolicySet::new();
    for p in id {
        set = set.identity(p);
    }
    for p in res {
        set = set.resource(p);
    }
    if let Some(b) = b {
        set = set.boundary(b);
    }
    if let Some(s) = scp {
        set = set.scp_level(vec![s]);
    }
    evaluate(req, &set).decision
}

fuzz_target!(|input: Input| {
    let identity = policy(&input.identity, false, input.version_2008, "identity");
    let resource = policy(&input.resource, true, input.version_2008, "resource");
    let boundary = input
        .boundary
        .as_deref()
        .and_then(|s| policy(s, false, false, "boundary"));
    let scp = input.scp.as_deref().and_then(|s| policy(s, false, false, "scp"));

    let principal = match &input.who {
        Who::Arn(p) => RequestPrincipal::from_arn(&p.get(PRINCIPALS)),
        Who::Service(s) => RequestPrincipal::service(&s.get(SERVICES)),
        Who::Anonymous => RequestPrincipal::anonymous(),
        Who::Federated(f) => RequestPrincipal::federated(f),
    };
    let mut ctx = if input.partial {
        Context::partial()
    } else {
        Context::new()
    };
    for (k, vs, multi) in &input.context {
        let vs: Vec<String> = vs.iter().map(|v| v.get(VALUES)).collect();
        let k = k.get(KEYS);
        if *multi {
            ctx.set_multi(&k, vs);
        } else {
            ctx.set(&k, vs.into_iter().next().unwrap_or_default());
        }
    }
    for k in &input.unknown_keys {
        ctx.set_unknown(&k.get(KEYS));
    }
    let mut req = Request::new(principal, &input.action.get(ACTIONS), &input.resource_arn.get(RESOURCES))
        .with_context(ctx);
    if let Some(a) = &input.resource_account {
        req = req.with_resource_account(&a.get(PRINCIPALS));
    }
    req.resource_policy_required = input.resource_policy_required;

    let id: Vec<&Policy> = identity.iter().collect();
    let res: Vec<&Policy> = resource.iter().collect();
    let decision = run(&req, &id, &res, boundary.as_ref(), scp.as_ref());

    // Statement order never matters.
    let id_rev: Vec<Policy> = identity.iter().map(reversed).collect();
    let res_rev: Vec<Policy> = resource.iter().map(reversed).collect();
    let b_rev = boundary.as_ref().map(reversed);
    let s_rev = scp.as_ref().map(reversed);
    let again = run(
        &req,
        &id_rev.iter().collect::<Vec<_>>(),
        &res_rev.iter().collect::<Vec<_>>(),
        b_rev.as_ref(),
        s_rev.as_ref(),
    );
    assert_eq!(decision, again, "statement order changed the decision");

    // Adding a Deny never turns a decision into an Allow, and an explicit deny stays one.
    let mut deny = input.extra_deny;
    deny.deny = true;
    if let Some(extra) = policy(std::slice::from_ref(&deny), false, input.version_2008, "deny") {
        let mut with_deny = id.clone();
        with_deny.push(&extra);
        let after = run(&req, &with_deny, &res, boundary.as_ref(), scp.as_ref());
        if decision != Decision::Allow {
            assert_ne!(after, Decision::Allow, "a Deny turned {decision:?} into an Allow");
        }
        if decision == Decision::ExplicitDeny {
            assert_eq!(after, Decision::ExplicitDeny, "a Deny undid an explicit deny");
        }
    }

    // Capability analysis of the identity side.
    let mut who = Identity::new("fuzz").with_arn("arn:aws:iam::111122223333:role/fuzz");
    if let Some(p) = identity {
        who = who.with_policy(p);
    }
    if let Some(b) = boundary {
        who = who.with_boundary(b);
    }
    let caps = analyze(&who);
    let _ = caps.is_partial();
});
