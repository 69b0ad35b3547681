//! The request context: the condition keys AWS fills in for a request (`aws:SourceIp`,
//! `aws:PrincipalOrgID`, `s3:prefix`, ...) —
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html>.
//!
//! A context is *complete* (an absent key is absent, as AWS sees it) or *partial* (an absent
//! key is unknown: conditions on it become residuals). Keys are case-insensitive.

use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Slot {
    Known { values: Vec<String>, multi: bool },
    Unknown,
}

/// What the context says about one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup<'a> {
    /// Not in the request.
    Absent,
    /// Not known offline.
    Unknown,
    /// The values; `multi` for multivalued keys (`aws:TagKeys`), even with one value.
    Values { values: &'a [String], multi: bool },
}

/// Condition keys and their values for one request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    slots: HashMap<String, Slot>,
    partial: bool,
}

impl Context {
    /// A complete context: keys not set are absent from the request.
    pub fn new() -> Self {
        Context::default()
    }

    /// A partial context: keys not set are unknown.
    pub fn partial() -> Self {
        Context {
            partial: true,
            ..Context::default()
        }
    }

    pub fn is_partial(&self) -> bool {
        self.partial
    }

    /// Set a single-valued key.
    pub fn set(&mut self, key: &str, value: impl Into<String>) -> &mut Self {
        self.slots.insert(
            key.to_ascii_lowercase(),
            Slot::Known {
                values: vec![value.into()],
                multi: false,
            },
        );
        self
    }

    /// Set a multivalued key (possibly empty).
    pub fn set_multi<I, S>(&mut self, key: &str, values: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.slots.insert(
            key.to_ascii_lowercase(),
            Slot::Known {
                values: values.into_iter().map(Into::into).collect(),
                multi: true,
            },
        );
        self
    }

    /// Mark a key unknown (even in a complete context).
    pub fn set_unknown(&mut self, key: &str) -> &mut Self {
        self.slots.insert(key.to_ascii_lowercase(), Slot::Unknown);
        self
    }

    pub fn with(mut self, key: &str, value: impl Into<String>) -> Self {
        self.set(key, value);
        self
    }

    pub fn with_multi<I, S>(mut self, key: &str, values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.set_multi(key, values);
        self
    }

    pub fn with_unknown(mut self, key: &str) -> Self {
        self.set_unknown(key);
        self
    }

    /// Whether the key was set (known or unknown).
    pub fn contains(&self, key: &str) -> bool {
        self.slots.contains_key(&key.to_ascii_lowercase())
    }

    /// Look a key up (case-insensitive).
    pub fn get(&self, key: &str) -> Lookup<'_> {
        let slot = if key.bytes().any(|b| b.is_ascii_uppercase()) {
            self.slots.get(&key.to_ascii_lowercase())
        } else {
            self.slots.get(key)
        };
        match slot {
            Some(Slot::Known { values, multi }) => Lookup::Values {
                values,
                multi: *multi,
            },
            Some(Slot::Unknown) => Lookup::Unknown,
            None if self.partial => Lookup::Unknown,
            None => Lookup::Absent,
        }
    }

    /// The single value of a key, when known.
    pub fn value(&self, key: &str) -> Option<&str> {
        match self.get(key) {
            Lookup::Values { values, .. } => values.first().map(String::as_str),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_case_insensitive() {
        let c = Context::new().with("aws:SourceIp", "10.0.0.1");
        assert_eq!(c.value("AWS:SOURCEIP"), Some("10.0.0.1"));
        assert_eq!(c.get("aws:username"), Lookup::Absent);
    }

    #[test]
    fn partial_makes_absent_unknown() {
        let c = Context::partial().with("aws:username", "bob");
        assert_eq!(c.get("aws:SourceVpc"), Lookup::Unknown);
        assert_eq!(c.value("aws:username"), Some("bob"));
        let d = Context::new().with_unknown("aws:PrincipalOrgID");
        assert_eq!(d.get("aws:principalorgid"), Lookup::Unknown);
        let m = Context::new().with_multi("aws:TagKeys", Vec::<String>::new());
        assert_eq!(
            m.get("aws:tagkeys"),
            Lookup::Values {
                values: &[],
                multi: true
            }
        );
    }
}
