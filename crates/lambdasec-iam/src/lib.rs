//! The IAM policy language for lambdasec: parsing with locations, evaluation as AWS does it,
//! the action catalog, and capability analysis of principals. A pure library: no I/O besides
//! its embedded data (the action catalog and AWS managed policies, decompressed on first use).
//!
//! # Parsing
//! [`parse_policy`] turns a [`lambdasec_model::Node`] document (from a template, a plan or an
//! API response) into a typed [`Policy`]; every statement and value keeps its [`Origin`], and
//! malformed documents give a [`ParseError`] with the location. Template values that cannot be
//! known offline (`NodeKind::Unresolved`) become [`Item::Unknown`] values or opaque statements:
//! evaluation never treats them as a match that grants, nor as a deny without saying so.
//! [`parse_policy_json`] reads JSON text (live data, tests).
//!
//! # Evaluation
//! [`evaluate`] answers a [`Request`] against a [`PolicySet`] (identity, resource, boundary,
//! session, SCP and RCP layers) following AWS's documented logic, with the deciding
//! statements; a partial [`Context`] yields [`Decision::Depends`] with the residual conditions.
//!
//! # Capabilities
//! Build an [`Identity`] from documents, AWS managed policy ARNs and a boundary (or
//! [`Identity::from_role`] for a role of an inventory), then [`analyze`] it: admin equivalence
//! (including through `NotAction`), privilege-escalation paths, data exfiltration, credentials
//! exposure, resource exposure and infrastructure modification, each naming its statements.
//! [`read_authorization_details`] loads `aws iam get-account-authorization-details` output and
//! analyses every principal in parallel. [`check_policy`] lints a policy.
//!
//! ```
//! use lambdasec_iam::*;
//! use lambdasec_model::Origin;
//!
//! let inline = parse_policy_json(
//!     r#"{"Version":"2012-10-17","Statement":[
//!         {"Sid":"Deploy","Effect":"Allow","Action":["iam:PassRole","lambda:CreateFunction","lambda:InvokeFunction"],"Resource":"*"},
//!         {"Sid":"Secrets","Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*"}]}"#,
//!     &Origin::Unknown,
//! )
//! .unwrap()
//! .with_name("inline");
//! let role = Identity::new("exec")
//!     .with_arn("arn:aws:iam::111122223333:role/exec")
//!     .with_policy(inline)
//!     .with_managed("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", &Origin::Unknown);
//!
//! let caps = analyze(&role);
//! assert!(caps.admin.is_none());
//! assert!(caps.escalations.iter().any(|e| e.method == "PassExistingRoleToNewLambdaThenInvoke"));
//! assert!(caps.can("logs:PutLogEvents"));                      // from the managed policy
//! assert!(caps.can_unrestricted("secretsmanager:GetSecretValue")); // on `*`
//! let exfil = caps.data_exfiltration.as_ref().unwrap();
//! assert_eq!(exfil.statements[0].sid.as_deref(), Some("Secrets"));
//!
//! // One request, with an unknown context: the answer says what it depends on.
//! let r = role.evaluate("lambda:CreateFunction", "arn:aws:lambda:us-east-1:111122223333:function:f", Context::new());
//! assert_eq!(r.decision, Decision::Allow);
//! ```

mod actionset;
mod authz;
mod capability;
mod catalog;
mod check;
pub mod condition;
mod context;
mod effective;
mod error;
mod evaluate;
mod identity;
mod json;
mod managed;
mod matching;
mod parse;
mod policy;
mod request;
mod serialize;
mod tri;
mod variables;
pub mod wildcard;

pub use actionset::*;
pub use authz::*;
pub use capability::*;
pub use catalog::*;
pub use check::*;
pub use context::*;
pub use effective::*;
pub use error::*;
pub use evaluate::*;
pub use identity::*;
pub use json::*;
pub use managed::*;
pub use matching::{PrincipalMatch, StatementMatch, Unknown};
pub use parse::*;
pub use policy::*;
pub use request::*;
pub use serialize::*;
pub use tri::*;
pub use variables::*;
