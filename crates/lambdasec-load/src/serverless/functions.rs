//! Functions and what the Framework deploys with each: log group, URL (and its public
//! permission), destinations, provisioned concurrency alias; top-level layers.

use super::iam::RolePlan;
use super::read::{Reader, is_null};
use super::{Service, implied, names, package};
use lambdasec_model::{
    Alias, Code, CodeOwner, Condition, Cors, Effect, EnvVar, EventInvokeConfig, Function,
    FunctionUrl, Inventory, Layer, LayerPermission, LogGroup, LoggingConfig, Meta, Node, NodeKind,
    PackageFilter, PackageType, Permission, Principal, ResourceKind, RuntimeManagement, Tag,
    Target, TracingMode, UpdateRuntimeOn, UrlAuthType, Value, VpcConfig,
};

/// The Framework's defaults when neither the function nor the provider sets them.
const DEFAULT_MEMORY_MB: i64 = 1024;
const DEFAULT_TIMEOUT_S: i64 = 6;

/// The deployed name of a function: `name`, else `<service>-<stage>-<key>`.
pub(super) fn function_name(s: &Service<'_>, key: &str, f: &Node) -> Value<String> {
    match f.get("name").filter(|n| !is_null(n)) {
        Some(n) => s.r.string(n),
        None => match s.prefix() {
            Some(p) => Value::default(format!("{p}-{key}"), &f.origin),
            None => Value::unresolved(format!("<service>-{}-{key}", s.stage), implied(f)),
        },
    }
}

pub(super) fn synthesized(id: String, kind: ResourceKind, owner: &Node) -> Meta {
    let mut m = Meta::new(id, kind, implied(owner));
    m.synthesized = true;
    m
}

pub(super) fn function(s: &Service<'_>, key: &str, f: &Node, plan: &RolePlan, inv: &mut Inventory) {
    let r = &s.r;
    let mut func = Function::new(Meta::new(key, ResourceKind::Function, f.origin.clone()));
    let name = function_name(s, key, f);
    func.name = Some(name.clone());

    let image = f.get("image").filter(|n| !is_null(n));
    if let Some(img) = image {
        func.package_type = Value::explicit(PackageType::Image, img.origin.clone());
        func.code = Some(image_code(s, img));
    } else {
        func.runtime = s.setting(f, "runtime").map(|n| r.string(n));
        func.code = package::function_code(s, key, f, &mut inv.package_filters);
    }
    func.handler = r.opt_string(f.get("handler"));
    func.role = Some(plan.role_of(s, key, f));
    func.environment = environment(s, f);
    func.kms_key = s.setting(f, "kmsKeyArn").map(|n| r.target(n));
    func.layers = r.targets(s.setting(f, "layers"));
    func.vpc = s.setting(f, "vpc").and_then(|v| vpc(s, v));
    func.reserved_concurrency = f
        .get("reservedConcurrency")
        .filter(|n| !is_null(n))
        .map(|n| r.int(n));
    func.dead_letter_target = f
        .get("onError")
        .filter(|n| !is_null(n))
        .map(|n| r.target(n));
    func.tracing = tracing(s, f);
    func.logging = logging(s, f);
    if let Some(n) = f.get("ephemeralStorageSize").filter(|n| !is_null(n)) {
        func.ephemeral_storage_mb = r.int(n);
    }
    if let Some(a) = s.setting(f, "architecture") {
        func.architectures = r.string(a).map(|x| vec![x]);
    }
    func.timeout_seconds = s.setting(f, "timeout").map_or_else(
        || Value::default(DEFAULT_TIMEOUT_S, &f.origin),
        |n| r.int(n),
    );
    func.memory_mb = s.setting(f, "memorySize").map_or_else(
        || Value::default(DEFAULT_MEMORY_MB, &f.origin),
        |n| r.int(n),
    );
    func.tags = tags(s, f);
    func.runtime_management = s
        .setting(f, "runtimeManagement")
        .map(|n| runtime_management(s, n));
    if f.get("disableLogs").and_then(Node::as_bool) != Some(true) {
        func.log_group = Some(Value::default(
            Target::Local(format!("{}LogGroup", names::function(key))),
            &f.origin,
        ));
    }
    inv.functions.push(func);

    log_group(s, key, f, &name, inv);
    url(s, key, f, inv);
    destinations(s, key, f, inv);
    if let Some(pc) = f.get("provisionedConcurrency").filter(|n| !is_null(n)) {
        inv.aliases.push(Alias {
            meta: synthesized(
                format!("{}ProvConcLambdaAlias", names::function(key)),
                ResourceKind::Alias,
                pc,
            ),
            function: Value::explicit(Target::Local(key.to_owned()), implied(pc)),
            name: Value::default("provisioned".to_owned(), &pc.origin),
            function_version: None,
            provisioned_concurrency: Some(r.int(pc)),
        });
    }
}

/// `image: uri` or `image: {uri}` / `image: {name}` naming `provider.ecr.images.<name>`.
fn image_code(s: &Service<'_>, img: &Node) -> Value<Code> {
    let r = &s.r;
    let uri = match &img.kind {
        NodeKind::Map(_) => match (img.get("uri"), img.get("name")) {
            (Some(u), _) => Some(u),
            (None, Some(n)) => n
                .as_str()
                .and_then(|name| s.provider(&format!("ecr.images.{name}.uri"))),
            _ => None,
        },
        _ => Some(img),
    };
    match uri {
        Some(u) => r.string(u).map(|uri| Code::Image { uri }),
        // An image the Framework builds from a local Dockerfile.
        None => Value::unresolved("image built by the Framework", img.origin.clone()),
    }
}

/// Provider environment merged with the function's (the function wins).
fn environment(s: &Service<'_>, f: &Node) -> Option<Value<Vec<lambdasec_model::EnvVar>>> {
    let provider = s.provider("environment");
    let own = f.get("environment").filter(|n| !is_null(n));
    let origin = own.or(provider)?.origin.clone();
    let mut vars: Vec<EnvVar> = Vec::new();
    for source in [provider, own].into_iter().flatten() {
        match source.as_map() {
            Some(entries) => {
                for e in entries {
                    vars.retain(|v| v.name != e.key);
                    vars.push(EnvVar {
                        name: e.key.clone(),
                        name_origin: e.key_origin.clone(),
                        value: s.r.string(&e.value),
                    });
                }
            }
            None => return Some(Value::unresolved(s.r.text(source), source.origin.clone())),
        }
    }
    Some(Value::explicit(vars, origin))
}

fn vpc(s: &Service<'_>, v: &Node) -> Option<VpcConfig> {
    if v.as_map().is_none() {
        return Some(VpcConfig {
            subnets: vec![s.r.target(v)],
            security_groups: vec![s.r.target(v)],
            ipv6_allowed_for_dual_stack: None,
            origin: v.origin.clone(),
        });
    }
    let subnets = s.r.targets(v.get("subnetIds"));
    let security_groups = s.r.targets(v.get("securityGroupIds"));
    if subnets.is_empty() && security_groups.is_empty() {
        return None;
    }
    Some(VpcConfig {
        subnets,
        security_groups,
        ipv6_allowed_for_dual_stack: v.get("ipv6AllowedForDualStack").map(|n| s.r.bool(n)),
        origin: v.origin.clone(),
    })
}

/// `tracing: Active|PassThrough|true|false` on the function, else `provider.tracing.lambda`.
fn tracing(s: &Service<'_>, f: &Node) -> Value<TracingMode> {
    let node = f
        .get("tracing")
        .filter(|n| !is_null(n))
        .or_else(|| s.provider("tracing.lambda"));
    let Some(n) = node else {
        return Value::default(TracingMode::PassThrough, &f.origin);
    };
    let mode = match (&n.kind, n.as_bool()) {
        (_, Some(true)) => Some(TracingMode::Active),
        (_, Some(false)) => Some(TracingMode::PassThrough),
        (NodeKind::String(t), _) if t.eq_ignore_ascii_case("active") => Some(TracingMode::Active),
        (NodeKind::String(t), _) if t.eq_ignore_ascii_case("passthrough") => {
            Some(TracingMode::PassThrough)
        }
        _ => None,
    };
    match mode {
        Some(m) => Value::explicit(m, n.origin.clone()),
        None => Value::unresolved(s.r.text(n), n.origin.clone()),
    }
}

/// `logs` (v3.38+ / v4): log format, levels, custom log group.
fn logging(s: &Service<'_>, f: &Node) -> Option<LoggingConfig> {
    let l = f
        .get("logs")
        .filter(|n| n.as_map().is_some())
        .or_else(|| s.provider("logs.lambda").filter(|n| n.as_map().is_some()))?;
    Some(LoggingConfig {
        log_group: s.r.opt_string(l.get("logGroup")),
        log_format: s.r.opt_string(l.get("logFormat")),
        application_log_level: s.r.opt_string(l.get("applicationLogLevel")),
        system_log_level: s.r.opt_string(l.get("systemLogLevel")),
        origin: l.origin.clone(),
    })
}

/// `provider.stackTags`, `provider.tags`, then the function's tags (later ones win).
fn tags(s: &Service<'_>, f: &Node) -> Value<Vec<Tag>> {
    let sources = [s.provider("stackTags"), s.provider("tags"), f.get("tags")];
    let Some(origin) = sources
        .iter()
        .rev()
        .flatten()
        .find(|n| !is_null(n))
        .map(|n| n.origin.clone())
    else {
        return Value::default(Vec::new(), &f.origin);
    };
    let mut out: Vec<Tag> = Vec::new();
    for src in sources.into_iter().flatten().filter(|n| !is_null(n)) {
        let Some(entries) = src.as_map() else {
            return Value::unresolved(s.r.text(src), src.origin.clone());
        };
        for e in entries {
            out.retain(|t| t.key != e.key);
            out.push(Tag {
                key: e.key.clone(),
                value: s.r.string(&e.value),
            });
        }
    }
    Value::explicit(out, origin)
}

fn runtime_management(s: &Service<'_>, n: &Node) -> RuntimeManagement {
    let mode_node = n.get("mode").unwrap_or(n);
    let update = match mode_node.as_str().map(str::to_ascii_lowercase).as_deref() {
        Some("auto") => Value::explicit(UpdateRuntimeOn::Auto, mode_node.origin.clone()),
        Some("onfunctionupdate" | "functionupdate") => {
            Value::explicit(UpdateRuntimeOn::FunctionUpdate, mode_node.origin.clone())
        }
        Some("manual") => Value::explicit(UpdateRuntimeOn::Manual, mode_node.origin.clone()),
        _ => Value::unresolved(s.r.text(mode_node), mode_node.origin.clone()),
    };
    RuntimeManagement {
        update_runtime_on: update,
        runtime_version_arn: s.r.opt_string(n.get("arn")),
        origin: n.origin.clone(),
    }
}

/// The log group the Framework creates for each function (unless `disableLogs`).
fn log_group(s: &Service<'_>, key: &str, f: &Node, name: &Value<String>, inv: &mut Inventory) {
    if f.get("disableLogs").and_then(Node::as_bool) == Some(true) {
        return;
    }
    let retention = f
        .get("logRetentionInDays")
        .filter(|n| !is_null(n))
        .or_else(|| s.provider("logRetentionInDays"))
        .map(|n| s.r.int(n));
    let group_name = match name.get() {
        Some(n) => Value::default(format!("/aws/lambda/{n}"), &f.origin),
        None => Value::unresolved(format!("/aws/lambda/{name}"), implied(f)),
    };
    inv.log_groups.push(LogGroup {
        meta: synthesized(
            format!("{}LogGroup", names::function(key)),
            ResourceKind::LogGroup,
            f,
        ),
        name: Some(group_name),
        retention_days: retention,
        kms_key: s.provider("logs.lambda.kmsKeyArn").map(|n| s.r.target(n)),
    });
}

/// `url: true` or `url: {authorizer: aws_iam, cors, invokeMode}`.
fn url(s: &Service<'_>, key: &str, f: &Node, inv: &mut Inventory) {
    let Some(u) = f.get("url").filter(|n| !is_null(n)) else {
        return;
    };
    if u.as_bool() == Some(false) {
        return;
    }
    let r = &s.r;
    let auth = match u.get("authorizer") {
        Some(a) => match a.as_str() {
            Some("aws_iam") => Value::explicit(UrlAuthType::AwsIam, a.origin.clone()),
            _ => Value::unresolved(r.text(a), a.origin.clone()),
        },
        None => Value::default(UrlAuthType::None, &u.origin),
    };
    let cors = match u.get("cors") {
        Some(c) if c.as_bool() == Some(true) => Some(default_cors(c)),
        // A map starts from the same defaults: an absent list keeps the Framework's,
        // `null` removes it.
        Some(c) if c.as_map().is_some() => Some(Cors {
            allow_origins: cors_list(r, c, "allowedOrigins", CORS_ORIGINS),
            allow_credentials: c.get("allowCredentials").map(|n| r.bool(n)),
            allow_methods: cors_list(r, c, "allowedMethods", CORS_METHODS),
            allow_headers: cors_list(r, c, "allowedHeaders", CORS_HEADERS),
            expose_headers: r.strings(c.get("exposedResponseHeaders")),
            max_age: c.get("maxAge").map(|n| r.int(n)),
            origin: c.origin.clone(),
        }),
        _ => None,
    };
    let function = Value::explicit(Target::Local(key.to_owned()), implied(u));
    let public = auth.get() == Some(&UrlAuthType::None);
    inv.function_urls.push(FunctionUrl {
        meta: synthesized(
            format!("{}LambdaFunctionUrl", names::function(key)),
            ResourceKind::FunctionUrl,
            u,
        ),
        function: function.clone(),
        qualifier: None,
        auth_type: auth,
        cors,
        invoke_mode: r.opt_string(u.get("invokeMode")),
    });
    if public {
        // The permission the Framework adds so that anyone can call the URL.
        inv.permissions.push(Permission {
            meta: synthesized(
                format!("{}LambdaPermissionFnUrl", names::function(key)),
                ResourceKind::Permission,
                u,
            ),
            function,
            qualifier: None,
            statement_id: None,
            effect: Effect::Allow,
            principal: Value::default(Principal::Any, &u.origin),
            actions: vec![Value::default(
                "lambda:InvokeFunctionUrl".to_owned(),
                &u.origin,
            )],
            conditions: vec![Condition {
                operator: "StringEquals".into(),
                key: "lambda:FunctionUrlAuthType".into(),
                values: vec![Value::default("NONE".to_owned(), &u.origin)],
                origin: implied(u),
            }],
        });
    }
}

/// The Framework's URL CORS defaults (`defaultCors` of its function compiler).
const CORS_ORIGINS: &[&str] = &["*"];
const CORS_METHODS: &[&str] = &["*"];
const CORS_HEADERS: &[&str] = &[
    "Content-Type",
    "X-Amz-Date",
    "Authorization",
    "X-Api-Key",
    "X-Amz-Security-Token",
    "X-Amzn-Trace-Id",
];

/// One list of a `cors` map: written, removed (`null`), or the Framework's default.
fn cors_list(r: &Reader<'_>, c: &Node, key: &str, default: &[&str]) -> Vec<Value<String>> {
    match c.get(key) {
        Some(n) if is_null(n) => Vec::new(),
        Some(n) => r.strings(Some(n)),
        None => default
            .iter()
            .map(|v| Value::default((*v).to_owned(), &c.origin))
            .collect(),
    }
}

/// `cors: true`: the Framework's permissive defaults.
fn default_cors(c: &Node) -> Cors {
    let d = |v: &&str| Value::default((*v).to_owned(), &c.origin);
    Cors {
        allow_origins: CORS_ORIGINS.iter().map(d).collect(),
        allow_credentials: None,
        allow_methods: CORS_METHODS.iter().map(d).collect(),
        allow_headers: CORS_HEADERS.iter().map(d).collect(),
        expose_headers: Vec::new(),
        max_age: None,
        origin: c.origin.implied(),
    }
}

/// `destinations` and the async retry settings: an event invoke config.
fn destinations(s: &Service<'_>, key: &str, f: &Node, inv: &mut Inventory) {
    let d = f.get("destinations").filter(|n| !is_null(n));
    let retries = f.get("maximumRetryAttempts").filter(|n| !is_null(n));
    let age = f.get("maximumEventAge").filter(|n| !is_null(n));
    let Some(owner) = d.or(retries).or(age) else {
        return;
    };
    let functions: Vec<&str> = s.functions().iter().map(|(k, _)| *k).collect();
    let dest = |which: &str| {
        let n = d?.get(which).filter(|n| !is_null(n))?;
        let n = n.get("arn").unwrap_or(n);
        Some(match n.as_str() {
            // Another function of the service, by its key.
            Some(name) if functions.contains(&name) => {
                Value::explicit(Target::Local(name.to_owned()), n.origin.clone())
            }
            _ => s.r.target(n),
        })
    };
    inv.event_invoke_configs.push(EventInvokeConfig {
        meta: synthesized(
            format!("{}LambdaEvConf", names::function(key)),
            ResourceKind::EventInvokeConfig,
            owner,
        ),
        function: Value::explicit(Target::Local(key.to_owned()), implied(owner)),
        qualifier: None,
        maximum_retry_attempts: retries
            .or_else(|| d.and_then(|d| d.get("maximumRetryAttempts")))
            .map(|n| s.r.int(n)),
        maximum_event_age_seconds: age
            .or_else(|| d.and_then(|d| d.get("maximumEventAge")))
            .map(|n| s.r.int(n)),
        on_success: dest("onSuccess"),
        on_failure: dest("onFailure"),
    });
}

/// Top-level `layers`: layer versions, and a public or cross-account grant for
/// `allowedAccounts`.
pub(super) fn layers(s: &Service<'_>, inv: &mut Inventory) {
    let Some(entries) = s.root.get("layers").and_then(Node::as_map) else {
        return;
    };
    for e in entries {
        let l = &e.value;
        if l.as_map().is_none() {
            continue;
        }
        let id = format!("{}LambdaLayer", names::function(&e.key));
        let name = match l.get("name") {
            Some(n) => s.r.string(n),
            None => match s.prefix() {
                Some(p) => Value::default(format!("{p}-{}", e.key), &l.origin),
                None => Value::default(e.key.clone(), &l.origin),
            },
        };
        let artifact = l.get("package").and_then(|p| p.get("artifact"));
        if artifact.is_none() && l.get("path").is_some() {
            inv.package_filters.push(PackageFilter {
                owner: CodeOwner::layer(&id),
                patterns: package::layer_patterns(s, l),
            });
        }
        let content = artifact
            .or_else(|| l.get("path"))
            .map(|p| s.r.string(p).map(|path| Code::Local { path }));
        inv.layers.push(Layer {
            meta: Meta::new(id.clone(), ResourceKind::Layer, l.origin.clone()),
            name: Some(name),
            content,
            compatible_runtimes: s.r.strings(l.get("compatibleRuntimes")),
        });
        for (i, account) in l
            .get("allowedAccounts")
            .map(Node::one_or_many)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let principal = s.r.string(account).map(|a| {
                if a == "*" {
                    Principal::Any
                } else {
                    Principal::Aws(a)
                }
            });
            inv.layer_permissions.push(LayerPermission {
                meta: synthesized(
                    format!("{}{}LambdaLayerPermission", names::function(&e.key), i + 1),
                    ResourceKind::LayerPermission,
                    account,
                ),
                layer: Value::explicit(Target::Local(id.clone()), implied(account)),
                action: Value::default("lambda:GetLayerVersion".to_owned(), &account.origin),
                principal,
                organization_id: None,
            });
        }
    }
}
