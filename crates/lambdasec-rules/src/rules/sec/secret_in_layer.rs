use super::secret_in_package::Summary;
use crate::facts::{exposure, raise_if_exposed};
use crate::{Context, Findings, declare_rule};
use lambdasec_model::{Function, Layer};

declare_rule! {
    /// ## What it does
    /// Flags layers whose content holds a secret: a file that contains a credential in a known
    /// provider format (AWS access keys and secret keys, private keys, GitHub, GitLab, Slack,
    /// Stripe, Twilio, SendGrid, Google, Azure, npm, PyPI tokens, JWTs, database URLs with
    /// passwords, ...) or a random-looking value assigned to a name such as `password`.
    ///
    /// The content is what the input names: a local directory or archive (SAM `ContentUri`,
    /// CloudFormation `Content` after `package`, Terraform `filename`, serverless.yml layer
    /// `path` or `package.artifact`), or the archive a live collection saved with
    /// `lambdasec collect --download-code`. Archives are read in memory, nested ones included,
    /// with caps against zip bombs; S3 objects are not read. Matches below medium confidence are
    /// not reported.
    ///
    /// One finding per layer lists the distinct secrets (kind, redacted preview, file and line
    /// inside the layer), never a value, and names the functions of the same input that use the
    /// layer. When one of them is reachable from the internet, the message says so and the
    /// severity is raised one step.
    ///
    /// ## Why is this bad
    /// A layer is shared by design: every function that uses it carries its files in `/opt`,
    /// everyone allowed `lambda:GetLayerVersion` (and, with a layer permission, other accounts
    /// or the whole world) downloads it, and each published version stays until it is deleted.
    /// A credential in a layer leaks further than one in a function and is harder to retire.
    ///
    /// ## Example
    /// ```text
    /// layer/python/settings.py   (SAM ContentUri: layer/)
    ///   DATABASE_URL = "postgres://app:s3cr3t...@db.example.com/app"
    /// ```
    ///
    /// ## Remediation
    /// Revoke and rotate the credential, publish a new layer version without it, move the
    /// functions to it and delete the old versions (`aws lambda delete-layer-version`). Keep
    /// credentials in AWS Secrets Manager or SSM Parameter Store and read them at run time
    /// with the execution role's permission.
    /// - CloudFormation / SAM: rebuild the `ContentUri` / `Content` without the file.
    /// - Terraform: exclude the file from the layer's `archive_file` (`excludes`).
    /// - serverless.yml: exclude it with the layer's `package.patterns`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/chapter-layers.html
    /// - https://docs.aws.amazon.com/lambda/latest/dg/packaging-layers.html
    /// - https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html
    pub struct SecretInLayer {
        code: "SEC003",
        name: "secret-in-layer",
        title: "Secret in a layer",
        severity: High,
        kinds: [Layer],
        inputs: [CloudFormation, Sam, Terraform, Serverless, Live],
        fix: None,
    }
}

impl SecretInLayer {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        for layer in &cx.inventory.layers {
            let Some(summary) = Summary::of(&cx.inventory.package_secrets, &layer.meta) else {
                continue;
            };
            let users = users(cx, layer);
            let used_by = match users.as_slice() {
                [] => String::new(),
                [(f, _)] => format!(", used by `{}`", f.meta.id),
                [(f, _), (_, _)] => format!(", used by `{}` and 1 other function", f.meta.id),
                [(f, _), rest @ ..] => {
                    format!(
                        ", used by `{}` and {} other functions",
                        f.meta.id,
                        rest.len()
                    )
                }
            };
            let finding = out
                .add(
                    &layer.meta,
                    summary.location,
                    format!(
                        "layer `{}` holds {}{used_by}",
                        layer.meta.id,
                        summary.describe()
                    ),
                )
                .mark_sensitive();
            finding.severity = summary.severity(finding.severity);
            for (f, reference) in &users {
                finding.with_related(reference, format!("`{}` uses the layer", f.meta.id));
            }
            if let Some((f, _)) = users.iter().find(|(f, _)| exposure(cx, f).is_some()) {
                raise_if_exposed(cx, f, finding);
            }
        }
    }
}

/// The functions whose `Layers` name `layer`, with the reference.
fn users<'a>(cx: &Context<'a>, layer: &Layer) -> Vec<(&'a Function, &'a lambdasec_model::Origin)> {
    cx.inventory
        .functions
        .iter()
        .filter_map(|f| {
            let reference = f.layers.iter().find(|t| {
                cx.index
                    .get::<Layer>(t)
                    .is_some_and(|l| l.meta.id == layer.meta.id)
            })?;
            Some((f, &reference.origin))
        })
        .collect()
}
