//! `lambdasec scan --compliance NAME`: the control table in the JSON and text reports.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "test code: a failure is a test failure"
)]

use assert_cmd::Command;

const TEMPLATE: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
  Traced:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Role: !GetAtt Role.Arn
      Code: { ZipFile: "def handler(e, c): return e" }
      TracingConfig: { Mode: Active }
      Tags: [{ Key: owner, Value: payments }]
  Untraced:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Role: !GetAtt Role.Arn
      Code: { ZipFile: "def handler(e, c): return e" }
"#;

fn scan(args: &[&str]) -> (std::process::Output, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("template.yaml"), TEMPLATE).unwrap();
    let out = Command::cargo_bin("lambdasec")
        .unwrap()
        .current_dir(dir.path())
        .args(["scan", "--color", "never"])
        .args(args)
        .arg("template.yaml")
        .output()
        .unwrap();
    (out, dir)
}

#[test]
fn json_reports_each_control_per_resource() {
    let (out, _dir) = scan(&["--compliance", "aws-fsbp", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let c = &doc["compliance"];
    assert_eq!(c["framework"]["id"], "aws-fsbp");
    let control = |id: &str| {
        c["controls"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == id)
            .unwrap()
            .clone()
    };
    let tracing = control("Lambda.7");
    assert_eq!(tracing["status"], "FAIL");
    let verdicts: Vec<(String, String)> = tracing["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_owned(),
                r["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        verdicts,
        [
            ("Traced".to_owned(), "PASS".to_owned()),
            ("Untraced".to_owned(), "FAIL".to_owned())
        ]
    );
    assert_eq!(control("Lambda.2")["status"], "PASS");
    // Nothing in the template for the KMS control to examine.
    assert_eq!(control("KMS.4")["status"], "SKIP");
    // Rules that are not selected do not pass their controls.
    let (out, _dir) = scan(&[
        "--compliance",
        "aws-fsbp",
        "--format",
        "json",
        "--select",
        "RT",
    ]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let tracing = doc["compliance"]["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == "Lambda.7")
        .unwrap()
        .clone();
    assert_eq!(tracing["status"], "SKIP");
}

#[test]
fn text_appends_the_control_table() {
    let (out, _dir) = scan(&["--compliance", "owasp-serverless"]);
    let text = String::from_utf8(out.stdout).unwrap();
    let table = text
        .split("Compliance: ")
        .nth(1)
        .expect("compliance section");
    assert!(table.starts_with("OWASP Serverless Top 10"), "{table}");
    assert!(table.contains("FAIL S10"), "{table}");
    assert!(
        table.contains("function `Untraced` (template.yaml:"),
        "{table}"
    );
    assert!(table.contains("SKIP S4"), "{table}");
}

#[test]
fn unknown_frameworks_and_sarif_are_errors() {
    let (out, _dir) = scan(&["--compliance", "pci"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("unknown compliance framework `pci`"), "{err}");
    assert!(err.contains("aws-fsbp"), "{err}");
    let (out, _dir) = scan(&["--compliance", "cis-aws", "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(2));
}
