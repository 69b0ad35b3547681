//! Every rule, in code order. Adding a rule: one file under `rules/<area>/`, one line here, one
//! fixture folder `tests/fixtures/<CODE>/`.

use crate::rule::Rule;
use crate::rules::*;

static RULES: &[&dyn Rule] = &[
    &avl::NoReservedConcurrency,
    &avl::NoDeadLetterQueue,
    &avl::NoFailureDestination,
    &avl::RecursiveLoopAllowed,
    &avl::UnusedFunction,
    &enc::EnvironmentWithoutCmk,
    &enc::KmsKeyRotationDisabled,
    &enc::KmsKeyPolicyPermissive,
    &enc::LogGroupNotEncrypted,
    &evt::ApiWithoutAuthorization,
    &evt::ApiWithoutRequestValidation,
    &evt::ApiAccessLoggingOff,
    &evt::QueueSourceWithoutDlq,
    &evt::PublicEventSource,
    &evt::QueueVisibilityShorterThanTimeout,
    &gov::MissingRequiredTags,
    &iam::AdminExecutionRole,
    &iam::WildcardActionInRole,
    &iam::UnscopedSensitiveAction,
    &iam::PrivilegeEscalationRole,
    &iam::SharedExecutionRole,
    &iam::RiskyPolicyConstruct,
    &iam::LambdaHijackPrincipal,
    &iam::DataExfiltrationRole,
    &iam::RoleTrustTooBroad,
    &iam::MissingPermissionsBoundary,
    &net::FunctionOutsideVpc,
    &net::VpcSingleAz,
    &net::OpenSecurityGroup,
    &net::InternetExposedFunction,
    &obs::TracingNotActive,
    &obs::InvokeNotAudited,
    &obs::LogRetentionUnset,
    &obs::RoleCannotWriteLogs,
    &obs::GuarddutyLambdaProtectionOff,
    &rbp::PublicFunctionPolicy,
    &rbp::ConfusedDeputyPermission,
    &rbp::CrossAccountInvocation,
    &rbp::NonInvokeActionGranted,
    &rbp::ApiGatewayWildcardSource,
    &rbp::PrincipalSourceMismatch,
    &rbp::PublicLayerVersion,
    &rt::DeprecatedRuntime,
    &rt::RuntimeNearingDeprecation,
    &rt::RuntimeUpdatesPinned,
    &sec::SecretInEnvironment,
    &sec::SecretInPackage,
    &sec::SecretInLayer,
    &sec::SensitiveEnvPlaintext,
    &sec::ReservedEnvironmentKey,
    &sec::PlaintextEventSourceToken,
    &sup::CodeSigningNotConfigured,
    &sup::CrossAccountLayer,
    &sup::CodeSigningWarnOnly,
    &sup::MutableImageReference,
    &sup::InspectorLambdaScanningOff,
    &url::FunctionUrlWithoutAuth,
    &url::FunctionUrlCorsAnyOrigin,
    &url::CorsCredentialsAnyOrigin,
    &url::UrlInvokePublicGrant,
];

/// All rules, sorted by code.
pub fn all() -> &'static [&'static dyn Rule] {
    RULES
}

/// A rule by code or name (case-insensitive).
pub fn find(code_or_name: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| {
        r.meta().code.eq_ignore_ascii_case(code_or_name)
            || r.meta().name.eq_ignore_ascii_case(code_or_name)
    })
}
