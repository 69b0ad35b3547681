//! Terraform: HCL modules and plan JSON.

use crate::LoadOptions;
use lambdasec_model::{Diagnostic, FileId, InputKind, Inventory, SourceFile, SourceMap};

/// Load one Terraform module directory (its `.tf` files).
pub fn load(files: &[FileId], _sources: &SourceMap, _options: &LoadOptions) -> Inventory {
    let mut inv = Inventory::new(InputKind::Terraform);
    if let Some(&file) = files.first() {
        inv.diagnostics.push(Diagnostic::error(
            "the Terraform loader is not available in this build",
            crate::file_origin(file),
        ));
    }
    inv
}

/// Load a plan (`terraform show -json`).
pub fn load_plan(file: &SourceFile, _options: &LoadOptions) -> Inventory {
    let mut inv = Inventory::new(InputKind::TerraformPlan);
    inv.diagnostics.push(Diagnostic::error(
        "the Terraform plan loader is not available in this build",
        crate::file_origin(file.id),
    ));
    inv
}
