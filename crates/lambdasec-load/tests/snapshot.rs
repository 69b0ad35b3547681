//! Snapshot files through discovery and the loader, from a hand-written fixture.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed expectation is a failed test"
)]

use lambdasec_load::{LoadOptions, discover, load};
use lambdasec_model::{
    InputKind, Inventory, Level, Origin, PackageType, Principal, RecursiveLoop, SourceMap, Target,
    UpdateRuntimeOn, UrlAuthType,
};
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/snapshot")
        .join(name)
}

fn load_fixture(name: &str) -> Inventory {
    let sources = SourceMap::new();
    let d = discover(&[fixture(name)], &sources);
    assert!(d.errors.is_empty(), "{:?}", d.errors);
    assert_eq!(d.units.len(), 1);
    assert_eq!(d.units[0].kind, InputKind::Snapshot);
    load(&d.units[0], &sources, &LoadOptions::default())
}

fn live(o: &Origin) -> (String, String) {
    match o.anchor() {
        Origin::Live { arn, field } => (arn.clone(), field.clone()),
        other => panic!("expected a live origin: {other:?}"),
    }
}

#[test]
fn loads_every_kind_with_live_locations() {
    let inv = load_fixture("two-regions.json");
    assert_eq!(inv.input, Some(InputKind::Snapshot));
    assert_eq!(inv.account_id.as_deref(), Some("111122223333"));
    // two regions: no single region for the inventory
    assert_eq!(inv.region, None);

    // The same function name in two regions is two functions, told apart by ARN.
    assert_eq!(inv.functions.len(), 2);
    let ix = inv.index();
    let eu = inv
        .functions
        .iter()
        .find(|f| {
            f.meta.arn.as_deref() == Some("arn:aws:lambda:eu-west-1:111122223333:function:orders")
        })
        .unwrap();
    let us = inv.functions.iter().find(|f| f.is_image()).unwrap();
    assert_eq!(us.package_type.get(), Some(&PackageType::Image));
    assert!(matches!(
        us.code.as_ref().and_then(|c| c.get()),
        Some(lambdasec_model::Code::Image { uri }) if uri.ends_with(":latest")
    ));

    let token = eu
        .env_vars()
        .iter()
        .find(|v| v.name == "API_TOKEN")
        .unwrap();
    assert_eq!(
        live(token.value.origin()),
        (
            "arn:aws:lambda:eu-west-1:111122223333:function:orders".to_owned(),
            "Configuration.Environment.Variables.API_TOKEN".to_owned()
        )
    );
    assert_eq!(
        eu.reserved_concurrency.as_ref().and_then(|c| c.get()),
        Some(&10)
    );
    assert_eq!(eu.recursive_loop.get(), Some(&RecursiveLoop::Allow));
    assert_eq!(
        eu.runtime_management
            .as_ref()
            .and_then(|r| r.update_runtime_on.get()),
        Some(&UpdateRuntimeOn::Manual)
    );
    assert_eq!(eu.layers.len(), 1);
    let role = ix
        .role(eu.role.as_ref().unwrap())
        .expect("role resolves by ARN");
    assert_eq!(role.meta.id, "orders-exec");
    assert_eq!(role.inline_policies.len(), 1);
    assert!(role.permissions_boundary.is_some());
    let managed = ix
        .get::<lambdasec_model::Policy>(&role.managed_policies[0])
        .expect("managed policy document");
    assert!(
        managed
            .document
            .to_json_text()
            .contains("logs:PutLogEvents")
    );

    // VPC: subnet and group resolve by id.
    let vpc = eu.vpc.as_ref().unwrap();
    let subnet = ix.get::<lambdasec_model::Subnet>(&vpc.subnets[0]).unwrap();
    assert_eq!(
        subnet.availability_zone.as_ref().and_then(|z| z.as_str()),
        Some("eu-west-1a")
    );
    let sg = ix
        .get::<lambdasec_model::SecurityGroup>(&vpc.security_groups[0])
        .unwrap();
    assert_eq!(sg.ingress.len(), 1);
    assert_eq!(sg.egress.len(), 2, "one rule per CIDR");

    // Permissions: the statement on the alias ARN is the alias's.
    let anyone = inv
        .permissions
        .iter()
        .find(|p| p.principal.get() == Some(&Principal::Any))
        .unwrap();
    assert!(anyone.qualifier.is_none());
    assert_eq!(
        live(&anyone.principal.origin).1,
        "Policy.Statement[0].Principal"
    );
    let partner = inv
        .permissions
        .iter()
        .find(|p| p.principal.get().and_then(Principal::account) == Some("444455556666"))
        .unwrap();
    assert_eq!(
        partner.qualifier.as_ref().and_then(|q| q.as_str()),
        Some("live")
    );
    assert!(ix.points_to(&partner.function, eu));

    // URL on the alias, invoke config, event source mapping, queue.
    let url = &inv.function_urls[0];
    assert_eq!(url.auth_type.get(), Some(&UrlAuthType::None));
    assert_eq!(
        url.qualifier.as_ref().and_then(|q| q.as_str()),
        Some("live")
    );
    assert!(ix.points_to(&url.function, eu));
    assert_eq!(
        url.cors
            .as_ref()
            .unwrap()
            .allow_credentials
            .as_ref()
            .and_then(|b| b.get()),
        Some(&true)
    );
    let eic = &inv.event_invoke_configs[0];
    assert_eq!(
        eic.qualifier.as_ref().and_then(|q| q.as_str()),
        Some("$LATEST")
    );
    assert_eq!(
        eic.on_failure.as_ref().and_then(|t| t.get()),
        Some(&Target::Arn(
            "arn:aws:sqs:eu-west-1:111122223333:orders-dlq".into()
        ))
    );
    let esm = &inv.event_source_mappings[0];
    let queue = ix
        .get::<lambdasec_model::Queue>(esm.event_source.as_ref().unwrap())
        .unwrap();
    assert_eq!(queue.visibility_timeout_seconds.get(), Some(&30));
    assert!(queue.policy.as_ref().unwrap().get("Statement").is_some());
    assert!(queue.dead_letter_target.is_none());

    // Log group ARN without the `:*` of DescribeLogGroups.
    assert_eq!(
        inv.log_groups[0].meta.arn.as_deref(),
        Some("arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/orders")
    );
    assert!(inv.log_groups[0].retention_days.is_none());

    // Trail with data events.
    let trail = &inv.trails[0];
    assert!(trail.is_organization_trail.is(|b| *b));
    assert_eq!(
        trail.event_selectors[0].data_resources[0].values[0].as_str(),
        Some("arn:aws:lambda")
    );

    // Region settings: EU assessed (Lambda Protection off, Inspector Lambda on, code scanning
    // off); US not assessed for GuardDuty (the call was denied), so unknown rather than off.
    let eu_settings = inv
        .accounts
        .iter()
        .find(|a| a.region.as_str() == Some("eu-west-1"))
        .unwrap();
    assert_eq!(
        eu_settings
            .guardduty_lambda_protection
            .as_ref()
            .and_then(|v| v.get()),
        Some(&false)
    );
    assert_eq!(
        eu_settings
            .inspector_lambda_scanning
            .as_ref()
            .and_then(|v| v.get()),
        Some(&true)
    );
    assert_eq!(
        eu_settings
            .inspector_lambda_code_scanning
            .as_ref()
            .and_then(|v| v.get()),
        Some(&false)
    );
    let us_settings = inv
        .accounts
        .iter()
        .find(|a| a.region.as_str() == Some("us-east-1"))
        .unwrap();
    assert!(us_settings.guardduty_lambda_protection.is_none());

    // Not-assessed markers are typed, located at the resource and the call.
    assert_eq!(inv.not_assessed.len(), 2);
    let get_policy = inv
        .not_assessed
        .iter()
        .find(|g| g.action == "lambda:GetPolicy")
        .unwrap();
    assert_eq!(
        live(&get_policy.origin),
        (
            "arn:aws:lambda:us-east-1:111122223333:function:orders".to_owned(),
            "lambda:GetPolicy".to_owned()
        )
    );
    assert_eq!(get_policy.account.as_deref(), Some("111122223333"));
    assert_eq!(get_policy.region.as_deref(), Some("us-east-1"));
    let us_orders = inv
        .functions
        .iter()
        .find(|f| f.meta.arn.as_deref() == get_policy.resource.as_deref())
        .unwrap();
    assert!(get_policy.covers(&us_orders.meta));
    assert!(!get_policy.covers(&inv.functions[0].meta) || inv.functions[0].meta == us_orders.meta);
    let guardduty = inv
        .not_assessed
        .iter()
        .find(|g| g.service() == "guardduty")
        .unwrap();
    assert!(guardduty.resource.is_none());
    assert!(guardduty.covers(&us_settings.meta));
    assert!(!guardduty.covers(&eu_settings.meta));
    // Local references all resolve, and failed calls are not warnings: no diagnostics.
    assert!(inv.diagnostics.is_empty(), "{:#?}", inv.diagnostics);
}

#[test]
fn compressed_snapshots_are_discovered_and_loaded() {
    use std::io::Write as _;
    let dir = std::env::temp_dir().join(format!("lambdasec-gz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read(fixture("two-regions.json")).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&text).unwrap();
    std::fs::write(dir.join("prod.json.gz"), gz.finish().unwrap()).unwrap();
    // Other gzip files are not inputs.
    std::fs::write(dir.join("access.log.gz"), b"not read").unwrap();
    let sources = SourceMap::new();
    let d = discover(std::slice::from_ref(&dir), &sources);
    assert!(d.errors.is_empty(), "{:?}", d.errors);
    assert_eq!(d.units.len(), 1);
    let inv = load(&d.units[0], &sources, &LoadOptions::default());
    assert_eq!(inv, load_fixture("two-regions.json"));

    std::fs::write(dir.join("broken.json.gz"), b"\x1f\x8b garbage").unwrap();
    let d = discover(&[dir.join("broken.json.gz")], &SourceMap::new());
    assert!(
        d.errors[0].message.starts_with("cannot decompress"),
        "{:?}",
        d.errors
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_saved_inventory_round_trips_through_serde() {
    let inv = load_fixture("two-regions.json");
    let text = serde_json::to_string(&inv).unwrap();
    let back: Inventory = serde_json::from_str(&text).unwrap();
    assert_eq!(back, inv);
}

#[test]
fn broken_snapshots_are_located_errors() {
    let sources = SourceMap::new();
    let id = sources.add(
        "bad.json",
        "{\"lambdasec_snapshot\": 1, \"accounts\": [{\"regions\": 7}]}",
    );
    let unit = lambdasec_load::Unit {
        kind: InputKind::Snapshot,
        root: PathBuf::from("bad.json"),
        files: vec![id],
    };
    let inv = load(&unit, &sources, &LoadOptions::default());
    assert_eq!(inv.diagnostics.len(), 1);
    let d = &inv.diagnostics[0];
    assert_eq!(d.level, Level::Error);
    assert!(d.message.starts_with("bad.json:1:"), "{}", d.message);
    assert_eq!(d.origin.file(), Some(id));
}
