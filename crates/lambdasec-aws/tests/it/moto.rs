//! Reaching the emulator.

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;

pub const ENDPOINT_VAR: &str = "LAMBDASEC_MOTO_ENDPOINT";

/// The emulator's endpoint, or `None` (and a message) when tests should skip.
pub fn endpoint(test: &str) -> Option<String> {
    let has_credentials = std::env::var("AWS_ACCESS_KEY_ID").is_ok_and(|v| !v.is_empty());
    match std::env::var(ENDPOINT_VAR) {
        Ok(e) if !e.is_empty() && has_credentials => Some(e),
        Ok(e) if !e.is_empty() => {
            eprintln!(
                "skipping {test}: {ENDPOINT_VAR} is set but AWS_ACCESS_KEY_ID is not (the \
                 collector reads credentials from the environment; scripts/with-moto.sh sets them)"
            );
            None
        }
        _ => {
            eprintln!(
                "skipping {test}: {ENDPOINT_VAR} is not set (run the tests through \
                 scripts/with-moto.sh to start the moto emulator)"
            );
            None
        }
    }
}

/// An SDK configuration for the emulator with static test credentials.
pub async fn config(endpoint: &str, region: &str) -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(region.to_owned()))
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new("testing", "testing", None, None, "tests"))
        .load()
        .await
}

/// A suffix that keeps names of one run apart from earlier runs on the same emulator.
pub fn unique() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("{}{}", std::process::id(), nanos % 100_000)
}

/// The smallest valid zip archive (an empty one).
pub fn empty_zip() -> Vec<u8> {
    let mut z = vec![0x50, 0x4b, 0x05, 0x06];
    z.extend([0u8; 18]);
    z
}

/// The lambda trust policy.
pub const LAMBDA_TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
