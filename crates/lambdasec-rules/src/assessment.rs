//! Rules left without evidence: which rules depend on which collection call, and the resources
//! a failed call leaves not assessed for them.
//!
//! A live collection records every call that failed ([`NotAssessed`]). A rule whose evidence
//! for a resource would have come from that call must neither pass nor fail it: the engine
//! withholds the rule's findings on the resources the gap covers and reports those resources
//! as not assessed for the rule.

use crate::finding::{Finding, ResourceRef};
use crate::rule::RuleMeta;
use lambdasec_model::{Inventory, Meta, NotAssessed};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// IAM actions (an exact action, or a `service:` prefix) and the rule codes (or code prefixes)
/// whose evidence they provide. `""` stands for every rule.
const DEPENDENTS: &[(&str, &[&str])] = &[
    ("sts:AssumeRole", &[""]),
    ("lambda:ListFunctions", &[""]),
    ("lambda:GetFunction", &["AVL001", "GOV001", "SUP004"]),
    (
        "lambda:GetPolicy",
        &[
            "RBP001", "RBP002", "RBP003", "RBP004", "RBP005", "RBP006", "URL004", "NET004",
        ],
    ),
    ("lambda:GetFunctionUrlConfig", &["URL", "NET004"]),
    (
        "lambda:ListAliases",
        &[
            "RBP001", "RBP002", "RBP003", "RBP004", "RBP005", "RBP006", "URL", "NET004",
        ],
    ),
    (
        "lambda:ListVersionsByFunction",
        &["RBP001", "RBP002", "RBP003", "RBP004", "RBP005", "RBP006"],
    ),
    ("lambda:GetFunctionCodeSigningConfig", &["SUP001"]),
    ("lambda:ListCodeSigningConfigs", &["SUP003"]),
    (
        "lambda:ListFunctionEventInvokeConfigs",
        &["AVL002", "AVL003"],
    ),
    ("lambda:GetFunctionRecursionConfig", &["AVL004"]),
    ("lambda:GetRuntimeManagementConfig", &["RT003"]),
    (
        "lambda:ListEventSourceMappings",
        &["AVL003", "EVT004", "EVT006", "SEC006"],
    ),
    ("lambda:ListLayers", &["RBP007", "SEC003"]),
    ("lambda:ListLayerVersions", &["RBP007", "SEC003"]),
    ("lambda:GetLayerVersionPolicy", &["RBP007"]),
    ("iam:", &["IAM", "NET001", "NET004", "OBS004"]),
    ("kms:", &["ENC002", "ENC003"]),
    ("logs:", &["OBS003", "ENC004"]),
    ("cloudtrail:", &["OBS002"]),
    ("guardduty:", &["OBS005"]),
    ("inspector2:", &["SUP006"]),
    ("cloudwatch:", &["AVL005"]),
    ("ec2:DescribeSecurityGroups", &["NET003"]),
    ("ec2:DescribeSubnets", &["NET002"]),
    (
        "apigateway:",
        &["EVT001", "EVT002", "EVT003", "NET004", "RBP005"],
    ),
    ("sqs:", &["EVT004", "EVT005", "EVT006"]),
    ("sns:", &["EVT005"]),
    ("s3:", &["EVT005"]),
];

/// True when a failed call of `action` leaves rule `code` without evidence.
pub fn depends_on(code: &str, action: &str) -> bool {
    DEPENDENTS.iter().any(|(pattern, codes)| {
        let matches = if pattern.ends_with(':') {
            action.starts_with(pattern)
        } else {
            action == *pattern
        };
        matches && codes.iter().any(|c| code.starts_with(c))
    })
}

/// A resource (or, when no resource can be named, the account and region of the gap) that
/// rules could not assess because a call failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotAssessedFor {
    /// The rules left without evidence, in code order.
    pub rules: Vec<&'static str>,
    /// The resource; `None` when the failed call would have listed the resources themselves.
    pub resource: Option<ResourceRef>,
    /// The call that failed.
    pub gap: NotAssessed,
}

/// Collects, rule by rule, what the inventory's gaps leave not assessed.
#[derive(Debug)]
pub(crate) struct Withheld<'a> {
    inventory: &'a Inventory,
    entries: BTreeMap<(usize, Option<ResourceRef>), Vec<&'static str>>,
    /// Resources by ARN, built on first use.
    by_arn: Option<HashMap<&'a str, &'a Meta>>,
}

impl<'a> Withheld<'a> {
    pub(crate) fn new(inventory: &'a Inventory) -> Self {
        Withheld {
            inventory,
            entries: BTreeMap::new(),
            by_arn: None,
        }
    }

    /// Drop `rule`'s findings on the resources its failed calls cover, and remember those
    /// resources as not assessed for it.
    pub(crate) fn apply(&mut self, rule: &'static RuleMeta, findings: &mut Vec<Finding>) {
        let gaps: Vec<(usize, &NotAssessed)> = self
            .inventory
            .not_assessed
            .iter()
            .enumerate()
            .filter(|(_, g)| depends_on(rule.code, &g.action))
            .collect();
        if gaps.is_empty() {
            return;
        }
        // Resource gaps by ARN; region and account gaps checked against every resource.
        let mut by_arn: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut wide = Vec::new();
        for (i, g) in &gaps {
            match &g.resource {
                Some(arn) => by_arn.entry(arn.as_str()).or_default().push(*i),
                None => wide.push((*i, *g)),
            }
        }
        let mut covered_any = vec![false; self.inventory.not_assessed.len()];
        let mut withheld: Vec<ResourceRef> = Vec::new();
        for meta in self
            .inventory
            .metas()
            .filter(|m| rule.kinds.contains(&m.kind))
        {
            let mut covering: Vec<usize> = meta
                .arn
                .as_deref()
                .and_then(|a| by_arn.get(a))
                .cloned()
                .unwrap_or_default();
            covering.extend(wide.iter().filter(|(_, g)| g.covers(meta)).map(|(i, _)| *i));
            if covering.is_empty() {
                continue;
            }
            let resource = ResourceRef::from(meta);
            for i in covering {
                if let Some(c) = covered_any.get_mut(i) {
                    *c = true;
                }
                self.note(i, Some(resource.clone()), rule.code);
            }
            withheld.push(resource);
        }
        // Gaps that cover no resource of the rule's kinds: the call would have listed them (or
        // attached them to the resource it was about).
        for (i, g) in gaps {
            if covered_any.get(i).copied().unwrap_or(true) {
                continue;
            }
            let owner = g
                .resource
                .as_deref()
                .and_then(|arn| self.owner(arn))
                .map(ResourceRef::from);
            if let Some(r) = &owner {
                withheld.push(r.clone());
            }
            self.note(i, owner, rule.code);
        }
        if !withheld.is_empty() {
            findings.retain(|f| !withheld.contains(&f.resource));
        }
    }

    /// The first resource with this ARN (a function before what hangs off it).
    fn owner(&mut self, arn: &str) -> Option<&'a Meta> {
        let inventory = self.inventory;
        let by_arn = self.by_arn.get_or_insert_with(|| {
            let mut map = HashMap::new();
            for m in inventory.metas() {
                if let Some(a) = m.arn.as_deref() {
                    map.entry(a).or_insert(m);
                }
            }
            map
        });
        by_arn.get(arn).copied()
    }

    fn note(&mut self, gap: usize, resource: Option<ResourceRef>, code: &'static str) {
        let codes = self.entries.entry((gap, resource)).or_default();
        if !codes.contains(&code) {
            codes.push(code);
        }
    }

    pub(crate) fn into_entries(self) -> Vec<NotAssessedFor> {
        let gaps = &self.inventory.not_assessed;
        self.entries
            .into_iter()
            .filter_map(|((i, resource), mut rules)| {
                rules.sort_unstable();
                Some(NotAssessedFor {
                    rules,
                    resource,
                    gap: gaps.get(i)?.clone(),
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{RuleConfig, Selection};
    use lambdasec_model::{
        Function, FunctionUrl, InputKind, Origin, ResourceKind, UrlAuthType, Value,
    };

    const F: &str = "arn:aws:lambda:eu-west-1:111122223333:function:orders";
    const G: &str = "arn:aws:lambda:eu-west-1:111122223333:function:billing";

    fn gap(action: &str, resource: Option<&str>) -> NotAssessed {
        NotAssessed {
            account: Some("111122223333".into()),
            region: Some("eu-west-1".into()),
            action: action.into(),
            operation: None,
            resource: resource.map(str::to_owned),
            error_code: "AccessDeniedException".into(),
            message: "denied".into(),
            origin: Origin::live(
                resource.unwrap_or("arn:aws:lambda:eu-west-1:111122223333:"),
                action,
            ),
        }
    }

    fn function(arn: &str, name: &str) -> Function {
        let o = Origin::live(arn, "Configuration");
        let mut meta = Meta::new(name, ResourceKind::Function, o.clone());
        meta.arn = Some(arn.to_owned());
        let mut f = Function::new(meta);
        f.name = Some(Value::explicit(name.to_owned(), o));
        f
    }

    fn url(arn: &str, name: &str) -> FunctionUrl {
        let o = Origin::live(arn, "UrlConfig");
        let mut meta = Meta::new(format!("{name}/url"), ResourceKind::FunctionUrl, o.clone());
        meta.arn = Some(arn.to_owned());
        FunctionUrl {
            meta,
            function: Value::explicit(lambdasec_model::Target::Arn(arn.into()), o.clone()),
            qualifier: None,
            auth_type: Value::explicit(UrlAuthType::None, o),
            cors: None,
            invoke_mode: None,
        }
    }

    fn run(inv: &Inventory, code: &str) -> crate::Outcome {
        let selection = Selection {
            select: vec![code.to_owned()],
            ignore: vec![],
        };
        crate::run(inv, &RuleConfig::default(), &selection, &[], &|_| None)
    }

    #[test]
    fn dependencies() {
        assert!(depends_on("RBP001", "lambda:GetPolicy"));
        assert!(depends_on("URL002", "lambda:GetFunctionUrlConfig"));
        assert!(depends_on("IAM004", "iam:GetAccountAuthorizationDetails"));
        assert!(depends_on("OBS004", "iam:GetPolicyVersion"));
        assert!(depends_on("OBS001", "lambda:ListFunctions"));
        assert!(!depends_on("OBS001", "lambda:GetPolicy"));
        assert!(!depends_on("RT001", "iam:GetAccountAuthorizationDetails"));
        assert!(!depends_on("ENC001", "kms:DescribeKey"));
    }

    #[test]
    fn a_failed_call_withholds_findings_on_what_it_covers() {
        let mut inv = Inventory::new(InputKind::Snapshot);
        inv.functions.push(function(F, "orders"));
        inv.functions.push(function(G, "billing"));
        inv.function_urls.push(url(F, "orders"));
        inv.function_urls.push(url(G, "billing"));
        assert_eq!(run(&inv, "URL001").findings.len(), 2);
        // The URL of `orders` could not be read: its finding is withheld, not reported.
        inv.not_assessed
            .push(gap("lambda:GetFunctionUrlConfig", Some(F)));
        let out = run(&inv, "URL001");
        assert_eq!(out.findings.len(), 1);
        assert_eq!(out.findings[0].resource.arn.as_deref(), Some(G));
        assert_eq!(out.not_assessed.len(), 1);
        let e = &out.not_assessed[0];
        assert_eq!(e.rules, vec!["URL001"]);
        assert_eq!(
            e.resource.as_ref().map(|r| r.kind),
            Some(ResourceKind::FunctionUrl)
        );
        assert_eq!(e.gap.action, "lambda:GetFunctionUrlConfig");
    }

    #[test]
    fn gaps_that_cover_no_resource_of_the_kind_name_the_owner_or_the_region() {
        let mut inv = Inventory::new(InputKind::Snapshot);
        inv.functions.push(function(F, "orders"));
        // No policy could be read for `orders`: no permission exists to judge.
        inv.not_assessed.push(gap("lambda:GetPolicy", Some(F)));
        // The region's trails could not be listed.
        inv.not_assessed
            .push(gap("cloudtrail:DescribeTrails", None));
        let out = run(&inv, "RBP001");
        assert_eq!(out.not_assessed.len(), 1);
        let e = &out.not_assessed[0];
        assert_eq!(
            e.resource.as_ref().map(|r| r.kind),
            Some(ResourceKind::Function)
        );
        let out = run(&inv, "OBS002");
        assert!(out.findings.is_empty());
        assert_eq!(out.not_assessed.len(), 1);
        assert_eq!(out.not_assessed[0].rules, vec!["OBS002"]);
        assert_eq!(
            out.not_assessed[0]
                .resource
                .as_ref()
                .and_then(|r| r.arn.as_deref()),
            Some(F)
        );
        // A rule the gap does not feed is unaffected.
        assert!(run(&inv, "OBS001").not_assessed.is_empty());
    }
}
