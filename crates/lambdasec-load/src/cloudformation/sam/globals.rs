//! The SAM `Globals` section: properties shared by every function, API, HTTP API and layer,
//! merged as SAM documents it — maps merge key by key, lists append (globals first), and scalars
//! (and intrinsic functions) written on the resource override the global ones.

use crate::cloudformation::intrinsics::intrinsic;
use lambdasec_model::{Entry, Node, NodeKind};

/// The `Globals` section for a SAM resource type (`AWS::Serverless::Function` → `Function`).
pub(crate) fn section<'a>(root: &'a Node, type_name: &str) -> Option<&'a Node> {
    let name = type_name.strip_prefix("AWS::Serverless::")?;
    root.get("Globals")?.get(name)
}

/// Merge `global` properties under the resource's own `local` ones.
pub(crate) fn merge(global: &Node, local: Option<&Node>) -> Node {
    let Some(local) = local else {
        return global.clone();
    };
    match (&global.kind, &local.kind) {
        (NodeKind::Map(g), NodeKind::Map(l))
            if intrinsic(global).is_none() && intrinsic(local).is_none() =>
        {
            let mut entries: Vec<Entry> = Vec::with_capacity(g.len() + l.len());
            for ge in g {
                match l.iter().find(|le| le.key == ge.key) {
                    Some(le) => entries.push(Entry {
                        key: le.key.clone(),
                        key_origin: le.key_origin.clone(),
                        value: merge(&ge.value, Some(&le.value)),
                    }),
                    None => entries.push(ge.clone()),
                }
            }
            for le in l {
                if !g.iter().any(|ge| ge.key == le.key) {
                    entries.push(le.clone());
                }
            }
            Node::new(NodeKind::Map(entries), local.origin.clone())
        }
        (NodeKind::List(g), NodeKind::List(l)) => Node::new(
            NodeKind::List(g.iter().chain(l).cloned().collect()),
            local.origin.clone(),
        ),
        _ => local.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lambdasec_model::{FileId, SourceFile};

    #[test]
    fn maps_merge_lists_append_scalars_override() {
        let text = "Globals:\n  Function:\n    Runtime: python3.12\n    Timeout: 10\n    Layers: [a]\n    Environment: {Variables: {A: '1', B: '2'}}\n    VpcConfig: !Ref Vpc\nLocal:\n  Timeout: 30\n  Layers: [b]\n  Environment: {Variables: {B: '3'}}\n  VpcConfig: {SubnetIds: [s]}\n";
        let file = SourceFile::new(FileId(0), "t.yaml", text);
        let root = crate::yaml::parse(&file).unwrap().root;
        let g = section(&root, "AWS::Serverless::Function").unwrap();
        let merged = merge(g, root.get("Local"));
        assert_eq!(merged.get("Runtime").unwrap().as_str(), Some("python3.12"));
        assert_eq!(
            merged.get("Timeout").unwrap().scalar_text().as_deref(),
            Some("30")
        );
        assert_eq!(
            merged.get("Layers").unwrap().to_json_text(),
            "[\"a\",\"b\"]"
        );
        assert_eq!(
            merged.get("Environment").unwrap().to_json_text(),
            "{\"Variables\":{\"A\":\"1\",\"B\":\"3\"}}"
        );
        assert_eq!(
            merged.get("VpcConfig").unwrap().to_json_text(),
            "{\"SubnetIds\":[\"s\"]}"
        );
        assert!(section(&root, "AWS::Serverless::Api").is_none());
        assert!(section(&root, "AWS::Lambda::Function").is_none());
    }
}
