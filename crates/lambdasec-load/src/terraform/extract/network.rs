//! Security groups (inline and standalone rules merged) and subnets.
//!
//! Unlike CloudFormation, Terraform removes the allow-all egress rule AWS creates with a group:
//! a group without `egress` blocks has no egress rule unless standalone rules add some.

use super::lambda::not_found;
use super::{Res, find_mut};
use crate::terraform::body::{Blk, Cx, Obj};
use lambdasec_model::{Inventory, ResourceKind, SecurityGroup, SgRule, Subnet, Value};

pub(super) fn primary(_cx: &Cx<'_>, r: &Res<'_>, inv: &mut Inventory) {
    let o = &r.obj;
    match r.rtype.as_str() {
        "aws_security_group" => inv.security_groups.push(SecurityGroup {
            meta: r.meta(ResourceKind::SecurityGroup),
            name: o.string("name"),
            vpc: o.target("vpc_id"),
            ingress: o
                .blocks("ingress")
                .into_iter()
                .flat_map(block_rules)
                .collect(),
            egress: o
                .blocks("egress")
                .into_iter()
                .flat_map(block_rules)
                .collect(),
        }),
        "aws_subnet" => inv.subnets.push(Subnet {
            meta: r.meta(ResourceKind::Subnet),
            vpc: o.target("vpc_id"),
            availability_zone: o.string("availability_zone"),
            cidr_ipv4: o.string("cidr_block"),
            map_public_ip_on_launch: o
                .bool("map_public_ip_on_launch")
                .unwrap_or_else(|| Value::default(false, &o.origin)),
        }),
        _ => {}
    }
}

/// The protocol as AWS stores it (`all` is `-1`).
fn protocol(o: &Obj<'_>, key: &str) -> Value<String> {
    match o.string(key) {
        Some(p) => p.map(|s| {
            let s = s.to_ascii_lowercase();
            if s == "all" { "-1".to_owned() } else { s }
        }),
        None => Value::default("-1".to_owned(), &o.origin),
    }
}

/// One rule per source (CIDR, IPv6 CIDR, security group, prefix list, `self`).
fn rules(o: &Obj<'_>, protocol_key: &str, sources: &Sources<'_>) -> Vec<SgRule> {
    let base = SgRule {
        protocol: protocol(o, protocol_key),
        from_port: o.int("from_port"),
        to_port: o.int("to_port"),
        cidr_ipv4: None,
        cidr_ipv6: None,
        peer_group: None,
        prefix_list: None,
        origin: o.origin.clone(),
    };
    let mut out = Vec::new();
    for key in sources.ipv4 {
        for cidr in o.strings(key) {
            out.push(SgRule {
                cidr_ipv4: Some(cidr),
                ..base.clone()
            });
        }
    }
    for key in sources.ipv6 {
        for cidr in o.strings(key) {
            out.push(SgRule {
                cidr_ipv6: Some(cidr),
                ..base.clone()
            });
        }
    }
    for key in sources.groups {
        for group in o.targets(key) {
            out.push(SgRule {
                peer_group: Some(group),
                ..base.clone()
            });
        }
    }
    for key in sources.prefix_lists {
        for pl in o.strings(key) {
            out.push(SgRule {
                prefix_list: Some(pl),
                ..base.clone()
            });
        }
    }
    if o.bool("self").is_some_and(|b| b.get() == Some(&true))
        && let Some(own) = sources.own.clone()
    {
        out.push(SgRule {
            peer_group: Some(own),
            ..base
        });
    }
    out
}

struct Sources<'k> {
    ipv4: &'k [&'k str],
    ipv6: &'k [&'k str],
    groups: &'k [&'k str],
    prefix_lists: &'k [&'k str],
    own: Option<Value<lambdasec_model::Target>>,
}

fn block_rules(b: Blk<'_>) -> Vec<SgRule> {
    match b {
        Blk::Known(o) => rules(
            &o,
            "protocol",
            &Sources {
                ipv4: &["cidr_blocks"],
                ipv6: &["ipv6_cidr_blocks"],
                groups: &["security_groups"],
                prefix_lists: &["prefix_list_ids"],
                own: None,
            },
        ),
        Blk::Unknown { expr, origin } => vec![SgRule {
            protocol: Value::unresolved(expr, origin.clone()),
            from_port: None,
            to_port: None,
            cidr_ipv4: None,
            cidr_ipv6: None,
            peer_group: None,
            prefix_list: None,
            origin,
        }],
        Blk::Absent => Vec::new(),
    }
}

pub(super) fn attach(cx: &Cx<'_>, r: &Res<'_>, inv: &mut Inventory) {
    let o = &r.obj;
    let Some(group) = o.target("security_group_id") else {
        return;
    };
    let (egress, new_rules) = match r.rtype.as_str() {
        "aws_security_group_rule" => {
            let egress =
                o.string("type").and_then(|t| t.get().cloned()).as_deref() == Some("egress");
            let own = o.bool("self").and(Some(group.clone()));
            let rules = rules(
                o,
                "protocol",
                &Sources {
                    ipv4: &["cidr_blocks"],
                    ipv6: &["ipv6_cidr_blocks"],
                    groups: &["source_security_group_id"],
                    prefix_lists: &["prefix_list_ids"],
                    own,
                },
            );
            (egress, rules)
        }
        kind => {
            let rules = rules(
                o,
                "ip_protocol",
                &Sources {
                    ipv4: &["cidr_ipv4"],
                    ipv6: &["cidr_ipv6"],
                    groups: &["referenced_security_group_id"],
                    prefix_lists: &["prefix_list_id"],
                    own: None,
                },
            );
            (kind.ends_with("egress_rule"), rules)
        }
    };
    match find_mut(&mut inv.security_groups, &group) {
        Some(sg) if egress => sg.egress.extend(new_rules),
        Some(sg) => sg.ingress.extend(new_rules),
        None => not_found(cx, r, "security group"),
    }
}
