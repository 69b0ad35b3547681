//! The structure of the template around its SAM resources: sections, resource declarations
//! and their attributes, mappings, and the arguments of intrinsic functions. CloudFormation and
//! SAM reject a template that breaks them before looking at any property.

use super::{At, Ctx, shape};
use crate::cloudformation::intrinsics::intrinsic;
use lambdasec_model::{Node, NodeKind};

/// The top-level sections a SAM template may have.
const SECTIONS: &[&str] = &[
    "AWSTemplateFormatVersion",
    "Conditions",
    "Description",
    "Globals",
    "Hooks",
    "Mappings",
    "Metadata",
    "Outputs",
    "Parameters",
    "Resources",
    "Rules",
    "Transform",
];

pub(crate) fn check(ctx: &Ctx<'_>) {
    let diags = &ctx.t.diags;
    if let Some(entries) = ctx.root.as_map() {
        for e in entries {
            if !SECTIONS.contains(&e.key.as_str()) {
                diags.error(
                    format!(
                        "`{}` is not a template section (expected one of {})",
                        e.key,
                        SECTIONS.join(", ")
                    ),
                    &e.key_origin,
                );
            }
        }
    }
    for section in ["Parameters", "Mappings", "Conditions", "Outputs"] {
        if let Some(n) = ctx.root.get(section)
            && !matches!(n.kind, NodeKind::Map(_))
        {
            diags.error(format!("the `{section}` section must be a map"), &n.origin);
        }
    }
    mappings(ctx);
    let Some(resources) = ctx.root.get("Resources").and_then(Node::as_map) else {
        return;
    };
    for e in resources {
        let at = At::resource(ctx, &e.key);
        if e.key.is_empty() || !e.key.bytes().all(|b| b.is_ascii_alphanumeric()) {
            at.error(
                &e.key_origin,
                "logical ids must be alphanumeric (A-Z, a-z, 0-9)",
            );
        }
        let Some(attrs) = e.value.as_map() else {
            at.error(
                &e.value.origin,
                "a resource must be a map with `Type` and `Properties` (in YAML, check the indentation)",
            );
            continue;
        };
        let is_sam = e
            .value
            .get("Type")
            .and_then(Node::as_str)
            .is_some_and(|t| t.starts_with("AWS::Serverless::"));
        for a in attrs {
            match a.key.as_str() {
                "Properties" => match &a.value.kind {
                    NodeKind::Map(_) => {}
                    // SAM needs the properties of its resources; CloudFormation accepts none.
                    NodeKind::Null if !is_sam => {}
                    _ => at.error(&a.value.origin, "`Properties` must be a map"),
                },
                "Condition" if a.value.as_str().is_none() => {
                    at.error(
                        &a.value.origin,
                        "`Condition` must be the name of a condition",
                    );
                }
                "DependsOn" => depends_on(at, &a.value),
                "IgnoreGlobals" => ignore_globals(at, &e.value, &a.value),
                _ => {}
            }
        }
        intrinsics(at, &e.value, 0);
    }
    if let Some(outputs) = ctx.root.get("Outputs") {
        for o in outputs.as_map().unwrap_or_default() {
            intrinsics(At::resource(ctx, &o.key), &o.value, 0);
        }
    }
}

fn depends_on(at: At<'_>, n: &Node) {
    let ok = match &n.kind {
        NodeKind::String(_) => true,
        NodeKind::List(items) => items.iter().all(|i| i.as_str().is_some()),
        _ => false,
    };
    if !ok {
        at.error(
            &n.origin,
            "`DependsOn` must be a logical id or a list of logical ids",
        );
    }
}

/// `IgnoreGlobals`: `'*'`, or the names of properties `Globals` may set for the type.
fn ignore_globals(at: At<'_>, decl: &Node, n: &Node) {
    let type_name = decl.get("Type").and_then(Node::as_str).unwrap_or("");
    let supported = super::globals::supported(type_name).unwrap_or_default();
    match &n.kind {
        NodeKind::String(s) if s == "*" => {}
        NodeKind::List(items) => {
            for i in items {
                match i.as_str() {
                    Some(p) if supported.contains(&p) => {}
                    Some(p) => at.error(
                        &i.origin,
                        format!("`IgnoreGlobals` names `{p}`, which `Globals` cannot set for {type_name}"),
                    ),
                    None => at.error(&i.origin, "`IgnoreGlobals` items must be property names"),
                }
            }
        }
        _ => at.error(
            &n.origin,
            "`IgnoreGlobals` must be '*' or a list of property names",
        ),
    }
}

/// Mappings are two-level maps of strings or lists.
fn mappings(ctx: &Ctx<'_>) {
    let Some(maps) = ctx.root.get("Mappings").and_then(Node::as_map) else {
        return;
    };
    for m in maps {
        let Some(keys) = m.value.as_map() else {
            ctx.t.diags.error(
                format!(
                    "mapping `{}` must be a map of keys to maps of values",
                    m.key
                ),
                &m.value.origin,
            );
            continue;
        };
        for k in keys {
            let Some(values) = k.value.as_map() else {
                ctx.t.diags.error(
                    format!("mapping `{}`: `{}` must be a map of names to values (a mapping has two levels)", m.key, k.key),
                    &k.value.origin,
                );
                continue;
            };
            for v in values {
                if matches!(v.value.kind, NodeKind::Map(_)) && !shape::is_intrinsic(&v.value) {
                    ctx.t.diags.error(
                        format!(
                            "mapping `{}`: the value of `{}.{}` must be a string or a list",
                            m.key, k.key, v.key
                        ),
                        &v.value.origin,
                    );
                }
            }
        }
    }
}

/// The arguments of intrinsic functions, anywhere in a declaration.
fn intrinsics(at: At<'_>, n: &Node, depth: usize) {
    if depth > 128 {
        return;
    }
    if let Some((name, arg)) = intrinsic(n) {
        arguments(at, name, arg);
    }
    match &n.kind {
        NodeKind::Map(entries) => {
            for e in entries {
                intrinsics(at, &e.value, depth + 1);
            }
        }
        NodeKind::List(items) => {
            for i in items {
                intrinsics(at, i, depth + 1);
            }
        }
        _ => {}
    }
}

fn arguments(at: At<'_>, name: &str, arg: &Node) {
    let items = arg.as_list();
    let count = items.map(<[Node]>::len);
    let bad = |what: &str| at.error(&arg.origin, format!("`{name}` {what}"));
    match name {
        "Fn::If" => match count {
            Some(3) => {}
            Some(n) => bad(&format!(
                "needs 3 arguments (a condition and two values), not {n}"
            )),
            None => bad("must be a list of a condition name and two values"),
        },
        "Fn::FindInMap" => match (count, items) {
            (Some(3), _) => {}
            (Some(4), Some([.., last])) if last.get("DefaultValue").is_some() => {}
            (Some(n), _) => bad(&format!(
                "needs 3 arguments (map name, top-level key, second-level key), not {n}"
            )),
            (None, _) => bad("must be a list of map name, top-level key and second-level key"),
        },
        "Fn::Join" | "Fn::Select" | "Fn::Split" | "Fn::Equals" => match count {
            Some(2) => {}
            Some(n) => bad(&format!("needs 2 arguments, not {n}")),
            None if shape::is_intrinsic(arg) => {}
            None => bad("must be a list of 2 arguments"),
        },
        "Fn::Sub" => match (&arg.kind, items) {
            (NodeKind::String(_), _) => {}
            (_, Some([t, vars]))
                if t.as_str().is_some() && matches!(vars.kind, NodeKind::Map(_)) =>
            {
                sub_variables(at, t, vars);
            }
            (_, Some([t])) if t.as_str().is_some() => {}
            _ => bad("needs a string, or a string and a map of variables"),
        },
        "Fn::GetAtt" => match (&arg.kind, count) {
            (NodeKind::String(s), _) if s.contains('.') => {}
            (_, Some(2)) => {}
            _ => bad("needs a resource and an attribute (`Resource.Attribute` or a list of both)"),
        },
        "Ref" if arg.as_str().is_none() => bad("needs the name of a parameter or resource"),
        _ => {}
    }
    if name == "Fn::Sub"
        && let Some(template) = arg
            .as_str()
            .or_else(|| items.and_then(|i| i.first()).and_then(Node::as_str))
    {
        list_parameters_in_sub(at, template, &arg.origin);
    }
}

/// The variables map of `Fn::Sub`: each value must be a string (or a function returning one).
fn sub_variables(at: At<'_>, _template: &Node, vars: &Node) {
    for v in vars.as_map().unwrap_or_default() {
        if matches!(v.value.kind, NodeKind::List(_) | NodeKind::Map(_))
            && !shape::is_intrinsic(&v.value)
        {
            at.error(
                &v.value.origin,
                format!("`Fn::Sub` variable `{}` must be a string", v.key),
            );
        }
    }
}

/// `${Param}` in `Fn::Sub` naming a list-typed parameter: a list does not substitute into text.
fn list_parameters_in_sub(at: At<'_>, template: &str, origin: &lambdasec_model::Origin) {
    let Some(params) = at.ctx.root.get("Parameters").and_then(Node::as_map) else {
        return;
    };
    for piece in crate::cloudformation::sub::pieces(template) {
        let crate::cloudformation::sub::Piece::Var(name) = piece else {
            continue;
        };
        let ty = params
            .iter()
            .find(|p| p.key == name)
            .and_then(|p| p.value.get("Type"))
            .and_then(Node::as_str)
            .unwrap_or("");
        if ty == "CommaDelimitedList" || ty.starts_with("List<") || ty.contains("<List<") {
            at.error(
                origin,
                format!(
                    "`Fn::Sub` cannot substitute `${{{name}}}`: parameter `{name}` is a list ({ty})"
                ),
            );
        }
    }
}
