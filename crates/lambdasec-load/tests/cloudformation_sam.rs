//! Loading SAM templates written for these tests: what each SAM construct becomes in the model.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "test helpers fail loudly"
)]

use lambdasec_load::{LoadOptions, cloudformation};
use lambdasec_model::{
    Code, FileId, InputKind, Inventory, Level, Principal, SourceFile, Target, TracingMode,
    UrlAuthType,
};

fn load(name: &str) -> Inventory {
    let path = format!(
        "{}/tests/fixtures/cloudformation/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap();
    cloudformation::load(
        &SourceFile::new(FileId(0), name, text),
        &LoadOptions::default(),
    )
}

fn load_text(text: &str) -> Inventory {
    cloudformation::load(
        &SourceFile::new(FileId(0), "t.yaml", text),
        &LoadOptions::default(),
    )
}

#[test]
fn functions_take_globals_and_code() {
    let inv = load("sam-app.yaml");
    assert_eq!(inv.input, Some(InputKind::Sam));
    assert!(inv.diagnostics.is_empty(), "{:#?}", inv.diagnostics);
    let f = inv
        .functions
        .iter()
        .find(|f| f.meta.id == "OrdersFunction")
        .unwrap();
    assert!(!f.meta.synthesized);
    assert_eq!(f.meta.origin.path(), Some("Resources.OrdersFunction"));
    assert_eq!(f.runtime.as_ref().unwrap().as_str(), Some("nodejs20.x"));
    assert_eq!(f.timeout_seconds.get(), Some(&30));
    assert_eq!(f.tracing.get(), Some(&TracingMode::Active));
    let names: Vec<_> = f.env_vars().iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["STAGE", "TABLE"]);
    assert!(f.env_vars()[1].value.is_unresolved());
    assert_eq!(
        f.code.as_ref().unwrap().get(),
        Some(&Code::Local {
            path: "src/".into()
        })
    );
    assert_eq!(
        f.role.as_ref().unwrap().get(),
        Some(&Target::Local("OrdersFunctionRole".into()))
    );
    assert_eq!(
        f.dead_letter_target.as_ref().unwrap().get(),
        Some(&Target::Local("Jobs".into()))
    );
    assert_eq!(
        f.auto_publish_alias.as_ref().unwrap().as_str(),
        Some("live")
    );
    assert!(
        f.tags
            .get()
            .unwrap()
            .iter()
            .any(|t| t.key == "lambda:createdBy")
    );
    let h = inv
        .functions
        .iter()
        .find(|f| f.meta.id == "HttpFunction")
        .unwrap();
    assert!(matches!(
        h.code.as_ref().unwrap().get(),
        Some(Code::Inline { .. })
    ));
    assert!(h.role.as_ref().unwrap().get().unwrap().as_arn().is_some());
    // A function with its own role gets no implicit role.
    assert!(!inv.roles.iter().any(|r| r.meta.id == "HttpFunctionRole"));
    let layer = &inv.layers[0];
    assert_eq!(
        layer.content.as_ref().unwrap().get(),
        Some(&Code::Local {
            path: "layers/deps/".into()
        })
    );
}

#[test]
fn implicit_role_has_sam_policies() {
    let inv = load("sam-app.yaml");
    let role = inv
        .roles
        .iter()
        .find(|r| r.meta.id == "OrdersFunctionRole")
        .unwrap();
    assert!(role.meta.synthesized);
    assert!(role.meta.origin.is_implied());
    assert_eq!(role.meta.suppressions[0].code, "IAM005");
    let managed: Vec<_> = role
        .managed_policies
        .iter()
        .map(|p| p.get().unwrap().text().to_owned())
        .collect();
    for expected in [
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
        "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole",
        "arn:aws:iam::aws:policy/AWSLambdaExecute",
    ] {
        assert!(
            managed.iter().any(|m| m == expected),
            "{expected}: {managed:?}"
        );
    }
    let trust = role.assume_role_policy.as_ref().unwrap().to_json_text();
    assert!(trust.contains("lambda.amazonaws.com"));
    let template = role
        .inline_policies
        .iter()
        .find(|p| p.expanded_from.as_deref() == Some("DynamoDBCrudPolicy"))
        .unwrap();
    let text = template.document.to_json_text();
    assert!(text.contains("dynamodb:PutItem"), "{text}");
    let written = role
        .inline_policies
        .iter()
        .find(|p| p.name.as_str() == Some("OrdersFunctionRolePolicy2"))
        .unwrap();
    assert!(written.expanded_from.is_none());
    assert!(
        !written.document.origin.is_implied(),
        "a written document keeps its location"
    );
    assert!(
        role.inline_policies
            .iter()
            .any(|p| p.name.as_str() == Some("DeadLetterQueuePolicy"))
    );
}

#[test]
fn url_events_and_apis() {
    let inv = load("sam-app.yaml");
    let url = &inv.function_urls[0];
    assert_eq!(url.meta.id, "OrdersFunctionUrl");
    assert_eq!(url.auth_type.get(), Some(&UrlAuthType::None));
    assert!(!url.auth_type.origin.is_implied(), "AuthType was written");
    let public: Vec<_> = inv
        .permissions
        .iter()
        .filter(|p| p.principal.get() == Some(&Principal::Any))
        .collect();
    assert_eq!(public.len(), 2);
    assert!(
        public
            .iter()
            .any(|p| p.conditions_on("lambda:FunctionUrlAuthType").count() == 1)
    );
    assert!(
        public
            .iter()
            .any(|p| p.conditions_on("lambda:InvokedViaFunctionUrl").count() == 1)
    );
    let s3 = inv
        .permissions
        .iter()
        .find(|p| p.meta.id == "OrdersFunctionUploadPermission")
        .unwrap();
    assert_eq!(s3.conditions_on("aws:SourceAccount").count(), 1);
    let bucket = inv.buckets.iter().find(|b| b.meta.id == "Uploads").unwrap();
    assert_eq!(bucket.notifications.len(), 1);
    let esm = &inv.event_source_mappings[0];
    assert_eq!(esm.meta.id, "OrdersFunctionWork");
    assert_eq!(esm.batch_size.as_ref().unwrap().get(), Some(&5));
    let rule = inv
        .event_rules
        .iter()
        .find(|r| r.meta.id == "OrdersFunctionNightly")
        .unwrap();
    assert_eq!(
        rule.schedule.as_ref().unwrap().as_str(),
        Some("rate(1 day)")
    );
    let sched = inv
        .permissions
        .iter()
        .find(|p| p.meta.id == "OrdersFunctionNightlyPermission")
        .unwrap();
    assert_eq!(
        sched.conditions_on("aws:SourceArn").next().unwrap().values[0].get(),
        None,
        "the rule ARN is known only at deploy time"
    );

    // REST API: default authorizer, per-route override, stage settings.
    let get = inv
        .routes
        .iter()
        .find(|r| r.meta.id == "OrdersFunctionGetOrder")
        .unwrap();
    assert_eq!(get.authorization_type.as_str(), Some("CUSTOM"));
    assert_eq!(
        get.authorizer.as_ref().unwrap().get(),
        Some(&Target::Local("ApiTokenAuthAuthorizer".into()))
    );
    assert_eq!(get.path.as_str(), Some("/orders/{id}"));
    assert_eq!(get.method.as_str(), Some("GET"));
    let public_route = inv
        .routes
        .iter()
        .find(|r| r.meta.id == "OrdersFunctionPublic")
        .unwrap();
    assert_eq!(public_route.authorization_type.as_str(), Some("NONE"));
    assert!(public_route.authorization_type.is_explicit());
    let stage = inv
        .stages
        .iter()
        .find(|s| s.meta.id == "ApiliveStage")
        .unwrap();
    assert_eq!(stage.tracing_enabled.get(), Some(&true));
    assert!(stage.access_log_destination.is_some());
    let auth = &inv.authorizers[0];
    assert_eq!(
        auth.function.as_ref().unwrap().get(),
        Some(&Target::Local("AuthFunction".into()))
    );
    assert!(
        inv.permissions
            .iter()
            .any(|p| p.meta.id == "ApiTokenAuthAuthorizerPermission")
    );

    // The implicit HTTP API and its default route.
    assert!(
        inv.apis
            .iter()
            .any(|a| a.meta.id == "ServerlessHttpApi" && a.meta.synthesized)
    );
    let root = inv
        .routes
        .iter()
        .find(|r| r.meta.id == "HttpFunctionRoot")
        .unwrap();
    assert_eq!(root.method.as_str(), Some("$default"));
    assert_eq!(root.authorization_type.as_str(), Some("NONE"));
    assert!(
        inv.stages
            .iter()
            .any(|s| s.meta.id == "ServerlessHttpApiApiGatewayDefaultStage")
    );
}

#[test]
fn rejected_templates_get_errors() {
    for (text, message) in [
        (
            "Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: s3://b/k\n      Policies:\n        - NoSuchTemplate: {}\n",
            "is not a SAM policy template",
        ),
        (
            "Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: s3://b/k\n      Policies:\n        - SQSPollerPolicy: {}\n",
            "missing its parameter `QueueName`",
        ),
        (
            "Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: s3://b/k\n      Events:\n        E:\n          Type: Kinesis\n          Properties: {BatchSize: 1}\n",
            "Kinesis events need `Stream`",
        ),
        (
            "Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: s3://b/k\n      Events:\n        E:\n          Type: Api\n          Properties: {Path: /, Method: get, Auth: {Authorizer: Missing}}\n",
            "authorizer `Missing` cannot be set: API `ServerlessRestApi` defines no `Authorizers`",
        ),
    ] {
        let inv = load_text(text);
        assert!(
            inv.diagnostics
                .iter()
                .any(|d| d.level == Level::Error && d.message.contains(message)),
            "{message}: {:#?}",
            inv.diagnostics
        );
        // The rest of the template still loads.
        assert_eq!(inv.functions.len(), 1);
    }
}

#[test]
fn request_models_that_validate_set_the_request_validator() {
    let inv = load_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: s3://b/k\n      Handler: app.handler\n      Runtime: python3.13\n      Events:\n        Both:\n          Type: Api\n          Properties:\n            Path: /a\n            Method: post\n            RequestModel: {Model: User, Required: true, ValidateBody: true, ValidateParameters: true}\n        Body:\n          Type: Api\n          Properties:\n            Path: /b\n            Method: post\n            RequestModel: {Model: User, ValidateBody: true}\n        None:\n          Type: Api\n          Properties:\n            Path: /c\n            Method: post\n            RequestModel: {Model: User, Required: true}\n        Off:\n          Type: Api\n          Properties:\n            Path: /d\n            Method: post\n            RequestModel: {Model: User, ValidateBody: false, ValidateParameters: false}\n",
    );
    let validator = |path: &str| {
        inv.routes
            .iter()
            .find(|r| r.path.as_str() == Some(path))
            .unwrap()
            .request_validator
            .as_ref()
            .and_then(|v| v.get().map(|t| t.text().to_owned()))
    };
    assert_eq!(validator("/a").as_deref(), Some("body-and-params"));
    assert_eq!(validator("/b").as_deref(), Some("body-only"));
    assert_eq!(validator("/c"), None);
    assert_eq!(validator("/d"), None);
}

#[test]
fn functions_are_linked_to_the_log_groups_declared_for_them() {
    let inv = load_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: s3://b/k\n      Handler: app.handler\n      Runtime: python3.13\n  ApiLogs:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      LogGroupName: !Sub /aws/lambda/${Api}\n      RetentionInDays: 7\n  Worker:\n    Type: AWS::Lambda::Function\n    Properties:\n      Role: arn:aws:iam::123456789012:role/exec\n      Runtime: python3.13\n      Handler: app.handler\n      Code: {ZipFile: x}\n      LoggingConfig:\n        LogGroup: !Ref Shared\n  Shared:\n    Type: AWS::Logs::LogGroup\n  Other:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      LogGroupName: !Sub /aws/lambda/${AWS::StackName}-other\n",
    );
    let linked = |id: &str| {
        inv.functions
            .iter()
            .find(|f| f.meta.id == id)
            .unwrap()
            .log_group
            .as_ref()
            .and_then(|v| v.get().map(|t| t.text().to_owned()))
    };
    assert_eq!(linked("Api").as_deref(), Some("ApiLogs"));
    assert_eq!(linked("Worker").as_deref(), Some("Shared"));
    assert!(inv.diagnostics.is_empty(), "{:#?}", inv.diagnostics);
}

#[test]
fn resource_policies_become_the_api_policy() {
    let inv = load_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: prod\n      Auth:\n        ResourcePolicy:\n          AwsAccountWhitelist: ['111122223333']\n          IpRangeBlacklist: [203.0.113.0/24]\n          SourceVpcWhitelist: [vpce-0abc]\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/\n      Handler: app.handler\n      Runtime: python3.13\n      Events:\n        Get:\n          Type: Api\n          Properties:\n            RestApiId: !Ref Api\n            Path: /items/{id}\n            Method: get\n            Auth:\n              ResourcePolicy:\n                AwsAccountBlacklist: ['444455556666']\n",
    );
    assert!(
        inv.diagnostics.iter().all(|d| d.level != Level::Error),
        "{:#?}",
        inv.diagnostics
    );
    let api = inv.apis.iter().find(|a| a.meta.id == "Api").unwrap();
    let policy = api.policy.as_ref().unwrap();
    let statements = policy.get("Statement").unwrap().as_list().unwrap();
    let text: Vec<String> = statements.iter().map(|s| s.to_json_text()).collect();
    assert_eq!(statements.len(), 5, "{text:#?}");
    assert!(text[0].contains(r#""Effect":"Allow","Principal":{"AWS":["111122223333"]}"#));
    assert!(text[1].contains(r#""Principal":"*""#) && text[1].contains("Allow"));
    assert!(text[2].contains(r#"{"IpAddress":{"aws:SourceIp":["203.0.113.0/24"]}}"#));
    assert!(text[3].contains(r#"{"StringNotEquals":{"aws:SourceVpce":["vpce-0abc"]}}"#));
    // The event's statement applies to its method and path.
    assert!(text[4].contains(r#""Effect":"Deny","Principal":{"AWS":["444455556666"]}"#));
    assert!(text[4].contains("execute-api:/*/GET/items/*"));
    // Written values keep their origin.
    let accounts = statements[0].get("Principal").unwrap().get("AWS").unwrap();
    assert_eq!(
        accounts.origin.path(),
        Some("Resources.Api.Properties.Auth.ResourcePolicy.AwsAccountWhitelist")
    );
}

#[test]
fn broker_and_cluster_events_grant_their_secrets() {
    let inv = load_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/\n      Handler: app.handler\n      Runtime: python3.13\n      Events:\n        Broker:\n          Type: MQ\n          Properties:\n            Broker: arn:aws:mq:us-east-1:123456789012:broker:b:b-1\n            Queues: [jobs]\n            SourceAccessConfigurations: [{Type: BASIC_AUTH, URI: arn:aws:secretsmanager:us-east-1:123456789012:secret:mq}]\n        Kafka:\n          Type: SelfManagedKafka\n          Properties:\n            KafkaBootstrapServers: ['k:9092']\n            Topics: [t]\n            SourceAccessConfigurations: [{Type: SASL_SCRAM_512_AUTH, URI: arn:aws:secretsmanager:us-east-1:123456789012:secret:kafka}]\n",
    );
    assert!(
        inv.diagnostics.iter().all(|d| d.level != Level::Error),
        "{:#?}",
        inv.diagnostics
    );
    let role = inv.roles.iter().find(|r| r.meta.id == "FnRole").unwrap();
    let names: Vec<_> = role
        .inline_policies
        .iter()
        .filter_map(|p| p.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "SamAutoGeneratedAMQPolicy",
            "SelfManagedKafkaExecutionRolePolicy"
        ]
    );
    let mq = role.inline_policies[0].document.to_json_text();
    assert!(
        mq.contains("secret:mq") && mq.contains("mq:DescribeBroker"),
        "{mq}"
    );
    assert!(
        role.inline_policies[1]
            .document
            .to_json_text()
            .contains("secret:kafka")
    );
}

#[test]
fn language_extension_loops_expand_into_functions() {
    let inv = load_text(
        "Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]\nParameters:\n  Jobs: {Type: CommaDelimitedList, Default: 'nightly,weekly'}\nResources:\n  Fn::ForEach::Jobs:\n    - Job\n    - !Ref Jobs\n    - ${Job}Function:\n        Type: AWS::Serverless::Function\n        Properties:\n          CodeUri: src/\n          Handler: !Sub 'jobs.${Job}'\n          Runtime: python3.13\n          Environment:\n            Variables:\n              JOB: !Ref Job\n",
    );
    assert!(
        inv.diagnostics.iter().all(|d| d.level != Level::Error),
        "{:#?}",
        inv.diagnostics
    );
    let ids: Vec<_> = inv.functions.iter().map(|f| f.meta.id.as_str()).collect();
    assert_eq!(ids, ["nightlyFunction", "weeklyFunction"]);
    let weekly = &inv.functions[1];
    assert_eq!(
        weekly.handler.as_ref().unwrap().as_str(),
        Some("jobs.weekly")
    );
    assert_eq!(weekly.env_vars()[0].value.as_str(), Some("weekly"));
    assert_eq!(weekly.meta.origin.path(), Some("Resources.weeklyFunction"));
    // The implicit roles follow the expanded ids.
    assert!(inv.roles.iter().any(|r| r.meta.id == "weeklyFunctionRole"));
}

#[test]
fn tags_in_the_list_form_are_reported_and_still_read() {
    let inv = load_text(
        "Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: src/
      Tags:
        - Key: team
          Value: payments
  Chosen:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: src/
      Tags: !If [Prod, {team: payments}, {team: sandbox}]
Conditions:
  Prod: !Equals [!Ref AWS::Region, us-east-1]
",
    );
    // SAM rejects the list form: an error, and the tags as written.
    assert!(
        inv.diagnostics
            .iter()
            .any(|d| d.level == Level::Error && d.message.contains("`Tags`")),
        "{:#?}",
        inv.diagnostics
    );
    let f = inv.functions.iter().find(|f| f.meta.id == "Fn").unwrap();
    let tags = f.tags.get().unwrap();
    assert!(
        tags.iter()
            .any(|t| t.key == "team" && t.value.as_str() == Some("payments")),
        "{tags:?}"
    );
    // Tags chosen by a condition unknown offline stay unknown.
    let chosen = inv
        .functions
        .iter()
        .find(|f| f.meta.id == "Chosen")
        .unwrap();
    assert!(chosen.tags.is_unresolved(), "{:?}", chosen.tags);
}

#[test]
fn routes_of_an_api_defined_outside_the_template_have_unknown_security() {
    let inv = load_text(
        r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  Site:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionUri: s3://bucket/site-openapi.yaml
  Page:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: src/
      Events:
        Get:
          Type: Api
          Properties:
            RestApiId: !Ref Site
            Path: /
            Method: get
"#,
    );
    let r = inv.routes.iter().find(|r| r.meta.id == "PageGet").unwrap();
    assert_eq!(
        r.function.as_ref().unwrap().get(),
        Some(&Target::Local("Page".into()))
    );
    let why = r.authorization_type.unresolved_expr().unwrap();
    assert!(why.contains("s3://bucket/site-openapi.yaml"), "{why}");
    assert!(r.api_key_required.unresolved_expr().is_some());
    assert!(
        r.request_validator
            .as_ref()
            .unwrap()
            .unresolved_expr()
            .is_some()
    );
}
