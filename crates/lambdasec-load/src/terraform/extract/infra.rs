//! Log groups, KMS keys (and aliases) and CloudTrail trails.

use super::lambda::not_found;
use super::{Res, find_mut};
use crate::terraform::body::{Blk, Cx, Obj};
use lambdasec_model::{
    DataResource, Entry, EventSelector, Inventory, KeyManager, KmsKey, LogGroup, Node, NodeKind,
    Origin, ResourceKind, Trail, Value,
};

pub(super) fn primary(_cx: &Cx<'_>, r: &Res<'_>, inv: &mut Inventory) {
    let o = &r.obj;
    match r.rtype.as_str() {
        "aws_cloudwatch_log_group" => inv.log_groups.push(LogGroup {
            meta: r.meta(ResourceKind::LogGroup),
            name: o.string("name"),
            // 0 (the default) means never expire.
            retention_days: o.int("retention_in_days").filter(|v| v.get() != Some(&0)),
            kms_key: o.target("kms_key_id"),
        }),
        "aws_kms_key" => inv.kms_keys.push(KmsKey {
            meta: r.meta(ResourceKind::KmsKey),
            manager: Value::explicit(KeyManager::Customer, o.origin.clone()),
            description: o.string("description"),
            enabled: default_bool(o, "is_enabled", true),
            rotation_enabled: default_bool(o, "enable_key_rotation", false),
            key_spec: o
                .string("customer_master_key_spec")
                .or_else(|| o.string("key_spec"))
                .unwrap_or_else(|| Value::default("SYMMETRIC_DEFAULT".to_owned(), &o.origin)),
            key_policy: o.document("policy"),
            aliases: Vec::new(),
        }),
        "aws_cloudtrail" => inv.trails.push(Trail {
            meta: r.meta(ResourceKind::Trail),
            name: o.string("name"),
            is_logging: default_bool(o, "enable_logging", true),
            is_multi_region: default_bool(o, "is_multi_region_trail", false),
            is_organization_trail: default_bool(o, "is_organization_trail", false),
            event_selectors: o
                .blocks("event_selector")
                .into_iter()
                .filter_map(Blk::known)
                .map(|s| event_selector(&s))
                .collect(),
            advanced_event_selectors: advanced_selectors(o),
            kms_key: o.target("kms_key_id"),
            log_file_validation: default_bool(o, "enable_log_file_validation", false),
        }),
        _ => {}
    }
}

fn default_bool(o: &Obj<'_>, key: &str, default: bool) -> Value<bool> {
    o.bool(key)
        .unwrap_or_else(|| Value::default(default, &o.origin))
}

fn event_selector(s: &Obj<'_>) -> EventSelector {
    EventSelector {
        read_write_type: s
            .string("read_write_type")
            .unwrap_or_else(|| Value::default("All".to_owned(), &s.origin)),
        include_management_events: default_bool(s, "include_management_events", true),
        data_resources: s
            .blocks("data_resource")
            .into_iter()
            .filter_map(Blk::known)
            .map(|d| DataResource {
                resource_type: d
                    .string("type")
                    .unwrap_or_else(|| Value::unresolved("missing `type`", d.origin.clone())),
                values: d.strings("values"),
                origin: d.origin.clone(),
            })
            .collect(),
        origin: s.origin.clone(),
    }
}

/// `advanced_event_selector` blocks in the shape of the CloudTrail API:
/// `[{Name, FieldSelectors: [{Field, Equals, StartsWith, ...}]}]`.
fn advanced_selectors(o: &Obj<'_>) -> Option<Node> {
    let blocks = o.blocks("advanced_event_selector");
    if blocks.is_empty() {
        return None;
    }
    let origin = o.origin_of("advanced_event_selector");
    let entry = |key: &str, key_origin: Origin, value: Node| Entry {
        key: key.to_owned(),
        key_origin,
        value,
    };
    let selectors = blocks
        .into_iter()
        .map(|b| match b {
            Blk::Known(sel) => {
                let mut entries = Vec::new();
                if let Some(name) = sel.get("name") {
                    entries.push(entry(
                        "Name",
                        sel.origin_of("name"),
                        name.to_node(&sel.origin_of("name")),
                    ));
                }
                let fields: Vec<Node> = sel
                    .blocks("field_selector")
                    .into_iter()
                    .filter_map(Blk::known)
                    .map(|f| {
                        let mut fe = Vec::new();
                        for (tf, api) in [
                            ("field", "Field"),
                            ("equals", "Equals"),
                            ("not_equals", "NotEquals"),
                            ("starts_with", "StartsWith"),
                            ("not_starts_with", "NotStartsWith"),
                            ("ends_with", "EndsWith"),
                            ("not_ends_with", "NotEndsWith"),
                        ] {
                            if let Some(v) = f.get(tf) {
                                let vo = f.origin_of(tf);
                                fe.push(entry(api, vo.clone(), v.to_node(&vo)));
                            }
                        }
                        Node::new(NodeKind::Map(fe), f.origin.clone())
                    })
                    .collect();
                entries.push(entry(
                    "FieldSelectors",
                    sel.origin_of("field_selector"),
                    Node::new(NodeKind::List(fields), sel.origin_of("field_selector")),
                ));
                Node::new(NodeKind::Map(entries), sel.origin.clone())
            }
            Blk::Unknown { expr, origin } => Node::new(NodeKind::Unresolved(expr), origin),
            Blk::Absent => Node::new(NodeKind::Null, origin.clone()),
        })
        .collect();
    Some(Node::new(NodeKind::List(selectors), origin))
}

/// `aws_kms_alias`: the alias name joins its key.
pub(super) fn attach(cx: &Cx<'_>, r: &Res<'_>, inv: &mut Inventory) {
    let o = &r.obj;
    let (Some(key), Some(name)) = (o.target("target_key_id"), o.string("name")) else {
        return;
    };
    match find_mut(&mut inv.kms_keys, &key) {
        Some(k) => k.aliases.push(name),
        None => not_found(cx, r, "KMS key"),
    }
}
