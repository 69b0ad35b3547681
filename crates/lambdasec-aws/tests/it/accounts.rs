//! Several accounts through an assumed role (moto honours AssumeRole into any account id).

use crate::moto::{self, LAMBDA_TRUST, empty_zip, unique};
use aws_sdk_lambda::primitives::Blob;
use aws_sdk_lambda::types as lt;
use lambdasec_aws::{Accounts, CollectOptions, NoProgress, Regions, collect};
use std::sync::Arc;

const MEMBER: &str = "210987654321";
const REGION: &str = "ap-southeast-2";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn collects_member_accounts_through_a_role() {
    let Some(endpoint) = moto::endpoint("collects_member_accounts_through_a_role") else {
        return;
    };
    let s = unique();
    let base = moto::config(&endpoint, REGION).await;
    let sts = aws_sdk_sts::Client::new(&base);
    let creds = sts
        .assume_role()
        .role_arn(format!("arn:aws:iam::{MEMBER}:role/Audit"))
        .role_session_name("setup")
        .send()
        .await
        .unwrap();
    let c = creds.credentials().unwrap();
    let member = aws_config::SdkConfig::builder()
        .behavior_version(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new(REGION))
        .endpoint_url(&endpoint)
        .credentials_provider(
            aws_credential_types::provider::SharedCredentialsProvider::new(
                aws_credential_types::Credentials::new(
                    c.access_key_id(),
                    c.secret_access_key(),
                    Some(c.session_token().to_owned()),
                    None,
                    "assumed",
                ),
            ),
        )
        .build();
    let iam = aws_sdk_iam::Client::new(&member);
    let role = iam
        .create_role()
        .role_name(format!("member-exec-{s}"))
        .assume_role_policy_document(LAMBDA_TRUST)
        .send()
        .await
        .unwrap();
    aws_sdk_lambda::Client::new(&member)
        .create_function()
        .function_name(format!("member-fn-{s}"))
        .runtime(lt::Runtime::Python311)
        .role(role.role().unwrap().arn())
        .handler("app.handler")
        .code(
            lt::FunctionCode::builder()
                .zip_file(Blob::new(empty_zip()))
                .build(),
        )
        .send()
        .await
        .unwrap();

    let options = CollectOptions {
        endpoint_url: Some(endpoint),
        regions: Regions::List(vec![REGION.into()]),
        accounts: Accounts::List(vec![MEMBER.into()]),
        role_arn: Some("arn:aws:iam::{account}:role/Audit".into()),
        ..CollectOptions::default()
    };
    let collection = collect(&options, Arc::new(NoProgress)).await.unwrap();
    let accounts = &collection.snapshot.accounts;
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0].account_id, MEMBER);
    let inv = collection.inventory();
    assert_eq!(inv.account_id.as_deref(), Some(MEMBER));
    let f = inv
        .functions
        .iter()
        .find(|f| f.meta.id == format!("member-fn-{s}"))
        .expect("the member account's function");
    assert!(f.meta.arn.as_deref().unwrap().contains(MEMBER));
    // The member account's calls were made with the assumed role's credentials.
    assert!(collection.requests.contains_key("lambda:ListFunctions"));
    assert!(
        collection.snapshot.accounts[0]
            .not_assessed
            .iter()
            .all(|g| g.action != "sts:AssumeRole")
    );
}
