//! The JSON output contract (version 1). Other tools read it: fields are only ever added.

use crate::location::locate;
use crate::{JSON_VERSION, Report};
use lambdasec_rules::registry;
use serde_json::{Value, json};

pub(crate) fn render(report: &Report<'_>) -> String {
    let findings: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let meta = registry::find(f.code).map(|r| r.meta());
            let location = locate(report.sources, &f.location);
            let fix = f.fix.as_ref().map(|fix| {
                json!({
                    "applicability": fix.applicability,
                    "message": fix.message,
                    "edits": fix.edits.iter().map(|e| {
                        let file = report.sources.get(e.file);
                        let start = file.as_ref().map(|f| f.line_col(e.span.start));
                        let end = file.as_ref().map(|f| f.line_col(e.span.end));
                        json!({
                            "file": file.as_ref().map(|f| f.path.clone()),
                            "line": start.map(|p| p.line),
                            "column": start.map(|p| p.column),
                            "end_line": end.map(|p| p.line),
                            "end_column": end.map(|p| p.column),
                            "replacement": e.replacement,
                        })
                    }).collect::<Vec<_>>(),
                })
            });
            let mut obj = json!({
                "code": f.code,
                "name": meta.map(|m| m.name),
                "severity": f.severity,
                "title": meta.map(|m| m.title),
                "message": f.message,
                "resource": {
                    "kind": f.resource.kind,
                    "id": f.resource.id,
                    "arn": f.resource.arn,
                },
                "location": location,
                "related": f.related.iter().map(|r| json!({
                    "location": locate(report.sources, &r.location),
                    "message": r.message,
                })).collect::<Vec<_>>(),
                "remediation": meta.map(|m| m.remediation()),
                "fingerprint": f.fingerprint(location.file()),
            });
            if let (Some(fix), Some(map)) = (fix, obj.as_object_mut()) {
                map.insert("fix".to_owned(), fix);
            }
            obj
        })
        .collect();
    let by_severity: serde_json::Map<String, Value> = report
        .by_severity()
        .into_iter()
        .map(|(s, n)| (s.as_str().to_owned(), json!(n)))
        .collect();
    let doc = json!({
        "version": JSON_VERSION,
        "tool": {"name": "lambdasec", "version": env!("CARGO_PKG_VERSION")},
        "findings": findings,
        "errors": report.errors,
        "warnings": report.warnings,
        "not_assessed": crate::not_assessed::to_json(report.not_assessed),
        "summary": {
            "files": report.counts.files,
            "resources": report.counts.resources,
            "findings": report.findings.len(),
            "findings_by_severity": by_severity,
            "unresolved": report.counts.unresolved,
            "suppressed": report.counts.suppressed,
            "not_assessed": report.not_assessed.len(),
        },
    });
    let mut doc = doc;
    if let (Some(c), Some(map)) = (report.compliance, doc.as_object_mut()) {
        map.insert(
            "compliance".to_owned(),
            crate::compliance::to_json(report.sources, c),
        );
    }
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".to_owned());
    out.push('\n');
    out
}
