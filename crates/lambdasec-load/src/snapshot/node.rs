//! JSON documents of a snapshot (policies, filters, event patterns) as model [`Node`] trees,
//! every node located by the resource ARN and its API field path.

use lambdasec_model::{Entry, Node, NodeKind, Origin};
use serde_json::Value as Json;

/// Convert a JSON value found at `origin` (an ARN and a field path) into a node tree.
pub fn to_node(value: &Json, origin: &Origin) -> Node {
    let kind = match value {
        Json::Null => NodeKind::Null,
        Json::Bool(b) => NodeKind::Bool(*b),
        Json::Number(n) => NodeKind::Number(n.to_string()),
        Json::String(s) => NodeKind::String(s.clone()),
        Json::Array(items) => NodeKind::List(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| to_node(v, &origin.child(&format!("[{i}]"))))
                .collect(),
        ),
        Json::Object(map) => NodeKind::Map(
            map.iter()
                .map(|(k, v)| {
                    let o = origin.child(k);
                    Entry {
                        key: k.clone(),
                        key_origin: o.clone(),
                        value: to_node(v, &o),
                    }
                })
                .collect(),
        ),
    };
    Node::new(kind, origin.clone())
}

/// A policy or document that AWS returns as a JSON string inside JSON (SQS and SNS attributes,
/// API Gateway's `policy`): parsed when it is JSON, kept as a string node otherwise.
pub fn string_document_to_node(text: &str, origin: &Origin) -> Node {
    match serde_json::from_str::<Json>(text) {
        Ok(v @ (Json::Object(_) | Json::Array(_))) => to_node(&v, origin),
        _ => Node::string(text, origin.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_every_node() {
        let doc: Json = serde_json::from_str(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["lambda:InvokeFunction"],"Principal":"*"}]}"#,
        )
        .unwrap();
        let root = Origin::live("arn:aws:lambda:us-east-1:111122223333:function:f", "Policy");
        let n = to_node(&doc, &root);
        let stmt = &n.get("Statement").unwrap().as_list().unwrap()[0];
        let action = &stmt.get("Action").unwrap().as_list().unwrap()[0];
        assert_eq!(action.as_str(), Some("lambda:InvokeFunction"));
        assert_eq!(action.origin.path(), Some("Policy.Statement[0].Action[0]"));
        assert_eq!(n.to_json_text(), doc.to_string());
    }

    #[test]
    fn string_documents() {
        let o = Origin::live("arn:aws:sqs:us-east-1:111122223333:q", "Attributes.Policy");
        let n = string_document_to_node(r#"{"Statement":[]}"#, &o);
        assert!(n.get("Statement").is_some());
        let s = string_document_to_node("not json", &o);
        assert_eq!(s.as_str(), Some("not json"));
    }
}
