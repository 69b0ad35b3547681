use crate::{Context, Findings, declare_rule};
use lambdasec_model::{Effect, Principal};

declare_rule! {
    /// ## What it does
    /// Flags permissions whose service principal is not the service that owns the `SourceArn`:
    /// `s3.amazonaws.com` with an API Gateway ARN, `events.amazonaws.com` with an SNS topic, ...
    /// The principal's service is compared with the service part of the ARN (API Gateway
    /// principals go with `execute-api` or `apigateway` ARNs, CloudWatch alarm principals with
    /// `cloudwatch`). ARNs not known offline or with a wildcard service are not judged.
    ///
    /// ## Why is this bad
    /// The condition can never match what the principal sends, so the permission is either
    /// dead (the trigger fails at run time) or a copy-paste mistake whose intent — which
    /// resource may invoke — is not what the template enforces. Reviewers trust the
    /// `SourceArn` they read; it does not protect anything.
    ///
    /// ## Example
    /// ```yaml
    /// Invoke:
    ///   Type: AWS::Lambda::Permission
    ///   Properties:
    ///     Principal: s3.amazonaws.com
    ///     SourceArn: arn:aws:execute-api:us-east-1:123456789012:a1b2c3/*/GET/orders
    /// ```
    ///
    /// ## Remediation
    /// Use the principal of the service that owns the source resource, or the ARN of the
    /// resource that should invoke the function.
    /// - CloudFormation / SAM: `Principal` and `SourceArn` of `AWS::Lambda::Permission`.
    /// - Terraform: `principal` and `source_arn` of `aws_lambda_permission`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
    pub struct PrincipalSourceMismatch {
        code: "RBP006",
        name: "principal-source-mismatch",
        title: "Principal does not own the source ARN",
        severity: Medium,
        kinds: [Permission],
        inputs: [CloudFormation, Sam, Terraform, Live],
        fix: None,
    }
}

/// Principals whose resources use ARNs of other service names.
const ARN_SERVICES: &[(&str, &[&str])] = &[
    ("apigateway", &["execute-api", "apigateway"]),
    ("lambda.alarms.cloudwatch", &["cloudwatch"]),
    ("monitoring", &["cloudwatch"]),
    ("alexa-appkit", &["alexa"]),
    ("elasticloadbalancing", &["elasticloadbalancing"]),
];

/// The ARN service names a service principal's resources use.
fn expected(service: &str) -> Vec<&str> {
    let short = service
        .trim()
        .trim_end_matches(".amazonaws.com.cn")
        .trim_end_matches(".amazonaws.com");
    ARN_SERVICES
        .iter()
        .find(|(p, _)| p.eq_ignore_ascii_case(short))
        .map_or_else(|| vec![short], |(_, s)| s.to_vec())
}

impl PrincipalSourceMismatch {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        for p in &cx.inventory.permissions {
            let Some(Principal::Service(service)) = p.principal.get() else {
                continue;
            };
            if p.effect != Effect::Allow || !service.contains(".amazonaws.com") {
                continue;
            }
            let want = expected(service);
            for v in p.conditions_on("aws:SourceArn").flat_map(|c| &c.values) {
                let Some(text) = v.as_str().map(str::trim) else {
                    continue;
                };
                let mut parts = text.split(':');
                if parts.next() != Some("arn") {
                    continue;
                }
                let Some(arn_service) = parts.nth(1) else {
                    continue;
                };
                if arn_service.is_empty()
                    || arn_service.contains(['*', '?'])
                    || want.iter().any(|w| w.eq_ignore_ascii_case(arn_service))
                {
                    continue;
                }
                out.add(
                    &p.meta,
                    &v.origin,
                    format!(
                        "`{service}` is granted for `SourceArn` `{text}`, a resource of `{arn_service}`: the principal never acts for it"
                    ),
                )
                .with_related(&p.principal.origin, "the principal");
            }
        }
    }
}
