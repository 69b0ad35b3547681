//! The AWS Query protocol — a SigV4-signed form POST answered in XML — for the few read-only
//! calls made without an SDK service crate ([`crate::ec2`], [`crate::cloudwatch`]): the
//! regional endpoint, signing with the SDK's signer, retries on throttling and server errors,
//! and failures from error answers. Each service parses its own XML.

use crate::http::{Http, Signer, backoff};
use crate::scope::{Failure, Shared};
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::byte_stream::ByteStream;
use serde::Deserialize;
use std::sync::Arc;

/// What differs between Query services.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Service {
    /// The SigV4 signing name, also the endpoint's host prefix (`ec2`, `monitoring`).
    pub signing_name: &'static str,
    /// The IAM service prefix requests are recorded under (`ec2`, `cloudwatch`).
    pub iam_prefix: &'static str,
    /// The API version sent with every action.
    pub version: &'static str,
    /// The failure of a non-2xx answer (services shape their error documents differently).
    pub error_of: fn(u16, &str) -> Failure,
}

/// A Query client of one service, account and region.
#[derive(Debug, Clone)]
pub(crate) struct Client {
    service: Service,
    http: Http,
    signer: Signer,
    region: String,
    endpoint: String,
    max_attempts: u32,
    recorder: Option<Arc<Shared>>,
}

impl Client {
    /// `endpoint_url` overrides the regional endpoint (emulators).
    #[allow(
        clippy::too_many_arguments,
        reason = "the service clients pass their construction parameters through"
    )]
    pub(crate) fn new(
        service: Service,
        http: Http,
        signer: Signer,
        region: &str,
        partition: &str,
        endpoint_url: Option<&str>,
        max_attempts: u32,
        recorder: Option<Arc<Shared>>,
    ) -> Client {
        let endpoint = match endpoint_url {
            Some(e) => format!("{}/", e.trim_end_matches('/')),
            None => {
                let suffix = if partition == "aws-cn" {
                    "amazonaws.com.cn"
                } else {
                    "amazonaws.com"
                };
                format!("https://{}.{region}.{suffix}/", service.signing_name)
            }
        };
        Client {
            service,
            http,
            signer,
            region: region.to_owned(),
            endpoint,
            max_attempts: max_attempts.max(1),
            recorder,
        }
    }

    /// One call with retries on throttling and server errors; the XML body on success.
    pub(crate) async fn call(
        &self,
        action: &str,
        params: &[(String, String)],
    ) -> Result<String, Failure> {
        let body = {
            let mut form = form_urlencoded::Serializer::new(String::new());
            form.append_pair("Action", action);
            form.append_pair("Version", self.service.version);
            for (k, v) in params {
                form.append_pair(k, v);
            }
            form.finish()
        };
        let mut attempt = 0;
        loop {
            attempt += 1;
            if let Some(r) = &self.recorder {
                r.record_request(format!("{}:{action}", self.service.iam_prefix));
            }
            let result = self.attempt(&body).await;
            let retry = match &result {
                Ok(_) => false,
                Err(f) => is_retryable(&f.code),
            };
            if !retry || attempt >= self.max_attempts {
                return result;
            }
            backoff(attempt).await;
        }
    }

    async fn attempt(&self, body: &str) -> Result<String, Failure> {
        let mut request = http::Request::builder()
            .method("POST")
            .uri(&self.endpoint)
            .header(
                "content-type",
                "application/x-www-form-urlencoded; charset=utf-8",
            )
            .body(SdkBody::from(body.to_owned()))
            .map_err(|e| Failure::new("ConstructionFailure", e.to_string()))?;
        self.signer
            .sign(&mut request, self.service.signing_name, &self.region)
            .await?;
        let response = self.http.send(request).await?;
        let status = response.status().as_u16();
        let bytes = ByteStream::new(response.into_body())
            .collect()
            .await
            .map_err(|e| Failure::new("ResponseError", e.to_string()))?
            .into_bytes();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        if (200..300).contains(&status) {
            return Ok(text);
        }
        Err((self.service.error_of)(status, &text))
    }
}

/// Error codes worth another attempt.
pub(crate) fn is_retryable(code: &str) -> bool {
    matches!(
        code,
        "Throttling"
            | "RequestLimitExceeded"
            | "ThrottlingException"
            | "InternalError"
            | "ServiceUnavailable"
            | "Unavailable"
            | "DispatchFailure"
            | "HttpStatus5xx"
    )
}

/// The failure of an answer without a readable error document: its HTTP status and the start
/// of its body.
pub(crate) fn status_failure(status: u16, body: &str) -> Failure {
    let code = if status >= 500 {
        "HttpStatus5xx"
    } else {
        "HttpStatus4xx"
    };
    let snippet: String = body.chars().take(200).collect();
    Failure::new(code, format!("HTTP {status}: {snippet}"))
}

/// The `<Error><Code>..</Code><Message>..</Message></Error>` element of Query error answers
/// (inside `<Response><Errors>` for EC2, `<ErrorResponse>` for CloudWatch).
#[derive(Debug, Deserialize)]
pub(crate) struct ErrorItem {
    #[serde(rename = "Code")]
    pub code: String,
    #[serde(rename = "Message")]
    pub message: Option<String>,
}
