//! The rule test suite: one walk over every fixture folder, and the meta-tests that keep the
//! catalog honest.
//!
//! `tests/fixtures/<CODE>/bad.<kind>` must produce the rule's finding (the rendered findings are
//! snapshot-tested with insta), `good.<kind>` must produce none of it. `<kind>` is `cfn.yaml`,
//! `sam.yaml`, `tf`, `sls.yml` or `live.json`. Code and layer content that fixtures name lives
//! in `tests/fixtures/<CODE>/artifacts/`.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failure is a test failure"
)]

use lambdasec_load::{LoadOptions, PackageScan, discover, load};
use lambdasec_model::{Inventory, Origin, SourceMap};
use lambdasec_rules::{Date, Finding, Input, RuleConfig, Selection, registry, run};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The input kinds whose loaders exist; every rule must have fixtures for the ones it declares.
const LOADED_INPUTS: &[Input] = &[
    Input::CloudFormation,
    Input::Sam,
    Input::Terraform,
    Input::Serverless,
    Input::Live,
];

/// Fixtures are judged on a fixed date so runtime lifecycle findings are stable, with the
/// opt-in checks on (IAM010) so their fixtures can fire.
fn config() -> RuleConfig {
    RuleConfig {
        today: Date::from_ymd(2027, 1, 15).expect("valid date"),
        require_permissions_boundary: true,
        ..RuleConfig::default()
    }
}

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn load_fixture(path: &Path) -> (SourceMap, Vec<Inventory>) {
    let sources = SourceMap::new();
    let d = discover(&[path.to_path_buf()], &sources);
    assert!(d.errors.is_empty(), "{}: {:?}", path.display(), d.errors);
    assert_eq!(d.units.len(), 1, "{}: expected one unit", path.display());
    // The package scan reads the code the fixture names (SEC002, SEC003), from `artifacts/`.
    let options = LoadOptions {
        packages: Some(PackageScan::default()),
        ..LoadOptions::default()
    };
    let inventories = d
        .units
        .iter()
        .map(|u| load(u, &sources, &options))
        .collect();
    (sources, inventories)
}

fn location(sources: &SourceMap, origin: &Origin) -> String {
    match origin.anchor() {
        Origin::Source { file, span, path } => {
            let Some(f) = sources.get(*file) else {
                return format!("?:{path}");
            };
            let lc = f.line_col(span.start);
            let name = Path::new(&f.path)
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            let implied = if origin.is_implied() {
                " (default)"
            } else {
                ""
            };
            format!("{name}:{}:{} {path}{implied}", lc.line, lc.column)
        }
        Origin::Live { arn, field } => format!("{arn} {field}"),
        _ => "-".to_owned(),
    }
}

fn render(sources: &SourceMap, findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        let _ = writeln!(
            out,
            "{} {} {} [{} {}]\n  {}",
            f.code,
            f.severity,
            location(sources, &f.location),
            f.resource.kind,
            f.resource.id,
            f.message
        );
        for r in &f.related {
            let _ = writeln!(
                out,
                "  related: {} {}",
                location(sources, &r.location),
                r.message
            );
        }
        if let Some(fix) = &f.fix {
            let _ = writeln!(out, "  fix ({:?}): {}", fix.applicability, fix.message);
        }
    }
    out
}

fn run_rule(code: &str, path: &Path) -> (String, usize, Vec<String>) {
    let (sources, inventories) = load_fixture(path);
    let selection = Selection {
        select: vec![code.to_owned()],
        ignore: vec![],
    };
    let config = config();
    let mut text = String::new();
    let mut count = 0;
    let mut errors = Vec::new();
    for inv in &inventories {
        errors.extend(
            inv.diagnostics
                .iter()
                .filter(|d| d.level == lambdasec_model::Level::Error)
                .map(|d| d.message.clone()),
        );
        let outcome = run(inv, &config, &selection, &[], &|_| None);
        count += outcome.findings.iter().filter(|f| f.code == code).count();
        text.push_str(&render(&sources, &outcome.findings));
    }
    (text, count, errors)
}

#[test]
fn fixtures() {
    let mut checked = 0;
    let mut failures = Vec::new();
    for rule in registry::all() {
        let meta = rule.meta();
        let dir = fixtures_dir().join(meta.code);
        for input in meta.inputs {
            for polarity in ["bad", "good"] {
                let path = dir.join(format!("{polarity}.{}", input.fixture_suffix()));
                if !path.exists() {
                    continue;
                }
                checked += 1;
                let (text, count, errors) = run_rule(meta.code, &path);
                if !errors.is_empty() {
                    failures.push(format!("{}: load errors {errors:?}", path.display()));
                    continue;
                }
                match polarity {
                    "bad" if count == 0 => failures.push(format!(
                        "{}: expected {} to fire, it did not",
                        path.display(),
                        meta.code
                    )),
                    "good" if count > 0 => failures.push(format!(
                        "{}: expected no {}, got:\n{text}",
                        path.display(),
                        meta.code
                    )),
                    "bad" => {
                        let name = format!("{}-{}", meta.code, input.as_str());
                        insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false }, {
                            insta::assert_snapshot!(name, text);
                        });
                    }
                    _ => {}
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked > 0, "no fixture was checked");
}

#[test]
fn every_rule_has_fixtures_for_its_loaded_inputs() {
    let mut missing = Vec::new();
    for rule in registry::all() {
        let meta = rule.meta();
        for input in meta.inputs.iter().filter(|i| LOADED_INPUTS.contains(i)) {
            for polarity in ["bad", "good"] {
                let path = fixtures_dir()
                    .join(meta.code)
                    .join(format!("{polarity}.{}", input.fixture_suffix()));
                if !path.exists() {
                    missing.push(path.display().to_string());
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "missing fixtures:\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_fixture_folder_names_a_rule_and_a_declared_input() {
    for entry in std::fs::read_dir(fixtures_dir()).expect("fixtures dir") {
        let entry = entry.expect("entry");
        let code = entry.file_name().to_string_lossy().into_owned();
        let rule =
            registry::find(&code).unwrap_or_else(|| panic!("fixture folder {code} names no rule"));
        for file in std::fs::read_dir(entry.path()).expect("rule dir") {
            let name = file
                .expect("file")
                .file_name()
                .to_string_lossy()
                .into_owned();
            if name == "artifacts" {
                // The code and layer content the fixtures name (package scan).
                continue;
            }
            let (polarity, suffix) = name.split_once('.').unwrap_or((&name, ""));
            assert!(
                matches!(polarity, "bad" | "good"),
                "{code}/{name}: fixtures are bad.* or good.*"
            );
            assert!(
                rule.meta()
                    .inputs
                    .iter()
                    .any(|i| i.fixture_suffix() == suffix),
                "{code}/{name}: not an input kind the rule declares"
            );
        }
    }
}

#[test]
fn codes_are_unique_sorted_and_well_formed() {
    let metas: Vec<_> = registry::all().iter().map(|r| r.meta()).collect();
    for pair in metas.windows(2) {
        assert!(
            pair[0].code < pair[1].code,
            "{} before {}",
            pair[0].code,
            pair[1].code
        );
    }
    let mut names: Vec<_> = metas.iter().map(|m| m.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), metas.len(), "rule names are unique");
    for m in &metas {
        let (area, num) = m.code.split_at(m.code.len().saturating_sub(3));
        assert!(
            (2..=3).contains(&area.len()) && area.chars().all(|c| c.is_ascii_uppercase()),
            "{}",
            m.code
        );
        assert!(
            num.len() == 3 && num.chars().all(|c| c.is_ascii_digit()),
            "{}",
            m.code
        );
        assert!(
            m.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{}: kebab-case name",
            m.name
        );
        assert!(!m.kinds.is_empty() && !m.inputs.is_empty(), "{}", m.code);
    }
}

#[test]
fn docs_have_their_sections() {
    for rule in registry::all() {
        let m = rule.meta();
        for section in [
            "What it does",
            "Why is this bad",
            "Example",
            "Remediation",
            "References",
        ] {
            let text = m.doc_section(section);
            assert!(
                text.as_deref().is_some_and(|t| !t.is_empty()),
                "{}: docs lack `## {section}`",
                m.code
            );
        }
        assert!(
            m.doc_section("References")
                .is_some_and(|r| r.contains("https://")),
            "{}: references must link somewhere",
            m.code
        );
    }
}

/// `docs/rules/<CODE>.md` and the README's rule table are generated from the registry; this test
/// fails when they are stale. `UPDATE_DOCS=1 cargo test -p lambdasec-rules --test rules docs`
/// rewrites them.
#[test]
fn docs_are_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let update = std::env::var_os("UPDATE_DOCS").is_some();
    let dir = root.join("docs/rules");
    let mut stale = Vec::new();
    if update {
        std::fs::create_dir_all(&dir).unwrap();
    }
    for rule in registry::all() {
        let m = rule.meta();
        let path = dir.join(format!("{}.md", m.code));
        let want = lambdasec_rules::docs::rule_page(m);
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        if have != want {
            if update {
                std::fs::write(&path, want).unwrap();
            } else {
                stale.push(path.display().to_string());
            }
        }
    }
    for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let code = name.trim_end_matches(".md");
        if registry::find(code).is_none() {
            stale.push(format!("{} (no such rule)", entry.path().display()));
        }
    }
    let readme_path = root.join("README.md");
    let readme = std::fs::read_to_string(&readme_path).unwrap_or_default();
    let (start, end) = ("<!-- rules:start -->\n", "<!-- rules:end -->");
    match (readme.find(start), readme.find(end)) {
        (Some(a), Some(b)) if a < b => {
            let table = lambdasec_rules::docs::rules_table();
            let current = &readme[a + start.len()..b];
            if current != table {
                if update {
                    let fresh = format!("{}{}{}", &readme[..a + start.len()], table, &readme[b..]);
                    std::fs::write(&readme_path, fresh).unwrap();
                } else {
                    stale.push("README.md rule table".into());
                }
            }
        }
        _ => stale
            .push("README.md lacks the <!-- rules:start --> / <!-- rules:end --> markers".into()),
    }
    assert!(
        stale.is_empty(),
        "stale generated docs (run `UPDATE_DOCS=1 cargo test -p lambdasec-rules --test rules docs`):\n{}",
        stale.join("\n")
    );
}
