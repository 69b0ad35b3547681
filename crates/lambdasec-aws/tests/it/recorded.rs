//! Recorded responses for what moto does not implement (code signing configs, recursion and
//! runtime management configs, S3 bucket notifications, API Gateway v2 authorizers), served by a
//! small fake AWS endpoint on loopback. Every other call is denied, which exercises the
//! "not assessed" path: the collection completes and records each denied call.
//!
//! The bodies follow the shapes of the AWS API references; the fake routes by the SigV4
//! credential scope's service and the request path.

use lambdasec_aws::actions::policy_allows;
use lambdasec_aws::{CollectOptions, NoProgress, READ_ONLY_POLICY, Regions, collect};
use lambdasec_model::{RecursiveLoop, Target, UntrustedArtifactAction, UpdateRuntimeOn};
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const ACCOUNT: &str = "111122223333";
const FN_ARN: &str = "arn:aws:lambda:us-east-1:111122223333:function:signed";
const CSC_ARN: &str = "arn:aws:lambda:us-east-1:111122223333:code-signing-config:csc-0example";
const PROFILE: &str = "arn:aws:signer:us-east-1:111122223333:/signing-profiles/release/v1";

struct Request {
    method: String,
    target: String,
    service: String,
    body: String,
}

struct Response {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: String,
}

fn json(status: u16, body: &str) -> Response {
    Response {
        status,
        headers: vec![("content-type", "application/json".into())],
        body: body.to_owned(),
    }
}

fn json_error(status: u16, code: &str) -> Response {
    let mut r = json(
        status,
        &format!(r#"{{"__type":"{code}","message":"recorded {code}"}}"#),
    );
    r.headers.push(("x-amzn-errortype", code.to_owned()));
    r
}

fn xml(status: u16, body: &str) -> Response {
    Response {
        status,
        headers: vec![("content-type", "text/xml".into())],
        body: body.to_owned(),
    }
}

fn function_configuration() -> String {
    format!(
        r#"{{"FunctionName":"signed","FunctionArn":"{FN_ARN}","Runtime":"python3.12",
        "Role":"arn:aws:iam::{ACCOUNT}:role/signed-exec","Handler":"app.handler","CodeSize":1024,
        "Timeout":10,"MemorySize":256,"Version":"$LATEST","PackageType":"Zip",
        "Architectures":["arm64"],"TracingConfig":{{"Mode":"PassThrough"}},
        "EphemeralStorage":{{"Size":512}},"SigningProfileVersionArn":"{PROFILE}"}}"#
    )
}

fn function_policy() -> String {
    let doc = format!(
        r#"{{"Version":"2012-10-17","Id":"default","Statement":[{{"Sid":"uploads","Effect":"Allow","Principal":{{"Service":"s3.amazonaws.com"}},"Action":"lambda:InvokeFunction","Resource":"{FN_ARN}","Condition":{{"StringEquals":{{"AWS:SourceAccount":"{ACCOUNT}"}},"ArnLike":{{"AWS:SourceArn":"arn:aws:s3:::recorded-uploads"}}}}}}]}}"#
    );
    serde_json::json!({ "Policy": doc, "RevisionId": "rev-1" }).to_string()
}

fn route(r: &Request) -> Response {
    let path = r.target.split('?').next().unwrap_or_default();
    let query = r.target.split_once('?').map(|(_, q)| q).unwrap_or_default();
    match (r.service.as_str(), r.method.as_str()) {
        ("sts", _) if r.body.contains("Action=GetCallerIdentity") => xml(
            200,
            &format!(
                r#"<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::{ACCOUNT}:user/auditor</Arn><UserId>AIDAEXAMPLE</UserId><Account>{ACCOUNT}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>"#
            ),
        ),
        ("lambda", "GET") => lambda(path),
        ("s3", "GET") if query.starts_with("notification") => xml(
            200,
            &format!(
                r#"<?xml version="1.0" encoding="UTF-8"?>
<NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <CloudFunctionConfiguration>
    <Id>on-upload</Id>
    <CloudFunction>{FN_ARN}</CloudFunction>
    <Event>s3:ObjectCreated:*</Event>
    <Filter><S3Key><FilterRule><Name>prefix</Name><Value>incoming/</Value></FilterRule></S3Key></Filter>
  </CloudFunctionConfiguration>
</NotificationConfiguration>"#
            ),
        ),
        ("s3", "GET") if query.starts_with("policy") => json(
            200,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::recorded-uploads/*"}]}"#,
        ),
        ("apigateway", "GET") => apigateway(path),
        // CloudWatch (Query protocol): the function's daily invocations, newest first.
        ("monitoring", "POST") if r.body.contains("Action=GetMetricData") => xml(
            200,
            r#"<GetMetricDataResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/">
  <GetMetricDataResult>
    <MetricDataResults>
      <member><Id>f0</Id><Label>Invocations</Label>
        <Timestamps><member>2026-02-27T10:00:00Z</member><member>2026-02-02T10:00:00Z</member></Timestamps>
        <Values><member>40.0</member><member>2.0</member></Values>
        <StatusCode>Complete</StatusCode></member>
    </MetricDataResults>
    <Messages/>
  </GetMetricDataResult>
  <ResponseMetadata><RequestId>r-2</RequestId></ResponseMetadata>
</GetMetricDataResponse>"#,
        ),
        ("iam" | "sns" | "cloudtrail", _) | ("ec2", _) => xml(
            403,
            r#"<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>recorded denial</Message></Error><RequestId>r</RequestId></ErrorResponse>"#,
        ),
        _ => json_error(403, "AccessDeniedException"),
    }
}

fn lambda(path: &str) -> Response {
    let name = path
        .split('/')
        .nth(3)
        .map(|n| n.replace("%3A", ":"))
        .unwrap_or_default();
    let named = name == "signed" || name == FN_ARN;
    match path {
        "/2015-03-31/functions/" | "/2015-03-31/functions" => json(
            200,
            &format!(r#"{{"Functions":[{}]}}"#, function_configuration()),
        ),
        "/2020-04-22/code-signing-configs/" | "/2020-04-22/code-signing-configs" => json(
            200,
            &format!(
                r#"{{"CodeSigningConfigs":[{{"CodeSigningConfigId":"csc-0example","CodeSigningConfigArn":"{CSC_ARN}","Description":"release signing","AllowedPublishers":{{"SigningProfileVersionArns":["{PROFILE}"]}},"CodeSigningPolicies":{{"UntrustedArtifactOnDeployment":"Warn"}},"LastModified":"2026-01-01T00:00:00.000+0000"}}]}}"#
            ),
        ),
        p if named && p.ends_with("/policy") => json(200, &function_policy()),
        p if named && p.starts_with("/2020-06-30/") && p.ends_with("/code-signing-config") => json(
            200,
            &format!(r#"{{"CodeSigningConfigArn":"{CSC_ARN}","FunctionName":"signed"}}"#),
        ),
        p if named && p.ends_with("/recursion-config") => json(200, r#"{"RecursiveLoop":"Allow"}"#),
        p if named && p.ends_with("/runtime-management-config") => json(
            200,
            &format!(r#"{{"UpdateRuntimeOn":"Manual","FunctionArn":"{FN_ARN}"}}"#),
        ),
        p if named && p.starts_with("/2015-03-31/functions/") && p.matches('/').count() == 3 => {
            json(
                200,
                &format!(
                    r#"{{"Configuration":{},"Code":{{"RepositoryType":"S3"}},"Tags":{{"team":"release"}}}}"#,
                    function_configuration()
                ),
            )
        }
        // Every other listing of this recording is empty.
        _ => json(200, "{}"),
    }
}

fn apigateway(path: &str) -> Response {
    match path {
        "/v2/apis" => json(
            200,
            r#"{"items":[{"apiId":"h1","name":"front","protocolType":"HTTP","routeSelectionExpression":"$request.method $request.path"}]}"#,
        ),
        "/v2/apis/h1/authorizers" => json(
            200,
            r#"{"items":[{"authorizerId":"z1","name":"jwt","authorizerType":"JWT","identitySource":["$request.header.Authorization"]}]}"#,
        ),
        "/v2/apis/h1/routes" => json(
            200,
            r#"{"items":[{"routeId":"r1","routeKey":"GET /orders","authorizationType":"JWT","authorizerId":"z1"}]}"#,
        ),
        p if p.starts_with("/v2/") => json(200, r#"{"items":[]}"#),
        _ => json(200, r#"{"item":[]}"#),
    }
}

async fn handle(mut sock: TcpStream) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        let Ok(n) = sock.read(&mut chunk).await else {
            return;
        };
        if n == 0 {
            return;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.lines();
    let mut first = lines.next().unwrap_or_default().split(' ');
    let method = first.next().unwrap_or_default().to_owned();
    let target = first.next().unwrap_or_default().to_owned();
    let mut length = 0usize;
    let mut service = String::new();
    for line in lines {
        let Some((k, v)) = line.split_once(':') else {
            continue;
        };
        let (k, v) = (k.trim().to_ascii_lowercase(), v.trim());
        if k == "content-length" {
            length = v.parse().unwrap_or(0);
        }
        if k == "authorization" {
            // Credential=AKID/date/region/service/aws4_request
            service = v
                .split("Credential=")
                .nth(1)
                .and_then(|c| c.split('/').nth(3))
                .unwrap_or_default()
                .to_owned();
        }
    }
    while buf.len() < head_end + length {
        let Ok(n) = sock.read(&mut chunk).await else {
            return;
        };
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = String::from_utf8_lossy(&buf[head_end..]).into_owned();
    let r = route(&Request {
        method,
        target,
        service,
        body,
    });
    let mut out = format!(
        "HTTP/1.1 {} X\r\ncontent-length: {}\r\nconnection: close\r\nx-amzn-requestid: r-1\r\n",
        r.status,
        r.body.len()
    );
    for (k, v) in &r.headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    out.push_str(&r.body);
    let _ = sock.write_all(out.as_bytes()).await;
    let _ = sock.shutdown().await;
}

async fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            tokio::spawn(handle(sock));
        }
    });
    format!("http://{addr}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recorded_responses_fill_what_moto_lacks_and_denials_become_gaps() {
    if std::env::var("AWS_ACCESS_KEY_ID").is_err() {
        eprintln!(
            "skipping recorded_responses_fill_what_moto_lacks_and_denials_become_gaps: \
             AWS_ACCESS_KEY_ID is not set (any value works; scripts/with-moto.sh sets one)"
        );
        return;
    }
    let endpoint = serve().await;
    let options = CollectOptions {
        endpoint_url: Some(endpoint),
        regions: Regions::List(vec!["us-east-1".into()]),
        max_attempts: 1,
        ..CollectOptions::default()
    };
    let collection = collect(&options, Arc::new(NoProgress)).await.unwrap();
    let inv = collection.inventory();
    let ix = inv.index();

    // Code signing: the region's config and the function's link to it.
    let csc = inv
        .code_signing_configs
        .first()
        .expect("code signing config");
    assert_eq!(
        csc.untrusted_artifact_on_deployment.get(),
        Some(&UntrustedArtifactAction::Warn)
    );
    assert_eq!(
        csc.allowed_publishers[0].get(),
        Some(&Target::Arn(PROFILE.into()))
    );
    let f = inv.functions.first().expect("function");
    assert_eq!(
        f.code_signing_config.as_ref().and_then(|c| c.get()),
        Some(&Target::Arn(CSC_ARN.into()))
    );
    assert!(
        ix.get::<lambdasec_model::CodeSigningConfig>(f.code_signing_config.as_ref().unwrap())
            .is_some()
    );
    assert_eq!(f.recursive_loop.get(), Some(&RecursiveLoop::Allow));
    assert_eq!(
        f.runtime_management
            .as_ref()
            .map(|r| r.update_runtime_on.get()),
        Some(Some(&UpdateRuntimeOn::Manual))
    );

    // Invocations from CloudWatch's Query API (which moto answers without Lambda's metrics).
    let calls = f.invocations.as_ref().expect("invocations");
    assert_eq!(calls.count.get(), Some(&42));
    assert_eq!(calls.last_invoked.as_deref(), Some("2026-02-27"));

    // The bucket found in the function policy, its notification and policy.
    let bucket = inv
        .buckets
        .first()
        .expect("bucket from the function policy");
    assert_eq!(bucket.meta.id, "recorded-uploads");
    let n = &bucket.notifications[0];
    assert!(ix.points_to(&n.function, f));
    assert_eq!(n.events[0].as_str(), Some("s3:ObjectCreated:*"));
    assert!(
        n.filter
            .as_ref()
            .unwrap()
            .to_json_text()
            .contains("incoming/")
    );
    assert!(bucket.policy.is_some());

    // API Gateway v2 authorizer and the route using it.
    let z = inv.authorizers.first().expect("authorizer");
    assert_eq!(z.kind.as_str(), Some("JWT"));
    let route = inv.routes.first().expect("route");
    assert_eq!(route.authorization_type.as_str(), Some("JWT"));
    assert!(
        route
            .authorizer
            .as_ref()
            .and_then(|a| ix.get::<lambdasec_model::Authorizer>(a))
            .is_some()
    );

    // Denied calls are recorded, the rest of the collection went on.
    let gaps = &collection.snapshot.accounts[0].not_assessed;
    let denied = |action: &str| {
        gaps.iter()
            .any(|g| g.action == action && g.error_code.starts_with("AccessDenied"))
    };
    assert!(denied("iam:GetAccountAuthorizationDetails"), "{gaps:#?}");
    assert!(denied("guardduty:ListDetectors"), "{gaps:#?}");
    assert!(denied("inspector2:BatchGetAccountStatus"), "{gaps:#?}");
    let settings = &inv.accounts[0];
    assert!(settings.guardduty_lambda_protection.is_none());
    assert!(settings.inspector_lambda_scanning.is_none());
    assert!(
        inv.not_assessed
            .iter()
            .any(|g| g.action == "iam:GetAccountAuthorizationDetails" && g.region.is_none())
    );

    let policy: serde_json::Value = serde_json::from_str(READ_ONLY_POLICY).unwrap();
    for action in collection.requests.keys() {
        assert!(
            action == "sts:GetCallerIdentity" || policy_allows(&policy, action),
            "{action} is not in the policy"
        );
    }
}
