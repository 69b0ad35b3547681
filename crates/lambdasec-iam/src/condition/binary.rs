//! `BinaryEquals`: byte-for-byte comparison of base64-encoded values —
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_BinaryEquals>.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

pub(super) fn matches(policy: &str, ctx: &str) -> bool {
    match (STANDARD.decode(policy.trim()), STANDARD.decode(ctx.trim())) {
        (Ok(a), Ok(b)) => a == b,
        _ => policy == ctx,
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::eval;
    use crate::context::Context;
    use crate::tri::Tri::*;

    #[test]
    fn base64_bytes() {
        let c = Context::new().with("aws:x", "QmluYXJ5VmFsdWU=");
        assert_eq!(
            eval("BinaryEquals", "aws:x", &["QmluYXJ5VmFsdWU="], &c),
            Yes
        );
        assert_eq!(eval("BinaryEquals", "aws:x", &["QmluYXJ5VmFsdWF="], &c), No);
        assert_eq!(eval("BinaryEquals", "aws:y", &["QmluYXJ5VmFsdWU="], &c), No);
    }
}
