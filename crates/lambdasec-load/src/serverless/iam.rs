//! Execution roles: the one each function uses, and the roles the Framework generates.
//!
//! A function runs with, in order: its own `role`; `provider.iam.role` (or the v2
//! `provider.role`) when that is an ARN or a logical id; with the
//! serverless-iam-roles-per-function plugin and `iamRoleStatements` on the function, a role of
//! its own; else the shared `IamRoleLambdaExecution`. A string that is not an ARN names a
//! resource of `resources:` by logical id, as the Framework reads it.
//!
//! The generated roles trust `lambda.amazonaws.com` and carry, as the Framework writes them: the
//! log permissions on each function's log group, the user's statements
//! (`provider.iam.role.statements` or the v2 `provider.iamRoleStatements`), the permissions
//! SQS and stream event sources need, the managed policies listed, and the VPC access managed
//! policy when a function is in a VPC.

use super::functions::{function_name, synthesized};
use super::read::{implied_string, is_intrinsic, is_null, list, map};
use super::{Service, names};
use lambdasec_model::{
    InlinePolicy, Inventory, Node, NodeKind, Origin, ResourceKind, Role, Target, Value,
};

const PLUGIN: &str = "serverless-iam-roles-per-function";
const VPC_POLICY: &str = "service-role/AWSLambdaVPCAccessExecutionRole";

/// Which functions use which role.
#[derive(Debug)]
pub(crate) struct RolePlan {
    /// The serverless-iam-roles-per-function plugin is enabled.
    pub per_function: bool,
    /// A role given for every function (`provider.iam.role` / `provider.role` as an id or ARN).
    provider_role: Option<Node>,
    /// Inherit the provider statements in per-function roles by default.
    default_inherit: bool,
}

impl RolePlan {
    pub fn new(s: &Service<'_>, _functions: &[(&str, &Node)]) -> Self {
        let provider_role = s
            .provider("iam.role")
            .or_else(|| s.provider("role"))
            .filter(|n| n.as_map().is_none() || is_intrinsic(n))
            .cloned();
        let default_inherit = s
            .root
            .get("custom")
            .and_then(|c| c.get(PLUGIN))
            .and_then(|c| c.get("defaultInherit"))
            .and_then(Node::as_bool)
            .unwrap_or(false);
        RolePlan {
            per_function: s.has_plugin(PLUGIN),
            provider_role,
            default_inherit,
        }
    }

    fn own_role(&self, f: &Node) -> bool {
        self.per_function && f.get("iamRoleStatements").is_some_and(|n| !is_null(n))
    }

    /// The execution role of a function.
    pub fn role_of(&self, s: &Service<'_>, key: &str, f: &Node) -> Value<Target> {
        if let Some(role) = f.get("role").filter(|n| !is_null(n)) {
            return role_target(s, role);
        }
        if self.own_role(f) {
            return Value::explicit(
                Target::Local(per_function_id(key)),
                f.get("iamRoleStatements")
                    .map_or_else(|| f.origin.implied(), |n| n.origin.implied()),
            );
        }
        if let Some(role) = &self.provider_role {
            return role_target(s, role);
        }
        Value::explicit(
            Target::Local(names::SHARED_ROLE.to_owned()),
            f.origin.implied(),
        )
    }

    /// Does this function use the shared generated role?
    fn uses_shared(&self, f: &Node) -> bool {
        f.get("role").is_none_or(is_null) && !self.own_role(f) && self.provider_role.is_none()
    }
}

fn per_function_id(key: &str) -> String {
    format!("{}IamRoleLambdaExecution", names::function(key))
}

/// A role setting: an ARN, an intrinsic, or the logical id of a role in `resources:`.
fn role_target(s: &Service<'_>, role: &Node) -> Value<Target> {
    match role.as_str() {
        Some(id) if !id.starts_with("arn:") => {
            Value::explicit(Target::Local(id.to_owned()), role.origin.clone())
        }
        _ => s.r.target(role),
    }
}

/// Build the generated roles.
pub(crate) fn roles(
    s: &Service<'_>,
    functions: &[(&str, &Node)],
    plan: &RolePlan,
    inv: &mut Inventory,
) {
    let shared: Vec<&(&str, &Node)> = functions
        .iter()
        .filter(|(_, f)| plan.uses_shared(f))
        .collect();
    if !shared.is_empty() {
        let owner = s.provider("iam.role").or(s.provider).unwrap_or(s.root);
        let mut role = Role::new(synthesized(
            names::SHARED_ROLE.to_owned(),
            ResourceKind::Role,
            owner,
        ));
        let config = s.provider("iam.role").filter(|n| n.as_map().is_some());
        role.name = Some(match config.and_then(|c| c.get("name")) {
            Some(n) => s.r.string(n),
            None => match s.prefix() {
                Some(p) => Value::default(format!("{p}-{}-lambdaRole", s.region), &owner.origin),
                None => Value::unresolved(
                    "<service>-<stage>-<region>-lambdaRole",
                    owner.origin.implied(),
                ),
            },
        });
        role.path = config.and_then(|c| c.get("path")).map(|n| s.r.string(n));
        role.assume_role_policy = Some(trust(owner));
        let statements = config
            .and_then(|c| c.get("statements"))
            .or_else(|| s.provider("iamRoleStatements"));
        let mut document = logs_statements(s, shared.iter().map(|(k, f)| (*k, *f)), owner);
        if let Some(st) = statements {
            document.extend(user_statements(s, st));
        }
        document.extend(event_statements(s, shared.iter().map(|(_, f)| *f)));
        role.inline_policies.push(policy(s, owner, document));
        role.managed_policies = s.r.targets(
            config
                .and_then(|c| c.get("managedPolicies"))
                .or_else(|| s.provider("iamManagedPolicies")),
        );
        if shared.iter().any(|(_, f)| s.setting(f, "vpc").is_some()) {
            role.managed_policies.push(vpc_policy(s, owner));
        }
        role.permissions_boundary = config
            .and_then(|c| c.get("permissionsBoundary"))
            .or_else(|| s.provider("rolePermissionsBoundary"))
            .map(|n| s.r.target(n));
        if let Some(tags) = config.and_then(|c| c.get("tags")).and_then(Node::as_map) {
            role.tags = Value::explicit(
                tags.iter()
                    .map(|e| lambdasec_model::Tag {
                        key: e.key.clone(),
                        value: s.r.string(&e.value),
                    })
                    .collect(),
                owner.origin.clone(),
            );
        }
        inv.roles.push(role);
    }
    for (key, f) in functions.iter().filter(|(_, f)| plan.own_role(f)) {
        let Some(own) = f.get("iamRoleStatements") else {
            continue;
        };
        let mut role = Role::new(synthesized(per_function_id(key), ResourceKind::Role, own));
        role.name = Some(match f.get("iamRoleStatementsName") {
            Some(n) => s.r.string(n),
            None => match s.prefix() {
                Some(p) => {
                    Value::default(format!("{p}-{key}-{}-lambdaRole", s.region), &own.origin)
                }
                None => Value::unresolved(
                    "<service>-<stage>-<key>-<region>-lambdaRole",
                    own.origin.implied(),
                ),
            },
        });
        role.assume_role_policy = Some(trust(own));
        let mut document = logs_statements(s, std::iter::once((*key, *f)), own);
        document.extend(user_statements(s, own));
        let inherit = f
            .get("iamRoleStatementsInherit")
            .and_then(Node::as_bool)
            .unwrap_or(plan.default_inherit);
        if inherit {
            let provider = s
                .provider("iam.role.statements")
                .or_else(|| s.provider("iamRoleStatements"));
            if let Some(st) = provider {
                document.extend(user_statements(s, st));
            }
            role.managed_policies = s.r.targets(
                s.provider("iam.role.managedPolicies")
                    .or_else(|| s.provider("iamManagedPolicies")),
            );
        }
        document.extend(event_statements(s, std::iter::once(*f)));
        role.inline_policies.push(policy(s, own, document));
        if s.setting(f, "vpc").is_some() {
            role.managed_policies.push(vpc_policy(s, own));
        }
        role.permissions_boundary = s
            .provider("iam.role.permissionsBoundary")
            .or_else(|| s.provider("rolePermissionsBoundary"))
            .map(|n| s.r.target(n));
        inv.roles.push(role);
    }
}

fn vpc_policy(s: &Service<'_>, owner: &Node) -> Value<Target> {
    Value::default(
        Target::Arn(format!(
            "arn:{}:iam::aws:policy/{VPC_POLICY}",
            s.partition()
        )),
        &owner.origin,
    )
}

/// The trust policy of a generated role.
fn trust(owner: &Node) -> Node {
    let o = owner.origin.implied();
    map(
        vec![
            ("Version", implied_string("2012-10-17", &owner.origin)),
            (
                "Statement",
                list(
                    vec![map(
                        vec![
                            ("Effect", implied_string("Allow", &owner.origin)),
                            (
                                "Principal",
                                map(
                                    vec![(
                                        "Service",
                                        list(
                                            vec![implied_string(
                                                "lambda.amazonaws.com",
                                                &owner.origin,
                                            )],
                                            &o,
                                        ),
                                    )],
                                    &o,
                                ),
                            ),
                            (
                                "Action",
                                list(vec![implied_string("sts:AssumeRole", &owner.origin)], &o),
                            ),
                        ],
                        &o,
                    )],
                    &o,
                ),
            ),
        ],
        &o,
    )
}

fn policy(s: &Service<'_>, owner: &Node, statements: Vec<Node>) -> InlinePolicy {
    let o = owner.origin.implied();
    let name = match s.prefix() {
        Some(p) => Value::default(format!("{p}-lambda"), &owner.origin),
        None => Value::unresolved("<service>-<stage>-lambda", o.clone()),
    };
    InlinePolicy {
        name,
        document: map(
            vec![
                ("Version", implied_string("2012-10-17", &owner.origin)),
                ("Statement", list(statements, &o)),
            ],
            &o,
        ),
        origin: o,
        expanded_from: Some("serverless-framework".to_owned()),
    }
}

/// A log group ARN pattern, concrete where the account is known.
fn log_group_arn(s: &Service<'_>, group: &str, suffix: &str) -> String {
    let account = s.account.as_deref().unwrap_or("${AWS::AccountId}");
    format!(
        "arn:{}:logs:{}:{account}:log-group:{group}{suffix}",
        s.partition(),
        s.region
    )
}

/// The log permissions the Framework grants on each function's log group.
fn logs_statements<'n>(
    s: &Service<'_>,
    functions: impl Iterator<Item = (&'n str, &'n Node)>,
    owner: &Node,
) -> Vec<Node> {
    let o = owner.origin.implied();
    let mut streams = Vec::new();
    let mut events = Vec::new();
    for (key, f) in functions {
        if f.get("disableLogs").and_then(Node::as_bool) == Some(true) {
            continue;
        }
        let name = function_name(s, key, f);
        let group = match name.get() {
            Some(n) => format!("/aws/lambda/{n}"),
            None => format!("/aws/lambda/{name}"),
        };
        let known = name.get().is_some() && s.account.is_some();
        let arn = |suffix: &str| {
            let text = log_group_arn(s, &group, suffix);
            if known {
                Node::string(text, o.clone())
            } else {
                Node::new(NodeKind::Unresolved(text), o.clone())
            }
        };
        streams.push(arn(":*"));
        events.push(arn(":*:*"));
    }
    if streams.is_empty() {
        return Vec::new();
    }
    let action = |a: &[&str]| {
        list(
            a.iter().map(|x| implied_string(x, &owner.origin)).collect(),
            &o,
        )
    };
    vec![
        map(
            vec![
                ("Effect", implied_string("Allow", &owner.origin)),
                (
                    "Action",
                    action(&[
                        "logs:CreateLogStream",
                        "logs:CreateLogGroup",
                        "logs:TagResource",
                    ]),
                ),
                ("Resource", list(streams, &o)),
            ],
            &o,
        ),
        map(
            vec![
                ("Effect", implied_string("Allow", &owner.origin)),
                ("Action", action(&["logs:PutLogEvents"])),
                ("Resource", list(events, &o)),
            ],
            &o,
        ),
    ]
}

/// The user's statements, as written (intrinsics unresolved).
fn user_statements(s: &Service<'_>, statements: &Node) -> Vec<Node> {
    match &statements.kind {
        NodeKind::List(items) => items.iter().map(|st| s.r.document(st)).collect(),
        _ => vec![s.r.document(statements)],
    }
}

/// What SQS and stream event sources need: the Framework adds these to the role.
fn event_statements<'n>(s: &Service<'_>, functions: impl Iterator<Item = &'n Node>) -> Vec<Node> {
    let mut sqs: Vec<Node> = Vec::new();
    let mut dynamodb: Vec<Node> = Vec::new();
    let mut kinesis: Vec<Node> = Vec::new();
    let mut owner: Option<&Node> = None;
    for f in functions {
        for event in f.get("events").and_then(Node::as_list).unwrap_or_default() {
            let Some([e]) = event.as_map() else {
                continue;
            };
            let arn = e.value.get("arn").unwrap_or(&e.value);
            let resource = s.r.document(arn);
            match e.key.as_str() {
                "sqs" => sqs.push(resource),
                "stream" => {
                    let kind = e
                        .value
                        .get("type")
                        .and_then(Node::as_str)
                        .or_else(|| {
                            arn.as_str().map(|a| {
                                if a.contains(":kinesis:") {
                                    "kinesis"
                                } else {
                                    "dynamodb"
                                }
                            })
                        })
                        .unwrap_or("dynamodb");
                    if kind == "kinesis" {
                        kinesis.push(resource);
                    } else {
                        dynamodb.push(resource);
                    }
                }
                _ => continue,
            }
            owner.get_or_insert(event);
        }
    }
    let Some(owner) = owner else {
        return Vec::new();
    };
    let o: Origin = owner.origin.implied();
    let statement = |actions: &[&str], resources: Vec<Node>| {
        map(
            vec![
                ("Effect", implied_string("Allow", &owner.origin)),
                (
                    "Action",
                    list(
                        actions
                            .iter()
                            .map(|a| implied_string(a, &owner.origin))
                            .collect(),
                        &o,
                    ),
                ),
                ("Resource", list(resources, &o)),
            ],
            &o,
        )
    };
    let mut out = Vec::new();
    if !sqs.is_empty() {
        out.push(statement(
            &[
                "sqs:ReceiveMessage",
                "sqs:DeleteMessage",
                "sqs:GetQueueAttributes",
            ],
            sqs,
        ));
    }
    if !dynamodb.is_empty() {
        out.push(statement(
            &[
                "dynamodb:GetRecords",
                "dynamodb:GetShardIterator",
                "dynamodb:DescribeStream",
                "dynamodb:ListStreams",
            ],
            dynamodb,
        ));
    }
    if !kinesis.is_empty() {
        out.push(statement(
            &[
                "kinesis:GetRecords",
                "kinesis:GetShardIterator",
                "kinesis:DescribeStream",
                "kinesis:ListStreams",
            ],
            kinesis,
        ));
    }
    out
}
