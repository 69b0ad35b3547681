//! `Null`: whether a key is absent (`"true"`) or present (`"false"`) in the request —
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Null>.
//! A multivalued key with no values counts as absent.

use crate::context::Lookup;
use crate::policy::Item;
use crate::tri::Tri;

pub(super) fn evaluate(values: &[Item], lookup: Lookup<'_>) -> Tri {
    let absent = match lookup {
        Lookup::Unknown => return Tri::Maybe,
        Lookup::Absent => true,
        Lookup::Values { values, .. } => values.is_empty(),
    };
    Tri::any(values.iter().map(|v| match v.text() {
        Some(t) if t.trim().eq_ignore_ascii_case("true") => Tri::from_bool(absent),
        Some(t) if t.trim().eq_ignore_ascii_case("false") => Tri::from_bool(!absent),
        Some(_) => Tri::No,
        None => Tri::Maybe,
    }))
}

#[cfg(test)]
mod tests {
    use super::super::tests::eval;
    use crate::context::Context;
    use crate::tri::Tri::*;

    #[test]
    fn presence() {
        let c = Context::new().with("aws:TokenIssueTime", "2026-01-01T00:00:00Z");
        assert_eq!(eval("Null", "aws:TokenIssueTime", &["false"], &c), Yes);
        assert_eq!(eval("Null", "aws:TokenIssueTime", &["true"], &c), No);
        assert_eq!(eval("Null", "aws:MultiFactorAuthAge", &["true"], &c), Yes);
        assert_eq!(eval("Null", "aws:MultiFactorAuthAge", &["false"], &c), No);
        let e = Context::new().with_multi("aws:TagKeys", Vec::<String>::new());
        assert_eq!(eval("Null", "aws:TagKeys", &["true"], &e), Yes);
        assert_eq!(eval("Null", "aws:x", &["maybe"], &c), No);
    }
}
