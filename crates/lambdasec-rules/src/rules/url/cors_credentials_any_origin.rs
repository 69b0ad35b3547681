use crate::{Context, Findings, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags function URLs whose CORS configuration allows credentials
    /// (`AllowCredentials: true`) together with a wildcard origin.
    ///
    /// ## Why is this bad
    /// With credentials allowed, browsers send cookies and HTTP authentication along with
    /// cross-origin requests. Combined with a wildcard origin, any web site a logged-in user
    /// visits can make authenticated calls to the function and read the answers: the classic
    /// CORS misconfiguration behind account takeovers. Browsers refuse the literal combination
    /// `Access-Control-Allow-Origin: *` with credentials, but the intent is unsafe and a change
    /// to reflect origins would make it exploitable; no peer checks this.
    ///
    /// ## Example
    /// ```yaml
    /// FunctionUrlConfig:
    ///   AuthType: NONE
    ///   Cors:
    ///     AllowOrigins: ["*"]
    ///     AllowCredentials: true
    /// ```
    ///
    /// ## Remediation
    /// Allow credentials only for an explicit list of trusted origins, or turn credentials off.
    /// - CloudFormation / SAM: `Cors.AllowCredentials: false` or exact `Cors.AllowOrigins`.
    /// - Terraform: `cors { allow_credentials = false }` or exact `allow_origins`.
    /// - serverless.yml: `url: { cors: { allowCredentials: false } }` or exact `allowedOrigins`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/urls-configuration.html#urls-cors
    /// - https://portswigger.net/web-security/cors
    pub struct CorsCredentialsAnyOrigin {
        code: "URL003",
        name: "cors-credentials-any-origin",
        title: "Function URL CORS allows credentials from any origin",
        severity: High,
        kinds: [FunctionUrl],
        inputs: [CloudFormation, Sam, Terraform, Serverless, Live],
        fix: None,
    }
}

impl CorsCredentialsAnyOrigin {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        for url in &cx.inventory.function_urls {
            let Some(cors) = &url.cors else { continue };
            let Some(credentials) = &cors.allow_credentials else {
                continue;
            };
            if !credentials.is(|c| *c) {
                continue;
            }
            if let Some(origin) = super::wildcard_origin(cors) {
                let f = out.add(
                    &url.meta,
                    &credentials.origin,
                    "function URL CORS allows credentials with a wildcard origin: any web site can make authenticated requests",
                );
                f.with_related(&origin.origin, "the wildcard origin");
                if let Some(func) = cx.index.function(&url.function) {
                    f.with_related(&func.meta.origin, "the function behind the URL");
                }
            }
        }
    }
}
