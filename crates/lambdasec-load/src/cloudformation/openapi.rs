//! Routes and authorizers of an inline OpenAPI (or Swagger) definition: the `DefinitionBody` of
//! a SAM API, the `Body` of an `AWS::ApiGateway::RestApi` or `AWS::ApiGatewayV2::Api`.
//!
//! Each operation of `paths` becomes a [`Route`] with the function its
//! `x-amazon-apigateway-integration` invokes and the authorization its `security` requirements
//! (or the definition's top-level ones, or the API's defaults) give it:
//! - a security scheme with `x-amazon-apigateway-authorizer` is an authorizer (Lambda `token` /
//!   `request`, `cognito_user_pools`, `jwt`), read into an [`Authorizer`];
//! - `x-amazon-apigateway-authtype: awsSigv4` is IAM authorization;
//! - an `apiKey` scheme named `x-api-key` requires an API key;
//! - `security: []`, or an empty requirement `{}` among the alternatives, lets callers in
//!   without authorization.
//!
//! A scheme lambdasec cannot classify leaves the route's authorization unresolved rather than
//! calling it open.

use super::extract::Decl;
use super::extract::invoked_function;
use super::props::string;
use super::template::Template;
use lambdasec_model::{
    Authorizer, Entry, Node, NodeKind, Origin, ResourceKind, Route, Target, Value,
};

/// Methods of a path item (`any` is the REST any-method).
const METHODS: &[&str] = &[
    "get",
    "put",
    "post",
    "delete",
    "options",
    "head",
    "patch",
    "trace",
    "any",
    "x-amazon-apigateway-any-method",
];

/// What the API declares outside its definition (SAM's `Auth`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Defaults {
    /// (route authorization type, authorizer id) of the default authorizer, for operations
    /// without their own `security`.
    pub(crate) authorizer: Option<(Value<String>, Option<Value<Target>>)>,
    pub(crate) api_key_required: Option<Value<bool>>,
    /// Authorizers declared outside the definition: (name, route authorization type). SAM
    /// writes their security schemes into the definition, with `AWS_IAM` and `api_key`.
    pub(crate) authorizers: Vec<(String, String)>,
    /// SAM manages the definition (its `AWS_IAM` and `api_key` schemes exist).
    pub(crate) sam: bool,
}

/// What an inline definition declares.
#[derive(Debug, Default)]
pub(crate) struct Definition {
    pub(crate) routes: Vec<Route>,
    pub(crate) authorizers: Vec<Authorizer>,
}

/// How a security scheme authorizes.
#[derive(Debug, Clone)]
enum Scheme {
    /// An authorizer: route authorization type and authorizer id.
    Authorizer(String, String),
    Iam,
    ApiKey,
    /// A scheme API Gateway does not read as one of the above: its description.
    Unknown(String),
}

/// The id of an authorizer of `api` named `name` (as SAM names the authorizers it creates).
pub(crate) fn authorizer_id(api: &str, name: &str) -> String {
    format!("{api}{name}Authorizer")
}

/// The id of the route for `method` on `path` of `api`.
pub(crate) fn route_id(api: &str, method: &str, path: &str) -> String {
    format!("{api} {method} {path}")
}

/// The route method for an operation key (`x-amazon-apigateway-any-method` → `ANY`).
pub(crate) fn method_name(key: &str) -> String {
    match key.to_ascii_lowercase().as_str() {
        "x-amazon-apigateway-any-method" | "any" => "ANY".to_owned(),
        m => m.to_ascii_uppercase(),
    }
}

/// The security schemes of the definition: `securityDefinitions` (Swagger 2) and
/// `components.securitySchemes` (OpenAPI 3).
fn schemes(body: &Node) -> Vec<&Entry> {
    let v2 = body.get("securityDefinitions").and_then(Node::as_map);
    let v3 = body
        .get("components")
        .and_then(|c| c.get("securitySchemes"))
        .and_then(Node::as_map);
    v2.into_iter().chain(v3).flatten().collect()
}

fn lower(n: Option<&Node>) -> Option<String> {
    n.and_then(Node::as_str).map(str::to_ascii_lowercase)
}

/// Classify a scheme; the authorizer it declares (if any) is added to `out`.
fn classify(
    t: &Template<'_>,
    d: &Decl<'_>,
    api: &str,
    name: &str,
    scheme: &Entry,
    known_authorizers: &[(String, String)],
    out: &mut Definition,
) -> Scheme {
    let s = &scheme.value;
    let authtype = lower(s.get("x-amazon-apigateway-authtype"));
    if authtype.as_deref() == Some("awssigv4") {
        return Scheme::Iam;
    }
    let authorizer = s.get("x-amazon-apigateway-authorizer");
    let kind = match (lower(authorizer.and_then(|a| a.get("type"))), &authtype) {
        (Some(k), _) => match k.as_str() {
            "token" => Some("TOKEN"),
            "request" => Some("REQUEST"),
            "cognito_user_pools" => Some("COGNITO_USER_POOLS"),
            "jwt" => Some("JWT"),
            _ => None,
        },
        (None, Some(a)) if a == "cognito_user_pools" => Some("COGNITO_USER_POOLS"),
        _ => None,
    };
    let Some(kind) = kind else {
        let ty = lower(s.get("type")).unwrap_or_default();
        let key_name = lower(s.get("name"));
        if ty == "apikey" && key_name.as_deref() == Some("x-api-key") && authorizer.is_none() {
            return Scheme::ApiKey;
        }
        return Scheme::Unknown(format!("security scheme `{name}` ({ty})"));
    };
    let route_type = match kind {
        "TOKEN" | "REQUEST" => "CUSTOM",
        other => other,
    };
    let id = authorizer_id(api, name);
    // SAM creates the authorizers of `Auth.Authorizers` itself (and writes them here).
    if !known_authorizers.iter().any(|(k, _)| k == name)
        && !out.authorizers.iter().any(|a| a.meta.id == id)
    {
        let a = authorizer.unwrap_or(s);
        let identity_source = match a.get("identitySource") {
            Some(n) => match &n.kind {
                NodeKind::String(text) => text
                    .split(',')
                    .map(|p| Value::explicit(p.trim().to_owned(), n.origin.clone()))
                    .collect(),
                NodeKind::List(items) => items.iter().map(|i| string(t, i)).collect(),
                _ => vec![string(t, n)],
            },
            None => Vec::new(),
        };
        let mut meta = d.meta(t, ResourceKind::Authorizer);
        meta.id.clone_from(&id);
        meta.origin = scheme.key_origin.clone();
        meta.synthesized = false;
        out.authorizers.push(Authorizer {
            meta,
            api: Value::explicit(Target::Local(api.to_owned()), d.origin.clone()),
            name: Some(Value::explicit(name.to_owned(), scheme.key_origin.clone())),
            kind: Value::explicit(
                kind.to_owned(),
                a.get("type")
                    .map_or_else(|| s.origin.clone(), |n| n.origin.clone()),
            ),
            function: a.get("authorizerUri").and_then(|u| invoked_function(t, u)),
            identity_source,
        });
    }
    Scheme::Authorizer(route_type.to_owned(), id)
}

/// The authorization of one operation from its security requirements.
struct Auth {
    kind: Value<String>,
    authorizer: Option<Value<Target>>,
    api_key: Option<Value<bool>>,
}

fn requirements(security: &Node, schemes: &[(String, Scheme)]) -> Auth {
    let o = &security.origin;
    let none = |origin: &Origin| Auth {
        kind: Value::explicit("NONE".to_owned(), origin.clone()),
        authorizer: None,
        api_key: None,
    };
    let Some(items) = security.as_list() else {
        return Auth {
            kind: Value::unresolved("security requirements that are not a list", o.clone()),
            authorizer: None,
            api_key: None,
        };
    };
    // No requirement, or an empty alternative: callers need no authorization.
    if let Some(empty) = items
        .iter()
        .find(|i| i.as_map().is_some_and(<[Entry]>::is_empty))
    {
        return none(&empty.origin);
    }
    let Some(first) = items.first() else {
        return none(o);
    };
    let mut auth = none(&first.origin);
    for req in first.as_map().unwrap_or_default() {
        let at = &req.key_origin;
        match schemes.iter().find(|(n, _)| *n == req.key).map(|(_, s)| s) {
            Some(Scheme::Authorizer(kind, id)) => {
                auth.kind = Value::explicit(kind.clone(), at.clone());
                auth.authorizer = Some(Value::explicit(Target::Local(id.clone()), at.clone()));
            }
            Some(Scheme::Iam) => auth.kind = Value::explicit("AWS_IAM".to_owned(), at.clone()),
            Some(Scheme::ApiKey) => auth.api_key = Some(Value::explicit(true, at.clone())),
            Some(Scheme::Unknown(what)) => auth.kind = Value::unresolved(what.clone(), at.clone()),
            None => {
                auth.kind = Value::unresolved(
                    format!("security scheme `{}` (not declared)", req.key),
                    at.clone(),
                );
            }
        }
    }
    auth
}

/// Read the routes and authorizers of `body` for the API `d` declares. Operations in `skip`
/// (method, path) are left out (an event of the template already adds them).
pub(crate) fn read(
    t: &Template<'_>,
    d: &Decl<'_>,
    body: &Node,
    defaults: &Defaults,
    skip: &[(String, String)],
) -> Definition {
    let api = d.id.as_str();
    let mut out = Definition::default();
    let Some(paths) = body.get("paths").and_then(Node::as_map) else {
        return out;
    };
    let mut schemes: Vec<(String, Scheme)> = schemes(body)
        .into_iter()
        .map(|e| {
            let s = classify(t, d, api, &e.key, e, &defaults.authorizers, &mut out);
            (e.key.clone(), s)
        })
        .collect();
    let mut declared: Vec<(String, Scheme)> = defaults
        .authorizers
        .iter()
        .map(|(name, kind)| {
            (
                name.clone(),
                Scheme::Authorizer(kind.clone(), authorizer_id(api, name)),
            )
        })
        .collect();
    if defaults.sam {
        declared.push(("AWS_IAM".to_owned(), Scheme::Iam));
        declared.push(("api_key".to_owned(), Scheme::ApiKey));
    }
    for (name, scheme) in declared {
        if !schemes.iter().any(|(n, _)| *n == name) {
            schemes.push((name, scheme));
        }
    }
    let top_security = body.get("security");
    for p in paths {
        let Some(ops) = p.value.as_map() else {
            continue;
        };
        for op in ops {
            if !METHODS.contains(&op.key.to_ascii_lowercase().as_str())
                || !matches!(op.value.kind, NodeKind::Map(_) | NodeKind::Null)
            {
                continue;
            }
            let method = method_name(&op.key);
            if skip.iter().any(|(m, pth)| *m == method && *pth == p.key) {
                continue;
            }
            out.routes.push(route(
                t,
                d,
                api,
                &p.key,
                &method,
                op,
                top_security,
                &schemes,
                defaults,
            ));
        }
    }
    out
}

#[allow(
    clippy::too_many_arguments,
    reason = "one operation read with its definition's context"
)]
fn route(
    t: &Template<'_>,
    d: &Decl<'_>,
    api: &str,
    path: &str,
    method: &str,
    op: &Entry,
    top_security: Option<&Node>,
    schemes: &[(String, Scheme)],
    defaults: &Defaults,
) -> Route {
    let o = &op.key_origin;
    let v = &op.value;
    let explicit_auth = v
        .get("x-amazon-apigateway-auth")
        .and_then(|a| a.get("type"))
        .map(|ty| string(t, ty).map(|s| s.to_ascii_uppercase()));
    let auth = match (explicit_auth, v.get("security").or(top_security)) {
        (Some(kind), _) => Auth {
            kind,
            authorizer: None,
            api_key: None,
        },
        (None, Some(security)) => requirements(security, schemes),
        (None, None) => match &defaults.authorizer {
            Some((kind, authorizer)) => Auth {
                kind: kind.clone(),
                authorizer: authorizer.clone(),
                api_key: None,
            },
            None => Auth {
                kind: Value::default("NONE".to_owned(), o),
                authorizer: None,
                api_key: None,
            },
        },
    };
    let api_key_required = auth
        .api_key
        .or_else(|| defaults.api_key_required.clone())
        .unwrap_or_else(|| Value::default(false, o));
    let mut meta = d.meta(t, ResourceKind::Route);
    meta.id = route_id(api, method, path);
    meta.origin = o.clone();
    meta.synthesized = false;
    Route {
        meta,
        api: Value::explicit(Target::Local(api.to_owned()), d.origin.clone()),
        method: Value::explicit(method.to_owned(), o.clone()),
        path: Value::explicit(path.to_owned(), o.clone()),
        authorization_type: auth.kind,
        authorizer: auth.authorizer,
        api_key_required,
        request_validator: None,
        function: v
            .get("x-amazon-apigateway-integration")
            .and_then(|i| i.get("uri"))
            .and_then(|u| invoked_function(t, u)),
    }
}
