//! From inventories to a report: run the rules on every inventory (in parallel), gather
//! findings, errors and warnings, sort them deterministically.

use crate::config::Settings;
use lambdasec_model::{Diagnostic, FileId, Inventory, Level, NotAssessedReason, Origin, SourceMap};
use lambdasec_report::{Counts, ReportError};
use lambdasec_rules::compliance::{self, ComplianceReport, Framework};
use lambdasec_rules::{Finding, sort_findings};
use rayon::prelude::*;

/// The result of analysing a set of inventories.
#[derive(Debug, Default)]
pub struct Analysis {
    pub findings: Vec<Finding>,
    pub errors: Vec<ReportError>,
    pub warnings: Vec<ReportError>,
    pub counts: Counts,
    /// The compliance table (`--compliance`).
    pub compliance: Option<ComplianceReport>,
    /// Resources rules could not assess because a call of a live collection failed.
    pub not_assessed: Vec<lambdasec_rules::NotAssessedFor>,
}

fn report_error(sources: &SourceMap, d: &Diagnostic) -> ReportError {
    let (file, line, column) = match d.origin.anchor() {
        Origin::Source { file, span, .. } => match sources.get(*file) {
            Some(f) if span.end > 0 || span.start > 0 => {
                let lc = f.line_col(span.start);
                (f.path.clone(), Some(lc.line), Some(lc.column))
            }
            Some(f) => (f.path.clone(), None, None),
            None => (String::from("?"), None, None),
        },
        Origin::Live { arn, field } => (format!("{arn} {field}"), None, None),
        _ => (String::new(), None, None),
    };
    ReportError {
        file,
        message: d.message.clone(),
        line,
        column,
    }
}

/// Count the values that could not be resolved offline.
fn unresolved(inv: &Inventory) -> usize {
    fn walk(v: &serde_json::Value) -> usize {
        match v {
            serde_json::Value::Object(m) => {
                let here = usize::from(
                    m.get("state").and_then(|s| s.as_str()) == Some("unresolved")
                        || (m.get("type").and_then(|s| s.as_str()) == Some("unresolved")
                            && m.contains_key("value")
                            && m.contains_key("origin")),
                );
                here + m.values().map(walk).sum::<usize>()
            }
            serde_json::Value::Array(a) => a.iter().map(walk).sum(),
            _ => 0,
        }
    }
    serde_json::to_value(inv).map_or(0, |v| walk(&v))
}

/// Code that the scanned files name but that is not there (a checkout without its build output
/// or `src/`), summed up in one warning for the whole scan: SEC002 and SEC003 could not read it.
fn absent_code(inventories: &[Inventory]) -> Option<Diagnostic> {
    const NAMED: usize = 3;
    let mut absent: Vec<(Option<FileId>, &str, &Origin)> = inventories
        .iter()
        .flat_map(|inv| &inv.package_skips)
        .filter(|s| s.reason == NotAssessedReason::Missing)
        .map(|s| (s.origin.file(), s.path.as_str(), &s.origin))
        .collect();
    absent.sort_by_key(|&(file, path, _)| (file, path));
    absent.dedup_by_key(|&mut (file, path, _)| (file, path));
    let &(_, first, origin) = absent.first()?;
    let message = match absent.len() {
        1 => format!("`{first}` was not scanned for secrets: not found"),
        n => {
            let named: Vec<String> = absent
                .iter()
                .take(NAMED)
                .map(|(_, path, _)| format!("`{path}`"))
                .collect();
            let more = if n > NAMED {
                format!(" and {} more", n - NAMED)
            } else {
                String::new()
            };
            format!(
                "{n} code paths were not scanned for secrets: not found: {}{more}",
                named.join(", ")
            )
        }
    };
    Some(Diagnostic::warning(message, origin.clone()))
}

pub fn analyse(
    sources: &SourceMap,
    inventories: &[Inventory],
    settings: &Settings,
    framework: Option<&Framework>,
) -> Analysis {
    let file_path = |o: &Origin| {
        o.file()
            .and_then(|f| sources.get(f))
            .map(|f| f.path.clone())
    };
    let per_unit: Vec<_> = inventories
        .par_iter()
        .map(|inv| {
            let outcome = lambdasec_rules::run(
                inv,
                &settings.rules,
                &settings.selection,
                &settings.suppressions,
                &file_path,
            );
            let compliance =
                framework.map(|fw| compliance::evaluate(fw, inv, &outcome, &settings.selection));
            (outcome, unresolved(inv), compliance)
        })
        .collect();
    let mut analysis = Analysis::default();
    let mut reports = Vec::new();
    for (inv, (outcome, unresolved, compliance)) in inventories.iter().zip(per_unit) {
        reports.extend(compliance);
        analysis.counts.resources += inv.resource_count();
        analysis.counts.unresolved += unresolved;
        analysis.counts.suppressed += outcome.suppressed.len();
        analysis.findings.extend(outcome.findings);
        analysis.not_assessed.extend(outcome.not_assessed);
        for d in inv.diagnostics.iter().chain(&outcome.diagnostics) {
            let e = report_error(sources, d);
            match d.level {
                Level::Error => analysis.errors.push(e),
                Level::Warning => analysis.warnings.push(e),
            }
        }
    }
    if let Some(d) = absent_code(inventories) {
        analysis.warnings.push(report_error(sources, &d));
    }
    analysis.counts.files = sources.len();
    analysis.compliance = match framework {
        // No inventory: every control is skipped for want of resources.
        Some(fw) if reports.is_empty() => Some(compliance::evaluate(
            fw,
            &Inventory::default(),
            &lambdasec_rules::Outcome::default(),
            &settings.selection,
        )),
        _ => compliance::merge(reports),
    };
    // A fix replaces a written value: keep the quotes it was written with.
    for f in &mut analysis.findings {
        for edit in f.fix.iter_mut().flat_map(|fix| fix.edits.iter_mut()) {
            let file = sources.get(edit.file);
            let original = file.as_ref().and_then(|file| {
                file.text
                    .get(edit.span.start as usize..edit.span.end as usize)
            });
            if let Some(original) = original {
                edit.match_quoting(original);
            }
        }
    }
    sort_findings(&mut analysis.findings, |f| match f.location.anchor() {
        Origin::Source { file, span, .. } => (
            sources
                .get(*file)
                .map(|s| s.path.clone())
                .unwrap_or_default(),
            span.start,
        ),
        Origin::Live { arn, .. } => (arn.clone(), 0),
        _ => (String::new(), 0),
    });
    let key = |e: &ReportError| (e.file.clone(), e.line, e.column, e.message.clone());
    analysis.errors.sort_by_key(key);
    analysis.warnings.sort_by_key(key);
    analysis.warnings.dedup();
    analysis
}
