//! URL — function URLs.

mod cors_credentials_any_origin;
mod function_url_cors_any_origin;
mod function_url_without_auth;
mod url_invoke_public_grant;

pub use cors_credentials_any_origin::CorsCredentialsAnyOrigin;
pub use function_url_cors_any_origin::FunctionUrlCorsAnyOrigin;
pub use function_url_without_auth::FunctionUrlWithoutAuth;
pub use url_invoke_public_grant::UrlInvokePublicGrant;

use lambdasec_model::{Cors, Value};

/// The wildcard origin of a URL's CORS configuration, when it allows any origin.
pub(crate) fn wildcard_origin(cors: &Cors) -> Option<&Value<String>> {
    cors.allow_origins
        .iter()
        .find(|o| o.is(|s| s.trim() == "*"))
}
