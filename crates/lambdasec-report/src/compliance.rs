//! The compliance table (`lambdasec scan --compliance NAME`): one line per control with its
//! verdict, then the resources that fail each failing control — as text, or as the
//! `compliance` object of the JSON contract.

use crate::location::{Location, locate};
use lambdasec_model::SourceMap;
use lambdasec_rules::compliance::{ComplianceReport, Status};
use serde_json::{Value, json};
use std::fmt::Write as _;

fn resource_count(c: &lambdasec_rules::compliance::ControlResult, s: Status) -> usize {
    c.resources.iter().filter(|r| r.status == s).count()
}

/// The JSON object of the report.
pub(crate) fn to_json(sources: &SourceMap, report: &ComplianceReport) -> Value {
    let (pass, fail, skip) = report.counts();
    let controls: Vec<Value> = report
        .controls
        .iter()
        .map(|c| {
            json!({
                "id": c.id,
                "title": c.title,
                "rules": c.rules,
                "status": c.status,
                "reason": c.reason,
                "resources": c.resources.iter().map(|r| json!({
                    "kind": r.resource.kind,
                    "id": r.resource.id,
                    "arn": r.resource.arn,
                    "status": r.status,
                    "location": locate(sources, &r.origin),
                    "failed": r.failed,
                    "suppressed": r.suppressed,
                    "reason": r.reason,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "framework": {
            "id": report.framework,
            "name": report.name,
            "version": report.version,
            "url": report.url,
        },
        "summary": {"pass": pass, "fail": fail, "skip": skip},
        "controls": controls,
    })
}

fn where_(loc: &Location) -> String {
    match loc {
        Location::Source {
            file, line, column, ..
        } => format!("{file}:{line}:{column}"),
        Location::Live { arn, .. } => arn.clone(),
        Location::Unknown {} => "-".to_owned(),
    }
}

/// The text section: `paint(status, text)` colours a verdict.
pub(crate) fn to_text(
    sources: &SourceMap,
    report: &ComplianceReport,
    paint: &dyn Fn(Status, &str) -> String,
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Compliance: {} ({}, {})",
        report.name, report.framework, report.version
    );
    let width = report
        .controls
        .iter()
        .map(|c| c.id.chars().count())
        .max()
        .unwrap_or(0);
    for c in &report.controls {
        let detail = match c.status {
            Status::Skip => c.reason.clone().unwrap_or_default(),
            _ => {
                let fail = resource_count(c, Status::Fail);
                let pass = resource_count(c, Status::Pass);
                let skip = resource_count(c, Status::Skip);
                let mut parts = Vec::new();
                if fail > 0 {
                    parts.push(format!("{fail} failing"));
                }
                if pass > 0 {
                    parts.push(format!("{pass} passing"));
                }
                if skip > 0 {
                    parts.push(format!("{skip} not assessed"));
                }
                parts.join(", ")
            }
        };
        let rules = if c.rules.is_empty() {
            String::new()
        } else {
            format!(" [{}]", c.rules.join(", "))
        };
        let _ = writeln!(
            out,
            "  {} {:<width$}  {}{rules} — {detail}",
            paint(c.status, c.status.as_str()),
            c.id,
            c.title,
        );
        for r in c.resources.iter().filter(|r| r.status == Status::Fail) {
            let _ = writeln!(
                out,
                "       {:<width$}  {} `{}` ({}) {}",
                "",
                r.resource.kind,
                r.resource.id,
                where_(&locate(sources, &r.origin)),
                r.failed.join(", "),
            );
        }
    }
    let (pass, fail, skip) = report.counts();
    let _ = writeln!(
        out,
        "{} controls: {fail} failing, {pass} passing, {skip} not assessed",
        report.controls.len()
    );
    out
}
