//! RT — runtimes.

mod deprecated_runtime;
pub mod lifecycle;
mod runtime_nearing_deprecation;
mod runtime_updates_pinned;

pub use deprecated_runtime::DeprecatedRuntime;
pub use runtime_nearing_deprecation::RuntimeNearingDeprecation;
pub use runtime_updates_pinned::RuntimeUpdatesPinned;
