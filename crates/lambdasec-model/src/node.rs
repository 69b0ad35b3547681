//! Documents kept as trees with provenance on every node: IAM policies, key policies, queue and
//! topic policies, event patterns. Engines interpret them (the IAM engine parses policies from a
//! [`Node`] and keeps each node's origin as the statement's location).

use crate::origin::Origin;
use serde::{Deserialize, Serialize};

/// A JSON-like tree with an origin on every node.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Node {
    pub kind: NodeKind,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum NodeKind {
    Null,
    Bool(bool),
    /// A number, as written (lossless; IAM compares numbers from their text).
    Number(String),
    String(String),
    List(Vec<Node>),
    Map(Vec<Entry>),
    /// Not knowable offline: the expression text.
    Unresolved(String),
}

/// A key of a map node with its own origin.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Entry {
    pub key: String,
    pub key_origin: Origin,
    pub value: Node,
}

impl Node {
    pub fn new(kind: NodeKind, origin: Origin) -> Self {
        Node { kind, origin }
    }

    pub fn string(s: impl Into<String>, origin: Origin) -> Self {
        Node::new(NodeKind::String(s.into()), origin)
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match &self.kind {
            NodeKind::Bool(b) => Some(*b),
            NodeKind::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
            NodeKind::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::List(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.kind {
            NodeKind::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn is_unresolved(&self) -> bool {
        matches!(self.kind, NodeKind::Unresolved(_))
    }

    /// The value under `key` in a map node (exact key match).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// The entry under `key` in a map node (exact key match).
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_map()?.iter().find(|e| e.key == key)
    }

    /// A scalar rendered as text (strings, numbers, booleans); `None` for others.
    pub fn scalar_text(&self) -> Option<String> {
        match &self.kind {
            NodeKind::String(s) | NodeKind::Number(s) => Some(s.clone()),
            NodeKind::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// A node or a list of nodes, as a slice (IAM's "string or array" fields).
    pub fn one_or_many(&self) -> &[Node] {
        match &self.kind {
            NodeKind::List(items) => items,
            _ => std::slice::from_ref(self),
        }
    }

    /// Walk the tree depth-first, calling `f` on every node.
    pub fn walk<'a>(&'a self, f: &mut impl FnMut(&'a Node)) {
        f(self);
        match &self.kind {
            NodeKind::List(items) => items.iter().for_each(|n| n.walk(f)),
            NodeKind::Map(entries) => entries.iter().for_each(|e| e.value.walk(f)),
            _ => {}
        }
    }

    /// Render as compact JSON-like text (unresolved parts as strings of their expression).
    pub fn to_json_text(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }

    fn write_json(&self, out: &mut String) {
        match &self.kind {
            NodeKind::Null => out.push_str("null"),
            NodeKind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            NodeKind::Number(n) => out.push_str(n),
            NodeKind::String(s) | NodeKind::Unresolved(s) => write_json_string(s, out),
            NodeKind::List(items) => {
                out.push('[');
                for (i, n) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    n.write_json(out);
                }
                out.push(']');
            }
            NodeKind::Map(entries) => {
                out.push('{');
                for (i, e) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_json_string(&e.key, out);
                    out.push(':');
                    e.value.write_json(out);
                }
                out.push('}');
            }
        }
    }
}

fn write_json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Node {
        Node::string(v, Origin::Unknown)
    }

    #[test]
    fn lookups_and_json() {
        let doc = Node::new(
            NodeKind::Map(vec![
                Entry {
                    key: "Effect".into(),
                    key_origin: Origin::Unknown,
                    value: s("Allow"),
                },
                Entry {
                    key: "Action".into(),
                    key_origin: Origin::Unknown,
                    value: Node::new(NodeKind::List(vec![s("s3:Get\"*")]), Origin::Unknown),
                },
            ]),
            Origin::Unknown,
        );
        assert_eq!(doc.get("Effect").and_then(Node::as_str), Some("Allow"));
        assert_eq!(doc.get("Action").map(|a| a.one_or_many().len()), Some(1));
        assert_eq!(doc.get("Effect").map(|a| a.one_or_many().len()), Some(1));
        assert_eq!(
            doc.to_json_text(),
            r#"{"Effect":"Allow","Action":["s3:Get\"*"]}"#
        );
        let mut n = 0;
        doc.walk(&mut |_| n += 1);
        assert_eq!(n, 4);
    }
}
