//! The three formats on a small report: SARIF validates against the SARIF 2.1.0 schema, JSON
//! keeps its contract, text shows what a person needs.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failure is a test failure"
)]

use lambdasec_model::{Origin, ResourceKind, SourceMap, Span};
use lambdasec_report::{Counts, Format, Report, ReportError, TextOptions, render};
use lambdasec_rules::{Applicability, Edit, Finding, Fix, Related, ResourceRef, Severity};

const TEMPLATE: &str = "Resources:\n  ApiUrl:\n    Type: AWS::Lambda::Url\n    Properties:\n      AuthType: NONE\n      TargetFunctionArn: !GetAtt Api.Arn\n  Api:\n    Type: AWS::Lambda::Function\n    Properties:\n      Environment:\n        Variables:\n          TOKEN: ghp_abcdefghijklmnopqrstuvwxyz0123456789\n";

fn span_of(text: &str, needle: &str) -> Span {
    let start = text.find(needle).unwrap();
    Span::new(start, start + needle.len())
}

fn sample(sources: &SourceMap) -> Vec<Finding> {
    let file = sources.add("stacks/app template.yaml", TEMPLATE);
    let auth = Origin::source(
        file,
        span_of(TEMPLATE, "NONE"),
        "Resources.ApiUrl.Properties.AuthType",
    );
    let api = Origin::source(
        file,
        span_of(TEMPLATE, "Api:\n    Type: AWS::Lambda::Function"),
        "Resources.Api",
    );
    let secret = Origin::source(
        file,
        span_of(TEMPLATE, "ghp_abcdefghijklmnopqrstuvwxyz0123456789"),
        "Resources.Api.Properties.Environment.Variables.TOKEN",
    );
    let token_name = Origin::source(
        file,
        span_of(TEMPLATE, "TOKEN"),
        "Resources.Api.Properties.Environment.Variables.TOKEN",
    );
    vec![
        Finding {
            code: "URL001",
            severity: Severity::High,
            message: "function URL of `Api` has `AuthType: NONE`".into(),
            resource: ResourceRef {
                kind: ResourceKind::FunctionUrl,
                id: "ApiUrl".into(),
                arn: None,
            },
            location: auth.clone(),
            related: vec![Related {
                location: api.clone(),
                message: "the function behind the URL".into(),
            }],
            fix: Some(Fix {
                applicability: Applicability::Unsafe,
                message: "require IAM authentication".into(),
                edits: vec![Edit {
                    file,
                    span: span_of(TEMPLATE, "NONE"),
                    replacement: "AWS_IAM".into(),
                }],
            }),
            sensitive: false,
        },
        Finding {
            code: "OBS001",
            severity: Severity::Low,
            message: "X-Ray tracing of `Api` is not set (defaults to `PassThrough`)".into(),
            resource: ResourceRef {
                kind: ResourceKind::Function,
                id: "Api".into(),
                arn: None,
            },
            location: api.implied(),
            related: vec![],
            fix: None,
            sensitive: false,
        },
        Finding {
            code: "ENC001",
            severity: Severity::Medium,
            message: "a finding on the variable's name, not on the secret".into(),
            resource: ResourceRef {
                kind: ResourceKind::Function,
                id: "Api".into(),
                arn: None,
            },
            location: token_name,
            related: vec![Related {
                location: secret,
                message: "the value".into(),
            }],
            fix: None,
            sensitive: false,
        },
        Finding {
            code: "AVL001",
            severity: Severity::Low,
            message: "`live-fn` has no reserved concurrency limit".into(),
            resource: ResourceRef {
                kind: ResourceKind::Function,
                id: "live-fn".into(),
                arn: Some("arn:aws:lambda:us-east-1:123456789012:function:live-fn".into()),
            },
            location: Origin::live(
                "arn:aws:lambda:us-east-1:123456789012:function:live-fn",
                "Concurrency",
            ),
            related: vec![],
            fix: None,
            sensitive: false,
        },
    ]
}

fn report<'a>(
    sources: &'a SourceMap,
    findings: &'a [Finding],
    errors: &'a [ReportError],
) -> Report<'a> {
    Report {
        sources,
        findings,
        errors,
        warnings: &[],
        counts: Counts {
            files: 1,
            resources: 2,
            unresolved: 1,
            suppressed: 0,
        },
        compliance: None,
        not_assessed: &[],
    }
}

fn errors() -> Vec<ReportError> {
    vec![ReportError {
        file: "broken.yaml".into(),
        message: "mapping values are not allowed here".into(),
        line: Some(3),
        column: Some(7),
    }]
}

#[test]
fn sarif_validates_against_the_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("data/sarif-schema-2.1.0.json")).unwrap();
    let validator = jsonschema::draft4::new(&schema).expect("schema compiles");
    let sources = SourceMap::new();
    let findings = sample(&sources);
    let errors = errors();
    for findings in [&findings[..], &[]] {
        let out = render(
            &report(&sources, findings, &errors),
            Format::Sarif,
            TextOptions::default(),
        );
        let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
        let problems: Vec<String> = validator
            .iter_errors(&doc)
            .map(|e| format!("{e} at {}", e.instance_path))
            .collect();
        assert!(problems.is_empty(), "{}", problems.join("\n"));
        assert_eq!(doc["version"], "2.1.0");
    }
    let out = render(
        &report(&sources, &findings, &errors),
        Format::Sarif,
        TextOptions::default(),
    );
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let results = doc["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 4);
    let url = &results[0];
    assert_eq!(url["ruleId"], "URL001");
    assert_eq!(url["level"], "error");
    assert_eq!(
        url["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "stacks/app%20template.yaml"
    );
    assert_eq!(
        url["locations"][0]["physicalLocation"]["region"]["startLine"],
        5
    );
    assert_eq!(
        url["locations"][0]["physicalLocation"]["region"]["startColumn"],
        17
    );
    assert_eq!(
        url["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"],
        "AWS_IAM"
    );
    assert!(
        url["partialFingerprints"]["lambdasec/v1"]
            .as_str()
            .unwrap()
            .len()
            == 32
    );
    let rules = doc["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let idx = url["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[idx]["id"], "URL001");
    assert!(
        rules[idx]["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains("## Remediation")
    );
    assert_eq!(
        results[3]["locations"][0]["logicalLocations"][0]["name"],
        "Concurrency"
    );
}

#[test]
fn json_keeps_its_contract() {
    let sources = SourceMap::new();
    let findings = sample(&sources);
    let errors = errors();
    let out = render(
        &report(&sources, &findings, &errors),
        Format::Json,
        TextOptions::default(),
    );
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["tool"]["name"], "lambdasec");
    let f = &doc["findings"][0];
    for key in [
        "code",
        "name",
        "severity",
        "title",
        "message",
        "resource",
        "location",
        "related",
        "remediation",
        "fingerprint",
    ] {
        assert!(f.get(key).is_some(), "finding lacks {key}");
    }
    assert_eq!(f["name"], "function-url-without-auth");
    assert_eq!(
        f["resource"],
        serde_json::json!({"kind": "function-url", "id": "ApiUrl", "arn": null})
    );
    assert_eq!(
        f["location"],
        serde_json::json!({"file": "stacks/app template.yaml", "line": 5, "column": 17, "end_line": 5, "end_column": 21, "path": "Resources.ApiUrl.Properties.AuthType"})
    );
    assert_eq!(f["related"][0]["location"]["line"], 7);
    assert_eq!(doc["findings"][1]["location"]["implied"], true);
    assert_eq!(
        doc["findings"][3]["location"],
        serde_json::json!({"arn": "arn:aws:lambda:us-east-1:123456789012:function:live-fn", "field": "Concurrency"})
    );
    assert_eq!(doc["errors"][0]["file"], "broken.yaml");
    assert_eq!(doc["summary"]["findings_by_severity"]["high"], 1);
    assert_eq!(doc["summary"]["findings_by_severity"]["critical"], 0);
    assert_eq!(doc["summary"]["unresolved"], 1);
    // the same finding gets the same fingerprint on every run
    let again = render(
        &report(&sources, &findings, &errors),
        Format::Json,
        TextOptions::default(),
    );
    let again: serde_json::Value = serde_json::from_str(&again).unwrap();
    assert_eq!(again["findings"][0]["fingerprint"], f["fingerprint"]);
}

#[test]
fn text_shows_location_source_and_masks_secrets() {
    let sources = SourceMap::new();
    let findings = sample(&sources);
    let errors = errors();
    let out = render(
        &report(&sources, &findings, &errors),
        Format::Text,
        TextOptions { color: false },
    );
    assert!(
        out.contains("stacks/app template.yaml:5:17  Resources.ApiUrl.Properties.AuthType"),
        "{out}"
    );
    assert!(out.contains("      AuthType: NONE"), "{out}");
    assert!(out.contains("^^^^"), "{out}");
    assert!(out.contains("fix (review first): `AWS_IAM`"), "{out}");
    assert!(out.contains("Resources.Api (implied)"), "{out}");
    assert!(
        !out.contains("ghp_abcdefghijklmnopqrstuvwxyz0123456789"),
        "secret printed:\n{out}"
    );
    assert!(
        out.contains("TOKEN: ****"),
        "secrets on a shown line are masked even when the finding is not about them:\n{out}"
    );
    assert!(
        out.contains("error: broken.yaml:3:7: mapping values are not allowed here"),
        "{out}"
    );
    assert!(
        out.contains("4 findings (1 high, 1 medium, 2 low) in 1 files, 2 resources"),
        "{out}"
    );
    assert!(!out.contains('\u{1b}'), "no colour when not asked");
    let coloured = render(
        &report(&sources, &findings, &errors),
        Format::Text,
        TextOptions { color: true },
    );
    assert!(coloured.contains('\u{1b}'));
}

#[test]
fn compliance_table_in_text_and_json() {
    use lambdasec_rules::compliance::{ComplianceReport, ControlResult, ResourceResult, Status};
    let sources = SourceMap::new();
    let findings = sample(&sources);
    let api = findings[1].resource.clone();
    let api_origin = Origin::source(
        lambdasec_model::FileId(0),
        span_of(TEMPLATE, "Api:\n    Type: AWS::Lambda::Function"),
        "Resources.Api",
    );
    let table = ComplianceReport {
        framework: "aws-fsbp".into(),
        name: "AWS Foundational Security Best Practices".into(),
        version: "test".into(),
        url: "https://docs.aws.amazon.com/securityhub/".into(),
        controls: vec![
            ControlResult {
                id: "Lambda.7".into(),
                title: "Lambda functions should have AWS X-Ray active tracing enabled".into(),
                rules: vec!["OBS001".into()],
                status: Status::Fail,
                resources: vec![ResourceResult {
                    resource: api,
                    origin: api_origin,
                    status: Status::Fail,
                    failed: vec!["OBS001"],
                    suppressed: vec![],
                    reason: None,
                }],
                reason: None,
            },
            ControlResult {
                id: "KMS.4".into(),
                title: "AWS KMS key rotation should be enabled".into(),
                rules: vec!["ENC002".into()],
                status: Status::Skip,
                resources: vec![],
                reason: Some("no resource of the kinds its rules examine".into()),
            },
        ],
    };
    let mut r = report(&sources, &findings, &[]);
    r.compliance = Some(&table);

    let text = render(&r, Format::Text, TextOptions { color: false });
    let section = text
        .split("Compliance: ")
        .nth(1)
        .expect("compliance section");
    assert!(section.starts_with("AWS Foundational Security Best Practices (aws-fsbp, test)"));
    assert!(section.contains("FAIL Lambda.7"), "{section}");
    assert!(
        section.contains("function `Api` (stacks/app template.yaml:7:3) OBS001"),
        "{section}"
    );
    assert!(
        section.contains("SKIP KMS.4") && section.contains("no resource of the kinds"),
        "{section}"
    );
    assert!(section.contains("2 controls: 1 failing, 0 passing, 1 not assessed"));

    let doc: serde_json::Value =
        serde_json::from_str(&render(&r, Format::Json, TextOptions::default())).unwrap();
    let c = &doc["compliance"];
    assert_eq!(c["framework"]["id"], "aws-fsbp");
    assert_eq!(c["summary"]["fail"], 1);
    assert_eq!(c["summary"]["skip"], 1);
    assert_eq!(c["controls"][0]["status"], "FAIL");
    assert_eq!(c["controls"][0]["resources"][0]["id"], "Api");
    assert_eq!(c["controls"][0]["resources"][0]["location"]["line"], 7);
    assert_eq!(c["controls"][0]["resources"][0]["failed"][0], "OBS001");
    assert_eq!(c["controls"][1]["status"], "SKIP");
    // Without a framework the contract is unchanged.
    let plain: serde_json::Value = serde_json::from_str(&render(
        &report(&sources, &findings, &[]),
        Format::Json,
        TextOptions::default(),
    ))
    .unwrap();
    assert!(plain.get("compliance").is_none());
}
