//! `evaluate(&Request, &PolicySet) -> Response`: AWS's policy evaluation logic —
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html>
//! (single account: `..._policy-eval-basics.html`; cross-account:
//! `reference_policies_evaluation-logic-cross-account.html`).
//!
//! Every step is three-valued: when the request context or a template value is unknown the
//! answer is [`Decision::Depends`] with the residual conditions, never a guess.

use crate::matching::{Prepared, PrincipalMatch, Unknown, match_statement};
use crate::policy::{Effect, Policy};
use crate::request::{PrincipalKind, Request};
use crate::tri::Tri;
use lambdasec_model::Origin;
use serde::Serialize;

/// The kinds of policies that take part in a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Layer {
    /// Identity-based policies (inline and managed) of the principal (and its groups).
    Identity,
    /// The resource-based policy of the target resource.
    Resource,
    PermissionsBoundary,
    /// Session policies passed when the role session was created.
    Session,
    /// Organizations service control policies, one set per level (root, OUs, account).
    Scp,
    /// Organizations resource control policies, one set per level.
    Rcp,
}

/// Everything that applies to a request. Policies are borrowed: build once, evaluate often.
#[derive(Debug, Clone, Default)]
pub struct PolicySet<'a> {
    pub identity: Vec<&'a Policy>,
    pub resource: Vec<&'a Policy>,
    pub boundary: Option<&'a Policy>,
    /// `None`: not a session with session policies; `Some(list)`: those policies limit.
    pub session: Option<Vec<&'a Policy>>,
    /// Each level must allow (root, each OU, the account).
    pub scps: Vec<Vec<&'a Policy>>,
    pub rcps: Vec<Vec<&'a Policy>>,
}

impl<'a> PolicySet<'a> {
    pub fn new() -> Self {
        PolicySet::default()
    }

    pub fn identity(mut self, p: &'a Policy) -> Self {
        self.identity.push(p);
        self
    }

    pub fn resource(mut self, p: &'a Policy) -> Self {
        self.resource.push(p);
        self
    }

    pub fn boundary(mut self, p: &'a Policy) -> Self {
        self.boundary = Some(p);
        self
    }

    pub fn session(mut self, p: &'a Policy) -> Self {
        self.session.get_or_insert_with(Vec::new).push(p);
        self
    }

    /// Add one level of SCPs (all the SCPs attached at that level).
    pub fn scp_level(mut self, level: Vec<&'a Policy>) -> Self {
        self.scps.push(level);
        self
    }

    pub fn rcp_level(mut self, level: Vec<&'a Policy>) -> Self {
        self.rcps.push(level);
        self
    }
}

/// The final decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Allow,
    ExplicitDeny,
    ImplicitDeny,
    /// Allowed or denied depending on the residual conditions.
    Depends,
}

/// A statement that took part in a decision.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct StatementRef {
    pub layer: Layer,
    /// The policy's label, when it has one.
    pub policy: Option<String>,
    pub index: usize,
    pub sid: Option<String>,
    pub effect: Effect,
    pub origin: Origin,
}

/// A statement whose match depends on unknowns.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Residual {
    pub statement: StatementRef,
    pub unknowns: Vec<Unknown>,
}

/// Why a request is implicitly denied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DenyReason {
    /// No identity-based or resource-based policy allows it.
    NoAllow,
    /// Allowed by identity-based policies, but the permissions boundary does not allow it.
    PermissionsBoundary,
    /// Allowed by identity-based policies, but the session policies do not allow it.
    SessionPolicy,
    /// Cross-account: the identity side or the resource side does not allow it.
    CrossAccount,
    /// An SCP level does not allow it.
    Scp,
    /// An RCP level does not allow it.
    Rcp,
    /// The resource-based policy must allow (KMS key, trust policy) and does not.
    ResourcePolicyRequired,
}

/// The answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Response {
    pub decision: Decision,
    /// The deciding statements: the matching denies for an explicit deny, the allows that
    /// grant for an allow.
    pub statements: Vec<StatementRef>,
    /// For `Depends`: the statements that may match and what they depend on.
    pub residual: Vec<Residual>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<DenyReason>,
}

/// The matches of one group of policies.
#[derive(Default)]
struct Group {
    allow: Tri,
    deny: Tri,
    allow_refs: Vec<StatementRef>,
    deny_refs: Vec<StatementRef>,
    maybe: Vec<Residual>,
    /// Resource layer: the best principal match of a definite allow, and of a possible one.
    allow_by: ByMatch,
}

/// Resource-layer allows by how the principal matched.
#[derive(Default, Clone, Copy)]
struct ByMatch {
    account: Tri,
    role: Tri,
    direct: Tri,
}

impl ByMatch {
    fn add(&mut self, how: PrincipalMatch, t: Tri) {
        let slot = match how {
            PrincipalMatch::Account => &mut self.account,
            PrincipalMatch::Role => &mut self.role,
            PrincipalMatch::Direct => &mut self.direct,
        };
        *slot = slot.or(t);
    }
}

fn stmt_ref(
    layer: Layer,
    policy: &Policy,
    index: usize,
    sid: Option<&str>,
    effect: Effect,
    origin: &Origin,
) -> StatementRef {
    StatementRef {
        layer,
        policy: policy.name.clone(),
        index,
        sid: sid.map(str::to_owned),
        effect,
        origin: origin.clone(),
    }
}

fn group(layer: Layer, policies: &[&Policy], p: &Prepared<'_>) -> Group {
    let mut g = Group::default();
    for policy in policies {
        for st in &policy.statements {
            let m = match_statement(st, policy, p);
            if m.tri.is_no() {
                continue;
            }
            let r = || {
                stmt_ref(
                    layer,
                    policy,
                    st.index,
                    st.sid_text(),
                    st.effect,
                    &st.origin,
                )
            };
            match st.effect {
                Effect::Allow => {
                    g.allow = g.allow.or(m.tri);
                    let how = m.principal.unwrap_or(PrincipalMatch::Direct);
                    g.allow_by.add(how, m.tri);
                    if m.tri.is_yes() {
                        g.allow_refs.push(r());
                    }
                }
                Effect::Deny => {
                    g.deny = g.deny.or(m.tri);
                    if m.tri.is_yes() {
                        g.deny_refs.push(r());
                    }
                }
            }
            if m.tri == Tri::Maybe {
                g.maybe.push(Residual {
                    statement: r(),
                    unknowns: m.unknowns,
                });
            }
        }
        // A statement unknown offline may allow or deny anything.
        for o in &policy.opaque {
            g.allow = g.allow.or(Tri::Maybe);
            g.deny = g.deny.or(Tri::Maybe);
            g.allow_by.add(PrincipalMatch::Role, Tri::Maybe);
            g.maybe.push(Residual {
                statement: stmt_ref(layer, policy, o.index, None, Effect::Allow, &o.origin),
                unknowns: vec![Unknown::Statement {
                    expr: o.expr.clone(),
                    origin: o.origin.clone(),
                }],
            });
        }
    }
    g
}

/// Evaluate a request against the policies that apply to it.
pub fn evaluate(req: &Request, set: &PolicySet<'_>) -> Response {
    let p = Prepared::new(req, set.boundary.is_some());
    let identity = group(Layer::Identity, &set.identity, &p);
    let resource = group(Layer::Resource, &set.resource, &p);
    let boundary = set
        .boundary
        .map(|b| group(Layer::PermissionsBoundary, &[b], &p));
    let session = set.session.as_ref().map(|s| group(Layer::Session, s, &p));
    let scps: Vec<Group> = set.scps.iter().map(|l| group(Layer::Scp, l, &p)).collect();
    let rcps: Vec<Group> = set.rcps.iter().map(|l| group(Layer::Rcp, l, &p)).collect();

    let all: Vec<&Group> = [&identity, &resource]
        .into_iter()
        .chain(boundary.as_ref())
        .chain(session.as_ref())
        .chain(scps.iter())
        .chain(rcps.iter())
        .collect();

    // 1. Deny evaluation: "the enforcement code looks for a Deny statement that applies to the
    //    request. This is called an explicit deny. If the code finds even one explicit deny
    //    that applies, the code returns a final decision of Deny."
    let deny = Tri::any(all.iter().map(|g| g.deny));
    if deny.is_yes() {
        return Response {
            decision: Decision::ExplicitDeny,
            statements: all
                .iter()
                .flat_map(|g| g.deny_refs.iter().cloned())
                .collect(),
            residual: Vec::new(),
            reason: None,
        };
    }

    // 2. RCPs, 3. SCPs: "If the enforcement code does not find any applicable Allow
    //    statements in the RCPs/SCPs, then the code returns a final decision of Deny." Every
    //    level (root, OU, account) must allow. SCPs do not apply to service principals.
    let rcp = Tri::all(rcps.iter().map(|g| g.allow));
    let scp = if matches!(
        req.principal.kind,
        PrincipalKind::Service | PrincipalKind::Anonymous
    ) {
        Tri::Yes
    } else {
        Tri::all(scps.iter().map(|g| g.allow))
    };

    // Permissions boundaries and session policies limit identity-based grants: "An entity's
    // permissions boundary allows it to perform only the actions that are allowed by both its
    // identity-based policies and its permissions boundaries."
    let bound = boundary.as_ref().map_or(Tri::Yes, |g| g.allow);
    let sess = session.as_ref().map_or(Tri::Yes, |g| g.allow);
    let limit = bound.and(sess);

    // The root user of the account: "all requests are implicitly denied with the exception of
    // the AWS account root user, which has full access" (within its own account).
    let cross = req.is_cross_account();
    let ident = if req.principal.kind == PrincipalKind::Root && !cross {
        Tri::Yes
    } else {
        identity.allow
    };
    let ByMatch {
        account: res_account,
        role: res_role,
        direct: res_direct,
    } = resource.allow_by;

    let no_identity = matches!(
        req.principal.kind,
        PrincipalKind::Service | PrincipalKind::Anonymous | PrincipalKind::WebIdentity
    );
    let (granted, reason) = if no_identity {
        // Services and anonymous callers have no identity-based policies: only a
        // resource-based policy can grant them access.
        (res_direct.or(res_role), DenyReason::NoAllow)
    } else if cross {
        // Cross-account: "the identity-based policy in the requesting account and the
        // resource-based policy in the trusting account must both allow" —
        // reference_policies_evaluation-logic-cross-account.html.
        let res = res_direct.or(res_role).or(res_account);
        (ident.and(limit).and(res), DenyReason::CrossAccount)
    } else if req.resource_policy_required {
        // KMS key policies, role trust policies: "you must have a policy that explicitly
        // grants access in the resource-based policy"; a grant to the account root delegates to
        // identity-based policies.
        let direct = res_direct.or(res_role);
        (
            direct.or(res_account.and(ident).and(limit)),
            DenyReason::ResourcePolicyRequired,
        )
    } else {
        // Same account: "If the resource-based policy grants permission directly to the IAM
        // user or role session, an implicit deny in an identity-based policy, a permissions
        // boundary, or a session policy doesn't affect the final decision"; a grant to the
        // role ARN is limited by the boundary and session policies; a grant to the account
        // delegates to identity-based policies —
        // reference_policies_evaluation-logic_policy-eval-basics.html.
        let g = ident.and(limit).or(res_direct).or(res_role.and(limit));
        let reason = if ident.is_yes() && bound.is_no() {
            DenyReason::PermissionsBoundary
        } else if ident.is_yes() && sess.is_no() {
            DenyReason::SessionPolicy
        } else {
            DenyReason::NoAllow
        };
        (g, reason)
    };
    let allowed = rcp.and(scp).and(granted);

    if allowed.is_no() {
        let reason = if rcp.is_no() {
            DenyReason::Rcp
        } else if scp.is_no() {
            DenyReason::Scp
        } else {
            reason
        };
        return Response {
            decision: Decision::ImplicitDeny,
            statements: Vec::new(),
            residual: Vec::new(),
            reason: Some(reason),
        };
    }
    if allowed.is_yes() && deny.is_no() {
        let mut statements: Vec<StatementRef> = Vec::new();
        let identity_used = ident.is_yes() && limit.is_yes();
        if identity_used {
            statements.extend(identity.allow_refs.iter().cloned());
        }
        statements.extend(resource.allow_refs.iter().cloned());
        if identity_used || res_role.is_yes() {
            for g in boundary.iter().chain(session.iter()) {
                statements.extend(g.allow_refs.iter().cloned());
            }
        }
        for g in scps.iter().chain(rcps.iter()) {
            statements.extend(g.allow_refs.iter().cloned());
        }
        return Response {
            decision: Decision::Allow,
            statements,
            residual: Vec::new(),
            reason: None,
        };
    }
    Response {
        decision: Decision::Depends,
        statements: Vec::new(),
        residual: all.iter().flat_map(|g| g.maybe.iter().cloned()).collect(),
        reason: None,
    }
}
