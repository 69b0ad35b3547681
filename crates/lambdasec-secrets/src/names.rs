//! Sensitive variable names: `DB_PASSWORD`, `stripeApiKey`, `GITHUB_TOKEN` mark their value as a
//! secret; `DB_PASSWORD_SECRET_NAME`, `TOKEN_TTL`, `AWS_ACCESS_KEY_ID` do not (the last word says
//! the value names, times or identifies something).
//!
//! A name is split into upper-case words at `_`, `-`, `.`, spaces and camelCase boundaries. It is
//! sensitive when a *term* (one or more words, e.g. `PASSWORD` or `API KEY`) occurs in it — as
//! consecutive words, glued into one word (`APIKEY`), or as the end of a word (`DBPASSWORD`) — and
//! its last word is not a *pointer* word (`NAME`, `ARN`, `ID`, `PATH`, `TTL`, ...).

/// Terms that mark a variable as holding a secret (upper case, words separated by `_`).
pub const DEFAULT_TERMS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "PASSPHRASE",
    "PWD",
    "SECRET",
    "TOKEN",
    "API_KEY",
    "PRIVATE_KEY",
    "SECRET_KEY",
    "ACCESS_KEY",
    "AUTH_KEY",
    "MASTER_KEY",
    "SIGNING_KEY",
    "ENCRYPTION_KEY",
    "SESSION_KEY",
    "HMAC_KEY",
    "CREDENTIAL",
    "CREDENTIALS",
    "CONNECTION_STRING",
    "CONN_STR",
];

/// Last words that make a name point at, describe or configure a secret rather than hold it.
pub const DEFAULT_POINTER_WORDS: &[&str] = &[
    "NAME",
    "NAMES",
    "ARN",
    "ARNS",
    "ID",
    "IDS",
    "PATH",
    "PARAM",
    "PARAMS",
    "PARAMETER",
    "FILE",
    "FILENAME",
    "DIR",
    "REF",
    "URL",
    "URI",
    "ENDPOINT",
    "HOST",
    "PORT",
    "REGION",
    "TTL",
    "EXPIRY",
    "EXPIRES",
    "EXPIRATION",
    "TIMEOUT",
    "LENGTH",
    "LEN",
    "SIZE",
    "TYPE",
    "VERSION",
    "HEADER",
    "ENABLED",
    "DISABLED",
    "ENABLE",
    "ALGORITHM",
    "ALG",
    "FIELD",
    "PREFIX",
    "SUFFIX",
    "FORMAT",
    "LOCATION",
    "BUCKET",
    "TABLE",
    "COUNT",
    "MAX",
    "MIN",
    "ROTATION",
    "POLICY",
    "ISSUER",
    "AUDIENCE",
    "SCOPE",
    "SCOPES",
    "ROLE",
    "USER",
    "USERNAME",
    "KEY_ID",
    "MODE",
    "STORE",
    "SOURCE",
    "PROVIDER",
    "LABEL",
    "TAG",
    "INTERVAL",
    "DAYS",
    "SECONDS",
    "MINUTES",
    "HOURS",
    "STAGE",
    "PATTERN",
    "PATTERNS",
    "REGEX",
    "REGEXP",
    "SEPARATOR",
    "DELIMITER",
    "CHARSET",
    "ALPHABET",
    "ITERATIONS",
    "ROUNDS",
    "COST",
    "STRENGTH",
    "COMPLEXITY",
    "RETRIES",
    "ATTEMPTS",
    "REQUIRED",
    "RESET",
];

/// Words that make a name public whatever else it says (`PUBLIC_KEY`, `STRIPE_PUBLISHABLE_KEY`).
const PUBLIC_WORDS: &[&str] = &["PUBLIC", "PUBLISHABLE", "PUBKEY"];

/// A classifier of variable names. [`SensitiveNames::default`] uses [`DEFAULT_TERMS`] and
/// [`DEFAULT_POINTER_WORDS`].
#[derive(Debug, Clone)]
pub struct SensitiveNames {
    terms: Vec<Vec<String>>,
    pointer_words: Vec<String>,
}

impl Default for SensitiveNames {
    fn default() -> Self {
        SensitiveNames::new(DEFAULT_TERMS, DEFAULT_POINTER_WORDS)
    }
}

impl SensitiveNames {
    /// A classifier with these terms and pointer words (any case; words separated by `_`, `-`,
    /// spaces or camelCase, e.g. `API_KEY` or `apiKey`).
    pub fn new<T: AsRef<str>, P: AsRef<str>>(terms: &[T], pointer_words: &[P]) -> Self {
        SensitiveNames {
            terms: terms
                .iter()
                .map(|t| words(t.as_ref()))
                .filter(|w| !w.is_empty())
                .collect(),
            pointer_words: pointer_words
                .iter()
                .map(|p| words(p.as_ref()).concat())
                .collect(),
        }
    }

    /// Add terms to the defaults (configuration: `sensitive_names = ["PIN", "LICENSE_KEY"]`).
    pub fn with_terms<T: AsRef<str>>(mut self, terms: &[T]) -> Self {
        self.terms.extend(
            terms
                .iter()
                .map(|t| words(t.as_ref()))
                .filter(|w| !w.is_empty()),
        );
        self
    }

    /// The term that makes `name` sensitive, or `None`.
    pub fn sensitive_term(&self, name: &str) -> Option<String> {
        let ws = words(name);
        if ws.iter().any(|w| PUBLIC_WORDS.contains(&w.as_str())) {
            return None;
        }
        let last = ws.last()?;
        let last_two = if ws.len() >= 2 {
            ws.get(ws.len() - 2..).map(<[String]>::concat)
        } else {
            None
        };
        if self
            .pointer_words
            .iter()
            .any(|p| p == last || last_two.as_ref() == Some(p))
        {
            return None;
        }
        // `PWD` alone is the shell's working directory.
        if ws.len() == 1 && last == "PWD" {
            return None;
        }
        // The term must end the name or come just before its last word (`SECRET_KEY_BASE`):
        // `Token.Name.Builtin` is a token *type*, not a token.
        self.terms
            .iter()
            .find(|term| {
                term_end(&ws, term).is_some_and(|end| {
                    end + 2 >= ws.len()
                        && !(term.last().is_some_and(|t| t == "TOKEN")
                            && end
                                .checked_sub(1)
                                .and_then(|i| ws.get(i))
                                .is_some_and(|q| NON_SECRET_TOKEN_QUALIFIERS.contains(&q.as_str())))
                })
            })
            .map(|term| term.join("_"))
    }

    pub fn is_sensitive(&self, name: &str) -> bool {
        self.sensitive_term(name).is_some()
    }
}

/// The index of the last word of the first occurrence of `term` in `ws`: as consecutive words
/// (the first may carry a prefix, `DBPASSWORD`), glued into one word (`APIKEY`,
/// `STRIPEAPIKEY`), or plural (`SECRETS`).
fn term_end(ws: &[String], term: &[String]) -> Option<usize> {
    let n = term.len();
    if n == 0 {
        return None;
    }
    let joined = term.concat();
    let consecutive = ws.windows(n).position(|win| {
        win.iter().zip(term).enumerate().all(|(i, (w, t))| {
            if i == 0 {
                w == t || (w.len() > t.len() + 1 && w.ends_with(t.as_str()))
            } else {
                w == t
            }
        })
    });
    if let Some(i) = consecutive {
        return Some(i + n - 1);
    }
    ws.iter().position(|w| {
        w == &joined
            || (w.len() > joined.len() + 1 && w.ends_with(&joined))
            || w.strip_suffix('S').is_some_and(|s| s == joined)
    })
}

/// Words before `TOKEN` that make it a protocol value rather than a credential: pagination
/// (`nextToken`, `NextPageToken`), idempotency (`ClientToken`), CSRF.
const NON_SECRET_TOKEN_QUALIFIERS: &[&str] = &[
    "NEXT",
    "PAGE",
    "CONTINUATION",
    "PAGINATION",
    "SYNC",
    "CLIENT",
    "IDEMPOTENCY",
    "OUTPUT",
    "INPUT",
    "RESULT",
    "START",
    "STARTING",
    "END",
    "LAST",
    "CURSOR",
    "CSRF",
    "XSRF",
    "CANCEL",
    "TASK",
    "WAIT",
    "CHANGE",
    "SEQUENCE",
    "SHARD",
    "ITERATOR",
    "CONTINUE",
    "RESUME",
    "MAX",
];

/// Split a name into upper-case words.
pub fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let prev = i.checked_sub(1).and_then(|p| chars.get(p));
        let next = chars.get(i + 1);
        let boundary = c.is_ascii_uppercase()
            && !cur.is_empty()
            && (prev.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit())
                || (prev.is_some_and(char::is_ascii_uppercase)
                    && next.is_some_and(char::is_ascii_lowercase)));
        if boundary {
            out.push(std::mem::take(&mut cur));
        }
        cur.push(c.to_ascii_uppercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_words() {
        assert_eq!(words("dbPassword"), ["DB", "PASSWORD"]);
        assert_eq!(words("APIKey"), ["API", "KEY"]);
        assert_eq!(words("stripe-api_key.v2"), ["STRIPE", "API", "KEY", "V2"]);
        assert_eq!(words("OAuth2Token"), ["O", "AUTH2", "TOKEN"]);
    }

    #[test]
    fn sensitive() {
        let n = SensitiveNames::default();
        for name in [
            "DB_PASSWORD",
            "dbPassword",
            "DBPASSWORD",
            "MYSQL_PWD",
            "GITHUB_TOKEN",
            "SLACK_BOT_TOKEN",
            "STRIPE_API_KEY",
            "stripeApiKey",
            "SENDGRID_APIKEY",
            "JWT_SECRET",
            "CLIENT_SECRET",
            "AWS_SECRET_ACCESS_KEY",
            "PRIVATE_KEY",
            "SSH_PRIVATE_KEY",
            "DB_CREDENTIALS",
            "APP_SECRETS",
            "SIGNING_KEY",
            "SECRET_KEY_BASE",
            "AccessToken",
        ] {
            assert!(n.is_sensitive(name), "{name}");
        }
    }

    #[test]
    fn not_sensitive() {
        let n = SensitiveNames::default();
        for name in [
            "APP_PRIVATE_KEY_SECRET_NAME",
            "DB_PASSWORD_SECRET_ARN",
            "DB_PASSWORD_PARAM",
            "TOKEN_TTL",
            "TOKEN_ENDPOINT",
            "AWS_ACCESS_KEY_ID",
            "JWT_PUBLIC_KEY",
            "STRIPE_PUBLISHABLE_KEY",
            "SECRET_ID",
            "PWD",
            "TABLE_NAME",
            "TOKENIZER_MODEL",
            "nextToken",
            "NextPageToken",
            "ClientToken",
            "Token.Name.Builtin",
            "PASSWORD_HASHERS_MODULE_LIST",
            "SECRETARY_EMAIL",
            "KEY",
            "API_VERSION",
            "PASSWORD_MIN_LENGTH",
            "PASSWORD_ITERATIONS",
        ] {
            assert!(!n.is_sensitive(name), "{name}");
        }
    }

    #[test]
    fn configurable() {
        let n = SensitiveNames::new(&["pin"], DEFAULT_POINTER_WORDS);
        assert!(n.is_sensitive("CARD_PIN"));
        assert!(!n.is_sensitive("DB_PASSWORD"));
        let n = SensitiveNames::default().with_terms(&["LICENSE_KEY"]);
        assert!(n.is_sensitive("licenseKey"));
        assert_eq!(n.sensitive_term("DB_PASSWORD").as_deref(), Some("PASSWORD"));
    }
}
