//! Property tests: adding a Deny never turns a Deny into an Allow (nor adds an Allow);
//! statement order never matters; parse → serialize → parse is the identity.

use lambdasec_iam::*;
use lambdasec_model::Origin;
use proptest::prelude::*;

const ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:PutObject",
    "s3:*",
    "s3:Get*",
    "iam:PassRole",
    "*",
    "lambda:Invoke*",
];
const RESOURCES: &[&str] = &[
    "*",
    "arn:aws:s3:::b/*",
    "arn:aws:s3:::b/a",
    "arn:aws:s3:::c/*",
    "arn:aws:iam::111122223333:role/*",
];
const CONDS: &[&str] = &[
    "",
    r#","Condition":{"StringEquals":{"aws:PrincipalTag/team":"red"}}"#,
    r#","Condition":{"Bool":{"aws:SecureTransport":"false"}}"#,
    r#","Condition":{"ForAnyValue:StringLike":{"aws:TagKeys":"env*"}}"#,
    r#","Condition":{"IpAddressIfExists":{"aws:SourceIp":"10.0.0.0/8"}}"#,
];

fn statement() -> impl Strategy<Value = String> {
    (
        prop::bool::ANY,
        prop::bool::ANY,
        prop::sample::subsequence(ACTIONS, 1..3),
        prop::sample::subsequence(RESOURCES, 1..3),
        prop::sample::select(CONDS),
    )
        .prop_map(|(deny, not_action, actions, resources, cond)| {
            format!(
                r#"{{"Effect":"{}","{}":{},"Resource":{}{}}}"#,
                if deny { "Deny" } else { "Allow" },
                if not_action { "NotAction" } else { "Action" },
                serde_json::to_string(&actions).unwrap(),
                serde_json::to_string(&resources).unwrap(),
                cond
            )
        })
}

fn policy(stmts: &[String]) -> Policy {
    let text = format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        stmts.join(",")
    );
    parse_policy_json(&text, &Origin::Unknown).unwrap()
}

fn request() -> impl Strategy<Value = Request> {
    (
        prop::sample::select(
            &[
                "s3:GetObject",
                "s3:PutObject",
                "iam:PassRole",
                "lambda:InvokeFunction",
                "ec2:RunInstances",
            ][..],
        ),
        prop::sample::select(
            &[
                "arn:aws:s3:::b/a",
                "arn:aws:s3:::c/x",
                "arn:aws:iam::111122223333:role/r",
                "*",
            ][..],
        ),
        prop::option::of(prop::sample::select(&["red", "blue"][..])),
        prop::option::of(prop::bool::ANY),
        prop::bool::ANY,
    )
        .prop_map(|(action, resource, team, secure, partial)| {
            let mut ctx = if partial {
                Context::partial()
            } else {
                Context::new()
            };
            if let Some(t) = team {
                ctx.set("aws:PrincipalTag/team", t);
            }
            if let Some(s) = secure {
                ctx.set("aws:SecureTransport", s.to_string());
            }
            ctx.set_multi("aws:TagKeys", ["env", "team"]);
            ctx.set("aws:SourceIp", "10.1.2.3");
            Request::new(
                RequestPrincipal::role_session("arn:aws:iam::111122223333:role/r", "s"),
                action,
                resource,
            )
            .with_context(ctx)
        })
}

fn rank(d: Decision) -> u8 {
    // How permissive a decision can be: Allow > Depends > denies.
    match d {
        Decision::Allow => 2,
        Decision::Depends => 1,
        Decision::ImplicitDeny | Decision::ExplicitDeny => 0,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn adding_a_deny_never_grants(stmts in prop::collection::vec(statement(), 1..6), extra in statement(), req in request()) {
        let before = policy(&stmts);
        let deny = extra.replacen(r#""Effect":"Allow""#, r#""Effect":"Deny""#, 1);
        let mut more = stmts.clone();
        more.push(deny);
        let after = policy(&more);
        let a = evaluate(&req, &PolicySet::new().identity(&before));
        let b = evaluate(&req, &PolicySet::new().identity(&after));
        prop_assert!(rank(b.decision) <= rank(a.decision), "{:?} -> {:?}", a.decision, b.decision);
        if a.decision == Decision::ExplicitDeny {
            prop_assert_eq!(b.decision, Decision::ExplicitDeny);
        }
    }

    #[test]
    fn statement_order_never_matters(stmts in prop::collection::vec(statement(), 1..6), seed in any::<u64>(), req in request()) {
        let mut shuffled = stmts.clone();
        // A deterministic permutation from the seed.
        let n = shuffled.len();
        for i in (1..n).rev() {
            let j = (seed.wrapping_mul(6364136223846793005).wrapping_add(i as u64) % (i as u64 + 1)) as usize;
            shuffled.swap(i, j);
        }
        let a = evaluate(&req, &PolicySet::new().identity(&policy(&stmts)));
        let b = evaluate(&req, &PolicySet::new().identity(&policy(&shuffled)));
        prop_assert_eq!(a.decision, b.decision);
        prop_assert_eq!(a.statements.len(), b.statements.len());
    }

    #[test]
    fn splitting_into_policies_never_matters(stmts in prop::collection::vec(statement(), 2..6), req in request()) {
        let whole = policy(&stmts);
        let (l, r) = stmts.split_at(stmts.len() / 2);
        let (pl, pr) = (policy(l), policy(r));
        let a = evaluate(&req, &PolicySet::new().identity(&whole));
        let b = evaluate(&req, &PolicySet::new().identity(&pl).identity(&pr));
        prop_assert_eq!(a.decision, b.decision);
    }

    #[test]
    fn parse_serialize_parse_is_identity(stmts in prop::collection::vec(statement(), 1..6)) {
        let p = policy(&stmts);
        let text = policy_to_json(&p);
        let q = parse_policy_json(&text, &Origin::Unknown).unwrap();
        prop_assert_eq!(&p, &q);
        prop_assert_eq!(text, policy_to_json(&q));
    }
}
