//! Effective permissions of an [`Identity`]: for every Allow statement, the catalog actions it
//! still grants once unconditional denies and the permissions boundary are applied, with the
//! resources and whether conditions narrow it.
//!
//! Actions come from the embedded catalog ([`crate::catalog()`]): `s3:Get*` and `NotAction`
//! expand to concrete actions, so `NotAction: iam:*` is seen for what it grants.

use crate::actionset::ActionSet;
use crate::catalog::{ActionId, Catalog, catalog};
use crate::evaluate::{Layer, StatementRef};
use crate::identity::Identity;
use crate::policy::{Effect, Item, Policy, Statement};
use crate::wildcard;
use serde::Serialize;

/// The resources a grant covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Resources {
    /// `NotResource`: every resource except these.
    pub negated: bool,
    /// Patterns as written (unknown values as their expression).
    pub patterns: Vec<String>,
    /// Some pattern is not known offline.
    pub unknown: bool,
}

impl Resources {
    /// Whether the grant covers every resource of the action's service: `*`, a pattern that
    /// wildcards everything after the service (`arn:aws:s3:::*`, `arn:*:secretsmanager:*:*:*`),
    /// or a `NotResource`.
    pub fn is_broad(&self) -> bool {
        self.negated || self.patterns.iter().any(|p| is_broad_pattern(p))
    }
}

/// True for `*` and ARN patterns whose region, account and resource parts are all wildcards;
/// the resource part may keep the literal type prefix of one of the service's ARN formats
/// (`arn:aws:secretsmanager:*:*:secret:*`, `arn:aws:dynamodb:*:*:table/*`), but not a name
/// (`arn:aws:s3:::bucket/*`).
pub fn is_broad_pattern(p: &str) -> bool {
    if p == "*" || p == "arn:*" {
        return true;
    }
    let parts: Vec<&str> = p.splitn(6, ':').collect();
    let [arn, _partition, service, region, account, resource] = parts.as_slice() else {
        return false;
    };
    let any = |s: &str| s.is_empty() || s == "*";
    if *arn != "arn" || !any(region) || !any(account) {
        return false;
    }
    if *resource == "*" {
        return true;
    }
    let Some(prefix) = resource.strip_suffix('*') else {
        return false;
    };
    if prefix.contains('*') || prefix.contains('?') {
        return false;
    }
    let services: Vec<&crate::catalog::Service> = if *service == "*" {
        return false;
    } else {
        catalog().service(service).into_iter().collect()
    };
    services.iter().any(|s| {
        s.resource_types.iter().any(|rt| {
            let res = rt.arn.splitn(6, ':').nth(5).unwrap_or_default();
            let literal = res.split("${").next().unwrap_or_default();
            !literal.is_empty() && literal == prefix
        })
    })
}

/// The effective grant of one Allow statement on one of its `Resource` patterns (a statement
/// with several patterns gives one grant per pattern; `NotResource` gives one grant).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub statement: StatementRef,
    /// Catalog actions it grants, after unconditional denies and the boundary.
    pub actions: ActionSet,
    pub resources: Resources,
    /// The statement has conditions: the grant holds only when they do.
    pub conditional: bool,
    /// Some action pattern is not known offline: it may grant more.
    pub unknown_actions: bool,
    /// The statement uses `NotAction`.
    pub not_action: bool,
    /// Deny statements that remove part of it (conditionally, or on some resources only).
    pub limited_by: Vec<StatementRef>,
    /// The boundary allows these actions only on some resources or under conditions.
    pub bounded: bool,
}

impl Grant {
    /// Granted on every resource without conditions.
    pub fn is_unrestricted(&self) -> bool {
        !self.conditional && self.resources.is_broad() && self.limited_by.is_empty()
    }
}

/// The effective permissions of an identity.
#[derive(Debug, Clone)]
pub struct Effective {
    pub grants: Vec<Grant>,
    /// Statements not knowable offline (they may allow anything).
    pub opaque: Vec<StatementRef>,
}

pub(crate) fn statement_ref(layer: Layer, policy: &Policy, st: &Statement) -> StatementRef {
    StatementRef {
        layer,
        policy: policy.name.clone(),
        index: st.index,
        sid: st.sid_text().map(str::to_owned),
        effect: st.effect,
        origin: st.origin.clone(),
    }
}

/// The catalog actions a statement's `Action` / `NotAction` covers, and whether some pattern
/// is unknown.
pub fn statement_actions(cat: &Catalog, st: &Statement) -> (ActionSet, bool) {
    let mut set = cat.empty_set();
    let mut unknown = false;
    for a in &st.action.items {
        match &a.item {
            Item::Text { text, .. } => set.union_with(&cat.expand(text)),
            Item::Unknown { .. } => unknown = true,
        }
    }
    if st.action.negated {
        (set.complement(cat.len()), unknown)
    } else {
        (set, unknown)
    }
}

fn resources_of(st: &Statement) -> Resources {
    match &st.resource {
        None => Resources {
            negated: false,
            patterns: vec!["*".to_owned()],
            unknown: false,
        },
        Some(b) => Resources {
            negated: b.negated,
            patterns: b.items.iter().map(|i| i.display().to_owned()).collect(),
            unknown: b.items.iter().any(Item::is_unknown),
        },
    }
}

/// The resources of an Allow statement, one entry per `Resource` pattern (a `NotResource`
/// stays whole): each pattern reaches only the actions of the services its ARN names, and
/// whether it covers every resource is a property of the pattern, not of the statement.
fn allowed_resources(st: &Statement) -> Vec<Resources> {
    match &st.resource {
        Some(b) if !b.negated && b.items.len() > 1 => b
            .items
            .iter()
            .map(|i| Resources {
                negated: false,
                patterns: vec![i.display().to_owned()],
                unknown: i.is_unknown(),
            })
            .collect(),
        _ => vec![resources_of(st)],
    }
}

/// The actions a resource pattern can apply to, when it names the service of its ARN
/// (`arn:aws:logs:*:*:*` reaches only actions on `logs` resources, whatever the statement's
/// `Action`); `None` when any action may apply (`*`, `NotResource`, unknown values, a wildcard
/// service).
fn reachable_actions(cat: &Catalog, r: &Resources) -> Option<std::sync::Arc<ActionSet>> {
    if r.negated || r.unknown {
        return None;
    }
    let [pattern] = r.patterns.as_slice() else {
        return None;
    };
    let mut parts = pattern.splitn(6, ':');
    if parts.next() != Some("arn") {
        return None;
    }
    let service = parts.nth(1)?;
    if service.is_empty() || service == "*" {
        return None;
    }
    Some(cat.actions_on_arn_service(service))
}

/// Whether a deny's resources cover every resource of a grant. Only `*`-wildcard deny patterns
/// are used: a deny pattern that matches the grant's pattern text covers every ARN the grant's
/// pattern covers.
fn deny_covers(deny: &Resources, grant: &Resources) -> bool {
    if deny.unknown || grant.unknown {
        return false;
    }
    if !deny.negated && deny.patterns.iter().any(|p| p == "*") {
        return true;
    }
    if deny.negated || grant.negated {
        return false;
    }
    grant.patterns.iter().all(|g| {
        deny.patterns
            .iter()
            .any(|d| !d.contains('?') && wildcard::matches(d, g))
    })
}

/// Expanded action sets of shared policies (AWS and customer managed policies attached to many
/// principals), keyed by the policy's address: valid while the policies it saw are alive, so
/// keep one per analysis run over a set of identities that hold their `Arc`s.
#[derive(Debug, Default)]
pub struct ActionCache {
    map: std::sync::RwLock<std::collections::HashMap<usize, SharedSets>>,
}

/// Per statement: its action set and whether some pattern is unknown.
type SharedSets = std::sync::Arc<Vec<(ActionSet, bool)>>;

impl ActionCache {
    fn sets(
        &self,
        cat: &Catalog,
        policy: &std::sync::Arc<Policy>,
    ) -> std::sync::Arc<Vec<(ActionSet, bool)>> {
        use std::sync::PoisonError;
        let key = std::sync::Arc::as_ptr(policy) as usize;
        if let Some(v) = self
            .map
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&key)
        {
            return std::sync::Arc::clone(v);
        }
        let v = std::sync::Arc::new(
            policy
                .statements
                .iter()
                .map(|st| statement_actions(cat, st))
                .collect::<Vec<_>>(),
        );
        self.map
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key, std::sync::Arc::clone(&v));
        v
    }
}

/// Compute the effective permissions of an identity.
pub fn effective(identity: &Identity) -> Effective {
    effective_cached(identity, &ActionCache::default())
}

/// [`effective`] with expanded action sets shared through `cache`.
pub fn effective_cached(identity: &Identity, cache: &ActionCache) -> Effective {
    let cat = catalog();
    let mut grants = Vec::new();
    let mut opaque = Vec::new();
    struct Deny {
        actions: ActionSet,
        resources: Resources,
        conditional: bool,
        r: StatementRef,
    }
    let mut denies: Vec<Deny> = Vec::new();
    let layers = identity
        .policies
        .iter()
        .map(|p| (Layer::Identity, p))
        .chain(
            identity
                .boundary
                .iter()
                .map(|b| (Layer::PermissionsBoundary, b)),
        );
    for (layer, policy_arc) in layers {
        let sets = cache.sets(cat, policy_arc);
        let policy = policy_arc.as_ref();
        for (st, (set, unknown)) in policy.statements.iter().zip(sets.iter()) {
            let r = statement_ref(layer, policy, st);
            if st.effect == Effect::Deny {
                let actions = set.clone();
                denies.push(Deny {
                    actions,
                    resources: resources_of(st),
                    conditional: st.is_conditional(),
                    r,
                });
            } else if layer == Layer::Identity {
                for resources in allowed_resources(st) {
                    let mut actions = set.clone();
                    if let Some(reach) = reachable_actions(cat, &resources) {
                        actions.intersect_with(&reach);
                    }
                    grants.push(Grant {
                        statement: r.clone(),
                        actions,
                        resources,
                        conditional: st.is_conditional(),
                        unknown_actions: *unknown,
                        not_action: st.action.negated,
                        limited_by: Vec::new(),
                        bounded: false,
                    });
                }
            }
        }
        for o in &policy.opaque {
            opaque.push(StatementRef {
                layer,
                policy: policy.name.clone(),
                index: o.index,
                sid: None,
                effect: Effect::Allow,
                origin: o.origin.clone(),
            });
        }
    }
    // The permissions boundary: only what it allows stays.
    if let Some(b) = &identity.boundary {
        let mut full = cat.empty_set();
        let mut narrow = cat.empty_set();
        for st in b.statements.iter().filter(|s| s.effect == Effect::Allow) {
            let (set, _) = statement_actions(cat, st);
            for resources in allowed_resources(st) {
                let mut set = set.clone();
                if let Some(reach) = reachable_actions(cat, &resources) {
                    set.intersect_with(&reach);
                }
                if !st.is_conditional() && resources.is_broad() {
                    full.union_with(&set);
                } else {
                    narrow.union_with(&set);
                }
            }
        }
        let mut allowed = full.clone();
        allowed.union_with(&narrow);
        for g in &mut grants {
            g.actions.intersect_with(&allowed);
            g.bounded = g.actions.intersects(&narrow) && !full.is_superset(&g.actions);
        }
    }
    // Explicit denies: unconditional ones that cover the grant's resources remove actions;
    // others only limit.
    for d in &denies {
        for g in &mut grants {
            if !g.actions.intersects(&d.actions) {
                continue;
            }
            if !d.conditional && deny_covers(&d.resources, &g.resources) {
                g.actions.subtract(&d.actions);
            } else {
                g.limited_by.push(d.r.clone());
            }
        }
    }
    grants.retain(|g| !g.actions.is_empty() || g.unknown_actions);
    Effective { grants, opaque }
}

impl Effective {
    /// The grants that include an action.
    pub fn grants_for(&self, id: ActionId) -> impl Iterator<Item = &Grant> {
        self.grants.iter().filter(move |g| g.actions.contains(id))
    }

    /// The grants that include the named action (`logs:PutLogEvents`); none for unknown names.
    pub fn grants_for_name(&self, action: &str) -> Vec<&Grant> {
        match catalog().lookup(action) {
            Some(id) => self.grants_for(id).collect(),
            None => Vec::new(),
        }
    }

    /// Whether the action is granted on every resource without conditions.
    pub fn allows_unrestricted(&self, action: &str) -> bool {
        self.grants_for_name(action)
            .iter()
            .any(|g| g.is_unrestricted())
    }

    /// Union of the actions of the grants that satisfy `pred`.
    pub fn actions_where(&self, pred: impl Fn(&Grant) -> bool) -> ActionSet {
        let mut set = catalog().empty_set();
        for g in self.grants.iter().filter(|g| pred(g)) {
            set.union_with(&g.actions);
        }
        set
    }

    /// Effective allowed actions per resource pattern set (grants with the same resources
    /// merged), with the statements behind each.
    pub fn by_resource(&self) -> Vec<(Resources, ActionSet, Vec<StatementRef>)> {
        let mut out: Vec<(Resources, ActionSet, Vec<StatementRef>)> = Vec::new();
        for g in &self.grants {
            match out.iter_mut().find(|(r, _, _)| *r == g.resources) {
                Some((_, set, refs)) => {
                    set.union_with(&g.actions);
                    refs.push(g.statement.clone());
                }
                None => out.push((
                    g.resources.clone(),
                    g.actions.clone(),
                    vec![g.statement.clone()],
                )),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broad_patterns() {
        for p in [
            "*",
            "arn:*",
            "arn:aws:s3:::*",
            "arn:aws:secretsmanager:*:*:secret:*",
            "arn:aws:logs:*:*:*",
            "arn:aws:dynamodb:*:*:table/*",
            "arn:*:ssm:*:*:parameter/*",
        ] {
            assert!(is_broad_pattern(p), "{p}");
        }
        for p in [
            "arn:aws:s3:::bucket/*",
            "arn:aws:logs:us-east-1:*:*",
            "arn:aws:logs:*:111122223333:*",
            "arn:aws:ssm:*:*:parameter/app/*",
            "arn:aws:dynamodb:*:*:table/t",
            "arn:aws:s3:::b*",
        ] {
            assert!(!is_broad_pattern(p), "{p}");
        }
    }

    fn identity(doc: &str) -> Identity {
        let p = crate::parse_policy_json(doc, &lambdasec_model::Origin::Unknown).unwrap();
        Identity::new("t").with_policy(p)
    }

    #[test]
    fn a_resource_pattern_reaches_only_its_service() {
        // `Action: *` on log resources grants log actions, not admin.
        let eff = effective(&identity(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"arn:aws:logs:*:*:*"}]}"#,
        ));
        assert!(eff.allows_unrestricted("logs:PutLogEvents"));
        assert!(eff.grants_for_name("s3:GetObject").is_empty());
        assert!(eff.grants_for_name("iam:PassRole").is_empty());
        // Each pattern is judged on its own: a broad log pattern does not make the bucket
        // pattern broad.
        let eff = effective(&identity(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:PutLogEvents","s3:GetObject"],"Resource":["arn:aws:logs:*:*:*","arn:aws:s3:::bucket/*"]}]}"#,
        ));
        assert!(eff.allows_unrestricted("logs:PutLogEvents"));
        assert!(!eff.allows_unrestricted("s3:GetObject"));
        assert_eq!(eff.grants_for_name("s3:GetObject").len(), 1);
        // `*`, NotResource and role ARNs for sts keep their reach.
        let eff = effective(&identity(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::*:role/*"},{"Effect":"Allow","Action":"s3:*","NotResource":"arn:aws:s3:::private/*"}]}"#,
        ));
        assert_eq!(eff.grants_for_name("sts:AssumeRole").len(), 1);
        assert!(eff.allows_unrestricted("s3:GetObject"));
    }

    #[test]
    fn a_boundary_pattern_reaches_only_its_service() {
        let p = crate::parse_policy_json(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
            &lambdasec_model::Origin::Unknown,
        )
        .unwrap();
        let b = crate::parse_policy_json(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"arn:aws:logs:*:*:*"}]}"#,
            &lambdasec_model::Origin::Unknown,
        )
        .unwrap();
        let eff = effective(&Identity::new("t").with_policy(p).with_boundary(b));
        assert!(eff.grants_for_name("s3:GetObject").is_empty());
        assert!(!eff.grants_for_name("logs:PutLogEvents").is_empty());
    }
}
