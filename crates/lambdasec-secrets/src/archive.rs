//! Zip archives in memory: deployment packages, layers, jars, wheels and archives nested in
//! them.
//!
//! Entries are read in parallel (one clone of the archive per worker; clones share the parsed
//! central directory) and never written to disk. Every entry is bounded: its declared size and
//! the bytes actually inflated are both checked against [`Limits::max_file_size`], the inflated
//! bytes against [`Limits::max_ratio`] times the compressed size (past the first MiB, so small
//! very compressible files pass), and the whole scan against [`Limits::max_total_size`]. Entry
//! names are labels only: `../../x` is reported as written, never resolved.

use crate::scan::{
    Budget, Limits, ScanError, ScanReport, Scanner, SkipReason, has_binary_extension,
};
use rayon::prelude::*;
use std::io::{Cursor, Read};
use zip::ZipArchive;
use zip::result::ZipError;

/// Inflated bytes allowed before the compression ratio is enforced.
const RATIO_GRACE: u64 = 1 << 20;
/// Bytes read before deciding that an entry is binary (as for files).
const BINARY_SNIFF: u64 = 8000;

/// Scan the zip archive `bytes` (labelled `display`) found at nesting `depth`.
pub(crate) fn scan_zip(
    scanner: &Scanner<'_>,
    display: String,
    bytes: &[u8],
    depth: usize,
    budget: &Budget,
) -> ScanReport {
    let limits = scanner.options().limits;
    if depth > limits.max_depth {
        return ScanReport::skip(
            display,
            SkipReason::TooDeep {
                limit: limits.max_depth,
            },
        );
    }
    let archive = match ZipArchive::new(Cursor::new(bytes)) {
        Ok(a) => a,
        Err(source) => {
            return ScanReport::error(ScanError::Archive {
                path: display,
                source,
            });
        }
    };
    let mut report = ScanReport {
        archives: 1,
        ..ScanReport::default()
    };
    let entries = archive.len();
    if entries > limits.max_entries {
        report.skipped.push(crate::scan::Skipped {
            path: display.clone(),
            reason: SkipReason::TooManyEntries {
                entries,
                limit: limits.max_entries,
            },
        });
    }
    let scanned = (0..entries.min(limits.max_entries))
        .into_par_iter()
        .map_init(
            || archive.clone(),
            |zip, index| scan_entry(scanner, zip, index, &display, depth, budget, &limits),
        )
        .reduce(ScanReport::default, ScanReport::merge);
    report.merge(scanned)
}

fn scan_entry(
    scanner: &Scanner<'_>,
    zip: &mut ZipArchive<Cursor<&[u8]>>,
    index: usize,
    archive: &str,
    depth: usize,
    budget: &Budget,
    limits: &Limits,
) -> ScanReport {
    let (path, compressed, declared) = {
        let entry = match zip.by_index_data(index) {
            Ok(e) => e,
            Err(source) => {
                return ScanReport::error(ScanError::Archive {
                    path: format!("{archive}!/#{index}"),
                    source,
                });
            }
        };
        let path = format!("{archive}!/{}", String::from_utf8_lossy(entry.name_raw()));
        if entry.is_dir() {
            return ScanReport::default();
        }
        if entry.is_symlink() {
            return ScanReport::skip(path, SkipReason::Symlink);
        }
        if entry.encrypted() {
            return ScanReport::skip(path, SkipReason::Encrypted);
        }
        if entry.size() > limits.max_file_size {
            return ScanReport::skip(
                path,
                SkipReason::TooLarge {
                    size: entry.size(),
                    limit: limits.max_file_size,
                },
            );
        }
        (path, entry.compressed_size(), entry.size())
    };
    let nested_candidate = is_archive_name(&path);
    if !nested_candidate && has_binary_extension(&path) {
        return ScanReport::skip(path, SkipReason::Binary);
    }
    let mut file = match zip.by_index(index) {
        Ok(f) => f,
        Err(ZipError::UnsupportedArchive(detail)) => {
            return ScanReport::skip(
                path,
                SkipReason::Unsupported {
                    detail: detail.to_owned(),
                },
            );
        }
        Err(source) => return ScanReport::error(ScanError::Archive { path, source }),
    };
    let ratio_cap = compressed.saturating_mul(limits.max_ratio).max(RATIO_GRACE);
    let cap = limits.max_file_size.min(ratio_cap);
    let mut bytes = Vec::with_capacity(usize::try_from(declared.min(cap)).unwrap_or(0));
    // The sniff window first: binary entries are not inflated further.
    let read = |file: &mut zip::read::ZipFile<'_, _>, bytes: &mut Vec<u8>, limit: u64| {
        file.take(limit).read_to_end(bytes)
    };
    if let Err(source) = read(&mut file, &mut bytes, BINARY_SNIFF) {
        return ScanReport::error(ScanError::Io { path, source });
    }
    if !crate::scan::is_zip(&bytes) && crate::scan::is_binary(&bytes) {
        return ScanReport::skip(path, SkipReason::Binary);
    }
    // Then the rest, one byte past the cap so that exceeding it is seen.
    let rest = (cap + 1).saturating_sub(bytes.len() as u64);
    if let Err(source) = read(&mut file, &mut bytes, rest) {
        return ScanReport::error(ScanError::Io { path, source });
    }
    let total = bytes.len() as u64;
    if total > cap {
        let reason = if total > limits.max_file_size {
            SkipReason::TooLarge {
                size: total,
                limit: limits.max_file_size,
            }
        } else {
            SkipReason::CompressionRatio {
                compressed,
                limit: limits.max_ratio,
            }
        };
        return ScanReport::skip(path, reason);
    }
    if !budget.take(total) {
        return ScanReport::skip(
            path,
            SkipReason::TotalSize {
                limit: budget.limit(),
            },
        );
    }
    drop(file);
    scanner.scan_buffer(path, &bytes, depth + 1, budget)
}

/// Names of archive formats that are zips inside (checked by content anyway).
fn is_archive_name(path: &str) -> bool {
    let lower = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    [
        ".zip", ".jar", ".whl", ".war", ".ear", ".egg", ".nupkg", ".aar", ".apk",
    ]
    .iter()
    .any(|ext| lower.ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::ScanOptions;
    use crate::{Detector, SecretKind};
    use std::io::Write;
    use zip::write::SimpleFileOptions;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in entries {
            w.start_file(*name, SimpleFileOptions::default()).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn scanner(limits: Limits) -> Scanner<'static> {
        Scanner::new(
            Detector::shared().unwrap(),
            ScanOptions {
                limits,
                ..ScanOptions::default()
            },
        )
    }

    const KEY: &[u8] = b"aws_access_key_id = AKIAQX7RMZ2WK4TB5NLP\n";

    #[test]
    fn nested_paths_and_lines() {
        let inner = zip_of(&[(
            "config/app.properties",
            &[b"# c\n".as_slice(), KEY].concat(),
        )]);
        let outer = zip_of(&[("lib/inner.jar", &inner), ("README.md", b"nothing here")]);
        let r = scanner(Limits::default()).scan_bytes("layer.zip", &outer);
        assert_eq!(r.findings.len(), 1, "{:?}", r);
        let f = &r.findings[0];
        assert_eq!(f.path, "layer.zip!/lib/inner.jar!/config/app.properties");
        assert_eq!((f.line, f.column), (2, 21));
        assert_eq!(f.secret.kind, SecretKind::AwsAccessKeyId);
        assert_eq!(r.archives, 2);
        assert_eq!(r.files_scanned, 2);
    }

    #[test]
    fn depth_is_capped() {
        let mut z = zip_of(&[("k.txt", KEY)]);
        for i in 0..3 {
            z = zip_of(&[(&format!("n{i}.zip"), &z)]);
        }
        let limits = Limits {
            max_depth: 2,
            ..Limits::default()
        };
        let r = scanner(limits).scan_bytes("top.zip", &z);
        assert!(r.findings.is_empty());
        assert!(matches!(
            r.skipped.as_slice(),
            [s] if s.reason == SkipReason::TooDeep { limit: 2 }
        ));
        let r = scanner(Limits::default()).scan_bytes("top.zip", &z);
        assert_eq!(r.findings.len(), 1);
    }

    #[test]
    fn compression_ratio_is_capped() {
        let bomb = vec![b'a'; 8 << 20];
        let z = zip_of(&[("bomb.txt", &bomb), ("ok.txt", KEY)]);
        let r = scanner(Limits::default()).scan_bytes("p.zip", &z);
        assert_eq!(r.findings.len(), 1);
        assert!(matches!(
            r.skipped.as_slice(),
            [s] if s.path == "p.zip!/bomb.txt" && matches!(s.reason, SkipReason::CompressionRatio { .. })
        ));
    }

    #[test]
    fn size_entries_and_total_are_capped() {
        let z = zip_of(&[("a.txt", KEY), ("b.txt", KEY), ("c.txt", KEY)]);
        let r = scanner(Limits {
            max_entries: 2,
            ..Limits::default()
        })
        .scan_bytes("p.zip", &z);
        assert_eq!(r.findings.len(), 2);
        assert!(r.skipped.iter().any(|s| matches!(
            s.reason,
            SkipReason::TooManyEntries {
                entries: 3,
                limit: 2
            }
        )));

        let r = scanner(Limits {
            max_file_size: 10,
            ..Limits::default()
        })
        .scan_bytes("p.zip", &z);
        assert!(r.findings.is_empty());
        assert_eq!(r.skipped.len(), 3);

        let r = scanner(Limits {
            max_total_size: KEY.len() as u64 * 2,
            ..Limits::default()
        })
        .scan_bytes("p.zip", &z);
        assert_eq!(r.findings.len(), 2);
        assert!(
            r.skipped
                .iter()
                .any(|s| matches!(s.reason, SkipReason::TotalSize { .. }))
        );
    }

    #[test]
    fn hostile_names_are_labels() {
        let z = zip_of(&[("../../etc/cron.d/x", KEY), ("/abs/path.txt", KEY)]);
        let r = scanner(Limits::default()).scan_bytes("p.zip", &z);
        let paths: Vec<_> = r.findings.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["p.zip!/../../etc/cron.d/x", "p.zip!//abs/path.txt"]);
    }

    #[test]
    fn binaries_skipped_and_corrupt_archives_reported() {
        let z = zip_of(&[
            ("lib/x.so", KEY),
            ("data.bin.txt", b"\0\0\0binary AKIAQX7RMZ2WK4TB5NLP"),
        ]);
        let r = scanner(Limits::default()).scan_bytes("p.zip", &z);
        assert!(r.findings.is_empty());
        assert_eq!(r.skipped.len(), 2);
        assert!(r.skipped.iter().all(|s| s.reason == SkipReason::Binary));

        let mut broken = zip_of(&[("a.txt", KEY)]);
        broken.truncate(broken.len() - 10);
        let r = scanner(Limits::default()).scan_bytes("broken.zip", &broken);
        assert_eq!(r.errors.len(), 1);
        assert!(
            r.errors[0]
                .to_string()
                .starts_with("broken.zip: not a readable zip archive")
        );
    }
}
