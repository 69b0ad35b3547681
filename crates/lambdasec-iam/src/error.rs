//! Typed errors, each with the location of the offending value.

use lambdasec_model::Origin;
use thiserror::Error;

/// A policy that does not follow the IAM policy grammar.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{kind}")]
pub struct ParseError {
    pub kind: ParseErrorKind,
    /// Where: the offending node (or the statement / document missing something).
    pub origin: Origin,
}

impl ParseError {
    pub(crate) fn new(kind: ParseErrorKind, origin: &Origin) -> Self {
        ParseError {
            kind,
            origin: origin.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ParseErrorKind {
    #[error("a policy document must be an object")]
    NotAnObject,
    #[error("the policy has no `Statement`")]
    MissingStatement,
    #[error("`Statement` must be an object or an array of objects")]
    BadStatement,
    #[error("unknown element `{0}` in a statement")]
    UnknownStatementElement(String),
    #[error("unknown element `{0}` in a policy")]
    UnknownPolicyElement(String),
    #[error("`{0}` appears more than once")]
    DuplicateElement(String),
    #[error("the statement has no `Effect`")]
    MissingEffect,
    #[error("`Effect` must be `Allow` or `Deny`, not `{0}`")]
    BadEffect(String),
    #[error("the statement has neither `Action` nor `NotAction`")]
    MissingAction,
    #[error("the statement has both `{0}` and `Not{0}`")]
    BothElements(&'static str),
    #[error("`{0}` must be a string or an array of strings")]
    NotStrings(&'static str),
    #[error("`{0}` must not be empty")]
    Empty(&'static str),
    #[error("`{0}` is not an action (`service:action` or `*`)")]
    BadAction(String),
    #[error("`Version` must be `2012-10-17` or `2008-10-17`, not `{0}`")]
    BadVersion(String),
    #[error("`{0}` must be `*` or an object of principal types")]
    BadPrincipal(&'static str),
    #[error("unknown principal type `{0}`")]
    UnknownPrincipalType(String),
    #[error("`Condition` must be an object of operators")]
    BadConditionBlock,
    #[error("unknown condition operator `{0}`")]
    UnknownOperator(String),
    #[error("the condition operator `{0}` must map condition keys to values")]
    BadConditionOperator(String),
    #[error("condition values of `{0}` must be strings, numbers, booleans or arrays of them")]
    BadConditionValue(String),
    #[error("`{0}` must be a string")]
    NotAString(&'static str),
}

/// JSON text that could not be read.
#[derive(Debug, Error)]
#[error("invalid JSON at line {line}, column {column}: {message}")]
pub struct JsonError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl From<serde_json::Error> for JsonError {
    fn from(e: serde_json::Error) -> Self {
        JsonError {
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        }
    }
}

/// An error reading a policy from JSON text: the text, or the grammar.
#[derive(Debug, Error)]
pub enum PolicyTextError {
    #[error(transparent)]
    Json(#[from] JsonError),
    #[error(transparent)]
    Policy(#[from] ParseError),
}
