//! String operators: `StringEquals` (case-sensitive, exact), `StringEqualsIgnoreCase`,
//! `StringLike` (case-sensitive, `*` and `?` wildcards) and their `Not` forms —
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String>.

use super::Family;
use crate::wildcard;

pub(super) fn matches(family: Family, policy: &str, ctx: &str) -> bool {
    match family {
        Family::StringEquals => policy == ctx,
        Family::StringEqualsIgnoreCase => {
            policy.eq_ignore_ascii_case(ctx)
                || (!policy.is_ascii() && policy.to_lowercase() == ctx.to_lowercase())
        }
        Family::StringLike => wildcard::matches(policy, ctx),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::eval;
    use crate::context::Context;
    use crate::tri::Tri::*;

    #[test]
    fn equals_is_exact_and_case_sensitive() {
        let c = Context::new().with("aws:PrincipalTag/team", "Red");
        assert_eq!(
            eval("StringEquals", "aws:PrincipalTag/team", &["Red"], &c),
            Yes
        );
        assert_eq!(
            eval("StringEquals", "aws:PrincipalTag/team", &["red"], &c),
            No
        );
        assert_eq!(
            eval("StringEquals", "aws:PrincipalTag/team", &["R*"], &c),
            No
        );
        assert_eq!(
            eval("StringNotEquals", "aws:PrincipalTag/team", &["red"], &c),
            Yes
        );
    }

    #[test]
    fn ignore_case() {
        let c = Context::new().with("aws:x", "ÉTÉ-Red");
        assert_eq!(
            eval("StringEqualsIgnoreCase", "aws:x", &["été-red"], &c),
            Yes
        );
        assert_eq!(
            eval("StringNotEqualsIgnoreCase", "aws:x", &["été-red"], &c),
            No
        );
        assert_eq!(
            eval("StringEqualsIgnoreCase", "aws:x", &["ete-red"], &c),
            No
        );
    }

    #[test]
    fn like_uses_wildcards() {
        let c = Context::new().with("s3:prefix", "home/alice/docs");
        assert_eq!(eval("StringLike", "s3:prefix", &["home/*"], &c), Yes);
        assert_eq!(
            eval("StringLike", "s3:prefix", &["home/alic?/docs"], &c),
            Yes
        );
        assert_eq!(eval("StringLike", "s3:prefix", &["HOME/*"], &c), No);
        assert_eq!(eval("StringNotLike", "s3:prefix", &["home/*"], &c), No);
        assert_eq!(eval("StringNotLike", "s3:prefix", &["tmp/*"], &c), Yes);
    }
}
