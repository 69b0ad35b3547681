//! The other SAM resources: state machines, layers, simple tables, nested applications and
//! capacity providers.

use super::api::Routes;
use super::events::{self, Owner};
use super::function::{code_uri, reserved_tags};
use super::shape::{entries, is_intrinsic, present};
use super::{At, Shape};
use lambdasec_model::{Node, NodeKind};

/// `AWS::Serverless::StateMachine`.
pub(crate) fn state_machine(at: At<'_>, props: &Node, routes: &mut Routes) {
    let def = props
        .get("Definition")
        .filter(|n| !matches!(n.kind, NodeKind::Null));
    let uri = props
        .get("DefinitionUri")
        .filter(|n| !matches!(n.kind, NodeKind::Null));
    match (def, uri) {
        (Some(d), Some(_)) => at.error(&d.origin, "set `Definition` or `DefinitionUri`, not both"),
        (None, None) => at.error(
            &props.origin,
            "a state machine needs `Definition` or `DefinitionUri`",
        ),
        (None, Some(u)) => code_uri(at, u, "DefinitionUri"),
        (Some(_), None) => {}
    }
    if let Some(d) = props.get("DeploymentPreference")
        && !present(props.get("AutoPublishAlias"))
    {
        at.error(&d.origin, "`DeploymentPreference` needs `AutoPublishAlias`");
    }
    if let Some(evs) = props.get("Events") {
        events::check_all(at, evs, Owner::StateMachine, routes);
    }
}

/// `AWS::Serverless::LayerVersion`.
pub(crate) fn layer(at: At<'_>, props: &Node) {
    match props.get("ContentUri") {
        Some(c) => code_uri(at, c, "ContentUri"),
        None => at.error(&props.origin, "`ContentUri` is required"),
    }
    if let Some(r) = props.get("RetentionPolicy") {
        retention_policy(at, r);
    }
    if let Some(a) = props.get("CompatibleArchitectures")
        && let Some(items) = a.as_list()
    {
        for i in items {
            if let Some(s) = i.as_str()
                && s != "x86_64"
                && s != "arm64"
            {
                at.error(
                    &i.origin,
                    format!("`CompatibleArchitectures` takes `x86_64` or `arm64`, not `{s}`"),
                );
            }
        }
    }
}

/// `RetentionPolicy`: `Retain` or `Delete`, written or from a string parameter.
fn retention_policy(at: At<'_>, r: &Node) {
    let valid = |s: &str| s.eq_ignore_ascii_case("Retain") || s.eq_ignore_ascii_case("Delete");
    if is_intrinsic(r) {
        let is_param_ref = r.get("Ref").and_then(Node::as_str).is_some_and(|p| {
            at.ctx
                .root
                .get("Parameters")
                .and_then(|ps| ps.get(p))
                .is_some()
        });
        if !is_param_ref {
            at.error(&r.origin, "`RetentionPolicy` does not accept intrinsic functions (only a parameter reference): use `Retain` or `Delete`");
            return;
        }
        match at.ctx.eval(r).map(|v| v.kind) {
            Some(NodeKind::String(s)) if valid(&s) => {}
            Some(NodeKind::String(s)) => at.error(
                &r.origin,
                format!(
                    "`RetentionPolicy` must be `Retain` or `Delete`, and the parameter gives `{s}`"
                ),
            ),
            Some(NodeKind::Unresolved(_)) | None => {}
            Some(_) => at.error(
                &r.origin,
                "`RetentionPolicy` refers to a parameter that is not a string",
            ),
        }
        return;
    }
    if let Some(s) = r.as_str()
        && !valid(s)
    {
        at.error(
            &r.origin,
            format!("`RetentionPolicy` must be `Retain` or `Delete`, not `{s}`"),
        );
    }
}

/// `AWS::Serverless::SimpleTable`: a primary key with a name and a type.
pub(crate) fn simple_table(at: At<'_>, props: &Node) {
    let Some(key) = props.get("PrimaryKey") else {
        return;
    };
    if entries(key).is_none() {
        return;
    }
    at.required(key, "Name", "PrimaryKey.Name");
    if let Some(t) = at.required(key, "Type", "PrimaryKey.Type")
        && let Some(s) = t.as_str()
        && !["String", "Number", "Binary"].contains(&s)
    {
        at.error(
            &t.origin,
            format!("`PrimaryKey.Type` must be String, Number or Binary, not `{s}`"),
        );
    }
}

/// `AWS::Serverless::Application`: a location in the Serverless Application Repository
/// (application id and version), or a template URL.
pub(crate) fn application(at: At<'_>, props: &Node) {
    reserved_tags(at, props.get("Tags"));
    let Some(loc) = props.get("Location") else {
        at.error(&props.origin, "`Location` is required");
        return;
    };
    if entries(loc).is_none() {
        return;
    }
    if let Some(id) = at.required(loc, "ApplicationId", "Location.ApplicationId") {
        match &id.kind {
            NodeKind::String(s) if s.contains("{{resolve:") => at.error(
                &id.origin,
                "`Location.ApplicationId` cannot be a dynamic reference: SAM reads the application at transform time",
            ),
            _ if is_intrinsic(id) => {
                if id.get("Ref").is_none() && id.get("Fn::FindInMap").is_none() {
                    at.error(
                        &id.origin,
                        "`Location.ApplicationId` can only use `Ref` or `Fn::FindInMap`: SAM resolves it at transform time",
                    );
                }
            }
            _ => {
                at.expect(id, "Location.ApplicationId", Shape::STR);
            }
        }
    }
    if let Some(v) = at.required(loc, "SemanticVersion", "Location.SemanticVersion") {
        if v.as_str().is_some_and(|s| s.trim().is_empty()) {
            at.error(&v.origin, "`Location.SemanticVersion` cannot be blank");
        } else if !is_intrinsic(v) {
            at.expect(v, "Location.SemanticVersion", Shape::STR);
        }
    }
}

/// `AWS::Serverless::CapacityProvider`: the VPC it runs instances in, scaling and instance
/// settings.
pub(crate) fn capacity_provider(at: At<'_>, props: &Node) {
    match props.get("VpcConfig") {
        None => at.error(&props.origin, "`VpcConfig` is required"),
        Some(v) => {
            if let Some(keys) = entries(v) {
                at.known_keys(keys, "VpcConfig", &["SecurityGroupIds", "SubnetIds"]);
                if !present(v.get("SubnetIds")) {
                    at.error(&v.origin, "`VpcConfig.SubnetIds` is required");
                }
                for k in ["SubnetIds", "SecurityGroupIds"] {
                    if let Some(n) = v.get(k) {
                        at.expect(n, &format!("VpcConfig.{k}"), Shape::LIST);
                    }
                }
            }
        }
    }
    if let Some(s) = props.get("ScalingConfig")
        && entries(s).is_some()
    {
        for k in ["MaxVCpuCount", "AverageCPUUtilization"] {
            if let Some(n) = s.get(k) {
                at.expect(n, &format!("ScalingConfig.{k}"), Shape::INT);
            }
        }
    }
    if let Some(i) = props.get("InstanceRequirements")
        && present(i.get("AllowedTypes"))
        && present(i.get("ExcludedTypes"))
    {
        at.error(
            &i.origin,
            "`InstanceRequirements.AllowedTypes` and `ExcludedTypes` cannot be set together",
        );
    }
}
