//! ENC — encryption.

mod environment_without_cmk;

pub use environment_without_cmk::EnvironmentWithoutCmk;
