//! Lambda API shapes into the model: functions, URLs, permissions, aliases, invoke configs, event
//! source mappings, layers and code signing configs.

use super::RegionCtx;
use super::format as f;
use super::node::to_node;
use super::policy::{self, Statement};
use lambdasec_model::{
    Alias, Code, CodeSigningConfig, Cors, EnvVar, EventInvokeConfig, EventSourceMapping, Function,
    FunctionUrl, Inventory, Invocations, Layer, LayerPermission, LoggingConfig, Meta, Origin,
    PackageType, Permission, RecursiveLoop, ResourceKind, RuntimeManagement, Tag, Target,
    TracingMode, UntrustedArtifactAction, UpdateRuntimeOn, UrlAuthType, Value, VpcConfig,
};
use serde_json::Value as Json;
use std::collections::HashSet;

pub(super) fn load(ctx: &RegionCtx<'_>, region: &f::RegionSnapshot, inv: &mut Inventory) {
    for record in &region.functions {
        function(record, inv);
    }
    for esm in &region.event_source_mappings {
        inv.event_source_mappings
            .push(event_source_mapping(ctx, esm));
    }
    for layer in &region.layers {
        layer_version(layer, inv);
    }
    for csc in &region.code_signing_configs {
        inv.code_signing_configs.push(code_signing_config(csc));
    }
}

fn explicit<T>(v: T, o: &Origin, field: &str) -> Value<T> {
    Value::explicit(v, o.child(field))
}

fn opt_string(v: &Option<String>, o: &Origin, field: &str) -> Option<Value<String>> {
    v.as_ref()
        .filter(|s| !s.is_empty())
        .map(|s| explicit(s.clone(), o, field))
}

fn arn_target(v: &Option<String>, o: &Origin, field: &str) -> Option<Value<Target>> {
    v.as_ref()
        .filter(|s| !s.is_empty())
        .map(|s| explicit(Target::from_literal(s), o, field))
}

/// Split `arn:...:function:name:qualifier` into the unqualified ARN and the qualifier.
pub(super) fn split_qualifier(arn: &str) -> (&str, Option<&str>) {
    // arn:partition:lambda:region:account:function:name[:qualifier]
    let mut colons = arn.match_indices(':').map(|(i, _)| i);
    match colons.nth(6) {
        Some(i) => (
            arn.get(..i).unwrap_or(arn),
            arn.get(i + 1..).filter(|q| !q.is_empty()),
        ),
        None => (arn, None),
    }
}

fn function(record: &f::FunctionRecord, inv: &mut Inventory) {
    let c = &record.configuration;
    let arn = split_qualifier(&c.function_arn).0.to_owned();
    let o = Origin::live(&arn, "Configuration");
    let mut meta = Meta::new(&c.function_name, ResourceKind::Function, o.clone());
    meta.arn = Some(arn.clone());
    let mut func = Function::new(meta);
    func.name = Some(explicit(c.function_name.clone(), &o, "FunctionName"));
    if let Some(p) = &c.package_type {
        let kind = if p == "Image" {
            PackageType::Image
        } else {
            PackageType::Zip
        };
        func.package_type = explicit(kind, &o, "PackageType");
    }
    func.runtime = opt_string(&c.runtime, &o, "Runtime");
    func.last_modified = opt_string(&c.last_modified, &o, "LastModified");
    func.invocations = record
        .invocations
        .as_ref()
        .map(|m| invocations(m, &Origin::live(&arn, "Invocations")));
    func.handler = opt_string(&c.handler, &o, "Handler");
    func.role = arn_target(&c.role, &o, "Role");
    if let Some(env) = &c.environment {
        let eo = o.child("Environment.Variables");
        let vars = env
            .variables
            .iter()
            .map(|(k, v)| {
                let vo = eo.child(k);
                EnvVar {
                    name: k.clone(),
                    name_origin: vo.clone(),
                    value: Value::explicit(v.clone(), vo),
                }
            })
            .collect();
        func.environment = Some(Value::explicit(vars, eo));
    }
    func.kms_key = arn_target(&c.kms_key_arn, &o, "KMSKeyArn");
    func.layers = c
        .layers
        .iter()
        .enumerate()
        .map(|(i, l)| explicit(Target::Arn(l.arn.clone()), &o, &format!("Layers[{i}].Arn")))
        .collect();
    if let Some(vpc) = c
        .vpc_config
        .as_ref()
        .filter(|v| !v.subnet_ids.is_empty() || !v.security_group_ids.is_empty())
    {
        let vo = o.child("VpcConfig");
        let ids = |ids: &[String], field: &str| -> Vec<Value<Target>> {
            ids.iter()
                .enumerate()
                .map(|(i, id)| explicit(Target::Name(id.clone()), &vo, &format!("{field}[{i}]")))
                .collect()
        };
        func.vpc = Some(VpcConfig {
            subnets: ids(&vpc.subnet_ids, "SubnetIds"),
            security_groups: ids(&vpc.security_group_ids, "SecurityGroupIds"),
            ipv6_allowed_for_dual_stack: vpc
                .ipv6_allowed_for_dual_stack
                .map(|b| explicit(b, &vo, "Ipv6AllowedForDualStack")),
            origin: vo,
        });
    }
    func.reserved_concurrency = record.reserved_concurrent_executions.map(|n| {
        Value::explicit(
            n,
            Origin::live(&arn, "Concurrency.ReservedConcurrentExecutions"),
        )
    });
    func.dead_letter_target = c
        .dead_letter_config
        .as_ref()
        .and_then(|d| arn_target(&d.target_arn, &o, "DeadLetterConfig.TargetArn"));
    if let Some(mode) = c.tracing_config.as_ref().and_then(|t| t.mode.as_deref()) {
        let m = if mode == "Active" {
            TracingMode::Active
        } else {
            TracingMode::PassThrough
        };
        func.tracing = explicit(m, &o, "TracingConfig.Mode");
    }
    func.code_signing_config = record.code_signing_config_arn.as_ref().map(|a| {
        Value::explicit(
            Target::Arn(a.clone()),
            Origin::live(&arn, "CodeSigningConfigArn"),
        )
    });
    if let Some(l) = &c.logging_config {
        let lo = o.child("LoggingConfig");
        func.logging = Some(LoggingConfig {
            log_group: opt_string(&l.log_group, &lo, "LogGroup"),
            log_format: opt_string(&l.log_format, &lo, "LogFormat"),
            application_log_level: opt_string(&l.application_log_level, &lo, "ApplicationLogLevel"),
            system_log_level: opt_string(&l.system_log_level, &lo, "SystemLogLevel"),
            origin: lo,
        });
    }
    if let Some(e) = &c.ephemeral_storage {
        func.ephemeral_storage_mb = explicit(e.size, &o, "EphemeralStorage.Size");
    }
    if !c.architectures.is_empty() {
        func.architectures = explicit(c.architectures.clone(), &o, "Architectures");
    }
    if let Some(t) = c.timeout {
        func.timeout_seconds = explicit(t, &o, "Timeout");
    }
    if let Some(m) = c.memory_size {
        func.memory_mb = explicit(m, &o, "MemorySize");
    }
    let to = Origin::live(&arn, "Tags");
    func.tags = Value::explicit(
        record
            .tags
            .iter()
            .map(|(k, v)| Tag {
                key: k.clone(),
                value: Value::explicit(v.clone(), to.child(k)),
            })
            .collect(),
        to,
    );
    if let Some(rm) = &record.runtime_management_config {
        let ro = Origin::live(&arn, "RuntimeManagementConfig");
        let on = match rm.update_runtime_on.as_deref() {
            Some("Manual") => UpdateRuntimeOn::Manual,
            Some("FunctionUpdate") => UpdateRuntimeOn::FunctionUpdate,
            _ => UpdateRuntimeOn::Auto,
        };
        func.runtime_management = Some(RuntimeManagement {
            update_runtime_on: explicit(on, &ro, "UpdateRuntimeOn"),
            runtime_version_arn: opt_string(&rm.runtime_version_arn, &ro, "RuntimeVersionArn"),
            origin: ro,
        });
    }
    if let Some(r) = &record.recursive_loop {
        let v = if r == "Allow" {
            RecursiveLoop::Allow
        } else {
            RecursiveLoop::Terminate
        };
        func.recursive_loop = Value::explicit(v, Origin::live(&arn, "RecursiveLoop"));
    }
    func.code = code(record, &arn);
    let name = c.function_name.clone();

    for (i, url) in record.url_configs.iter().enumerate() {
        inv.function_urls.push(function_url(
            &name,
            &arn,
            url,
            &Origin::live(&arn, format!("UrlConfigs[{i}]")),
        ));
    }
    let mut seen = HashSet::new();
    if let Some(doc) = &record.policy {
        permissions(
            &name,
            &arn,
            None,
            doc,
            &Origin::live(&arn, "Policy"),
            &mut seen,
            inv,
        );
    }
    for (i, cfg) in record.event_invoke_configs.iter().enumerate() {
        let eo = Origin::live(&arn, format!("EventInvokeConfigs[{i}]"));
        inv.event_invoke_configs
            .push(event_invoke_config(&name, cfg, &eo));
    }
    for alias in &record.aliases {
        let a = &alias.configuration;
        let ao = Origin::live(&a.alias_arn, "AliasConfiguration");
        let mut meta = Meta::new(
            format!("{name}:{}", a.name),
            ResourceKind::Alias,
            ao.clone(),
        );
        meta.arn = Some(a.alias_arn.clone());
        inv.aliases.push(Alias {
            meta,
            function: Value::explicit(Target::Arn(arn.clone()), ao.child("AliasArn")),
            name: explicit(a.name.clone(), &ao, "Name"),
            function_version: opt_string(&a.function_version, &ao, "FunctionVersion"),
            provisioned_concurrency: None,
        });
        if let Some(doc) = &alias.policy {
            let po = Origin::live(&a.alias_arn, "Policy");
            permissions(&name, &arn, Some(&a.name), doc, &po, &mut seen, inv);
        }
    }
    for version in &record.versions {
        let v = &version.configuration;
        let qualifier = v.version.as_deref().or(split_qualifier(&v.function_arn).1);
        if let (Some(doc), Some(q)) = (&version.policy, qualifier) {
            let po = Origin::live(&v.function_arn, "Policy");
            permissions(&name, &arn, Some(q), doc, &po, &mut seen, inv);
        }
    }
    inv.functions.push(func);
}

fn code(record: &f::FunctionRecord, arn: &str) -> Option<Value<Code>> {
    if let Some(p) = record.package.as_ref().filter(|p| p.skipped.is_none()) {
        return Some(Value::explicit(
            Code::Local {
                path: p.path.clone(),
            },
            Origin::live(arn, "Code.Location"),
        ));
    }
    let c = record.code.as_ref()?;
    let uri = c.image_uri.as_ref().or(c.resolved_image_uri.as_ref())?;
    Some(Value::explicit(
        Code::Image { uri: uri.clone() },
        Origin::live(arn, "Code.ImageUri"),
    ))
}

/// The invocation count of a `GetMetricData` answer: the sum of its daily values, unresolved
/// when CloudWatch said the data is incomplete.
fn invocations(m: &f::InvocationMetrics, o: &Origin) -> Invocations {
    let day = |t: &str| t.get(..10).unwrap_or(t).to_owned();
    let complete = m.status_code.as_deref().is_none_or(|s| s == "Complete");
    let values_ok = m.values.iter().all(|v| v.is_finite() && *v >= 0.0);
    let count = if complete && values_ok && m.timestamps.len() == m.values.len() {
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "finite non-negative sums of integer counts"
        )]
        let total = m.values.iter().sum::<f64>().round() as u64;
        Value::explicit(total, o.child("Values"))
    } else {
        Value::unresolved(
            format!(
                "GetMetricData status `{}`",
                m.status_code.as_deref().unwrap_or("?")
            ),
            o.child("StatusCode"),
        )
    };
    let last_invoked = m
        .timestamps
        .iter()
        .zip(&m.values)
        .filter(|(_, v)| **v > 0.0)
        .map(|(t, _)| day(t))
        .max();
    Invocations {
        count,
        first_day: day(&m.start_time),
        last_day: day(&m.end_time),
        last_invoked,
        origin: o.clone(),
    }
}

fn function_url(name: &str, arn: &str, url: &f::FunctionUrlConfig, o: &Origin) -> FunctionUrl {
    let qualifier = split_qualifier(&url.function_arn).1;
    let id = match qualifier {
        Some(q) => format!("{name}:{q}/url"),
        None => format!("{name}/url"),
    };
    let mut meta = Meta::new(id, ResourceKind::FunctionUrl, o.clone());
    meta.arn = Some(url.function_arn.clone());
    let auth = if url.auth_type == "NONE" {
        UrlAuthType::None
    } else {
        UrlAuthType::AwsIam
    };
    let cors = url.cors.as_ref().map(|c| {
        let co = o.child("Cors");
        let list = |items: &[String], field: &str| -> Vec<Value<String>> {
            items
                .iter()
                .enumerate()
                .map(|(i, s)| explicit(s.clone(), &co, &format!("{field}[{i}]")))
                .collect()
        };
        Cors {
            allow_origins: list(&c.allow_origins, "AllowOrigins"),
            allow_credentials: c
                .allow_credentials
                .map(|b| explicit(b, &co, "AllowCredentials")),
            allow_methods: list(&c.allow_methods, "AllowMethods"),
            allow_headers: list(&c.allow_headers, "AllowHeaders"),
            expose_headers: list(&c.expose_headers, "ExposeHeaders"),
            max_age: c.max_age.map(|n| explicit(n, &co, "MaxAge")),
            origin: co,
        }
    });
    FunctionUrl {
        meta,
        function: Value::explicit(Target::Arn(arn.to_owned()), o.child("FunctionArn")),
        qualifier: qualifier.map(|q| explicit(q.to_owned(), o, "FunctionArn")),
        auth_type: explicit(auth, o, "AuthType"),
        cors,
        invoke_mode: opt_string(&url.invoke_mode, o, "InvokeMode"),
    }
}

/// The statements of one of a function's policies (unqualified, alias or version). A statement
/// whose `Resource` names a qualifier belongs to that qualifier; the same statement seen in
/// several answers (some emulators return one policy for every qualifier) is kept once.
fn permissions(
    name: &str,
    arn: &str,
    qualifier: Option<&str>,
    doc: &Json,
    o: &Origin,
    seen: &mut HashSet<String>,
    inv: &mut Inventory,
) {
    for (i, s) in policy::statements(doc, o).into_iter().enumerate() {
        let Statement {
            sid,
            effect,
            principal,
            actions,
            conditions,
            resource,
            origin,
        } = s;
        let qualifier = resource
            .as_deref()
            .filter(|r| split_qualifier(r).0 == arn)
            .and_then(|r| split_qualifier(r).1)
            .or(qualifier);
        let label = sid
            .as_ref()
            .and_then(|v| v.as_str())
            .map_or_else(|| format!("statement{i}"), str::to_owned);
        let key = format!("{}|{label}|{:?}", qualifier.unwrap_or(""), principal.get());
        if !seen.insert(key) {
            continue;
        }
        let id = match qualifier {
            Some(q) => format!("{name}:{q}/{label}"),
            None => format!("{name}/{label}"),
        };
        let mut meta = Meta::new(id, ResourceKind::Permission, origin.clone());
        meta.arn = Some(arn.to_owned());
        inv.permissions.push(Permission {
            meta,
            function: Value::explicit(Target::Arn(arn.to_owned()), origin.child("Resource")),
            qualifier: qualifier.map(|q| Value::explicit(q.to_owned(), origin.child("Resource"))),
            statement_id: sid,
            effect,
            principal,
            actions,
            conditions,
        });
    }
}

fn event_invoke_config(
    name: &str,
    cfg: &f::FunctionEventInvokeConfig,
    o: &Origin,
) -> EventInvokeConfig {
    let (unqualified, qualifier) = split_qualifier(&cfg.function_arn);
    let id = match qualifier {
        Some(q) => format!("{name}:{q}/event-invoke-config"),
        None => format!("{name}/event-invoke-config"),
    };
    let mut meta = Meta::new(id, ResourceKind::EventInvokeConfig, o.clone());
    meta.arn = Some(cfg.function_arn.clone());
    let dest = cfg.destination_config.as_ref();
    EventInvokeConfig {
        meta,
        function: explicit(Target::Arn(unqualified.to_owned()), o, "FunctionArn"),
        qualifier: qualifier.map(|q| explicit(q.to_owned(), o, "FunctionArn")),
        maximum_retry_attempts: cfg
            .maximum_retry_attempts
            .map(|n| explicit(n, o, "MaximumRetryAttempts")),
        maximum_event_age_seconds: cfg
            .maximum_event_age_in_seconds
            .map(|n| explicit(n, o, "MaximumEventAgeInSeconds")),
        on_success: dest
            .and_then(|d| d.on_success.as_ref())
            .and_then(|d| arn_target(&d.destination, o, "DestinationConfig.OnSuccess.Destination")),
        on_failure: dest
            .and_then(|d| d.on_failure.as_ref())
            .and_then(|d| arn_target(&d.destination, o, "DestinationConfig.OnFailure.Destination")),
    }
}

fn event_source_mapping(ctx: &RegionCtx<'_>, esm: &f::EventSourceMapping) -> EventSourceMapping {
    let arn = esm
        .event_source_mapping_arn
        .clone()
        .unwrap_or_else(|| ctx.arn("lambda", &format!("event-source-mapping:{}", esm.uuid)));
    let o = Origin::live(&arn, "");
    let mut meta = Meta::new(&esm.uuid, ResourceKind::EventSourceMapping, o.clone());
    meta.arn = Some(arn.clone());
    let enabled = !matches!(esm.state.as_deref(), Some("Disabled" | "Disabling"));
    EventSourceMapping {
        meta,
        function: explicit(Target::Arn(esm.function_arn.clone()), &o, "FunctionArn"),
        event_source: arn_target(&esm.event_source_arn, &o, "EventSourceArn"),
        enabled: explicit(enabled, &o, "State"),
        batch_size: esm.batch_size.map(|n| explicit(n, &o, "BatchSize")),
        starting_position: opt_string(&esm.starting_position, &o, "StartingPosition"),
        maximum_retry_attempts: esm
            .maximum_retry_attempts
            .map(|n| explicit(n, &o, "MaximumRetryAttempts")),
        maximum_record_age_seconds: esm
            .maximum_record_age_in_seconds
            .map(|n| explicit(n, &o, "MaximumRecordAgeInSeconds")),
        bisect_batch_on_error: esm
            .bisect_batch_on_function_error
            .map(|b| explicit(b, &o, "BisectBatchOnFunctionError")),
        on_failure: esm
            .destination_config
            .as_ref()
            .and_then(|d| d.on_failure.as_ref())
            .and_then(|d| {
                arn_target(
                    &d.destination,
                    &o,
                    "DestinationConfig.OnFailure.Destination",
                )
            }),
        filter_criteria: esm
            .filter_criteria
            .as_ref()
            .map(|j| to_node(j, &o.child("FilterCriteria"))),
    }
}

fn layer_version(record: &f::LayerVersionRecord, inv: &mut Inventory) {
    let v = &record.version;
    let arn = v.layer_version_arn.clone();
    let o = Origin::live(&arn, "");
    let mut meta = Meta::new(
        format!("{}:{}", record.layer_name, v.version),
        ResourceKind::Layer,
        o.clone(),
    );
    meta.arn = Some(arn.clone());
    inv.layers.push(Layer {
        meta,
        name: Some(explicit(record.layer_name.clone(), &o, "LayerName")),
        content: record
            .package
            .as_ref()
            .filter(|p| p.skipped.is_none())
            .map(|p| {
                Value::explicit(
                    Code::Local {
                        path: p.path.clone(),
                    },
                    o.child("Content.Location"),
                )
            }),
        compatible_runtimes: v
            .compatible_runtimes
            .iter()
            .enumerate()
            .map(|(i, r)| explicit(r.clone(), &o, &format!("CompatibleRuntimes[{i}]")))
            .collect(),
    });
    let Some(doc) = &record.policy else {
        return;
    };
    let po = Origin::live(&arn, "Policy");
    for (i, s) in policy::statements(doc, &po).into_iter().enumerate() {
        let org = s
            .conditions
            .iter()
            .find(|c| c.key.eq_ignore_ascii_case("aws:PrincipalOrgID"))
            .and_then(|c| c.values.first().cloned());
        let label = s
            .sid
            .as_ref()
            .and_then(|v| v.as_str())
            .map_or_else(|| format!("statement{i}"), str::to_owned);
        let mut meta = Meta::new(
            format!("{}:{}/{label}", record.layer_name, v.version),
            ResourceKind::LayerPermission,
            s.origin.clone(),
        );
        meta.arn = Some(arn.clone());
        let action = s
            .actions
            .first()
            .cloned()
            .unwrap_or_else(|| Value::unresolved("no action", s.origin.child("Action")));
        inv.layer_permissions.push(LayerPermission {
            meta,
            layer: Value::explicit(Target::Arn(arn.clone()), s.origin.child("Resource")),
            action,
            principal: s.principal,
            organization_id: org,
        });
    }
}

fn code_signing_config(c: &f::CodeSigningConfig) -> CodeSigningConfig {
    let o = Origin::live(&c.code_signing_config_arn, "");
    let id = c
        .code_signing_config_id
        .clone()
        .unwrap_or_else(|| c.code_signing_config_arn.clone());
    let mut meta = Meta::new(id, ResourceKind::CodeSigningConfig, o.clone());
    meta.arn = Some(c.code_signing_config_arn.clone());
    let action = match c
        .code_signing_policies
        .untrusted_artifact_on_deployment
        .as_deref()
    {
        Some("Enforce") => explicit(
            UntrustedArtifactAction::Enforce,
            &o,
            "CodeSigningPolicies.UntrustedArtifactOnDeployment",
        ),
        Some(_) => explicit(
            UntrustedArtifactAction::Warn,
            &o,
            "CodeSigningPolicies.UntrustedArtifactOnDeployment",
        ),
        // AWS's default when the policy is absent.
        None => Value::default(UntrustedArtifactAction::Warn, &o),
    };
    CodeSigningConfig {
        meta,
        allowed_publishers: c
            .allowed_publishers
            .signing_profile_version_arns
            .iter()
            .enumerate()
            .map(|(i, a)| {
                explicit(
                    Target::Arn(a.clone()),
                    &o,
                    &format!("AllowedPublishers.SigningProfileVersionArns[{i}]"),
                )
            })
            .collect(),
        untrusted_artifact_on_deployment: action,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qualifiers() {
        let a = "arn:aws:lambda:us-east-1:111122223333:function:f";
        assert_eq!(split_qualifier(a), (a, None));
        assert_eq!(
            split_qualifier("arn:aws:lambda:us-east-1:111122223333:function:f:live"),
            (a, Some("live"))
        );
        assert_eq!(split_qualifier("f"), ("f", None));
    }

    #[test]
    fn invocation_counts() {
        let o = Origin::live(
            "arn:aws:lambda:eu-west-1:111122223333:function:f",
            "Invocations",
        );
        let m = f::InvocationMetrics {
            start_time: "2026-01-30T10:00:00Z".into(),
            end_time: "2026-03-01T10:00:00Z".into(),
            period: 86400,
            timestamps: vec!["2026-02-20T10:00:00Z".into(), "2026-02-03T10:00:00Z".into()],
            values: vec![3.0, 4.0],
            status_code: Some("Complete".into()),
        };
        let i = invocations(&m, &o);
        assert_eq!(i.count.get(), Some(&7));
        assert_eq!(i.first_day, "2026-01-30");
        assert_eq!(i.last_day, "2026-03-01");
        assert_eq!(i.last_invoked.as_deref(), Some("2026-02-20"));
        let none = invocations(
            &f::InvocationMetrics {
                timestamps: vec![],
                values: vec![],
                ..m.clone()
            },
            &o,
        );
        assert_eq!(none.count.get(), Some(&0));
        assert_eq!(none.last_invoked, None);
        let partial = invocations(
            &f::InvocationMetrics {
                status_code: Some("PartialData".into()),
                ..m
            },
            &o,
        );
        assert!(partial.count.get().is_none());
    }
}
