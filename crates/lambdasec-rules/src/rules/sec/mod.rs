//! SEC — secrets.

mod secret_in_environment;

pub use secret_in_environment::SecretInEnvironment;
