//! SEC — secrets.

mod plaintext_event_source_token;
mod reserved_environment_key;
mod secret_in_environment;
mod secret_in_layer;
mod secret_in_package;
mod sensitive_env_plaintext;

pub use plaintext_event_source_token::PlaintextEventSourceToken;
pub use reserved_environment_key::ReservedEnvironmentKey;
pub use secret_in_environment::SecretInEnvironment;
pub use secret_in_layer::SecretInLayer;
pub use secret_in_package::SecretInPackage;
pub use sensitive_env_plaintext::SensitiveEnvPlaintext;
