//! SAM policy templates (`Policies: [DynamoDBCrudPolicy: {TableName: !Ref Table}]`), expanded
//! to their real statements from the data the SAM translator ships
//! (`data/sam-policy-templates.json`, see `data/sam-policy-templates.md` for its origin).

use crate::cloudformation::props::from_json;
use crate::cloudformation::template::Template;
use lambdasec_model::{Entry, Node, NodeKind, Origin};
use std::sync::OnceLock;

const DATA: &str = include_str!("../../../data/sam-policy-templates.json");

fn templates() -> &'static serde_json::Map<String, serde_json::Value> {
    static TEMPLATES: OnceLock<serde_json::Map<String, serde_json::Value>> = OnceLock::new();
    TEMPLATES.get_or_init(|| {
        serde_json::from_str::<serde_json::Value>(DATA)
            .ok()
            .and_then(|v| v.get("Templates").and_then(|t| t.as_object()).cloned())
            .unwrap_or_default()
    })
}

/// True when `name` is a SAM policy template.
pub(crate) fn is_template(name: &str) -> bool {
    templates().contains_key(name)
}

/// The parameter names a template takes.
fn parameters(template: &serde_json::Value) -> Vec<&str> {
    template
        .get("Parameters")
        .and_then(|p| p.as_object())
        .map(|p| p.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

/// Expand the template `name` with the (evaluated) parameter map `params` into a policy
/// document. Its statements are implied by `owner` (the `Policies` item); parameter values keep
/// their own origins. `Err` says why SAM would reject it.
pub(crate) fn expand(
    t: &Template<'_>,
    name: &str,
    params: &Node,
    owner: &Origin,
) -> Result<Node, String> {
    let template = templates()
        .get(name)
        .ok_or_else(|| format!("`{name}` is not a SAM policy template"))?;
    let names = parameters(template);
    let given = match &params.kind {
        NodeKind::Map(entries) => entries.as_slice(),
        NodeKind::Null => &[],
        NodeKind::Unresolved(_) => {
            return Err(format!(
                "the parameters of policy template `{name}` are not knowable"
            ));
        }
        _ => {
            return Err(format!(
                "policy template `{name}` takes a map of parameters"
            ));
        }
    };
    for p in &names {
        if !given.iter().any(|e| e.key == *p) {
            return Err(format!(
                "policy template `{name}` is missing its parameter `{p}`"
            ));
        }
    }
    let implied = owner.implied();
    let definition = template
        .get("Definition")
        .map(|d| from_json(d, &implied))
        .ok_or_else(|| format!("policy template `{name}` has no definition"))?;
    let substituted = substitute(&definition, &names, given);
    let mut doc = t
        .eval(&substituted)
        .unwrap_or_else(|| Node::new(NodeKind::Map(Vec::new()), implied.clone()));
    if let NodeKind::Map(entries) = &mut doc.kind
        && !entries.iter().any(|e| e.key == "Version")
    {
        entries.insert(
            0,
            Entry {
                key: "Version".into(),
                key_origin: implied.clone(),
                value: Node::string("2012-10-17", implied.clone()),
            },
        );
    }
    Ok(doc)
}

/// Replace `{Ref: Param}` for the template's parameters by the given values.
fn substitute(n: &Node, names: &[&str], given: &[Entry]) -> Node {
    if let Some([e]) = n.as_map()
        && e.key == "Ref"
        && let Some(p) = e.value.as_str()
        && names.contains(&p)
        && let Some(v) = given.iter().find(|g| g.key == p)
    {
        return v.value.clone();
    }
    let kind = match &n.kind {
        NodeKind::Map(entries) => NodeKind::Map(
            entries
                .iter()
                .map(|e| Entry {
                    key: e.key.clone(),
                    key_origin: e.key_origin.clone(),
                    value: substitute(&e.value, names, given),
                })
                .collect(),
        ),
        NodeKind::List(items) => {
            NodeKind::List(items.iter().map(|i| substitute(i, names, given)).collect())
        }
        other => other.clone(),
    };
    Node::new(kind, n.origin.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LoadOptions;
    use lambdasec_model::{FileId, SourceFile};

    #[test]
    fn every_template_expands() {
        let file = SourceFile::new(FileId(0), "t.yaml", "{}");
        let root = crate::yaml::parse(&file).unwrap().root;
        let options = LoadOptions::default();
        let t = Template::new(&file, &root, &options);
        assert!(templates().len() > 70, "embedded templates are missing");
        for (name, template) in templates() {
            let params = Node::new(
                NodeKind::Map(
                    parameters(template)
                        .into_iter()
                        .map(|p| Entry {
                            key: p.to_owned(),
                            key_origin: Origin::Unknown,
                            value: Node::string(format!("v-{p}"), Origin::Unknown),
                        })
                        .collect(),
                ),
                Origin::Unknown,
            );
            let doc = expand(&t, name, &params, &Origin::Unknown).unwrap();
            let statements = doc.get("Statement").and_then(Node::as_list).unwrap();
            assert!(!statements.is_empty(), "{name}");
            for s in statements {
                assert!(s.get("Effect").is_some(), "{name}");
                assert!(
                    s.get("Action").is_some() || s.get("NotAction").is_some(),
                    "{name}"
                );
            }
        }
        assert!(t.diags.take().is_empty());
    }

    #[test]
    fn parameters_are_substituted_and_checked() {
        let text = "P: {TableName: orders}\nQ: {}\n";
        let file = SourceFile::new(FileId(0), "t.yaml", text);
        let root = crate::yaml::parse(&file).unwrap().root;
        let options = LoadOptions {
            region: Some("eu-west-1".into()),
            account_id: Some("123456789012".into()),
            ..LoadOptions::default()
        };
        let t = Template::new(&file, &root, &options);
        let doc = expand(
            &t,
            "DynamoDBReadPolicy",
            root.get("P").unwrap(),
            &Origin::Unknown,
        )
        .unwrap();
        let text = doc.to_json_text();
        assert!(
            text.contains("arn:aws:dynamodb:eu-west-1:123456789012:table/orders"),
            "{text}"
        );
        let err = expand(
            &t,
            "DynamoDBReadPolicy",
            root.get("Q").unwrap(),
            &Origin::Unknown,
        )
        .unwrap_err();
        assert!(err.contains("missing its parameter `TableName`"));
        assert!(!is_template("NotATemplate"));
    }
}
