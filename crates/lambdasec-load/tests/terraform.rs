//! Terraform loader: fixture modules in, model values (with their origins) out.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers fail loudly on unexpected fixtures"
)]

use lambdasec_load::{LoadOptions, discover, load};
use lambdasec_model::{
    Code, Function, InputKind, Inventory, Level, Node, Origin, PackageType, Principal, SourceMap,
    Target, TracingMode, UrlAuthType, Value,
};
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/terraform")
        .join(name)
}

fn load_dir(name: &str, options: &LoadOptions) -> (Inventory, SourceMap) {
    let sources = SourceMap::new();
    let d = discover(&[fixture(name)], &sources);
    assert!(d.errors.is_empty(), "{:?}", d.errors);
    let units: Vec<_> = d.units.iter().filter(|u| u.root == fixture(name)).collect();
    assert_eq!(units.len(), 1, "{:?}", d.units);
    let unit = units[0];
    assert_eq!(unit.kind, InputKind::Terraform);
    let inv = load(unit, &sources, options);
    (inv, sources)
}

/// The text an origin points at.
fn text(sources: &SourceMap, origin: &Origin) -> String {
    match origin {
        Origin::Source { file, span, .. } => sources.get(*file).unwrap().slice(*span).to_owned(),
        other => panic!("not a source origin: {other:?}"),
    }
}

fn file_name(sources: &SourceMap, origin: &Origin) -> String {
    let f = sources.get(origin.file().unwrap()).unwrap();
    PathBuf::from(&f.path)
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

fn function<'a>(inv: &'a Inventory, id: &str) -> &'a Function {
    inv.functions
        .iter()
        .find(|f| f.meta.id == id)
        .unwrap_or_else(|| panic!("no function {id}"))
}

fn local(id: &str) -> Target {
    Target::Local(id.to_owned())
}

fn json(node: &Node) -> serde_json::Value {
    serde_json::from_str(&node.to_json_text()).unwrap()
}

fn errors(inv: &Inventory) -> Vec<&str> {
    inv.diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .map(|d| d.message.as_str())
        .collect()
}

#[test]
fn basic_functions_variables_and_defaults() {
    let (inv, sources) = load_dir("basic", &LoadOptions::default());
    assert!(inv.diagnostics.is_empty(), "{:#?}", inv.diagnostics);
    assert_eq!(inv.region.as_deref(), Some("eu-west-1"));
    let f = function(&inv, "aws_lambda_function.api");

    // locals and tfvars: `api-${var.env}` with env = "prod" from terraform.tfvars
    assert_eq!(f.name.as_ref().unwrap().as_str(), Some("api-prod"));
    // a variable default, blamed where it is written (variables.tf), named by its use
    let runtime = f.runtime.as_ref().unwrap();
    assert_eq!(runtime.as_str(), Some("python3.9"));
    assert_eq!(text(&sources, &runtime.origin), "\"python3.9\"");
    assert_eq!(file_name(&sources, &runtime.origin), "variables.tf");
    assert_eq!(
        runtime.origin.path(),
        Some("aws_lambda_function.api.runtime")
    );
    // tfvars beat the default
    assert_eq!(f.memory_mb.get(), Some(&512));
    assert_eq!(file_name(&sources, &f.memory_mb.origin), "terraform.tfvars");

    // references are resource addresses, blamed at the reference
    let role = f.role.as_ref().unwrap();
    assert_eq!(role.get(), Some(&local("aws_iam_role.exec")));
    assert_eq!(text(&sources, &role.origin), "aws_iam_role.exec.arn");
    // a KMS alias stands for its key
    assert_eq!(
        f.kms_key.as_ref().unwrap().get(),
        Some(&local("aws_kms_key.env"))
    );
    assert_eq!(
        f.layers
            .iter()
            .map(|l| l.get().cloned().unwrap())
            .collect::<Vec<_>>(),
        vec![
            local("aws_lambda_layer_version.deps"),
            Target::Arn("arn:aws:lambda:eu-west-1:999999999999:layer:ext:4".into())
        ]
    );
    assert_eq!(
        f.code.as_ref().unwrap().get(),
        Some(&Code::Local {
            path: "build/api.zip".into()
        })
    );

    // environment: known values and an unknown data source attribute
    let env = f.env_vars();
    assert_eq!(env.len(), 3);
    assert_eq!(env[0].name, "STAGE");
    assert_eq!(env[0].value.as_str(), Some("prod"));
    assert_eq!(
        env[2].value.unresolved_expr(),
        Some("data.aws_secretsmanager_secret.db.arn")
    );
    assert_eq!(text(&sources, &env[1].name_origin), "TABLE");

    // dynamic blocks with an empty for_each: absent, so AWS defaults apply
    assert!(f.tracing.is_default());
    assert_eq!(f.tracing.get(), Some(&TracingMode::PassThrough));
    assert!(f.tracing.origin.is_implied());
    assert!(f.vpc.is_none());
    assert!(f.reserved_concurrency.is_none());
    assert_eq!(f.timeout_seconds.get(), Some(&3));

    // provider default_tags merged under the resource's own tags
    let tags: Vec<(&str, Option<&str>)> = f
        .tags
        .get()
        .unwrap()
        .iter()
        .map(|t| (t.key.as_str(), t.value.as_str()))
        .collect();
    assert_eq!(
        tags,
        vec![
            ("team", Some("payments")),
            ("app", Some("api-prod")),
            ("tier", Some("backend"))
        ]
    );

    // the suppression comment above the block
    assert_eq!(f.meta.suppressions.len(), 1);
    assert_eq!(f.meta.suppressions[0].code, "AVL001");
    assert_eq!(
        f.meta.suppressions[0].reason.as_deref(),
        Some("concurrency is managed by the account quota")
    );

    let image = function(&inv, "aws_lambda_function.image");
    assert_eq!(image.package_type.get(), Some(&PackageType::Image));
    assert_eq!(image.tracing.get(), Some(&TracingMode::Active));
    assert!(image.tracing.is_explicit());
    assert!(image.reserved_concurrency.is_none(), "-1 means unreserved");
    assert_eq!(image.timeout_seconds.get(), Some(&30));
    assert!(image.runtime.is_none());
}

#[test]
fn basic_iam() {
    let (inv, sources) = load_dir("basic", &LoadOptions::default());
    let role = &inv.roles[0];
    assert_eq!(role.meta.id, "aws_iam_role.exec");
    assert_eq!(role.name.as_ref().unwrap().as_str(), Some("api-prod-exec"));
    // the trust policy from an aws_iam_policy_document data source
    let trust = role.assume_role_policy.as_ref().unwrap();
    assert_eq!(
        json(trust),
        serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Action": "sts:AssumeRole",
                "Principal": {"Service": "lambda.amazonaws.com"}
            }]
        })
    );
    let service = trust.get("Statement").unwrap().as_list().unwrap()[0]
        .get("Principal")
        .unwrap()
        .get("Service")
        .unwrap();
    assert_eq!(text(&sources, &service.origin), "\"lambda.amazonaws.com\"");

    // a heredoc policy: every node points at its own text
    let inline = &role.inline_policies[0];
    assert_eq!(inline.name.as_str(), Some("logs"));
    let action = inline.document.get("Statement").unwrap().as_list().unwrap()[0]
        .get("Action")
        .unwrap();
    assert_eq!(action.as_str(), Some("logs:*"));
    assert_eq!(text(&sources, &action.origin), "\"logs:*\"");
    assert_eq!(
        action.origin.path(),
        Some("aws_iam_role.exec.inline_policy[0].policy.Statement[0].Action")
    );

    // attachments join the role
    let managed: Vec<Target> = role
        .managed_policies
        .iter()
        .map(|p| p.get().cloned().unwrap())
        .collect();
    assert_eq!(
        managed,
        vec![
            Target::Arn("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole".into()),
            local("aws_iam_policy.admin")
        ]
    );

    // jsonencode: structure and spans kept
    let admin = inv
        .policies
        .iter()
        .find(|p| p.meta.id == "aws_iam_policy.admin")
        .unwrap();
    let st = &admin.document.get("Statement").unwrap().as_list().unwrap()[0];
    assert_eq!(st.get("Action").unwrap().as_str(), Some("*"));
    assert_eq!(text(&sources, &st.get("Action").unwrap().origin), "\"*\"");

    // a role policy: the document with an unknown ARN in it, the role by reference
    let access = inv
        .policies
        .iter()
        .find(|p| p.meta.id == "aws_iam_role_policy.access")
        .unwrap();
    assert_eq!(access.roles[0].get(), Some(&local("aws_iam_role.exec")));
    let deny = &access.document.get("Statement").unwrap().as_list().unwrap()[1];
    assert_eq!(deny.get("Effect").unwrap().as_str(), Some("Deny"));
    assert!(deny.get("Resource").unwrap().is_unresolved());
    assert_eq!(
        json(deny.get("Condition").unwrap()),
        serde_json::json!({"StringEquals": {"aws:PrincipalAccount": "123456789012"}})
    );
    let read = &access.document.get("Statement").unwrap().as_list().unwrap()[0];
    assert_eq!(
        json(read.get("Action").unwrap()),
        serde_json::json!(["s3:GetObject", "s3:ListBucket"])
    );
}

#[test]
fn basic_urls_permissions_and_instances() {
    let (inv, _) = load_dir("basic", &LoadOptions::default());
    let url = &inv.function_urls[0];
    assert_eq!(url.function.get(), Some(&local("aws_lambda_function.api")));
    assert_eq!(url.auth_type.get(), Some(&UrlAuthType::None));
    let cors = url.cors.as_ref().unwrap();
    assert_eq!(cors.allow_origins[0].as_str(), Some("*"));
    assert_eq!(cors.allow_credentials.as_ref().unwrap().get(), Some(&true));

    let s3 = inv
        .permissions
        .iter()
        .find(|p| p.meta.id == "aws_lambda_permission.s3")
        .unwrap();
    assert_eq!(
        s3.principal.get(),
        Some(&Principal::Service("s3.amazonaws.com".into()))
    );
    let cond = s3.conditions_on("aws:SourceArn").next().unwrap();
    assert_eq!(cond.operator, "ArnLike");
    assert_eq!(
        cond.values[0].unresolved_expr(),
        Some("aws_s3_bucket.data.arn")
    );
    let public = inv
        .permissions
        .iter()
        .find(|p| p.meta.id == "aws_lambda_permission.url")
        .unwrap();
    assert_eq!(public.principal.get(), Some(&Principal::Any));
    let c = public
        .conditions_on("lambda:FunctionUrlAuthType")
        .next()
        .unwrap();
    assert_eq!(c.values[0].as_str(), Some("NONE"));

    // for_each over a set, and over another resource's instances
    let queues: Vec<&str> = inv.queues.iter().map(|q| q.meta.id.as_str()).collect();
    assert_eq!(
        queues,
        vec![
            r#"aws_sqs_queue.work["orders"]"#,
            r#"aws_sqs_queue.work["refunds"]"#
        ]
    );
    assert_eq!(
        inv.queues[1].name.as_ref().unwrap().as_str(),
        Some("svc-prod-refunds")
    );
    let sources: Vec<Target> = inv
        .event_source_mappings
        .iter()
        .map(|m| m.event_source.as_ref().unwrap().get().cloned().unwrap())
        .collect();
    assert_eq!(
        sources,
        vec![
            local(r#"aws_sqs_queue.work["orders"]"#),
            local(r#"aws_sqs_queue.work["refunds"]"#)
        ]
    );
    // count, with count.index in expressions
    let retention: Vec<Option<i64>> = inv
        .log_groups
        .iter()
        .map(|l| l.retention_days.as_ref().and_then(|r| r.get().copied()))
        .collect();
    assert_eq!(retention, vec![Some(14), None]);
    assert_eq!(
        inv.log_groups[1].name.as_ref().unwrap().as_str(),
        Some("/aws/lambda/api-prod-1")
    );
    let key = &inv.kms_keys[0];
    assert_eq!(key.aliases[0].as_str(), Some("alias/api-prod"));
    assert!(key.rotation_enabled.is_explicit());
    // no dangling references: every local target names a declared resource
    assert!(errors(&inv).is_empty());
    assert!(
        !inv.diagnostics
            .iter()
            .any(|d| d.message.contains("not declared")),
        "{:?}",
        inv.diagnostics
    );
}

#[test]
fn parameters_override_variables() {
    let mut options = LoadOptions::default();
    options
        .parameters
        .insert("runtime".into(), "nodejs22.x".into());
    options
        .parameters
        .insert("subnet_ids".into(), r#"["subnet-1", "subnet-2"]"#.into());
    options
        .parameters
        .insert("enable_tracing".into(), "true".into());
    let (inv, sources) = load_dir("basic", &options);
    let f = function(&inv, "aws_lambda_function.api");
    let runtime = f.runtime.as_ref().unwrap();
    assert_eq!(runtime.as_str(), Some("nodejs22.x"));
    assert_eq!(text(&sources, &runtime.origin), "nodejs22.x");
    assert_eq!(f.tracing.get(), Some(&TracingMode::Active));
    let vpc = f.vpc.as_ref().unwrap();
    let subnets: Vec<Option<&Target>> = vpc.subnets.iter().map(Value::get).collect();
    assert_eq!(
        subnets,
        vec![
            Some(&Target::Name("subnet-1".into())),
            Some(&Target::Name("subnet-2".into()))
        ]
    );
    assert_eq!(text(&sources, &vpc.subnets[1].origin), "\"subnet-2\"");
}
