//! Running the rules over an inventory: selection, severity overrides, suppressions, ordering.

use crate::assessment::{NotAssessedFor, Withheld};
use crate::context::{Context, RuleConfig};
use crate::finding::{Finding, Findings};
use crate::registry;
use crate::rule::{Input, Rule};
use lambdasec_model::{Diagnostic, Inventory, Meta, Origin};
use serde::Serialize;

/// Which rules run: `select` (empty = all) minus `ignore`. Entries are codes (`URL001`), code
/// prefixes (`URL`), rule names (`function-url-without-auth`) or `ALL`.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
}

impl Selection {
    fn matches(entry: &str, rule: &dyn Rule) -> bool {
        let meta = rule.meta();
        let entry = entry.trim();
        entry.eq_ignore_ascii_case("ALL")
            || meta
                .code
                .get(..entry.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(entry))
            || meta.name.eq_ignore_ascii_case(entry)
    }

    pub fn enabled(&self, rule: &dyn Rule) -> bool {
        (self.select.is_empty() || self.select.iter().any(|e| Self::matches(e, rule)))
            && !self.ignore.iter().any(|e| Self::matches(e, rule))
    }

    /// Entries that name no rule (typos the user should hear about).
    pub fn unknown_entries(&self) -> Vec<&str> {
        self.select
            .iter()
            .chain(&self.ignore)
            .map(String::as_str)
            .filter(|e| !registry::all().iter().any(|r| Self::matches(e, *r)))
            .collect()
    }
}

/// A suppression from the configuration file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppress {
    /// A code, code prefix or rule name.
    pub code: String,
    /// A glob (`*`, `?`) on the resource id; `None` = every resource.
    pub resource: Option<String>,
    /// A glob on the resource ARN (live inputs).
    pub arn: Option<String>,
    /// A glob on the file path.
    pub file: Option<String>,
    pub reason: String,
}

/// A finding that was not reported, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Suppressed {
    pub finding: Finding,
    pub reason: String,
    /// Where the suppression is written (inline suppressions).
    pub by: Option<Origin>,
}

/// What running the rules over one inventory produced.
#[derive(Debug, Default)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub suppressed: Vec<Suppressed>,
    /// Problems with suppressions (missing reasons).
    pub diagnostics: Vec<Diagnostic>,
    /// Resources rules could not assess because a call of the live collection failed (their
    /// findings on them, if any, are withheld).
    pub not_assessed: Vec<NotAssessedFor>,
}

/// Run every selected rule over `inventory`. `file_path` resolves a finding's file for
/// file-scoped configuration suppressions.
pub fn run(
    inventory: &Inventory,
    config: &RuleConfig,
    selection: &Selection,
    suppressions: &[Suppress],
    file_path: &dyn Fn(&Origin) -> Option<String>,
) -> Outcome {
    let cx = Context::new(inventory, config);
    let mut outcome = Outcome::default();
    let mut withheld = Withheld::new(inventory);
    // Inline suppressions are rare: look them up among the resources that have some, not
    // among every resource for every finding.
    let with_inline: Vec<&Meta> = inventory
        .metas()
        .filter(|m| !m.suppressions.is_empty())
        .collect();
    let input = inventory.input.map(Input::of);
    for rule in registry::all() {
        if !selection.enabled(*rule) {
            continue;
        }
        let meta = rule.meta();
        // A rule runs on the inputs it declares (and is tested on): elsewhere the data it
        // judges is not written there, or not set by the user.
        if input.is_some_and(|i| !meta.inputs.contains(&i)) {
            continue;
        }
        let severity = config
            .severity
            .get(meta.code)
            .copied()
            .unwrap_or(meta.severity);
        let mut sink = Findings::new(meta, severity);
        rule.check(&cx, &mut sink);
        let mut found = sink.into_vec();
        withheld.apply(meta, &mut found);
        for finding in found {
            match suppression_for(&finding, &with_inline, suppressions, file_path) {
                Some((reason, by)) => outcome.suppressed.push(Suppressed {
                    finding,
                    reason,
                    by,
                }),
                None => outcome.findings.push(finding),
            }
        }
    }
    outcome.not_assessed = withheld.into_entries();
    for meta in inventory.metas() {
        for s in meta.suppressions.iter().filter(|s| s.reason.is_none()) {
            outcome.diagnostics.push(Diagnostic::warning(
                format!(
                    "suppression of `{}` on `{}` has no reason; it is not applied",
                    s.code, meta.id
                ),
                s.origin.clone(),
            ));
        }
    }
    outcome
}

fn suppression_for(
    finding: &Finding,
    with_inline: &[&Meta],
    suppressions: &[Suppress],
    file_path: &dyn Fn(&Origin) -> Option<String>,
) -> Option<(String, Option<Origin>)> {
    if with_inline.is_empty() && suppressions.is_empty() {
        return None;
    }
    let rule = registry::find(finding.code)?;
    let inline = with_inline
        .iter()
        .filter(|m| m.kind == finding.resource.kind && m.id == finding.resource.id)
        .flat_map(|m| &m.suppressions)
        .find(|s| s.reason.is_some() && Selection::matches(&s.code, rule));
    if let Some(s) = inline {
        return Some((s.reason.clone().unwrap_or_default(), Some(s.origin.clone())));
    }
    let file = file_path(&finding.location);
    suppressions
        .iter()
        .find(|s| {
            Selection::matches(&s.code, rule)
                && s.resource
                    .as_deref()
                    .is_none_or(|g| glob_match(g, &finding.resource.id))
                && s.arn.as_deref().is_none_or(|g| {
                    finding
                        .resource
                        .arn
                        .as_deref()
                        .is_some_and(|a| glob_match(g, a))
                })
                && s.file
                    .as_deref()
                    .is_none_or(|g| file.as_deref().is_some_and(|f| glob_match(g, f)))
        })
        .map(|s| (s.reason.clone(), None))
}

/// `*` matches any run of characters (including `/`), `?` any one character: the IAM
/// wildcard, for suppression patterns on resource ids, ARNs and file paths.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    lambdasec_iam::wildcard::matches(pattern, text)
}

/// Sort findings deterministically: file, position, code, resource.
pub fn sort_findings(findings: &mut [Finding], key: impl Fn(&Finding) -> (String, u32)) {
    findings.sort_by_cached_key(|f| {
        let (file, offset) = key(f);
        (
            file,
            offset,
            f.code,
            f.resource.id.clone(),
            f.message.clone(),
        )
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_match("Api*", "ApiUrl"));
        assert!(glob_match("*", ""));
        assert!(glob_match("a?c", "abc"));
        assert!(!glob_match("a?c", "ac"));
        assert!(glob_match(
            "arn:aws:lambda:*:function:legacy-*",
            "arn:aws:lambda:us-east-1:1:function:legacy-x"
        ));
        assert!(!glob_match("Api", "ApiUrl"));
        assert!(glob_match("*Url", "ApiUrl"));
        assert!(glob_match("**a", "a"));
    }
}
