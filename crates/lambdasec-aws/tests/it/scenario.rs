//! One account with a bit of everything, built through the SDK on moto, collected, and checked
//! on the inventory; then the snapshot round trip and the least-privilege check.

use crate::moto::{self, LAMBDA_TRUST, empty_zip, unique};
use aws_sdk_lambda::primitives::Blob;
use aws_sdk_lambda::types as lt;
use lambdasec_aws::actions::{policy_allows, sdk_operation_action};
use lambdasec_aws::{CollectOptions, NoProgress, READ_ONLY_POLICY, Regions, collect};
use lambdasec_model::{
    ApiKind, Effect, Inventory, KeyManager, Origin, Principal, Target, TracingMode, UrlAuthType,
};
use std::sync::Arc;

const REGION: &str = "eu-west-1";

struct Built {
    suffix: String,
    api_arn: String,
    worker_arn: String,
    role_arn: String,
    key_arn: String,
    queue_arn: String,
    sg_id: String,
    subnets: Vec<String>,
}

async fn build(endpoint: &str) -> Built {
    let cfg = moto::config(endpoint, REGION).await;
    let s = unique();
    let iam = aws_sdk_iam::Client::new(&cfg);
    let lambda = aws_sdk_lambda::Client::new(&cfg);
    let kms = aws_sdk_kms::Client::new(&cfg);
    let sqs = aws_sdk_sqs::Client::new(&cfg);
    let logs = aws_sdk_cloudwatchlogs::Client::new(&cfg);
    let sns = aws_sdk_sns::Client::new(&cfg);
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&cfg)
            .force_path_style(true)
            .build(),
    );
    let trail = aws_sdk_cloudtrail::Client::new(&cfg);
    let apigw2 = aws_sdk_apigatewayv2::Client::new(&cfg);
    let apigw = aws_sdk_apigateway::Client::new(&cfg);

    // IAM: an execution role with an AWS-managed, a customer-managed and an inline policy.
    let role = iam
        .create_role()
        .role_name(format!("exec-{s}"))
        .assume_role_policy_document(LAMBDA_TRUST)
        .send()
        .await
        .unwrap();
    let role_arn = role.role().unwrap().arn().to_owned();
    iam.attach_role_policy()
        .role_name(format!("exec-{s}"))
        .policy_arn("arn:aws:iam::aws:policy/AWSLambdaExecute")
        .send()
        .await
        .unwrap();
    let managed = iam
        .create_policy()
        .policy_name(format!("data-{s}"))
        .policy_document(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dynamodb:Scan","Resource":"*"}]}"#,
        )
        .send()
        .await
        .unwrap();
    iam.attach_role_policy()
        .role_name(format!("exec-{s}"))
        .policy_arn(managed.policy().unwrap().arn().unwrap())
        .send()
        .await
        .unwrap();
    iam.put_role_policy()
        .role_name(format!("exec-{s}"))
        .policy_name("inline")
        .policy_document(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringLike":{"s3:prefix":"a+b"}}}]}"#,
        )
        .send()
        .await
        .unwrap();

    // KMS key for the environment, queue, log group, network.
    let key = kms
        .create_key()
        .description("env key")
        .send()
        .await
        .unwrap();
    let key_arn = key.key_metadata().unwrap().arn().unwrap().to_owned();
    kms.create_alias()
        .alias_name(format!("alias/env-{s}"))
        .target_key_id(&key_arn)
        .send()
        .await
        .unwrap();
    let queue = sqs
        .create_queue()
        .queue_name(format!("jobs-{s}"))
        .attributes(
            aws_sdk_sqs::types::QueueAttributeName::VisibilityTimeout,
            "10",
        )
        .send()
        .await
        .unwrap();
    let queue_url = queue.queue_url().unwrap().to_owned();
    let queue_arn = sqs
        .get_queue_attributes()
        .queue_url(&queue_url)
        .attribute_names(aws_sdk_sqs::types::QueueAttributeName::QueueArn)
        .send()
        .await
        .unwrap()
        .attributes()
        .unwrap()
        .get(&aws_sdk_sqs::types::QueueAttributeName::QueueArn)
        .unwrap()
        .clone();
    logs.create_log_group()
        .log_group_name(format!("/aws/lambda/api-{s}"))
        .send()
        .await
        .unwrap();
    logs.put_retention_policy()
        .log_group_name(format!("/aws/lambda/api-{s}"))
        .retention_in_days(14)
        .send()
        .await
        .unwrap();

    let ec2 = lambdasec_aws::ec2::Ec2::connect(&cfg, REGION, Some(endpoint)).unwrap();
    let vpc = ec2
        .query("CreateVpc", &[("CidrBlock", "10.20.0.0/16")])
        .await
        .unwrap();
    let vpc_id = between(&vpc, "<vpcId>", "</vpcId>");
    let mut subnets = Vec::new();
    for (cidr, az) in [
        ("10.20.1.0/24", "eu-west-1a"),
        ("10.20.2.0/24", "eu-west-1b"),
    ] {
        let sn = ec2
            .query(
                "CreateSubnet",
                &[
                    ("VpcId", &vpc_id),
                    ("CidrBlock", cidr),
                    ("AvailabilityZone", az),
                ],
            )
            .await
            .unwrap();
        subnets.push(between(&sn, "<subnetId>", "</subnetId>"));
    }
    let sg = ec2
        .query(
            "CreateSecurityGroup",
            &[
                ("GroupName", &format!("fn-{s}")),
                ("GroupDescription", "function"),
                ("VpcId", &vpc_id),
            ],
        )
        .await
        .unwrap();
    let sg_id = between(&sg, "<groupId>", "</groupId>");
    ec2.query(
        "AuthorizeSecurityGroupIngress",
        &[
            ("GroupId", &sg_id),
            ("IpPermissions.1.IpProtocol", "tcp"),
            ("IpPermissions.1.FromPort", "22"),
            ("IpPermissions.1.ToPort", "22"),
            ("IpPermissions.1.IpRanges.1.CidrIp", "0.0.0.0/0"),
        ],
    )
    .await
    .unwrap();

    // Functions.
    let api = lambda
        .create_function()
        .function_name(format!("api-{s}"))
        .runtime(lt::Runtime::Python312)
        .role(&role_arn)
        .handler("app.handler")
        .code(
            lt::FunctionCode::builder()
                .zip_file(Blob::new(empty_zip()))
                .build(),
        )
        .environment(
            lt::Environment::builder()
                .variables("DB_PASSWORD", "hunter2-not-a-real-secret")
                .variables("STAGE", "prod")
                .build(),
        )
        .kms_key_arn(&key_arn)
        .tracing_config(
            lt::TracingConfig::builder()
                .mode(lt::TracingMode::Active)
                .build(),
        )
        .timeout(30)
        .tags("team", "payments")
        .publish(true)
        .send()
        .await
        .unwrap();
    let api_arn = api.function_arn().unwrap().to_owned();
    let worker = lambda
        .create_function()
        .function_name(format!("worker-{s}"))
        .runtime(lt::Runtime::Nodejs20x)
        .role(&role_arn)
        .handler("index.handler")
        .code(
            lt::FunctionCode::builder()
                .zip_file(Blob::new(empty_zip()))
                .build(),
        )
        .vpc_config(
            lt::VpcConfig::builder()
                .set_subnet_ids(Some(subnets.clone()))
                .security_group_ids(&sg_id)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let worker_arn = worker.function_arn().unwrap().to_owned();

    lambda
        .create_function_url_config()
        .function_name(format!("api-{s}"))
        .auth_type(lt::FunctionUrlAuthType::None)
        .cors(lt::Cors::builder().allow_origins("*").build())
        .send()
        .await
        .unwrap();
    lambda
        .add_permission()
        .function_name(format!("api-{s}"))
        .statement_id("public-url")
        .action("lambda:InvokeFunctionUrl")
        .principal("*")
        .function_url_auth_type(lt::FunctionUrlAuthType::None)
        .send()
        .await
        .unwrap();
    lambda
        .add_permission()
        .function_name(format!("api-{s}"))
        .statement_id("from-s3")
        .action("lambda:InvokeFunction")
        .principal("s3.amazonaws.com")
        .source_arn(format!("arn:aws:s3:::uploads-{s}"))
        .source_account("123456789012")
        .send()
        .await
        .unwrap();
    let version = api.version().unwrap_or("1").to_owned();
    lambda
        .create_alias()
        .function_name(format!("api-{s}"))
        .name("live")
        .function_version(&version)
        .send()
        .await
        .unwrap();
    lambda
        .add_permission()
        .function_name(format!("api-{s}"))
        .qualifier("live")
        .statement_id("partner")
        .action("lambda:InvokeFunction")
        .principal("444455556666")
        .send()
        .await
        .unwrap();
    let layer = lambda
        .publish_layer_version()
        .layer_name(format!("deps-{s}"))
        .content(
            lt::LayerVersionContentInput::builder()
                .zip_file(Blob::new(empty_zip()))
                .build(),
        )
        .compatible_runtimes(lt::Runtime::Python312)
        .send()
        .await
        .unwrap();
    lambda
        .add_layer_version_permission()
        .layer_name(format!("deps-{s}"))
        .version_number(layer.version())
        .statement_id("public")
        .action("lambda:GetLayerVersion")
        .principal("*")
        .send()
        .await
        .unwrap();
    lambda
        .create_event_source_mapping()
        .function_name(format!("worker-{s}"))
        .event_source_arn(&queue_arn)
        .batch_size(5)
        .send()
        .await
        .unwrap();

    // SNS → worker.
    let topic = sns
        .create_topic()
        .name(format!("events-{s}"))
        .send()
        .await
        .unwrap();
    sns.subscribe()
        .topic_arn(topic.topic_arn().unwrap())
        .protocol("lambda")
        .endpoint(&worker_arn)
        .send()
        .await
        .unwrap();

    // A trail that records Lambda data events.
    s3.create_bucket()
        .bucket(format!("trail-{s}"))
        .create_bucket_configuration(
            aws_sdk_s3::types::CreateBucketConfiguration::builder()
                .location_constraint(aws_sdk_s3::types::BucketLocationConstraint::EuWest1)
                .build(),
        )
        .send()
        .await
        .unwrap();
    trail
        .create_trail()
        .name(format!("audit-{s}"))
        .s3_bucket_name(format!("trail-{s}"))
        .is_multi_region_trail(true)
        .send()
        .await
        .unwrap();
    trail
        .put_event_selectors()
        .trail_name(format!("audit-{s}"))
        .event_selectors(
            aws_sdk_cloudtrail::types::EventSelector::builder()
                .read_write_type(aws_sdk_cloudtrail::types::ReadWriteType::All)
                .include_management_events(true)
                .data_resources(
                    aws_sdk_cloudtrail::types::DataResource::builder()
                        .r#type("AWS::Lambda::Function")
                        .values("arn:aws:lambda")
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    trail
        .start_logging()
        .name(format!("audit-{s}"))
        .send()
        .await
        .unwrap();

    // An HTTP API routing to the api function, and a REST API method.
    let http_api = apigw2
        .create_api()
        .name(format!("front-{s}"))
        .protocol_type(aws_sdk_apigatewayv2::types::ProtocolType::Http)
        .send()
        .await
        .unwrap();
    let http_id = http_api.api_id().unwrap().to_owned();
    let integration = apigw2
        .create_integration()
        .api_id(&http_id)
        .integration_type(aws_sdk_apigatewayv2::types::IntegrationType::AwsProxy)
        .integration_uri(&api_arn)
        .payload_format_version("2.0")
        .send()
        .await
        .unwrap();
    apigw2
        .create_route()
        .api_id(&http_id)
        .route_key("GET /items")
        .target(format!(
            "integrations/{}",
            integration.integration_id().unwrap()
        ))
        .send()
        .await
        .unwrap();
    let rest = apigw
        .create_rest_api()
        .name(format!("legacy-{s}"))
        .send()
        .await
        .unwrap();
    let rest_id = rest.id().unwrap().to_owned();
    let root = apigw
        .get_resources()
        .rest_api_id(&rest_id)
        .send()
        .await
        .unwrap()
        .items()
        .iter()
        .find(|r| r.path() == Some("/"))
        .and_then(|r| r.id().map(str::to_owned))
        .unwrap();
    apigw
        .put_method()
        .rest_api_id(&rest_id)
        .resource_id(&root)
        .http_method("POST")
        .authorization_type("NONE")
        .send()
        .await
        .unwrap();
    apigw
        .put_integration()
        .rest_api_id(&rest_id)
        .resource_id(&root)
        .http_method("POST")
        .r#type(aws_sdk_apigateway::types::IntegrationType::AwsProxy)
        .integration_http_method("POST")
        .uri(format!(
            "arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/{api_arn}/invocations"
        ))
        .send()
        .await
        .unwrap();

    Built {
        suffix: s,
        api_arn,
        worker_arn,
        role_arn,
        key_arn,
        queue_arn,
        sg_id,
        subnets,
    }
}

fn between(text: &str, start: &str, end: &str) -> String {
    let from = text.find(start).map(|i| i + start.len()).unwrap();
    let to = text[from..].find(end).unwrap() + from;
    text[from..to].to_owned()
}

fn live_field(o: &Origin) -> (&str, &str) {
    match o.anchor() {
        Origin::Live { arn, field } => (arn, field),
        other => panic!("expected a live origin, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn collects_an_account_into_the_inventory() {
    let Some(endpoint) = moto::endpoint("collects_an_account_into_the_inventory") else {
        return;
    };
    let b = build(&endpoint).await;
    let s = &b.suffix;
    let options = CollectOptions {
        endpoint_url: Some(endpoint.clone()),
        regions: Regions::List(vec![REGION.into()]),
        // moto answers some calls with HTTP 500, which the SDK retries as transient.
        max_attempts: 2,
        ..CollectOptions::default()
    };
    let collection = collect(&options, Arc::new(NoProgress)).await.unwrap();
    let inv = collection.inventory();
    for gap in &inv.not_assessed {
        eprintln!("not assessed on moto: {}: {}", gap.summary(), gap.message);
    }
    assert_eq!(inv.account_id.as_deref(), Some("123456789012"));
    assert_eq!(inv.region.as_deref(), Some(REGION));

    // Functions, with the values and their API locations.
    let api = inv
        .functions
        .iter()
        .find(|f| f.meta.arn.as_deref() == Some(b.api_arn.as_str()))
        .expect("api function");
    assert_eq!(
        api.runtime.as_ref().and_then(|r| r.as_str()),
        Some("python3.12")
    );
    assert_eq!(
        api.role.as_ref().and_then(|r| r.get()),
        Some(&Target::Arn(b.role_arn.clone()))
    );
    assert_eq!(api.tracing.get(), Some(&TracingMode::Active));
    assert_eq!(api.timeout_seconds.get(), Some(&30));
    assert_eq!(
        api.kms_key.as_ref().and_then(|k| k.get()),
        Some(&Target::Arn(b.key_arn.clone()))
    );
    let pw = api
        .env_vars()
        .iter()
        .find(|v| v.name == "DB_PASSWORD")
        .unwrap();
    assert_eq!(
        live_field(pw.value.origin()),
        (
            b.api_arn.as_str(),
            "Configuration.Environment.Variables.DB_PASSWORD"
        )
    );
    assert!(api.tags.get().unwrap().iter().any(|t| t.key == "team"));
    let worker = inv
        .functions
        .iter()
        .find(|f| f.meta.arn.as_deref() == Some(b.worker_arn.as_str()))
        .expect("worker function");
    let vpc = worker.vpc.as_ref().expect("worker is in a VPC");
    assert_eq!(vpc.subnets.len(), 2);
    let ix = inv.index();

    // URL, permissions (function and alias), alias.
    let url = inv
        .function_urls
        .iter()
        .find(|u| ix.points_to(&u.function, api))
        .expect("function URL");
    assert_eq!(url.auth_type.get(), Some(&UrlAuthType::None));
    assert_eq!(
        url.cors.as_ref().unwrap().allow_origins[0].as_str(),
        Some("*")
    );
    let perms: Vec<_> = inv
        .permissions
        .iter()
        .filter(|p| ix.points_to(&p.function, api))
        .collect();
    let public = perms
        .iter()
        .find(|p| p.statement_id.as_ref().and_then(|s| s.as_str()) == Some("public-url"))
        .expect("public statement");
    assert_eq!(public.principal.get(), Some(&Principal::Any));
    assert_eq!(public.effect, Effect::Allow);
    let s3p = perms
        .iter()
        .find(|p| p.statement_id.as_ref().and_then(|s| s.as_str()) == Some("from-s3"))
        .expect("s3 statement");
    assert_eq!(
        s3p.principal.get(),
        Some(&Principal::Service("s3.amazonaws.com".into()))
    );
    assert!(s3p.conditions_on("aws:SourceArn").next().is_some());
    assert!(s3p.conditions_on("aws:SourceAccount").next().is_some());
    let partner = perms
        .iter()
        .find(|p| p.qualifier.as_ref().and_then(|q| q.as_str()) == Some("live"))
        .expect("alias permission");
    assert_eq!(
        partner.principal.get().and_then(Principal::account),
        Some("444455556666")
    );
    assert!(
        inv.aliases
            .iter()
            .any(|a| a.name.as_str() == Some("live") && ix.points_to(&a.function, api)),
        "{:#?}",
        inv.aliases
    );

    // Layer and its public grant.
    let layer = inv
        .layers
        .iter()
        .find(|l| l.name.as_ref().and_then(|n| n.as_str()) == Some(&format!("deps-{s}")))
        .expect("layer");
    let grant = inv
        .layer_permissions
        .iter()
        .find(|p| p.layer.get() == Some(&Target::Arn(layer.meta.arn.clone().unwrap())))
        .expect("layer permission");
    assert_eq!(grant.principal.get(), Some(&Principal::Any));

    // Event source mapping and its queue.
    let esm = inv
        .event_source_mappings
        .iter()
        .find(|e| ix.points_to(&e.function, worker))
        .expect("event source mapping");
    assert_eq!(
        esm.event_source.as_ref().and_then(|t| t.get()),
        Some(&Target::Arn(b.queue_arn.clone()))
    );
    let queue = inv
        .queues
        .iter()
        .find(|q| q.meta.arn.as_deref() == Some(b.queue_arn.as_str()))
        .expect("queue feeding the worker");
    assert_eq!(queue.visibility_timeout_seconds.get(), Some(&10));

    // KMS key, log group, network.
    let key = inv
        .kms_keys
        .iter()
        .find(|k| k.meta.arn.as_deref() == Some(b.key_arn.as_str()))
        .expect("kms key");
    assert_eq!(key.manager.get(), Some(&KeyManager::Customer));
    assert_eq!(key.rotation_enabled.get(), Some(&false));
    assert!(key.key_policy.is_some());
    assert!(
        key.aliases
            .iter()
            .any(|a| a.as_str() == Some(&format!("alias/env-{s}")))
    );
    let lg = inv
        .log_groups
        .iter()
        .find(|g| g.name.as_ref().and_then(|n| n.as_str()) == Some(&format!("/aws/lambda/api-{s}")))
        .expect("log group");
    assert_eq!(lg.retention_days.as_ref().and_then(|d| d.get()), Some(&14));
    let sg = inv
        .security_groups
        .iter()
        .find(|g| g.meta.id == b.sg_id)
        .expect("security group");
    assert!(sg.ingress.iter().any(|r| {
        r.cidr_ipv4.as_ref().and_then(|c| c.as_str()) == Some("0.0.0.0/0")
            && r.from_port.as_ref().and_then(|p| p.get()) == Some(&22)
    }));
    let azs: std::collections::BTreeSet<_> = inv
        .subnets
        .iter()
        .filter(|n| b.subnets.contains(&n.meta.id))
        .filter_map(|n| n.availability_zone.as_ref().and_then(|z| z.as_str()))
        .collect();
    assert_eq!(azs.len(), 2);

    // IAM: the role with its three kinds of policies, the AWS-managed document collected.
    let role = inv
        .roles
        .iter()
        .find(|r| r.meta.arn.as_deref() == Some(b.role_arn.as_str()))
        .unwrap();
    assert!(role.assume_role_policy.is_some());
    assert_eq!(role.inline_policies.len(), 1);
    let inline = role.inline_policies[0].document.to_json_text();
    assert!(
        inline.contains("a+b"),
        "URL-decoding must keep a plus: {inline}"
    );
    assert_eq!(role.managed_policies.len(), 2);
    for p in &role.managed_policies {
        let policy = ix
            .get::<lambdasec_model::Policy>(p)
            .expect("attached policy collected");
        assert!(policy.document.get("Statement").is_some());
    }

    // Trail, topic, APIs, region settings.
    let trail = inv
        .trails
        .iter()
        .find(|t| t.name.as_ref().and_then(|n| n.as_str()) == Some(&format!("audit-{s}")))
        .expect("trail");
    assert_eq!(trail.is_logging.get(), Some(&true));
    assert!(trail.event_selectors.iter().any(|e| {
        e.data_resources
            .iter()
            .any(|d| d.resource_type.as_str() == Some("AWS::Lambda::Function"))
    }));
    assert!(
        inv.subscriptions
            .iter()
            .any(|sub| sub.endpoint.get() == Some(&Target::Arn(b.worker_arn.clone())))
    );
    let http = inv
        .apis
        .iter()
        .find(|a| a.name.as_ref().and_then(|n| n.as_str()) == Some(&format!("front-{s}")))
        .expect("http api");
    assert_eq!(http.kind, ApiKind::Http);
    let route = inv
        .routes
        .iter()
        .find(|r| {
            r.function.as_ref().is_some_and(|f| ix.points_to(f, api))
                && r.path.as_str() == Some("/items")
        })
        .expect("route to api");
    assert_eq!(route.method.as_str(), Some("GET"));
    assert!(inv.routes.iter().any(|r| r.method.as_str() == Some("POST")
        && r.function.as_ref().is_some_and(|f| ix.points_to(f, api))));
    assert!(
        inv.accounts
            .iter()
            .any(|a| a.region.as_str() == Some(REGION))
    );

    // Nothing was denied: gaps on moto are unimplemented calls only.
    assert!(
        collection
            .snapshot
            .accounts
            .iter()
            .flat_map(|a| &a.not_assessed)
            .all(|g| !g.error_code.contains("AccessDenied")),
        "{:#?}",
        collection.snapshot.accounts[0].not_assessed
    );

    // Least privilege: every request the SDK and the EC2 client sent is in the policy.
    let policy: serde_json::Value = serde_json::from_str(READ_ONLY_POLICY).unwrap();
    assert!(!collection.requests.is_empty());
    for action in collection.requests.keys() {
        if action == "sts:GetCallerIdentity" {
            continue; // needs no permission
        }
        assert!(
            policy_allows(&policy, action),
            "{action} was called but is not in the policy"
        );
    }
    assert_eq!(
        sdk_operation_action("Lambda", "ListFunctions").as_deref(),
        Some("lambda:ListFunctions")
    );

    // End to end: the rules find what was built.
    let findings = findings(&inv);
    let fired = |code: &str, arn: &str| {
        findings
            .iter()
            .any(|f| f.code == code && live_field(&f.location).0.starts_with(arn))
    };
    assert!(fired("URL001", &b.api_arn), "{findings:#?}");
    assert!(fired("URL002", &b.api_arn), "{findings:#?}");
    assert!(fired("ENC002", &b.key_arn), "{findings:#?}");
    assert!(
        findings
            .iter()
            .any(|f| f.code == "NET003" && live_field(&f.location).0.ends_with(&b.sg_id)),
        "{findings:#?}"
    );

    // The snapshot file loads to the same inventory, and the same findings, as the live scan.
    round_trip(&collection.snapshot, &inv);
}

fn findings(inv: &Inventory) -> Vec<lambdasec_rules::Finding> {
    lambdasec_rules::run(
        inv,
        &lambdasec_rules::RuleConfig::default(),
        &lambdasec_rules::Selection::default(),
        &[],
        &|_| None,
    )
    .findings
}

/// Write, read back through the snapshot loader, compare.
fn round_trip(snapshot: &lambdasec_load::snapshot::Snapshot, live: &Inventory) {
    let dir = std::env::temp_dir().join(format!("lambdasec-it-{}", unique()));
    let path = dir.join("account.json");
    lambdasec_aws::write_snapshot(snapshot, &path).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        lambdasec_load::detect(&path, &text),
        Some(lambdasec_model::InputKind::Snapshot)
    );
    let sources = lambdasec_model::SourceMap::new();
    let id = sources.add(path.display().to_string(), text);
    let file = sources.get(id).unwrap();
    let loaded = lambdasec_load::snapshot::load(&file, &lambdasec_load::LoadOptions::default());
    assert_eq!(
        &loaded, live,
        "a scan of the snapshot must see what the live scan sees"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
