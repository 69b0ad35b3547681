//! The rules, one file each, grouped by area (CONTROLS.md).

pub mod avl;
pub mod enc;
pub mod evt;
pub mod gov;
pub mod iam;
pub mod net;
pub mod obs;
pub mod rbp;
mod region;
pub mod rt;
pub mod sec;
pub mod sup;
pub mod url;
