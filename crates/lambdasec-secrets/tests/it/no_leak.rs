//! No output form of a finding contains the secret: not `Debug`, not `Display`, not JSON, not a
//! masked line.

use crate::{env_corpus, files};
use lambdasec_secrets::{Detector, ScanOptions, Scanner, mask};

/// The longest piece of `secret` found in `output`, ignoring the prefix shown by design.
fn leaked(secret: &str, shown_prefix: usize, output: &str) -> Option<String> {
    // Any 8-byte window of the secret past the shown prefix is a leak, unless the window is part
    // of the shown prefix itself (a PEM footer repeats its header).
    let bytes = secret.as_bytes();
    let prefix = &secret[..shown_prefix];
    (shown_prefix..bytes.len().saturating_sub(7)).find_map(|i| {
        let w = std::str::from_utf8(&bytes[i..i + 8]).ok()?;
        // Windows made only of the format's public parts are not a leak.
        let trivial = w.bytes().all(|b| !b.is_ascii_alphanumeric())
            || w.starts_with("-----")
            || prefix.contains(w);
        (output.contains(w) && !trivial).then(|| w.to_owned())
    })
}

#[test]
fn env_matches_never_print_the_secret() {
    let d = Detector::shared().unwrap();
    for (name, value, _) in env_corpus::positives() {
        let m = d.check_env(&name, &value).unwrap();
        let secret = &value[m.span.clone()];
        let outputs = [
            format!("{m:?}"),
            m.redacted.to_string(),
            serde_json::to_string(&m).unwrap(),
            mask(&value, &[(m.span.clone(), &m.redacted)]),
        ];
        for out in outputs {
            assert_eq!(
                leaked(secret, m.redacted.prefix.len(), &out),
                None,
                "{name}: {out}"
            );
        }
    }
}

#[test]
fn file_findings_never_print_the_secret() {
    let scanner = Scanner::new(Detector::shared().unwrap(), ScanOptions::default());
    for (path, content, expected) in files::planted() {
        let report = scanner.scan_bytes(&path, content.as_bytes());
        assert_eq!(report.findings.len(), expected.len(), "{path}");
        for f in &report.findings {
            let secret = &content[f.secret.span.clone()];
            let line_start = content[..f.secret.span.start]
                .rfind('\n')
                .map_or(0, |i| i + 1);
            let line_end = content[f.secret.span.end..]
                .find('\n')
                .map_or(content.len(), |i| f.secret.span.end + i);
            let line = &content[line_start..line_end];
            let span = f.secret.span.start - line_start..f.secret.span.end - line_start;
            let outputs = [
                format!("{f:?}"),
                serde_json::to_string(f).unwrap(),
                format!("{report:?}"),
                mask(line, &[(span, &f.secret.redacted)]),
            ];
            for out in outputs {
                assert_eq!(
                    leaked(secret, f.secret.redacted.prefix.len(), &out),
                    None,
                    "{path}: {out}"
                );
            }
        }
    }
}
