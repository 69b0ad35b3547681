//! What a secret is ([`SecretKind`]) and how sure a detector is about it ([`Confidence`]).

use serde::{Deserialize, Serialize};
use std::fmt;

/// The kind of credential a detector recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SecretKind {
    /// A long-term AWS access key id (`AKIA...`) or another key id with a credential prefix.
    AwsAccessKeyId,
    /// A temporary AWS access key id (`ASIA...`), issued by STS with a session token.
    AwsTemporaryAccessKeyId,
    /// The 40-character secret half of an AWS access key.
    AwsSecretAccessKey,
    /// An STS session token.
    AwsSessionToken,
    /// A PEM private key (`-----BEGIN ... PRIVATE KEY-----`).
    PrivateKey,
    /// An OpenSSH private key.
    OpenSshPrivateKey,
    /// A Google Cloud service-account key file (JSON with a private key).
    GcpServiceAccountKey,
    /// A Google API key (`AIza...`).
    GoogleApiKey,
    /// A GitHub token (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`, `github_pat_`).
    GithubToken,
    /// A GitLab token (`glpat-`, `gldt-`, `glrt-`, ...).
    GitlabToken,
    /// A Slack token (`xoxb-`, `xoxp-`, `xapp-`, ...).
    SlackToken,
    /// A Slack incoming-webhook URL.
    SlackWebhook,
    /// A Stripe secret or restricted key (`sk_live_`, `rk_live_`, test-mode keys).
    StripeKey,
    /// A Twilio API key (`SK` + 32 hex) or an auth token next to a Twilio name.
    TwilioKey,
    /// A SendGrid API key (`SG.xxx.yyy`).
    SendgridApiKey,
    /// An Azure storage account key or a `SharedAccessKey` in a connection string.
    AzureStorageKey,
    /// An npm access token (`npm_...`, or `_authToken=` in `.npmrc`).
    NpmToken,
    /// A PyPI upload token (`pypi-AgEIcHlwaS5vcmc...`).
    PypiToken,
    /// An OpenAI API key.
    OpenaiApiKey,
    /// An Anthropic API key.
    AnthropicApiKey,
    /// A Hugging Face access token (`hf_...`).
    HuggingfaceToken,
    /// A Shopify access token (`shpat_`, `shpss_`, ...).
    ShopifyToken,
    /// A HashiCorp Vault service or batch token (`hvs.`, `hvb.`).
    VaultToken,
    /// A JSON Web Token (signed, with a JSON header).
    Jwt,
    /// A database or broker URL that carries a password (`postgres://user:pw@host`).
    DatabaseUrlPassword,
    /// A password assigned in configuration or code (`password = "..."`).
    Password,
    /// A high-entropy value assigned to a name that marks it secret (`api_key = "..."`).
    GenericSecret,
}

impl SecretKind {
    /// A stable, kebab-case identifier (the serde name), e.g. `aws-access-key-id`.
    pub fn id(self) -> &'static str {
        match self {
            SecretKind::AwsAccessKeyId => "aws-access-key-id",
            SecretKind::AwsTemporaryAccessKeyId => "aws-temporary-access-key-id",
            SecretKind::AwsSecretAccessKey => "aws-secret-access-key",
            SecretKind::AwsSessionToken => "aws-session-token",
            SecretKind::PrivateKey => "private-key",
            SecretKind::OpenSshPrivateKey => "open-ssh-private-key",
            SecretKind::GcpServiceAccountKey => "gcp-service-account-key",
            SecretKind::GoogleApiKey => "google-api-key",
            SecretKind::GithubToken => "github-token",
            SecretKind::GitlabToken => "gitlab-token",
            SecretKind::SlackToken => "slack-token",
            SecretKind::SlackWebhook => "slack-webhook",
            SecretKind::StripeKey => "stripe-key",
            SecretKind::TwilioKey => "twilio-key",
            SecretKind::SendgridApiKey => "sendgrid-api-key",
            SecretKind::AzureStorageKey => "azure-storage-key",
            SecretKind::NpmToken => "npm-token",
            SecretKind::PypiToken => "pypi-token",
            SecretKind::OpenaiApiKey => "openai-api-key",
            SecretKind::AnthropicApiKey => "anthropic-api-key",
            SecretKind::HuggingfaceToken => "huggingface-token",
            SecretKind::ShopifyToken => "shopify-token",
            SecretKind::VaultToken => "vault-token",
            SecretKind::Jwt => "jwt",
            SecretKind::DatabaseUrlPassword => "database-url-password",
            SecretKind::Password => "password",
            SecretKind::GenericSecret => "generic-secret",
        }
    }

    /// A human title, e.g. `AWS access key id`.
    pub fn title(self) -> &'static str {
        match self {
            SecretKind::AwsAccessKeyId => "AWS access key id",
            SecretKind::AwsTemporaryAccessKeyId => "AWS temporary access key id",
            SecretKind::AwsSecretAccessKey => "AWS secret access key",
            SecretKind::AwsSessionToken => "AWS session token",
            SecretKind::PrivateKey => "private key",
            SecretKind::OpenSshPrivateKey => "OpenSSH private key",
            SecretKind::GcpServiceAccountKey => "Google Cloud service-account key",
            SecretKind::GoogleApiKey => "Google API key",
            SecretKind::GithubToken => "GitHub token",
            SecretKind::GitlabToken => "GitLab token",
            SecretKind::SlackToken => "Slack token",
            SecretKind::SlackWebhook => "Slack webhook URL",
            SecretKind::StripeKey => "Stripe secret key",
            SecretKind::TwilioKey => "Twilio credential",
            SecretKind::SendgridApiKey => "SendGrid API key",
            SecretKind::AzureStorageKey => "Azure storage key",
            SecretKind::NpmToken => "npm token",
            SecretKind::PypiToken => "PyPI token",
            SecretKind::OpenaiApiKey => "OpenAI API key",
            SecretKind::AnthropicApiKey => "Anthropic API key",
            SecretKind::HuggingfaceToken => "Hugging Face token",
            SecretKind::ShopifyToken => "Shopify access token",
            SecretKind::VaultToken => "Vault token",
            SecretKind::Jwt => "JSON Web Token",
            SecretKind::DatabaseUrlPassword => "password in a connection URL",
            SecretKind::Password => "password",
            SecretKind::GenericSecret => "generic secret",
        }
    }
}

impl fmt::Display for SecretKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// How sure a detector is that a match is a live credential.
///
/// - `High`: a provider format with a distinctive prefix and structure (and a valid checksum
///   where the format has one), or a private key block.
/// - `Medium`: a provider format with weaker structure, a secret recognised by the name it is
///   assigned to plus a high-entropy value, or a token whose checksum does not verify.
/// - `Low`: a plaintext value under a sensitive name that does not look random (human passwords).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_match_serde_names() {
        for kind in [
            SecretKind::AwsAccessKeyId,
            SecretKind::OpenSshPrivateKey,
            SecretKind::DatabaseUrlPassword,
            SecretKind::GenericSecret,
        ] {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.id()));
        }
    }

    #[test]
    fn confidence_orders() {
        assert!(Confidence::High > Confidence::Medium);
        assert!(Confidence::Medium > Confidence::Low);
    }
}
