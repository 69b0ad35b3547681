//! `AWS::Serverless::Function` → `AWS::Lambda::Function`, its implicit role `<Id>Role`, its URL
//! (and the public permissions SAM adds for `AuthType: NONE`), its alias (`AutoPublishAlias`),
//! its asynchronous invocation config, and its event sources ([`super::events`]).

use super::Out;
use super::build::{B, entry, with_entries};
use super::events;
use super::policy_templates;
use crate::cloudformation::extract::Decl;
use crate::cloudformation::intrinsics::{is_known, local_ref};
use crate::cloudformation::props::string;
use crate::cloudformation::template::Template;
use lambdasec_model::{Code, Entry, Node, NodeKind, Origin, Value};

/// Properties copied as they are onto `AWS::Lambda::Function`.
const COPIED: &[&str] = &[
    "FunctionName",
    "Description",
    "Handler",
    "Runtime",
    "MemorySize",
    "Timeout",
    "KmsKeyArn",
    "Layers",
    "VpcConfig",
    "ReservedConcurrentExecutions",
    "CodeSigningConfigArn",
    "Architectures",
    "EphemeralStorage",
    "LoggingConfig",
    "RuntimeManagementConfig",
    "RecursiveLoop",
    "PackageType",
    "ImageConfig",
    "FileSystemConfigs",
    "SnapStart",
    "Environment",
    "Role",
];

/// What a function's event sources and URL invoke: the function, or its published alias.
#[derive(Debug, Clone)]
pub(crate) struct Invoked {
    pub(crate) id: String,
    pub(crate) alias: Option<String>,
}

pub(crate) fn expand<'a>(t: &Template<'_>, d: &Decl<'a>, out: &mut Out<'a>) {
    let id = d.id.as_str();
    let b = B::new(&d.origin);
    let empty = Node::new(NodeKind::Map(Vec::new()), d.origin.implied());
    let props = d.props.as_ref().unwrap_or(&empty);
    let get = |k: &str| props.get(k);

    let mut fp: Vec<Entry> = COPIED
        .iter()
        .filter_map(|k| get(k).map(|v| entry(k, v)))
        .collect();
    if get("PackageType").is_none() && get("ImageUri").is_some() {
        fp.push(Entry {
            key: "PackageType".into(),
            key_origin: b.o.clone(),
            value: b.s("Image"),
        });
    }
    // Tags: SAM's map, plus the tag SAM adds.
    let written_tags = get("Tags");
    let mut tags: Vec<Node> = written_tags
        .and_then(Node::as_map)
        .unwrap_or_default()
        .iter()
        .map(|e| {
            let tb = B::new(&e.key_origin);
            Node::new(
                NodeKind::Map(vec![
                    Entry {
                        key: "Key".into(),
                        key_origin: e.key_origin.clone(),
                        value: Node::string(e.key.clone(), e.key_origin.clone()),
                    },
                    entry("Value", &e.value),
                ]),
                tb.o,
            )
        })
        .collect();
    // CloudFormation's list form, which SAM rejects (validation reports it): read as written,
    // so the function is still judged on the tags its author meant.
    if let Some(items) = written_tags.and_then(Node::as_list) {
        tags.extend(items.iter().cloned());
    }
    tags.push(b.map(vec![
        ("Key", b.s("lambda:createdBy")),
        ("Value", b.s("SAM")),
    ]));
    fp.push(Entry {
        key: "Tags".into(),
        key_origin: b.o.clone(),
        // Tags chosen by an expression unknown offline stay unknown.
        value: match written_tags {
            Some(n) if n.is_unresolved() => n.clone(),
            _ => b.list(tags.clone()),
        },
    });
    let tracing = get("Tracing");
    if let Some(mode) = tracing
        && mode.as_str() != Some("Disabled")
    {
        let mb = B::new(&mode.origin);
        fp.push(entry(
            "TracingConfig",
            &mb.map(vec![("Mode", mode.clone())]),
        ));
    }
    let dlq = get("DeadLetterQueue");
    if let Some(target) = dlq.and_then(|q| q.get("TargetArn")) {
        let qb = B::new(&target.origin);
        fp.push(entry(
            "DeadLetterConfig",
            &qb.map(vec![("TargetArn", target.clone())]),
        ));
    }
    let role_id = format!("{id}Role");
    if get("Role").is_none() {
        fp.push(Entry {
            key: "Role".into(),
            key_origin: b.o.clone(),
            value: b.get_att(&role_id, "Arn"),
        });
    }
    out.extras
        .code
        .push((id.to_owned(), code(t, props, &d.origin)));

    let alias = get("AutoPublishAlias").map(|a| string(t, a));
    let alias_name = alias.as_ref().and_then(|a| a.get().cloned());
    if let Some(a) = &alias {
        out.extras
            .auto_publish_alias
            .push((id.to_owned(), a.clone()));
    }
    out.push(
        d,
        id,
        "AWS::Lambda::Function",
        Node::new(NodeKind::Map(fp), props.origin.clone()),
        false,
    );

    let invoked = Invoked {
        id: id.to_owned(),
        alias: alias_name.clone(),
    };
    if let (Some(a), Some(name)) = (get("AutoPublishAlias"), &alias_name) {
        let ab = B::new(&a.origin);
        let mut ap = vec![
            ("FunctionName", ab.reference(id)),
            ("FunctionVersion", ab.s("$LATEST")),
            ("Name", a.clone()),
        ];
        if let Some(pc) = get("ProvisionedConcurrencyConfig") {
            ap.push(("ProvisionedConcurrencyConfig", pc.clone()));
        }
        out.push(
            d,
            &format!("{id}Alias{name}"),
            "AWS::Lambda::Alias",
            ab.map(ap),
            true,
        );
    }

    // The implicit role's extra statements and managed policies.
    let mut managed: Vec<Node> = Vec::new();
    let mut inline: Vec<(String, Node, Option<String>)> = Vec::new();
    let partition = t.partition();
    let aws_policy = |name: &str| b.s(format!("arn:{partition}:iam::aws:policy/{name}"));
    managed.push(aws_policy("service-role/AWSLambdaBasicExecutionRole"));
    if tracing.and_then(Node::as_str) == Some("Active") {
        managed.push(aws_policy("AWSXrayWriteOnlyAccess"));
    }
    if get("VpcConfig").is_some() {
        managed.push(aws_policy("service-role/AWSLambdaVPCAccessExecutionRole"));
    }
    if let Some(q) = dlq {
        let qb = B::new(&q.origin);
        let action = match q.get("Type").and_then(Node::as_str) {
            Some("SNS") => "sns:Publish",
            _ => "sqs:SendMessage",
        };
        if let Some(target) = q.get("TargetArn") {
            inline.push((
                "DeadLetterQueuePolicy".into(),
                qb.document(vec![qb.allow(&[action], target.clone())]),
                None,
            ));
        }
    }

    if let Some(url) = get("FunctionUrlConfig") {
        function_url(d, url, &invoked, out);
    }
    if let Some(eic) = get("EventInvokeConfig") {
        event_invoke_config(d, eic, &invoked, &mut inline, out);
    }
    if let Some(evs) = get("Events").and_then(Node::as_map) {
        for ev in evs {
            let mut grants = events::Grants {
                managed: &mut managed,
                inline: &mut inline,
            };
            events::expand(t, d, &ev.key, &ev.value, &invoked, &mut grants, out);
        }
    }

    if get("Role").is_none() {
        policies(t, id, get("Policies"), &mut managed, &mut inline);
        let trust = get("AssumeRolePolicyDocument").cloned().unwrap_or_else(|| {
            b.document(vec![b.map(vec![
                ("Effect", b.s("Allow")),
                (
                    "Principal",
                    b.map(vec![("Service", b.list(vec![b.s("lambda.amazonaws.com")]))]),
                ),
                ("Action", b.list(vec![b.s("sts:AssumeRole")])),
            ])])
        });
        let mut rp = vec![
            ("AssumeRolePolicyDocument", trust),
            ("ManagedPolicyArns", b.list(managed)),
            (
                "Policies",
                b.list(
                    inline
                        .iter()
                        .map(|(name, doc, _)| {
                            let pb = B::new(&doc.origin);
                            pb.map(vec![
                                ("PolicyName", pb.s(name)),
                                ("PolicyDocument", doc.clone()),
                            ])
                        })
                        .collect(),
                ),
            ),
            ("Tags", b.list(tags)),
        ];
        if let Some(pb) = get("PermissionsBoundary") {
            rp.push(("PermissionsBoundary", pb.clone()));
        }
        if let Some(path) = get("RolePath") {
            rp.push(("Path", path.clone()));
        }
        for (name, _, template) in &inline {
            if let Some(template) = template {
                out.extras
                    .expanded
                    .push((role_id.clone(), name.clone(), template.clone()));
            }
        }
        out.push(d, &role_id, "AWS::IAM::Role", b.map(rp), true);
    }
}

/// `CodeUri` (a local path, `s3://bucket/key`, or `{Bucket, Key, Version}`), `InlineCode`,
/// `ImageUri`.
pub(crate) fn code(t: &Template<'_>, props: &Node, owner: &Origin) -> Value<Code> {
    if let Some(inline) = props.get("InlineCode") {
        return string(t, inline).map(|source| Code::Inline { source });
    }
    if let Some(uri) = props.get("ImageUri") {
        return string(t, uri).map(|uri| Code::Image { uri });
    }
    let Some(c) = props.get("CodeUri").or_else(|| props.get("ContentUri")) else {
        return Value::unresolved("<no code>", owner.clone());
    };
    match &c.kind {
        NodeKind::String(s) => {
            let code = match s.strip_prefix("s3://").and_then(|r| r.split_once('/')) {
                Some((bucket, key)) => Code::S3 {
                    bucket: bucket.to_owned(),
                    key: key.to_owned(),
                    version: None,
                },
                None => Code::Local { path: s.clone() },
            };
            Value::explicit(code, c.origin.clone())
        }
        NodeKind::Map(_) if is_known(c) => {
            let text = |k: &str| c.get(k).and_then(Node::scalar_text);
            match (text("Bucket"), text("Key")) {
                (Some(bucket), Some(key)) => Value::explicit(
                    Code::S3 {
                        bucket,
                        key,
                        version: text("Version"),
                    },
                    c.origin.clone(),
                ),
                _ => Value::unresolved(t.expr_text(c), c.origin.clone()),
            }
        }
        _ => Value::unresolved(t.expr_text(c), c.origin.clone()),
    }
}

fn function_url<'a>(d: &Decl<'a>, url: &Node, invoked: &Invoked, out: &mut Out<'a>) {
    let ub = B::new(&url.origin);
    let id = &invoked.id;
    let target = || match &invoked.alias {
        Some(a) => ub.reference(&format!("{id}Alias{a}")),
        None => ub.reference(id),
    };
    let mut up: Vec<Entry> = ["AuthType", "Cors", "InvokeMode"]
        .iter()
        .filter_map(|k| url.get(k).map(|v| entry(k, v)))
        .collect();
    up.push(entry("TargetFunctionArn", &target()));
    if let Some(a) = &invoked.alias {
        up.push(entry("Qualifier", &ub.s(a.clone())));
    }
    out.push(
        d,
        &format!("{id}Url"),
        "AWS::Lambda::Url",
        with_entries(Some(url), &url.origin, up),
        true,
    );
    let auth = url.get("AuthType");
    if auth.and_then(Node::as_str) == Some("NONE") {
        let auth = auth.cloned().unwrap_or_else(|| ub.s("NONE"));
        let mut public = vec![
            ("Action", ub.s("lambda:InvokeFunctionUrl")),
            ("FunctionName", target()),
            ("Principal", ub.s("*")),
            ("FunctionUrlAuthType", auth),
        ];
        if let Some(a) = &invoked.alias {
            public.push(("Qualifier", ub.s(a.clone())));
        }
        out.push(
            d,
            &format!("{id}UrlPublicPermissions"),
            "AWS::Lambda::Permission",
            ub.map(public),
            true,
        );
        out.push(
            d,
            &format!("{id}URLInvokeAllowPublicAccess"),
            "AWS::Lambda::Permission",
            ub.map(vec![
                ("Action", ub.s("lambda:InvokeFunction")),
                ("FunctionName", target()),
                ("Principal", ub.s("*")),
                (
                    "InvokedViaFunctionUrl",
                    Node::new(NodeKind::Bool(true), ub.o.clone()),
                ),
            ]),
            true,
        );
    }
}

/// `EventInvokeConfig` → `<Id>EventInvokeConfig`, with the role statements SAM adds for its
/// destinations.
fn event_invoke_config<'a>(
    d: &Decl<'a>,
    eic: &Node,
    invoked: &Invoked,
    inline: &mut Vec<(String, Node, Option<String>)>,
    out: &mut Out<'a>,
) {
    let eb = B::new(&eic.origin);
    let id = &invoked.id;
    let config_id = format!("{id}EventInvokeConfig");
    let mut ep: Vec<(&str, Node)> = vec![
        ("FunctionName", eb.reference(id)),
        (
            "Qualifier",
            eb.s(invoked.alias.clone().unwrap_or_else(|| "$LATEST".into())),
        ),
    ];
    for k in ["MaximumEventAgeInSeconds", "MaximumRetryAttempts"] {
        if let Some(v) = eic.get(k) {
            ep.push((k, v.clone()));
        }
    }
    let mut dest_entries = Vec::new();
    for (key, when) in [("OnSuccess", "OnSuccess"), ("OnFailure", "OnFailure")] {
        let Some(dest) = eic.get("DestinationConfig").and_then(|c| c.get(key)) else {
            continue;
        };
        let db = B::new(&dest.origin);
        let kind = dest.get("Type").and_then(Node::as_str).unwrap_or("");
        let target = match dest.get("Destination") {
            Some(t) => t.clone(),
            None => {
                // SAM creates the queue or topic when no destination is given.
                let (suffix, ty) = match kind {
                    "SNS" => ("Topic", "AWS::SNS::Topic"),
                    _ => ("Queue", "AWS::SQS::Queue"),
                };
                let created = format!("{config_id}{when}{suffix}");
                out.push(d, &created, ty, db.map(Vec::new()), true);
                if kind == "SNS" {
                    db.reference(&created)
                } else {
                    db.get_att(&created, "Arn")
                }
            }
        };
        let action = match kind {
            "SQS" => Some("sqs:SendMessage"),
            "SNS" => Some("sns:Publish"),
            "Lambda" => Some("lambda:InvokeFunction"),
            "EventBridge" => Some("events:PutEvents"),
            _ => None,
        };
        if let Some(action) = action {
            inline.push((
                format!("{config_id}{when}{kind}Policy"),
                db.document(vec![db.allow(&[action], target.clone())]),
                None,
            ));
        }
        dest_entries.push((key, db.map(vec![("Destination", target)])));
    }
    if !dest_entries.is_empty() {
        ep.push(("DestinationConfig", eb.map(dest_entries)));
    }
    out.push(
        d,
        &config_id,
        "AWS::Lambda::EventInvokeConfig",
        eb.map(ep),
        true,
    );
}

/// `Policies`: AWS managed policy names and ARNs, policy documents, and SAM policy templates.
fn policies(
    t: &Template<'_>,
    id: &str,
    policies: Option<&Node>,
    managed: &mut Vec<Node>,
    inline: &mut Vec<(String, Node, Option<String>)>,
) {
    let Some(policies) = policies else {
        return;
    };
    let partition = t.partition();
    for (i, p) in policies.one_or_many().iter().enumerate() {
        let name = format!("{id}RolePolicy{i}");
        match &p.kind {
            NodeKind::String(s) if s.starts_with("arn:") => managed.push(p.clone()),
            NodeKind::String(s) => managed.push(Node::string(
                format!("arn:{partition}:iam::aws:policy/{s}"),
                p.origin.clone(),
            )),
            NodeKind::Unresolved(_) => managed.push(p.clone()),
            NodeKind::Map(_) if local_ref(p).is_some() => managed.push(p.clone()),
            NodeKind::Map(entries) => {
                if p.get("Statement").is_some() {
                    inline.push((name, p.clone(), None));
                    continue;
                }
                match entries.as_slice() {
                    [e] if policy_templates::is_template(&e.key) => {
                        match policy_templates::expand(t, &e.key, &e.value, &e.key_origin) {
                            Ok(doc) => inline.push((name, doc, Some(e.key.clone()))),
                            Err(message) => t.diags.error(message, &e.key_origin),
                        }
                    }
                    [e] => t.diags.error(
                        format!("`{}` is not a SAM policy template", e.key),
                        &e.key_origin,
                    ),
                    _ => t.diags.error(
                        "a `Policies` item must be a policy name or ARN, a policy document, or one SAM policy template",
                        &p.origin,
                    ),
                }
            }
            _ => t.diags.error(
                "a `Policies` item must be a policy name or ARN, a policy document, or one SAM policy template",
                &p.origin,
            ),
        }
    }
}
