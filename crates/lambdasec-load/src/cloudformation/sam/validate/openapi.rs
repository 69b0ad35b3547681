//! The structure of an inline OpenAPI (or Swagger) `DefinitionBody`: what SAM needs to read
//! it and add the routes, authorizers and CORS settings the template asks for.

use super::At;
use super::shape::{entries, is_intrinsic};
use lambdasec_model::{Node, NodeKind};

/// Keys of a path item that are not operations.
const NOT_OPERATIONS: &[&str] = &["parameters", "summary", "description", "servers", "$ref"];

/// The operations of a path item SAM can edit.
const METHODS: &[&str] = &[
    "delete",
    "get",
    "head",
    "options",
    "patch",
    "post",
    "put",
    "trace",
    "x-amazon-apigateway-any-method",
];

/// Which API the body describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    Rest,
    Http,
}

/// Check an inline body. `modified`: SAM adds to it (events, auth, CORS, models, tags), so it
/// must be a complete definition; `operations`: SAM edits every operation (default
/// authorizer, API keys, CORS), so each must be a map.
pub(crate) fn check(at: At<'_>, body: &Node, flavor: Flavor, modified: bool, operations: bool) {
    if entries(body).is_none() {
        return;
    }
    if modified {
        let has_version = match flavor {
            Flavor::Rest => body.get("swagger").is_some() || body.get("openapi").is_some(),
            Flavor::Http => body.get("openapi").is_some(),
        };
        if !has_version || body.get("paths").is_none() {
            let what = match flavor {
                Flavor::Rest => "`swagger` (or `openapi`) and `paths`",
                Flavor::Http => "`openapi` and `paths`",
            };
            at.error(
                &body.origin,
                format!("`DefinitionBody` is not a definition SAM can add to: it needs {what}"),
            );
        }
    }
    if let Some(paths) = body.get("paths") {
        paths_of(at, paths, operations, flavor);
    }
    if let Some(s) = body.get("securityDefinitions") {
        at.map(s, "DefinitionBody.securityDefinitions");
    }
    if let Some(s) = body
        .get("components")
        .and_then(|c| c.get("securitySchemes"))
    {
        at.map(s, "DefinitionBody.components.securitySchemes");
    }
    if let Some(s) = body.get("security") {
        security(at, s, "DefinitionBody.security");
    }
    if let Some(t) = body.get("tags") {
        at.list(t, "DefinitionBody.tags");
    }
    if let Some(e) = body.get("x-amazon-apigateway-endpoint-configuration") {
        at.map(
            e,
            "DefinitionBody.x-amazon-apigateway-endpoint-configuration",
        );
    }
    if let Some(servers) = body.get("servers").and_then(Node::as_list) {
        for (i, s) in servers.iter().enumerate() {
            if let Some(e) = s.get("x-amazon-apigateway-endpoint-configuration") {
                at.map(
                    e,
                    &format!(
                        "DefinitionBody.servers[{i}].x-amazon-apigateway-endpoint-configuration"
                    ),
                );
            }
        }
    }
}

fn paths_of(at: At<'_>, paths: &Node, operations: bool, flavor: Flavor) {
    let Some(list) = at.map(paths, "DefinitionBody.paths") else {
        return;
    };
    for p in list {
        let name = format!("DefinitionBody.paths.{}", p.key);
        if is_intrinsic(&p.value) {
            continue;
        }
        let Some(ops) = p.value.as_map() else {
            at.error(
                &p.value.origin,
                format!("`{name}` must be a map of operations (a path item)"),
            );
            continue;
        };
        for op in ops {
            if NOT_OPERATIONS.contains(&op.key.as_str()) || is_intrinsic(&op.value) {
                continue;
            }
            let op_name = format!("{name}.{}", op.key);
            let method = op.key.to_ascii_lowercase();
            // SAM reads `any` as the any-method of a REST API, not of an HTTP API.
            let known =
                METHODS.contains(&method.as_str()) || (flavor == Flavor::Rest && method == "any");
            if operations && !known {
                at.error(
                    &op.key_origin,
                    format!("`{op_name}` is not an operation SAM can add authorization to (use an HTTP method or `x-amazon-apigateway-any-method`)"),
                );
                continue;
            }
            if !matches!(op.value.kind, NodeKind::Map(_)) {
                if operations || !matches!(op.value.kind, NodeKind::Null) {
                    at.error(
                        &op.value.origin,
                        format!("`{op_name}` must be a map (an operation)"),
                    );
                }
                continue;
            }
            if let Some(s) = op.value.get("security") {
                security(at, s, &format!("{op_name}.security"));
            }
            if let Some(r) = op.value.get("responses")
                && let Some(responses) = at.map(r, &format!("{op_name}.responses"))
            {
                for resp in responses {
                    if let Some(h) = resp.value.get("headers") {
                        at.map(h, &format!("{op_name}.responses.{}.headers", resp.key));
                    }
                }
            }
        }
    }
}

/// `security`: a list of requirement maps (a single map is tolerated).
fn security(at: At<'_>, s: &Node, name: &str) {
    let items = match &s.kind {
        NodeKind::List(items) => items,
        NodeKind::Map(_) => return,
        _ => {
            at.error(
                &s.origin,
                format!("`{name}` must be a list of security requirements"),
            );
            return;
        }
    };
    for (i, item) in items.iter().enumerate() {
        if !matches!(item.kind, NodeKind::Map(_)) || is_intrinsic(item) {
            at.error(
                &item.origin,
                format!("`{name}[{i}]` must be a map of security scheme names to scopes"),
            );
        }
    }
}
