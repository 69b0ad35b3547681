use crate::facts::raise_if_exposed;
use crate::{Context, Findings, Severity, declare_rule};
use lambdasec_model::{Meta, Origin, PackageSecret, SecretConfidence};
use std::collections::BTreeMap;

declare_rule! {
    /// ## What it does
    /// Flags functions whose deployment package holds a secret: a file of the code that
    /// contains a credential in a known provider format (AWS access keys and secret keys,
    /// private keys, GitHub, GitLab, Slack, Stripe, Twilio, SendGrid, Google, Azure, npm, PyPI
    /// tokens, JWTs, database URLs with passwords, ...) or a random-looking value assigned to a
    /// name such as `password` or `api_key`.
    ///
    /// The package is what the input names: a local directory or archive (SAM `CodeUri`,
    /// CloudFormation `Code` after `package`, Terraform `filename` — or, when it is the output
    /// of an `archive_file`, that archive's `source_dir` / `source_file` / `source` content,
    /// minus its `excludes` —, serverless.yml `package.artifact`, or else the service directory
    /// the Framework packages, with its default exclusions and `package.patterns`), inline code
    /// (`Code.ZipFile`, SAM `InlineCode`), or the package a live collection saved with
    /// `lambdasec collect --download-code`. Zips, jars and wheels
    /// are read in memory, nested archives included, with caps against zip bombs; directories
    /// skip what packaging tools never deploy (`.git`, `.aws-sam`). S3 objects and container
    /// images are not read. Matches below medium confidence are not reported.
    ///
    /// One finding per function lists the distinct secrets (kind, redacted preview with prefix,
    /// length and hash, file and line inside the package), never a value. When the function is
    /// reachable from the internet, the message says so and the severity is raised one step.
    /// Parts of a package that could not be read (missing, corrupt, over a cap) are reported as
    /// warnings, not findings.
    ///
    /// ## Why is this bad
    /// Everyone allowed `lambda:GetFunction` can download the package, and it is copied into
    /// build caches, artifact buckets and CI logs. A credential in code cannot be rotated
    /// without a redeploy, and an attacker who reaches the function (code injection, path
    /// traversal, SSRF to the runtime) reads its files directly from `/var/task`.
    ///
    /// ## Example
    /// ```python
    /// # src/app.py, deployed by CodeUri: src/
    /// STRIPE_KEY = "sk_live_..."
    /// ```
    ///
    /// ## Remediation
    /// Revoke and rotate the credential (it is exposed), remove it from the code and from the
    /// version history, store the new one in AWS Secrets Manager or SSM Parameter Store
    /// (SecureString) and read it at run time with the execution role's permission (the AWS
    /// Parameters and Secrets Lambda Extension caches it). Keep configuration files with
    /// credentials out of the package (`.samignore`-style exclusions, `package.patterns` in
    /// serverless.yml, `excludes` of Terraform's `archive_file`).
    /// - CloudFormation / SAM: pass the secret's ARN in an environment variable
    ///   (`!Ref DbSecret`).
    /// - Terraform: pass `aws_secretsmanager_secret.x.arn`.
    /// - serverless.yml: pass the parameter name and read it at run time.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html
    /// - https://docs.aws.amazon.com/lambda/latest/dg/security-dataprotection.html
    /// - https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-package.html
    pub struct SecretInPackage {
        code: "SEC002",
        name: "secret-in-package",
        title: "Secret in a deployment package",
        severity: Critical,
        kinds: [Function],
        inputs: [CloudFormation, Sam, Terraform, Serverless, Live],
        fix: None,
    }
}

impl SecretInPackage {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        for f in &cx.inventory.functions {
            let Some(summary) = Summary::of(&cx.inventory.package_secrets, &f.meta) else {
                continue;
            };
            let finding = out
                .add(
                    &f.meta,
                    summary.location,
                    format!(
                        "the deployment package of `{}` holds {}",
                        f.meta.id,
                        summary.describe()
                    ),
                )
                .mark_sensitive();
            finding.severity = summary.severity(finding.severity);
            raise_if_exposed(cx, f, finding);
        }
    }
}

/// The secrets found in one function's package or one layer's content, grouped by secret (the
/// same credential copied into several files is one secret).
pub(super) struct Summary<'a> {
    /// Distinct secrets, in the order of their first occurrence: the first occurrence and the
    /// number of others.
    secrets: Vec<(&'a PackageSecret, usize)>,
    /// Where to blame: the first secret's own span when the scan could place it in the
    /// template (inline code), else the value naming the artifact.
    pub(super) location: &'a Origin,
    confidence: SecretConfidence,
}

/// Secrets listed in a message; the rest are counted.
const LISTED: usize = 3;

impl<'a> Summary<'a> {
    /// The evidence about `owner`'s code, if any.
    pub(super) fn of(evidence: &'a [PackageSecret], owner: &Meta) -> Option<Self> {
        let mut mine: Vec<&PackageSecret> = evidence.iter().filter(|s| s.owner.is(owner)).collect();
        mine.sort_by(|a, b| {
            (a.path.as_str(), a.line, a.column).cmp(&(b.path.as_str(), b.line, b.column))
        });
        let first = mine.first()?;
        let mut order: Vec<&str> = Vec::new();
        let mut groups: BTreeMap<&str, (&PackageSecret, usize)> = BTreeMap::new();
        for s in &mine {
            groups
                .entry(s.hash.as_str())
                .and_modify(|g| g.1 += 1)
                .or_insert_with(|| {
                    order.push(s.hash.as_str());
                    (s, 0)
                });
        }
        let secrets: Vec<_> = order
            .iter()
            .filter_map(|h| groups.get(h).copied())
            .collect();
        let confidence = mine
            .iter()
            .map(|s| s.confidence)
            .max()
            .unwrap_or(SecretConfidence::Low);
        Some(Summary {
            secrets,
            location: &first.origin,
            confidence,
        })
    }

    /// The rule's severity, lowered to high when every match is of low confidence.
    pub(super) fn severity(&self, rule: Severity) -> Severity {
        match self.confidence {
            SecretConfidence::High | SecretConfidence::Medium => rule,
            SecretConfidence::Low => rule.min(Severity::High),
        }
    }

    /// ``a GitHub token `ghp_…(40 bytes, sha256:…)` in `src/app.py:3:11` (high confidence)``,
    /// or `3 secrets: ...; ...; and 1 more`.
    pub(super) fn describe(&self) -> String {
        let items: Vec<String> = self
            .secrets
            .iter()
            .take(LISTED)
            .map(|(s, copies)| {
                let mut item = format!(
                    "{} `{}` {} ({} confidence)",
                    article(&s.kind_title),
                    s.preview,
                    place(s),
                    s.confidence
                );
                match copies {
                    0 => {}
                    1 => item.push_str(", also in 1 other place"),
                    n => item.push_str(&format!(", also in {n} other places")),
                }
                item
            })
            .collect();
        let more = self.secrets.len().saturating_sub(LISTED);
        match (self.secrets.len(), more) {
            (1, _) => items.join(""),
            (n, 0) => format!("{n} secrets: {}", items.join("; ")),
            (n, more) => format!("{n} secrets: {}; and {more} more", items.join("; ")),
        }
    }
}

/// Where in the code: ``in `path:line:column` `` inside the artifact, or `on line N of the
/// inline code`.
fn place(s: &PackageSecret) -> String {
    if s.path == "inline" {
        format!("on line {} of the inline code", s.line)
    } else {
        format!("in `{}:{}:{}`", s.path, s.line, s.column)
    }
}

fn article(noun: &str) -> String {
    let vowel = noun
        .chars()
        .next()
        .is_some_and(|c| matches!(c.to_ascii_lowercase(), 'a' | 'e' | 'i' | 'o' | 'u'));
    format!("{} {noun}", if vowel { "an" } else { "a" })
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::indexing_slicing,
        reason = "test code: a failure is a test failure"
    )]

    use super::*;
    use lambdasec_model::{CodeOwner, ResourceKind};

    fn secret(
        owner: &str,
        path: &str,
        line: u32,
        hash: &str,
        c: SecretConfidence,
    ) -> PackageSecret {
        PackageSecret {
            owner: CodeOwner::function(owner),
            path: path.to_owned(),
            line,
            column: 5,
            kind: "aws-access-key-id".to_owned(),
            kind_title: "AWS access key id".to_owned(),
            confidence: c,
            preview: format!("AKIA…(20 bytes, {hash})"),
            hash: hash.to_owned(),
            origin: Origin::Unknown,
        }
    }

    #[test]
    fn groups_copies_lists_three_and_counts_the_rest() {
        use SecretConfidence::*;
        let evidence = [
            secret("Fn", "src/b.py", 1, "sha256:b", Medium),
            secret("Fn", "src/a.py", 9, "sha256:a", Low),
            secret("Fn", "src/c.py", 2, "sha256:a", Low),
            secret("Other", "src/z.py", 1, "sha256:z", High),
        ];
        let meta = Meta::new("Fn", ResourceKind::Function, Origin::Unknown);
        let s = Summary::of(&evidence, &meta).unwrap();
        assert_eq!(
            s.describe(),
            "2 secrets: an AWS access key id `AKIA…(20 bytes, sha256:a)` in `src/a.py:9:5` (low confidence), also in 1 other place; an AWS access key id `AKIA…(20 bytes, sha256:b)` in `src/b.py:1:5` (medium confidence)"
        );
        assert_eq!(s.severity(Severity::Critical), Severity::Critical);

        let many: Vec<_> = (0..5)
            .map(|i| secret("Fn", "inline", i, &format!("sha256:{i}"), Low))
            .collect();
        let s = Summary::of(&many, &meta).unwrap();
        assert!(s.describe().starts_with("5 secrets: "), "{}", s.describe());
        assert!(s.describe().contains("line 2 of the inline code"));
        assert!(s.describe().ends_with("; and 2 more"), "{}", s.describe());
        assert_eq!(s.severity(Severity::Critical), Severity::High);

        let layer = Meta::new("Fn", ResourceKind::Layer, Origin::Unknown);
        assert!(Summary::of(&evidence, &layer).is_none());
    }
}
