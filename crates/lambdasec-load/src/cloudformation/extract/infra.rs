//! Supporting infrastructure: `AWS::Logs::LogGroup`, `AWS::KMS::{Key, Alias}`,
//! `AWS::CloudTrail::Trail`, `AWS::EC2::{SecurityGroup, SecurityGroupIngress,
//! SecurityGroupEgress, Subnet}`.

use super::{Decl, Pending};
use crate::cloudformation::props::Props;
use crate::cloudformation::template::Template;
use lambdasec_model::{
    DataResource, EventSelector, KeyManager, KmsKey, LogGroup, Origin, ResourceKind, SecurityGroup,
    SgRule, Subnet, Trail, Value,
};

pub(crate) fn log_group(t: &Template<'_>, d: &Decl<'_>) -> LogGroup {
    let p = d.props(t);
    LogGroup {
        meta: d.meta(t, ResourceKind::LogGroup),
        name: p.string("LogGroupName"),
        retention_days: p.int("RetentionInDays"),
        kms_key: p.target("KmsKeyId"),
    }
}

pub(crate) fn kms_key(t: &Template<'_>, d: &Decl<'_>) -> KmsKey {
    let p = d.props(t);
    KmsKey {
        meta: d.meta(t, ResourceKind::KmsKey),
        manager: Value::default(KeyManager::Customer, &d.origin),
        description: p.string("Description"),
        enabled: p.bool_or("Enabled", true),
        rotation_enabled: p.bool_or("EnableKeyRotation", false),
        key_spec: p
            .string("KeySpec")
            .unwrap_or_else(|| Value::default("SYMMETRIC_DEFAULT".to_owned(), &d.origin)),
        key_policy: p.document("KeyPolicy"),
        aliases: Vec::new(),
    }
}

pub(crate) fn kms_alias(t: &Template<'_>, d: &Decl<'_>, pending: &mut Pending) {
    let p = d.props(t);
    if let (Some(key), Some(name)) = (p.target("TargetKeyId"), p.string("AliasName")) {
        pending.key_aliases.push((key, name));
    }
}

pub(crate) fn trail(t: &Template<'_>, d: &Decl<'_>) -> Trail {
    let p = d.props(t);
    let event_selectors = p
        .blocks("EventSelectors")
        .into_iter()
        .map(|s| EventSelector {
            read_write_type: s
                .string("ReadWriteType")
                .unwrap_or_else(|| Value::default("All".to_owned(), s.owner)),
            include_management_events: s.bool_or("IncludeManagementEvents", true),
            data_resources: s
                .blocks("DataResources")
                .into_iter()
                .map(|r| DataResource {
                    resource_type: r.required_string("Type"),
                    values: r.strings("Values"),
                    origin: r.owner.clone(),
                })
                .collect(),
            origin: s.owner.clone(),
        })
        .collect();
    Trail {
        meta: d.meta(t, ResourceKind::Trail),
        name: p.string("TrailName"),
        is_logging: p
            .bool("IsLogging")
            .unwrap_or_else(|| p.missing("IsLogging")),
        is_multi_region: p.bool_or("IsMultiRegionTrail", false),
        is_organization_trail: p.bool_or("IsOrganizationTrail", false),
        event_selectors,
        advanced_event_selectors: p.document("AdvancedEventSelectors"),
        kms_key: p.target("KMSKeyId"),
        log_file_validation: p.bool_or("EnableLogFileValidation", false),
    }
}

/// One rule, inline or standalone (`peer` is `SourceSecurityGroupId` or
/// `DestinationSecurityGroupId`).
fn sg_rule(r: &Props<'_>, egress: bool) -> SgRule {
    let (peer, prefix) = if egress {
        ("DestinationSecurityGroupId", "DestinationPrefixListId")
    } else {
        ("SourceSecurityGroupId", "SourcePrefixListId")
    };
    SgRule {
        protocol: r.required_string("IpProtocol"),
        from_port: r.int("FromPort"),
        to_port: r.int("ToPort"),
        cidr_ipv4: r.string("CidrIp"),
        cidr_ipv6: r.string("CidrIpv6"),
        peer_group: r
            .target(peer)
            .or_else(|| r.target("SourceSecurityGroupName")),
        prefix_list: r.string(prefix),
        origin: r.owner.clone(),
    }
}

/// AWS's default egress rule of a group declared without one: all traffic to anywhere.
fn default_egress(owner: &Origin) -> SgRule {
    SgRule {
        protocol: Value::default("-1".to_owned(), owner),
        from_port: None,
        to_port: None,
        cidr_ipv4: Some(Value::default("0.0.0.0/0".to_owned(), owner)),
        cidr_ipv6: None,
        peer_group: None,
        prefix_list: None,
        origin: owner.implied(),
    }
}

pub(crate) fn security_group(t: &Template<'_>, d: &Decl<'_>) -> SecurityGroup {
    let p = d.props(t);
    let egress = if p.get("SecurityGroupEgress").is_some() {
        p.blocks("SecurityGroupEgress")
            .iter()
            .map(|r| sg_rule(r, true))
            .collect()
    } else {
        vec![default_egress(&d.origin)]
    };
    SecurityGroup {
        meta: d.meta(t, ResourceKind::SecurityGroup),
        name: p.string("GroupName"),
        vpc: p.target("VpcId"),
        ingress: p
            .blocks("SecurityGroupIngress")
            .iter()
            .map(|r| sg_rule(r, false))
            .collect(),
        egress,
    }
}

/// A standalone rule, merged into its group when the group is declared in the template.
pub(crate) fn sg_rule_resource(t: &Template<'_>, d: &Decl<'_>, egress: bool, p: &mut Pending) {
    let props = d.props(t);
    let group = props
        .target("GroupId")
        .or_else(|| props.target("GroupName"));
    let rule = sg_rule(&props, egress);
    if let Some(group) = group {
        p.sg_rules.push((group, egress, rule));
    }
}

pub(crate) fn subnet(t: &Template<'_>, d: &Decl<'_>) -> Subnet {
    let p = d.props(t);
    Subnet {
        meta: d.meta(t, ResourceKind::Subnet),
        vpc: p.target("VpcId"),
        availability_zone: p.string("AvailabilityZone"),
        cidr_ipv4: p.string("CidrBlock"),
        map_public_ip_on_launch: p.bool_or("MapPublicIpOnLaunch", false),
    }
}
