//! lambdasec snapshots of live accounts.

use crate::LoadOptions;
use lambdasec_model::{Diagnostic, InputKind, Inventory, SourceFile};

/// Load one snapshot file.
pub fn load(file: &SourceFile, _options: &LoadOptions) -> Inventory {
    let mut inv = Inventory::new(InputKind::Snapshot);
    inv.diagnostics.push(Diagnostic::error(
        "the snapshot loader is not available in this build",
        crate::file_origin(file.id),
    ));
    inv
}
