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
    assert_eq!(retention, vec![Some(14), None, Some(90)]);
    // a log group named after a function is linked to it
    let image = function(&inv, "aws_lambda_function.image");
    assert_eq!(
        image.log_group.as_ref().unwrap().get(),
        Some(&local("aws_cloudwatch_log_group.image"))
    );
    assert!(
        function(&inv, "aws_lambda_function.api")
            .log_group
            .is_none()
    );
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

#[test]
fn local_modules_with_for_each_count_and_outputs() {
    let (inv, sources) = load_dir("modules", &LoadOptions::default());
    let ids: Vec<&str> = inv.functions.iter().map(|f| f.meta.id.as_str()).collect();
    assert_eq!(
        ids,
        vec![
            r#"module.worker["a"].aws_lambda_function.this"#,
            r#"module.worker["b"].aws_lambda_function.this"#,
            "module.single.aws_lambda_function.this",
        ]
    );
    let a = function(&inv, r#"module.worker["a"].aws_lambda_function.this"#);
    // the module input, from each.key in the caller
    assert_eq!(a.name.as_ref().unwrap().as_str(), Some("worker-a"));
    assert_eq!(a.runtime.as_ref().unwrap().as_str(), Some("nodejs16.x"));
    assert_eq!(
        file_name(&sources, &a.runtime.as_ref().unwrap().origin),
        "main.tf"
    );
    assert_eq!(
        a.role.as_ref().unwrap().get(),
        Some(&local(r#"module.worker["a"].aws_iam_role.this"#))
    );
    // `${path.module}/fn.zip` is next to the module's files
    assert_eq!(
        a.code.as_ref().unwrap().get(),
        Some(&Code::Local {
            path: "fn.zip".into()
        })
    );
    let single = function(&inv, "module.single.aws_lambda_function.this");
    assert_eq!(
        single.runtime.as_ref().unwrap().as_str(),
        Some("python3.12")
    );

    // a module output that is a resource attribute is a reference to that resource, blamed
    // where the caller uses it
    let p = &inv.permissions[0];
    assert_eq!(
        p.function.get(),
        Some(&local("module.single.aws_lambda_function.this"))
    );
    assert_eq!(
        text(&sources, &p.function.origin),
        "module.single.function_name"
    );
    // a registry module is not loaded: its outputs are unknown, and that is reported
    let source_arn = &p.conditions_on("aws:SourceArn").next().unwrap().values[0];
    assert_eq!(
        source_arn.unresolved_expr(),
        Some("module.registry.lambda_function_arn")
    );
    assert!(
        inv.diagnostics
            .iter()
            .any(|d| d.level == Level::Warning && d.message.contains("module `registry`")),
        "{:?}",
        inv.diagnostics
    );
    assert_eq!(inv.roles.len(), 3);
}

#[test]
fn api_gateway_routes_stages_and_authorizers() {
    let (inv, _) = load_dir("api", &LoadOptions::default());
    assert!(inv.diagnostics.is_empty(), "{:#?}", inv.diagnostics);
    let route = |id: &str| inv.routes.iter().find(|r| r.meta.id == id).unwrap();

    let get = route("aws_api_gateway_method.get_order");
    assert_eq!(get.path.as_str(), Some("/orders/{id}"));
    assert_eq!(get.method.as_str(), Some("GET"));
    assert_eq!(get.authorization_type.as_str(), Some("NONE"));
    assert_eq!(get.api.get(), Some(&local("aws_api_gateway_rest_api.api")));
    assert_eq!(
        get.function.as_ref().unwrap().get(),
        Some(&local("aws_lambda_function.handler"))
    );
    let post = route("aws_api_gateway_method.post_orders");
    assert_eq!(post.path.as_str(), Some("/orders"));
    assert_eq!(post.api_key_required.get(), Some(&true));
    assert_eq!(
        post.authorizer.as_ref().unwrap().get(),
        Some(&local("aws_api_gateway_authorizer.token"))
    );
    // a literal integration URI names the function by ARN
    assert_eq!(
        post.function.as_ref().unwrap().get(),
        Some(&Target::Arn(
            "arn:aws:lambda:eu-west-1:123456789012:function:other".into()
        ))
    );
    let items = route("aws_apigatewayv2_route.items");
    assert_eq!(
        (items.method.as_str(), items.path.as_str()),
        (Some("GET"), Some("/items"))
    );
    assert_eq!(items.authorization_type.as_str(), Some("JWT"));
    assert_eq!(
        items.function.as_ref().unwrap().get(),
        Some(&local("aws_lambda_function.handler"))
    );
    // quick create: the route and stage AWS makes, marked synthesized
    let quick = route("aws_apigatewayv2_api.quick.route");
    assert!(quick.meta.synthesized);
    assert_eq!(
        quick.authorization_type.get().map(String::as_str),
        Some("NONE")
    );

    let prod = inv
        .stages
        .iter()
        .find(|s| s.meta.id == "aws_api_gateway_stage.prod")
        .unwrap();
    assert_eq!(
        prod.access_log_destination.as_ref().unwrap().get(),
        Some(&local("aws_cloudwatch_log_group.access"))
    );
    assert_eq!(prod.logging_level.as_ref().unwrap().as_str(), Some("INFO"));
    assert!(prod.tracing_enabled.is_default());
    let token = &inv.authorizers[0];
    assert_eq!(token.kind.as_str(), Some("TOKEN"));
    assert!(token.kind.is_default());
    assert_eq!(
        token.function.as_ref().unwrap().get(),
        Some(&local("aws_lambda_function.handler"))
    );
    let rest = &inv.apis[0];
    assert_eq!(
        rest.endpoint_type.as_ref().unwrap().as_str(),
        Some("REGIONAL")
    );
    let policy = rest.policy.as_ref().unwrap();
    assert_eq!(
        json(policy)["Statement"][0]["Principal"],
        serde_json::json!("*")
    );
}

#[test]
fn event_sources_networks_and_trails() {
    let (inv, _) = load_dir("events", &LoadOptions::default());
    assert!(errors(&inv).is_empty(), "{:?}", inv.diagnostics);
    // aws_vpc is not in the model: it is declared all the same, so references to it are local
    // and not dangling
    assert!(inv.diagnostics.is_empty(), "{:#?}", inv.diagnostics);
    assert!(
        inv.other_resources
            .iter()
            .any(|r| r.id == "aws_vpc.main" && r.type_name == "aws_vpc")
    );
    let jobs = inv
        .queues
        .iter()
        .find(|q| q.meta.id == "aws_sqs_queue.jobs")
        .unwrap();
    assert_eq!(
        jobs.dead_letter_target.as_ref().unwrap().get(),
        Some(&local("aws_sqs_queue.dlq"))
    );
    assert_eq!(jobs.max_receive_count.as_ref().unwrap().get(), Some(&5));
    assert_eq!(jobs.sqs_managed_sse.get(), Some(&false));
    assert_eq!(
        json(jobs.policy.as_ref().unwrap())["Statement"][0]["Principal"],
        serde_json::json!("*")
    );
    let dlq = inv
        .queues
        .iter()
        .find(|q| q.meta.id == "aws_sqs_queue.dlq")
        .unwrap();
    assert_eq!(dlq.sqs_managed_sse.get(), Some(&true));
    assert!(dlq.sqs_managed_sse.is_default());

    let sub = &inv.subscriptions[0];
    assert_eq!(
        sub.endpoint.get(),
        Some(&local("aws_lambda_function.consumer"))
    );
    assert_eq!(sub.topic.get(), Some(&local("aws_sns_topic.alerts")));

    let uploads = inv
        .buckets
        .iter()
        .find(|b| b.meta.id == "aws_s3_bucket.uploads")
        .unwrap();
    let n = &uploads.notifications[0];
    assert_eq!(
        n.function.get(),
        Some(&local("aws_lambda_function.consumer"))
    );
    assert_eq!(
        json(n.filter.as_ref().unwrap()),
        serde_json::json!({"S3Key": {"Rules": [{"Name": "prefix", "Value": "incoming/"}]}})
    );
    // a notification on a bucket declared elsewhere keeps the bucket by name
    let external = inv
        .buckets
        .iter()
        .find(|b| b.meta.id == "aws_s3_bucket_notification.external")
        .unwrap();
    assert_eq!(
        external.name.as_ref().unwrap().as_str(),
        Some("someone-elses-bucket")
    );

    let nightly = inv
        .event_rules
        .iter()
        .find(|r| r.meta.id.ends_with("nightly"))
        .unwrap();
    assert_eq!(
        nightly.targets[0].get(),
        Some(&local("aws_lambda_function.consumer"))
    );
    assert!(nightly.enabled.is_default());
    let pattern = inv
        .event_rules
        .iter()
        .find(|r| r.meta.id.ends_with("pattern"))
        .unwrap();
    assert_eq!(pattern.enabled.get(), Some(&false));

    let trail = &inv.trails[0];
    assert!(trail.is_logging.is_default());
    assert_eq!(
        trail.event_selectors[0].data_resources[0].values[0].as_str(),
        Some("arn:aws:lambda")
    );
    assert_eq!(
        json(trail.advanced_event_selectors.as_ref().unwrap())[0]["FieldSelectors"][1]["Equals"],
        serde_json::json!(["AWS::Lambda::Function"])
    );

    let sg = &inv.security_groups[0];
    let ingress: Vec<(Option<&str>, Option<&str>, Option<i64>)> = sg
        .ingress
        .iter()
        .map(|r| {
            (
                r.cidr_ipv4.as_ref().and_then(Value::as_str),
                r.cidr_ipv6.as_ref().and_then(Value::as_str),
                r.from_port.as_ref().and_then(|p| p.get().copied()),
            )
        })
        .collect();
    assert_eq!(
        ingress,
        vec![
            (Some("0.0.0.0/0"), None, Some(443)),
            (Some("10.0.0.0/8"), None, Some(443)),
            (None, Some("::/0"), Some(22)),
        ]
    );
    // Terraform removes AWS's default egress: only the standalone rule is there
    assert_eq!(sg.egress.len(), 1);
    assert_eq!(sg.egress[0].protocol.as_str(), Some("-1"));
    assert_eq!(sg.vpc.as_ref().unwrap().get(), Some(&local("aws_vpc.main")));

    let f = function(&inv, "aws_lambda_function.consumer");
    let vpc = f.vpc.as_ref().unwrap();
    assert_eq!(vpc.subnets[0].get(), Some(&local("aws_subnet.private")));
    assert_eq!(
        f.code.as_ref().unwrap().get(),
        Some(&Code::S3 {
            bucket: "artifacts".into(),
            key: "consumer.jar".into(),
            version: None
        })
    );
    assert_eq!(
        inv.subnets[0].availability_zone.as_ref().unwrap().as_str(),
        Some("eu-west-1a")
    );
}

#[test]
fn broken_files_are_reported_and_the_rest_loads() {
    let (inv, sources) = load_dir("broken", &LoadOptions::default());
    let errs: Vec<_> = inv
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .collect();
    assert_eq!(errs.len(), 1, "{:#?}", inv.diagnostics);
    assert!(errs[0].message.contains("bad.tf:3:"), "{}", errs[0].message);
    assert_eq!(file_name(&sources, &errs[0].origin), "bad.tf");
    // the other file loads; what cannot be evaluated is unresolved, with a warning
    let f = function(&inv, "aws_lambda_function.ok");
    assert_eq!(
        f.env_vars()[0].value.unresolved_expr(),
        Some("local.missing")
    );
    assert!(f.timeout_seconds.is_unresolved());
    let warnings: Vec<&str> = inv
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Warning)
        .map(|d| d.message.as_str())
        .collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("`local.missing` is not declared"))
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("should be a whole number"))
    );
}

#[test]
fn plan_json() {
    let sources = SourceMap::new();
    let d = discover(&[fixture("plan/plan.json")], &sources);
    assert_eq!(d.units.len(), 1);
    assert_eq!(d.units[0].kind, InputKind::TerraformPlan);
    let inv = load(&d.units[0], &sources, &LoadOptions::default());
    assert!(inv.diagnostics.is_empty(), "{:#?}", inv.diagnostics);
    assert_eq!(inv.input, Some(InputKind::TerraformPlan));
    assert_eq!(inv.region.as_deref(), Some("eu-central-1"));
    let api = function(&inv, "aws_lambda_function.api");
    assert_eq!(api.runtime.as_ref().unwrap().as_str(), Some("python3.8"));
    assert_eq!(
        text(&sources, &api.runtime.as_ref().unwrap().origin),
        "\"python3.8\""
    );
    // unknown until apply, but the configuration says which resource it is
    assert_eq!(
        api.role.as_ref().unwrap().get(),
        Some(&local("aws_iam_role.exec"))
    );
    assert_eq!(api.env_vars()[0].name, "DB_PASSWORD");
    assert_eq!(api.tracing.get(), Some(&TracingMode::PassThrough));
    assert!(api.vpc.is_none());
    assert!(api.reserved_concurrency.is_none());
    // tags_all: the provider's default tags included
    assert_eq!(api.tags.get().unwrap().len(), 2);

    let worker = function(&inv, "module.worker[0].aws_lambda_function.this");
    assert!(worker.role.as_ref().unwrap().is_unresolved());
    assert_eq!(worker.tracing.get(), Some(&TracingMode::Active));
    let url = &inv.function_urls[0];
    assert_eq!(url.function.get(), Some(&local("aws_lambda_function.api")));
    assert_eq!(url.auth_type.get(), Some(&UrlAuthType::None));
    assert!(url.cors.is_none());
    let trust = inv.roles[0].assume_role_policy.as_ref().unwrap();
    assert_eq!(
        json(trust)["Statement"][0]["Principal"]["Service"],
        serde_json::json!("lambda.amazonaws.com")
    );
}
