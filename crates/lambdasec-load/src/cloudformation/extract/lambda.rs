//! `AWS::Lambda::*`: functions, URLs, permissions, aliases, async configs, event source
//! mappings, layers, layer permissions and code signing configs.

use super::Decl;
use crate::cloudformation::props::{Props, string};
use crate::cloudformation::template::Template;
use lambdasec_model::{
    Alias, Code, CodeSigningConfig, Condition, Cors, Effect, EnvVar, EventInvokeConfig,
    EventSourceMapping, Function, FunctionUrl, Layer, LayerPermission, LoggingConfig, NodeKind,
    PackageType, Permission, Principal, RecursiveLoop, ResourceKind, RuntimeManagement, Tag,
    Target, TracingMode, UntrustedArtifactAction, UpdateRuntimeOn, UrlAuthType, Value, VpcConfig,
};

pub(crate) fn function(t: &Template<'_>, d: &Decl<'_>) -> Function {
    let p = d.props(t);
    let mut f = Function::new(d.meta(t, ResourceKind::Function));
    f.name = p.string("FunctionName");
    if let Some(v) = p.choice("PackageType", |s| match s {
        "Zip" => Some(PackageType::Zip),
        "Image" => Some(PackageType::Image),
        _ => None,
    }) {
        f.package_type = v;
    }
    f.runtime = p.string("Runtime");
    f.handler = p.string("Handler");
    f.code = p.block("Code").map(|c| code(&c));
    f.role = p.target("Role");
    if let Some(role) = &f.role
        && let Some(Target::Name(name)) = role.get()
    {
        // CloudFormation wants the role's ARN; a name here is a template that will not deploy
        // (often `!GetAtt Role.Arn` written as a plain string).
        p.t.diags.warn(
            format!(
                "`Role` must be a role ARN; `{name}` is not one, so the function's role is unknown"
            ),
            &role.origin,
        );
        f.role = Some(Value::unresolved(name.clone(), role.origin.clone()));
    }
    f.environment = p.block("Environment").map(|e| environment(&e));
    f.kms_key = p.target("KmsKeyArn");
    f.layers = p.targets("Layers");
    f.vpc = p.block("VpcConfig").map(|v| vpc(&v));
    f.reserved_concurrency = p.int("ReservedConcurrentExecutions");
    f.dead_letter_target = p
        .block("DeadLetterConfig")
        .and_then(|b| b.target("TargetArn"));
    if let Some(mode) = p
        .block("TracingConfig")
        .and_then(|b| b.choice("Mode", tracing_mode))
    {
        f.tracing = mode;
    }
    f.code_signing_config = p.target("CodeSigningConfigArn");
    // `LoggingConfig.LogGroup: !Ref Group` names a group of the template.
    f.log_group = p
        .block("LoggingConfig")
        .and_then(|l| l.get("LogGroup"))
        .and_then(|n| {
            let (id, attr) = crate::cloudformation::intrinsics::local_ref(n)?;
            attr.is_none()
                .then(|| Value::explicit(Target::Local(id.to_owned()), n.origin.clone()))
        });
    f.logging = p.block("LoggingConfig").map(|l| LoggingConfig {
        log_group: l.string("LogGroup"),
        log_format: l.string("LogFormat"),
        application_log_level: l.string("ApplicationLogLevel"),
        system_log_level: l.string("SystemLogLevel"),
        origin: l.owner.clone(),
    });
    if let Some(size) = p.block("EphemeralStorage").and_then(|b| b.int("Size")) {
        f.ephemeral_storage_mb = size;
    }
    if let Some(a) = p.get("Architectures") {
        let items = p.strings("Architectures");
        f.architectures = collect(items, &a.origin);
    }
    if let Some(v) = p.int("Timeout") {
        f.timeout_seconds = v;
    }
    if let Some(v) = p.int("MemorySize") {
        f.memory_mb = v;
    }
    if let Some(tags) = tags(&p, "Tags") {
        f.tags = tags;
    }
    f.runtime_management = p
        .block("RuntimeManagementConfig")
        .map(|r| RuntimeManagement {
            update_runtime_on: r
                .choice("UpdateRuntimeOn", |s| match s {
                    "Auto" => Some(UpdateRuntimeOn::Auto),
                    "FunctionUpdate" => Some(UpdateRuntimeOn::FunctionUpdate),
                    "Manual" => Some(UpdateRuntimeOn::Manual),
                    _ => None,
                })
                .unwrap_or_else(|| Value::default(UpdateRuntimeOn::Auto, r.owner)),
            runtime_version_arn: r.string("RuntimeVersionArn"),
            origin: r.owner.clone(),
        });
    if let Some(v) = p.choice("RecursiveLoop", |s| match s {
        "Allow" => Some(RecursiveLoop::Allow),
        "Terminate" => Some(RecursiveLoop::Terminate),
        _ => None,
    }) {
        f.recursive_loop = v;
    }
    f
}

pub(crate) fn tracing_mode(s: &str) -> Option<TracingMode> {
    match s {
        "Active" => Some(TracingMode::Active),
        "PassThrough" => Some(TracingMode::PassThrough),
        _ => None,
    }
}

/// A list of values as one value: unresolved when any item is.
fn collect(items: Vec<Value<String>>, origin: &lambdasec_model::Origin) -> Value<Vec<String>> {
    let mut out = Vec::with_capacity(items.len());
    for i in items {
        match i.get() {
            Some(s) => out.push(s.clone()),
            None => {
                return Value::unresolved(
                    i.unresolved_expr().unwrap_or_default().to_owned(),
                    origin.clone(),
                );
            }
        }
    }
    Value::explicit(out, origin.clone())
}

/// `Code`: `ZipFile`, `S3Bucket`/`S3Key`/`S3ObjectVersion` or `ImageUri`; a plain string is a
/// local path (a directory or zip) that `aws cloudformation package` uploads.
fn code(c: &Props<'_>) -> Value<Code> {
    let o = c.owner.clone();
    if let Some(n) = c.node
        && let NodeKind::String(path) = &n.kind
    {
        return Value::explicit(Code::Local { path: path.clone() }, n.origin.clone());
    }
    if c.is_unresolved() {
        return Value::unresolved(c.node.map(|n| c.t.expr_text(n)).unwrap_or_default(), o);
    }
    if let Some(zip) = c.string("ZipFile") {
        return zip.map(|source| Code::Inline { source });
    }
    if let Some(uri) = c.string("ImageUri") {
        return uri.map(|uri| Code::Image { uri });
    }
    let bucket = c.string("S3Bucket");
    let key = c.string("S3Key");
    match (bucket, key) {
        (Some(b), Some(k)) => match (b.get(), k.get()) {
            (Some(bucket), Some(key)) => Value::explicit(
                Code::S3 {
                    bucket: bucket.clone(),
                    key: key.clone(),
                    version: c.string("S3ObjectVersion").and_then(|v| v.get().cloned()),
                },
                o,
            ),
            _ => Value::unresolved(c.node.map(|n| c.t.expr_text(n)).unwrap_or_default(), o),
        },
        _ => {
            c.t.diags.warn(
                "`Code` needs `ZipFile`, `ImageUri`, or `S3Bucket` and `S3Key`",
                &o,
            );
            Value::unresolved(c.node.map(|n| c.t.expr_text(n)).unwrap_or_default(), o)
        }
    }
}

/// `Environment.Variables`.
pub(crate) fn environment(e: &Props<'_>) -> Value<Vec<EnvVar>> {
    let Some(vars) = e.get("Variables") else {
        return Value::explicit(Vec::new(), e.owner.clone());
    };
    match &vars.kind {
        NodeKind::Map(entries) => Value::explicit(
            entries
                .iter()
                .map(|en| EnvVar {
                    name: en.key.clone(),
                    name_origin: en.key_origin.clone(),
                    value: string(e.t, &en.value),
                })
                .collect(),
            vars.origin.clone(),
        ),
        _ => Value::unresolved(e.t.expr_text(vars), vars.origin.clone()),
    }
}

fn vpc(v: &Props<'_>) -> VpcConfig {
    if v.is_unresolved() {
        // A VPC configuration that cannot be read: its contents are unknown.
        let expr = v.node.map(|n| v.t.expr_text(n)).unwrap_or_default();
        return VpcConfig {
            subnets: vec![Value::unresolved(expr.clone(), v.owner.clone())],
            security_groups: vec![Value::unresolved(expr, v.owner.clone())],
            ipv6_allowed_for_dual_stack: None,
            origin: v.owner.clone(),
        };
    }
    VpcConfig {
        subnets: v.targets("SubnetIds"),
        security_groups: v.targets("SecurityGroupIds"),
        ipv6_allowed_for_dual_stack: v.bool("Ipv6AllowedForDualStack"),
        origin: v.owner.clone(),
    }
}

/// `Tags` as a list of `{Key, Value}` (CloudFormation) or a map (SAM); `None` when absent.
pub(crate) fn tags(p: &Props<'_>, key: &str) -> Option<Value<Vec<Tag>>> {
    let n = p.get(key)?;
    Some(match &n.kind {
        NodeKind::List(items) => {
            let mut out = Vec::new();
            for i in items {
                let b = Props::new(p.t, Some(i), &i.origin);
                match b.string("Key").and_then(|k| k.get().cloned()) {
                    Some(k) => out.push(Tag {
                        key: k,
                        value: b.required_string("Value"),
                    }),
                    None => {
                        return Some(Value::unresolved(p.t.expr_text(n), n.origin.clone()));
                    }
                }
            }
            Value::explicit(out, n.origin.clone())
        }
        NodeKind::Map(entries) => Value::explicit(
            entries
                .iter()
                .map(|e| Tag {
                    key: e.key.clone(),
                    value: string(p.t, &e.value),
                })
                .collect(),
            n.origin.clone(),
        ),
        _ => Value::unresolved(p.t.expr_text(n), n.origin.clone()),
    })
}

pub(crate) fn url_auth(s: &str) -> Option<UrlAuthType> {
    match s {
        "NONE" => Some(UrlAuthType::None),
        "AWS_IAM" => Some(UrlAuthType::AwsIam),
        _ => None,
    }
}

pub(crate) fn url(t: &Template<'_>, d: &Decl<'_>) -> FunctionUrl {
    let p = d.props(t);
    FunctionUrl {
        meta: d.meta(t, ResourceKind::FunctionUrl),
        function: url_target(&p),
        qualifier: p.string("Qualifier"),
        auth_type: p
            .choice("AuthType", url_auth)
            .unwrap_or_else(|| p.missing("AuthType")),
        cors: p.block("Cors").map(|c| cors(&c)),
        invoke_mode: p.string("InvokeMode"),
    }
}

/// The function of a URL: `TargetFunctionArn`. A `FunctionName` in its place (a common slip:
/// CloudFormation rejects it, the property of `AWS::Lambda::Permission` is not one of
/// `AWS::Lambda::Url`) is reported and read as the target, so the URL is still judged.
fn url_target(p: &Props<'_>) -> Value<Target> {
    if p.get("TargetFunctionArn").is_none()
        && let Some(name) = p.get("FunctionName")
    {
        p.t.diags.warn(
            "`AWS::Lambda::Url` has no `TargetFunctionArn` (required); its `FunctionName` is not a property of a URL and is read as the target",
            &name.origin,
        );
        return crate::cloudformation::props::target(p.t, name);
    }
    p.required_target("TargetFunctionArn")
}

pub(crate) fn cors(c: &Props<'_>) -> Cors {
    Cors {
        allow_origins: c.strings("AllowOrigins"),
        allow_credentials: c.bool("AllowCredentials"),
        allow_methods: c.strings("AllowMethods"),
        allow_headers: c.strings("AllowHeaders"),
        expose_headers: c.strings("ExposeHeaders"),
        max_age: c.int("MaxAge"),
        origin: c.owner.clone(),
    }
}

/// The conditions AWS writes into the policy statement from the permission's properties.
pub(crate) fn permission_conditions(p: &Props<'_>) -> Vec<Condition> {
    const KEYS: &[(&str, &str, &str)] = &[
        ("SourceArn", "ArnLike", "aws:SourceArn"),
        ("SourceAccount", "StringEquals", "aws:SourceAccount"),
        ("PrincipalOrgID", "StringEquals", "aws:PrincipalOrgID"),
        (
            "EventSourceToken",
            "StringEquals",
            "lambda:EventSourceToken",
        ),
        (
            "FunctionUrlAuthType",
            "StringEquals",
            "lambda:FunctionUrlAuthType",
        ),
    ];
    // `InvokedViaFunctionUrl: true` restricts a grant to calls through the function URL.
    const BOOL_KEYS: &[(&str, &str, &str)] = &[(
        "InvokedViaFunctionUrl",
        "Bool",
        "lambda:InvokedViaFunctionUrl",
    )];
    KEYS.iter()
        .chain(BOOL_KEYS)
        .filter_map(|(prop, op, key)| {
            let v = p.string(prop)?;
            Some(Condition {
                operator: (*op).to_owned(),
                key: (*key).to_owned(),
                origin: v.origin.clone(),
                values: vec![v],
            })
        })
        .collect()
}

pub(crate) fn principal(v: Value<String>) -> Value<Principal> {
    v.map(|s| Principal::from_lambda_permission(&s))
}

pub(crate) fn permission(t: &Template<'_>, d: &Decl<'_>) -> Permission {
    let p = d.props(t);
    Permission {
        meta: d.meta(t, ResourceKind::Permission),
        function: p.required_target("FunctionName"),
        qualifier: None,
        statement_id: None,
        effect: Effect::Allow,
        principal: principal(p.required_string("Principal")),
        actions: vec![p.required_string("Action")],
        conditions: permission_conditions(&p),
    }
}

pub(crate) fn alias(t: &Template<'_>, d: &Decl<'_>) -> Alias {
    let p = d.props(t);
    Alias {
        meta: d.meta(t, ResourceKind::Alias),
        function: p.required_target("FunctionName"),
        name: p.required_string("Name"),
        function_version: p.string("FunctionVersion"),
        provisioned_concurrency: p
            .block("ProvisionedConcurrencyConfig")
            .and_then(|b| b.int("ProvisionedConcurrentExecutions")),
    }
}

pub(crate) fn event_invoke_config(t: &Template<'_>, d: &Decl<'_>) -> EventInvokeConfig {
    let p = d.props(t);
    let dest = p.block("DestinationConfig");
    let destination = |k: &str| {
        dest.as_ref()
            .and_then(|b| b.block(k))
            .and_then(|b| b.target("Destination"))
    };
    EventInvokeConfig {
        meta: d.meta(t, ResourceKind::EventInvokeConfig),
        function: p.required_target("FunctionName"),
        qualifier: p.string("Qualifier"),
        maximum_retry_attempts: p.int("MaximumRetryAttempts"),
        maximum_event_age_seconds: p.int("MaximumEventAgeInSeconds"),
        on_success: destination("OnSuccess"),
        on_failure: destination("OnFailure"),
    }
}

pub(crate) fn event_source_mapping(t: &Template<'_>, d: &Decl<'_>) -> EventSourceMapping {
    let p = d.props(t);
    EventSourceMapping {
        meta: d.meta(t, ResourceKind::EventSourceMapping),
        function: p.required_target("FunctionName"),
        event_source: p.target("EventSourceArn"),
        enabled: p.bool_or("Enabled", true),
        batch_size: p.int("BatchSize"),
        starting_position: p.string("StartingPosition"),
        maximum_retry_attempts: p.int("MaximumRetryAttempts"),
        maximum_record_age_seconds: p.int("MaximumRecordAgeInSeconds"),
        bisect_batch_on_error: p.bool("BisectBatchOnFunctionError"),
        on_failure: p
            .block("DestinationConfig")
            .and_then(|b| b.block("OnFailure"))
            .and_then(|b| b.target("Destination")),
        filter_criteria: p.document("FilterCriteria"),
    }
}

pub(crate) fn layer(t: &Template<'_>, d: &Decl<'_>) -> Layer {
    let p = d.props(t);
    Layer {
        meta: d.meta(t, ResourceKind::Layer),
        name: p.string("LayerName"),
        content: p.block("Content").map(|c| code(&c)),
        compatible_runtimes: p.strings("CompatibleRuntimes"),
    }
}

pub(crate) fn layer_permission(t: &Template<'_>, d: &Decl<'_>) -> LayerPermission {
    let p = d.props(t);
    LayerPermission {
        meta: d.meta(t, ResourceKind::LayerPermission),
        layer: p.required_target("LayerVersionArn"),
        action: p.required_string("Action"),
        principal: principal(p.required_string("Principal")),
        organization_id: p.string("OrganizationId"),
    }
}

pub(crate) fn code_signing_config(t: &Template<'_>, d: &Decl<'_>) -> CodeSigningConfig {
    let p = d.props(t);
    let policies = p.block("CodeSigningPolicies");
    CodeSigningConfig {
        meta: d.meta(t, ResourceKind::CodeSigningConfig),
        allowed_publishers: p
            .block("AllowedPublishers")
            .map(|b| b.targets("SigningProfileVersionArns"))
            .unwrap_or_default(),
        untrusted_artifact_on_deployment: policies
            .and_then(|b| {
                b.choice("UntrustedArtifactOnDeployment", |s| match s {
                    "Warn" => Some(UntrustedArtifactAction::Warn),
                    "Enforce" => Some(UntrustedArtifactAction::Enforce),
                    _ => None,
                })
            })
            .unwrap_or_else(|| Value::default(UntrustedArtifactAction::Warn, &d.origin)),
    }
}
