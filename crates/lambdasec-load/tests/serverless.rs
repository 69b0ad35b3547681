//! serverless.yml loader: fixture services in, model values (with their origins) out.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers fail loudly on unexpected fixtures"
)]

use lambdasec_load::{LoadOptions, discover, load};
use lambdasec_model::{
    Function, InputKind, Inventory, Level, Node, Origin, Principal, SourceMap, Target, TracingMode,
    UrlAuthType, Value,
};
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/serverless")
        .join(name)
        .join("serverless.yml")
}

fn load_service(name: &str, options: &LoadOptions) -> (Inventory, SourceMap) {
    let sources = SourceMap::new();
    let d = discover(&[fixture(name)], &sources);
    assert!(d.errors.is_empty(), "{:?}", d.errors);
    assert_eq!(d.units.len(), 1);
    assert_eq!(d.units[0].kind, InputKind::Serverless);
    let inv = load(&d.units[0], &sources, options);
    (inv, sources)
}

fn text(sources: &SourceMap, origin: &Origin) -> String {
    match origin.anchor() {
        Origin::Source { file, span, .. } => sources.get(*file).unwrap().slice(*span).to_owned(),
        other => panic!("not a source origin: {other:?}"),
    }
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

fn env<'a>(f: &'a Function, name: &str) -> &'a Value<String> {
    &f.env_vars().iter().find(|e| e.name == name).unwrap().value
}

#[test]
fn provider_settings_variables_and_framework_defaults() {
    let (inv, sources) = load_service("basic", &LoadOptions::default());
    assert!(inv.diagnostics.is_empty(), "{:#?}", inv.diagnostics);
    assert_eq!(inv.input, Some(InputKind::Serverless));
    assert_eq!(inv.region.as_deref(), Some("eu-west-1"));
    let api = function(&inv, "api");
    // the Framework's name, memory from `${self:custom.memory.${self:provider.stage}}`
    assert_eq!(api.name.as_ref().unwrap().as_str(), Some("orders-dev-api"));
    assert!(api.name.as_ref().unwrap().is_default());
    assert_eq!(api.memory_mb.get(), Some(&512));
    assert_eq!(text(&sources, &api.memory_mb.origin), "512");
    assert_eq!(api.memory_mb.origin.path(), Some("provider.memorySize"));
    assert_eq!(api.timeout_seconds.get(), Some(&10));
    // provider runtime and tracing
    assert_eq!(api.runtime.as_ref().unwrap().as_str(), Some("python3.9"));
    assert_eq!(api.tracing.get(), Some(&TracingMode::Active));
    // environment: provider's merged with the function's, variables resolved
    assert_eq!(env(api, "TABLE").as_str(), Some("orders-dev-orders"));
    assert_eq!(env(api, "LOG_LEVEL").as_str(), Some("debug"));
    assert_eq!(
        env(api, "DB_PASSWORD").unresolved_expr(),
        Some("${ssm:/orders/db-password}")
    );
    let client = env(api, "CLIENT_ID");
    assert_eq!(client.as_str(), Some("client-1234"));
    assert!(
        sources
            .get(client.origin.file().unwrap())
            .unwrap()
            .path
            .ends_with("dev.yml")
    );
    let worker = function(&inv, "worker");
    // `${env:LOG_LEVEL, 'info'}`: the environment of the scan is never read; the fallback holds
    assert_eq!(env(worker, "LOG_LEVEL").as_str(), Some("info"));
    // the Framework's default timeout, and a function's own settings
    assert_eq!(worker.timeout_seconds.get(), Some(&6));
    assert!(worker.timeout_seconds.is_default());
    assert_eq!(
        worker.name.as_ref().unwrap().as_str(),
        Some("orders-worker")
    );
    assert_eq!(
        worker.runtime.as_ref().unwrap().as_str(),
        Some("nodejs16.x")
    );
    assert_eq!(
        worker.reserved_concurrency.as_ref().unwrap().get(),
        Some(&5)
    );
    let vpc = worker.vpc.as_ref().unwrap();
    assert_eq!(vpc.subnets.len(), 2);
    assert_eq!(
        worker.dead_letter_target.as_ref().unwrap().get(),
        Some(&Target::Arn(
            "arn:aws:sns:eu-west-1:123456789012:failures".into()
        ))
    );
    let secure = function(&inv, "secure");
    assert_eq!(secure.tracing.get(), Some(&TracingMode::PassThrough));
    assert!(secure.tracing.is_explicit());
    assert_eq!(secure.tags.get().unwrap()[0].key, "team");
    // log groups: one per function unless disableLogs, with the provider's retention
    let groups: Vec<(&str, Option<i64>)> = inv
        .log_groups
        .iter()
        .filter(|g| g.meta.id.ends_with("LogGroup") && !g.meta.id.starts_with("ApiGateway"))
        .map(|g| {
            (
                g.name.as_ref().unwrap().as_str().unwrap(),
                g.retention_days.as_ref().and_then(|r| r.get().copied()),
            )
        })
        .collect();
    assert_eq!(
        groups,
        vec![
            ("/aws/lambda/orders-dev-api", Some(14)),
            ("/aws/lambda/orders-worker", Some(14))
        ]
    );
}

#[test]
fn parameters_choose_the_stage() {
    let mut options = LoadOptions::default();
    options.parameters.insert("stage".into(), "prod".into());
    let (inv, _) = load_service("basic", &options);
    let api = function(&inv, "api");
    assert_eq!(api.name.as_ref().unwrap().as_str(), Some("orders-prod-api"));
    assert_eq!(api.memory_mb.get(), Some(&2048));
    // `${file(./config/prod.yml)}` does not exist: unresolved, never a guess
    assert!(env(api, "CLIENT_ID").is_unresolved());
}

#[test]
fn shared_role_with_logs_statements_and_event_permissions() {
    let (inv, sources) = load_service("basic", &LoadOptions::default());
    let api = function(&inv, "api");
    assert_eq!(
        api.role.as_ref().unwrap().get(),
        Some(&local("IamRoleLambdaExecution"))
    );
    let role = inv
        .roles
        .iter()
        .find(|r| r.meta.id == "IamRoleLambdaExecution")
        .unwrap();
    assert!(role.meta.synthesized);
    assert_eq!(
        json(role.assume_role_policy.as_ref().unwrap())["Statement"][0]["Principal"]["Service"],
        serde_json::json!(["lambda.amazonaws.com"])
    );
    let doc = &role.inline_policies[0].document;
    let statements = doc.get("Statement").unwrap().as_list().unwrap();
    let actions: Vec<serde_json::Value> = statements
        .iter()
        .map(|s| json(s.get("Action").unwrap()))
        .collect();
    assert_eq!(
        actions[0],
        serde_json::json!([
            "logs:CreateLogStream",
            "logs:CreateLogGroup",
            "logs:TagResource"
        ])
    );
    // the user's statements keep their own text
    let s3 = &statements[3];
    assert_eq!(s3.get("Action").unwrap().as_str(), Some("s3:*"));
    assert_eq!(
        text(&sources, &s3.get("Action").unwrap().origin),
        "\"s3:*\""
    );
    assert!(statements[2].get("Resource").unwrap().is_unresolved());
    // SQS and stream events add what the poller needs
    assert!(actions.contains(&serde_json::json!([
        "sqs:ReceiveMessage",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes"
    ])));
    // a function in a VPC adds the VPC access managed policy
    assert_eq!(
        role.managed_policies[0].get(),
        Some(&Target::Arn(
            "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole".into()
        ))
    );
}

#[test]
fn urls_events_and_layers() {
    let (inv, _) = load_service("basic", &LoadOptions::default());
    // url: {cors: true}: public, with the Framework's CORS and the public permission
    let url = inv
        .function_urls
        .iter()
        .find(|u| u.function.get() == Some(&local("api")))
        .unwrap();
    assert_eq!(url.auth_type.get(), Some(&UrlAuthType::None));
    assert!(url.auth_type.is_default());
    assert_eq!(
        url.cors.as_ref().unwrap().allow_origins[0].as_str(),
        Some("*")
    );
    let public = inv
        .permissions
        .iter()
        .find(|p| p.meta.id == "ApiLambdaPermissionFnUrl")
        .unwrap();
    assert_eq!(public.principal.get(), Some(&Principal::Any));
    let secure = inv
        .function_urls
        .iter()
        .find(|u| u.function.get() == Some(&local("secure")))
        .unwrap();
    assert_eq!(secure.auth_type.get(), Some(&UrlAuthType::AwsIam));
    assert!(
        !inv.permissions
            .iter()
            .any(|p| p.meta.id == "SecureLambdaPermissionFnUrl")
    );

    // http: routes on the generated REST API, with the stage's access logs and tracing
    let routes: Vec<(&str, &str, &str)> = inv
        .routes
        .iter()
        .map(|r| {
            (
                r.method.as_str().unwrap(),
                r.path.as_str().unwrap(),
                r.authorization_type.as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        routes,
        vec![
            ("GET", "/orders/{id}", "NONE"),
            ("POST", "/orders", "AWS_IAM"),
            ("GET", "/health", "NONE")
        ]
    );
    let stage = inv
        .stages
        .iter()
        .find(|s| s.meta.id == "ApiGatewayStage")
        .unwrap();
    assert_eq!(stage.name.as_str(), Some("dev"));
    assert_eq!(stage.tracing_enabled.get(), Some(&true));
    assert_eq!(
        stage.access_log_destination.as_ref().unwrap().get(),
        Some(&local("ApiGatewayLogGroup"))
    );
    let gateway = inv
        .permissions
        .iter()
        .find(|p| p.meta.id == "ApiLambdaPermissionApiGateway")
        .unwrap();
    assert_eq!(
        gateway.principal.get(),
        Some(&Principal::Service("apigateway.amazonaws.com".into()))
    );
    assert!(
        gateway
            .conditions_on("aws:SourceArn")
            .next()
            .unwrap()
            .values[0]
            .unresolved_expr()
            .unwrap()
            .ends_with("/*/*")
    );

    // pollers
    let sqs = inv
        .event_source_mappings
        .iter()
        .find(|m| m.meta.id == "WorkerEventSourceMappingSQSOrdersjobs")
        .unwrap();
    assert_eq!(sqs.batch_size.as_ref().unwrap().get(), Some(&5));
    assert!(sqs.enabled.is_default());
    let stream = inv
        .event_source_mappings
        .iter()
        .find(|m| m.meta.id == "WorkerEventSourceMappingDynamodbOrders")
        .unwrap();
    assert_eq!(
        stream.starting_position.as_ref().unwrap().as_str(),
        Some("LATEST")
    );

    // s3: the bucket with its notification, and the permission with source ARN and account
    let bucket = &inv.buckets[0];
    assert_eq!(
        bucket.name.as_ref().unwrap().as_str(),
        Some("orders-uploads")
    );
    assert_eq!(
        bucket.notifications[0].function.get(),
        Some(&local("worker"))
    );
    let s3 = inv
        .permissions
        .iter()
        .find(|p| p.meta.id == "WorkerLambdaPermissionOrdersuploadsS3")
        .unwrap();
    assert_eq!(
        s3.conditions_on("aws:SourceArn").next().unwrap().values[0].as_str(),
        Some("arn:aws:s3:::orders-uploads")
    );
    assert!(s3.conditions_on("aws:SourceAccount").next().is_some());

    // sns, schedule, eventBridge
    assert_eq!(
        inv.topics[0].name.as_ref().unwrap().as_str(),
        Some("order-events")
    );
    assert_eq!(
        inv.subscriptions[0].topic.get(),
        Some(&local("SNSTopicOrderevents"))
    );
    assert_eq!(inv.event_rules.len(), 2);
    assert_eq!(
        inv.event_rules[0].schedule.as_ref().unwrap().as_str(),
        Some("rate(5 minutes)")
    );
    assert_eq!(
        json(inv.event_rules[1].event_pattern.as_ref().unwrap()),
        serde_json::json!({"source": ["aws.s3"]})
    );

    // destinations: another function by its key
    let conf = &inv.event_invoke_configs[0];
    assert_eq!(conf.on_failure.as_ref().unwrap().get(), Some(&local("api")));

    // layers with allowedAccounts: a public layer grant
    assert_eq!(inv.layers[0].meta.id, "DepsLambdaLayer");
    assert_eq!(
        inv.layer_permissions[0].principal.get(),
        Some(&Principal::Any)
    );
}

#[test]
fn per_function_roles_with_the_plugin() {
    let (inv, _) = load_service("per-function", &LoadOptions::default());
    assert!(inv.diagnostics.is_empty(), "{:#?}", inv.diagnostics);
    let resize = function(&inv, "resize");
    assert_eq!(
        resize.role.as_ref().unwrap().get(),
        Some(&local("ResizeIamRoleLambdaExecution"))
    );
    let thumbnail = function(&inv, "thumbnail");
    assert_eq!(
        thumbnail.role.as_ref().unwrap().get(),
        Some(&local("IamRoleLambdaExecution"))
    );
    let own = inv
        .roles
        .iter()
        .find(|r| r.meta.id == "ResizeIamRoleLambdaExecution")
        .unwrap();
    let actions: Vec<String> = own.inline_policies[0]
        .document
        .get("Statement")
        .unwrap()
        .as_list()
        .unwrap()
        .iter()
        .map(|s| s.get("Action").unwrap().to_json_text())
        .collect();
    // its own statement and, inherited, the provider's
    assert!(
        actions.contains(&"\"s3:GetObject\"".to_owned()),
        "{actions:?}"
    );
    assert!(
        actions.contains(&"\"sqs:SendMessage\"".to_owned()),
        "{actions:?}"
    );
    let shared = inv
        .roles
        .iter()
        .find(|r| r.meta.id == "IamRoleLambdaExecution")
        .unwrap();
    let shared_actions = shared.inline_policies[0].document.to_json_text();
    assert!(!shared_actions.contains("s3:GetObject"));
}

#[test]
fn roles_given_by_arn_or_logical_id() {
    let (inv, _) = load_service("external-role", &LoadOptions::default());
    let daily = function(&inv, "daily");
    assert_eq!(
        daily.role.as_ref().unwrap().get(),
        Some(&Target::Arn(
            "arn:aws:iam::123456789012:role/reports-exec".into()
        ))
    );
    let custom = function(&inv, "custom");
    assert_eq!(
        custom.role.as_ref().unwrap().get(),
        Some(&local("CustomRole"))
    );
    // no generated role when every function has one
    assert!(inv.roles.is_empty());
    // function-level statements do nothing without the plugin: reported
    assert!(
        inv.diagnostics.iter().any(|d| d.level == Level::Warning
            && d.message.contains("serverless-iam-roles-per-function"))
    );
}

#[test]
fn other_providers_and_broken_files() {
    let (inv, _) = load_service("other-provider", &LoadOptions::default());
    assert_eq!(inv.resource_count(), 0);
    assert_eq!(inv.diagnostics.len(), 1);
    assert!(inv.diagnostics[0].message.contains("`azure` is not AWS"));

    let (inv, sources) = load_service("broken", &LoadOptions::default());
    let errors: Vec<_> = inv
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{:#?}", inv.diagnostics);
    let f = sources.get(errors[0].origin.file().unwrap()).unwrap();
    assert!(f.path.ends_with("serverless.yml"));
}

#[test]
fn resources_block_through_the_cloudformation_loader() {
    let (inv, sources) = load_service("resources", &LoadOptions::default());
    assert!(inv.diagnostics.is_empty(), "{:#?}", inv.diagnostics);
    assert_eq!(inv.region.as_deref(), Some("us-west-2"));
    // CloudFormation resources with the service's variables resolved
    let queue = &inv.queues[0];
    assert_eq!(queue.meta.id, "AlertsQueue");
    assert_eq!(queue.name.as_ref().unwrap().as_str(), Some("ledger-alerts"));
    assert_eq!(queue.visibility_timeout_seconds.get(), Some(&20));
    // a reference with the Framework's logical id names the function by its key
    let partner = inv
        .permissions
        .iter()
        .find(|p| p.meta.id == "PartnerInvoke")
        .unwrap();
    assert_eq!(partner.function.get(), Some(&local("api")));
    assert_eq!(
        partner.principal.get(),
        Some(&Principal::Aws("210987654321".into()))
    );
    // a role from resources, by logical id
    let audit = function(&inv, "audit");
    assert_eq!(
        audit.role.as_ref().unwrap().get(),
        Some(&local("AuditRole"))
    );
    let role = inv.roles.iter().find(|r| r.meta.id == "AuditRole").unwrap();
    assert_eq!(
        role.managed_policies[0].get(),
        Some(&Target::Arn(
            "arn:aws:iam::aws:policy/AdministratorAccess".into()
        ))
    );
    // resources the model does not represent are declared: references to them hold
    assert!(inv.other_resources.iter().any(|r| r.id == "LedgerTable"));
    // the partial override of a generated log group is merged
    let api = function(&inv, "api");
    assert_eq!(
        api.log_group.as_ref().unwrap().get(),
        Some(&local("ApiLogGroup"))
    );
    let group = inv
        .log_groups
        .iter()
        .find(|g| g.meta.id == "ApiLogGroup")
        .unwrap();
    let retention = group.retention_days.as_ref().unwrap();
    assert_eq!(retention.get(), Some(&30));
    assert_eq!(text(&sources, &retention.origin), "30");
}

#[test]
fn url_cors_maps_keep_the_framework_defaults() {
    let (inv, sources) = load_service("url-cors", &LoadOptions::default());
    let cors = |key: &str| {
        inv.function_urls
            .iter()
            .find(|u| u.function.get() == Some(&local(key)))
            .and_then(|u| u.cors.as_ref())
            .unwrap()
    };
    let strings = |values: &[Value<String>]| {
        values
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    let credentials = cors("credentials");
    assert_eq!(strings(&credentials.allow_origins), ["*"]);
    assert!(credentials.allow_origins[0].is_default());
    assert_eq!(
        text(&sources, &credentials.allow_origins[0].origin),
        "allowCredentials: true"
    );
    assert_eq!(strings(&credentials.allow_methods), ["*"]);
    assert_eq!(credentials.allow_headers.len(), 6);
    assert_eq!(
        credentials.allow_credentials.as_ref().unwrap().get(),
        Some(&true)
    );

    let named = cors("named");
    assert_eq!(strings(&named.allow_origins), ["https://shop.example.com"]);
    assert!(!named.allow_origins[0].is_default());
    assert!(named.allow_headers.is_empty());
    assert_eq!(strings(&named.allow_methods), ["*"]);
}
