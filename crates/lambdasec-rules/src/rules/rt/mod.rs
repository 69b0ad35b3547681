//! RT — runtimes.

mod deprecated_runtime;
pub mod lifecycle;
mod runtime_nearing_deprecation;

pub use deprecated_runtime::DeprecatedRuntime;
pub use runtime_nearing_deprecation::RuntimeNearingDeprecation;
