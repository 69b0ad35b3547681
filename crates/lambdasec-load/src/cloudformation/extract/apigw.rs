//! `AWS::ApiGateway::*` (REST) and `AWS::ApiGatewayV2::*` (HTTP, WebSocket): APIs, routes
//! (methods with their resource paths), stages, authorizers, and the functions integrations call.

use super::{Decl, Pending};
use crate::cloudformation::intrinsics::local_ref;
use crate::cloudformation::props::Props;
use crate::cloudformation::template::Template;
use lambdasec_model::{
    Api, ApiKind, Authorizer, Inventory, Meta, Node, NodeKind, ResourceKind, Route, Stage, Target,
    Value,
};

/// The resource id a reference names inside an expression's text, after `marker`:
/// `.../functions/${Fn.Arn}/invocations`, `!Join [.., [.., !GetAtt Fn.Arn, ..]]`,
/// `integrations/${Integration}`.
pub(crate) fn id_after<'s>(text: &'s str, marker: &str) -> Option<&'s str> {
    let start = text.find(marker)? + marker.len();
    let rest = text.get(start..)?;
    let ident = |s: &'s str| -> Option<&'s str> {
        let s = s.trim_start_matches(|c: char| !c.is_ascii_alphanumeric());
        let end = s
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(s.len());
        s.get(..end).filter(|id| !id.is_empty())
    };
    if let Some(inner) = rest.strip_prefix("${") {
        return ident(inner);
    }
    // Long or short forms in a `Fn::Join` list: the first reference after the marker.
    let at = ["GetAtt", "Ref"]
        .iter()
        .filter_map(|k| rest.find(k).map(|i| (i, k.len())))
        .min()?;
    let gap = rest.get(..at.0)?;
    // The reference must come next in the list, not after further literal text.
    if gap
        .replace("Fn::", "")
        .chars()
        .any(|c| c.is_ascii_alphanumeric())
    {
        return None;
    }
    ident(rest.get(at.0 + at.1..)?)
}

/// The resource whose name fills the name part of a function ARN written out in an expression:
/// `arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:${Fn}` (`Ref` of a function is its
/// name), or `':function:', !Ref Fn` in a `Fn::Join` list. Not a pseudo parameter
/// (`${AWS::StackName}`), nor a reference that is only part of the name (`${Fn}-live`).
fn named_function(text: &str) -> Option<&str> {
    let id = id_after(text, ":function:")?;
    if id == "AWS" {
        return None;
    }
    let sub = format!(":function:${{{id}}}");
    match text.find(&sub) {
        Some(at) => {
            let next = text.get(at + sub.len()..)?.chars().next();
            matches!(next, None | Some('/' | ':' | '"' | '\'' | ' ' | '\n')).then_some(id)
        }
        // The `Fn::Join` form: the reference is the next list element.
        None => Some(id),
    }
}

/// The function an integration (or authorizer) URI invokes: a function ARN, or an API Gateway
/// invocation URI `arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<fn>/invocations`.
pub(crate) fn invoked_function(t: &Template<'_>, n: &Node) -> Option<Value<Target>> {
    let o = n.origin.clone();
    if let Some((id, _)) = local_ref(n) {
        return Some(Value::explicit(Target::Local(id.to_owned()), o));
    }
    match &n.kind {
        NodeKind::String(s) => {
            if let Some(rest) = s.split_once("/functions/").map(|(_, r)| r) {
                let f = rest.split("/invocations").next().unwrap_or(rest);
                Some(Value::explicit(Target::from_literal(f), o))
            } else if s.starts_with("arn:") && s.contains(":function:") {
                Some(Value::explicit(Target::from_literal(s), o))
            } else {
                None
            }
        }
        NodeKind::Unresolved(text) => {
            let id = id_after(text, "functions/")
                .or_else(|| named_function(text))
                .filter(|id| t.param(id).is_none());
            match id {
                Some(id) => Some(Value::explicit(Target::Local(id.to_owned()), o)),
                None if text.contains("functions/") || text.contains(":function:") => {
                    Some(Value::unresolved(text.clone(), o))
                }
                None => None,
            }
        }
        _ => None,
    }
}

/// `AWS::ApiGateway::Resource`: remembered to build method paths.
pub(crate) fn rest_resource(t: &Template<'_>, d: &Decl<'_>, p: &mut Pending) {
    let props = d.props(t);
    let parent = props.get("ParentId").and_then(|n| match local_ref(n) {
        Some((_, Some("RootResourceId"))) => Some(None),
        Some((id, _)) => Some(Some(id.to_owned())),
        None => None,
    });
    let part = props.string("PathPart").and_then(|v| v.get().cloned());
    if let (Some(parent), Some(part)) = (parent, part) {
        p.rest_resources.insert(d.id.clone(), (parent, part));
    }
}

/// The path of a REST API resource (`/items/{id}`), when the chain of parents is known.
fn rest_path(p: &Pending, resource: &Node) -> Option<String> {
    let mut id = match local_ref(resource) {
        Some((_, Some("RootResourceId"))) => return Some("/".to_owned()),
        Some((id, _)) => id.to_owned(),
        None => return None,
    };
    let mut parts = Vec::new();
    for _ in 0..64 {
        let (parent, part) = p.rest_resources.get(&id)?;
        parts.push(part.as_str());
        match parent {
            None => {
                parts.reverse();
                return Some(format!("/{}", parts.join("/")));
            }
            Some(next) => id.clone_from(next),
        }
    }
    None
}

pub(crate) fn rest_api(t: &Template<'_>, d: &Decl<'_>) -> Api {
    let p = d.props(t);
    Api {
        meta: d.meta(t, ResourceKind::Api),
        kind: ApiKind::Rest,
        name: p.string("Name"),
        endpoint_type: p
            .block("EndpointConfiguration")
            .and_then(|e| e.strings("Types").into_iter().next()),
        disable_execute_api_endpoint: p.bool_or("DisableExecuteApiEndpoint", false),
        policy: p.document("Policy"),
    }
}

/// The routes and authorizers of an inline OpenAPI `Body`.
pub(crate) fn body(t: &Template<'_>, d: &Decl<'_>, inv: &mut Inventory) {
    let Some(body) = d.props.as_ref().and_then(|p| p.get("Body")) else {
        return;
    };
    let def = crate::cloudformation::openapi::read(
        t,
        d,
        body,
        &crate::cloudformation::openapi::Defaults::default(),
        &[],
    );
    inv.routes.extend(def.routes);
    inv.authorizers.extend(def.authorizers);
}

pub(crate) fn method(t: &Template<'_>, d: &Decl<'_>, pending: &Pending) -> Route {
    let p = d.props(t);
    let path = match p.get("ResourceId") {
        Some(n) => match rest_path(pending, n) {
            Some(path) => Value::explicit(path, n.origin.clone()),
            None => Value::unresolved(t.expr_text(n), n.origin.clone()),
        },
        None => p.missing("ResourceId"),
    };
    let integration = p.block("Integration");
    Route {
        meta: d.meta(t, ResourceKind::Route),
        api: p.required_target("RestApiId"),
        method: p.required_string("HttpMethod"),
        path,
        authorization_type: p
            .string("AuthorizationType")
            .unwrap_or_else(|| Value::default("NONE".to_owned(), &d.origin)),
        authorizer: p.target("AuthorizerId"),
        api_key_required: p.bool_or("ApiKeyRequired", false),
        request_validator: p.target("RequestValidatorId"),
        function: integration
            .and_then(|i| i.get("Uri"))
            .and_then(|u| invoked_function(t, u)),
    }
}

/// Access log settings: (destination, format).
type AccessLog = (Option<Value<Target>>, Option<Value<String>>);

fn access_log(b: Option<Props<'_>>) -> AccessLog {
    match b {
        Some(b) => (b.target("DestinationArn"), b.string("Format")),
        None => (None, None),
    }
}

/// The execution logging level for all methods (`ResourcePath: /*`, `HttpMethod: *`).
fn logging_level(p: &Props<'_>) -> Option<Value<String>> {
    let settings = p.blocks("MethodSettings");
    let all = settings.iter().find(|s| {
        s.string("ResourcePath")
            .and_then(|v| v.get().cloned())
            .as_deref()
            == Some("/*")
            && s.string("HttpMethod")
                .and_then(|v| v.get().cloned())
                .as_deref()
                == Some("*")
    });
    all.or(settings.first())
        .and_then(|s| s.string("LoggingLevel"))
        .or_else(|| p.string("LoggingLevel"))
}

pub(crate) fn stage(t: &Template<'_>, d: &Decl<'_>) -> Stage {
    let p = d.props(t);
    let (access_log_destination, access_log_format) = access_log(p.block("AccessLogSetting"));
    Stage {
        meta: d.meta(t, ResourceKind::Stage),
        api: p.required_target("RestApiId"),
        name: p.required_string("StageName"),
        access_log_destination,
        access_log_format,
        tracing_enabled: p.bool_or("TracingEnabled", false),
        logging_level: logging_level(&p),
    }
}

/// A deployment with `StageName` creates that stage, configured by `StageDescription`.
pub(crate) fn deployment_stage(t: &Template<'_>, d: &Decl<'_>) -> Option<Stage> {
    let p = d.props(t);
    let name = p.string("StageName")?;
    let desc = p.block("StageDescription");
    let (access_log_destination, access_log_format) =
        access_log(desc.and_then(|s| s.block("AccessLogSetting")));
    Some(Stage {
        meta: d.meta(t, ResourceKind::Stage),
        api: p.required_target("RestApiId"),
        name,
        access_log_destination,
        access_log_format,
        tracing_enabled: desc
            .map(|s| s.bool_or("TracingEnabled", false))
            .unwrap_or_else(|| Value::default(false, &d.origin)),
        logging_level: desc.and_then(|s| logging_level(&s)),
    })
}

/// Identity sources: a comma-separated string (REST) or a list (HTTP).
fn identity_sources(p: &Props<'_>) -> Vec<Value<String>> {
    p.strings("IdentitySource")
        .into_iter()
        .flat_map(|v| match v.get() {
            Some(s) if s.contains(',') => s
                .split(',')
                .map(|part| Value::explicit(part.trim().to_owned(), v.origin.clone()))
                .collect(),
            _ => vec![v],
        })
        .collect()
}

pub(crate) fn authorizer(t: &Template<'_>, d: &Decl<'_>) -> Authorizer {
    let p = d.props(t);
    Authorizer {
        meta: d.meta(t, ResourceKind::Authorizer),
        api: p.required_target("RestApiId"),
        name: p.string("Name"),
        kind: p.required_string("Type"),
        function: p.get("AuthorizerUri").and_then(|u| invoked_function(t, u)),
        identity_source: identity_sources(&p),
    }
}

/// `AWS::ApiGatewayV2::Integration`: remembered for the routes that target it.
pub(crate) fn integration(t: &Template<'_>, d: &Decl<'_>, p: &mut Pending) {
    let props = d.props(t);
    let function = props
        .get("IntegrationUri")
        .and_then(|u| invoked_function(t, u));
    p.integrations.insert(d.id.clone(), function);
}

/// `AWS::ApiGatewayV2::Api`, with the route and stage that quick create (`Target`) makes.
pub(crate) fn http_api(t: &Template<'_>, d: &Decl<'_>, inv: &mut Inventory) {
    let p = d.props(t);
    let kind = match p
        .string("ProtocolType")
        .and_then(|v| v.get().cloned())
        .as_deref()
    {
        Some("WEBSOCKET") => ApiKind::WebSocket,
        _ => ApiKind::Http,
    };
    let meta = d.meta(t, ResourceKind::Api);
    if let Some(target) = p.get("Target") {
        let api = Value::explicit(Target::Local(d.id.clone()), d.origin.implied());
        let key = p
            .string("RouteKey")
            .unwrap_or_else(|| Value::default("$default".to_owned(), &d.origin));
        let (method, path) = split_route_key(&key);
        let mut route_meta = Meta::new(
            format!("{}DefaultRoute", d.id),
            ResourceKind::Route,
            target.origin.clone(),
        );
        route_meta.synthesized = true;
        route_meta.suppressions.clone_from(&meta.suppressions);
        inv.routes.push(Route {
            meta: route_meta,
            api: api.clone(),
            method,
            path,
            authorization_type: Value::default("NONE".to_owned(), &d.origin),
            authorizer: None,
            api_key_required: Value::default(false, &d.origin),
            request_validator: None,
            function: invoked_function(t, target),
        });
        let mut stage_meta = Meta::new(
            format!("{}DefaultStage", d.id),
            ResourceKind::Stage,
            d.origin.implied(),
        );
        stage_meta.synthesized = true;
        stage_meta.suppressions.clone_from(&meta.suppressions);
        inv.stages.push(Stage {
            meta: stage_meta,
            api,
            name: Value::default("$default".to_owned(), &d.origin),
            access_log_destination: None,
            access_log_format: None,
            tracing_enabled: Value::default(false, &d.origin),
            logging_level: None,
        });
    }
    inv.apis.push(Api {
        meta,
        kind,
        name: p.string("Name"),
        endpoint_type: None,
        disable_execute_api_endpoint: p.bool_or("DisableExecuteApiEndpoint", false),
        policy: None,
    });
}

/// `GET /items/{id}` → (`GET`, `/items/{id}`); `$default`, `$connect` keep the key in both.
fn split_route_key(key: &Value<String>) -> (Value<String>, Value<String>) {
    match key.get().and_then(|k| k.split_once(' ')) {
        Some((m, path)) => (
            Value {
                state: with_text(&key.state, m.trim()),
                origin: key.origin.clone(),
            },
            Value {
                state: with_text(&key.state, path.trim()),
                origin: key.origin.clone(),
            },
        ),
        None => (key.clone(), key.clone()),
    }
}

fn with_text(state: &lambdasec_model::State<String>, s: &str) -> lambdasec_model::State<String> {
    use lambdasec_model::State;
    match state {
        State::Explicit(_) => State::Explicit(s.to_owned()),
        State::Default(_) => State::Default(s.to_owned()),
        State::Unresolved(e) => State::Unresolved(e.clone()),
    }
}

pub(crate) fn route(t: &Template<'_>, d: &Decl<'_>, pending: &Pending) -> Route {
    let p = d.props(t);
    let key = p.required_string("RouteKey");
    let (method, path) = split_route_key(&key);
    let integration = p.get("Target").and_then(|n| match &n.kind {
        NodeKind::String(s) => s.strip_prefix("integrations/").map(str::to_owned),
        NodeKind::Unresolved(text) => id_after(text, "integrations").map(str::to_owned),
        _ => None,
    });
    let function = integration.and_then(|id| pending.integrations.get(&id).cloned().flatten());
    Route {
        meta: d.meta(t, ResourceKind::Route),
        api: p.required_target("ApiId"),
        method,
        path,
        authorization_type: p
            .string("AuthorizationType")
            .unwrap_or_else(|| Value::default("NONE".to_owned(), &d.origin)),
        authorizer: p.target("AuthorizerId"),
        api_key_required: p.bool_or("ApiKeyRequired", false),
        request_validator: None,
        function,
    }
}

pub(crate) fn http_stage(t: &Template<'_>, d: &Decl<'_>) -> Stage {
    let p = d.props(t);
    let (access_log_destination, access_log_format) = access_log(p.block("AccessLogSettings"));
    Stage {
        meta: d.meta(t, ResourceKind::Stage),
        api: p.required_target("ApiId"),
        name: p.required_string("StageName"),
        access_log_destination,
        access_log_format,
        tracing_enabled: Value::default(false, &d.origin),
        logging_level: p
            .block("DefaultRouteSettings")
            .and_then(|s| s.string("LoggingLevel")),
    }
}

pub(crate) fn http_authorizer(t: &Template<'_>, d: &Decl<'_>) -> Authorizer {
    let p = d.props(t);
    Authorizer {
        meta: d.meta(t, ResourceKind::Authorizer),
        api: p.required_target("ApiId"),
        name: p.string("Name"),
        kind: p.required_string("AuthorizerType"),
        function: p.get("AuthorizerUri").and_then(|u| invoked_function(t, u)),
        identity_source: identity_sources(&p),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_in_expression_text() {
        assert_eq!(
            id_after(
                "!Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations",
                "functions/"
            ),
            Some("Fn")
        );
        assert_eq!(
            id_after(
                "!Join ['', ['arn:aws:apigateway:', !Ref 'AWS::Region', ':lambda:path/2015-03-31/functions/', !GetAtt 'Handler.Arn', '/invocations']]",
                "functions/"
            ),
            Some("Handler")
        );
        assert_eq!(
            id_after(
                r#"{"Fn::Join": ["", ["arn:aws:apigateway:", {"Ref": "AWS::Region"}, ":lambda:path/2015-03-31/functions/", {"Fn::GetAtt": ["Fn", "Arn"]}, "/invocations"]]}"#,
                "functions/"
            ),
            Some("Fn")
        );
        assert_eq!(
            id_after("!Join [/, [integrations, !Ref Int]]", "integrations"),
            Some("Int")
        );
        assert_eq!(
            id_after("!Sub integrations/${Int}", "integrations/"),
            Some("Int")
        );
        assert_eq!(
            id_after("functions/literal/invocations", "functions/"),
            None
        );
    }

    #[test]
    fn function_names_in_written_out_arns() {
        let uri = |f: &str| {
            format!(
                "!Sub arn:aws:apigateway:${{AWS::Region}}:lambda:path/2015-03-31/functions/arn:aws:lambda:${{AWS::Region}}:${{AWS::AccountId}}:function:{f}/invocations"
            )
        };
        assert_eq!(named_function(&uri("${Handler}")), Some("Handler"));
        assert_eq!(
            named_function(
                "!Sub arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:${Handler}:live"
            ),
            Some("Handler")
        );
        assert_eq!(
            named_function(
                "!Join ['', ['arn:aws:lambda:', !Ref 'AWS::Region', ':', !Ref 'AWS::AccountId', ':function:', !Ref Handler]]"
            ),
            Some("Handler")
        );
        // Part of the name, or a pseudo parameter: not a resource's name.
        assert_eq!(named_function(&uri("${Handler}-live")), None);
        assert_eq!(named_function(&uri("${AWS::StackName}")), None);
        assert_eq!(named_function(&uri("literal")), None);
    }
}
