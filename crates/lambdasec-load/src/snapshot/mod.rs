//! lambdasec snapshots of live accounts: the JSON written by `lambdasec collect`, loaded into the
//! same [`Inventory`] as templates, with every value located by ARN and API field
//! ([`Origin::Live`]).
//!
//! The format is in [`format`]; the mapping from API shapes to the model is split by area
//! ([`lambda`], [`iam`], [`infra`], [`events`]). A snapshot of several accounts or regions loads
//! into one inventory; its `account_id` / `region` are set only when there is exactly one.

mod events;
pub mod format;
mod iam;
mod infra;
mod lambda;
mod node;
mod policy;

pub use format::{FORMAT_VERSION, Snapshot};

use crate::LoadOptions;
use lambdasec_model::{Diagnostic, InputKind, Inventory, NotAssessed, Origin, SourceFile, Span};

/// Why a snapshot file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SnapshotError {
    #[error("{path}:{line}:{column}: not a valid snapshot: {message}")]
    Syntax {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error(
        "{path}: snapshot format version {found} is not supported (this build reads version {FORMAT_VERSION})"
    )]
    Version { path: String, found: u32 },
}

/// Parse a snapshot's text. `path` is used in error messages.
pub fn parse(path: &str, text: &str) -> Result<Snapshot, SnapshotError> {
    let snapshot: Snapshot = serde_json::from_str(text).map_err(|e| SnapshotError::Syntax {
        path: path.to_owned(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    if snapshot.lambdasec_snapshot != FORMAT_VERSION {
        return Err(SnapshotError::Version {
            path: path.to_owned(),
            found: snapshot.lambdasec_snapshot,
        });
    }
    Ok(snapshot)
}

/// Load one snapshot file. Problems become error diagnostics of the returned inventory.
pub fn load(file: &SourceFile, _options: &LoadOptions) -> Inventory {
    match parse(&file.path, &file.text) {
        Ok(snapshot) => to_inventory(&snapshot),
        Err(err) => {
            let mut inv = Inventory::new(InputKind::Snapshot);
            let span = match &err {
                SnapshotError::Syntax { line, column, .. } => {
                    let offset = offset_of(file, *line, *column);
                    Span::new(offset, offset)
                }
                SnapshotError::Version { .. } => Span::default(),
            };
            inv.diagnostics.push(Diagnostic::error(
                err.to_string(),
                Origin::source(file.id, span, ""),
            ));
            inv
        }
    }
}

/// Map a parsed snapshot into an inventory.
pub fn to_inventory(snapshot: &Snapshot) -> Inventory {
    let mut inv = Inventory::new(InputKind::Snapshot);
    let mut regions = std::collections::BTreeSet::new();
    for account in &snapshot.accounts {
        let ctx = Ctx {
            account: &account.account_id,
            partition: if account.partition.is_empty() {
                "aws"
            } else {
                &account.partition
            },
        };
        iam::load(&ctx, &account.iam, &mut inv);
        for region in &account.regions {
            regions.insert(region.region.as_str());
            let rctx = RegionCtx {
                ctx: &ctx,
                region: &region.region,
            };
            lambda::load(&rctx, region, &mut inv);
            infra::load(&rctx, region, &account.not_assessed, &mut inv);
            events::load(&rctx, region, &mut inv);
        }
        inv.not_assessed.extend(
            account
                .not_assessed
                .iter()
                .map(|gap| not_assessed(&ctx, gap)),
        );
    }
    if let [account] = snapshot.accounts.as_slice() {
        inv.account_id = Some(account.account_id.clone());
    }
    if regions.len() == 1 {
        inv.region = regions.into_iter().next().map(str::to_owned);
    }
    inv
}

/// The typed marker of a call that failed during collection, located at the resource it was
/// about (or at the account and region) and the IAM action.
fn not_assessed(ctx: &Ctx<'_>, gap: &format::NotAssessed) -> NotAssessed {
    let service = gap.action.split(':').next().unwrap_or_default();
    let arn = gap.resource.clone().unwrap_or_else(|| {
        format!(
            "arn:{}:{service}:{}:{}:",
            ctx.partition,
            gap.region.as_deref().unwrap_or_default(),
            ctx.account
        )
    });
    NotAssessed {
        account: Some(ctx.account.to_owned()),
        region: gap.region.clone(),
        action: gap.action.clone(),
        operation: gap.operation.clone(),
        resource: gap.resource.clone(),
        error_code: gap.error_code.clone(),
        message: gap.message.clone(),
        origin: Origin::live(arn, gap.action.clone()),
    }
}

/// The byte offset of a 1-based line and column (serde_json counts columns in bytes).
fn offset_of(file: &SourceFile, line: usize, column: usize) -> usize {
    let line_start: usize = file
        .text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (line_start + column.saturating_sub(1)).min(file.text.len())
}

/// The account being mapped.
struct Ctx<'a> {
    account: &'a str,
    partition: &'a str,
}

/// The account and region being mapped.
struct RegionCtx<'a> {
    ctx: &'a Ctx<'a>,
    region: &'a str,
}

impl RegionCtx<'_> {
    fn account(&self) -> &str {
        self.ctx.account
    }

    /// An ARN of this account and region.
    fn arn(&self, service: &str, resource: &str) -> String {
        format!(
            "arn:{}:{service}:{}:{}:{resource}",
            self.ctx.partition, self.region, self.ctx.account
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lambdasec_model::FileId;

    #[test]
    fn rejects_other_versions_and_bad_json() {
        let f = SourceFile::new(FileId(3), "s.json", "{\"lambdasec_snapshot\": 9}");
        let inv = load(&f, &LoadOptions::default());
        assert_eq!(inv.diagnostics.len(), 1);
        assert!(inv.diagnostics[0].message.contains("version 9"));

        let f = SourceFile::new(
            FileId(3),
            "s.json",
            "{\"lambdasec_snapshot\": 1,\n \"accounts\": [}",
        );
        let inv = load(&f, &LoadOptions::default());
        let d = &inv.diagnostics[0];
        assert!(d.message.starts_with("s.json:2:"), "{}", d.message);
        match &d.origin {
            Origin::Source { file, span, .. } => {
                assert_eq!(*file, FileId(3));
                assert_eq!(f.line_col(span.start).line, 2);
            }
            other => panic!("unexpected origin {other:?}"),
        }

        let f = SourceFile::new(
            FileId(0),
            "s.json",
            "{\"lambdasec_snapshot\": 1, \"accounts\": [{\"regions\": [{\"functions\": \
             [{\"configuration\": {\"Timeout\": \"long\"}}]}]}]}",
        );
        let inv = load(&f, &LoadOptions::default());
        assert!(inv.diagnostics[0].message.contains("invalid type"));
    }

    #[test]
    fn empty_snapshot_loads() {
        let f = SourceFile::new(FileId(0), "s.json", "{\"lambdasec_snapshot\": 1}");
        let inv = load(&f, &LoadOptions::default());
        assert!(inv.diagnostics.is_empty());
        assert_eq!(inv.input, Some(InputKind::Snapshot));
        assert_eq!(inv.resource_count(), 0);
    }
}
