//! Typed reads of serverless.yml nodes (after variable resolution) into model values.
//!
//! CloudFormation intrinsics written in serverless.yml (`!Ref X`, `!GetAtt X.Arn`) are
//! references to resources of the stack; other intrinsics (`!Sub`, `!Join`, `!ImportValue`) are
//! unresolved with their source text, as are unresolved variables.

use lambdasec_model::{Entry, Node, NodeKind, Origin, SourceMap, Target, Value};

/// Reads with access to the source text (for the text of unresolved values).
#[derive(Debug, Clone, Copy)]
pub struct Reader<'a> {
    pub sources: &'a SourceMap,
}

impl<'a> Reader<'a> {
    /// The source text of a node, or its JSON rendering.
    pub fn text(&self, node: &Node) -> String {
        if let NodeKind::Unresolved(e) = &node.kind {
            return e.clone();
        }
        match &node.origin {
            Origin::Source { file, span, .. } if span.end > span.start => self
                .sources
                .get(*file)
                .map(|f| f.slice(*span).to_owned())
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| node.to_json_text()),
            _ => node.to_json_text(),
        }
    }

    pub fn string(&self, node: &Node) -> Value<String> {
        match node.scalar_text() {
            Some(s) => Value::explicit(s, node.origin.clone()),
            None => Value::unresolved(self.text(node), node.origin.clone()),
        }
    }

    pub fn opt_string(&self, node: Option<&Node>) -> Option<Value<String>> {
        node.filter(|n| !is_null(n)).map(|n| self.string(n))
    }

    pub fn int(&self, node: &Node) -> Value<i64> {
        match node
            .scalar_text()
            .and_then(|s| s.trim().parse::<f64>().ok())
        {
            Some(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => {
                #[allow(clippy::cast_possible_truncation, reason = "whole and within i64")]
                let i = n as i64;
                Value::explicit(i, node.origin.clone())
            }
            _ => Value::unresolved(self.text(node), node.origin.clone()),
        }
    }

    pub fn bool(&self, node: &Node) -> Value<bool> {
        match node.as_bool() {
            Some(b) => Value::explicit(b, node.origin.clone()),
            None => Value::unresolved(self.text(node), node.origin.clone()),
        }
    }

    /// A reference: `!Ref X` / `!GetAtt X.Arn` to a resource of the stack, else a literal ARN or
    /// name.
    pub fn target(&self, node: &Node) -> Value<Target> {
        if let Some(id) = intrinsic_resource(node) {
            return Value::explicit(Target::Local(id), node.origin.clone());
        }
        match node.scalar_text() {
            Some(s) if !s.is_empty() => {
                Value::explicit(Target::from_literal(&s), node.origin.clone())
            }
            _ => Value::unresolved(self.text(node), node.origin.clone()),
        }
    }

    /// A list, or one item written alone.
    pub fn targets(&self, node: Option<&Node>) -> Vec<Value<Target>> {
        node.filter(|n| !is_null(n))
            .map(|n| n.one_or_many().iter().map(|i| self.target(i)).collect())
            .unwrap_or_default()
    }

    pub fn strings(&self, node: Option<&Node>) -> Vec<Value<String>> {
        node.filter(|n| !is_null(n))
            .map(|n| n.one_or_many().iter().map(|i| self.string(i)).collect())
            .unwrap_or_default()
    }

    /// A policy document or statement as the IAM engine reads it: intrinsics become unresolved
    /// values with their text.
    pub fn document(&self, node: &Node) -> Node {
        if is_intrinsic(node) {
            return Node::new(NodeKind::Unresolved(self.text(node)), node.origin.clone());
        }
        let kind = match &node.kind {
            NodeKind::List(items) => {
                NodeKind::List(items.iter().map(|i| self.document(i)).collect())
            }
            NodeKind::Map(entries) => NodeKind::Map(
                entries
                    .iter()
                    .map(|e| Entry {
                        key: e.key.clone(),
                        key_origin: e.key_origin.clone(),
                        value: self.document(&e.value),
                    })
                    .collect(),
            ),
            other => other.clone(),
        };
        Node::new(kind, node.origin.clone())
    }
}

pub fn is_null(node: &Node) -> bool {
    matches!(node.kind, NodeKind::Null)
}

/// A map with one key that is an intrinsic function (`Ref`, `Fn::...`).
pub fn is_intrinsic(node: &Node) -> bool {
    match node.as_map() {
        Some([e]) => e.key == "Ref" || e.key.starts_with("Fn::") || e.key == "Condition",
        _ => false,
    }
}

/// The logical id a `Ref` / `Fn::GetAtt` names.
pub fn intrinsic_resource(node: &Node) -> Option<String> {
    let [e] = node.as_map()? else {
        return None;
    };
    match e.key.as_str() {
        "Ref" => {
            let id = e.value.as_str()?;
            (!id.starts_with("AWS::")).then(|| id.to_owned())
        }
        "Fn::GetAtt" => match &e.value.kind {
            NodeKind::String(s) => s.split_once('.').map(|(id, _)| id.to_owned()),
            NodeKind::List(items) => items.first()?.as_str().map(str::to_owned),
            _ => None,
        },
        _ => None,
    }
}

/// A node built by the loader (a framework default, a synthesized document part), owned by a
/// written node.
pub fn implied_string(s: &str, owner: &Origin) -> Node {
    Node::string(s, owner.implied())
}

/// A map node from entries built by the loader.
pub fn map(entries: Vec<(&str, Node)>, origin: &Origin) -> Node {
    Node::new(
        NodeKind::Map(
            entries
                .into_iter()
                .map(|(k, v)| Entry {
                    key: k.to_owned(),
                    key_origin: origin.clone(),
                    value: v,
                })
                .collect(),
        ),
        origin.clone(),
    )
}

pub fn list(items: Vec<Node>, origin: &Origin) -> Node {
    Node::new(NodeKind::List(items), origin.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use lambdasec_model::{FileId, SourceFile};

    #[test]
    fn references_and_text() {
        let sources = SourceMap::new();
        let text = "a: !GetAtt Role.Arn\nb: !Ref Table\nc: !Sub '${AWS::Region}-x'\nd: arn:aws:iam::1:role/r\ne: name\nf: !Ref AWS::Region\n";
        let id = sources.add("serverless.yml", text);
        let doc = crate::yaml::parse(&SourceFile::new(id, "serverless.yml", text))
            .unwrap()
            .root;
        let r = Reader { sources: &sources };
        let t = |k: &str| r.target(doc.get(k).unwrap()).get().cloned();
        assert_eq!(t("a"), Some(Target::Local("Role".into())));
        assert_eq!(t("b"), Some(Target::Local("Table".into())));
        assert_eq!(t("c"), None);
        assert_eq!(
            r.target(doc.get("c").unwrap()).unresolved_expr(),
            Some("!Sub '${AWS::Region}-x'")
        );
        assert_eq!(t("d"), Some(Target::Arn("arn:aws:iam::1:role/r".into())));
        assert_eq!(t("e"), Some(Target::Name("name".into())));
        assert_eq!(t("f"), None);
        let docnode = r.document(doc.get("c").unwrap());
        assert!(docnode.is_unresolved());
        let _ = FileId(0);
    }
}
