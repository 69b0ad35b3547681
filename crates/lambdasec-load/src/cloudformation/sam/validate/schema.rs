//! The properties of each SAM resource type and event source, with the shapes SAM accepts for
//! them. A property SAM does not define, or a value of another shape, is an error.

use super::{At, Shape};
use lambdasec_model::{Node, NodeKind};

/// A property and the shapes it accepts.
pub(crate) type Prop = (&'static str, Shape);

const ANY: Shape = Shape::ANY;
const STR: Shape = Shape::STR;
const BOOL: Shape = Shape::BOOL;
const MAP: Shape = Shape::MAP;
const LIST: Shape = Shape::LIST;

const FUNCTION: &[Prop] = &[
    ("Architectures", LIST),
    ("AssumeRolePolicyDocument", MAP),
    ("AutoPublishAlias", STR),
    ("AutoPublishAliasAllProperties", BOOL.literal()),
    ("AutoPublishCodeSha256", STR),
    ("CapacityProviderConfig", MAP),
    ("CodeSigningConfigArn", STR),
    ("CodeUri", Shape::STR_OR_MAP),
    ("DeadLetterQueue", MAP),
    ("DeploymentPreference", MAP),
    ("Description", ANY),
    ("DurableConfig", MAP),
    ("Environment", MAP),
    ("EphemeralStorage", MAP),
    ("EventInvokeConfig", MAP),
    ("Events", MAP),
    ("FileSystemConfigs", LIST),
    ("FunctionName", Shape::STR_OR_MAP),
    ("FunctionScalingConfig", MAP),
    ("FunctionUrlConfig", MAP),
    ("Handler", ANY),
    ("ImageConfig", MAP),
    ("ImageUri", ANY),
    ("InlineCode", Shape::STR_OR_MAP),
    ("KmsKeyArn", ANY),
    ("Layers", LIST),
    ("LoggingConfig", ANY),
    ("MemorySize", ANY),
    ("PackageType", ANY),
    ("PermissionsBoundary", STR),
    ("Policies", Shape::POLICIES),
    ("PropagateTags", BOOL),
    ("ProvisionedConcurrencyConfig", MAP),
    ("PublishToLatestPublished", ANY),
    ("RecursiveLoop", ANY),
    ("ReservedConcurrentExecutions", ANY),
    ("Role", STR),
    ("RolePath", ANY),
    ("Runtime", ANY),
    ("RuntimeManagementConfig", ANY),
    ("SnapStart", MAP),
    ("SourceKMSKeyArn", ANY),
    ("Tags", MAP),
    ("TenancyConfig", MAP),
    ("Timeout", ANY),
    ("Tracing", Shape::STR_OR_MAP),
    ("VersionDeletionPolicy", ANY),
    ("VersionDescription", ANY),
    ("VpcConfig", ANY),
];

const API: &[Prop] = &[
    ("AccessLogSetting", MAP),
    ("AlwaysDeploy", BOOL),
    ("ApiKeySourceType", ANY),
    ("Auth", MAP),
    ("BinaryMediaTypes", LIST),
    ("CacheClusterEnabled", ANY),
    ("CacheClusterSize", ANY),
    ("CanarySetting", MAP),
    ("Cors", Shape::STR_OR_MAP),
    ("DefinitionBody", MAP),
    ("DefinitionUri", Shape::STR_OR_MAP),
    ("Description", ANY),
    ("DisableExecuteApiEndpoint", BOOL),
    ("Domain", MAP),
    ("EndpointAccessMode", ANY),
    ("EndpointConfiguration", Shape::STR_OR_MAP),
    ("FailOnWarnings", BOOL),
    ("GatewayResponses", MAP),
    ("MergeDefinitions", BOOL),
    ("MethodSettings", ANY),
    ("MinimumCompressionSize", ANY),
    ("Mode", ANY),
    ("Models", MAP),
    ("Name", ANY),
    ("OpenApiVersion", ANY),
    ("Policy", ANY),
    ("PropagateTags", BOOL),
    ("SecurityPolicy", ANY),
    ("StageName", STR),
    ("Tags", MAP),
    ("TracingEnabled", ANY),
    ("Variables", MAP),
];

const HTTP_API: &[Prop] = &[
    ("AccessLogSettings", MAP),
    ("Auth", MAP),
    ("CorsConfiguration", Shape::BOOL_OR_MAP),
    ("DefaultRouteSettings", MAP),
    ("DefinitionBody", MAP),
    ("DefinitionUri", Shape::STR_OR_MAP),
    ("Description", ANY),
    ("DisableExecuteApiEndpoint", BOOL),
    ("Domain", MAP),
    ("FailOnWarnings", BOOL),
    ("Name", ANY),
    ("PropagateTags", BOOL),
    ("RouteSettings", MAP),
    ("StageName", STR),
    ("StageVariables", MAP),
    ("Tags", MAP),
];

const WEBSOCKET_API: &[Prop] = &[
    ("AccessLogSettings", MAP),
    ("ApiKeySelectionExpression", ANY),
    ("Auth", MAP),
    ("DefaultRouteSettings", MAP),
    ("Description", ANY),
    ("DisableExecuteApiEndpoint", BOOL),
    ("DisableSchemaValidation", BOOL),
    ("Domain", MAP),
    ("IpAddressType", STR),
    ("Name", ANY),
    ("PropagateTags", BOOL),
    ("RouteSelectionExpression", ANY),
    ("RouteSettings", MAP),
    ("Routes", MAP),
    ("StageName", STR),
    ("StageVariables", MAP),
    ("Tags", MAP),
];

const STATE_MACHINE: &[Prop] = &[
    ("AutoPublishAlias", STR),
    ("Definition", MAP),
    ("DefinitionSubstitutions", MAP),
    ("DefinitionUri", Shape::STR_OR_MAP),
    ("DeploymentPreference", MAP),
    ("Events", MAP),
    ("Logging", MAP),
    ("Name", ANY),
    ("PermissionsBoundary", STR),
    ("Policies", Shape::POLICIES),
    ("PropagateTags", BOOL),
    ("Role", STR),
    ("RolePath", ANY),
    ("Tags", MAP),
    ("Tracing", MAP),
    ("Type", ANY),
    ("UseAliasAsEventTarget", BOOL),
];

const LAYER: &[Prop] = &[
    ("CompatibleArchitectures", LIST),
    ("CompatibleRuntimes", LIST),
    ("ContentUri", Shape::STR_OR_MAP),
    ("Description", ANY),
    ("LayerName", ANY),
    ("LicenseInfo", STR),
    ("PublishLambdaVersion", BOOL),
    ("RetentionPolicy", ANY),
];

const SIMPLE_TABLE: &[Prop] = &[
    ("PointInTimeRecoverySpecification", MAP),
    ("PrimaryKey", MAP),
    ("ProvisionedThroughput", MAP),
    ("SSESpecification", MAP),
    ("TableName", ANY),
    ("Tags", MAP),
];

const APPLICATION: &[Prop] = &[
    ("Location", Shape::STR_OR_MAP),
    ("NotificationARNs", LIST),
    ("Parameters", MAP),
    ("Tags", MAP),
    ("TimeoutInMinutes", ANY),
];

const CONNECTOR: &[Prop] = &[
    ("Destination", Shape::MAP_OR_LIST),
    ("Permissions", LIST),
    ("Source", MAP),
];

const GRAPHQL_API: &[Prop] = &[
    ("ApiKeys", MAP),
    ("Auth", MAP),
    ("Cache", MAP),
    ("DataSources", MAP),
    ("DomainName", MAP),
    ("Functions", MAP),
    ("IntrospectionConfig", ANY),
    ("Logging", Shape::BOOL_OR_MAP),
    ("Name", ANY),
    ("OwnerContact", ANY),
    ("QueryDepthLimit", ANY),
    ("ResolverCountLimit", ANY),
    ("Resolvers", MAP),
    ("SchemaInline", STR),
    ("SchemaUri", STR),
    ("Tags", MAP),
    ("Visibility", ANY),
    ("XrayEnabled", BOOL),
];

const CAPACITY_PROVIDER: &[Prop] = &[
    ("CapacityProviderName", ANY),
    ("InstanceRequirements", MAP),
    ("KmsKeyArn", ANY),
    ("LoggingConfig", MAP),
    ("ManagedResourceTags", MAP),
    ("OperatorRole", ANY),
    ("PropagateTags", BOOL),
    ("ScalingConfig", MAP),
    ("Tags", MAP),
    ("VpcConfig", MAP),
];

/// The properties of a SAM resource type (`None` for a type SAM does not define).
pub(crate) fn resource_props(type_name: &str) -> Option<&'static [Prop]> {
    Some(match type_name.strip_prefix("AWS::Serverless::")? {
        "Function" => FUNCTION,
        "Api" => API,
        "HttpApi" => HTTP_API,
        "WebSocketApi" => WEBSOCKET_API,
        "StateMachine" => STATE_MACHINE,
        "LayerVersion" => LAYER,
        "SimpleTable" => SIMPLE_TABLE,
        "Application" => APPLICATION,
        "Connector" => CONNECTOR,
        "GraphQLApi" => GRAPHQL_API,
        "CapacityProvider" => CAPACITY_PROVIDER,
        _ => return None,
    })
}

/// Properties shared by the event sources that poll streams and queues.
const STREAM: &[Prop] = &[
    ("BatchSize", ANY),
    ("BisectBatchOnFunctionError", ANY),
    ("DestinationConfig", MAP),
    ("Enabled", ANY),
    ("FilterCriteria", MAP),
    ("FunctionResponseTypes", LIST),
    ("KmsKeyArn", ANY),
    ("MaximumBatchingWindowInSeconds", ANY),
    ("MaximumRecordAgeInSeconds", ANY),
    ("MaximumRetryAttempts", ANY),
    ("MetricsConfig", MAP),
    ("ParallelizationFactor", ANY),
    ("StartingPosition", ANY),
    ("StartingPositionTimestamp", ANY),
    ("TumblingWindowInSeconds", ANY),
];

/// Properties shared by the Kafka event sources.
const KAFKA: &[Prop] = &[
    ("BatchSize", ANY),
    ("BisectBatchOnFunctionError", ANY),
    ("ConsumerGroupId", ANY),
    ("DestinationConfig", MAP),
    ("Enabled", ANY),
    ("FilterCriteria", MAP),
    ("FunctionResponseTypes", LIST),
    ("KmsKeyArn", ANY),
    ("LoggingConfig", MAP),
    ("MaximumBatchingWindowInSeconds", ANY),
    ("MaximumRecordAgeInSeconds", ANY),
    ("MaximumRetryAttempts", ANY),
    ("MetricsConfig", MAP),
    ("ProvisionedPollerConfig", MAP),
    ("SchemaRegistryConfig", MAP),
    ("SourceAccessConfigurations", LIST.literal()),
    ("StartingPosition", ANY),
    ("StartingPositionTimestamp", ANY),
    ("Topics", LIST),
];

/// Properties shared by the EventBridge-based event sources.
const RULE: &[Prop] = &[
    ("DeadLetterConfig", MAP),
    ("Description", ANY),
    ("Enabled", ANY),
    ("EventBusName", ANY),
    ("Input", ANY),
    ("InputPath", ANY),
    ("InputTransformer", MAP),
    ("Name", ANY),
    ("Pattern", MAP),
    ("RetryPolicy", MAP),
    ("RuleName", ANY),
    ("State", ANY),
    ("Target", MAP),
];

/// The properties of an event source type, beyond the shared ones: (own, shared).
pub(crate) fn event_props(ty: &str) -> Option<(&'static [Prop], &'static [Prop])> {
    const NONE: &[Prop] = &[];
    const S3_EVENT: &[Prop] = &[
        ("Bucket", Shape::STR_OR_MAP),
        ("Events", Shape::STR_OR_LIST.literal()),
        ("Filter", MAP),
    ];
    const SNS_EVENT: &[Prop] = &[
        ("FilterPolicy", MAP),
        ("FilterPolicyScope", ANY),
        ("RedrivePolicy", MAP),
        ("Region", ANY),
        ("SqsSubscription", Shape::BOOL_OR_MAP),
        ("Topic", ANY),
    ];
    const KINESIS_EVENT: &[Prop] = &[("Stream", ANY)];
    const SQS_EVENT: &[Prop] = &[
        ("BatchSize", ANY),
        ("Enabled", ANY),
        ("FilterCriteria", MAP),
        ("FunctionResponseTypes", LIST),
        ("KmsKeyArn", ANY),
        ("MaximumBatchingWindowInSeconds", ANY),
        ("MetricsConfig", MAP),
        ("Queue", ANY),
        ("ScalingConfig", MAP),
    ];
    const MSK_EVENT: &[Prop] = &[("Stream", ANY)];
    const SELF_MANAGED_KAFKA_EVENT: &[Prop] = &[
        ("KafkaBootstrapServers", LIST),
        ("SecretsManagerKmsKeyId", STR),
    ];
    const MQ_EVENT: &[Prop] = &[
        ("BatchSize", ANY),
        ("Broker", ANY),
        ("DynamicPolicyName", BOOL),
        ("Enabled", ANY),
        ("FilterCriteria", MAP),
        ("KmsKeyArn", ANY),
        ("MaximumBatchingWindowInSeconds", ANY),
        ("Queues", LIST),
        ("SecretsManagerKmsKeyId", STR),
        ("SourceAccessConfigurations", LIST.literal()),
    ];
    const DOCUMENT_DB_EVENT: &[Prop] = &[
        ("BatchSize", ANY),
        ("Cluster", ANY),
        ("CollectionName", ANY),
        ("DatabaseName", ANY),
        ("Enabled", ANY),
        ("FilterCriteria", MAP),
        ("FullDocument", ANY),
        ("KmsKeyArn", ANY),
        ("MaximumBatchingWindowInSeconds", ANY),
        ("SecretsManagerKmsKeyId", STR),
        ("SourceAccessConfigurations", LIST.literal()),
        ("StartingPosition", ANY),
        ("StartingPositionTimestamp", ANY),
    ];
    const API_EVENT: &[Prop] = &[
        ("Auth", MAP),
        ("Method", STR),
        ("Path", STR),
        ("RequestModel", MAP),
        ("RequestParameters", LIST),
        ("ResponseTransferMode", ANY),
        ("RestApiId", ANY),
        ("TimeoutInMillis", ANY),
        ("UnescapeMappingTemplate", BOOL.literal()),
    ];
    const HTTP_API_EVENT: &[Prop] = &[
        ("ApiId", ANY),
        ("Auth", MAP),
        ("Method", STR),
        ("Path", STR),
        ("PayloadFormatVersion", ANY),
        ("RouteSettings", MAP),
        ("TimeoutInMillis", ANY),
    ];
    const SCHEDULE_EVENT: &[Prop] = &[("RoleArn", ANY), ("Schedule", ANY), ("State", ANY)];
    const SCHEDULE_V2_EVENT: &[Prop] = &[
        ("DeadLetterConfig", MAP),
        ("Description", ANY),
        ("EndDate", ANY),
        ("FlexibleTimeWindow", MAP),
        ("GroupName", ANY),
        ("Input", ANY),
        ("KmsKeyArn", ANY),
        ("Name", ANY),
        ("OmitName", BOOL.literal()),
        ("PermissionsBoundary", ANY),
        ("RetryPolicy", MAP),
        ("RoleArn", ANY),
        ("ScheduleExpression", ANY),
        ("ScheduleExpressionTimezone", ANY),
        ("StartDate", ANY),
        ("State", ANY),
    ];
    const CLOUDWATCH_LOGS_EVENT: &[Prop] = &[("FilterPattern", ANY), ("LogGroupName", ANY)];
    const IOT_RULE_EVENT: &[Prop] = &[("AwsIotSqlVersion", ANY), ("Sql", ANY)];
    const ALEXA_SKILL_EVENT: &[Prop] = &[("SkillId", ANY)];
    const COGNITO_EVENT: &[Prop] = &[("Trigger", Shape::STR_OR_LIST.literal()), ("UserPool", ANY)];
    Some(match ty {
        "S3" => (S3_EVENT, NONE),
        "SNS" => (SNS_EVENT, NONE),
        "Kinesis" | "DynamoDB" => (KINESIS_EVENT, STREAM),
        "SQS" => (SQS_EVENT, NONE),
        "MSK" => (MSK_EVENT, KAFKA),
        "SelfManagedKafka" => (SELF_MANAGED_KAFKA_EVENT, KAFKA),
        "MQ" => (MQ_EVENT, NONE),
        "DocumentDB" => (DOCUMENT_DB_EVENT, NONE),
        "Api" => (API_EVENT, NONE),
        "HttpApi" => (HTTP_API_EVENT, NONE),
        "Schedule" => (SCHEDULE_EVENT, RULE),
        "CloudWatchEvent" | "EventBridgeRule" => (NONE, RULE),
        "ScheduleV2" => (SCHEDULE_V2_EVENT, NONE),
        "CloudWatchLogs" => (CLOUDWATCH_LOGS_EVENT, NONE),
        "IoTRule" => (IOT_RULE_EVENT, NONE),
        "AlexaSkill" => (ALEXA_SKILL_EVENT, NONE),
        "Cognito" => (COGNITO_EVENT, NONE),
        _ => return None,
    })
}

fn find(props: &[Prop], name: &str) -> Option<Shape> {
    props.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}

/// Check a map of properties against tables of known ones: unknown names and wrong shapes are
/// errors. `what` names the owner in messages (`AWS::Serverless::Function`, `SNS event`).
pub(crate) fn check_entries(at: At<'_>, props: &Node, what: &str, tables: &[&[Prop]]) {
    let Some(entries) = super::shape::entries(props) else {
        return;
    };
    for e in entries {
        match tables.iter().find_map(|t| find(t, &e.key)) {
            Some(shape) => {
                at.expect(&e.value, &e.key, shape);
            }
            None => at.error(
                &e.key_origin,
                format!("`{}` is not a property of {what}", e.key),
            ),
        }
    }
}

/// Check the properties of a SAM resource. False when they are not a map.
pub(crate) fn check(at: At<'_>, type_name: &str, props: &Node) -> bool {
    let Some(table) = resource_props(type_name) else {
        at.error(
            &props.origin,
            format!("`{type_name}` is not a resource type of the SAM transform"),
        );
        return false;
    };
    if !matches!(props.kind, NodeKind::Map(_)) || super::shape::is_intrinsic(props) {
        return false;
    }
    check_entries(at, props, type_name, &[table]);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_and_unique() {
        let all: Vec<&[Prop]> = vec![
            FUNCTION,
            API,
            HTTP_API,
            WEBSOCKET_API,
            STATE_MACHINE,
            LAYER,
            SIMPLE_TABLE,
            APPLICATION,
            CONNECTOR,
            GRAPHQL_API,
            CAPACITY_PROVIDER,
            STREAM,
            KAFKA,
            RULE,
        ];
        for t in all {
            for w in t.windows(2) {
                if let [a, b] = w {
                    assert!(a.0 < b.0, "{} before {}", a.0, b.0);
                }
            }
        }
        assert!(resource_props("AWS::Serverless::Function").is_some());
        assert!(resource_props("AWS::Serverless::Nope").is_none());
        assert!(event_props("SQS").is_some());
        assert!(event_props("API").is_none());
    }
}
