//! Loading CloudFormation templates written for these tests: values, origins, defaults and
//! diagnostics in the model.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers fail loudly"
)]

use lambdasec_load::{LoadOptions, cloudformation};
use lambdasec_model::{
    Code, FileId, InputKind, Inventory, Level, Origin, Principal, SourceFile, Target, TracingMode,
    UrlAuthType,
};

fn fixture(name: &str) -> SourceFile {
    let path = format!(
        "{}/tests/fixtures/cloudformation/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap();
    SourceFile::new(FileId(0), name, text)
}

fn load(name: &str, options: &LoadOptions) -> (SourceFile, Inventory) {
    let file = fixture(name);
    let inv = cloudformation::load(&file, options);
    (file, inv)
}

/// The source text an origin points at.
fn text<'a>(file: &'a SourceFile, origin: &Origin) -> &'a str {
    match origin.anchor() {
        Origin::Source { span, .. } => file.slice(*span),
        other => panic!("not a source origin: {other:?}"),
    }
}

#[test]
fn plain_template_loads_into_the_model() {
    let (file, inv) = load("stack.yaml", &LoadOptions::default());
    assert_eq!(inv.input, Some(InputKind::CloudFormation));
    assert!(inv.diagnostics.is_empty(), "{:#?}", inv.diagnostics);

    let f = &inv.functions[0];
    assert_eq!(f.meta.id, "OrdersFunction");
    assert_eq!(f.meta.origin.path(), Some("Resources.OrdersFunction"));
    assert_eq!(text(&file, &f.meta.origin), "OrdersFunction");
    assert_eq!(f.name.as_ref().unwrap().as_str(), Some("orders-prod"));
    assert_eq!(f.runtime.as_ref().unwrap().as_str(), Some("python3.12"));
    assert_eq!(f.memory_mb.get(), Some(&1024));
    assert!(f.memory_mb.is_explicit());
    assert_eq!(f.timeout_seconds.get(), Some(&3));
    assert!(f.timeout_seconds.is_default());
    assert_eq!(f.timeout_seconds.origin.anchor(), &f.meta.origin);
    assert_eq!(f.tracing.get(), Some(&TracingMode::PassThrough));
    assert!(f.tracing.origin.is_implied());
    assert_eq!(
        f.role.as_ref().unwrap().get(),
        Some(&Target::Local("OrdersRole".into()))
    );
    assert!(matches!(
        f.code.as_ref().unwrap().get(),
        Some(Code::Inline { source }) if source.contains("def handler")
    ));
    // The condition is false: the VPC config is removed.
    assert!(f.vpc.is_none());
    assert_eq!(
        f.dead_letter_target.as_ref().unwrap().get(),
        Some(&Target::Local("OrdersDlq".into()))
    );
    assert_eq!(
        f.layers[0].get(),
        Some(&Target::Arn(
            "arn:aws:lambda:us-east-1:111122223333:layer:shared:3".into()
        ))
    );
    let env = f.env_vars();
    assert_eq!(env.len(), 3);
    assert_eq!(env[0].value.as_str(), Some("orders"));
    assert_eq!(text(&file, &env[0].name_origin), "TABLE");
    assert_eq!(env[1].value.unresolved_expr(), Some("!Ref DbPassword"));
    assert!(
        env[2].value.is_unresolved(),
        "dynamic references are references"
    );
    assert_eq!(f.tags.get().unwrap()[0].key, "team");

    // Suppressions, with and without a reason.
    let s = &f.meta.suppressions;
    assert_eq!(s.len(), 2);
    assert_eq!(s[0].code, "AVL001");
    assert_eq!(
        s[0].reason.as_deref(),
        Some("concurrency is managed by the queue")
    );
    assert_eq!(s[1].code, "OBS001");
    assert_eq!(s[1].reason, None);

    let url = &inv.function_urls[0];
    assert_eq!(url.auth_type.get(), Some(&UrlAuthType::None));
    assert_eq!(text(&file, &url.auth_type.origin), "!Ref UrlAuth");
    assert_eq!(
        url.auth_type.origin.path(),
        Some("Resources.OrdersUrl.Properties.AuthType")
    );
    let cors = url.cors.as_ref().unwrap();
    assert_eq!(cors.allow_origins[0].as_str(), Some("*"));
    assert_eq!(cors.allow_credentials.as_ref().unwrap().get(), Some(&true));

    let public = &inv.permissions[0];
    assert_eq!(public.principal.get(), Some(&Principal::Any));
    let c = public
        .conditions_on("lambda:FunctionUrlAuthType")
        .next()
        .unwrap();
    assert_eq!(c.operator, "StringEquals");
    assert_eq!(c.values[0].as_str(), Some("NONE"));
    let s3 = &inv.permissions[1];
    assert_eq!(
        s3.principal.get(),
        Some(&Principal::Service("s3.amazonaws.com".into()))
    );
    let arn = s3.conditions_on("aws:SourceArn").next().unwrap();
    assert_eq!(arn.operator, "ArnLike");
    assert_eq!(arn.values[0].as_str(), Some("arn:aws:s3:::prod-uploads"));
    assert_eq!(s3.conditions_on("aws:SourceAccount").count(), 0);

    let role = &inv.roles[0];
    assert_eq!(
        role.managed_policies[0].get(),
        Some(&Target::Arn(
            "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole".into()
        ))
    );
    let doc = &role.inline_policies[0].document;
    let st = &doc.get("Statement").unwrap().as_list().unwrap()[0];
    assert!(st.get("Resource").unwrap().is_unresolved());
    assert_eq!(
        st.get("Action").unwrap().origin.path(),
        Some("Resources.OrdersRole.Properties.Policies[0].PolicyDocument.Statement[0].Action")
    );
    assert!(role.assume_role_policy.is_some());

    let q = inv
        .queues
        .iter()
        .find(|q| q.meta.id == "OrdersQueue")
        .unwrap();
    assert_eq!(q.visibility_timeout_seconds.get(), Some(&60));
    assert_eq!(q.max_receive_count.as_ref().unwrap().get(), Some(&5));
    assert!(q.policy.is_some(), "the queue policy is attached");
    assert!(q.sqs_managed_sse.is_default());

    let m = &inv.event_source_mappings[0];
    assert_eq!(
        m.event_source.as_ref().unwrap().get(),
        Some(&Target::Local("OrdersQueue".into()))
    );
    assert!(m.enabled.is_default());
    // The DynamoDB table is declared, though the model does not represent it.
    let table = inv.other_resources.iter().find(|r| r.id == "OrdersTable");
    assert_eq!(table.unwrap().type_name, "AWS::DynamoDB::Table");
    // The dev-only topic is not created in prod.
    assert!(inv.topics.is_empty());
}

#[test]
fn options_override_parameters() {
    let mut options = LoadOptions::default();
    options.parameters.insert("Stage".into(), "dev".into());
    options
        .parameters
        .insert("UrlAuth".into(), "AWS_IAM".into());
    let (_, inv) = load("stack.yaml", &options);
    let f = &inv.functions[0];
    assert_eq!(f.memory_mb.get(), Some(&256));
    let vpc = f.vpc.as_ref().unwrap();
    assert_eq!(vpc.subnets[0].get(), Some(&Target::Name("subnet-1".into())));
    assert_eq!(
        inv.function_urls[0].auth_type.get(),
        Some(&UrlAuthType::AwsIam)
    );
    assert_eq!(inv.topics.len(), 1);
}

#[test]
fn bad_inputs_are_diagnostics_with_locations() {
    let file = SourceFile::new(
        FileId(4),
        "bad.yaml",
        "Resources:\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      Timeout: soon\n      Role: [\n",
    );
    let inv = cloudformation::load(&file, &LoadOptions::default());
    assert_eq!(inv.diagnostics.len(), 1);
    let d = &inv.diagnostics[0];
    assert_eq!(d.level, Level::Error);
    assert!(d.message.starts_with("invalid YAML"), "{}", d.message);
    assert_eq!(d.origin.file(), Some(FileId(4)));

    let file = SourceFile::new(
        FileId(0),
        "warn.yaml",
        "Resources:\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      Timeout: soon\n      TracingConfig: {Mode: Sometimes}\n",
    );
    let inv = cloudformation::load(&file, &LoadOptions::default());
    let messages: Vec<_> = inv.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("expected an integer")));
    assert!(
        messages
            .iter()
            .any(|m| m.contains("`Sometimes` is not a valid value for `Mode`"))
    );
    let f = &inv.functions[0];
    assert!(f.timeout_seconds.is_unresolved());
    assert!(f.tracing.is_unresolved());
}

#[test]
fn json_templates_load_with_locations() {
    let file = SourceFile::new(
        FileId(0),
        "t.json",
        r#"{"Resources": {"Fn": {"Type": "AWS::Lambda::Function", "Properties": {
  "Role": {"Fn::GetAtt": ["R", "Arn"]}, "TracingConfig": {"Mode": "Active"}}}}}"#,
    );
    let inv = cloudformation::load(&file, &LoadOptions::default());
    let f = &inv.functions[0];
    assert_eq!(f.tracing.get(), Some(&TracingMode::Active));
    assert_eq!(
        file.line_col(match f.tracing.origin {
            Origin::Source { span, .. } => span.start,
            _ => 0,
        })
        .line,
        2
    );
    assert_eq!(
        f.role.as_ref().unwrap().get(),
        Some(&Target::Local("R".into()))
    );
}

#[test]
fn a_url_written_with_function_name_is_reported_and_linked() {
    let file = SourceFile::new(
        FileId(0),
        "url.yaml",
        "Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Role: arn:aws:iam::111122223333:role/exec
      Code: {ZipFile: 'def handler(e, c): pass'}
  Url:
    Type: AWS::Lambda::Url
    Properties:
      FunctionName: !Ref Fn
      AuthType: NONE
",
    );
    let inv = cloudformation::load(&file, &LoadOptions::default());
    assert!(
        inv.diagnostics
            .iter()
            .any(|d| d.level == Level::Warning && d.message.contains("TargetFunctionArn")),
        "{:#?}",
        inv.diagnostics
    );
    let url = &inv.function_urls[0];
    assert_eq!(url.function.get(), Some(&Target::Local("Fn".into())));
    assert_eq!(url.auth_type.get(), Some(&UrlAuthType::None));
}

#[test]
fn a_role_that_is_not_an_arn_is_reported_and_unknown() {
    let file = SourceFile::new(
        FileId(0),
        "role.yaml",
        "Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Role: ExecRole.Arn
      Code: {ZipFile: 'def handler(e, c): pass'}
",
    );
    let inv = cloudformation::load(&file, &LoadOptions::default());
    assert!(
        inv.diagnostics
            .iter()
            .any(|d| d.level == Level::Warning && d.message.contains("must be a role ARN")),
        "{:#?}",
        inv.diagnostics
    );
    assert!(inv.functions[0].role.as_ref().unwrap().is_unresolved());
}
