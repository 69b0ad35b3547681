//! Templates the SAM transform rejects get an error at the offending value; valid templates
//! using the same constructs get none. Every template here is written for these tests.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "test helpers fail loudly"
)]

use lambdasec_load::{LoadOptions, cloudformation};
use lambdasec_model::{FileId, Inventory, Level, Origin, SourceFile};

fn load(text: &str) -> (Inventory, SourceFile) {
    let file = SourceFile::new(FileId(0), "t.yaml", text);
    let inv = cloudformation::load(&file, &LoadOptions::default());
    (inv, file)
}

/// The errors of a template: (line, message).
fn errors(text: &str) -> Vec<(u32, String)> {
    let (inv, file) = load(text);
    inv.diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .map(|d| {
            let line = match d.origin.anchor() {
                Origin::Source { span, .. } => file.line_col(span.start).line,
                _ => 0,
            };
            (line, d.message.clone())
        })
        .collect()
}

const HEAD: &str = "Transform: AWS::Serverless-2016-10-31\nResources:\n";

/// A function with valid code settings and `extra` properties (indented 6).
fn function(extra: &str) -> String {
    format!(
        "{HEAD}  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/\n      Handler: app.handler\n      Runtime: python3.13\n{extra}"
    )
}

/// A function with one event of `ty` and `props` (indented 12).
fn event(ty: &str, props: &str) -> String {
    function(&format!(
        "      Events:\n        E:\n          Type: {ty}\n          Properties:\n{props}"
    ))
}

/// Expectations of one test, all checked before it fails.
#[derive(Default)]
struct Expect {
    failures: Vec<String>,
}

impl Expect {
    /// The template gets an error at `line` whose message contains `message`.
    #[track_caller]
    fn rejected(&mut self, text: &str, line: u32, message: &str) {
        let errs = errors(text);
        if !errs.iter().any(|(l, m)| *l == line && m.contains(message)) {
            self.failures.push(format!(
                "{}: expected an error at line {line} containing {message:?}, got {errs:?}\n{text}",
                std::panic::Location::caller()
            ));
        }
    }

    /// The template gets no error.
    #[track_caller]
    fn accepted(&mut self, text: &str) {
        let errs = errors(text);
        if !errs.is_empty() {
            self.failures.push(format!(
                "{}: expected no error, got {errs:#?}\n{text}",
                std::panic::Location::caller()
            ));
        }
    }

    fn finish(self) {
        assert!(self.failures.is_empty(), "{}", self.failures.join("\n\n"));
    }
}

#[test]
fn template_structure() {
    let mut x = Expect::default();
    x.rejected(
        &format!("{HEAD}  Bad-Id:\n    Type: AWS::Serverless::Function\n"),
        3,
        "logical ids must be alphanumeric",
    );
    x.rejected(
        &format!("{HEAD}  Fn:\n    Type: AWS::Serverless::Function\n    Properties: text\n"),
        5,
        "`Properties` must be a map",
    );
    x.rejected(
        &format!("{HEAD}  Fn:\n    Type: AWS::Serverless::Function\n  Empty:\n"),
        5,
        "a resource must be a map",
    );
    x.rejected(
        &format!("Parameter:\n  P: {{Type: String}}\n{}", function("")),
        1,
        "`Parameter` is not a template section",
    );
    x.rejected(
        &format!("Mappings:\n{}", function("")),
        1,
        "`Mappings` section must be a map",
    );
    x.rejected(
        &format!("Mappings:\n  M:\n    k: [a, b]\n{}", function("")),
        3,
        "a mapping has two levels",
    );
    x.rejected(
        &function("      Role: !If [Cond, arn:aws:iam::1:role/r]\n"),
        9,
        "`Fn::If` needs 3 arguments",
    );
    x.rejected(
        &function("      Description: !FindInMap [M, k]\n"),
        9,
        "`Fn::FindInMap` needs 3 arguments",
    );
    x.rejected(
        &format!(
            "Parameters:\n  Ids: {{Type: CommaDelimitedList}}\n{}",
            &function("      Description: !Sub 'ids ${Ids}'\n")[..]
        ),
        11,
        "parameter `Ids` is a list",
    );
    x.rejected(
        &format!("{HEAD}  Fn:\n    Type: AWS::Serverless::Function\n    Condition: {{Ref: C}}\n"),
        5,
        "`Condition` must be the name of a condition",
    );
    x.rejected(
        &format!("{HEAD}  B:\n    Type: AWS::S3::Bucket\n    DependsOn: 12\n"),
        5,
        "`DependsOn` must be a logical id",
    );
    x.rejected(
        &format!("{HEAD}  Fn:\n    Type: AWS::Serverless::Nope\n    Properties: {{}}\n"),
        5,
        "is not a resource type of the SAM transform",
    );
    x.finish();
}

#[test]
fn globals() {
    let mut x = Expect::default();
    x.rejected(
        &format!("Globals: [1]\n{}", function("")),
        1,
        "`Globals` must be a map",
    );
    x.rejected(
        &format!("Globals:\n  Queue:\n    X: 1\n{}", function("")),
        2,
        "`Globals` cannot configure `Queue`",
    );
    x.rejected(
        &format!("Globals:\n  Api:\n    StageName: prod\n{}", function("")),
        3,
        "`StageName` cannot be set in `Globals.Api`",
    );
    let ignore = format!(
        "Globals:\n  Function:\n    Timeout: 5\n{HEAD}  Fn:\n    Type: AWS::Serverless::Function\n    IgnoreGlobals: [Nope]\n    Properties: {{CodeUri: s3://b/k, Handler: a.b, Runtime: python3.13}}\n"
    );
    x.rejected(&ignore, 8, "`IgnoreGlobals` names `Nope`");
    // A global property fills a required one.
    x.accepted(&format!(
        "Globals:\n  Function:\n    Runtime: python3.13\n    Handler: app.handler\n{HEAD}  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/\n"
    ));
    x.finish();
}

#[test]
fn property_names_and_shapes() {
    let mut x = Expect::default();
    x.rejected(
        &function("      Nope: 1\n"),
        9,
        "`Nope` is not a property of AWS::Serverless::Function",
    );
    x.rejected(
        &function("      Role: 2\n"),
        9,
        "`Role` should be a string, not a number",
    );
    x.rejected(
        &function("      Layers: arn:aws:lambda:us-east-1:1:layer:l:1\n"),
        9,
        "`Layers` should be a list",
    );
    x.rejected(&function("      Tags: [a]\n"), 9, "`Tags` should be a map");
    x.rejected(
        &function("      AutoPublishAlias: live\n      AutoPublishAliasAllProperties: !If [C, true, false]\n"),
        10,
        "SAM does not accept an intrinsic function here",
    );
    // Intrinsic functions stand for a value of the expected shape.
    x.accepted(&function("      Role: !GetAtt R.Arn\n      Layers: !Ref LayerList\n      Tags: {team: a}\n  R:\n    Type: AWS::IAM::Role\n"));
    x.finish();
}

#[test]
fn functions() {
    let mut x = Expect::default();
    x.rejected(
        &format!("{HEAD}  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/\n      Runtime: python3.13\n"),
        6,
        "missing: Handler",
    );
    x.rejected(
        &format!("{HEAD}  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      PackageType: Image\n"),
        6,
        "needs `ImageUri`",
    );
    x.accepted(&format!(
        "{HEAD}  Fn:\n    Type: AWS::Serverless::Function\n    Metadata:\n      Dockerfile: Dockerfile\n    Properties:\n      PackageType: Image\n"
    ));
    let code = |uri: &str| {
        format!(
            "{HEAD}  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: {uri}\n      Handler: a.b\n      Runtime: python3.13\n"
        )
    };
    x.rejected(
        &code("https://example.com/f.zip"),
        6,
        "must be a local path or an S3 URI",
    );
    x.rejected(&code("s3://Bad_Bucket/k"), 6, "not a valid S3 URI");
    x.rejected(
        &code("{Bucket: b}"),
        6,
        "needs `Bucket` and `Key` (missing `Key`)",
    );
    x.rejected(
        &code("s3://{{resolve:ssm:/bucket}}/k"),
        6,
        "dynamic reference",
    );
    x.accepted(&code("s3://my-bucket/app.zip"));
    x.accepted(&code("./build"));
    x.rejected(
        &function("      AutoPublishAlias: bad*name\n"),
        9,
        "must contain only letters",
    );
    x.rejected(
        &format!(
            "Parameters:\n  Alias: {{Type: String, Default: ''}}\n{}",
            function("      AutoPublishAlias: !Ref Alias\n")
        ),
        11,
        "`AutoPublishAlias` is empty",
    );
    x.rejected(
        &function("      DeploymentPreference: {Type: AllAtOnce}\n"),
        9,
        "`DeploymentPreference` needs `AutoPublishAlias`",
    );
    x.accepted(&function("      DeploymentPreference: {Enabled: false}\n"));
    x.rejected(
        &function("      AutoPublishAlias: live\n      DeploymentPreference: {Type: AllAtOnce, Alarms: one}\n"),
        10,
        "`DeploymentPreference.Alarms` should be a list",
    );
    x.rejected(
        &function("      ProvisionedConcurrencyConfig: {ProvisionedConcurrentExecutions: 2}\n"),
        9,
        "needs `AutoPublishAlias`",
    );
    x.rejected(
        &function("      AutoPublishAlias: live\n      VersionDeletionPolicy: Keep\n"),
        10,
        "must be `Delete` or `Retain`",
    );
    x.rejected(
        &function("      DeadLetterQueue: {Type: SQX, TargetArn: arn}\n"),
        9,
        "must be `SQS` or `SNS`",
    );
    x.rejected(
        &function("      EventInvokeConfig:\n        DestinationConfig:\n          OnFailure: {Type: Lambda}\n"),
        11,
        "`EventInvokeConfig.DestinationConfig.OnFailure.Destination` is required",
    );
    x.accepted(&function(
        "      EventInvokeConfig:\n        DestinationConfig:\n          OnFailure: {Type: SQS}\n",
    ));
    x.rejected(
        &function("      FunctionUrlConfig: {Cors: {AllowOrigins: ['*']}}\n"),
        9,
        "`FunctionUrlConfig.AuthType` is required",
    );
    x.rejected(
        &function("      FunctionUrlConfig: {AuthType: NONE, Cors: {AllowOrigin: ['*']}}\n"),
        9,
        "`AllowOrigin` is not a property of `FunctionUrlConfig.Cors`",
    );
    x.rejected(
        &function("      FunctionUrlConfig: {AuthType: NONE, Cors: {MaxAge: '10'}}\n"),
        9,
        "`FunctionUrlConfig.Cors.MaxAge` must be an integer",
    );
    x.rejected(
        &function("      TenancyConfig: {TenantIsolationMode: PER_TENANT}\n      SnapStart: {ApplyOn: PublishedVersions}\n"),
        10,
        "cannot have SnapStart",
    );
    x.rejected(
        &function("      Tags: {'lambda:createdBy': me}\n"),
        9,
        "reserved by SAM",
    );
    x.rejected(
        &format!("{}  FnRole:\n    Type: AWS::IAM::Role\n", function("")),
        6,
        "SAM creates the role `FnRole`",
    );
    x.accepted(&format!(
        "{}  FnRole:\n    Type: AWS::IAM::Role\n",
        function("      Role: !GetAtt FnRole.Arn\n")
    ));
    x.finish();
}

#[test]
fn events() {
    let mut x = Expect::default();
    x.rejected(
        &event("Bogus", "            A: 1\n"),
        11,
        "`Type` `Bogus` is not an event source",
    );
    x.rejected(
        &function("      Events:\n        E:\n          Type: SQS\n          Properties: queue\n"),
        12,
        "the event's `Properties` must be a map",
    );
    x.rejected(
        &event("SQS", "            Queue: arn\n            Nope: 1\n"),
        14,
        "`Nope` is not a property of SQS events",
    );
    x.rejected(
        &event(
            "SNS",
            "            Topic: arn\n            FilterCriteria: {}\n",
        ),
        14,
        "not a property of SNS events",
    );
    x.rejected(
        &event("Kinesis", "            Stream: arn\n"),
        13,
        "Kinesis events need `StartingPosition`",
    );
    x.rejected(
        &format!(
            "{}  B:\n    Type: AWS::S3::Bucket\n",
            event(
                "S3",
                "            Bucket: my-bucket\n            Events: s3:ObjectCreated:*\n"
            )
        ),
        13,
        "must be `!Ref` to an `AWS::S3::Bucket` declared",
    );
    x.rejected(
        &format!(
            "{}  B:\n    Type: AWS::S3::Bucket\n",
            event(
                "S3",
                "            Bucket: !Ref B\n            Events: !Ref EventsParam\n"
            )
        ),
        14,
        "SAM does not accept an intrinsic function here",
    );
    x.accepted(&format!(
        "{}  B:\n    Type: AWS::S3::Bucket\n",
        event(
            "S3",
            "            Bucket: !Ref B\n            Events: s3:ObjectCreated:*\n"
        )
    ));
    x.rejected(
        &event(
            "SNS",
            "            Topic: arn\n            SqsSubscription: !Ref Flag\n",
        ),
        14,
        "missing `QueueArn`",
    );
    x.rejected(
        &event("DynamoDB", "            Stream: arn\n            StartingPosition: LATEST\n            DestinationConfig: {OnFailure: {Type: Bad, Destination: arn}}\n"),
        15,
        "must be SQS, SNS, S3 or Kafka",
    );
    x.rejected(
        &event(
            "SQS",
            "            Queue: arn\n            FilterCriteria: {Patterns: []}\n",
        ),
        14,
        "`FilterCriteria` must be a map with only `Filters`",
    );
    x.rejected(
        &event("MQ", "            Broker: arn\n            Queues: [q]\n            SourceAccessConfigurations: [{Type: VIRTUAL_HOST, URI: v}]\n"),
        15,
        "needs a `BASIC_AUTH` item",
    );
    x.rejected(
        &event("DocumentDB", "            Cluster: arn\n            DatabaseName: db\n            SourceAccessConfigurations: [{Type: BASIC_AUTH}]\n"),
        15,
        "needs the secret's `URI`",
    );
    x.rejected(
        &event(
            "SelfManagedKafka",
            "            KafkaBootstrapServers: [h:9092]\n            Topics: [a, b]\n            SourceAccessConfigurations: [{Type: VPC_SUBNET, URI: subnet:s}]\n",
        ),
        14,
        "takes exactly one topic",
    );
    x.rejected(
        &event(
            "SelfManagedKafka",
            "            KafkaBootstrapServers: [h:9092]\n            Topics: [a]\n            SourceAccessConfigurations: [{Type: VPC_SUBNET, URI: subnet:s}]\n",
        ),
        13,
        "both `VPC_SUBNET` and `VPC_SECURITY_GROUP`",
    );
    x.rejected(
        &event("Schedule", "            Schedule: rate(1 minute)\n            State: ENABLED\n            Enabled: true\n"),
        14,
        "`State` and `Enabled` cannot both be set",
    );
    x.rejected(
        &event(
            "EventBridgeRule",
            "            Pattern: {source: [a]}\n            DeadLetterConfig: {Type: SNS}\n",
        ),
        14,
        "`DeadLetterConfig.Type` can only be `SQS`",
    );
    x.rejected(
        &event("ScheduleV2", "            ScheduleExpression: rate(1 minute)\n            DeadLetterConfig: {Arn: a, Type: SQS}\n"),
        14,
        "takes either `Arn`",
    );
    x.rejected(
        &format!(
            "{}        F:\n          Type: Cognito\n          Properties: {{UserPool: !Ref P, Trigger: PreSignUp}}\n  P:\n    Type: AWS::Cognito::UserPool\n",
            event("Cognito", "            UserPool: !Ref P\n            Trigger: PreSignUp\n")
        ),
        17,
        "set by more than one event",
    );
    x.rejected(
        &format!(
            "{}  FnE:\n    Type: AWS::IoT::TopicRule\n",
            event("IoTRule", "            Sql: SELECT * FROM 't'\n")
        ),
        10,
        "SAM creates a resource `FnE`",
    );
    x.finish();
}

#[test]
fn api_events() {
    let mut x = Expect::default();
    let api = "  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: prod\n";
    x.rejected(
        &format!("{}{api}", event("Api", "            RestApiId: !GetAtt Api.RootResourceId\n            Path: /\n            Method: get\n")),
        13,
        "`RestApiId` must be `!Ref` to an `AWS::Serverless::Api`",
    );
    x.rejected(
        &event(
            "Api",
            "            RestApiId: Missing\n            Path: /\n            Method: get\n",
        ),
        13,
        "`Missing` is not one",
    );
    x.rejected(
        &event("Api", "            Path: /\n"),
        13,
        "Api events need `Method`",
    );
    x.rejected(
        &event("Api", "            Path: [/a]\n            Method: get\n"),
        13,
        "`Path` should be a string",
    );
    x.rejected(
        &event(
            "Api",
            "            Path: /\n            Method: get\n            Auth: {Authorizer: NONE}\n",
        ),
        15,
        "only valid when API `ServerlessRestApi` has a `DefaultAuthorizer`",
    );
    x.rejected(
        &format!(
            "{}{api}      Auth:\n        Authorizers:\n          Pool: {{UserPoolArn: arn}}\n",
            event("Api", "            RestApiId: !Ref Api\n            Path: /\n            Method: get\n            Auth: {Authorizer: Other}\n")
        ),
        16,
        "authorizer `Other` is not one of the `Authorizers` of API `Api`",
    );
    x.rejected(
        &format!(
            "{}        Again:\n          Type: Api\n          Properties: {{Path: /, Method: GET}}\n",
            event("Api", "            Path: /\n            Method: get\n")
        ),
        17,
        "method `get` is defined more than once for path `/`",
    );
    x.rejected(
        &event("Api", "            Path: /\n            Method: get\n            RequestModel: {Model: User}\n"),
        15,
        "defines no `Models`",
    );
    x.rejected(
        &event("Api", "            Path: /\n            Method: get\n            RequestParameters: [Authorization]\n"),
        15,
        "`RequestParameters` names must be",
    );
    x.rejected(
        &format!(
            "{}  Http:\n    Type: AWS::Serverless::HttpApi\n",
            event(
                "Api",
                "            RestApiId: !Ref Http\n            Path: /\n            Method: get\n"
            )
        ),
        13,
        "`Http` is not one",
    );
    x.rejected(
        &event("HttpApi", "            Path: /a\n"),
        13,
        "`Method` is required when `Path` is set",
    );
    x.rejected(
        &format!(
            "{}        Again:\n          Type: HttpApi\n",
            function("      Events:\n        E:\n          Type: HttpApi\n")
        ),
        13,
        "defined more than once for path `$default`",
    );
    x.accepted(&format!(
        "{}{api}      Auth:\n        DefaultAuthorizer: Pool\n        Authorizers:\n          Pool: {{UserPoolArn: arn}}\n      Models:\n        User: {{type: object}}\n",
        event(
            "Api",
            "            RestApiId: !Ref Api\n            Path: /\n            Method: get\n            Auth: {Authorizer: NONE}\n            RequestModel: {Model: User, ValidateBody: true}\n            RequestParameters: [method.request.header.Authorization]\n"
        )
    ));
    x.finish();
}

fn api(props: &str) -> String {
    format!(
        "{HEAD}  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: prod\n{props}"
    )
}

#[test]
fn rest_apis() {
    let mut x = Expect::default();
    x.rejected(
        &format!("{HEAD}  Api:\n    Type: AWS::Serverless::Api\n    Properties: {{}}\n"),
        5,
        "`StageName` is required",
    );
    x.rejected(
        &api("      Auth: {Bogus: 1}\n"),
        7,
        "`Bogus` is not a property of `Auth`",
    );
    x.rejected(
        &api("      Auth: {DefaultAuthorizer: Missing, Authorizers: {A: {UserPoolArn: arn}}}\n"),
        7,
        "is not one of the API's `Authorizers`",
    );
    x.rejected(
        &api("      Auth: {DefaultAuthorizer: !Ref A}\n"),
        7,
        "must be a string naming an authorizer",
    );
    x.rejected(
        &api("      Auth:\n        Authorizers:\n          L: {FunctionArn: arn, FunctionPayloadType: REQUEST}\n"),
        9,
        "REQUEST authorizer `L` needs `Identity`",
    );
    x.accepted(&api("      Auth:\n        Authorizers:\n          L: {FunctionArn: arn, FunctionPayloadType: REQUEST, Identity: {ReauthorizeEvery: 0}}\n"));
    x.rejected(&api("      Auth:\n        Authorizers:\n          L: {FunctionArn: arn, Identity: Bearer}\n"), 9, "`Auth.Authorizers.L.Identity` must be a map");
    x.rejected(
        &api("      Auth: {UsagePlan: {CreateUsagePlan: ALWAYS}}\n"),
        7,
        "must be PER_API, SHARED or NONE",
    );
    x.rejected(
        &api("      Auth: {ResourcePolicy: {SourceVpcWhitelist: [{sub: x}]}}\n"),
        7,
        "use `IntrinsicVpcWhitelist`",
    );
    x.rejected(
        &api("      DefinitionUri: s3://b/k\n      Cors: \"'*'\"\n"),
        8,
        "`Cors` works only with an inline `DefinitionBody`",
    );
    x.rejected(
        &api("      Cors: {AllowCredentials: true}\n"),
        7,
        "`Cors.AllowCredentials` cannot be true",
    );
    x.rejected(
        &api("      Cors: {AllowOrigins: x}\n"),
        7,
        "`AllowOrigins` is not a property of `Cors`",
    );
    x.rejected(
        &api("      DefinitionUri: s3://b/k\n      DefinitionBody: {}\n"),
        8,
        "not both",
    );
    x.rejected(
        &api("      DefinitionBody: {paths: {/a: }}\n"),
        7,
        "`DefinitionBody.paths./a` must be a map",
    );
    x.rejected(
        &api("      Auth: {ApiKeyRequired: true}\n      DefinitionBody: {info: {}}\n"),
        8,
        "it needs `swagger` (or `openapi`) and `paths`",
    );
    x.rejected(
        &api("      Auth: {ApiKeyRequired: true}\n      DefinitionBody:\n        openapi: 3.0.1\n        paths:\n          /a:\n            get:\n              security: [ApiKey]\n"),
        13,
        "must be a map of security scheme names",
    );
    x.rejected(
        &api("      DefinitionBody: {swagger: '2.0', paths: {}, securityDefinitions: [a]}\n"),
        7,
        "`DefinitionBody.securityDefinitions` should be a map",
    );
    x.rejected(
        &api("      OpenApiVersion: '4.1'\n"),
        7,
        "must be `2.0` or of the form `3.0.0`",
    );
    x.rejected(
        &api("      OpenApiVersion: 3\n"),
        7,
        "`OpenApiVersion` should be a string",
    );
    x.accepted(&api("      OpenApiVersion: 3.0\n"));
    x.rejected(
        &api("      GatewayResponses: {DEFAULT_4XX: {StatusCode: four}}\n"),
        7,
        "must be numeric",
    );
    x.rejected(
        &api("      GatewayResponses: {DEFAULT_4XX: {Footers: {}}}\n"),
        7,
        "`Footers` is not a property",
    );
    x.rejected(&api("      EndpointConfiguration: {Type: PRIVATE, VPCEndpointIds: [a], VpcEndpointIds: [b]}\n"), 7, "not both");
    x.rejected(
        &api("      Domain: {DomainName: example.com}\n"),
        7,
        "`Domain.CertificateArn` is required",
    );
    x.rejected(
        &format!(
            "Parameters:\n  D: {{Type: String, Default: example.com}}\n{}",
            api("      Domain: !Ref D\n")
        ),
        9,
        "`Domain` should be a map",
    );
    x.rejected(
        &api("      Domain: {DomainName: a.com, CertificateArn: arn, EndpointConfiguration: LOCAL}\n"),
        7,
        "must be EDGE, REGIONAL or PRIVATE",
    );
    x.rejected(
        &api("      Domain: {DomainName: a.com, CertificateArn: arn, Route53: {}}\n"),
        7,
        "needs `HostedZoneId` or `HostedZoneName`",
    );
    x.rejected(
        &api("      Domain: {DomainName: a.com, CertificateArn: arn, MutualTlsAuthentication: {Uri: x}}\n"),
        7,
        "`Uri` is not a property of `Domain.MutualTlsAuthentication`",
    );
    // The implicit API takes its settings from `Globals.Api`.
    x.rejected(
        &format!(
            "Globals:\n  Api:\n    Domain: {{CertificateArn: arn}}\n{}",
            event("Api", "            Path: /\n            Method: get\n")
        ),
        3,
        "resource `ServerlessRestApi`: `Domain.DomainName` is required",
    );
    x.finish();
}

fn http_api(props: &str) -> String {
    format!("{HEAD}  Http:\n    Type: AWS::Serverless::HttpApi\n    Properties:\n{props}")
}

#[test]
fn http_apis() {
    let mut x = Expect::default();
    x.rejected(
        &http_api("      Auth: {Authorizers: [a]}\n"),
        6,
        "`Auth.Authorizers` should be a map",
    );
    x.rejected(
        &http_api("      Auth:\n        Authorizers:\n          L: {FunctionArn: arn}\n"),
        8,
        "Lambda authorizer `L` must define `AuthorizerPayloadFormatVersion`",
    );
    x.rejected(
        &http_api("      Auth:\n        Authorizers:\n          J: {JwtConfiguration: {issuer: x}, OpenIdConnectUrl: u}\n"),
        8,
        "`OpenIdConnectUrl` is no longer supported",
    );
    x.rejected(
        &http_api("      Auth:\n        Authorizers:\n          J: {JwtConfiguration: [x]}\n"),
        8,
        "`Auth.Authorizers.J.JwtConfiguration` should be a map",
    );
    x.rejected(
        &http_api("      CorsConfiguration: {AllowOrigin: x}\n"),
        6,
        "`AllowOrigin` is not a property of `CorsConfiguration`",
    );
    x.rejected(
        &http_api("      DefinitionUri: s3://b/k\n      Tags: {a: b}\n"),
        7,
        "`Tags` works only with an inline `DefinitionBody`",
    );
    x.rejected(
        &http_api("      Tags: {a: b}\n      DefinitionBody: {info: {}}\n"),
        7,
        "it needs `openapi` and `paths`",
    );
    x.rejected(
        &http_api("      RouteSettings: [a]\n"),
        6,
        "`RouteSettings` should be a map",
    );
    x.rejected(
        &http_api("      DisableExecuteApiEndpoint: maybe\n"),
        6,
        "`DisableExecuteApiEndpoint` should be a boolean",
    );
    x.rejected(
        &http_api(
            "      Domain: {DomainName: a.com, CertificateArn: arn, BasePath: [!Sub '/${P}']}\n",
        ),
        6,
        "`Domain.BasePath[0]` must be a string",
    );
    x.accepted(&http_api(
        "      CorsConfiguration: true\n      Auth:\n        DefaultAuthorizer: J\n        Authorizers:\n          J: {JwtConfiguration: {issuer: x}, IdentitySource: $request.header.Authorization}\n",
    ));
    x.finish();
}

fn websocket(props: &str) -> String {
    format!(
        "{HEAD}  Ws:\n    Type: AWS::Serverless::WebSocketApi\n    Properties:\n      RouteSelectionExpression: $request.body.action\n{props}"
    )
}

#[test]
fn websocket_apis() {
    let mut x = Expect::default();
    x.rejected(&websocket(""), 6, "`Routes` is required");
    x.rejected(&websocket("      Routes: {}\n"), 7, "at least one route");
    x.rejected(
        &websocket("      Routes:\n        $bogus: {FunctionArn: arn}\n"),
        8,
        "route key `$bogus` must be alphanumeric",
    );
    x.rejected(
        &websocket("      Routes:\n        $connect: {IntegrationTimeout: 1}\n"),
        8,
        "needs the `FunctionArn`",
    );
    x.rejected(
        &websocket("      Routes:\n        $default: {FunctionArn: arn, RequestParameters: {a: {Required: true}}}\n"),
        8,
        "only on the `$connect` route",
    );
    x.rejected(&websocket("      Routes:\n        $default: {FunctionArn: arn}\n      Auth: {AuthType: AWS_IAM}\n"), 9, "needs a `$connect` route");
    x.rejected(
        &websocket(
            "      Routes:\n        $connect: {FunctionArn: arn}\n      Auth: {AuthType: CUSTOM}\n",
        ),
        9,
        "`Auth.AuthArn` is required",
    );
    x.rejected(
        &websocket("      Routes:\n        $connect: {FunctionArn: arn}\n      Auth: {AuthType: NONE, AuthArn: a}\n"),
        9,
        "takes no other settings",
    );
    x.rejected(
        &websocket(
            "      Routes:\n        $connect: {FunctionArn: arn}\n      StageName: $default\n",
        ),
        9,
        "cannot be named `$default`",
    );
    x.rejected(
        &websocket(
            "      Routes:\n        $connect: {FunctionArn: arn}\n      IpAddressType: ipv6\n",
        ),
        9,
        "`ipv4` or `dualstack`",
    );
    x.accepted(&websocket("      Routes:\n        $connect: {FunctionArn: arn}\n        send: {FunctionArn: arn}\n      Auth: {AuthType: CUSTOM, AuthArn: arn}\n"));
    x.finish();
}

#[test]
fn other_resources() {
    let mut x = Expect::default();
    let layer = |p: &str| {
        format!("{HEAD}  L:\n    Type: AWS::Serverless::LayerVersion\n    Properties:\n{p}")
    };
    x.rejected(
        &layer("      Description: x\n"),
        6,
        "`ContentUri` is required",
    );
    x.rejected(
        &layer("      ContentUri: s3://b/k\n      RetentionPolicy: Keep\n"),
        7,
        "must be `Retain` or `Delete`",
    );
    x.rejected(
        &layer("      ContentUri: s3://b/k\n      RetentionPolicy: !If [C, Retain, Delete]\n"),
        7,
        "does not accept intrinsic functions",
    );
    x.rejected(
        &layer("      ContentUri: s3://b/k\n      CompatibleArchitectures: [arm]\n"),
        7,
        "takes `x86_64` or `arm64`",
    );
    x.rejected(
        &layer("      ContentUri: s3://b/k\n      CompatibleRuntimes: python3.13\n"),
        7,
        "`CompatibleRuntimes` should be a list",
    );
    let table = |p: &str| {
        format!("{HEAD}  T:\n    Type: AWS::Serverless::SimpleTable\n    Properties:\n{p}")
    };
    x.rejected(
        &table("      PrimaryKey: {Name: id}\n"),
        6,
        "`PrimaryKey.Type` is required",
    );
    x.rejected(
        &table("      PrimaryKey: {Name: id, Type: Text}\n"),
        6,
        "must be String, Number or Binary",
    );
    let app = |p: &str| {
        format!("{HEAD}  A:\n    Type: AWS::Serverless::Application\n    Properties:\n{p}")
    };
    x.rejected(
        &app("      TimeoutInMinutes: 5\n"),
        6,
        "`Location` is required",
    );
    x.rejected(
        &app("      Location: {ApplicationId: !Sub 'a'}\n"),
        6,
        "can only use `Ref` or `Fn::FindInMap`",
    );
    x.rejected(
        &app("      Location: {ApplicationId: a, SemanticVersion: ''}\n"),
        6,
        "cannot be blank",
    );
    let machine = |p: &str| {
        format!("{HEAD}  M:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n{p}")
    };
    x.rejected(
        &machine("      Definition: '{}'\n"),
        6,
        "`Definition` should be a map",
    );
    x.rejected(
        &machine("      Name: m\n"),
        6,
        "needs `Definition` or `DefinitionUri`",
    );
    x.rejected(
        &machine("      DefinitionUri: {Bucket: b}\n"),
        6,
        "missing `Key`",
    );
    x.rejected(
        &machine("      DefinitionUri: sm.asl.json\n      Events:\n        E:\n          Type: SQS\n          Properties: {Queue: q}\n"),
        9,
        "is not an event source SAM knows",
    );
    x.accepted(&machine("      DefinitionUri: statemachine/sm.asl.json\n      Events:\n        E:\n          Type: Schedule\n          Properties: {Schedule: rate(1 hour)}\n"));
    let capacity = |p: &str| {
        format!("{HEAD}  C:\n    Type: AWS::Serverless::CapacityProvider\n    Properties:\n{p}")
    };
    x.rejected(
        &capacity("      CapacityProviderName: c\n"),
        6,
        "`VpcConfig` is required",
    );
    x.rejected(
        &capacity("      VpcConfig: {SecurityGroupIds: [sg]}\n"),
        6,
        "`VpcConfig.SubnetIds` is required",
    );
    x.rejected(
        &capacity("      VpcConfig: {SubnetIds: [s]}\n      InstanceRequirements: {AllowedTypes: [a], ExcludedTypes: [b]}\n"),
        7,
        "cannot be set together",
    );
    x.rejected(
        &function("      CapacityProviderConfig: {Arn: arn}\n      AutoPublishAlias: live\n      ProvisionedConcurrencyConfig: {ProvisionedConcurrentExecutions: 1}\n"),
        11,
        "cannot be set together",
    );
    x.finish();
}

#[test]
fn connectors() {
    let mut x = Expect::default();
    let connector = |p: &str| {
        format!(
            "{}  Q:\n    Type: AWS::SQS::Queue\n  Plain:\n    Type: AWS::Lambda::Function\n    Properties: {{Code: {{ZipFile: x}}}}\n  C:\n    Type: AWS::Serverless::Connector\n    Properties:\n{p}",
            function("")
        )
    };
    x.rejected(
        &connector("      Source: {Id: Fn}\n      Destination: {Id: Q}\n"),
        17,
        "`Permissions` is required",
    );
    x.rejected(
        &connector(
            "      Source: {Id: Fn}\n      Destination: {Id: Q}\n      Permissions: [Admin]\n",
        ),
        19,
        "takes Read and Write, not `Admin`",
    );
    x.rejected(
        &connector(
            "      Source: {Id: Nope}\n      Destination: {Id: Q}\n      Permissions: [Write]\n",
        ),
        17,
        "`Nope`, which is not declared",
    );
    x.rejected(&connector("      Source: {Id: Fn, Arn: a}\n      Destination: {Id: Q}\n      Permissions: [Write]\n"), 17, "not both");
    x.rejected(
        &connector(
            "      Source: {Id: Q}\n      Destination: {Id: Fn}\n      Permissions: [Read]\n",
        ),
        19,
        "needs `Permissions: [Read, Write]`",
    );
    x.rejected(
        &connector(
            "      Source: {Id: Plain}\n      Destination: {Id: Q}\n      Permissions: [Write]\n",
        ),
        17,
        "cannot find the IAM role of `Plain`",
    );
    x.rejected(&connector("      Source: {Type: AWS::Events::Rule}\n      Destination: {Id: Q}\n      Permissions: [Write]\n"), 17, "`Source.Arn` is required");
    x.accepted(&connector(
        "      Source: {Id: Fn}\n      Destination: [{Id: Q}]\n      Permissions: [Read, Write]\n",
    ));
    let embedded = format!(
        "{HEAD}  Fn:\n    Type: AWS::Serverless::Function\n    Connectors:\n      ToQueue:\n        Properties: {{Destination: {{Id: Q}}}}\n    Properties: {{CodeUri: src/, Handler: a.b, Runtime: python3.13}}\n  Q:\n    Type: AWS::SQS::Queue\n"
    );
    x.rejected(&embedded, 7, "`Permissions` is required");
    x.finish();
}

#[test]
fn graphql_apis() {
    let mut x = Expect::default();
    let gql = |p: &str| {
        format!(
            "{HEAD}  G:\n    Type: AWS::Serverless::GraphQLApi\n    Properties:\n      SchemaInline: 'type Query {{ a: Int }}'\n{p}"
        )
    };
    x.rejected(&gql("      Name: g\n"), 6, "`Auth` is required");
    x.rejected(
        &gql("      Auth: {Type: AWS_LAMBDA}\n"),
        7,
        "`Auth.LambdaAuthorizer` must be defined",
    );
    x.rejected(&gql("      Auth: {Type: MAGIC}\n"), 7, "is not one of");
    x.rejected(
        &gql("      Auth: {Type: AWS_IAM}\n      Functions:\n        F: {DataSource: Missing, InlineCode: x, Runtime: {Name: APPSYNC_JS, Version: 1.0.0}}\n"),
        9,
        "`Missing` is not in `DataSources`",
    );
    x.rejected(
        &gql("      Auth: {Type: AWS_IAM}\n      Resolvers:\n        Query:\n          a: {Runtime: {Name: APPSYNC_JS, Version: 1.0.0}}\n"),
        10,
        "needs a `Pipeline`",
    );
    x.finish();
}

#[test]
fn errors_do_not_stop_loading() {
    let (inv, _) = load(&format!(
        "{}  Other:\n    Type: AWS::Serverless::Function\n    Properties: {{CodeUri: src/, Handler: a.b, Runtime: python3.13, Role: 2}}\n",
        function("      Layers: one\n")
    ));
    assert!(
        inv.diagnostics
            .iter()
            .filter(|d| d.level == Level::Error)
            .count()
            >= 2
    );
    assert_eq!(inv.functions.len(), 2);
}
