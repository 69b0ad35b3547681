//! `archive_file`: the zip Terraform builds from local sources at plan time.
//!
//! `filename = data.archive_file.fn.output_path` names a zip that exists only once Terraform
//! has run; what it will hold is written in the data source (`source_dir` minus `excludes`,
//! `source_file`, or `source { content, filename }` blocks). The package scan reads that
//! instead: a function whose `filename` is an archive's `output_path` (by reference, or the same
//! path written again) gets the archive's source as its code.

use super::body::at;
use super::eval::{Evaluator, normalize};
use super::module::Item;
use super::value::V;
use lambdasec_model::{Code, Origin, Value};
use std::collections::HashMap;
use std::path::Path;

/// What an archive holds.
#[derive(Debug, Clone)]
pub(crate) struct Archive {
    /// The code to scan: a local directory or file (relative to the file declaring the
    /// archive), or the text of its `source` blocks.
    pub code: Value<Code>,
    /// `excludes`, as package patterns (`!glob`).
    pub patterns: Vec<String>,
}

/// Every `archive_file` (data source or resource) of every module instance, by normalized
/// `output_path`.
pub(crate) fn archives(ev: &Evaluator<'_>, root: usize) -> HashMap<String, Archive> {
    let mut out = HashMap::new();
    walk(ev, root, &mut out);
    out
}

fn walk(ev: &Evaluator<'_>, inst_id: usize, out: &mut HashMap<String, Archive>) {
    let Some(inst) = ev.inst(inst_id) else {
        return;
    };
    for (ri, rb) in inst.def.config.resources.iter().enumerate() {
        if rb.rtype != "archive_file" {
            continue;
        }
        let expansion = ev.expansion(inst_id, Item::Resource(ri));
        for key in expansion.keys() {
            let scope = ev.item_scope(inst_id, Item::Resource(ri), key.as_ref(), rb.file);
            let mut body = ev.eval_body(&rb.body, &scope, true);
            body.span = rb.span;
            let address = inst.resource_address(ri, key.as_ref());
            if let Some((output, archive)) = read(&body, &address, &inst.def.path_module) {
                out.insert(output, archive);
            }
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

/// The key of a path written in a configuration: `./a/../b.zip` and `b.zip` are one file.
pub(crate) fn path_key(path: &str) -> String {
    normalize(Path::new(path)).display().to_string()
}

fn read(body: &V, address: &str, path_module: &str) -> Option<(String, Archive)> {
    let output = path_key(body.get("output_path")?.as_str()?);
    if body
        .get("type")
        .and_then(V::as_str)
        .is_some_and(|t| t != "zip")
    {
        return None;
    }
    let local = |key: &str| -> Option<Value<Code>> {
        let v = body.get(key)?;
        let origin = at(v, format!("{address}.{key}"));
        Some(match v.as_str() {
            Some(p) => Value::explicit(
                Code::Local {
                    path: relative_to_module(p, path_module),
                },
                origin,
            ),
            None => Value::unresolved(unknown(v), origin),
        })
    };
    let code = local("source_dir")
        .or_else(|| local("source_file"))
        .or_else(|| inline(body, address))?;
    let patterns = body
        .get("excludes")
        .and_then(V::as_list)
        .map(|items| {
            items
                .iter()
                .filter_map(V::as_str)
                .flat_map(|e| {
                    // A directory named here leaves out everything under it.
                    let e = e.strip_prefix("./").unwrap_or(e).trim_end_matches('/');
                    [format!("!{e}"), format!("!{e}/**")]
                })
                .collect()
        })
        .unwrap_or_default();
    Some((output, Archive { code, patterns }))
}

/// `source { content = ..., filename = ... }` blocks: their text, pointing at the one block's
/// content (or at the whole archive when there are several, so the scan can still find each
/// secret's own span in it).
fn inline(body: &V, address: &str) -> Option<Value<Code>> {
    let blocks = body.get("source")?.as_list()?;
    let mut text = String::new();
    let mut first: Option<&V> = None;
    for b in blocks {
        let content = b.get("content")?;
        let Some(c) = content.as_str() else {
            return Some(Value::unresolved(
                unknown(content),
                at(content, format!("{address}.source.content")),
            ));
        };
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(c);
        first.get_or_insert(content);
    }
    let origin = match (first, blocks.len()) {
        (Some(c), 1) => at(c, format!("{address}.source.content")),
        _ => Origin::source(body.file, body.span, address.to_owned()),
    };
    first?;
    Some(Value::explicit(Code::Inline { source: text }, origin))
}

/// The expression text of a value that is not known offline.
fn unknown(v: &V) -> String {
    v.unknown_text().map_or_else(|| v.to_json(), str::to_owned)
}

/// Terraform reads files relative to the working directory; `${path.module}/src` in a child
/// module is `src` next to the file that declares it.
pub(crate) fn relative_to_module(path: &str, path_module: &str) -> String {
    if path_module == "." {
        return path.strip_prefix("./").unwrap_or(path).to_owned();
    }
    match path.strip_prefix(path_module) {
        Some(rest) => rest.trim_start_matches('/').to_owned(),
        None => path.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        reason = "test code: a failure is a test failure"
    )]

    use crate::{LoadOptions, PackageScan, discover, load};
    use lambdasec_model::{Code, Origin, SourceMap};
    use std::path::Path;

    fn write(root: &Path, rel: &str, data: &str) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, data).unwrap();
    }

    /// Fake credentials in provider formats, assembled at run time.
    fn key_id(tail: &str) -> String {
        format!("AKIA{}", tail.chars().rev().collect::<String>())
    }

    #[test]
    fn archives_are_scanned_through_their_sources() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let app_key = key_id("PLN5BT4KW2ZMR7XQ");
        let test_key = key_id("QLN5BT4KW2ZMR7XQ");
        let db = format!(
            "postgres://orders_app:{}@orders.cluster-1.eu-west-1.rds.amazonaws.com/orders",
            "Zq8".repeat(6)
        );
        let tf = format!(
            r#"
data "archive_file" "api" {{
  type        = "zip"
  source_dir  = "${{path.module}}/src"
  output_path = "${{path.module}}/build/api.zip"
  excludes    = ["tests"]
}}

resource "aws_lambda_function" "api" {{
  function_name    = "api"
  role             = "arn:aws:iam::123456789012:role/exec"
  runtime          = "python3.13"
  handler          = "app.handler"
  filename         = data.archive_file.api.output_path
  source_code_hash = data.archive_file.api.output_base64sha256
}}

data "archive_file" "inline" {{
  type        = "zip"
  output_path = "build/inline.zip"
  source {{
    filename = "index.py"
    content  = <<-EOT
      DB = "{db}"
    EOT
  }}
}}

# The same path written again names the same archive.
resource "aws_lambda_function" "inline" {{
  function_name = "inline"
  role          = "arn:aws:iam::123456789012:role/exec"
  runtime       = "python3.13"
  handler       = "index.handler"
  filename      = "${{path.module}}/build/inline.zip"
}}

data "archive_file" "layer" {{
  type        = "zip"
  source_file = "layer/settings.py"
  output_path = "build/layer.zip"
}}

resource "aws_lambda_layer_version" "deps" {{
  layer_name = "deps"
  filename   = data.archive_file.layer.output_path
}}

resource "aws_lambda_function" "prebuilt" {{
  function_name = "prebuilt"
  role          = "arn:aws:iam::123456789012:role/exec"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "dist/prebuilt.zip"
}}
"#
        );
        write(root, "main.tf", &tf);
        write(root, "src/app.py", &format!("KEY = \"{app_key}\"\n"));
        write(
            root,
            "src/tests/fixture.py",
            &format!("KEY = \"{test_key}\"\n"),
        );
        write(
            root,
            "layer/settings.py",
            &format!("\n\nKEY = '{app_key}'\n"),
        );

        let sources = SourceMap::new();
        let d = discover(&[root.to_path_buf()], &sources);
        assert!(d.errors.is_empty(), "{:?}", d.errors);
        let options = LoadOptions {
            packages: Some(PackageScan::default()),
            ..LoadOptions::default()
        };
        let inv = load(&d.units[0], &sources, &options);

        let code = |id: &str| {
            inv.functions
                .iter()
                .find(|f| f.meta.id == id)
                .and_then(|f| f.code.clone())
                .unwrap()
        };
        let api = code("aws_lambda_function.api");
        assert_eq!(
            api.get(),
            Some(&Code::Local {
                path: "src".to_owned()
            })
        );
        assert_eq!(api.origin.path(), Some("data.archive_file.api.source_dir"));
        assert!(matches!(
            code("aws_lambda_function.inline").get(),
            Some(Code::Inline { .. })
        ));
        assert_eq!(
            code("aws_lambda_function.prebuilt").get(),
            Some(&Code::Local {
                path: "dist/prebuilt.zip".to_owned()
            })
        );
        assert_eq!(inv.package_filters.len(), 1);
        assert_eq!(inv.package_filters[0].owner.id, "aws_lambda_function.api");

        let mut got: Vec<_> = inv
            .package_secrets
            .iter()
            .map(|s| {
                (
                    s.owner.id.as_str(),
                    s.path.as_str(),
                    s.line,
                    s.kind.as_str(),
                )
            })
            .collect();
        got.sort_unstable();
        assert_eq!(
            got,
            [
                (
                    "aws_lambda_function.api",
                    "src/app.py",
                    1,
                    "aws-access-key-id"
                ),
                (
                    "aws_lambda_function.inline",
                    "inline",
                    1,
                    "database-url-password"
                ),
                (
                    "aws_lambda_layer_version.deps",
                    "layer/settings.py",
                    3,
                    "aws-access-key-id"
                ),
            ]
        );
        // Inline content points at the secret in the configuration.
        let inline = inv
            .package_secrets
            .iter()
            .find(|s| s.owner.id == "aws_lambda_function.inline")
            .unwrap();
        let Origin::Source { file, span, .. } = &inline.origin else {
            panic!("{:?}", inline.origin);
        };
        let password = db.split(['@', ':']).nth(2).unwrap();
        assert_eq!(sources.get(*file).unwrap().slice(*span), password);
        // Only the prebuilt zip is absent.
        let skipped: Vec<_> = inv.package_skips.iter().map(|s| s.path.as_str()).collect();
        assert_eq!(skipped, ["dist/prebuilt.zip"]);
    }
}
