//! Policy variables: `${aws:username}`, `${aws:PrincipalTag/team}`, defaults
//! (`${aws:username, 'nobody'}`) and the escapes `${*}`, `${?}`, `${$}` —
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html>.
//!
//! "If the value of a variable's key is not present in the request context, the policy
//! element that contains it does not match" (unless a default is given). In a partial context
//! an unset key is unknown, and so is the element.

use crate::context::{Context, Lookup};
use std::borrow::Cow;

/// The text of a policy value with its variables replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Substituted<'a> {
    Text(Cow<'a, str>),
    /// A variable's key is absent and has no default: the value matches nothing.
    Missing,
    /// A variable's key is unknown: the value may match or not.
    Unknown,
}

/// Whether `s` contains a `${...}` reference.
pub fn has_variables(s: &str) -> bool {
    s.contains("${")
}

/// Replace the variables of `text` from `ctx`.
pub fn substitute<'a>(text: &'a str, ctx: &Context) -> Substituted<'a> {
    if !has_variables(text) {
        return Substituted::Text(Cow::Borrowed(text));
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut unknown = false;
    while let Some(start) = rest.find("${") {
        out.push_str(rest.get(..start).unwrap_or_default());
        let after = rest.get(start + 2..).unwrap_or_default();
        let Some(end) = after.find('}') else {
            // An unterminated `${` is literal text.
            out.push_str(rest.get(start..).unwrap_or_default());
            rest = "";
            break;
        };
        let inner = after.get(..end).unwrap_or_default();
        rest = after.get(end + 1..).unwrap_or_default();
        match resolve(inner, ctx) {
            Resolved::Text(v) => out.push_str(&v),
            Resolved::Missing => return Substituted::Missing,
            Resolved::Unknown => unknown = true,
        }
    }
    out.push_str(rest);
    if unknown {
        Substituted::Unknown
    } else {
        Substituted::Text(Cow::Owned(out))
    }
}

enum Resolved {
    Text(String),
    Missing,
    Unknown,
}

fn resolve(inner: &str, ctx: &Context) -> Resolved {
    match inner {
        "*" | "?" | "$" => return Resolved::Text(inner.to_owned()),
        _ => {}
    }
    let (key, default) = match inner.split_once(',') {
        Some((k, d)) => (k.trim(), parse_default(d.trim())),
        None => (inner.trim(), None),
    };
    match ctx.get(key) {
        Lookup::Values { values, multi } if !multi || values.len() == 1 => match values.first() {
            Some(v) => Resolved::Text(v.clone()),
            None => default.map_or(Resolved::Missing, Resolved::Text),
        },
        // Multivalued keys cannot be used as variables.
        Lookup::Values { .. } => default.map_or(Resolved::Missing, Resolved::Text),
        Lookup::Absent => default.map_or(Resolved::Missing, Resolved::Text),
        Lookup::Unknown => Resolved::Unknown,
    }
}

/// A default value: `'text'` (single quotes).
fn parse_default(d: &str) -> Option<String> {
    d.strip_prefix('\'')
        .and_then(|d| d.strip_suffix('\''))
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: Substituted) -> String {
        match s {
            Substituted::Text(t) => t.into_owned(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn replaces_keys_and_escapes() {
        let ctx = Context::new()
            .with("aws:username", "alice")
            .with("aws:PrincipalTag/team", "red");
        assert_eq!(
            text(substitute("arn:aws:s3:::b/home/${aws:username}/*", &ctx)),
            "arn:aws:s3:::b/home/alice/*"
        );
        assert_eq!(
            text(substitute("${aws:principaltag/team}-${*}${?}${$}", &ctx)),
            "red-*?$"
        );
        assert_eq!(text(substitute("no vars", &ctx)), "no vars");
        assert_eq!(text(substitute("open ${ end", &ctx)), "open ${ end");
    }

    #[test]
    fn missing_default_and_unknown() {
        let ctx = Context::new();
        assert_eq!(substitute("${aws:username}", &ctx), Substituted::Missing);
        assert_eq!(
            text(substitute("${aws:username, 'nobody'}", &ctx)),
            "nobody"
        );
        let p = Context::partial();
        assert_eq!(substitute("x/${aws:username}", &p), Substituted::Unknown);
        let m = Context::new().with_multi("aws:TagKeys", ["a", "b"]);
        assert_eq!(substitute("${aws:TagKeys}", &m), Substituted::Missing);
    }
}
