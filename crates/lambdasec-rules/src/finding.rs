//! Findings: what a rule reports, with its location, related locations and optional fix.

use crate::rule::RuleMeta;
use crate::severity::Severity;
use lambdasec_model::{FileId, Meta, Origin, ResourceKind, Span};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The resource a finding is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct ResourceRef {
    pub kind: ResourceKind,
    /// Logical id (CloudFormation/SAM), address (Terraform), function key (serverless.yml) or
    /// name (live).
    pub id: String,
    pub arn: Option<String>,
}

impl From<&Meta> for ResourceRef {
    fn from(m: &Meta) -> Self {
        ResourceRef {
            kind: m.kind,
            id: m.id.clone(),
            arn: m.arn.clone(),
        }
    }
}

/// A secondary location that explains a finding (the role behind a public URL, the other
/// functions sharing a role...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Related {
    pub location: Origin,
    pub message: String,
}

/// How safe it is to apply a fix without review (after Ruff).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// Keeps the intent of the template; can be applied automatically.
    Safe,
    /// Changes behaviour (callers may break); apply after review.
    Unsafe,
    /// A suggestion to show, not to apply.
    DisplayOnly,
}

/// One text replacement in a source file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub file: FileId,
    pub span: Span,
    pub replacement: String,
}

impl Edit {
    /// Make the replacement fit the written value it replaces: a value written in quotes (JSON,
    /// HCL, a quoted YAML scalar) keeps its quotes, with the replacement escaped for them, so
    /// `"NONE"` becomes `"AWS_IAM"` rather than a bare word. `original` is the replaced text.
    pub fn match_quoting(&mut self, original: &str) {
        let quote = match original.as_bytes() {
            [q @ (b'"' | b'\''), .., last] if last == q && original.len() >= 2 => *q as char,
            _ => return,
        };
        if self.replacement.starts_with(quote) && self.replacement.ends_with(quote) {
            return;
        }
        let mut out = String::with_capacity(self.replacement.len() + 2);
        out.push(quote);
        for c in self.replacement.chars() {
            match (quote, c) {
                ('"', '"' | '\\') => {
                    out.push('\\');
                    out.push(c);
                }
                ('\'', '\'') => out.push_str("''"),
                _ => out.push(c),
            }
        }
        out.push(quote);
        self.replacement = out;
    }
}

/// A machine-applicable (or displayable) fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub applicability: Applicability,
    pub message: String,
    pub edits: Vec<Edit>,
}

impl Fix {
    /// Replace the written value at `origin` with `replacement`. `None` when the value was not
    /// written in a source file (defaults, live values), where no edit can be made.
    pub fn replace(
        origin: &Origin,
        replacement: impl Into<String>,
        applicability: Applicability,
        message: impl Into<String>,
    ) -> Option<Fix> {
        match origin {
            Origin::Source { file, span, .. } if span.end > span.start => Some(Fix {
                applicability,
                message: message.into(),
                edits: vec![Edit {
                    file: *file,
                    span: *span,
                    replacement: replacement.into(),
                }],
            }),
            _ => None,
        }
    }
}

/// A finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub severity: Severity,
    /// Lowercase, no final period, user values in backticks.
    pub message: String,
    pub resource: ResourceRef,
    /// The blamed value.
    pub location: Origin,
    pub related: Vec<Related>,
    pub fix: Option<Fix>,
    /// The blamed value is (or holds) a secret: renderers must not print its source text.
    pub sensitive: bool,
}

impl Finding {
    /// Mark the blamed value as secret, so renderers mask it in source excerpts.
    pub fn mark_sensitive(&mut self) -> &mut Self {
        self.sensitive = true;
        self
    }

    pub fn with_severity(&mut self, severity: Severity) -> &mut Self {
        self.severity = severity;
        self
    }

    pub fn with_related(&mut self, location: &Origin, message: impl Into<String>) -> &mut Self {
        self.related.push(Related {
            location: location.clone(),
            message: message.into(),
        });
        self
    }

    pub fn with_fix(&mut self, fix: Option<Fix>) -> &mut Self {
        self.fix = fix;
        self
    }

    /// A fingerprint stable across runs and unrelated edits of the file: the rule, the
    /// resource, the human path of the blamed value, and the file it is in (no line numbers).
    pub fn fingerprint(&self, file_path: Option<&str>) -> String {
        let mut h = Sha256::new();
        for part in [
            self.code,
            self.resource.kind.as_str(),
            &self.resource.id,
            self.resource.arn.as_deref().unwrap_or(""),
            self.location.path().unwrap_or(""),
            file_path.unwrap_or(""),
        ] {
            h.update(part.as_bytes());
            h.update([0u8]);
        }
        h.finalize()
            .iter()
            .take(16)
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// Where a rule puts its findings.
#[derive(Debug)]
pub struct Findings {
    rule: &'static RuleMeta,
    severity: Severity,
    items: Vec<Finding>,
}

impl Findings {
    /// A sink for `rule`'s findings, at `severity` by default (the rule's, or the configured
    /// override).
    pub fn new(rule: &'static RuleMeta, severity: Severity) -> Self {
        Findings {
            rule,
            severity,
            items: Vec::new(),
        }
    }

    /// Report that `resource` has the rule's problem at `location`.
    #[allow(
        clippy::indexing_slicing,
        reason = "indexes the item pushed just before"
    )]
    pub fn add(
        &mut self,
        resource: &Meta,
        location: &Origin,
        message: impl Into<String>,
    ) -> &mut Finding {
        self.items.push(Finding {
            code: self.rule.code,
            severity: self.severity,
            message: message.into(),
            resource: resource.into(),
            location: location.clone(),
            related: Vec::new(),
            fix: None,
            sensitive: false,
        });
        let last = self.items.len() - 1;
        &mut self.items[last]
    }

    /// The default severity of this sink.
    pub fn severity(&self) -> Severity {
        self.severity
    }

    pub fn into_vec(self) -> Vec<Finding> {
        self.items
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fitted(original: &str, replacement: &str) -> String {
        let mut edit = Edit {
            file: FileId(0),
            span: Span::new(0, original.len()),
            replacement: replacement.to_owned(),
        };
        edit.match_quoting(original);
        edit.replacement
    }

    #[test]
    fn replacements_keep_the_quoting_of_the_value() {
        // JSON, HCL and double-quoted YAML.
        assert_eq!(fitted(r#""NONE""#, "AWS_IAM"), r#""AWS_IAM""#);
        assert_eq!(fitted(r#""a""#, r#"say "hi" \o/"#), r#""say \"hi\" \\o/""#);
        // Single-quoted YAML doubles its quotes.
        assert_eq!(fitted("'PassThrough'", "it's Active"), "'it''s Active'");
        // Plain scalars and replacements already quoted are left alone.
        assert_eq!(fitted("NONE", "AWS_IAM"), "AWS_IAM");
        assert_eq!(fitted(r#""NONE""#, r#""AWS_IAM""#), r#""AWS_IAM""#);
        assert_eq!(fitted("\"", "x"), "x");
    }
}
