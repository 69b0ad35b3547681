//! Progress of a collection, reported to whoever drives it (the CLI draws a progress bar on a
//! terminal). Calls come from many tasks at once: implementations must be cheap and thread-safe.

use crate::actions::Action;
use crate::scope::Failure;

/// Receives collection events. Every method has a default that ignores the event.
pub trait Progress: Send + Sync + std::fmt::Debug {
    /// A unit of work started: an account (`region` is `None`) or one of its regions.
    fn started(&self, account: &str, region: Option<&str>) {
        let _ = (account, region);
    }

    /// A unit of work finished.
    fn finished(&self, account: &str, region: Option<&str>) {
        let _ = (account, region);
    }

    /// One call (or one paginated listing) returned.
    fn call_done(&self, action: Action) {
        let _ = action;
    }

    /// A call failed and its data is marked not assessed.
    fn not_assessed(&self, action: Action, failure: &Failure) {
        let _ = (action, failure);
    }
}

/// Ignores all events.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {}
