//! Supporting infrastructure of one region: the functions' log groups, KMS keys, security
//! groups and subnets; trails; GuardDuty and Inspector settings.

use super::{TrailClaims, parse_policy};
use crate::actions::Action as A;
use crate::clients::RegionClients;
use crate::scope::Scope;
use lambdasec_load::snapshot::format as f;
use lambdasec_model::Arn;
use std::collections::{BTreeMap, BTreeSet};

/// The log groups of these functions: `/aws/lambda/<name>` unless `LoggingConfig.LogGroup`
/// names another.
pub async fn log_groups(
    scope: &Scope,
    c: &RegionClients,
    functions: &[f::FunctionRecord],
) -> Vec<f::LogGroup> {
    const PREFIX: &str = "/aws/lambda/";
    let wanted: BTreeSet<String> = functions
        .iter()
        .map(|r| {
            let cfg = &r.configuration;
            cfg.logging_config
                .as_ref()
                .and_then(|l| l.log_group.clone())
                .unwrap_or_else(|| format!("{PREFIX}{}", cfg.function_name))
        })
        .collect();
    if wanted.is_empty() {
        return Vec::new();
    }
    let mut prefixes: BTreeSet<&str> = BTreeSet::new();
    for name in &wanted {
        prefixes.insert(if name.starts_with(PREFIX) {
            PREFIX
        } else {
            name
        });
    }
    let mut out = Vec::new();
    for prefix in prefixes {
        let groups = scope
            .get(
                A::LogsDescribeLogGroups,
                None,
                c.logs
                    .describe_log_groups()
                    .log_group_name_prefix(prefix)
                    .into_paginator()
                    .items()
                    .send()
                    .collect::<Result<Vec<_>, _>>(),
            )
            .await
            .unwrap_or_default();
        out.extend(
            groups
                .iter()
                .filter(|g| g.log_group_name().is_some_and(|n| wanted.contains(n)))
                .map(|g| f::LogGroup {
                    log_group_name: g.log_group_name().unwrap_or_default().to_owned(),
                    arn: g.arn().map(str::to_owned),
                    retention_in_days: g.retention_in_days().map(i64::from),
                    kms_key_id: g.kms_key_id().map(str::to_owned),
                    log_group_class: g.log_group_class().map(|c| c.as_str().to_owned()),
                }),
        );
    }
    out
}

/// The KMS keys these ARNs name (keys of other regions are left to their region).
pub async fn kms_keys(
    scope: &Scope,
    c: &RegionClients,
    arns: BTreeSet<String>,
) -> Vec<f::KmsKeyRecord> {
    let region = scope.region().unwrap_or_default().to_owned();
    let keys: Vec<String> = arns
        .into_iter()
        .filter(|a| Arn::parse(a).is_some_and(|p| p.service == "kms" && p.region == region))
        .collect();
    if keys.is_empty() {
        return Vec::new();
    }
    let aliases = scope
        .get(
            A::KmsListAliases,
            None,
            c.kms
                .list_aliases()
                .into_paginator()
                .items()
                .send()
                .collect::<Result<Vec<_>, _>>(),
        )
        .await
        .unwrap_or_default();
    let mut by_key: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for a in &aliases {
        if let (Some(target), Some(name)) = (a.target_key_id(), a.alias_name()) {
            by_key
                .entry(target.to_owned())
                .or_default()
                .push(name.to_owned());
        }
    }
    let mut tasks = tokio::task::JoinSet::new();
    for key in keys {
        let (scope, c) = (scope.clone(), c.clone());
        let aliases = by_key.clone();
        tasks.spawn(async move { kms_key(&scope, &c, &key, &aliases).await });
    }
    let mut out = Vec::new();
    while let Some(r) = tasks.join_next().await {
        if let Ok(Some(k)) = r {
            out.push(k);
        }
    }
    out.sort_by(|a, b| a.key_metadata.arn.cmp(&b.key_metadata.arn));
    out
}

async fn kms_key(
    scope: &Scope,
    c: &RegionClients,
    arn: &str,
    aliases: &BTreeMap<String, Vec<String>>,
) -> Option<f::KmsKeyRecord> {
    let d = scope
        .get(
            A::KmsDescribeKey,
            Some(arn),
            c.kms.describe_key().key_id(arn).send(),
        )
        .await?;
    let m = d.key_metadata()?;
    let metadata = f::KeyMetadata {
        key_id: m.key_id().to_owned(),
        arn: m.arn().unwrap_or(arn).to_owned(),
        description: m.description().map(str::to_owned),
        enabled: Some(m.enabled()),
        key_state: m.key_state().map(|s| s.as_str().to_owned()),
        key_manager: m.key_manager().map(|s| s.as_str().to_owned()),
        key_spec: m.key_spec().map(|s| s.as_str().to_owned()),
        key_usage: m.key_usage().map(|s| s.as_str().to_owned()),
    };
    let customer = metadata.key_manager.as_deref() == Some("CUSTOMER");
    let rotation = if customer {
        scope
            .get(
                A::KmsGetKeyRotationStatus,
                Some(arn),
                c.kms.get_key_rotation_status().key_id(arn).send(),
            )
            .await
            .map(|o| o.key_rotation_enabled())
    } else {
        // AWS-managed keys rotate every year; it cannot be turned off.
        Some(true)
    };
    let policy = scope
        .get(
            A::KmsGetKeyPolicy,
            Some(arn),
            c.kms
                .get_key_policy()
                .key_id(arn)
                .policy_name("default")
                .send(),
        )
        .await
        .and_then(|o| o.policy().map(parse_policy));
    Some(f::KmsKeyRecord {
        aliases: aliases.get(&metadata.key_id).cloned().unwrap_or_default(),
        key_metadata: metadata,
        key_rotation_enabled: rotation,
        policy,
    })
}

/// The security groups and subnets of VPC functions.
pub async fn network(
    scope: &Scope,
    c: &RegionClients,
    functions: &[f::FunctionRecord],
) -> (Vec<f::SecurityGroup>, Vec<f::Subnet>) {
    let mut groups = BTreeSet::new();
    let mut subnets = BTreeSet::new();
    for v in functions
        .iter()
        .filter_map(|r| r.configuration.vpc_config.as_ref())
    {
        groups.extend(v.security_group_ids.iter().cloned());
        subnets.extend(v.subnet_ids.iter().cloned());
    }
    let groups: Vec<String> = groups.into_iter().collect();
    let subnets: Vec<String> = subnets.into_iter().collect();
    let sg = async {
        if groups.is_empty() {
            return Vec::new();
        }
        let r = scope
            .raw(
                A::Ec2DescribeSecurityGroups,
                c.ec2.describe_security_groups(&groups),
            )
            .await;
        scope
            .keep(A::Ec2DescribeSecurityGroups, None, r)
            .unwrap_or_default()
    };
    let sn = async {
        if subnets.is_empty() {
            return Vec::new();
        }
        let r = scope
            .raw(A::Ec2DescribeSubnets, c.ec2.describe_subnets(&subnets))
            .await;
        scope
            .keep(A::Ec2DescribeSubnets, None, r)
            .unwrap_or_default()
    };
    tokio::join!(sg, sn)
}

/// The trails this region is responsible for (see [`TrailClaims`]), with status and selectors.
pub async fn trails(scope: &Scope, c: &RegionClients, claims: &TrailClaims) -> Vec<f::TrailRecord> {
    let region = scope.region().unwrap_or_default().to_owned();
    let Some(listed) = scope
        .get(
            A::CloudTrailDescribeTrails,
            None,
            c.cloudtrail
                .describe_trails()
                .include_shadow_trails(true)
                .send(),
        )
        .await
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for t in listed.trail_list() {
        let Some(arn) = t.trail_arn() else { continue };
        if !claims.claim(arn, t.home_region(), &region) {
            continue;
        }
        let status = scope
            .get(
                A::CloudTrailGetTrailStatus,
                Some(arn),
                c.cloudtrail.get_trail_status().name(arn).send(),
            )
            .await;
        let selectors = scope
            .get(
                A::CloudTrailGetEventSelectors,
                Some(arn),
                c.cloudtrail.get_event_selectors().trail_name(arn).send(),
            )
            .await;
        out.push(f::TrailRecord {
            trail: f::Trail {
                name: t.name().unwrap_or_default().to_owned(),
                trail_arn: arn.to_owned(),
                home_region: t.home_region().map(str::to_owned),
                is_multi_region_trail: t.is_multi_region_trail(),
                is_organization_trail: t.is_organization_trail(),
                log_file_validation_enabled: t.log_file_validation_enabled(),
                kms_key_id: t.kms_key_id().map(str::to_owned),
                s3_bucket_name: t.s3_bucket_name().map(str::to_owned),
            },
            is_logging: status.as_ref().and_then(|s| s.is_logging()),
            event_selectors: selectors
                .as_ref()
                .map(|s| {
                    s.event_selectors()
                        .iter()
                        .map(|e| f::EventSelector {
                            read_write_type: e.read_write_type().map(|r| r.as_str().to_owned()),
                            include_management_events: e.include_management_events(),
                            data_resources: e
                                .data_resources()
                                .iter()
                                .map(|d| f::DataResource {
                                    kind: d.r#type().unwrap_or_default().to_owned(),
                                    values: d.values().to_vec(),
                                })
                                .collect(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            advanced_event_selectors: selectors
                .as_ref()
                .map(|s| s.advanced_event_selectors())
                .filter(|a| !a.is_empty())
                .map(|a| serde_json::Value::Array(a.iter().map(advanced_selector).collect())),
        });
    }
    out
}

fn advanced_selector(s: &aws_sdk_cloudtrail::types::AdvancedEventSelector) -> serde_json::Value {
    let fields: Vec<serde_json::Value> = s
        .field_selectors()
        .iter()
        .map(|f| {
            let mut m = serde_json::Map::new();
            m.insert("Field".into(), f.field().into());
            let lists: [(&str, &[String]); 6] = [
                ("Equals", f.equals()),
                ("StartsWith", f.starts_with()),
                ("EndsWith", f.ends_with()),
                ("NotEquals", f.not_equals()),
                ("NotStartsWith", f.not_starts_with()),
                ("NotEndsWith", f.not_ends_with()),
            ];
            for (k, v) in lists {
                if !v.is_empty() {
                    m.insert(k.into(), v.to_vec().into());
                }
            }
            serde_json::Value::Object(m)
        })
        .collect();
    serde_json::json!({ "Name": s.name(), "FieldSelectors": fields })
}

pub async fn guardduty(scope: &Scope, c: &RegionClients) -> Vec<f::GuardDutyDetector> {
    let ids = scope
        .get(
            A::GuardDutyListDetectors,
            None,
            c.guardduty
                .list_detectors()
                .into_paginator()
                .items()
                .send()
                .collect::<Result<Vec<_>, _>>(),
        )
        .await
        .unwrap_or_default();
    let mut out = Vec::new();
    for id in ids {
        let Some(d) = scope
            .get(
                A::GuardDutyGetDetector,
                None,
                c.guardduty.get_detector().detector_id(&id).send(),
            )
            .await
        else {
            continue;
        };
        out.push(f::GuardDutyDetector {
            detector_id: id,
            status: d.status().map(|s| s.as_str().to_owned()),
            features: d
                .features()
                .iter()
                .map(|x| f::DetectorFeature {
                    name: x.name().map(|n| n.as_str().to_owned()).unwrap_or_default(),
                    status: x.status().map(|s| s.as_str().to_owned()),
                })
                .collect(),
        });
    }
    out
}

pub async fn inspector(
    scope: &Scope,
    c: &RegionClients,
    account: &str,
) -> Option<f::InspectorAccountState> {
    let out = scope
        .get(
            A::Inspector2BatchGetAccountStatus,
            None,
            c.inspector
                .batch_get_account_status()
                .account_ids(account)
                .send(),
        )
        .await?;
    let a = out.accounts().iter().find(|a| a.account_id() == account)?;
    let state = |s: Option<&aws_sdk_inspector2::types::State>| {
        s.map(|s| f::InspectorState {
            status: Some(s.status().as_str().to_owned()),
        })
    };
    let rs = a.resource_state();
    Some(f::InspectorAccountState {
        account_id: account.to_owned(),
        resource_state: f::InspectorResourceState {
            lambda: state(rs.and_then(|r| r.lambda())),
            lambda_code: state(rs.and_then(|r| r.lambda_code())),
        },
    })
}

/// The daily invocations of every function over the last 30 days (CloudWatch `GetMetricData`),
/// in the order of `functions`; `None` when there are none or the call failed (recorded).
pub async fn invocations(
    scope: &Scope,
    c: &RegionClients,
    functions: &[f::FunctionRecord],
) -> Option<Vec<f::InvocationMetrics>> {
    if functions.is_empty() {
        return None;
    }
    let names: Vec<String> = functions
        .iter()
        .map(|r| r.configuration.function_name.clone())
        .collect();
    let r = scope
        .raw(
            A::CloudWatchGetMetricData,
            c.cloudwatch
                .invocations(&names, std::time::SystemTime::now()),
        )
        .await;
    scope.keep(A::CloudWatchGetMetricData, None, r)
}
