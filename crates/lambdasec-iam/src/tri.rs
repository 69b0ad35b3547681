//! Three-valued logic for partial evaluation: a match is known true, known false, or depends
//! on something that is not known offline (a context key, an unresolved template value).

use serde::Serialize;

/// A truth value that may be unknown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tri {
    #[default]
    No,
    Maybe,
    Yes,
}

impl Tri {
    pub fn from_bool(b: bool) -> Tri {
        if b { Tri::Yes } else { Tri::No }
    }

    /// Kleene conjunction.
    pub fn and(self, other: Tri) -> Tri {
        self.min(other)
    }

    /// Kleene disjunction.
    pub fn or(self, other: Tri) -> Tri {
        self.max(other)
    }

    #[allow(
        clippy::should_implement_trait,
        reason = "a plain method reads better than `!tri`"
    )]
    pub fn not(self) -> Tri {
        match self {
            Tri::No => Tri::Yes,
            Tri::Maybe => Tri::Maybe,
            Tri::Yes => Tri::No,
        }
    }

    pub fn is_yes(self) -> bool {
        self == Tri::Yes
    }

    pub fn is_no(self) -> bool {
        self == Tri::No
    }

    /// Disjunction over an iterator, stopping at the first `Yes`.
    pub fn any<I: IntoIterator<Item = Tri>>(it: I) -> Tri {
        let mut acc = Tri::No;
        for t in it {
            acc = acc.or(t);
            if acc == Tri::Yes {
                break;
            }
        }
        acc
    }

    /// Conjunction over an iterator, stopping at the first `No`.
    pub fn all<I: IntoIterator<Item = Tri>>(it: I) -> Tri {
        let mut acc = Tri::Yes;
        for t in it {
            acc = acc.and(t);
            if acc == Tri::No {
                break;
            }
        }
        acc
    }
}

#[cfg(test)]
mod tests {
    use super::Tri::*;
    use super::*;

    #[test]
    fn kleene_tables() {
        assert_eq!(Yes.and(Maybe), Maybe);
        assert_eq!(No.and(Maybe), No);
        assert_eq!(Yes.or(Maybe), Yes);
        assert_eq!(No.or(Maybe), Maybe);
        assert_eq!(Maybe.not(), Maybe);
        assert_eq!(Tri::any([No, Maybe, No]), Maybe);
        assert_eq!(Tri::all([Yes, Maybe, No]), No);
        assert_eq!(Tri::all(std::iter::empty()), Yes);
        assert_eq!(Tri::any(std::iter::empty()), No);
    }
}
