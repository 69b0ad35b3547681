//! Package patterns: which files of a directory a packaging tool puts in a package.
//!
//! The patterns are ordered globs relative to the directory, with serverless.yml
//! `package.patterns` semantics: everything is in by default, `!glob` leaves the matching files
//! out, `glob` takes them back, and the last pattern that matches a file decides. As with the
//! Framework's `micromatch`, a glob matches the whole path relative to the directory (`*` stays
//! within one name, `**` crosses directories; `.env` is the root's `.env` only, `**/.env` any),
//! and dot files are matched like any other. A leading `./` is dropped. Directories are never
//! pruned: a later pattern may take back a file under an excluded directory, as the Framework
//! allows.

use ignore::Match;
use ignore::overrides::{Override, OverrideBuilder};
use std::path::Path;

/// A pattern that is not a valid glob.
#[derive(Debug, thiserror::Error)]
#[error("invalid package pattern `{pattern}`: {message}")]
pub struct PatternError {
    pub pattern: String,
    pub message: String,
}

/// Compiled package patterns for one directory.
#[derive(Debug, Clone)]
pub struct Patterns {
    matcher: Override,
    source: Vec<String>,
}

impl Patterns {
    /// Compile `patterns` for the directory `root` (file paths given to [`Patterns::includes`]
    /// are under it).
    pub fn new(root: &Path, patterns: &[String]) -> Result<Patterns, PatternError> {
        let mut b = OverrideBuilder::new(root);
        // Everything is in by default (an override set with a "keep" glob leaves out whatever
        // matches none; the last match decides, so later patterns refine this one).
        b.add("**").map_err(|e| PatternError {
            pattern: "**".to_owned(),
            message: e.to_string(),
        })?;
        for p in patterns {
            let (negated, glob) = match p.strip_prefix('!') {
                Some(g) => (true, g),
                None => (false, p.as_str()),
            };
            let glob = glob.strip_prefix("./").unwrap_or(glob);
            let glob = glob.trim_start_matches('/');
            if glob.is_empty() || glob == "." {
                continue;
            }
            // `OverrideBuilder` reads a bare glob as "keep" and `!glob` as "leave out", the
            // package-pattern meaning; a leading `/` anchors it at the root (gitignore syntax).
            let line = if negated {
                format!("!/{glob}")
            } else {
                format!("/{glob}")
            };
            b.add(&line).map_err(|e| PatternError {
                pattern: p.clone(),
                message: e.to_string(),
            })?;
        }
        let matcher = b.build().map_err(|e| PatternError {
            pattern: patterns.join(", "),
            message: e.to_string(),
        })?;
        Ok(Patterns {
            matcher,
            source: patterns.to_vec(),
        })
    }

    /// The patterns as written.
    pub fn source(&self) -> &[String] {
        &self.source
    }

    /// Whether the file at `path` (under the root, or relative to it) is in the package.
    pub fn includes(&self, path: &Path) -> bool {
        !matches!(self.matcher.matched(path, false), Match::Ignore(_))
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        reason = "test code: a failure is a test failure"
    )]

    use super::*;

    fn patterns(p: &[&str]) -> Patterns {
        let p: Vec<String> = p.iter().map(|s| (*s).to_owned()).collect();
        Patterns::new(Path::new("/svc"), &p).unwrap()
    }

    #[test]
    fn everything_is_in_without_patterns() {
        let p = patterns(&[]);
        assert!(p.includes(Path::new("/svc/handler.js")));
        assert!(p.includes(Path::new("/svc/node_modules/a/index.js")));
    }

    #[test]
    fn exclusions_and_later_inclusions() {
        let p = patterns(&["!node_modules/**", "node_modules/keep/**", "!**/*.test.js"]);
        assert!(p.includes(Path::new("/svc/handler.js")));
        assert!(!p.includes(Path::new("/svc/node_modules/aws-sdk/index.js")));
        assert!(p.includes(Path::new("/svc/node_modules/keep/index.js")));
        assert!(!p.includes(Path::new("/svc/node_modules/keep/a.test.js")));
        assert!(!p.includes(Path::new("/svc/src/deep/b.test.js")));
    }

    #[test]
    fn exclude_all_then_take_back_a_build_directory() {
        let p = patterns(&["!./**", "./dist/**"]);
        assert!(!p.includes(Path::new("/svc/src/handler.ts")));
        assert!(!p.includes(Path::new("/svc/.env")));
        assert!(p.includes(Path::new("/svc/dist/handler.js")));
    }

    #[test]
    fn globs_match_whole_paths_and_relative_paths_work() {
        let p = patterns(&["!.env", "!secrets/**", "!**/*.pem", "!*.md"]);
        assert!(!p.includes(Path::new("/svc/.env")));
        assert!(p.includes(Path::new("/svc/config/.env")));
        assert!(!p.includes(Path::new("/svc/a/b/key.pem")));
        assert!(!p.includes(Path::new("/svc/key.pem")));
        assert!(!p.includes(Path::new("/svc/README.md")));
        assert!(p.includes(Path::new("/svc/docs/guide.md")));
        assert!(!p.includes(Path::new("secrets/prod.json")));
        assert!(p.includes(Path::new("src/secrets.py")));
    }

    #[test]
    fn an_invalid_glob_is_an_error() {
        let e = Patterns::new(Path::new("/svc"), &["!src/[".to_owned()]).unwrap_err();
        assert_eq!(e.pattern, "!src/[");
        assert!(e.to_string().contains("invalid package pattern"), "{e}");
    }
}
