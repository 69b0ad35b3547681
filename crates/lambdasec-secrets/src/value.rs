//! What a configuration value is, before asking whether it is a secret: a reference to a secret
//! store (the right way), KMS ciphertext, a placeholder, a location, or plaintext.
//!
//! This is the allow-list shared by every detector: references and placeholders never fire, and
//! rule SEC004 ("a sensitive name holds plaintext") fires only on [`ValueClass::Plaintext`].

use crate::entropy;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};

/// The class of a whole value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "class", content = "reference", rename_all = "kebab-case")]
pub enum ValueClass {
    /// Empty or only whitespace.
    Empty,
    /// A stand-in for a value to be filled in: `changeme`, `xxxx`, `<your-token>`, `TODO`, ...
    Placeholder,
    /// The whole value refers to where the secret lives.
    Reference(ReferenceKind),
    /// The value embeds a variable or template expression among literal text
    /// (`https://${ssm:host}/x`): not knowable offline, not plaintext.
    Interpolated,
    /// A KMS ciphertext blob (base64): encrypted, not plaintext.
    KmsCiphertext,
    /// A URL or URI without credentials in it: a location, not a secret.
    Location,
    /// Anything else: a literal value.
    Plaintext,
}

impl ValueClass {
    /// True for literal values (the only class SEC004 reports).
    pub fn is_plaintext(self) -> bool {
        self == ValueClass::Plaintext
    }

    /// True when the value points at a secret store or is encrypted (the right way).
    pub fn is_reference_or_encrypted(self) -> bool {
        matches!(
            self,
            ValueClass::Reference(_) | ValueClass::KmsCiphertext | ValueClass::Interpolated
        )
    }
}

/// The kinds of reference a value can be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReferenceKind {
    /// A CloudFormation dynamic reference, `{{resolve:secretsmanager:...}}`,
    /// `{{resolve:ssm-secure:...}}`, `{{resolve:ssm:...}}`.
    DynamicReference,
    /// A variable: serverless `${ssm:...}`, `${env:...}`, `${self:...}`, Terraform `${var.x}`,
    /// shell `$VAR` / `${VAR}`, `#{AWS::Region}`.
    Variable,
    /// A CloudFormation intrinsic written as text (`!Ref X`, `Fn::GetAtt`).
    Intrinsic,
    /// A Terraform expression written as text (`var.x`, `data.aws_ssm_parameter.x.value`).
    Expression,
    /// An ARN (Secrets Manager secret, SSM parameter, KMS key, ...).
    Arn,
    /// An SSM parameter name or Secrets Manager path, `/app/prod/db-password`.
    ParameterPath,
}

const PLACEHOLDER_WORDS: &[&str] = &[
    "changeme",
    "changeit",
    "replaceme",
    "todo",
    "tbd",
    "tba",
    "fixme",
    "placeholder",
    "dummy",
    "example",
    "sample",
    "test",
    "testing",
    "secret",
    "password",
    "passwd",
    "pass",
    "token",
    "apikey",
    "key",
    "value",
    "none",
    "null",
    "nil",
    "undefined",
    "empty",
    "default",
    "redacted",
    "hidden",
    "masked",
    "unset",
    "na",
    "notset",
    "notasecret",
    "foo",
    "bar",
    "foobar",
    "true",
    "false",
    "yes",
    "no",
    "on",
    "off",
    "enabled",
    "disabled",
];

/// Classify a whole value.
pub fn classify_value(value: &str) -> ValueClass {
    let v = unquote(value.trim());
    if v.is_empty() {
        return ValueClass::Empty;
    }
    if let Some(kind) = reference_kind(v) {
        return ValueClass::Reference(kind);
    }
    if is_kms_ciphertext(v) {
        return ValueClass::KmsCiphertext;
    }
    if is_placeholder(v) {
        return ValueClass::Placeholder;
    }
    if has_interpolation(v) {
        return ValueClass::Interpolated;
    }
    if is_location(v) {
        return ValueClass::Location;
    }
    ValueClass::Plaintext
}

/// The kind of reference when the *whole* value is one.
pub fn reference_kind(v: &str) -> Option<ReferenceKind> {
    let lower_head = v.get(..v.len().min(24)).unwrap_or(v).to_ascii_lowercase();
    if lower_head.starts_with("{{resolve:") && v.ends_with("}}") {
        return Some(ReferenceKind::DynamicReference);
    }
    if is_single_expression(v, "${", '}')
        || is_single_expression(v, "#{", '}')
        || is_single_expression(v, "$(", ')')
        || is_shell_var(v)
    {
        return Some(ReferenceKind::Variable);
    }
    if v.starts_with("!Ref ")
        || v.starts_with("!GetAtt ")
        || v.starts_with("!Sub ")
        || v.starts_with("!ImportValue ")
        || v.starts_with("!Join ")
        || v.starts_with("!If ")
        || v.starts_with("!FindInMap ")
        || v.starts_with("Fn::")
        || v.starts_with("{\"Ref\"")
        || v.starts_with("{\"Fn::")
    {
        return Some(ReferenceKind::Intrinsic);
    }
    if is_terraform_expression(v) {
        return Some(ReferenceKind::Expression);
    }
    if is_arn(v) {
        return Some(ReferenceKind::Arn);
    }
    if is_parameter_path(v) {
        return Some(ReferenceKind::ParameterPath);
    }
    None
}

/// `prefix ... close` with no other expression start inside and nothing around it.
fn is_single_expression(v: &str, open: &str, close: char) -> bool {
    v.starts_with(open) && v.ends_with(close) && v.len() > open.len() + 1
}

/// `$NAME` or `%NAME%` (shell and Windows environment references).
fn is_shell_var(v: &str) -> bool {
    let ident = |s: &str| {
        !s.is_empty()
            && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            && !s.as_bytes().first().is_some_and(u8::is_ascii_digit)
    };
    if let Some(rest) = v.strip_prefix('$') {
        // `$NAME`, and template paths such as `$context.requestId` (API Gateway VTL).
        return rest.split('.').all(ident);
    }
    v.len() > 2
        && v.starts_with('%')
        && v.ends_with('%')
        && ident(v.get(1..v.len() - 1).unwrap_or(""))
}

fn is_terraform_expression(v: &str) -> bool {
    let Some((head, rest)) = v.split_once('.') else {
        return false;
    };
    matches!(head, "var" | "local" | "data" | "module")
        && !rest.is_empty()
        && rest.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'[' | b']' | b'"')
        })
}

/// An ARN: `arn:<partition>:<service>:...`.
pub fn is_arn(v: &str) -> bool {
    let mut parts = v.splitn(4, ':');
    let (Some("arn"), Some(partition), Some(service)) = (parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    partition.starts_with("aws")
        && !service.is_empty()
        && service
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && parts.next().is_some()
        && !v.bytes().any(|b| b.is_ascii_whitespace())
}

/// `/app/prod/db-password`: a parameter or secret name, not its value.
fn is_parameter_path(v: &str) -> bool {
    v.len() > 1
        && v.len() <= 2048
        && v.starts_with('/')
        && !v.contains("//")
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'_' | b'.' | b'-'))
        && v.bytes().any(|b| b.is_ascii_alphabetic())
}

/// KMS ciphertext blobs (what `aws kms encrypt` and the console's encryption helpers produce)
/// are base64 of a binary header that starts `01 0x 02 00 78`: in base64 `AQICAHh...` or
/// `AQECAHh...`.
pub fn is_kms_ciphertext(v: &str) -> bool {
    if v.len() < 100 || !(v.starts_with("AQICAH") || v.starts_with("AQECAH")) {
        return false;
    }
    let Ok(bytes) = STANDARD.decode(v) else {
        return false;
    };
    matches!(bytes.get(..5), Some([0x01, 0x01 | 0x02, 0x02, 0x00, 0x78]))
}

/// Placeholders: values meant to be replaced, never secrets.
pub fn is_placeholder(v: &str) -> bool {
    let v = v.trim();
    if v.is_empty() {
        return true;
    }
    let bytes = v.as_bytes();
    // One repeated character: `xxxx`, `****`, `....`, `0000`.
    if bytes.len() >= 3 && bytes.iter().all(|&b| Some(&b) == bytes.first()) {
        return true;
    }
    // `<your-token>`, `[SECRET]`, `{{ token }}`, `__TOKEN__`.
    if (v.starts_with('<') && v.ends_with('>'))
        || (v.starts_with('[') && v.ends_with(']'))
        || (v.starts_with("{{") && v.ends_with("}}"))
        || (v.starts_with("__") && v.ends_with("__"))
        || v == "%s"
        || v == "{}"
        || v == "{0}"
        || v == "?"
    {
        return true;
    }
    let lower = v.to_ascii_lowercase();
    let squashed: String = lower
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '/')
        .collect();
    if PLACEHOLDER_WORDS.contains(&squashed.as_str()) || squashed == "n/a" {
        return true;
    }
    // Masked or templated values: runs of x, X or *.
    if lower.contains("xxxx") || v.contains("****") || v.contains("....") {
        return true;
    }
    // `your-api-key-here`, `YOUR_TOKEN`, `insert_key_here`, `replace-with-...`, `put-your-...`.
    [
        "your", "insert", "replace", "enter", "put", "paste", "add", "change", "fill",
    ]
    .iter()
    .any(|w| {
        lower.starts_with(w)
            && lower
                .as_bytes()
                .get(w.len())
                .is_some_and(|b| matches!(b, b'-' | b'_' | b' ' | b'.'))
    }) || lower.ends_with("_here")
        || lower.ends_with("-here")
        || lower.ends_with(" here")
}

/// The value contains a variable or template expression (`${...}`, `{{...}}`, `#{...}`).
pub fn has_interpolation(v: &str) -> bool {
    ["${", "{{", "#{"].iter().any(|open| {
        v.find(open)
            .is_some_and(|i| v.get(i..).is_some_and(|rest| rest.contains('}')))
    })
}

/// A URL without a password in it.
fn is_location(v: &str) -> bool {
    let Some((scheme, rest)) = v.split_once("://") else {
        return false;
    };
    if scheme.is_empty()
        || !scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
        || v.bytes().any(|b| b.is_ascii_whitespace())
    {
        return false;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let userinfo_has_password = authority
        .rsplit_once('@')
        .is_some_and(|(userinfo, _)| userinfo.contains(':'));
    let query_has_credential = rest.split(['?', '&', ';']).skip(1).any(|pair| {
        let key = pair.split('=').next().unwrap_or("").to_ascii_lowercase();
        matches!(
            key.as_str(),
            "password"
                | "pwd"
                | "token"
                | "access_token"
                | "api_key"
                | "apikey"
                | "key"
                | "sig"
                | "secret"
        )
    });
    !userinfo_has_password && !query_has_credential
}

/// Identifier-like values that are names, ids or versions rather than secrets: UUIDs, dotted
/// names, snake/kebab identifiers made of words, numbers, semantic versions, e-mail addresses.
pub fn is_identifier_like(v: &str) -> bool {
    let bytes = v.as_bytes();
    if bytes.is_empty() {
        return true;
    }
    if is_uuid(v)
        || v.parse::<f64>().is_ok()
        || is_email(v)
        || (bytes.iter().all(u8::is_ascii_alphabetic) && is_camel_words(bytes))
    {
        return true;
    }
    // Words joined by separators (`my-service-prod`, `handler.main`, `orders_table`,
    // `LOG_LEVEL_DEBUG`, `app01.v2`): every segment is letters, digits, or letters then digits.
    v.split(['-', '_', '.', '/', ':'])
        .all(|seg| is_wordy_segment(seg.as_bytes()))
}

/// `orders`, `2024`, `v2`, `app01`, `PROD`, `Main`: not an alternation of letters and digits,
/// and not a long run of mixed-case letters.
fn is_wordy_segment(seg: &[u8]) -> bool {
    if seg.is_empty() {
        return true;
    }
    if !seg.iter().all(u8::is_ascii_alphanumeric) {
        return false;
    }
    if seg.iter().all(u8::is_ascii_alphabetic) && is_camel_words(seg) {
        return true;
    }
    // Count changes between letters and digits: words with a numeric suffix change once.
    let changes = seg
        .windows(2)
        .filter(|w| matches!(w, [a, b] if a.is_ascii_digit() != b.is_ascii_digit()))
        .count();
    let lower = seg.iter().all(|b| !b.is_ascii_uppercase());
    let upper = seg.iter().all(|b| !b.is_ascii_lowercase());
    let capitalized = seg
        .get(1..)
        .is_some_and(|r| r.iter().all(|b| !b.is_ascii_uppercase()));
    changes <= 1
        && (lower || upper || capitalized)
        && (seg.len() <= 24 || !entropy::looks_random(seg))
}

/// `nextPageToken`, `HTTPPasswordMgr`, `challengePassword`: camelCase words of three letters or
/// more, each longer one with a vowel. Random letters split into short fragments.
fn is_camel_words(seg: &[u8]) -> bool {
    let text = String::from_utf8_lossy(seg);
    let ws = crate::names::words(&text);
    ws.len() >= 2
        && ws
            .iter()
            .all(|w| w.len() >= 3 && (w.len() <= 4 || w.bytes().any(|b| b"AEIOUY".contains(&b))))
}

/// `local@domain.tld`.
pub fn is_email(v: &str) -> bool {
    let Some((local, domain)) = v.split_once('@') else {
        return false;
    };
    let tld = domain.rsplit('.').next().unwrap_or("");
    !local.is_empty()
        && local
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._%+-".contains(&b))
        && domain.contains('.')
        && domain
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
        && tld.len() >= 2
        && tld.bytes().all(|b| b.is_ascii_alphabetic())
}

/// `8-4-4-4-12` hex.
pub fn is_uuid(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

fn unquote(v: &str) -> &str {
    for q in ['"', '\''] {
        if v.len() >= 2 && v.starts_with(q) && v.ends_with(q) {
            return v.get(1..v.len() - 1).unwrap_or(v);
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references() {
        use ReferenceKind::*;
        let cases = [
            (
                "{{resolve:secretsmanager:prod/db:SecretString:password}}",
                DynamicReference,
            ),
            (
                "{{resolve:ssm-secure:/prod/db/password:3}}",
                DynamicReference,
            ),
            ("${ssm:/prod/db/password}", Variable),
            ("${env:DB_PASSWORD}", Variable),
            ("${self:custom.secrets.token}", Variable),
            ("${var.db_password}", Variable),
            ("#{AWS::AccountId}", Variable),
            ("$DB_PASSWORD", Variable),
            ("$context.requestId", Variable),
            ("%API_TOKEN%", Variable),
            ("!Ref DbPassword", Intrinsic),
            ("Fn::GetAtt", Intrinsic),
            ("var.db_password", Expression),
            ("data.aws_ssm_parameter.db.value", Expression),
            (
                "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf",
                Arn,
            ),
            (
                "arn:aws-us-gov:ssm:us-gov-west-1:123456789012:parameter/x",
                Arn,
            ),
            ("/myapp/prod/db-password", ParameterPath),
        ];
        for (v, kind) in cases {
            assert_eq!(classify_value(v), ValueClass::Reference(kind), "{v}");
        }
    }

    #[test]
    fn not_references() {
        for v in [
            "arn:foo",
            "arnold",
            "/",
            "$1abc",
            "${unterminated",
            "var.",
            "/a b",
        ] {
            assert!(reference_kind(v).is_none(), "{v}");
        }
    }

    #[test]
    fn placeholders() {
        for v in [
            "changeme",
            "CHANGE_ME",
            "change-me",
            "xxxxxxxx",
            "********",
            "<your-api-token>",
            "[SECRET]",
            "{{ token }}",
            "__TOKEN__",
            "your-api-key-here",
            "YOUR_TOKEN",
            "replace_with_real_key",
            "TODO",
            "null",
            "n/a",
            "sk_test_xxxxxxxxxxxx",
            "password",
            "notasecret",
        ] {
            assert_eq!(classify_value(v), ValueClass::Placeholder, "{v}");
        }
        for v in ["hunter2", "Summer2024!", "youngster", "puttering"] {
            assert!(!is_placeholder(v), "{v}");
        }
    }

    #[test]
    fn kms_ciphertext() {
        // Build a blob with the KMS header followed by arbitrary bytes.
        let mut blob = vec![0x01, 0x02, 0x02, 0x00, 0x78];
        blob.extend((0u8..=180).map(|i| i.wrapping_mul(37)));
        let b64 = STANDARD.encode(&blob);
        assert!(b64.starts_with("AQICAH"));
        assert_eq!(classify_value(&b64), ValueClass::KmsCiphertext);
        // The same prefix on something that is not a KMS blob.
        assert!(!is_kms_ciphertext("AQICAHnotbase64!!"));
        let mut other = blob.clone();
        if let Some(b) = other.get_mut(3) {
            *b = 0x09;
        }
        assert!(!is_kms_ciphertext(&STANDARD.encode(&other)));
    }

    #[test]
    fn interpolation_and_locations() {
        assert_eq!(
            classify_value("https://${ssm:/host}/v1"),
            ValueClass::Interpolated
        );
        assert_eq!(
            classify_value("https://api.example.com/v1?x=1"),
            ValueClass::Location
        );
        assert_eq!(classify_value("s3://bucket/key.zip"), ValueClass::Location);
        assert_eq!(
            classify_value("postgres://app:Zr4Qm9Tx2L@db.internal:5432/app"),
            ValueClass::Plaintext
        );
        assert_eq!(
            classify_value("https://example.com/hook?token=abc123"),
            ValueClass::Plaintext
        );
    }

    #[test]
    fn plaintext() {
        for v in ["hunter2", "Zr4Qm9Tx2Lp7Vb1Nc8Kd", "'quoted-value'"] {
            assert_eq!(classify_value(v), ValueClass::Plaintext, "{v}");
        }
        assert_eq!(classify_value("  "), ValueClass::Empty);
    }

    #[test]
    fn identifiers() {
        for v in [
            "550e8400-e29b-41d4-a716-446655440000",
            "orders-table-prod",
            "handler.main",
            "LOG_LEVEL_DEBUG",
            "42",
            "3.14",
            "ops@example.com",
            "nextPageToken",
            "HTTPPasswordMgr",
            "challengePassword",
        ] {
            assert!(is_identifier_like(v), "{v}");
        }
        for v in [
            "Zr4Qm9Tx2Lp7Vb1Nc8Kd",
            "k9x2m4p8q1w7e3r5t6y0",
            "@7k#h-tF?_oM!T2V2yhG",
        ] {
            assert!(!is_identifier_like(v), "{v}");
        }
    }
}
