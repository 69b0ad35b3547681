//! GOV — governance.

mod missing_required_tags;

pub use missing_required_tags::MissingRequiredTags;
