//! Scanning files, directories and archives (rules SEC002 and SEC003).
//!
//! A [`Scanner`] takes a path (a directory, a file, or an archive by content) or bytes in
//! memory, and returns a [`ScanReport`]: findings located by path — with `!/` between an
//! archive and the path inside it, `layer.zip!/python/lib/pkg.whl!/pkg/settings.py` — and line,
//! plus what was skipped and why. Nothing is ever extracted to disk, so hostile entry names
//! (`../../etc/passwd`) are only labels. Binary files are skipped; limits in [`Limits`] stop zip
//! bombs (size, compression ratio, entry count, nesting depth, total bytes).

use crate::archive;
use crate::detector::{Detector, SecretMatch};
use crate::kind::Confidence;
use crate::patterns::Patterns;
use rayon::prelude::*;
use serde::Serialize;
use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// Caps that bound the work and memory of one scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Limits {
    /// Largest file or archive entry read, uncompressed (default 256 MiB: Lambda's own limit
    /// for an unzipped package is 250 MB).
    pub max_file_size: u64,
    /// Total bytes read (files plus decompressed entries) per scan (default 2 GiB).
    pub max_total_size: u64,
    /// Entries per archive (default 100,000).
    pub max_entries: usize,
    /// Archives inside archives (default 4: `a.zip!/b.jar!/c.zip!/d.jar!/file`).
    pub max_depth: usize,
    /// Largest uncompressed/compressed ratio of an entry past its first MiB (default 200).
    pub max_ratio: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_size: 256 << 20,
            max_total_size: 2 << 30,
            max_entries: 100_000,
            max_depth: 4,
            max_ratio: 200,
        }
    }
}

/// Options of a scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ScanOptions {
    pub limits: Limits,
    /// Matches below this confidence are dropped (default `Medium`).
    pub min_confidence: Confidence,
    /// Names of directories not walked when scanning a directory (default none). Deployment
    /// packages use [`ScanOptions::NOT_DEPLOYED`]: what packaging tools leave out.
    pub skip_dirs: &'static [&'static str],
}

impl ScanOptions {
    /// Directories that packaging tools never put in a deployment package: version control and
    /// the SAM CLI's build output (`aws-lambda-builders` excludes both).
    pub const NOT_DEPLOYED: &'static [&'static str] = &[".git", ".hg", ".svn", ".aws-sam"];
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            limits: Limits::default(),
            min_confidence: Confidence::Medium,
            skip_dirs: &[],
        }
    }
}

/// A secret in a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The file, with `!/` separating each archive from the path inside it.
    pub path: String,
    /// 1-based line of the secret's first byte.
    pub line: usize,
    /// 1-based byte column of the secret's first byte.
    pub column: usize,
    /// The match; its span is a byte range of the file (or archive entry).
    pub secret: SecretMatch,
}

/// Why a file or entry was not scanned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
pub enum SkipReason {
    /// Contains NUL bytes, or has a binary extension.
    Binary,
    /// Larger than [`Limits::max_file_size`].
    TooLarge { size: u64, limit: u64 },
    /// Decompressed far beyond its compressed size ([`Limits::max_ratio`]).
    CompressionRatio { compressed: u64, limit: u64 },
    /// The scan's [`Limits::max_total_size`] was used up.
    TotalSize { limit: u64 },
    /// The archive has more than [`Limits::max_entries`] entries; the rest were not read.
    TooManyEntries { entries: usize, limit: usize },
    /// An archive nested deeper than [`Limits::max_depth`].
    TooDeep { limit: usize },
    /// An encrypted archive entry.
    Encrypted,
    /// A symbolic link (never followed).
    Symlink,
    /// The entry uses a compression method this build does not read (only stored and deflate
    /// are built in).
    Unsupported { detail: String },
}

/// A file or entry that was not scanned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub path: String,
    #[serde(flatten)]
    pub reason: SkipReason,
}

/// An input that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: not a readable zip archive: {source}")]
    Archive {
        path: String,
        #[source]
        source: zip::result::ZipError,
    },
    #[error("{path}: {message}")]
    Walk { path: String, message: String },
}

impl ScanError {
    pub fn path(&self) -> &str {
        match self {
            ScanError::Io { path, .. }
            | ScanError::Archive { path, .. }
            | ScanError::Walk { path, .. } => path,
        }
    }
}

/// What a scan found, skipped and could not read.
#[derive(Debug, Default)]
pub struct ScanReport {
    /// Sorted by path, line, column.
    pub findings: Vec<Finding>,
    pub skipped: Vec<Skipped>,
    pub errors: Vec<ScanError>,
    /// Files and archive entries whose text was scanned.
    pub files_scanned: u64,
    /// Bytes of text scanned (decompressed).
    pub bytes_scanned: u64,
    /// Archives opened, nested ones included.
    pub archives: u64,
}

impl ScanReport {
    /// Both reports in one, `other`'s items after this one's (merge reports of paths in
    /// order to keep findings sorted by input).
    pub fn merge(mut self, other: ScanReport) -> ScanReport {
        self.findings.extend(other.findings);
        self.skipped.extend(other.skipped);
        self.errors.extend(other.errors);
        self.files_scanned += other.files_scanned;
        self.bytes_scanned += other.bytes_scanned;
        self.archives += other.archives;
        self
    }

    pub(crate) fn skip(path: impl Into<String>, reason: SkipReason) -> ScanReport {
        ScanReport {
            skipped: vec![Skipped {
                path: path.into(),
                reason,
            }],
            ..ScanReport::default()
        }
    }

    pub(crate) fn error(error: ScanError) -> ScanReport {
        ScanReport {
            errors: vec![error],
            ..ScanReport::default()
        }
    }

    fn sort(&mut self) {
        self.findings.sort_by(|a, b| {
            (&a.path, a.line, a.column, a.secret.span.start).cmp(&(
                &b.path,
                b.line,
                b.column,
                b.secret.span.start,
            ))
        });
        self.skipped.sort_by(|a, b| a.path.cmp(&b.path));
        self.errors.sort_by(|a, b| a.path().cmp(b.path()));
    }
}

/// Scans paths and bytes with a [`Detector`].
#[derive(Debug, Clone, Copy)]
pub struct Scanner<'d> {
    pub(crate) detector: &'d Detector,
    pub(crate) options: ScanOptions,
}

/// The shared state of one scan: the remaining byte budget.
#[derive(Debug)]
pub(crate) struct Budget {
    remaining: AtomicU64,
    limit: u64,
}

impl Budget {
    fn new(limit: u64) -> Self {
        Budget {
            remaining: AtomicU64::new(limit),
            limit,
        }
    }

    /// Take `n` bytes from the budget; false (and nothing taken) when they are not there.
    pub(crate) fn take(&self, n: u64) -> bool {
        self.remaining
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |r| r.checked_sub(n))
            .is_ok()
    }

    pub(crate) fn limit(&self) -> u64 {
        self.limit
    }
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const EMPTY_ZIP_MAGIC: &[u8] = b"PK\x05\x06";
const BINARY_SNIFF: usize = 8000;
const BINARY_EXTENSIONS: &[&str] = &[
    "so", "dylib", "dll", "exe", "bin", "o", "a", "node", "pyc", "pyo", "class", "png", "jpg",
    "jpeg", "gif", "ico", "bmp", "webp", "tiff", "pdf", "woff", "woff2", "ttf", "otf", "eot",
    "mp3", "mp4", "wav", "ogg", "avi", "mov", "gz", "bz2", "xz", "zst", "7z", "tar", "parquet",
    "db", "sqlite",
];

/// True when `bytes` starts like a zip archive (zip, jar, whl, ...).
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(EMPTY_ZIP_MAGIC)
}

/// True when the first 8000 bytes contain a NUL (the test git uses).
pub fn is_binary(bytes: &[u8]) -> bool {
    memchr::memchr(0, bytes.get(..BINARY_SNIFF).unwrap_or(bytes)).is_some()
}

pub(crate) fn has_binary_extension(path: &str) -> bool {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    name.rsplit_once('.').is_some_and(|(_, ext)| {
        BINARY_EXTENSIONS
            .iter()
            .any(|b| b.eq_ignore_ascii_case(ext))
    })
}

impl<'d> Scanner<'d> {
    pub fn new(detector: &'d Detector, options: ScanOptions) -> Self {
        Scanner { detector, options }
    }

    pub fn options(&self) -> &ScanOptions {
        &self.options
    }

    /// Scan a directory (recursively, hidden files included, symbolic links not followed), a
    /// file, or an archive (recognised by content, nested archives included).
    pub fn scan_path(&self, path: &Path) -> ScanReport {
        self.scan_path_with(path, None)
    }

    /// [`Scanner::scan_path`], reading from a directory only the files `patterns` includes
    /// (a package built from the directory by a tool with exclusion patterns). Files and
    /// archives are scanned whole.
    pub fn scan_path_with(&self, path: &Path, patterns: Option<&Patterns>) -> ScanReport {
        let budget = Budget::new(self.options.limits.max_total_size);
        let display = display_path(path);
        let meta = match std::fs::symlink_metadata(path) {
            Ok(m) => m,
            Err(source) => {
                return ScanReport::error(ScanError::Io {
                    path: display,
                    source,
                });
            }
        };
        let mut report = if meta.is_dir() {
            self.scan_dir(path, patterns, &budget)
        } else {
            self.scan_file(path, display, &budget)
        };
        report.sort();
        report
    }

    /// Scan bytes held in memory: an archive (by content) or a text file. `name` labels the
    /// findings (e.g. `function.zip` or `Resources.Fn.Properties.Code.ZipFile`).
    pub fn scan_bytes(&self, name: &str, bytes: &[u8]) -> ScanReport {
        let budget = Budget::new(self.options.limits.max_total_size);
        let mut report = self.scan_buffer(name.to_owned(), bytes, 0, &budget);
        report.sort();
        report
    }

    fn scan_dir(&self, root: &Path, patterns: Option<&Patterns>, budget: &Budget) -> ScanReport {
        let mut files = Vec::new();
        let mut report = ScanReport::default();
        let skip_dirs = self.options.skip_dirs;
        let walker = ignore::WalkBuilder::new(root)
            .standard_filters(false)
            .hidden(false)
            .follow_links(false)
            .filter_entry(move |e| {
                e.depth() == 0
                    || !e.file_type().is_some_and(|t| t.is_dir())
                    || !skip_dirs.iter().any(|d| e.file_name() == *d)
            })
            .build();
        for entry in walker {
            match entry {
                Ok(e) => match e.file_type() {
                    Some(t) if t.is_file() => {
                        let path = e.into_path();
                        let rel = path.strip_prefix(root).unwrap_or(&path);
                        if patterns.is_none_or(|p| p.includes(rel)) {
                            files.push(path);
                        }
                    }
                    Some(t) if t.is_symlink() => {
                        report.skipped.push(Skipped {
                            path: display_path(e.path()),
                            reason: SkipReason::Symlink,
                        });
                    }
                    _ => {}
                },
                Err(err) => report.errors.push(ScanError::Walk {
                    path: display_path(root),
                    message: err.to_string(),
                }),
            }
        }
        let scanned = files
            .par_iter()
            .map(|p| self.scan_file(p, display_path(p), budget))
            .reduce(ScanReport::default, ScanReport::merge);
        report.merge(scanned)
    }

    fn scan_file(&self, path: &Path, display: String, budget: &Budget) -> ScanReport {
        let limits = &self.options.limits;
        let io = |source| {
            ScanReport::error(ScanError::Io {
                path: display.clone(),
                source,
            })
        };
        // Binary by name: skipped without opening (archives are never in this list).
        if has_binary_extension(&display) {
            return ScanReport::skip(display, SkipReason::Binary);
        }
        let file = match std::fs::File::open(path) {
            Ok(f) => f,
            Err(e) => return io(e),
        };
        let size = match file.metadata() {
            Ok(m) => m.len(),
            Err(e) => return io(e),
        };
        if size > limits.max_file_size {
            return ScanReport::skip(
                display,
                SkipReason::TooLarge {
                    size,
                    limit: limits.max_file_size,
                },
            );
        }
        if !budget.take(size) {
            return ScanReport::skip(
                display,
                SkipReason::TotalSize {
                    limit: budget.limit(),
                },
            );
        }
        let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        if let Err(e) = file.take(limits.max_file_size).read_to_end(&mut bytes) {
            return io(e);
        }
        self.scan_buffer(display, &bytes, 0, budget)
    }

    /// Scan one buffer: an archive at `depth`, or text.
    pub(crate) fn scan_buffer(
        &self,
        display: String,
        bytes: &[u8],
        depth: usize,
        budget: &Budget,
    ) -> ScanReport {
        if is_zip(bytes) {
            return archive::scan_zip(self, display, bytes, depth, budget);
        }
        if is_binary(bytes) {
            return ScanReport::skip(display, SkipReason::Binary);
        }
        let findings = self.locate(&display, bytes);
        ScanReport {
            findings,
            files_scanned: 1,
            bytes_scanned: bytes.len() as u64,
            ..ScanReport::default()
        }
    }

    /// Run the detector on text and attach lines and columns.
    pub fn locate(&self, display: &str, text: &[u8]) -> Vec<Finding> {
        let matches = self.detector.scan(text);
        let mut line = 1usize;
        let mut line_start = 0usize;
        let mut counted_to = 0usize;
        let mut out = Vec::with_capacity(matches.len());
        let docs = is_sdk_examples(display);
        for mut m in matches {
            if docs {
                m.confidence = Confidence::Low;
            }
            // AWS documentation keys (`AKIAIOSFODNN7EXAMPLE`, `...EXAMPLEKEY`, session tokens
            // with `EXAMPLE` inside) fill SDK examples that packages bundle (botocore's
            // `examples-1.json`): in files they are samples, not credentials.
            if text
                .get(m.span.clone())
                .is_some_and(|s| memchr::memmem::find(s, b"EXAMPLE").is_some())
            {
                m.confidence = Confidence::Low;
            }
            if m.confidence < self.options.min_confidence {
                continue;
            }
            let start = m.span.start.min(text.len());
            if let Some(chunk) = text.get(counted_to..start) {
                for i in memchr::memchr_iter(b'\n', chunk) {
                    line += 1;
                    line_start = counted_to + i + 1;
                }
                counted_to = start;
            }
            out.push(Finding {
                path: display.to_owned(),
                line,
                column: start - line_start + 1,
                secret: m,
            });
        }
        out
    }
}

/// The documentation examples AWS SDKs ship as data (botocore `data/<service>/<version>/
/// examples-1.json`, AWS SDK for JavaScript v2 `apis/<service>-<version>.examples.json`):
/// sample passwords and keys that every package bundling the SDK carries.
fn is_sdk_examples(path: &str) -> bool {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    name == "examples-1.json" || name.ends_with(".examples.json")
}

fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '\\' {
        s.replace('\\', "/")
    } else {
        s.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budget_takes_and_refuses() {
        let b = Budget::new(10);
        assert!(b.take(6));
        assert!(!b.take(5));
        assert!(b.take(4));
        assert!(!b.take(1));
    }

    #[test]
    fn binary_sniffing() {
        assert!(is_binary(b"ELF\0\x01"));
        assert!(!is_binary(b"plain text"));
        assert!(has_binary_extension(
            "lib/_cffi.cpython-312-x86_64-linux-gnu.so"
        ));
        assert!(has_binary_extension("a/b/Image.PNG"));
        assert!(!has_binary_extension("settings.py"));
        assert!(!has_binary_extension("Makefile"));
        assert!(is_zip(b"PK\x03\x04rest"));
        assert!(!is_zip(b"PK"));
    }

    #[test]
    fn skipped_directories_are_not_walked() {
        let dir = tempfile::tempdir().unwrap();
        let key = b"key = \"AKIAQX7RMZ2WK4TB5NLP\"\n";
        for sub in ["src", ".git", ".aws-sam/build/Fn", "lib/.git"] {
            std::fs::create_dir_all(dir.path().join(sub)).unwrap();
            std::fs::write(dir.path().join(sub).join("config"), key).unwrap();
        }
        let d = Detector::shared().unwrap();
        let all = Scanner::new(d, ScanOptions::default()).scan_path(dir.path());
        assert_eq!(all.findings.len(), 4);
        let package = ScanOptions {
            skip_dirs: ScanOptions::NOT_DEPLOYED,
            ..ScanOptions::default()
        };
        let r = Scanner::new(d, package).scan_path(dir.path());
        let paths: Vec<_> = r.findings.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths.len(), 1, "{paths:?}");
        assert!(paths[0].ends_with("/src/config"));
        // The root itself is scanned even when its name is in the list.
        let r = Scanner::new(d, package).scan_path(&dir.path().join(".git"));
        assert_eq!(r.findings.len(), 1);
    }

    #[test]
    fn package_patterns_choose_the_files_of_a_directory() {
        let dir = tempfile::tempdir().unwrap();
        let key = b"key = \"AKIAQX7RMZ2WK4TB5NLP\"\n";
        for sub in ["src", "tests", "node_modules/dep", "node_modules/keep"] {
            std::fs::create_dir_all(dir.path().join(sub)).unwrap();
            std::fs::write(dir.path().join(sub).join("config"), key).unwrap();
        }
        let d = Detector::shared().unwrap();
        let patterns = Patterns::new(
            dir.path(),
            &[
                "!tests/**".to_owned(),
                "!node_modules/**".to_owned(),
                "node_modules/keep/**".to_owned(),
            ],
        )
        .unwrap();
        let s = Scanner::new(d, ScanOptions::default());
        let r = s.scan_path_with(dir.path(), Some(&patterns));
        let mut paths: Vec<_> = r
            .findings
            .iter()
            .map(|f| f.path.rsplit('/').nth(1).unwrap())
            .collect();
        paths.sort_unstable();
        assert_eq!(paths, ["keep", "src"]);
        assert_eq!(r.files_scanned, 2);
        // A file is scanned whole whatever the patterns.
        let one = dir.path().join("tests/config");
        assert_eq!(s.scan_path_with(&one, Some(&patterns)).findings.len(), 1);
    }

    #[test]
    fn lines_and_columns() {
        let d = Detector::shared().unwrap();
        let s = Scanner::new(d, ScanOptions::default());
        let text = b"a = 1\n\nkey = \"AKIAQX7RMZ2WK4TB5NLP\"\n  AKIAQX7RMZ2WK4TB5NLQ\n";
        let f = s.locate("x.py", text);
        assert_eq!(f.len(), 2);
        assert_eq!((f[0].line, f[0].column), (3, 8));
        assert_eq!((f[1].line, f[1].column), (4, 3));
    }

    #[test]
    fn aws_documentation_keys_in_files_are_low_confidence() {
        let d = Detector::shared().unwrap();
        // As in botocore's examples-1.json, which every package bundling boto3 carries.
        let doc = b"\"AccessKeyId\": \"AKIAIOSFODNN7EXAMPLE\",\n\"SecretAccessKey\": \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY\"\n";
        let s = Scanner::new(d, ScanOptions::default());
        assert!(s.locate("examples-1.json", doc).is_empty());
        let low = ScanOptions {
            min_confidence: Confidence::Low,
            ..ScanOptions::default()
        };
        let found = Scanner::new(d, low).locate("examples-1.json", doc);
        assert!(!found.is_empty());
        assert!(found.iter().all(|f| f.secret.confidence == Confidence::Low));
        // A key id of the same shape without the marker stays high.
        let real = format!("k = \"AKIA{}\"\n", "QX7RMZ2WK4TB5NLP");
        let f = s.locate("app.py", real.as_bytes());
        assert_eq!(f[0].secret.confidence, Confidence::High);
    }

    #[test]
    fn sdk_documentation_examples_are_low_confidence() {
        let d = Detector::shared().unwrap();
        let text = b"\"NewPassword\": \"]35d/{pB9Fo9wJ\",\n";
        let s = Scanner::new(d, ScanOptions::default());
        assert!(
            s.locate("botocore/data/iam/2010-05-08/examples-1.json", text)
                .is_empty()
        );
        assert!(
            s.locate("apis/iam-2010-05-08.examples.json", text)
                .is_empty()
        );
        assert_eq!(s.locate("config/users.json", text).len(), 1);
    }

    #[test]
    fn min_confidence_filters() {
        let d = Detector::shared().unwrap();
        let text = b"db_password = \"Summer2024!\"\n";
        let s = Scanner::new(d, ScanOptions::default());
        assert!(s.locate("x", text).is_empty());
        let low = ScanOptions {
            min_confidence: Confidence::Low,
            ..ScanOptions::default()
        };
        assert_eq!(Scanner::new(d, low).locate("x", text).len(), 1);
    }
}
