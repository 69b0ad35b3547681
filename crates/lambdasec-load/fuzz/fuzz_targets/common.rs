//! Checks shared by the loader fuzz targets: every origin of an inventory points inside a file
//! of the source map.

use lambdasec_model::{Inventory, Node, NodeKind, Origin, SourceMap};

pub fn check_origin(sources: &SourceMap, origin: &Origin) {
    if let Origin::Source { file, span, .. } = origin.anchor() {
        let f = sources.get(*file).expect("origin names a file of the source map");
        assert!(span.start <= span.end, "span {span:?} is reversed");
        assert!(
            span.end as usize <= f.text.len(),
            "span {span:?} beyond {} bytes of {}",
            f.text.len(),
            f.path
        );
    }
}

pub fn check_node(sources: &SourceMap, node: &Node) {
    node.walk(&mut |n| check_origin(sources, &n.origin));
    if let NodeKind::Map(entries) = &node.kind {
        for e in entries {
            check_origin(sources, &e.key_origin);
        }
    }
}

/// Check the origins of an inventory: declarations, references, documents, environment.
pub fn check_inventory(sources: &SourceMap, inv: &Inventory) {
    for d in &inv.diagnostics {
        check_origin(sources, &d.origin);
    }
    for m in inv.metas() {
        check_origin(sources, &m.origin);
    }
    for (_, target) in inv.references() {
        check_origin(sources, &target.origin);
    }
    for r in &inv.roles {
        if let Some(doc) = &r.assume_role_policy {
            check_node(sources, doc);
        }
        for p in &r.inline_policies {
            check_node(sources, &p.document);
        }
    }
    for p in &inv.policies {
        check_node(sources, &p.document);
    }
    for f in &inv.functions {
        for e in f.env_vars() {
            check_origin(sources, &e.name_origin);
            check_origin(sources, &e.value.origin);
        }
    }
}
