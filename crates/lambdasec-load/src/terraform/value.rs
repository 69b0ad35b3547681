//! Evaluated Terraform values with provenance.
//!
//! Every value keeps the file and byte span of the expression (or literal) it comes from, and —
//! when it was written as a reference to a resource (`aws_iam_role.exec.arn`) — the address of
//! that resource, so a reference becomes `Target::Local(address)` in the model. What cannot be
//! known offline is [`Kind::Unknown`] with the expression text.

use lambdasec_model::{Entry, FileId, Node, NodeKind, Origin, Span, join_path};
use std::rc::Rc;

/// A resource instance a value may stand for (`aws_iam_role.exec`, `module.m.aws_x.y[0]`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct InstanceRef {
    /// The module instance holding the resource.
    pub module: usize,
    /// The index of the resource block in that module's configuration.
    pub resource: usize,
    /// The instance key (`count.index` or `each.key`), when the resource is repeated.
    pub key: Option<InstanceKey>,
    /// The full address, e.g. `module.m.aws_iam_role.exec[0]`.
    pub address: Rc<str>,
}

/// A module instance a value may stand for (`module.api`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ModuleRef {
    /// The module instance, when its source could be loaded.
    pub inst: Option<usize>,
    /// The address, e.g. `module.api` or `module.api["eu"]`.
    pub address: Rc<str>,
}

/// The key of one instance of a repeated resource or module.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum InstanceKey {
    Index(usize),
    Key(String),
}

impl InstanceKey {
    /// The address suffix: `[0]` or `["key"]`.
    pub fn suffix(&self) -> String {
        match self {
            InstanceKey::Index(i) => format!("[{i}]"),
            InstanceKey::Key(k) => format!("[{}]", quote(k)),
        }
    }
}

/// A Terraform string literal, quoted and escaped as Terraform prints addresses.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// What a value is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    Null,
    Bool(bool),
    /// A number, as text (`30`, `1.5`).
    Number(String),
    String(String),
    List(Vec<V>),
    /// An object or map, in written order.
    Map(Vec<MapEntry>),
    /// A string holding the JSON encoding of the inner value (`jsonencode(...)`,
    /// `data.aws_iam_policy_document.x.json`): documents keep their structure and spans.
    Json(Box<V>),
    /// A resource instance (evaluated lazily when one of its attributes is read).
    Instance(Rc<InstanceRef>),
    /// A module instance (its outputs evaluated lazily).
    Module(Rc<ModuleRef>),
    /// Not knowable offline: the expression text.
    Unknown(String),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MapEntry {
    pub key: String,
    pub key_span: Span,
    pub value: V,
}

/// An evaluated value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct V {
    pub kind: Kind,
    pub file: FileId,
    pub span: Span,
    /// The address of the resource this value was read from, when written as a reference.
    pub refers: Option<Rc<str>>,
}

impl V {
    pub fn new(kind: Kind, file: FileId, span: Span) -> V {
        V {
            kind,
            file,
            span,
            refers: None,
        }
    }

    pub fn null(file: FileId, span: Span) -> V {
        V::new(Kind::Null, file, span)
    }

    pub fn string(s: impl Into<String>, file: FileId, span: Span) -> V {
        V::new(Kind::String(s.into()), file, span)
    }

    pub fn bool(b: bool, file: FileId, span: Span) -> V {
        V::new(Kind::Bool(b), file, span)
    }

    pub fn unknown(expr: impl Into<String>, file: FileId, span: Span) -> V {
        V::new(Kind::Unknown(expr.into()), file, span)
    }

    pub fn number(n: f64, file: FileId, span: Span) -> V {
        V::new(Kind::Number(format_number(n)), file, span)
    }

    pub fn with_refers(mut self, address: Option<Rc<str>>) -> V {
        self.refers = address;
        self
    }

    pub fn is_null(&self) -> bool {
        matches!(self.kind, Kind::Null)
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self.kind, Kind::Unknown(_))
    }

    /// True when the value or any part of it is unknown.
    pub fn has_unknown(&self) -> bool {
        match &self.kind {
            Kind::Unknown(_) | Kind::Instance(_) | Kind::Module(_) => true,
            Kind::List(items) => items.iter().any(V::has_unknown),
            Kind::Map(entries) => entries.iter().any(|e| e.value.has_unknown()),
            Kind::Json(inner) => inner.has_unknown(),
            _ => false,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[V]> {
        match &self.kind {
            Kind::List(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[MapEntry]> {
        match &self.kind {
            Kind::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The value under `key` of a map (last one wins, as in Terraform objects).
    pub fn get(&self, key: &str) -> Option<&V> {
        self.as_map()?
            .iter()
            .rev()
            .find(|e| e.key == key)
            .map(|e| &e.value)
    }

    /// A scalar as text, the way Terraform converts primitives to strings.
    pub fn scalar_text(&self) -> Option<String> {
        match &self.kind {
            Kind::String(s) | Kind::Number(s) => Some(s.clone()),
            Kind::Bool(b) => Some(b.to_string()),
            Kind::Json(inner) => Some(inner.to_json()),
            _ => None,
        }
    }

    /// The value as a number, converting strings as Terraform does.
    pub fn as_f64(&self) -> Option<f64> {
        match &self.kind {
            Kind::Number(s) | Kind::String(s) => s.trim().parse::<f64>().ok(),
            _ => None,
        }
    }

    /// The value as a boolean, converting `"true"`/`"false"` as Terraform does.
    pub fn as_bool(&self) -> Option<bool> {
        match &self.kind {
            Kind::Bool(b) => Some(*b),
            Kind::String(s) if s == "true" => Some(true),
            Kind::String(s) if s == "false" => Some(false),
            _ => None,
        }
    }

    /// The text of an unknown value.
    pub fn unknown_text(&self) -> Option<&str> {
        match &self.kind {
            Kind::Unknown(e) => Some(e),
            Kind::Instance(i) => Some(&i.address),
            Kind::Module(m) => Some(&m.address),
            _ => None,
        }
    }

    /// Render as JSON text (unknown parts as their expression strings).
    pub fn to_json(&self) -> String {
        self.to_node(&Origin::Unknown).to_json_text()
    }

    /// Convert to a document node. `origin` is the origin of this value in its use (its path is
    /// extended for children); spans come from the values themselves.
    pub fn to_node(&self, origin: &Origin) -> Node {
        let path = origin.path().unwrap_or_default().to_owned();
        self.to_node_at(&path, origin)
    }

    fn origin_at(&self, path: &str, fallback: &Origin) -> Origin {
        if matches!(fallback, Origin::Unknown) {
            return Origin::Unknown;
        }
        Origin::source(self.file, self.span, path)
    }

    fn to_node_at(&self, path: &str, fallback: &Origin) -> Node {
        let origin = self.origin_at(path, fallback);
        let kind = match &self.kind {
            Kind::Null => NodeKind::Null,
            Kind::Bool(b) => NodeKind::Bool(*b),
            Kind::Number(n) => NodeKind::Number(n.clone()),
            Kind::String(s) => NodeKind::String(s.clone()),
            Kind::List(items) => NodeKind::List(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| v.to_node_at(&join_path(path, &format!("[{i}]")), fallback))
                    .collect(),
            ),
            Kind::Map(entries) => NodeKind::Map(
                entries
                    .iter()
                    .map(|e| {
                        let child = join_path(path, &e.key);
                        let key_origin = if matches!(fallback, Origin::Unknown) {
                            Origin::Unknown
                        } else {
                            Origin::source(e.value.file, e.key_span, child.clone())
                        };
                        Entry {
                            key: e.key.clone(),
                            key_origin,
                            value: e.value.to_node_at(&child, fallback),
                        }
                    })
                    .collect(),
            ),
            // A JSON string inside a document is a string, as AWS sees it.
            Kind::Json(inner) => NodeKind::String(inner.to_json()),
            Kind::Instance(i) => NodeKind::Unresolved(i.address.to_string()),
            Kind::Module(m) => NodeKind::Unresolved(m.address.to_string()),
            Kind::Unknown(e) => NodeKind::Unresolved(e.clone()),
        };
        Node::new(kind, origin)
    }
}

/// Terraform prints whole numbers without a fraction.
pub(crate) fn format_number(n: f64) -> String {
    if n.is_finite() && n.fract() == 0.0 && n.abs() < 1e15 {
        // Whole and small enough to be exact as an integer.
        #[allow(clippy::cast_possible_truncation, reason = "checked whole and < 1e15")]
        let i = n as i64;
        i.to_string()
    } else {
        n.to_string()
    }
}

/// Build a value from a JSON document (tfvars.json, `jsondecode` of a literal), every part at
/// `span` of `file`.
pub(crate) fn from_json(json: &serde_json::Value, file: FileId, span: Span) -> V {
    let kind = match json {
        serde_json::Value::Null => Kind::Null,
        serde_json::Value::Bool(b) => Kind::Bool(*b),
        serde_json::Value::Number(n) => Kind::Number(n.to_string()),
        serde_json::Value::String(s) => Kind::String(s.clone()),
        serde_json::Value::Array(items) => {
            Kind::List(items.iter().map(|i| from_json(i, file, span)).collect())
        }
        serde_json::Value::Object(map) => Kind::Map(
            map.iter()
                .map(|(k, v)| MapEntry {
                    key: k.clone(),
                    key_span: span,
                    value: from_json(v, file, span),
                })
                .collect(),
        ),
    };
    V::new(kind, file, span)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> V {
        V::string(v, FileId(0), Span::new(1, 2))
    }

    #[test]
    fn numbers_print_like_terraform() {
        assert_eq!(format_number(3.0), "3");
        assert_eq!(format_number(-2.0), "-2");
        assert_eq!(format_number(1.5), "1.5");
    }

    #[test]
    fn nodes_keep_spans_and_paths() {
        let map = V::new(
            Kind::Map(vec![MapEntry {
                key: "Effect".into(),
                key_span: Span::new(5, 11),
                value: s("Allow"),
            }]),
            FileId(0),
            Span::new(0, 20),
        );
        let node = map.to_node(&Origin::source(FileId(0), Span::new(0, 20), "r.policy"));
        let e = node.entry("Effect").unwrap();
        assert_eq!(e.key_origin.path(), Some("r.policy.Effect"));
        assert_eq!(
            e.value.origin,
            Origin::source(FileId(0), Span::new(1, 2), "r.policy.Effect")
        );
        assert_eq!(map.to_json(), r#"{"Effect":"Allow"}"#);
        assert_eq!(map.get("Effect").and_then(V::as_str), Some("Allow"));
    }

    #[test]
    fn conversions() {
        assert_eq!(s("true").as_bool(), Some(true));
        assert_eq!(s(" 12 ").as_f64(), Some(12.0));
        assert!(V::unknown("var.x", FileId(0), Span::default()).has_unknown());
        assert_eq!(InstanceKey::Key("a\"b".into()).suffix(), r#"["a\"b"]"#);
        assert_eq!(InstanceKey::Index(2).suffix(), "[2]");
    }
}
