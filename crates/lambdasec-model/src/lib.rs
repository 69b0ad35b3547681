//! The normalized model of lambdasec: every Lambda-related resource, from any input kind, as
//! typed data with provenance on every value. Plain data and serde; no I/O.
//!
//! Loaders fill an [`Inventory`]; rules read it through an [`Index`] and blame [`Value`]s, whose
//! [`Origin`] becomes the location of a finding.

mod assessment;
mod events;
mod iam;
mod infra;
mod inventory;
mod lambda;
mod node;
mod origin;
mod package;
mod resource;
mod source;
mod target;

pub use assessment::*;
pub use events::*;
pub use iam::*;
pub use infra::*;
pub use inventory::*;
pub use lambda::*;
pub use node::*;
pub use origin::*;
pub use package::*;
pub use resource::*;
pub use source::*;
pub use target::*;
