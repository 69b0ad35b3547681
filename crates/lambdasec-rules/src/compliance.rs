//! Compliance frameworks: each control of a framework mapped to the rules that assess it, and
//! the evaluation of a scan into PASS / FAIL / SKIP per control and resource.
//!
//! The mappings are data, `compliance/<framework>.toml`, embedded in the binary. A control
//! passes for a resource when every rule that assesses it examined the resource (the rule ran,
//! the resource is of a kind the rule examines, the input kind carries the rule's data) and
//! none reported it; it fails when one did; it is skipped when no rule could examine it. A
//! finding suppressed with a reason does not fail the control: the risk was accepted.
//!
//! PASS is the rules' silence: a rule stays silent on values unknown offline, and on data that
//! usually lives in an account (a log group, a trail, a security group) when the project does
//! not declare it — such a resource passes, as it does with the peers' IaC checks. The controls'
//! notes say what their rules cover.

use crate::engine::{Outcome, Selection};
use crate::finding::ResourceRef;
use crate::registry;
use crate::rule::{Input, RuleMeta};
use lambdasec_model::{Inventory, Origin, ResourceKind};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// The embedded mapping files: (file name, text).
const SOURCES: &[(&str, &str)] = &[
    ("aws-fsbp.toml", include_str!("../compliance/aws-fsbp.toml")),
    ("cis-aws.toml", include_str!("../compliance/cis-aws.toml")),
    (
        "owasp-serverless.toml",
        include_str!("../compliance/owasp-serverless.toml"),
    ),
    (
        "nist-800-204c.toml",
        include_str!("../compliance/nist-800-204c.toml"),
    ),
];

/// A compliance framework and its controls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    /// Short, stable name used on the command line (`aws-fsbp`).
    pub id: String,
    pub name: String,
    pub version: String,
    pub url: String,
    /// How the mapping reads the framework, where that needs saying.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(rename = "control")]
    pub controls: Vec<Control>,
}

/// One control of a framework and the rules that assess it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Control {
    pub id: String,
    pub title: String,
    /// Rule codes; empty when no rule assesses the control (it is always skipped).
    pub rules: Vec<String>,
    /// The resource kinds the control is about, when its rules examine more (`bucket` for an S3
    /// control assessed by a rule that also examines queues and topics); empty means all the
    /// kinds its rules examine.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kinds: Vec<ResourceKind>,
    /// What the rules cover of the control, where that is less than all of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// An embedded mapping file that does not parse (a bug caught by the tests).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("compliance/{file}: {message}")]
pub struct MappingError {
    pub file: &'static str,
    pub message: String,
}

/// Every embedded framework, in file order.
///
/// # Errors
/// When an embedded file does not parse (never in a tested build).
pub fn frameworks() -> Result<&'static [Framework], &'static MappingError> {
    static PARSED: OnceLock<Result<Vec<Framework>, MappingError>> = OnceLock::new();
    PARSED
        .get_or_init(|| {
            SOURCES
                .iter()
                .map(|(file, text)| {
                    toml::from_str::<Framework>(text).map_err(|e| MappingError {
                        file,
                        message: e.to_string(),
                    })
                })
                .collect()
        })
        .as_ref()
        .map(Vec::as_slice)
}

/// A framework by id (case-insensitive).
pub fn framework(id: &str) -> Option<&'static Framework> {
    frameworks()
        .ok()?
        .iter()
        .find(|f| f.id.eq_ignore_ascii_case(id.trim()))
}

/// The controls that a rule assesses, across frameworks.
pub fn mappings(code: &str) -> Vec<(&'static Framework, &'static Control)> {
    let Ok(all) = frameworks() else {
        return Vec::new();
    };
    all.iter()
        .flat_map(|f| {
            f.controls
                .iter()
                .filter(|c| c.rules.iter().any(|r| r.eq_ignore_ascii_case(code)))
                .map(move |c| (f, c))
        })
        .collect()
}

/// The verdict of a control, for one resource or overall.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Status {
    Fail,
    Pass,
    Skip,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Fail => "FAIL",
            Status::Pass => "PASS",
            Status::Skip => "SKIP",
        }
    }

    /// Fail wins over pass, pass over skip.
    fn combine(self, other: Status) -> Status {
        self.min(other)
    }
}

/// A control's verdict for one resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResourceResult {
    pub resource: ResourceRef,
    /// The resource's declaration.
    pub origin: Origin,
    pub status: Status,
    /// The codes that reported the resource (FAIL).
    pub failed: Vec<&'static str>,
    /// Findings on the resource suppressed with a reason (they do not fail the control).
    pub suppressed: Vec<&'static str>,
    /// Why the resource was not assessed (SKIP).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A control's verdict over a scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ControlResult {
    pub id: String,
    pub title: String,
    pub rules: Vec<String>,
    pub status: Status,
    pub resources: Vec<ResourceResult>,
    /// Why the control as a whole was not assessed (SKIP).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A framework's verdicts over a scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComplianceReport {
    pub framework: String,
    pub name: String,
    pub version: String,
    pub url: String,
    pub controls: Vec<ControlResult>,
}

impl ComplianceReport {
    /// Controls per status.
    pub fn counts(&self) -> (usize, usize, usize) {
        let n = |s| self.controls.iter().filter(|c| c.status == s).count();
        (n(Status::Pass), n(Status::Fail), n(Status::Skip))
    }
}

/// Why a rule cannot examine an inventory, or `None` when it can.
fn not_applicable(rule: &RuleMeta, inventory: &Inventory, selection: &Selection) -> Option<String> {
    let found = registry::find(rule.code)?;
    if !selection.enabled(found) {
        return Some(format!("{} not selected", rule.code));
    }
    let input = inventory.input.map(Input::of)?;
    (!rule.inputs.contains(&input)).then(|| {
        format!(
            "{} cannot be assessed from {} input",
            rule.code,
            input.as_str()
        )
    })
}

/// Evaluate `framework` over one inventory and the outcome of running the rules on it.
pub fn evaluate(
    framework: &Framework,
    inventory: &Inventory,
    outcome: &Outcome,
    selection: &Selection,
) -> ComplianceReport {
    let controls = framework
        .controls
        .iter()
        .map(|c| evaluate_control(c, inventory, outcome, selection))
        .collect();
    ComplianceReport {
        framework: framework.id.clone(),
        name: framework.name.clone(),
        version: framework.version.clone(),
        url: framework.url.clone(),
        controls,
    }
}

fn evaluate_control(
    control: &Control,
    inventory: &Inventory,
    outcome: &Outcome,
    selection: &Selection,
) -> ControlResult {
    let rules: Vec<&'static RuleMeta> = control
        .rules
        .iter()
        .filter_map(|code| registry::find(code).map(|r| r.meta()))
        .collect();
    let mut resources: Vec<ResourceResult> = Vec::new();
    for meta in inventory
        .metas()
        .filter(|m| control.kinds.is_empty() || control.kinds.contains(&m.kind))
    {
        let examining: Vec<&RuleMeta> = rules
            .iter()
            .copied()
            .filter(|r| r.kinds.contains(&meta.kind))
            .collect();
        if examining.is_empty() {
            continue;
        }
        let resource = ResourceRef::from(meta);
        let mut status = Status::Skip;
        let mut failed = Vec::new();
        let mut suppressed = Vec::new();
        let mut reasons = Vec::new();
        for rule in examining {
            if let Some(why) = not_applicable(rule, inventory, selection) {
                reasons.push(why);
                continue;
            }
            // A call the rule's evidence comes from failed for this resource.
            if let Some(gap) = outcome
                .not_assessed
                .iter()
                .find(|e| e.rules.contains(&rule.code) && e.resource.as_ref() == Some(&resource))
            {
                reasons.push(format!("{} not assessed: {}", rule.code, gap.gap.summary()));
                continue;
            }
            let reported = outcome
                .findings
                .iter()
                .any(|f| f.code == rule.code && f.resource == resource);
            if reported {
                failed.push(rule.code);
                status = status.combine(Status::Fail);
            } else {
                if outcome
                    .suppressed
                    .iter()
                    .any(|s| s.finding.code == rule.code && s.finding.resource == resource)
                {
                    suppressed.push(rule.code);
                }
                status = status.combine(Status::Pass);
            }
        }
        resources.push(ResourceResult {
            resource,
            origin: meta.origin.clone(),
            status,
            failed,
            suppressed,
            reason: (status == Status::Skip).then(|| reasons.join("; ")),
        });
    }
    let status = resources
        .iter()
        .map(|r| r.status)
        .fold(Status::Skip, Status::combine);
    let reason = if rules.is_empty() {
        Some("no lambdasec rule assesses this control".to_owned())
    } else if resources.is_empty() {
        Some("no resource of the kinds its rules examine".to_owned())
    } else if status == Status::Skip {
        Some("no resource could be assessed".to_owned())
    } else {
        None
    };
    ControlResult {
        id: control.id.clone(),
        title: control.title.clone(),
        rules: control.rules.clone(),
        status,
        resources,
        reason,
    }
}

/// Merge the reports of several inventories (one per scan unit) of the same framework.
pub fn merge(reports: Vec<ComplianceReport>) -> Option<ComplianceReport> {
    let mut it = reports.into_iter();
    let mut merged = it.next()?;
    for r in it {
        for (into, from) in merged.controls.iter_mut().zip(r.controls) {
            into.resources.extend(from.resources);
            into.status = into.status.combine(from.status);
            into.reason = match (into.status, into.reason.take(), from.reason) {
                (Status::Skip, Some(a), _) => Some(a),
                (Status::Skip, None, b) => b,
                _ => None,
            };
        }
    }
    Some(merged)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::RuleConfig;
    use lambdasec_model::{
        FileId, Function, InputKind, Meta, ResourceKind, Span, TracingMode, Value,
    };

    #[test]
    fn embedded_files_parse_and_name_real_rules() {
        let all = frameworks().expect("embedded mappings parse");
        assert_eq!(all.len(), SOURCES.len());
        let mut ids: Vec<&str> = all.iter().map(|f| f.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), all.len(), "framework ids are unique");
        for f in all {
            assert!(!f.controls.is_empty(), "{}: no controls", f.id);
            assert!(f.url.starts_with("https://"), "{}: url", f.id);
            let mut controls: Vec<&str> = f.controls.iter().map(|c| c.id.as_str()).collect();
            controls.sort_unstable();
            controls.dedup();
            assert_eq!(
                controls.len(),
                f.controls.len(),
                "{}: duplicate control ids",
                f.id
            );
            for c in &f.controls {
                assert!(!c.title.is_empty(), "{} {}: title", f.id, c.id);
                for kind in &c.kinds {
                    assert!(
                        c.rules
                            .iter()
                            .filter_map(|r| registry::find(r))
                            .any(|r| r.meta().kinds.contains(kind)),
                        "{} {}: no rule of the control examines `{kind}`",
                        f.id,
                        c.id
                    );
                }
                for code in &c.rules {
                    let rule = registry::find(code);
                    assert!(
                        rule.is_some_and(|r| r.meta().code == code),
                        "{} {}: `{code}` is not the code of a rule",
                        f.id,
                        c.id
                    );
                }
            }
        }
        let fsbp = framework("AWS-FSBP").expect("aws-fsbp");
        let s3 = fsbp.controls.iter().find(|c| c.id == "S3.3").expect("S3.3");
        assert_eq!(s3.kinds, [ResourceKind::Bucket]);
        assert!(framework("nope").is_none());
    }

    #[test]
    fn every_rule_maps_somewhere() {
        let unmapped: Vec<&str> = registry::all()
            .iter()
            .map(|r| r.meta().code)
            .filter(|code| mappings(code).is_empty())
            .collect();
        assert!(unmapped.is_empty(), "rules in no framework: {unmapped:?}");
    }

    fn function(id: &str, tracing: TracingMode) -> Function {
        let o = Origin::source(FileId(0), Span::new(0, 1), format!("Resources.{id}"));
        let mut f = Function::new(Meta::new(id, ResourceKind::Function, o.clone()));
        f.tracing = Value::explicit(tracing, o);
        f
    }

    #[test]
    fn resources_a_failed_call_leaves_without_evidence_are_skipped() {
        let arn = "arn:aws:lambda:eu-west-1:111122223333:function:orders";
        let o = Origin::live(arn, "Configuration");
        let mut meta = Meta::new("orders", ResourceKind::Function, o.clone());
        meta.arn = Some(arn.to_owned());
        let mut inv = Inventory::new(InputKind::Snapshot);
        inv.functions.push(Function::new(meta));
        let fw = Framework {
            id: "t".into(),
            name: "test".into(),
            version: "1".into(),
            url: "https://example.com".into(),
            note: None,
            controls: vec![Control {
                id: "T.1".into(),
                title: "concurrency".into(),
                rules: vec!["AVL001".into()],
                kinds: vec![],
                note: None,
            }],
        };
        let all = Selection::default();
        let config = RuleConfig::default();
        let outcome = crate::run(&inv, &config, &all, &[], &|_| None);
        assert_eq!(
            evaluate(&fw, &inv, &outcome, &all).controls[0].status,
            Status::Fail
        );
        inv.not_assessed.push(lambdasec_model::NotAssessed {
            account: Some("111122223333".into()),
            region: Some("eu-west-1".into()),
            action: "lambda:GetFunction".into(),
            operation: None,
            resource: Some(arn.into()),
            error_code: "AccessDeniedException".into(),
            message: "denied".into(),
            origin: o,
        });
        let outcome = crate::run(&inv, &config, &all, &[], &|_| None);
        let c = &evaluate(&fw, &inv, &outcome, &all).controls[0];
        assert_eq!(c.status, Status::Skip);
        assert_eq!(
            c.resources[0].reason.as_deref(),
            Some("AVL001 not assessed: `lambda:GetFunction` failed (AccessDeniedException)")
        );
    }

    #[test]
    fn pass_fail_skip_per_resource() {
        let mut inv = Inventory::new(InputKind::CloudFormation);
        inv.functions.push(function("Traced", TracingMode::Active));
        inv.functions
            .push(function("Untraced", TracingMode::PassThrough));
        let config = RuleConfig::default();
        let all = Selection::default();
        let outcome = crate::run(&inv, &config, &all, &[], &|_| None);
        let fw = Framework {
            id: "t".into(),
            name: "test".into(),
            version: "1".into(),
            url: "https://example.com".into(),
            note: None,
            controls: vec![
                Control {
                    id: "T.1".into(),
                    title: "tracing".into(),
                    rules: vec!["OBS001".into()],
                    kinds: vec![],
                    note: None,
                },
                Control {
                    id: "T.2".into(),
                    title: "keys".into(),
                    rules: vec!["ENC002".into()],
                    kinds: vec![],
                    note: None,
                },
                Control {
                    id: "T.3".into(),
                    title: "nothing".into(),
                    rules: vec![],
                    kinds: vec![],
                    note: None,
                },
            ],
        };
        let r = evaluate(&fw, &inv, &outcome, &all);
        let t1 = &r.controls[0];
        assert_eq!(t1.status, Status::Fail);
        let by_id: Vec<(&str, Status)> = t1
            .resources
            .iter()
            .map(|x| (x.resource.id.as_str(), x.status))
            .collect();
        assert_eq!(
            by_id,
            [("Traced", Status::Pass), ("Untraced", Status::Fail)]
        );
        assert_eq!(t1.resources[1].failed, ["OBS001"]);
        // No KMS key in the inventory: nothing to assess.
        assert_eq!(r.controls[1].status, Status::Skip);
        assert!(r.controls[1].reason.is_some());
        assert_eq!(r.controls[2].status, Status::Skip);
        assert_eq!(r.counts(), (0, 1, 2));

        // A rule not selected is skipped, not passed.
        let other = Selection {
            select: vec!["ENC".into()],
            ignore: vec![],
        };
        let outcome = crate::run(&inv, &config, &other, &[], &|_| None);
        let r = evaluate(&fw, &inv, &outcome, &other);
        assert_eq!(r.controls[0].status, Status::Skip);
        assert!(
            r.controls[0].resources[0]
                .reason
                .as_deref()
                .is_some_and(|w| w.contains("not selected"))
        );

        // Merging two units: a failure anywhere fails the control.
        let mut passing = Inventory::new(InputKind::Sam);
        passing
            .functions
            .push(function("Other", TracingMode::Active));
        let p_out = crate::run(&passing, &config, &all, &[], &|_| None);
        let f_out = crate::run(&inv, &config, &all, &[], &|_| None);
        let merged = merge(vec![
            evaluate(&fw, &passing, &p_out, &all),
            evaluate(&fw, &inv, &f_out, &all),
        ])
        .unwrap();
        assert_eq!(merged.controls[0].status, Status::Fail);
        assert_eq!(merged.controls[0].resources.len(), 3);
    }

    #[test]
    fn input_kinds_without_the_data_are_skipped() {
        // ENC002 does not read serverless.yml: a KMS key there is skipped.
        let o = Origin::Unknown;
        let mut inv = Inventory::new(InputKind::Serverless);
        inv.kms_keys.push(lambdasec_model::KmsKey {
            meta: Meta::new("Key", ResourceKind::KmsKey, o.clone()),
            manager: Value::default(lambdasec_model::KeyManager::Customer, &o),
            description: None,
            enabled: Value::default(true, &o),
            rotation_enabled: Value::default(false, &o),
            key_spec: Value::default("SYMMETRIC_DEFAULT".into(), &o),
            key_policy: None,
            aliases: vec![],
        });
        let all = Selection::default();
        let outcome = crate::run(&inv, &RuleConfig::default(), &all, &[], &|_| None);
        let fw = Framework {
            id: "t".into(),
            name: "t".into(),
            version: "1".into(),
            url: "https://example.com".into(),
            note: None,
            controls: vec![Control {
                id: "K".into(),
                title: "rotation".into(),
                rules: vec!["ENC002".into()],
                kinds: vec![],
                note: None,
            }],
        };
        let r = evaluate(&fw, &inv, &outcome, &all);
        assert_eq!(r.controls[0].status, Status::Skip);
        assert!(
            r.controls[0].resources[0]
                .reason
                .as_deref()
                .is_some_and(|w| w.contains("serverless"))
        );
    }
}
