//! Terraform: HCL modules and plan JSON.
//!
//! A module directory is parsed with `hcl-edit` (byte spans on every expression) and evaluated
//! the way Terraform would, as far as that is possible offline: variables (defaults,
//! `terraform.tfvars`, `*.auto.tfvars`, user parameters as `-var`), locals, resource and data
//! source attributes, the common functions, `count` / `for_each` instances, `dynamic` blocks,
//! local modules (and modules installed under `.terraform/modules`). Registry and git modules
//! that are not installed are reported and their outputs are unknown. Resource attributes known
//! only after apply (`arn`, `id`, ...) stay unknown, but a reference to a resource becomes
//! `Target::Local(address)` with Terraform's address syntax (`module.api.aws_iam_role.exec[0]`).
//!
//! Values point at the text they come from: a literal in the resource, a variable default, a
//! tfvars file, a local; their human path is the resource address plus the argument path.
//! Suppressions are comments: `# lambdasec:ignore:CODE reason` above or inside a block.

mod archive;
mod body;
mod eval;
mod extract;
mod functions;
mod module;
mod parse;
mod plan;
mod policy_document;
mod suppress;
mod value;

pub use parse::ParseError;

use crate::LoadOptions;
use body::{Cx, Obj};
use eval::{Evaluator, Scope, normalize};
use extract::Res;
use lambdasec_model::{
    Diagnostic, FileId, InputKind, Inventory, NodeKind, Origin, SourceFile, SourceMap, Span,
    Suppression, Target,
};
use module::{Expansion, Item, ModuleDef, ModuleInst};
use parse::{Mode, span_of};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;
use value::{Kind, MapEntry, V};

/// Load one Terraform module directory (its `.tf` files).
pub fn load(files: &[FileId], sources: &SourceMap, options: &LoadOptions) -> Inventory {
    let mut inv = Inventory::new(InputKind::Terraform);
    let files: Vec<Arc<SourceFile>> = files.iter().filter_map(|f| sources.get(*f)).collect();
    let Some(first) = files.first() else {
        return inv;
    };
    let dir = Path::new(&first.path)
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let dir = if dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        dir
    };
    let def = ModuleDef::from_files(dir.clone(), ".".to_owned(), files);
    inv.diagnostics
        .extend(def.config.diagnostics.iter().cloned());
    let ev = Evaluator::new(sources, options, installed_modules(&dir));
    let root = ev.add_inst(ModuleInst::new(
        Rc::new(def),
        String::new(),
        String::new(),
        None,
    ));
    set_root_inputs(&ev, root, &dir);

    let mut evaluated = Vec::new();
    walk(&ev, root, &mut evaluated);
    let providers = providers(&ev, root);
    if inv.region.is_none() {
        inv.region = providers.region.clone();
    }

    let mut cx = Cx::new(Some(sources), None);
    cx.redirects = kms_alias_redirects(
        evaluated
            .iter()
            .map(|e| (e.address.as_str(), e.rtype.as_str(), &e.body)),
    );
    cx.declared = evaluated.iter().map(|e| e.address.clone()).collect();
    cx.archives = archive::archives(&ev, root);
    let resources: Vec<Res<'_>> = evaluated
        .iter()
        .map(|e| Res {
            address: e.address.clone(),
            rtype: e.rtype.clone(),
            obj: Obj::new(&cx, &e.body, e.address.clone()),
            suppressions: e.suppressions.clone(),
            path_module: e.path_module.clone(),
            module_prefix: e.module_prefix.clone(),
            default_tags: providers
                .default_tags
                .get(&e.provider)
                .or_else(|| providers.default_tags.get(""))
                .map(|v| {
                    Obj::new(
                        &cx,
                        v,
                        format!("provider.aws{}.default_tags", alias_suffix(&e.provider)),
                    )
                }),
        })
        .collect();
    extract::extract(&cx, &resources, &mut inv);
    drop(resources);
    inv.diagnostics.extend(ev.diags.take());
    inv.diagnostics.extend(cx.diags.take());
    inv.package_filters.extend(cx.filters.take());
    inv
}

/// Load a plan (`terraform show -json`).
pub fn load_plan(file: &SourceFile, options: &LoadOptions) -> Inventory {
    plan::load(file, options)
}

fn alias_suffix(alias: &str) -> String {
    if alias.is_empty() {
        String::new()
    } else {
        format!(".{alias}")
    }
}

/// One resource instance with its evaluated body.
#[derive(Debug)]
struct Evaluated {
    address: String,
    rtype: String,
    body: V,
    suppressions: Vec<Suppression>,
    path_module: String,
    module_prefix: String,
    /// The provider alias (`""` for the default provider).
    provider: String,
}

/// Evaluate every managed resource instance of a module instance and of the modules it calls.
fn walk(ev: &Evaluator<'_>, inst_id: usize, out: &mut Vec<Evaluated>) {
    let Some(inst) = ev.inst(inst_id) else {
        return;
    };
    for (ri, rb) in inst.def.config.resources.iter().enumerate() {
        if rb.mode == Mode::Data {
            continue;
        }
        let expansion = ev.expansion(inst_id, Item::Resource(ri));
        if let Expansion::Unknown(text) = &*expansion {
            ev.diags.push(Diagnostic::warning(
                format!(
                    "the instances of `{}` depend on `{text}`, which is not known offline; \
                     evaluated once, with `count.index` / `each` unknown",
                    inst.resource_address(ri, None)
                ),
                Origin::source(rb.file, rb.span, inst.resource_address(ri, None)),
            ));
        }
        let provider = rb
            .meta_arg("provider")
            .map(|e| {
                let text = ev.text(rb.file, span_of(hcl_edit::Span::span(e)));
                text.trim()
                    .strip_prefix("aws.")
                    .unwrap_or_default()
                    .to_owned()
            })
            .unwrap_or_default();
        for key in expansion.keys() {
            let scope = ev.item_scope(inst_id, Item::Resource(ri), key.as_ref(), rb.file);
            let mut body = ev.eval_body(&rb.body, &scope, true);
            body.span = rb.span;
            out.push(Evaluated {
                address: inst.resource_address(ri, key.as_ref()),
                rtype: rb.rtype.clone(),
                body,
                suppressions: rb.suppressions.clone(),
                path_module: inst.def.path_module.clone(),
                module_prefix: inst.prefix.clone(),
                provider: provider.clone(),
            });
        }
    }
    for ci in 0..inst.def.config.modules.len() {
        let expansion = ev.expansion(inst_id, Item::Module(ci));
        for key in expansion.keys() {
            if let Some(child) = ev.child(inst_id, ci, key) {
                walk(ev, child, out);
            }
        }
    }
}

/// What the root module's `provider "aws"` blocks say.
#[derive(Debug, Default)]
struct Providers {
    /// `default_tags` by provider alias (`""` for the default provider).
    default_tags: HashMap<String, V>,
    region: Option<String>,
}

fn providers(ev: &Evaluator<'_>, root: usize) -> Providers {
    let mut out = Providers::default();
    let Some(inst) = ev.inst(root) else {
        return out;
    };
    for p in &inst.def.config.providers {
        let scope = Scope::module(root, p.file);
        let alias = p.alias.clone().unwrap_or_default();
        if alias.is_empty()
            && let Some(region) = p.body.get_attribute("region")
        {
            out.region = ev
                .eval_or_unknown(&region.value, &scope)
                .as_str()
                .map(str::to_owned);
        }
        if let Some(block) = p.body.blocks().find(|b| b.ident.as_str() == "default_tags") {
            let body = ev.eval_body(&block.body, &scope, false);
            out.default_tags.insert(alias, body);
        }
    }
    out
}

/// A reference to a KMS alias stands for its key.
fn kms_alias_redirects<'v>(
    resources: impl Iterator<Item = (&'v str, &'v str, &'v V)>,
) -> HashMap<String, Target> {
    resources
        .filter(|(_, rtype, _)| *rtype == "aws_kms_alias")
        .filter_map(|(address, _, body)| {
            let key = body.get("target_key_id")?;
            let target = match &key.refers {
                Some(a) => Target::Local(a.to_string()),
                None => Target::from_literal(key.as_str()?),
            };
            Some((address.to_owned(), target))
        })
        .collect()
}

/// Modules installed by `terraform init`: `.terraform/modules/modules.json` maps module keys
/// (`lambda`, `lambda.alias`) to directories relative to the root module.
fn installed_modules(dir: &Path) -> HashMap<String, PathBuf> {
    #[derive(serde::Deserialize)]
    struct Manifest {
        #[serde(rename = "Modules", default)]
        modules: Vec<Entry>,
    }
    #[derive(serde::Deserialize)]
    struct Entry {
        #[serde(rename = "Key")]
        key: String,
        #[serde(rename = "Dir")]
        dir: String,
    }
    let path = dir.join(".terraform").join("modules").join("modules.json");
    let Ok(text) = std::fs::read_to_string(path) else {
        return HashMap::new();
    };
    let Ok(manifest) = serde_json::from_str::<Manifest>(&text) else {
        return HashMap::new();
    };
    manifest
        .modules
        .into_iter()
        .filter(|m| !m.key.is_empty())
        .map(|m| (m.key, PathBuf::from(m.dir)))
        .collect()
}

/// Root variable values: `terraform.tfvars`, `*.auto.tfvars` (and their `.json` forms) in
/// lexical order, as Terraform loads them, then the user's parameters (`-var`).
fn set_root_inputs(ev: &Evaluator<'_>, root: usize, dir: &Path) {
    let Some(inst) = ev.inst(root) else {
        return;
    };
    let mut files: Vec<PathBuf> = Vec::new();
    for name in ["terraform.tfvars", "terraform.tfvars.json"] {
        let p = dir.join(name);
        if p.is_file() {
            files.push(p);
        }
    }
    let mut auto: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                        n.ends_with(".auto.tfvars") || n.ends_with(".auto.tfvars.json")
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    auto.sort();
    files.extend(auto);
    let mut values: HashMap<String, V> = HashMap::new();
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let id = ev.sources.add(normalize(&path).display().to_string(), text);
        let Some(file) = ev.sources.get(id) else {
            continue;
        };
        if path.extension().is_some_and(|e| e == "json") {
            match crate::yaml::parse(&file) {
                Ok(doc) => {
                    if let NodeKind::Map(entries) = &doc.root.kind {
                        for e in entries {
                            values.insert(e.key.clone(), node_value(&e.value, id));
                        }
                    }
                }
                Err(e) => ev.diags.push(e.to_diagnostic()),
            }
            continue;
        }
        match parse::parse_file(&file) {
            Ok(body) => {
                let scope = Scope::module(root, id);
                for attr in body.attributes() {
                    let v = ev.eval_or_unknown(&attr.value, &scope);
                    values.insert(attr.key.as_str().to_owned(), v);
                }
            }
            Err(e) => ev.diags.push(e.to_diagnostic(id)),
        }
    }
    let params: Vec<(&String, &String)> = ev
        .options
        .parameters
        .iter()
        .filter(|(k, _)| inst.def.config.variable(k).is_some())
        .collect();
    if !params.is_empty() {
        let mut text = String::new();
        let mut spans = Vec::new();
        for (k, v) in &params {
            text.push_str(k);
            text.push('=');
            let start = text.len();
            text.push_str(v);
            spans.push(Span::new(start, text.len()));
            text.push('\n');
        }
        let id = ev.sources.add("(parameters)", text);
        for ((k, v), span) in params.into_iter().zip(spans) {
            values.insert(k.clone(), parameter_value(ev, root, id, v, span));
        }
    }
    // Only declared variables take values (Terraform warns about the others).
    values.retain(|k, _| inst.def.config.variable(k).is_some());
    *inst.root_inputs.borrow_mut() = values;
}

/// A `-var` value: HCL literals (lists, objects, numbers, booleans) as such, anything else as
/// a string.
fn parameter_value(ev: &Evaluator<'_>, root: usize, file: FileId, text: &str, span: Span) -> V {
    use hcl_edit::expr::Expression as E;
    if let Ok(expr) = hcl_edit::parser::parse_expr(text)
        && matches!(
            expr,
            E::Array(_) | E::Object(_) | E::Number(_) | E::Bool(_) | E::String(_)
        )
        && let Ok(mut v) = ev.eval(&expr, &Scope::module(root, file))
    {
        shift(&mut v, span.start);
        return v;
    }
    V::string(text, file, span)
}

fn shift(v: &mut V, by: u32) {
    v.span = Span {
        start: v.span.start.saturating_add(by),
        end: v.span.end.saturating_add(by),
    };
    match &mut v.kind {
        Kind::List(items) => items.iter_mut().for_each(|i| shift(i, by)),
        Kind::Map(entries) => entries.iter_mut().for_each(|e| {
            e.key_span = Span {
                start: e.key_span.start.saturating_add(by),
                end: e.key_span.end.saturating_add(by),
            };
            shift(&mut e.value, by);
        }),
        _ => {}
    }
}

/// A value from a JSON/YAML node (variables files in JSON), with its spans.
fn node_value(node: &lambdasec_model::Node, file: FileId) -> V {
    let span = match &node.origin {
        Origin::Source { span, .. } => *span,
        _ => Span::default(),
    };
    let kind = match &node.kind {
        NodeKind::Null => Kind::Null,
        NodeKind::Bool(b) => Kind::Bool(*b),
        NodeKind::Number(n) => Kind::Number(n.clone()),
        NodeKind::String(s) => Kind::String(s.clone()),
        NodeKind::Unresolved(s) => Kind::Unknown(s.clone()),
        NodeKind::List(items) => Kind::List(items.iter().map(|i| node_value(i, file)).collect()),
        NodeKind::Map(entries) => Kind::Map(
            entries
                .iter()
                .map(|e| MapEntry {
                    key: e.key.clone(),
                    key_span: match &e.key_origin {
                        Origin::Source { span, .. } => *span,
                        _ => span,
                    },
                    value: node_value(&e.value, file),
                })
                .collect(),
        ),
    };
    V::new(kind, file, span)
}
