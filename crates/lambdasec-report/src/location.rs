//! Turning an origin into a printable location.

use lambdasec_model::{Origin, SourceMap};
use serde::Serialize;

/// A resolved location: a file region (templates) or an ARN and API field (live).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Location {
    Source {
        file: String,
        line: u32,
        column: u32,
        end_line: u32,
        end_column: u32,
        path: String,
        /// The value is an AWS default (not written): the location is the resource or block
        /// that omits it.
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        implied: bool,
    },
    Live {
        arn: String,
        field: String,
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        implied: bool,
    },
    Unknown {},
}

impl Location {
    pub fn file(&self) -> Option<&str> {
        match self {
            Location::Source { file, .. } => Some(file),
            _ => None,
        }
    }
}

/// Resolve an origin with the source map.
pub fn locate(sources: &SourceMap, origin: &Origin) -> Location {
    let implied = origin.is_implied();
    match origin.anchor() {
        Origin::Source { file, span, path } => match sources.get(*file) {
            Some(f) => {
                let start = f.line_col(span.start);
                let end = f.line_col(span.end.max(span.start));
                Location::Source {
                    file: f.path.clone(),
                    line: start.line,
                    column: start.column,
                    end_line: end.line,
                    end_column: end.column,
                    path: path.clone(),
                    implied,
                }
            }
            None => Location::Unknown {},
        },
        Origin::Live { arn, field } => Location::Live {
            arn: arn.clone(),
            field: field.clone(),
            implied,
        },
        _ => Location::Unknown {},
    }
}
