//! `lambdasec scan` of a snapshot whose collection was denied some calls: the rules that needed
//! them stay silent for what the calls cover, and every report says what was not assessed.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "test code: a failure is a test failure"
)]

use assert_cmd::Command;
use serde_json::{Value, json};

const ORDERS: &str = "arn:aws:lambda:eu-west-1:111122223333:function:orders";
const BILLING: &str = "arn:aws:lambda:eu-west-1:111122223333:function:billing";

fn function(name: &str, arn: &str) -> Value {
    json!({
        "configuration": {
            "FunctionName": name, "FunctionArn": arn, "Runtime": "python3.13",
            "Handler": "app.handler", "PackageType": "Zip", "TracingConfig": {"Mode": "Active"}
        },
        "url_configs": [{"FunctionArn": arn, "FunctionUrl": format!("https://{name}.lambda-url.eu-west-1.on.aws/"), "AuthType": "NONE"}]
    })
}

/// Two functions with public URLs; the policy of `orders` could not be read, nor the region's
/// GuardDuty status.
fn snapshot() -> String {
    json!({
        "lambdasec_snapshot": 1,
        "accounts": [{
            "account_id": "111122223333",
            "partition": "aws",
            "regions": [{
                "region": "eu-west-1",
                "functions": [function("orders", ORDERS), function("billing", BILLING)],
                "inspector": {"accountId": "111122223333", "resourceState": {"lambda": {"status": "ENABLED"}, "lambdaCode": {"status": "ENABLED"}}}
            }],
            "not_assessed": [
                {"region": "eu-west-1", "action": "lambda:GetFunctionUrlConfig", "resource": ORDERS,
                 "error_code": "AccessDeniedException", "message": "not authorized to perform: lambda:GetFunctionUrlConfig"},
                {"region": "eu-west-1", "action": "guardduty:ListDetectors",
                 "error_code": "AccessDeniedException", "message": "not authorized to perform: guardduty:ListDetectors"}
            ]
        }]
    })
    .to_string()
}

fn scan(args: &[&str]) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("account.json"), snapshot()).unwrap();
    Command::cargo_bin("lambdasec")
        .unwrap()
        .current_dir(dir.path())
        .args(["scan", "--color", "never", "--select", "URL001,OBS005"])
        .args(args)
        .arg("account.json")
        .output()
        .unwrap()
}

#[test]
fn denied_calls_are_reported_as_not_assessed_in_every_format() {
    let out = scan(&["--format", "json", "--compliance", "aws-fsbp"]);
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings: Vec<(&str, &str)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap(),
                f["resource"]["id"].as_str().unwrap(),
            )
        })
        .collect();
    // The URL of `billing` was read: it fires. That of `orders` could not be: withheld.
    assert!(
        findings.iter().all(|(code, _)| *code == "URL001"),
        "{findings:?}"
    );
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert!(!findings[0].1.starts_with("orders"), "{findings:?}");
    let gaps = doc["not_assessed"].as_array().unwrap();
    let url = gaps
        .iter()
        .find(|g| g["action"] == "lambda:GetFunctionUrlConfig")
        .expect("url gap");
    assert_eq!(url["rules"], json!(["URL001"]));
    assert_eq!(url["resource"]["arn"], ORDERS);
    assert_eq!(url["error_code"], "AccessDeniedException");
    let gd = gaps
        .iter()
        .find(|g| g["action"] == "guardduty:ListDetectors")
        .expect("guardduty gap");
    assert_eq!(gd["rules"], json!(["OBS005"]));
    assert_eq!(gd["resource"]["kind"], "account");
    // In the control table: the region's GuardDuty.6 is SKIP, not PASS.
    let controls = doc["compliance"]["controls"].as_array().unwrap();
    let g6 = controls.iter().find(|c| c["id"] == "GuardDuty.6").unwrap();
    assert_eq!(g6["status"], "SKIP", "{g6:#}");

    let text = String::from_utf8(scan(&[]).stdout).unwrap();
    assert!(
        text.contains("not assessed: `lambda:GetFunctionUrlConfig` failed (AccessDeniedException) in eu-west-1 of account 111122223333: URL001 not assessed for `orders"),
        "{text}"
    );
    assert!(
        text.contains("resources not assessed by some rules"),
        "{text}"
    );

    let sarif: Value = serde_json::from_slice(&scan(&["--format", "sarif"]).stdout).unwrap();
    let notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n["properties"]["action"] == "guardduty:ListDetectors"
                && n["properties"]["rules"] == json!(["OBS005"]))
    );
}
