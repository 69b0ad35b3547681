//! Finding the units to scan under the paths a user gives.

use crate::detect::detect;
use lambdasec_model::{FileId, InputKind, SourceMap};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Files larger than this are not read (CloudFormation's own limit is 1 MB).
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// Compressed snapshots (`*.json.gz`) are read decompressed, up to this many bytes.
pub const MAX_DECOMPRESSED_BYTES: u64 = 512 * 1024 * 1024;

/// Extensions worth reading to detect an input.
const CANDIDATE_EXTENSIONS: &[&str] = &["yaml", "yml", "json", "template", "cfn", "tf"];

/// One scan unit: the files that load into one inventory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub kind: InputKind,
    /// The file (or, for Terraform, the module directory) the unit is named after.
    pub root: PathBuf,
    /// Its files, in the source map; the first one is the main file.
    pub files: Vec<FileId>,
}

/// A path that could not be read or recognised.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct DiscoveryError {
    pub path: String,
    pub message: String,
}

/// The result of walking the user's paths.
#[derive(Debug, Default)]
pub struct Discovery {
    pub units: Vec<Unit>,
    pub errors: Vec<DiscoveryError>,
    /// Files looked at (candidates by extension, or given explicitly).
    pub files_examined: usize,
}

struct Candidate {
    path: PathBuf,
    explicit: bool,
}

enum Read {
    Input(PathBuf, InputKind, String),
    Skip,
    Error(DiscoveryError),
}

/// Walk `paths` (files or directories; directories respect `.gitignore` and skip hidden
/// entries), read candidate files, detect their kind by content, add the recognised ones to
/// `sources` and group them into units.
pub fn discover(paths: &[PathBuf], sources: &SourceMap) -> Discovery {
    let mut candidates = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.is_file() {
            candidates.push(Candidate {
                path: path.clone(),
                explicit: true,
            });
            continue;
        }
        if !path.exists() {
            errors.push(DiscoveryError {
                path: path.display().to_string(),
                message: "no such file or directory".into(),
            });
            continue;
        }
        let walker = ignore::WalkBuilder::new(path)
            .standard_filters(true)
            .require_git(false)
            .filter_entry(|e| {
                e.file_name()
                    .to_str()
                    .is_none_or(|n| !matches!(n, "node_modules" | "cdk.out.d"))
            })
            .build();
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => {
                    if is_candidate(e.path()) {
                        candidates.push(Candidate {
                            path: e.into_path(),
                            explicit: false,
                        });
                    }
                }
                Ok(_) => {}
                Err(err) => errors.push(DiscoveryError {
                    path: path.display().to_string(),
                    message: err.to_string(),
                }),
            }
        }
    }
    candidates.sort_by(|a, b| a.path.cmp(&b.path).then(b.explicit.cmp(&a.explicit)));
    candidates.dedup_by(|a, b| a.path == b.path);
    let files_examined = candidates.len();

    let reads: Vec<Read> = candidates.par_iter().map(read_candidate).collect();

    let mut units = Vec::new();
    let mut terraform: BTreeMap<PathBuf, Vec<FileId>> = BTreeMap::new();
    for read in reads {
        match read {
            Read::Input(path, kind, text) => {
                let id = sources.add(path.display().to_string(), text);
                if kind == InputKind::Terraform {
                    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
                    terraform.entry(dir).or_default().push(id);
                } else {
                    units.push(Unit {
                        kind,
                        root: path,
                        files: vec![id],
                    });
                }
            }
            Read::Skip => {}
            Read::Error(e) => errors.push(e),
        }
    }
    units.extend(terraform.into_iter().map(|(root, files)| Unit {
        kind: InputKind::Terraform,
        root,
        files,
    }));
    units.sort_by(|a, b| a.root.cmp(&b.root));
    Discovery {
        units,
        errors,
        files_examined,
    }
}

fn is_candidate(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| CANDIDATE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        || is_gzip_json(path)
}

/// `*.json.gz`: a gzip-compressed JSON input (snapshots of large accounts).
fn is_gzip_json(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.to_ascii_lowercase().ends_with(".json.gz"))
}

fn gunzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    use std::io::Read as _;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .take(MAX_DECOMPRESSED_BYTES + 1)
        .read_to_end(&mut out)?;
    if out.len() as u64 > MAX_DECOMPRESSED_BYTES {
        return Err(std::io::Error::other(format!(
            "decompresses to more than {MAX_DECOMPRESSED_BYTES} bytes"
        )));
    }
    Ok(out)
}

fn read_candidate(c: &Candidate) -> Read {
    let err = |message: String| {
        Read::Error(DiscoveryError {
            path: c.path.display().to_string(),
            message,
        })
    };
    match std::fs::metadata(&c.path) {
        Ok(m) if m.len() > MAX_FILE_BYTES => {
            return if c.explicit || is_candidate(&c.path) {
                err(format!(
                    "file is {} bytes, larger than the {} byte limit",
                    m.len(),
                    MAX_FILE_BYTES
                ))
            } else {
                Read::Skip
            };
        }
        Ok(_) => {}
        Err(e) => return err(e.to_string()),
    }
    let bytes = match std::fs::read(&c.path) {
        Ok(b) if is_gzip_json(&c.path) => match gunzip(&b) {
            Ok(b) => b,
            Err(e) => return err(format!("cannot decompress: {e}")),
        },
        Ok(b) => b,
        Err(e) => return err(e.to_string()),
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(_) if !c.explicit => return Read::Skip,
        Err(_) => return err("not UTF-8 text".into()),
    };
    match detect(&c.path, &text) {
        Some(kind) => Read::Input(c.path.clone(), kind, text),
        None if c.explicit => err(
            "not a recognised input (CloudFormation/SAM template, Terraform, serverless.yml, \
             Terraform plan JSON or lambdasec snapshot)"
                .into(),
        ),
        None => Read::Skip,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_groups_and_reports() {
        let dir = std::env::temp_dir().join(format!("lambdasec-discover-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("tf")).unwrap();
        std::fs::create_dir_all(dir.join("ignored")).unwrap();
        std::fs::write(dir.join(".gitignore"), "ignored/\n").unwrap();
        std::fs::write(
            dir.join("template.yaml"),
            "Resources:\n  F:\n    Type: AWS::Lambda::Function\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("ignored/template.yaml"),
            "Resources:\n  F:\n    Type: AWS::Lambda::Function\n",
        )
        .unwrap();
        std::fs::write(dir.join("event.json"), "{\"a\": 1}").unwrap();
        std::fs::write(dir.join("tf/main.tf"), "").unwrap();
        std::fs::write(dir.join("tf/iam.tf"), "").unwrap();
        let sources = SourceMap::new();
        let d = discover(
            &[dir.clone(), dir.join("missing"), dir.join("event.json")],
            &sources,
        );
        let kinds: Vec<_> = d.units.iter().map(|u| (u.kind, u.files.len())).collect();
        assert_eq!(
            kinds,
            vec![(InputKind::CloudFormation, 1), (InputKind::Terraform, 2)]
        );
        // missing path, and the explicitly named file that is not an input
        assert_eq!(d.errors.len(), 2, "{:?}", d.errors);
        assert_eq!(sources.len(), 3);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
