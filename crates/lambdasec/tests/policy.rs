//! `lambdasec policy check | simulate | analyze` on the fixtures of `tests/fixtures/policy/`.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test code: a failure is a test failure"
)]

use assert_cmd::Command;
use serde_json::Value;
use std::path::PathBuf;

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/policy")
        .join(name)
        .display()
        .to_string()
}

/// Run `lambdasec policy ARGS...`: exit status, standard output.
fn policy(args: &[&str]) -> (i32, String) {
    let out = Command::cargo_bin("lambdasec")
        .unwrap()
        .arg("policy")
        .args(args)
        .output()
        .unwrap();
    let code = out.status.code().unwrap_or(-1);
    (code, String::from_utf8(out.stdout).unwrap())
}

fn json(args: &[&str]) -> (i32, Value) {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let (code, out) = policy(&all);
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    (code, v)
}

/// The issues of a `policy check --format json` run as (code, line, column).
fn issues(v: &Value) -> Vec<(String, u64, u64)> {
    v["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["code"].as_str().unwrap().to_owned(),
                i["line"].as_u64().unwrap_or(0),
                i["column"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn check_reports_problems_at_their_exact_place() {
    let (code, v) = json(&["check", &fixture("lint.json")]);
    assert_eq!(code, 1, "{v}");
    let found = issues(&v);
    let expect = [
        ("unknown-action", 7, 34),
        ("unknown-service", 7, 51),
        ("resource-type-mismatch", 7, 18),
        ("malformed-arn", 8, 51),
        ("duplicate-sid", 11, 14),
        ("pass-any-role", 13, 17),
        ("resource-type-mismatch", 18, 17),
        ("redundant-statement", 21, 5),
    ];
    for (c, l, col) in expect {
        assert!(
            found.contains(&(c.to_owned(), l, col)),
            "{c} at {l}:{col} not in {found:?}"
        );
    }
    assert_eq!(found.len(), expect.len(), "{found:?}");
    assert_eq!(v["policies"], 1);
    assert!(
        v["issues"][0]["file"]
            .as_str()
            .unwrap()
            .ends_with("lint.json")
    );
    assert!(
        v["issues"][0]["path"]
            .as_str()
            .unwrap()
            .starts_with("Statement[0]")
    );
}

#[test]
fn check_text_names_file_line_and_column() {
    let (code, out) = policy(&["check", &fixture("lint.json")]);
    assert_eq!(code, 1);
    assert!(
        out.contains("lint.json:7:34: error[unknown-action]: `s3:GetObjectt` matches no action\n"),
        "{out}"
    );
    assert!(
        out.contains("1 policy checked: 4 error(s), 3 warning(s), 1 info"),
        "{out}"
    );
}

#[test]
fn clean_policies_pass_in_json_and_yaml() {
    let (code, out) = policy(&["check", &fixture("clean.json"), &fixture("clean.yaml")]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("2 policies checked: 0 error(s), 0 warning(s), 0 info"),
        "{out}"
    );
}

#[test]
fn fail_on_sets_the_threshold() {
    // lint.json has errors: `--fail-on error` still fails; the template only has warnings.
    let (code, _) = policy(&["check", "--fail-on", "error", &fixture("lint.json")]);
    assert_eq!(code, 1);
    let (code, v) = json(&["check", "--fail-on", "error", &fixture("template.yaml")]);
    let has_error = v["issues"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["severity"] == "error");
    assert_eq!(code, i32::from(has_error), "{v}");
}

#[test]
fn grammar_errors_are_issues_and_unreadable_files_are_errors() {
    let (code, v) = json(&["check", &fixture("invalid.json")]);
    assert_eq!(code, 1);
    assert_eq!(issues(&v), [("invalid-policy".to_owned(), 5, 17)]);
    assert!(
        v["issues"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Permit")
    );

    let (code, v) = json(&["check", &fixture("broken.json"), &fixture("clean.json")]);
    assert_eq!(code, 2);
    let err = v["errors"][0]["message"].as_str().unwrap();
    assert!(err.contains("broken.json:4:"), "{err}");
    assert_eq!(v["policies"], 1, "the other file is still checked");

    let (code, v) = json(&["check", &fixture("notes.txt")]);
    assert_eq!(code, 2);
    assert!(
        v["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("not a policy document")
    );

    let (code, _) = policy(&["check", &fixture("no-such-file.json")]);
    assert_eq!(code, 2);
}

#[test]
fn check_reads_every_policy_of_a_template() {
    let (code, v) = json(&["check", &fixture("template.yaml")]);
    assert_eq!(code, 1, "{v}");
    let found = issues(&v);
    assert!(
        found.contains(&("unknown-action".to_owned(), 20, 21)),
        "{found:?}"
    );
    assert!(
        found.contains(&("pass-any-role".to_owned(), 23, 25)),
        "{found:?}"
    );
    assert!(
        found.contains(&("public-principal".to_owned(), 35, 13)),
        "{found:?}"
    );
    assert_eq!(v["policies"], 3, "inline, trust and bucket policies: {v}");
    let policy_names: Vec<&str> = v["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["policy"].as_str().unwrap())
        .collect();
    assert!(
        policy_names.contains(&"role OrdersRole policy orders"),
        "{policy_names:?}"
    );
}

#[test]
fn check_reads_authorization_details() {
    let (code, v) = json(&["check", &fixture("account.json")]);
    // dev-read, deploy-functions, orders-table and two trust policies.
    assert_eq!(v["policies"], 5, "{v}");
    let found: Vec<(&str, &str)> = v["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["code"].as_str().unwrap(),
                i["field"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert!(
        found.contains(&(
            "pass-any-role",
            "UserPolicyList[0].PolicyDocument.Statement[0].Action[0]"
        )),
        "{found:?}"
    );
    assert_eq!(code, 1);
}

fn simulate(extra: &[&str]) -> (i32, Value) {
    let identity = fixture("identity.json");
    let mut args = vec![
        "simulate",
        "--policy",
        identity.as_str(),
        "--principal",
        "arn:aws:iam::123456789012:role/app",
        "--resource-account",
        "123456789012",
    ];
    args.extend(extra);
    json(&args)
}

#[test]
fn simulate_allows_with_the_deciding_statement() {
    let (code, v) = simulate(&[
        "--action",
        "s3:GetObject",
        "--resource",
        "arn:aws:s3:::reports-bucket/2024/q1.csv",
    ]);
    assert_eq!(code, 0);
    assert_eq!(v["decision"], "allow", "{v}");
    let s = &v["statements"][0];
    assert_eq!(s["sid"], "ReadReports");
    assert_eq!(
        (s["line"].as_u64(), s["column"].as_u64()),
        (Some(4), Some(5))
    );
    assert!(s["file"].as_str().unwrap().ends_with("identity.json"));
    assert_eq!(s["layer"], "identity");
    assert_eq!(v["residual"], Value::Array(vec![]));
}

#[test]
fn simulate_explicit_deny_names_the_deny() {
    let (_, v) = simulate(&[
        "--action",
        "s3:GetObject",
        "--resource",
        "arn:aws:s3:::reports-bucket/secret/keys.txt",
    ]);
    assert_eq!(v["decision"], "explicit_deny", "{v}");
    assert_eq!(v["statements"][0]["sid"], "KeepSecretsOut");
    assert_eq!(v["statements"][0]["line"], 17);
}

#[test]
fn simulate_depends_on_unknown_context_and_decides_with_it() {
    let put = [
        "--action",
        "s3:PutObject",
        "--resource",
        "arn:aws:s3:::reports-bucket/upload.csv",
    ];
    let (_, v) = simulate(&put);
    assert_eq!(v["decision"], "depends", "{v}");
    let u = &v["residual"][0]["unknowns"][0];
    assert_eq!(u["kind"], "condition");
    assert_eq!(u["key"], "aws:SourceIp");
    assert_eq!(u["values"][0], "203.0.113.0/24");
    assert_eq!(u["location"]["line"], 15);
    assert_eq!(v["residual"][0]["statement"]["sid"], "UploadFromOffice");

    let mut inside = put.to_vec();
    inside.extend(["--context", "aws:SourceIp=203.0.113.7"]);
    assert_eq!(simulate(&inside).1["decision"], "allow");
    let mut outside = put.to_vec();
    outside.extend(["--context", "aws:SourceIp=198.51.100.1"]);
    assert_eq!(simulate(&outside).1["decision"], "implicit_deny");
    let mut complete = put.to_vec();
    complete.push("--complete-context");
    let (_, v) = simulate(&complete);
    assert_eq!(v["decision"], "implicit_deny");
    assert_eq!(v["reason"], "no_allow");
}

#[test]
fn simulate_boundary_and_scp_limit_grants() {
    let boundary = fixture("boundary.json");
    let scp = fixture("scp.json");
    let put = [
        "--action",
        "s3:PutObject",
        "--resource",
        "arn:aws:s3:::reports-bucket/upload.csv",
        "--context",
        "aws:SourceIp=203.0.113.7",
    ];
    let mut with_boundary = put.to_vec();
    with_boundary.extend(["--boundary", &boundary]);
    let (_, v) = simulate(&with_boundary);
    assert_eq!(v["decision"], "implicit_deny", "{v}");
    assert_eq!(v["reason"], "permissions_boundary");

    let mut with_scp = put.to_vec();
    with_scp.extend(["--scp", &scp]);
    let (_, v) = simulate(&with_scp);
    assert_eq!(v["reason"], "scp", "{v}");

    let (_, v) = simulate(&[
        "--action",
        "s3:GetObject",
        "--resource",
        "arn:aws:s3:::reports-bucket/a.csv",
        "--boundary",
        &boundary,
        "--scp",
        &scp,
    ]);
    assert_eq!(v["decision"], "allow", "{v}");
    let layers: Vec<&str> = v["statements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["layer"].as_str().unwrap())
        .collect();
    assert_eq!(layers, ["identity", "permissions_boundary", "scp"]);
}

#[test]
fn simulate_cross_account_needs_both_sides() {
    let bucket = fixture("bucket-policy.json");
    let identity = fixture("identity.json");
    let base = [
        "simulate",
        "--policy",
        &identity,
        "--principal",
        "arn:aws:iam::444455556666:role/partner",
        "--resource-account",
        "123456789012",
        "--action",
        "s3:GetObject",
        "--resource",
        "arn:aws:s3:::reports-bucket/a.csv",
    ];
    let (_, v) = json(&base);
    assert_eq!(v["decision"], "implicit_deny", "{v}");
    assert_eq!(v["reason"], "cross_account");
    assert_eq!(v["request"]["cross_account"], true);
    let mut with_bucket = base.to_vec();
    with_bucket.extend(["--resource-policy", &bucket]);
    let (_, v) = json(&with_bucket);
    assert_eq!(v["decision"], "allow", "{v}");
    let layers: Vec<&str> = v["statements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["layer"].as_str().unwrap())
        .collect();
    assert_eq!(layers, ["identity", "resource"]);
}

#[test]
fn simulate_text_and_bad_input() {
    let identity = fixture("identity.json");
    let (code, out) = policy(&[
        "simulate",
        "--policy",
        &identity,
        "--action",
        "s3:GetObject",
        "--resource",
        "arn:aws:s3:::reports-bucket/a.csv",
    ]);
    assert_eq!(code, 0);
    assert!(out.starts_with("decision: allow\n"), "{out}");
    assert!(
        out.contains("identity.json:4:5  statement 0 `ReadReports`"),
        "{out}"
    );

    let broken = fixture("broken.json");
    let (code, _) = policy(&[
        "simulate",
        "--policy",
        &broken,
        "--action",
        "s3:GetObject",
        "--resource",
        "*",
    ]);
    assert_eq!(code, 2);
    let invalid = fixture("invalid.json");
    let out = Command::cargo_bin("lambdasec")
        .unwrap()
        .args([
            "policy",
            "simulate",
            "--policy",
            &invalid,
            "--action",
            "s3:GetObject",
            "--resource",
            "*",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("invalid.json:5:17"), "{err}");
    for bad in [
        ["--principal", "bob"],
        ["--context", "novalue"],
        ["--resource-account", "12"],
    ] {
        let mut args = vec![
            "simulate",
            "--policy",
            &identity,
            "--action",
            "s3:GetObject",
            "--resource",
            "*",
        ];
        args.extend(bad);
        assert_eq!(policy(&args).0, 2, "{bad:?}");
    }
}

fn principal<'a>(v: &'a Value, name: &str) -> &'a Value {
    v["principals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("no principal {name} in {v}"))
}

#[test]
fn analyze_an_account() {
    let (code, v) = json(&["analyze", &fixture("account.json")]);
    assert_eq!(code, 1, "admin and escalation found");
    assert_eq!(v["principals"].as_array().unwrap().len(), 4);

    let admin = principal(&v, "app-admin");
    assert_eq!(admin["kind"], "role");
    assert_eq!(admin["admin"]["kind"], "full");

    let deployer = principal(&v, "ci-deployer");
    let methods: Vec<&str> = deployer["privilege_escalation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["method"].as_str().unwrap())
        .collect();
    assert!(
        methods.contains(&"PassExistingRoleToNewLambdaThenInvoke"),
        "{methods:?}"
    );
    let esc = &deployer["privilege_escalation"][0]["statements"][0];
    assert_eq!(esc["arn"], "arn:aws:iam::123456789012:user/ci-deployer");
    assert_eq!(
        esc["field"],
        "UserPolicyList[0].PolicyDocument.Statement[0]"
    );
    // Through the group's managed policy, default version only (v1 granted s3:*).
    let exfil = &deployer["data_exfiltration"];
    assert_eq!(
        exfil["actions"],
        serde_json::json!(["s3:GetObject"]),
        "{exfil}"
    );
    assert_eq!(exfil["statements"][0]["sid"], "ReadEverything");

    let function = principal(&v, "orders-fn");
    assert!(function["admin"].is_null());
    assert_eq!(function["privilege_escalation"], serde_json::json!([]));
    assert!(function["data_exfiltration"].is_null(), "{function}");
    assert_eq!(function["partial"], false);
}

#[test]
fn analyze_a_role_a_policy_and_a_template() {
    let (code, v) = json(&["analyze", &fixture("role.json")]);
    assert_eq!(code, 1);
    let role = principal(&v, "pipeline");
    assert_eq!(
        role["privilege_escalation"][0]["method"],
        "PassExistingRoleToCloudFormation"
    );

    let (code, v) = json(&["analyze", &fixture("clean.json")]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["principals"][0]["kind"], "policy");

    let (code, v) = json(&["analyze", &fixture("template.yaml")]);
    assert_eq!(code, 0, "{v}");
    let role = principal(&v, "OrdersRole");
    assert_eq!(role["kind"], "role");
    assert!(role["admin"].is_null());

    let (code, out) = policy(&["analyze", &fixture("account.json")]);
    assert_eq!(code, 1);
    assert!(
        out.contains("role app-admin (arn:aws:iam::123456789012:role/app-admin)"),
        "{out}"
    );
    assert!(
        out.contains("admin-equivalent: every action on every resource"),
        "{out}"
    );
    assert!(
        out.contains("4 principal(s) analysed: 1 admin-equivalent"),
        "{out}"
    );

    let (code, _) = policy(&["analyze", &fixture("broken.json")]);
    assert_eq!(code, 2);
}
