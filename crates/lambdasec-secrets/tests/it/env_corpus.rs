//! The environment-value precision corpus: realistic non-secrets (a file in `tests/corpus`)
//! that must not fire, next to fake secrets of every provider (built at test time) that must.
//! Prints precision and recall; any false positive or miss fails.

use crate::fake::{self, Gen};
use lambdasec_secrets::{Detector, SecretKind};

/// Every provider format, as an environment variable: (name, value, expected kind).
pub fn positives() -> Vec<(String, String, SecretKind)> {
    use SecretKind::*;
    let g = &mut Gen::new(7);
    let mut v: Vec<(&str, String, SecretKind)> = vec![
        (
            "AWS_ACCESS_KEY_ID",
            fake::AWS_EXAMPLE_KEY_ID.into(),
            AwsAccessKeyId,
        ),
        ("key1", "AKIAAAAAAAAAAAAAAAAA".into(), AwsAccessKeyId),
        ("AWS_ACCESS_KEY", fake::aws_key_id(g), AwsAccessKeyId),
        ("S3_UPLOAD_KEY", fake::aws_key_id(g), AwsAccessKeyId),
        (
            "AWS_ACCESS_KEY_ID",
            fake::aws_temp_key_id(g),
            AwsTemporaryAccessKeyId,
        ),
        (
            "AWS_SECRET_KEY",
            fake::AWS_EXAMPLE_SECRET.into(),
            AwsSecretAccessKey,
        ),
        (
            "AWS_SECRET_ACCESS_KEY",
            fake::aws_secret(g),
            AwsSecretAccessKey,
        ),
        (
            "AWS_SESSION_TOKEN",
            fake::aws_session_token(g),
            AwsSessionToken,
        ),
        (
            "SIGNING_KEY",
            fake::pem(g, "RSA PRIVATE KEY", 25),
            PrivateKey,
        ),
        ("EC_KEY", fake::pem(g, "EC PRIVATE KEY", 3), PrivateKey),
        ("PKCS8_KEY", fake::pem(g, "PRIVATE KEY", 16), PrivateKey),
        ("DEPLOY_KEY", fake::openssh_key(g), OpenSshPrivateKey),
        (
            "GOOGLE_APPLICATION_CREDENTIALS_JSON",
            fake::service_account_json(g),
            GcpServiceAccountKey,
        ),
        ("GITHUB_TOKEN", fake::github_token(g, "ghp"), GithubToken),
        ("GH_OAUTH", fake::github_token(g, "gho"), GithubToken),
        (
            "GH_APP_INSTALLATION",
            fake::github_token(g, "ghs"),
            GithubToken,
        ),
        ("GH_PAT", fake::github_fine_grained(g), GithubToken),
        ("GITLAB_TOKEN", fake::gitlab_token(g), GitlabToken),
        ("SLACK_BOT_TOKEN", fake::slack_bot_token(g), SlackToken),
        ("SLACK_USER_TOKEN", fake::slack_user_token(g), SlackToken),
        ("SLACK_APP_TOKEN", fake::slack_app_token(g), SlackToken),
        ("SLACK_WEBHOOK_URL", fake::slack_webhook(g), SlackWebhook),
        ("ALERTS_HOOK", fake::slack_webhook(g), SlackWebhook),
        (
            "STRIPE_SECRET_KEY",
            fake::stripe_secret(g, "live"),
            StripeKey,
        ),
        ("STRIPE_KEY", fake::stripe_secret(g, "test"), StripeKey),
        ("STRIPE_RESTRICTED", fake::stripe_restricted(g), StripeKey),
        ("TWILIO_API_KEY", fake::twilio_api_key(g), TwilioKey),
        ("TWILIO_AUTH_TOKEN", g.pick(fake::HEX, 32), TwilioKey),
        ("SENDGRID_API_KEY", fake::sendgrid_key(g), SendgridApiKey),
        ("MAIL_KEY", fake::sendgrid_key(g), SendgridApiKey),
        ("GOOGLE_MAPS_KEY", fake::google_api_key(g), GoogleApiKey),
        (
            "AZURE_STORAGE_CONNECTION_STRING",
            fake::azure_storage_connection_string(g),
            AzureStorageKey,
        ),
        (
            "SERVICEBUS_CONNECTION",
            fake::azure_service_bus_connection_string(g),
            AzureStorageKey,
        ),
        ("NPM_TOKEN", fake::npm_token(g), NpmToken),
        ("PYPI_API_TOKEN", fake::pypi_token(g), PypiToken),
        ("OPENAI_API_KEY", fake::openai_key(g), OpenaiApiKey),
        ("ANTHROPIC_API_KEY", fake::anthropic_key(g), AnthropicApiKey),
        ("HF_TOKEN", fake::huggingface_token(g), HuggingfaceToken),
        ("SHOPIFY_ACCESS_TOKEN", fake::shopify_token(g), ShopifyToken),
        ("VAULT_TOKEN", fake::vault_token(g), VaultToken),
        ("SERVICE_JWT", fake::jwt(g), Jwt),
        (
            "DATABASE_URL",
            fake::db_url(
                g,
                "postgresql",
                "orders-prod.cluster-c9akciq32.eu-west-1.rds.amazonaws.com:5432",
            ),
            DatabaseUrlPassword,
        ),
        (
            "MYSQL_URL",
            fake::db_url(g, "mysql", "db.internal.acme.io:3306"),
            DatabaseUrlPassword,
        ),
        (
            "MONGO_URI",
            fake::db_url(g, "mongodb+srv", "cluster0.ab1cd.mongodb.net"),
            DatabaseUrlPassword,
        ),
        (
            "REDIS_URL",
            fake::db_url(g, "rediss", "cache.acme.io:6380"),
            DatabaseUrlPassword,
        ),
        (
            "AMQP_URL",
            fake::db_url(g, "amqps", "b-1234.mq.eu-west-1.amazonaws.com:5671"),
            DatabaseUrlPassword,
        ),
        ("DB_PASSWORD", fake::password(g), Password),
        ("MASTER_PASSWORD", fake::password(g), Password),
        ("JWT_SECRET", fake::random_b64(g, 48), GenericSecret),
        ("API_KEY", fake::random_b64(g, 32), GenericSecret),
        (
            "PARTNER_CLIENT_SECRET",
            fake::random_b64(g, 40),
            GenericSecret,
        ),
        ("ENCRYPTION_KEY", g.pick(fake::HEX, 64), GenericSecret),
        (
            "WEBHOOK_SIGNING_SECRET",
            fake::random_b64(g, 32),
            GenericSecret,
        ),
    ];
    v.drain(..)
        .map(|(n, val, k)| (n.to_owned(), val, k))
        .collect()
}

/// Values that must not fire SEC001 built at test time (formats too credential-like to store).
fn generated_negatives() -> Vec<(String, String)> {
    let g = &mut Gen::new(11);
    vec![
        ("DB_PASSWORD".into(), fake::kms_ciphertext(g)),
        ("API_KEY_ENCRYPTED".into(), fake::kms_ciphertext(g)),
        ("STRIPE_PUBLISHABLE_KEY".into(), fake::stripe_publishable(g)),
        ("TWILIO_ACCOUNT_SID".into(), fake::twilio_account_sid(g)),
    ]
}

pub fn tsv(name: &str) -> Vec<(String, String)> {
    let path = format!("{}/tests/corpus/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let (n, v) = l.split_once('\t').unwrap_or((l, ""));
            (n.to_owned(), v.to_owned())
        })
        .collect()
}

#[test]
fn env_precision_and_recall() {
    let d = Detector::shared().unwrap();
    let positives = positives();
    let mut negatives = tsv("env-negatives.tsv");
    negatives.extend(generated_negatives());
    let sec004_only = tsv("env-sec004.tsv");

    let mut missed = Vec::new();
    let mut wrong_kind = Vec::new();
    for (name, value, kind) in &positives {
        match d.check_env(name, value) {
            None => missed.push(format!("{name}={value}")),
            Some(m) if m.kind != *kind => {
                wrong_kind.push(format!("{name}: {} (want {kind})", m.kind))
            }
            Some(m) => assert!(m.span.end <= value.len() && m.span.start < m.span.end),
        }
    }
    let mut false_positives = Vec::new();
    for (name, value) in negatives.iter().chain(&sec004_only) {
        if let Some(m) = d.check_env(name, value) {
            false_positives.push(format!("{name}: {} {}", m.kind, m.redacted));
        }
    }
    let tp = positives.len() - missed.len() - wrong_kind.len();
    let fp = false_positives.len() + wrong_kind.len();
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / positives.len() as f64;
    println!(
        "SEC001 env corpus: {} positives ({} kinds), {} negatives: TP {tp}, FP {fp}, FN {}; precision {:.3}, recall {:.3}",
        positives.len(),
        {
            let mut k: Vec<_> = positives.iter().map(|p| p.2).collect();
            k.sort();
            k.dedup();
            k.len()
        },
        negatives.len() + sec004_only.len(),
        missed.len(),
        precision,
        recall
    );
    assert!(missed.is_empty(), "missed: {missed:?}");
    assert!(wrong_kind.is_empty(), "wrong kind: {wrong_kind:?}");
    assert!(
        false_positives.is_empty(),
        "false positives: {false_positives:?}"
    );
}

#[test]
fn sec004_corpus() {
    let d = Detector::shared().unwrap();
    for (name, value) in tsv("env-sec004.tsv") {
        assert!(
            d.check_sensitive_plaintext(&name, &value).is_some(),
            "{name}={value}"
        );
    }
    let mut fired = Vec::new();
    for (name, value) in tsv("env-negatives.tsv") {
        if d.check_sensitive_plaintext(&name, &value).is_some() {
            fired.push(name);
        }
    }
    assert!(
        fired.is_empty(),
        "SEC004 on non-sensitive or referenced values: {fired:?}"
    );
    for (name, value) in generated_negatives().into_iter().take(2) {
        assert!(
            d.check_sensitive_plaintext(&name, &value).is_none(),
            "KMS ciphertext {name}"
        );
    }
}

#[test]
fn every_kind_has_a_positive() {
    let kinds: std::collections::BTreeSet<_> = positives().iter().map(|p| p.2).collect();
    // Every provider kind the detector can report appears in the corpus.
    assert_eq!(kinds.len(), 27, "{kinds:?}");
}
