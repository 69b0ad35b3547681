//! The `aws_iam_policy_document` data source: its blocks rendered as the IAM JSON document the
//! AWS provider produces, every part keeping the span of the block or argument it comes from.
//!
//! As the provider does: `effect` defaults to `Allow`, `version` to `2012-10-17`; sets of one
//! element render as a string; principals group by type (`type = "*"` with `["*"]` is
//! `"Principal": "*"`); conditions group by test then variable; `source_policy_documents` come
//! first, then this document's statements, then `override_policy_documents`, a statement with
//! the `sid` of an earlier one replacing it.

use super::value::{Kind, MapEntry, V, from_json};
use lambdasec_model::{FileId, Origin, Span};

/// Build the document from the evaluated body of the data source.
pub(crate) fn build(body: &V, base: &Origin, file: FileId, here: Span) -> V {
    let (doc_file, doc_span) = match base {
        Origin::Source { file, span, .. } => (*file, *span),
        _ => (file, here),
    };
    let mut statements: Vec<V> = Vec::new();
    for key in ["source_policy_documents", "source_json"] {
        for doc in documents(body.get(key)) {
            merge_statements(&mut statements, doc);
        }
    }
    if let Some(list) = body.get("statement").and_then(V::as_list) {
        for st in list {
            merge_statement(&mut statements, statement(st));
        }
    }
    for key in ["override_policy_documents", "override_json"] {
        for doc in documents(body.get(key)) {
            merge_statements(&mut statements, doc);
        }
    }
    let mut entries = vec![MapEntry {
        key: "Version".into(),
        key_span: doc_span,
        value: body
            .get("version")
            .filter(|v| !v.is_null())
            .cloned()
            .unwrap_or_else(|| V::string("2012-10-17", doc_file, doc_span)),
    }];
    if let Some(id) = body.get("policy_id").filter(|v| !v.is_null()) {
        entries.push(MapEntry {
            key: "Id".into(),
            key_span: id.span,
            value: id.clone(),
        });
    }
    entries.push(MapEntry {
        key: "Statement".into(),
        key_span: doc_span,
        value: V::new(Kind::List(statements), doc_file, doc_span),
    });
    let doc = V::new(Kind::Map(entries), doc_file, doc_span);
    V::new(Kind::Json(Box::new(doc)), file, here)
}

/// The statements of documents given as JSON (strings, `jsonencode`d values or other
/// documents); an unknown document contributes one unknown statement.
fn documents(v: Option<&V>) -> Vec<Vec<V>> {
    let Some(v) = v else {
        return Vec::new();
    };
    let items: Vec<&V> = match &v.kind {
        Kind::List(items) => items.iter().collect(),
        Kind::Null => Vec::new(),
        _ => vec![v],
    };
    items
        .into_iter()
        .filter(|i| !i.is_null())
        .map(|item| {
            let doc = match &item.kind {
                Kind::Json(inner) => Some((**inner).clone()),
                Kind::String(s) => serde_json::from_str::<serde_json::Value>(s)
                    .ok()
                    .map(|j| from_json(&j, item.file, item.span)),
                _ => None,
            };
            match doc.as_ref().and_then(|d| d.get("Statement")) {
                Some(st) => match &st.kind {
                    Kind::List(list) => list.clone(),
                    _ => vec![st.clone()],
                },
                None => vec![V::unknown(
                    item.unknown_text()
                        .map_or_else(|| "policy document".to_owned(), str::to_owned),
                    item.file,
                    item.span,
                )],
            }
        })
        .collect()
}

fn merge_statements(into: &mut Vec<V>, statements: Vec<V>) {
    for st in statements {
        merge_statement(into, st);
    }
}

fn sid(st: &V) -> Option<String> {
    st.get("Sid")
        .and_then(V::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn merge_statement(into: &mut Vec<V>, st: V) {
    if let Some(s) = sid(&st)
        && let Some(existing) = into.iter_mut().find(|e| sid(e).as_deref() == Some(&s))
    {
        *existing = st;
        return;
    }
    into.push(st);
}

/// One `statement` block as an IAM statement.
fn statement(block: &V) -> V {
    if block.as_map().is_none() {
        // An unknown dynamic block.
        return block.clone();
    }
    let (file, span) = (block.file, block.span);
    let mut out: Vec<MapEntry> = Vec::new();
    let mut put = |key: &str, key_span: Span, value: V| {
        out.push(MapEntry {
            key: key.to_owned(),
            key_span,
            value,
        });
    };
    if let Some(v) = block.get("sid").filter(|v| !v.is_null()) {
        put("Sid", v.span, v.clone());
    }
    match block.get("effect").filter(|v| !v.is_null()) {
        Some(v) => put("Effect", v.span, v.clone()),
        None => put("Effect", span, V::string("Allow", file, span)),
    }
    for (tf, iam) in [
        ("actions", "Action"),
        ("not_actions", "NotAction"),
        ("resources", "Resource"),
        ("not_resources", "NotResource"),
    ] {
        if let Some(v) = block.get(tf).filter(|v| !v.is_null()) {
            put(iam, v.span, one_or_list(v));
        }
    }
    for (tf, iam) in [
        ("principals", "Principal"),
        ("not_principals", "NotPrincipal"),
    ] {
        if let Some(v) = block.get(tf).filter(|v| !v.is_null()) {
            put(iam, v.span, principals(v));
        }
    }
    if let Some(v) = block.get("condition").filter(|v| !v.is_null()) {
        put("Condition", v.span, conditions(v));
    }
    V::new(Kind::Map(out), file, span)
}

/// A set of one renders as its element.
fn one_or_list(v: &V) -> V {
    match &v.kind {
        Kind::List(items) if items.len() == 1 => {
            items.first().cloned().unwrap_or_else(|| v.clone())
        }
        _ => v.clone(),
    }
}

fn principals(blocks: &V) -> V {
    let Some(list) = blocks.as_list() else {
        return blocks.clone();
    };
    let mut by_type: Vec<MapEntry> = Vec::new();
    for b in list {
        let (Some(t), Some(ids)) = (b.get("type"), b.get("identifiers")) else {
            return V::unknown("principals", b.file, b.span);
        };
        let Some(tname) = t.as_str() else {
            return V::unknown(
                t.unknown_text().unwrap_or("principals").to_owned(),
                t.file,
                t.span,
            );
        };
        if tname == "*" {
            // `type = "*"` renders as the bare wildcard.
            return V::string("*", t.file, t.span);
        }
        let items: Vec<V> = match &ids.kind {
            Kind::List(items) => items.clone(),
            _ => vec![ids.clone()],
        };
        match by_type.iter_mut().find(|e| e.key == tname) {
            Some(e) => {
                if let Kind::List(existing) = &mut e.value.kind {
                    existing.extend(items);
                }
            }
            None => by_type.push(MapEntry {
                key: tname.to_owned(),
                key_span: t.span,
                value: V::new(Kind::List(items), ids.file, ids.span),
            }),
        }
    }
    for e in &mut by_type {
        e.value = one_or_list(&e.value);
    }
    V::new(Kind::Map(by_type), blocks.file, blocks.span)
}

fn conditions(blocks: &V) -> V {
    let Some(list) = blocks.as_list() else {
        return blocks.clone();
    };
    let mut by_test: Vec<MapEntry> = Vec::new();
    for b in list {
        let (Some(test), Some(var), Some(values)) =
            (b.get("test"), b.get("variable"), b.get("values"))
        else {
            return V::unknown("condition", b.file, b.span);
        };
        let (Some(test_name), Some(var_name)) = (test.as_str(), var.as_str()) else {
            return V::unknown("condition", b.file, b.span);
        };
        let entry = MapEntry {
            key: var_name.to_owned(),
            key_span: var.span,
            value: one_or_list(values),
        };
        match by_test.iter_mut().find(|e| e.key == test_name) {
            Some(e) => {
                if let Kind::Map(vars) = &mut e.value.kind {
                    vars.push(entry);
                }
            }
            None => by_test.push(MapEntry {
                key: test_name.to_owned(),
                key_span: test.span,
                value: V::new(Kind::Map(vec![entry]), b.file, b.span),
            }),
        }
    }
    V::new(Kind::Map(by_test), blocks.file, blocks.span)
}
