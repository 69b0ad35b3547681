//! [`Node`] trees to typed [`Policy`] values, with every value's origin kept and malformed
//! input reported as a [`ParseError`] with its location.
//!
//! Grammar: <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html>.

use crate::condition::parse_block;
use crate::error::{ParseError, ParseErrorKind, PolicyTextError};
use crate::json::node_from_json;
use crate::policy::*;
use lambdasec_model::{Entry, Node, NodeKind, Origin};

/// Parse a policy document.
pub fn parse_policy(node: &Node) -> Result<Policy, ParseError> {
    let entries = match &node.kind {
        NodeKind::Map(e) => e,
        _ => return Err(ParseError::new(ParseErrorKind::NotAnObject, &node.origin)),
    };
    check_duplicates(entries)?;
    let mut version = None;
    let mut id = None;
    let mut statement = None;
    for e in entries {
        match e.key.as_str() {
            "Version" => version = Some(parse_version(&e.value)?),
            "Id" => id = Some(item(&e.value, "Id")?),
            "Statement" => statement = Some(&e.value),
            other => {
                return Err(ParseError::new(
                    ParseErrorKind::UnknownPolicyElement(other.to_owned()),
                    &e.key_origin,
                ));
            }
        }
    }
    let Some(statement) = statement else {
        return Err(ParseError::new(
            ParseErrorKind::MissingStatement,
            &node.origin,
        ));
    };
    let mut statements = Vec::new();
    let mut opaque = Vec::new();
    let list: &[Node] = match &statement.kind {
        NodeKind::Map(_) | NodeKind::Unresolved(_) => std::slice::from_ref(statement),
        NodeKind::List(items) => items,
        _ => {
            return Err(ParseError::new(
                ParseErrorKind::BadStatement,
                &statement.origin,
            ));
        }
    };
    for (index, s) in list.iter().enumerate() {
        match &s.kind {
            NodeKind::Unresolved(expr) => opaque.push(OpaqueStatement {
                index,
                expr: expr.clone(),
                origin: s.origin.clone(),
            }),
            NodeKind::Map(_) => match parse_statement(s, index)? {
                Parsed::Statement(st) => statements.push(*st),
                Parsed::Opaque(o) => opaque.push(o),
            },
            _ => return Err(ParseError::new(ParseErrorKind::BadStatement, &s.origin)),
        }
    }
    Ok(Policy {
        name: None,
        version,
        id,
        statements,
        opaque,
        origin: node.origin.clone(),
    })
}

/// Parse a policy from JSON text (origins derive from `base`; see [`crate::node_from_json`]).
pub fn parse_policy_json(text: &str, base: &Origin) -> Result<Policy, PolicyTextError> {
    let node = node_from_json(text, base)?;
    Ok(parse_policy(&node)?)
}

enum Parsed {
    Statement(Box<Statement>),
    Opaque(OpaqueStatement),
}

const STATEMENT_ELEMENTS: &[&str] = &[
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

fn parse_statement(node: &Node, index: usize) -> Result<Parsed, ParseError> {
    let entries = node.as_map().unwrap_or_default();
    check_duplicates(entries)?;
    for e in entries {
        if !STATEMENT_ELEMENTS.contains(&e.key.as_str()) {
            return Err(ParseError::new(
                ParseErrorKind::UnknownStatementElement(e.key.clone()),
                &e.key_origin,
            ));
        }
    }
    let sid = node.get("Sid").map(|n| item(n, "Sid")).transpose()?;
    let effect_node = node
        .get("Effect")
        .ok_or_else(|| ParseError::new(ParseErrorKind::MissingEffect, &node.origin))?;
    let effect = match &effect_node.kind {
        NodeKind::String(s) if s == "Allow" => Effect::Allow,
        NodeKind::String(s) if s == "Deny" => Effect::Deny,
        NodeKind::Unresolved(expr) => {
            return Ok(Parsed::Opaque(OpaqueStatement {
                index,
                expr: expr.clone(),
                origin: node.origin.clone(),
            }));
        }
        other => {
            let text = effect_node
                .scalar_text()
                .unwrap_or_else(|| kind_name(other).into());
            return Err(ParseError::new(
                ParseErrorKind::BadEffect(text),
                &effect_node.origin,
            ));
        }
    };
    let action = pair(node, "Action", "NotAction")?
        .ok_or_else(|| ParseError::new(ParseErrorKind::MissingAction, &node.origin))?;
    let action = Block {
        negated: action.negated,
        items: action
            .items
            .into_iter()
            .map(|i| {
                check_action(&i)?;
                Ok(ActionPattern::new(i))
            })
            .collect::<Result<_, ParseError>>()?,
        origin: action.origin,
    };
    let resource = pair(node, "Resource", "NotResource")?;
    let principal = principal_pair(node)?;
    let conditions = match node.get("Condition") {
        Some(c) => parse_block(c)?,
        None => Vec::new(),
    };
    Ok(Parsed::Statement(Box::new(Statement {
        index,
        sid,
        effect,
        action,
        resource,
        principal,
        conditions,
        origin: node.origin.clone(),
    })))
}

/// `Action`/`NotAction`-style pairs: at most one, a string or a list of strings.
fn pair(
    node: &Node,
    pos: &'static str,
    neg: &'static str,
) -> Result<Option<Block<Item>>, ParseError> {
    let (p, n) = (node.entry(pos), node.entry(neg));
    let (entry, negated, name) = match (p, n) {
        (Some(_), Some(e)) => {
            return Err(ParseError::new(
                ParseErrorKind::BothElements(pos),
                &e.key_origin,
            ));
        }
        (Some(e), None) => (e, false, pos),
        (None, Some(e)) => (e, true, neg),
        (None, None) => return Ok(None),
    };
    let items = strings(&entry.value, name)?;
    Ok(Some(Block {
        negated,
        items,
        origin: entry.key_origin.clone(),
    }))
}

fn strings(node: &Node, name: &'static str) -> Result<Vec<Item>, ParseError> {
    let list = node.one_or_many();
    if list.is_empty() {
        return Err(ParseError::new(ParseErrorKind::Empty(name), &node.origin));
    }
    list.iter()
        .map(|n| match &n.kind {
            NodeKind::String(s) => Ok(Item::Text {
                text: s.clone(),
                origin: n.origin.clone(),
            }),
            NodeKind::Unresolved(e) => Ok(Item::Unknown {
                expr: e.clone(),
                origin: n.origin.clone(),
            }),
            _ => Err(ParseError::new(ParseErrorKind::NotStrings(name), &n.origin)),
        })
        .collect()
}

fn item(node: &Node, name: &'static str) -> Result<Item, ParseError> {
    match &node.kind {
        NodeKind::String(s) => Ok(Item::Text {
            text: s.clone(),
            origin: node.origin.clone(),
        }),
        NodeKind::Number(s) => Ok(Item::Text {
            text: s.clone(),
            origin: node.origin.clone(),
        }),
        NodeKind::Unresolved(e) => Ok(Item::Unknown {
            expr: e.clone(),
            origin: node.origin.clone(),
        }),
        _ => Err(ParseError::new(
            ParseErrorKind::NotAString(name),
            &node.origin,
        )),
    }
}

fn parse_version(node: &Node) -> Result<Version, ParseError> {
    match node.as_str() {
        Some("2012-10-17") => Ok(Version::V2012_10_17),
        Some("2008-10-17") => Ok(Version::V2008_10_17),
        _ => Err(ParseError::new(
            ParseErrorKind::BadVersion(
                node.scalar_text()
                    .unwrap_or_else(|| kind_name(&node.kind).into()),
            ),
            &node.origin,
        )),
    }
}

/// An action is `*`, or `service:pattern` with a non-empty service prefix.
fn check_action(i: &Item) -> Result<(), ParseError> {
    let Some(t) = i.text() else { return Ok(()) };
    let ok = t == "*"
        || t.split_once(':').is_some_and(|(svc, act)| {
            !svc.is_empty()
                && !act.is_empty()
                && !act.contains(':')
                && svc
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'*' || b == b'?')
        });
    if ok {
        Ok(())
    } else {
        Err(ParseError::new(
            ParseErrorKind::BadAction(t.to_owned()),
            i.origin(),
        ))
    }
}

fn principal_pair(node: &Node) -> Result<Option<Block<PrincipalEntry>>, ParseError> {
    let (p, n) = (node.entry("Principal"), node.entry("NotPrincipal"));
    let (entry, negated, name) = match (p, n) {
        (Some(_), Some(e)) => {
            return Err(ParseError::new(
                ParseErrorKind::BothElements("Principal"),
                &e.key_origin,
            ));
        }
        (Some(e), None) => (e, false, "Principal"),
        (None, Some(e)) => (e, true, "NotPrincipal"),
        (None, None) => return Ok(None),
    };
    let v = &entry.value;
    let items = match &v.kind {
        NodeKind::String(s) if s == "*" => vec![PrincipalEntry::Everyone(v.origin.clone())],
        NodeKind::Unresolved(e) => vec![PrincipalEntry::Aws(Item::Unknown {
            expr: e.clone(),
            origin: v.origin.clone(),
        })],
        NodeKind::Map(types) => {
            check_duplicates(types)?;
            let mut out = Vec::new();
            for t in types {
                let make: fn(Item) -> PrincipalEntry = match t.key.as_str() {
                    "AWS" => PrincipalEntry::Aws,
                    "Service" => PrincipalEntry::Service,
                    "Federated" => PrincipalEntry::Federated,
                    "CanonicalUser" => PrincipalEntry::CanonicalUser,
                    other => {
                        return Err(ParseError::new(
                            ParseErrorKind::UnknownPrincipalType(other.to_owned()),
                            &t.key_origin,
                        ));
                    }
                };
                out.extend(strings(&t.value, name)?.into_iter().map(make));
            }
            if out.is_empty() {
                return Err(ParseError::new(ParseErrorKind::Empty(name), &v.origin));
            }
            out
        }
        _ => {
            return Err(ParseError::new(
                ParseErrorKind::BadPrincipal(name),
                &v.origin,
            ));
        }
    };
    Ok(Some(Block {
        negated,
        items,
        origin: entry.key_origin.clone(),
    }))
}

fn check_duplicates(entries: &[Entry]) -> Result<(), ParseError> {
    for (i, e) in entries.iter().enumerate() {
        if entries.iter().take(i).any(|p| p.key == e.key) {
            return Err(ParseError::new(
                ParseErrorKind::DuplicateElement(e.key.clone()),
                &e.key_origin,
            ));
        }
    }
    Ok(())
}

fn kind_name(k: &NodeKind) -> &'static str {
    match k {
        NodeKind::Null => "null",
        NodeKind::Bool(_) => "a boolean",
        NodeKind::Number(_) => "a number",
        NodeKind::String(_) => "a string",
        NodeKind::List(_) => "an array",
        NodeKind::Map(_) => "an object",
        NodeKind::Unresolved(_) => "an unresolved value",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lambdasec_model::{FileId, Span};

    fn parse(text: &str) -> Result<Policy, PolicyTextError> {
        parse_policy_json(
            text,
            &Origin::live("arn:aws:iam::111122223333:policy/p", "Document"),
        )
    }

    #[test]
    fn statement_object_or_array() {
        let one = parse(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}"#).unwrap();
        assert_eq!(one.statements.len(), 1);
        assert_eq!(one.version, Some(Version::V2012_10_17));
        let two = parse(r#"{"Statement":[{"Sid":"A","Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":"*"},{"Effect":"Deny","NotAction":"iam:*","NotResource":"arn:aws:s3:::b/*"}]}"#).unwrap();
        assert_eq!(two.statements.len(), 2);
        assert_eq!(two.version, None);
        assert!(!two.supports_variables());
        let s = &two.statements[1];
        assert!(s.action.negated);
        assert!(s.resource.as_ref().unwrap().negated);
        assert_eq!(two.statements[0].sid_text(), Some("A"));
        assert_eq!(s.origin.path(), Some("Document.Statement[1]"));
        assert_eq!(
            two.statements[0].action.items[1].item.origin().path(),
            Some("Document.Statement[0].Action[1]")
        );
    }

    #[test]
    fn principals_in_all_shapes() {
        let p = parse(r#"{"Statement":[
            {"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"},
            {"Effect":"Allow","Principal":{"AWS":["123456789012","arn:aws:iam::111122223333:role/r","*"],"Service":"lambda.amazonaws.com","Federated":"cognito-identity.amazonaws.com","CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},"Action":"sts:AssumeRole"},
            {"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"*","Resource":"*"}
        ]}"#).unwrap();
        let s0 = p.statements[0].principal.as_ref().unwrap();
        assert!(s0.items[0].is_everyone());
        let s1 = p.statements[1].principal.as_ref().unwrap();
        assert_eq!(s1.items.len(), 6);
        assert!(s1.items[2].is_everyone());
        assert_eq!(s1.items[3].type_name(), "Service");
        assert!(p.statements[2].principal.as_ref().unwrap().negated);
    }

    #[test]
    fn conditions_parse() {
        let p = parse(r#"{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:SourceAccount":"111122223333","aws:x":["a",1,true]},"ForAnyValue:StringLike":{"aws:TagKeys":"env*"}}}}"#).unwrap();
        let c = &p.statements[0].conditions;
        assert_eq!(c.len(), 3);
        assert_eq!(c[1].value_texts(), ["a", "1", "true"]);
        assert_eq!(c[2].operator.text, "ForAnyValue:StringLike");
    }

    #[test]
    fn malformed_policies_have_located_errors() {
        let cases: &[(&str, ParseErrorKind, &str)] = &[
            (r#"[]"#, ParseErrorKind::NotAnObject, "Document"),
            (
                r#"{"Version":"2012-10-17"}"#,
                ParseErrorKind::MissingStatement,
                "Document",
            ),
            (
                r#"{"Statement":"x"}"#,
                ParseErrorKind::BadStatement,
                "Document.Statement",
            ),
            (
                r#"{"Statement":{"Action":"s3:*"}}"#,
                ParseErrorKind::MissingEffect,
                "Document.Statement",
            ),
            (
                r#"{"Statement":{"Effect":"allow","Action":"s3:*"}}"#,
                ParseErrorKind::BadEffect("allow".into()),
                "Document.Statement.Effect",
            ),
            (
                r#"{"Statement":{"Effect":"Allow"}}"#,
                ParseErrorKind::MissingAction,
                "Document.Statement",
            ),
            (
                r#"{"Statement":{"Effect":"Allow","Action":"s3:*","NotAction":"x:y"}}"#,
                ParseErrorKind::BothElements("Action"),
                "Document.Statement.NotAction",
            ),
            (
                r#"{"Statement":{"Effect":"Allow","Action":[]}}"#,
                ParseErrorKind::Empty("Action"),
                "Document.Statement.Action",
            ),
            (
                r#"{"Statement":{"Effect":"Allow","Action":[1]}}"#,
                ParseErrorKind::NotStrings("Action"),
                "Document.Statement.Action[0]",
            ),
            (
                r#"{"Statement":{"Effect":"Allow","Action":"s3"}}"#,
                ParseErrorKind::BadAction("s3".into()),
                "Document.Statement.Action",
            ),
            (
                r#"{"Version":"2020-01-01","Statement":[]}"#,
                ParseErrorKind::BadVersion("2020-01-01".into()),
                "Document.Version",
            ),
            (
                r#"{"Statement":{"Effect":"Allow","Action":"s3:*","Principal":"me"}}"#,
                ParseErrorKind::BadPrincipal("Principal"),
                "Document.Statement.Principal",
            ),
            (
                r#"{"Statement":{"Effect":"Allow","Action":"s3:*","Principal":{"Users":"x"}}}"#,
                ParseErrorKind::UnknownPrincipalType("Users".into()),
                "Document.Statement.Principal.Users",
            ),
            (
                r#"{"Statement":{"Effect":"Allow","Action":"s3:*","Condition":[]}}"#,
                ParseErrorKind::BadConditionBlock,
                "Document.Statement.Condition",
            ),
            (
                r#"{"Statement":{"Effect":"Allow","Action":"s3:*","Condition":{"StringEquals":"x"}}}"#,
                ParseErrorKind::BadConditionOperator("StringEquals".into()),
                "Document.Statement.Condition.StringEquals",
            ),
            (
                r#"{"Statement":{"Effect":"Allow","Action":"s3:*","Condition":{"StringEquals":{"k":{"a":1}}}}}"#,
                ParseErrorKind::BadConditionValue("StringEquals".into()),
                "Document.Statement.Condition.StringEquals.k",
            ),
            (
                r#"{"Statement":{"Effect":"Allow","Action":"s3:*","Resources":"*"}}"#,
                ParseErrorKind::UnknownStatementElement("Resources".into()),
                "Document.Statement.Resources",
            ),
            (
                r#"{"Statements":[]}"#,
                ParseErrorKind::UnknownPolicyElement("Statements".into()),
                "Document.Statements",
            ),
            (
                r#"{"Statement":{"Effect":"Allow","Effect":"Deny","Action":"s3:*"}}"#,
                ParseErrorKind::DuplicateElement("Effect".into()),
                "Document.Statement.Effect",
            ),
        ];
        for (text, kind, path) in cases {
            match parse(text) {
                Err(PolicyTextError::Policy(e)) => {
                    assert_eq!(&e.kind, kind, "{text}");
                    assert_eq!(e.origin.path(), Some(*path), "{text}");
                }
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn unresolved_values_are_kept_unknown() {
        let o = |p: &str| Origin::source(FileId(1), Span::new(0, 1), p);
        let node = Node::new(
            NodeKind::Map(vec![Entry {
                key: "Statement".into(),
                key_origin: o("S"),
                value: Node::new(
                    NodeKind::List(vec![
                        Node::new(
                            NodeKind::Map(vec![
                                Entry {
                                    key: "Effect".into(),
                                    key_origin: o("E"),
                                    value: Node::string("Allow", o("E")),
                                },
                                Entry {
                                    key: "Action".into(),
                                    key_origin: o("A"),
                                    value: Node::string("s3:GetObject", o("A")),
                                },
                                Entry {
                                    key: "Resource".into(),
                                    key_origin: o("R"),
                                    value: Node::new(
                                        NodeKind::Unresolved(
                                            "!Sub arn:aws:s3:::${Bucket}/*".into(),
                                        ),
                                        o("R"),
                                    ),
                                },
                            ]),
                            o("S0"),
                        ),
                        Node::new(
                            NodeKind::Unresolved("!If [C, {...}, !Ref AWS::NoValue]".into()),
                            o("S1"),
                        ),
                    ]),
                    o("S"),
                ),
            }]),
            o("D"),
        );
        let p = parse_policy(&node).unwrap();
        assert_eq!(p.statements.len(), 1);
        assert!(p.statements[0].resource.as_ref().unwrap().items[0].is_unknown());
        assert_eq!(p.opaque.len(), 1);
        assert_eq!(p.opaque[0].index, 1);
        assert_eq!(p.opaque[0].origin, o("S1"));
    }
}
