//! The `Globals` section: a map from SAM resource kinds to the properties they share. Only some
//! properties of each kind can be global.

use super::Ctx;
use lambdasec_model::NodeKind;

const FUNCTION: &[&str] = &[
    "Architectures",
    "AssumeRolePolicyDocument",
    "AutoPublishAlias",
    "AutoPublishAliasAllProperties",
    "CapacityProviderConfig",
    "CodeSigningConfigArn",
    "CodeUri",
    "DeadLetterQueue",
    "DeploymentPreference",
    "Description",
    "DurableConfig",
    "Environment",
    "EphemeralStorage",
    "EventInvokeConfig",
    "FileSystemConfigs",
    "FunctionScalingConfig",
    "FunctionUrlConfig",
    "Handler",
    "KmsKeyArn",
    "Layers",
    "LoggingConfig",
    "MemorySize",
    "PermissionsBoundary",
    "PropagateTags",
    "ProvisionedConcurrencyConfig",
    "PublishToLatestPublished",
    "RecursiveLoop",
    "ReservedConcurrentExecutions",
    "RolePath",
    "Runtime",
    "RuntimeManagementConfig",
    "SnapStart",
    "SourceKMSKeyArn",
    "Tags",
    "TenancyConfig",
    "Timeout",
    "Tracing",
    "VersionDeletionPolicy",
    "VpcConfig",
];

const API: &[&str] = &[
    "AccessLogSetting",
    "AlwaysDeploy",
    "Auth",
    "BinaryMediaTypes",
    "CacheClusterEnabled",
    "CacheClusterSize",
    "CanarySetting",
    "Cors",
    "DefinitionUri",
    "Domain",
    "EndpointAccessMode",
    "EndpointConfiguration",
    "GatewayResponses",
    "MergeDefinitions",
    "MethodSettings",
    "MinimumCompressionSize",
    "Name",
    "OpenApiVersion",
    "PropagateTags",
    "SecurityPolicy",
    "TracingEnabled",
    "Variables",
];

const HTTP_API: &[&str] = &[
    "AccessLogSettings",
    "Auth",
    "CorsConfiguration",
    "DefaultRouteSettings",
    "Domain",
    "FailOnWarnings",
    "PropagateTags",
    "RouteSettings",
    "StageVariables",
    "Tags",
];

const WEBSOCKET_API: &[&str] = &[
    "AccessLogSettings",
    "ApiKeySelectionExpression",
    "DefaultRouteSettings",
    "DisableExecuteApiEndpoint",
    "DisableSchemaValidation",
    "Domain",
    "IpAddressType",
    "PropagateTags",
    "RouteSettings",
    "StageVariables",
    "Tags",
];

const SIMPLE_TABLE: &[&str] = &["SSESpecification"];
const STATE_MACHINE: &[&str] = &["PropagateTags"];
const LAYER: &[&str] = &["PublishLambdaVersion"];
const CAPACITY_PROVIDER: &[&str] = &[
    "InstanceRequirements",
    "KmsKeyArn",
    "OperatorRole",
    "PropagateTags",
    "ScalingConfig",
    "Tags",
    "VpcConfig",
];

/// The kinds `Globals` configures.
const KINDS: &[&str] = &[
    "Api",
    "CapacityProvider",
    "Function",
    "HttpApi",
    "LayerVersion",
    "SimpleTable",
    "StateMachine",
    "WebSocketApi",
];

/// The properties `Globals` may set for a SAM resource type.
pub(crate) fn supported(type_name: &str) -> Option<&'static [&'static str]> {
    Some(match type_name.strip_prefix("AWS::Serverless::")? {
        "Function" => FUNCTION,
        "Api" => API,
        "HttpApi" => HTTP_API,
        "WebSocketApi" => WEBSOCKET_API,
        "SimpleTable" => SIMPLE_TABLE,
        "StateMachine" => STATE_MACHINE,
        "LayerVersion" => LAYER,
        "CapacityProvider" => CAPACITY_PROVIDER,
        _ => return None,
    })
}

pub(crate) fn check(ctx: &Ctx<'_>) {
    let Some(globals) = ctx.root.get("Globals") else {
        return;
    };
    let diags = &ctx.t.diags;
    let entries = match &globals.kind {
        NodeKind::Map(e) if !e.is_empty() => e,
        _ => {
            diags.error(
                "`Globals` must be a map of resource kinds (Function, Api, ...) to properties",
                &globals.origin,
            );
            return;
        }
    };
    for kind in entries {
        let Some(props) = supported(&format!("AWS::Serverless::{}", kind.key)) else {
            diags.error(
                format!(
                    "`Globals` cannot configure `{}` (expected one of {})",
                    kind.key,
                    KINDS.join(", ")
                ),
                &kind.key_origin,
            );
            continue;
        };
        let Some(values) = kind.value.as_map() else {
            if !matches!(kind.value.kind, NodeKind::Null) {
                diags.error(
                    format!("`Globals.{}` must be a map of properties", kind.key),
                    &kind.value.origin,
                );
            }
            continue;
        };
        for p in values {
            if !props.contains(&p.key.as_str()) {
                diags.error(
                    format!(
                        "`{}` cannot be set in `Globals.{}`: SAM applies only some properties globally, and not this one",
                        p.key, kind.key
                    ),
                    &p.key_origin,
                );
            }
        }
    }
}
