//! SDK configuration and the clients of one account and region.

use crate::actions::sdk_operation_action;
use crate::cloudwatch::CloudWatch;
use crate::ec2::Ec2;
use crate::http::{Http, Signer};
use crate::options::CollectOptions;
use crate::scope::Shared;
use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use std::sync::Arc;

/// The region used for global services and account discovery when none is configured.
pub const FALLBACK_REGION: &str = "us-east-1";

/// The SDK configuration of the credentials the user runs with.
pub async fn base_config(options: &CollectOptions) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(RetryConfig::adaptive().with_max_attempts(options.max_attempts.max(1)));
    if let Some(p) = &options.profile {
        loader = loader.profile_name(p);
    }
    if let Some(e) = &options.endpoint_url {
        loader = loader.endpoint_url(e);
    }
    let config = loader.load().await;
    if config.region().is_some() {
        return config;
    }
    config
        .into_builder()
        .region(Region::from_static(FALLBACK_REGION))
        .build()
}

/// Records the IAM action of every request the SDK sends (retries included), so the
/// least-privilege policy can be checked against what was really called.
#[derive(Debug, Clone)]
pub struct RequestRecorder(pub Arc<Shared>);

impl Intercept for RequestRecorder {
    fn name(&self) -> &'static str {
        "lambdasec-request-recorder"
    }

    fn read_before_transmit(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(m) = cfg.load::<Metadata>() {
            let action = sdk_operation_action(m.service(), m.name())
                .unwrap_or_else(|| format!("{}:{}", m.service(), m.name()));
            self.0.record_request(action);
        }
        Ok(())
    }
}

macro_rules! client {
    ($sdk:ident, $config:expr, $region:expr, $rec:expr) => {
        $sdk::Client::from_conf(
            $sdk::config::Builder::from($config)
                .region(Region::new($region.to_owned()))
                .interceptor($rec.clone())
                .build(),
        )
    };
}

/// Clients of global services (IAM, Organizations, STS).
#[derive(Debug, Clone)]
pub struct GlobalClients {
    pub iam: aws_sdk_iam::Client,
    pub sts: aws_sdk_sts::Client,
    pub organizations: aws_sdk_organizations::Client,
}

impl GlobalClients {
    pub fn new(config: &SdkConfig, recorder: &RequestRecorder) -> Self {
        let region = config
            .region()
            .map_or(FALLBACK_REGION.to_owned(), |r| r.to_string());
        GlobalClients {
            iam: client!(aws_sdk_iam, config, &region, recorder),
            sts: client!(aws_sdk_sts, config, &region, recorder),
            organizations: client!(aws_sdk_organizations, config, &region, recorder),
        }
    }
}

/// Clients of one account in one region.
#[derive(Debug, Clone)]
pub struct RegionClients {
    pub region: String,
    pub lambda: aws_sdk_lambda::Client,
    pub kms: aws_sdk_kms::Client,
    pub logs: aws_sdk_cloudwatchlogs::Client,
    pub cloudtrail: aws_sdk_cloudtrail::Client,
    pub guardduty: aws_sdk_guardduty::Client,
    pub inspector: aws_sdk_inspector2::Client,
    pub apigateway: aws_sdk_apigateway::Client,
    pub apigatewayv2: aws_sdk_apigatewayv2::Client,
    pub sqs: aws_sdk_sqs::Client,
    pub sns: aws_sdk_sns::Client,
    pub s3: aws_sdk_s3::Client,
    pub ec2: Ec2,
    pub cloudwatch: CloudWatch,
    pub http: Http,
}

impl RegionClients {
    pub fn new(
        config: &SdkConfig,
        region: &str,
        partition: &str,
        options: &CollectOptions,
        http: &Http,
        recorder: &RequestRecorder,
    ) -> Self {
        let s3 = aws_sdk_s3::Client::from_conf(
            aws_sdk_s3::config::Builder::from(config)
                .region(Region::new(region.to_owned()))
                .force_path_style(options.endpoint_url.is_some())
                .interceptor(recorder.clone())
                .build(),
        );
        let signer = Signer::new(config.credentials_provider());
        RegionClients {
            region: region.to_owned(),
            lambda: client!(aws_sdk_lambda, config, region, recorder),
            kms: client!(aws_sdk_kms, config, region, recorder),
            logs: client!(aws_sdk_cloudwatchlogs, config, region, recorder),
            cloudtrail: client!(aws_sdk_cloudtrail, config, region, recorder),
            guardduty: client!(aws_sdk_guardduty, config, region, recorder),
            inspector: client!(aws_sdk_inspector2, config, region, recorder),
            apigateway: client!(aws_sdk_apigateway, config, region, recorder),
            apigatewayv2: client!(aws_sdk_apigatewayv2, config, region, recorder),
            sqs: client!(aws_sdk_sqs, config, region, recorder),
            sns: client!(aws_sdk_sns, config, region, recorder),
            s3,
            cloudwatch: CloudWatch::new(
                http.clone(),
                signer.clone(),
                region,
                partition,
                options.endpoint_url.as_deref(),
                options.max_attempts,
                Some(recorder.0.clone()),
            ),
            ec2: Ec2::new(
                http.clone(),
                signer,
                region,
                partition,
                options.endpoint_url.as_deref(),
                options.max_attempts,
                Some(recorder.0.clone()),
            ),
            http: http.clone(),
        }
    }
}
