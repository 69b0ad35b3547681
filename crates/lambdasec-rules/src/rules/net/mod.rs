//! NET — network: where functions run and how they are reached.

mod function_outside_vpc;
mod internet_exposed_function;

pub use function_outside_vpc::FunctionOutsideVpc;
pub use internet_exposed_function::InternetExposedFunction;
