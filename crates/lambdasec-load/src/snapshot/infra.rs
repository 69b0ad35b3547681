//! Supporting infrastructure: KMS keys, log groups, security groups, subnets, trails, and the
//! region's GuardDuty / Inspector settings.

use super::RegionCtx;
use super::format as f;
use super::node::to_node;
use lambdasec_model::{
    AccountSettings, DataResource, EventSelector, Inventory, KeyManager, KmsKey, LogGroup, Meta,
    Origin, ResourceKind, SecurityGroup, SgRule, Subnet, Target, Trail, Value,
};

pub(super) fn load(
    ctx: &RegionCtx<'_>,
    region: &f::RegionSnapshot,
    gaps: &[f::NotAssessed],
    inv: &mut Inventory,
) {
    for k in &region.kms_keys {
        inv.kms_keys.push(kms_key(k));
    }
    for g in &region.log_groups {
        inv.log_groups.push(log_group(ctx, g));
    }
    for sg in &region.security_groups {
        inv.security_groups.push(security_group(ctx, sg));
    }
    for s in &region.subnets {
        inv.subnets.push(subnet(ctx, s));
    }
    for t in &region.trails {
        inv.trails.push(trail(t));
    }
    inv.accounts.push(settings(ctx, region, gaps));
}

fn kms_key(k: &f::KmsKeyRecord) -> KmsKey {
    let m = &k.key_metadata;
    let o = Origin::live(&m.arn, "");
    let mo = o.child("KeyMetadata");
    let mut meta = Meta::new(&m.key_id, ResourceKind::KmsKey, o.clone());
    meta.arn = Some(m.arn.clone());
    let manager = match m.key_manager.as_deref() {
        Some("AWS") => Value::explicit(KeyManager::Aws, mo.child("KeyManager")),
        Some(_) => Value::explicit(KeyManager::Customer, mo.child("KeyManager")),
        None => Value::unresolved("KeyManager not collected", mo.child("KeyManager")),
    };
    let rotation = match k.key_rotation_enabled {
        Some(b) => Value::explicit(b, o.child("KeyRotationEnabled")),
        None => Value::unresolved(
            "GetKeyRotationStatus not collected",
            o.child("KeyRotationEnabled"),
        ),
    };
    KmsKey {
        meta,
        manager,
        description: m
            .description
            .as_ref()
            .filter(|d| !d.is_empty())
            .map(|d| Value::explicit(d.clone(), mo.child("Description"))),
        enabled: match m.enabled {
            Some(b) => Value::explicit(b, mo.child("Enabled")),
            None => Value::unresolved("Enabled not collected", mo.child("Enabled")),
        },
        rotation_enabled: rotation,
        key_spec: Value::explicit(
            m.key_spec
                .clone()
                .unwrap_or_else(|| "SYMMETRIC_DEFAULT".into()),
            mo.child("KeySpec"),
        ),
        key_policy: k.policy.as_ref().map(|p| to_node(p, &o.child("Policy"))),
        aliases: k
            .aliases
            .iter()
            .enumerate()
            .map(|(i, a)| Value::explicit(a.clone(), o.child(&format!("Aliases[{i}]"))))
            .collect(),
    }
}

fn log_group(ctx: &RegionCtx<'_>, g: &f::LogGroup) -> LogGroup {
    // DescribeLogGroups' `arn` ends with `:*`; the resource ARN does not.
    let arn = g.arn.as_deref().map_or_else(
        || ctx.arn("logs", &format!("log-group:{}", g.log_group_name)),
        |a| a.trim_end_matches(":*").to_owned(),
    );
    let o = Origin::live(&arn, "");
    let mut meta = Meta::new(&g.log_group_name, ResourceKind::LogGroup, o.clone());
    meta.arn = Some(arn);
    LogGroup {
        meta,
        name: Some(Value::explicit(
            g.log_group_name.clone(),
            o.child("logGroupName"),
        )),
        retention_days: g
            .retention_in_days
            .map(|d| Value::explicit(d, o.child("retentionInDays"))),
        kms_key: g
            .kms_key_id
            .as_ref()
            .map(|k| Value::explicit(Target::from_literal(k), o.child("kmsKeyId"))),
    }
}

fn security_group(ctx: &RegionCtx<'_>, sg: &f::SecurityGroup) -> SecurityGroup {
    let owner = sg.owner_id.as_deref().unwrap_or(ctx.account());
    let arn = format!(
        "arn:{}:ec2:{}:{owner}:security-group/{}",
        ctx.ctx.partition, ctx.region, sg.group_id
    );
    let o = Origin::live(&arn, "");
    let mut meta = Meta::new(&sg.group_id, ResourceKind::SecurityGroup, o.clone());
    meta.arn = Some(arn);
    SecurityGroup {
        meta,
        name: sg
            .group_name
            .as_ref()
            .map(|n| Value::explicit(n.clone(), o.child("GroupName"))),
        vpc: sg
            .vpc_id
            .as_ref()
            .map(|v| Value::explicit(Target::Name(v.clone()), o.child("VpcId"))),
        ingress: rules(&sg.ip_permissions, &o.child("IpPermissions")),
        egress: rules(&sg.ip_permissions_egress, &o.child("IpPermissionsEgress")),
    }
}

/// One model rule per peer (CIDR, IPv6 CIDR, group, prefix list) of each permission.
fn rules(perms: &[f::IpPermission], o: &Origin) -> Vec<SgRule> {
    let mut out = Vec::new();
    for (i, p) in perms.iter().enumerate() {
        let po = o.child(&format!("[{i}]"));
        let base = |origin: Origin| SgRule {
            protocol: Value::explicit(p.ip_protocol.clone(), po.child("IpProtocol")),
            from_port: p
                .from_port
                .map(|n| Value::explicit(n, po.child("FromPort"))),
            to_port: p.to_port.map(|n| Value::explicit(n, po.child("ToPort"))),
            cidr_ipv4: None,
            cidr_ipv6: None,
            peer_group: None,
            prefix_list: None,
            origin,
        };
        for (j, r) in p.ip_ranges.iter().enumerate() {
            let ro = po.child(&format!("IpRanges[{j}]"));
            let mut rule = base(ro.clone());
            rule.cidr_ipv4 = Some(Value::explicit(r.cidr_ip.clone(), ro.child("CidrIp")));
            out.push(rule);
        }
        for (j, r) in p.ipv6_ranges.iter().enumerate() {
            let ro = po.child(&format!("Ipv6Ranges[{j}]"));
            let mut rule = base(ro.clone());
            rule.cidr_ipv6 = Some(Value::explicit(r.cidr_ipv6.clone(), ro.child("CidrIpv6")));
            out.push(rule);
        }
        for (j, g) in p.user_id_group_pairs.iter().enumerate() {
            let ro = po.child(&format!("UserIdGroupPairs[{j}]"));
            let mut rule = base(ro.clone());
            rule.peer_group = g
                .group_id
                .as_ref()
                .map(|id| Value::explicit(Target::Name(id.clone()), ro.child("GroupId")));
            out.push(rule);
        }
        for (j, pl) in p.prefix_list_ids.iter().enumerate() {
            let ro = po.child(&format!("PrefixListIds[{j}]"));
            let mut rule = base(ro.clone());
            rule.prefix_list = Some(Value::explicit(
                pl.prefix_list_id.clone(),
                ro.child("PrefixListId"),
            ));
            out.push(rule);
        }
    }
    out
}

fn subnet(ctx: &RegionCtx<'_>, s: &f::Subnet) -> Subnet {
    let arn = s
        .subnet_arn
        .clone()
        .unwrap_or_else(|| ctx.arn("ec2", &format!("subnet/{}", s.subnet_id)));
    let o = Origin::live(&arn, "");
    let mut meta = Meta::new(&s.subnet_id, ResourceKind::Subnet, o.clone());
    meta.arn = Some(arn);
    Subnet {
        meta,
        vpc: s
            .vpc_id
            .as_ref()
            .map(|v| Value::explicit(Target::Name(v.clone()), o.child("VpcId"))),
        availability_zone: s
            .availability_zone
            .as_ref()
            .map(|z| Value::explicit(z.clone(), o.child("AvailabilityZone"))),
        cidr_ipv4: s
            .cidr_block
            .as_ref()
            .map(|c| Value::explicit(c.clone(), o.child("CidrBlock"))),
        map_public_ip_on_launch: Value::explicit(
            s.map_public_ip_on_launch.unwrap_or(false),
            o.child("MapPublicIpOnLaunch"),
        ),
    }
}

fn trail(t: &f::TrailRecord) -> Trail {
    let tr = &t.trail;
    let o = Origin::live(&tr.trail_arn, "");
    let to = o.child("Trail");
    let mut meta = Meta::new(&tr.name, ResourceKind::Trail, o.clone());
    meta.arn = Some(tr.trail_arn.clone());
    let flag = |v: Option<bool>, field: &str| Value::explicit(v.unwrap_or(false), to.child(field));
    Trail {
        meta,
        name: Some(Value::explicit(tr.name.clone(), to.child("Name"))),
        is_logging: match t.is_logging {
            Some(b) => Value::explicit(b, o.child("IsLogging")),
            None => Value::unresolved("GetTrailStatus not collected", o.child("IsLogging")),
        },
        is_multi_region: flag(tr.is_multi_region_trail, "IsMultiRegionTrail"),
        is_organization_trail: flag(tr.is_organization_trail, "IsOrganizationTrail"),
        event_selectors: t
            .event_selectors
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let so = o.child(&format!("EventSelectors[{i}]"));
                EventSelector {
                    read_write_type: Value::explicit(
                        s.read_write_type.clone().unwrap_or_else(|| "All".into()),
                        so.child("ReadWriteType"),
                    ),
                    include_management_events: Value::explicit(
                        s.include_management_events.unwrap_or(true),
                        so.child("IncludeManagementEvents"),
                    ),
                    data_resources: s
                        .data_resources
                        .iter()
                        .enumerate()
                        .map(|(j, d)| {
                            let dox = so.child(&format!("DataResources[{j}]"));
                            DataResource {
                                resource_type: Value::explicit(d.kind.clone(), dox.child("Type")),
                                values: d
                                    .values
                                    .iter()
                                    .enumerate()
                                    .map(|(k, v)| {
                                        Value::explicit(
                                            v.clone(),
                                            dox.child(&format!("Values[{k}]")),
                                        )
                                    })
                                    .collect(),
                                origin: dox,
                            }
                        })
                        .collect(),
                    origin: so,
                }
            })
            .collect(),
        advanced_event_selectors: t
            .advanced_event_selectors
            .as_ref()
            .map(|a| to_node(a, &o.child("AdvancedEventSelectors"))),
        kms_key: tr
            .kms_key_id
            .as_ref()
            .map(|k| Value::explicit(Target::from_literal(k), to.child("KmsKeyId"))),
        log_file_validation: flag(tr.log_file_validation_enabled, "LogFileValidationEnabled"),
    }
}

/// The region's protection settings. A service whose calls failed is `None` (not assessed).
fn settings(
    ctx: &RegionCtx<'_>,
    region: &f::RegionSnapshot,
    gaps: &[f::NotAssessed],
) -> AccountSettings {
    let failed = |service: &str| {
        gaps.iter().any(|g| {
            g.region.as_deref() == Some(ctx.region)
                && g.action.split(':').next() == Some(service)
                && g.resource.is_none()
        })
    };
    // No service: the settings of several services in one account and region.
    let arn = format!(
        "arn:{}::{}:{}:",
        ctx.ctx.partition,
        ctx.region,
        ctx.account()
    );
    let o = Origin::live(&arn, "");
    let mut meta = Meta::new(
        format!("{}/{}", ctx.account(), ctx.region),
        ResourceKind::Account,
        o.clone(),
    );
    meta.arn = None;
    let guardduty = (!failed("guardduty")).then(|| {
        let on = region.guardduty_detectors.iter().any(|d| {
            d.status.as_deref() == Some("ENABLED")
                && d.features.iter().any(|f| {
                    f.name == "LAMBDA_NETWORK_LOGS" && f.status.as_deref() == Some("ENABLED")
                })
        });
        Value::explicit(on, o.child("GuardDuty.Features.LAMBDA_NETWORK_LOGS"))
    });
    let inspector_on = |pick: fn(&f::InspectorResourceState) -> Option<&f::InspectorState>,
                        field: &str| {
        (!failed("inspector2")).then(|| {
            let on = region
                .inspector
                .as_ref()
                .and_then(|s| pick(&s.resource_state))
                .and_then(|s| s.status.as_deref())
                == Some("ENABLED");
            Value::explicit(on, o.child(field))
        })
    };
    AccountSettings {
        meta,
        account_id: Value::explicit(ctx.account().to_owned(), o.clone()),
        region: Value::explicit(ctx.region.to_owned(), o.clone()),
        guardduty_lambda_protection: guardduty,
        inspector_lambda_scanning: inspector_on(
            |s| s.lambda.as_ref(),
            "Inspector.resourceState.lambda.status",
        ),
        inspector_lambda_code_scanning: inspector_on(
            |s| s.lambda_code.as_ref(),
            "Inspector.resourceState.lambdaCode.status",
        ),
    }
}
