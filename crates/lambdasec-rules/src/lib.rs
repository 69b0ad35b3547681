//! lambdasec's posture rules.
//!
//! A rule is one file under `rules/<area>/`, declared with [`declare_rule!`]: its doc comment is
//! its published documentation, its check a pure function of the [`Context`] (the inventory, its
//! index and the configuration) that adds [`Finding`]s blaming model values. The [`registry`]
//! lists every rule; [`run`] applies the selected ones to an inventory.

pub mod assessment;
pub mod compliance;
mod context;
mod date;
pub mod docs;
mod engine;
mod facts;
mod finding;
mod public_policy;
pub mod registry;
mod rule;
pub mod rules;
mod severity;

pub use assessment::NotAssessedFor;
pub use context::{AWS_LAYER_PUBLISHERS, Context, RuleConfig};
pub use date::{BadDate, Date};
pub use engine::{Outcome, Selection, Suppress, Suppressed, glob_match, run, sort_findings};
pub use facts::Invocation;
pub use finding::{Applicability, Edit, Finding, Findings, Fix, Related, ResourceRef};
pub use rule::{Input, Rule, RuleMeta};
pub use rules::rt::lifecycle::{Lifecycle, RuntimeLifecycle, runtime_lifecycle};
pub use severity::{Severity, UnknownSeverity};
