//! `AWS::Serverless::Connector` and connectors embedded in a resource (`Connectors`): the
//! endpoints they join, the permissions they grant, and the ids they generate.

use super::At;
use super::shape::{entries, is_intrinsic, present};
use lambdasec_model::{Node, NodeKind};

/// Resource types a connector can start from.
const SOURCES: &[&str] = &[
    "AWS::ApiGateway::RestApi",
    "AWS::ApiGatewayV2::Api",
    "AWS::AppSync::DataSource",
    "AWS::AppSync::GraphQLApi",
    "AWS::DynamoDB::Table",
    "AWS::Events::Rule",
    "AWS::IAM::Role",
    "AWS::Lambda::Function",
    "AWS::S3::Bucket",
    "AWS::SNS::Topic",
    "AWS::SQS::Queue",
    "AWS::Scheduler::Schedule",
    "AWS::Serverless::Api",
    "AWS::Serverless::Function",
    "AWS::Serverless::GraphQLApi",
    "AWS::Serverless::HttpApi",
    "AWS::Serverless::SimpleTable",
    "AWS::Serverless::StateMachine",
    "AWS::StepFunctions::StateMachine",
];

/// Resource types a connector can lead to.
const DESTINATIONS: &[&str] = &[
    "AWS::DynamoDB::Table",
    "AWS::Events::EventBus",
    "AWS::Lambda::Function",
    "AWS::Location::PlaceIndex",
    "AWS::S3::Bucket",
    "AWS::SNS::Topic",
    "AWS::SQS::Queue",
    "AWS::SecretsManager::Secret",
    "AWS::Serverless::Function",
    "AWS::Serverless::SimpleTable",
    "AWS::Serverless::StateMachine",
    "AWS::StepFunctions::StateMachine",
];

/// Types whose role a connector must find (`Role` written on the resource).
const NEEDS_ROLE: &[&str] = &["AWS::Lambda::Function", "AWS::StepFunctions::StateMachine"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    Source,
    Destination,
}

impl End {
    fn name(self) -> &'static str {
        match self {
            End::Source => "Source",
            End::Destination => "Destination",
        }
    }
}

/// An endpoint: `{Id, Qualifier}`, or `{Type, Arn, ...}`. Returns its resource type.
/// `role`: the connector adds statements to this endpoint's role, which must be found.
fn endpoint<'n>(at: At<'n>, n: &'n Node, end: End, role: bool) -> Option<&'n str> {
    let name = end.name();
    at.map(n, name)?;
    let ty = if let Some(id) = n.get("Id") {
        if n.as_map()
            .unwrap_or_default()
            .iter()
            .any(|e| e.key != "Id" && e.key != "Qualifier")
        {
            at.error(&n.origin, format!("`{name}` takes `Id` (with an optional `Qualifier`) or other properties, not both"));
            return None;
        }
        let Some(id) = id.as_str() else {
            at.error(
                &id.origin,
                format!("`{name}.Id` must be a string (a logical id)"),
            );
            return None;
        };
        let Some(res) = at.ctx.resources.get(id) else {
            at.error(
                &n.origin,
                format!("`{name}.Id` names `{id}`, which is not declared"),
            );
            return None;
        };
        let Some(ty) = res.type_name else {
            at.error(
                &n.origin,
                format!("`{name}.Id` names `{id}`, which has no `Type`"),
            );
            return None;
        };
        if role
            && NEEDS_ROLE.contains(&ty)
            && res
                .node
                .get("Properties")
                .and_then(|p| p.get("Role"))
                .is_none()
        {
            at.error(
                &n.origin,
                format!("the connector cannot find the IAM role of `{id}` (its `Role` property)"),
            );
        }
        ty
    } else {
        let Some(ty) = n.get("Type").and_then(Node::as_str) else {
            at.error(
                &n.origin,
                format!("`{name}.Type` is required (a string) when `Id` is not given"),
            );
            return None;
        };
        if !present(n.get("Arn")) && !present(n.get("ResourceId")) && !present(n.get("RoleName")) {
            at.error(
                &n.origin,
                format!("`{name}.Arn` is required when `Id` is not given"),
            );
        }
        ty
    };
    let known = match end {
        End::Source => SOURCES,
        End::Destination => DESTINATIONS,
    };
    if !known.contains(&ty) {
        at.error(
            &n.origin,
            format!(
                "a connector cannot use a `{ty}` as its {}",
                name.to_ascii_lowercase()
            ),
        );
        return None;
    }
    Some(ty)
}

/// `Permissions`: a non-empty list of `Read` and `Write`.
fn permissions(at: At<'_>, props: &Node, pair: Option<(&str, &str)>) {
    let Some(p) = props
        .get("Permissions")
        .filter(|n| !matches!(n.kind, NodeKind::Null))
    else {
        at.error(&props.origin, "`Permissions` is required (Read, Write)");
        return;
    };
    let Some(items) = at.list(p, "Permissions") else {
        return;
    };
    if items.is_empty() {
        at.error(&p.origin, "`Permissions` cannot be empty (Read, Write)");
        return;
    }
    let values: Vec<&str> = items.iter().filter_map(Node::as_str).collect();
    for i in items {
        if let Some(s) = i.as_str()
            && s != "Read"
            && s != "Write"
        {
            at.error(
                &i.origin,
                format!("`Permissions` takes Read and Write, not `{s}`"),
            );
        }
    }
    // A queue invokes a function through an event source mapping, which needs both.
    if let Some(("AWS::SQS::Queue", "AWS::Lambda::Function" | "AWS::Serverless::Function")) = pair
        && !(values.contains(&"Read") && values.contains(&"Write"))
    {
        at.error(
            &p.origin,
            "a connector from a queue to a function needs `Permissions: [Read, Write]`",
        );
    }
}

/// The properties of a connector, its source given by `source` (standalone) or the resource
/// it is embedded in.
fn connector(at: At<'_>, props: &Node, source: Option<&Node>, embedded_in: Option<&str>) {
    let src = match (source, embedded_in) {
        (Some(s), _) => endpoint(at, s, End::Source, true),
        (None, Some(id)) => {
            if let Some(r) = props.get("SourceReference")
                && at.map(r, "SourceReference").is_some()
                && r.get("Id").is_some()
            {
                at.error(&r.origin, "`SourceReference` cannot set `Id` (the source is the resource the connector is in)");
            }
            at.ctx.type_of(id)
        }
        (None, None) => None,
    };
    // A queue or stream grants its poller (the destination function's role).
    let dest_role = matches!(
        src,
        Some("AWS::SQS::Queue" | "AWS::DynamoDB::Table" | "AWS::Serverless::SimpleTable")
    );
    let dest = match props
        .get("Destination")
        .filter(|n| !matches!(n.kind, NodeKind::Null))
    {
        None => {
            at.error(&props.origin, "`Destination` is required");
            None
        }
        Some(d) => match &d.kind {
            NodeKind::List(items) => {
                if items.is_empty() {
                    at.error(&d.origin, "`Destination` cannot be an empty list");
                }
                let mut last = None;
                for i in items {
                    last = endpoint(at, i, End::Destination, dest_role);
                }
                last
            }
            _ => endpoint(at, d, End::Destination, dest_role),
        },
    };
    permissions(at, props, src.zip(dest));
}

/// A standalone `AWS::Serverless::Connector`.
pub(crate) fn check(at: At<'_>, props: &Node) {
    match props.get("Source") {
        Some(s) => connector(at, props, Some(s), None),
        None => at.error(&props.origin, "`Source` is required"),
    }
}

/// `Connectors` on a resource: a map of names to `{Properties: {Destination, Permissions}}`.
pub(crate) fn embedded(at: At<'_>, connectors: &Node) {
    let Some(list) = entries(connectors) else {
        if !is_intrinsic(connectors) {
            at.error(
                &connectors.origin,
                "`Connectors` must be a map of connector names to connectors",
            );
        }
        return;
    };
    for c in list {
        let generated = format!("{}{}", at.resource, c.key);
        if at.ctx.resources.contains_key(generated.as_str()) {
            at.error(
                &c.key_origin,
                format!("SAM creates the connector `{generated}` from this one, but the template already declares a resource with that id"),
            );
            continue;
        }
        let Some(p) = c.value.as_map().and_then(|_| c.value.get("Properties")) else {
            at.error(
                &c.value.origin,
                format!("connector `{}` must be a map with `Properties`", c.key),
            );
            continue;
        };
        if !matches!(p.kind, NodeKind::Map(_)) || is_intrinsic(p) {
            at.error(
                &p.origin,
                format!("`Connectors.{}.Properties` must be a map", c.key),
            );
            continue;
        }
        if let Some(s) = p.get("Source") {
            at.error(
                &s.origin,
                "an embedded connector takes `SourceReference`, not `Source`",
            );
        }
        connector(at, p, None, Some(at.resource));
    }
}
