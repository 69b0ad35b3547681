//! Typed policies back to [`Node`] trees and JSON text (origins kept on the nodes). Parsing the
//! output gives the same [`Policy`] (a property test checks it).

use crate::condition::Condition;
use crate::policy::*;
use lambdasec_model::{Entry, Node, NodeKind, Origin};

/// A policy as a document tree.
pub fn policy_to_node(p: &Policy) -> Node {
    let mut entries = Vec::new();
    if let Some(v) = p.version {
        entries.push(entry("Version", Node::string(v.as_str(), Origin::Unknown)));
    }
    if let Some(id) = &p.id {
        entries.push(entry("Id", item(id)));
    }
    let mut stmts: Vec<(usize, Node)> = p
        .statements
        .iter()
        .map(|s| (s.index, statement(s)))
        .collect();
    stmts.extend(p.opaque.iter().map(|o| {
        (
            o.index,
            Node::new(NodeKind::Unresolved(o.expr.clone()), o.origin.clone()),
        )
    }));
    stmts.sort_by_key(|(i, _)| *i);
    entries.push(entry(
        "Statement",
        Node::new(
            NodeKind::List(stmts.into_iter().map(|(_, n)| n).collect()),
            Origin::Unknown,
        ),
    ));
    Node::new(NodeKind::Map(entries), p.origin.clone())
}

/// A policy as compact JSON text.
pub fn policy_to_json(p: &Policy) -> String {
    policy_to_node(p).to_json_text()
}

fn entry(key: &str, value: Node) -> Entry {
    Entry {
        key: key.to_owned(),
        key_origin: value.origin.clone(),
        value,
    }
}

fn item(i: &Item) -> Node {
    match i {
        Item::Text { text, origin } => Node::string(text.clone(), origin.clone()),
        Item::Unknown { expr, origin } => {
            Node::new(NodeKind::Unresolved(expr.clone()), origin.clone())
        }
    }
}

fn items(list: &[Item]) -> Node {
    Node::new(
        NodeKind::List(list.iter().map(item).collect()),
        Origin::Unknown,
    )
}

fn statement(s: &Statement) -> Node {
    let mut e = Vec::new();
    if let Some(sid) = &s.sid {
        e.push(entry("Sid", item(sid)));
    }
    e.push(entry(
        "Effect",
        Node::string(s.effect.as_str(), Origin::Unknown),
    ));
    if let Some(p) = &s.principal {
        let key = if p.negated {
            "NotPrincipal"
        } else {
            "Principal"
        };
        e.push(entry(key, principal(&p.items)));
    }
    let acts: Vec<Item> = s.action.items.iter().map(|a| a.item.clone()).collect();
    e.push(entry(
        if s.action.negated {
            "NotAction"
        } else {
            "Action"
        },
        items(&acts),
    ));
    if let Some(r) = &s.resource {
        e.push(entry(
            if r.negated { "NotResource" } else { "Resource" },
            items(&r.items),
        ));
    }
    if !s.conditions.is_empty() {
        e.push(entry("Condition", conditions(&s.conditions)));
    }
    Node::new(NodeKind::Map(e), s.origin.clone())
}

fn principal(list: &[PrincipalEntry]) -> Node {
    if let [PrincipalEntry::Everyone(o)] = list {
        return Node::string("*", o.clone());
    }
    let mut groups: Vec<(&'static str, Vec<Item>)> = Vec::new();
    for p in list {
        let (t, i) = match p {
            PrincipalEntry::Everyone(o) => (
                "AWS",
                Item::Text {
                    text: "*".into(),
                    origin: o.clone(),
                },
            ),
            PrincipalEntry::Aws(i) => ("AWS", i.clone()),
            PrincipalEntry::Service(i) => ("Service", i.clone()),
            PrincipalEntry::Federated(i) => ("Federated", i.clone()),
            PrincipalEntry::CanonicalUser(i) => ("CanonicalUser", i.clone()),
        };
        match groups.iter_mut().find(|(k, _)| *k == t) {
            Some((_, v)) => v.push(i),
            None => groups.push((t, vec![i])),
        }
    }
    Node::new(
        NodeKind::Map(
            groups
                .into_iter()
                .map(|(k, v)| entry(k, items(&v)))
                .collect(),
        ),
        Origin::Unknown,
    )
}

fn conditions(list: &[Condition]) -> Node {
    let mut ops: Vec<(String, Vec<Entry>)> = Vec::new();
    for c in list {
        let e = entry(&c.key, items(&c.values));
        match ops.iter_mut().find(|(k, _)| *k == c.operator.text) {
            Some((_, v)) => v.push(e),
            None => ops.push((c.operator.text.clone(), vec![e])),
        }
    }
    Node::new(
        NodeKind::Map(
            ops.into_iter()
                .map(|(k, v)| entry(&k, Node::new(NodeKind::Map(v), Origin::Unknown)))
                .collect(),
        ),
        Origin::Unknown,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_policy_json;

    #[test]
    fn round_trip() {
        let text = r#"{"Version":"2012-10-17","Id":"x","Statement":[{"Sid":"a","Effect":"Deny","NotPrincipal":{"AWS":["1","2"],"Service":"s.amazonaws.com"},"NotAction":"s3:*","NotResource":["arn:aws:s3:::b"],"Condition":{"StringEquals":{"k":["v",1,true]},"Null":{"z":"true"}}},{"Effect":"Allow","Principal":"*","Action":["*"]}]}"#;
        let p = parse_policy_json(text, &Origin::Unknown).unwrap();
        let out = policy_to_json(&p);
        let q = parse_policy_json(&out, &Origin::Unknown).unwrap();
        assert_eq!(p, q);
        assert!(
            out.contains(r#""NotPrincipal":{"AWS":["1","2"],"Service":["s.amazonaws.com"]}"#),
            "{out}"
        );
    }
}
