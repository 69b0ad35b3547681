//! Typed reads of evaluated properties: strings, numbers, booleans, references and documents as
//! model [`Value`]s with their origins. A value of the wrong shape is a warning and reads as
//! unresolved, so rules stay silent about it.

use super::intrinsics::local_ref;
use super::template::Template;
use lambdasec_model::{Entry, Node, NodeKind, Origin, Target, Value};

/// A map of evaluated properties (or a block inside them), and the origin that AWS defaults
/// of its absent properties are implied from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Props<'a> {
    pub(crate) t: &'a Template<'a>,
    pub(crate) node: Option<&'a Node>,
    /// The declaration that owns these properties (the resource, or the block).
    pub(crate) owner: &'a Origin,
}

impl<'a> Props<'a> {
    pub(crate) fn new(t: &'a Template<'a>, node: Option<&'a Node>, owner: &'a Origin) -> Self {
        if let Some(n) = node
            && !matches!(n.kind, NodeKind::Map(_))
        {
            t.diags.warn(
                format!("expected a map, found `{}`", short(&t.expr_text(n))),
                &n.origin,
            );
        }
        Props { t, node, owner }
    }

    pub(crate) fn get(&self, key: &str) -> Option<&'a Node> {
        self.node?.get(key)
    }

    /// True when the block itself is known but not a map (an unresolved `Fn::If`, ...).
    pub(crate) fn is_unresolved(&self) -> bool {
        self.node
            .is_some_and(|n| !matches!(n.kind, NodeKind::Map(_)))
    }

    /// A nested block, e.g. `VpcConfig`; its absent properties are implied from it.
    pub(crate) fn block(&self, key: &str) -> Option<Props<'a>> {
        let n = self.get(key)?;
        Some(Props::new(self.t, Some(n), &n.origin))
    }

    pub(crate) fn string(&self, key: &str) -> Option<Value<String>> {
        self.get(key).map(|n| string(self.t, n))
    }

    /// A required string: a warning when absent, read as unresolved.
    pub(crate) fn required_string(&self, key: &str) -> Value<String> {
        self.string(key).unwrap_or_else(|| self.missing(key))
    }

    pub(crate) fn missing<T>(&self, key: &str) -> Value<T> {
        self.t
            .diags
            .warn(format!("required property `{key}` is missing"), self.owner);
        Value::unresolved(format!("<missing {key}>"), self.owner.clone())
    }

    pub(crate) fn target(&self, key: &str) -> Option<Value<Target>> {
        self.get(key).map(|n| target(self.t, n))
    }

    pub(crate) fn required_target(&self, key: &str) -> Value<Target> {
        self.target(key).unwrap_or_else(|| self.missing(key))
    }

    pub(crate) fn bool(&self, key: &str) -> Option<Value<bool>> {
        self.get(key).map(|n| boolean(self.t, n))
    }

    /// A boolean with its AWS default when absent.
    pub(crate) fn bool_or(&self, key: &str, default: bool) -> Value<bool> {
        self.bool(key)
            .unwrap_or_else(|| Value::default(default, self.owner))
    }

    pub(crate) fn int(&self, key: &str) -> Option<Value<i64>> {
        self.get(key).map(|n| integer(self.t, n))
    }

    pub(crate) fn int_or(&self, key: &str, default: i64) -> Value<i64> {
        self.int(key)
            .unwrap_or_else(|| Value::default(default, self.owner))
    }

    /// A string from a closed set, mapped by `parse` (case-sensitive as AWS is).
    pub(crate) fn choice<T>(
        &self,
        key: &str,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Option<Value<T>> {
        let v = self.string(key)?;
        Some(choice(self.t, v, key, parse))
    }

    /// A list of strings (a single string counts as a list of one).
    pub(crate) fn strings(&self, key: &str) -> Vec<Value<String>> {
        self.get(key)
            .map(|n| list(self.t, n, string))
            .unwrap_or_default()
    }

    pub(crate) fn targets(&self, key: &str) -> Vec<Value<Target>> {
        self.get(key)
            .map(|n| list(self.t, n, target))
            .unwrap_or_default()
    }

    /// A document (policy, pattern) as written, with references made unresolved.
    pub(crate) fn document(&self, key: &str) -> Option<Node> {
        self.get(key).map(|n| document(self.t, n))
    }

    /// The items of a list-valued property as blocks.
    pub(crate) fn blocks(&self, key: &str) -> Vec<Props<'a>> {
        match self.get(key) {
            Some(n) => match n.as_list() {
                Some(items) => items
                    .iter()
                    .map(|i| Props::new(self.t, Some(i), &i.origin))
                    .collect(),
                None => vec![Props::new(self.t, Some(n), &n.origin)],
            },
            None => Vec::new(),
        }
    }
}

/// Shorten a text for a message.
pub(crate) fn short(s: &str) -> String {
    let mut out: String = s.chars().take(60).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}

pub(crate) fn string(t: &Template<'_>, n: &Node) -> Value<String> {
    let o = n.origin.clone();
    match &n.kind {
        NodeKind::String(s) | NodeKind::Number(s) => Value::explicit(s.clone(), o),
        NodeKind::Bool(b) => Value::explicit(b.to_string(), o),
        NodeKind::Unresolved(e) => Value::unresolved(e.clone(), o),
        NodeKind::Map(_) if local_ref(n).is_some() => Value::unresolved(t.expr_text(n), o),
        _ => {
            t.diags.warn(
                format!("expected a string, found `{}`", short(&t.expr_text(n))),
                &n.origin,
            );
            Value::unresolved(t.expr_text(n), o)
        }
    }
}

pub(crate) fn target(t: &Template<'_>, n: &Node) -> Value<Target> {
    if let Some((id, _)) = local_ref(n) {
        return Value::explicit(Target::Local(id.to_owned()), n.origin.clone());
    }
    string(t, n).map(|s| Target::from_literal(&s))
}

pub(crate) fn boolean(t: &Template<'_>, n: &Node) -> Value<bool> {
    let o = n.origin.clone();
    match &n.kind {
        NodeKind::Bool(b) => Value::explicit(*b, o),
        NodeKind::String(s) if s.eq_ignore_ascii_case("true") => Value::explicit(true, o),
        NodeKind::String(s) if s.eq_ignore_ascii_case("false") => Value::explicit(false, o),
        NodeKind::Unresolved(e) => Value::unresolved(e.clone(), o),
        _ => {
            if local_ref(n).is_none() {
                t.diags.warn(
                    format!("expected a boolean, found `{}`", short(&t.expr_text(n))),
                    &n.origin,
                );
            }
            Value::unresolved(t.expr_text(n), o)
        }
    }
}

pub(crate) fn integer(t: &Template<'_>, n: &Node) -> Value<i64> {
    let o = n.origin.clone();
    let parsed = match &n.kind {
        NodeKind::Number(s) | NodeKind::String(s) => parse_int(s),
        NodeKind::Unresolved(e) => return Value::unresolved(e.clone(), o),
        _ => None,
    };
    match parsed {
        Some(i) => Value::explicit(i, o),
        None => {
            if local_ref(n).is_none() {
                t.diags.warn(
                    format!("expected an integer, found `{}`", short(&t.expr_text(n))),
                    &n.origin,
                );
            }
            Value::unresolved(t.expr_text(n), o)
        }
    }
}

fn parse_int(s: &str) -> Option<i64> {
    let s = s.trim();
    s.parse::<i64>().ok().or_else(|| {
        // `30.0` is an integer written as a float.
        let f: f64 = s.parse().ok()?;
        (f.fract() == 0.0 && f.abs() < 9.0e15).then_some(f as i64)
    })
}

pub(crate) fn choice<T>(
    t: &Template<'_>,
    v: Value<String>,
    key: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Value<T> {
    let origin = v.origin.clone();
    match v.state {
        lambdasec_model::State::Explicit(s) | lambdasec_model::State::Default(s) => {
            match parse(&s) {
                Some(x) => Value::explicit(x, origin),
                None => {
                    t.diags.warn(
                        format!("`{}` is not a valid value for `{key}`", short(&s)),
                        &origin,
                    );
                    Value::unresolved(s, origin)
                }
            }
        }
        lambdasec_model::State::Unresolved(e) => Value::unresolved(e, origin),
    }
}

/// A list read item by item; an unresolved list reads as one unresolved item.
pub(crate) fn list<T>(
    t: &Template<'_>,
    n: &Node,
    item: impl Fn(&Template<'_>, &Node) -> Value<T>,
) -> Vec<Value<T>> {
    match &n.kind {
        NodeKind::List(items) => items.iter().map(|i| item(t, i)).collect(),
        NodeKind::Unresolved(e) => vec![Value::unresolved(e.clone(), n.origin.clone())],
        _ => vec![item(t, n)],
    }
}

/// A document: references become unresolved nodes with their expression; a string holding
/// JSON (some properties take policies as strings) is parsed, its nodes pointing at the string.
pub(crate) fn document(t: &Template<'_>, n: &Node) -> Node {
    if let NodeKind::String(s) = &n.kind {
        let trimmed = s.trim_start();
        if (trimmed.starts_with('{') || trimmed.starts_with('['))
            && let Ok(v) = serde_json::from_str::<serde_json::Value>(s)
        {
            return from_json(&v, &n.origin);
        }
    }
    finalize(t, n)
}

fn finalize(t: &Template<'_>, n: &Node) -> Node {
    if local_ref(n).is_some() {
        return Node::new(NodeKind::Unresolved(t.expr_text(n)), n.origin.clone());
    }
    match &n.kind {
        NodeKind::Map(entries) => Node::new(
            NodeKind::Map(
                entries
                    .iter()
                    .map(|e| Entry {
                        key: e.key.clone(),
                        key_origin: e.key_origin.clone(),
                        value: finalize(t, &e.value),
                    })
                    .collect(),
            ),
            n.origin.clone(),
        ),
        NodeKind::List(items) => Node::new(
            NodeKind::List(items.iter().map(|i| finalize(t, i)).collect()),
            n.origin.clone(),
        ),
        _ => n.clone(),
    }
}

/// A JSON value as a node tree, every node pointing at `origin`.
pub(crate) fn from_json(v: &serde_json::Value, origin: &Origin) -> Node {
    use serde_json::Value as J;
    let kind = match v {
        J::Null => NodeKind::Null,
        J::Bool(b) => NodeKind::Bool(*b),
        J::Number(n) => NodeKind::Number(n.to_string()),
        J::String(s) => NodeKind::String(s.clone()),
        J::Array(items) => NodeKind::List(items.iter().map(|i| from_json(i, origin)).collect()),
        J::Object(m) => NodeKind::Map(
            m.iter()
                .map(|(k, v)| Entry {
                    key: k.clone(),
                    key_origin: origin.clone(),
                    value: from_json(v, origin),
                })
                .collect(),
        ),
    };
    Node::new(kind, origin.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LoadOptions;
    use lambdasec_model::{FileId, SourceFile};

    #[test]
    fn typed_reads_and_warnings() {
        let text = "P:\n  S: abc\n  N: 30\n  F: '30.0'\n  B: 'True'\n  Bad: [1]\n  R: !GetAtt Role.Arn\n  A: arn:aws:iam::1:role/x\n  L: [a, !Ref Q]\n  D: '{\"Version\": \"2012-10-17\"}'\n  Doc: {Resource: !GetAtt T.Arn}\n";
        let file = SourceFile::new(FileId(0), "t.yaml", text);
        let doc = crate::yaml::parse(&file).unwrap();
        let options = LoadOptions::default();
        let t = Template::new(&file, &doc.root, &options);
        let node = t.eval(doc.root.get("P").unwrap()).unwrap();
        let owner = Origin::Unknown;
        let p = Props::new(&t, Some(&node), &owner);
        assert_eq!(p.string("S").unwrap().as_str(), Some("abc"));
        assert_eq!(p.int("N").unwrap().get(), Some(&30));
        assert_eq!(p.int("F").unwrap().get(), Some(&30));
        assert_eq!(p.bool("B").unwrap().get(), Some(&true));
        assert!(p.int("Bad").unwrap().is_unresolved());
        assert_eq!(
            p.target("R").unwrap().get(),
            Some(&Target::Local("Role".into()))
        );
        assert_eq!(
            p.target("A").unwrap().get(),
            Some(&Target::Arn("arn:aws:iam::1:role/x".into()))
        );
        let l = p.targets("L");
        assert_eq!(l.len(), 2);
        assert_eq!(l[1].get(), Some(&Target::Local("Q".into())));
        assert!(p.bool_or("Missing", false).is_default());
        assert_eq!(
            p.document("D")
                .unwrap()
                .get("Version")
                .and_then(Node::as_str),
            Some("2012-10-17")
        );
        let d = p.document("Doc").unwrap();
        assert_eq!(
            d.get("Resource").unwrap().kind,
            NodeKind::Unresolved("!GetAtt T.Arn".into())
        );
        let warnings = t.diags.take();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].message.contains("expected an integer"));
    }
}
