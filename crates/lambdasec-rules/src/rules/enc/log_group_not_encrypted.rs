use crate::rules::obs::{LogGroupOf, function_log_group};
use crate::{Context, Findings, declare_rule};
use lambdasec_model::Function;

declare_rule! {
    /// ## What it does
    /// Flags the log group of a function (`/aws/lambda/<name>`, or the group named in
    /// `LoggingConfig.LogGroup`) that has no customer-managed KMS key (`KmsKeyId`). The log group
    /// must be declared in the same project (or collected from the account); groups the
    /// Serverless Framework generates are not examined.
    ///
    /// ## Why is this bad
    /// Function logs hold what handlers print: request payloads, identifiers, tokens echoed by
    /// mistake, stack traces. Without a customer-managed key they are readable by every
    /// principal allowed `logs:GetLogEvents` / `logs:FilterLogEvents`, with no second,
    /// revocable permission on a key and no key-usage audit trail.
    ///
    /// ## Example
    /// ```yaml
    /// ApiLogs:
    ///   Type: AWS::Logs::LogGroup
    ///   Properties:
    ///     LogGroupName: /aws/lambda/api
    ///     RetentionInDays: 30
    /// ```
    ///
    /// ## Remediation
    /// Encrypt the group with a customer-managed key whose policy lets the CloudWatch Logs
    /// service principal of the region use it (`logs.<region>.amazonaws.com`, with a
    /// `kms:EncryptionContext:aws:logs:arn` condition).
    /// - CloudFormation / SAM: `KmsKeyId: !GetAtt LogKey.Arn` on `AWS::Logs::LogGroup`.
    /// - Terraform: `kms_key_id` on `aws_cloudwatch_log_group`.
    /// - Live: `aws logs associate-kms-key`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
    pub struct LogGroupNotEncrypted {
        code: "ENC004",
        name: "log-group-not-encrypted",
        title: "Function log group without a customer-managed KMS key",
        severity: Low,
        kinds: [LogGroup],
        inputs: [CloudFormation, Sam, Terraform, Serverless, Live],
        fix: None,
    }
}

impl LogGroupNotEncrypted {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        let mut seen: Vec<(&lambdasec_model::LogGroup, Vec<&Function>)> = Vec::new();
        for f in &cx.inventory.functions {
            let LogGroupOf::Found(g) = function_log_group(cx, f) else {
                continue;
            };
            if g.meta.synthesized || g.kms_key.is_some() {
                continue;
            }
            match seen.iter_mut().find(|(s, _)| std::ptr::eq(*s, g)) {
                Some((_, fs)) => fs.push(f),
                None => seen.push((g, vec![f])),
            }
        }
        for (g, functions) in seen {
            let names: Vec<String> = functions
                .iter()
                .map(|f| format!("`{}`", f.meta.id))
                .collect();
            let group = g
                .name
                .as_ref()
                .and_then(|n| n.as_str())
                .map_or_else(|| g.meta.id.clone(), str::to_owned);
            let finding = out.add(
                &g.meta,
                &g.meta.origin,
                format!(
                    "log group `{group}` of {} is not encrypted with a customer-managed KMS key",
                    names.join(", ")
                ),
            );
            for f in functions {
                finding.with_related(
                    &f.meta.origin,
                    format!("`{}` writes its logs here", f.meta.id),
                );
            }
        }
    }
}
