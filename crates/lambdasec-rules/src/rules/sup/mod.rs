//! SUP — supply chain.

mod code_signing_not_configured;
mod code_signing_warn_only;
mod cross_account_layer;
mod inspector_lambda_scanning_off;
mod mutable_image_reference;

pub use code_signing_not_configured::CodeSigningNotConfigured;
pub use code_signing_warn_only::CodeSigningWarnOnly;
pub use cross_account_layer::CrossAccountLayer;
pub use inspector_lambda_scanning_off::InspectorLambdaScanningOff;
pub use mutable_image_reference::MutableImageReference;
