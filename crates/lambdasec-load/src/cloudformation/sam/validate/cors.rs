//! CORS settings of REST APIs (`Cors`), HTTP APIs (`CorsConfiguration`) and function URLs.

use super::At;
use super::shape::entries;
use lambdasec_model::{Node, NodeKind};

const REST: &[&str] = &[
    "AllowCredentials",
    "AllowHeaders",
    "AllowMethods",
    "AllowOrigin",
    "MaxAge",
];

/// The keys of HTTP API and function URL CORS settings.
const V2: &[&str] = &[
    "AllowCredentials",
    "AllowHeaders",
    "AllowMethods",
    "AllowOrigins",
    "ExposeHeaders",
    "MaxAge",
];

/// `Cors` of a REST API: an origin, or a map; credentials need an explicit origin.
pub(crate) fn rest(at: At<'_>, cors: &Node) {
    let Some(keys) = entries(cors) else {
        return;
    };
    at.known_keys(keys, "Cors", REST);
    let origin = cors.get("AllowOrigin");
    if let Some(o) = origin
        && o.as_str().is_some_and(|s| s.trim().is_empty())
    {
        at.error(&o.origin, "`Cors.AllowOrigin` cannot be empty");
    }
    let credentials = cors.get("AllowCredentials").and_then(Node::as_bool) == Some(true);
    let wildcard = origin.is_none_or(|o| o.as_str().is_some_and(|s| s.trim() == "'*'"));
    if credentials && wildcard {
        let at_node = cors.get("AllowCredentials").unwrap_or(cors);
        at.error(
            &at_node.origin,
            "`Cors.AllowCredentials` cannot be true when `AllowOrigin` is `'*'` or not set",
        );
    }
}

/// `CorsConfiguration` of an HTTP API: `true`, or a map of the v2 CORS settings.
pub(crate) fn http(at: At<'_>, cors: &Node) {
    if let Some(keys) = entries(cors) {
        at.known_keys(keys, "CorsConfiguration", V2);
    }
}

/// `FunctionUrlConfig.Cors`: a map of the v2 CORS settings, `MaxAge` an integer.
pub(crate) fn function_url(at: At<'_>, cors: &Node) {
    let Some(keys) = at.map(cors, "FunctionUrlConfig.Cors") else {
        return;
    };
    at.known_keys(keys, "FunctionUrlConfig.Cors", V2);
    if let Some(m) = cors.get("MaxAge")
        && !matches!(m.kind, NodeKind::Number(_))
        && !super::shape::is_intrinsic(m)
    {
        at.error(
            &m.origin,
            "`FunctionUrlConfig.Cors.MaxAge` must be an integer",
        );
    }
}
