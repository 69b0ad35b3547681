//! Internet exposure: how a function can be reached from the internet, as far as the inventory
//! shows — a function URL with `AuthType: NONE`, an API Gateway route without authorization (on
//! an API that is not private and whose resource policy, if any, admits everyone), or a function
//! policy that lets anyone (`*`) invoke it. Each entry keeps the origins of its hops, so findings
//! can tell the whole path.

use crate::context::Context;
use crate::finding::Finding;
use crate::public_policy::permission_open_to_outsiders;
use crate::rules::rbp::is_function_url_grant;
use lambdasec_iam::{Effect, parse_policy, wildcard};
use lambdasec_model::{
    Api, ApiKind, Effect as PermissionEffect, Function, Node, Origin, Principal, UrlAuthType,
};
use std::collections::HashMap;

/// One way in from the internet.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    /// The value that opens it: `AuthType`, the route's authorization type, the `*` principal.
    pub origin: &'a Origin,
    /// What it is, for messages: ``function URL `ApiUrl` (`AuthType: NONE`)``.
    pub what: String,
    /// The hops between the door and the function (the API of a route), with what each is.
    pub hops: Vec<(&'a Origin, String)>,
}

/// Every way in from the internet to one function.
#[derive(Debug, Clone, Default)]
pub struct Exposure<'a> {
    pub entries: Vec<Entry<'a>>,
}

impl Exposure<'_> {
    /// The first entry and how many others there are, for messages:
    /// ``function URL `ApiUrl` (`AuthType: NONE`) and 1 other way``.
    pub fn describe(&self) -> String {
        let Some(first) = self.entries.first() else {
            return String::new();
        };
        match self.entries.len() - 1 {
            0 => first.what.clone(),
            1 => format!("{} and 1 other way", first.what),
            n => format!("{} and {n} other ways", first.what),
        }
    }
}

/// Exposure of every exposed function, by function id.
pub(crate) fn build<'a>(cx: &Context<'a>) -> HashMap<&'a str, Exposure<'a>> {
    let inv = cx.inventory;
    let ix = &cx.index;
    let mut out: HashMap<&'a str, Exposure<'a>> = HashMap::new();
    let mut add = |f: &'a Function, e: Entry<'a>| {
        out.entry(f.meta.id.as_str()).or_default().entries.push(e);
    };
    for u in &inv.function_urls {
        if !u.auth_type.is(|a| *a == UrlAuthType::None) {
            continue;
        }
        let Some(f) = ix.function(&u.function) else {
            continue;
        };
        add(
            f,
            Entry {
                origin: &u.auth_type.origin,
                what: format!("function URL `{}` (`AuthType: NONE`)", u.meta.id),
                hops: Vec::new(),
            },
        );
    }
    for r in &inv.routes {
        let Some(f) = r.function.as_ref().and_then(|t| ix.function(t)) else {
            continue;
        };
        if !r.authorization_type.is(|a| a.eq_ignore_ascii_case("NONE"))
            || !r.api_key_required.is(|k| !*k)
        {
            continue;
        }
        let api: Option<&'a Api> = ix.get(&r.api);
        let mut hops = Vec::new();
        // WebSocket messages flow on a connection that `$connect` authorized.
        if api.is_some_and(|a| a.kind == ApiKind::WebSocket) && !r.method.is(|m| m == "$connect") {
            let connect = inv.routes.iter().find(|c| {
                c.method.is(|m| m == "$connect") && api.is_some_and(|a| ix.points_to(&c.api, a))
            });
            if let Some(c) = connect {
                if !c.authorization_type.is(|a| a.eq_ignore_ascii_case("NONE")) {
                    continue;
                }
                hops.push((
                    &c.authorization_type.origin,
                    format!("route `$connect` of `{}`", c.api),
                ));
            }
        }
        match api {
            Some(api) => {
                let private = api.endpoint_type.as_ref().is_some_and(|t| {
                    t.is_unresolved() || t.is(|s| s.eq_ignore_ascii_case("PRIVATE"))
                });
                if private || !admits_everyone(api.policy.as_ref()) {
                    continue;
                }
                hops.push((&api.meta.origin, format!("API `{}`", api.meta.id)));
            }
            None if r.api.is_unresolved() => continue,
            None => {}
        }
        add(
            f,
            Entry {
                origin: &r.authorization_type.origin,
                what: format!(
                    "API route `{}` of `{}` without authorization",
                    route_key(&r.method.to_string(), &r.path.to_string()),
                    api.map_or_else(|| r.api.to_string(), |a| a.meta.id.clone())
                ),
                hops,
            },
        );
    }
    for p in &inv.permissions {
        if p.effect != PermissionEffect::Allow
            || !p.principal.is(|pr| *pr == Principal::Any)
            || is_function_url_grant(p)
            || !p
                .actions
                .iter()
                .any(|a| a.is(|s| wildcard::matches_ignore_case(s.trim(), "lambda:InvokeFunction")))
            || !permission_open_to_outsiders(p, "lambda:InvokeFunction")
        {
            continue;
        }
        let Some(f) = ix.function(&p.function) else {
            continue;
        };
        add(
            f,
            Entry {
                origin: &p.principal.origin,
                what: format!("permission `{}` (anyone may invoke it)", p.meta.id),
                hops: Vec::new(),
            },
        );
    }
    out
}

/// `GET /orders`, or the key alone for keys that are not a method and a path (`$default`).
fn route_key(method: &str, path: &str) -> String {
    if method == path || path.is_empty() {
        method.to_owned()
    } else {
        format!("{method} {path}")
    }
}

/// Whether an API's resource policy lets everyone invoke it: no policy, or a policy with an
/// unconditional Allow of `execute-api:Invoke` to `*` and no Deny (a Deny usually narrows by
/// source VPC or address; such APIs are not judged exposed). Policies that cannot be read or
/// known offline are not judged exposed either.
fn admits_everyone(policy: Option<&Node>) -> bool {
    let Some(node) = policy else {
        return true;
    };
    let Ok(p) = parse_policy(node) else {
        return false;
    };
    if !p.opaque.is_empty() || p.statements.iter().any(|s| s.effect == Effect::Deny) {
        return false;
    }
    p.statements.iter().any(|s| {
        s.effect == Effect::Allow
            && s.conditions.is_empty()
            && !s.action.negated
            && s.principal
                .as_ref()
                .is_some_and(|b| !b.negated && b.items.iter().any(|e| e.is_everyone()))
            && s.action.items.iter().any(|a| {
                a.item
                    .text()
                    .is_some_and(|t| wildcard::matches_ignore_case(t, "execute-api:Invoke"))
            })
    })
}

/// How the function is reachable from the internet, when it is.
pub fn exposure<'c, 'a>(cx: &'c Context<'a>, f: &Function) -> Option<&'c Exposure<'a>> {
    cx.facts
        .exposure(cx)
        .get(f.meta.id.as_str())
        .filter(|e| !e.entries.is_empty())
}

/// Severity from context: when `f` is reachable from the internet, raise the finding's severity
/// one step, say why in its message and point at the way in.
pub(crate) fn raise_if_exposed(cx: &Context<'_>, f: &Function, finding: &mut Finding) {
    let Some(e) = exposure(cx, f) else {
        return;
    };
    let Some(first) = e.entries.first() else {
        return;
    };
    finding.severity = finding.severity.raised();
    finding.message.push_str(&format!(
        "; `{}` is reachable from the internet through {}",
        f.meta.id,
        e.describe()
    ));
    finding.with_related(first.origin, format!("the way in: {}", first.what));
}
