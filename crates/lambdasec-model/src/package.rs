//! Evidence from the code of functions and layers: what a loader-side scan of deployment
//! packages and layer archives found (rules SEC002 and SEC003), and what it could not assess.
//!
//! Rules stay pure: they never open a package. A scan step after loading reads the artifacts
//! that [`Code`](crate::Code) values name (local directories, zips, jars, wheels, inline
//! source, packages saved by a live collection) and records its results here. A secret never
//! enters the model: only its kind, confidence and redacted preview.

use crate::origin::Origin;
use crate::resource::ResourceKind;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The function or layer whose code an artifact is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CodeOwner {
    /// [`ResourceKind::Function`] or [`ResourceKind::Layer`].
    pub kind: ResourceKind,
    /// The owner's id in the inventory ([`crate::Meta::id`]).
    pub id: String,
}

impl CodeOwner {
    pub fn function(id: impl Into<String>) -> Self {
        CodeOwner {
            kind: ResourceKind::Function,
            id: id.into(),
        }
    }

    pub fn layer(id: impl Into<String>) -> Self {
        CodeOwner {
            kind: ResourceKind::Layer,
            id: id.into(),
        }
    }

    /// True when this is `meta`'s resource.
    pub fn is(&self, meta: &crate::Meta) -> bool {
        self.kind == meta.kind && self.id == meta.id
    }
}

/// How sure the detector is that a match is a live credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SecretConfidence {
    Low,
    Medium,
    High,
}

impl fmt::Display for SecretConfidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SecretConfidence::Low => "low",
            SecretConfidence::Medium => "medium",
            SecretConfidence::High => "high",
        })
    }
}

/// A secret found in a file of a function's package or a layer's content.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PackageSecret {
    pub owner: CodeOwner,
    /// The file, as written in the input and then inside the artifact, with `!/` between an
    /// archive and the path inside it: `src/app.py`, `build/fn.zip!/lib/a.jar!/x.properties`;
    /// for inline code, the property path (`Resources.Fn.Properties.Code.ZipFile`).
    pub path: String,
    /// 1-based line and byte column of the secret in that file.
    pub line: u32,
    pub column: u32,
    /// The detector's stable kind id (`aws-access-key-id`) and its human title.
    pub kind: String,
    pub kind_title: String,
    pub confidence: SecretConfidence,
    /// The redacted form: prefix, length and hash (`AKIA…(20 bytes, sha256:…)`), never more.
    pub preview: String,
    /// The stable hash alone (`sha256:` + 12 hex digits), to group copies of one secret.
    pub hash: String,
    /// The `Code` value that names the artifact; for inline code whose secret could be placed
    /// in the template text, the secret's own span there.
    pub origin: Origin,
}

/// Why an artifact (or part of it) was not assessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NotAssessedReason {
    /// The path does not exist.
    Missing,
    /// It exists but could not be read (permissions, a corrupt archive).
    Unreadable,
    /// A cap stopped the scan (file size, compression ratio, entry count, nesting, total bytes),
    /// or an entry is encrypted or uses an unsupported compression method.
    Limit,
}

/// An artifact, or a part of one, whose contents were not scanned.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PackageSkip {
    pub owner: CodeOwner,
    /// The artifact or the entry inside it, labelled like [`PackageSecret::path`].
    pub path: String,
    pub reason: NotAssessedReason,
    /// A short human explanation (`not found`, `larger than the 268435456 byte limit`).
    pub detail: String,
    /// The `Code` value that names the artifact.
    pub origin: Origin,
}

/// Which files of a local directory a packaging tool puts in an owner's package: ordered glob
/// patterns relative to the directory, with serverless.yml `package.patterns` semantics (`!glob`
/// leaves matching files out, `glob` takes them back, the last matching pattern decides;
/// everything is in by default). Terraform `archive_file` `excludes` are `!` patterns. Owners
/// without a filter deploy the whole directory (minus what no tool deploys: `.git`, ...).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PackageFilter {
    pub owner: CodeOwner,
    pub patterns: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Meta, Origin};

    #[test]
    fn owners_match_kind_and_id() {
        let f = Meta::new("Fn", ResourceKind::Function, Origin::Unknown);
        let l = Meta::new("Fn", ResourceKind::Layer, Origin::Unknown);
        assert!(CodeOwner::function("Fn").is(&f));
        assert!(!CodeOwner::function("Fn").is(&l));
        assert!(CodeOwner::layer("Fn").is(&l));
        assert!(SecretConfidence::High > SecretConfidence::Medium);
        assert_eq!(SecretConfidence::Low.to_string(), "low");
    }
}
