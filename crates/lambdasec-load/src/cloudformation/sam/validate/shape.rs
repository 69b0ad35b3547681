//! The shapes a written value can have, and which of them a property accepts.

use crate::cloudformation::intrinsics::intrinsic;
use lambdasec_model::{Node, NodeKind};

/// True when the node calls an intrinsic function (`Ref`, `Fn::*`, or a `Condition` reference).
pub(crate) fn is_intrinsic(n: &Node) -> bool {
    // `Transform` (an `AWS::Include` macro) is replaced by CloudFormation before SAM runs.
    intrinsic(n).is_some()
        || matches!(n.as_map(), Some([e]) if e.key == "Condition" || e.key == "Transform")
}

/// A set of accepted shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Shape(u8);

const STR: u8 = 1;
const NUM: u8 = 2;
const BOOL: u8 = 4;
const MAP: u8 = 8;
const LIST: u8 = 16;
/// Intrinsic functions are not accepted: SAM needs the written value.
const LITERAL: u8 = 64;

impl Shape {
    pub(crate) const STR: Shape = Shape(STR);
    pub(crate) const INT: Shape = Shape(NUM);
    pub(crate) const BOOL: Shape = Shape(BOOL);
    pub(crate) const MAP: Shape = Shape(MAP);
    pub(crate) const LIST: Shape = Shape(LIST);
    pub(crate) const STR_OR_MAP: Shape = Shape(STR | MAP);
    pub(crate) const STR_OR_LIST: Shape = Shape(STR | LIST);
    pub(crate) const BOOL_OR_MAP: Shape = Shape(BOOL | MAP);
    pub(crate) const MAP_OR_LIST: Shape = Shape(MAP | LIST);
    pub(crate) const POLICIES: Shape = Shape(STR | MAP | LIST);
    pub(crate) const ANY: Shape = Shape(STR | NUM | BOOL | MAP | LIST);

    /// The same shapes, without intrinsic functions.
    pub(crate) const fn literal(self) -> Shape {
        Shape(self.0 | LITERAL)
    }

    /// True when `n` has one of these shapes (null counts as absent, so it is accepted).
    pub(crate) fn accepts(self, n: &Node) -> bool {
        let bits = self.0;
        if is_intrinsic(n) {
            return bits & LITERAL == 0;
        }
        match &n.kind {
            NodeKind::Null => true,
            NodeKind::String(s) => {
                bits & STR != 0
                    || (bits & BOOL != 0
                        && (s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false")))
                    || (bits & NUM != 0 && s.trim().parse::<f64>().is_ok())
            }
            NodeKind::Number(_) => bits & NUM != 0,
            NodeKind::Bool(_) => bits & BOOL != 0,
            NodeKind::Map(_) => bits & MAP != 0,
            NodeKind::List(_) => bits & LIST != 0,
            NodeKind::Unresolved(_) => bits & LITERAL == 0,
        }
    }

    /// "should be a string", "should be a map or a list", "cannot be an intrinsic function".
    pub(crate) fn describe(self, n: &Node) -> String {
        if is_intrinsic(n) {
            return "must be written as a value: SAM does not accept an intrinsic function here"
                .to_owned();
        }
        let mut names = Vec::new();
        for (bit, name) in [
            (STR, "a string"),
            (NUM, "a number"),
            (BOOL, "a boolean"),
            (MAP, "a map"),
            (LIST, "a list"),
        ] {
            if self.0 & bit != 0 {
                names.push(name);
            }
        }
        let found = match &n.kind {
            NodeKind::String(_) => "a string",
            NodeKind::Number(_) => "a number",
            NodeKind::Bool(_) => "a boolean",
            NodeKind::Map(_) => "a map",
            NodeKind::List(_) => "a list",
            NodeKind::Null => "empty",
            NodeKind::Unresolved(_) => "an expression",
        };
        format!("should be {}, not {found}", names.join(" or "))
    }
}

/// The entries of a written map (not an intrinsic function).
pub(crate) fn entries(n: &Node) -> Option<&[lambdasec_model::Entry]> {
    if is_intrinsic(n) { None } else { n.as_map() }
}

/// True when a value is written and not null.
pub(crate) fn present(n: Option<&Node>) -> bool {
    n.is_some_and(|n| !matches!(n.kind, NodeKind::Null))
}

#[cfg(test)]
mod tests {
    use super::*;
    use lambdasec_model::{Entry, Origin};

    fn n(kind: NodeKind) -> Node {
        Node::new(kind, Origin::Unknown)
    }

    fn call(key: &str) -> Node {
        n(NodeKind::Map(vec![Entry {
            key: key.into(),
            key_origin: Origin::Unknown,
            value: n(NodeKind::String("X".into())),
        }]))
    }

    #[test]
    fn shapes_accept_and_describe() {
        let s = n(NodeKind::String("x".into()));
        let num = n(NodeKind::Number("3".into()));
        let list = n(NodeKind::List(Vec::new()));
        assert!(Shape::STR.accepts(&s));
        assert!(!Shape::STR.accepts(&num));
        assert!(Shape::INT.accepts(&num));
        assert!(Shape::STR.accepts(&call("Ref")));
        assert!(Shape::STR.accepts(&call("Fn::Sub")));
        assert!(!Shape::BOOL.literal().accepts(&call("Fn::If")));
        assert!(Shape::BOOL.accepts(&n(NodeKind::String("True".into()))));
        assert!(!Shape::BOOL.accepts(&s));
        assert!(Shape::MAP.accepts(&n(NodeKind::Null)));
        assert!(!Shape::MAP.accepts(&list));
        assert_eq!(
            Shape::STR_OR_MAP.describe(&list),
            "should be a string or a map, not a list"
        );
        assert!(
            Shape::INT
                .literal()
                .describe(&call("Ref"))
                .contains("intrinsic")
        );
        // A map with two keys is not a function call.
        let two = n(NodeKind::Map(vec![
            Entry {
                key: "Ref".into(),
                key_origin: Origin::Unknown,
                value: s.clone(),
            },
            Entry {
                key: "B".into(),
                key_origin: Origin::Unknown,
                value: s,
            },
        ]));
        assert!(!is_intrinsic(&two));
    }
}
