//! Whether one statement applies to a request: its action, resource, principal and condition
//! elements, each answered in three-valued logic so that unknown values stay unknown.

use crate::condition;
use crate::context::Context;
use crate::policy::*;
use crate::request::{PrincipalKind, Request, RequestPrincipal};
use crate::tri::Tri;
use crate::variables::{Substituted, substitute};
use crate::wildcard;
use lambdasec_model::Origin;
use serde::Serialize;

/// Something a statement's match depends on that is not known.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Unknown {
    /// A condition on a context key that is not known (or with an unknown value).
    Condition {
        operator: String,
        key: String,
        values: Vec<String>,
        origin: Origin,
    },
    /// An element value that could not be resolved offline (`Resource: !Sub ...`).
    Element {
        element: &'static str,
        expr: String,
        origin: Origin,
    },
    /// A whole statement that could not be resolved offline.
    Statement { expr: String, origin: Origin },
}

/// How a resource-based policy's `Principal` matched the caller; decides whether the grant
/// stands alone (same account) or needs identity-based permissions too —
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html>.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PrincipalMatch {
    /// The account (`123456789012`, `arn:aws:iam::123456789012:root`): a delegation to the
    /// account, whose identity-based policies must also allow.
    Account,
    /// `*` or the role's ARN: limited by permissions boundaries and session policies.
    Role,
    /// The user's ARN, the role session's ARN, a federated user, a service: stands alone.
    Direct,
}

/// The outcome of matching one statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementMatch {
    pub tri: Tri,
    /// For resource-based statements: how the principal matched (the best way).
    pub principal: Option<PrincipalMatch>,
    /// Filled only when `tri` is `Maybe`.
    pub unknowns: Vec<Unknown>,
}

/// A request prepared for matching: lower-cased action.
pub(crate) struct Prepared<'a> {
    pub req: &'a Request,
    pub action_lower: String,
    /// The caller has a permissions boundary (for the `NotPrincipal` + `Deny` rule).
    pub has_boundary: bool,
}

impl<'a> Prepared<'a> {
    pub fn new(req: &'a Request, has_boundary: bool) -> Self {
        Prepared {
            req,
            action_lower: req.action.to_ascii_lowercase(),
            has_boundary,
        }
    }
}

/// Match a statement of `policy` against the request.
pub(crate) fn match_statement(st: &Statement, policy: &Policy, p: &Prepared<'_>) -> StatementMatch {
    let mut unknowns = Vec::new();
    let action = match_actions(&st.action, &p.action_lower, &mut unknowns);
    if action.is_no() {
        return no();
    }
    let vars = policy.supports_variables();
    let ctx = &p.req.context;
    let resource = match &st.resource {
        Some(block) => match_resources(block, &p.req.resource, ctx, vars, &mut unknowns),
        None => Tri::Yes,
    };
    if resource.is_no() {
        return no();
    }
    let (principal, how) = match &st.principal {
        Some(block) => match_principals(block, st.effect, p, &mut unknowns),
        None => (Tri::Yes, None),
    };
    if principal.is_no() {
        return no();
    }
    let mut conds = Tri::Yes;
    for c in &st.conditions {
        let t = condition::evaluate(c, ctx, vars);
        if t == Tri::Maybe {
            unknowns.push(Unknown::Condition {
                operator: c.operator.text.clone(),
                key: c.key.clone(),
                values: c.value_texts().into_iter().map(str::to_owned).collect(),
                origin: c.origin.clone(),
            });
        }
        conds = conds.and(t);
        if conds.is_no() {
            return no();
        }
    }
    let tri = action.and(resource).and(principal).and(conds);
    if tri != Tri::Maybe {
        unknowns.clear();
    }
    StatementMatch {
        tri,
        principal: how,
        unknowns,
    }
}

fn no() -> StatementMatch {
    StatementMatch {
        tri: Tri::No,
        principal: None,
        unknowns: Vec::new(),
    }
}

fn element_name(negated: bool, pos: &'static str, neg: &'static str) -> &'static str {
    if negated { neg } else { pos }
}

/// `Action` matches when any pattern matches; `NotAction` when none does.
pub(crate) fn match_actions(
    block: &Block<ActionPattern>,
    action_lower: &str,
    unknowns: &mut Vec<Unknown>,
) -> Tri {
    let any = Tri::any(block.items.iter().map(|a| match &a.item {
        Item::Text { .. } => Tri::from_bool(wildcard::matches(&a.lower, action_lower)),
        Item::Unknown { expr, origin } => {
            unknowns.push(Unknown::Element {
                element: element_name(block.negated, "Action", "NotAction"),
                expr: expr.clone(),
                origin: origin.clone(),
            });
            Tri::Maybe
        }
    }));
    if block.negated { any.not() } else { any }
}

/// `Resource` matches when any pattern matches (variables substituted under 2012-10-17);
/// `NotResource` when none does.
pub(crate) fn match_resources(
    block: &Block<Item>,
    resource: &str,
    ctx: &Context,
    vars: bool,
    unknowns: &mut Vec<Unknown>,
) -> Tri {
    let element = element_name(block.negated, "Resource", "NotResource");
    let any = Tri::any(block.items.iter().map(|r| match r {
        Item::Text { text, origin } => {
            if !vars {
                return Tri::from_bool(wildcard::matches(text, resource));
            }
            match substitute(text, ctx) {
                Substituted::Text(t) => Tri::from_bool(wildcard::matches(&t, resource)),
                Substituted::Missing => Tri::No,
                Substituted::Unknown => {
                    unknowns.push(Unknown::Element {
                        element,
                        expr: text.clone(),
                        origin: origin.clone(),
                    });
                    Tri::Maybe
                }
            }
        }
        Item::Unknown { expr, origin } => {
            unknowns.push(Unknown::Element {
                element,
                expr: expr.clone(),
                origin: origin.clone(),
            });
            Tri::Maybe
        }
    }));
    if block.negated { any.not() } else { any }
}

/// `Principal` / `NotPrincipal` —
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html>
/// and <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html>.
fn match_principals(
    block: &Block<PrincipalEntry>,
    effect: Effect,
    p: &Prepared<'_>,
    unknowns: &mut Vec<Unknown>,
) -> (Tri, Option<PrincipalMatch>) {
    let caller = &p.req.principal;
    if block.negated {
        // "The NotPrincipal element with a Deny effect will always deny any IAM principal
        // that has a permissions boundary policy attached, regardless of the values specified
        // in the NotPrincipal element." —
        // <https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html>.
        if effect == Effect::Deny && p.has_boundary {
            return (Tri::Yes, Some(PrincipalMatch::Direct));
        }
        // NotPrincipal names principals exactly: a role ARN does not cover its sessions
        // (the session ARN must be listed), an account covers its principals.
        let listed =
            Tri::any(
                block
                    .items
                    .iter()
                    .map(|e| match principal_entry(e, caller, unknowns) {
                        (t, Some(PrincipalMatch::Role)) if !e.is_everyone() => t.and(Tri::No),
                        (t, _) => t,
                    }),
            );
        return (listed.not(), Some(PrincipalMatch::Role));
    }
    let mut best: Option<PrincipalMatch> = None;
    let mut acc = Tri::No;
    for e in &block.items {
        let (t, how) = principal_entry(e, caller, unknowns);
        if t.is_yes() {
            best = best.max(how);
        }
        acc = acc.or(t);
    }
    (acc, best)
}

fn principal_entry(
    e: &PrincipalEntry,
    caller: &RequestPrincipal,
    unknowns: &mut Vec<Unknown>,
) -> (Tri, Option<PrincipalMatch>) {
    let item = match e {
        PrincipalEntry::Everyone(_) => return (Tri::Yes, Some(PrincipalMatch::Role)),
        PrincipalEntry::Aws(i)
        | PrincipalEntry::Service(i)
        | PrincipalEntry::Federated(i)
        | PrincipalEntry::CanonicalUser(i) => i,
    };
    let text = match item {
        Item::Text { text, .. } => text.as_str(),
        Item::Unknown { expr, origin } => {
            unknowns.push(Unknown::Element {
                element: "Principal",
                expr: expr.clone(),
                origin: origin.clone(),
            });
            return (Tri::Maybe, Some(PrincipalMatch::Role));
        }
    };
    let kind = caller.kind;
    let yes = |m| (Tri::Yes, Some(m));
    let no = (Tri::No, None);
    match e {
        PrincipalEntry::Aws(_) => {
            if text == "*" {
                return yes(PrincipalMatch::Role);
            }
            if matches!(
                kind,
                PrincipalKind::Service | PrincipalKind::Anonymous | PrincipalKind::WebIdentity
            ) {
                return no;
            }
            let account = if lambdasec_model::is_account_id(text) {
                Some(text)
            } else {
                text.strip_suffix(":root")
                    .and_then(|a| a.rsplit(':').next())
                    .filter(|a| lambdasec_model::is_account_id(a))
            };
            if let Some(acct) = account {
                return if caller.account.as_deref() == Some(acct) {
                    if kind == PrincipalKind::Root {
                        yes(PrincipalMatch::Direct)
                    } else {
                        yes(PrincipalMatch::Account)
                    }
                } else {
                    no
                };
            }
            if text == caller.id {
                return yes(PrincipalMatch::Direct);
            }
            if caller.role_arn.as_deref() == Some(text) {
                return yes(PrincipalMatch::Role);
            }
            no
        }
        PrincipalEntry::Service(_) if kind == PrincipalKind::Service => {
            if text.eq_ignore_ascii_case(&caller.id) {
                yes(PrincipalMatch::Direct)
            } else {
                no
            }
        }
        PrincipalEntry::Federated(_) if kind == PrincipalKind::WebIdentity => {
            if text == caller.id {
                yes(PrincipalMatch::Direct)
            } else {
                no
            }
        }
        PrincipalEntry::CanonicalUser(_) if text == caller.id => yes(PrincipalMatch::Direct),
        _ => no,
    }
}
