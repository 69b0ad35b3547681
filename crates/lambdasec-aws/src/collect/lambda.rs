//! Lambda: functions with everything attached to them, event source mappings, layers and code
//! signing configs of one region.

use super::{DownloadCtx, parse_policy};
use crate::actions::Action as A;
use crate::clients::RegionClients;
use crate::download::{Saved, download, safe_name};
use crate::scope::Scope;
use aws_sdk_lambda::types as t;
use lambdasec_load::snapshot::format as f;

/// Everything Lambda says about one region.
#[derive(Debug, Default)]
pub struct LambdaRegion {
    pub functions: Vec<f::FunctionRecord>,
    pub event_source_mappings: Vec<f::EventSourceMapping>,
    pub layers: Vec<f::LayerVersionRecord>,
    pub code_signing_configs: Vec<f::CodeSigningConfig>,
}

pub async fn collect(scope: &Scope, c: &RegionClients, dl: Option<&DownloadCtx>) -> LambdaRegion {
    let lambda = &c.lambda;
    let listed: Vec<t::FunctionConfiguration> = scope
        .get(
            A::LambdaListFunctions,
            None,
            lambda
                .list_functions()
                .into_paginator()
                .items()
                .send()
                .collect::<Result<Vec<_>, _>>(),
        )
        .await
        .unwrap_or_default();

    let mut tasks = tokio::task::JoinSet::new();
    for cfg in listed {
        let (scope, c, dl) = (scope.clone(), c.clone(), dl.cloned());
        tasks.spawn(async move { function(&scope, &c, configuration(&cfg), dl.as_ref()).await });
    }
    let esm = esms(scope, c);
    let layers = layers(scope, c, dl);
    let csc = code_signing_configs(scope, c);
    let (event_source_mappings, layers, code_signing_configs) = tokio::join!(esm, layers, csc);
    let mut functions = Vec::new();
    while let Some(r) = tasks.join_next().await {
        if let Ok(f) = r {
            functions.push(f);
        }
    }
    functions.sort_by(|a, b| {
        a.configuration
            .function_name
            .cmp(&b.configuration.function_name)
    });
    LambdaRegion {
        functions,
        event_source_mappings,
        layers,
        code_signing_configs,
    }
}

async fn function(
    scope: &Scope,
    c: &RegionClients,
    listed: f::FunctionConfiguration,
    dl: Option<&DownloadCtx>,
) -> f::FunctionRecord {
    let l = &c.lambda;
    let arn = listed.function_arn.clone();
    // Calls name the function by name: AWS takes a name or an ARN, emulators not always both.
    let fname = listed.function_name.clone();
    let res = Some(arn.as_str());
    let mut rec = f::FunctionRecord {
        configuration: listed,
        ..f::FunctionRecord::default()
    };

    let mut code_location = None;
    if let Some(out) = scope
        .get(
            A::LambdaGetFunction,
            res,
            l.get_function().function_name(&fname).send(),
        )
        .await
    {
        if let Some(cfg) = out.configuration() {
            rec.configuration = configuration(cfg);
        }
        if let Some(code) = out.code() {
            rec.code = Some(f::FunctionCodeLocation {
                repository_type: code.repository_type().map(str::to_owned),
                image_uri: code.image_uri().map(str::to_owned),
                resolved_image_uri: code.resolved_image_uri().map(str::to_owned),
            });
            code_location = code.location().map(str::to_owned);
        }
        rec.tags = out
            .tags()
            .map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default();
        rec.reserved_concurrent_executions = out
            .concurrency()
            .and_then(|c| c.reserved_concurrent_executions())
            .map(i64::from);
    }

    rec.policy = scope
        .get(
            A::LambdaGetPolicy,
            res,
            l.get_policy().function_name(&fname).send(),
        )
        .await
        .and_then(|o| o.policy().map(parse_policy));

    // `GetFunctionUrlConfig` per qualifier rather than `ListFunctionUrlConfigs`: the same
    // answer, and it is what emulators implement. Aliases are asked below.
    if let Some(u) = url_config(scope, l, &fname, &arn, None).await {
        rec.url_configs.push(u);
    }

    rec.code_signing_config_arn = scope
        .get(
            A::LambdaGetFunctionCodeSigningConfig,
            res,
            l.get_function_code_signing_config()
                .function_name(&fname)
                .send(),
        )
        .await
        .map(|o| o.code_signing_config_arn().to_owned())
        .filter(|a| !a.is_empty());

    rec.event_invoke_configs = scope
        .get(
            A::LambdaListFunctionEventInvokeConfigs,
            res,
            l.list_function_event_invoke_configs()
                .function_name(&fname)
                .into_paginator()
                .items()
                .send()
                .collect::<Result<Vec<_>, _>>(),
        )
        .await
        .unwrap_or_default()
        .iter()
        .map(|e| f::FunctionEventInvokeConfig {
            function_arn: e.function_arn().unwrap_or(&arn).to_owned(),
            maximum_retry_attempts: e.maximum_retry_attempts().map(i64::from),
            maximum_event_age_in_seconds: e.maximum_event_age_in_seconds().map(i64::from),
            destination_config: e.destination_config().map(destinations),
        })
        .collect();

    rec.recursive_loop = scope
        .get(
            A::LambdaGetFunctionRecursionConfig,
            res,
            l.get_function_recursion_config()
                .function_name(&fname)
                .send(),
        )
        .await
        .and_then(|o| o.recursive_loop().map(|r| r.as_str().to_owned()));

    rec.runtime_management_config = scope
        .get(
            A::LambdaGetRuntimeManagementConfig,
            res,
            l.get_runtime_management_config()
                .function_name(&fname)
                .send(),
        )
        .await
        .map(|o| f::RuntimeManagementConfig {
            update_runtime_on: o.update_runtime_on().map(|u| u.as_str().to_owned()),
            runtime_version_arn: o.runtime_version_arn().map(str::to_owned),
        });

    let aliases = scope
        .get(
            A::LambdaListAliases,
            res,
            l.list_aliases()
                .function_name(&fname)
                .into_paginator()
                .items()
                .send()
                .collect::<Result<Vec<_>, _>>(),
        )
        .await
        .unwrap_or_default();
    for a in aliases {
        let name = a.name().unwrap_or_default().to_owned();
        let alias_arn = a.alias_arn().unwrap_or_default().to_owned();
        let policy = scope
            .get(
                A::LambdaGetPolicy,
                Some(&alias_arn),
                l.get_policy().function_name(&fname).qualifier(&name).send(),
            )
            .await
            .and_then(|o| o.policy().map(parse_policy));
        if let Some(u) = url_config(scope, l, &fname, &arn, Some(&name)).await {
            rec.url_configs.push(u);
        }
        rec.aliases.push(f::AliasRecord {
            configuration: f::AliasConfiguration {
                alias_arn,
                name,
                function_version: a.function_version().map(str::to_owned),
                description: a.description().map(str::to_owned),
            },
            policy,
        });
    }

    let versions = scope
        .get(
            A::LambdaListVersionsByFunction,
            res,
            l.list_versions_by_function()
                .function_name(&fname)
                .into_paginator()
                .items()
                .send()
                .collect::<Result<Vec<_>, _>>(),
        )
        .await
        .unwrap_or_default();
    for v in versions.iter().filter(|v| v.version() != Some("$LATEST")) {
        let cfg = configuration(v);
        let policy = match cfg.version.as_deref() {
            Some(q) => scope
                .get(
                    A::LambdaGetPolicy,
                    Some(&cfg.function_arn),
                    l.get_policy().function_name(&fname).qualifier(q).send(),
                )
                .await
                .and_then(|o| o.policy().map(parse_policy)),
            None => None,
        };
        rec.versions.push(f::VersionRecord {
            configuration: cfg,
            policy,
        });
    }

    if let (Some(dl), Some(url)) = (dl, code_location.as_deref())
        && rec.code.as_ref().and_then(|c| c.repository_type.as_deref()) != Some("ECR")
    {
        let name = safe_name(&rec.configuration.function_name);
        rec.package = save(scope, c, dl, url, &format!("functions/{name}.zip"), &arn).await;
    }
    rec
}

/// Download one archive; failures are recorded against `action`'s resource.
async fn save(
    scope: &Scope,
    c: &RegionClients,
    dl: &DownloadCtx,
    url: &str,
    relative: &str,
    resource: &str,
) -> Option<f::DownloadedPackage> {
    let region = scope.region().unwrap_or("global");
    let relative = format!("{}/{}/{relative}", dl.account, region);
    let dest = dl.options.dir.join(&relative);
    let recorded = format!("{}/{relative}", dl.options.recorded_root());
    let r = scope
        .raw(
            A::LambdaGetFunction,
            download(&c.http, url, &dest, dl.options.max_bytes),
        )
        .await;
    match scope.keep(A::LambdaGetFunction, Some(resource), r)? {
        Saved::Complete { bytes } => Some(f::DownloadedPackage {
            path: recorded,
            size: bytes,
            skipped: None,
        }),
        Saved::TooLarge { limit } => Some(f::DownloadedPackage {
            path: recorded,
            size: 0,
            skipped: Some(format!("larger than the {limit} byte limit")),
        }),
    }
}

pub fn configuration(c: &t::FunctionConfiguration) -> f::FunctionConfiguration {
    f::FunctionConfiguration {
        function_name: c.function_name().unwrap_or_default().to_owned(),
        function_arn: c.function_arn().unwrap_or_default().to_owned(),
        runtime: c.runtime().map(|r| r.as_str().to_owned()),
        role: c.role().map(str::to_owned),
        handler: c.handler().map(str::to_owned),
        code_size: Some(c.code_size()),
        description: c.description().map(str::to_owned),
        timeout: c.timeout().map(i64::from),
        memory_size: c.memory_size().map(i64::from),
        last_modified: c.last_modified().map(str::to_owned),
        code_sha256: c.code_sha256().map(str::to_owned),
        version: c.version().map(str::to_owned),
        vpc_config: c.vpc_config().map(|v| f::VpcConfig {
            subnet_ids: v.subnet_ids().to_vec(),
            security_group_ids: v.security_group_ids().to_vec(),
            vpc_id: v.vpc_id().map(str::to_owned),
            ipv6_allowed_for_dual_stack: v.ipv6_allowed_for_dual_stack(),
        }),
        dead_letter_config: c.dead_letter_config().map(|d| f::DeadLetterConfig {
            target_arn: d.target_arn().map(str::to_owned),
        }),
        environment: c.environment().map(|e| f::Environment {
            variables: e
                .variables()
                .map(|v| v.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default(),
        }),
        kms_key_arn: c.kms_key_arn().map(str::to_owned),
        tracing_config: c.tracing_config().map(|t| f::TracingConfig {
            mode: t.mode().map(|m| m.as_str().to_owned()),
        }),
        layers: c
            .layers()
            .iter()
            .map(|l| f::FunctionLayer {
                arn: l.arn().unwrap_or_default().to_owned(),
                code_size: Some(l.code_size()),
                signing_profile_version_arn: l.signing_profile_version_arn().map(str::to_owned),
            })
            .collect(),
        state: c.state().map(|s| s.as_str().to_owned()),
        package_type: c.package_type().map(|p| p.as_str().to_owned()),
        architectures: c
            .architectures()
            .iter()
            .map(|a| a.as_str().to_owned())
            .collect(),
        ephemeral_storage: c.ephemeral_storage().map(|e| f::EphemeralStorage {
            size: i64::from(e.size()),
        }),
        signing_profile_version_arn: c.signing_profile_version_arn().map(str::to_owned),
        signing_job_arn: c.signing_job_arn().map(str::to_owned),
        logging_config: c.logging_config().map(|l| f::LoggingConfig {
            log_format: l.log_format().map(|x| x.as_str().to_owned()),
            application_log_level: l.application_log_level().map(|x| x.as_str().to_owned()),
            system_log_level: l.system_log_level().map(|x| x.as_str().to_owned()),
            log_group: l.log_group().map(str::to_owned),
        }),
        runtime_version_config: c.runtime_version_config().map(|r| f::RuntimeVersionConfig {
            runtime_version_arn: r.runtime_version_arn().map(str::to_owned),
        }),
    }
}

/// The URL of a function or of one of its aliases; `None` when there is none.
async fn url_config(
    scope: &Scope,
    l: &aws_sdk_lambda::Client,
    name: &str,
    arn: &str,
    qualifier: Option<&str>,
) -> Option<f::FunctionUrlConfig> {
    let resource = qualifier.map_or_else(|| arn.to_owned(), |q| format!("{arn}:{q}"));
    let u = scope
        .get(
            A::LambdaGetFunctionUrlConfig,
            Some(&resource),
            l.get_function_url_config()
                .function_name(name)
                .set_qualifier(qualifier.map(str::to_owned))
                .send(),
        )
        .await?;
    Some(f::FunctionUrlConfig {
        function_url: Some(u.function_url().to_owned()),
        function_arn: u.function_arn().to_owned(),
        auth_type: u.auth_type().as_str().to_owned(),
        cors: u.cors().map(|c| f::Cors {
            allow_credentials: c.allow_credentials(),
            allow_headers: c.allow_headers().to_vec(),
            allow_methods: c.allow_methods().to_vec(),
            allow_origins: c.allow_origins().to_vec(),
            expose_headers: c.expose_headers().to_vec(),
            max_age: c.max_age().map(i64::from),
        }),
        invoke_mode: u.invoke_mode().map(|m| m.as_str().to_owned()),
    })
}

fn destinations(d: &t::DestinationConfig) -> f::DestinationConfig {
    f::DestinationConfig {
        on_success: d.on_success().map(|s| f::Destination {
            destination: s.destination().map(str::to_owned),
        }),
        on_failure: d.on_failure().map(|s| f::Destination {
            destination: s.destination().map(str::to_owned),
        }),
    }
}

async fn esms(scope: &Scope, c: &RegionClients) -> Vec<f::EventSourceMapping> {
    scope
        .get(
            A::LambdaListEventSourceMappings,
            None,
            c.lambda
                .list_event_source_mappings()
                .into_paginator()
                .items()
                .send()
                .collect::<Result<Vec<_>, _>>(),
        )
        .await
        .unwrap_or_default()
        .iter()
        .map(|e| f::EventSourceMapping {
            uuid: e.uuid().unwrap_or_default().to_owned(),
            event_source_mapping_arn: e.event_source_mapping_arn().map(str::to_owned),
            event_source_arn: e.event_source_arn().map(str::to_owned),
            function_arn: e.function_arn().unwrap_or_default().to_owned(),
            state: e.state().map(str::to_owned),
            batch_size: e.batch_size().map(i64::from),
            starting_position: e.starting_position().map(|p| p.as_str().to_owned()),
            maximum_retry_attempts: e.maximum_retry_attempts().map(i64::from),
            maximum_record_age_in_seconds: e.maximum_record_age_in_seconds().map(i64::from),
            bisect_batch_on_function_error: e.bisect_batch_on_function_error(),
            destination_config: e.destination_config().map(destinations),
            filter_criteria: e.filter_criteria().map(|fc| {
                let filters: Vec<serde_json::Value> = fc
                    .filters()
                    .iter()
                    .map(|x| serde_json::json!({ "Pattern": x.pattern() }))
                    .collect();
                serde_json::json!({ "Filters": filters })
            }),
        })
        .collect()
}

async fn layers(
    scope: &Scope,
    c: &RegionClients,
    dl: Option<&DownloadCtx>,
) -> Vec<f::LayerVersionRecord> {
    let l = &c.lambda;
    let listed = scope
        .get(
            A::LambdaListLayers,
            None,
            l.list_layers()
                .into_paginator()
                .items()
                .send()
                .collect::<Result<Vec<_>, _>>(),
        )
        .await
        .unwrap_or_default();
    let mut out = Vec::new();
    for layer in listed {
        let name = layer.layer_name().unwrap_or_default().to_owned();
        let layer_arn = layer.layer_arn().unwrap_or_default().to_owned();
        let versions = scope
            .get(
                A::LambdaListLayerVersions,
                Some(&layer_arn),
                l.list_layer_versions()
                    .layer_name(&name)
                    .into_paginator()
                    .items()
                    .send()
                    .collect::<Result<Vec<_>, _>>(),
            )
            .await
            .unwrap_or_default();
        for v in versions {
            let version_arn = v.layer_version_arn().unwrap_or_default().to_owned();
            let policy = scope
                .get(
                    A::LambdaGetLayerVersionPolicy,
                    Some(&version_arn),
                    l.get_layer_version_policy()
                        .layer_name(&name)
                        .version_number(v.version())
                        .send(),
                )
                .await
                .and_then(|o| o.policy().map(parse_policy));
            let mut package = None;
            if let Some(dl) = dl {
                let content = scope
                    .get(
                        A::LambdaGetLayerVersion,
                        Some(&version_arn),
                        l.get_layer_version()
                            .layer_name(&name)
                            .version_number(v.version())
                            .send(),
                    )
                    .await;
                if let Some(url) = content
                    .as_ref()
                    .and_then(|o| o.content())
                    .and_then(|c| c.location())
                {
                    let file = format!("layers/{}-{}.zip", safe_name(&name), v.version());
                    package = save(scope, c, dl, url, &file, &version_arn).await;
                }
            }
            out.push(f::LayerVersionRecord {
                layer_name: name.clone(),
                version: f::LayerVersion {
                    layer_version_arn: version_arn,
                    version: v.version(),
                    description: v.description().map(str::to_owned),
                    created_date: v.created_date().map(str::to_owned),
                    compatible_runtimes: v
                        .compatible_runtimes()
                        .iter()
                        .map(|r| r.as_str().to_owned())
                        .collect(),
                    compatible_architectures: v
                        .compatible_architectures()
                        .iter()
                        .map(|a| a.as_str().to_owned())
                        .collect(),
                },
                policy,
                package,
            });
        }
    }
    out
}

async fn code_signing_configs(scope: &Scope, c: &RegionClients) -> Vec<f::CodeSigningConfig> {
    scope
        .get(
            A::LambdaListCodeSigningConfigs,
            None,
            c.lambda
                .list_code_signing_configs()
                .into_paginator()
                .items()
                .send()
                .collect::<Result<Vec<_>, _>>(),
        )
        .await
        .unwrap_or_default()
        .iter()
        .map(code_signing_config)
        .collect()
}

pub fn code_signing_config(c: &t::CodeSigningConfig) -> f::CodeSigningConfig {
    f::CodeSigningConfig {
        code_signing_config_id: Some(c.code_signing_config_id().to_owned()),
        code_signing_config_arn: c.code_signing_config_arn().to_owned(),
        description: c.description().map(str::to_owned),
        allowed_publishers: f::AllowedPublishers {
            signing_profile_version_arns: c
                .allowed_publishers()
                .map(|p| p.signing_profile_version_arns().to_vec())
                .unwrap_or_default(),
        },
        code_signing_policies: f::CodeSigningPolicies {
            untrusted_artifact_on_deployment: c
                .code_signing_policies()
                .and_then(|p| p.untrusted_artifact_on_deployment())
                .map(|u| u.as_str().to_owned()),
        },
    }
}
