//! Every API call the collector can make, with the IAM action that authorizes it, and the
//! least-privilege policies that allow exactly those actions.
//!
//! The collector names each call by an [`Action`] (that is how failures become "not assessed"
//! markers), and [`sdk_operation_action`] maps the operations the SDK actually sends to IAM
//! actions, so tests can check every request against [`READ_ONLY_POLICY`].

use serde_json::Value as Json;

/// The policy to attach to the identity (or audit role) lambdasec collects with: read-only, and
/// only what the collector calls.
pub const READ_ONLY_POLICY: &str = include_str!("../policy/lambdasec-read-only.json");

/// The extra policy of the identity that runs `--accounts org` with `--role-arn`: list the
/// organization's accounts and assume the audit role (replace `LAMBDASEC_AUDIT_ROLE`).
pub const ORGANIZATION_POLICY: &str = include_str!("../policy/lambdasec-organization.json");

macro_rules! actions {
    ($($variant:ident => $iam:literal,)*) => {
        /// An API call of the collector.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Action {
            $($variant,)*
        }

        impl Action {
            pub const ALL: &'static [Action] = &[$(Action::$variant,)*];

            /// The IAM action that authorizes the call, `lambda:GetPolicy`.
            pub fn iam_action(self) -> &'static str {
                match self {
                    $(Action::$variant => $iam,)*
                }
            }
        }
    };
}

actions! {
    StsGetCallerIdentity => "sts:GetCallerIdentity",
    StsAssumeRole => "sts:AssumeRole",
    OrganizationsListAccounts => "organizations:ListAccounts",
    Ec2DescribeRegions => "ec2:DescribeRegions",
    Ec2DescribeSecurityGroups => "ec2:DescribeSecurityGroups",
    Ec2DescribeSubnets => "ec2:DescribeSubnets",
    LambdaListFunctions => "lambda:ListFunctions",
    LambdaGetFunction => "lambda:GetFunction",
    LambdaGetPolicy => "lambda:GetPolicy",
    LambdaGetFunctionUrlConfig => "lambda:GetFunctionUrlConfig",
    LambdaGetFunctionCodeSigningConfig => "lambda:GetFunctionCodeSigningConfig",
    LambdaListFunctionEventInvokeConfigs => "lambda:ListFunctionEventInvokeConfigs",
    LambdaGetFunctionRecursionConfig => "lambda:GetFunctionRecursionConfig",
    LambdaGetRuntimeManagementConfig => "lambda:GetRuntimeManagementConfig",
    LambdaListAliases => "lambda:ListAliases",
    LambdaListVersionsByFunction => "lambda:ListVersionsByFunction",
    LambdaListEventSourceMappings => "lambda:ListEventSourceMappings",
    LambdaListLayers => "lambda:ListLayers",
    LambdaListLayerVersions => "lambda:ListLayerVersions",
    LambdaGetLayerVersion => "lambda:GetLayerVersion",
    LambdaGetLayerVersionPolicy => "lambda:GetLayerVersionPolicy",
    LambdaListCodeSigningConfigs => "lambda:ListCodeSigningConfigs",
    IamGetAccountAuthorizationDetails => "iam:GetAccountAuthorizationDetails",
    IamGetPolicy => "iam:GetPolicy",
    IamGetPolicyVersion => "iam:GetPolicyVersion",
    KmsDescribeKey => "kms:DescribeKey",
    KmsGetKeyRotationStatus => "kms:GetKeyRotationStatus",
    KmsGetKeyPolicy => "kms:GetKeyPolicy",
    KmsListAliases => "kms:ListAliases",
    LogsDescribeLogGroups => "logs:DescribeLogGroups",
    CloudWatchGetMetricData => "cloudwatch:GetMetricData",
    CloudTrailDescribeTrails => "cloudtrail:DescribeTrails",
    CloudTrailGetTrailStatus => "cloudtrail:GetTrailStatus",
    CloudTrailGetEventSelectors => "cloudtrail:GetEventSelectors",
    GuardDutyListDetectors => "guardduty:ListDetectors",
    GuardDutyGetDetector => "guardduty:GetDetector",
    Inspector2BatchGetAccountStatus => "inspector2:BatchGetAccountStatus",
    ApiGatewayGetRestApis => "apigateway:GET",
    ApiGatewayGetResources => "apigateway:GET",
    ApiGatewayGetStages => "apigateway:GET",
    ApiGatewayGetAuthorizers => "apigateway:GET",
    ApiGatewayV2GetApis => "apigateway:GET",
    ApiGatewayV2GetRoutes => "apigateway:GET",
    ApiGatewayV2GetIntegrations => "apigateway:GET",
    ApiGatewayV2GetStages => "apigateway:GET",
    ApiGatewayV2GetAuthorizers => "apigateway:GET",
    SqsGetQueueUrl => "sqs:GetQueueUrl",
    SqsGetQueueAttributes => "sqs:GetQueueAttributes",
    SnsListSubscriptions => "sns:ListSubscriptions",
    SnsGetTopicAttributes => "sns:GetTopicAttributes",
    S3GetBucketNotificationConfiguration => "s3:GetBucketNotification",
    S3GetBucketPolicy => "s3:GetBucketPolicy",
}

/// The prefixes of [`Action`] names, longest first, that name their service.
const PREFIXES: &[&str] = &[
    "Organizations",
    "ApiGatewayV2",
    "ApiGateway",
    "CloudTrail",
    "CloudWatch",
    "Inspector2",
    "GuardDuty",
    "Lambda",
    "Logs",
    "Ec2",
    "Sts",
    "Iam",
    "Kms",
    "Sqs",
    "Sns",
    "S3",
];

impl Action {
    /// The API operation, `GetPolicy` (API Gateway's IAM actions do not name it).
    pub fn operation(self) -> String {
        let name = format!("{self:?}");
        PREFIXES
            .iter()
            .find_map(|p| name.strip_prefix(p))
            .unwrap_or(&name)
            .to_owned()
    }

    /// The service part of the IAM action (`lambda`); also the key of per-service concurrency.
    pub fn service(self) -> &'static str {
        let a = self.iam_action();
        a.split_once(':').map_or(a, |(s, _)| s)
    }

    /// Calls that need no permission in the audited account's policy: `GetCallerIdentity` needs
    /// none, and the caller's own policy grants `AssumeRole` and `ListAccounts`
    /// ([`ORGANIZATION_POLICY`]).
    pub fn outside_read_only_policy(self) -> bool {
        matches!(
            self,
            Action::StsGetCallerIdentity
                | Action::StsAssumeRole
                | Action::OrganizationsListAccounts
        )
    }
}

/// The IAM action of an operation the SDK sent, from its service and operation names (the
/// `Metadata` every SDK operation carries). `None` for services the collector does not know.
pub fn sdk_operation_action(service: &str, operation: &str) -> Option<String> {
    let prefix = match service {
        "Lambda" => "lambda",
        "IAM" => "iam",
        "KMS" => "kms",
        "CloudWatch Logs" => "logs",
        "CloudTrail" => "cloudtrail",
        "GuardDuty" => "guardduty",
        "Inspector2" => "inspector2",
        "SQS" => "sqs",
        "SNS" => "sns",
        "S3" => "s3",
        "STS" => "sts",
        "Organizations" => "organizations",
        "EC2" => "ec2",
        // API Gateway authorizes reads by HTTP method, not by operation.
        "API Gateway" | "ApiGatewayV2" => {
            return operation
                .starts_with("Get")
                .then(|| "apigateway:GET".to_owned());
        }
        _ => return None,
    };
    // Operations whose IAM action has another name.
    let action = match (prefix, operation) {
        ("s3", "GetBucketNotificationConfiguration") => "GetBucketNotification",
        (_, op) => op,
    };
    Some(format!("{prefix}:{action}"))
}

/// True when `policy` (a JSON policy document) has an Allow statement whose `Action` matches
/// `action` (IAM wildcards `*` and `?`, case-insensitive). Resource scoping is not considered.
pub fn policy_allows(policy: &Json, action: &str) -> bool {
    let statements: Vec<&Json> = match policy.get("Statement") {
        Some(Json::Array(items)) => items.iter().collect(),
        Some(one) => vec![one],
        None => Vec::new(),
    };
    statements.into_iter().any(|s| {
        s.get("Effect").and_then(Json::as_str) == Some("Allow")
            && match s.get("Action") {
                Some(Json::String(p)) => wildcard_match(p, action),
                Some(Json::Array(ps)) => ps
                    .iter()
                    .filter_map(Json::as_str)
                    .any(|p| wildcard_match(p, action)),
                _ => false,
            }
    })
}

/// IAM action matching: `*` any run, `?` one character, ASCII case-insensitive.
fn wildcard_match(pattern: &str, text: &str) -> bool {
    lambdasec_iam::wildcard::matches_ignore_case(pattern, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_only() -> Json {
        serde_json::from_str(READ_ONLY_POLICY).unwrap()
    }

    #[test]
    fn every_call_is_in_the_read_only_policy() {
        let policy = read_only();
        for a in Action::ALL {
            if a.outside_read_only_policy() {
                continue;
            }
            assert!(
                policy_allows(&policy, a.iam_action()),
                "{a:?} ({}) is not in the read-only policy",
                a.iam_action()
            );
        }
    }

    #[test]
    fn the_policy_grants_nothing_the_collector_does_not_call() {
        let policy = read_only();
        let used: Vec<&str> = Action::ALL.iter().map(|a| a.iam_action()).collect();
        for s in policy["Statement"].as_array().unwrap() {
            let actions: Vec<&str> = match &s["Action"] {
                Json::String(a) => vec![a.as_str()],
                Json::Array(list) => list.iter().filter_map(Json::as_str).collect(),
                _ => Vec::new(),
            };
            for a in actions {
                assert!(!a.contains('*'), "wildcard action {a} in the policy");
                assert!(used.contains(&a), "{a} is granted but never called");
            }
        }
        let org: Json = serde_json::from_str(ORGANIZATION_POLICY).unwrap();
        assert!(policy_allows(&org, "organizations:ListAccounts"));
        assert!(policy_allows(&org, "sts:AssumeRole"));
        assert!(!policy_allows(&policy, "sts:AssumeRole"));
    }

    #[test]
    fn sdk_operations_map_to_iam_actions() {
        assert_eq!(
            sdk_operation_action("Lambda", "GetPolicy").as_deref(),
            Some("lambda:GetPolicy")
        );
        assert_eq!(
            sdk_operation_action("S3", "GetBucketNotificationConfiguration").as_deref(),
            Some("s3:GetBucketNotification")
        );
        assert_eq!(
            sdk_operation_action("ApiGatewayV2", "GetRoutes").as_deref(),
            Some("apigateway:GET")
        );
        assert_eq!(sdk_operation_action("API Gateway", "DeleteRestApi"), None);
        assert_eq!(sdk_operation_action("Nope", "GetX"), None);
        assert!(!policy_allows(&read_only(), "lambda:UpdateFunctionCode"));
        assert!(!policy_allows(&read_only(), "s3:GetObject"));
    }

    #[test]
    fn the_documentation_shows_the_policies_in_force() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/live.md");
        let doc = std::fs::read_to_string(path).unwrap();
        let blocks: Vec<Json> = doc
            .split("```json")
            .skip(1)
            .filter_map(|b| b.split("```").next())
            .map(|b| serde_json::from_str(b).unwrap())
            .collect();
        assert!(
            blocks.contains(&read_only()),
            "docs/live.md shows another read-only policy"
        );
        let org: Json = serde_json::from_str(ORGANIZATION_POLICY).unwrap();
        assert!(
            blocks.contains(&org),
            "docs/live.md shows another organization policy"
        );
    }

    #[test]
    fn operations() {
        assert_eq!(
            Action::ApiGatewayV2GetAuthorizers.operation(),
            "GetAuthorizers"
        );
        assert_eq!(Action::ApiGatewayGetStages.operation(), "GetStages");
        assert_eq!(Action::S3GetBucketPolicy.operation(), "GetBucketPolicy");
        for a in Action::ALL {
            let op = a.operation();
            assert!(op.starts_with(char::is_uppercase), "{a:?}");
            if !a.iam_action().starts_with("apigateway:")
                && *a != Action::S3GetBucketNotificationConfiguration
            {
                assert!(a.iam_action().ends_with(&op), "{a:?}");
            }
        }
    }

    #[test]
    fn wildcards() {
        assert!(wildcard_match("lambda:Get*", "lambda:getpolicy"));
        assert!(wildcard_match("*", "x:y"));
        assert!(wildcard_match("s3:Get?ucket*", "s3:GetBucketPolicy"));
        assert!(!wildcard_match("lambda:List*", "lambda:GetPolicy"));
        assert!(!wildcard_match("lambda:Get", "lambda:GetPolicy"));
    }
}
