//! Evaluated Terraform resources into the model, one file per service.
//!
//! Extraction runs in two passes: resources first, then the resources that only attach to
//! others (policy attachments, security group rules, queue and bucket policies, bucket
//! notifications, event targets, alias and function settings declared on their own).

mod api;
mod events;
mod iam;
mod infra;
mod lambda;
mod network;

use super::body::{Cx, Obj};
use lambdasec_model::{
    Arn, Inventory, Meta, OtherResource, Referable, ResourceKind, Suppression, Tag, Target, Value,
};

/// One resource instance, evaluated.
#[derive(Debug)]
pub(crate) struct Res<'a> {
    pub address: String,
    pub rtype: String,
    pub obj: Obj<'a>,
    pub suppressions: Vec<Suppression>,
    /// `path.module` of the module declaring it (`.` for the root).
    pub path_module: String,
    /// The address prefix of its module (`module.m.`).
    pub module_prefix: String,
    /// The `default_tags` of its provider, evaluated.
    pub default_tags: Option<Obj<'a>>,
}

impl Res<'_> {
    pub fn meta(&self, kind: ResourceKind) -> Meta {
        let mut m = Meta::new(self.address.clone(), kind, self.obj.origin.clone());
        m.suppressions.clone_from(&self.suppressions);
        m
    }

    /// Tags with the provider's `default_tags` merged in (resource tags win), as AWS sees them.
    pub fn tags(&self, key: &str) -> Value<Vec<Tag>> {
        // Plans carry the merged tags already.
        let key = if self.obj.has("tags_all") {
            "tags_all"
        } else {
            key
        };
        let own = self.obj.string_map(key);
        let defaults = self
            .default_tags
            .as_ref()
            .and_then(|d| d.string_map("tags"));
        let origin = match (&own, &self.default_tags) {
            (Some(_), _) => self.obj.origin_of(key),
            (None, Some(d)) if defaults.is_some() => d.origin_of("tags"),
            _ => return Value::default(Vec::new(), &self.obj.origin),
        };
        let mut tags: Vec<Tag> = Vec::new();
        for source in [defaults, own].into_iter().flatten() {
            match source {
                Ok(items) => {
                    for item in items {
                        tags.retain(|t| t.key != item.key);
                        tags.push(Tag {
                            key: item.key,
                            value: item.value,
                        });
                    }
                }
                Err(unknown) => {
                    return Value::unresolved(
                        unknown.unresolved_expr().unwrap_or_default(),
                        origin,
                    );
                }
            }
        }
        Value::explicit(tags, origin)
    }
}

/// Resource types whose instances become resources of the inventory, under their address.
pub(crate) fn is_modeled(rtype: &str) -> bool {
    matches!(
        rtype,
        "aws_lambda_function"
            | "aws_lambda_function_url"
            | "aws_lambda_permission"
            | "aws_lambda_alias"
            | "aws_lambda_function_event_invoke_config"
            | "aws_lambda_event_source_mapping"
            | "aws_lambda_layer_version"
            | "aws_lambda_layer_version_permission"
            | "aws_lambda_code_signing_config"
            | "aws_iam_role"
            | "aws_iam_user"
            | "aws_iam_group"
            | "aws_iam_policy"
            | "aws_iam_role_policy"
            | "aws_iam_user_policy"
            | "aws_iam_group_policy"
            | "aws_cloudwatch_log_group"
            | "aws_kms_key"
            | "aws_cloudtrail"
            | "aws_security_group"
            | "aws_subnet"
            | "aws_api_gateway_rest_api"
            | "aws_api_gateway_method"
            | "aws_api_gateway_stage"
            | "aws_api_gateway_authorizer"
            | "aws_apigatewayv2_api"
            | "aws_apigatewayv2_route"
            | "aws_apigatewayv2_stage"
            | "aws_apigatewayv2_authorizer"
            | "aws_sqs_queue"
            | "aws_sns_topic"
            | "aws_sns_topic_subscription"
            | "aws_s3_bucket"
            | "aws_cloudwatch_event_rule"
            | "aws_scheduler_schedule"
    )
}

/// Map every resource instance into `inv`.
pub(crate) fn extract(cx: &Cx<'_>, resources: &[Res<'_>], inv: &mut Inventory) {
    for r in resources {
        match r.rtype.as_str() {
            t if t.starts_with("aws_lambda_") => lambda::primary(cx, r, inv),
            t if t.starts_with("aws_iam_") => iam::primary(cx, r, inv),
            t if t.starts_with("aws_api_gateway_") || t.starts_with("aws_apigatewayv2_") => {
                api::primary(cx, r, inv);
            }
            "aws_security_group" | "aws_subnet" => network::primary(cx, r, inv),
            "aws_cloudwatch_log_group" | "aws_kms_key" | "aws_cloudtrail" => {
                infra::primary(cx, r, inv);
            }
            "aws_sqs_queue"
            | "aws_sns_topic"
            | "aws_sns_topic_subscription"
            | "aws_s3_bucket"
            | "aws_cloudwatch_event_rule"
            | "aws_scheduler_schedule" => events::primary(cx, r, inv),
            _ => {}
        }
    }
    api::link(cx, resources, inv);
    link_log_groups(resources, inv);
    // What the model does not represent is still declared: references to it are not dangling.
    inv.other_resources
        .extend(
            resources
                .iter()
                .filter(|r| !is_modeled(&r.rtype))
                .map(|r| OtherResource {
                    id: r.address.clone(),
                    type_name: r.rtype.clone(),
                    origin: r.obj.origin.clone(),
                }),
        );
    for r in resources {
        match r.rtype.as_str() {
            t if t.starts_with("aws_lambda_") => lambda::attach(cx, r, inv),
            t if t.starts_with("aws_iam_") => iam::attach(cx, r, inv),
            "aws_security_group_rule"
            | "aws_vpc_security_group_ingress_rule"
            | "aws_vpc_security_group_egress_rule" => network::attach(cx, r, inv),
            "aws_kms_alias" => infra::attach(cx, r, inv),
            _ => events::attach(cx, r, inv),
        }
    }
}

/// Link each function to the log group declared for it: named `/aws/lambda/<function name>`,
/// or written as `"/aws/lambda/${aws_lambda_function.x.function_name}"` when the name is only
/// known at apply.
fn link_log_groups(resources: &[Res<'_>], inv: &mut Inventory) {
    let groups: Vec<(String, Option<String>, Option<String>)> = inv
        .log_groups
        .iter()
        .filter_map(|g| {
            let name = g.name.as_ref()?;
            let known = name
                .as_str()
                .and_then(|n| n.strip_prefix("/aws/lambda/"))
                .map(str::to_owned);
            let referenced = name.unresolved_expr().and_then(|text| {
                let at = text.find("aws_lambda_function.")?;
                let rest = text.get(at..)?;
                let end = rest
                    .find(|c: char| c == '}' || c.is_whitespace())
                    .unwrap_or(rest.len());
                let reference = rest.get(..end)?;
                // `aws_lambda_function.x.function_name` → `aws_lambda_function.x`
                let address = reference.rsplit_once('.').map_or(reference, |(a, _)| a);
                let prefix = resources
                    .iter()
                    .find(|r| r.address == g.meta.id)
                    .map_or("", |r| r.module_prefix.as_str());
                Some(format!("{prefix}{address}"))
            });
            Some((g.meta.id.clone(), known, referenced))
        })
        .collect();
    for f in &mut inv.functions {
        let name = f.known_name().map(str::to_owned);
        let found = groups.iter().find(|(_, known, referenced)| {
            referenced.as_deref() == Some(f.meta.id.as_str())
                || (known.is_some() && known.as_deref() == name.as_deref())
        });
        if let Some((id, _, _)) = found {
            f.log_group = Some(Value::explicit(
                Target::Local(id.clone()),
                f.meta.origin.implied(),
            ));
        }
    }
}

/// Does `target` name this resource (by address, ARN or name)?
pub(crate) fn names<R: Referable>(r: &R, target: &Target) -> bool {
    let meta = r.meta();
    match target {
        Target::Local(id) => meta.id == *id,
        Target::Arn(arn) => {
            meta.arn.as_deref() == Some(arn.as_str())
                || Arn::parse(arn).is_some_and(|a| r.known_name() == Some(a.resource_name()))
        }
        Target::Name(n) => r.known_name() == Some(n.as_str()),
    }
}

/// The resource of `items` a reference names.
pub(crate) fn find_mut<'i, R: Referable>(
    items: &'i mut [R],
    target: &Value<Target>,
) -> Option<&'i mut R> {
    let t = target.get()?;
    items.iter_mut().find(|r| names(*r, t))
}

/// The ARN of the function an integration URI invokes:
/// `arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function arn>/invocations`.
pub(crate) fn function_of_invoke_uri(uri: &str) -> Option<Target> {
    let rest = uri.split_once(":lambda:path/")?.1;
    let arn = rest.split_once("/functions/")?.1;
    let arn = arn.strip_suffix("/invocations").unwrap_or(arn);
    Arn::parse(arn).map(|_| Target::Arn(arn.to_owned()))
}

/// A function reference from an integration or authorizer URI: the function itself when the
/// URI is a reference to one (`aws_lambda_function.f.invoke_arn`), else the ARN inside a
/// literal URI.
pub(crate) fn uri_function(obj: &Obj<'_>, key: &str) -> Option<Value<Target>> {
    let t = obj.target(key)?;
    Some(match t.get() {
        Some(Target::Arn(uri)) if uri.starts_with("arn:aws") && uri.contains(":apigateway:") => {
            match function_of_invoke_uri(uri) {
                Some(f) => Value::explicit(f, t.origin.clone()),
                None => t,
            }
        }
        _ => t,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invoke_uris() {
        let uri = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:api/invocations";
        assert_eq!(
            function_of_invoke_uri(uri),
            Some(Target::Arn(
                "arn:aws:lambda:eu-west-1:123456789012:function:api".into()
            ))
        );
        assert_eq!(function_of_invoke_uri("https://example.com"), None);
    }
}
