//! Renderers for lambdasec results: text (for people), JSON (a stable, versioned contract for
//! tools) and SARIF 2.1.0 (code-scanning platforms). One [`Report`] feeds them all; line and
//! column are computed here from each finding's [`Origin`](lambdasec_model::Origin).

mod compliance;
mod json;
mod location;
mod not_assessed;
mod sarif;
mod text;

pub use location::{Location, locate};

use lambdasec_model::SourceMap;
use lambdasec_rules::{Finding, Severity};
use std::collections::BTreeMap;

/// The version of the JSON output contract.
pub const JSON_VERSION: u32 = 1;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Sarif,
}

/// A problem that stopped part of the scan (a file that could not be read or loaded).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReportError {
    pub file: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
}

/// Counts for the summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Input files loaded.
    pub files: usize,
    /// Resources in all inventories.
    pub resources: usize,
    /// Values that could not be resolved offline (not assessed).
    pub unresolved: usize,
    /// Findings suppressed with a reason.
    pub suppressed: usize,
}

/// Everything a renderer needs.
#[derive(Debug, Clone, Copy)]
pub struct Report<'a> {
    pub sources: &'a SourceMap,
    /// Findings, already sorted.
    pub findings: &'a [Finding],
    pub errors: &'a [ReportError],
    /// Non-fatal problems (dangling references, unapplied suppressions).
    pub warnings: &'a [ReportError],
    pub counts: Counts,
    /// The compliance table, when a framework was asked for (`--compliance`).
    pub compliance: Option<&'a lambdasec_rules::compliance::ComplianceReport>,
    /// Resources rules could not assess because a call of a live collection failed.
    pub not_assessed: &'a [lambdasec_rules::NotAssessedFor],
}

impl Report<'_> {
    /// Findings per severity, every severity present (zero when none).
    pub fn by_severity(&self) -> BTreeMap<Severity, usize> {
        let mut m: BTreeMap<Severity, usize> = Severity::ALL.iter().map(|s| (*s, 0)).collect();
        for f in self.findings {
            *m.entry(f.severity).or_default() += 1;
        }
        m
    }
}

/// Options of the text renderer.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextOptions {
    /// ANSI colours (on a terminal).
    pub color: bool,
}

/// Render a report.
pub fn render(report: &Report<'_>, format: Format, text: TextOptions) -> String {
    match format {
        Format::Text => text::render(report, text),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report),
    }
}
