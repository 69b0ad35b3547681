//! `aws_lambda_*` resources.

use super::{Res, find_mut};
use crate::terraform::archive::{self, relative_to_module};
use crate::terraform::body::{Blk, Cx, Obj};
use lambdasec_model::{
    Alias, Code, CodeOwner, CodeSigningConfig, Condition, Cors, Effect, EnvVar, EventInvokeConfig,
    EventSourceMapping, Function, FunctionUrl, Inventory, Layer, LayerPermission, LoggingConfig,
    Node, NodeKind, Origin, PackageFilter, PackageType, Permission, Principal, RecursiveLoop,
    ResourceKind, RuntimeManagement, State, TracingMode, UntrustedArtifactAction, UpdateRuntimeOn,
    UrlAuthType, Value, VpcConfig,
};

pub(super) fn primary(cx: &Cx<'_>, r: &Res<'_>, inv: &mut Inventory) {
    match r.rtype.as_str() {
        "aws_lambda_function" => inv.functions.push(function(r)),
        "aws_lambda_function_url" => inv.function_urls.push(url(cx, r)),
        "aws_lambda_permission" => inv.permissions.push(permission(r)),
        "aws_lambda_alias" => inv.aliases.push(alias(r)),
        "aws_lambda_function_event_invoke_config" => {
            inv.event_invoke_configs.push(event_invoke_config(r));
        }
        "aws_lambda_event_source_mapping" => {
            inv.event_source_mappings.push(event_source_mapping(r))
        }
        "aws_lambda_layer_version" => inv.layers.push(layer(r)),
        "aws_lambda_layer_version_permission" => inv.layer_permissions.push(layer_permission(r)),
        "aws_lambda_code_signing_config" => inv.code_signing_configs.push(code_signing_config(r)),
        _ => {}
    }
}

/// Settings declared as their own resources, merged into the function or alias they name.
pub(super) fn attach(cx: &Cx<'_>, r: &Res<'_>, inv: &mut Inventory) {
    let o = &r.obj;
    match r.rtype.as_str() {
        "aws_lambda_provisioned_concurrency_config" => {
            let (Some(function), Some(qualifier)) =
                (o.target("function_name"), o.string("qualifier"))
            else {
                return;
            };
            let amount = o.int("provisioned_concurrent_executions");
            let found = inv.aliases.iter_mut().find(|a| {
                a.function.get() == function.get()
                    && (a.name.get() == qualifier.get()
                        || qualifier_names_alias(&qualifier, &a.meta.id))
            });
            match found {
                Some(a) => a.provisioned_concurrency = amount,
                None => not_found(cx, r, "alias"),
            }
        }
        "aws_lambda_function_recursion_config" => {
            let Some(function) = o.target("function_name") else {
                return;
            };
            let value = o.parsed("recursive_loop", "`Allow` or `Terminate`", |s| match s {
                "Allow" => Some(RecursiveLoop::Allow),
                "Terminate" => Some(RecursiveLoop::Terminate),
                _ => None,
            });
            match (find_mut(&mut inv.functions, &function), value) {
                (Some(f), Some(v)) => f.recursive_loop = v,
                (None, _) => not_found(cx, r, "function"),
                _ => {}
            }
        }
        "aws_lambda_runtime_management_config" => {
            let Some(function) = o.target("function_name") else {
                return;
            };
            let update = o
                .parsed(
                    "update_runtime_on",
                    "`Auto`, `FunctionUpdate` or `Manual`",
                    |s| match s {
                        "Auto" => Some(UpdateRuntimeOn::Auto),
                        "FunctionUpdate" => Some(UpdateRuntimeOn::FunctionUpdate),
                        "Manual" => Some(UpdateRuntimeOn::Manual),
                        _ => None,
                    },
                )
                .unwrap_or_else(|| Value::default(UpdateRuntimeOn::Auto, &o.origin));
            let rm = RuntimeManagement {
                update_runtime_on: update,
                runtime_version_arn: o.string("runtime_version_arn"),
                origin: o.origin.clone(),
            };
            match find_mut(&mut inv.functions, &function) {
                Some(f) => f.runtime_management = Some(rm),
                None => not_found(cx, r, "function"),
            }
        }
        _ => {}
    }
}

fn qualifier_names_alias(qualifier: &Value<String>, alias_id: &str) -> bool {
    // `qualifier = aws_lambda_alias.live.name` is resolved to the alias name already; an
    // unresolved qualifier written as a reference keeps the alias address in its text.
    qualifier
        .unresolved_expr()
        .is_some_and(|e| e.starts_with(alias_id))
}

/// A setting for a resource this inventory does not hold: nothing to record it on.
pub(super) fn not_found(cx: &Cx<'_>, r: &Res<'_>, what: &str) {
    cx.warn(
        format!(
            "`{}` configures a {what} that is not declared here; the setting is not recorded",
            r.address
        ),
        r.obj.origin.clone(),
    );
}

fn function(r: &Res<'_>) -> Function {
    let o = &r.obj;
    let mut f = Function::new(r.meta(ResourceKind::Function));
    f.name = o.string("function_name");
    if let Some(p) = o.parsed("package_type", "`Zip` or `Image`", |s| match s {
        "Zip" => Some(PackageType::Zip),
        "Image" => Some(PackageType::Image),
        _ => None,
    }) {
        f.package_type = p;
    }
    f.runtime = o.string("runtime");
    f.handler = o.string("handler");
    f.code = code(r, o, "filename", "image_uri", ResourceKind::Function);
    f.role = o.target("role");
    f.environment = environment(o);
    f.kms_key = o.target("kms_key_arn");
    f.layers = o.targets("layers");
    f.vpc = vpc(o);
    f.reserved_concurrency = o
        .int("reserved_concurrent_executions")
        .filter(|v| v.get() != Some(&-1));
    f.dead_letter_target = o
        .block("dead_letter_config")
        .known()
        .and_then(|d| d.target("target_arn"));
    f.tracing = match o.block("tracing_config") {
        Blk::Known(t) => t
            .parsed("mode", "`Active` or `PassThrough`", |s| match s {
                "Active" => Some(TracingMode::Active),
                "PassThrough" => Some(TracingMode::PassThrough),
                _ => None,
            })
            .unwrap_or_else(|| Value::default(TracingMode::PassThrough, &t.origin)),
        Blk::Unknown { expr, origin } => Value::unresolved(expr, origin),
        Blk::Absent => Value::default(TracingMode::PassThrough, &o.origin),
    };
    f.code_signing_config = o.target("code_signing_config_arn");
    f.logging = o.block("logging_config").known().map(|l| LoggingConfig {
        log_group: l.string("log_group"),
        log_format: l.string("log_format"),
        application_log_level: l.string("application_log_level"),
        system_log_level: l.string("system_log_level"),
        origin: l.origin.clone(),
    });
    match o.block("ephemeral_storage") {
        Blk::Known(e) => {
            if let Some(size) = e.int("size") {
                f.ephemeral_storage_mb = size;
            }
        }
        Blk::Unknown { expr, origin } => f.ephemeral_storage_mb = Value::unresolved(expr, origin),
        Blk::Absent => {}
    }
    if o.has("architectures") {
        let items = o.strings("architectures");
        f.architectures = collect(items, o.origin_of("architectures"));
    }
    if let Some(t) = o.int("timeout") {
        f.timeout_seconds = t;
    }
    if let Some(m) = o.int("memory_size") {
        f.memory_mb = m;
    }
    f.tags = r.tags("tags");
    f
}

/// A list of values as one value: unresolved when any item is.
fn collect(items: Vec<Value<String>>, origin: Origin) -> Value<Vec<String>> {
    let mut out = Vec::with_capacity(items.len());
    for i in items {
        match i.state {
            State::Explicit(s) | State::Default(s) => out.push(s),
            State::Unresolved(e) => return Value::unresolved(e, origin),
        }
    }
    Value::explicit(out, origin)
}

/// The code of a function or layer: a local file, an S3 object or an image. A file that an
/// `archive_file` builds is that archive's source (and its `excludes` become the owner's
/// package filter).
fn code(
    r: &Res<'_>,
    o: &Obj<'_>,
    file_key: &str,
    image_key: &str,
    kind: ResourceKind,
) -> Option<Value<Code>> {
    if let Some(path) = o.string(file_key) {
        if let Some(archive) = path
            .get()
            .and_then(|p| o.cx.archives.get(&archive::path_key(p)))
        {
            if !archive.patterns.is_empty() {
                o.cx.filters.borrow_mut().push(PackageFilter {
                    owner: CodeOwner {
                        kind,
                        id: r.address.clone(),
                    },
                    patterns: archive.patterns.clone(),
                });
            }
            return Some(archive.code.clone());
        }
        let origin = path.origin.clone();
        return Some(match path.get() {
            Some(p) => Value::explicit(
                Code::Local {
                    path: relative_to_module(p, &r.path_module),
                },
                origin,
            ),
            None => Value::unresolved(path.unresolved_expr().unwrap_or_default(), origin),
        });
    }
    if let Some(uri) = o.string(image_key) {
        let origin = uri.origin.clone();
        return Some(match uri.get() {
            Some(u) => Value::explicit(Code::Image { uri: u.clone() }, origin),
            None => Value::unresolved(uri.unresolved_expr().unwrap_or_default(), origin),
        });
    }
    let bucket = o.string("s3_bucket")?;
    let key = o.string("s3_key");
    let version = o.string("s3_object_version");
    let origin = bucket.origin.clone();
    Some(match (bucket.get(), key.as_ref().and_then(Value::get)) {
        (Some(b), Some(k)) => Value::explicit(
            Code::S3 {
                bucket: b.clone(),
                key: k.clone(),
                version: version.and_then(|v| v.get().cloned()),
            },
            origin,
        ),
        _ => Value::unresolved(
            format!(
                "s3://{}/{}",
                bucket,
                key.map(|k| k.to_string()).unwrap_or_default()
            ),
            origin,
        ),
    })
}

fn environment(o: &Obj<'_>) -> Option<Value<Vec<EnvVar>>> {
    match o.block("environment") {
        Blk::Absent => None,
        Blk::Unknown { expr, origin } => Some(Value::unresolved(expr, origin)),
        Blk::Known(env) => Some(match env.string_map("variables") {
            None => Value::explicit(Vec::new(), env.origin.clone()),
            Some(Err(unknown)) => Value::unresolved(
                unknown.unresolved_expr().unwrap_or_default().to_owned(),
                unknown.origin.clone(),
            ),
            Some(Ok(items)) => Value::explicit(
                items
                    .into_iter()
                    .map(|i| EnvVar {
                        name: i.key,
                        name_origin: i.key_origin,
                        value: i.value,
                    })
                    .collect(),
                env.origin_of("variables"),
            ),
        }),
    }
}

fn vpc(o: &Obj<'_>) -> Option<VpcConfig> {
    match o.block("vpc_config") {
        Blk::Absent => None,
        Blk::Unknown { expr, origin } => Some(VpcConfig {
            subnets: vec![Value::unresolved(expr.clone(), origin.clone())],
            security_groups: vec![Value::unresolved(expr, origin.clone())],
            ipv6_allowed_for_dual_stack: None,
            origin,
        }),
        Blk::Known(v) => {
            let subnets = v.targets("subnet_ids");
            let security_groups = v.targets("security_group_ids");
            // The provider treats an empty configuration as "not in a VPC".
            if subnets.is_empty() && security_groups.is_empty() {
                return None;
            }
            Some(VpcConfig {
                subnets,
                security_groups,
                ipv6_allowed_for_dual_stack: v.bool("ipv6_allowed_for_dual_stack"),
                origin: v.origin.clone(),
            })
        }
    }
}

fn url(cx: &Cx<'_>, r: &Res<'_>) -> FunctionUrl {
    let o = &r.obj;
    let auth_type = o
        .parsed("authorization_type", "`NONE` or `AWS_IAM`", |s| match s {
            "NONE" => Some(UrlAuthType::None),
            "AWS_IAM" => Some(UrlAuthType::AwsIam),
            _ => None,
        })
        .unwrap_or_else(|| {
            cx.warn(
                format!("`{}` has no `authorization_type` (required)", r.address),
                o.origin.clone(),
            );
            Value::unresolved("authorization_type", o.origin.clone())
        });
    FunctionUrl {
        meta: r.meta(ResourceKind::FunctionUrl),
        function: required_target(o, "function_name"),
        qualifier: o.string("qualifier"),
        auth_type,
        cors: o.block("cors").known().map(|c| Cors {
            allow_origins: c.strings("allow_origins"),
            allow_credentials: c.bool("allow_credentials"),
            allow_methods: c.strings("allow_methods"),
            allow_headers: c.strings("allow_headers"),
            expose_headers: c.strings("expose_headers"),
            max_age: c.int("max_age"),
            origin: c.origin.clone(),
        }),
        invoke_mode: o.string("invoke_mode"),
    }
}

/// A required reference; unresolved (naming the argument) when missing.
fn required_target(o: &Obj<'_>, key: &str) -> Value<lambdasec_model::Target> {
    o.target(key)
        .unwrap_or_else(|| Value::unresolved(format!("missing `{key}`"), o.origin.clone()))
}

fn permission(r: &Res<'_>) -> Permission {
    let o = &r.obj;
    let principal = match o.string("principal") {
        Some(p) => p.map(|s| Principal::from_lambda_permission(&s)),
        None => Value::unresolved("missing `principal`", o.origin.clone()),
    };
    let mut conditions = Vec::new();
    for (arg, operator, key) in [
        ("source_arn", "ArnLike", "aws:SourceArn"),
        ("source_account", "StringEquals", "aws:SourceAccount"),
        ("principal_org_id", "StringEquals", "aws:PrincipalOrgID"),
        (
            "event_source_token",
            "StringEquals",
            "lambda:EventSourceToken",
        ),
        (
            "function_url_auth_type",
            "StringEquals",
            "lambda:FunctionUrlAuthType",
        ),
    ] {
        if let Some(v) = o.string(arg) {
            conditions.push(Condition {
                operator: operator.to_owned(),
                key: key.to_owned(),
                origin: v.origin.clone(),
                values: vec![v],
            });
        }
    }
    Permission {
        meta: r.meta(ResourceKind::Permission),
        function: required_target(o, "function_name"),
        qualifier: o.string("qualifier"),
        statement_id: o.string("statement_id"),
        effect: Effect::Allow,
        principal,
        actions: o.string("action").into_iter().collect(),
        conditions,
    }
}

fn alias(r: &Res<'_>) -> Alias {
    let o = &r.obj;
    Alias {
        meta: r.meta(ResourceKind::Alias),
        function: required_target(o, "function_name"),
        name: o
            .string("name")
            .unwrap_or_else(|| Value::unresolved("missing `name`", o.origin.clone())),
        function_version: o.string("function_version"),
        provisioned_concurrency: None,
    }
}

fn event_invoke_config(r: &Res<'_>) -> EventInvokeConfig {
    let o = &r.obj;
    let dest = o.block("destination_config").known();
    let target = |which: &str| {
        dest.as_ref()
            .and_then(|d| d.block(which).known())
            .and_then(|b| b.target("destination"))
    };
    EventInvokeConfig {
        meta: r.meta(ResourceKind::EventInvokeConfig),
        function: required_target(o, "function_name"),
        qualifier: o.string("qualifier"),
        maximum_retry_attempts: o.int("maximum_retry_attempts"),
        maximum_event_age_seconds: o.int("maximum_event_age_in_seconds"),
        on_success: target("on_success"),
        on_failure: target("on_failure"),
    }
}

fn event_source_mapping(r: &Res<'_>) -> EventSourceMapping {
    let o = &r.obj;
    let filter_criteria = o.block("filter_criteria").known().map(|fc| {
        let filters: Vec<Node> = fc
            .blocks("filter")
            .into_iter()
            .filter_map(Blk::known)
            .map(|f| {
                let pattern = f.get("pattern").map(|p| p.to_node(&f.origin_of("pattern")));
                let entries = pattern
                    .map(|value| lambdasec_model::Entry {
                        key: "Pattern".into(),
                        key_origin: f.origin_of("pattern"),
                        value,
                    })
                    .into_iter()
                    .collect();
                Node::new(NodeKind::Map(entries), f.origin.clone())
            })
            .collect();
        Node::new(
            NodeKind::Map(vec![lambdasec_model::Entry {
                key: "Filters".into(),
                key_origin: fc.origin.clone(),
                value: Node::new(NodeKind::List(filters), fc.origin.clone()),
            }]),
            fc.origin.clone(),
        )
    });
    EventSourceMapping {
        meta: r.meta(ResourceKind::EventSourceMapping),
        function: required_target(o, "function_name"),
        event_source: o.target("event_source_arn"),
        enabled: o
            .bool("enabled")
            .unwrap_or_else(|| Value::default(true, &o.origin)),
        batch_size: o.int("batch_size"),
        starting_position: o.string("starting_position"),
        maximum_retry_attempts: o.int("maximum_retry_attempts"),
        maximum_record_age_seconds: o.int("maximum_record_age_in_seconds"),
        bisect_batch_on_error: o.bool("bisect_batch_on_function_error"),
        on_failure: o
            .block("destination_config")
            .known()
            .and_then(|d| d.block("on_failure").known())
            .and_then(|f| f.target("destination_arn")),
        filter_criteria,
    }
}

fn layer(r: &Res<'_>) -> Layer {
    let o = &r.obj;
    Layer {
        meta: r.meta(ResourceKind::Layer),
        name: o.string("layer_name"),
        content: code(r, o, "filename", "image_uri", ResourceKind::Layer),
        compatible_runtimes: o.strings("compatible_runtimes"),
    }
}

fn layer_permission(r: &Res<'_>) -> LayerPermission {
    let o = &r.obj;
    LayerPermission {
        meta: r.meta(ResourceKind::LayerPermission),
        layer: required_target(o, "layer_name"),
        action: o
            .string("action")
            .unwrap_or_else(|| Value::unresolved("missing `action`", o.origin.clone())),
        principal: match o.string("principal") {
            Some(p) => p.map(|s| {
                if s == "*" {
                    Principal::Any
                } else {
                    Principal::Aws(s)
                }
            }),
            None => Value::unresolved("missing `principal`", o.origin.clone()),
        },
        organization_id: o.string("organization_id"),
    }
}

fn code_signing_config(r: &Res<'_>) -> CodeSigningConfig {
    let o = &r.obj;
    let publishers = o.block("allowed_publishers").known();
    CodeSigningConfig {
        meta: r.meta(ResourceKind::CodeSigningConfig),
        allowed_publishers: publishers
            .map(|p| p.targets("signing_profile_version_arns"))
            .unwrap_or_default(),
        untrusted_artifact_on_deployment: o
            .block("policies")
            .known()
            .and_then(|p| {
                p.parsed(
                    "untrusted_artifact_on_deployment",
                    "`Warn` or `Enforce`",
                    |s| match s {
                        "Warn" => Some(UntrustedArtifactAction::Warn),
                        "Enforce" => Some(UntrustedArtifactAction::Enforce),
                        _ => None,
                    },
                )
            })
            .unwrap_or_else(|| Value::default(UntrustedArtifactAction::Warn, &o.origin)),
    }
}
