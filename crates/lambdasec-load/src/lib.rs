//! Loaders: every input kind into the normalized [`Inventory`].
//!
//! Loaders own all format knowledge; rules never see YAML, HCL or API JSON. A scan first
//! [`discover`]s its units (a template, a Terraform module directory, a serverless project, a
//! snapshot) by content, then [`load`]s each one — in parallel — into an inventory. A file that
//! cannot be loaded becomes an error [`Diagnostic`](lambdasec_model::Diagnostic) of its unit; the
//! scan goes on.

pub mod cloudformation;
mod detect;
mod discover;
mod packages;
pub mod serverless;
pub mod snapshot;
pub mod terraform;
pub mod yaml;

pub use detect::detect;
pub use discover::{Discovery, DiscoveryError, Unit, discover};
pub use packages::PackageScan;

use lambdasec_model::{Diagnostic, FileId, InputKind, Inventory, Origin, SourceMap, Span};
use std::collections::BTreeMap;

/// Options that change what loaders can resolve.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Template parameter values (`--parameter Name=Value`), applied over defaults.
    pub parameters: BTreeMap<String, String>,
    /// The account and region the inputs deploy to, when the user knows them.
    pub account_id: Option<String>,
    pub region: Option<String>,
    /// Scan the local code of functions and layers for secrets (rules SEC002, SEC003): `None`
    /// (the default) reads no package. The CLI turns it on unless `--no-package-scan`. Units
    /// loaded with clones of one [`PackageScan`] share their results.
    pub packages: Option<PackageScan>,
}

/// Load one unit into an inventory. Never fails: problems are diagnostics of the inventory.
pub fn load(unit: &Unit, sources: &SourceMap, options: &LoadOptions) -> Inventory {
    let mut inventory = match unit.kind {
        InputKind::CloudFormation | InputKind::Sam => match unit.files.first() {
            Some(&file) => with_file(sources, file, unit.kind, |f| {
                cloudformation::load(f, options)
            }),
            None => Inventory::new(unit.kind),
        },
        InputKind::Terraform => terraform::load(&unit.files, sources, options),
        InputKind::TerraformPlan => match unit.files.first() {
            Some(&file) => with_file(sources, file, unit.kind, |f| {
                terraform::load_plan(f, options)
            }),
            None => Inventory::new(unit.kind),
        },
        InputKind::Serverless => match unit.files.first() {
            Some(&file) => with_file(sources, file, unit.kind, |f| {
                serverless::load(f, sources, options)
            }),
            None => Inventory::new(unit.kind),
        },
        InputKind::Snapshot => match unit.files.first() {
            Some(&file) => with_file(sources, file, unit.kind, |f| snapshot::load(f, options)),
            None => Inventory::new(unit.kind),
        },
    };
    if inventory.account_id.is_none() {
        inventory.account_id.clone_from(&options.account_id);
    }
    if inventory.region.is_none() {
        inventory.region.clone_from(&options.region);
    }
    inventory.check_references();
    if let Some(settings) = &options.packages {
        packages::scan(&mut inventory, unit, sources, settings);
    }
    inventory
}

fn with_file(
    sources: &SourceMap,
    file: FileId,
    kind: InputKind,
    f: impl FnOnce(&lambdasec_model::SourceFile) -> Inventory,
) -> Inventory {
    match sources.get(file) {
        Some(source) => f(&source),
        None => {
            let mut inv = Inventory::new(kind);
            inv.diagnostics.push(Diagnostic::error(
                "internal: file not in the source map",
                file_origin(file),
            ));
            inv
        }
    }
}

/// The origin that stands for a whole file (for errors that have no better place).
pub fn file_origin(file: FileId) -> Origin {
    Origin::source(file, Span::default(), "")
}
