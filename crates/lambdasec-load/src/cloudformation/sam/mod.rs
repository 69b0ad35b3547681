//! SAM (`Transform: AWS::Serverless-2016-10-31`), our own implementation of what the SAM
//! translator generates: `Globals` are merged into each resource, and every `AWS::Serverless::*`
//! resource becomes the CloudFormation resources it deploys (functions with their implicit
//! roles, URLs, aliases, permissions, event source mappings, subscriptions, rules, APIs, stages,
//! routes and authorizers), which the CloudFormation extraction then reads. What SAM keeps
//! outside CloudFormation resources (local code paths, routes and authorizers in the OpenAPI
//! body, expanded policy templates) is recorded in [`Extras`] and applied to the model.

mod api;
mod build;
mod events;
mod function;
pub(crate) mod globals;
mod policy_templates;
mod resource_policy;
mod source_policies;
pub(crate) mod validate;

use crate::cloudformation::extract::Decl;
use crate::cloudformation::template::Template;
use lambdasec_model::{Authorizer, BucketNotification, Code, Inventory, Node, Route, Value};
use std::collections::HashMap;

/// Model values SAM sets that CloudFormation properties cannot carry.
#[derive(Debug, Default)]
pub(crate) struct Extras {
    pub(crate) code: Vec<(String, Value<Code>)>,
    pub(crate) layer_content: Vec<(String, Value<Code>)>,
    pub(crate) auto_publish_alias: Vec<(String, Value<String>)>,
    /// (role id, inline policy name, policy template name).
    pub(crate) expanded: Vec<(String, String, String)>,
    /// (bucket id, notification) for `S3` events.
    pub(crate) notifications: Vec<(String, BucketNotification)>,
    pub(crate) routes: Vec<Route>,
    pub(crate) authorizers: Vec<Authorizer>,
}

impl Extras {
    /// Apply to the inventory extracted from the generated resources.
    pub(crate) fn apply(self, inv: &mut Inventory) {
        for (id, code) in self.code {
            if let Some(f) = inv.functions.iter_mut().find(|f| f.meta.id == id) {
                f.code = Some(code);
            }
        }
        for (id, code) in self.layer_content {
            if let Some(l) = inv.layers.iter_mut().find(|l| l.meta.id == id) {
                l.content = Some(code);
            }
        }
        for (id, alias) in self.auto_publish_alias {
            if let Some(f) = inv.functions.iter_mut().find(|f| f.meta.id == id) {
                f.auto_publish_alias = Some(alias);
            }
        }
        for (role, policy, template) in self.expanded {
            if let Some(r) = inv.roles.iter_mut().find(|r| r.meta.id == role)
                && let Some(p) = r
                    .inline_policies
                    .iter_mut()
                    .find(|p| p.name.as_str() == Some(policy.as_str()))
            {
                p.expanded_from = Some(template);
            }
        }
        for (bucket, n) in self.notifications {
            if let Some(b) = inv.buckets.iter_mut().find(|b| b.meta.id == bucket) {
                b.notifications.push(n);
            }
        }
        inv.routes.extend(self.routes);
        inv.authorizers.extend(self.authorizers);
    }
}

/// The authorization settings of a SAM API, for the routes its events create.
#[derive(Debug, Clone, Default)]
pub(crate) struct ApiConf {
    pub(crate) http: bool,
    pub(crate) default_authorizer: Option<Value<String>>,
    /// Authorizer name → (authorization type of routes using it, authorizer id).
    pub(crate) authorizers: HashMap<String, String>,
    pub(crate) api_key_required: Option<Value<bool>>,
    /// `DefinitionUri`: the definition is a document outside the template (its text, for
    /// messages). SAM cannot edit it, so its routes' authorization is not known offline.
    pub(crate) external_definition: Option<String>,
}

/// The expansion in progress: generated declarations and side values.
#[derive(Debug)]
pub(crate) struct Out<'a> {
    pub(crate) decls: Vec<Decl<'a>>,
    pub(crate) extras: Extras,
    pub(crate) apis: HashMap<String, ApiConf>,
    /// APIs with an inline OpenAPI definition, read once every event has added its routes.
    pub(crate) bodies: Vec<(Decl<'a>, Node)>,
    /// Resource policy statements of `Api` events: (REST API id, statement).
    pub(crate) policy_statements: Vec<(String, Node)>,
}

impl<'a> Out<'a> {
    /// Add a generated resource; `synthesized` for resources SAM adds (not the one written).
    pub(crate) fn push(
        &mut self,
        from: &Decl<'a>,
        id: &str,
        type_name: &str,
        props: Node,
        synthesized: bool,
    ) {
        self.decls.push(Decl {
            id: id.to_owned(),
            type_name: type_name.to_owned(),
            origin: if synthesized {
                from.origin.implied()
            } else {
                from.origin.clone()
            },
            props: Some(props),
            metadata: from.metadata,
            synthesized: synthesized || from.synthesized,
        });
    }
}

/// Expand the SAM resources among `decls` (their properties evaluated, `Globals` merged).
pub(crate) fn expand<'a>(
    t: &Template<'_>,
    root: &'a Node,
    decls: Vec<Decl<'a>>,
) -> (Vec<Decl<'a>>, Extras) {
    let mut decls = decls;
    api::implicit_apis(t, root, &mut decls);
    let mut out = Out {
        decls: Vec::with_capacity(decls.len() * 3),
        extras: Extras::default(),
        apis: HashMap::new(),
        bodies: Vec::new(),
        policy_statements: Vec::new(),
    };
    for d in &decls {
        match d.type_name.as_str() {
            "AWS::Serverless::Api" => api::conf_rest(t, d, &mut out),
            "AWS::Serverless::HttpApi" => api::conf_http(t, d, &mut out),
            _ => {}
        }
    }
    for d in decls {
        match d.type_name.as_str() {
            "AWS::Serverless::Function" => function::expand(t, &d, &mut out),
            "AWS::Serverless::Api" => api::rest(t, &d, &mut out),
            "AWS::Serverless::HttpApi" => api::http(t, &d, &mut out),
            "AWS::Serverless::LayerVersion" => layer(t, &d, &mut out),
            _ => out.decls.push(d),
        }
    }
    api::definition_routes(t, &mut out);
    api::event_policies(&mut out);
    // Evaluate the generated intrinsics (`Fn::Sub` source ARNs, ...); written values are
    // already evaluated, and evaluation leaves them unchanged.
    for d in &mut out.decls {
        if let Some(p) = d.props.take() {
            d.props = t.eval(&p);
        }
    }
    (out.decls, out.extras)
}

/// `AWS::Serverless::LayerVersion` → `AWS::Lambda::LayerVersion`.
fn layer<'a>(t: &Template<'_>, d: &Decl<'a>, out: &mut Out<'a>) {
    let empty = Node::new(
        lambdasec_model::NodeKind::Map(Vec::new()),
        d.origin.implied(),
    );
    let props = d.props.as_ref().unwrap_or(&empty);
    let entries: Vec<lambdasec_model::Entry> = ["LayerName", "Description", "LicenseInfo"]
        .iter()
        .filter_map(|k| props.get(k).map(|v| build::entry(k, v)))
        .chain(
            props
                .get("CompatibleRuntimes")
                .map(|v| build::entry("CompatibleRuntimes", v)),
        )
        .collect();
    out.extras
        .layer_content
        .push((d.id.clone(), function::code(t, props, &d.origin)));
    out.push(
        d,
        &d.id,
        "AWS::Lambda::LayerVersion",
        Node::new(
            lambdasec_model::NodeKind::Map(entries),
            props.origin.clone(),
        ),
        false,
    );
}
