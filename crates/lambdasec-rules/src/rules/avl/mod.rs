//! AVL — availability and failure handling.

mod no_dead_letter_queue;
mod no_reserved_concurrency;

pub use no_dead_letter_queue::NoDeadLetterQueue;
pub use no_reserved_concurrency::NoReservedConcurrency;
