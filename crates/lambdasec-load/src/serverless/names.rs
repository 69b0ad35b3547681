//! The CloudFormation logical ids the Serverless Framework gives what it generates, so that
//! `!GetAtt HelloLambdaFunction.Arn` in `resources:` finds the function `hello`.

/// `my-fn_x` → `MyDashfnUnderscorex`, as the Framework's `getNormalizedFunctionName`.
pub fn function(name: &str) -> String {
    upper_first(&name.replace('-', "Dash").replace('_', "Underscore"))
}

/// Only letters and digits, first one upper-cased (`normalizeNameToAlphaNumericOnly`).
pub fn alnum(name: &str) -> String {
    let cleaned: String = name.chars().filter(char::is_ascii_alphanumeric).collect();
    upper_first(&cleaned)
}

pub fn upper_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The logical id of a function's `AWS::Lambda::Function`.
pub fn lambda_function(key: &str) -> String {
    format!("{}LambdaFunction", function(key))
}

/// The shared execution role the Framework generates.
pub const SHARED_ROLE: &str = "IamRoleLambdaExecution";
pub const REST_API: &str = "ApiGatewayRestApi";
pub const REST_STAGE: &str = "ApiGatewayStage";
pub const HTTP_API: &str = "HttpApi";
pub const HTTP_STAGE: &str = "HttpApiStage";
pub const WEBSOCKET_API: &str = "WebsocketsApi";
pub const WEBSOCKET_STAGE: &str = "WebsocketsDeploymentStage";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_like_the_framework() {
        assert_eq!(function("hello"), "Hello");
        assert_eq!(function("my-fn_x"), "MyDashfnUnderscorex");
        assert_eq!(
            lambda_function("users-create"),
            "UsersDashcreateLambdaFunction"
        );
        assert_eq!(alnum("my-bucket.v2"), "Mybucketv2");
        assert_eq!(upper_first(""), "");
    }
}
