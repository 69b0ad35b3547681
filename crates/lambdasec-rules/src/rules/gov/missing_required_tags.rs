use crate::{Context, Findings, declare_rule};
use lambdasec_model::Tag;

/// Tags that AWS or a deployment tool adds, not the owner: `aws:` keys (CloudFormation's
/// `aws:cloudformation:stack-name`, ...) and SAM's `lambda:createdBy`.
fn is_system_tag(key: &str) -> bool {
    key.starts_with("aws:") || key == "lambda:createdBy"
}

declare_rule! {
    /// ## What it does
    /// Flags functions without tags. When the configuration lists required tag keys
    /// (`required_tags = ["owner", "data-classification"]` in `lambdasec.toml`), flags functions
    /// missing any of them instead (keys compare case-sensitively, as AWS does). Tags inherited
    /// from the stack or the provider count when the input declares them (serverless.yml
    /// `provider.tags` / `stackTags`, SAM `Globals`); tags AWS or a tool adds (`aws:*` keys
    /// such as `aws:cloudformation:stack-name`, SAM's `lambda:createdBy`) do not.
    ///
    /// ## Why is this bad
    /// Tags are how an organization knows who owns a function, what data it handles and which
    /// environment it belongs to — what incident response needs first, and what tag-based
    /// access control (`aws:ResourceTag`) and cost allocation rely on. Untagged functions are
    /// the ones nobody claims when they turn up in an investigation. Security Hub control
    /// Lambda.6.
    ///
    /// ## Example
    /// ```yaml
    /// Api:
    ///   Type: AWS::Serverless::Function
    ///   Properties:
    ///     Handler: app.handler
    /// ```
    ///
    /// ## Remediation
    /// Tag every function with at least the keys your organization requires, ideally once for
    /// the whole stack or project.
    /// - CloudFormation: `Tags` on `AWS::Lambda::Function` (or stack tags at deploy time).
    /// - SAM: `Tags` on the function or in `Globals.Function`.
    /// - Terraform: `tags` on `aws_lambda_function`, or `default_tags` of the provider.
    /// - serverless.yml: `tags` on the function, or `provider.tags`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/configuration-tags.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/lambda-controls.html#lambda-6
    pub struct MissingRequiredTags {
        code: "GOV001",
        name: "missing-required-tags",
        title: "Function without required tags",
        severity: Info,
        kinds: [Function],
        inputs: [CloudFormation, Sam, Terraform, Serverless, Live],
        fix: None,
    }
}

impl MissingRequiredTags {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        let required = &cx.config.required_tags;
        for f in &cx.inventory.functions {
            let Some(all) = f.tags.get() else { continue };
            let tags: Vec<&Tag> = all.iter().filter(|t| !is_system_tag(&t.key)).collect();
            if required.is_empty() {
                if tags.is_empty() {
                    out.add(
                        &f.meta,
                        &f.tags.origin,
                        format!("`{}` has no tags", f.meta.id),
                    );
                }
                continue;
            }
            let missing: Vec<String> = required
                .iter()
                .filter(|k| !tags.iter().any(|t| &t.key == *k))
                .map(|k| format!("`{k}`"))
                .collect();
            if missing.is_empty() {
                continue;
            }
            let (noun, verb) = if missing.len() == 1 {
                ("tag", "is")
            } else {
                ("tags", "are")
            };
            out.add(
                &f.meta,
                &f.tags.origin,
                format!(
                    "the required {noun} {} of `{}` {verb} missing",
                    missing.join(", "),
                    f.meta.id
                ),
            );
        }
    }
}
