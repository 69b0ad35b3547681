//! Condition blocks: operators, their parsing, and their evaluation against a request context
//! —
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html>
//! and, for `ForAllValues` / `ForAnyValue`,
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html>.
//!
//! One module per operator family compares one policy value with one context value; this module
//! owns what is common: missing keys, `...IfExists`, negation, value lists (OR, NOR for negated
//! operators), set operators, policy variables, and unknown values (partial evaluation).

mod arn;
mod binary;
mod boolean;
mod date;
mod ip;
mod null;
mod numeric;
mod string;

use crate::context::{Context, Lookup};
use crate::error::{ParseError, ParseErrorKind};
use crate::policy::Item;
use crate::tri::Tri;
use crate::variables::{Substituted, substitute};
use lambdasec_model::{Node, NodeKind, Origin};
use serde::Serialize;

/// The comparison an operator makes, without its `Not`, `IfExists` and set qualifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Family {
    StringEquals,
    StringEqualsIgnoreCase,
    StringLike,
    NumericEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    ArnLike,
    Null,
}

/// `ForAllValues:` / `ForAnyValue:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum SetOperator {
    ForAllValues,
    ForAnyValue,
}

/// A parsed condition operator, e.g. `ForAnyValue:StringNotLikeIfExists`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Operator {
    pub family: Family,
    /// The negated form (`StringNotEquals`, `NotIpAddress`, `ArnNotLike`, ...).
    pub negated: bool,
    pub if_exists: bool,
    pub set: Option<SetOperator>,
    /// As written.
    pub text: String,
}

/// Base operator names: (name, family, negated).
const OPERATORS: &[(&str, Family, bool)] = &[
    ("StringEquals", Family::StringEquals, false),
    ("StringNotEquals", Family::StringEquals, true),
    (
        "StringEqualsIgnoreCase",
        Family::StringEqualsIgnoreCase,
        false,
    ),
    (
        "StringNotEqualsIgnoreCase",
        Family::StringEqualsIgnoreCase,
        true,
    ),
    ("StringLike", Family::StringLike, false),
    ("StringNotLike", Family::StringLike, true),
    ("NumericEquals", Family::NumericEquals, false),
    ("NumericNotEquals", Family::NumericEquals, true),
    ("NumericLessThan", Family::NumericLessThan, false),
    (
        "NumericLessThanEquals",
        Family::NumericLessThanEquals,
        false,
    ),
    ("NumericGreaterThan", Family::NumericGreaterThan, false),
    (
        "NumericGreaterThanEquals",
        Family::NumericGreaterThanEquals,
        false,
    ),
    ("DateEquals", Family::DateEquals, false),
    ("DateNotEquals", Family::DateEquals, true),
    ("DateLessThan", Family::DateLessThan, false),
    ("DateLessThanEquals", Family::DateLessThanEquals, false),
    ("DateGreaterThan", Family::DateGreaterThan, false),
    (
        "DateGreaterThanEquals",
        Family::DateGreaterThanEquals,
        false,
    ),
    ("Bool", Family::Bool, false),
    ("BinaryEquals", Family::BinaryEquals, false),
    ("IpAddress", Family::IpAddress, false),
    ("NotIpAddress", Family::IpAddress, true),
    ("ArnEquals", Family::ArnLike, false),
    ("ArnLike", Family::ArnLike, false),
    ("ArnNotEquals", Family::ArnLike, true),
    ("ArnNotLike", Family::ArnLike, true),
    ("Null", Family::Null, false),
];

impl Operator {
    /// Parse an operator name. Names are matched ignoring ASCII case (the policy checker
    /// reports non-canonical spellings).
    pub fn parse(text: &str) -> Option<Operator> {
        let (set, rest) = match text.split_once(':') {
            Some((q, rest)) if q.eq_ignore_ascii_case("ForAllValues") => {
                (Some(SetOperator::ForAllValues), rest)
            }
            Some((q, rest)) if q.eq_ignore_ascii_case("ForAnyValue") => {
                (Some(SetOperator::ForAnyValue), rest)
            }
            Some(_) => return None,
            None => (None, text),
        };
        let lower = rest.to_ascii_lowercase();
        let (base, if_exists) = match lower.strip_suffix("ifexists") {
            Some(b) => (b, true),
            None => (lower.as_str(), false),
        };
        let &(_, family, negated) = OPERATORS
            .iter()
            .find(|(name, _, _)| name.eq_ignore_ascii_case(base))?;
        // `NullIfExists` is meaningless: AWS rejects it.
        if family == Family::Null && (if_exists || set.is_some()) {
            return None;
        }
        Some(Operator {
            family,
            negated,
            if_exists,
            set,
            text: text.to_owned(),
        })
    }

    /// The canonical spelling of the base operator (for the policy checker): the operator as
    /// written, in AWS's case (`arnequals` → `ArnEquals`: `ArnEquals` and `ArnLike` are two
    /// names of one comparison, both canonical).
    pub fn canonical(&self) -> String {
        let written = self.text.rsplit(':').next().unwrap_or_default();
        let written = written
            .get(..written.len().saturating_sub("IfExists".len()))
            .filter(|_| self.if_exists)
            .unwrap_or(written);
        let same = |name: &&str| name.eq_ignore_ascii_case(written);
        let base = OPERATORS
            .iter()
            .filter(|(_, f, n)| *f == self.family && *n == self.negated)
            .find(|(name, _, _)| same(name))
            .or_else(|| {
                OPERATORS
                    .iter()
                    .find(|(_, f, n)| *f == self.family && *n == self.negated)
            })
            .map_or("", |(name, _, _)| name);
        let set = match self.set {
            Some(SetOperator::ForAllValues) => "ForAllValues:",
            Some(SetOperator::ForAnyValue) => "ForAnyValue:",
            None => "",
        };
        let exists = if self.if_exists { "IfExists" } else { "" };
        format!("{set}{base}{exists}")
    }

    /// Whether policy variables are substituted in this operator's values (string and ARN
    /// operators only).
    pub fn takes_variables(&self) -> bool {
        matches!(
            self.family,
            Family::StringEquals
                | Family::StringEqualsIgnoreCase
                | Family::StringLike
                | Family::ArnLike
        )
    }
}

/// One `Operator: { Key: values }` pair of a condition block.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Condition {
    pub operator: Operator,
    /// The condition key as written (`aws:SourceArn`).
    pub key: String,
    pub values: Vec<Item>,
    /// The operator's key in the block.
    pub operator_origin: Origin,
    /// The condition key's entry.
    pub origin: Origin,
}

impl Condition {
    /// The values as text (unknown values as their expression).
    pub fn value_texts(&self) -> Vec<&str> {
        self.values.iter().map(Item::display).collect()
    }
}

/// Parse a `Condition` element.
pub fn parse_block(node: &Node) -> Result<Vec<Condition>, ParseError> {
    let Some(ops) = node.as_map() else {
        return Err(ParseError::new(
            ParseErrorKind::BadConditionBlock,
            &node.origin,
        ));
    };
    let mut out = Vec::new();
    for op_entry in ops {
        let operator = Operator::parse(&op_entry.key).ok_or_else(|| {
            ParseError::new(
                ParseErrorKind::UnknownOperator(op_entry.key.clone()),
                &op_entry.key_origin,
            )
        })?;
        let Some(keys) = op_entry.value.as_map() else {
            return Err(ParseError::new(
                ParseErrorKind::BadConditionOperator(op_entry.key.clone()),
                &op_entry.value.origin,
            ));
        };
        for k in keys {
            let values = parse_values(&k.value, &op_entry.key)?;
            out.push(Condition {
                operator: operator.clone(),
                key: k.key.clone(),
                values,
                operator_origin: op_entry.key_origin.clone(),
                origin: k.key_origin.clone(),
            });
        }
    }
    Ok(out)
}

fn parse_values(node: &Node, op: &str) -> Result<Vec<Item>, ParseError> {
    let mut out = Vec::new();
    for v in node.one_or_many() {
        let item = match &v.kind {
            NodeKind::String(s) | NodeKind::Number(s) => Item::Text {
                text: s.clone(),
                origin: v.origin.clone(),
            },
            NodeKind::Bool(b) => Item::Text {
                text: b.to_string(),
                origin: v.origin.clone(),
            },
            NodeKind::Unresolved(e) => Item::Unknown {
                expr: e.clone(),
                origin: v.origin.clone(),
            },
            _ => {
                return Err(ParseError::new(
                    ParseErrorKind::BadConditionValue(op.to_owned()),
                    &v.origin,
                ));
            }
        };
        out.push(item);
    }
    Ok(out)
}

/// Evaluate one condition. `variables`: whether the policy substitutes policy variables.
pub fn evaluate(cond: &Condition, ctx: &Context, variables: bool) -> Tri {
    let op = &cond.operator;
    let lookup = ctx.get(&cond.key);
    if op.family == Family::Null {
        return null::evaluate(&cond.values, lookup);
    }
    let values = match lookup {
        Lookup::Unknown => return Tri::Maybe,
        Lookup::Absent => return absent(op),
        Lookup::Values { values, multi } if multi && values.is_empty() => return absent(op),
        Lookup::Values { values, .. } => values,
    };
    // One context value against the policy's values: OR (positive) / NOR (negated).
    let one = |cv: &str| -> Tri {
        let any = Tri::any(
            cond.values
                .iter()
                .map(|pv| compare(op, pv, cv, ctx, variables)),
        );
        if op.negated { any.not() } else { any }
    };
    match op.set {
        Some(SetOperator::ForAllValues) => Tri::all(values.iter().map(|v| one(v))),
        Some(SetOperator::ForAnyValue) => Tri::any(values.iter().map(|v| one(v))),
        // A single-valued operator on a multivalued key: positive operators match when any
        // value matches; negated operators when no value matches.
        None if op.negated => Tri::all(values.iter().map(|v| one(v))),
        None => Tri::any(values.iter().map(|v| one(v))),
    }
}

/// The result when the key is not in the request: "If the key that you specify in a policy
/// condition is not present in the request context, the values do not match and the condition
/// is false. If the policy condition requires that the key is not matched, such as
/// StringNotLike or ArnNotLike, and the right key is not present, the condition is true."
/// `...IfExists`: "If the policy key is not present in the context of the request, the
/// condition evaluates to true." `ForAllValues` "returns true if ... there are no keys in the
/// request"; `ForAnyValue` returns false.
fn absent(op: &Operator) -> Tri {
    if op.if_exists {
        return Tri::Yes;
    }
    match op.set {
        Some(SetOperator::ForAllValues) => Tri::Yes,
        Some(SetOperator::ForAnyValue) => Tri::No,
        None => Tri::from_bool(op.negated),
    }
}

/// One policy value against one context value, in the operator's family (not negated).
fn compare(op: &Operator, pv: &Item, cv: &str, ctx: &Context, variables: bool) -> Tri {
    let Item::Text { text, .. } = pv else {
        return Tri::Maybe;
    };
    let text = if variables && op.takes_variables() {
        match substitute(text, ctx) {
            Substituted::Text(t) => t,
            Substituted::Missing => return Tri::No,
            Substituted::Unknown => return Tri::Maybe,
        }
    } else {
        std::borrow::Cow::Borrowed(text.as_str())
    };
    let text = text.as_ref();
    Tri::from_bool(match op.family {
        Family::StringEquals | Family::StringEqualsIgnoreCase | Family::StringLike => {
            string::matches(op.family, text, cv)
        }
        Family::NumericEquals
        | Family::NumericLessThan
        | Family::NumericLessThanEquals
        | Family::NumericGreaterThan
        | Family::NumericGreaterThanEquals => numeric::matches(op.family, text, cv),
        Family::DateEquals
        | Family::DateLessThan
        | Family::DateLessThanEquals
        | Family::DateGreaterThan
        | Family::DateGreaterThanEquals => date::matches(op.family, text, cv),
        Family::Bool => boolean::matches(text, cv),
        Family::BinaryEquals => binary::matches(text, cv),
        Family::IpAddress => ip::matches(text, cv),
        Family::ArnLike => arn::matches(text, cv),
        Family::Null => false,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn cond(op: &str, key: &str, values: &[&str]) -> Condition {
        Condition {
            operator: Operator::parse(op).unwrap(),
            key: key.into(),
            values: values
                .iter()
                .map(|v| Item::Text {
                    text: (*v).into(),
                    origin: Origin::Unknown,
                })
                .collect(),
            operator_origin: Origin::Unknown,
            origin: Origin::Unknown,
        }
    }

    pub(crate) fn eval(op: &str, key: &str, values: &[&str], ctx: &Context) -> Tri {
        evaluate(&cond(op, key, values), ctx, true)
    }

    #[test]
    fn parses_qualified_operators() {
        let o = Operator::parse("ForAnyValue:StringNotLikeIfExists").unwrap();
        assert_eq!(o.family, Family::StringLike);
        assert!(o.negated && o.if_exists);
        assert_eq!(o.set, Some(SetOperator::ForAnyValue));
        assert_eq!(o.canonical(), "ForAnyValue:StringNotLikeIfExists");
        assert_eq!(
            Operator::parse("arnequals").unwrap().canonical(),
            "ArnEquals"
        );
        assert_eq!(
            Operator::parse("ArnNotEquals").unwrap().canonical(),
            "ArnNotEquals"
        );
        assert_eq!(
            Operator::parse("forallvalues:arnlikeifexists")
                .unwrap()
                .canonical(),
            "ForAllValues:ArnLikeIfExists"
        );
        assert!(Operator::parse("StringEqualz").is_none());
        assert!(Operator::parse("NullIfExists").is_none());
        assert!(Operator::parse("ForSomeValues:StringEquals").is_none());
    }

    #[test]
    fn missing_keys() {
        let ctx = Context::new();
        assert_eq!(eval("StringEquals", "aws:x", &["a"], &ctx), Tri::No);
        assert_eq!(eval("StringNotEquals", "aws:x", &["a"], &ctx), Tri::Yes);
        assert_eq!(
            eval("StringEqualsIfExists", "aws:x", &["a"], &ctx),
            Tri::Yes
        );
        assert_eq!(eval("ArnNotLike", "aws:x", &["a"], &ctx), Tri::Yes);
        assert_eq!(
            eval("NotIpAddress", "aws:x", &["10.0.0.0/8"], &ctx),
            Tri::Yes
        );
        assert_eq!(
            eval("ForAllValues:StringEquals", "aws:TagKeys", &["a"], &ctx),
            Tri::Yes
        );
        assert_eq!(
            eval("ForAnyValue:StringEquals", "aws:TagKeys", &["a"], &ctx),
            Tri::No
        );
    }

    #[test]
    fn value_lists_are_or_and_negations_nor() {
        let ctx = Context::new().with("aws:x", "b");
        assert_eq!(eval("StringEquals", "aws:x", &["a", "b"], &ctx), Tri::Yes);
        assert_eq!(eval("StringNotEquals", "aws:x", &["a", "b"], &ctx), Tri::No);
        assert_eq!(
            eval("StringNotEquals", "aws:x", &["a", "c"], &ctx),
            Tri::Yes
        );
    }

    #[test]
    fn set_operators() {
        let ctx = Context::new().with_multi("aws:TagKeys", ["env", "team"]);
        let all = |v: &[&str]| eval("ForAllValues:StringEquals", "aws:TagKeys", v, &ctx);
        assert_eq!(all(&["env", "team", "cost"]), Tri::Yes);
        assert_eq!(all(&["env"]), Tri::No);
        let any = |v: &[&str]| eval("ForAnyValue:StringEquals", "aws:TagKeys", v, &ctx);
        assert_eq!(any(&["team"]), Tri::Yes);
        assert_eq!(any(&["cost"]), Tri::No);
        // ForAllValues:StringNotEquals: no request value is in the list.
        assert_eq!(
            eval(
                "ForAllValues:StringNotEquals",
                "aws:TagKeys",
                &["cost"],
                &ctx
            ),
            Tri::Yes
        );
        assert_eq!(
            eval(
                "ForAllValues:StringNotEquals",
                "aws:TagKeys",
                &["env"],
                &ctx
            ),
            Tri::No
        );
        // ForAnyValue:StringNotEquals: some request value is not in the list.
        assert_eq!(
            eval("ForAnyValue:StringNotEquals", "aws:TagKeys", &["env"], &ctx),
            Tri::Yes
        );
        let empty = Context::new().with_multi("aws:TagKeys", Vec::<String>::new());
        assert_eq!(
            eval("ForAllValues:StringEquals", "aws:TagKeys", &["a"], &empty),
            Tri::Yes
        );
        assert_eq!(
            eval("ForAnyValue:StringEquals", "aws:TagKeys", &["a"], &empty),
            Tri::No
        );
    }

    #[test]
    fn unknowns_are_maybe() {
        let ctx = Context::partial();
        assert_eq!(
            eval("StringEquals", "aws:SourceAccount", &["1"], &ctx),
            Tri::Maybe
        );
        assert_eq!(
            eval("Null", "aws:SourceAccount", &["true"], &ctx),
            Tri::Maybe
        );
        let known = Context::new().with("aws:x", "a");
        let c = Condition {
            values: vec![Item::Unknown {
                expr: "!Ref P".into(),
                origin: Origin::Unknown,
            }],
            ..cond("StringEquals", "aws:x", &[])
        };
        assert_eq!(evaluate(&c, &known, true), Tri::Maybe);
        let c2 = Condition {
            values: vec![
                Item::Unknown {
                    expr: "!Ref P".into(),
                    origin: Origin::Unknown,
                },
                Item::Text {
                    text: "a".into(),
                    origin: Origin::Unknown,
                },
            ],
            ..cond("StringEquals", "aws:x", &[])
        };
        assert_eq!(evaluate(&c2, &known, true), Tri::Yes);
    }

    #[test]
    fn variables_in_values() {
        let ctx = Context::new()
            .with("aws:username", "alice")
            .with("s3:prefix", "home/alice/");
        assert_eq!(
            eval("StringLike", "s3:prefix", &["home/${aws:username}/*"], &ctx),
            Tri::Yes
        );
        let c = cond("StringLike", "s3:prefix", &["home/${aws:username}/*"]);
        // Without `Version: 2012-10-17` the text is literal.
        assert_eq!(evaluate(&c, &ctx, false), Tri::No);
        // Numeric operators take no variables.
        let n = Context::new().with("aws:x", "5").with("aws:y", "5");
        assert_eq!(eval("NumericEquals", "aws:x", &["${aws:y}"], &n), Tri::No);
    }

    #[test]
    fn parse_block_errors_have_locations() {
        use lambdasec_model::{Entry, FileId, Span};
        let o = Origin::source(FileId(0), Span::new(5, 9), "Condition.Foo");
        let node = Node::new(
            NodeKind::Map(vec![Entry {
                key: "Foo".into(),
                key_origin: o.clone(),
                value: Node::new(NodeKind::Map(vec![]), Origin::Unknown),
            }]),
            Origin::Unknown,
        );
        let e = parse_block(&node).unwrap_err();
        assert_eq!(e.kind, ParseErrorKind::UnknownOperator("Foo".into()));
        assert_eq!(e.origin, o);
    }
}
