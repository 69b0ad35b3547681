//! SARIF 2.1.0: one run, the full rule catalog as the driver's rules (with help text), results
//! with regions, related locations, fixes and partial fingerprints so code-scanning platforms
//! de-duplicate across runs.

use crate::Report;
use crate::location::{Location, locate};
use lambdasec_model::Origin;
use lambdasec_rules::{Finding, Severity, registry};
use serde_json::{Value, json};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const FINGERPRINT_KEY: &str = "lambdasec/v1";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub code scanning reads `security-severity` (0.0-10.0, CVSS-like bands).
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "0.0",
    }
}

/// A relative URI reference for a path as the user gave it.
fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let path = path.strip_prefix("./").unwrap_or(&path);
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' | b':' => {
                out.push(char::from(b));
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn physical(loc: &Location) -> Option<Value> {
    match loc {
        Location::Source {
            file,
            line,
            column,
            end_line,
            end_column,
            ..
        } => Some(json!({
            "artifactLocation": {"uri": uri(file)},
            "region": {
                "startLine": line,
                "startColumn": column,
                "endLine": end_line,
                "endColumn": end_column,
            },
        })),
        _ => None,
    }
}

fn logical(loc: &Location) -> Option<Value> {
    match loc {
        Location::Source { path, .. } if !path.is_empty() => {
            Some(json!([{"fullyQualifiedName": path, "kind": "member"}]))
        }
        Location::Live { arn, field, .. } => Some(json!([{
            "fullyQualifiedName": format!("{arn}#{field}"),
            "name": field,
            "kind": "resource",
        }])),
        _ => None,
    }
}

fn location(
    report: &Report<'_>,
    origin: &Origin,
    message: Option<&str>,
    id: Option<usize>,
) -> Value {
    let loc = locate(report.sources, origin);
    let mut v = json!({});
    if let Some(map) = v.as_object_mut() {
        if let Some(id) = id {
            map.insert("id".into(), json!(id));
        }
        if let Some(p) = physical(&loc) {
            map.insert("physicalLocation".into(), p);
        }
        if let Some(l) = logical(&loc) {
            map.insert("logicalLocations".into(), l);
        }
        if let Some(m) = message {
            map.insert("message".into(), json!({"text": m}));
        }
    }
    v
}

fn result(report: &Report<'_>, f: &Finding, rule_index: Option<usize>) -> Value {
    let loc = locate(report.sources, &f.location);
    let mut r = json!({
        "ruleId": f.code,
        "level": level(f.severity),
        "message": {"text": f.message},
        "locations": [location(report, &f.location, None, None)],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint(loc.file())},
        "properties": {
            "severity": f.severity,
            "resourceKind": f.resource.kind,
            "resourceId": f.resource.id,
        },
    });
    let Some(map) = r.as_object_mut() else {
        return r;
    };
    if let Some(i) = rule_index {
        map.insert("ruleIndex".into(), json!(i));
    }
    if !f.related.is_empty() {
        let related: Vec<Value> = f
            .related
            .iter()
            .enumerate()
            .map(|(i, rel)| location(report, &rel.location, Some(&rel.message), Some(i + 1)))
            .collect();
        map.insert("relatedLocations".into(), json!(related));
    }
    if let Some(fix) = &f.fix {
        let changes: Vec<Value> = fix
            .edits
            .iter()
            .filter_map(|e| {
                let file = report.sources.get(e.file)?;
                let start = file.line_col(e.span.start);
                let end = file.line_col(e.span.end);
                Some(json!({
                    "artifactLocation": {"uri": uri(&file.path)},
                    "replacements": [{
                        "deletedRegion": {
                            "startLine": start.line,
                            "startColumn": start.column,
                            "endLine": end.line,
                            "endColumn": end.column,
                        },
                        "insertedContent": {"text": e.replacement},
                    }],
                }))
            })
            .collect();
        if !changes.is_empty() {
            map.insert(
                "fixes".into(),
                json!([{"description": {"text": fix.message}, "artifactChanges": changes}]),
            );
        }
    }
    r
}

pub(crate) fn render(report: &Report<'_>) -> String {
    let rules: Vec<Value> = registry::all()
        .iter()
        .map(|rule| {
            let m = rule.meta();
            let area = m.code.get(..3).unwrap_or(m.code).to_ascii_lowercase();
            json!({
                "id": m.code,
                "name": m.name,
                "shortDescription": {"text": m.title},
                "fullDescription": {"text": m.summary()},
                "help": {"text": m.remediation(), "markdown": m.markdown()},
                "defaultConfiguration": {"level": level(m.severity)},
                "properties": {
                    "tags": ["security", "aws-lambda", area],
                    "security-severity": security_severity(m.severity),
                    "precision": "high",
                },
            })
        })
        .collect();
    let index_of = |code: &str| registry::all().iter().position(|r| r.meta().code == code);
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| result(report, f, index_of(f.code)))
        .collect();
    let notifications: Vec<Value> = report
        .errors
        .iter()
        .map(|e| (e, "error"))
        .chain(report.warnings.iter().map(|e| (e, "warning")))
        .map(|(e, level)| {
            let mut n = json!({"level": level, "message": {"text": e.message}});
            if let Some(map) = n.as_object_mut() {
                let mut phys = json!({"artifactLocation": {"uri": uri(&e.file)}});
                if let (Some(line), Some(p)) = (e.line, phys.as_object_mut()) {
                    p.insert(
                        "region".into(),
                        json!({"startLine": line, "startColumn": e.column.unwrap_or(1)}),
                    );
                }
                map.insert("locations".into(), json!([{"physicalLocation": phys}]));
            }
            n
        })
        .chain(
            crate::not_assessed::groups(report.not_assessed)
                .iter()
                .map(|g| {
                    json!({
                        "level": "warning",
                        "message": {"text": format!("not assessed: {}", crate::not_assessed::line(g))},
                        "properties": {
                            "rules": g.rules,
                            "action": g.gap.action,
                            "errorCode": g.gap.error_code,
                            "resources": g.resources.iter().map(|r| r.arn.clone().unwrap_or_else(|| r.id.clone())).collect::<Vec<_>>(),
                        },
                    })
                }),
        )
        .collect();
    let doc = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "lambdasec",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/lambdasec/lambdasec",
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "invocations": [{
                "executionSuccessful": report.errors.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
        }],
    });
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".to_owned());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_encoded() {
        assert_eq!(uri("./a b/t.yaml"), "a%20b/t.yaml");
        assert_eq!(uri("dir\\t.yaml"), "dir/t.yaml");
        assert_eq!(uri("é.yaml"), "%C3%A9.yaml");
    }
}
