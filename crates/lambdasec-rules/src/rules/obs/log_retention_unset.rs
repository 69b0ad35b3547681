use super::{LogGroupOf, function_log_group};
use crate::{Context, Findings, declare_rule};
use lambdasec_model::LogGroup;

declare_rule! {
    /// ## What it does
    /// Flags functions whose log group keeps logs forever: the group (`/aws/lambda/<name>`, or
    /// the one named in `LoggingConfig.LogGroup`) has no retention (`RetentionInDays`). In a
    /// live account, a function without a log group is flagged too: Lambda creates it on the
    /// first invocation, without retention.
    ///
    /// For CloudFormation, SAM and Terraform the log group must be declared in the same project
    /// (a group created outside it cannot be judged); for serverless.yml the group the Framework
    /// generates carries `logRetentionInDays` of the function or the provider.
    ///
    /// ## Why is this bad
    /// Logs without retention accumulate for years: every payload, identifier and token a
    /// handler ever printed stays readable to whoever can read the group, long after any
    /// investigation needed it — and the storage is billed forever. Retention is also the
    /// control most data-protection rules (GDPR storage limitation, PCI DSS 10.5) ask for.
    ///
    /// ## Example
    /// ```yaml
    /// ApiLogs:
    ///   Type: AWS::Logs::LogGroup
    ///   Properties:
    ///     LogGroupName: /aws/lambda/api
    /// ```
    ///
    /// ## Remediation
    /// Declare the function's log group with a retention that fits your incident-response and
    /// compliance needs (e.g. 30–400 days; archive to S3 for longer).
    /// - CloudFormation / SAM: `RetentionInDays` on `AWS::Logs::LogGroup` named
    ///   `!Sub /aws/lambda/${Function}`.
    /// - Terraform: `retention_in_days` on `aws_cloudwatch_log_group`.
    /// - serverless.yml: `provider.logRetentionInDays` (or per function).
    /// - Live: `aws logs put-retention-policy`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html
    /// - https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention
    pub struct LogRetentionUnset {
        code: "OBS003",
        name: "log-retention-unset",
        title: "Function logs kept forever",
        severity: Low,
        kinds: [Function, LogGroup],
        inputs: [CloudFormation, Sam, Terraform, Serverless, Live],
        fix: None,
    }
}

impl LogRetentionUnset {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        let mut reported: Vec<&LogGroup> = Vec::new();
        for f in &cx.inventory.functions {
            match function_log_group(cx, f) {
                LogGroupOf::Found(g) => {
                    if g.retention_days.is_some() || reported.iter().any(|r| std::ptr::eq(*r, g)) {
                        continue;
                    }
                    reported.push(g);
                    let group = g
                        .name
                        .as_ref()
                        .and_then(|n| n.as_str())
                        .map_or_else(|| g.meta.id.clone(), str::to_owned);
                    out.add(
                        &g.meta,
                        &g.meta.origin,
                        format!(
                            "log group `{group}` of `{}` has no retention: its logs are kept forever",
                            f.meta.id
                        ),
                    )
                    .with_related(&f.meta.origin, format!("`{}` writes its logs here", f.meta.id));
                }
                LogGroupOf::Missing => {
                    out.add(
                        &f.meta,
                        &f.meta.origin,
                        format!(
                            "`{}` has no log group yet: Lambda creates it on the first invocation, without retention",
                            f.meta.id
                        ),
                    );
                }
                LogGroupOf::Unknown => {}
            }
        }
    }
}
