//! Date operators: `DateEquals`, `DateNotEquals`, `DateLessThan[Equals]`,
//! `DateGreaterThan[Equals]` on ISO 8601 dates (`2026-01-01`, `2026-01-01T12:00:00Z`, with an
//! offset or fractional seconds) or epoch seconds —
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date>.
//! A value that is not a date matches nothing.

use super::Family;
use time::format_description::well_known::Iso8601;
use time::{Date, OffsetDateTime, PrimitiveDateTime};

pub(super) fn matches(family: Family, policy: &str, ctx: &str) -> bool {
    let (Some(p), Some(c)) = (parse(policy), parse(ctx)) else {
        return false;
    };
    match family {
        Family::DateEquals => c == p,
        Family::DateLessThan => c < p,
        Family::DateLessThanEquals => c <= p,
        Family::DateGreaterThan => c > p,
        Family::DateGreaterThanEquals => c >= p,
        _ => false,
    }
}

/// Nanoseconds since the Unix epoch.
pub(crate) fn parse(s: &str) -> Option<i128> {
    let s = s.trim();
    if let Ok(secs) = s.parse::<i64>() {
        return Some(i128::from(secs) * 1_000_000_000);
    }
    if let Ok(t) = OffsetDateTime::parse(s, &Iso8601::DEFAULT) {
        return Some(t.unix_timestamp_nanos());
    }
    if let Ok(t) = PrimitiveDateTime::parse(s, &Iso8601::DEFAULT) {
        return Some(t.assume_utc().unix_timestamp_nanos());
    }
    if let Ok(d) = Date::parse(s, &Iso8601::DEFAULT) {
        return Some(d.midnight().assume_utc().unix_timestamp_nanos());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::tests::eval;
    use super::parse;
    use crate::context::Context;
    use crate::tri::Tri::*;

    #[test]
    fn formats() {
        assert_eq!(parse("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse("1970-01-01"), Some(0));
        assert_eq!(parse("60"), Some(60_000_000_000));
        assert_eq!(parse("1970-01-01T01:00:00+01:00"), Some(0));
        assert_eq!(parse("1970-01-01T00:00:01"), Some(1_000_000_000));
        assert_eq!(parse("1970-01-01T00:00:00.5Z"), Some(500_000_000));
        assert_eq!(parse("yesterday"), None);
    }

    #[test]
    fn comparisons() {
        let c = Context::new().with("aws:CurrentTime", "2026-06-15T12:00:00Z");
        let k = "aws:CurrentTime";
        assert_eq!(eval("DateLessThan", k, &["2027-01-01T00:00:00Z"], &c), Yes);
        assert_eq!(
            eval("DateGreaterThan", k, &["2026-06-15T12:00:00Z"], &c),
            No
        );
        assert_eq!(
            eval("DateGreaterThanEquals", k, &["2026-06-15T12:00:00Z"], &c),
            Yes
        );
        assert_eq!(eval("DateLessThanEquals", k, &["2026-06-15"], &c), No);
        assert_eq!(
            eval("DateEquals", k, &["2026-06-15T14:00:00+02:00"], &c),
            Yes
        );
        assert_eq!(
            eval("DateNotEquals", k, &["2026-06-15T14:00:00+02:00"], &c),
            No
        );
        // epoch seconds in the policy
        assert_eq!(eval("DateGreaterThan", k, &["1700000000"], &c), Yes);
        assert_eq!(eval("DateLessThan", k, &["not-a-date"], &c), No);
    }
}
