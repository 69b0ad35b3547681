//! Redaction: the only form in which a secret may leave this crate.
//!
//! A [`Redacted`] keeps a short prefix, the length and a stable hash of a secret. The prefix is
//! at most a quarter of the secret (four characters at most) unless the secret starts with a
//! public, structural prefix such as `AKIA`, `ghp_` or `-----BEGIN RSA PRIVATE KEY-----`, which
//! identifies the kind without revealing anything. The hash lets reports de-duplicate the same
//! secret seen in many places (every function of a stack, every copy of a layer) without keeping
//! it.
//!
//! The hash is SHA-256 over a fixed domain tag and the secret, truncated to 48 bits. It is stable
//! across runs and machines. A weak password can still be confirmed by guessing it and hashing
//! the guess; [`Redactor::with_salt`] lets an organisation make its hashes unguessable to
//! outsiders while staying stable for itself.
//!
//! Renderers that show source lines must pass them through [`mask`] so the secret's bytes are
//! replaced by its redacted form.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;
use std::ops::Range;

const DOMAIN: &[u8] = b"lambdasec-redact-v1\0";
const MAX_FREE_PREFIX: usize = 4;
const HASH_HEX: usize = 12;

/// A secret reduced to what may be shown: prefix, length and hash.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Redacted {
    /// The first characters of the secret (structural prefix, or at most 4 characters and at
    /// most a quarter of the secret).
    pub prefix: String,
    /// The length of the secret in bytes.
    pub len: usize,
    /// `sha256:` and the first 12 hex digits of the salted SHA-256 of the secret.
    pub hash: String,
}

impl fmt::Display for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}…({} bytes, {})", self.prefix, self.len, self.hash)
    }
}

/// Redacts secrets with an optional salt.
#[derive(Clone, Default)]
pub struct Redactor {
    salt: Vec<u8>,
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Redactor")
            .field("salted", &!self.salt.is_empty())
            .finish()
    }
}

impl Redactor {
    /// A redactor whose hashes depend on `salt` (keep the salt private to make hashes of weak
    /// secrets unguessable by readers of the report).
    pub fn with_salt(salt: impl Into<Vec<u8>>) -> Self {
        Redactor { salt: salt.into() }
    }

    /// Redact `secret`. `structural_prefix` is the number of leading bytes that are a public
    /// marker of the format (0 when none); it is shown in full when it is shorter than half the
    /// secret.
    pub fn redact(&self, secret: &[u8], structural_prefix: usize) -> Redacted {
        let free = MAX_FREE_PREFIX.min(secret.len() / 4);
        let structural = if structural_prefix <= secret.len() / 2 {
            structural_prefix
        } else {
            0
        };
        let shown = free.max(structural);
        let prefix = secret
            .get(..shown)
            .map_or_else(String::new, printable_prefix);
        Redacted {
            prefix,
            len: secret.len(),
            hash: self.hash(secret),
        }
    }

    /// The stable hash alone, `sha256:` + 12 hex digits.
    pub fn hash(&self, secret: &[u8]) -> String {
        let mut hasher = Sha256::new();
        hasher.update(DOMAIN);
        hasher.update((self.salt.len() as u64).to_le_bytes());
        hasher.update(&self.salt);
        hasher.update(secret);
        let digest = hasher.finalize();
        let mut out = String::with_capacity(7 + HASH_HEX);
        out.push_str("sha256:");
        for byte in digest.iter().take(HASH_HEX / 2) {
            out.push(hex_digit(byte >> 4));
            out.push(hex_digit(byte & 0x0f));
        }
        out
    }
}

/// Redact with the default (unsalted) redactor.
pub fn redact(secret: &[u8], structural_prefix: usize) -> Redacted {
    Redactor::default().redact(secret, structural_prefix)
}

/// Replace every `spans` range of `text` with `[REDACTED <redacted>]`, for renderers that show a
/// source line or a value. Spans are byte ranges of `text`; out-of-range or overlapping spans are
/// clamped so the secret bytes never survive.
pub fn mask(text: &str, spans: &[(Range<usize>, &Redacted)]) -> String {
    let mut sorted: Vec<_> = spans.iter().collect();
    sorted.sort_by_key(|(r, _)| r.start);
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut at = 0usize;
    for (range, redacted) in sorted {
        let start = floor_char(text, range.start.min(bytes.len()));
        let end = ceil_char(text, range.end.min(bytes.len()));
        if end <= at {
            continue;
        }
        if start > at {
            out.push_str(text.get(at..start).unwrap_or_default());
        }
        out.push_str("[REDACTED ");
        out.push_str(&redacted.to_string());
        out.push(']');
        at = end.max(at);
    }
    out.push_str(text.get(at..).unwrap_or_default());
    out
}

fn floor_char(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char(text: &str, mut i: usize) -> usize {
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// The prefix as text: non-printable or non-ASCII bytes become `?`, so a prefix never carries
/// control characters into a terminal.
fn printable_prefix(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| {
            if b.is_ascii_graphic() || b == b' ' {
                char::from(b)
            } else {
                '?'
            }
        })
        .collect()
}

fn hex_digit(n: u8) -> char {
    char::from(
        b"0123456789abcdef"
            .get(usize::from(n & 0x0f))
            .copied()
            .unwrap_or(b'0'),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_prefix_length_and_hash() {
        let r = redact(b"s3cr3t-passw0rd-value", 0);
        assert_eq!(r.prefix, "s3cr");
        assert_eq!(r.len, 21);
        assert!(r.hash.starts_with("sha256:"));
        assert_eq!(r.hash.len(), 7 + 12);
        assert!(!r.to_string().contains("passw0rd"));
    }

    #[test]
    fn prefix_is_at_most_a_quarter() {
        assert_eq!(redact(b"abcdefg", 0).prefix, "a");
        assert_eq!(redact(b"abc", 0).prefix, "");
    }

    #[test]
    fn structural_prefix_is_shown_when_short() {
        let key = b"AKIAIOSFODNN7EXAMPLE";
        assert_eq!(redact(key, 4).prefix, "AKIA");
        // A structural prefix longer than half the secret is not trusted.
        assert_eq!(redact(b"ghp_abc", 4).prefix, "g");
    }

    #[test]
    fn hash_is_stable_and_salt_dependent() {
        let a = redact(b"same", 0).hash;
        let b = redact(b"same", 0).hash;
        assert_eq!(a, b);
        assert_ne!(a, redact(b"other", 0).hash);
        assert_ne!(a, Redactor::with_salt("org").redact(b"same", 0).hash);
        // A frozen value: the hash is part of the output format and must not drift.
        assert_eq!(redact(b"AKIAIOSFODNN7EXAMPLE", 4).hash, FROZEN);
    }
    const FROZEN: &str = "sha256:2e96610e41f7";

    #[test]
    fn mask_replaces_spans() {
        let line = "password = \"hunter2hunter2\" # prod";
        let secret = "hunter2hunter2";
        let start = line.find(secret).unwrap();
        let r = redact(secret.as_bytes(), 0);
        let masked = mask(line, &[(start..start + secret.len(), &r)]);
        assert!(!masked.contains(secret));
        assert!(masked.starts_with("password = \"[REDACTED hun…(14 bytes"));
        assert!(masked.ends_with("\" # prod"));
    }

    #[test]
    fn mask_clamps_bad_spans() {
        let r = redact(b"xyz", 0);
        assert_eq!(mask("ab", &[(1..99, &r)]), format!("a[REDACTED {r}]"));
        let text = "é secret";
        let masked = mask(text, &[(1..8, &r)]);
        assert!(!masked.contains("secre"));
    }

    #[test]
    fn prefix_never_carries_control_bytes() {
        assert_eq!(redact(b"\x1b[31mabcdefghijkl", 0).prefix, "?[31");
    }
}
