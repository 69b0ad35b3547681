//! IAM wildcard matching: `*` matches any run of characters (including none, and including `:`
//! and `/`), `?` matches exactly one character. Nothing else is special: unlike shell globs,
//! `[`, `]`, `{` and `}` are literal.
//!
//! AWS: "You can use wildcard characters (`*` and `?`) within any ARN segment" and "the `*`
//! wildcard ... can match characters across segments" —
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html>.
//! Actions are matched case-insensitively —
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html>.

/// Whether `text` matches `pattern` (case-sensitive).
pub fn matches(pattern: &str, text: &str) -> bool {
    glob(pattern.as_bytes(), text.as_bytes(), false)
}

/// Whether `text` matches `pattern`, ignoring ASCII case (action names, service prefixes).
pub fn matches_ignore_case(pattern: &str, text: &str) -> bool {
    glob(pattern.as_bytes(), text.as_bytes(), true)
}

/// Whether `s` has a wildcard character.
pub fn has_wildcard(s: &str) -> bool {
    s.bytes().any(|b| b == b'*' || b == b'?')
}

/// Iterative glob with single backtracking point: linear in practice, O(n·m) worst case, no
/// recursion (safe on hostile input). `?` consumes one UTF-8 character, not one byte.
fn glob(p: &[u8], t: &[u8], fold: bool) -> bool {
    let eq = |a: u8, b: u8| {
        if fold {
            a.eq_ignore_ascii_case(&b)
        } else {
            a == b
        }
    };
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some(b'*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(b'?') => {
                pi += 1;
                ti += utf8_len(t.get(ti).copied().unwrap_or(0));
            }
            Some(&c) if t.get(ti).is_some_and(|&x| eq(c, x)) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    let next = st + utf8_len(t.get(st).copied().unwrap_or(0));
                    star = Some((sp, next));
                    ti = next;
                }
                None => return false,
            },
        }
    }
    p.get(pi..)
        .is_some_and(|rest| rest.iter().all(|&c| c == b'*'))
}

/// Whether some text matches both patterns (`arn:aws:s3:::b*` and `arn:aws:s3:::*/*` overlap;
/// `arn:aws:s3:::bucket` and `*/*` do not), ignoring ASCII case. Non-ASCII patterns, and
/// patterns too long to compare cheaply, are taken to overlap.
pub fn overlaps(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if !a.is_ascii() || !b.is_ascii() || a.len().saturating_mul(b.len()) > 1 << 20 {
        return true;
    }
    // row[j]: a[i..] and b[j..] have a common match; `next` is the row of i + 1.
    let m = b.len();
    let mut next = vec![false; m + 1];
    let mut row = vec![false; m + 1];
    for i in (0..=a.len()).rev() {
        for j in (0..=m).rev() {
            let at = |r: &[bool], k: usize| r.get(k).copied().unwrap_or(false);
            let v = match (a.get(i), b.get(j)) {
                (None, None) => true,
                (Some(b'*'), _) => at(&next, j) || (j < m && at(&row, j + 1)),
                (_, Some(b'*')) => at(&row, j + 1) || (i < a.len() && at(&next, j)),
                (Some(&x), Some(&y)) => {
                    (x == b'?' || y == b'?' || x.eq_ignore_ascii_case(&y)) && at(&next, j + 1)
                }
                _ => false,
            };
            if let Some(slot) = row.get_mut(j) {
                *slot = v;
            }
        }
        std::mem::swap(&mut next, &mut row);
    }
    next.first().copied().unwrap_or(false)
}

/// Length of the UTF-8 sequence starting with byte `b` (1 for continuation bytes, so a
/// malformed sequence still advances).
fn utf8_len(b: u8) -> usize {
    match b {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stars_and_question_marks() {
        assert!(matches("*", ""));
        assert!(matches("*", "anything:at/all"));
        assert!(matches(
            "arn:aws:s3:::bucket/*",
            "arn:aws:s3:::bucket/a/b.txt"
        ));
        assert!(!matches("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket"));
        assert!(matches("a?c", "abc"));
        assert!(!matches("a?c", "ac"));
        assert!(matches("a*b*c", "aXXbYYc"));
        assert!(!matches("a*b*c", "aXXbYY"));
        assert!(matches("*a*", "bab"));
        assert!(matches("a**", "a"));
        assert!(matches("é?", "éü"));
        assert!(matches("?", "ü"));
    }

    #[test]
    fn brackets_are_literal() {
        assert!(matches("a[b]c", "a[b]c"));
        assert!(!matches("a[b]c", "abc"));
        assert!(matches("{x}", "{x}"));
    }

    #[test]
    fn case() {
        assert!(!matches("S3:GetObject", "s3:getobject"));
        assert!(matches_ignore_case("S3:Get*", "s3:getobject"));
        assert!(matches_ignore_case("iam:*", "IAM:PassRole"));
        assert!(has_wildcard("s3:Get*"));
        assert!(!has_wildcard("s3:GetObject"));
    }

    #[test]
    fn overlapping_patterns() {
        assert!(overlaps("arn:aws:s3:::bucket/*", "arn:*:s3:::*/*"));
        assert!(overlaps("arn:aws:s3:::b*", "arn:*:s3:::*/*"));
        assert!(!overlaps("arn:aws:s3:::bucket", "arn:*:s3:::*/*"));
        assert!(overlaps("bucket", "*"));
        assert!(overlaps("", "*"));
        assert!(!overlaps("", "?"));
        assert!(overlaps("a?c", "*b*"));
        assert!(overlaps("a?c", "*d*"));
        assert!(!overlaps("abc", "*d*"));
        assert!(overlaps(
            "log-group:/aws/lambda/f:*",
            "log-group:*:log-stream:*"
        ));
        assert!(!overlaps("table/t", "table/*/stream/*"));
        assert!(overlaps("TABLE/t", "table/*"));
        assert!(overlaps("*x", "y*"));
        assert!(!overlaps("ab", "abc"));
        assert!(overlaps("é", "x"));
        let long = "a*".repeat(2000);
        assert!(overlaps(&long, &long));
    }

    #[test]
    fn pathological_input_is_fast_enough() {
        let p = "*a*a*a*a*a*a*a*a*b";
        let t = "a".repeat(2000);
        assert!(!matches(p, &t));
    }
}
