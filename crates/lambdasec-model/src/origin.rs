//! Provenance: where every value of the model comes from.
//!
//! A rule blames a [`Value`]; the value's [`Origin`] turns into a file:line:column (templates) or
//! an ARN + API field (live accounts) when the finding is rendered.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Index of a file in the [`crate::SourceMap`] of a scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct FileId(pub u32);

/// A byte range in a source file, `start..end`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        let clamp = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        Span {
            start: clamp(start),
            end: clamp(end.max(start)),
        }
    }
}

/// Where a value comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Origin {
    /// Written in a source file (template, plan, serverless.yml, snapshot).
    Source {
        file: FileId,
        span: Span,
        /// A human path to the value, e.g. `Resources.Api.Properties.AuthType`.
        path: String,
    },
    /// Read from a live account: the resource and the API field.
    Live { arn: String, field: String },
    /// Not written anywhere: an AWS default, or a resource synthesized by a framework (SAM's
    /// implicit role). `owner` is the closest written value it belongs to.
    Implied { owner: Box<Origin> },
    /// Nowhere to point at (built in code, e.g. tests or embedded data).
    Unknown,
}

impl Origin {
    pub fn source(file: FileId, span: Span, path: impl Into<String>) -> Self {
        Origin::Source {
            file,
            span,
            path: path.into(),
        }
    }

    pub fn live(arn: impl Into<String>, field: impl Into<String>) -> Self {
        Origin::Live {
            arn: arn.into(),
            field: field.into(),
        }
    }

    /// An AWS default or synthesized value owned by `self`.
    pub fn implied(&self) -> Self {
        match self {
            // Never nest: the owner of an implied value is always a written one.
            Origin::Implied { .. } | Origin::Unknown => self.clone(),
            _ => Origin::Implied {
                owner: Box::new(self.clone()),
            },
        }
    }

    /// The written origin this one stands for (itself, or the owner of an implied value).
    pub fn anchor(&self) -> &Origin {
        match self {
            Origin::Implied { owner } => owner.anchor(),
            other => other,
        }
    }

    pub fn is_implied(&self) -> bool {
        matches!(self, Origin::Implied { .. })
    }

    /// The human path (`Resources.X.Properties.Y`) or the live API field.
    pub fn path(&self) -> Option<&str> {
        match self.anchor() {
            Origin::Source { path, .. } => Some(path),
            Origin::Live { field, .. } => Some(field),
            _ => None,
        }
    }

    pub fn file(&self) -> Option<FileId> {
        match self.anchor() {
            Origin::Source { file, .. } => Some(*file),
            _ => None,
        }
    }

    /// Derive the origin of a child value reached by `segment` when only the parent's location
    /// is known (e.g. an API field inside a live resource).
    pub fn child(&self, segment: &str) -> Origin {
        match self {
            Origin::Source { file, span, path } => Origin::Source {
                file: *file,
                span: *span,
                path: join_path(path, segment),
            },
            Origin::Live { arn, field } => Origin::Live {
                arn: arn.clone(),
                field: join_path(field, segment),
            },
            Origin::Implied { owner } => Origin::Implied {
                owner: Box::new(owner.child(segment)),
            },
            Origin::Unknown => Origin::Unknown,
        }
    }
}

/// Join a human path and a segment: `a.b` + `c` = `a.b.c`; `a` + `[0]` = `a[0]`.
pub fn join_path(path: &str, segment: &str) -> String {
    if path.is_empty() {
        segment.to_owned()
    } else if segment.starts_with('[') {
        format!("{path}{segment}")
    } else {
        format!("{path}.{segment}")
    }
}

/// What is known about a value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "state", content = "value", rename_all = "snake_case")]
pub enum State<T> {
    /// Written by the user (possibly after resolving parameters, conditions, variables).
    Explicit(T),
    /// Not written: the value AWS uses when the property is absent.
    Default(T),
    /// Written, but not knowable offline: the expression text (`!Ref DbPassword`, `var.x`,
    /// `${ssm:/path}`, `{{resolve:secretsmanager:...}}`).
    Unresolved(String),
}

/// A value of the model with its provenance.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Value<T> {
    #[serde(flatten)]
    pub state: State<T>,
    pub origin: Origin,
}

impl<T> Value<T> {
    pub fn explicit(value: T, origin: Origin) -> Self {
        Value {
            state: State::Explicit(value),
            origin,
        }
    }

    /// An AWS default; `owner` is the origin of the resource (or block) that omits the property.
    pub fn default(value: T, owner: &Origin) -> Self {
        Value {
            state: State::Default(value),
            origin: owner.implied(),
        }
    }

    pub fn unresolved(expr: impl Into<String>, origin: Origin) -> Self {
        Value {
            state: State::Unresolved(expr.into()),
            origin,
        }
    }

    /// The known value, written or default. `None` when unresolved: predicates on an unresolved
    /// value are false unless a rule decides otherwise.
    pub fn get(&self) -> Option<&T> {
        match &self.state {
            State::Explicit(v) | State::Default(v) => Some(v),
            State::Unresolved(_) => None,
        }
    }

    /// The value only when the user wrote it.
    pub fn explicit_value(&self) -> Option<&T> {
        match &self.state {
            State::Explicit(v) => Some(v),
            _ => None,
        }
    }

    pub fn is_explicit(&self) -> bool {
        matches!(self.state, State::Explicit(_))
    }

    pub fn is_default(&self) -> bool {
        matches!(self.state, State::Default(_))
    }

    pub fn is_unresolved(&self) -> bool {
        matches!(self.state, State::Unresolved(_))
    }

    /// The expression text of an unresolved value.
    pub fn unresolved_expr(&self) -> Option<&str> {
        match &self.state {
            State::Unresolved(e) => Some(e),
            _ => None,
        }
    }

    pub fn origin(&self) -> &Origin {
        &self.origin
    }

    /// True when the value is known and satisfies `pred`.
    pub fn is(&self, pred: impl FnOnce(&T) -> bool) -> bool {
        self.get().is_some_and(pred)
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Value<U> {
        Value {
            state: match self.state {
                State::Explicit(v) => State::Explicit(f(v)),
                State::Default(v) => State::Default(f(v)),
                State::Unresolved(e) => State::Unresolved(e),
            },
            origin: self.origin,
        }
    }

    pub fn as_ref(&self) -> Value<&T> {
        Value {
            state: match &self.state {
                State::Explicit(v) => State::Explicit(v),
                State::Default(v) => State::Default(v),
                State::Unresolved(e) => State::Unresolved(e.clone()),
            },
            origin: self.origin.clone(),
        }
    }
}

impl Value<String> {
    pub fn as_str(&self) -> Option<&str> {
        self.get().map(String::as_str)
    }
}

impl<T: fmt::Display> fmt::Display for Value<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.state {
            State::Explicit(v) | State::Default(v) => v.fmt(f),
            State::Unresolved(e) => f.write_str(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn implied_never_nests() {
        let o = Origin::source(FileId(0), Span::new(1, 4), "Resources.F");
        let i = o.implied();
        assert_eq!(i.implied(), i);
        assert_eq!(i.anchor(), &o);
        assert_eq!(i.path(), Some("Resources.F"));
    }

    #[test]
    fn unresolved_is_not_known() {
        let v: Value<bool> = Value::unresolved("!Ref P", Origin::Unknown);
        assert!(!v.is(|b| *b));
        assert!(!v.is(|b| !*b));
        assert_eq!(v.unresolved_expr(), Some("!Ref P"));
        let d = Value::default(false, &Origin::Unknown);
        assert!(d.is(|b| !*b));
        assert!(d.explicit_value().is_none());
    }

    #[test]
    fn child_paths() {
        let o = Origin::live("arn:aws:lambda:us-east-1:1:function:f", "Configuration");
        assert_eq!(
            o.child("Environment").path(),
            Some("Configuration.Environment")
        );
        assert_eq!(join_path("a", "[2]"), "a[2]");
        assert_eq!(join_path("", "a"), "a");
    }

    #[test]
    fn span_clamps() {
        let s = Span::new(10, 3);
        assert_eq!((s.start, s.end), (10, 10));
    }
}
