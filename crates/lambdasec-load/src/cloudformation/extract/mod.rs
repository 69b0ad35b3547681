//! Typed extraction: CloudFormation resources (evaluated) into the model, one module per
//! service. Unknown resource types are kept as [`OtherResource`]s (so references to them are
//! not dangling); invalid property values of known types are warnings.

mod apigw;
mod iam;
mod infra;
mod lambda;
mod messaging;

pub(crate) use apigw::invoked_function;

use super::props::Props;
use super::template::Template;
use lambdasec_model::{
    Inventory, Meta, Node, NodeKind, Origin, OtherResource, ResourceKind, Suppression,
};
use std::collections::HashMap;

/// One resource declaration, its properties evaluated.
#[derive(Debug, Clone)]
pub(crate) struct Decl<'a> {
    pub(crate) id: String,
    pub(crate) type_name: String,
    /// The declaration: the logical id's key, with the path `Resources.<Id>`.
    pub(crate) origin: Origin,
    pub(crate) props: Option<Node>,
    pub(crate) metadata: Option<&'a Node>,
    /// Synthesized by a framework (SAM).
    pub(crate) synthesized: bool,
}

impl Decl<'_> {
    pub(crate) fn props<'p>(&'p self, t: &'p Template<'p>) -> Props<'p> {
        Props::new(t, self.props.as_ref(), &self.origin)
    }

    pub(crate) fn meta(&self, t: &Template<'_>, kind: ResourceKind) -> Meta {
        let mut meta = Meta::new(self.id.clone(), kind, self.origin.clone());
        meta.synthesized = self.synthesized;
        meta.suppressions = self
            .metadata
            .map(|m| suppressions(t, m))
            .unwrap_or_default();
        meta
    }
}

/// `Metadata: {lambdasec: {ignore: [{code, reason}, ...]}}` (a bare code is kept without a
/// reason; the engine reports suppressions without one).
fn suppressions(t: &Template<'_>, metadata: &Node) -> Vec<Suppression> {
    let Some(list) = metadata.get("lambdasec").and_then(|l| l.get("ignore")) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in list.one_or_many() {
        match &item.kind {
            NodeKind::String(code) => out.push(Suppression {
                code: code.trim().to_owned(),
                reason: None,
                origin: item.origin.clone(),
            }),
            NodeKind::Map(_) => match item.get("code").and_then(Node::scalar_text) {
                Some(code) => out.push(Suppression {
                    code: code.trim().to_owned(),
                    reason: item
                        .get("reason")
                        .and_then(Node::scalar_text)
                        .map(|r| r.trim().to_owned())
                        .filter(|r| !r.is_empty()),
                    origin: item.origin.clone(),
                }),
                None => t
                    .diags
                    .warn("a lambdasec suppression needs a `code`", &item.origin),
            },
            _ => t.diags.warn(
                "lambdasec `ignore` takes a list of `{code, reason}` maps",
                &item.origin,
            ),
        }
    }
    out
}

/// Side tables filled while extracting, applied once every resource is read.
#[derive(Debug, Default)]
pub(crate) struct Pending {
    /// REST API resources: id → (parent, path part).
    pub(crate) rest_resources: HashMap<String, (Option<String>, String)>,
    /// HTTP/WebSocket integrations: id → the function they call.
    pub(crate) integrations:
        HashMap<String, Option<lambdasec_model::Value<lambdasec_model::Target>>>,
    /// Policies to attach: (kind, targets, document).
    pub(crate) attachments: Vec<(
        ResourceKind,
        Vec<lambdasec_model::Value<lambdasec_model::Target>>,
        Node,
    )>,
    /// KMS aliases: (key, alias name).
    pub(crate) key_aliases: Vec<(
        lambdasec_model::Value<lambdasec_model::Target>,
        lambdasec_model::Value<String>,
    )>,
    /// Standalone security group rules: (group, egress?, rule).
    pub(crate) sg_rules: Vec<(
        lambdasec_model::Value<lambdasec_model::Target>,
        bool,
        lambdasec_model::SgRule,
    )>,
}

/// Extract every declaration into `inv`.
pub(crate) fn extract_all(t: &Template<'_>, decls: &[Decl<'_>], inv: &mut Inventory) {
    let mut pending = Pending::default();
    // Tables other resources refer to, first.
    for d in decls {
        match d.type_name.as_str() {
            "AWS::ApiGateway::Resource" => apigw::rest_resource(t, d, &mut pending),
            "AWS::ApiGatewayV2::Integration" => apigw::integration(t, d, &mut pending),
            _ => {}
        }
    }
    for d in decls {
        if !extract(t, d, inv, &mut pending) {
            inv.other_resources.push(OtherResource {
                id: d.id.clone(),
                type_name: d.type_name.clone(),
                origin: d.origin.clone(),
            });
        }
    }
    apply(t, pending, inv);
    link_log_groups(inv);
}

/// Extract one declaration; false when the model does not represent its type.
fn extract(t: &Template<'_>, d: &Decl<'_>, inv: &mut Inventory, p: &mut Pending) -> bool {
    match d.type_name.as_str() {
        "AWS::Lambda::Function" => inv.functions.push(lambda::function(t, d)),
        "AWS::Lambda::Url" => inv.function_urls.push(lambda::url(t, d)),
        "AWS::Lambda::Permission" => inv.permissions.push(lambda::permission(t, d)),
        "AWS::Lambda::Alias" => inv.aliases.push(lambda::alias(t, d)),
        "AWS::Lambda::EventInvokeConfig" => {
            inv.event_invoke_configs
                .push(lambda::event_invoke_config(t, d));
        }
        "AWS::Lambda::EventSourceMapping" => {
            inv.event_source_mappings
                .push(lambda::event_source_mapping(t, d));
        }
        "AWS::Lambda::LayerVersion" => inv.layers.push(lambda::layer(t, d)),
        "AWS::Lambda::LayerVersionPermission" => {
            inv.layer_permissions.push(lambda::layer_permission(t, d));
        }
        "AWS::Lambda::CodeSigningConfig" => {
            inv.code_signing_configs
                .push(lambda::code_signing_config(t, d));
        }
        "AWS::IAM::Role" => inv.roles.push(iam::role(t, d)),
        "AWS::IAM::User" => inv.users.push(iam::user(t, d)),
        "AWS::IAM::Group" => inv.groups.push(iam::group(t, d)),
        "AWS::IAM::Policy"
        | "AWS::IAM::ManagedPolicy"
        | "AWS::IAM::RolePolicy"
        | "AWS::IAM::UserPolicy"
        | "AWS::IAM::GroupPolicy" => inv.policies.push(iam::policy(t, d)),
        "AWS::Logs::LogGroup" => inv.log_groups.push(infra::log_group(t, d)),
        "AWS::KMS::Key" => inv.kms_keys.push(infra::kms_key(t, d)),
        "AWS::KMS::Alias" => infra::kms_alias(t, d, p),
        "AWS::CloudTrail::Trail" => inv.trails.push(infra::trail(t, d)),
        "AWS::EC2::SecurityGroup" => inv.security_groups.push(infra::security_group(t, d)),
        "AWS::EC2::SecurityGroupIngress" => infra::sg_rule_resource(t, d, false, p),
        "AWS::EC2::SecurityGroupEgress" => infra::sg_rule_resource(t, d, true, p),
        "AWS::EC2::Subnet" => inv.subnets.push(infra::subnet(t, d)),
        "AWS::ApiGateway::RestApi" => {
            inv.apis.push(apigw::rest_api(t, d));
            apigw::body(t, d, inv);
        }
        "AWS::ApiGateway::Method" => inv.routes.push(apigw::method(t, d, p)),
        "AWS::ApiGateway::Stage" => inv.stages.push(apigw::stage(t, d)),
        "AWS::ApiGateway::Deployment" => match apigw::deployment_stage(t, d) {
            Some(s) => inv.stages.push(s),
            None => return false,
        },
        "AWS::ApiGateway::Authorizer" => inv.authorizers.push(apigw::authorizer(t, d)),
        "AWS::ApiGatewayV2::Api" => {
            apigw::http_api(t, d, inv);
            apigw::body(t, d, inv);
        }
        "AWS::ApiGatewayV2::Route" => inv.routes.push(apigw::route(t, d, p)),
        "AWS::ApiGatewayV2::Stage" => inv.stages.push(apigw::http_stage(t, d)),
        "AWS::ApiGatewayV2::Authorizer" => inv.authorizers.push(apigw::http_authorizer(t, d)),
        "AWS::SQS::Queue" => inv.queues.push(messaging::queue(t, d)),
        "AWS::SQS::QueuePolicy" => messaging::queue_policy(t, d, p),
        "AWS::SNS::Topic" => messaging::topic(t, d, inv),
        "AWS::SNS::Subscription" => inv.subscriptions.push(messaging::subscription(t, d)),
        "AWS::SNS::TopicPolicy" => messaging::topic_policy(t, d, p),
        "AWS::S3::Bucket" => inv.buckets.push(messaging::bucket(t, d)),
        "AWS::S3::BucketPolicy" => messaging::bucket_policy(t, d, p),
        "AWS::Events::Rule" => inv.event_rules.push(messaging::event_rule(t, d)),
        "AWS::Scheduler::Schedule" => inv.event_rules.push(messaging::schedule(t, d)),
        _ => return false,
    }
    // Types kept only as side tables are still declared resources.
    !matches!(
        d.type_name.as_str(),
        "AWS::KMS::Alias"
            | "AWS::EC2::SecurityGroupIngress"
            | "AWS::EC2::SecurityGroupEgress"
            | "AWS::SQS::QueuePolicy"
            | "AWS::SNS::TopicPolicy"
            | "AWS::S3::BucketPolicy"
    )
}

/// Apply the side tables: policies to their queues, topics and buckets, aliases to keys,
/// standalone rules to their groups.
fn apply(t: &Template<'_>, p: Pending, inv: &mut Inventory) {
    for (kind, targets, doc) in p.attachments {
        for target in targets {
            let Some(id) = target.get().and_then(|t| t.as_local()).map(str::to_owned) else {
                continue;
            };
            let slot = match kind {
                ResourceKind::Queue => inv
                    .queues
                    .iter_mut()
                    .find(|q| q.meta.id == id)
                    .map(|q| &mut q.policy),
                ResourceKind::Topic => inv
                    .topics
                    .iter_mut()
                    .find(|q| q.meta.id == id)
                    .map(|q| &mut q.policy),
                ResourceKind::Bucket => inv
                    .buckets
                    .iter_mut()
                    .find(|q| q.meta.id == id)
                    .map(|q| &mut q.policy),
                _ => None,
            };
            if let Some(slot) = slot {
                *slot = Some(doc.clone());
            }
        }
    }
    for (key, alias) in p.key_aliases {
        let id = key.get().and_then(|t| t.as_local()).map(str::to_owned);
        if let Some(k) = inv
            .kms_keys
            .iter_mut()
            .find(|k| Some(k.meta.id.as_str()) == id.as_deref())
        {
            k.aliases.push(alias);
        }
    }
    for (group, egress, rule) in p.sg_rules {
        let id = group.get().and_then(|t| t.as_local()).map(str::to_owned);
        match inv
            .security_groups
            .iter_mut()
            .find(|g| Some(g.meta.id.as_str()) == id.as_deref())
        {
            Some(g) if egress => g.egress.push(rule),
            Some(g) => g.ingress.push(rule),
            None => {
                if id.is_some() {
                    t.diags.warn(
                        "the security group of this rule is not declared in the template",
                        &rule.origin,
                    );
                }
            }
        }
    }
}

/// Link each function to the log group declared for it by name, `/aws/lambda/${Function}`
/// (`!Sub`, or `!Join` with a `!Ref` of the function), unless its `LoggingConfig` names one.
fn link_log_groups(inv: &mut Inventory) {
    let links: Vec<(String, lambdasec_model::Value<lambdasec_model::Target>)> = inv
        .log_groups
        .iter()
        .filter_map(|g| {
            let name = g.name.as_ref()?;
            let id = apigw::id_after(name.unresolved_expr()?, "/aws/lambda/")?;
            Some((
                id.to_owned(),
                lambdasec_model::Value::explicit(
                    lambdasec_model::Target::Local(g.meta.id.clone()),
                    name.origin.clone(),
                ),
            ))
        })
        .collect();
    for (function, group) in links {
        if let Some(f) = inv
            .functions
            .iter_mut()
            .find(|f| f.meta.id == function && f.log_group.is_none())
        {
            f.log_group = Some(group);
        }
    }
}
