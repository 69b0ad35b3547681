//! The inventory: every resource of one scan unit (a template, a Terraform module, a serverless
//! project, an account region snapshot), and the diagnostics of loading it.

use crate::assessment::NotAssessed;
use crate::events::*;
use crate::iam::*;
use crate::infra::*;
use crate::lambda::*;
use crate::origin::{Origin, Value};
use crate::package::{PackageFilter, PackageSecret, PackageSkip};
use crate::resource::{Meta, Resource, ResourceKind};
use crate::target::{Arn, Target};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The input kinds lambdasec reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InputKind {
    CloudFormation,
    Sam,
    Terraform,
    TerraformPlan,
    Serverless,
    Snapshot,
}

impl InputKind {
    pub fn as_str(self) -> &'static str {
        match self {
            InputKind::CloudFormation => "cloudformation",
            InputKind::Sam => "sam",
            InputKind::Terraform => "terraform",
            InputKind::TerraformPlan => "terraform-plan",
            InputKind::Serverless => "serverless",
            InputKind::Snapshot => "snapshot",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The input (or part of it) could not be loaded; the scan is incomplete.
    Error,
    /// Loaded, but something is off (a dangling reference, an unknown property value).
    Warning,
}

/// A problem met while loading, with its location.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Diagnostic {
    pub level: Level,
    pub message: String,
    pub origin: Origin,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>, origin: Origin) -> Self {
        Diagnostic {
            level: Level::Error,
            message: message.into(),
            origin,
        }
    }

    pub fn warning(message: impl Into<String>, origin: Origin) -> Self {
        Diagnostic {
            level: Level::Warning,
            message: message.into(),
            origin,
        }
    }
}

/// A declared resource of a type the model does not represent.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OtherResource {
    pub id: String,
    /// The input's type name (`AWS::DynamoDB::Table`, `aws_dynamodb_table`).
    pub type_name: String,
    pub origin: Origin,
}

macro_rules! inventory {
    ($($field:ident: $ty:ty),* $(,)?) => {
        /// Everything loaded from one scan unit.
        #[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
        #[serde(default)]
        pub struct Inventory {
            /// What it was loaded from; `None` for an inventory built in code.
            pub input: Option<InputKind>,
            /// The audited account and region, when known (live, snapshot, configuration).
            pub account_id: Option<String>,
            pub region: Option<String>,
            $(pub $field: Vec<$ty>,)*
            /// Resources declared in the input whose type the model does not represent (a
            /// DynamoDB table, a Kinesis stream, a state machine): references to them are not
            /// dangling.
            pub other_resources: Vec<OtherResource>,
            /// Secrets found in the code of functions and layers by the package scan (rules
            /// SEC002, SEC003); empty when packages were not scanned.
            pub package_secrets: Vec<PackageSecret>,
            /// Artifacts (or entries of them) the package scan could not assess.
            pub package_skips: Vec<PackageSkip>,
            /// What the packaging tool leaves out of local code directories, per owner (read by
            /// the package scan; serverless.yml `package.patterns`, `archive_file` `excludes`).
            pub package_filters: Vec<PackageFilter>,
            /// Calls of a live collection that failed: the checks that need their answers are
            /// not assessed for what they cover. Empty for templates.
            pub not_assessed: Vec<NotAssessed>,
            pub diagnostics: Vec<Diagnostic>,
        }

        impl Inventory {
            /// Every resource's identity, in a stable order (by kind, then declaration order).
            pub fn metas(&self) -> impl Iterator<Item = &Meta> + '_ {
                std::iter::empty()
                    $(.chain(self.$field.iter().map(Resource::meta)))*
            }

            /// Every resource's identity, mutably (loaders attach suppressions, ARNs).
            pub fn metas_mut(&mut self) -> impl Iterator<Item = &mut Meta> + '_ {
                std::iter::empty()
                    $(.chain(self.$field.iter_mut().map(Resource::meta_mut)))*
            }

            /// Append another inventory's resources and diagnostics.
            pub fn extend(&mut self, other: Inventory) {
                $(self.$field.extend(other.$field);)*
                self.other_resources.extend(other.other_resources);
                self.package_secrets.extend(other.package_secrets);
                self.package_skips.extend(other.package_skips);
                self.package_filters.extend(other.package_filters);
                self.not_assessed.extend(other.not_assessed);
                self.diagnostics.extend(other.diagnostics);
            }
        }
    };
}

inventory! {
    functions: Function,
    function_urls: FunctionUrl,
    permissions: Permission,
    aliases: Alias,
    event_invoke_configs: EventInvokeConfig,
    event_source_mappings: EventSourceMapping,
    layers: Layer,
    layer_permissions: LayerPermission,
    code_signing_configs: CodeSigningConfig,
    roles: Role,
    users: User,
    groups: Group,
    policies: Policy,
    log_groups: LogGroup,
    kms_keys: KmsKey,
    apis: Api,
    routes: Route,
    stages: Stage,
    authorizers: Authorizer,
    queues: Queue,
    topics: Topic,
    subscriptions: Subscription,
    buckets: Bucket,
    event_rules: EventRule,
    trails: Trail,
    security_groups: SecurityGroup,
    subnets: Subnet,
    accounts: AccountSettings,
}

impl Inventory {
    pub fn new(input: InputKind) -> Self {
        Inventory {
            input: Some(input),
            ..Inventory::default()
        }
    }

    pub fn resource_count(&self) -> usize {
        self.metas().count()
    }

    /// Every reference the resources hold, with the resource holding it.
    pub fn references(&self) -> Vec<(&Meta, &Value<Target>)> {
        let mut out: Vec<(&Meta, &Value<Target>)> = Vec::new();
        for f in &self.functions {
            let m = &f.meta;
            out.extend(f.role.iter().map(|t| (m, t)));
            out.extend(f.kms_key.iter().map(|t| (m, t)));
            out.extend(f.layers.iter().map(|t| (m, t)));
            out.extend(f.dead_letter_target.iter().map(|t| (m, t)));
            out.extend(f.code_signing_config.iter().map(|t| (m, t)));
            out.extend(f.log_group.iter().map(|t| (m, t)));
            if let Some(vpc) = &f.vpc {
                out.extend(vpc.subnets.iter().map(|t| (m, t)));
                out.extend(vpc.security_groups.iter().map(|t| (m, t)));
            }
        }
        for u in &self.function_urls {
            out.push((&u.meta, &u.function));
        }
        for p in &self.permissions {
            out.push((&p.meta, &p.function));
        }
        for a in &self.aliases {
            out.push((&a.meta, &a.function));
        }
        for c in &self.event_invoke_configs {
            out.push((&c.meta, &c.function));
            out.extend(c.on_success.iter().map(|t| (&c.meta, t)));
            out.extend(c.on_failure.iter().map(|t| (&c.meta, t)));
        }
        for e in &self.event_source_mappings {
            out.push((&e.meta, &e.function));
            out.extend(e.event_source.iter().map(|t| (&e.meta, t)));
            out.extend(e.on_failure.iter().map(|t| (&e.meta, t)));
        }
        for p in &self.layer_permissions {
            out.push((&p.meta, &p.layer));
        }
        for r in &self.roles {
            out.extend(r.managed_policies.iter().map(|t| (&r.meta, t)));
            out.extend(r.permissions_boundary.iter().map(|t| (&r.meta, t)));
        }
        for u in &self.users {
            out.extend(u.managed_policies.iter().map(|t| (&u.meta, t)));
            out.extend(u.groups.iter().map(|t| (&u.meta, t)));
        }
        for g in &self.groups {
            out.extend(g.managed_policies.iter().map(|t| (&g.meta, t)));
        }
        for p in &self.policies {
            out.extend(p.roles.iter().map(|t| (&p.meta, t)));
            out.extend(p.users.iter().map(|t| (&p.meta, t)));
            out.extend(p.groups.iter().map(|t| (&p.meta, t)));
        }
        for l in &self.log_groups {
            out.extend(l.kms_key.iter().map(|t| (&l.meta, t)));
        }
        for r in &self.routes {
            out.push((&r.meta, &r.api));
            out.extend(r.authorizer.iter().map(|t| (&r.meta, t)));
            out.extend(r.function.iter().map(|t| (&r.meta, t)));
        }
        for s in &self.stages {
            out.push((&s.meta, &s.api));
            out.extend(s.access_log_destination.iter().map(|t| (&s.meta, t)));
        }
        for a in &self.authorizers {
            out.push((&a.meta, &a.api));
            out.extend(a.function.iter().map(|t| (&a.meta, t)));
        }
        for q in &self.queues {
            out.extend(q.dead_letter_target.iter().map(|t| (&q.meta, t)));
            out.extend(q.kms_key.iter().map(|t| (&q.meta, t)));
        }
        for t in &self.topics {
            out.extend(t.kms_key.iter().map(|k| (&t.meta, k)));
        }
        for s in &self.subscriptions {
            out.push((&s.meta, &s.topic));
            out.push((&s.meta, &s.endpoint));
        }
        for b in &self.buckets {
            out.extend(b.notifications.iter().map(|n| (&b.meta, &n.function)));
        }
        for r in &self.event_rules {
            out.extend(r.targets.iter().map(|t| (&r.meta, t)));
        }
        for t in &self.trails {
            out.extend(t.kms_key.iter().map(|k| (&t.meta, k)));
        }
        for s in &self.security_groups {
            out.extend(s.vpc.iter().map(|t| (&s.meta, t)));
        }
        out
    }

    /// Report local references that name no resource of the inventory (as warnings: the scan
    /// goes on, and rules treat the reference as unknown).
    pub fn check_references(&mut self) {
        let ids: std::collections::HashSet<&str> = self
            .metas()
            .map(|m| m.id.as_str())
            .chain(self.other_resources.iter().map(|r| r.id.as_str()))
            .collect();
        let dangling: Vec<Diagnostic> = self
            .references()
            .into_iter()
            .filter_map(|(meta, target)| {
                let id = target.get()?.as_local()?;
                (!ids.contains(id)).then(|| {
                    Diagnostic::warning(
                        format!(
                            "{} `{}` refers to `{id}`, which is not declared",
                            meta.kind, meta.id
                        ),
                        target.origin.clone(),
                    )
                })
            })
            .collect();
        self.diagnostics.extend(dangling);
    }

    pub fn index(&self) -> Index<'_> {
        Index::new(self)
    }
}

/// Lookups over an inventory, built once per scan unit.
#[derive(Debug)]
pub struct Index<'a> {
    inv: &'a Inventory,
    by_id: HashMap<(ResourceKind, &'a str), usize>,
    by_arn: HashMap<(ResourceKind, &'a str), usize>,
    by_name: HashMap<(ResourceKind, &'a str), usize>,
}

/// A resource that a reference can point at.
pub trait Referable: Resource {
    /// Its name when known (function name, role name, queue name...).
    fn known_name(&self) -> Option<&str>;
    /// The list of this kind in an inventory.
    fn all(inv: &Inventory) -> &[Self]
    where
        Self: Sized;
}

macro_rules! referable {
    ($($ty:ty => $field:ident, |$r:ident| $name:expr;)*) => {
        $(impl Referable for $ty {
            fn known_name(&self) -> Option<&str> {
                let $r = self;
                $name
            }
            fn all(inv: &Inventory) -> &[Self] {
                &inv.$field
            }
        })*

        impl<'a> Index<'a> {
            fn new(inv: &'a Inventory) -> Self {
                let mut ix = Index {
                    inv,
                    by_id: HashMap::new(),
                    by_arn: HashMap::new(),
                    by_name: HashMap::new(),
                };
                $(ix.add_all(&inv.$field);)*
                ix
            }
        }
    };
}

fn name_of(name: &Option<Value<String>>) -> Option<&str> {
    name.as_ref().and_then(|n| n.as_str())
}

referable! {
    Function => functions, |r| name_of(&r.name);
    FunctionUrl => function_urls, |_r| None;
    Permission => permissions, |_r| None;
    Alias => aliases, |r| r.name.as_str();
    EventInvokeConfig => event_invoke_configs, |_r| None;
    EventSourceMapping => event_source_mappings, |_r| None;
    Layer => layers, |r| name_of(&r.name);
    LayerPermission => layer_permissions, |_r| None;
    CodeSigningConfig => code_signing_configs, |_r| None;
    Role => roles, |r| name_of(&r.name);
    User => users, |r| name_of(&r.name);
    Group => groups, |r| name_of(&r.name);
    Policy => policies, |r| name_of(&r.name);
    LogGroup => log_groups, |r| name_of(&r.name);
    KmsKey => kms_keys, |_r| None;
    Api => apis, |r| name_of(&r.name);
    Route => routes, |_r| None;
    Stage => stages, |r| r.name.as_str();
    Authorizer => authorizers, |r| name_of(&r.name);
    Queue => queues, |r| name_of(&r.name);
    Topic => topics, |r| name_of(&r.name);
    Subscription => subscriptions, |_r| None;
    Bucket => buckets, |r| name_of(&r.name);
    EventRule => event_rules, |r| name_of(&r.name);
    Trail => trails, |r| name_of(&r.name);
    SecurityGroup => security_groups, |r| name_of(&r.name);
    Subnet => subnets, |_r| None;
    AccountSettings => accounts, |_r| None;
}

impl<'a> Index<'a> {
    fn add_all<R: Referable>(&mut self, items: &'a [R]) {
        for (i, r) in items.iter().enumerate() {
            let m = r.meta();
            self.by_id.entry((R::KIND, m.id.as_str())).or_insert(i);
            if let Some(arn) = &m.arn {
                self.by_arn.entry((R::KIND, arn.as_str())).or_insert(i);
            }
            if let Some(name) = r.known_name() {
                self.by_name.entry((R::KIND, name)).or_insert(i);
            }
        }
    }

    pub fn inventory(&self) -> &'a Inventory {
        self.inv
    }

    /// Resolve a reference to a resource of kind `R` in this inventory. `None` for references to
    /// resources outside it (or unknown).
    pub fn resolve<R: Referable>(&self, target: &Target) -> Option<&'a R> {
        self.resolve_direct(target).or_else(|| {
            // A function is also reached through one of its aliases (SAM's AutoPublishAlias
            // points permissions, URLs and event sources at the alias).
            if R::KIND != ResourceKind::Function {
                return None;
            }
            let alias: &Alias = self.resolve_direct(target)?;
            self.resolve_direct(alias.function.get()?)
        })
    }

    fn resolve_direct<R: Referable>(&self, target: &Target) -> Option<&'a R> {
        let items = R::all(self.inv);
        let kind = R::KIND;
        let idx = match target {
            Target::Local(id) => self.by_id.get(&(kind, id.as_str())).copied(),
            Target::Arn(arn) => self.by_arn.get(&(kind, arn.as_str())).copied().or_else(|| {
                let parsed = Arn::parse(arn)?;
                let name = parsed.resource_name();
                self.by_name.get(&(kind, name)).copied()
            }),
            Target::Name(name) => self
                .by_name
                .get(&(kind, name.as_str()))
                .or_else(|| self.by_id.get(&(kind, name.as_str())))
                .copied(),
        }?;
        items.get(idx)
    }

    /// Resolve a value holding a reference (unresolved values resolve to nothing).
    pub fn get<R: Referable>(&self, target: &Value<Target>) -> Option<&'a R> {
        self.resolve(target.get()?)
    }

    /// True when `target` names the resource `r` (by id, ARN or name).
    pub fn points_to<R: Referable>(&self, target: &Value<Target>, r: &R) -> bool {
        self.get::<R>(target)
            .is_some_and(|found| std::ptr::eq(found.meta(), r.meta()))
    }

    /// The function a reference names.
    pub fn function(&self, target: &Value<Target>) -> Option<&'a Function> {
        self.get(target)
    }

    /// The role a reference names.
    pub fn role(&self, target: &Value<Target>) -> Option<&'a Role> {
        self.get(target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::origin::{FileId, Span};

    fn origin(path: &str) -> Origin {
        Origin::source(FileId(0), Span::new(0, 1), path)
    }

    fn function(id: &str, name: Option<&str>, role: Target) -> Function {
        let o = origin(&format!("Resources.{id}"));
        let mut f = Function::new(Meta::new(id, ResourceKind::Function, o.clone()));
        f.name = name.map(|n| Value::explicit(n.to_owned(), o.clone()));
        f.role = Some(Value::explicit(role, o));
        f
    }

    fn role(id: &str, name: &str) -> Role {
        let o = origin(&format!("Resources.{id}"));
        let mut r = Role::new(Meta::new(id, ResourceKind::Role, o.clone()));
        r.name = Some(Value::explicit(name.to_owned(), o));
        r
    }

    #[test]
    fn resolves_by_id_arn_and_name() {
        let mut inv = Inventory::new(InputKind::CloudFormation);
        inv.roles.push(role("ExecRole", "exec"));
        inv.functions
            .push(function("A", Some("fa"), Target::Local("ExecRole".into())));
        inv.functions.push(function(
            "B",
            None,
            Target::Arn("arn:aws:iam::123456789012:role/svc/exec".into()),
        ));
        inv.functions
            .push(function("C", None, Target::Local("Missing".into())));
        let ix = inv.index();
        for f in &inv.functions[..2] {
            let r = ix
                .role(f.role.as_ref().unwrap())
                .map(|r| r.meta.id.as_str());
            assert_eq!(r, Some("ExecRole"));
        }
        assert!(ix.role(inv.functions[2].role.as_ref().unwrap()).is_none());
        let by_name: Option<&Function> = ix.resolve(&Target::Name("fa".into()));
        assert_eq!(by_name.map(|f| f.meta.id.as_str()), Some("A"));
        let by_arn: Option<&Function> = ix.resolve(&Target::Arn(
            "arn:aws:lambda:us-east-1:1:function:fa:live".into(),
        ));
        assert_eq!(by_arn.map(|f| f.meta.id.as_str()), Some("A"));

        let o = origin("Resources.AAliaslive");
        inv.aliases.push(Alias {
            meta: Meta::new("AAliaslive", ResourceKind::Alias, o.clone()),
            function: Value::explicit(Target::Local("A".into()), o.clone()),
            name: Value::explicit("live".into(), o.clone()),
            function_version: None,
            provisioned_concurrency: None,
        });
        let ix = inv.index();
        let via_alias: Option<&Function> = ix.resolve(&Target::Local("AAliaslive".into()));
        assert_eq!(via_alias.map(|f| f.meta.id.as_str()), Some("A"));
        let not_a_role: Option<&Role> = ix.resolve(&Target::Local("AAliaslive".into()));
        assert!(not_a_role.is_none());

        inv.check_references();
        assert_eq!(inv.diagnostics.len(), 1);
        assert!(inv.diagnostics[0].message.contains("`Missing`"));
        inv.diagnostics.clear();
        inv.other_resources.push(OtherResource {
            id: "Missing".into(),
            type_name: "AWS::DynamoDB::Table".into(),
            origin: origin("Resources.Missing"),
        });
        inv.check_references();
        assert!(inv.diagnostics.is_empty());
        assert_eq!(inv.resource_count(), 5);
    }

    #[test]
    fn serde_round_trip() {
        let mut inv = Inventory::new(InputKind::Sam);
        inv.functions
            .push(function("A", Some("fa"), Target::Local("R".into())));
        let json = serde_json::to_string(&inv).unwrap();
        let back: Inventory = serde_json::from_str(&json).unwrap();
        assert_eq!(back, inv);
    }
}
