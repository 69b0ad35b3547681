//! `AWS::Serverless::Function`: code and runtime, alias and deployment settings, role and
//! policies, dead-letter queue, asynchronous invocation destinations, URL, tenancy, tags, and
//! the resources SAM would generate under ids already taken.

use super::api::Routes;
use super::shape::{entries, is_intrinsic, present};
use super::{At, cors, events};
use lambdasec_model::{Node, NodeKind};

pub(crate) fn check(at: At<'_>, props: &Node, routes: &mut Routes) {
    code(at, props);
    alias(at, props);
    deployment(at, props);
    dead_letter_queue(at, props);
    if let Some(eic) = props.get("EventInvokeConfig") {
        event_invoke_config(at, eic);
    }
    if let Some(url) = props.get("FunctionUrlConfig") {
        function_url(at, url);
    }
    tenancy(at, props);
    reserved_tags(at, props.get("Tags"));
    if let Some(evs) = props.get("Events") {
        events::check_all(at, evs, events::Owner::Function, routes);
    }
    generated_ids(at, props);
}

/// Code: an image, or a zip with a runtime and a handler and exactly one code location.
fn code(at: At<'_>, props: &Node) {
    let package = props.get("PackageType").and_then(Node::as_str);
    let metadata = at
        .ctx
        .resources
        .get(at.resource)
        .and_then(|r| r.node.get("Metadata"));
    // `sam build` builds images and packages code from this metadata.
    let built = |keys: &[&str]| metadata.is_some_and(|m| keys.iter().any(|k| m.get(k).is_some()));
    if package == Some("Image") {
        if !present(props.get("ImageUri")) && !built(&["Dockerfile", "DockerContext", "DockerTag"])
        {
            at.error(
                &props.origin,
                "an `Image` function needs `ImageUri` (or `Metadata.Dockerfile` for `sam build`)",
            );
        }
        return;
    }
    if package.is_some_and(|p| p != "Zip") {
        if let Some(p) = props.get("PackageType") {
            at.error(&p.origin, "`PackageType` must be `Zip` or `Image`");
        }
        return;
    }
    let missing: Vec<&str> = ["Runtime", "Handler"]
        .into_iter()
        .filter(|k| !present(props.get(k)))
        .collect();
    if !missing.is_empty() && !present(props.get("ImageUri")) {
        at.error(
            &props.origin,
            format!(
                "a `Zip` function needs `Runtime` and `Handler` (missing: {})",
                missing.join(", ")
            ),
        );
    }
    match (props.get("CodeUri"), props.get("InlineCode")) {
        // Both: `InlineCode` takes precedence.
        (Some(_), Some(_)) => {}
        // Neither: the SAM CLI packages the template's directory (`CodeUri: .`).
        (Some(uri), None) => code_uri(at, uri, "CodeUri"),
        _ => {}
    }
}

/// A code location: a local path (packaged by the SAM CLI), `s3://bucket/key`, or
/// `{Bucket, Key, Version}`.
pub(crate) fn code_uri(at: At<'_>, n: &Node, name: &str) {
    match &n.kind {
        NodeKind::String(s) => {
            if s.contains("{{resolve:") {
                at.error(
                    &n.origin,
                    format!(
                        "`{name}` cannot hold a dynamic reference; use the `{{Bucket, Key}}` form"
                    ),
                );
            } else if let Some(rest) = s.strip_prefix("s3://") {
                let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
                let valid_bucket = !bucket.is_empty()
                    && bucket.bytes().all(|b| {
                        b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-'
                    });
                if !valid_bucket || key.is_empty() {
                    at.error(
                        &n.origin,
                        format!("`{name}` is not a valid S3 URI of the form `s3://bucket/key`"),
                    );
                }
            } else if s.contains("://") {
                at.error(
                    &n.origin,
                    format!(
                        "`{name}` must be a local path or an S3 URI (`s3://bucket/key`), not `{s}`"
                    ),
                );
            }
        }
        NodeKind::Map(_) if !is_intrinsic(n) => {
            for k in ["Bucket", "Key"] {
                if !present(n.get(k)) {
                    at.error(
                        &n.origin,
                        format!("`{name}` needs `Bucket` and `Key` (missing `{k}`)"),
                    );
                }
            }
        }
        _ => {}
    }
}

/// The alias name when it is known: written, or a parameter's value.
fn alias_name(at: At<'_>, props: &Node) -> Option<Option<String>> {
    let a = props.get("AutoPublishAlias")?;
    Some(at.ctx.eval(a).and_then(|v| v.as_str().map(str::to_owned)))
}

/// `AutoPublishAlias` and `AutoPublishCodeSha256`.
fn alias(at: At<'_>, props: &Node) {
    if let (Some(a), Some(Some(name))) = (props.get("AutoPublishAlias"), alias_name(at, props)) {
        let valid = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            && !name.bytes().all(|b| b.is_ascii_digit());
        if name.is_empty() {
            at.error(
                &a.origin,
                "`AutoPublishAlias` is empty: an alias needs a name",
            );
        } else if !valid {
            at.error(
                &a.origin,
                format!(
                    "`AutoPublishAlias` `{name}` must contain only letters, digits, `-` and `_` (and not only digits)"
                ),
            );
        }
    }
    if let Some(h) = props.get("AutoPublishCodeSha256")
        && is_intrinsic(h)
        && h.get("Ref").is_none()
    {
        at.error(
            &h.origin,
            "`AutoPublishCodeSha256` must be a string (or a parameter reference)",
        );
    }
}

/// True when the function publishes an alias with a non-empty (or unknown) name.
fn has_alias(at: At<'_>, props: &Node) -> bool {
    match alias_name(at, props) {
        None => false,
        Some(Some(name)) => !name.is_empty(),
        Some(None) => true,
    }
}

/// A value that is present unless it is `!Ref AWS::NoValue`.
fn set(n: Option<&Node>) -> Option<&Node> {
    n.filter(|n| {
        !matches!(n.kind, NodeKind::Null)
            && n.get("Ref").and_then(Node::as_str) != Some("AWS::NoValue")
    })
}

/// `DeploymentPreference`, `ProvisionedConcurrencyConfig`, `VersionDeletionPolicy` and what
/// they need.
fn deployment(at: At<'_>, props: &Node) {
    let alias = has_alias(at, props);
    if let Some(d) = set(props.get("DeploymentPreference")) {
        // Disabled (or enabled by a value not known offline): no alias needed.
        let enabled = match d.get("Enabled") {
            None => true,
            Some(e) => at.ctx.eval(e).and_then(|v| v.as_bool()) == Some(true),
        };
        if !alias && enabled {
            at.error(&d.origin, "`DeploymentPreference` needs `AutoPublishAlias`");
        }
        if let Some(h) = d.get("Hooks") {
            at.map(h, "DeploymentPreference.Hooks");
        }
        if let Some(a) = d.get("Alarms") {
            at.list(a, "DeploymentPreference.Alarms");
        }
        if let Some(p) = d.get("PassthroughCondition") {
            let supported = match &p.kind {
                NodeKind::Bool(_) => true,
                NodeKind::String(s) => {
                    s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false")
                }
                _ => p.get("Ref").is_some() || p.get("Fn::FindInMap").is_some(),
            };
            if !supported {
                at.error(
                    &p.origin,
                    "`DeploymentPreference.PassthroughCondition` must be a boolean, a parameter reference or `Fn::FindInMap`",
                );
            }
        }
    }
    let pcc = set(props.get("ProvisionedConcurrencyConfig"));
    if let Some(p) = pcc
        && !alias
    {
        at.error(
            &p.origin,
            "`ProvisionedConcurrencyConfig` needs `AutoPublishAlias`",
        );
    }
    if let (Some(p), Some(_)) = (pcc, set(props.get("CapacityProviderConfig"))) {
        at.error(
            &p.origin,
            "`CapacityProviderConfig` and `ProvisionedConcurrencyConfig` cannot be set together",
        );
    }
    if let Some(v) = props.get("VersionDeletionPolicy") {
        let value = at.ctx.eval(v);
        match value.as_ref().map(|v| &v.kind) {
            Some(NodeKind::String(s)) if s == "Delete" || s == "Retain" => {}
            Some(NodeKind::Unresolved(_)) | None => {}
            _ => at.error(
                &v.origin,
                "`VersionDeletionPolicy` must be `Delete` or `Retain`",
            ),
        }
        if !alias {
            at.error(
                &v.origin,
                "`VersionDeletionPolicy` needs `AutoPublishAlias`",
            );
        }
    }
}

/// `DeadLetterQueue: {Type: SQS|SNS, TargetArn}`.
fn dead_letter_queue(at: At<'_>, props: &Node) {
    let Some(q) = props.get("DeadLetterQueue") else {
        return;
    };
    if entries(q).is_none() {
        return;
    }
    match q.get("Type") {
        Some(ty) => match at.ctx.eval(ty).as_ref().map(|v| &v.kind) {
            Some(NodeKind::String(s)) if s == "SQS" || s == "SNS" => {}
            Some(NodeKind::String(s)) => at.error(
                &ty.origin,
                format!("`DeadLetterQueue.Type` must be `SQS` or `SNS`, not `{s}`"),
            ),
            _ => at.error(
                &ty.origin,
                "`DeadLetterQueue.Type` should be a string (`SQS` or `SNS`) that SAM can read",
            ),
        },
        None => at.error(&q.origin, "`DeadLetterQueue.Type` is required"),
    }
    at.required(q, "TargetArn", "DeadLetterQueue.TargetArn");
}

/// `EventInvokeConfig.DestinationConfig.{OnSuccess,OnFailure}`.
fn event_invoke_config(at: At<'_>, eic: &Node) {
    let Some(config) = eic.get("DestinationConfig") else {
        return;
    };
    if at
        .map(config, "EventInvokeConfig.DestinationConfig")
        .is_none()
    {
        return;
    }
    for key in ["OnSuccess", "OnFailure"] {
        let Some(dest) = config.get(key) else {
            continue;
        };
        let name = format!("EventInvokeConfig.DestinationConfig.{key}");
        if at.map(dest, &name).is_none() {
            continue;
        }
        let ty = dest.get("Type").and_then(Node::as_str);
        match ty {
            Some("SQS" | "SNS" | "EventBridge" | "Lambda" | "S3Bucket") => {}
            Some(other) => {
                if let Some(t) = dest.get("Type") {
                    at.error(
                        &t.origin,
                        format!("`{name}.Type` `{other}` must be one of SQS, SNS, EventBridge, Lambda, S3Bucket"),
                    );
                }
            }
            None => {}
        }
        if !matches!(ty, Some("SQS" | "SNS")) && !present(dest.get("Destination")) {
            at.error(
                &dest.origin,
                format!("`{name}.Destination` is required unless `Type` is SQS or SNS (SAM creates those)"),
            );
        }
    }
}

/// `FunctionUrlConfig: {AuthType, Cors, InvokeMode}`.
fn function_url(at: At<'_>, url: &Node) {
    if at.map(url, "FunctionUrlConfig").is_none() {
        return;
    }
    match url.get("AuthType") {
        None => at.error(
            &url.origin,
            "`FunctionUrlConfig.AuthType` is required (`AWS_IAM` or `NONE`)",
        ),
        Some(a) => {
            if let Some(s) = a.as_str()
                && s != "AWS_IAM"
                && s != "NONE"
            {
                at.error(
                    &a.origin,
                    format!("`FunctionUrlConfig.AuthType` must be `AWS_IAM` or `NONE`, not `{s}`"),
                );
            }
        }
    }
    if let Some(c) = url.get("Cors") {
        cors::function_url(at, c);
    }
}

/// Functions with `TenancyConfig` take only API events, and no URL, provisioned concurrency
/// or SnapStart.
fn tenancy(at: At<'_>, props: &Node) {
    if set(props.get("TenancyConfig")).is_none() {
        return;
    }
    for (key, what) in [
        ("FunctionUrlConfig", "a function URL"),
        ("ProvisionedConcurrencyConfig", "provisioned concurrency"),
        ("SnapStart", "SnapStart"),
    ] {
        if let Some(n) = set(props.get(key)) {
            at.error(
                &n.origin,
                format!("a function with `TenancyConfig` cannot have {what}"),
            );
        }
    }
    for e in props.get("Events").and_then(entries).unwrap_or_default() {
        if let Some(ty) = e.value.get("Type").and_then(Node::as_str)
            && ty != "Api"
            && ty != "HttpApi"
        {
            at.error(
                &e.key_origin,
                format!(
                    "a function with `TenancyConfig` takes only Api and HttpApi events, not `{ty}`"
                ),
            );
        }
    }
}

/// `lambda:createdBy` is the tag SAM sets; a template cannot set it.
pub(crate) fn reserved_tags(at: At<'_>, tags: Option<&Node>) {
    for e in tags.and_then(entries).unwrap_or_default() {
        if e.key == "lambda:createdBy" {
            at.error(
                &e.key_origin,
                "`lambda:createdBy` is a tag key reserved by SAM",
            );
        }
    }
}

/// SAM creates `<Id>Role` and, per event, `<Id><Event>` and `<Id><Event>Permission`: a
/// resource of the template already using one of these ids is an error.
fn generated_ids(at: At<'_>, props: &Node) {
    let id = at.resource;
    let taken = |id: &str| at.ctx.resources.contains_key(id);
    let report = |new: &str, what: &str, origin: &lambdasec_model::Origin| {
        at.error(
            origin,
            format!("SAM creates {what} `{new}` for this function, but the template already declares a resource with that id"),
        );
    };
    if props.get("Role").is_none() {
        let role = format!("{id}Role");
        if taken(&role) {
            report(&role, "the role", &props.origin);
        }
    }
    for e in props.get("Events").and_then(entries).unwrap_or_default() {
        let Some(ty) = e.value.get("Type").and_then(Node::as_str) else {
            continue;
        };
        let (main, permission) = match ty {
            "S3" | "AlexaSkill" | "Cognito" => (false, true),
            "SNS" | "Schedule" | "CloudWatchEvent" | "EventBridgeRule" | "IoTRule"
            | "CloudWatchLogs" => (true, true),
            "Kinesis" | "DynamoDB" | "SQS" | "MSK" | "MQ" | "SelfManagedKafka" | "DocumentDB"
            | "ScheduleV2" => (true, false),
            _ => (false, false),
        };
        let base = format!("{id}{}", e.key);
        if main && taken(&base) {
            report(&base, "a resource", &e.key_origin);
        }
        let perm = format!("{base}Permission");
        if permission && taken(&perm) {
            report(&perm, "the permission", &e.key_origin);
        }
    }
}
