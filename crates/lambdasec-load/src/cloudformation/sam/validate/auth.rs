//! `Auth` of REST (`AWS::Serverless::Api`) and HTTP (`AWS::Serverless::HttpApi`) APIs: the
//! default authorizer, each authorizer's settings, usage plans and resource policies.

use super::At;
use super::shape::{entries, is_intrinsic, present};
use lambdasec_model::{Node, NodeKind};

const REST_KEYS: &[&str] = &[
    "AddApiKeyRequiredToCorsPreflight",
    "AddDefaultAuthorizerToCorsPreflight",
    "ApiKeyRequired",
    "Authorizers",
    "DefaultAuthorizer",
    "InvokeRole",
    "ResourcePolicy",
    "UsagePlan",
];

const HTTP_KEYS: &[&str] = &["Authorizers", "DefaultAuthorizer", "EnableIamAuthorizer"];

/// A list of strings (intrinsic functions stand for one).
fn strings(at: At<'_>, n: &Node, name: &str) {
    if let Some(items) = at.list(n, name) {
        for (i, item) in items.iter().enumerate() {
            at.string(item, &format!("{name}[{i}]"));
        }
    }
}

/// `DefaultAuthorizer`: a string naming an authorizer of the API (or `AWS_IAM`).
fn default_authorizer(at: At<'_>, auth: &Node, authorizers: Option<&Node>, iam: bool) {
    let Some(d) = auth.get("DefaultAuthorizer") else {
        return;
    };
    let Some(name) = d.as_str() else {
        at.error(
            &d.origin,
            "`Auth.DefaultAuthorizer` must be a string naming an authorizer",
        );
        return;
    };
    if (iam && name == "AWS_IAM") || name == "NONE" {
        return;
    }
    if let Some(list) = authorizers.and_then(entries)
        && !list.iter().any(|e| e.key == name)
    {
        at.error(
            &d.origin,
            format!("`Auth.DefaultAuthorizer` `{name}` is not one of the API's `Authorizers`"),
        );
    }
}

/// The authorizers: a map of names to settings.
fn authorizers<'n>(at: At<'_>, auth: &'n Node) -> Option<&'n [lambdasec_model::Entry]> {
    let a = auth.get("Authorizers")?;
    at.map(a, "Auth.Authorizers")
}

/// `Auth` of a REST API.
pub(crate) fn rest(at: At<'_>, auth: &Node) {
    let Some(keys) = entries(auth) else {
        return;
    };
    at.known_keys(keys, "Auth", REST_KEYS);
    default_authorizer(at, auth, auth.get("Authorizers"), true);
    for a in authorizers(at, auth).unwrap_or_default() {
        let name = format!("Auth.Authorizers.{}", a.key);
        if at.map(&a.value, &name).is_none() {
            continue;
        }
        rest_authorizer(at, &a.key, &a.value, &name);
    }
    if let Some(u) = auth.get("UsagePlan") {
        usage_plan(at, u);
    }
    if let Some(r) = auth.get("ResourcePolicy") {
        resource_policy(at, r);
    }
}

fn rest_authorizer(at: At<'_>, key: &str, a: &Node, name: &str) {
    for flag in ["DisableFunctionDefaultPermissions"] {
        if let Some(v) = a.get(flag) {
            at.expect(v, &format!("{name}.{flag}"), super::Shape::BOOL);
        }
    }
    if let Some(s) = a.get("AuthorizationScopes") {
        strings(at, s, &format!("{name}.AuthorizationScopes"));
    }
    let lambda = a.get("FunctionArn").is_some();
    let payload = a.get("FunctionPayloadType");
    if let Some(p) = payload {
        match p.as_str() {
            Some("TOKEN" | "REQUEST") => {}
            _ => at.error(
                &p.origin,
                format!("authorizer `{key}` has an invalid `FunctionPayloadType` (expected TOKEN or REQUEST)"),
            ),
        }
    }
    let identity = a.get("Identity");
    if let Some(i) = identity {
        if !matches!(i.kind, NodeKind::Map(_)) || is_intrinsic(i) {
            at.error(
                &i.origin,
                format!("`{name}.Identity` must be a map (Header, QueryStrings, Headers, ...)"),
            );
            return;
        }
        for list in ["Headers", "QueryStrings", "StageVariables", "Context"] {
            if let Some(v) = i.get(list) {
                strings(at, v, &format!("{name}.Identity.{list}"));
            }
        }
    }
    // Without caching (`ReauthorizeEvery: 0`) a REQUEST authorizer needs no identity source.
    let cached = identity
        .and_then(|i| i.get("ReauthorizeEvery"))
        .and_then(Node::scalar_text)
        .is_none_or(|t| t.trim() != "0");
    let request = lambda && payload.and_then(Node::as_str) == Some("REQUEST");
    if request && cached {
        let has_source = identity.is_some_and(|i| {
            ["Headers", "QueryStrings", "StageVariables", "Context"]
                .iter()
                .any(|k| present(i.get(k)))
        });
        if !has_source {
            at.error(
                &a.origin,
                format!("REQUEST authorizer `{key}` needs `Identity` with Headers, QueryStrings, StageVariables or Context"),
            );
        }
    }
}

const USAGE_PLAN_KEYS: &[&str] = &[
    "CreateUsagePlan",
    "Description",
    "Quota",
    "Tags",
    "Throttle",
    "UsagePlanId",
    "UsagePlanName",
];

fn usage_plan(at: At<'_>, u: &Node) {
    let Some(keys) = at.map(u, "Auth.UsagePlan") else {
        return;
    };
    at.known_keys(keys, "Auth.UsagePlan", USAGE_PLAN_KEYS);
    match u.get("CreateUsagePlan") {
        Some(c) => {
            if let Some(s) = c.as_str()
                && !["PER_API", "SHARED", "NONE"].contains(&s)
            {
                at.error(
                    &c.origin,
                    "`Auth.UsagePlan.CreateUsagePlan` must be PER_API, SHARED or NONE",
                );
            }
        }
        None => at.error(&u.origin, "`Auth.UsagePlan.CreateUsagePlan` is required"),
    }
}

/// `ResourcePolicy`: a map of statements and address lists; address lists written as values
/// (intrinsic functions go in the `Intrinsic*` variants).
pub(crate) fn resource_policy(at: At<'_>, r: &Node) {
    if at.map(r, "Auth.ResourcePolicy").is_none() {
        return;
    }
    for key in [
        "SourceVpcWhitelist",
        "SourceVpcBlacklist",
        "AwsAccountWhitelist",
        "AwsAccountBlacklist",
        "IpRangeWhitelist",
        "IpRangeBlacklist",
    ] {
        let Some(v) = r.get(key) else {
            continue;
        };
        let ok = match &v.kind {
            NodeKind::List(items) => items.iter().all(|i| {
                matches!(i.kind, NodeKind::String(_) | NodeKind::Number(_)) || is_intrinsic(i)
            }),
            NodeKind::String(_) => true,
            _ => is_intrinsic(v) && !key.starts_with("SourceVpc"),
        };
        if !ok {
            let hint = if key.starts_with("SourceVpc") {
                format!(
                    "; use `Intrinsic{}` for intrinsic functions",
                    key.trim_start_matches("Source")
                )
            } else {
                String::new()
            };
            at.error(
                &v.origin,
                format!("`Auth.ResourcePolicy.{key}` must be a list of strings{hint}"),
            );
        }
    }
    if let Some(c) = r.get("CustomStatements") {
        at.expect(
            c,
            "Auth.ResourcePolicy.CustomStatements",
            super::Shape::MAP_OR_LIST,
        );
    }
}

/// `Auth` of an HTTP API.
pub(crate) fn http(at: At<'_>, auth: &Node) {
    let Some(keys) = entries(auth) else {
        return;
    };
    at.known_keys(keys, "Auth", HTTP_KEYS);
    let iam = auth.get("EnableIamAuthorizer").and_then(Node::as_bool) == Some(true);
    default_authorizer(at, auth, auth.get("Authorizers"), iam);
    for a in authorizers(at, auth).unwrap_or_default() {
        let name = format!("Auth.Authorizers.{}", a.key);
        if at.map(&a.value, &name).is_none() {
            continue;
        }
        http_authorizer(at, &a.key, &a.value, &name);
    }
}

fn http_authorizer(at: At<'_>, key: &str, a: &Node, name: &str) {
    if let Some(s) = a.get("AuthorizationScopes") {
        strings(at, s, &format!("{name}.AuthorizationScopes"));
    }
    if let Some(u) = a.get("OpenIdConnectUrl") {
        at.error(
            &u.origin,
            format!("`OpenIdConnectUrl` is no longer supported for authorizer `{key}`; use `JwtConfiguration.issuer`"),
        );
    }
    if let Some(j) = a.get("JwtConfiguration") {
        at.map(j, &format!("{name}.JwtConfiguration"));
    }
    let lambda_keys = [
        "FunctionArn",
        "FunctionInvokeRole",
        "AuthorizerPayloadFormatVersion",
        "EnableSimpleResponses",
        "Identity",
    ];
    let is_lambda =
        lambda_keys.iter().any(|k| a.get(k).is_some()) && a.get("JwtConfiguration").is_none();
    if let Some(e) = a.get("EnableFunctionDefaultPermissions") {
        if is_lambda {
            at.expect(
                e,
                &format!("{name}.EnableFunctionDefaultPermissions"),
                super::Shape::BOOL,
            );
        } else {
            at.error(
                &e.origin,
                "`EnableFunctionDefaultPermissions` applies only to Lambda authorizers",
            );
        }
    }
    if !is_lambda {
        return;
    }
    for k in ["FunctionArn", "AuthorizerPayloadFormatVersion"] {
        if !present(a.get(k)) {
            at.error(
                &a.origin,
                format!("Lambda authorizer `{key}` must define `{k}`"),
            );
        }
    }
    if let Some(i) = a.get("Identity")
        && at.map(i, &format!("{name}.Identity")).is_some()
    {
        for list in ["Headers", "QueryStrings", "StageVariables", "Context"] {
            if let Some(v) = i.get(list) {
                strings(at, v, &format!("{name}.Identity.{list}"));
            }
        }
    }
}

/// What an API's `Auth` offers to the routes of its events.
#[derive(Debug, Default, Clone)]
pub(crate) struct ApiAuth {
    pub(crate) default_authorizer: bool,
    pub(crate) authorizers: Option<Vec<String>>,
    pub(crate) api_key_required: bool,
}

impl ApiAuth {
    pub(crate) fn of(props: Option<&Node>) -> ApiAuth {
        let auth = props.and_then(|p| p.get("Auth"));
        ApiAuth {
            default_authorizer: auth
                .and_then(|a| a.get("DefaultAuthorizer"))
                .is_some_and(|d| d.as_str() != Some("NONE")),
            authorizers: auth
                .and_then(|a| a.get("Authorizers"))
                .and_then(entries)
                .map(|e| e.iter().map(|x| x.key.clone()).collect()),
            api_key_required: auth.and_then(|a| a.get("ApiKeyRequired")).is_some(),
        }
    }
}

/// The authorizer an event sets on its route: a string naming one of the API's authorizers,
/// `AWS_IAM`, or `NONE` (only over a default authorizer).
pub(crate) fn route_authorizer(at: At<'_>, auth: &Node, api: &ApiAuth, api_id: &str) {
    let Some(a) = auth.get("Authorizer") else {
        if let Some(s) = auth.get("AuthorizationScopes")
            && !api.default_authorizer
        {
            at.error(&s.origin, "`Auth.AuthorizationScopes` needs an authorizer on the route or a default one on the API");
        }
        if let Some(s) = auth.get("AuthorizationScopes") {
            strings(at, s, "Auth.AuthorizationScopes");
        }
        return;
    };
    if let Some(s) = auth.get("AuthorizationScopes") {
        strings(at, s, "Auth.AuthorizationScopes");
    }
    let Some(name) = a.as_str() else {
        at.error(
            &a.origin,
            "`Auth.Authorizer` must be a string naming one of the API's authorizers",
        );
        return;
    };
    match name {
        "AWS_IAM" => {}
        "NONE" => {
            if !api.default_authorizer {
                at.error(
                    &a.origin,
                    format!("`Auth.Authorizer: NONE` is only valid when API `{api_id}` has a `DefaultAuthorizer`"),
                );
            }
        }
        _ => match &api.authorizers {
            None => at.error(
                &a.origin,
                format!(
                    "authorizer `{name}` cannot be set: API `{api_id}` defines no `Authorizers`"
                ),
            ),
            Some(list) if !list.iter().any(|x| x == name) => at.error(
                &a.origin,
                format!("authorizer `{name}` is not one of the `Authorizers` of API `{api_id}`"),
            ),
            Some(_) => {}
        },
    }
}
