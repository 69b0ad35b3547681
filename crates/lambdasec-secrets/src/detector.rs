//! The detector: every rule of [`crate::rules`] compiled once, behind an Aho-Corasick keyword
//! prefilter.
//!
//! One pass of the automaton finds every keyword in a buffer. Each hit selects the rules that
//! listed the keyword and the few bytes around it (clipped to the hit's line unless the rule spans
//! lines); only there do the regular expressions run. Buffers without keywords — most of a
//! package — cost one automaton pass. Matches that overlap are resolved in favour of the provider
//! rule, then the higher confidence, then the longer span.

use crate::entropy::{self, Charset};
use crate::env::generic_value;
use crate::kind::{Confidence, SecretKind};
use crate::names::SensitiveNames;
use crate::redact::{Redacted, Redactor};
use crate::rules::{Check, Gate, Prefix, RULES, RuleSpec};
use crate::value::{self, ValueClass};
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use regex::bytes::{Captures, Regex, RegexBuilder};
use serde::Serialize;
use std::ops::Range;
use std::sync::OnceLock;

/// A secret found in a buffer or a value. It never holds the secret itself: only where it is
/// (`span`) and its [`Redacted`] form, so printing or serializing a match cannot leak it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SecretMatch {
    /// The rule that matched (stable id, e.g. `aws-access-key-id`).
    pub rule: &'static str,
    pub kind: SecretKind,
    pub confidence: Confidence,
    /// Byte range of the secret in the scanned buffer (or in the value, for environment checks).
    pub span: Range<usize>,
    pub redacted: Redacted,
}

/// Errors building a detector (a bad pattern in the rule table).
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("rule `{rule}`: invalid pattern: {source}")]
    Pattern {
        rule: &'static str,
        #[source]
        source: Box<regex::Error>,
    },
    #[error("keyword automaton: {0}")]
    Keywords(#[from] aho_corasick::BuildError),
}

#[derive(Debug)]
struct Compiled {
    spec: RuleSpec,
    re: Regex,
}

/// Compiled rules plus the keyword automaton. Build once ([`Detector::shared`] or
/// [`Detector::new`]) and share: scanning takes `&self` and is thread-safe.
#[derive(Debug)]
pub struct Detector {
    ac: AhoCorasick,
    /// For each keyword of the automaton, the rules that listed it.
    keyword_rules: Vec<Vec<usize>>,
    rules: Vec<Compiled>,
    names: SensitiveNames,
    redactor: Redactor,
}

const SECRET_GROUPS: [&str; 5] = ["s", "q", "q2", "q3", "u"];
const PEM_MAX_BODY: usize = 32 * 1024;
/// Longer assigned values are data (certificates, blobs), not passwords or keys.
const MAX_GENERIC_VALUE: usize = 200;

impl Detector {
    /// A detector with the default sensitive-name list and an unsalted redactor.
    pub fn new() -> Result<Self, BuildError> {
        Self::with_options(SensitiveNames::default(), Redactor::default())
    }

    /// A detector with a configured sensitive-name list (used by the generic rules) and
    /// redactor.
    pub fn with_options(names: SensitiveNames, redactor: Redactor) -> Result<Self, BuildError> {
        let mut keywords: Vec<&'static str> = Vec::new();
        let mut keyword_rules: Vec<Vec<usize>> = Vec::new();
        let mut rules = Vec::with_capacity(RULES.len());
        for (index, spec) in RULES.iter().enumerate() {
            let re = RegexBuilder::new(spec.pattern)
                .unicode(false)
                .size_limit(1 << 22)
                .build()
                .map_err(|e| BuildError::Pattern {
                    rule: spec.id,
                    source: Box::new(e),
                })?;
            rules.push(Compiled { spec: *spec, re });
            for kw in spec.keywords {
                match keywords.iter().position(|k| k == kw) {
                    Some(i) => {
                        if let Some(list) = keyword_rules.get_mut(i) {
                            list.push(index);
                        }
                    }
                    None => {
                        keywords.push(kw);
                        keyword_rules.push(vec![index]);
                    }
                }
            }
        }
        // Matches do not overlap (leftmost-longest), so a keyword found inside a longer one
        // (`secret` in `aws_secret`) must bring its rules along with the longer one.
        let inherited: Vec<Vec<usize>> = keywords
            .iter()
            .map(|outer| {
                keywords
                    .iter()
                    .zip(&keyword_rules)
                    .filter(|(inner, _)| inner.len() < outer.len() && outer.contains(**inner))
                    .flat_map(|(_, rules)| rules.iter().copied())
                    .collect()
            })
            .collect();
        for (rules, extra) in keyword_rules.iter_mut().zip(inherited) {
            rules.extend(extra);
            rules.sort_unstable();
            rules.dedup();
        }
        let ac = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&keywords)?;
        Ok(Detector {
            ac,
            keyword_rules,
            rules,
            names,
            redactor,
        })
    }

    /// The process-wide default detector, built on first use.
    ///
    /// # Errors
    /// Only if the built-in rule table fails to compile (a bug, covered by tests).
    pub fn shared() -> Result<&'static Detector, &'static BuildError> {
        static SHARED: OnceLock<Result<Detector, BuildError>> = OnceLock::new();
        SHARED.get_or_init(Detector::new).as_ref()
    }

    /// The ids of every rule, in table order.
    pub fn rule_ids(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.rules.iter().map(|r| r.spec.id)
    }

    pub fn sensitive_names(&self) -> &SensitiveNames {
        &self.names
    }

    pub fn redactor(&self) -> &Redactor {
        &self.redactor
    }

    /// Every secret in `text`, sorted by position, overlaps resolved.
    pub fn scan(&self, text: &[u8]) -> Vec<SecretMatch> {
        self.scan_filtered(text, |_| true)
    }

    pub(crate) fn scan_filtered(
        &self,
        text: &[u8],
        keep: impl Fn(&RuleSpec) -> bool,
    ) -> Vec<SecretMatch> {
        let n = self.rules.len();
        let mut covered = vec![0usize; n];
        let mut last_end = vec![0usize; n];
        let mut found: Vec<(usize, SecretMatch)> = Vec::new();
        for hit in self.ac.find_iter(text) {
            let Some(rule_ids) = self.keyword_rules.get(hit.pattern().as_usize()) else {
                continue;
            };
            for &r in rule_ids {
                let Some(rule) = self.rules.get(r) else {
                    continue;
                };
                if !keep(&rule.spec) {
                    continue;
                }
                let (lo, hi) = region(text, hit.start(), hit.end(), &rule.spec);
                let (Some(cov), Some(last)) = (covered.get_mut(r), last_end.get_mut(r)) else {
                    continue;
                };
                if hi <= *cov {
                    continue;
                }
                *cov = hi;
                self.eval(r, rule, text, lo, hi, last, &mut found);
            }
        }
        resolve_overlaps(found)
    }

    #[allow(
        clippy::too_many_arguments,
        reason = "one call site; the state is the scan loop's"
    )]
    fn eval(
        &self,
        index: usize,
        rule: &Compiled,
        text: &[u8],
        lo: usize,
        hi: usize,
        last_end: &mut usize,
        out: &mut Vec<(usize, SecretMatch)>,
    ) {
        let hay = text.get(..hi).unwrap_or(text);
        let mut pos = lo;
        while pos < hi {
            let Some(caps) = rule.re.captures_at(hay, pos) else {
                break;
            };
            let Some(whole) = caps.get(0) else {
                break;
            };
            pos = if whole.end() > pos {
                whole.end()
            } else {
                pos + 1
            };
            let Some(secret) = SECRET_GROUPS.iter().find_map(|g| caps.name(g)) else {
                continue;
            };
            if secret.start() < *last_end {
                continue;
            }
            if let Some(m) = self.accept(rule, &caps, secret.range(), text) {
                *last_end = m.span.end;
                out.push((index, m));
            }
        }
    }

    /// Apply the rule's gate and check to a regex match.
    fn accept(
        &self,
        rule: &Compiled,
        caps: &Captures<'_>,
        span: Range<usize>,
        text: &[u8],
    ) -> Option<SecretMatch> {
        let spec = &rule.spec;
        let mut span = span;
        let mut kind = spec.kind;
        let mut confidence = spec.confidence;
        let secret = text.get(span.clone())?;
        let prefix_len = match spec.prefix {
            Prefix::None => 0,
            Prefix::Len(n) => n,
            Prefix::PemHeader => pem_header_len(secret),
        };
        let body = secret
            .get(prefix_len.min(secret.len())..)
            .unwrap_or_default();
        if !passes_gate(spec.gate, body) {
            return None;
        }
        match spec.check {
            Check::None => {}
            Check::Crc32Base62 => {
                if !crc32_base62_valid(secret, prefix_len) {
                    confidence = Confidence::Low;
                }
            }
            Check::Stripe => {
                if secret.get(3..7) == Some(b"test") {
                    confidence = Confidence::Medium;
                }
            }
            Check::Jwt => confidence = jwt_confidence(secret)?,
            Check::UrlPassword => {
                let host = caps.name("host").map(|m| m.as_bytes()).unwrap_or_default();
                let user = caps.name("user").map(|m| m.as_bytes()).unwrap_or_default();
                confidence = url_password_confidence(body, user, host)?;
            }
            Check::Pem => {
                let pem = pem_block(text, span.start, span.end)?;
                span = span.start..pem.end;
                kind = pem.kind;
                if pem.encrypted {
                    confidence = Confidence::Medium;
                }
            }
            Check::Generic => {
                let name = caps.name("name").map(|m| m.as_bytes()).unwrap_or_default();
                let quoted = caps.name("u").is_none();
                let (k, c) = self.generic(name, body, quoted)?;
                kind = k;
                confidence = c;
            }
        }
        let secret = text.get(span.clone())?;
        Some(SecretMatch {
            rule: spec.id,
            kind,
            confidence,
            redacted: self.redactor.redact(secret, prefix_len),
            span,
        })
    }

    /// Decide a `name = value` assignment: the name must be sensitive and the value must look
    /// like a credential rather than a word, an id, a reference or code.
    fn generic(&self, name: &[u8], value: &[u8], quoted: bool) -> Option<(SecretKind, Confidence)> {
        let name = std::str::from_utf8(name).ok()?;
        let value = std::str::from_utf8(value).ok()?;
        let term = self.names.sensitive_term(name)?;
        if value.len() > MAX_GENERIC_VALUE
            || (!quoted && looks_like_code(value))
            || (value.starts_with('{') && value.ends_with('}'))
        {
            return None;
        }
        generic_value(&term, value)
    }
}

/// `module.attr.Name`: an attribute access, not a literal.
fn is_dotted_path(value: &str) -> bool {
    value.contains('.')
        && value.split('.').all(|seg| {
            seg.bytes()
                .next()
                .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
                && seg.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        })
}

/// An unquoted value that is an expression rather than a literal: a call, an index, a
/// template, an escape.
fn looks_like_code(value: &str) -> bool {
    is_dotted_path(value)
        || value.contains(['(', ')', '[', ']', '{', '}'])
        || (value.contains('<') && value.contains('>'))
        || value.contains("${")
        || value.contains("{{")
        || value.contains('\\')
}

/// The bytes a rule's regex may look at around a keyword hit.
fn region(text: &[u8], start: usize, end: usize, spec: &RuleSpec) -> (usize, usize) {
    let mut lo = start.saturating_sub(spec.before);
    let mut hi = end.saturating_add(spec.after).min(text.len());
    if !spec.multiline {
        if let Some(i) = text.get(lo..start).and_then(|s| memchr::memrchr(b'\n', s)) {
            lo += i + 1;
        }
        if let Some(i) = text.get(end..hi).and_then(|s| memchr::memchr(b'\n', s)) {
            hi = end + i;
        }
    }
    (lo, hi)
}

fn passes_gate(gate: Gate, body: &[u8]) -> bool {
    match gate {
        Gate::Off => true,
        Gate::NotPlaceholder => std::str::from_utf8(body).is_ok_and(|s| !value::is_placeholder(s)),
        Gate::Random => {
            std::str::from_utf8(body).is_ok_and(|s| !value::is_placeholder(s))
                && entropy::shannon(body) >= 0.8 * entropy::threshold(Charset::of(body), body.len())
        }
    }
}

/// GitHub classic and npm tokens end in a base62 CRC32 of the random part.
fn crc32_base62_valid(token: &[u8], prefix: usize) -> bool {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let Some(split) = token.len().checked_sub(6) else {
        return false;
    };
    let (Some(random), Some(check)) = (token.get(prefix..split), token.get(split..)) else {
        return false;
    };
    let mut n: u64 = 0;
    for c in check {
        let Some(d) = ALPHABET.iter().position(|a| a == c) else {
            return false;
        };
        n = n * 62 + d as u64;
    }
    n == u64::from(crc32fast::hash(random))
}

fn jwt_confidence(token: &[u8]) -> Option<Confidence> {
    let mut parts = token.split(|&b| b == b'.');
    let header = URL_SAFE_NO_PAD.decode(parts.next()?).ok()?;
    let payload = URL_SAFE_NO_PAD.decode(parts.next()?).ok()?;
    let header = std::str::from_utf8(&header).ok()?;
    if !header.trim_start().starts_with('{')
        || !header.contains("\"alg\"")
        || payload.first() != Some(&b'{')
    {
        return None;
    }
    let compact: String = header.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.to_ascii_lowercase().contains("\"alg\":\"none\"") {
        Some(Confidence::Low)
    } else {
        Some(Confidence::Medium)
    }
}

fn url_password_confidence(password: &[u8], user: &[u8], host: &[u8]) -> Option<Confidence> {
    let pw = std::str::from_utf8(password).ok()?;
    if value::classify_value(pw) != ValueClass::Plaintext
        || value::has_interpolation(pw)
        || pw.starts_with('$')
        || pw.starts_with('%')
        || pw.starts_with('{')
        || pw.starts_with(':')
        || (pw.len() <= 5 && pw.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let host = String::from_utf8_lossy(host).to_ascii_lowercase();
    let local = [
        "localhost",
        "127.0.0.1",
        "0.0.0.0",
        "[::1]",
        "host.docker.internal",
    ]
    .iter()
    .any(|h| host == *h)
        || host.ends_with(".local")
        || host.ends_with(".localhost")
        || host.ends_with(".test")
        || host.ends_with(".example")
        || host.starts_with("example.")
        || host.ends_with(".example.com")
        || host.ends_with(".example.org");
    Some(if local {
        Confidence::Low
    } else {
        url_password_strength(pw, user)
    })
}

/// Words that stand for a password in examples, tutorials and defaults (`https://user:pass@`,
/// `postgres://postgres:postgres@`), compared once digits and punctuation around them are
/// trimmed (`password1`, `secret!`).
const WEAK_PASSWORDS: &[&str] = &[
    "admin",
    "bar",
    "baz",
    "changeit",
    "changeme",
    "default",
    "demo",
    "dummy",
    "example",
    "foo",
    "foobar",
    "guest",
    "letmein",
    "mypass",
    "mypassword",
    "mysecret",
    "pass",
    "passw0rd",
    "passwd",
    "password",
    "postgres",
    "pw",
    "pwd",
    "qwerty",
    "root",
    "sample",
    "secret",
    "test",
    "testing",
    "user",
    "username",
];

/// How much a password in a URL looks like a real one: very short ones, the user name again,
/// one repeated character and the words of examples are low; short ones medium.
fn url_password_strength(pw: &str, user: &[u8]) -> Confidence {
    let core = pw
        .trim_matches(|c: char| c.is_ascii_digit() || c.is_ascii_punctuation())
        .to_ascii_lowercase();
    let mut bytes = pw.bytes();
    let first = bytes.next();
    let repeated = bytes.all(|b| Some(b) == first);
    if pw.len() < 6
        || pw.as_bytes().eq_ignore_ascii_case(user)
        || repeated
        || core.is_empty()
        || WEAK_PASSWORDS.contains(&core.as_str())
    {
        Confidence::Low
    } else if pw.len() < 10 {
        Confidence::Medium
    } else {
        Confidence::High
    }
}

fn pem_header_len(secret: &[u8]) -> usize {
    secret
        .get(5..)
        .and_then(|rest| memchr::memmem::find(rest, b"-----"))
        .map_or(0, |i| i + 10)
}

struct Pem {
    end: usize,
    kind: SecretKind,
    encrypted: bool,
}

/// Follow a PEM header at `start..header_end`: skip escapes and encapsulated headers, require a
/// random base64 body of at least 64 characters, and end at the `-----END ...-----` marker when
/// there is one.
fn pem_block(text: &[u8], start: usize, header_end: usize) -> Option<Pem> {
    let header = text.get(start..header_end)?;
    let limit = header_end.saturating_add(PEM_MAX_BODY).min(text.len());
    let mut p = header_end;
    let mut encrypted = memchr::memmem::find(header, b"ENCRYPTED").is_some();
    let mut body = Vec::with_capacity(512);
    let at = |i: usize| text.get(i).copied();
    // Encapsulated headers (`Proc-Type: 4,ENCRYPTED`, `DEK-Info: ...`) after the first newline.
    while p < limit {
        match at(p) {
            Some(b'\\') if matches!(at(p + 1), Some(b'n' | b'r')) => p += 2,
            Some(b'\r' | b'\n' | b' ' | b'\t' | b'"' | b'\'' | b'+' | b',') => p += 1,
            Some(b'P' | b'D')
                if text.get(p..p + 10) == Some(b"Proc-Type:")
                    || text.get(p..p + 9) == Some(b"DEK-Info:") =>
            {
                let line_end = text
                    .get(p..limit)
                    .and_then(|s| s.iter().position(|&b| b == b'\n' || b == b'\\'))
                    .map_or(limit, |i| p + i);
                if text
                    .get(p..line_end)
                    .is_some_and(|l| memchr::memmem::find(l, b"ENCRYPTED").is_some())
                {
                    encrypted = true;
                }
                p = line_end;
            }
            Some(b) if b.is_ascii_alphanumeric() || b == b'/' || b == b'=' => {
                body.push(b);
                p += 1;
            }
            _ => break,
        }
    }
    if body.len() < 64 {
        return None;
    }
    let sample = body.get(..body.len().min(512)).unwrap_or(&body);
    if entropy::shannon(sample) < entropy::threshold(Charset::Base64, 64) {
        return None;
    }
    let mut end = p;
    if text.get(p..p + 8) == Some(b"-----END") {
        let close = text
            .get(p + 8..limit.min(p + 8 + 64))
            .and_then(|s| memchr::memmem::find(s, b"-----"));
        if let Some(i) = close {
            end = p + 8 + i + 5;
        }
    }
    let kind = if memchr::memmem::find(header, b"OPENSSH").is_some() {
        SecretKind::OpenSshPrivateKey
    } else if near(text, start, end, b"service_account") {
        SecretKind::GcpServiceAccountKey
    } else {
        SecretKind::PrivateKey
    };
    Some(Pem {
        end,
        kind,
        encrypted,
    })
}

/// `needle` within 4 KiB around `start..end`.
fn near(text: &[u8], start: usize, end: usize, needle: &[u8]) -> bool {
    let lo = start.saturating_sub(4096);
    let hi = end.saturating_add(4096).min(text.len());
    text.get(lo..hi)
        .is_some_and(|w| memchr::memmem::find(w, needle).is_some())
}

/// Sort by position; of overlapping matches keep the provider rule, then the higher confidence,
/// then the longer span.
fn resolve_overlaps(mut found: Vec<(usize, SecretMatch)>) -> Vec<SecretMatch> {
    found.sort_by_key(|(_, m)| (m.span.start, std::cmp::Reverse(m.span.end)));
    let mut out: Vec<(bool, SecretMatch)> = Vec::with_capacity(found.len());
    for (index, m) in found {
        let generic = RULES.get(index).is_some_and(|r| r.generic);
        match out.last_mut() {
            Some((last_generic, last)) if m.span.start < last.span.end => {
                let better = (!generic, m.confidence, m.span.len())
                    > (!*last_generic, last.confidence, last.span.len());
                if better {
                    *last_generic = generic;
                    *last = m;
                }
            }
            _ => out.push((generic, m)),
        }
    }
    out.into_iter().map(|(_, m)| m).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d() -> &'static Detector {
        Detector::shared().unwrap()
    }

    #[test]
    fn table_compiles_and_ids_are_unique() {
        let ids: Vec<_> = d().rule_ids().collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(ids.len(), sorted.len());
        for spec in RULES {
            assert!(!spec.keywords.is_empty(), "{}", spec.id);
            for kw in spec.keywords {
                assert_eq!(kw.to_ascii_lowercase(), *kw, "{}", spec.id);
            }
        }
    }

    #[test]
    fn generic_assignments_of_code_prose_and_templates_are_not_secrets() {
        for text in [
            "MLKEM768X25519PrivateKey = rust_openssl.hpke.MLKEM768X25519PrivateKey\n",
            "raise ValueError(f'Syntax error; token: \"{current_phrase}\"')\n",
            "\"GrantToken\": \"The grant token for this request.\"\n",
        ] {
            assert!(d().scan(text.as_bytes()).is_empty(), "{text}");
        }
        // A random value stays a secret.
        let m = d().scan(b"api_token = \"q7Vx2LmT9pRz4KwN8sYb3HcJ\"\n");
        assert_eq!(m.len(), 1);
    }

    #[test]
    fn no_keyword_no_regex() {
        assert!(
            d().scan(b"plain text without anything interesting")
                .is_empty()
        );
        assert!(d().scan(b"").is_empty());
    }

    #[test]
    fn region_clips_to_line() {
        let spec = RULES[0];
        let text = b"first line\nxx AKIA yy\nlast";
        let (lo, hi) = region(text, 14, 18, &spec);
        assert_eq!(&text[lo..hi], b" AKIA yy");
    }

    #[test]
    fn overlaps_prefer_provider_rules() {
        let text = br#"api_key = "AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW""#;
        let found = d().scan(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].kind, SecretKind::GoogleApiKey);
    }

    #[test]
    fn crc32_checksum() {
        // A token whose checksum is computed here: valid.
        let random = b"A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5";
        let mut n = crc32fast::hash(random) as u64;
        let mut check = [b'0'; 6];
        const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        for slot in check.iter_mut().rev() {
            *slot = ALPHABET[(n % 62) as usize];
            n /= 62;
        }
        let token = [&b"ghp_"[..], random, &check].concat();
        assert!(crc32_base62_valid(&token, 4));
        let mut bad = token.clone();
        *bad.last_mut().unwrap() ^= 1;
        assert!(!crc32_base62_valid(&bad, 4));
        assert!(!crc32_base62_valid(b"ghp_", 4));
    }

    #[test]
    fn resolve_overlaps_keeps_best() {
        let r = Redactor::default().redact(b"x", 0);
        let m = |s: usize, e: usize, c| SecretMatch {
            rule: "t",
            kind: SecretKind::GenericSecret,
            confidence: c,
            span: s..e,
            redacted: r.clone(),
        };
        let last = RULES.len() - 1; // the generic rule
        let out = resolve_overlaps(vec![
            (last, m(0, 10, Confidence::High)),
            (0, m(2, 8, Confidence::Medium)),
            (0, m(20, 30, Confidence::Low)),
        ]);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].span, 2..8);
        assert_eq!(out[1].span, 20..30);
    }
}
