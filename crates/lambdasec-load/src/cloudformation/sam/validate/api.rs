//! `AWS::Serverless::Api` (REST APIs) and the `Api` events that add routes to them.

use super::auth::{self, ApiAuth};
use super::domain::{self, Kind};
use super::openapi::{self, Flavor};
use super::shape::{entries, is_intrinsic, present};
use super::{At, Ctx, cors};
use lambdasec_model::{Node, NodeKind};
use std::collections::HashMap;

pub(crate) const IMPLICIT_REST: &str = "ServerlessRestApi";
pub(crate) const IMPLICIT_HTTP: &str = "ServerlessHttpApi";

/// The routes events add, to find a method defined twice on a path.
#[derive(Debug, Default)]
pub(crate) struct Routes {
    seen: HashMap<(String, String, String), String>,
}

impl Routes {
    /// Record a route; report it when another event already added it.
    pub(crate) fn add(
        &mut self,
        at: At<'_>,
        api: &str,
        path: &str,
        method: &str,
        origin: &lambdasec_model::Origin,
    ) {
        let method = match method.to_ascii_lowercase().as_str() {
            "any" | "*" | "x-amazon-apigateway-any-method" => "any".to_owned(),
            m => m.to_owned(),
        };
        let owner = format!("event `{}` of `{}`", at.event.unwrap_or(""), at.resource);
        let key = (api.to_owned(), path.to_owned(), method.clone());
        if let Some(first) = self.seen.get(&key) {
            at.error(
                origin,
                format!("method `{method}` is defined more than once for path `{path}` of API `{api}` (also by {first})"),
            );
        } else {
            self.seen.insert(key, owner);
        }
    }
}

/// The properties of an API as SAM sees them: `Globals` merged; for the implicit API SAM
/// creates, the `Globals` alone.
pub(crate) fn api_props(ctx: &Ctx<'_>, id: &str, sam_type: &str) -> Option<Node> {
    let global = crate::cloudformation::sam::globals::section(ctx.root, sam_type)
        .filter(|g| matches!(g.kind, NodeKind::Map(_)));
    match (ctx.props_of(id), global) {
        (Some(p), Some(g)) => Some(crate::cloudformation::sam::globals::merge(g, Some(p))),
        (Some(p), None) => Some(p.clone()),
        (None, g) if ctx.type_of(id).is_none() => g.cloned(),
        (None, Some(g)) => Some(g.clone()),
        (None, None) => None,
    }
}

/// An API's definition source, `DefinitionUri` or `DefinitionBody` (null counts as absent):
/// not both, the URI's shape, and the properties (`needs_body`) SAM can only apply to an inline
/// body. Shared by REST and HTTP APIs.
pub(crate) fn definition_source<'n>(
    at: At<'_>,
    props: &'n Node,
    needs_body: &[&str],
) -> (Option<&'n Node>, Option<&'n Node>) {
    let uri = props
        .get("DefinitionUri")
        .filter(|n| !matches!(n.kind, NodeKind::Null));
    let body = props
        .get("DefinitionBody")
        .filter(|n| !matches!(n.kind, NodeKind::Null));
    if let (Some(_), Some(b)) = (uri, body) {
        at.error(
            &b.origin,
            "set `DefinitionUri` or `DefinitionBody`, not both",
        );
    }
    if let Some(u) = uri {
        super::function::code_uri(at, u, "DefinitionUri");
        for k in needs_body {
            if let Some(n) = props.get(k).filter(|n| !matches!(n.kind, NodeKind::Null)) {
                at.error(
                    &n.origin,
                    format!(
                        "`{k}` works only with an inline `DefinitionBody`, not with `DefinitionUri`"
                    ),
                );
            }
        }
    }
    (uri, body)
}

/// `DefinitionUri` and the properties that need an inline body instead.
fn definition(
    at: At<'_>,
    props: &Node,
    needs_body: &[&str],
    flavor: Flavor,
    modified: bool,
    operations: bool,
) {
    let (uri, body) = definition_source(at, props, needs_body);
    if uri.is_some()
        && let Some(m) = props.get("MergeDefinitions")
        && m.as_bool() == Some(true)
    {
        at.error(
            &m.origin,
            "`MergeDefinitions` cannot be true with `DefinitionUri`",
        );
    }
    if let Some(b) = body {
        if is_intrinsic(b) {
            if let Some(d) = props.get("DisableExecuteApiEndpoint") {
                at.error(
                    &d.origin,
                    "`DisableExecuteApiEndpoint` needs the OpenAPI definition written in `DefinitionBody`, not produced by an intrinsic function",
                );
            }
        } else {
            openapi::check(at, b, flavor, modified, operations);
        }
    }
}

/// The checks of a REST API. `implicit`: the API SAM creates for events without `RestApiId`.
pub(crate) fn check_api(at: At<'_>, props: &Node, implicit: bool) {
    if !implicit {
        match props.get("StageName") {
            None => at.error(&props.origin, "`StageName` is required"),
            Some(s) => {
                if at.ctx.eval(s).and_then(|v| v.as_str().map(str::is_empty)) == Some(true) {
                    at.error(&s.origin, "`StageName` cannot be empty");
                }
            }
        }
    }
    let modified = at.ctx.event_apis.contains(at.resource)
        || implicit
        || ["Auth", "Cors", "Models", "GatewayResponses"]
            .iter()
            .any(|k| present(props.get(k)));
    // With `MergeDefinitions`, SAM merges its additions instead of editing the paths.
    let merge = props.get("MergeDefinitions").and_then(Node::as_bool) == Some(true);
    definition(
        at,
        props,
        &["Auth", "Cors", "Models", "DisableExecuteApiEndpoint"],
        Flavor::Rest,
        modified && !merge,
        edits_operations(props),
    );
    if let Some(a) = props.get("Auth") {
        auth::rest(at, a);
    }
    if let Some(c) = props.get("Cors") {
        cors::rest(at, c);
    }
    if let Some(m) = props.get("Models")
        && let Some(models) = entries(m)
    {
        for model in models {
            if !matches!(model.value.kind, NodeKind::Map(_)) {
                at.error(
                    &model.value.origin,
                    format!("`Models.{}` must be a map (a JSON schema)", model.key),
                );
            }
        }
    }
    if let Some(g) = props.get("GatewayResponses") {
        gateway_responses(at, g);
    }
    if let Some(v) = props.get("OpenApiVersion")
        && let Some(s) = match &v.kind {
            NodeKind::String(s) => Some(s.as_str()),
            // YAML reads `3.0` as a number; SAM takes it as the version text.
            NodeKind::Number(n) if n.contains('.') => Some(n.as_str()),
            NodeKind::Number(_) | NodeKind::Bool(_) | NodeKind::List(_) => {
                at.error(
                    &v.origin,
                    "`OpenApiVersion` should be a string (like `3.0.1`)",
                );
                None
            }
            _ => None,
        }
    {
        let valid = s == "2.0" || {
            let mut parts = s.split('.');
            parts.next() == Some("3")
                && parts.clone().count() <= 2
                && parts.all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        };
        if !valid {
            at.error(
                &v.origin,
                format!("`OpenApiVersion` `{s}` must be `2.0` or of the form `3.0.0`"),
            );
        }
    }
    if let Some(e) = props.get("EndpointConfiguration")
        && entries(e).is_some()
        && e.get("VPCEndpointIds").is_some()
        && e.get("VpcEndpointIds").is_some()
    {
        at.error(
            &e.origin,
            "`EndpointConfiguration` takes `VPCEndpointIds` or `VpcEndpointIds`, not both",
        );
    }
    if let Some(d) = props.get("Domain") {
        domain::check(at, d, Kind::Rest);
    }
}

pub(crate) fn check(at: At<'_>, props: &Node) {
    check_api(at, props, false);
}

/// True when SAM edits every operation of the body: a default authorizer, API keys or CORS.
pub(crate) fn edits_operations(props: &Node) -> bool {
    let auth = props.get("Auth");
    auth.is_some_and(|a| present(a.get("DefaultAuthorizer")) || present(a.get("ApiKeyRequired")))
        || present(props.get("Cors"))
        || present(props.get("CorsConfiguration"))
}

/// `GatewayResponses`: a map of response types to `{StatusCode, ResponseParameters,
/// ResponseTemplates}`, written as values.
fn gateway_responses(at: At<'_>, g: &Node) {
    let Some(list) = entries(g) else {
        return;
    };
    for r in list {
        let name = format!("GatewayResponses.{}", r.key);
        if is_intrinsic(&r.value) {
            at.error(
                &r.value.origin,
                format!("`{name}` cannot be an intrinsic function"),
            );
            continue;
        }
        let Some(keys) = r.value.as_map() else {
            at.error(
                &r.value.origin,
                format!("`{name}` must be a map (a gateway response)"),
            );
            continue;
        };
        at.known_keys(
            keys,
            &name,
            &["ResponseParameters", "ResponseTemplates", "StatusCode"],
        );
        if let Some(s) = r.value.get("StatusCode") {
            let numeric = match &s.kind {
                NodeKind::Number(_) => true,
                NodeKind::String(t) => !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()),
                _ => is_intrinsic(s),
            };
            if !numeric {
                at.error(&s.origin, format!("`{name}.StatusCode` must be numeric"));
            }
        }
        if let Some(p) = r.value.get("ResponseParameters")
            && let Some(params) = at.map(p, &format!("{name}.ResponseParameters"))
        {
            at.known_keys(
                params,
                &format!("{name}.ResponseParameters"),
                &["Headers", "Paths", "QueryStrings"],
            );
            for e in params {
                at.map(&e.value, &format!("{name}.ResponseParameters.{}", e.key));
            }
        }
    }
}

/// The API an event names: `!Ref Id` or the logical id written as a string.
pub(crate) fn api_reference<'n>(
    at: At<'_>,
    n: &'n Node,
    key: &str,
    sam_type: &str,
) -> Option<&'n str> {
    let id = match &n.kind {
        NodeKind::String(s) => Some(s.as_str()),
        NodeKind::Map(_) => match n.as_map() {
            Some([e]) if e.key == "Ref" => e.value.as_str(),
            _ => None,
        },
        _ => None,
    };
    let Some(id) = id else {
        at.error(
            &n.origin,
            format!(
                "`{key}` must be `!Ref` to an `{sam_type}` of the template (or its logical id)"
            ),
        );
        return None;
    };
    let ty = at.ctx.type_of(id);
    // An HTTP API event may also attach to a REST API SAM manages.
    let accepted = ty == Some(sam_type)
        || (sam_type == "AWS::Serverless::HttpApi" && ty == Some("AWS::Serverless::Api"));
    if !accepted {
        at.error(
            &n.origin,
            format!(
                "`{key}` must refer to an `{sam_type}` declared in the template; `{id}` is not one"
            ),
        );
        return None;
    }
    Some(id)
}

/// An `Api` event: the API it adds a route to, the route's authorization, request model and
/// parameters, and duplicates.
pub(crate) fn event(at: At<'_>, p: &Node, routes: &mut Routes) {
    let api_id = match p.get("RestApiId") {
        Some(r) => match api_reference(at, r, "RestApiId", "AWS::Serverless::Api") {
            Some(id) => id.to_owned(),
            None => return,
        },
        None => "ServerlessRestApi".to_owned(),
    };
    let api = api_props(at.ctx, &api_id, "AWS::Serverless::Api");
    let path = p.get("Path").and_then(Node::as_str);
    let method = p.get("Method").and_then(Node::as_str);
    if let (Some(path), Some(method), Some(m)) = (path, method, p.get("Method")) {
        routes.add(at, &api_id, path, method, &m.origin);
    }
    let api_auth = ApiAuth::of(api.as_ref());
    if let Some(a) = p.get("Auth")
        && entries(a).is_some()
    {
        auth::route_authorizer(at, a, &api_auth, &api_id);
        if let Some(k) = a.get("ApiKeyRequired")
            && k.as_bool() == Some(false)
            && !api_auth.api_key_required
        {
            at.error(
                &k.origin,
                format!("`Auth.ApiKeyRequired: false` has no effect: API `{api_id}` does not set `ApiKeyRequired`"),
            );
        }
        if a.get("OverrideApiAuth").and_then(Node::as_bool) == Some(true)
            && !["Authorizer", "ApiKeyRequired", "ResourcePolicy"]
                .iter()
                .any(|k| a.get(k).is_some())
        {
            at.error(
                &a.origin,
                "`Auth.OverrideApiAuth` needs `Authorizer`, `ApiKeyRequired` or `ResourcePolicy`",
            );
        }
        if let Some(r) = a.get("ResourcePolicy") {
            auth::resource_policy(at, r);
        }
    }
    if let Some(m) = p.get("RequestModel") {
        request_model(at, m, api.as_ref(), &api_id);
    }
    if let Some(r) = p.get("RequestParameters") {
        request_parameters(at, r);
    }
}

fn request_model(at: At<'_>, m: &Node, api: Option<&Node>, api_id: &str) {
    if entries(m).is_none() {
        return;
    }
    let Some(model) = m.get("Model") else {
        at.error(&m.origin, "`RequestModel.Model` is required");
        return;
    };
    for k in ["ValidateBody", "ValidateParameters"] {
        if let Some(v) = m.get(k)
            && !matches!(v.kind, NodeKind::Bool(_))
        {
            at.error(
                &v.origin,
                format!(
                    "`RequestModel.{k}` must be a boolean (not a string or an intrinsic function)"
                ),
            );
        }
    }
    let Some(name) = model.as_str() else {
        at.error(
            &model.origin,
            "`RequestModel.Model` must be the name of one of the API's `Models`",
        );
        return;
    };
    match api.and_then(|a| a.get("Models")) {
        None => at.error(
            &model.origin,
            format!("model `{name}` cannot be set: API `{api_id}` defines no `Models`"),
        ),
        Some(models) => match entries(models) {
            Some(list) if !list.iter().any(|e| e.key == name) => at.error(
                &model.origin,
                format!("model `{name}` is not one of the `Models` of API `{api_id}`"),
            ),
            Some(_) => {}
            None if is_intrinsic(models) => {}
            None => at.error(
                &model.origin,
                format!(
                    "model `{name}` cannot be set: the `Models` of API `{api_id}` are not a map"
                ),
            ),
        },
    }
}

/// `RequestParameters`: `method.request.{querystring,path,header}.<name>`, alone or with
/// `{Required, Caching}`.
fn request_parameters(at: At<'_>, r: &Node) {
    let Some(items) = r.as_list() else {
        return;
    };
    let valid_name = |s: &str| {
        [
            "method.request.querystring.",
            "method.request.path.",
            "method.request.header.",
        ]
        .iter()
        .any(|p| s.strip_prefix(p).is_some_and(|rest| !rest.is_empty()))
    };
    let bad_name = |origin: &lambdasec_model::Origin| {
        at.error(
            origin,
            "`RequestParameters` names must be `method.request.querystring|path|header.<name>`",
        );
    };
    for item in items {
        match &item.kind {
            NodeKind::String(s) => {
                if !valid_name(s) {
                    bad_name(&item.origin);
                }
            }
            NodeKind::Map(entries) if !is_intrinsic(item) => {
                for e in entries {
                    if !valid_name(&e.key) {
                        bad_name(&e.key_origin);
                        continue;
                    }
                    match e.value.as_map() {
                        Some(keys) => at.known_keys(keys, &format!("RequestParameters.{}", e.key), &["Caching", "Required"]),
                        None => at.error(
                            &e.value.origin,
                            "`RequestParameters` settings must be a map like `{Required: true, Caching: false}`",
                        ),
                    }
                }
            }
            _ if is_intrinsic(item) => {}
            _ => at.error(
                &item.origin,
                "`RequestParameters` items must be strings or maps",
            ),
        }
    }
}
