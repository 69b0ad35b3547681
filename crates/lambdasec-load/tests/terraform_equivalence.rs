//! The equivalence contract: the same stack written as CloudFormation, SAM, Terraform and
//! serverless.yml loads to the same inventory, once
//!
//! - provenance is masked: every origin, the `synthesized` flag (SAM and the Serverless
//!   Framework generate what the others write), suppressions, the input kind, region and
//!   account;
//! - ids are normalised: each scenario maps its canonical names to the id every format gives
//!   (`Fn`, `aws_lambda_function.fn`, `fn`, `FnLambdaFunctionUrl`...), applied to resource ids and
//!   local references;
//! - code locations are masked (`Code`, layer content): each tool packages differently
//!   (`S3Bucket`/`S3Key`, `CodeUri`, `s3_bucket`, `package.artifact`);
//! - `other_resources` keep their ids but not their type names (`AWS::EC2::VPC` is `aws_vpc`),
//!   and the Framework's own deployment bucket is left out;
//! - SAM's `lambda:createdBy: SAM` tag is left out.
//!
//! Everything else — every value, whether it is written or an AWS default, every reference —
//! must be equal. Scenarios write what frameworks would otherwise generate with their own
//! defaults (a serverless.yml names its functions, sets memory and timeout, disables the
//! generated log group, and gives a role).

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failure is a test failure"
)]

use lambdasec_load::{LoadOptions, discover, load};
use lambdasec_model::{InputKind, Inventory, Level, SourceMap};
use serde_json::{Map, Value as J};
use std::path::PathBuf;

/// The formats, in the order of the id columns below.
const FORMATS: [(&str, InputKind); 4] = [
    ("cfn.yaml", InputKind::CloudFormation),
    ("sam.yaml", InputKind::Sam),
    ("main.tf", InputKind::Terraform),
    ("serverless.yml", InputKind::Serverless),
];

/// Canonical name → [CloudFormation, SAM, Terraform, serverless.yml] ids.
type Ids = &'static [(&'static str, [&'static str; 4])];

const SCENARIOS: &[(&str, Ids)] = &[
    (
        "function",
        &[
            (
                "role",
                ["ExecRole", "ExecRole", "aws_iam_role.exec", "ExecRole"],
            ),
            ("function", ["Fn", "Fn", "aws_lambda_function.fn", "fn"]),
        ],
    ),
    (
        "url",
        &[
            ("function", ["Fn", "Fn", "aws_lambda_function.fn", "fn"]),
            (
                "url",
                [
                    "FnUrl",
                    "FnUrl",
                    "aws_lambda_function_url.fn",
                    "FnLambdaFunctionUrl",
                ],
            ),
        ],
    ),
    (
        "permission",
        &[
            ("function", ["Fn", "Fn", "aws_lambda_function.fn", "fn"]),
            (
                "permission",
                [
                    "FromUploads",
                    "FromUploads",
                    "aws_lambda_permission.from_uploads",
                    "FromUploads",
                ],
            ),
        ],
    ),
    (
        "sources",
        &[
            ("function", ["Fn", "Fn", "aws_lambda_function.fn", "fn"]),
            (
                "jobs",
                [
                    "FromJobs",
                    "FnJobs",
                    "aws_lambda_event_source_mapping.jobs",
                    "FnEventSourceMappingSQSJobs",
                ],
            ),
            (
                "orders",
                [
                    "FromOrders",
                    "FnOrders",
                    "aws_lambda_event_source_mapping.orders",
                    "FnEventSourceMappingDynamodbOrders",
                ],
            ),
        ],
    ),
    (
        "network",
        &[
            ("vpc", ["Vpc", "Vpc", "aws_vpc.main", "Vpc"]),
            (
                "subnet",
                ["Private", "Private", "aws_subnet.private", "Private"],
            ),
            (
                "group",
                [
                    "FnSecurityGroup",
                    "FnSecurityGroup",
                    "aws_security_group.fn",
                    "FnSecurityGroup",
                ],
            ),
            ("function", ["Fn", "Fn", "aws_lambda_function.fn", "fn"]),
        ],
    ),
];

fn scenario_dir(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/terraform/equivalence")
        .join(name)
}

fn load_file(path: &PathBuf, kind: InputKind) -> Inventory {
    let sources = SourceMap::new();
    let d = discover(std::slice::from_ref(path), &sources);
    assert!(d.errors.is_empty(), "{}: {:?}", path.display(), d.errors);
    assert_eq!(d.units.len(), 1, "{}", path.display());
    assert_eq!(d.units[0].kind, kind, "{}", path.display());
    load(&d.units[0], &sources, &LoadOptions::default())
}

/// The inventory as JSON, with provenance masked and ids normalised.
fn normalise(inv: &Inventory, ids: Ids, column: usize) -> J {
    let rename: Vec<(&str, &str)> = ids
        .iter()
        .map(|(canon, per)| (per[column], *canon))
        .collect();
    let mut v = serde_json::to_value(inv).unwrap();
    mask(&mut v, &rename);
    let J::Object(top) = &mut v else {
        panic!("an inventory is an object")
    };
    for key in ["input", "region", "account_id"] {
        top.insert(key.into(), J::Null);
    }
    top.insert("diagnostics".into(), J::Array(Vec::new()));
    // How a tool packages the code (serverless.yml patterns) is masked like the code itself.
    top.insert("package_filters".into(), J::Array(Vec::new()));
    if let Some(J::Array(others)) = top.get_mut("other_resources") {
        others.retain(|o| o["id"] != "ServerlessDeploymentBucket");
        for o in others.iter_mut() {
            o["type_name"] = J::Null;
        }
        others.sort_by_key(|o| o["id"].to_string());
    }
    for (_, list) in top.iter_mut() {
        if let J::Array(items) = list {
            items.sort_by_key(|i| i["meta"]["id"].to_string());
        }
    }
    v
}

fn mask(v: &mut J, rename: &[(&str, &str)]) {
    match v {
        J::Object(map) => {
            for key in ["origin", "key_origin", "name_origin", "code", "content"] {
                if map.contains_key(key) {
                    map.insert(key.into(), J::Null);
                }
            }
            if map.contains_key("synthesized") {
                map.insert("synthesized".into(), J::Bool(false));
            }
            if map.contains_key("suppressions") {
                map.insert("suppressions".into(), J::Array(Vec::new()));
            }
            drop_sam_tag(map);
            // Ids: a resource's `id`, and the value of a local reference.
            let is_local = map.get("type").and_then(J::as_str) == Some("local");
            for key in ["id", if is_local { "value" } else { "id" }] {
                if let Some(J::String(s)) = map.get_mut(key)
                    && let Some((_, canon)) = rename.iter().find(|(id, _)| id == s)
                {
                    *s = (*canon).to_owned();
                }
            }
            for (_, child) in map.iter_mut() {
                mask(child, rename);
            }
        }
        J::Array(items) => items.iter_mut().for_each(|i| mask(i, rename)),
        _ => {}
    }
}

/// SAM tags every function `lambda:createdBy: SAM`: without it, a function whose only tag it
/// was has the other formats' default (no tags).
fn drop_sam_tag(map: &mut Map<String, J>) {
    let Some(tags) = map.get_mut("tags") else {
        return;
    };
    let Some(J::Array(list)) = tags.get_mut("value") else {
        return;
    };
    let before = list.len();
    list.retain(|t| t["key"] != "lambda:createdBy");
    if list.is_empty() && before > 0 {
        tags["state"] = J::String("default".into());
    }
}

/// Paths where two JSON values differ (for a readable failure).
fn differences(a: &J, b: &J, path: &str, out: &mut Vec<String>) {
    match (a, b) {
        (J::Object(x), J::Object(y)) => {
            for k in x.keys().chain(y.keys().filter(|k| !x.contains_key(*k))) {
                let p = format!("{path}.{k}");
                match (x.get(k), y.get(k)) {
                    (Some(p1), Some(p2)) => differences(p1, p2, &p, out),
                    (l, r) => out.push(format!("{p}: {l:?} vs {r:?}")),
                }
            }
        }
        (J::Array(x), J::Array(y)) if x.len() == y.len() => {
            for (i, (p1, p2)) in x.iter().zip(y).enumerate() {
                differences(p1, p2, &format!("{path}[{i}]"), out);
            }
        }
        _ if a != b => out.push(format!("{path}: {a} vs {b}")),
        _ => {}
    }
}

#[test]
fn every_format_loads_to_the_same_inventory() {
    let mut failures = Vec::new();
    for (scenario, ids) in SCENARIOS {
        let dir = scenario_dir(scenario);
        let inventories: Vec<(&str, J)> = FORMATS
            .iter()
            .enumerate()
            .map(|(column, (file, kind))| {
                let inv = load_file(&dir.join(file), *kind);
                let errors: Vec<&str> =
                    inv.diagnostics.iter().map(|d| d.message.as_str()).collect();
                assert!(
                    inv.diagnostics.iter().all(|d| d.level != Level::Error) && errors.is_empty(),
                    "{scenario}/{file}: {errors:?}"
                );
                assert!(
                    inv.resource_count() > 0,
                    "{scenario}/{file}: nothing loaded"
                );
                (*file, normalise(&inv, ids, column))
            })
            .collect();
        let (reference_file, reference) = &inventories[0];
        for (file, inv) in &inventories[1..] {
            let mut diffs = Vec::new();
            differences(reference, inv, "", &mut diffs);
            if !diffs.is_empty() {
                failures.push(format!(
                    "{scenario}: {reference_file} vs {file}:\n  {}",
                    diffs.join("\n  ")
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn masking_keeps_values_and_states() {
    // A difference of value or of explicit/default state is not masked away.
    let dir = scenario_dir("url");
    let ids = SCENARIOS[1].1;
    let cfn = normalise(
        &load_file(&dir.join("cfn.yaml"), InputKind::CloudFormation),
        ids,
        0,
    );
    let mut changed = cfn.clone();
    changed["functions"][0]["memory_mb"]["state"] = J::String("default".into());
    let mut diffs = Vec::new();
    differences(&cfn, &changed, "", &mut diffs);
    assert_eq!(diffs.len(), 1, "{diffs:?}");
    assert_eq!(cfn["functions"][0]["meta"]["id"], "function");
    assert_eq!(
        cfn["function_urls"][0]["function"]["value"]["value"],
        "function"
    );
}
