//! `Fn::ForEach` (the `AWS::LanguageExtensions` transform): a loop over a collection that
//! writes one copy of a template fragment per item.
//!
//! ```yaml
//! Resources:
//!   Fn::ForEach::Queues:
//!     - Name                      # the identifier
//!     - [Orders, Payments]        # the collection (a list, or a parameter, mapping, ...)
//!     - ${Name}Queue:             # the fragment: keys may use ${Name} or &{Name}
//!         Type: AWS::SQS::Queue
//!         Properties:
//!           QueueName: !Ref Name  # Ref to the identifier is the item
//! ```
//!
//! Loops are expanded in `Resources`, `Conditions` and `Outputs` (inside properties too, and
//! nested) when the collection is known offline, before anything else reads the template; a
//! loop over an unknown collection is left out with a warning. In the copies, `Ref` to the
//! identifier and `${Identifier}` in `Fn::Sub` become the item, `${Identifier}` in a key the
//! item and `&{Identifier}` in a key the item without its non-alphanumeric characters. Copied
//! nodes keep the location of the fragment they come from; a resource's path names its
//! expanded logical id.

use super::intrinsics::intrinsic;
use super::template::Template;
use crate::LoadOptions;
use lambdasec_model::{Diagnostic, Entry, Node, NodeKind, Origin, SourceFile};

const PREFIX: &str = "Fn::ForEach::";

/// How deep loops and fragments may nest.
const MAX_DEPTH: usize = 64;

/// Sections whose maps may hold loops.
const SECTIONS: &[&str] = &["Resources", "Conditions", "Outputs"];

/// The template with its loops expanded, and the problems met; `None` when it has no loop.
pub(crate) fn expand(
    file: &SourceFile,
    root: &Node,
    options: &LoadOptions,
) -> Option<(Node, Vec<Diagnostic>)> {
    let entries = root.as_map()?;
    let has_loop = SECTIONS.iter().any(|s| {
        let mut found = false;
        if let Some(n) = root.get(s) {
            n.walk(&mut |x| {
                found |= x
                    .as_map()
                    .is_some_and(|m| m.iter().any(|e| e.key.starts_with(PREFIX)));
            });
        }
        found
    });
    if !has_loop {
        return None;
    }
    let t = Template::new(file, root, options);
    // Parameter problems are reported by the template read after expansion.
    drop(t.diags.take());
    let mut x = Expander {
        t: &t,
        diags: Vec::new(),
    };
    let out: Vec<Entry> = entries
        .iter()
        .map(|e| {
            if SECTIONS.contains(&e.key.as_str()) {
                Entry {
                    key: e.key.clone(),
                    key_origin: e.key_origin.clone(),
                    value: x.node(
                        &e.value,
                        &[],
                        0,
                        (e.key == "Resources").then_some("Resources"),
                    ),
                }
            } else {
                e.clone()
            }
        })
        .collect();
    let mut diags = x.diags;
    diags.extend(t.diags.take());
    Some((Node::new(NodeKind::Map(out), root.origin.clone()), diags))
}

struct Expander<'t> {
    t: &'t Template<'t>,
    diags: Vec<Diagnostic>,
}

/// (identifier, item) pairs of the loops a node is inside.
type Bindings = [(String, String)];

impl Expander<'_> {
    /// A copy of `n` with `bindings` substituted and its loops expanded. `section` is set for
    /// the `Resources` map, whose keys are logical ids.
    fn node(&mut self, n: &Node, bindings: &Bindings, depth: usize, section: Option<&str>) -> Node {
        if depth > MAX_DEPTH {
            return n.clone();
        }
        if let Some((name, arg)) = intrinsic(n) {
            match name {
                "Ref" => {
                    if let Some(item) = arg
                        .as_str()
                        .and_then(|id| bindings.iter().find(|(b, _)| b == id))
                    {
                        return Node::string(item.1.clone(), n.origin.clone());
                    }
                }
                "Fn::Sub" if !bindings.is_empty() => {
                    return self.sub(n, arg, bindings, depth);
                }
                _ => {}
            }
        }
        match &n.kind {
            NodeKind::Map(entries) => {
                let mut out: Vec<Entry> = Vec::with_capacity(entries.len());
                for e in entries {
                    if e.key.starts_with(PREFIX) {
                        self.expand_loop(e, bindings, depth, section, &mut out);
                    } else {
                        let key = substitute_key(&e.key, bindings);
                        let key_origin = match section {
                            Some(s) if key != e.key => rename(&e.key_origin, &format!("{s}.{key}")),
                            _ => e.key_origin.clone(),
                        };
                        out.push(Entry {
                            value: self.node(&e.value, bindings, depth + 1, None),
                            key,
                            key_origin,
                        });
                    }
                }
                Node::new(NodeKind::Map(out), n.origin.clone())
            }
            NodeKind::List(items) => Node::new(
                NodeKind::List(
                    items
                        .iter()
                        .map(|i| self.node(i, bindings, depth + 1, None))
                        .collect(),
                ),
                n.origin.clone(),
            ),
            _ => n.clone(),
        }
    }

    /// `Fn::Sub` with the loop items written in.
    fn sub(&mut self, n: &Node, arg: &Node, bindings: &Bindings, depth: usize) -> Node {
        let arg = match &arg.kind {
            NodeKind::String(s) => Node::string(substitute_sub(s, bindings), arg.origin.clone()),
            NodeKind::List(items) => Node::new(
                NodeKind::List(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, item)| match (&item.kind, i) {
                            (NodeKind::String(s), 0) => {
                                Node::string(substitute_sub(s, bindings), item.origin.clone())
                            }
                            _ => self.node(item, bindings, depth + 1, None),
                        })
                        .collect(),
                ),
                arg.origin.clone(),
            ),
            _ => self.node(arg, bindings, depth + 1, None),
        };
        let key_origin = n
            .as_map()
            .and_then(|m| m.first())
            .map_or_else(|| n.origin.clone(), |e| e.key_origin.clone());
        Node::new(
            NodeKind::Map(vec![Entry {
                key: "Fn::Sub".to_owned(),
                key_origin,
                value: arg,
            }]),
            n.origin.clone(),
        )
    }

    /// One `Fn::ForEach::Name: [identifier, collection, fragment]` entry: its copies go into
    /// `out`.
    fn expand_loop(
        &mut self,
        e: &Entry,
        bindings: &Bindings,
        depth: usize,
        section: Option<&str>,
        out: &mut Vec<Entry>,
    ) {
        let (id, collection, fragment) = match e.value.as_list() {
            Some([id, collection, fragment]) => match (id.as_str(), fragment.as_map()) {
                (Some(id), Some(_)) => (id, collection, fragment),
                _ => {
                    self.error(
                        e,
                        "must be a list of an identifier, a collection and a map of fragments",
                    );
                    return;
                }
            },
            _ => {
                self.error(
                    e,
                    "must be a list of an identifier, a collection and a map of fragments",
                );
                return;
            }
        };
        let collection = self.node(collection, bindings, depth + 1, None);
        let items = self.t.eval(&collection).and_then(|c| match c.kind {
            NodeKind::List(items) => items
                .iter()
                .map(Node::scalar_text)
                .collect::<Option<Vec<_>>>(),
            _ => None,
        });
        let Some(items) = items else {
            self.diags.push(Diagnostic::warning(
                format!(
                    "`{}`: the collection is not known offline; the loop's fragments are not read",
                    e.key
                ),
                e.key_origin.clone(),
            ));
            return;
        };
        for item in items {
            let mut inner: Vec<(String, String)> = bindings.to_vec();
            inner.retain(|(b, _)| b != id);
            inner.push((id.to_owned(), item));
            let copy = self.node(fragment, &inner, depth + 1, section);
            if let NodeKind::Map(entries) = copy.kind {
                out.extend(entries);
            }
        }
    }

    fn error(&mut self, e: &Entry, what: &str) {
        self.diags.push(Diagnostic::error(
            format!("`{}` {what}", e.key),
            e.value.origin.clone(),
        ));
    }
}

/// A key with `${Id}` (the item) and `&{Id}` (the item's letters and digits) written in.
fn substitute_key(key: &str, bindings: &Bindings) -> String {
    let mut out = key.to_owned();
    for (id, item) in bindings {
        out = out.replace(&format!("${{{id}}}"), item);
        let alnum: String = item.chars().filter(char::is_ascii_alphanumeric).collect();
        out = out.replace(&format!("&{{{id}}}"), &alnum);
    }
    out
}

/// A `Fn::Sub` template with `${Id}` written in (not `${!Id}`, a literal).
fn substitute_sub(template: &str, bindings: &Bindings) -> String {
    let mut out = template.to_owned();
    for (id, item) in bindings {
        out = out.replace(&format!("${{{id}}}"), item);
    }
    out
}

/// An origin with another path (the expanded logical id), same location.
fn rename(origin: &Origin, path: &str) -> Origin {
    match origin {
        Origin::Source { file, span, .. } => Origin::source(*file, *span, path),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expanded(text: &str, options: &LoadOptions) -> (Node, Vec<Diagnostic>) {
        let file = SourceFile::new(lambdasec_model::FileId(0), "t.yaml", text);
        let root = crate::yaml::parse(&file).unwrap().root;
        expand(&file, &root, options).unwrap()
    }

    #[test]
    fn loops_copy_fragments() {
        let (root, diags) = expanded(
            "Parameters:\n  Envs: {Type: CommaDelimitedList, Default: 'dev,prod-1'}\nResources:\n  Fn::ForEach::Q:\n    - Env\n    - !Ref Envs\n    - '&{Env}Queue':\n        Type: AWS::SQS::Queue\n        Properties:\n          QueueName: !Ref Env\n          Tag: !Sub 'app-${Env}-${AWS::Region}'\n  Other:\n    Type: AWS::SNS::Topic\n",
            &LoadOptions::default(),
        );
        assert!(diags.is_empty(), "{diags:?}");
        let resources = root.get("Resources").unwrap();
        let keys: Vec<&str> = resources
            .as_map()
            .unwrap()
            .iter()
            .map(|e| e.key.as_str())
            .collect();
        assert_eq!(keys, ["devQueue", "prod1Queue", "Other"]);
        let prod = resources.get("prod1Queue").unwrap();
        assert_eq!(
            prod.get("Properties").unwrap().to_json_text(),
            r#"{"QueueName":"prod-1","Tag":{"Fn::Sub":"app-prod-1-${AWS::Region}"}}"#
        );
        let key = &resources.as_map().unwrap()[1].key_origin;
        assert_eq!(key.path(), Some("Resources.prod1Queue"));
    }

    #[test]
    fn nested_loops_and_unknown_collections() {
        let (root, diags) = expanded(
            "Parameters:\n  Free: {Type: CommaDelimitedList}\nResources:\n  Fn::ForEach::Outer:\n    - A\n    - [x, y]\n    - Fn::ForEach::Inner:\n        - B\n        - [1, 2]\n        - T${A}${B}:\n            Type: AWS::SNS::Topic\n  Fn::ForEach::Unknown:\n    - C\n    - !Ref Free\n    - Q${C}: {Type: AWS::SQS::Queue}\n  Fn::ForEach::Bad: [a]\n",
            &LoadOptions::default(),
        );
        let keys: Vec<&str> = root
            .get("Resources")
            .unwrap()
            .as_map()
            .unwrap()
            .iter()
            .map(|e| e.key.as_str())
            .collect();
        assert_eq!(keys, ["Tx1", "Tx2", "Ty1", "Ty2"]);
        assert_eq!(diags.len(), 2, "{diags:?}");
        assert!(diags[0].message.contains("not known offline"));
        assert_eq!(diags[1].level, lambdasec_model::Level::Error);
    }

    #[test]
    fn templates_without_loops_are_untouched() {
        let file = SourceFile::new(
            lambdasec_model::FileId(0),
            "t.yaml",
            "Resources:\n  A: {Type: AWS::SQS::Queue}\n",
        );
        let root = crate::yaml::parse(&file).unwrap().root;
        assert!(expand(&file, &root, &LoadOptions::default()).is_none());
    }
}
