//! Every rule of the table has positive samples (it fires, with its own rule id) and near-miss
//! negatives (same shape, but wrong length, alphabet, context or a placeholder).

use crate::fake::{self, Gen};
use lambdasec_secrets::{Confidence, Detector};
use std::collections::BTreeMap;

fn samples() -> BTreeMap<&'static str, (Vec<String>, Vec<String>)> {
    let g = &mut Gen::new(99);
    let mut m = BTreeMap::new();
    let mut add = |id: &'static str, pos: Vec<String>, neg: Vec<&str>| {
        m.insert(id, (pos, neg.into_iter().map(str::to_owned).collect()));
    };
    add(
        "aws-access-key-id",
        vec![
            format!("key = \"{}\"", fake::aws_key_id(g)),
            fake::AWS_EXAMPLE_KEY_ID.into(),
        ],
        vec![
            "AKIAIOSFODNN7EXAMPL",
            "AKIAIOSFODNN7EXAMPLE1",
            "AKIAiosfodnn7example",
            "AIDAIOSFODNN7EXAMPLE",
        ],
    );
    add(
        "aws-temporary-access-key-id",
        vec![fake::aws_temp_key_id(g)],
        vec!["Asia/Tokyo", "ASIA1OSFODNN7EXAMPLE8"],
    );
    add(
        "aws-secret-access-key",
        vec![
            format!("aws_secret_access_key = {}", fake::aws_secret(g)),
            format!("\"SecretAccessKey\": \"{}\"", fake::aws_secret(g)),
        ],
        vec![
            "aws_secret_access_key = xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "aws_secret_access_key = tooShort123",
            "aws_secret_access_key = ${AWS_SECRET_ACCESS_KEY}",
        ],
    );
    add(
        "aws-session-token",
        vec![fake::aws_session_token(g)],
        vec!["IQoJb3JpZ2luX2Vjshort"],
    );
    add(
        "aws-session-token-assignment",
        vec![format!("aws_session_token = {}", g.pick(fake::B64, 300))],
        vec!["aws_session_token = abc", "session_token = ${TOKEN}"],
    );
    add(
        "private-key",
        vec![fake::pem(g, "RSA PRIVATE KEY", 10), fake::openssh_key(g)],
        vec![
            "if pem.startswith(\"-----BEGIN RSA PRIVATE KEY-----\"):",
            "-----BEGIN PRIVATE KEY-----\nMIIEvQ...\n-----END PRIVATE KEY-----",
            "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAwYSiPeJLSi6k8J4abcdefghijklmnopqrstuvw\n-----END PUBLIC KEY-----",
        ],
    );
    add(
        "github-token",
        vec![fake::github_token(g, "ghp"), fake::github_token(g, "ghs")],
        vec![
            "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "ghp_short",
            "ghx_1234567890abcdefghij1234567890abcdef",
        ],
    );
    add(
        "github-fine-grained-token",
        vec![fake::github_fine_grained(g)],
        vec!["github_pat_tooshort_abc"],
    );
    add(
        "gitlab-token",
        vec![fake::gitlab_token(g)],
        vec!["glpat-xxxxxxxxxxxxxxxxxxxx", "glpat-short"],
    );
    add(
        "slack-token",
        vec![fake::slack_bot_token(g), fake::slack_user_token(g)],
        vec![
            "xoxb-your-token",
            "xoxb-xxxxxxxxxxxx-xxxxxxxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx",
        ],
    );
    add(
        "slack-app-token",
        vec![fake::slack_app_token(g)],
        vec!["xapp-1-short"],
    );
    add(
        "slack-webhook",
        vec![fake::slack_webhook(g)],
        vec![
            "https://hooks.slack.com/services/XXXXXXXXX/XXXXXXXXX/XXXXXXXXXXXXXXXXXXXXXXXX",
            "https://hooks.slack.com/services/",
        ],
    );
    add(
        "stripe-key",
        vec![fake::stripe_secret(g, "live"), fake::stripe_restricted(g)],
        vec!["sk_live_xxxxxxxxxxxxxxxxxxxxxxxx", "sk_live_short"],
    );
    add(
        "stripe-webhook-secret",
        vec![format!("whsec_{}", g.pick(fake::B62, 32))],
        vec!["whsec_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"],
    );
    add(
        "twilio-credential",
        vec![format!("TWILIO_API_KEY={}", fake::twilio_api_key(g))],
        vec![
            "TWILIO_ACCOUNT_SID=AC0000000000000000000000000000000",
            "twilio_region = us1",
        ],
    );
    add(
        "sendgrid-api-key",
        vec![fake::sendgrid_key(g)],
        vec!["SG.short.short", "msg.send(x)"],
    );
    add(
        "google-api-key",
        vec![fake::google_api_key(g)],
        vec!["AIzaShort", "AIzaxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"],
    );
    add(
        "azure-storage-account-key",
        vec![fake::azure_storage_connection_string(g)],
        vec!["AccountName=devstoreaccount1;AccountKey=${STORAGE_KEY}"],
    );
    add(
        "azure-shared-access-key",
        vec![fake::azure_service_bus_connection_string(g)],
        vec!["SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=<key>"],
    );
    add(
        "npm-token",
        vec![fake::npm_token(g)],
        vec!["npm_install_command", "npm_config_cache"],
    );
    add(
        "npmrc-auth-token",
        vec![format!(
            "//registry.example.com/:_authToken={}",
            fake::random_b64(g, 36)
        )],
        vec![
            "//registry.npmjs.org/:_authToken=${NPM_TOKEN}",
            "//registry.npmjs.org/:_authToken=<token>",
        ],
    );
    add(
        "pypi-token",
        vec![fake::pypi_token(g)],
        vec!["pypi-AgEIcHlwaS5vcmcshort"],
    );
    add(
        "openai-api-key",
        vec![fake::openai_key(g)],
        vec!["sk-proj-short"],
    );
    add(
        "anthropic-api-key",
        vec![fake::anthropic_key(g)],
        vec!["sk-ant-api03-short"],
    );
    add(
        "huggingface-token",
        vec![fake::huggingface_token(g)],
        vec!["hf_hub_download", "hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"],
    );
    add(
        "shopify-token",
        vec![fake::shopify_token(g)],
        vec!["shpat_short", "shpat_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"],
    );
    add(
        "vault-token",
        vec![fake::vault_token(g)],
        vec!["hvs.short", "hvs.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"],
    );
    add(
        "jwt",
        vec![fake::jwt(g)],
        // Not base64 JSON, or header without `alg`.
        vec![
            "eyJhbGciOiJIUzI1NiJ9xxx.eyJzdWIiOiIxIn0xxxx.c2lnbmF0dXJlc2lnbmF0dXJl",
            "eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJlc2lnbmF0dXJl",
        ],
    );
    add(
        "url-password",
        vec![
            fake::db_url(g, "postgres", "db.prod.acme.io:5432"),
            fake::db_url(g, "https", "git.acme.io"),
        ],
        vec![
            "postgres://user:password@db.prod.acme.io/app",
            "postgres://user:${DB_PASSWORD}@db.prod.acme.io/app",
            "postgres://db.prod.acme.io:5432/app",
            "https://example.com:8443/path",
            "redis://:{password}@cache:6379",
        ],
    );
    add(
        "generic-assignment",
        vec![
            format!("api_key = \"{}\"", fake::random_b64(g, 32)),
            format!("DB_PASSWORD={}", fake::password(g)),
            format!("\"client_secret\": \"{}\"", fake::random_b64(g, 40)),
        ],
        vec![
            "password = os.environ[\"DB_PASSWORD\"]",
            "api_key = get_api_key()",
            "secret_name = \"prod/db/password\"",
            "token_url = \"https://auth.example.com/oauth2/token\"",
            "password = \"changeme\"",
            "nextToken: \"eyJwYWdlIjoyfQ\"",
            "passwordPattern: '[A-Za-z0-9_]+'",
            "api_key: \"your-api-key-here\"",
        ],
    );
    m
}

#[test]
fn every_rule_has_positive_and_negative_samples() {
    let d = Detector::shared().unwrap();
    let samples = samples();
    let ids: Vec<&str> = d.rule_ids().collect();
    for id in &ids {
        assert!(samples.contains_key(id), "no samples for rule {id}");
    }
    for (id, (pos, neg)) in &samples {
        assert!(ids.contains(id), "samples for an unknown rule {id}");
        for p in pos {
            let found = d.scan(p.as_bytes());
            assert!(
                found.iter().any(|m| m.rule == *id),
                "{id} missed its positive sample: {found:?}"
            );
        }
        for n in neg {
            let found = d.scan(n.as_bytes());
            assert!(
                found.iter().all(|m| m.rule != *id),
                "{id} fired on `{n}`: {found:?}"
            );
        }
    }
}

/// Passwords in URLs: a real-looking one is high; very short ones, the user name again and the
/// words of examples are low (not reported by default); short ones medium.
#[test]
fn url_password_confidence_follows_the_password() {
    let d = Detector::shared().unwrap();
    let confidence = |url: &str| {
        let found = d.scan(url.as_bytes());
        found
            .iter()
            .find(|m| m.rule == "url-password")
            .map(|m| m.confidence)
    };
    let mut g = Gen::new(41);
    let long = fake::db_url(&mut g, "postgres", "db.prod.acme.io:5432");
    assert_eq!(confidence(&long), Some(Confidence::High), "{long}");
    // Built from parts so that no credential-shaped literal sits in the source.
    let with =
        |user: &str, pw: &str, host: &str| format!("{}://{user}:{pw}@{host}/app", "postgres");
    let strong = format!("S3cr3t-{}", "long-and-random-9Qv");
    assert_eq!(
        confidence(&with("app", &strong, "db")),
        Some(Confidence::High)
    );
    assert_eq!(
        confidence(&with("app", "Xk29-pQ7", "db.prod.acme.io")),
        Some(Confidence::Medium)
    );
    // Found, but low: not reported by default.
    for (user, pw) in [
        ("app", "pa55"),
        ("postgres", "postgres"),
        ("admin", "Password123!"),
        ("app", "changeme99"),
        ("app", "12345678"),
        ("deploy", "qwerty"),
    ] {
        let url = with(user, pw, "db.prod.acme.io");
        assert_eq!(confidence(&url), Some(Confidence::Low), "{url}");
    }
    // Placeholders are not even found.
    for (user, pw) in [("foo", "bar"), ("app", "secret!"), ("app", "xxxxxxxx")] {
        let url = with(user, pw, "db.prod.acme.io");
        assert!(
            matches!(confidence(&url), None | Some(Confidence::Low)),
            "{url}"
        );
    }
    let https = format!("{}://foo:bar@host/repo.git", "https");
    assert!(matches!(confidence(&https), None | Some(Confidence::Low)));
}
