//! The equivalence contract: the same stack written as CloudFormation, SAM, Terraform and
//! serverless.yml, and recorded live once deployed (a `lambdasec collect` snapshot), loads to the
//! same inventory, once
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
//!
//! The live form (`snapshot.json`: the stack deployed with CloudFormation in account
//! 111122223333, `eu-west-1`, as `collect` records it) is compared with the CloudFormation form
//! under the masking above and, because of what live data is, these rules too:
//!
//! - a live reference is an ARN or an id (`arn:...:function:reports`, `subnet-0f1e...`): one that
//!   names a resource of the scenario is compared as the local reference to its canonical name
//!   (each scenario lists the ids and ARNs AWS gave its resources);
//! - `explicit` and `default` are compared as one state: an API answers every value it has,
//!   and cannot say whether the template wrote it (`Timeout: 3` and an omitted timeout both
//!   read back as 3). The value itself is compared;
//! - what AWS assigns at deployment where a template leaves it out is dropped from the live side
//!   only where the template has nothing: ARNs, generated names (a role's
//!   `stack-ExecRole-RANDOM`, a permission's statement id), IAM's path `/`, `LastModified`,
//!   what Lambda reports for every function (logging as `Text` to `/aws/lambda/<name>`,
//!   runtime updates `Auto`), and API defaults the model keeps as absent in templates (URL invoke mode `BUFFERED`, dual-stack `false`, a stream's
//!   maximum record age `-1`);
//! - AWS's own data is left out: tags whose key starts with `aws:` (CloudFormation tags every
//!   function with its stack), AWS managed policies (the account's copy of the documents
//!   templates name by ARN) and the region's settings record (GuardDuty, Inspector);
//! - resources of the account that the stack uses without declaring them (a role named by ARN,
//!   the key, layer, subnets and groups of a VPC function, the queue a mapping reads) are
//!   collected live and left out by id, per scenario; and `other_resources` (the VPC) are not
//!   collected: the live side knows a VPC only by the id the subnets and groups name;
//! - maps the APIs answer without an order are compared sorted (environment variables, tags,
//!   conditions, the keys of policy documents), condition keys without case (Lambda writes `AWS:SourceArn`; IAM keys are
//!   case-insensitive), and ports of an all-protocols (`-1`) security group rule not at all
//!   (EC2 answers none where templates write `0`).

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failure is a test failure"
)]

use lambdasec_load::{LoadOptions, discover, load};
use lambdasec_model::{
    Function, InputKind, Inventory, Level, Role, SecurityGroup, SourceMap, Subnet, Target, Value,
};
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

/// The live form of a scenario: each canonical name with the live resource's id first, then the
/// ARN (or id) that references give it; and the ids or ARNs of the resources of the account that
/// the stack uses without declaring them.
struct Live {
    ids: &'static [(&'static str, &'static [&'static str])],
    external: &'static [&'static str],
}

const LIVE: &[(&str, Live)] = &[
    (
        "function",
        Live {
            ids: &[
                (
                    "role",
                    &[
                        "equivalence-function-ExecRole-8NQ2XK4TZ1WA",
                        "arn:aws:iam::111122223333:role/equivalence-function-ExecRole-8NQ2XK4TZ1WA",
                    ],
                ),
                (
                    "function",
                    &[
                        "orders-api",
                        "arn:aws:lambda:eu-west-1:111122223333:function:orders-api",
                    ],
                ),
            ],
            external: &[
                "deps:3",
                "1111aaaa-2222-3333-4444-555566667777",
                "subnet-aaaa",
                "subnet-bbbb",
                "sg-1234",
            ],
        },
    ),
    (
        "url",
        Live {
            ids: &[
                (
                    "function",
                    &[
                        "reports",
                        "arn:aws:lambda:eu-west-1:111122223333:function:reports",
                    ],
                ),
                ("url", &["reports/url"]),
            ],
            external: &["arn:aws:iam::111122223333:role/reports"],
        },
    ),
    (
        "permission",
        Live {
            ids: &[
                (
                    "function",
                    &[
                        "thumbnails",
                        "arn:aws:lambda:eu-west-1:111122223333:function:thumbnails",
                    ],
                ),
                (
                    "permission",
                    &["thumbnails/equivalence-permission-FromUploads-Q3K0L2M9PZ7E"],
                ),
            ],
            external: &["arn:aws:iam::111122223333:role/thumbnails"],
        },
    ),
    (
        "sources",
        Live {
            ids: &[
                (
                    "function",
                    &[
                        "consumer",
                        "arn:aws:lambda:eu-west-1:111122223333:function:consumer",
                    ],
                ),
                ("jobs", &["6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b"]),
                ("orders", &["a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d"]),
            ],
            external: &[
                "arn:aws:iam::111122223333:role/consumer",
                "arn:aws:sqs:eu-west-1:111122223333:jobs",
            ],
        },
    ),
    (
        "network",
        Live {
            ids: &[
                ("vpc", &["vpc-0a1b2c3d4e5f60718"]),
                ("subnet", &["subnet-0f1e2d3c4b5a69788"]),
                ("group", &["sg-0123456789abcdef0"]),
                (
                    "function",
                    &[
                        "private-api",
                        "arn:aws:lambda:eu-west-1:111122223333:function:private-api",
                    ],
                ),
            ],
            external: &["arn:aws:iam::111122223333:role/private-api"],
        },
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
    normalise_with(inv, &rename, false)
}

/// [`normalise`] with a list of (id, canonical name) pairs; `by_value` also makes references by
/// ARN or id to those resources local (live references are all so).
fn normalise_with(inv: &Inventory, rename: &[(&str, &str)], by_value: bool) -> J {
    normalise_json(serde_json::to_value(inv).unwrap(), rename, by_value)
}

fn normalise_json(mut v: J, rename: &[(&str, &str)], by_value: bool) -> J {
    mask(&mut v, rename, by_value);
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

fn mask(v: &mut J, rename: &[(&str, &str)], by_value: bool) {
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
            let kind = map.get("type").and_then(J::as_str).map(str::to_owned);
            let is_local = kind.as_deref() == Some("local");
            for key in ["id", if is_local { "value" } else { "id" }] {
                if let Some(J::String(s)) = map.get_mut(key)
                    && let Some((_, canon)) = rename.iter().find(|(id, _)| id == s)
                {
                    *s = (*canon).to_owned();
                }
            }
            // A reference by ARN or id to a resource of the scenario is its local reference.
            if by_value
                && matches!(kind.as_deref(), Some("arn" | "name"))
                && let Some(J::String(s)) = map.get("value")
                && let Some((_, canon)) = rename.iter().find(|(id, _)| id == s)
            {
                map.insert("type".into(), J::String("local".into()));
                map.insert("value".into(), J::String((*canon).to_owned()));
            }
            for (_, child) in map.iter_mut() {
                mask(child, rename, by_value);
            }
        }
        J::Array(items) => items.iter_mut().for_each(|i| mask(i, rename, by_value)),
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

/// The live form, normalised like the others once AWS's own data and the account's resources
/// that the stack does not declare are left out (before renaming: a queue may be called like a
/// canonical name).
fn normalise_live(inv: &Inventory, live: &Live) -> J {
    let mut v = serde_json::to_value(inv).unwrap();
    let J::Object(top) = &mut v else {
        panic!("an inventory is an object")
    };
    top.insert("accounts".into(), J::Array(Vec::new()));
    for (_, list) in top.iter_mut() {
        if let J::Array(items) = list {
            items.retain(|i| {
                let id = i["meta"]["id"].as_str().unwrap_or_default();
                let arn = i["meta"]["arn"].as_str().unwrap_or_default();
                !live.external.contains(&id)
                    && !live.external.contains(&arn)
                    && !arn.starts_with("arn:aws:iam::aws:policy/")
            });
        }
    }
    let rename: Vec<(&str, &str)> = live
        .ids
        .iter()
        .flat_map(|(canon, ids)| ids.iter().map(move |id| (*id, *canon)))
        .collect();
    let mut v = normalise_json(v, &rename, true);
    drop_aws_tags(&mut v);
    as_live(&mut v);
    v
}

/// Tags whose key starts with `aws:` are AWS's (CloudFormation's stack tags).
fn drop_aws_tags(v: &mut J) {
    match v {
        J::Object(map) => {
            if let Some(J::Array(list)) = map.get_mut("tags").and_then(|t| t.get_mut("value")) {
                list.retain(|t| !t["key"].as_str().unwrap_or_default().starts_with("aws:"));
            }
            map.values_mut().for_each(drop_aws_tags);
        }
        J::Array(items) => items.iter_mut().for_each(drop_aws_tags),
        _ => {}
    }
}

/// What a comparison with the live form cannot tell apart, on either side: explicit and default
/// states, the order of API maps, the case of condition keys, the ports of an all-protocols
/// rule; and what is not collected live (`other_resources`).
fn as_live(v: &mut J) {
    if let Some(J::Array(others)) = v.get_mut("other_resources") {
        others.clear();
    }
    forget(v);
}

fn forget(v: &mut J) {
    match v {
        J::Object(map) => {
            if let Some(J::String(state)) = map.get_mut("state")
                && (state == "explicit" || state == "default")
            {
                *state = "known".into();
            }
            for (list, by) in [("environment", "name"), ("tags", "key")] {
                if let Some(J::Array(items)) = map.get_mut(list).and_then(|l| l.get_mut("value")) {
                    items.sort_by_key(|i| i[by].to_string());
                }
            }
            // A policy document's map (JSON objects have no order; the snapshot's are sorted).
            if map.get("type").and_then(J::as_str) == Some("map")
                && let Some(J::Array(entries)) = map.get_mut("value")
            {
                entries.sort_by_key(|e| e["key"].to_string());
            }
            if let Some(J::Array(conditions)) = map.get_mut("conditions") {
                for c in conditions.iter_mut() {
                    let key = c["key"].as_str().unwrap_or_default().to_ascii_lowercase();
                    c["key"] = J::String(key);
                }
                conditions.sort_by_key(|c| format!("{}|{}", c["operator"], c["key"]));
            }
            if map.contains_key("protocol")
                && map.contains_key("from_port")
                && map["protocol"]["value"] == "-1"
            {
                map.insert("from_port".into(), J::Null);
                map.insert("to_port".into(), J::Null);
            }
            map.values_mut().for_each(forget);
        }
        J::Array(items) => items.iter_mut().for_each(forget),
        _ => {}
    }
}

/// Whether AWS fills `key` with `value` where a template leaves it out: assigned at deployment
/// (ARNs, generated names and statement ids, timestamps), what Lambda reports for every function
/// (the default logging configuration, automatic runtime updates), or an API default the model
/// keeps as absent in templates.
fn filled_by_aws(key: &str, value: &J) -> bool {
    let known = &value["value"];
    match key {
        "arn" | "name" | "statement_id" | "last_modified" => true,
        "logging" => {
            value["log_format"]["value"] == "Text"
                && value["log_group"]["value"]
                    .as_str()
                    .is_some_and(|g| g.starts_with("/aws/lambda/"))
                && value["application_log_level"].is_null()
                && value["system_log_level"].is_null()
        }
        "runtime_management" => {
            value["update_runtime_on"]["value"] == "Auto" && value["runtime_version_arn"].is_null()
        }
        "path" => known == "/",
        "invoke_mode" => known == "BUFFERED",
        "ipv6_allowed_for_dual_stack" => known == false,
        "maximum_record_age_seconds" => known == -1,
        _ => false,
    }
}

/// Drop from `live` what AWS filled where `reference` has nothing ([`filled_by_aws`]).
fn drop_filled(reference: &J, live: &mut J) {
    match (reference, live) {
        (J::Object(r), J::Object(l)) => {
            for (key, value) in l.iter_mut() {
                match r.get(key) {
                    Some(J::Null) if !value.is_null() && filled_by_aws(key, value) => {
                        *value = J::Null;
                    }
                    Some(rv) => drop_filled(rv, value),
                    None => {}
                }
            }
        }
        (J::Array(r), J::Array(l)) => {
            for (rv, lv) in r.iter().zip(l.iter_mut()) {
                drop_filled(rv, lv);
            }
        }
        _ => {}
    }
}

/// The differences between the CloudFormation form and the live form of a scenario.
fn live_differences(cfn: &J, live: &J) -> Vec<String> {
    let mut reference = cfn.clone();
    as_live(&mut reference);
    let mut live = live.clone();
    drop_filled(&reference, &mut live);
    let mut diffs = Vec::new();
    differences(&reference, &live, "", &mut diffs);
    diffs
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
        if let Some((_, live)) = LIVE.iter().find(|(name, _)| name == scenario) {
            let inv = load_file(&dir.join("snapshot.json"), InputKind::Snapshot);
            let messages: Vec<&str> = inv.diagnostics.iter().map(|d| d.message.as_str()).collect();
            assert!(
                messages.is_empty(),
                "{scenario}/snapshot.json: {messages:?}"
            );
            let diffs = live_differences(reference, &normalise_live(&inv, live));
            if !diffs.is_empty() {
                failures.push(format!(
                    "{scenario}: {reference_file} vs snapshot.json:\n  {}",
                    diffs.join("\n  ")
                ));
            }
        }
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

#[test]
fn live_references_link_to_the_snapshot_resources() {
    // The renaming above compares ARNs as local references; the index must link them too.
    for (scenario, _) in LIVE {
        let inv = load_file(
            &scenario_dir(scenario).join("snapshot.json"),
            InputKind::Snapshot,
        );
        let ix = inv.index();
        let target = |v: &Value<Target>| v.get().cloned().unwrap();
        let mut to_functions: Vec<Target> = inv
            .function_urls
            .iter()
            .map(|u| target(&u.function))
            .collect();
        to_functions.extend(inv.permissions.iter().map(|p| target(&p.function)));
        to_functions.extend(
            inv.event_source_mappings
                .iter()
                .map(|e| target(&e.function)),
        );
        for t in &to_functions {
            assert!(ix.resolve::<Function>(t).is_some(), "{scenario}: {t}");
        }
        for f in &inv.functions {
            let role = target(f.role.as_ref().unwrap());
            assert!(ix.resolve::<Role>(&role).is_some(), "{scenario}: {role}");
            for v in f.vpc.iter().flat_map(|v| &v.subnets) {
                assert!(ix.resolve::<Subnet>(&target(v)).is_some(), "{scenario}");
            }
            for v in f.vpc.iter().flat_map(|v| &v.security_groups) {
                assert!(
                    ix.resolve::<SecurityGroup>(&target(v)).is_some(),
                    "{scenario}"
                );
            }
        }
    }
}

#[test]
fn live_masking_keeps_values_references_and_resources() {
    let (scenario, live) = &LIVE[1];
    let dir = scenario_dir(scenario);
    let ids = SCENARIOS[1].1;
    let cfn = normalise(
        &load_file(&dir.join("cfn.yaml"), InputKind::CloudFormation),
        ids,
        0,
    );
    let inv = load_file(&dir.join("snapshot.json"), InputKind::Snapshot);
    let snapshot = normalise_live(&inv, live);
    assert!(live_differences(&cfn, &snapshot).is_empty());
    assert_eq!(
        snapshot["function_urls"][0]["function"]["value"]["type"],
        "local"
    );

    // A value AWS answers differently is a difference, even where templates leave a default.
    let mut changed = snapshot.clone();
    changed["functions"][0]["ephemeral_storage_mb"]["value"] = J::from(1024);
    assert_eq!(live_differences(&cfn, &changed).len(), 1);
    // A reference to another function is not linked.
    let mut changed = snapshot.clone();
    changed["function_urls"][0]["function"]["value"] = serde_json::json!({"type": "arn", "value": "arn:aws:lambda:eu-west-1:111122223333:function:other"});
    let diffs = live_differences(&cfn, &changed);
    assert!(
        !diffs.is_empty()
            && diffs
                .iter()
                .all(|d| d.starts_with(".function_urls[0].function.value")),
        "{diffs:?}"
    );
    // Only the listed resources of the account are left out.
    let unlisted = Live {
        ids: live.ids,
        external: &[],
    };
    let diffs = live_differences(&cfn, &normalise_live(&inv, &unlisted));
    assert!(diffs.iter().any(|d| d.starts_with(".roles")), "{diffs:?}");
    // A value AWS fills is dropped only where the template has none.
    let mut named = cfn.clone();
    named["function_urls"][0]["invoke_mode"] =
        serde_json::json!({"origin": null, "state": "explicit", "value": "RESPONSE_STREAM"});
    let diffs = live_differences(&named, &snapshot);
    assert_eq!(diffs.len(), 1, "{diffs:?}");
}
