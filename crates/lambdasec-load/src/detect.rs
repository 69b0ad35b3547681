//! Input detection by content (and, where content is ambiguous, by name).

use lambdasec_model::InputKind;
use std::path::Path;

/// The top-level key that marks a lambdasec snapshot.
pub const SNAPSHOT_MARKER: &str = "lambdasec_snapshot";

/// What kind of input a file is, from its name and text. `None` for files lambdasec does not
/// read (or reads only as part of another unit, like `*.tfvars`).
pub fn detect(path: &Path, text: &str) -> Option<InputKind> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();

    if ext == "tf" {
        return Some(InputKind::Terraform);
    }
    let head = text.trim_start_matches('\u{feff}').trim_start();
    let is_json = head.starts_with('{');
    if is_json && has_json_key(text, SNAPSHOT_MARKER) {
        return Some(InputKind::Snapshot);
    }
    if is_json
        && has_json_key(text, "format_version")
        && (has_json_key(text, "planned_values") || has_json_key(text, "resource_changes"))
    {
        return Some(InputKind::TerraformPlan);
    }
    let serverless_name = matches!(
        name.as_str(),
        "serverless.yml" | "serverless.yaml" | "serverless.json"
    );
    if (serverless_name && looks_like_serverless(text, is_json))
        || (matches!(ext.as_str(), "yml" | "yaml" | "json") && is_serverless_project(text, is_json))
    {
        return Some(InputKind::Serverless);
    }
    let template_ext = matches!(
        ext.as_str(),
        "yaml" | "yml" | "json" | "template" | "cfn" | "txt"
    );
    if template_ext && looks_like_cloudformation(text, is_json) {
        return Some(if is_sam(text) {
            InputKind::Sam
        } else {
            InputKind::CloudFormation
        });
    }
    None
}

fn has_json_key(text: &str, key: &str) -> bool {
    let needle = format!("\"{key}\"");
    text.contains(&needle)
}

/// A top-level YAML key at column 0 (`Resources:`).
fn has_yaml_top_key(text: &str, key: &str) -> bool {
    text.lines().any(|l| {
        l.strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with(':'))
    })
}

fn looks_like_cloudformation(text: &str, is_json: bool) -> bool {
    let has_resources = if is_json {
        has_json_key(text, "Resources")
    } else {
        has_yaml_top_key(text, "Resources")
    };
    let has_version = text.contains("AWSTemplateFormatVersion");
    (has_resources || has_version) && text.contains("AWS::")
}

fn is_sam(text: &str) -> bool {
    text.contains("AWS::Serverless")
}

/// A Serverless Framework file under any name: top-level `service` and `provider` (with the
/// AWS provider), and no CloudFormation `Resources` at the top.
fn is_serverless_project(text: &str, is_json: bool) -> bool {
    if is_json {
        return has_json_key(text, "service")
            && has_json_key(text, "provider")
            && !has_json_key(text, "AWSTemplateFormatVersion");
    }
    has_yaml_top_key(text, "service")
        && has_yaml_top_key(text, "provider")
        && !has_yaml_top_key(text, "Resources")
        && text.contains("aws")
}

fn looks_like_serverless(text: &str, is_json: bool) -> bool {
    if is_json {
        has_json_key(text, "service") || has_json_key(text, "provider")
    } else {
        has_yaml_top_key(text, "service")
            || has_yaml_top_key(text, "provider")
            || has_yaml_top_key(text, "functions")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(name: &str, text: &str) -> Option<InputKind> {
        detect(Path::new(name), text)
    }

    #[test]
    fn detects_by_content() {
        let sam = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n";
        assert_eq!(d("template.yaml", sam), Some(InputKind::Sam));
        let cfn = "Resources:\n  F:\n    Type: AWS::Lambda::Function\n";
        assert_eq!(d("stack.yml", cfn), Some(InputKind::CloudFormation));
        assert_eq!(d("a.template", cfn), Some(InputKind::CloudFormation));
        let json = r#"{"Resources": {"F": {"Type": "AWS::Lambda::Function"}}}"#;
        assert_eq!(d("x.json", json), Some(InputKind::CloudFormation));
        assert_eq!(d("main.tf", ""), Some(InputKind::Terraform));
        assert_eq!(
            d(
                "plan.json",
                r#"{"format_version":"1.2","planned_values":{}}"#
            ),
            Some(InputKind::TerraformPlan)
        );
        assert_eq!(
            d("snap.json", r#"{"lambdasec_snapshot": 1}"#),
            Some(InputKind::Snapshot)
        );
        assert_eq!(
            d("serverless.yml", "service: app\nprovider:\n  name: aws\n"),
            Some(InputKind::Serverless)
        );
        assert_eq!(d("config.yml", "service: app\n"), None);
        assert_eq!(
            d(
                "positive1.yml",
                "service: app\nprovider:\n  name: aws\nfunctions:\n  hello:\n    handler: h.h\n"
            ),
            Some(InputKind::Serverless)
        );
        assert_eq!(
            d("compose.yml", "services:\n  web:\n    image: nginx\n"),
            None
        );
        assert_eq!(d("event.json", r#"{"Records": []}"#), None);
        assert_eq!(d("README.md", cfn), None);
        assert_eq!(d("notes.yaml", "Resources: []\n"), None);
    }
}
