//! tmp
pub mod condition;
mod context;
mod error;
mod evaluate;
mod json;
mod matching;
mod parse;
mod policy;
mod request;
mod tri;
mod variables;
pub mod wildcard;

pub use context::*;
pub use error::*;
pub use evaluate::*;
pub use json::*;
pub use matching::{PrincipalMatch, StatementMatch, Unknown};
pub use parse::*;
pub use policy::*;
pub use request::*;
pub use tri::*;
pub use variables::*;
