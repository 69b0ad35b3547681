//! API Gateway REST (`aws_api_gateway_*`) and HTTP/WebSocket (`aws_apigatewayv2_*`) APIs.
//!
//! REST methods become routes once the resource tree is known (paths are built from
//! `aws_api_gateway_resource` parents), with the function of their Lambda integration; HTTP
//! routes find their function through `target = "integrations/${aws_apigatewayv2_integration.x.id}"`.
//! A quick-create HTTP API (`target` on the API) gets the `$default` route and stage AWS
//! creates with it.

use super::{Res, find_mut, uri_function};
use crate::terraform::body::{Cx, Obj};
use lambdasec_model::{
    Api, ApiKind, Authorizer, Inventory, ResourceKind, Route, Stage, Target, Value,
};

pub(super) fn primary(_cx: &Cx<'_>, r: &Res<'_>, inv: &mut Inventory) {
    let o = &r.obj;
    match r.rtype.as_str() {
        "aws_api_gateway_rest_api" => inv.apis.push(Api {
            meta: r.meta(ResourceKind::Api),
            kind: ApiKind::Rest,
            name: o.string("name"),
            endpoint_type: o
                .block("endpoint_configuration")
                .known()
                .and_then(|e| e.strings("types").into_iter().next()),
            disable_execute_api_endpoint: default_bool(o, "disable_execute_api_endpoint"),
            policy: o.document("policy"),
        }),
        "aws_apigatewayv2_api" => {
            let kind = match o
                .string("protocol_type")
                .as_ref()
                .and_then(Value::get)
                .map(String::as_str)
            {
                Some("WEBSOCKET") => ApiKind::WebSocket,
                _ => ApiKind::Http,
            };
            inv.apis.push(Api {
                meta: r.meta(ResourceKind::Api),
                kind,
                name: o.string("name"),
                endpoint_type: None,
                disable_execute_api_endpoint: default_bool(o, "disable_execute_api_endpoint"),
                policy: None,
            });
            if let Some(function) = o.target("target") {
                quick_create(r, function, inv);
            }
        }
        "aws_api_gateway_stage" => inv.stages.push(stage(
            r,
            "rest_api_id",
            "stage_name",
            "xray_tracing_enabled",
        )),
        "aws_apigatewayv2_stage" => inv.stages.push(stage(r, "api_id", "name", "")),
        // The deprecated `stage_name` creates a stage without settings.
        "aws_api_gateway_deployment" if o.has("stage_name") => {
            inv.stages.push(stage(r, "rest_api_id", "stage_name", ""));
        }
        "aws_api_gateway_authorizer" | "aws_apigatewayv2_authorizer" => {
            let v2 = r.rtype == "aws_apigatewayv2_authorizer";
            let (api_key, type_key) = if v2 {
                ("api_id", "authorizer_type")
            } else {
                ("rest_api_id", "type")
            };
            let identity_source = if v2 {
                o.strings("identity_sources")
            } else {
                o.string("identity_source")
                    .map(|v| match v.get() {
                        Some(s) => s
                            .split(',')
                            .map(|p| Value::explicit(p.trim().to_owned(), v.origin.clone()))
                            .collect(),
                        None => vec![v],
                    })
                    .unwrap_or_default()
            };
            inv.authorizers.push(Authorizer {
                meta: r.meta(ResourceKind::Authorizer),
                api: required(o, api_key),
                name: o.string("name"),
                kind: o.string(type_key).unwrap_or_else(|| {
                    if v2 {
                        Value::unresolved("missing `authorizer_type`", o.origin.clone())
                    } else {
                        Value::default("TOKEN".to_owned(), &o.origin)
                    }
                }),
                function: uri_function(o, "authorizer_uri"),
                identity_source,
            });
        }
        _ => {}
    }
}

fn default_bool(o: &Obj<'_>, key: &str) -> Value<bool> {
    o.bool(key)
        .unwrap_or_else(|| Value::default(false, &o.origin))
}

fn required(o: &Obj<'_>, key: &str) -> Value<Target> {
    o.target(key)
        .unwrap_or_else(|| Value::unresolved(format!("missing `{key}`"), o.origin.clone()))
}

fn stage(r: &Res<'_>, api_key: &str, name_key: &str, tracing_key: &str) -> Stage {
    let o = &r.obj;
    let logs = o.block("access_log_settings").known();
    let logging_level = o
        .block("default_route_settings")
        .known()
        .and_then(|s| s.string("logging_level"));
    Stage {
        meta: r.meta(ResourceKind::Stage),
        api: required(o, api_key),
        name: o.string(name_key).unwrap_or_else(|| {
            Value::unresolved(format!("missing `{name_key}`"), o.origin.clone())
        }),
        access_log_destination: logs.as_ref().and_then(|l| l.target("destination_arn")),
        access_log_format: logs.as_ref().and_then(|l| l.string("format")),
        tracing_enabled: if tracing_key.is_empty() {
            Value::default(false, &o.origin)
        } else {
            default_bool(o, tracing_key)
        },
        logging_level,
    }
}

/// `target` on an HTTP API: AWS creates a `$default` (or `route_key`) route integrating it and
/// a `$default` stage.
fn quick_create(r: &Res<'_>, function: Value<Target>, inv: &mut Inventory) {
    let o = &r.obj;
    let api = Value::explicit(Target::Local(r.address.clone()), o.origin.implied());
    let key = o
        .string("route_key")
        .unwrap_or_else(|| Value::default("$default".to_owned(), &o.origin));
    let (method, path) = split_route_key(&key);
    let mut meta = r.meta(ResourceKind::Route);
    meta.id = format!("{}.route", r.address);
    meta.synthesized = true;
    inv.routes.push(Route {
        meta,
        api: api.clone(),
        method,
        path,
        authorization_type: Value::default("NONE".to_owned(), &o.origin),
        authorizer: None,
        api_key_required: Value::default(false, &o.origin),
        request_validator: None,
        function: Some(function),
    });
    let mut meta = r.meta(ResourceKind::Stage);
    meta.id = format!("{}.stage", r.address);
    meta.synthesized = true;
    inv.stages.push(Stage {
        meta,
        api,
        name: Value::default("$default".to_owned(), &o.origin),
        access_log_destination: None,
        access_log_format: None,
        tracing_enabled: Value::default(false, &o.origin),
        logging_level: None,
    });
}

/// `GET /items` → (`GET`, `/items`); `$default` / `$connect` keep the key in both.
fn split_route_key(key: &Value<String>) -> (Value<String>, Value<String>) {
    match key.get().and_then(|k| k.split_once(' ')) {
        Some((m, p)) => (
            Value::explicit(m.to_owned(), key.origin.clone()),
            Value::explicit(p.to_owned(), key.origin.clone()),
        ),
        None => (key.clone(), key.clone()),
    }
}

/// Routes: REST methods with their paths and integrations, HTTP routes with their
/// integrations; method settings and REST API policies join their stage or API.
pub(super) fn link(cx: &Cx<'_>, resources: &[Res<'_>], inv: &mut Inventory) {
    for r in resources {
        let o = &r.obj;
        match r.rtype.as_str() {
            "aws_api_gateway_method" => {
                let resource = o.reference("resource_id");
                let path = match resource {
                    Some(address) => rest_path(resources, address, 0),
                    None => Value::unresolved(
                        o.string("resource_id")
                            .map_or_else(|| "missing `resource_id`".to_owned(), |v| v.to_string()),
                        o.origin_of("resource_id"),
                    ),
                };
                let method = o.string("http_method").unwrap_or_else(|| {
                    Value::unresolved("missing `http_method`", o.origin.clone())
                });
                let function = resources
                    .iter()
                    .filter(|i| i.rtype == "aws_api_gateway_integration")
                    .find(|i| {
                        let io = &i.obj;
                        resource.is_some()
                            && io.reference("resource_id") == resource
                            && io.reference("rest_api_id") == o.reference("rest_api_id")
                            && io
                                .string("http_method")
                                .and_then(|m| m.get().cloned())
                                .as_ref()
                                == method.get()
                    })
                    .and_then(|i| lambda_integration(&i.obj, "type", "uri"));
                inv.routes.push(Route {
                    meta: r.meta(ResourceKind::Route),
                    api: required(o, "rest_api_id"),
                    method,
                    path,
                    authorization_type: o.string("authorization").unwrap_or_else(|| {
                        Value::unresolved("missing `authorization`", o.origin.clone())
                    }),
                    authorizer: o.target("authorizer_id"),
                    api_key_required: default_bool(o, "api_key_required"),
                    request_validator: o.target("request_validator_id"),
                    function,
                });
            }
            "aws_apigatewayv2_route" => {
                let key = o
                    .string("route_key")
                    .unwrap_or_else(|| Value::unresolved("missing `route_key`", o.origin.clone()));
                let (method, path) = split_route_key(&key);
                let function = o
                    .string("target")
                    .and_then(|t| integration_of_target(&t, &r.module_prefix))
                    .and_then(|address| resources.iter().find(|i| i.address == address))
                    .and_then(|i| {
                        lambda_integration(&i.obj, "integration_type", "integration_uri")
                    });
                inv.routes.push(Route {
                    meta: r.meta(ResourceKind::Route),
                    api: required(o, "api_id"),
                    method,
                    path,
                    authorization_type: o
                        .string("authorization_type")
                        .unwrap_or_else(|| Value::default("NONE".to_owned(), &o.origin)),
                    authorizer: o.target("authorizer_id"),
                    api_key_required: default_bool(o, "api_key_required"),
                    request_validator: None,
                    function,
                });
            }
            "aws_api_gateway_method_settings" => {
                let all = o
                    .string("method_path")
                    .is_some_and(|p| p.get().map(String::as_str) == Some("*/*"));
                let level = o
                    .block("settings")
                    .known()
                    .and_then(|s| s.string("logging_level"));
                let (Some(api), Some(name)) = (o.target("rest_api_id"), o.string("stage_name"))
                else {
                    continue;
                };
                if !all {
                    continue;
                }
                let stage = inv.stages.iter_mut().find(|s| {
                    s.api.get() == api.get()
                        && (s.name.get() == name.get()
                            || name
                                .unresolved_expr()
                                .is_some_and(|e| e.starts_with(&s.meta.id)))
                });
                if let (Some(stage), Some(level)) = (stage, level) {
                    stage.logging_level = Some(level);
                }
            }
            "aws_api_gateway_rest_api_policy" => {
                let Some(api) = o.target("rest_api_id") else {
                    continue;
                };
                match find_mut(&mut inv.apis, &api) {
                    Some(a) => a.policy = o.document("policy"),
                    None => super::lambda::not_found(cx, r, "REST API"),
                }
            }
            _ => {}
        }
    }
}

/// The function of a Lambda (proxy) integration.
fn lambda_integration(o: &Obj<'_>, type_key: &str, uri_key: &str) -> Option<Value<Target>> {
    let kind = o.string(type_key)?;
    match kind.get().map(String::as_str) {
        Some("AWS_PROXY" | "AWS") | None => uri_function(o, uri_key),
        Some(_) => None,
    }
}

/// `integrations/${aws_apigatewayv2_integration.x.id}` → the integration's address.
fn integration_of_target(target: &Value<String>, module_prefix: &str) -> Option<String> {
    let text = target
        .unresolved_expr()
        .map(str::to_owned)
        .or_else(|| target.get().cloned())?;
    let marker = "aws_apigatewayv2_integration.";
    let at = text.find(marker)?;
    let rest = text.get(at + marker.len()..)?;
    let name_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(rest.len());
    let name = rest.get(..name_len)?;
    let after = rest.get(name_len..).unwrap_or_default();
    let index = after
        .strip_prefix('[')
        .and_then(|a| a.split_once(']'))
        .map(|(i, _)| format!("[{i}]"))
        .unwrap_or_default();
    Some(format!("{module_prefix}{marker}{name}{index}"))
}

/// The path of a REST API resource: its parents' path parts joined; `/` for the API's root.
fn rest_path(resources: &[Res<'_>], address: &str, depth: usize) -> Value<String> {
    let Some(r) = resources.iter().find(|r| r.address == address) else {
        return Value::unresolved(
            format!("path of {address}"),
            lambdasec_model::Origin::Unknown,
        );
    };
    let origin = r.obj.origin_of("path_part");
    match r.rtype.as_str() {
        "aws_api_gateway_rest_api" => Value::explicit("/".to_owned(), r.obj.origin.clone()),
        "aws_api_gateway_resource" if depth < 64 => {
            let part = r.obj.string("path_part");
            let parent = r
                .obj
                .reference("parent_id")
                .map(|p| rest_path(resources, p, depth + 1));
            match (
                parent.as_ref().and_then(Value::get),
                part.as_ref().and_then(Value::get),
            ) {
                (Some(p), Some(part)) => {
                    let joined = if p == "/" {
                        format!("/{part}")
                    } else {
                        format!("{p}/{part}")
                    };
                    Value::explicit(joined, origin)
                }
                _ => Value::unresolved(format!("path of {}", r.address), origin),
            }
        }
        _ => Value::unresolved(format!("path of {address}"), origin),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lambdasec_model::{FileId, Origin, Span};

    #[test]
    fn integration_addresses() {
        let t = Value::unresolved(
            "integrations/${aws_apigatewayv2_integration.fn[0].id}",
            Origin::source(FileId(0), Span::default(), "x"),
        );
        assert_eq!(
            integration_of_target(&t, "module.api.").as_deref(),
            Some("module.api.aws_apigatewayv2_integration.fn[0]")
        );
        assert_eq!(t.origin.path(), Some("x"));
    }

    #[test]
    fn route_keys() {
        let k = Value::explicit("GET /items/{id}".to_owned(), Origin::Unknown);
        let (m, p) = split_route_key(&k);
        assert_eq!(m.get().map(String::as_str), Some("GET"));
        assert_eq!(p.get().map(String::as_str), Some("/items/{id}"));
        let d = Value::explicit("$default".to_owned(), Origin::Unknown);
        assert_eq!(
            split_route_key(&d).0.get().map(String::as_str),
            Some("$default")
        );
    }
}
