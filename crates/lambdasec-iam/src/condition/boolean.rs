//! `Bool`: `true` / `false`, case-insensitive (`aws:SecureTransport`,
//! `aws:MultiFactorAuthPresent`) —
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Boolean>.

pub(super) fn matches(policy: &str, ctx: &str) -> bool {
    let norm = |s: &str| {
        let s = s.trim();
        if s.eq_ignore_ascii_case("true") {
            Some(true)
        } else if s.eq_ignore_ascii_case("false") {
            Some(false)
        } else {
            None
        }
    };
    matches!((norm(policy), norm(ctx)), (Some(a), Some(b)) if a == b)
}

#[cfg(test)]
mod tests {
    use super::super::tests::eval;
    use crate::context::Context;
    use crate::tri::Tri::*;

    #[test]
    fn bools() {
        let c = Context::new().with("aws:SecureTransport", "false");
        assert_eq!(eval("Bool", "aws:SecureTransport", &["false"], &c), Yes);
        assert_eq!(eval("Bool", "aws:SecureTransport", &["FALSE"], &c), Yes);
        assert_eq!(eval("Bool", "aws:SecureTransport", &["true"], &c), No);
        assert_eq!(eval("Bool", "aws:SecureTransport", &["yes"], &c), No);
        // Missing key: false, unless IfExists.
        let e = Context::new();
        assert_eq!(
            eval("Bool", "aws:MultiFactorAuthPresent", &["false"], &e),
            No
        );
        assert_eq!(
            eval("BoolIfExists", "aws:MultiFactorAuthPresent", &["false"], &e),
            Yes
        );
    }
}
