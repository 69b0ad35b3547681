//! `AWS::Serverless::WebSocketApi`: routes (special `$` routes and named ones), each with its
//! function, and the `$connect` authorization.

use super::At;
use super::domain::{self, Kind};
use super::shape::{entries, is_intrinsic, present};
use lambdasec_model::Node;

const SPECIAL: &[&str] = &["$connect", "$disconnect", "$default"];

pub(crate) fn check(at: At<'_>, props: &Node) {
    for k in ["Routes", "RouteSelectionExpression"] {
        if !present(props.get(k)) {
            at.error(&props.origin, format!("`{k}` is required"));
        }
    }
    let routes = props.get("Routes").and_then(entries).unwrap_or_default();
    if let Some(r) = props.get("Routes")
        && entries(r).is_some_and(<[_]>::is_empty)
    {
        at.error(&r.origin, "a WebSocket API needs at least one route");
    }
    for r in routes {
        let key = r.key.as_str();
        let named = !key.starts_with('$')
            && !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !SPECIAL.contains(&key) && !named {
            at.error(
                &r.key_origin,
                format!("route key `{key}` must be alphanumeric, or one of $connect, $disconnect, $default"),
            );
        }
        if is_intrinsic(&r.value) {
            continue;
        }
        let Some(_) = at.map(&r.value, &format!("Routes.{key}")) else {
            continue;
        };
        if !present(r.value.get("FunctionArn")) {
            at.error(
                &r.value.origin,
                format!("route `{key}` needs the `FunctionArn` it invokes"),
            );
        }
        if key != "$connect"
            && let Some(p) = r.value.get("RequestParameters")
        {
            at.error(
                &p.origin,
                "request parameters are supported only on the `$connect` route",
            );
        }
    }
    if let Some(a) = props.get("Auth") {
        auth(at, a, routes.iter().any(|r| r.key == "$connect"));
    }
    if let Some(s) = props.get("StageName")
        && s.as_str() == Some("$default")
    {
        at.error(
            &s.origin,
            "a WebSocket API stage cannot be named `$default`",
        );
    }
    if let Some(i) = props.get("IpAddressType")
        && let Some(s) = i.as_str()
        && s != "ipv4"
        && s != "dualstack"
    {
        at.error(&i.origin, "`IpAddressType` must be `ipv4` or `dualstack`");
    }
    if let Some(d) = props.get("Domain") {
        domain::check(at, d, Kind::WebSocket);
    }
}

/// `Auth` of the `$connect` route: `AuthType` NONE, AWS_IAM, or CUSTOM with an `AuthArn`.
fn auth(at: At<'_>, a: &Node, has_connect: bool) {
    let Some(keys) = at.map(a, "Auth") else {
        return;
    };
    if !has_connect {
        at.error(&a.origin, "`Auth` needs a `$connect` route to authorize");
    }
    let others: Vec<&str> = keys
        .iter()
        .map(|e| e.key.as_str())
        .filter(|k| *k != "AuthType")
        .collect();
    match a.get("AuthType").and_then(Node::as_str) {
        None => {
            if !others.is_empty() {
                at.error(
                    &a.origin,
                    "`Auth.AuthType` must be set for other `Auth` settings",
                );
            }
        }
        Some(t) => match t.to_ascii_uppercase().as_str() {
            "CUSTOM" => {
                if !present(a.get("AuthArn")) {
                    at.error(
                        &a.origin,
                        "`Auth.AuthArn` is required when `AuthType` is CUSTOM",
                    );
                }
            }
            kind @ ("NONE" | "AWS_IAM") => {
                if !others.is_empty() {
                    at.error(
                        &a.origin,
                        format!(
                            "`AuthType` {kind} takes no other settings (found {})",
                            others.join(", ")
                        ),
                    );
                }
            }
            _ => at.error(&a.origin, "`Auth.AuthType` must be AWS_IAM, CUSTOM or NONE"),
        },
    }
}
