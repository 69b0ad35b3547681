//! SUP — supply chain.

mod code_signing_not_configured;
mod cross_account_layer;

pub use code_signing_not_configured::CodeSigningNotConfigured;
pub use cross_account_layer::CrossAccountLayer;
