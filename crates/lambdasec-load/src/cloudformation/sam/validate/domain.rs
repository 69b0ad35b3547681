//! `Domain`: the custom domain of a REST, HTTP or WebSocket API.

use super::shape::{is_intrinsic, present};
use super::{At, Shape};
use lambdasec_model::{Node, NodeKind};

/// Which API the domain belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Rest,
    Http,
    WebSocket,
}

pub(crate) fn check(at: At<'_>, domain: &Node, kind: Kind) {
    // SAM resolves parameters in `Domain` before reading it.
    if is_intrinsic(domain) {
        if let Some(v) = at.ctx.eval(domain)
            && matches!(
                v.kind,
                NodeKind::String(_) | NodeKind::Number(_) | NodeKind::Bool(_) | NodeKind::List(_)
            )
        {
            at.error(
                &domain.origin,
                "`Domain` should be a map (it resolves to a value of another shape)",
            );
        }
        return;
    }
    if at.map(domain, "Domain").is_none() {
        return;
    }
    for k in ["DomainName", "CertificateArn"] {
        at.required(domain, k, &format!("Domain.{k}"));
    }
    if kind == Kind::Rest
        && let Some(e) = domain.get("EndpointConfiguration")
        && let Some(s) = e.as_str()
        && !["EDGE", "REGIONAL", "PRIVATE"].contains(&s)
    {
        at.error(
            &e.origin,
            format!("`Domain.EndpointConfiguration` must be EDGE, REGIONAL or PRIVATE, not `{s}`"),
        );
    }
    if let Some(b) = domain.get("BasePath") {
        match &b.kind {
            NodeKind::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    let ok = match &item.kind {
                        NodeKind::String(_) => true,
                        _ if is_intrinsic(item) => kind == Kind::Rest,
                        _ => false,
                    };
                    if !ok {
                        at.error(
                            &item.origin,
                            format!("`Domain.BasePath[{i}]` must be a string"),
                        );
                    }
                }
            }
            NodeKind::String(_) | NodeKind::Null => {}
            _ if is_intrinsic(b) => {}
            _ => at.error(
                &b.origin,
                "`Domain.BasePath` must be a string or a list of strings",
            ),
        }
    }
    if let Some(m) = domain.get("MutualTlsAuthentication") {
        match super::shape::entries(m) {
            Some(keys) => {
                at.known_keys(keys, "Domain.MutualTlsAuthentication", &["TruststoreUri", "TruststoreVersion"]);
            }
            None if !is_intrinsic(m) => at.error(
                &m.origin,
                "`Domain.MutualTlsAuthentication` must be a map with TruststoreUri and/or TruststoreVersion",
            ),
            None => {}
        }
    }
    if let Some(r) = domain.get("Route53")
        && at.map(r, "Domain.Route53").is_some()
    {
        if !present(r.get("HostedZoneId")) && !present(r.get("HostedZoneName")) {
            at.error(
                &r.origin,
                "`Domain.Route53` needs `HostedZoneId` or `HostedZoneName`",
            );
        }
        if let Some(s) = r.get("SeparateRecordSetGroup") {
            at.expect(s, "Domain.Route53.SeparateRecordSetGroup", Shape::BOOL);
        }
    }
    if let Some(a) = domain.get("AccessAssociation") {
        at.map(a, "Domain.AccessAssociation");
    }
}
