//! Facts derived from the inventory that several rules share.

mod exposure;
mod roles;

pub(crate) use exposure::raise_if_exposed;
pub use exposure::{Exposure, exposure};
pub use roles::{ExecutionRole, execution_role, execution_roles, statement_label};
pub(crate) use roles::{identity_of_role, statement_origin};

use crate::context::Context;
use lambdasec_model::{Function, Origin, Permission, Principal};
use std::collections::HashMap;
use std::sync::OnceLock;

/// Facts computed once per inventory, on first use, and shared by the rules through the
/// [`Context`].
#[derive(Debug, Default)]
pub(crate) struct Facts<'a> {
    roles: OnceLock<roles::Roles<'a>>,
    exposure: OnceLock<HashMap<&'a str, Exposure<'a>>>,
    /// Each function's permissions (by the address of the function's meta), resolved once
    /// rather than once per function.
    permissions: OnceLock<HashMap<usize, Vec<&'a Permission>>>,
}

impl<'a> Facts<'a> {
    fn roles(&self, cx: &Context<'a>) -> &roles::Roles<'a> {
        self.roles.get_or_init(|| roles::Roles::build(cx))
    }

    fn exposure(&self, cx: &Context<'a>) -> &HashMap<&'a str, Exposure<'a>> {
        self.exposure.get_or_init(|| exposure::build(cx))
    }

    /// The permissions that grant on `f`.
    fn permissions_of(&self, cx: &Context<'a>, f: &Function) -> &[&'a Permission] {
        let map = self.permissions.get_or_init(|| {
            let mut map: HashMap<usize, Vec<&'a Permission>> = HashMap::new();
            for p in &cx.inventory.permissions {
                if let Some(target) = cx.index.get::<Function>(&p.function) {
                    map.entry(std::ptr::from_ref(&target.meta) as usize)
                        .or_default()
                        .push(p);
                }
            }
            map
        });
        map.get(&(std::ptr::from_ref(&f.meta) as usize))
            .map_or(&[], Vec::as_slice)
    }
}

/// Services that invoke functions asynchronously (the event is queued; failures are retried and
/// then dropped unless a dead-letter queue or on-failure destination catches them). From the
/// Lambda developer guide, "Invoking Lambda functions with events from other AWS services".
const ASYNC_SERVICES: &[&str] = &[
    "s3.amazonaws.com",
    "sns.amazonaws.com",
    "events.amazonaws.com",
    "ses.amazonaws.com",
    "logs.amazonaws.com",
    "iot.amazonaws.com",
    "config.amazonaws.com",
    "codecommit.amazonaws.com",
    "cloudformation.amazonaws.com",
    "lambda.alarms.cloudwatch.amazonaws.com",
    "s3-object-lambda.amazonaws.com",
];

/// How a function is invoked, as far as the inventory shows.
#[derive(Debug, Default)]
pub struct Invocation<'a> {
    /// Triggers that invoke asynchronously, with where they are declared.
    pub asynchronous: Vec<(&'a Origin, String)>,
    /// Synchronous callers (API routes, URLs, authorizers, synchronous services).
    pub synchronous: Vec<(&'a Origin, String)>,
    /// Event source mappings (Lambda polls; failures are handled by the mapping).
    pub pollers: Vec<(&'a Origin, String)>,
    /// Grants to principals whose invocation mode cannot be told (accounts, `*`).
    pub unknown: Vec<(&'a Origin, String)>,
}

impl Invocation<'_> {
    /// True when no trigger of any kind is declared for the function.
    pub fn is_undeclared(&self) -> bool {
        self.asynchronous.is_empty()
            && self.synchronous.is_empty()
            && self.pollers.is_empty()
            && self.unknown.is_empty()
    }
}

/// Everything in the inventory that invokes `f`.
pub fn invocation<'a>(cx: &Context<'a>, f: &'a Function) -> Invocation<'a> {
    let inv = cx.inventory;
    let ix = &cx.index;
    let mut out = Invocation::default();
    for p in cx.facts.permissions_of(cx, f) {
        let entry = (&p.meta.origin, format!("permission `{}`", p.meta.id));
        match p.principal.get() {
            Some(Principal::Service(s)) if ASYNC_SERVICES.contains(&s.as_str()) => {
                out.asynchronous.push((
                    &p.meta.origin,
                    format!("`{s}` (permission `{}`)", p.meta.id),
                ));
            }
            Some(Principal::Service(_)) => out.synchronous.push(entry),
            _ => out.unknown.push(entry),
        }
    }
    for b in &inv.buckets {
        for n in b
            .notifications
            .iter()
            .filter(|n| ix.points_to(&n.function, f))
        {
            out.asynchronous
                .push((&n.origin, format!("S3 bucket `{}`", b.meta.id)));
        }
    }
    for s in inv
        .subscriptions
        .iter()
        .filter(|s| ix.points_to(&s.endpoint, f))
    {
        out.asynchronous
            .push((&s.meta.origin, format!("SNS subscription `{}`", s.meta.id)));
    }
    for r in &inv.event_rules {
        for t in r.targets.iter().filter(|t| ix.points_to(t, f)) {
            out.asynchronous
                .push((&t.origin, format!("EventBridge rule `{}`", r.meta.id)));
        }
    }
    for c in inv
        .event_invoke_configs
        .iter()
        .filter(|c| ix.points_to(&c.function, f))
    {
        out.asynchronous.push((
            &c.meta.origin,
            format!("asynchronous invocation config `{}`", c.meta.id),
        ));
    }
    for e in inv
        .event_source_mappings
        .iter()
        .filter(|e| ix.points_to(&e.function, f))
    {
        out.pollers.push((
            &e.meta.origin,
            format!("event source mapping `{}`", e.meta.id),
        ));
    }
    for r in inv
        .routes
        .iter()
        .filter(|r| r.function.as_ref().is_some_and(|t| ix.points_to(t, f)))
    {
        out.synchronous
            .push((&r.meta.origin, format!("API route `{}`", r.meta.id)));
    }
    for a in inv
        .authorizers
        .iter()
        .filter(|a| a.function.as_ref().is_some_and(|t| ix.points_to(t, f)))
    {
        out.synchronous
            .push((&a.meta.origin, format!("API authorizer `{}`", a.meta.id)));
    }
    for u in inv
        .function_urls
        .iter()
        .filter(|u| ix.points_to(&u.function, f))
    {
        out.synchronous
            .push((&u.meta.origin, format!("function URL `{}`", u.meta.id)));
    }
    out
}
