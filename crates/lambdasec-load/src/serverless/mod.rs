//! Serverless Framework projects (`serverless.yml`).

use crate::LoadOptions;
use lambdasec_model::{Diagnostic, InputKind, Inventory, SourceFile, SourceMap};

/// Load one serverless.yml (and the files it references).
pub fn load(file: &SourceFile, _sources: &SourceMap, _options: &LoadOptions) -> Inventory {
    let mut inv = Inventory::new(InputKind::Serverless);
    inv.diagnostics.push(Diagnostic::error(
        "the serverless.yml loader is not available in this build",
        crate::file_origin(file.id),
    ));
    inv
}
