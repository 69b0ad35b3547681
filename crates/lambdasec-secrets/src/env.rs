//! Environment variables: rule SEC001 ("the value is a secret") and rule SEC004 ("a sensitive
//! name holds plaintext rather than a reference").

use crate::detector::{Detector, SecretMatch};
use crate::entropy;
use crate::kind::{Confidence, SecretKind};
use crate::redact::Redacted;
use crate::value::{self, ValueClass};
use serde::Serialize;

/// SEC004: a variable whose name marks it sensitive holds a literal value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SensitivePlaintext {
    /// The term of the name that makes it sensitive (`PASSWORD`, `API_KEY`, ...).
    pub term: String,
    /// The value, redacted.
    pub redacted: Redacted,
}

impl Detector {
    /// SEC001: is the value of environment variable `name` a secret?
    ///
    /// References (`{{resolve:...}}`, `${ssm:...}`, ARNs, parameter paths), KMS ciphertext,
    /// placeholders and empty values never match. Provider formats match on the value (with the
    /// name as context, so `AWS_SECRET_ACCESS_KEY=<40 chars>` is recognised); otherwise a
    /// sensitive name with a random-looking value is a generic secret. The span is relative to
    /// `value`.
    pub fn check_env(&self, name: &str, value: &str) -> Option<SecretMatch> {
        let class = value::classify_value(value);
        if matches!(
            class,
            ValueClass::Empty
                | ValueClass::Placeholder
                | ValueClass::Reference(_)
                | ValueClass::KmsCiphertext
        ) {
            return None;
        }
        let offset = name.len() + 1;
        let mut text = Vec::with_capacity(offset + value.len());
        text.extend_from_slice(name.as_bytes());
        text.push(b'=');
        text.extend_from_slice(value.as_bytes());
        let provider = self
            .scan_filtered(&text, |spec| !spec.generic)
            .into_iter()
            .filter(|m| m.span.start >= offset)
            .max_by(|a, b| {
                a.confidence
                    .cmp(&b.confidence)
                    .then(b.span.start.cmp(&a.span.start))
            });
        if let Some(mut m) = provider {
            m.span = m.span.start - offset..m.span.end - offset;
            return Some(m);
        }
        if class != ValueClass::Plaintext {
            return None;
        }
        let term = self.sensitive_names().sensitive_term(name)?;
        let (start, trimmed) = trim_value(value);
        let (kind, confidence) = generic_value(&term, trimmed)?;
        Some(SecretMatch {
            rule: "generic-environment",
            kind,
            confidence,
            span: start..start + trimmed.len(),
            redacted: self.redactor().redact(trimmed.as_bytes(), 0),
        })
    }

    /// SEC004: `name` is sensitive (per the configured [`crate::SensitiveNames`]) and `value`
    /// is plaintext — not a reference (`{{resolve:...}}`, `${ssm:...}`, an ARN, a parameter
    /// path), not KMS ciphertext, not a placeholder, not empty.
    pub fn check_sensitive_plaintext(&self, name: &str, value: &str) -> Option<SensitivePlaintext> {
        let term = self.sensitive_names().sensitive_term(name)?;
        if !value::classify_value(value).is_plaintext() {
            return None;
        }
        let (_, trimmed) = trim_value(value);
        Some(SensitivePlaintext {
            term,
            redacted: self.redactor().redact(trimmed.as_bytes(), 0),
        })
    }
}

/// The value of a sensitive assignment: password-like terms accept human passwords (mixed
/// character classes) with low confidence; other terms need a random-looking value.
pub(crate) fn generic_value(term: &str, value: &str) -> Option<(SecretKind, Confidence)> {
    if value::classify_value(value) != ValueClass::Plaintext
        || value::is_identifier_like(value)
        || looks_like_file(value)
        || (value.contains("%(") && value.contains(")s"))
        || ["A-Z", "a-z", "0-9"]
            .iter()
            .any(|range| value.contains(range))
        || value.to_ascii_lowercase().contains("example")
    {
        return None;
    }
    let random = entropy::looks_random(value.as_bytes()) && char_classes(value) >= 2;
    let password = matches!(term, "PASSWORD" | "PASSWD" | "PASSPHRASE" | "PWD");
    if password {
        if random {
            Some((SecretKind::Password, Confidence::Medium))
        } else if value.len() >= 8 && char_classes(value) >= 3 && !value.contains(' ') {
            Some((SecretKind::Password, Confidence::Low))
        } else {
            None
        }
    } else if random && value.len() >= min_generic_len(value) && !value.contains(' ') {
        Some((SecretKind::GenericSecret, Confidence::Medium))
    } else {
        None
    }
}

/// Hex secrets are long (API keys of 32 digits, tokens of 40); 16 hex digits are far more
/// often an id or a short hash.
fn min_generic_len(v: &str) -> usize {
    if v.bytes().all(|b| b.is_ascii_hexdigit()) {
        24
    } else {
        16
    }
}

fn looks_like_file(v: &str) -> bool {
    const EXT: &[&str] = &[
        ".pem",
        ".key",
        ".json",
        ".p12",
        ".pfx",
        ".crt",
        ".cer",
        ".jks",
        ".keystore",
        ".txt",
        ".yaml",
        ".yml",
        ".env",
        ".ini",
        ".conf",
    ];
    let lower = v.to_ascii_lowercase();
    EXT.iter().any(|e| lower.ends_with(e)) && !lower.contains(' ')
}

fn char_classes(v: &str) -> usize {
    let b = v.as_bytes();
    [
        b.iter().any(u8::is_ascii_lowercase),
        b.iter().any(u8::is_ascii_uppercase),
        b.iter().any(u8::is_ascii_digit),
        b.iter().any(|c| c.is_ascii_punctuation()),
    ]
    .iter()
    .filter(|x| **x)
    .count()
}

fn trim_value(value: &str) -> (usize, &str) {
    let start = value.len() - value.trim_start().len();
    let mut v = value.trim();
    let mut s = start;
    for q in ['"', '\''] {
        if v.len() >= 2 && v.starts_with(q) && v.ends_with(q) {
            v = v.get(1..v.len() - 1).unwrap_or(v);
            s += 1;
        }
    }
    (s, v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ReferenceKind;

    fn d() -> &'static Detector {
        Detector::shared().unwrap()
    }

    fn kind(name: &str, value: &str) -> Option<SecretKind> {
        d().check_env(name, value).map(|m| m.kind)
    }

    #[test]
    fn aws_key_ids_fire_even_when_low_entropy_or_documented() {
        // Calibration: the documented example and an all-`A` key id are findings.
        let m = d().check_env("key1", "AKIAAAAAAAAAAAAAAAAA").unwrap();
        assert_eq!(m.kind, SecretKind::AwsAccessKeyId);
        assert_eq!(m.confidence, Confidence::High);
        assert_eq!(m.span, 0..20);
        assert_eq!(m.redacted.prefix, "AKIA");
        assert_eq!(
            kind("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"),
            Some(SecretKind::AwsAccessKeyId)
        );
        assert_eq!(
            kind("AWS_SECRET_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            Some(SecretKind::AwsSecretAccessKey)
        );
    }

    #[test]
    fn span_is_relative_to_the_value() {
        let m = d().check_env("K", "  AKIAIOSFODNN7EXAMPLE ").unwrap();
        assert_eq!(m.span, 2..22);
        let m = d()
            .check_env("DB_PASSWORD", " \"Zr4Qm9Tx2Lp7Vb1Nc8Kd\"")
            .unwrap();
        assert_eq!(m.span, 2..22);
        assert_eq!(m.kind, SecretKind::Password);
    }

    #[test]
    fn calibration_negatives() {
        assert!(
            d().check_env("LAMBDA", "handler.handlerverylongcustomhandlernameforservi")
                .is_none()
        );
        assert!(
            d().check_env(
                "TAGS",
                "git.commit.sha:55e7e7703f17c41f276caf8f1a1b744d674259f8"
            )
            .is_none()
        );
        assert!(
            d().check_env("APP_PRIVATE_KEY_SECRET_NAME", "my-secret")
                .is_none()
        );
        assert!(d().check_env("key1", "notasecret").is_none());
        assert!(d().check_env("STAGE", "staging").is_none());
        // A run of digits ending in `$` under a neutral name is not a credential.
        assert!(
            d().check_env("foo", "1234567890123456789012345678901234567890$")
                .is_none()
        );
    }

    #[test]
    fn references_never_fire() {
        for v in [
            "{{resolve:secretsmanager:prod/db:SecretString:password}}",
            "{{resolve:ssm-secure:/prod/db/password}}",
            "${ssm:/prod/db/password}",
            "${ssm:/aws/reference/secretsmanager/prod/db~true}",
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf",
            "/prod/db/password",
            "changeme",
            "<db-password>",
            "",
        ] {
            assert!(d().check_env("DB_PASSWORD", v).is_none(), "{v}");
        }
    }

    #[test]
    fn kms_ciphertext_never_fires() {
        use base64::Engine as _;
        let mut blob = vec![0x01, 0x02, 0x02, 0x00, 0x78];
        blob.extend((0u32..200).map(|i| (i * 7919 % 251) as u8));
        let b64 = base64::engine::general_purpose::STANDARD.encode(&blob);
        assert!(d().check_env("DB_PASSWORD", &b64).is_none());
        assert!(d().check_sensitive_plaintext("DB_PASSWORD", &b64).is_none());
    }

    #[test]
    fn generic_secrets_need_a_sensitive_name_and_a_credential_value() {
        assert_eq!(
            kind("JWT_SECRET", "q8Vn2Lr5Tz9Wm4Kx7Bc1Hd6F"),
            Some(SecretKind::GenericSecret)
        );
        // The same random value under a neutral name is not reported (could be an id or hash).
        assert!(kind("BUILD_ID", "q8Vn2Lr5Tz9Wm4Kx7Bc1Hd6F").is_none());
        // Human passwords: low confidence.
        let m = d().check_env("DB_PASSWORD", "Summer2024!").unwrap();
        assert_eq!(
            (m.kind, m.confidence),
            (SecretKind::Password, Confidence::Low)
        );
        // Words are not reported by SEC001 (SEC004 covers them).
        assert!(kind("JWT_SECRET", "my-super-secret-jwt-key").is_none());
        assert!(kind("DB_PASSWORD", "hunter2").is_none());
        assert!(kind("API_TOKEN_URL", "https://auth.example.com/oauth2/token").is_none());
    }

    #[test]
    fn provider_formats_in_values() {
        assert_eq!(
            kind(
                "DATABASE_URL",
                "postgres://app:Zr4Qm9Tx2Lp7@db.prod.internal:5432/app"
            ),
            Some(SecretKind::DatabaseUrlPassword)
        );
        assert!(
            kind(
                "DATABASE_URL",
                "postgres://app:${ssm:/db/pw}@db.prod.internal/app"
            )
            .is_none()
        );
        assert!(kind("DATABASE_URL", "postgres://db.prod.internal:5432/app").is_none());
    }

    #[test]
    fn sec004_sensitive_plaintext() {
        let p = d()
            .check_sensitive_plaintext("DB_PASSWORD", "hunter2")
            .unwrap();
        assert_eq!(p.term, "PASSWORD");
        assert_eq!(p.redacted.len, 7);
        assert!(!p.redacted.to_string().contains("hunter2"));
        assert!(
            d().check_sensitive_plaintext("DB_PASSWORD", "{{resolve:ssm-secure:/db}}")
                .is_none()
        );
        assert!(
            d().check_sensitive_plaintext("DB_PASSWORD", "${ssm:/db/pw}")
                .is_none()
        );
        assert!(
            d().check_sensitive_plaintext("DB_PASSWORD", "changeme")
                .is_none()
        );
        assert!(
            d().check_sensitive_plaintext("DB_PASSWORD_ARN", "hunter2")
                .is_none()
        );
        assert!(
            d().check_sensitive_plaintext("TABLE_NAME", "orders")
                .is_none()
        );
        assert_eq!(
            crate::classify_value("{{resolve:ssm-secure:/db}}"),
            ValueClass::Reference(ReferenceKind::DynamicReference)
        );
    }
}
