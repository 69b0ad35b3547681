//! Printable forms of the engine's answers: origins as `file:line:column` (templates, policy
//! files) or `ARN field` (authorization details), statements with their locations.

use lambdasec_iam::{StatementRef, Unknown};
use lambdasec_model::{Origin, SourceMap};
use lambdasec_report::{Location, locate};
use serde::Serialize;

/// `file:line:column`, `ARN field`, or `-` when the origin is unknown.
pub fn place(sources: &SourceMap, origin: &Origin) -> String {
    location_text(&locate(sources, origin))
}

/// A resolved location as text.
pub fn location_text(l: &Location) -> String {
    match l {
        Location::Source {
            file, line, column, ..
        } => format!("{file}:{line}:{column}"),
        Location::Live { arn, field, .. } => format!("{arn} {field}"),
        Location::Unknown {} => "-".to_owned(),
    }
}

/// A statement that took part in an answer.
#[derive(Debug, Serialize)]
pub struct StatementView {
    pub layer: lambdasec_iam::Layer,
    /// The policy's label (its file, or its name in a template or account).
    pub policy: Option<String>,
    pub index: usize,
    pub sid: Option<String>,
    pub effect: &'static str,
    #[serde(flatten)]
    pub location: Location,
}

impl StatementView {
    pub fn new(sources: &SourceMap, s: &StatementRef) -> Self {
        StatementView {
            layer: s.layer,
            policy: s.policy.clone(),
            index: s.index,
            sid: s.sid.clone(),
            effect: s.effect.as_str(),
            location: locate(sources, &s.origin),
        }
    }

    pub fn list(sources: &SourceMap, refs: &[StatementRef]) -> Vec<StatementView> {
        refs.iter()
            .map(|s| StatementView::new(sources, s))
            .collect()
    }
}

/// One line naming a statement: `file:line:column  statement 2 `Sid` of `policy` (Allow,
/// identity-based)`.
pub fn statement_line(sources: &SourceMap, s: &StatementRef) -> String {
    StatementView::new(sources, s).line()
}

impl StatementView {
    pub fn line(&self) -> String {
        let sid = self
            .sid
            .as_deref()
            .map(|sid| format!(" `{sid}`"))
            .unwrap_or_default();
        let policy = self
            .policy
            .as_deref()
            .map(|p| format!(" of `{p}`"))
            .unwrap_or_default();
        format!(
            "{}  statement {}{sid}{policy} ({}, {})",
            location_text(&self.location),
            self.index,
            self.effect,
            layer_name(self.layer)
        )
    }
}

pub fn layer_name(l: lambdasec_iam::Layer) -> &'static str {
    use lambdasec_iam::Layer;
    match l {
        Layer::Identity => "identity-based",
        Layer::Resource => "resource-based",
        Layer::PermissionsBoundary => "permissions boundary",
        Layer::Session => "session policy",
        Layer::Scp => "SCP",
        Layer::Rcp => "RCP",
    }
}

/// Something a statement's match depends on.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum UnknownView {
    Condition {
        operator: String,
        key: String,
        values: Vec<String>,
        location: Location,
    },
    Element {
        element: &'static str,
        expr: String,
        location: Location,
    },
    Statement {
        expr: String,
        location: Location,
    },
}

impl UnknownView {
    pub fn new(sources: &SourceMap, u: &Unknown) -> Self {
        match u {
            Unknown::Condition {
                operator,
                key,
                values,
                origin,
            } => UnknownView::Condition {
                operator: operator.clone(),
                key: key.clone(),
                values: values.clone(),
                location: locate(sources, origin),
            },
            Unknown::Element {
                element,
                expr,
                origin,
            } => UnknownView::Element {
                element,
                expr: expr.clone(),
                location: locate(sources, origin),
            },
            Unknown::Statement { expr, origin } => UnknownView::Statement {
                expr: expr.clone(),
                location: locate(sources, origin),
            },
        }
    }
}

/// One line saying what a match depends on.
pub fn unknown_line(sources: &SourceMap, u: &Unknown) -> String {
    match u {
        Unknown::Condition {
            operator,
            key,
            values,
            origin,
        } => format!(
            "{}  {operator} {key} {}",
            place(sources, origin),
            serde_json::to_string(values).unwrap_or_default()
        ),
        Unknown::Element {
            element,
            expr,
            origin,
        } => format!(
            "{}  {element} unknown offline: {expr}",
            place(sources, origin)
        ),
        Unknown::Statement { expr, origin } => format!(
            "{}  statement unknown offline: {expr}",
            place(sources, origin)
        ),
    }
}
