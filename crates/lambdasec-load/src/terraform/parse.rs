//! The HCL adapter: `.tf` files into the blocks of one module configuration, with spans.
//!
//! Parsing uses `hcl-edit`, which keeps the byte span of every expression; expressions are kept
//! as parsed and evaluated later (see `eval`), so every value of the model can point at the
//! exact text it comes from.

use super::suppress::suppressions;
use hcl_edit::Span as _;
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body, Structure};
use lambdasec_model::{Diagnostic, FileId, Origin, SourceFile, Span, Suppression};
use std::ops::Range;

/// A file that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}:{line}:{column}: HCL parse error: {message}")]
pub struct ParseError {
    pub path: String,
    pub line: usize,
    pub column: usize,
    /// Byte offset of the error in the file.
    pub offset: usize,
    pub message: String,
}

impl ParseError {
    pub fn to_diagnostic(&self, file: FileId) -> Diagnostic {
        Diagnostic::error(
            self.to_string(),
            Origin::source(file, Span::new(self.offset, self.offset), ""),
        )
    }
}

/// Parse one file into a body.
pub fn parse_file(file: &SourceFile) -> Result<Body, ParseError> {
    // hcl-edit slices its input by spans it produced itself; guard the scan against a panic
    // inside the parser all the same, so that one odd file can never stop a scan.
    let text = file.text.clone();
    let parsed = std::panic::catch_unwind(move || hcl_edit::parser::parse_body(&text));
    match parsed {
        Ok(Ok(body)) => Ok(body),
        Ok(Err(e)) => Err(ParseError {
            path: file.path.clone(),
            line: e.location().line(),
            column: e.location().column(),
            offset: e.location().offset(),
            message: e.message().to_owned(),
        }),
        Err(_) => Err(ParseError {
            path: file.path.clone(),
            line: 1,
            column: 1,
            offset: 0,
            message: "the HCL parser failed on this file".into(),
        }),
    }
}

/// Convert an hcl-edit span.
pub fn span_of(range: Option<Range<usize>>) -> Span {
    range.map_or_else(Span::default, |r| Span::new(r.start, r.end))
}

/// Managed resource or data source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Managed,
    Data,
}

/// A `resource` or `data` block.
#[derive(Debug)]
pub struct ResourceBlock {
    pub mode: Mode,
    pub rtype: String,
    pub name: String,
    pub file: FileId,
    pub span: Span,
    pub body: Body,
    pub suppressions: Vec<Suppression>,
}

impl ResourceBlock {
    /// `aws_x.name` or `data.aws_x.name`.
    pub fn local_address(&self) -> String {
        match self.mode {
            Mode::Managed => format!("{}.{}", self.rtype, self.name),
            Mode::Data => format!("data.{}.{}", self.rtype, self.name),
        }
    }

    pub fn meta_arg(&self, name: &str) -> Option<&Expression> {
        self.body.get_attribute(name).map(|a| &a.value)
    }
}

/// A `variable` block.
#[derive(Debug)]
pub struct Variable {
    pub name: String,
    pub file: FileId,
    pub span: Span,
    pub default: Option<Expression>,
}

/// One attribute of a `locals` block.
#[derive(Debug)]
pub struct Local {
    pub name: String,
    pub file: FileId,
    pub expr: Expression,
}

/// A `module` block.
#[derive(Debug)]
pub struct ModuleCall {
    pub name: String,
    pub file: FileId,
    pub span: Span,
    pub source: Option<String>,
    pub body: Body,
}

/// An `output` block.
#[derive(Debug)]
pub struct Output {
    pub name: String,
    pub file: FileId,
    pub expr: Option<Expression>,
}

/// A `provider "aws"` block.
#[derive(Debug)]
pub struct Provider {
    pub alias: Option<String>,
    pub file: FileId,
    pub body: Body,
}

/// Everything one module's files declare.
#[derive(Debug, Default)]
pub struct Config {
    pub variables: Vec<Variable>,
    pub locals: Vec<Local>,
    pub resources: Vec<ResourceBlock>,
    pub modules: Vec<ModuleCall>,
    pub outputs: Vec<Output>,
    pub providers: Vec<Provider>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Config {
    /// Add the blocks of one parsed file.
    pub fn add_file(&mut self, file: &SourceFile, body: Body) {
        // Most files have no suppression comment: look for one once per file.
        let suppressible = super::suppress::mentions_marker(file);
        for structure in body {
            match structure {
                Structure::Block(block) => self.add_block(file, block, suppressible),
                Structure::Attribute(attr) => self.diagnostics.push(Diagnostic::warning(
                    format!(
                        "unexpected top-level argument `{}` in a Terraform file",
                        attr.key.as_str()
                    ),
                    Origin::source(file.id, span_of(attr.span()), attr.key.as_str()),
                )),
            }
        }
    }

    fn add_block(&mut self, file: &SourceFile, block: Block, suppressible: bool) {
        let span = span_of(block.span());
        let labels: Vec<String> = block.labels.iter().map(|l| l.as_str().to_owned()).collect();
        let ident = block.ident.as_str().to_owned();
        let label = |i: usize| labels.get(i).cloned();
        let bad = |what: &str| {
            Diagnostic::warning(
                format!("`{ident}` block without {what}; ignored"),
                Origin::source(file.id, span, ident.as_str()),
            )
        };
        match ident.as_str() {
            "resource" | "data" => {
                let (Some(rtype), Some(name)) = (label(0), label(1)) else {
                    self.diagnostics.push(bad("a type and a name"));
                    return;
                };
                let mode = if ident == "data" {
                    Mode::Data
                } else {
                    Mode::Managed
                };
                let sup = if suppressible {
                    suppressions(file, span)
                } else {
                    Vec::new()
                };
                self.resources.push(ResourceBlock {
                    mode,
                    rtype,
                    name,
                    file: file.id,
                    span,
                    body: block.body,
                    suppressions: sup,
                });
            }
            "variable" => {
                let Some(name) = label(0) else {
                    self.diagnostics.push(bad("a name"));
                    return;
                };
                let default = block
                    .body
                    .into_attributes()
                    .find(|a| a.key.as_str() == "default")
                    .map(|a| a.value);
                self.variables.push(Variable {
                    name,
                    file: file.id,
                    span,
                    default,
                });
            }
            "locals" => {
                for attr in block.body.into_attributes() {
                    self.locals.push(Local {
                        name: attr.key.as_str().to_owned(),
                        file: file.id,
                        expr: attr.value,
                    });
                }
            }
            "module" => {
                let Some(name) = label(0) else {
                    self.diagnostics.push(bad("a name"));
                    return;
                };
                let source = block
                    .body
                    .get_attribute("source")
                    .and_then(|a| a.value.as_str().map(str::to_owned));
                self.modules.push(ModuleCall {
                    name,
                    file: file.id,
                    span,
                    source,
                    body: block.body,
                });
            }
            "output" => {
                let Some(name) = label(0) else {
                    self.diagnostics.push(bad("a name"));
                    return;
                };
                let expr = block
                    .body
                    .into_attributes()
                    .find(|a| a.key.as_str() == "value")
                    .map(|a| a.value);
                self.outputs.push(Output {
                    name,
                    file: file.id,
                    expr,
                });
            }
            "provider" => {
                if label(0).as_deref() != Some("aws") {
                    return;
                }
                let alias = block
                    .body
                    .get_attribute("alias")
                    .and_then(|a| a.value.as_str().map(str::to_owned));
                self.providers.push(Provider {
                    alias,
                    file: file.id,
                    body: block.body,
                });
            }
            // terraform, moved, import, removed, check: nothing the model needs.
            _ => {}
        }
    }

    pub fn variable(&self, name: &str) -> Option<&Variable> {
        self.variables.iter().find(|v| v.name == name)
    }

    pub fn local(&self, name: &str) -> Option<&Local> {
        self.locals.iter().find(|l| l.name == name)
    }

    pub fn output(&self, name: &str) -> Option<&Output> {
        self.outputs.iter().find(|o| o.name == name)
    }

    pub fn module_call(&self, name: &str) -> Option<usize> {
        self.modules.iter().position(|m| m.name == name)
    }

    pub fn resource(&self, mode: Mode, rtype: &str, name: &str) -> Option<usize> {
        self.resources
            .iter()
            .position(|r| r.mode == mode && r.rtype == rtype && r.name == name)
    }

    /// Report names declared twice (Terraform rejects them; the first one is used).
    pub fn check_duplicates(&mut self) {
        let mut seen = std::collections::HashSet::new();
        let mut diags = Vec::new();
        for r in &self.resources {
            if !seen.insert(r.local_address()) {
                diags.push(Diagnostic::warning(
                    format!(
                        "`{}` is declared more than once; the first declaration is used",
                        r.local_address()
                    ),
                    Origin::source(r.file, r.span, r.local_address()),
                ));
            }
        }
        for v in &self.variables {
            if !seen.insert(format!("var.{}", v.name)) {
                diags.push(Diagnostic::warning(
                    format!(
                        "variable `{}` is declared more than once; the first declaration is used",
                        v.name
                    ),
                    Origin::source(v.file, v.span, format!("var.{}", v.name)),
                ));
            }
        }
        self.diagnostics.extend(diags);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(text: &str) -> Config {
        let file = SourceFile::new(FileId(0), "main.tf", text);
        let body = parse_file(&file).unwrap();
        let mut c = Config::default();
        c.add_file(&file, body);
        c.check_duplicates();
        c
    }

    #[test]
    fn collects_blocks() {
        let c = config(
            r#"
variable "runtime" {
  type    = string
  default = "python3.12"
}
locals {
  name = "app"
  tags = { team = "x" }
}
resource "aws_lambda_function" "f" {
  function_name = local.name
}
data "aws_iam_policy_document" "d" {}
module "m" {
  source = "./mod"
}
output "arn" { value = aws_lambda_function.f.arn }
provider "aws" { region = "eu-west-1" }
provider "google" {}
terraform { required_version = ">= 1.0" }
"#,
        );
        assert_eq!(c.variables.len(), 1);
        assert!(c.variables[0].default.is_some());
        assert_eq!(c.locals.len(), 2);
        assert_eq!(c.resources.len(), 2);
        assert_eq!(
            c.resources[1].local_address(),
            "data.aws_iam_policy_document.d"
        );
        assert_eq!(c.modules[0].source.as_deref(), Some("./mod"));
        assert!(c.output("arn").is_some());
        assert_eq!(c.providers.len(), 1);
        assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
        assert_eq!(
            c.resource(Mode::Managed, "aws_lambda_function", "f"),
            Some(0)
        );
    }

    #[test]
    fn reports_errors_with_location() {
        let file = SourceFile::new(FileId(3), "bad.tf", "resource \"a\" \"b\" {\n  x = \n}\n");
        let err = parse_file(&file).unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.to_string().starts_with("bad.tf:2:"), "{err}");
        let d = err.to_diagnostic(FileId(3));
        assert_eq!(d.origin.file(), Some(FileId(3)));
    }

    #[test]
    fn reports_odd_blocks_and_duplicates() {
        let c = config(
            "resource \"aws_x\" {}\nx = 1\nresource \"aws_s3_bucket\" \"b\" {}\nresource \"aws_s3_bucket\" \"b\" {}\n",
        );
        assert_eq!(c.resources.len(), 2);
        assert_eq!(c.diagnostics.len(), 3, "{:?}", c.diagnostics);
    }
}
