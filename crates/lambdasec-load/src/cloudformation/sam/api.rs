//! `AWS::Serverless::Api` and `AWS::Serverless::HttpApi` (and the implicit
//! `ServerlessRestApi` / `ServerlessHttpApi` SAM creates for events without an API): the API,
//! its stage, its authorizers and their invoke permissions. Routes come from the functions'
//! events ([`super::events`]).

use super::build::B;
use super::resource_policy;
use super::{ApiConf, Out, globals};
use crate::cloudformation::extract::Decl;
use crate::cloudformation::openapi;
use crate::cloudformation::props::{boolean, list, string, target};
use crate::cloudformation::template::Template;
use lambdasec_model::{Authorizer, Meta, Node, NodeKind, ResourceKind, Target, Value};

pub(crate) const IMPLICIT_REST: &str = "ServerlessRestApi";
pub(crate) const IMPLICIT_HTTP: &str = "ServerlessHttpApi";

/// Add the implicit APIs that events without `RestApiId` / `ApiId` attach to.
pub(crate) fn implicit_apis<'a>(t: &Template<'_>, root: &'a Node, decls: &mut Vec<Decl<'a>>) {
    let mut need: Vec<(&str, &str, lambdasec_model::Origin)> = Vec::new();
    for d in decls.iter() {
        if d.type_name != "AWS::Serverless::Function" {
            continue;
        }
        let events = d
            .props
            .as_ref()
            .and_then(|p| p.get("Events"))
            .and_then(Node::as_map)
            .unwrap_or_default();
        for e in events {
            let props = e.value.get("Properties");
            let (ty, key, id, sam_type) = match e.value.get("Type").and_then(Node::as_str) {
                Some("Api") => ("Api", "RestApiId", IMPLICIT_REST, "AWS::Serverless::Api"),
                Some("HttpApi") => (
                    "HttpApi",
                    "ApiId",
                    IMPLICIT_HTTP,
                    "AWS::Serverless::HttpApi",
                ),
                _ => continue,
            };
            let _ = ty;
            if props.and_then(|p| p.get(key)).is_none() && !need.iter().any(|n| n.0 == id) {
                need.push((id, sam_type, e.value.origin.clone()));
            }
        }
    }
    for (id, sam_type, origin) in need {
        if decls.iter().any(|d| d.id == id) {
            continue;
        }
        let b = B::new(&origin);
        let global = globals::section(root, sam_type).and_then(|g| t.eval(g));
        let mut props = global.unwrap_or_else(|| b.map(Vec::new()));
        if id == IMPLICIT_REST
            && props.get("StageName").is_none()
            && let NodeKind::Map(entries) = &mut props.kind
        {
            entries.push(lambdasec_model::Entry {
                key: "StageName".into(),
                key_origin: b.o.clone(),
                value: b.s("Prod"),
            });
        }
        decls.push(Decl {
            id: id.to_owned(),
            type_name: sam_type.to_owned(),
            origin: origin.implied(),
            props: Some(props),
            metadata: None,
            synthesized: true,
        });
    }
}

fn props<'p>(d: &'p Decl<'_>, empty: &'p Node) -> &'p Node {
    d.props.as_ref().unwrap_or(empty)
}

fn authorizer_id(api: &str, name: &str) -> String {
    openapi::authorizer_id(api, name)
}

/// Remember an API's inline OpenAPI definition (not one included from S3 or built by an
/// intrinsic function), to read its routes once the events have added theirs.
fn remember_body<'a>(d: &Decl<'a>, props: &Node, out: &mut Out<'a>) {
    if let Some(body) = props.get("DefinitionBody")
        && matches!(body.kind, NodeKind::Map(_))
        && crate::cloudformation::intrinsics::intrinsic(body).is_none()
    {
        out.bodies.push((d.clone(), body.clone()));
    }
}

/// Add the resource policy statements of `Api` events to their REST API's policy.
pub(crate) fn event_policies(out: &mut Out<'_>) {
    for (api, statement) in std::mem::take(&mut out.policy_statements) {
        let Some(d) = out
            .decls
            .iter_mut()
            .find(|d| d.id == api && d.type_name == "AWS::ApiGateway::RestApi")
        else {
            continue;
        };
        let Some(NodeKind::Map(entries)) = d.props.as_mut().map(|p| &mut p.kind) else {
            continue;
        };
        if !entries.iter().any(|e| e.key == "Policy") {
            let b = B::new(&statement.origin);
            entries.push(lambdasec_model::Entry {
                key: "Policy".into(),
                key_origin: b.o.clone(),
                value: b.map(vec![
                    ("Version", b.s("2012-10-17")),
                    ("Statement", b.list(Vec::new())),
                ]),
            });
        }
        let Some(policy) = entries.iter_mut().find(|e| e.key == "Policy") else {
            continue;
        };
        let NodeKind::Map(doc) = &mut policy.value.kind else {
            continue;
        };
        if let Some(s) = doc.iter_mut().find(|e| e.key == "Statement") {
            match &mut s.value.kind {
                NodeKind::List(items) => items.push(statement),
                _ => {
                    let first = s.value.clone();
                    s.value = Node::new(
                        NodeKind::List(vec![first, statement]),
                        s.value.origin.clone(),
                    );
                }
            }
        }
    }
}

/// The routes and authorizers of the APIs' inline definitions, under the API's `Auth`
/// defaults; operations an event of the template adds are left to the event's route.
pub(crate) fn definition_routes(t: &Template<'_>, out: &mut Out<'_>) {
    for (d, body) in std::mem::take(&mut out.bodies) {
        let conf = out.apis.get(&d.id).cloned().unwrap_or_default();
        let authorizer = conf
            .default_authorizer
            .as_ref()
            .and_then(|v| match v.get()?.as_str() {
                "NONE" => None,
                "AWS_IAM" => Some((v.clone().map(|_| "AWS_IAM".to_owned()), None)),
                name => conf.authorizers.get(name).map(|kind| {
                    (
                        v.clone().map(|_| kind.clone()),
                        Some(Value::explicit(
                            Target::Local(authorizer_id(&d.id, name)),
                            v.origin.clone(),
                        )),
                    )
                }),
            });
        let defaults = openapi::Defaults {
            authorizer,
            api_key_required: conf.api_key_required.clone(),
            authorizers: conf
                .authorizers
                .iter()
                .map(|(n, k)| (n.clone(), k.clone()))
                .collect(),
            sam: true,
        };
        let skip: Vec<(String, String)> = out
            .extras
            .routes
            .iter()
            .filter(|r| r.api.get().and_then(Target::as_local) == Some(d.id.as_str()))
            .filter_map(|r| Some((r.method.get()?.clone(), r.path.get()?.clone())))
            .collect();
        let def = openapi::read(t, &d, &body, &defaults, &skip);
        out.extras.routes.extend(def.routes);
        out.extras.authorizers.extend(def.authorizers);
    }
}

/// Authorization settings of a REST API.
pub(crate) fn conf_rest(t: &Template<'_>, d: &Decl<'_>, out: &mut Out<'_>) {
    conf(t, d, out, false);
}

/// Authorization settings of an HTTP API.
pub(crate) fn conf_http(t: &Template<'_>, d: &Decl<'_>, out: &mut Out<'_>) {
    conf(t, d, out, true);
}

fn conf(t: &Template<'_>, d: &Decl<'_>, out: &mut Out<'_>, http: bool) {
    let empty = Node::new(NodeKind::Map(Vec::new()), d.origin.implied());
    let auth = props(d, &empty).get("Auth");
    let mut c = ApiConf {
        http,
        external_definition: props(d, &empty)
            .get("DefinitionUri")
            .map(|n| t.expr_text(n)),
        ..ApiConf::default()
    };
    if let Some(auth) = auth {
        c.default_authorizer = auth.get("DefaultAuthorizer").map(|n| string(t, n));
        c.api_key_required = auth.get("ApiKeyRequired").map(|n| boolean(t, n));
        for a in auth
            .get("Authorizers")
            .and_then(Node::as_map)
            .unwrap_or_default()
        {
            let kind = if a.value.get("JwtConfiguration").is_some() {
                "JWT"
            } else if a.value.get("UserPoolArn").is_some() {
                "COGNITO_USER_POOLS"
            } else {
                "CUSTOM"
            };
            c.authorizers.insert(a.key.clone(), kind.to_owned());
        }
    }
    out.apis.insert(d.id.clone(), c);
}

/// The authorizers of a SAM API, and the permissions that let API Gateway call Lambda ones.
fn authorizers<'a>(
    t: &Template<'_>,
    d: &Decl<'a>,
    auth: Option<&Node>,
    http: bool,
    out: &mut Out<'a>,
) {
    let Some(list_) = auth
        .and_then(|a| a.get("Authorizers"))
        .and_then(Node::as_map)
    else {
        return;
    };
    for a in list_ {
        let b = B::new(&a.key_origin);
        let id = authorizer_id(&d.id, &a.key);
        let v = &a.value;
        let function = v.get("FunctionArn").map(|f| target(t, f));
        let kind = if v.get("JwtConfiguration").is_some() {
            "JWT".to_owned()
        } else if v.get("UserPoolArn").is_some() {
            "COGNITO_USER_POOLS".to_owned()
        } else if http {
            "REQUEST".to_owned()
        } else {
            match v.get("FunctionPayloadType").and_then(Node::as_str) {
                Some("REQUEST") => "REQUEST".to_owned(),
                _ => "TOKEN".to_owned(),
            }
        };
        let identity_source = match v.get("IdentitySource") {
            Some(s) => list(t, s, string),
            None => match v.get("Identity").and_then(|i| i.get("Header")) {
                Some(h) => vec![string(t, h).map(|h| format!("method.request.header.{h}"))],
                None if kind == "TOKEN" => vec![Value::default(
                    "method.request.header.Authorization".to_owned(),
                    &a.key_origin,
                )],
                None => Vec::new(),
            },
        };
        let mut meta = d.meta(t, ResourceKind::Authorizer);
        meta.id.clone_from(&id);
        meta.origin = a.key_origin.clone();
        meta.synthesized = true;
        out.extras.authorizers.push(Authorizer {
            meta,
            api: Value::explicit(Target::Local(d.id.clone()), d.origin.implied()),
            name: Some(Value::explicit(a.key.clone(), a.key_origin.clone())),
            kind: Value::default(kind, &a.key_origin),
            function: function.clone(),
            identity_source,
        });
        if let Some(f) = v.get("FunctionArn") {
            out.push(
                d,
                &format!("{id}Permission"),
                "AWS::Lambda::Permission",
                b.map(vec![
                    ("Action", b.s("lambda:InvokeFunction")),
                    ("FunctionName", f.clone()),
                    ("Principal", b.s("apigateway.amazonaws.com")),
                    (
                        "SourceArn",
                        b.sub(format!(
                            "arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{}}}/authorizers/*",
                            d.id
                        )),
                    ),
                ]),
                true,
            );
        }
    }
}

/// `AWS::Serverless::Api` → `AWS::ApiGateway::RestApi` and its stage.
pub(crate) fn rest<'a>(t: &Template<'_>, d: &Decl<'a>, out: &mut Out<'a>) {
    let empty = Node::new(NodeKind::Map(Vec::new()), d.origin.implied());
    let p = props(d, &empty);
    let b = B::new(&d.origin);
    let mut api: Vec<(&str, Node)> = Vec::new();
    if let Some(n) = p.get("Name") {
        api.push(("Name", n.clone()));
    }
    if let Some(e) = p.get("EndpointConfiguration") {
        let eb = B::new(&e.origin);
        // A string (`REGIONAL`), `{Type: ...}`, or the CloudFormation form `{Types: [...]}`.
        let types = match (e.get("Types"), e.get("Type"), &e.kind) {
            (Some(list), _, _) => Some(list.clone()),
            (None, Some(ty), _) => Some(eb.list(vec![ty.clone()])),
            (None, None, NodeKind::Map(_)) => None,
            (None, None, _) => Some(eb.list(vec![e.clone()])),
        };
        if let Some(types) = types {
            api.push(("EndpointConfiguration", eb.map(vec![("Types", types)])));
        }
    }
    if let Some(x) = p.get("DisableExecuteApiEndpoint") {
        api.push(("DisableExecuteApiEndpoint", x.clone()));
    }
    if let Some(rp) = p
        .get("Auth")
        .and_then(|a| a.get("ResourcePolicy"))
        .filter(|r| matches!(r.kind, NodeKind::Map(_)))
    {
        let statements = resource_policy::statements(rp, "execute-api:/*/*/*");
        if !statements.is_empty() {
            let rb = B::new(&rp.origin);
            api.push((
                "Policy",
                rb.map(vec![
                    ("Version", rb.s("2012-10-17")),
                    ("Statement", rb.list(statements)),
                ]),
            ));
        }
    }
    out.push(d, &d.id, "AWS::ApiGateway::RestApi", b.map(api), false);
    remember_body(d, p, out);

    let stage_name = p.get("StageName").cloned();
    let stage_text = stage_name
        .as_ref()
        .and_then(Node::as_str)
        .map(str::to_owned);
    // A missing `StageName` is reported by the validation.
    let mut stage: Vec<(&str, Node)> = vec![("RestApiId", b.reference(&d.id))];
    if let Some(s) = stage_name {
        stage.push(("StageName", s));
    }
    for k in [
        "AccessLogSetting",
        "TracingEnabled",
        "MethodSettings",
        "Variables",
    ] {
        if let Some(v) = p.get(k) {
            stage.push((k, v.clone()));
        }
    }
    let stage_id = format!("{}{}Stage", d.id, stage_text.unwrap_or_default());
    out.push(d, &stage_id, "AWS::ApiGateway::Stage", b.map(stage), true);
    authorizers(t, d, p.get("Auth"), false, out);
}

/// `AWS::Serverless::HttpApi` → `AWS::ApiGatewayV2::Api` and its stage.
pub(crate) fn http<'a>(t: &Template<'_>, d: &Decl<'a>, out: &mut Out<'a>) {
    let empty = Node::new(NodeKind::Map(Vec::new()), d.origin.implied());
    let p = props(d, &empty);
    let b = B::new(&d.origin);
    let mut api: Vec<(&str, Node)> = vec![("ProtocolType", b.s("HTTP"))];
    for k in ["Name", "DisableExecuteApiEndpoint"] {
        if let Some(v) = p.get(k) {
            api.push((k, v.clone()));
        }
    }
    out.push(d, &d.id, "AWS::ApiGatewayV2::Api", b.map(api), false);
    remember_body(d, p, out);
    let stage_name = p
        .get("StageName")
        .cloned()
        .unwrap_or_else(|| b.s("$default"));
    let stage_id = match stage_name.as_str() {
        Some("$default") | None => format!("{}ApiGatewayDefaultStage", d.id),
        Some(s) => format!("{}{s}Stage", d.id),
    };
    let mut stage: Vec<(&str, Node)> =
        vec![("ApiId", b.reference(&d.id)), ("StageName", stage_name)];
    for k in [
        "AccessLogSettings",
        "DefaultRouteSettings",
        "StageVariables",
    ] {
        if let Some(v) = p.get(k) {
            stage.push((k, v.clone()));
        }
    }
    out.push(d, &stage_id, "AWS::ApiGatewayV2::Stage", b.map(stage), true);
    authorizers(t, d, p.get("Auth"), true, out);
}

/// The identity of a route SAM creates for an event.
pub(crate) fn route_meta(
    t: &Template<'_>,
    d: &Decl<'_>,
    id: String,
    origin: &lambdasec_model::Origin,
) -> Meta {
    let mut meta = d.meta(t, ResourceKind::Route);
    meta.id = id;
    meta.origin = origin.clone();
    meta.synthesized = true;
    meta
}
