//! Code that templates name but that is not in the checkout: one warning for the whole scan.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "test code: a failure is a test failure"
)]

use assert_cmd::Command;

fn template(code_uris: &[&str]) -> String {
    let mut t = String::from("Transform: AWS::Serverless-2016-10-31\nResources:\n");
    for (i, uri) in code_uris.iter().enumerate() {
        t.push_str(&format!(
            "  Fn{i}:\n    Type: AWS::Serverless::Function\n    Properties:\n      \
             Runtime: python3.13\n      Handler: app.handler\n      CodeUri: {uri}\n"
        ));
    }
    t
}

#[test]
fn absent_code_is_one_warning_for_the_scan() {
    let dir = tempfile::tempdir().unwrap();
    for (name, uris) in [("a", &["src/", "build/"][..]), ("b", &["src/", "src/"][..])] {
        let sub = dir.path().join(name);
        std::fs::create_dir(&sub).unwrap();
        std::fs::write(sub.join("template.yaml"), template(uris)).unwrap();
    }
    let out = Command::cargo_bin("lambdasec")
        .unwrap()
        .args(["scan", "--format", "json", "--fail-on", "critical"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let warnings: Vec<&str> = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|w| w["message"].as_str())
        .filter(|m| m.contains("scanned for secrets"))
        .collect();
    // Three paths: `src` and `build` of one template, `src` of the other (named twice).
    assert_eq!(
        warnings,
        ["3 code paths were not scanned for secrets: not found: `build`, `src`, `src`"],
        "{report:#}"
    );
}
