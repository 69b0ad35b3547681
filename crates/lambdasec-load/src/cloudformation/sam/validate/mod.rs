//! What the SAM translator rejects, checked by our own code before a SAM template is expanded.
//!
//! A template SAM would refuse to transform gets an error diagnostic at the offending value,
//! saying what is wrong for which resource (and event); the template is still loaded as far as
//! it can be. The checks read the template as written, `Globals` merged into each resource:
//! an intrinsic function stands for a value of any shape, except where SAM needs the literal
//! value ([`Shape::literal`]). Where SAM resolves parameters before checking (custom domains,
//! alias names, retention policies), the value is evaluated first.
//!
//! One module per area: the template's structure ([`structure`]), the `Globals` section
//! ([`globals`]), property shapes ([`shape`], [`schema`]), and the rules of each resource kind
//! and event source.

mod api;
mod auth;
mod connector;
mod cors;
mod domain;
mod events;
mod function;
mod globals;
mod graphql;
mod http_api;
mod openapi;
mod other;
mod schema;
mod shape;
mod sources;
mod structure;
mod websocket;

use crate::cloudformation::template::Template;
use lambdasec_model::{Entry, Node, NodeKind, Origin};
use std::collections::{HashMap, HashSet};
use std::fmt;

pub(crate) use shape::Shape;

/// A declared resource, as written.
#[derive(Debug)]
pub(crate) struct Res<'a> {
    pub(crate) type_name: Option<&'a str>,
    pub(crate) node: &'a Node,
}

/// The template being validated.
#[derive(Debug)]
pub(crate) struct Ctx<'a> {
    pub(crate) t: &'a Template<'a>,
    pub(crate) root: &'a Node,
    /// Every resource declared, by logical id.
    pub(crate) resources: HashMap<&'a str, Res<'a>>,
    /// The APIs events add routes to (`ServerlessRestApi` / `ServerlessHttpApi` for events
    /// without an API).
    pub(crate) event_apis: HashSet<String>,
}

impl<'a> Ctx<'a> {
    /// The type of a declared resource.
    pub(crate) fn type_of(&self, id: &str) -> Option<&'a str> {
        self.resources.get(id).and_then(|r| r.type_name)
    }

    /// The properties of a declared resource, as written (without `Globals`).
    pub(crate) fn props_of(&self, id: &str) -> Option<&'a Node> {
        self.resources
            .get(id)
            .and_then(|r| r.node.get("Properties"))
    }

    /// A value with the template's parameters, mappings and conditions evaluated.
    pub(crate) fn eval(&self, n: &Node) -> Option<Node> {
        self.t.eval(n)
    }
}

/// Where a problem is reported: a resource, or one of its events.
#[derive(Debug, Clone, Copy)]
pub(crate) struct At<'a> {
    pub(crate) ctx: &'a Ctx<'a>,
    pub(crate) resource: &'a str,
    pub(crate) event: Option<&'a str>,
}

impl<'a> At<'a> {
    pub(crate) fn resource(ctx: &'a Ctx<'a>, resource: &'a str) -> Self {
        At {
            ctx,
            resource,
            event: None,
        }
    }

    /// The same resource, reporting for one of its events.
    pub(crate) fn event(self, name: &'a str) -> Self {
        At {
            event: Some(name),
            ..self
        }
    }

    /// Report an error at `origin`, prefixed with the resource (and event) it concerns.
    pub(crate) fn error(&self, origin: &Origin, message: impl fmt::Display) {
        let text = match self.event {
            Some(e) => format!("event `{e}` of `{}`: {message}", self.resource),
            None => format!("resource `{}`: {message}", self.resource),
        };
        self.ctx.t.diags.error(text, origin);
    }

    /// The value must have one of the shapes of `shape`; reports `name` otherwise. Null counts
    /// as absent (the caller checks required properties).
    pub(crate) fn expect(&self, n: &Node, name: &str, shape: Shape) -> bool {
        if shape.accepts(n) {
            return true;
        }
        self.error(&n.origin, format!("`{name}` {}", shape.describe(n)));
        false
    }

    /// The entries of a map value; `None` (reported) for a value of another shape, `None`
    /// (silently) for an intrinsic function or null.
    pub(crate) fn map<'n>(&self, n: &'n Node, name: &str) -> Option<&'n [Entry]> {
        match &n.kind {
            NodeKind::Map(_) if shape::is_intrinsic(n) => None,
            NodeKind::Map(entries) => Some(entries),
            NodeKind::Null => None,
            _ => {
                self.expect(n, name, Shape::MAP);
                None
            }
        }
    }

    /// The items of a list value; as [`At::map`].
    pub(crate) fn list<'n>(&self, n: &'n Node, name: &str) -> Option<&'n [Node]> {
        match &n.kind {
            NodeKind::List(items) => Some(items),
            NodeKind::Null => None,
            _ if shape::is_intrinsic(n) => None,
            _ => {
                self.expect(n, name, Shape::LIST);
                None
            }
        }
    }

    /// The text of a string value; as [`At::map`].
    pub(crate) fn string<'n>(&self, n: &'n Node, name: &str) -> Option<&'n str> {
        match &n.kind {
            NodeKind::String(s) => Some(s),
            NodeKind::Null => None,
            _ if shape::is_intrinsic(n) => None,
            _ => {
                self.expect(n, name, Shape::STR);
                None
            }
        }
    }

    /// Keys of a map outside `allowed` are errors: `name` is the map's property path.
    pub(crate) fn known_keys(&self, entries: &[Entry], name: &str, allowed: &[&str]) {
        for e in entries {
            if !allowed.contains(&e.key.as_str()) {
                self.error(
                    &e.key_origin,
                    format!(
                        "`{}` is not a property of `{name}` (expected one of {})",
                        e.key,
                        allowed.join(", ")
                    ),
                );
            }
        }
    }

    /// A required entry: reported (at `parent`) when absent or null.
    pub(crate) fn required<'n>(&self, parent: &'n Node, key: &str, name: &str) -> Option<&'n Node> {
        match parent.get(key) {
            Some(n) if !matches!(n.kind, NodeKind::Null) => Some(n),
            Some(n) => {
                self.error(
                    &n.origin,
                    format!("`{name}` is required and cannot be empty"),
                );
                None
            }
            None => {
                self.error(&parent.origin, format!("`{name}` is required"));
                None
            }
        }
    }
}

/// Validate a SAM template (its root map).
pub(crate) fn validate(t: &Template<'_>, root: &Node) {
    let Some(entries) = root.get("Resources").and_then(Node::as_map) else {
        return;
    };
    let resources = entries
        .iter()
        .map(|e| {
            (
                e.key.as_str(),
                Res {
                    type_name: e.value.get("Type").and_then(Node::as_str),
                    node: &e.value,
                },
            )
        })
        .collect();
    let ctx = Ctx {
        t,
        root,
        resources,
        event_apis: event_apis(entries),
    };
    structure::check(&ctx);
    globals::check(&ctx);
    let mut routes = api::Routes::default();
    for e in entries {
        let Some(type_name) = e.value.get("Type").and_then(Node::as_str) else {
            continue;
        };
        if !type_name.starts_with("AWS::Serverless::") || !matches!(e.value.kind, NodeKind::Map(_))
        {
            continue;
        }
        let at = At::resource(&ctx, &e.key);
        let raw = e.value.get("Properties");
        if raw.is_some_and(|p| !matches!(p.kind, NodeKind::Map(_))) {
            // Reported by the structure checks.
            continue;
        }
        let merged = match crate::cloudformation::sam::globals::section(root, type_name) {
            Some(global) if matches!(global.kind, NodeKind::Map(_)) => {
                Some(crate::cloudformation::sam::globals::merge(global, raw))
            }
            _ => raw.cloned(),
        };
        let empty = Node::new(NodeKind::Map(Vec::new()), e.key_origin.clone());
        let props = merged.as_ref().unwrap_or(&empty);
        if !schema::check(at, type_name, props) {
            continue;
        }
        match type_name {
            "AWS::Serverless::Function" => function::check(at, props, &mut routes),
            "AWS::Serverless::StateMachine" => other::state_machine(at, props, &mut routes),
            "AWS::Serverless::Api" => api::check(at, props),
            "AWS::Serverless::HttpApi" => http_api::check(at, props),
            "AWS::Serverless::WebSocketApi" => websocket::check(at, props),
            "AWS::Serverless::LayerVersion" => other::layer(at, props),
            "AWS::Serverless::SimpleTable" => other::simple_table(at, props),
            "AWS::Serverless::Application" => other::application(at, props),
            "AWS::Serverless::Connector" => connector::check(at, props),
            "AWS::Serverless::GraphQLApi" => graphql::check(at, props),
            "AWS::Serverless::CapacityProvider" => other::capacity_provider(at, props),
            _ => {}
        }
    }
    // The APIs SAM creates for events that name none.
    for (id, sam_type) in [
        (api::IMPLICIT_REST, "AWS::Serverless::Api"),
        (api::IMPLICIT_HTTP, "AWS::Serverless::HttpApi"),
    ] {
        if !ctx.event_apis.contains(id) || ctx.resources.contains_key(id) {
            continue;
        }
        let empty = Node::new(NodeKind::Map(Vec::new()), Origin::Unknown);
        let props = api::api_props(&ctx, id, sam_type).unwrap_or(empty);
        let at = At::resource(&ctx, id);
        if sam_type == "AWS::Serverless::Api" {
            api::check_api(at, &props, true);
        } else {
            http_api::check_api(at, &props, true);
        }
    }
    // Embedded connectors (`Connectors` on any resource).
    for e in entries {
        if let Some(connectors) = e.value.get("Connectors") {
            connector::embedded(At::resource(&ctx, &e.key), connectors);
        }
    }
}

/// The APIs the `Api` and `HttpApi` events of functions and state machines add routes to.
fn event_apis(resources: &[Entry]) -> HashSet<String> {
    let mut out = HashSet::new();
    for r in resources {
        let Some(events) = r
            .value
            .get("Properties")
            .and_then(|p| p.get("Events"))
            .and_then(Node::as_map)
        else {
            continue;
        };
        for e in events {
            let (key, implicit) = match e.value.get("Type").and_then(Node::as_str) {
                Some("Api") => ("RestApiId", api::IMPLICIT_REST),
                Some("HttpApi") => ("ApiId", api::IMPLICIT_HTTP),
                _ => continue,
            };
            match e.value.get("Properties").and_then(|p| p.get(key)) {
                None => {
                    out.insert(implicit.to_owned());
                }
                Some(n) => {
                    let id = n.as_str().or_else(|| n.get("Ref").and_then(Node::as_str));
                    if let Some(id) = id {
                        out.insert(id.to_owned());
                    }
                }
            }
        }
    }
    out
}
