//! Reports of a direct scan (`lambdasec secrets PATH...`) as text, JSON and SARIF 2.1.0.
//!
//! Every form is built from [`ScanReport`]s, which never hold a secret: a finding shows the
//! secret's [`Redacted`](crate::Redacted) form (prefix, length, hash) and nothing else.
//!
//! ```
//! use lambdasec_secrets::{Detector, ScanOptions, Scanner, output};
//!
//! let scanner = Scanner::new(Detector::shared().unwrap(), ScanOptions::default());
//! let report = scanner.scan_bytes("app.py", b"KEY = 'AKIAQX7RMZ2WK4TB5NLP'\n");
//! let text = output::text(&report);
//! assert!(text.starts_with("app.py:1:8: AWS access key id `AKIA…(20 bytes, sha256:"));
//! assert!(!text.contains("QX7RMZ2WK4TB5NLP"));
//! ```

use crate::scan::{ScanReport, SkipReason, Skipped};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::fmt::Write as _;

const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const FINGERPRINT_KEY: &str = "lambdasec-secrets/v1";
const TOOL_URI: &str = "https://github.com/lambdasec/lambdasec";

/// Skips worth telling: a cap, an encrypted or unsupported entry (not binaries and links,
/// which are never secret-bearing text).
fn notable(s: &Skipped) -> bool {
    !matches!(s.reason, SkipReason::Binary | SkipReason::Symlink)
}

/// A skip reason in words.
pub fn describe_skip(reason: &SkipReason) -> String {
    match reason {
        SkipReason::Binary => "binary".to_owned(),
        SkipReason::Symlink => "symbolic link, not followed".to_owned(),
        SkipReason::TooLarge { size, limit } => {
            format!("{size} bytes, larger than the {limit} byte limit")
        }
        SkipReason::CompressionRatio { compressed, limit } => {
            format!("inflates beyond {limit} times its {compressed} compressed bytes")
        }
        SkipReason::TotalSize { limit } => format!("the scan's {limit} byte budget was used up"),
        SkipReason::TooManyEntries { entries, limit } => {
            format!("{entries} entries, only the first {limit} were read")
        }
        SkipReason::TooDeep { limit } => format!("archives nested more than {limit} deep"),
        SkipReason::Encrypted => "encrypted".to_owned(),
        SkipReason::Unsupported { detail } => format!("unsupported: {detail}"),
    }
}

/// One line per finding (`path:line:column: kind `preview` (confidence, rule)`), one per
/// notable skip and error, and a summary line.
pub fn text(report: &ScanReport) -> String {
    let mut out = String::new();
    for f in &report.findings {
        let _ = writeln!(
            out,
            "{}:{}:{}: {} `{}` ({} confidence, {})",
            f.path,
            f.line,
            f.column,
            f.secret.kind.title(),
            f.secret.redacted,
            f.secret.confidence,
            f.secret.rule
        );
    }
    let skipped: Vec<&Skipped> = report.skipped.iter().filter(|s| notable(s)).collect();
    for s in &skipped {
        let _ = writeln!(out, "{}: not scanned: {}", s.path, describe_skip(&s.reason));
    }
    for e in &report.errors {
        let _ = writeln!(out, "{e}: not scanned");
    }
    let n = report.findings.len();
    let _ = writeln!(
        out,
        "{} in {} files ({:.1} MB of text, {} archives){}{}",
        match n {
            0 => "no secrets".to_owned(),
            1 => "1 secret".to_owned(),
            n => format!("{n} secrets"),
        },
        report.files_scanned,
        report.bytes_scanned as f64 / 1e6,
        report.archives,
        match skipped.len() {
            0 => String::new(),
            k => format!(", {k} not scanned"),
        },
        match report.errors.len() {
            0 => String::new(),
            k => format!(", {k} unreadable"),
        },
    );
    out
}

/// The report as JSON: `findings` (path, line, column, rule, kind, title, confidence,
/// `redacted` and its display form `preview`), `skipped`, `errors` and `summary`.
pub fn json(report: &ScanReport) -> Value {
    let findings: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            json!({
                "path": f.path,
                "line": f.line,
                "column": f.column,
                "rule": f.secret.rule,
                "kind": f.secret.kind,
                "title": f.secret.kind.title(),
                "confidence": f.secret.confidence,
                "preview": f.secret.redacted.to_string(),
                "redacted": f.secret.redacted,
            })
        })
        .collect();
    let skipped: Vec<Value> = report
        .skipped
        .iter()
        .filter(|s| notable(s))
        .map(|s| {
            let mut v = json!(s);
            if let Some(o) = v.as_object_mut() {
                o.insert("detail".to_owned(), Value::String(describe_skip(&s.reason)));
            }
            v
        })
        .collect();
    let errors: Vec<Value> = report
        .errors
        .iter()
        .map(|e| json!({"path": e.path(), "message": e.to_string()}))
        .collect();
    json!({
        "tool": "lambdasec",
        "version": env!("CARGO_PKG_VERSION"),
        "findings": findings,
        "skipped": skipped,
        "errors": errors,
        "summary": {
            "findings": report.findings.len(),
            "files_scanned": report.files_scanned,
            "bytes_scanned": report.bytes_scanned,
            "archives": report.archives,
        },
    })
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

/// SARIF 2.1.0: one run, one rule per secret kind found, one result per finding. A file
/// inside an archive is reported on the outermost archive (SARIF has no nested paths), with
/// the inner path in the message and `properties.path`.
pub fn sarif(report: &ScanReport) -> Value {
    let mut kinds = BTreeMap::new();
    for f in &report.findings {
        kinds
            .entry(f.secret.kind.id())
            .or_insert(f.secret.kind.title());
    }
    let rules: Vec<Value> = kinds
        .iter()
        .map(|(id, title)| {
            json!({
                "id": id,
                "name": id,
                "shortDescription": {"text": format!("{title} in a file")},
                "defaultConfiguration": {"level": "error"},
                "properties": {"tags": ["security", "secret"], "security-severity": "9.0"},
            })
        })
        .collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let (file, inner) = match f.path.split_once("!/") {
                Some((outer, _)) => (outer, true),
                None => (f.path.as_str(), false),
            };
            let physical = if inner {
                json!({"artifactLocation": {"uri": uri(file)}})
            } else {
                json!({
                    "artifactLocation": {"uri": uri(file)},
                    "region": {"startLine": f.line, "startColumn": f.column},
                })
            };
            json!({
                "ruleId": f.secret.kind.id(),
                "level": if f.secret.confidence == crate::Confidence::Low { "warning" } else { "error" },
                "message": {"text": format!(
                    "{} `{}` in `{}:{}:{}` ({} confidence)",
                    f.secret.kind.title(),
                    f.secret.redacted,
                    f.path,
                    f.line,
                    f.column,
                    f.secret.confidence
                )},
                "locations": [{"physicalLocation": physical}],
                "partialFingerprints": {FINGERPRINT_KEY: format!("{}:{}", f.secret.redacted.hash, f.path)},
                "properties": {"path": f.path, "confidence": f.secret.confidence},
            })
        })
        .collect();
    let notifications: Vec<Value> = report
        .skipped
        .iter()
        .filter(|s| notable(s))
        .map(|s| {
            json!({
                "level": "warning",
                "message": {"text": format!("{}: not scanned: {}", s.path, describe_skip(&s.reason))},
            })
        })
        .chain(report.errors.iter().map(|e| {
            json!({"level": "error", "message": {"text": format!("{e}: not scanned")}})
        }))
        .collect();
    json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "lambdasec",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": TOOL_URI,
                "rules": rules,
            }},
            "invocations": [{
                "executionSuccessful": report.errors.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
        }],
    })
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::indexing_slicing,
        reason = "test code: a failure is a test failure"
    )]

    use super::*;
    use crate::{Detector, ScanOptions, Scanner};

    /// A fake key id built at run time (no secret-looking literal in the source).
    fn fake_key() -> String {
        format!("AKIA{}", "QX7RMZ2WK4TB5NLP")
    }

    fn report() -> (String, ScanReport) {
        let key = fake_key();
        let scanner = Scanner::new(Detector::shared().unwrap(), ScanOptions::default());
        let mut r = scanner.scan_bytes("src/app.py", format!("\nk = \"{key}\"\n").as_bytes());
        r.skipped.push(Skipped {
            path: "src/big.txt".to_owned(),
            reason: SkipReason::TooLarge {
                size: 100,
                limit: 64,
            },
        });
        r.skipped.push(Skipped {
            path: "src/logo.png".to_owned(),
            reason: SkipReason::Binary,
        });
        (key, r)
    }

    #[test]
    fn every_form_redacts_and_locates() {
        let (key, r) = report();
        let t = text(&r);
        assert!(
            t.starts_with("src/app.py:2:6: AWS access key id `AKIA…(20 bytes, sha256:"),
            "{t}"
        );
        assert!(t.contains("src/big.txt: not scanned: 100 bytes, larger than the 64 byte limit"));
        assert!(t.ends_with("1 secret in 1 files (0.0 MB of text, 0 archives), 1 not scanned\n"));

        let j = json(&r);
        assert_eq!(j["findings"][0]["kind"], "aws-access-key-id");
        assert_eq!(j["findings"][0]["line"], 2);
        assert_eq!(j["skipped"][0]["reason"], "too-large");
        assert_eq!(j["summary"]["findings"], 1);

        let s = sarif(&r);
        let result = &s["runs"][0]["results"][0];
        assert_eq!(result["ruleId"], "aws-access-key-id");
        assert_eq!(
            result["locations"][0]["physicalLocation"]["region"]["startLine"],
            2
        );
        assert_eq!(
            s["runs"][0]["tool"]["driver"]["rules"][0]["id"],
            "aws-access-key-id"
        );

        for out in [t, j.to_string(), s.to_string()] {
            assert!(!out.contains(&key[4..]), "{out}");
        }
    }

    #[test]
    fn archive_entries_point_at_the_outer_file() {
        let (_, mut r) = report();
        r.findings[0].path = "build/fn.zip!/lib/a.jar!/app.py".to_owned();
        let s = sarif(&r);
        let loc = &s["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "build/fn.zip");
        assert!(loc.get("region").is_none());
        assert_eq!(uri("./a b/c.py"), "a%20b/c.py");
    }
}
