//! `AWS::Serverless::GraphQLApi`: authentication, schema, logging, functions and resolvers.

use super::At;
use super::shape::{entries, is_intrinsic, present};
use lambdasec_model::Node;

const AUTH_TYPES: &[&str] = &[
    "AMAZON_COGNITO_USER_POOLS",
    "API_KEY",
    "AWS_IAM",
    "AWS_LAMBDA",
    "OPENID_CONNECT",
];

/// One authentication configuration: a type and the settings it needs (only those).
fn auth_config(at: At<'_>, a: &Node, name: &str) -> bool {
    let Some(t) = a.get("Type").and_then(Node::as_str) else {
        at.error(&a.origin, format!("`{name}.Type` is required"));
        return false;
    };
    if !AUTH_TYPES.contains(&t) {
        at.error(
            &a.origin,
            format!(
                "`{name}.Type` `{t}` is not one of {}",
                AUTH_TYPES.join(", ")
            ),
        );
        return false;
    }
    let settings = ["LambdaAuthorizer", "OpenIDConnect", "UserPool"];
    let given: Vec<&str> = settings
        .iter()
        .copied()
        .filter(|k| present(a.get(k)))
        .collect();
    if given.len() > 1 {
        at.error(
            &a.origin,
            format!(
                "`{name}` has more than one authentication configuration ({})",
                given.join(", ")
            ),
        );
        return false;
    }
    let needed = match t {
        "AWS_LAMBDA" => Some("LambdaAuthorizer"),
        "OPENID_CONNECT" => Some("OpenIDConnect"),
        "AMAZON_COGNITO_USER_POOLS" => Some("UserPool"),
        _ => None,
    };
    if let Some(k) = needed
        && !given.contains(&k)
    {
        at.error(
            &a.origin,
            format!("`{name}.{k}` must be defined when `Type` is {t}"),
        );
        return false;
    }
    true
}

pub(crate) fn check(at: At<'_>, props: &Node) {
    match props.get("Auth") {
        None => at.error(&props.origin, "`Auth` is required"),
        Some(a) if entries(a).is_some() => {
            auth_config(at, a, "Auth");
            if let Some(add) = a.get("Additional") {
                match add.as_list() {
                    Some(items) => {
                        for (i, item) in items.iter().enumerate() {
                            if entries(item).is_some() {
                                auth_config(at, item, &format!("Auth.Additional[{i}]"));
                            }
                        }
                    }
                    None if !is_intrinsic(add) => {
                        at.error(
                            &add.origin,
                            "`Auth.Additional` must be a list of authentication configurations",
                        );
                    }
                    None => {}
                }
            }
        }
        Some(_) => {}
    }
    match (props.get("SchemaInline"), props.get("SchemaUri")) {
        (Some(s), Some(_)) => at.error(&s.origin, "set `SchemaInline` or `SchemaUri`, not both"),
        (None, None) => at.error(
            &props.origin,
            "one of `SchemaInline` and `SchemaUri` is required",
        ),
        _ => {}
    }
    if let Some(l) = props.get("Logging")
        && let Some(keys) = entries(l)
    {
        at.known_keys(
            keys,
            "Logging",
            &[
                "CloudWatchLogsRoleArn",
                "ExcludeVerboseContent",
                "FieldLogLevel",
            ],
        );
    }
    let sources: Vec<String> = props
        .get("DataSources")
        .and_then(entries)
        .unwrap_or_default()
        .iter()
        .flat_map(|kind| {
            kind.value
                .as_map()
                .unwrap_or_default()
                .iter()
                .map(|d| d.key.clone())
        })
        .collect();
    let functions = props.get("Functions").and_then(entries).unwrap_or_default();
    for f in functions {
        let name = format!("Functions.{}", f.key);
        let Some(keys) = at.map(&f.value, &name) else {
            continue;
        };
        if f.value.get("Id").is_some() {
            if keys.len() > 1 {
                at.error(&f.value.origin, format!("`{name}` takes `Id` alone (an existing function), or the settings of a new one"));
            }
            continue;
        }
        match f.value.get("DataSource") {
            None => at.error(&f.value.origin, format!("`{name}.DataSource` is required")),
            Some(d) => {
                if let Some(s) = d.as_str()
                    && !s.eq_ignore_ascii_case("NONE")
                    && !sources.iter().any(|x| x == s)
                {
                    at.error(
                        &d.origin,
                        format!("`{name}.DataSource` `{s}` is not in `DataSources` (use an intrinsic function for a data source outside this API)"),
                    );
                }
            }
        }
        code(at, &f.value, &name, true);
    }
    for (type_name, fields) in props
        .get("Resolvers")
        .and_then(entries)
        .unwrap_or_default()
        .iter()
        .filter_map(|t| Some((&t.key, entries(&t.value)?)))
    {
        for r in fields {
            let name = format!("Resolvers.{type_name}.{}", r.key);
            if at.map(&r.value, &name).is_none() {
                continue;
            }
            match r.value.get("Pipeline").and_then(Node::as_list) {
                None => at.error(
                    &r.value.origin,
                    format!("`{name}` needs a `Pipeline` (unit resolvers are not supported)"),
                ),
                Some(items) => {
                    for i in items {
                        if let Some(f) = i.as_str()
                            && !functions.iter().any(|x| x.key == f)
                        {
                            at.error(&i.origin, format!("`{name}.Pipeline` names `{f}`, which is not one of the API's `Functions`"));
                        }
                    }
                }
            }
            code(at, &r.value, &name, false);
        }
    }
}

/// Code of a function (required) or resolver (optional): `InlineCode` or `CodeUri`, with a
/// `Runtime`.
fn code(at: At<'_>, n: &Node, name: &str, required: bool) {
    let inline = present(n.get("InlineCode"));
    let uri = present(n.get("CodeUri"));
    if inline && uri {
        at.error(
            &n.origin,
            format!("`{name}` cannot set both `InlineCode` and `CodeUri`"),
        );
    } else if !inline && !uri && required {
        at.error(
            &n.origin,
            format!("`{name}` needs `InlineCode` or `CodeUri`"),
        );
    }
    if (inline || uri || required) && !present(n.get("Runtime")) {
        at.error(&n.origin, format!("`{name}.Runtime` is required"));
    }
}
