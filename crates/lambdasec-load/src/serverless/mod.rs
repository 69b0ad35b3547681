//! Serverless Framework projects (`serverless.yml`, v3 and v4).
//!
//! The file is read with the shared YAML reader (spans on every node, CloudFormation short
//! forms), its variables resolved (see [`vars`]), then mapped to what the Framework deploys:
//! one function per `functions` entry with provider settings applied (runtime, environment,
//! VPC, layers, tracing, tags, KMS key...) and the Framework's defaults (memory 1024 MB, timeout
//! 6 s, name `<service>-<stage>-<key>`), its log group, URL, destinations, provisioned
//! concurrency alias, the resources and permissions its `events` create, and the execution role:
//! the shared `IamRoleLambdaExecution` the Framework generates for every function without a
//! `role` (trust `lambda.amazonaws.com`, log permissions, `provider.iam.role.statements`, the
//! permissions stream and queue events need), or one role per function with the
//! `serverless-iam-roles-per-function` plugin. Top-level `layers` become layers (and their
//! `allowedAccounts` layer permissions). The `resources:` block is CloudFormation.
//!
//! Ids: functions are their key (`hello`); what the Framework generates keeps its
//! CloudFormation logical id (`IamRoleLambdaExecution`, `ApiGatewayRestApi`,
//! `HelloLambdaPermissionApiGateway`), and is marked synthesized.

mod events;
mod functions;
mod iam;
mod names;
mod package;
mod read;
pub mod vars;

use crate::LoadOptions;
use crate::yaml;
use lambdasec_model::{
    Diagnostic, InputKind, Inventory, Node, NodeKind, Origin, SourceFile, SourceMap, Target, Value,
};
use read::Reader;
use std::path::Path;

/// Load one serverless.yml (and the files it references).
pub fn load(file: &SourceFile, sources: &SourceMap, options: &LoadOptions) -> Inventory {
    let mut inv = Inventory::new(InputKind::Serverless);
    let doc = match yaml::parse(file) {
        Ok(d) => d,
        Err(e) => {
            inv.diagnostics.push(e.to_diagnostic());
            return inv;
        }
    };
    inv.diagnostics.extend(doc.diagnostics);
    let root = doc.root;
    if root.as_map().is_none() {
        inv.diagnostics.push(Diagnostic::error(
            "a serverless.yml must be a map (service, provider, functions...)",
            root.origin.clone(),
        ));
        return inv;
    }
    // `provider: aws` (v1) or `provider: {name: aws}`.
    let provider_name = root
        .get("provider")
        .and_then(|p| p.get("name").or(Some(p)))
        .and_then(Node::as_str)
        .map(str::to_owned);
    match provider_name.as_deref() {
        Some("aws") => {}
        Some(other) => {
            inv.diagnostics.push(Diagnostic::warning(
                format!("provider `{other}` is not AWS: nothing for lambdasec to check"),
                root.get("provider")
                    .map_or_else(|| root.origin.clone(), |p| p.origin.clone()),
            ));
            return inv;
        }
        None => {
            inv.diagnostics.push(Diagnostic::error(
                "no `provider.name`: the Serverless Framework needs one (aws)",
                root.origin.clone(),
            ));
            return inv;
        }
    }

    let dir = Path::new(&file.path)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let cx = vars::Context {
        options: options.parameters.clone(),
        region: options.region.clone(),
        account_id: options.account_id.clone(),
        dir,
    };
    let mut resolver = vars::Resolver::new(&root, &cx, Some(sources));
    let resolved = resolver.resolve_document();
    let stage = resolver.effective("stage", 0);
    let region = resolver.effective("region", 0);
    inv.diagnostics.append(&mut resolver.diagnostics);
    inv.region = Some(region.clone());

    let reader = Reader { sources };
    let mut service = Service::new(reader, &resolved, stage, region, options.account_id.clone());
    service.config_name = Path::new(&file.path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    service.build(&mut inv);
    service.resources(file, &mut inv);
    rename_framework_ids(&service.functions(), &mut inv);
    inv
}

/// The resolved service and what every part of the mapping needs from it.
#[derive(Debug)]
pub(crate) struct Service<'a> {
    pub r: Reader<'a>,
    pub root: &'a Node,
    pub provider: Option<&'a Node>,
    /// The service name (`service: x` or the v1 `service: {name: x}`).
    pub name: Value<String>,
    pub stage: String,
    pub region: String,
    pub account: Option<String>,
    pub plugins: Vec<String>,
    /// The configuration file's name (`serverless.yml`), which the Framework leaves out of
    /// packages.
    pub config_name: String,
}

impl<'a> Service<'a> {
    fn new(
        r: Reader<'a>,
        root: &'a Node,
        stage: String,
        region: String,
        account: Option<String>,
    ) -> Self {
        let name = match root.get("service") {
            Some(n) => r.string(n.get("name").unwrap_or(n)),
            None => Value::unresolved("missing `service`", root.origin.clone()),
        };
        let plugins = root
            .get("plugins")
            .map(|p| p.get("modules").unwrap_or(p))
            .map(|p| {
                p.one_or_many()
                    .iter()
                    .filter_map(Node::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        Service {
            r,
            root,
            provider: root.get("provider"),
            name,
            stage,
            region,
            account,
            plugins,
            config_name: String::new(),
        }
    }

    /// A provider setting (`provider.<path>`, dotted).
    pub fn provider(&self, path: &str) -> Option<&'a Node> {
        let p = self.provider?;
        vars::lookup(p, path).filter(|n| !read::is_null(n))
    }

    /// A function setting, else the provider's.
    pub fn setting(&self, function: &'a Node, key: &str) -> Option<&'a Node> {
        function
            .get(key)
            .filter(|n| !read::is_null(n))
            .or_else(|| self.provider(key))
    }

    pub fn partition(&self) -> &'static str {
        match self.region.as_str() {
            r if r.starts_with("cn-") => "aws-cn",
            r if r.starts_with("us-gov-") => "aws-us-gov",
            _ => "aws",
        }
    }

    /// `<service>-<stage>`, the prefix of the names the Framework generates.
    pub fn prefix(&self) -> Option<String> {
        self.name.get().map(|n| format!("{n}-{}", self.stage))
    }

    pub fn has_plugin(&self, name: &str) -> bool {
        self.plugins.iter().any(|p| p == name)
    }

    /// The functions, in written order.
    pub fn functions(&self) -> Vec<(&'a str, &'a Node)> {
        self.root
            .get("functions")
            .and_then(Node::as_map)
            .unwrap_or_default()
            .iter()
            .filter(|e| e.value.as_map().is_some())
            .map(|e| (e.key.as_str(), &e.value))
            .collect()
    }

    fn build(&self, inv: &mut Inventory) {
        let functions = self.functions();
        if let Some(f) = self.root.get("functions")
            && f.as_map().is_none()
            && !read::is_null(f)
        {
            inv.diagnostics.push(Diagnostic::warning(
                "`functions` should be a map of function names to settings",
                f.origin.clone(),
            ));
        }
        let plan = iam::RolePlan::new(self, &functions);
        for (key, f) in &functions {
            functions::function(self, key, f, &plan, inv);
            events::events(self, key, f, inv);
        }
        functions::layers(self, inv);
        iam::roles(self, &functions, &plan, inv);
        for (key, f) in &functions {
            if f.get("iamRoleStatements").is_some() && !plan.per_function {
                inv.diagnostics.push(Diagnostic::warning(
                    format!(
                        "function `{key}` has `iamRoleStatements`, which the Framework ignores \
                         without the serverless-iam-roles-per-function plugin"
                    ),
                    f.get("iamRoleStatements")
                        .map_or_else(|| f.origin.clone(), |n| n.origin.clone()),
                ));
            }
        }
        if self.provider("deploymentBucket").is_none() {
            // The bucket the Framework deploys with: resources may refer to it.
            inv.other_resources.push(lambdasec_model::OtherResource {
                id: "ServerlessDeploymentBucket".to_owned(),
                type_name: "AWS::S3::Bucket".to_owned(),
                origin: implied(self.root),
            });
        }
    }

    /// The `resources:` block: CloudFormation deployed with the service, read by the
    /// CloudFormation loader (variables already resolved). A resource declared there with the
    /// logical id of one the Framework generates replaces it; a partial one (no `Type`, which
    /// the Framework merges into its own) is reported and not merged.
    fn resources(&self, file: &SourceFile, inv: &mut Inventory) {
        let Some(resources) = self.root.get("resources") else {
            return;
        };
        let options = LoadOptions {
            parameters: Default::default(),
            account_id: self.account.clone(),
            region: Some(self.region.clone()),
            packages: None,
        };
        // v3 also takes a list of CloudFormation fragments.
        for block in resources.one_or_many() {
            let Some(section) = block.get("Resources") else {
                continue;
            };
            let Some(entries) = section.as_map() else {
                continue;
            };
            let generated: Vec<String> = inv
                .metas()
                .filter(|m| m.synthesized)
                .map(|m| m.id.clone())
                .collect();
            let mut kept = Vec::with_capacity(entries.len());
            for e in entries {
                let partial = e.value.get("Type").is_none();
                if partial && self.merge_log_group(&e.key, &e.value, inv) {
                    continue;
                }
                if generated.contains(&e.key) && partial {
                    inv.diagnostics.push(Diagnostic::warning(
                        format!(
                            "`{}` changes a resource the Framework generates; the Framework merges \
                             it, lambdasec keeps the generated resource as it is",
                            e.key
                        ),
                        e.key_origin.clone(),
                    ));
                    continue;
                }
                kept.push(e.clone());
            }
            let fragment = replace_entry(
                block,
                "Resources",
                Node::new(NodeKind::Map(kept), section.origin.clone()),
            );
            let mut part = Inventory::new(InputKind::Serverless);
            crate::cloudformation::load_template_node(&fragment, file, &options, &mut part);
            // A complete declaration replaces the generated resource of the same id.
            let declared: Vec<String> = part.metas().map(|m| m.id.clone()).collect();
            remove_ids(inv, &declared);
            inv.extend(part);
        }
    }
}

impl Service<'_> {
    /// `<Fn>LogGroup: {Properties: {RetentionInDays, KmsKeyId}}`: the common partial override
    /// of a generated log group, merged as the Framework does. False when `id` is not such an
    /// override.
    fn merge_log_group(&self, id: &str, node: &Node, inv: &mut Inventory) -> bool {
        let Some(group) = inv
            .log_groups
            .iter_mut()
            .find(|g| g.meta.synthesized && g.meta.id == id)
        else {
            return false;
        };
        let Some(props) = node.get("Properties").and_then(Node::as_map) else {
            return false;
        };
        if props
            .iter()
            .any(|p| !matches!(p.key.as_str(), "RetentionInDays" | "KmsKeyId"))
        {
            return false;
        }
        for p in props {
            match p.key.as_str() {
                "RetentionInDays" => group.retention_days = Some(self.r.int(&p.value)),
                _ => group.kms_key = Some(self.r.target(&p.value)),
            }
        }
        true
    }
}

/// `node` with the value of `key` replaced.
fn replace_entry(node: &Node, key: &str, value: Node) -> Node {
    let entries = node
        .as_map()
        .unwrap_or_default()
        .iter()
        .map(|e| {
            let mut e = e.clone();
            if e.key == key {
                e.value = value.clone();
            }
            e
        })
        .collect();
    Node::new(NodeKind::Map(entries), node.origin.clone())
}

/// Drop the synthesized resources with these ids.
fn remove_ids(inv: &mut Inventory, ids: &[String]) {
    macro_rules! drop_from {
        ($($field:ident),*) => {
            $(inv.$field.retain(|r| !(r.meta.synthesized && ids.contains(&r.meta.id)));)*
        };
    }
    drop_from!(
        function_urls,
        permissions,
        aliases,
        event_invoke_configs,
        event_source_mappings,
        layer_permissions,
        roles,
        log_groups,
        apis,
        routes,
        stages,
        authorizers,
        topics,
        subscriptions,
        buckets,
        event_rules
    );
}

/// References written with the Framework's logical ids (`HelloLambdaFunction`) name the
/// functions by their key.
fn rename_framework_ids(functions: &[(&str, &Node)], inv: &mut Inventory) {
    let renames: Vec<(String, String)> = functions
        .iter()
        .map(|(key, _)| (names::lambda_function(key), (*key).to_owned()))
        .collect();
    let fix = |t: &mut Value<Target>| {
        if let lambdasec_model::State::Explicit(Target::Local(id)) = &mut t.state
            && let Some((_, key)) = renames.iter().find(|(logical, _)| logical == id)
        {
            key.clone_into(id);
        }
    };
    for p in &mut inv.permissions {
        fix(&mut p.function);
    }
    for u in &mut inv.function_urls {
        fix(&mut u.function);
    }
    for a in &mut inv.aliases {
        fix(&mut a.function);
    }
    for c in &mut inv.event_invoke_configs {
        fix(&mut c.function);
        c.on_success.iter_mut().for_each(fix);
        c.on_failure.iter_mut().for_each(fix);
    }
    for e in &mut inv.event_source_mappings {
        fix(&mut e.function);
    }
    for r in &mut inv.routes {
        r.function.iter_mut().for_each(fix);
    }
    for a in &mut inv.authorizers {
        a.function.iter_mut().for_each(fix);
    }
    for s in &mut inv.subscriptions {
        fix(&mut s.endpoint);
    }
    for b in &mut inv.buckets {
        b.notifications
            .iter_mut()
            .for_each(|n| fix(&mut n.function));
    }
    for r in &mut inv.event_rules {
        r.targets.iter_mut().for_each(fix);
    }
}

/// The origin of a value the Framework writes for the user, owned by `node`.
pub(crate) fn implied(node: &Node) -> Origin {
    node.origin.implied()
}
