//! OBS — observability.

mod role_cannot_write_logs;
mod tracing_not_active;

pub use role_cannot_write_logs::RoleCannotWriteLogs;
pub use tracing_not_active::TracingNotActive;
