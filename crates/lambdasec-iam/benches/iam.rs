//! Benchmarks: request evaluation, and full capability analysis of an account with 1,000 roles.
//!
//! `cargo bench -p lambdasec-iam --bench iam`

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "benchmark setup on fixed, valid input"
)]

use criterion::{Criterion, criterion_group, criterion_main};
use lambdasec_iam::*;
use lambdasec_model::Origin;
use std::hint::black_box;

const POLICY: &str = r#"{"Version":"2012-10-17","Statement":[
  {"Sid":"Logs","Effect":"Allow","Action":["logs:CreateLogGroup","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"arn:aws:logs:*:111122223333:*"},
  {"Sid":"Data","Effect":"Allow","Action":["dynamodb:GetItem","dynamodb:PutItem","dynamodb:Query"],"Resource":"arn:aws:dynamodb:us-east-1:111122223333:table/orders*"},
  {"Sid":"Read","Effect":"Allow","Action":"s3:Get*","Resource":"arn:aws:s3:::assets-${aws:PrincipalTag/team}/*","Condition":{"Bool":{"aws:SecureTransport":"true"},"IpAddressIfExists":{"aws:SourceIp":["10.0.0.0/8","2001:db8::/32"]}}},
  {"Sid":"NoDelete","Effect":"Deny","Action":"s3:Delete*","Resource":"*"},
  {"Sid":"Secrets","Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:us-east-1:111122223333:secret:app/*","Condition":{"StringEquals":{"aws:ResourceTag/app":"orders"}}}
]}"#;

fn evaluation(c: &mut Criterion) {
    let p = parse_policy_json(POLICY, &Origin::Unknown).unwrap();
    let boundary = managed_policy("PowerUserAccess");
    let ManagedLookup::Found(boundary) = boundary else {
        panic!("embedded")
    };
    let set = PolicySet::new().identity(&p).boundary(&boundary);
    let principal = RequestPrincipal::role_session("arn:aws:iam::111122223333:role/app", "s");
    let ctx = Context::new()
        .with("aws:PrincipalTag/team", "red")
        .with("aws:SecureTransport", "true")
        .with("aws:SourceIp", "10.1.2.3");
    let allowed = Request::new(
        principal.clone(),
        "s3:GetObject",
        "arn:aws:s3:::assets-red/logo.png",
    )
    .with_context(ctx.clone());
    let denied = Request::new(
        principal.clone(),
        "s3:DeleteObject",
        "arn:aws:s3:::assets-red/logo.png",
    )
    .with_context(ctx);
    let partial = Request::new(
        principal,
        "secretsmanager:GetSecretValue",
        "arn:aws:secretsmanager:us-east-1:111122223333:secret:app/db",
    )
    .with_context(Context::partial());
    c.bench_function("evaluate/allow", |b| {
        b.iter(|| evaluate(black_box(&allowed), black_box(&set)))
    });
    c.bench_function("evaluate/explicit_deny", |b| {
        b.iter(|| evaluate(black_box(&denied), black_box(&set)))
    });
    c.bench_function("evaluate/partial", |b| {
        b.iter(|| evaluate(black_box(&partial), black_box(&set)))
    });
    c.bench_function("parse/policy_json", |b| {
        b.iter(|| parse_policy_json(black_box(POLICY), &Origin::Unknown).unwrap())
    });
    let id = Identity::new("app")
        .with_policy(p.clone())
        .with_managed("AWSLambdaBasicExecutionRole", &Origin::Unknown);
    c.bench_function("analyze/one_role", |b| b.iter(|| analyze(black_box(&id))));
}

/// An authorization-details document with `n` roles, each with two inline policies drawn from
/// a few shapes and one or two AWS managed policies.
pub fn account(n: usize) -> String {
    let managed = [
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        "arn:aws:iam::aws:policy/ReadOnlyAccess",
        "arn:aws:iam::aws:policy/AmazonS3FullAccess",
        "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess",
        "arn:aws:iam::aws:policy/PowerUserAccess",
        "arn:aws:iam::aws:policy/AWSLambda_FullAccess",
    ];
    let inline = [
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::bucket-N/*"}]}"#,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:PassRole","lambda:CreateFunction","lambda:InvokeFunction"],"Resource":"*"}]}"#,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":["iam:*","organizations:*"],"Resource":"*"},{"Effect":"Deny","Action":"s3:Delete*","Resource":"*"}]}"#,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["secretsmanager:GetSecretValue","kms:Decrypt"],"Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/app":"N"}}}]}"#,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["dynamodb:*"],"Resource":["arn:aws:dynamodb:*:*:table/t-N","arn:aws:dynamodb:*:*:table/t-N/index/*"]},{"Effect":"Allow","Action":"sqs:*","Resource":"*"}]}"#,
    ];
    let mut roles = Vec::with_capacity(n);
    for i in 0..n {
        let a = inline[i % inline.len()].replace('N', &i.to_string());
        let b = inline[(i / 3 + 1) % inline.len()].replace('N', &i.to_string());
        let mut attached = vec![format!(
            r#"{{"PolicyName":"m","PolicyArn":"{}"}}"#,
            managed[i % managed.len()]
        )];
        if i % 2 == 0 {
            attached.push(format!(
                r#"{{"PolicyName":"m2","PolicyArn":"{}"}}"#,
                managed[(i / 2) % managed.len()]
            ));
        }
        roles.push(format!(
            r#"{{"RoleName":"role-{i}","Arn":"arn:aws:iam::111122223333:role/role-{i}","AssumeRolePolicyDocument":{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Service":"lambda.amazonaws.com"}},"Action":"sts:AssumeRole"}}]}},"RolePolicyList":[{{"PolicyName":"a","PolicyDocument":{a}}},{{"PolicyName":"b","PolicyDocument":{b}}}],"AttachedManagedPolicies":[{}]}}"#,
            attached.join(",")
        ));
    }
    format!(
        r#"{{"RoleDetailList":[{}],"UserDetailList":[],"GroupDetailList":[],"Policies":[]}}"#,
        roles.join(",")
    )
}

fn capability(c: &mut Criterion) {
    let text = account(1000);
    // Load embedded data once, outside the measurement.
    let _ = catalog().len();
    let _ = read_authorization_details(&account(6)).unwrap().analyze();
    let mut g = c.benchmark_group("account");
    g.sample_size(10);
    g.bench_function("read_and_analyze_1000_roles", |b| {
        b.iter(|| {
            let d = read_authorization_details(black_box(&text)).unwrap();
            d.analyze()
        })
    });
    g.finish();
}

fn data(c: &mut Criterion) {
    let mut g = c.benchmark_group("data");
    g.sample_size(10);
    g.bench_function("catalog_load", |b| {
        b.iter(|| Catalog::from_gzip(black_box(include_bytes!("../data/catalog.tsv.gz"))))
    });
    g.bench_function("managed_policies_load", |b| {
        b.iter(|| {
            ManagedPolicies::from_gzip(black_box(include_bytes!(
                "../data/managed-policies.json.gz"
            )))
        })
    });
    g.finish();
}

criterion_group!(benches, evaluation, capability, data);
criterion_main!(benches);
