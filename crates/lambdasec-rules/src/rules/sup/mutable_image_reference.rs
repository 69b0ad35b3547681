use crate::{Context, Findings, declare_rule};
use lambdasec_model::Code;

declare_rule! {
    /// ## What it does
    /// Flags image functions whose image URI names a tag (`:latest`, `:v1`, or no tag at all)
    /// instead of a digest (`@sha256:...`), and image functions pulled from an ECR registry of
    /// an account that is neither the audited one nor a trusted one (`trusted_accounts`). The
    /// account check needs the audited account (`--account-id`, `account_id`, or a live
    /// snapshot).
    ///
    /// ## Why is this bad
    /// A tag can be moved: whoever can push to the repository (or the other account owning it)
    /// decides what the function runs at its next deployment or cold start after an update,
    /// without any change to the template. A digest pins the exact image that was reviewed and
    /// scanned.
    ///
    /// ## Example
    /// ```yaml
    /// Api:
    ///   Type: AWS::Lambda::Function
    ///   Properties:
    ///     PackageType: Image
    ///     Code:
    ///       ImageUri: 123456789012.dkr.ecr.us-east-1.amazonaws.com/api:latest
    /// ```
    ///
    /// ## Remediation
    /// Reference the image by digest, resolved by the pipeline that built and scanned it, and
    /// keep images in a repository of your own account (replicate them if needed). Enable tag
    /// immutability on the ECR repository as well.
    /// - CloudFormation / SAM: `Code.ImageUri` (SAM: `ImageUri`) ending in `@sha256:<digest>`.
    /// - Terraform: `image_uri = "${aws_ecr_repository.api.repository_url}@${data.aws_ecr_image.api.image_digest}"`.
    /// - serverless.yml: `image.uri` with a digest.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/images-create.html
    /// - https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html
    pub struct MutableImageReference {
        code: "SUP004",
        name: "mutable-image-reference",
        title: "Container image referenced by a mutable tag or from an untrusted registry",
        severity: Medium,
        kinds: [Function],
        inputs: [CloudFormation, Sam, Terraform, Serverless, Live],
        fix: None,
    }
}

/// The parts of an image URI that matter here.
#[derive(Debug, PartialEq, Eq)]
struct ImageRef<'a> {
    /// The ECR registry's account, when the registry is ECR.
    account: Option<&'a str>,
    /// How the image is named when no digest pins it: its tag, or `None` when it has no tag.
    tag: Option<Option<&'a str>>,
}

fn parse_image(uri: &str) -> ImageRef<'_> {
    let uri = uri.trim();
    let (registry, rest) = uri.split_once('/').unwrap_or(("", uri));
    let account = registry
        .split_once(".dkr.ecr.")
        .map(|(a, _)| a)
        .filter(|a| lambdasec_model::is_account_id(a));
    let tag = if rest.contains("@sha256:") {
        None
    } else {
        // The tag follows the last `:` of the repository path.
        Some(rest.rsplit_once(':').map(|(_, t)| t))
    };
    ImageRef { account, tag }
}

impl MutableImageReference {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        for f in &cx.inventory.functions {
            let Some(code) = &f.code else { continue };
            let Some(Code::Image { uri }) = code.get() else {
                continue;
            };
            let image = parse_image(uri);
            let mut why = Vec::new();
            match image.tag {
                Some(Some(tag)) => {
                    why.push(format!("is referenced by the tag `{tag}`, not by a digest"));
                }
                Some(None) => {
                    why.push("names neither a tag nor a digest (`latest` is used)".to_owned())
                }
                None => {}
            }
            if let Some(account) = image.account
                && cx.audited_account().is_some()
                && !cx.is_own_account(account)
            {
                why.push(format!(
                    "comes from a registry of account `{account}`, which is not trusted"
                ));
            }
            if why.is_empty() {
                continue;
            }
            out.add(
                &f.meta,
                &code.origin,
                format!("the image of `{}` {}", f.meta.id, why.join(" and ")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_uris() {
        let r = parse_image("123456789012.dkr.ecr.us-east-1.amazonaws.com/team/api:1.2");
        assert_eq!(
            r,
            ImageRef {
                account: Some("123456789012"),
                tag: Some(Some("1.2"))
            }
        );
        let r = parse_image("123456789012.dkr.ecr.us-east-1.amazonaws.com/api");
        assert_eq!(r.tag, Some(None));
        let r = parse_image(
            "123456789012.dkr.ecr.us-east-1.amazonaws.com/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        );
        assert_eq!(r.tag, None);
        let r = parse_image("public.ecr.aws/lambda/python:3.13");
        assert_eq!(
            r,
            ImageRef {
                account: None,
                tag: Some(Some("3.13"))
            }
        );
        // A registry port is not a tag.
        let r = parse_image("registry.local:5000/api");
        assert_eq!(r.tag, Some(None));
    }
}
