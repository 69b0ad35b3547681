//! Suppressions written as comments next to a Terraform block:
//!
//! ```hcl
//! # lambdasec:ignore:URL001 the URL is fronted by CloudFront with auth
//! resource "aws_lambda_function_url" "public" { ... }
//! ```
//!
//! A comment counts when it sits in the lines right above the block (comments only, no blank
//! line between) or inside the block. The text after the code is the reason; a suppression
//! without a reason is kept with `reason: None` (the rule engine reports it and does not honour
//! it).

use lambdasec_model::{Origin, SourceFile, Span, Suppression};

const MARKER: &str = "lambdasec:ignore:";

/// Whether a file has any suppression comment at all (a cheap test before looking per block).
pub fn mentions_marker(file: &SourceFile) -> bool {
    file.text.contains(MARKER)
}

/// The suppressions around the block at `span` of `file`.
pub fn suppressions(file: &SourceFile, span: Span) -> Vec<Suppression> {
    let text: &str = &file.text;
    let start = (span.start as usize).min(text.len());
    let end = (span.end as usize).min(text.len());
    let mut out = Vec::new();
    // Comment lines directly above the block.
    let mut above = Vec::new();
    let mut cursor = text
        .get(..start)
        .map_or(0, |t| t.rfind('\n').map_or(0, |i| i + 1));
    while cursor > 0 {
        let prev_end = cursor - 1; // the '\n' ending the previous line
        let prev_start = text
            .get(..prev_end)
            .map_or(0, |t| t.rfind('\n').map_or(0, |i| i + 1));
        let line = text.get(prev_start..prev_end).unwrap_or_default();
        if !is_comment(line) {
            break;
        }
        above.push(prev_start);
        cursor = prev_start;
    }
    above.reverse();
    for line_start in above {
        scan_line(file, text, line_start, &mut out);
    }
    // Comment lines inside the block.
    let mut pos = start;
    while pos < end {
        let line_end = text
            .get(pos..)
            .and_then(|t| t.find('\n'))
            .map_or(text.len(), |i| pos + i);
        scan_line(file, text, pos, &mut out);
        pos = line_end + 1;
    }
    out
}

fn is_comment(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with('#') || t.starts_with("//") || t.starts_with("/*") || t.starts_with('*')
}

fn scan_line(file: &SourceFile, text: &str, line_start: usize, out: &mut Vec<Suppression>) {
    let line_end = text
        .get(line_start..)
        .and_then(|t| t.find('\n'))
        .map_or(text.len(), |i| line_start + i);
    let Some(line) = text.get(line_start..line_end) else {
        return;
    };
    // Only the comment part of the line.
    let comment_at = ["#", "//", "/*"]
        .iter()
        .filter_map(|m| line.find(m))
        .min()
        .or_else(|| line.trim_start().starts_with('*').then_some(0));
    let Some(comment_at) = comment_at else {
        return;
    };
    let Some(comment) = line.get(comment_at..) else {
        return;
    };
    let Some(marker_at) = comment.find(MARKER) else {
        return;
    };
    let rest = comment.get(marker_at + MARKER.len()..).unwrap_or_default();
    let code_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(rest.len());
    let code = rest.get(..code_len).unwrap_or_default();
    if code.is_empty() {
        return;
    }
    let reason = rest
        .get(code_len..)
        .unwrap_or_default()
        .trim_end_matches("*/")
        .trim_start_matches([' ', '\t', ':', '-', '='])
        .trim();
    let from = line_start + comment_at + marker_at;
    out.push(Suppression {
        code: code.to_owned(),
        reason: (!reason.is_empty()).then(|| reason.to_owned()),
        origin: Origin::source(file.id, Span::new(from, line_end), ""),
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use lambdasec_model::FileId;

    #[test]
    fn finds_comments_above_and_inside() {
        let text = "resource \"a\" \"x\" {}\n\n# lambdasec:ignore:URL001 fronted by CloudFront\n// lambdasec:ignore:AVL001\nresource \"aws_lambda_function_url\" \"u\" {\n  auth = \"NONE\" # lambdasec:ignore:URL002: cors is fine\n}\n";
        let file = SourceFile::new(FileId(0), "main.tf", text);
        let start = text.find("resource \"aws_lambda").unwrap();
        let end = text.len() - 1;
        let s = suppressions(&file, Span::new(start, end));
        let codes: Vec<_> = s
            .iter()
            .map(|s| (s.code.as_str(), s.reason.as_deref()))
            .collect();
        assert_eq!(
            codes,
            vec![
                ("URL001", Some("fronted by CloudFront")),
                ("AVL001", None),
                ("URL002", Some("cors is fine")),
            ]
        );
        // The first block has none: a blank line and another block separate them.
        assert!(suppressions(&file, Span::new(0, 19)).is_empty());
    }

    #[test]
    fn ignores_non_comments() {
        let text = "resource \"a\" \"x\" {\n  d = \"lambdasec:ignore:URL001\"\n}\n";
        let file = SourceFile::new(FileId(0), "main.tf", text);
        assert!(suppressions(&file, Span::new(0, text.len())).is_empty());
    }
}
