//! A set of catalog actions as a bitset: statements' action patterns expand to sets once, and
//! capability analysis combines them with word-wide unions, intersections and differences.

use crate::catalog::ActionId;

/// A set of [`ActionId`]s of one catalog.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct ActionSet {
    words: Vec<u64>,
}

impl ActionSet {
    /// The empty set for a catalog of `len` actions.
    pub fn empty(len: usize) -> Self {
        ActionSet {
            words: vec![0; len.div_ceil(64)],
        }
    }

    /// Every action of a catalog of `len` actions.
    pub fn full(len: usize) -> Self {
        let mut s = ActionSet {
            words: vec![u64::MAX; len.div_ceil(64)],
        };
        let rem = len % 64;
        if rem != 0
            && let Some(last) = s.words.last_mut()
        {
            *last = (1u64 << rem) - 1;
        }
        s
    }

    pub fn insert(&mut self, id: ActionId) {
        let i = id.0 as usize;
        if let Some(w) = self.words.get_mut(i / 64) {
            *w |= 1 << (i % 64);
        }
    }

    pub fn contains(&self, id: ActionId) -> bool {
        let i = id.0 as usize;
        self.words
            .get(i / 64)
            .is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    pub fn union_with(&mut self, other: &ActionSet) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
    }

    pub fn intersect_with(&mut self, other: &ActionSet) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= b;
        }
    }

    pub fn subtract(&mut self, other: &ActionSet) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= !b;
        }
    }

    /// The complement within a catalog of `len` actions.
    pub fn complement(&self, len: usize) -> ActionSet {
        let mut full = ActionSet::full(len);
        full.subtract(self);
        full
    }

    pub fn is_empty(&self) -> bool {
        self.words.iter().all(|w| *w == 0)
    }

    pub fn len(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    pub fn is_superset(&self, other: &ActionSet) -> bool {
        self.words
            .iter()
            .zip(&other.words)
            .all(|(a, b)| a & b == *b)
    }

    pub fn intersects(&self, other: &ActionSet) -> bool {
        self.words.iter().zip(&other.words).any(|(a, b)| a & b != 0)
    }

    /// The members, in id order.
    pub fn iter(&self) -> impl Iterator<Item = ActionId> + '_ {
        self.words.iter().enumerate().flat_map(|(wi, &w)| {
            let mut w = w;
            std::iter::from_fn(move || {
                if w == 0 {
                    return None;
                }
                let bit = w.trailing_zeros();
                w &= w - 1;
                u32::try_from(wi * 64 + bit as usize).ok().map(ActionId)
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_algebra() {
        let mut a = ActionSet::empty(130);
        a.insert(ActionId(0));
        a.insert(ActionId(129));
        assert!(a.contains(ActionId(129)) && !a.contains(ActionId(1)));
        assert_eq!(a.len(), 2);
        let full = ActionSet::full(130);
        assert_eq!(full.len(), 130);
        let c = a.complement(130);
        assert_eq!(c.len(), 128);
        assert!(!c.intersects(&a));
        assert!(full.is_superset(&a));
        let mut u = c.clone();
        u.union_with(&a);
        assert_eq!(u, full);
        u.subtract(&a);
        assert_eq!(u, c);
        u.intersect_with(&a);
        assert!(u.is_empty());
        assert_eq!(a.iter().collect::<Vec<_>>(), [ActionId(0), ActionId(129)]);
        a.insert(ActionId(500)); // out of range: ignored
        assert_eq!(a.len(), 2);
    }
}
