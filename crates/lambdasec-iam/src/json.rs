//! JSON text to [`Node`] trees, for live data (API responses), embedded data and tests.
//!
//! Every node gets `base.child(path)` as its origin: with an [`Origin::Live`] base the origin
//! names the API field down to the value (`PolicyDocument.Statement[0].Action`); with
//! [`Origin::Unknown`] every origin is unknown. Map key order and number text are kept.

use crate::error::JsonError;
use lambdasec_model::{Entry, Node, NodeKind, Origin};
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// Parse JSON text into a [`Node`] tree whose origins derive from `base`.
pub fn node_from_json(text: &str, base: &Origin) -> Result<Node, JsonError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let node = Seed {
        origin: base.clone(),
    }
    .deserialize(&mut de)?;
    de.end()?;
    Ok(node)
}

/// Convert a parsed [`serde_json::Value`] into a [`Node`] tree (origins from `base`).
pub fn node_from_value(value: &serde_json::Value, base: &Origin) -> Node {
    use serde_json::Value as V;
    let kind = match value {
        V::Null => NodeKind::Null,
        V::Bool(b) => NodeKind::Bool(*b),
        V::Number(n) => NodeKind::Number(n.to_string()),
        V::String(s) => NodeKind::String(s.clone()),
        V::Array(items) => NodeKind::List(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| node_from_value(v, &index_origin(base, i)))
                .collect(),
        ),
        V::Object(map) => NodeKind::Map(
            map.iter()
                .map(|(k, v)| {
                    let o = key_origin(base, k);
                    Entry {
                        key: k.clone(),
                        key_origin: o.clone(),
                        value: node_from_value(v, &o),
                    }
                })
                .collect(),
        ),
    };
    Node::new(kind, base.clone())
}

fn index_origin(base: &Origin, i: usize) -> Origin {
    match base {
        Origin::Unknown => Origin::Unknown,
        _ => base.child(&format!("[{i}]")),
    }
}

fn key_origin(base: &Origin, key: &str) -> Origin {
    match base {
        Origin::Unknown => Origin::Unknown,
        _ => base.child(key),
    }
}

struct Seed {
    origin: Origin,
}

impl<'de> DeserializeSeed<'de> for Seed {
    type Value = Node;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::new(NodeKind::Null, self.origin))
    }

    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::new(NodeKind::Bool(v), self.origin))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::new(NodeKind::Number(v.to_string()), self.origin))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::new(NodeKind::Number(v.to_string()), self.origin))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(Node::new(NodeKind::Number(v.to_string()), self.origin))
    }

    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::string(v, self.origin))
    }

    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::string(v, self.origin))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(n) = seq.next_element_seed(Seed {
            origin: index_origin(&self.origin, items.len()),
        })? {
            items.push(n);
        }
        Ok(Node::new(NodeKind::List(items), self.origin))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0));
        while let Some(key) = map.next_key::<String>()? {
            let o = key_origin(&self.origin, &key);
            let value = map.next_value_seed(Seed { origin: o.clone() })?;
            entries.push(Entry {
                key,
                key_origin: o,
                value,
            });
        }
        Ok(Node::new(NodeKind::Map(entries), self.origin))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_numbers_and_paths() {
        let base = Origin::live("arn:aws:iam::111122223333:role/r", "PolicyDocument");
        let n = node_from_json(r#"{"b":1.50,"a":[true,null,"x"]}"#, &base).unwrap();
        let keys: Vec<_> = n.as_map().unwrap().iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["b", "a"]);
        let a = n.get("a").unwrap().as_list().unwrap();
        assert_eq!(a[2].origin.path(), Some("PolicyDocument.a[2]"));
        assert_eq!(n.get("b").unwrap().scalar_text().as_deref(), Some("1.5"));
    }

    #[test]
    fn errors_have_positions() {
        let e = node_from_json("{\n  \"a\": [1,,]\n}", &Origin::Unknown).unwrap_err();
        assert_eq!(e.line, 2);
        assert!(node_from_json("{} x", &Origin::Unknown).is_err());
    }

    #[test]
    fn from_value_matches_from_text() {
        let text = r#"{"Statement":[{"Action":"s3:*","Effect":"Allow"}]}"#;
        let v: serde_json::Value = serde_json::from_str(text).unwrap();
        let a = node_from_value(&v, &Origin::Unknown);
        let b = node_from_json(text, &Origin::Unknown).unwrap();
        assert_eq!(a.to_json_text(), b.to_json_text());
    }
}
