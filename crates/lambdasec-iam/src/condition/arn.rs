//! ARN operators: `ArnEquals` / `ArnLike` (identical: each of the six colon-delimited parts is
//! compared case-sensitively, with `*` and `?` wildcards within the part) and `ArnNotEquals` /
//! `ArnNotLike` —
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN>.

use crate::wildcard;

pub(super) fn matches(policy: &str, ctx: &str) -> bool {
    let p: Vec<&str> = policy.splitn(6, ':').collect();
    let c: Vec<&str> = ctx.splitn(6, ':').collect();
    p.len() == 6 && c.len() == 6 && p.iter().zip(&c).all(|(p, c)| wildcard::matches(p, c))
}

#[cfg(test)]
mod tests {
    use super::super::tests::eval;
    use super::matches;
    use crate::context::Context;
    use crate::tri::Tri::*;

    #[test]
    fn parts_are_compared_separately() {
        assert!(matches("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/key"));
        // `*` does not cross a part boundary before the resource part.
        assert!(!matches(
            "arn:aws:sns:*:123456789012",
            "arn:aws:sns:us-east-1:123456789012:topic"
        ));
        assert!(matches(
            "arn:aws:sns:*:123456789012:*",
            "arn:aws:sns:us-east-1:123456789012:topic"
        ));
        assert!(!matches("*", "arn:aws:s3:::b"));
        assert!(!matches("arn:aws:s3:::B", "arn:aws:s3:::b"));
    }

    #[test]
    fn operators() {
        let c = Context::new().with(
            "aws:SourceArn",
            "arn:aws:execute-api:us-east-1:123456789012:api1/prod/GET/x",
        );
        let k = "aws:SourceArn";
        assert_eq!(
            eval(
                "ArnLike",
                k,
                &["arn:aws:execute-api:*:123456789012:api1/*"],
                &c
            ),
            Yes
        );
        assert_eq!(
            eval(
                "ArnEquals",
                k,
                &["arn:aws:execute-api:*:123456789012:api1/*"],
                &c
            ),
            Yes
        );
        assert_eq!(
            eval(
                "ArnNotLike",
                k,
                &["arn:aws:execute-api:*:111111111111:*"],
                &c
            ),
            Yes
        );
        assert_eq!(
            eval(
                "ArnNotEquals",
                k,
                &["arn:aws:execute-api:*:123456789012:*"],
                &c
            ),
            No
        );
    }
}
