//! Plain HTTP on the SDK's own HTTPS stack, for the few requests no linked SDK client makes:
//! SigV4-signed EC2 Query calls ([`crate::ec2`]) and package downloads ([`crate::download`]).
//!
//! It reuses the SDK's connector (hyper + rustls), credentials provider and signer, so it adds
//! no TLS stack and honours the same credential chain, profile and assumed roles.

use crate::scope::Failure;
use aws_credential_types::Credentials;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_smithy_async::rt::sleep::{SharedAsyncSleep, TokioSleep};
use aws_smithy_runtime_api::client::http::{
    HttpConnector, HttpConnectorSettings, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::identity::Identity;
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_types::body::SdkBody;
use std::sync::Arc;
use std::time::{Duration, SystemTime};
use tokio::sync::Mutex;

/// Connect and read timeouts of plain requests.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const READ_TIMEOUT: Duration = Duration::from_secs(60);

/// The SDK's HTTPS connector, shared by all plain requests of a collection.
#[derive(Debug, Clone)]
pub struct Http {
    connector: SharedHttpConnector,
}

impl Http {
    pub fn new() -> Result<Http, Failure> {
        let settings = HttpConnectorSettings::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .read_timeout(READ_TIMEOUT)
            .build();
        let sleep = SharedAsyncSleep::new(TokioSleep::new());
        aws_smithy_http_client::default_connector(&settings, Some(sleep))
            .map(|connector| Http { connector })
            .ok_or_else(|| Failure::new("NoHttpClient", "no HTTPS connector in this build"))
    }

    /// Send a request; transport errors become a `DispatchFailure`.
    pub async fn send(&self, request: http::Request<SdkBody>) -> Result<HttpResponse, Failure> {
        let request = HttpRequest::try_from(request)
            .map_err(|e| Failure::new("ConstructionFailure", e.to_string()))?;
        self.connector
            .call(request)
            .await
            .map_err(|e| Failure::new("DispatchFailure", format!("{e:?}")))
    }
}

/// Credentials of one account for signed plain requests, refreshed before they expire.
#[derive(Debug, Clone)]
pub struct Signer {
    provider: Option<SharedCredentialsProvider>,
    cached: Arc<Mutex<Option<Credentials>>>,
}

impl Signer {
    /// `None` when the configuration has no credentials: every signed call then fails with a
    /// `CredentialsError` (recorded as not assessed).
    pub fn new(provider: Option<SharedCredentialsProvider>) -> Signer {
        Signer {
            provider,
            cached: Arc::new(Mutex::new(None)),
        }
    }

    async fn credentials(&self) -> Result<Credentials, Failure> {
        let mut cached = self.cached.lock().await;
        let fresh = |c: &Credentials| {
            c.expiry()
                .is_none_or(|e| e > SystemTime::now() + Duration::from_secs(300))
        };
        if let Some(c) = cached.as_ref().filter(|c| fresh(c)) {
            return Ok(c.clone());
        }
        let provider = self
            .provider
            .as_ref()
            .ok_or_else(|| Failure::new("CredentialsError", "no credentials provider"))?;
        let c = provider
            .provide_credentials()
            .await
            .map_err(|e| Failure::new("CredentialsError", e.to_string()))?;
        *cached = Some(c.clone());
        Ok(c)
    }

    /// Sign `request` with SigV4 for `service` in `region` (headers added in place).
    pub async fn sign(
        &self,
        request: &mut http::Request<SdkBody>,
        service: &str,
        region: &str,
    ) -> Result<(), Failure> {
        let creds = self.credentials().await?;
        let identity = Identity::from(creds);
        let params = aws_sigv4::sign::v4::SigningParams::builder()
            .identity(&identity)
            .region(region)
            .name(service)
            .time(SystemTime::now())
            .settings(SigningSettings::default())
            .build()
            .map_err(|e| Failure::new("SigningError", e.to_string()))?
            .into();
        let body = request.body().bytes().unwrap_or_default();
        let headers: Vec<(&str, &str)> = request
            .headers()
            .iter()
            .filter_map(|(k, v)| Some((k.as_str(), v.to_str().ok()?)))
            .collect();
        let uri = request.uri().to_string();
        let signable = SignableRequest::new(
            request.method().as_str(),
            &uri,
            headers.into_iter(),
            SignableBody::Bytes(body),
        )
        .map_err(|e| Failure::new("SigningError", e.to_string()))?;
        let (instructions, _) = sign(signable, &params)
            .map_err(|e| Failure::new("SigningError", e.to_string()))?
            .into_parts();
        instructions.apply_to_request_http1x(request);
        Ok(())
    }
}

/// Wait before retry `attempt` (1-based): exponential, capped at 20 s, with jitter.
pub async fn backoff(attempt: u32) {
    let base = 200u64.saturating_mul(1 << attempt.min(7)).min(20_000);
    let jitter = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| u64::from(d.subsec_nanos()) % (base / 2 + 1));
    tokio::time::sleep(Duration::from_millis(base / 2 + jitter)).await;
}
