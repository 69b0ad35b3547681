//! The package scan: secrets in the code of functions and layers (rules SEC002 and SEC003).
//!
//! Rules never read files, so after a unit is loaded this step opens the artifacts its
//! [`Code`] values name and records what it finds in [`Inventory::package_secrets`], and what it
//! could not assess in [`Inventory::package_skips`] (plus a warning diagnostic, so reports show
//! it):
//!
//! - `Code::Local { path }`: a directory (SAM `CodeUri: src/`, serverless layer `path`), a zip,
//!   jar or wheel (Terraform `filename`, serverless `package.artifact`, packages saved by
//!   `collect --download-code`), resolved relative to the file that declares it (for live
//!   snapshots, the snapshot file). Directories skip what packaging tools leave out (`.git`,
//!   `.aws-sam`), and the files the owner's [`PackageFilter`](lambdasec_model::PackageFilter)
//!   leaves out (serverless.yml `package.patterns`, Terraform `archive_file` `excludes`).
//! - `Code::Inline { source }` (CloudFormation `Code.ZipFile`, SAM `InlineCode`): scanned in
//!   memory; when the secret can be found again in the template text, the evidence points at it.
//! - S3 objects and images are not local code: nothing to scan offline.
//!
//! What could not be read is summed up in at most two warnings per unit (absent code; parts
//! unreadable or over a cap) naming the first paths; every skip stays in `package_skips`.
//!
//! Everything is read in memory with the caps of [`Limits`] (zip bombs, nesting, total bytes);
//! nothing is extracted to disk. Artifacts are scanned in parallel, and each one once per unit
//! even when many functions share it (SAM `Globals`). Results are also shared across the units
//! of a scan through the [`PackageScan`] they are given: an artifact whose scan has finished is
//! not read again. (Two units reaching the same artifact at the same moment may both scan it:
//! waiting for another worker's scan inside the thread pool could deadlock.)
//!
//! Evidence never holds a secret: only its kind, confidence and redacted preview.

use crate::Unit;
use lambdasec_model::{
    Code, CodeOwner, Diagnostic, Inventory, NotAssessedReason, Origin, PackageSecret, PackageSkip,
    SecretConfidence, SourceMap, Span, Value,
};
use lambdasec_secrets::{
    Confidence, Detector, Limits, Patterns, ScanError, ScanOptions, ScanReport, Scanner, SkipReason,
};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

/// The package scan's settings and the results shared by the units of one scan. Cloning shares
/// the results.
#[derive(Debug, Clone)]
pub struct PackageScan {
    /// Caps on what one artifact may make the scanner read.
    pub limits: Limits,
    /// Matches below this confidence are not evidence (default `Medium`: a human-looking
    /// password in a package is too often a test fixture).
    pub min_confidence: Confidence,
    cache: Arc<Cache>,
}

impl Default for PackageScan {
    fn default() -> Self {
        PackageScan::new(Limits::default(), Confidence::Medium)
    }
}

impl PackageScan {
    pub fn new(limits: Limits, min_confidence: Confidence) -> Self {
        PackageScan {
            limits,
            min_confidence,
            cache: Arc::default(),
        }
    }

    /// How many local artifacts have been read so far (each one counted once, however many
    /// functions and units use it, unless two units raced for it).
    pub fn artifacts_scanned(&self) -> usize {
        self.cache.scans.load(Ordering::Relaxed)
    }

    fn options(&self) -> ScanOptions {
        ScanOptions {
            limits: self.limits,
            min_confidence: self.min_confidence,
            skip_dirs: ScanOptions::NOT_DEPLOYED,
        }
    }
}

/// An artifact to read: its resolved path and the package patterns that choose the files of a
/// directory (empty: all of it).
type ArtifactKey = (PathBuf, Vec<String>);

/// Finished artifact scans, by resolved path and patterns.
#[derive(Debug, Default)]
struct Cache {
    done: Mutex<HashMap<ArtifactKey, Arc<Scanned>>>,
    scans: AtomicUsize,
}

/// What one artifact holds, independent of who uses it. Paths are suffixes of the artifact's
/// own path (`/app.py`, `!/lib/a.jar!/x.properties`), so each user labels them with the path
/// as it wrote it.
#[derive(Debug, Default)]
struct Scanned {
    hits: Vec<Hit>,
    skips: Vec<Skip>,
    /// Package patterns that did not compile (the whole directory was read instead).
    invalid_patterns: Option<String>,
}

#[derive(Debug)]
struct Hit {
    suffix: String,
    line: u32,
    column: u32,
    kind: &'static str,
    kind_title: &'static str,
    confidence: SecretConfidence,
    preview: String,
    hash: String,
}

#[derive(Debug)]
struct Skip {
    suffix: String,
    reason: NotAssessedReason,
    detail: String,
}

/// A code value to scan, with its owner.
struct Job<'a> {
    owner: CodeOwner,
    code: &'a Value<Code>,
}

/// Scan the code of every function and layer of `inventory` and record the evidence.
pub(crate) fn scan(
    inventory: &mut Inventory,
    unit: &Unit,
    sources: &SourceMap,
    settings: &PackageScan,
) {
    let detector = match Detector::shared() {
        Ok(d) => d,
        Err(e) => {
            let origin = unit
                .files
                .first()
                .map_or(Origin::Unknown, |&f| crate::file_origin(f));
            inventory.diagnostics.push(Diagnostic::error(
                format!("internal: the secret detector did not build: {e}"),
                origin,
            ));
            return;
        }
    };
    let scanner = Scanner::new(detector, settings.options());
    let unit_dir = unit
        .files
        .first()
        .and_then(|&f| sources.get(f))
        .map(|f| parent_dir(&f.path));

    let jobs: Vec<Job<'_>> = inventory
        .functions
        .iter()
        .filter_map(|f| {
            Some(Job {
                owner: CodeOwner::function(&f.meta.id),
                code: f.code.as_ref()?,
            })
        })
        .chain(inventory.layers.iter().filter_map(|l| {
            Some(Job {
                owner: CodeOwner::layer(&l.meta.id),
                code: l.content.as_ref()?,
            })
        }))
        .collect();

    // Local artifacts, grouped by resolved path and package patterns: each is read once.
    let filters: HashMap<&CodeOwner, &[String]> = inventory
        .package_filters
        .iter()
        .map(|f| (&f.owner, f.patterns.as_slice()))
        .collect();
    let mut local: BTreeMap<ArtifactKey, Vec<(&Job<'_>, &str)>> = BTreeMap::new();
    let mut inline = Vec::new();
    for job in &jobs {
        match job.code.get() {
            // A URL (`https://...`, which SAM rejects) names no local code.
            Some(Code::Local { path }) if is_url(path) => {}
            Some(Code::Local { path }) => {
                let base = job
                    .code
                    .origin
                    .file()
                    .and_then(|f| sources.get(f))
                    .map(|f| parent_dir(&f.path))
                    .or_else(|| unit_dir.clone())
                    .unwrap_or_else(|| PathBuf::from("."));
                let resolved = base.join(path);
                let resolved = std::fs::canonicalize(&resolved).unwrap_or(resolved);
                let patterns = filters
                    .get(&job.owner)
                    .map_or_else(Vec::new, |p| p.to_vec());
                local
                    .entry((resolved, patterns))
                    .or_default()
                    .push((job, path.as_str()));
            }
            Some(Code::Inline { source }) => inline.push((job, source.as_str())),
            _ => {}
        }
    }

    let artifacts: Vec<(&ArtifactKey, Arc<Scanned>)> = local
        .keys()
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|key| (key, scan_artifact(&scanner, key, &settings.cache)))
        .collect();
    let inline_results: Vec<Scanned> = inline
        .par_iter()
        .map(|(_, source)| convert(scanner.scan_bytes("", source.as_bytes()), ""))
        .collect();

    let mut secrets = Vec::new();
    let mut skips = Vec::new();
    let mut diagnostics = Vec::new();
    let mut unscanned = Unscanned::default();
    for (key, scanned) in &artifacts {
        let Some(users) = local.get(*key) else {
            continue;
        };
        if let (Some(detail), Some((job, written))) = (&scanned.invalid_patterns, users.first()) {
            diagnostics.push(Diagnostic::warning(
                format!("{detail}; all of `{written}` was scanned for secrets"),
                job.code.origin.clone(),
            ));
        }
        for (i, (job, written)) in users.iter().enumerate() {
            for h in &scanned.hits {
                secrets.push(evidence(
                    job,
                    label(written, &h.suffix),
                    h,
                    &job.code.origin,
                ));
            }
            for s in &scanned.skips {
                let skip = PackageSkip {
                    owner: job.owner.clone(),
                    path: label(written, &s.suffix),
                    reason: s.reason,
                    detail: s.detail.clone(),
                    origin: job.code.origin.clone(),
                };
                // Each artifact counts once in the warning, however many owners share it.
                if i == 0 {
                    unscanned.add(&skip, s.suffix.is_empty());
                }
                skips.push(skip);
            }
        }
    }
    for ((job, _), scanned) in inline.iter().zip(&inline_results) {
        let label = "inline";
        for h in &scanned.hits {
            let origin = place_inline(detector, sources, &job.code.origin, h)
                .unwrap_or_else(|| job.code.origin.clone());
            secrets.push(evidence(job, label.to_owned(), h, &origin));
        }
        for s in &scanned.skips {
            let skip = PackageSkip {
                owner: job.owner.clone(),
                path: label.to_owned(),
                reason: s.reason,
                detail: s.detail.clone(),
                origin: job.code.origin.clone(),
            };
            unscanned.add(&skip, false);
            skips.push(skip);
        }
    }
    diagnostics.extend(unscanned.warnings());
    inventory.package_secrets.extend(secrets);
    inventory.package_skips.extend(skips);
    inventory.diagnostics.extend(diagnostics);
}

/// `scheme://...`: a location that is not a local path.
fn is_url(path: &str) -> bool {
    path.split_once("://").is_some_and(|(scheme, _)| {
        scheme.len() > 1
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

/// The directory of a source file's path (`.` for a bare file name).
fn parent_dir(path: &str) -> PathBuf {
    match Path::new(path).parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A file of an artifact as its user wrote the artifact: `src/app.py`, `fn.zip!/app.py`; the
/// files of the directory `.` are named without it.
fn label(written: &str, suffix: &str) -> String {
    let base = written.trim_end_matches('/');
    match base {
        "" if written.is_empty() => suffix.trim_start_matches('/').to_owned(),
        "" => format!("{written}{}", suffix.trim_start_matches('/')),
        "." if !suffix.is_empty() => suffix.trim_start_matches('/').to_owned(),
        _ => format!("{base}{suffix}"),
    }
}

/// Scan one local artifact, or take the finished result of an earlier unit.
fn scan_artifact(scanner: &Scanner<'_>, key: &ArtifactKey, cache: &Cache) -> Arc<Scanned> {
    let done = |c: &Cache| {
        c.done
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(key)
            .cloned()
    };
    if let Some(hit) = done(cache) {
        return hit;
    }
    cache.scans.fetch_add(1, Ordering::Relaxed);
    let (path, patterns) = key;
    let root = path.to_string_lossy().replace('\\', "/");
    let (compiled, invalid_patterns) = if patterns.is_empty() {
        (None, None)
    } else {
        match Patterns::new(path, patterns) {
            Ok(p) => (Some(p), None),
            Err(e) => (None, Some(e.to_string())),
        }
    };
    let mut scanned = convert(scanner.scan_path_with(path, compiled.as_ref()), &root);
    scanned.invalid_patterns = invalid_patterns;
    cache
        .done
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .entry(key.clone())
        .or_insert_with(|| Arc::new(scanned))
        .clone()
}

/// A scan report as evidence: paths relative to `root`, benign skips (binaries, links)
/// dropped.
fn convert(report: ScanReport, root: &str) -> Scanned {
    let suffix = |p: &str| p.strip_prefix(root).unwrap_or(p).to_owned();
    let hits = report
        .findings
        .into_iter()
        .map(|f| Hit {
            suffix: suffix(&f.path),
            line: u32::try_from(f.line).unwrap_or(u32::MAX),
            column: u32::try_from(f.column).unwrap_or(u32::MAX),
            kind: f.secret.kind.id(),
            kind_title: f.secret.kind.title(),
            confidence: match f.secret.confidence {
                Confidence::Low => SecretConfidence::Low,
                Confidence::Medium => SecretConfidence::Medium,
                Confidence::High => SecretConfidence::High,
            },
            preview: f.secret.redacted.to_string(),
            hash: f.secret.redacted.hash.clone(),
        })
        .collect();
    let mut skips: Vec<Skip> = report
        .skipped
        .into_iter()
        .filter_map(|s| {
            let detail = match s.reason {
                SkipReason::Binary | SkipReason::Symlink => return None,
                SkipReason::TooLarge { size, limit } => {
                    format!("{size} bytes, larger than the {limit} byte limit")
                }
                SkipReason::CompressionRatio { compressed, limit } => {
                    format!("inflates beyond {limit} times its {compressed} compressed bytes")
                }
                SkipReason::TotalSize { limit } => {
                    format!("the scan's {limit} byte budget was used up")
                }
                SkipReason::TooManyEntries { entries, limit } => {
                    format!("{entries} entries, only the first {limit} were read")
                }
                SkipReason::TooDeep { limit } => {
                    format!("archives nested more than {limit} deep")
                }
                SkipReason::Encrypted => "encrypted".to_owned(),
                SkipReason::Unsupported { detail } => format!("unsupported: {detail}"),
            };
            Some(Skip {
                suffix: suffix(&s.path),
                reason: NotAssessedReason::Limit,
                detail,
            })
        })
        .collect();
    skips.extend(report.errors.into_iter().map(|e| {
        let (reason, detail) = match &e {
            ScanError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
                (NotAssessedReason::Missing, "not found".to_owned())
            }
            ScanError::Io { source, .. } => (NotAssessedReason::Unreadable, source.to_string()),
            ScanError::Archive { source, .. } => (
                NotAssessedReason::Unreadable,
                format!("not a readable zip archive: {source}"),
            ),
            ScanError::Walk { message, .. } => (NotAssessedReason::Unreadable, message.clone()),
        };
        Skip {
            suffix: suffix(e.path()),
            reason,
            detail,
        }
    }));
    Scanned {
        hits,
        skips,
        invalid_patterns: None,
    }
}

fn evidence(job: &Job<'_>, path: String, h: &Hit, origin: &Origin) -> PackageSecret {
    PackageSecret {
        owner: job.owner.clone(),
        path,
        line: h.line,
        column: h.column,
        kind: h.kind.to_owned(),
        kind_title: h.kind_title.to_owned(),
        confidence: h.confidence,
        preview: h.preview.clone(),
        hash: h.hash.clone(),
        origin: origin.clone(),
    }
}

/// What a unit's package scan could not read, summed up as one warning: parts of artifacts
/// that were unreadable or over a cap. Code that is absent altogether (a checkout without its
/// build output or `src/`) is only typed evidence in [`Inventory::package_skips`]
/// ([`NotAssessedReason::Missing`]): a caller sums it up across every unit it scanned, once.
#[derive(Default)]
struct Unscanned {
    partial: Vec<(String, String, Origin)>,
}

/// How many paths a warning names before it only counts.
const NAMED: usize = 3;

impl Unscanned {
    /// Record a skip; `whole` when it is the artifact itself rather than a part of it.
    fn add(&mut self, skip: &PackageSkip, whole: bool) {
        if !(whole && skip.reason == NotAssessedReason::Missing) {
            self.partial
                .push((skip.path.clone(), skip.detail.clone(), skip.origin.clone()));
        }
    }

    fn warnings(self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        if let Some((path, detail, origin)) = self.partial.first() {
            let message = match self.partial.len() {
                1 => format!("`{path}` was not scanned for secrets: {detail}"),
                n => format!(
                    "{n} files or archives were not (fully) scanned for secrets (first: `{path}`: \
                     {detail}): {}",
                    named(self.partial.iter().map(|m| m.0.as_str()), n)
                ),
            };
            out.push(Diagnostic::warning(message, origin.clone()));
        }
        out
    }
}

/// The first paths, quoted, and how many more there are.
fn named<'p>(paths: impl Iterator<Item = &'p str>, total: usize) -> String {
    let mut s = paths
        .take(NAMED)
        .map(|p| format!("`{p}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if total > NAMED {
        s.push_str(&format!(" and {} more", total - NAMED));
    }
    s
}

/// The template span of a secret found in inline code: the written scalar is scanned again and
/// the match with the same hash is taken (a block scalar keeps the secret's bytes; an escaped
/// quoted string may not, and then the evidence points at the whole value).
fn place_inline(
    detector: &Detector,
    sources: &SourceMap,
    origin: &Origin,
    h: &Hit,
) -> Option<Origin> {
    let Origin::Source { file, span, path } = origin else {
        return None;
    };
    let source = sources.get(*file)?;
    let written = source.slice(*span);
    let m = detector
        .scan(written.as_bytes())
        .into_iter()
        .find(|m| m.redacted.hash == h.hash)?;
    let start = span.start as usize;
    Some(Origin::source(
        *file,
        Span::new(start + m.span.start, start + m.span.end),
        path.clone(),
    ))
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        reason = "test code: a failure is a test failure"
    )]

    use super::*;
    use crate::{LoadOptions, discover, load};
    use std::io::Write as _;

    /// Fake credentials in provider formats, built at run time (none is stored in the source).
    struct Fakes {
        key_id: String,
        jwt: String,
        db_url: String,
    }

    fn fakes(seed: u64) -> Fakes {
        let mut x = seed | 1;
        let mut pick = |alphabet: &[u8], n: usize| -> String {
            (0..n)
                .map(|_| {
                    x ^= x >> 12;
                    x ^= x << 25;
                    x ^= x >> 27;
                    let r = x.wrapping_mul(0x2545_F491_4F6C_DD1D);
                    char::from(alphabet[(r % alphabet.len() as u64) as usize])
                })
                .collect()
        };
        const B32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        const B62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        Fakes {
            key_id: format!("AKIA{}", pick(B32, 16)),
            // {"alg":"HS256","typ":"JWT"} . {"sub":"1234567890"} . random signature
            jwt: format!(
                "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.{}",
                pick(B62, 43)
            ),
            db_url: format!(
                "postgres://orders_app:{}@orders.cluster-1.eu-west-1.rds.amazonaws.com/orders",
                pick(B62, 18)
            ),
        }
    }

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, data) in entries {
            w.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn write(root: &Path, rel: &str, data: &[u8]) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, data).unwrap();
    }

    fn load_all(paths: &[PathBuf], options: &LoadOptions) -> (SourceMap, Vec<Inventory>) {
        let sources = SourceMap::new();
        let d = discover(paths, &sources);
        assert!(d.errors.is_empty(), "{:?}", d.errors);
        let inv = d.units.iter().map(|u| load(u, &sources, options)).collect();
        (sources, inv)
    }

    fn scanning() -> LoadOptions {
        LoadOptions {
            packages: Some(PackageScan::default()),
            ..LoadOptions::default()
        }
    }

    const SAM: &str = "AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    CodeUri: src/
    Runtime: python3.12
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Layers: [!Ref Deps]
  Billing:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.billing
  Packaged:
    Type: AWS::Serverless::Function
    Properties:
      Handler: main.handler
      CodeUri: build/packaged.zip
  Gone:
    Type: AWS::Serverless::Function
    Properties:
      Handler: main.handler
      CodeUri: build/missing.zip
  Deps:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: layer
";

    #[test]
    fn directories_zips_and_layers_once_each() {
        let f = fakes(7);
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "template.yaml", SAM.as_bytes());
        write(
            root,
            "src/app.py",
            format!("import os\n\nKEY_ID = \"{}\"\n", f.key_id).as_bytes(),
        );
        // Not deployed: the SAM CLI's build output and version control.
        write(root, "src/.aws-sam/build/app.py", f.key_id.as_bytes());
        let jar = zip_of(&[(
            "conf/app.properties",
            format!("# db\nurl={}\n", f.db_url).as_bytes(),
        )]);
        write(
            root,
            "build/packaged.zip",
            &zip_of(&[("main.py", b"print('ok')\n"), ("lib/dep.jar", &jar)]),
        );
        write(
            root,
            "layer/python/settings.py",
            format!("TOKEN = '{}'\n", f.jwt).as_bytes(),
        );

        let options = scanning();
        let (_, invs) = load_all(&[root.join("template.yaml")], &options);
        let inv = &invs[0];
        let mut got: Vec<_> = inv
            .package_secrets
            .iter()
            .map(|s| {
                (
                    s.owner.id.as_str(),
                    s.path.as_str(),
                    s.line,
                    s.column,
                    s.kind.as_str(),
                )
            })
            .collect();
        got.sort_unstable();
        assert_eq!(
            got,
            [
                ("Billing", "src/app.py", 3, 11, "aws-access-key-id"),
                ("Deps", "layer/python/settings.py", 1, 10, "jwt"),
                ("Orders", "src/app.py", 3, 11, "aws-access-key-id"),
                (
                    "Packaged",
                    "build/packaged.zip!/lib/dep.jar!/conf/app.properties",
                    2,
                    27,
                    "database-url-password"
                ),
            ]
        );
        // src/ (shared by two functions), the zip, the layer, the missing zip.
        assert_eq!(options.packages.as_ref().unwrap().artifacts_scanned(), 4);
        let deps = inv.package_secrets.iter().find(|s| s.owner.id == "Deps");
        assert_eq!(
            deps.unwrap().owner.kind,
            lambdasec_model::ResourceKind::Layer
        );
        for s in &inv.package_secrets {
            assert!(s.preview.contains("bytes, sha256:"), "{}", s.preview);
            assert!(!s.preview.contains(&f.key_id[4..]), "{}", s.preview);
            let at = s.origin.path().unwrap();
            assert!(
                at.ends_with("CodeUri") || at.ends_with("ContentUri"),
                "{at}"
            );
        }

        assert_eq!(inv.package_skips.len(), 1);
        let skip = &inv.package_skips[0];
        assert_eq!(
            (skip.owner.id.as_str(), skip.path.as_str(), skip.reason),
            ("Gone", "build/missing.zip", NotAssessedReason::Missing)
        );
        // Absent code is typed evidence, summed up by the caller across units.
        assert!(
            !inv.diagnostics
                .iter()
                .any(|d| d.message.contains("scanned for secrets")),
            "{:?}",
            inv.diagnostics
        );
    }

    #[test]
    fn urls_are_not_local_paths() {
        assert!(is_url("http://dropbox.com/my-object.zip"));
        assert!(is_url("git+https://example.com/repo"));
        assert!(!is_url("src/"));
        assert!(!is_url("C://code/app.zip"));
        assert!(!is_url("build/a://b"));
    }

    #[test]
    fn units_share_finished_scans_and_nothing_is_read_when_off() {
        let f = fakes(11);
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let sam = "Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      CodeUri: ../src
";
        write(root, "a/template.yaml", sam.as_bytes());
        write(root, "b/template.yaml", sam.as_bytes());
        write(
            root,
            "src/index.js",
            format!("const k = '{}';\n", f.key_id).as_bytes(),
        );
        let options = scanning();
        let (_, first) = load_all(&[root.join("a/template.yaml")], &options);
        let (_, second) = load_all(&[root.join("b/template.yaml")], &options);
        assert_eq!(options.packages.as_ref().unwrap().artifacts_scanned(), 1);
        for inv in first.iter().chain(&second) {
            assert_eq!(inv.package_secrets.len(), 1);
            assert_eq!(inv.package_secrets[0].path, "../src/index.js");
        }

        let (_, off) = load_all(&[root.join("a/template.yaml")], &LoadOptions::default());
        assert!(off[0].package_secrets.is_empty() && off[0].package_skips.is_empty());
    }

    #[test]
    fn inline_code_points_at_the_secret_in_the_template() {
        let f = fakes(3);
        let dir = tempfile::tempdir().unwrap();
        let cfn = format!(
            "Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/exec
      Code:
        ZipFile: |
          import os
          DB = \"{}\"
          def handler(event, context):
              return DB
",
            f.db_url
        );
        let path = dir.path().join("stack.yaml");
        std::fs::write(&path, &cfn).unwrap();
        let (sources, invs) = load_all(&[path], &scanning());
        let s = &invs[0].package_secrets;
        assert_eq!(s.len(), 1, "{s:?}");
        assert_eq!((s[0].path.as_str(), s[0].line), ("inline", 2));
        assert_eq!(s[0].kind, "database-url-password");
        let Origin::Source { file, span, path } = &s[0].origin else {
            panic!("{:?}", s[0].origin);
        };
        let text = sources.get(*file).unwrap();
        let password = f.db_url.split(['@', ':']).nth(2).unwrap();
        assert_eq!(text.slice(*span), password);
        assert_eq!(path, "Resources.Fn.Properties.Code.ZipFile");
    }

    #[test]
    fn caps_and_corrupt_archives_are_not_assessed() {
        let f = fakes(5);
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let sam = "Transform: AWS::Serverless-2016-10-31
Resources:
  Big:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: a.h
      CodeUri: big.zip
  Broken:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: a.h
      CodeUri: broken.zip
";
        write(root, "template.yaml", sam.as_bytes());
        let secret = format!("k = '{}'\n", f.key_id);
        let padding = vec![b'#'; 4096];
        write(
            root,
            "big.zip",
            &zip_of(&[("a.py", secret.as_bytes()), ("vendor/huge.txt", &padding)]),
        );
        let mut broken = zip_of(&[("a.py", secret.as_bytes())]);
        broken.truncate(broken.len() - 12);
        write(root, "broken.zip", &broken);
        let options = LoadOptions {
            packages: Some(PackageScan::new(
                Limits {
                    max_file_size: 1024,
                    ..Limits::default()
                },
                Confidence::Medium,
            )),
            ..LoadOptions::default()
        };
        let (_, invs) = load_all(&[root.join("template.yaml")], &options);
        let inv = &invs[0];
        assert_eq!(inv.package_secrets.len(), 1);
        let mut skips: Vec<_> = inv
            .package_skips
            .iter()
            .map(|s| (s.owner.id.as_str(), s.path.as_str(), s.reason))
            .collect();
        skips.sort_unstable_by_key(|s| (s.0, s.1));
        assert_eq!(
            skips,
            [
                ("Big", "big.zip!/vendor/huge.txt", NotAssessedReason::Limit),
                ("Broken", "broken.zip", NotAssessedReason::Unreadable),
            ]
        );
        let warnings: Vec<_> = inv
            .diagnostics
            .iter()
            .filter(|d| d.message.contains("scanned for secrets"))
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(
            warnings,
            [
                "2 files or archives were not (fully) scanned for secrets (first: \
              `big.zip!/vendor/huge.txt`: 4096 bytes, larger than the 1024 byte limit): \
              `big.zip!/vendor/huge.txt`, `broken.zip`"
            ],
            "{:?}",
            inv.diagnostics
        );
    }

    #[test]
    fn absent_code_is_typed_evidence_not_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        let mut sam = String::from("Transform: AWS::Serverless-2016-10-31\nResources:\n");
        for i in 0..5 {
            sam.push_str(&format!(
                "  Fn{i}:\n    Type: AWS::Serverless::Function\n    Properties:\n      \
                 Runtime: python3.12\n      Handler: app.handler\n      CodeUri: fn{i}/\n"
            ));
        }
        // Two functions share one absent directory: it counts once.
        sam.push_str(
            "  Again:\n    Type: AWS::Serverless::Function\n    Properties:\n      \
             Runtime: python3.12\n      Handler: app.handler\n      CodeUri: fn0/\n",
        );
        write(dir.path(), "template.yaml", sam.as_bytes());
        let (_, invs) = load_all(&[dir.path().join("template.yaml")], &scanning());
        let inv = &invs[0];
        assert!(
            !inv.diagnostics
                .iter()
                .any(|d| d.message.contains("scanned for secrets")),
            "{:?}",
            inv.diagnostics
        );
        // The typed evidence keeps every owner.
        assert_eq!(inv.package_skips.len(), 6);
        assert!(
            inv.package_skips
                .iter()
                .all(|s| s.reason == NotAssessedReason::Missing)
        );
    }

    #[test]
    fn labels_name_files_as_written() {
        assert_eq!(label("src/", "/app.py"), "src/app.py");
        assert_eq!(label("src", ""), "src");
        assert_eq!(label(".", "/app.py"), "app.py");
        assert_eq!(label(".", ""), ".");
        assert_eq!(label("./", "/app.py"), "app.py");
        assert_eq!(label("fn.zip", "!/lib/a.py"), "fn.zip!/lib/a.py");
        assert_eq!(label("/", "/etc/x"), "/etc/x");
    }
}
