//! Numeric operators: `NumericEquals`, `NumericNotEquals`, `NumericLessThan[Equals]`,
//! `NumericGreaterThan[Equals]`; integers and decimals, no wildcards —
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Numeric>.
//! A value that is not a number matches nothing.

use super::Family;

pub(super) fn matches(family: Family, policy: &str, ctx: &str) -> bool {
    let (Some(p), Some(c)) = (parse(policy), parse(ctx)) else {
        return false;
    };
    match family {
        Family::NumericEquals => c == p,
        Family::NumericLessThan => c < p,
        Family::NumericLessThanEquals => c <= p,
        Family::NumericGreaterThan => c > p,
        Family::NumericGreaterThanEquals => c >= p,
        _ => false,
    }
}

fn parse(s: &str) -> Option<f64> {
    let v: f64 = s.trim().parse().ok()?;
    v.is_finite().then_some(v)
}

#[cfg(test)]
mod tests {
    use super::super::tests::eval;
    use crate::context::Context;
    use crate::tri::Tri::*;

    #[test]
    fn comparisons() {
        let c = Context::new().with("s3:max-keys", "10");
        assert_eq!(eval("NumericEquals", "s3:max-keys", &["10"], &c), Yes);
        assert_eq!(eval("NumericEquals", "s3:max-keys", &["10.0"], &c), Yes);
        assert_eq!(eval("NumericNotEquals", "s3:max-keys", &["10"], &c), No);
        assert_eq!(eval("NumericLessThan", "s3:max-keys", &["11"], &c), Yes);
        assert_eq!(eval("NumericLessThan", "s3:max-keys", &["10"], &c), No);
        assert_eq!(
            eval("NumericLessThanEquals", "s3:max-keys", &["10"], &c),
            Yes
        );
        assert_eq!(eval("NumericGreaterThan", "s3:max-keys", &["9.5"], &c), Yes);
        assert_eq!(
            eval("NumericGreaterThanEquals", "s3:max-keys", &["11"], &c),
            No
        );
    }

    #[test]
    fn non_numbers_match_nothing() {
        let c = Context::new().with("s3:max-keys", "ten");
        assert_eq!(eval("NumericEquals", "s3:max-keys", &["10"], &c), No);
        assert_eq!(eval("NumericNotEquals", "s3:max-keys", &["10"], &c), Yes);
        let d = Context::new().with("s3:max-keys", "10");
        assert_eq!(eval("NumericLessThan", "s3:max-keys", &["1*"], &d), No);
        assert_eq!(eval("NumericLessThan", "s3:max-keys", &["NaN"], &d), No);
    }
}
