//! Terraform plans (`terraform show -json plan.out`): the planned values of every resource,
//! with module addresses, mapped by the same extractors as HCL.
//!
//! A plan has no source spans beyond its own JSON text: values point into the plan file, and
//! their human path is the resource address plus the attribute path. Values known only after
//! apply (listed in `resource_changes[].change.after_unknown`) are unknown; when the
//! configuration section shows the attribute refers to another resource of the plan, the value
//! becomes a reference to that resource's address.

use super::body::{Cx, Obj};
use super::extract::{self, Res};
use super::node_value;
use super::value::{Kind, MapEntry, V};
use crate::LoadOptions;
use crate::yaml;
use lambdasec_model::{Diagnostic, InputKind, Inventory, Node, NodeKind, Origin, SourceFile};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use std::sync::Arc;

pub(super) fn load(file: &SourceFile, _options: &LoadOptions) -> Inventory {
    let mut inv = Inventory::new(InputKind::TerraformPlan);
    let doc = match yaml::parse(file) {
        Ok(d) => d,
        Err(e) => {
            inv.diagnostics.push(e.to_diagnostic());
            return inv;
        }
    };
    inv.diagnostics.extend(doc.diagnostics);
    let root = &doc.root;
    let Some(root_module) = root
        .get("planned_values")
        .and_then(|p| p.get("root_module"))
    else {
        inv.diagnostics.push(Diagnostic::error(
            "a Terraform plan without `planned_values.root_module`",
            crate::file_origin(file.id),
        ));
        return inv;
    };

    let unknowns: HashMap<&str, &Node> = root
        .get("resource_changes")
        .and_then(Node::as_list)
        .unwrap_or_default()
        .iter()
        .filter_map(|rc| {
            let address = rc.get("address")?.as_str()?;
            let unknown = rc.get("change")?.get("after_unknown")?;
            Some((address, unknown))
        })
        .collect();
    let mut config = HashMap::new();
    if let Some(cm) = root.get("configuration").and_then(|c| c.get("root_module")) {
        collect_config(cm, "", &mut config);
    }
    inv.region = root
        .get("configuration")
        .and_then(|c| c.get("provider_config"))
        .and_then(|p| p.get("aws"))
        .and_then(|a| a.get("expressions"))
        .and_then(|e| e.get("region"))
        .and_then(|r| r.get("constant_value"))
        .and_then(Node::as_str)
        .map(str::to_owned);

    let mut planned = Vec::new();
    collect_planned(root_module, "", &mut planned);
    let addresses: HashSet<String> = planned.iter().map(|p| p.address.clone()).collect();

    let bodies: Vec<(Planned<'_>, V)> = planned
        .into_iter()
        .map(|p| {
            let mut body = match p.values {
                Some(values) => node_value(values, file.id),
                None => V::new(Kind::Map(Vec::new()), file.id, span(&p.node.origin)),
            };
            body.span = span(&p.node.origin);
            if let Some(unknown) = unknowns.get(p.address.as_str()) {
                add_unknowns(&mut body, unknown, &p.address);
            }
            if let Some(expressions) = config.get(&p.config_key) {
                add_references(&mut body, expressions, &p, &addresses);
            }
            (p, body)
        })
        .collect();

    let mut cx = Cx::new(None, Some(Arc::new(file.clone())));
    cx.redirects = super::kms_alias_redirects(
        bodies
            .iter()
            .map(|(p, b)| (p.address.as_str(), p.rtype.as_str(), b)),
    );
    cx.declared = bodies.iter().map(|(p, _)| p.address.clone()).collect();
    let resources: Vec<Res<'_>> = bodies
        .iter()
        .map(|(p, body)| Res {
            address: p.address.clone(),
            rtype: p.rtype.clone(),
            obj: Obj::new(&cx, body, p.address.clone()),
            suppressions: Vec::new(),
            path_module: ".".to_owned(),
            module_prefix: p.module_prefix.clone(),
            default_tags: None,
        })
        .collect();
    extract::extract(&cx, &resources, &mut inv);
    drop(resources);
    inv.diagnostics.extend(cx.diags.take());
    inv
}

fn span(origin: &Origin) -> lambdasec_model::Span {
    match origin {
        Origin::Source { span, .. } => *span,
        _ => lambdasec_model::Span::default(),
    }
}

/// A managed resource of `planned_values`.
#[derive(Debug)]
struct Planned<'n> {
    address: String,
    rtype: String,
    module_prefix: String,
    /// `module.a.module.b.` + `aws_x.name` without instance keys: the configuration key.
    config_key: String,
    node: &'n Node,
    values: Option<&'n Node>,
}

fn collect_planned<'n>(module: &'n Node, prefix: &str, out: &mut Vec<Planned<'n>>) {
    for r in module
        .get("resources")
        .and_then(Node::as_list)
        .unwrap_or_default()
    {
        if r.get("mode").and_then(Node::as_str) != Some("managed") {
            continue;
        }
        let (Some(address), Some(rtype), Some(name)) = (
            r.get("address").and_then(Node::as_str),
            r.get("type").and_then(Node::as_str),
            r.get("name").and_then(Node::as_str),
        ) else {
            continue;
        };
        out.push(Planned {
            address: address.to_owned(),
            rtype: rtype.to_owned(),
            module_prefix: prefix.to_owned(),
            config_key: format!("{}{rtype}.{name}", strip_keys(prefix)),
            node: r,
            values: r.get("values"),
        });
    }
    for child in module
        .get("child_modules")
        .and_then(Node::as_list)
        .unwrap_or_default()
    {
        if let Some(address) = child.get("address").and_then(Node::as_str) {
            collect_planned(child, &format!("{address}."), out);
        }
    }
}

/// `module.a["x"].module.b[0].` → `module.a.module.b.`
fn strip_keys(prefix: &str) -> String {
    let mut out = String::with_capacity(prefix.len());
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for c in prefix.chars() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            '"' if depth > 0 => in_string = true,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Configuration expressions by configuration key (`module.a.aws_x.name`).
fn collect_config<'n>(module: &'n Node, prefix: &str, out: &mut HashMap<String, &'n Node>) {
    for r in module
        .get("resources")
        .and_then(Node::as_list)
        .unwrap_or_default()
    {
        if let (Some(address), Some(expr)) = (
            r.get("address").and_then(Node::as_str),
            r.get("expressions"),
        ) {
            out.insert(format!("{prefix}{address}"), expr);
        }
    }
    for e in module
        .get("module_calls")
        .and_then(Node::as_map)
        .unwrap_or_default()
    {
        if let Some(m) = e.value.get("module") {
            collect_config(m, &format!("{prefix}module.{}.", e.key), out);
        }
    }
}

/// Mark the attributes known only after apply as unknown values.
fn add_unknowns(body: &mut V, unknown: &Node, address: &str) {
    let Kind::Map(entries) = &mut body.kind else {
        return;
    };
    let Some(u) = unknown.as_map() else {
        return;
    };
    for e in u {
        let existing = entries.iter_mut().find(|x| x.key == e.key);
        match (&e.value.kind, existing) {
            (NodeKind::Bool(true), Some(x)) if x.value.is_null() => {
                x.value = V::unknown(format!("{address}.{}", e.key), x.value.file, x.value.span);
            }
            (NodeKind::Bool(true), None) => entries.push(MapEntry {
                key: e.key.clone(),
                key_span: span(&e.key_origin),
                value: V::unknown(
                    format!("{address}.{}", e.key),
                    body.file,
                    span(&e.key_origin),
                ),
            }),
            (NodeKind::List(items), Some(x)) => {
                if let Kind::List(values) = &mut x.value.kind {
                    for (item, value) in items.iter().zip(values.iter_mut()) {
                        add_unknowns(value, item, &format!("{address}.{}", e.key));
                    }
                }
            }
            (NodeKind::Map(_), Some(x)) => add_unknowns(&mut x.value, &e.value, address),
            _ => {}
        }
    }
}

/// Attributes that refer to another resource of the plan become references to its address.
fn add_references(body: &mut V, expressions: &Node, p: &Planned<'_>, addresses: &HashSet<String>) {
    let Kind::Map(entries) = &mut body.kind else {
        return;
    };
    let index = instance_key(&p.address);
    for e in expressions.as_map().unwrap_or_default() {
        let Some(refs) = e.value.get("references").and_then(Node::as_list) else {
            continue;
        };
        let Some(target) = refs
            .iter()
            .filter_map(Node::as_str)
            .find_map(|r| resolve_reference(r, &p.module_prefix, index.as_deref(), addresses))
        else {
            continue;
        };
        if let Some(x) = entries.iter_mut().find(|x| x.key == e.key)
            && matches!(x.value.kind, Kind::String(_) | Kind::Unknown(_))
        {
            x.value.refers = Some(Rc::from(target.as_str()));
        }
    }
}

/// The instance key suffix of an address (`[0]`, `["a"]`), if any.
fn instance_key(address: &str) -> Option<String> {
    if !address.ends_with(']') {
        return None;
    }
    let open = address.rfind('[')?;
    address.get(open..).map(str::to_owned)
}

/// `aws_iam_role.exec.arn` → `module.m.aws_iam_role.exec` when that resource is planned
/// (or its instance with the same key as the referring one).
fn resolve_reference(
    reference: &str,
    prefix: &str,
    index: Option<&str>,
    addresses: &HashSet<String>,
) -> Option<String> {
    if reference.starts_with("var.")
        || reference.starts_with("local.")
        || reference.starts_with("data.")
        || reference.starts_with("module.")
        || reference.starts_with("each.")
        || reference.starts_with("count.")
        || reference.starts_with("path.")
    {
        return None;
    }
    let mut parts = reference.splitn(3, '.');
    let rtype = parts.next()?;
    let name_part = parts.next()?;
    let base = format!("{prefix}{rtype}.{name_part}");
    if addresses.contains(&base) {
        return Some(base);
    }
    if let Some(i) = index {
        let with = format!("{base}{i}");
        if addresses.contains(&with) {
            return Some(with);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_references() {
        assert_eq!(
            strip_keys("module.a[\"x]\"].module.b[0]."),
            "module.a.module.b."
        );
        assert_eq!(instance_key("aws_x.y[\"k\"]").as_deref(), Some("[\"k\"]"));
        assert_eq!(instance_key("aws_x.y"), None);
        let addresses: HashSet<String> = [
            "module.m.aws_iam_role.r".to_owned(),
            "aws_sqs_queue.q[1]".to_owned(),
        ]
        .into();
        assert_eq!(
            resolve_reference("aws_iam_role.r.arn", "module.m.", None, &addresses).as_deref(),
            Some("module.m.aws_iam_role.r")
        );
        assert_eq!(
            resolve_reference("aws_sqs_queue.q", "", Some("[1]"), &addresses).as_deref(),
            Some("aws_sqs_queue.q[1]")
        );
        assert_eq!(resolve_reference("var.x", "", None, &addresses), None);
    }
}
