use crate::{Context, Findings, declare_rule};
use lambdasec_model::{Function, InputKind, Node, Trail};

declare_rule! {
    /// ## What it does
    /// Flags functions whose invocations no CloudTrail trail records: no trail that is logging
    /// has a data-event selector for Lambda (`AWS::Lambda::Function`, on all functions
    /// `arn:aws:lambda` or on this function's ARN) that includes write events, either as a
    /// basic event selector or as an advanced event selector (`eventCategory = Data`,
    /// `resources.type = AWS::Lambda::Function`, `readOnly` not limited to `true`, `eventName`
    /// and `resources.ARN` filters that keep `Invoke` for this function).
    ///
    /// In CloudFormation, SAM and Terraform projects the rule judges only when the project
    /// declares trails (a trail of the account or organization is not visible in a template);
    /// a live snapshot lists the account's trails, so a function is flagged when none covers it.
    /// A selector that depends on values unknown offline counts as covering.
    ///
    /// ## Why is this bad
    /// CloudTrail records management events (who changed a function) by default, but not data
    /// events: without a Lambda data-event selector, no record says who invoked the function,
    /// when, or from where. An attacker abusing a public grant or a stolen role session to
    /// invoke it leaves no trace to investigate.
    ///
    /// ## Example
    /// ```yaml
    /// Trail:
    ///   Type: AWS::CloudTrail::Trail
    ///   Properties:
    ///     IsLogging: true
    ///     S3BucketName: !Ref TrailBucket
    ///     EventSelectors:
    ///       - ReadWriteType: All
    /// ```
    ///
    /// ## Remediation
    /// Add a Lambda data-event selector to a trail (all functions, or the critical ones).
    /// - CloudFormation / SAM: `EventSelectors: [{DataResources: [{Type: AWS::Lambda::Function,
    ///   Values: [arn:aws:lambda]}]}]` or the equivalent `AdvancedEventSelectors`.
    /// - Terraform: `event_selector { data_resource { type = "AWS::Lambda::Function", values =
    ///   ["arn:aws:lambda"] } }` on `aws_cloudtrail`.
    /// - Live: `aws cloudtrail put-event-selectors`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html
    /// - https://docs.aws.amazon.com/lambda/latest/dg/logging-using-cloudtrail.html
    pub struct InvokeNotAudited {
        code: "OBS002",
        name: "invoke-not-audited",
        title: "Function invocations not recorded by CloudTrail",
        severity: Medium,
        kinds: [Function],
        inputs: [CloudFormation, Sam, Terraform, Live],
        fix: None,
    }
}

/// Whether a trail records a function's invocations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Covers {
    Yes,
    No,
    /// Depends on values unknown offline.
    Maybe,
}

impl Covers {
    fn or(self, other: Covers) -> Covers {
        match (self, other) {
            (Covers::Yes, _) | (_, Covers::Yes) => Covers::Yes,
            (Covers::Maybe, _) | (_, Covers::Maybe) => Covers::Maybe,
            _ => Covers::No,
        }
    }
}

impl InvokeNotAudited {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        let inv = cx.inventory;
        // Templates show only their own trails; a snapshot lists the account's, unless
        // listing them failed.
        if inv.trails.is_empty()
            && (inv.input != Some(InputKind::Snapshot) || super::not_assessed(cx, "cloudtrail:"))
        {
            return;
        }
        for f in &inv.functions {
            let arn = function_arn(cx, f);
            let covered = inv
                .trails
                .iter()
                .map(|t| trail_covers(t, arn.as_deref()))
                .fold(Covers::No, Covers::or);
            if covered != Covers::No {
                continue;
            }
            let why = if inv.trails.is_empty() {
                "the account has no CloudTrail trail".to_owned()
            } else {
                let names: Vec<String> = inv
                    .trails
                    .iter()
                    .map(|t| format!("`{}`", t.meta.id))
                    .collect();
                format!(
                    "no trail ({}) logs Lambda data events for it",
                    names.join(", ")
                )
            };
            let finding = out.add(
                &f.meta,
                &f.meta.origin,
                format!("invocations of `{}` are not recorded: {why}", f.meta.id),
            );
            for t in &inv.trails {
                finding.with_related(
                    &t.meta.origin,
                    "trail without a Lambda data-event selector covering the function",
                );
            }
        }
    }
}

/// The function's ARN, when known (live) or buildable from its name and the audited account
/// and region.
fn function_arn(cx: &Context<'_>, f: &Function) -> Option<String> {
    if let Some(a) = &f.meta.arn {
        return Some(a.clone());
    }
    let name = f.known_name()?;
    let account = cx.audited_account()?;
    let region = cx.inventory.region.as_deref()?;
    Some(format!("arn:aws:lambda:{region}:{account}:function:{name}"))
}

fn trail_covers(t: &Trail, arn: Option<&str>) -> Covers {
    match t.is_logging.get() {
        Some(false) => return Covers::No,
        None => return Covers::Maybe,
        Some(true) => {}
    }
    let basic = t
        .event_selectors
        .iter()
        .map(|s| {
            let writes = match s.read_write_type.as_str() {
                Some(rw) => !rw.eq_ignore_ascii_case("ReadOnly"),
                None => return Covers::Maybe,
            };
            if !writes {
                return Covers::No;
            }
            s.data_resources
                .iter()
                .map(|d| {
                    match d.resource_type.as_str() {
                        None => return Covers::Maybe,
                        Some(ty) if ty != "AWS::Lambda::Function" => return Covers::No,
                        Some(_) => {}
                    }
                    d.values
                        .iter()
                        .map(|v| match v.as_str() {
                            None => Covers::Maybe,
                            Some(v) => arn_value_covers(v, arn),
                        })
                        .fold(Covers::No, Covers::or)
                })
                .fold(Covers::No, Covers::or)
        })
        .fold(Covers::No, Covers::or);
    let advanced = t
        .advanced_event_selectors
        .as_ref()
        .map_or(Covers::No, |n| advanced_covers(n, arn));
    basic.or(advanced)
}

/// A basic selector value: `arn:aws:lambda` (every function), a function ARN, or an ARN
/// prefix.
fn arn_value_covers(value: &str, arn: Option<&str>) -> Covers {
    let v = value.trim();
    let all = v
        .strip_prefix("arn:")
        .and_then(|r| r.split_once(':'))
        .is_some_and(|(_, rest)| rest.trim_end_matches(':') == "lambda");
    if all {
        return Covers::Yes;
    }
    match arn {
        Some(a) if a == v || a.starts_with(v) => Covers::Yes,
        Some(_) => Covers::No,
        None => Covers::Maybe,
    }
}

/// Advanced event selectors: a list of `{FieldSelectors: [{Field, Equals, StartsWith, ...}]}`.
fn advanced_covers(node: &Node, arn: Option<&str>) -> Covers {
    let Some(selectors) = node.as_list() else {
        return if node.is_unresolved() {
            Covers::Maybe
        } else {
            Covers::No
        };
    };
    selectors
        .iter()
        .map(|s| match s.get("FieldSelectors").and_then(Node::as_list) {
            Some(fields) => selector_covers(fields, arn),
            None => Covers::Maybe,
        })
        .fold(Covers::No, Covers::or)
}

/// One advanced selector: every field selector must keep the function's `Invoke` data events.
fn selector_covers(fields: &[Node], arn: Option<&str>) -> Covers {
    let mut result = Covers::Yes;
    let mut data = false;
    let mut lambda = false;
    for fs in fields {
        let Some(field) = fs.get("Field").and_then(Node::as_str) else {
            return Covers::Maybe;
        };
        let value: Option<&str> = match field {
            "eventCategory" => Some("Data"),
            "resources.type" => Some("AWS::Lambda::Function"),
            "readOnly" => Some("false"),
            "eventName" => Some("Invoke"),
            "eventSource" => Some("lambda.amazonaws.com"),
            "resources.ARN" => arn,
            _ => continue,
        };
        let keeps = match value {
            Some(v) => field_keeps(fs, v),
            None => Covers::Maybe,
        };
        match field {
            "eventCategory" => data = keeps != Covers::No,
            "resources.type" => lambda = keeps != Covers::No,
            _ => {}
        }
        result = match (result, keeps) {
            (Covers::No, _) | (_, Covers::No) => Covers::No,
            (Covers::Maybe, _) | (_, Covers::Maybe) => Covers::Maybe,
            _ => Covers::Yes,
        };
    }
    if data && lambda { result } else { Covers::No }
}

/// Whether a field selector keeps events whose field has `value`.
fn field_keeps(fs: &Node, value: &str) -> Covers {
    let mut result = Covers::Yes;
    for e in fs.as_map().unwrap_or_default() {
        if e.key == "Field" {
            continue;
        }
        let items = e.value.one_or_many();
        if items.iter().any(Node::is_unresolved) {
            result = if result == Covers::No {
                Covers::No
            } else {
                Covers::Maybe
            };
            continue;
        }
        let texts: Vec<&str> = items.iter().filter_map(Node::as_str).collect();
        let hit = |p: &dyn Fn(&str) -> bool| texts.iter().any(|t| p(t));
        let keeps = match e.key.as_str() {
            "Equals" => hit(&|t| t == value),
            "NotEquals" => !hit(&|t| t == value),
            "StartsWith" => hit(&|t| value.starts_with(t)),
            "NotStartsWith" => !hit(&|t| value.starts_with(t)),
            "EndsWith" => hit(&|t| value.ends_with(t)),
            "NotEndsWith" => !hit(&|t| value.ends_with(t)),
            _ => true,
        };
        if !keeps {
            result = Covers::No;
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use lambdasec_iam::node_from_json;
    use lambdasec_model::Origin;

    fn adv(json: &str, arn: Option<&str>) -> Covers {
        advanced_covers(&node_from_json(json, &Origin::Unknown).unwrap(), arn)
    }

    const ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:api";

    #[test]
    fn basic_values() {
        assert_eq!(arn_value_covers("arn:aws:lambda", None), Covers::Yes);
        assert_eq!(arn_value_covers("arn:aws-cn:lambda:", None), Covers::Yes);
        assert_eq!(arn_value_covers(ARN, Some(ARN)), Covers::Yes);
        assert_eq!(
            arn_value_covers(
                "arn:aws:lambda:us-east-1:123456789012:function:other",
                Some(ARN)
            ),
            Covers::No
        );
        assert_eq!(arn_value_covers(ARN, None), Covers::Maybe);
    }

    #[test]
    fn advanced_selectors() {
        let all = r#"[{"FieldSelectors":[{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["AWS::Lambda::Function"]}]}]"#;
        assert_eq!(adv(all, None), Covers::Yes);
        let read_only = r#"[{"FieldSelectors":[{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["AWS::Lambda::Function"]},{"Field":"readOnly","Equals":["true"]}]}]"#;
        assert_eq!(adv(read_only, Some(ARN)), Covers::No);
        let s3 = r#"[{"FieldSelectors":[{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["AWS::S3::Object"]}]}]"#;
        assert_eq!(adv(s3, Some(ARN)), Covers::No);
        let one = r#"[{"FieldSelectors":[{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["AWS::Lambda::Function"]},{"Field":"resources.ARN","StartsWith":["arn:aws:lambda:us-east-1:123456789012:function:api"]}]}]"#;
        assert_eq!(adv(one, Some(ARN)), Covers::Yes);
        assert_eq!(
            adv(
                one,
                Some("arn:aws:lambda:us-east-1:123456789012:function:batch")
            ),
            Covers::No
        );
        assert_eq!(adv(one, None), Covers::Maybe);
        let management =
            r#"[{"FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]}]}]"#;
        assert_eq!(adv(management, Some(ARN)), Covers::No);
    }
}
