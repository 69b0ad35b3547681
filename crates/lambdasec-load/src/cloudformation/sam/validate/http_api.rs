//! `AWS::Serverless::HttpApi` and the `HttpApi` events that add routes to it.

use super::api::{Routes, api_props, api_reference, definition_source};
use super::auth::{self, ApiAuth};
use super::domain::{self, Kind};
use super::openapi::{self, Flavor};
use super::shape::{entries, is_intrinsic, present};
use super::{At, cors};
use lambdasec_model::{Node, NodeKind};

pub(crate) fn check(at: At<'_>, props: &Node) {
    check_api(at, props, false);
}

/// The checks of an HTTP API. `implicit`: the API SAM creates for events without `ApiId`.
pub(crate) fn check_api(at: At<'_>, props: &Node, implicit: bool) {
    let modified = implicit
        || at.ctx.event_apis.contains(at.resource)
        || [
            "Auth",
            "CorsConfiguration",
            "Tags",
            "DisableExecuteApiEndpoint",
        ]
        .iter()
        .any(|k| present(props.get(k)));
    let (_, body) = definition_source(
        at,
        props,
        &["CorsConfiguration", "Tags", "DisableExecuteApiEndpoint"],
    );
    if let Some(b) = body
        && !is_intrinsic(b)
    {
        openapi::check(
            at,
            b,
            Flavor::Http,
            modified,
            super::api::edits_operations(props),
        );
    }
    if let Some(a) = props.get("Auth") {
        auth::http(at, a);
    }
    if let Some(c) = props.get("CorsConfiguration") {
        cors::http(at, c);
    }
    if let Some(d) = props.get("Domain") {
        domain::check(at, d, Kind::Http);
    }
}

/// An `HttpApi` event: its API, its route (`$default` when no path and method), and the
/// route's authorization.
pub(crate) fn event(at: At<'_>, p: &Node, routes: &mut Routes) {
    let api_id = match p.get("ApiId") {
        Some(r) => match api_reference(at, r, "ApiId", "AWS::Serverless::HttpApi") {
            Some(id) => id.to_owned(),
            None => return,
        },
        None => "ServerlessHttpApi".to_owned(),
    };
    let path = p.get("Path");
    let method = p.get("Method");
    match (path, method) {
        (Some(_), None) => at.error(&p.origin, "`Method` is required when `Path` is set"),
        (None, Some(_)) => at.error(&p.origin, "`Path` is required when `Method` is set"),
        _ => {}
    }
    let route = match (path.and_then(Node::as_str), method.and_then(Node::as_str)) {
        (Some(pth), Some(m)) => Some((pth, m)),
        (None, None) if path.is_none() && method.is_none() => Some(("$default", "any")),
        _ => None,
    };
    if let Some((pth, m)) = route {
        let origin = method.map_or(&p.origin, |m| &m.origin);
        routes.add(at, &api_id, pth, m, origin);
    }
    if let Some(r) = p.get("RouteSettings")
        && matches!(r.kind, NodeKind::Null)
    {
        at.error(&r.origin, "`RouteSettings` should be a map, not empty");
    }
    let api = api_props(at.ctx, &api_id, "AWS::Serverless::HttpApi");
    if let Some(a) = p.get("Auth")
        && entries(a).is_some()
    {
        auth::route_authorizer(at, a, &ApiAuth::of(api.as_ref()), &api_id);
    }
}
