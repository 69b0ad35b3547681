//! `lambdasec policy simulate`: one request against identity, resource, boundary, session and
//! SCP policies, answered by `lambdasec_iam::evaluate` with the deciding statements (with
//! their locations) or, when the context is not known, the conditions the answer depends on.

use super::input::{Input, read};
use super::view::{StatementView, UnknownView, place, statement_line, unknown_line};
use super::{Format, SimulateArgs};
use crate::output::print as emit;
use anyhow::{anyhow, bail};
use lambdasec_iam::{
    Context, Decision, DenyReason, Policy, PolicySet, PrincipalKind, Request, RequestPrincipal,
    Response, evaluate, parse_policy,
};
use lambdasec_model::{SourceMap, is_account_id};
use serde::Serialize;
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, Serialize)]
struct ResidualView {
    statement: StatementView,
    unknowns: Vec<UnknownView>,
}

#[derive(Debug, Serialize)]
struct RequestView<'a> {
    principal: &'a str,
    principal_kind: PrincipalKind,
    action: &'a str,
    resource: &'a str,
    resource_account: Option<&'a str>,
    cross_account: bool,
    /// Keys not given are absent (`true`) or unknown (`false`).
    complete_context: bool,
}

#[derive(Debug, Serialize)]
struct Output<'a> {
    decision: Decision,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<DenyReason>,
    statements: Vec<StatementView>,
    residual: Vec<ResidualView>,
    request: RequestView<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<String>,
}

pub fn run(args: &SimulateArgs) -> anyhow::Result<ExitCode> {
    let sources = SourceMap::new();
    let load = |p: &Path| policy(p, &sources);
    let identity = args
        .policy
        .iter()
        .map(|p| load(p))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let resource = args.resource_policy.as_deref().map(load).transpose()?;
    let boundary = args.boundary.as_deref().map(load).transpose()?;
    let session = args
        .session_policy
        .iter()
        .map(|p| load(p))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let scps = args
        .scp
        .iter()
        .map(|p| load(p))
        .collect::<anyhow::Result<Vec<_>>>()?;

    let mut set = PolicySet::new();
    for p in &identity {
        set = set.identity(p);
    }
    if let Some(p) = &resource {
        set = set.resource(p);
    }
    if let Some(p) = &boundary {
        set = set.boundary(p);
    }
    for p in &session {
        set = set.session(p);
    }
    if !scps.is_empty() {
        set = set.scp_level(scps.iter().collect());
    }

    let action = args.action.trim();
    if action != "*" && !action.contains(':') {
        bail!("--action `{action}` is not `service:Action`");
    }
    let mut req = Request::new(RequestPrincipal::anonymous(), action, args.resource.trim());
    if let Some(a) = &args.resource_account {
        if !is_account_id(a) {
            bail!("--resource-account `{a}` is not a 12-digit account id");
        }
        req = req.with_resource_account(a);
    }
    req.principal = match &args.principal {
        Some(p) => principal(p)?,
        None => default_principal(req.resource_account.as_deref()),
    };
    req.context = context(&args.context, args.complete_context)?;
    req.resource_policy_required = needs_resource_policy(&req);
    let mut notes = Vec::new();
    if req.resource_policy_required && resource.is_none() {
        notes.push(
            "AWS requires the resource's own policy (key policy, trust policy) to allow this \
             request: pass it with --resource-policy"
                .to_owned(),
        );
    }
    if args.principal.is_none() {
        notes.push(format!("caller: {} (use --principal)", req.principal.id));
    }

    let response = evaluate(&req, &set);
    let out = Output {
        decision: response.decision,
        reason: response.reason,
        statements: StatementView::list(&sources, &response.statements),
        residual: response
            .residual
            .iter()
            .map(|r| ResidualView {
                statement: StatementView::new(&sources, &r.statement),
                unknowns: r
                    .unknowns
                    .iter()
                    .map(|u| UnknownView::new(&sources, u))
                    .collect(),
            })
            .collect(),
        request: RequestView {
            principal: &req.principal.id,
            principal_kind: req.principal.kind,
            action: &req.action,
            resource: &req.resource,
            resource_account: req.resource_account.as_deref(),
            cross_account: req.is_cross_account(),
            complete_context: args.complete_context,
        },
        notes,
    };
    let text = match args.format {
        Format::Json => format!("{}\n", serde_json::to_string_pretty(&out)?),
        Format::Text => text(&sources, &response, &out.notes),
    };
    emit(&text);
    Ok(ExitCode::SUCCESS)
}

/// Read and parse one policy file, labelled with its path.
fn policy(path: &Path, sources: &SourceMap) -> anyhow::Result<Policy> {
    let shown = path.display().to_string();
    match read(path, sources)? {
        Input::Policy { node, .. } => parse_policy(&node)
            .map(|p| p.with_name(&shown))
            .map_err(|e| anyhow!("{}: {e}", place(sources, &e.origin))),
        _ => bail!("{shown}: not a policy document (no `Statement`)"),
    }
}

/// A caller from the command line.
fn principal(p: &str) -> anyhow::Result<RequestPrincipal> {
    let p = p.trim();
    if p == "*" || p.eq_ignore_ascii_case("anonymous") {
        return Ok(RequestPrincipal::anonymous());
    }
    if is_account_id(p) {
        return Ok(RequestPrincipal::root(p));
    }
    if let Some(rest) = p.strip_prefix("arn:") {
        let resource = rest.splitn(5, ':').nth(4).unwrap_or_default();
        if resource.starts_with("saml-provider/") || resource.starts_with("oidc-provider/") {
            return Ok(RequestPrincipal::federated(p));
        }
        if !(resource.starts_with("role/")
            || resource.starts_with("user/")
            || resource.starts_with("assumed-role/")
            || resource.starts_with("federated-user/")
            || resource == "root")
        {
            bail!("--principal `{p}` is not a role, user, role session or root ARN");
        }
        return Ok(RequestPrincipal::from_arn(p));
    }
    if p.contains('.') && !p.contains(['/', ':', ' ']) {
        // `lambda.amazonaws.com`, or a web identity provider (`accounts.google.com`).
        return Ok(
            if p.ends_with(".amazonaws.com") || p.ends_with(".amazonaws.com.cn") {
                RequestPrincipal::service(p)
            } else {
                RequestPrincipal::federated(p)
            },
        );
    }
    bail!(
        "--principal `{p}`: expected an ARN, an account id, a service (`lambda.amazonaws.com`) \
         or `anonymous`"
    )
}

/// A role session in the resource's account (its account unknown when the resource's is).
fn default_principal(account: Option<&str>) -> RequestPrincipal {
    match account {
        Some(a) => RequestPrincipal::role_session(&format!("arn:aws:iam::{a}:role/caller"), "cli"),
        None => RequestPrincipal {
            kind: PrincipalKind::AssumedRole,
            id: "arn:aws:sts::ACCOUNT:assumed-role/caller/cli".to_owned(),
            account: None,
            role_arn: None,
        },
    }
}

/// `KEY=VALUE` pairs; a key given several times, or as a JSON array (`KEY=["a","b"]`, `KEY=[]`),
/// is multivalued.
fn context(pairs: &[String], complete: bool) -> anyhow::Result<Context> {
    let mut keys: Vec<(String, Vec<String>, bool)> = Vec::new();
    for pair in pairs {
        let Some((k, v)) = pair.split_once('=') else {
            bail!("--context `{pair}` is not KEY=VALUE");
        };
        let k = k.trim();
        if k.is_empty() {
            bail!("--context `{pair}` has no key");
        }
        let (values, array) = if v.trim_start().starts_with('[') {
            let list: Vec<String> = serde_json::from_str(v)
                .map_err(|e| anyhow!("--context `{pair}`: not a JSON array of strings: {e}"))?;
            (list, true)
        } else {
            (vec![v.to_owned()], false)
        };
        match keys.iter_mut().find(|(x, _, _)| x.eq_ignore_ascii_case(k)) {
            Some((_, vs, multi)) => {
                vs.extend(values);
                *multi = true;
            }
            None => keys.push((k.to_owned(), values, array)),
        }
    }
    let mut ctx = if complete {
        Context::new()
    } else {
        Context::partial()
    };
    for (k, vs, multi) in keys {
        match (multi, vs.first()) {
            (false, Some(v)) if vs.len() == 1 => ctx.set(&k, v.clone()),
            _ => ctx.set_multi(&k, vs),
        };
    }
    Ok(ctx)
}

/// KMS keys and role trust policies must grant access themselves, even within the account —
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html>.
fn needs_resource_policy(req: &Request) -> bool {
    let action = req.action.to_ascii_lowercase();
    let resource = req.resource.as_str();
    (action.starts_with("kms:") && resource.starts_with("arn:") && resource.contains(":key/"))
        || (action.starts_with("sts:assumerole")
            && resource.starts_with("arn:")
            && resource.contains(":role/"))
}

fn text(sources: &SourceMap, r: &Response, notes: &[String]) -> String {
    let mut out = String::new();
    let decision = match r.decision {
        Decision::Allow => "allow",
        Decision::ExplicitDeny => "explicit_deny",
        Decision::ImplicitDeny => "implicit_deny",
        Decision::Depends => "depends",
    };
    out.push_str(&format!("decision: {decision}\n"));
    if let Some(reason) = r.reason {
        out.push_str(&format!("reason: {}\n", reason_text(reason)));
    }
    if !r.statements.is_empty() {
        out.push_str(match r.decision {
            Decision::ExplicitDeny => "denied by:\n",
            _ => "allowed by:\n",
        });
        for s in &r.statements {
            out.push_str(&format!("  {}\n", statement_line(sources, s)));
        }
    }
    if !r.residual.is_empty() {
        out.push_str("depends on:\n");
        for res in &r.residual {
            out.push_str(&format!("  {}:\n", statement_line(sources, &res.statement)));
            for u in &res.unknowns {
                out.push_str(&format!("    {}\n", unknown_line(sources, u)));
            }
        }
    }
    for n in notes {
        out.push_str(&format!("note: {n}\n"));
    }
    out
}

fn reason_text(r: DenyReason) -> &'static str {
    match r {
        DenyReason::NoAllow => "no identity-based or resource-based policy allows it",
        DenyReason::PermissionsBoundary => {
            "identity-based policies allow it, the permissions boundary does not"
        }
        DenyReason::SessionPolicy => {
            "identity-based policies allow it, the session policies do not"
        }
        DenyReason::CrossAccount => {
            "cross-account: the caller's policies and the resource's policy must both allow it"
        }
        DenyReason::Scp => "a service control policy does not allow it",
        DenyReason::Rcp => "a resource control policy does not allow it",
        DenyReason::ResourcePolicyRequired => "the resource's own policy does not allow it",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn principals() {
        assert_eq!(
            principal("anonymous").unwrap().kind,
            PrincipalKind::Anonymous
        );
        assert_eq!(principal("111122223333").unwrap().kind, PrincipalKind::Root);
        assert_eq!(
            principal("lambda.amazonaws.com").unwrap().kind,
            PrincipalKind::Service
        );
        let r = principal("arn:aws:iam::111122223333:role/app").unwrap();
        assert_eq!(r.kind, PrincipalKind::AssumedRole);
        assert_eq!(r.account.as_deref(), Some("111122223333"));
        assert_eq!(
            principal(
                "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"
            )
            .unwrap()
            .kind,
            PrincipalKind::WebIdentity
        );
        assert!(principal("arn:aws:s3:::bucket").is_err());
        assert!(principal("bob").is_err());
    }

    #[test]
    fn context_pairs() {
        let c = context(
            &[
                "aws:SourceIp=10.0.0.1".into(),
                "aws:TagKeys=a".into(),
                "aws:tagkeys=b".into(),
                "aws:PrincipalTag/team=x=y".into(),
                "s3:prefix=[]".into(),
            ],
            true,
        )
        .unwrap();
        assert_eq!(c.value("aws:SourceIp"), Some("10.0.0.1"));
        assert_eq!(c.value("aws:PrincipalTag/team"), Some("x=y"));
        assert!(matches!(
            c.get("aws:TagKeys"),
            lambdasec_iam::Lookup::Values { values, multi: true } if values.len() == 2
        ));
        assert!(matches!(
            c.get("s3:prefix"),
            lambdasec_iam::Lookup::Values {
                values: [],
                multi: true
            }
        ));
        assert_eq!(c.get("aws:username"), lambdasec_iam::Lookup::Absent);
        assert!(context(&["novalue".into()], true).is_err());
        assert!(context(&["k=[1".into()], true).is_err());
        let partial = context(&[], false).unwrap();
        assert_eq!(partial.get("aws:username"), lambdasec_iam::Lookup::Unknown);
    }

    #[test]
    fn key_and_trust_policies_must_allow() {
        let r = |a: &str, res: &str| {
            needs_resource_policy(&Request::new(RequestPrincipal::anonymous(), a, res))
        };
        assert!(r("kms:Decrypt", "arn:aws:kms:us-east-1:111122223333:key/k"));
        assert!(r("sts:AssumeRole", "arn:aws:iam::111122223333:role/r"));
        assert!(!r("kms:ListKeys", "*"));
        assert!(!r("s3:GetObject", "arn:aws:s3:::b/k"));
    }
}
