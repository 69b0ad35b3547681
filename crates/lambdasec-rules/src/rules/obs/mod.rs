//! OBS — observability.

mod tracing_not_active;

pub use tracing_not_active::TracingNotActive;
