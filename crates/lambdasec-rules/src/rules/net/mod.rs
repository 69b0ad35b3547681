//! NET — network: where functions run and how they are reached.

mod function_outside_vpc;
mod internet_exposed_function;
mod open_security_group;
mod vpc_single_az;

pub use function_outside_vpc::FunctionOutsideVpc;
pub use internet_exposed_function::InternetExposedFunction;
pub use open_security_group::OpenSecurityGroup;
pub use vpc_single_az::VpcSingleAz;
