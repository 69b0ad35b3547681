//! The detector table: one entry per credential format.
//!
//! Each rule has the keywords that must occur near a match (the Aho-Corasick prefilter), a
//! regular expression whose `s` group is the secret (or `q`/`u` for quoted/unquoted values), the
//! bytes around a keyword hit that the expression may need, a base confidence and a
//! post-check that can reject a match or change its confidence and kind.
//!
//! Patterns are compiled as byte regexes without Unicode (`\b`, `\s`, `[A-Za-z]` are ASCII), so
//! they run on any file, UTF-8 or not.

use crate::kind::{Confidence, SecretKind};

/// How many leading bytes of a secret are a public marker of its format (shown unredacted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Prefix {
    None,
    Len(usize),
    /// Up to and including the `-----` that closes a PEM header.
    PemHeader,
}

/// Extra validation after the regex matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Check {
    /// Only the entropy gate (if any).
    None,
    /// GitHub / npm token: CRC32 checksum in the last 6 base62 characters.
    Crc32Base62,
    /// JWT: the header must decode to a JSON object with `alg`.
    Jwt,
    /// Password inside a URL: not a placeholder or variable; local hosts lower the confidence.
    UrlPassword,
    /// PEM block: body must be present; kind refined (OpenSSH, service account, encrypted).
    Pem,
    /// `name = value` with a sensitive name: the value must look like a credential.
    Generic,
    /// Stripe: test-mode keys are medium confidence.
    Stripe,
}

/// Whether the entropy gate applies to the secret (after its structural prefix).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Gate {
    /// No gate: the format alone is proof (AWS key ids, calibrated on the documented examples).
    Off,
    /// Reject placeholders and values that do not look random for their alphabet and length.
    Random,
    /// Reject only placeholders and single-character runs.
    NotPlaceholder,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct RuleSpec {
    pub id: &'static str,
    pub kind: SecretKind,
    /// Lower-case keywords; a match must contain or be near one of them.
    pub keywords: &'static [&'static str],
    pub pattern: &'static str,
    pub confidence: Confidence,
    pub prefix: Prefix,
    pub gate: Gate,
    pub check: Check,
    /// Bytes before the keyword hit the expression may start at.
    pub before: usize,
    /// Bytes after the keyword hit the expression may end at.
    pub after: usize,
    /// May span lines (PEM blocks); otherwise the search stays on the keyword's line.
    pub multiline: bool,
    /// A generic rule: loses to any provider rule on overlap.
    pub generic: bool,
}

const fn rule(
    id: &'static str,
    kind: SecretKind,
    keywords: &'static [&'static str],
    pattern: &'static str,
) -> RuleSpec {
    RuleSpec {
        id,
        kind,
        keywords,
        pattern,
        confidence: Confidence::High,
        prefix: Prefix::None,
        gate: Gate::Random,
        check: Check::None,
        before: 1,
        after: 512,
        multiline: false,
        generic: false,
    }
}

impl RuleSpec {
    const fn prefix(mut self, n: usize) -> Self {
        self.prefix = Prefix::Len(n);
        self
    }
    const fn gate(mut self, gate: Gate) -> Self {
        self.gate = gate;
        self
    }
    const fn check(mut self, check: Check) -> Self {
        self.check = check;
        self
    }
    const fn confidence(mut self, c: Confidence) -> Self {
        self.confidence = c;
        self
    }
    const fn window(mut self, before: usize, after: usize) -> Self {
        self.before = before;
        self.after = after;
        self
    }
}

/// An assignment separator with optional quotes around the name: `"name": `, `name=`,
/// `name := `, `name => `.
macro_rules! assign {
    () => {
        r#"["']?[ \t]*(?:=|:=|:|=>)[ \t]*["']?"#
    };
}

/// The rule table. Order matters only for ties (earlier wins).
pub(crate) const RULES: &[RuleSpec] = &[
    rule(
        "aws-access-key-id",
        SecretKind::AwsAccessKeyId,
        &["akia", "abia", "acca"],
        r"\b(?P<s>(?:AKIA|ABIA|ACCA)[A-Z2-7]{16})\b",
    )
    .prefix(4)
    .gate(Gate::Off),
    rule(
        "aws-temporary-access-key-id",
        SecretKind::AwsTemporaryAccessKeyId,
        &["asia"],
        r"\b(?P<s>ASIA[A-Z2-7]{16})\b",
    )
    .prefix(4)
    .gate(Gate::Off)
    // Alone, a temporary key id is an identifier (CloudTrail records carry them); its secret
    // and session token are what leak, and their rules report them.
    .confidence(Confidence::Low),
    rule(
        "aws-secret-access-key",
        SecretKind::AwsSecretAccessKey,
        &["secret_access_key", "secretaccesskey", "secret-access-key", "aws_secret", "awssecret", "aws-secret"],
        concat!(
            r"(?i:secret[_\-]?access[_\-]?key|aws[_\-]?secret(?:[_\-]?key)?)",
            assign!(),
            r"(?P<s>[A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)"
        ),
    )
    .window(48, 128),
    rule(
        "aws-session-token",
        SecretKind::AwsSessionToken,
        &["fwogzxivyxdze", "fqogzxivyxdze", "iqojb3jpz2lux2vj"],
        r"\b(?P<s>(?:FwoGZXIvYXdzE|FQoGZXIvYXdzE|IQoJb3JpZ2luX2Vj)[A-Za-z0-9/+=]{80,})",
    )
    .window(1, 4096),
    rule(
        "aws-session-token-assignment",
        SecretKind::AwsSessionToken,
        &["session_token", "sessiontoken", "session-token", "security_token", "security-token"],
        concat!(
            r"(?i:session[_\-]?token|security[_\-]?token)",
            assign!(),
            r"(?P<s>[A-Za-z0-9/+=]{100,})"
        ),
    )
    .window(48, 4096)
    .confidence(Confidence::Medium),
    RuleSpec {
        multiline: true,
        prefix: Prefix::PemHeader,
        ..rule(
            "private-key",
            SecretKind::PrivateKey,
            &["private key"],
            r"(?P<s>-----BEGIN[ A-Z0-9]{0,24} PRIVATE KEY(?: BLOCK)?-----)",
        )
        .gate(Gate::Off)
        .check(Check::Pem)
        .window(40, 64)
    },
    rule(
        "github-token",
        SecretKind::GithubToken,
        &["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
        r"\b(?P<s>gh[pousr]_[A-Za-z0-9]{36})\b",
    )
    .prefix(4)
    .check(Check::Crc32Base62),
    rule(
        "github-fine-grained-token",
        SecretKind::GithubToken,
        &["github_pat_"],
        r"\b(?P<s>github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})\b",
    )
    .prefix(11),
    rule(
        "gitlab-token",
        SecretKind::GitlabToken,
        &["glpat-", "gldt-", "glrt-", "glptt-", "glft-", "glsoat-", "glcbt-", "glimt-", "glagent-"],
        r"\b(?P<s>gl(?:pat|dt|rt|ptt|ft|soat|cbt|imt|agent)-[0-9A-Za-z_\-]{20,})",
    )
    .prefix(5),
    rule(
        "slack-token",
        SecretKind::SlackToken,
        &["xoxb-", "xoxp-", "xoxa-", "xoxo-", "xoxs-", "xoxr-", "xoxe-", "xoxe."],
        r"\b(?P<s>xox[abposre][.\-](?:xox[a-z]-)?[0-9A-Za-z]{1,16}(?:-[0-9A-Za-z]{4,64}){1,5})\b",
    )
    .prefix(5)
    .gate(Gate::NotPlaceholder),
    rule(
        "slack-app-token",
        SecretKind::SlackToken,
        &["xapp-"],
        r"\b(?P<s>xapp-[0-9]-[A-Z0-9]{8,}-[0-9]{8,}-[a-f0-9]{32,})\b",
    )
    .prefix(5)
    .gate(Gate::NotPlaceholder),
    rule(
        "slack-webhook",
        SecretKind::SlackWebhook,
        &["hooks.slack.com"],
        r"(?P<s>https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9_]{8,}/[A-Za-z0-9_]{8,}/[A-Za-z0-9_]{16,})",
    )
    .prefix(33)
    .window(8, 256),
    rule(
        "stripe-key",
        SecretKind::StripeKey,
        &["sk_live_", "sk_test_", "rk_live_", "rk_test_"],
        r"\b(?P<s>[rs]k_(?:live|test)_[0-9a-zA-Z]{24,247})\b",
    )
    .prefix(8)
    .check(Check::Stripe),
    rule(
        "stripe-webhook-secret",
        SecretKind::StripeKey,
        &["whsec_"],
        r"\b(?P<s>whsec_[A-Za-z0-9+/=]{32,})",
    )
    .prefix(6)
    .confidence(Confidence::Medium),
    rule(
        "twilio-credential",
        SecretKind::TwilioKey,
        &["twilio"],
        concat!(
            r"(?i:twilio)[A-Za-z0-9_.\-]*",
            assign!(),
            r"(?P<s>SK[0-9a-f]{32}|[0-9a-f]{32})\b"
        ),
    )
    .window(1, 128),
    rule(
        "sendgrid-api-key",
        SecretKind::SendgridApiKey,
        &["sg."],
        r"\b(?P<s>SG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43})(?:[^A-Za-z0-9_\-]|$)",
    )
    .prefix(3),
    rule(
        "google-api-key",
        SecretKind::GoogleApiKey,
        &["aiza"],
        r"\b(?P<s>AIza[0-9A-Za-z_\-]{35})(?:[^0-9A-Za-z_\-]|$)",
    )
    .prefix(4),
    rule(
        "azure-storage-account-key",
        SecretKind::AzureStorageKey,
        &["accountkey"],
        r"(?i:AccountKey)[ \t]*=[ \t]*(?P<s>[A-Za-z0-9+/]{86}==)",
    )
    .window(1, 128),
    rule(
        "azure-shared-access-key",
        SecretKind::AzureStorageKey,
        &["sharedaccesskey"],
        r"(?i:SharedAccessKey)[ \t]*=[ \t]*(?P<s>[A-Za-z0-9+/]{42,44}=?)(?:[^A-Za-z0-9+/=]|$)",
    )
    .window(1, 96),
    rule(
        "npm-token",
        SecretKind::NpmToken,
        &["npm_"],
        r"\b(?P<s>npm_[A-Za-z0-9]{36})\b",
    )
    .prefix(4)
    .check(Check::Crc32Base62),
    rule(
        "npmrc-auth-token",
        SecretKind::NpmToken,
        &["_authtoken"],
        r#"(?i:_authToken)[ \t]*=[ \t]*["']?(?P<s>[A-Za-z0-9_.+/=\-]{20,})"#,
    )
    .window(1, 256)
    .gate(Gate::NotPlaceholder)
    .confidence(Confidence::Medium),
    rule(
        "pypi-token",
        SecretKind::PypiToken,
        &["pypi-ageichlwas5vcmc", "pypi-agendgvzdc5wexbplm9yzw"],
        r"\b(?P<s>pypi-(?:AgEIcHlwaS5vcmc|AgENdGVzdC5weXBpLm9yZw)[A-Za-z0-9_\-]{50,})",
    )
    .prefix(5)
    .window(1, 1024),
    rule(
        "openai-api-key",
        SecretKind::OpenaiApiKey,
        &["t3blbkfj"],
        r"\b(?P<s>sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{16,}T3BlbkFJ[A-Za-z0-9_\-]{16,})",
    )
    .prefix(3)
    .window(200, 400),
    rule(
        "anthropic-api-key",
        SecretKind::AnthropicApiKey,
        &["sk-ant-"],
        r"\b(?P<s>sk-ant-(?:api|admin|sid)[0-9]{2}-[A-Za-z0-9_\-]{80,})",
    )
    .prefix(7),
    rule(
        "huggingface-token",
        SecretKind::HuggingfaceToken,
        &["hf_"],
        r"\b(?P<s>hf_[A-Za-z]{34})\b",
    )
    .prefix(3),
    rule(
        "shopify-token",
        SecretKind::ShopifyToken,
        &["shpat_", "shpca_", "shppa_", "shpss_"],
        r"\b(?P<s>shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32})\b",
    )
    .prefix(6),
    rule(
        "vault-token",
        SecretKind::VaultToken,
        &["hvs.", "hvb."],
        r"\b(?P<s>hv[sb]\.[A-Za-z0-9_\-]{24,})",
    )
    .prefix(4),
    rule(
        "jwt",
        SecretKind::Jwt,
        &["eyj"],
        r"\b(?P<s>eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{16,})",
    )
    .prefix(3)
    .window(1, 8192)
    .gate(Gate::Off)
    .check(Check::Jwt)
    .confidence(Confidence::Medium),
    rule(
        "url-password",
        SecretKind::DatabaseUrlPassword,
        &[
            "postgres", "mysql", "mariadb", "mongodb", "redis", "amqp", "mssql", "sqlserver",
            "oracle", "jdbc:", "cockroach", "clickhouse", "neo4j", "couchdb", "ldap", "smtp",
            "ftp://", "http://", "https://",
        ],
        r#"(?i:\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|oracle|jdbc:[a-z0-9]+|cockroachdb|clickhouse|neo4j|couchdb|ldaps?|smtps?|s?ftp|https?|git\+https?)://)(?P<user>[^:/\s@"'<>]{1,128}):(?P<s>[^@\s/"'<>]{1,256})@(?P<host>[A-Za-z0-9\[][^\s/"'<>:?#@]*)"#,
    )
    .window(8, 512)
    .gate(Gate::NotPlaceholder)
    .check(Check::UrlPassword),
    RuleSpec {
        generic: true,
        ..rule(
            "generic-assignment",
            SecretKind::GenericSecret,
            &[
                "password", "passwd", "passphrase", "pwd", "secret", "token", "api_key", "apikey",
                "api-key", "private_key", "privatekey", "access_key", "accesskey", "auth_key",
                "credential", "signing_key", "encryption_key", "master_key",
            ],
            concat!(
                r#"(?P<name>[A-Za-z0-9_.\-]*(?i:password|passwd|passphrase|pwd|secret|token|api[_\-]?key|private[_\-]?key|access[_\-]?key|auth[_\-]?key|credentials?|signing[_\-]?key|encryption[_\-]?key|master[_\-]?key)[A-Za-z0-9_.\-]*)"#,
                r#"(?:["']?[ \t]*(?:=|:=|:|=>)[ \t]*(?:"(?P<q>[^"\\\r\n]{6,})"|'(?P<q2>[^'\\\r\n]{6,})'|`(?P<q3>[^`\\\r\n]{6,})`)"#,
                r#"|[ \t]*[=:][ \t]*(?P<u>[^\s"'`,;]{8,})[ \t]*\r?(?m:$))"#,
            ),
        )
        .window(96, 256)
        .gate(Gate::Off)
        .check(Check::Generic)
        .confidence(Confidence::Medium)
    },
];
