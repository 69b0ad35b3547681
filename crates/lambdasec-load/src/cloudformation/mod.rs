//! CloudFormation and SAM templates (YAML with short-form tags, and JSON).
//!
//! A template is read into [`Node`]s with spans ([`crate::yaml`]), its `Fn::ForEach` loops are
//! expanded, its intrinsic functions are evaluated where the value is knowable offline
//! (parameters, pseudo parameters, conditions, mappings, `Fn::Sub`, ...), resources whose
//! condition is known false are dropped, a SAM template is checked for what the SAM transform
//! rejects, SAM resources are expanded into the CloudFormation resources the SAM translator
//! would create, and every resource of a type the model represents is extracted into the
//! [`Inventory`].
//!
//! [`load_template_node`] is the entry point for templates embedded in other inputs (the
//! `resources:` block of a serverless.yml).

mod conditions;
mod extract;
mod foreach;
mod intrinsics;
mod openapi;
mod props;
mod sam;
mod sub;
mod template;

use crate::LoadOptions;
use extract::Decl;
use lambdasec_model::{Diagnostic, InputKind, Inventory, Node, NodeKind, Origin, SourceFile};
use template::Template;

/// Load one template file.
pub fn load(file: &SourceFile, options: &LoadOptions) -> Inventory {
    let mut inv = Inventory::new(InputKind::CloudFormation);
    let doc = match crate::yaml::parse(file) {
        Ok(doc) => doc,
        Err(e) => {
            inv.diagnostics.push(e.to_diagnostic());
            return inv;
        }
    };
    inv.diagnostics.extend(doc.diagnostics);
    if is_sam(&doc.root) {
        inv.input = Some(InputKind::Sam);
    }
    load_template_node(&doc.root, file, options, &mut inv);
    inv
}

/// True when the template declares the SAM transform.
fn is_sam(root: &Node) -> bool {
    root.get("Transform").is_some_and(|t| {
        t.one_or_many()
            .iter()
            .any(|x| x.as_str().is_some_and(|s| s.starts_with("AWS::Serverless")))
    })
}

/// Extract the resources of an already-parsed template into `inventory`.
///
/// `root` is a template-shaped map: its `Resources` are read, with its own `Parameters`
/// (defaults, overridden by `options.parameters`), `Mappings` and `Conditions`; pseudo
/// parameters come from `options`. A serverless.yml passes its `resources:` block (after
/// resolving its own `${...}` variables): references to resources the Framework generates are
/// kept as local references. `file` is the file the nodes were read from (for the expression
/// text of unresolved values). Problems become diagnostics of `inventory`.
pub fn load_template_node(
    root: &Node,
    file: &SourceFile,
    options: &LoadOptions,
    inventory: &mut Inventory,
) {
    let whole_file = Origin::source(file.id, lambdasec_model::Span::default(), "");
    if !matches!(root.kind, NodeKind::Map(_)) {
        let what = match root.kind {
            NodeKind::Null => "the template is empty",
            _ => "a template must be a map of sections (`Resources`, `Parameters`, ...)",
        };
        inventory
            .diagnostics
            .push(Diagnostic::error(what, whole_file));
        return;
    }
    // `Fn::ForEach` loops are expanded first, as CloudFormation's language extensions do.
    let expanded = foreach::expand(file, root, options);
    let root = match expanded {
        Some((ref copy, ref diags)) => {
            inventory.diagnostics.extend(diags.iter().cloned());
            copy
        }
        None => root,
    };
    let t = Template::new(file, root, options);
    let Some(resources) = root.get("Resources") else {
        inventory.diagnostics.push(Diagnostic::error(
            "the template has no `Resources` section",
            whole_file,
        ));
        return;
    };
    if matches!(resources.kind, NodeKind::Null) {
        t.diags.warn("`Resources` is empty", &resources.origin);
        inventory.diagnostics.extend(t.diags.take());
        return;
    }
    let Some(entries) = resources.as_map() else {
        t.diags
            .error("`Resources` must be a map of resources", &resources.origin);
        inventory.diagnostics.extend(t.diags.take());
        return;
    };
    if is_sam(root)
        || entries.iter().any(|e| {
            e.value
                .get("Type")
                .and_then(Node::as_str)
                .is_some_and(|t| t.starts_with("AWS::Serverless::"))
        })
    {
        sam::validate::validate(&t, root);
    }
    let mut decls = Vec::with_capacity(entries.len());
    for e in entries {
        let Some(type_name) = e.value.get("Type").and_then(Node::as_str) else {
            t.diags.warn(
                format!("resource `{}` has no valid `Type`; it is not read", e.key),
                &e.key_origin,
            );
            continue;
        };
        if let Some(cond) = e.value.get("Condition") {
            match cond.as_str() {
                Some(name) => {
                    if t.condition(name, &cond.origin) == Some(false) {
                        continue;
                    }
                }
                None => t
                    .diags
                    .warn("`Condition` must be a condition name", &cond.origin),
            }
        }
        let raw = e.value.get("Properties");
        let props = match sam::globals::section(root, type_name) {
            // SAM resources take the `Globals` of their type first.
            Some(global) => t.eval(&sam::globals::merge(global, raw)),
            None => raw.and_then(|p| t.eval(p)),
        };
        decls.push(Decl {
            id: e.key.clone(),
            type_name: type_name.to_owned(),
            origin: e.key_origin.clone(),
            props,
            metadata: e.value.get("Metadata"),
            synthesized: false,
        });
    }
    let has_sam = decls
        .iter()
        .any(|d| d.type_name.starts_with("AWS::Serverless::"));
    if has_sam {
        let (decls, extras) = sam::expand(&t, root, decls);
        extract::extract_all(&t, &decls, inventory);
        extras.apply(inventory);
    } else {
        extract::extract_all(&t, &decls, inventory);
    }
    inventory.diagnostics.extend(t.diags.take());
}

#[cfg(test)]
mod tests {
    use super::*;
    use lambdasec_model::{FileId, Level};

    fn load_text(text: &str) -> Inventory {
        load(
            &SourceFile::new(FileId(0), "t.yaml", text),
            &LoadOptions::default(),
        )
    }

    #[test]
    fn not_a_template() {
        for text in ["", "- a\n- b\n", "Resources: [1]\n", "Description: x\n"] {
            let inv = load_text(text);
            assert_eq!(inv.diagnostics.len(), 1, "{text:?}: {:?}", inv.diagnostics);
            assert_eq!(inv.diagnostics[0].level, Level::Error);
        }
        let inv = load_text("Resources:\n  A: {Type: [x]}\n  B: {Properties: {}}\n");
        assert_eq!(inv.diagnostics.len(), 2);
        assert!(inv.diagnostics.iter().all(|d| d.level == Level::Warning));
    }

    #[test]
    fn conditions_drop_resources() {
        let inv = load_text(
            "Conditions:\n  No: !Equals [a, b]\nResources:\n  A:\n    Type: AWS::SQS::Queue\n    Condition: No\n  B:\n    Type: AWS::SQS::Queue\n",
        );
        assert_eq!(inv.queues.len(), 1);
        assert_eq!(inv.queues[0].meta.id, "B");
        assert!(inv.diagnostics.is_empty(), "{:?}", inv.diagnostics);
    }

    #[test]
    fn sam_is_detected() {
        let inv = load_text("Transform: AWS::Serverless-2016-10-31\nResources: {}\n");
        assert_eq!(inv.input, Some(InputKind::Sam));
        let inv = load_text(
            "Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]\nResources: {}\n",
        );
        assert_eq!(inv.input, Some(InputKind::Sam));
    }
}
