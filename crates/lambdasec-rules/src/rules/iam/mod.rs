//! IAM — execution roles and identity policies.

mod shared_execution_role;

pub use shared_execution_role::SharedExecutionRole;
