//! AVL — availability and failure handling.

mod no_dead_letter_queue;
mod no_failure_destination;
mod no_reserved_concurrency;
mod recursive_loop_allowed;
mod unused_function;

pub use no_dead_letter_queue::NoDeadLetterQueue;
pub use no_failure_destination::NoFailureDestination;
pub use no_reserved_concurrency::NoReservedConcurrency;
pub use recursive_loop_allowed::RecursiveLoopAllowed;
pub use unused_function::UnusedFunction;
