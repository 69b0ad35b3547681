//! The evaluation context of a template: its parameters (defaults and overrides), pseudo
//! parameters, mappings and conditions, and the diagnostics met while reading it.

use crate::LoadOptions;
use lambdasec_model::{Diagnostic, Node, NodeKind, Origin, SourceFile};
use std::cell::RefCell;
use std::collections::HashMap;

/// Diagnostics collected while evaluating and extracting (shared by reference).
#[derive(Debug, Default)]
pub(crate) struct Diags(RefCell<Vec<Diagnostic>>);

impl Diags {
    pub(crate) fn warn(&self, message: impl Into<String>, origin: &Origin) {
        self.0
            .borrow_mut()
            .push(Diagnostic::warning(message, origin.clone()));
    }

    pub(crate) fn error(&self, message: impl Into<String>, origin: &Origin) {
        self.0
            .borrow_mut()
            .push(Diagnostic::error(message, origin.clone()));
    }

    pub(crate) fn take(&self) -> Vec<Diagnostic> {
        std::mem::take(&mut *self.0.borrow_mut())
    }
}

/// What a parameter evaluates to.
#[derive(Debug, Clone)]
pub(crate) enum Param {
    /// A value from the options or the parameter's default (lists for list types).
    Known(Node),
    /// No value offline (no default, or an SSM parameter type whose default names a parameter).
    Unknown,
}

/// A template being read.
#[derive(Debug)]
pub(crate) struct Template<'a> {
    pub(crate) file: &'a SourceFile,
    pub(crate) options: &'a LoadOptions,
    params: HashMap<String, Param>,
    mappings: Option<&'a Node>,
    conditions: HashMap<&'a str, &'a Node>,
    condition_values: RefCell<HashMap<String, Option<bool>>>,
    pub(crate) diags: Diags,
}

impl<'a> Template<'a> {
    /// A context from the template's root map (its `Parameters`, `Mappings` and `Conditions`).
    pub(crate) fn new(file: &'a SourceFile, root: &'a Node, options: &'a LoadOptions) -> Self {
        let diags = Diags::default();
        let mut params = HashMap::new();
        if let Some(entries) = root.get("Parameters").and_then(Node::as_map) {
            for e in entries {
                let value = parameter(&e.key, &e.value, options, &diags);
                if let Param::Known(v) = &value {
                    allowed_values(&e.key, &e.value, v, &diags);
                }
                params.insert(e.key.clone(), value);
            }
        }
        let mut conditions = HashMap::new();
        if let Some(entries) = root.get("Conditions").and_then(Node::as_map) {
            for e in entries {
                conditions.insert(e.key.as_str(), &e.value);
            }
        }
        Template {
            file,
            options,
            params,
            mappings: root.get("Mappings"),
            conditions,
            condition_values: RefCell::new(HashMap::new()),
            diags,
        }
    }

    pub(crate) fn param(&self, name: &str) -> Option<&Param> {
        self.params.get(name)
    }

    pub(crate) fn mappings(&self) -> Option<&'a Node> {
        self.mappings
    }

    pub(crate) fn condition_expr(&self, name: &str) -> Option<&'a Node> {
        self.conditions.get(name).copied()
    }

    pub(crate) fn condition_cache(&self) -> &RefCell<HashMap<String, Option<bool>>> {
        &self.condition_values
    }

    /// The partition of the configured region (`aws` when none is given).
    pub(crate) fn partition(&self) -> &'static str {
        let region = self.options.region.as_deref().unwrap_or("");
        if region.starts_with("cn-") {
            "aws-cn"
        } else if region.starts_with("us-gov-") {
            "aws-us-gov"
        } else if region.starts_with("us-isob-") {
            "aws-iso-b"
        } else if region.starts_with("us-iso-") {
            "aws-iso"
        } else {
            "aws"
        }
    }

    /// A pseudo parameter's value: `Some(None)` when it is a pseudo parameter without a known
    /// value, `None` when `name` is not one. `AWS::NoValue` is handled by the evaluator.
    pub(crate) fn pseudo(&self, name: &str) -> Option<Option<String>> {
        Some(match name {
            "AWS::Partition" => Some(self.partition().to_owned()),
            "AWS::URLSuffix" => Some(
                if self.partition() == "aws-cn" {
                    "amazonaws.com.cn"
                } else {
                    "amazonaws.com"
                }
                .to_owned(),
            ),
            "AWS::Region" => self.options.region.clone(),
            "AWS::AccountId" => self.options.account_id.clone(),
            "AWS::StackName" | "AWS::StackId" | "AWS::NotificationARNs" => None,
            _ => return None,
        })
    }

    /// The text of an expression for an unresolved value: its source slice, or its JSON form
    /// when it was not written in this file.
    pub(crate) fn expr_text(&self, n: &Node) -> String {
        if let Origin::Source { file, span, .. } = &n.origin
            && *file == self.file.id
            && span.end > span.start
        {
            let s = self.file.slice(*span).trim();
            if !s.is_empty() {
                return s.to_owned();
            }
        }
        n.to_json_text()
    }
}

/// A parameter's value from the options (first) or its default.
fn parameter(name: &str, decl: &Node, options: &LoadOptions, diags: &Diags) -> Param {
    let ty = decl.get("Type").and_then(Node::as_str).unwrap_or("String");
    if ty.starts_with("AWS::SSM::Parameter::Value<") {
        // The default names an SSM parameter; its value is read at deploy time.
        return Param::Unknown;
    }
    let is_list = ty == "CommaDelimitedList" || ty.starts_with("List<");
    if let Some(v) = options.parameters.get(name) {
        let origin = decl.origin.clone();
        return Param::Known(typed(v, is_list, ty == "Number", origin));
    }
    let Some(default) = decl.get("Default") else {
        return Param::Unknown;
    };
    match &default.kind {
        NodeKind::String(s) => Param::Known(typed(s, is_list, false, default.origin.clone())),
        NodeKind::Number(_) | NodeKind::Bool(_) if is_list => Param::Known(typed(
            &default.scalar_text().unwrap_or_default(),
            true,
            false,
            default.origin.clone(),
        )),
        NodeKind::Number(_) | NodeKind::Bool(_) => Param::Known(default.clone()),
        NodeKind::List(items) if is_list => Param::Known(Node::new(
            NodeKind::List(
                items
                    .iter()
                    .map(|i| {
                        Node::string(
                            i.scalar_text().unwrap_or_else(|| i.to_json_text()),
                            i.origin.clone(),
                        )
                    })
                    .collect(),
            ),
            default.origin.clone(),
        )),
        _ => {
            diags.warn(
                format!("the default of parameter `{name}` is not a scalar"),
                &default.origin,
            );
            Param::Unknown
        }
    }
}

/// A parameter value (each item of a list) must be one of the parameter's `AllowedValues`:
/// CloudFormation rejects the stack otherwise.
fn allowed_values(name: &str, decl: &Node, value: &Node, diags: &Diags) {
    let Some(allowed) = decl.get("AllowedValues").and_then(Node::as_list) else {
        return;
    };
    let allowed: Vec<String> = allowed.iter().filter_map(Node::scalar_text).collect();
    let same = |a: &str, b: &str| {
        a == b
            || matches!((a.trim().parse::<f64>(), b.trim().parse::<f64>()), (Ok(x), Ok(y)) if x == y)
    };
    for item in value.one_or_many() {
        let Some(text) = item.scalar_text() else {
            continue;
        };
        if !allowed.iter().any(|a| same(a, &text)) {
            diags.error(
                format!(
                    "parameter `{name}`: `{text}` is not one of its AllowedValues ({})",
                    allowed.join(", ")
                ),
                &item.origin,
            );
        }
    }
}

fn typed(text: &str, is_list: bool, is_number: bool, origin: Origin) -> Node {
    if is_list {
        let items = if text.is_empty() {
            Vec::new()
        } else {
            text.split(',')
                .map(|s| Node::string(s.trim(), origin.clone()))
                .collect()
        };
        Node::new(NodeKind::List(items), origin)
    } else if is_number {
        Node::new(NodeKind::Number(text.to_owned()), origin)
    } else {
        Node::string(text, origin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lambdasec_model::FileId;

    fn tpl(text: &str, options: LoadOptions, f: impl FnOnce(&Template<'_>)) {
        let file = SourceFile::new(FileId(0), "t.yaml", text);
        let doc = crate::yaml::parse(&file).unwrap();
        let t = Template::new(&file, &doc.root, &options);
        f(&t);
    }

    #[test]
    fn parameters_from_defaults_and_overrides() {
        let text = "Parameters:\n  A: {Type: String, Default: x}\n  B: {Type: String}\n  C: {Type: CommaDelimitedList, Default: 'a, b'}\n  D: {Type: 'AWS::SSM::Parameter::Value<String>', Default: /p}\n  E: {Type: Number, Default: 5}\n";
        let mut options = LoadOptions::default();
        options.parameters.insert("B".into(), "given".into());
        tpl(text, options, |t| {
            let known = |n: &str| match t.param(n) {
                Some(Param::Known(v)) => Some(v.to_json_text()),
                _ => None,
            };
            assert_eq!(known("A").as_deref(), Some("\"x\""));
            assert_eq!(known("B").as_deref(), Some("\"given\""));
            assert_eq!(known("C").as_deref(), Some("[\"a\",\"b\"]"));
            assert_eq!(known("D"), None);
            assert_eq!(known("E").as_deref(), Some("5"));
            assert!(t.param("Z").is_none());
        });
    }

    #[test]
    fn values_outside_allowed_values_are_errors() {
        let text = "Parameters:\n  Env: {Type: String, Default: qa, AllowedValues: [dev, prod]}\n  Ok: {Type: String, Default: prod, AllowedValues: [dev, prod]}\n  Flag: {Type: String, Default: 'true', AllowedValues: [true, false]}\n  Size: {Type: Number, Default: 10, AllowedValues: ['10.0', 20]}\n  Azs: {Type: CommaDelimitedList, Default: 'a,c', AllowedValues: [a, b]}\n";
        tpl(text, LoadOptions::default(), |t| {
            let errors = t.diags.take();
            let messages: Vec<&str> = errors.iter().map(|d| d.message.as_str()).collect();
            assert_eq!(messages.len(), 2, "{messages:?}");
            assert!(messages[0].contains("`qa` is not one of its AllowedValues (dev, prod)"));
            assert!(messages[1].starts_with("parameter `Azs`: `c`"));
        });
        let mut options = LoadOptions::default();
        options.parameters.insert("Ok".into(), "staging".into());
        tpl(text, options, |t| {
            assert!(
                t.diags
                    .take()
                    .iter()
                    .any(|d| d.message.contains("`staging`"))
            );
        });
    }

    #[test]
    fn pseudo_parameters() {
        tpl("{}", LoadOptions::default(), |t| {
            assert_eq!(t.pseudo("AWS::Partition"), Some(Some("aws".into())));
            assert_eq!(t.pseudo("AWS::Region"), Some(None));
            assert_eq!(t.pseudo("Other"), None);
        });
        let options = LoadOptions {
            region: Some("cn-north-1".into()),
            account_id: Some("123456789012".into()),
            ..LoadOptions::default()
        };
        tpl("{}", options, |t| {
            assert_eq!(t.pseudo("AWS::Partition"), Some(Some("aws-cn".into())));
            assert_eq!(
                t.pseudo("AWS::URLSuffix"),
                Some(Some("amazonaws.com.cn".into()))
            );
            assert_eq!(
                t.pseudo("AWS::AccountId"),
                Some(Some("123456789012".into()))
            );
        });
    }
}
