//! Building the CloudFormation nodes SAM generates. Values written in the SAM template keep
//! their own origins; values SAM adds are implied by the SAM resource (or property) they come
//! from.

use lambdasec_model::{Entry, Node, NodeKind, Origin};

/// A node builder whose nodes are implied by one origin.
#[derive(Debug, Clone)]
pub(crate) struct B {
    pub(crate) o: Origin,
}

impl B {
    pub(crate) fn new(owner: &Origin) -> Self {
        B { o: owner.implied() }
    }

    pub(crate) fn s(&self, v: impl Into<String>) -> Node {
        Node::string(v, self.o.clone())
    }

    pub(crate) fn map(&self, entries: Vec<(&str, Node)>) -> Node {
        Node::new(
            NodeKind::Map(
                entries
                    .into_iter()
                    .map(|(k, v)| Entry {
                        key: k.to_owned(),
                        key_origin: self.o.clone(),
                        value: v,
                    })
                    .collect(),
            ),
            self.o.clone(),
        )
    }

    pub(crate) fn list(&self, items: Vec<Node>) -> Node {
        Node::new(NodeKind::List(items), self.o.clone())
    }

    pub(crate) fn reference(&self, id: &str) -> Node {
        self.map(vec![("Ref", self.s(id))])
    }

    pub(crate) fn get_att(&self, id: &str, attr: &str) -> Node {
        self.map(vec![(
            "Fn::GetAtt",
            self.list(vec![self.s(id), self.s(attr)]),
        )])
    }

    pub(crate) fn sub(&self, template: impl Into<String>) -> Node {
        self.map(vec![("Fn::Sub", self.s(template))])
    }

    /// `{Effect: Allow, Action: [...], Resource: resource}`.
    pub(crate) fn allow(&self, actions: &[&str], resource: Node) -> Node {
        self.map(vec![
            ("Effect", self.s("Allow")),
            (
                "Action",
                self.list(actions.iter().map(|a| self.s(*a)).collect()),
            ),
            ("Resource", resource),
        ])
    }

    /// A policy document with these statements.
    pub(crate) fn document(&self, statements: Vec<Node>) -> Node {
        self.map(vec![
            ("Version", self.s("2012-10-17")),
            ("Statement", self.list(statements)),
        ])
    }
}

/// A copy of a map node with more entries (an entry of the same key is replaced).
pub(crate) fn with_entries(map: Option<&Node>, owner: &Origin, extra: Vec<Entry>) -> Node {
    let mut entries: Vec<Entry> = map
        .and_then(Node::as_map)
        .map(<[Entry]>::to_vec)
        .unwrap_or_default();
    for e in extra {
        match entries.iter_mut().find(|x| x.key == e.key) {
            Some(x) => *x = e,
            None => entries.push(e),
        }
    }
    Node::new(
        NodeKind::Map(entries),
        map.map_or_else(|| owner.implied(), |m| m.origin.clone()),
    )
}

/// A property copied under a (possibly new) name, keeping its origin.
pub(crate) fn entry(key: &str, value: &Node) -> Entry {
    Entry {
        key: key.to_owned(),
        key_origin: value.origin.clone(),
        value: value.clone(),
    }
}
