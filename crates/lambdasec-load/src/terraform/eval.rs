//! Expression evaluation on the spanned HCL tree.
//!
//! Values are computed lazily and memoised: a reference to `local.x`, `var.y`, a resource
//! attribute or a module output evaluates the expression it names, in that expression's own
//! scope (module instance, `count.index`, `each`). What cannot be known offline — computed
//! attributes such as `arn`, variables without a value, unknown functions — is
//! [`Kind::Unknown`] with the expression text. Evaluation errors that Terraform itself would
//! report become unknown values plus a warning, never a panic.

use super::functions;
use super::module::{Diagnostics, Expansion, Item, ModuleDef, ModuleInst, ParentLink, Slot};
use super::parse::{Mode, span_of};
use super::policy_document;
use super::value::{InstanceKey, InstanceRef, Kind, MapEntry, ModuleRef, V, quote};
use crate::LoadOptions;
use hcl_edit::Span as _;
use hcl_edit::expr::{
    BinaryOperator, Expression, ForExpr, FuncCall, ObjectKey, Traversal, TraversalOperator,
    UnaryOperator,
};
use hcl_edit::structure::{Block, Body, Structure};
use hcl_edit::template::{Directive, Element, Template};
use lambdasec_model::{Diagnostic, FileId, Origin, SourceFile, SourceMap, Span};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

/// Limits that keep hostile inputs from exhausting the machine.
pub(crate) const MAX_DEPTH: u32 = 96;
pub(crate) const MAX_INSTANCES: usize = 1024;
pub(crate) const MAX_COLLECTION: usize = 100_000;
pub(crate) const MAX_STRING: usize = 1 << 20;
const MAX_MODULE_NESTING: usize = 12;

/// Meta-arguments of resources and modules: not part of the resource's configuration.
const META_ATTRS: &[&str] = &["count", "for_each", "provider", "providers", "depends_on"];
const META_BLOCKS: &[&str] = &["lifecycle", "provisioner", "connection"];

/// An evaluation error (what Terraform would reject), at a place.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EvalError {
    pub message: String,
    pub file: FileId,
    pub span: Span,
}

pub(crate) type R = Result<V, EvalError>;

/// Where an expression is evaluated.
#[derive(Debug, Clone)]
pub(crate) struct Scope {
    pub inst: usize,
    pub file: FileId,
    pub count: Option<V>,
    pub each: Option<(V, V)>,
    /// `for` expression variables and `dynamic` block iterators, innermost last.
    pub bindings: Vec<(String, V)>,
}

impl Scope {
    pub fn module(inst: usize, file: FileId) -> Scope {
        Scope {
            inst,
            file,
            count: None,
            each: None,
            bindings: Vec::new(),
        }
    }

    fn binding(&self, name: &str) -> Option<&V> {
        self.bindings
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }
}

pub(crate) fn sp(range: Option<std::ops::Range<usize>>) -> Span {
    span_of(range)
}

/// The evaluator of one root module and the modules it calls.
#[derive(Debug)]
pub(crate) struct Evaluator<'a> {
    pub sources: &'a SourceMap,
    pub options: &'a LoadOptions,
    pub insts: RefCell<Vec<Rc<ModuleInst>>>,
    defs: RefCell<HashMap<PathBuf, Rc<ModuleDef>>>,
    files: RefCell<HashMap<FileId, Arc<SourceFile>>>,
    pub diags: Diagnostics,
    depth: Cell<u32>,
    /// Modules installed by `terraform init` (`.terraform/modules/modules.json`): key → dir.
    installed: HashMap<String, PathBuf>,
}

struct DepthGuard<'e>(&'e Cell<u32>);

impl Drop for DepthGuard<'_> {
    fn drop(&mut self) {
        self.0.set(self.0.get().saturating_sub(1));
    }
}

impl<'a> Evaluator<'a> {
    pub fn new(
        sources: &'a SourceMap,
        options: &'a LoadOptions,
        installed: HashMap<String, PathBuf>,
    ) -> Self {
        Evaluator {
            sources,
            options,
            insts: RefCell::default(),
            defs: RefCell::default(),
            files: RefCell::default(),
            diags: Diagnostics::default(),
            depth: Cell::new(0),
            installed,
        }
    }

    /// Add a module instance; returns its index.
    pub fn add_inst(&self, inst: ModuleInst) -> usize {
        for f in &inst.def.files {
            self.files.borrow_mut().insert(f.id, f.clone());
        }
        let mut insts = self.insts.borrow_mut();
        insts.push(Rc::new(inst));
        insts.len() - 1
    }

    pub fn inst(&self, i: usize) -> Option<Rc<ModuleInst>> {
        self.insts.borrow().get(i).cloned()
    }

    fn file(&self, id: FileId) -> Option<Arc<SourceFile>> {
        if let Some(f) = self.files.borrow().get(&id) {
            return Some(f.clone());
        }
        let f = self.sources.get(id)?;
        self.files.borrow_mut().insert(id, f.clone());
        Some(f)
    }

    /// The source text of a span.
    pub fn text(&self, file: FileId, span: Span) -> String {
        self.file(file)
            .map(|f| f.slice(span).to_owned())
            .unwrap_or_default()
    }

    fn unknown(&self, file: FileId, span: Span) -> V {
        V::unknown(self.text(file, span), file, span)
    }

    fn err(&self, message: impl Into<String>, file: FileId, span: Span) -> EvalError {
        EvalError {
            message: message.into(),
            file,
            span,
        }
    }

    fn enter(&self, file: FileId, span: Span) -> Result<DepthGuard<'_>, EvalError> {
        let d = self.depth.get();
        if d >= MAX_DEPTH {
            return Err(self.err(
                "expression nested too deeply (or a reference cycle)",
                file,
                span,
            ));
        }
        self.depth.set(d + 1);
        Ok(DepthGuard(&self.depth))
    }

    /// Evaluate, turning errors into an unknown value and a warning.
    pub fn eval_or_unknown(&self, expr: &Expression, scope: &Scope) -> V {
        match self.eval(expr, scope) {
            Ok(v) => v,
            Err(e) => {
                self.report(&e);
                self.unknown(scope.file, sp(expr.span()))
            }
        }
    }

    pub fn report(&self, e: &EvalError) {
        let text = self.text(e.file, e.span);
        let shown: String = text.chars().take(80).collect();
        self.diags.push(Diagnostic::warning(
            format!("cannot evaluate `{shown}`: {}", e.message),
            Origin::source(e.file, e.span, ""),
        ));
    }

    pub fn eval(&self, expr: &Expression, scope: &Scope) -> R {
        let span = sp(expr.span());
        let file = scope.file;
        let _guard = self.enter(file, span)?;
        Ok(match expr {
            Expression::Null(_) => V::null(file, span),
            Expression::Bool(b) => V::bool(*b.value(), file, span),
            Expression::Number(n) => V::new(Kind::Number(n.value().to_string()), file, span),
            Expression::String(s) => V::string(s.value().clone(), file, span),
            Expression::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items.iter() {
                    out.push(self.eval_or_unknown(item, scope));
                }
                V::new(Kind::List(out), file, span)
            }
            Expression::Object(obj) => {
                let mut entries: Vec<MapEntry> = Vec::with_capacity(obj.len());
                for (key, value) in obj.iter() {
                    let key_span = sp(key.span());
                    let key = match key {
                        ObjectKey::Ident(id) => id.as_str().to_owned(),
                        ObjectKey::Expression(Expression::Variable(id)) => id.as_str().to_owned(),
                        ObjectKey::Expression(e) => {
                            let k = self.eval(e, scope)?;
                            match k.scalar_text() {
                                Some(t) => t,
                                None if k.has_unknown() => return Ok(self.unknown(file, span)),
                                None => {
                                    return Err(self.err(
                                        "object key is not a string",
                                        file,
                                        key_span,
                                    ));
                                }
                            }
                        }
                    };
                    // One bad entry does not hide the others.
                    let value = self.eval_or_unknown(value.expr(), scope);
                    upsert(
                        &mut entries,
                        MapEntry {
                            key,
                            key_span,
                            value,
                        },
                    );
                }
                V::new(Kind::Map(entries), file, span)
            }
            Expression::StringTemplate(t) => return self.eval_template(t, scope, span, false),
            Expression::HeredocTemplate(h) => {
                return self.eval_template(&h.template, scope, span, true);
            }
            Expression::Parenthesis(p) => return self.eval(p.inner(), scope),
            Expression::Variable(id) => {
                return self.eval_root_alone(id.as_str(), scope, span);
            }
            Expression::Conditional(c) => {
                let cond = self.eval(&c.cond_expr, scope)?;
                match cond.as_bool() {
                    Some(true) => return self.eval(&c.true_expr, scope),
                    Some(false) => return self.eval(&c.false_expr, scope),
                    None if cond.has_unknown() => {
                        // Both branches equal: the result is known all the same.
                        let t = self.eval(&c.true_expr, scope);
                        let f = self.eval(&c.false_expr, scope);
                        match (t, f) {
                            (Ok(t), Ok(f)) if !t.has_unknown() && same(&t, &f) => t,
                            _ => self.unknown(file, span),
                        }
                    }
                    None => {
                        return Err(self.err(
                            "condition is not a boolean",
                            file,
                            sp(c.cond_expr.span()),
                        ));
                    }
                }
            }
            Expression::FuncCall(call) => return self.eval_call(call, scope, span),
            Expression::Traversal(t) => return self.eval_traversal(t, scope),
            Expression::UnaryOp(op) => {
                let v = self.eval(&op.expr, scope)?;
                if v.has_unknown() {
                    return Ok(self.unknown(file, span));
                }
                match op.operator.value() {
                    UnaryOperator::Not => match v.as_bool() {
                        Some(b) => V::bool(!b, file, span),
                        None => return Err(self.err("`!` needs a boolean", file, span)),
                    },
                    UnaryOperator::Neg => match v.as_f64() {
                        Some(n) => V::number(-n, file, span),
                        None => return Err(self.err("`-` needs a number", file, span)),
                    },
                }
            }
            Expression::BinaryOp(op) => {
                let l = self.eval(&op.lhs_expr, scope)?;
                let r = self.eval(&op.rhs_expr, scope)?;
                return self.binary(*op.operator.value(), &l, &r, file, span);
            }
            Expression::ForExpr(f) => return self.eval_for(f, scope, span),
        })
    }

    fn binary(&self, op: BinaryOperator, l: &V, r: &V, file: FileId, span: Span) -> R {
        use BinaryOperator as B;
        // A known false/true decides `&&`/`||` whatever the other side is.
        match op {
            B::And if l.as_bool() == Some(false) || r.as_bool() == Some(false) => {
                return Ok(V::bool(false, file, span));
            }
            B::Or if l.as_bool() == Some(true) || r.as_bool() == Some(true) => {
                return Ok(V::bool(true, file, span));
            }
            _ => {}
        }
        if l.has_unknown() || r.has_unknown() {
            return Ok(self.unknown(file, span));
        }
        let num = |v: &V| {
            v.as_f64()
                .ok_or_else(|| self.err("operand is not a number", file, span))
        };
        let boolean = |v: &V| {
            v.as_bool()
                .ok_or_else(|| self.err("operand is not a boolean", file, span))
        };
        Ok(match op {
            B::Eq => V::bool(same(l, r), file, span),
            B::NotEq => V::bool(!same(l, r), file, span),
            B::And => V::bool(boolean(l)? && boolean(r)?, file, span),
            B::Or => V::bool(boolean(l)? || boolean(r)?, file, span),
            B::Less => V::bool(num(l)? < num(r)?, file, span),
            B::LessEq => V::bool(num(l)? <= num(r)?, file, span),
            B::Greater => V::bool(num(l)? > num(r)?, file, span),
            B::GreaterEq => V::bool(num(l)? >= num(r)?, file, span),
            B::Plus => V::number(num(l)? + num(r)?, file, span),
            B::Minus => V::number(num(l)? - num(r)?, file, span),
            B::Mul => V::number(num(l)? * num(r)?, file, span),
            B::Div => {
                let d = num(r)?;
                if d == 0.0 {
                    return Err(self.err("division by zero", file, span));
                }
                V::number(num(l)? / d, file, span)
            }
            B::Mod => {
                let d = num(r)?;
                if d == 0.0 {
                    return Err(self.err("division by zero", file, span));
                }
                V::number(num(l)? % d, file, span)
            }
        })
    }

    // ---- templates -------------------------------------------------------------------------

    fn eval_template(&self, t: &Template, scope: &Scope, span: Span, heredoc: bool) -> R {
        let file = scope.file;
        let elements: Vec<&Element> = t.iter().collect();
        // `"${x}"` alone is `x` itself, with its type (and its reference).
        if let [Element::Interpolation(i)] = elements.as_slice()
            && !heredoc
        {
            return self.eval(&i.expr, scope);
        }
        let mut out = String::new();
        let mut unknown = false;
        self.render_elements(&elements, scope, &mut out, &mut unknown)?;
        if unknown {
            return Ok(self.unknown(file, span));
        }
        Ok(V::string(out, file, span))
    }

    fn render_elements(
        &self,
        elements: &[&Element],
        scope: &Scope,
        out: &mut String,
        unknown: &mut bool,
    ) -> Result<(), EvalError> {
        let mut strip_next = false;
        for (i, el) in elements.iter().enumerate() {
            let strip_prev_of_next = match elements.get(i + 1) {
                Some(Element::Interpolation(n)) => n.strip.strip_start(),
                Some(Element::Directive(_)) => false,
                _ => false,
            };
            match el {
                Element::Literal(lit) => {
                    let mut s: &str = lit.value();
                    if strip_next {
                        s = s.trim_start();
                    }
                    if strip_prev_of_next {
                        s = s.trim_end();
                    }
                    out.push_str(s);
                    strip_next = false;
                }
                Element::Interpolation(interp) => {
                    let v = self.eval(&interp.expr, scope)?;
                    match template_text(&v) {
                        Ok(Some(s)) => out.push_str(&s),
                        Ok(None) => *unknown = true,
                        Err(m) => return Err(self.err(m, scope.file, sp(interp.expr.span()))),
                    }
                    strip_next = interp.strip.strip_end();
                }
                Element::Directive(d) => {
                    match d.as_ref() {
                        Directive::If(ifd) => {
                            let cond = self.eval(&ifd.if_expr.cond_expr, scope)?;
                            match cond.as_bool() {
                                Some(true) => {
                                    let els: Vec<&Element> = ifd.if_expr.template.iter().collect();
                                    self.render_elements(&els, scope, out, unknown)?;
                                }
                                Some(false) => {
                                    if let Some(e) = &ifd.else_expr {
                                        let els: Vec<&Element> = e.template.iter().collect();
                                        self.render_elements(&els, scope, out, unknown)?;
                                    }
                                }
                                None => *unknown = true,
                            }
                        }
                        Directive::For(ford) => {
                            let fe = &ford.for_expr;
                            let coll = self.eval(&fe.collection_expr, scope)?;
                            let Some(pairs) = self.iterate(&coll, scope.file)? else {
                                *unknown = true;
                                continue;
                            };
                            let els: Vec<&Element> = fe.template.iter().collect();
                            for (k, v) in pairs {
                                let mut inner = scope.clone();
                                if let Some(kv) = &fe.key_var {
                                    inner.bindings.push((kv.as_str().to_owned(), k));
                                }
                                inner.bindings.push((fe.value_var.as_str().to_owned(), v));
                                self.render_elements(&els, &inner, out, unknown)?;
                            }
                        }
                    }
                    strip_next = false;
                }
            }
            if out.len() > MAX_STRING {
                return Err(self.err("string too large", scope.file, Span::default()));
            }
        }
        Ok(())
    }

    // ---- for expressions -------------------------------------------------------------------

    /// The (key, value) pairs of a collection; `None` when not knowable.
    fn iterate(&self, coll: &V, file: FileId) -> Result<Option<Vec<(V, V)>>, EvalError> {
        Ok(match &coll.kind {
            Kind::List(items) => Some(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (V::number(i as f64, v.file, v.span), v.clone()))
                    .collect(),
            ),
            Kind::Map(entries) => {
                // Terraform iterates maps in key order.
                let mut sorted: Vec<&MapEntry> = entries.iter().collect();
                sorted.sort_by(|a, b| a.key.cmp(&b.key));
                Some(
                    sorted
                        .into_iter()
                        .map(|e| {
                            (
                                V::string(e.key.clone(), e.value.file, e.key_span),
                                e.value.clone(),
                            )
                        })
                        .collect(),
                )
            }
            Kind::Null => {
                return Err(self.err("cannot iterate over null", file, coll.span));
            }
            Kind::Unknown(_) | Kind::Instance(_) | Kind::Module(_) => None,
            _ => {
                return Err(self.err("cannot iterate over a primitive value", file, coll.span));
            }
        })
    }

    fn eval_for(&self, f: &ForExpr, scope: &Scope, span: Span) -> R {
        let file = scope.file;
        let coll = self.eval(&f.intro.collection_expr, scope)?;
        let Some(pairs) = self.iterate(&coll, file)? else {
            return Ok(self.unknown(file, span));
        };
        let mut list = Vec::new();
        let mut map: Vec<MapEntry> = Vec::new();
        for (k, v) in pairs {
            let mut inner = scope.clone();
            if let Some(kv) = &f.intro.key_var {
                inner.bindings.push((kv.as_str().to_owned(), k));
            }
            inner
                .bindings
                .push((f.intro.value_var.as_str().to_owned(), v));
            if let Some(cond) = &f.cond {
                let c = self.eval(&cond.expr, &inner)?;
                match c.as_bool() {
                    Some(true) => {}
                    Some(false) => continue,
                    None => return Ok(self.unknown(file, span)),
                }
            }
            let value = self.eval(&f.value_expr, &inner)?;
            match &f.key_expr {
                None => list.push(value),
                Some(key_expr) => {
                    let key = self.eval(key_expr, &inner)?;
                    let Some(key_text) = key.scalar_text() else {
                        return Ok(self.unknown(file, span));
                    };
                    if f.grouping {
                        match map.iter_mut().find(|e| e.key == key_text) {
                            Some(e) => {
                                if let Kind::List(items) = &mut e.value.kind {
                                    items.push(value);
                                }
                            }
                            None => map.push(MapEntry {
                                key: key_text,
                                key_span: key.span,
                                value: V::new(Kind::List(vec![value]), file, span),
                            }),
                        }
                    } else if map.iter().any(|e| e.key == key_text) {
                        return Err(self.err(
                            format!("duplicate key `{key_text}` in a for expression"),
                            file,
                            span,
                        ));
                    } else {
                        map.push(MapEntry {
                            key: key_text,
                            key_span: key.span,
                            value,
                        });
                    }
                }
            }
            if list.len() + map.len() > MAX_COLLECTION {
                return Err(self.err("collection too large", file, span));
            }
        }
        Ok(match f.key_expr {
            None => V::new(Kind::List(list), file, span),
            Some(_) => V::new(Kind::Map(map), file, span),
        })
    }

    // ---- function calls --------------------------------------------------------------------

    fn eval_call(&self, call: &FuncCall, scope: &Scope, span: Span) -> R {
        let file = scope.file;
        if call.name.is_namespaced() {
            // Provider-defined functions (`provider::aws::arn_parse`): not evaluated.
            return Ok(self.unknown(file, span));
        }
        let name = call.name.name.as_str();
        let args: Vec<&Expression> = call.args.iter().collect();
        match name {
            "try" => {
                for a in &args {
                    match self.eval(a, scope) {
                        Ok(v) => return Ok(v),
                        Err(_) => continue,
                    }
                }
                return Err(self.err("no expression given to try succeeded", file, span));
            }
            "can" => {
                let Some(a) = args.first() else {
                    return Err(self.err("can() needs one argument", file, span));
                };
                return Ok(match self.eval(a, scope) {
                    Ok(v) if v.has_unknown() => self.unknown(file, span),
                    Ok(_) => V::bool(true, file, span),
                    Err(_) => V::bool(false, file, span),
                });
            }
            _ => {}
        }
        let mut values = Vec::with_capacity(args.len());
        for a in &args {
            values.push(self.eval(a, scope)?);
        }
        if call.args.expand_final()
            && let Some(last) = values.pop()
        {
            match last.kind {
                Kind::List(items) => values.extend(items),
                _ => return Ok(self.unknown(file, span)),
            }
        }
        match name {
            "file" | "fileexists" | "templatefile" => {
                self.file_function(name, &values, scope, span)
            }
            _ => match functions::call(name, &values, file, span) {
                functions::Out::Value(v) => Ok(v),
                functions::Out::Unknown => Ok(self.unknown(file, span)),
                functions::Out::Error(m) => Err(self.err(m, file, span)),
            },
        }
    }

    /// `file`, `fileexists` and `templatefile`: read relative to the working directory (the
    /// root module's directory), as Terraform does; the file joins the source map so values
    /// read from it point into it.
    fn file_function(&self, name: &str, args: &[V], scope: &Scope, span: Span) -> R {
        let file = scope.file;
        let Some(path_arg) = args.first() else {
            return Err(self.err(format!("{name}() needs a path"), file, span));
        };
        let Some(rel) = path_arg.as_str() else {
            return Ok(self.unknown(file, span));
        };
        // Only files of the configuration are read: an absolute path could pull anything on the
        // scanning machine into values (and reports).
        if Path::new(rel).is_absolute() || rel.starts_with('~') {
            self.diags.push(Diagnostic::warning(
                format!("`{name}(\"{rel}\")`: files outside the configuration are not read"),
                Origin::source(file, span, ""),
            ));
            return Ok(self.unknown(file, span));
        }
        let root_dir = self.inst(0).map(|i| i.def.dir.clone()).unwrap_or_default();
        let path = normalize(&root_dir.join(rel));
        if name == "fileexists" {
            return Ok(V::bool(path.is_file(), file, span));
        }
        let text = match std::fs::read_to_string(&path) {
            Ok(t) if t.len() <= MAX_STRING * 4 => t,
            Ok(_) => return Err(self.err("file too large", file, span)),
            Err(e) => {
                return Err(self.err(format!("cannot read `{}`: {e}", path.display()), file, span));
            }
        };
        let id = self.sources.add(path.display().to_string(), text.clone());
        let whole = Span::new(0, text.len());
        if name == "file" {
            return Ok(V::string(text, id, whole));
        }
        // templatefile(path, vars)
        let vars = args.get(1).cloned().unwrap_or_else(|| V::null(file, span));
        let Some(entries) = vars.as_map() else {
            return Ok(self.unknown(file, span));
        };
        let template = match hcl_edit::parser::parse_template(&text) {
            Ok(t) => t,
            Err(e) => {
                return Err(self.err(format!("template: {}", e.message()), file, span));
            }
        };
        let mut inner = Scope::module(scope.inst, id);
        for e in entries {
            inner.bindings.push((e.key.clone(), e.value.clone()));
        }
        let elements: Vec<&Element> = template.iter().collect();
        let mut out = String::new();
        let mut unknown = false;
        self.render_elements(&elements, &inner, &mut out, &mut unknown)?;
        if unknown {
            return Ok(self.unknown(file, span));
        }
        Ok(V::string(out, id, whole))
    }

    // ---- references ------------------------------------------------------------------------

    fn eval_root_alone(&self, name: &str, scope: &Scope, span: Span) -> R {
        if let Some(v) = scope.binding(name) {
            return Ok(v.clone());
        }
        match name {
            "self" | "terraform" => Ok(self.unknown(scope.file, span)),
            _ => Err(self.err(format!("`{name}` is not a value"), scope.file, span)),
        }
    }

    fn eval_traversal(&self, t: &Traversal, scope: &Scope) -> R {
        let ops: Vec<&TraversalOperator> = t.operators.iter().map(|o| o.value()).collect();
        let op_spans: Vec<Span> = t.operators.iter().map(|o| sp(o.span())).collect();
        let start = sp(t.expr.span()).start as usize;
        let (base, used) = match &t.expr {
            Expression::Variable(id) => {
                self.eval_root(id.as_str(), &ops, &op_spans, scope, start)?
            }
            other => (self.eval(other, scope)?, 0),
        };
        self.apply_ops(base, &ops, &op_spans, used, scope, start)
    }

    /// Apply traversal operators from `from` on.
    fn apply_ops(
        &self,
        mut cur: V,
        ops: &[&TraversalOperator],
        spans: &[Span],
        from: usize,
        scope: &Scope,
        start: usize,
    ) -> R {
        let file = scope.file;
        let mut i = from;
        while let (Some(op), Some(op_span)) = (ops.get(i), spans.get(i)) {
            let here = Span::new(start, op_span.end as usize);
            match op {
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    let rest_from = i + 1;
                    // An attribute splat applies only the attribute accesses that follow it.
                    let rest_to = if matches!(op, TraversalOperator::AttrSplat(_)) {
                        ops.iter()
                            .skip(rest_from)
                            .position(|o| !matches!(o, TraversalOperator::GetAttr(_)))
                            .map_or(ops.len(), |p| rest_from + p)
                    } else {
                        ops.len()
                    };
                    let items = match cur.kind {
                        Kind::List(items) => items,
                        Kind::Null => Vec::new(),
                        Kind::Unknown(_) => {
                            return Ok(self.unknown(
                                file,
                                Span::new(
                                    start,
                                    spans.last().map_or(here.end as usize, |s| s.end as usize),
                                ),
                            ));
                        }
                        _ => vec![cur.clone()],
                    };
                    let sub_ops = ops.get(..rest_to).unwrap_or(ops);
                    let mut out = Vec::with_capacity(items.len());
                    for item in items {
                        out.push(self.apply_ops(item, sub_ops, spans, rest_from, scope, start)?);
                    }
                    let end = spans
                        .get(rest_to.saturating_sub(1))
                        .map_or(here.end, |s| s.end);
                    cur = V::new(Kind::List(out), file, Span::new(start, end as usize));
                    i = rest_to;
                    continue;
                }
                TraversalOperator::GetAttr(name) => {
                    cur = self.get_attr(cur, name.as_str(), file, here)?;
                }
                TraversalOperator::Index(expr) => {
                    let key = self.eval(expr, scope)?;
                    cur = self.index(cur, &key, file, here)?;
                }
                TraversalOperator::LegacyIndex(n) => {
                    let key = V::new(Kind::Number(n.value().to_string()), file, *op_span);
                    cur = self.index(cur, &key, file, here)?;
                }
            }
            i += 1;
        }
        Ok(cur)
    }

    fn get_attr(&self, cur: V, name: &str, file: FileId, here: Span) -> R {
        match &cur.kind {
            Kind::Map(_) => match cur.get(name) {
                Some(v) => Ok(v
                    .clone()
                    .with_refers(cur.refers.clone().or(v.refers.clone()))),
                None => Err(self.err(format!("this object has no attribute `{name}`"), file, here)),
            },
            Kind::Instance(inst) => {
                let inst = inst.clone();
                self.instance_attr(&inst, name, file, here)
            }
            Kind::Module(m) => {
                let m = m.clone();
                self.module_output(&m, name, file, here)
            }
            Kind::Unknown(_) => Ok(self.unknown(file, here).with_refers(cur.refers.clone())),
            Kind::Json(inner) => Err(self.err(
                format!(
                    "a JSON string has no attribute `{name}` ({})",
                    inner.to_json().len()
                ),
                file,
                here,
            )),
            Kind::Null => {
                Err(self.err(format!("cannot read `{name}` of a null value"), file, here))
            }
            _ => Err(self.err(
                format!("cannot read `{name}` of a primitive or list value"),
                file,
                here,
            )),
        }
    }

    fn index(&self, cur: V, key: &V, file: FileId, here: Span) -> R {
        if key.has_unknown() {
            return Ok(self.unknown(file, here));
        }
        match &cur.kind {
            Kind::List(items) => {
                let Some(n) = key.as_f64() else {
                    return Err(self.err("list index is not a number", file, here));
                };
                if n < 0.0 || n.fract() != 0.0 {
                    return Err(self.err("list index out of range", file, here));
                }
                #[allow(
                    clippy::cast_possible_truncation,
                    clippy::cast_sign_loss,
                    reason = "checked whole and non-negative"
                )]
                let idx = n as usize;
                items
                    .get(idx)
                    .cloned()
                    .ok_or_else(|| self.err("list index out of range", file, here))
            }
            Kind::Map(_) => {
                let Some(k) = key.scalar_text() else {
                    return Err(self.err("map key is not a string", file, here));
                };
                cur.get(&k)
                    .cloned()
                    .ok_or_else(|| self.err(format!("no element with key `{k}`"), file, here))
            }
            Kind::Unknown(_) => Ok(self.unknown(file, here).with_refers(cur.refers.clone())),
            Kind::Null => Err(self.err("cannot index a null value", file, here)),
            _ => Err(self.err("cannot index this value", file, here)),
        }
    }

    /// Resolve the first name of a traversal; returns the value and how many operators it used.
    fn eval_root(
        &self,
        name: &str,
        ops: &[&TraversalOperator],
        spans: &[Span],
        scope: &Scope,
        start: usize,
    ) -> Result<(V, usize), EvalError> {
        let file = scope.file;
        if let Some(v) = scope.binding(name) {
            return Ok((v.clone(), 0));
        }
        let attr = |i: usize| match ops.get(i) {
            Some(TraversalOperator::GetAttr(a)) => Some(a.as_str()),
            _ => None,
        };
        let upto = |i: usize| Span::new(start, spans.get(i).map_or(start, |s| s.end as usize));
        let missing = || self.err(format!("incomplete reference `{name}`"), file, upto(0));
        match name {
            "var" => {
                let var = attr(0).ok_or_else(missing)?;
                Ok((self.var_value(scope.inst, var, file, upto(0))?, 1))
            }
            "local" => {
                let local = attr(0).ok_or_else(missing)?;
                Ok((self.local_value(scope.inst, local, file, upto(0))?, 1))
            }
            "count" => match (attr(0), &scope.count) {
                (Some("index"), Some(v)) => Ok((v.clone(), 1)),
                _ => Err(self.err("`count` is not available here", file, upto(0))),
            },
            "each" => match (attr(0), &scope.each) {
                (Some("key"), Some((k, _))) => Ok((k.clone(), 1)),
                (Some("value"), Some((_, v))) => Ok((v.clone(), 1)),
                _ => Err(self.err("`each` is not available here", file, upto(0))),
            },
            "path" => {
                let which = attr(0).ok_or_else(missing)?;
                let inst = self.inst(scope.inst);
                let value = match which {
                    "module" => inst.map(|i| i.def.path_module.clone()),
                    "root" | "cwd" => Some(".".to_owned()),
                    _ => None,
                };
                match value {
                    Some(v) => Ok((V::string(v, file, upto(0)), 1)),
                    None => Err(self.err(format!("unknown `path.{which}`"), file, upto(0))),
                }
            }
            "terraform" | "self" => Ok((
                self.unknown(file, upto(ops.len().saturating_sub(1))),
                ops.len(),
            )),
            "module" => {
                let call = attr(0).ok_or_else(missing)?;
                Ok((self.module_value(scope.inst, call, file, upto(0))?, 1))
            }
            "data" => {
                let (Some(rtype), Some(rname)) = (attr(0), attr(1)) else {
                    return Err(missing());
                };
                Ok((
                    self.resource_value(scope.inst, Mode::Data, rtype, rname, file, upto(1))?,
                    2,
                ))
            }
            rtype => {
                let Some(rname) = attr(0) else {
                    return Err(self.err(format!("unknown reference `{rtype}`"), file, upto(0)));
                };
                Ok((
                    self.resource_value(scope.inst, Mode::Managed, rtype, rname, file, upto(0))?,
                    1,
                ))
            }
        }
    }

    // ---- variables and locals --------------------------------------------------------------

    fn var_value(&self, inst_id: usize, name: &str, file: FileId, span: Span) -> R {
        let inst = self
            .inst(inst_id)
            .ok_or_else(|| self.err("internal: no module instance", file, span))?;
        let Some(var) = inst.def.config.variable(name) else {
            return Err(self.err(format!("variable `{name}` is not declared"), file, span));
        };
        // The root module: variable files and user parameters.
        if let Some(v) = inst.root_inputs.borrow().get(name) {
            return Ok(v.clone());
        }
        // A child: the argument of the module call, evaluated in the caller's scope.
        if let Some(link) = &inst.parent
            && let Some(v) = self.module_input(&inst, link, name)?
        {
            return Ok(v);
        }
        match &var.default {
            Some(expr) => {
                let scope = Scope::module(inst_id, var.file);
                self.eval(expr, &scope)
            }
            None => Ok(self.unknown(file, span)),
        }
    }

    fn module_input(
        &self,
        inst: &ModuleInst,
        link: &ParentLink,
        name: &str,
    ) -> Result<Option<V>, EvalError> {
        if let Some(slot) = inst.inputs.borrow().get(name) {
            return match slot {
                Slot::Done(v) => Ok(Some(v.clone())),
                Slot::InProgress => Err(self.err(
                    format!("module input `{name}` refers to itself"),
                    FileId(0),
                    Span::default(),
                )),
            };
        }
        let Some(parent) = self.inst(link.inst) else {
            return Ok(None);
        };
        let Some(call) = parent.def.config.modules.get(link.call) else {
            return Ok(None);
        };
        let Some(attr) = call.body.get_attribute(name) else {
            return Ok(None);
        };
        inst.inputs
            .borrow_mut()
            .insert(name.to_owned(), Slot::InProgress);
        let scope = self.item_scope(
            link.inst,
            Item::Module(link.call),
            link.key.as_ref(),
            call.file,
        );
        let v = self.eval(&attr.value, &scope);
        let v = match v {
            Ok(v) => v,
            Err(e) => {
                inst.inputs.borrow_mut().remove(name);
                return Err(e);
            }
        };
        inst.inputs
            .borrow_mut()
            .insert(name.to_owned(), Slot::Done(v.clone()));
        Ok(Some(v))
    }

    fn local_value(&self, inst_id: usize, name: &str, file: FileId, span: Span) -> R {
        let inst = self
            .inst(inst_id)
            .ok_or_else(|| self.err("internal: no module instance", file, span))?;
        if let Some(slot) = inst.locals.borrow().get(name) {
            return match slot {
                Slot::Done(v) => Ok(v.clone()),
                Slot::InProgress => {
                    Err(self.err(format!("`local.{name}` refers to itself"), file, span))
                }
            };
        }
        let Some(local) = inst.def.config.local(name) else {
            return Err(self.err(format!("`local.{name}` is not declared"), file, span));
        };
        inst.locals
            .borrow_mut()
            .insert(name.to_owned(), Slot::InProgress);
        let scope = Scope::module(inst_id, local.file);
        let v = match self.eval(&local.expr, &scope) {
            Ok(v) => v,
            Err(e) => {
                // Remember the failure as unknown so it is reported once.
                self.report(&e);
                self.unknown(local.file, sp(local.expr.span()))
            }
        };
        inst.locals
            .borrow_mut()
            .insert(name.to_owned(), Slot::Done(v.clone()));
        Ok(v)
    }

    // ---- count / for_each ------------------------------------------------------------------

    /// The instances of a resource or module call.
    pub fn expansion(&self, inst_id: usize, item: Item) -> Rc<Expansion> {
        let Some(inst) = self.inst(inst_id) else {
            return Rc::new(Expansion::Single);
        };
        if let Some(e) = inst.expansions.borrow().get(&item) {
            return e.clone();
        }
        // Guard against `count = length(aws_x.self_ref)`: a cycle yields a single instance.
        inst.expansions
            .borrow_mut()
            .insert(item, Rc::new(Expansion::Unknown(String::new())));
        let (body, file) = match item {
            Item::Resource(r) => match inst.def.config.resources.get(r) {
                Some(rb) => (&rb.body, rb.file),
                None => return Rc::new(Expansion::Single),
            },
            Item::Module(m) => match inst.def.config.modules.get(m) {
                Some(mc) => (&mc.body, mc.file),
                None => return Rc::new(Expansion::Single),
            },
        };
        let scope = Scope::module(inst_id, file);
        let e = if let Some(attr) = body.get_attribute("count") {
            let v = self.eval_or_unknown(&attr.value, &scope);
            match v.as_f64() {
                Some(n) if n >= 0.0 && n.fract() == 0.0 && n <= MAX_INSTANCES as f64 => {
                    #[allow(
                        clippy::cast_possible_truncation,
                        clippy::cast_sign_loss,
                        reason = "checked whole, non-negative and bounded"
                    )]
                    let n = n as usize;
                    Expansion::Count(n)
                }
                Some(_) => {
                    self.diags.push(Diagnostic::warning(
                        format!("`count` must be a whole number between 0 and {MAX_INSTANCES}; evaluated as a single instance"),
                        Origin::source(file, sp(attr.value.span()), ""),
                    ));
                    Expansion::Unknown(self.text(file, sp(attr.value.span())))
                }
                None => Expansion::Unknown(self.text(file, sp(attr.value.span()))),
            }
        } else if let Some(attr) = body.get_attribute("for_each") {
            let v = self.eval_or_unknown(&attr.value, &scope);
            match &v.kind {
                Kind::Map(entries) if entries.len() <= MAX_INSTANCES => {
                    let mut entries = entries.clone();
                    // Terraform orders instances by key.
                    entries.sort_by(|a, b| a.key.cmp(&b.key));
                    Expansion::Each(entries)
                }
                Kind::List(items) if items.len() <= MAX_INSTANCES => {
                    // A set of strings: each.key = each.value.
                    let mut keys: Vec<MapEntry> = Vec::new();
                    let mut ok = true;
                    for item in items {
                        match item.scalar_text() {
                            Some(k) if !keys.iter().any(|x| x.key == k) => keys.push(MapEntry {
                                key: k,
                                key_span: item.span,
                                value: item.clone(),
                            }),
                            Some(_) => {}
                            None => ok = false,
                        }
                    }
                    keys.sort_by(|a, b| a.key.cmp(&b.key));
                    if ok {
                        Expansion::Each(keys)
                    } else {
                        Expansion::Unknown(self.text(file, sp(attr.value.span())))
                    }
                }
                _ => Expansion::Unknown(self.text(file, sp(attr.value.span()))),
            }
        } else {
            Expansion::Single
        };
        let e = Rc::new(e);
        inst.expansions.borrow_mut().insert(item, e.clone());
        e
    }

    /// The scope of one instance of a resource or module call.
    pub fn item_scope(
        &self,
        inst_id: usize,
        item: Item,
        key: Option<&InstanceKey>,
        file: FileId,
    ) -> Scope {
        let mut scope = Scope::module(inst_id, file);
        let expansion = self.expansion(inst_id, item);
        match (&*expansion, key) {
            (Expansion::Count(_), Some(InstanceKey::Index(i))) => {
                scope.count = Some(V::number(*i as f64, file, Span::default()));
            }
            (Expansion::Each(entries), Some(InstanceKey::Key(k))) => {
                if let Some(e) = entries.iter().find(|e| e.key == *k) {
                    let key = V::string(e.key.clone(), e.value.file, e.key_span);
                    scope.each = Some((key, e.value.clone()));
                }
            }
            (Expansion::Unknown(text), _) => {
                let u = V::unknown(text.clone(), file, Span::default());
                scope.count = Some(u.clone());
                scope.each = Some((u.clone(), u));
            }
            _ => {}
        }
        scope
    }

    // ---- resources -------------------------------------------------------------------------

    fn resource_value(
        &self,
        inst_id: usize,
        mode: Mode,
        rtype: &str,
        rname: &str,
        file: FileId,
        span: Span,
    ) -> R {
        let inst = self
            .inst(inst_id)
            .ok_or_else(|| self.err("internal: no module instance", file, span))?;
        let Some(r) = inst.def.config.resource(mode, rtype, rname) else {
            let what = if mode == Mode::Data {
                "data source"
            } else {
                "resource"
            };
            return Err(self.err(
                format!("{what} `{}` is not declared", self.text(file, span)),
                file,
                span,
            ));
        };
        let make = |key: Option<InstanceKey>| {
            let address: Rc<str> = inst.resource_address(r, key.as_ref()).into();
            V::new(
                Kind::Instance(Rc::new(InstanceRef {
                    module: inst_id,
                    resource: r,
                    key,
                    address: address.clone(),
                })),
                file,
                span,
            )
            .with_refers(Some(address))
        };
        Ok(match &*self.expansion(inst_id, Item::Resource(r)) {
            Expansion::Single => make(None),
            Expansion::Unknown(_) => {
                let address: Rc<str> = inst.resource_address(r, None).into();
                self.unknown(file, span).with_refers(Some(address))
            }
            Expansion::Count(n) => V::new(
                Kind::List((0..*n).map(|i| make(Some(InstanceKey::Index(i)))).collect()),
                file,
                span,
            ),
            Expansion::Each(entries) => V::new(
                Kind::Map(
                    entries
                        .iter()
                        .map(|e| MapEntry {
                            key: e.key.clone(),
                            key_span: span,
                            value: make(Some(InstanceKey::Key(e.key.clone()))),
                        })
                        .collect(),
                ),
                file,
                span,
            ),
        })
    }

    /// The scope a resource instance's own expressions are evaluated in.
    pub fn instance_scope(&self, r: &InstanceRef) -> Option<Scope> {
        let inst = self.inst(r.module)?;
        let rb = inst.def.config.resources.get(r.resource)?;
        Some(self.item_scope(
            r.module,
            Item::Resource(r.resource),
            r.key.as_ref(),
            rb.file,
        ))
    }

    /// Read an attribute of a resource instance.
    fn instance_attr(&self, r: &InstanceRef, name: &str, file: FileId, here: Span) -> R {
        let refers = Some(r.address.clone());
        let computed = || self.unknown(file, here).with_refers(refers.clone());
        let Some(inst) = self.inst(r.module) else {
            return Ok(computed());
        };
        let Some(rb) = inst.def.config.resources.get(r.resource) else {
            return Ok(computed());
        };
        let Some(scope) = self.instance_scope(r) else {
            return Ok(computed());
        };
        if rb.mode == Mode::Data
            && let Some(v) = self.data_attr(r, &rb.rtype, name, &scope, file, here)?
        {
            return Ok(v.with_refers(None));
        }
        let source_attr = derived_attribute(&rb.rtype, name).unwrap_or(name);
        if !META_ATTRS.contains(&source_attr) {
            if let Some(attr) = rb.body.get_attribute(source_attr) {
                let v = self.eval(&attr.value, &scope)?;
                // Data sources are not part of the inventory: no local reference to them.
                let own = if rb.mode == Mode::Data {
                    None
                } else {
                    refers.clone()
                };
                if v.is_null() {
                    return Ok(computed());
                }
                // Another resource's value is blamed where it is referred to.
                let v = if rb.mode == Mode::Managed {
                    V {
                        file,
                        span: here,
                        ..v
                    }
                } else {
                    v
                };
                return Ok(v.with_refers(own));
            }
            if rb.body.blocks().any(|b| b.ident.as_str() == source_attr) {
                let body = self.eval_body(&rb.body, &scope, true);
                if let Some(v) = body.get(source_attr) {
                    let v = V {
                        file,
                        span: here,
                        ..v.clone()
                    };
                    return Ok(v.with_refers(refers));
                }
            }
        }
        if rb.mode == Mode::Data {
            return Ok(self.unknown(file, here));
        }
        Ok(computed())
    }

    /// Attributes of data sources that are knowable offline.
    fn data_attr(
        &self,
        r: &InstanceRef,
        rtype: &str,
        name: &str,
        scope: &Scope,
        file: FileId,
        here: Span,
    ) -> Result<Option<V>, EvalError> {
        Ok(match (rtype, name) {
            ("aws_iam_policy_document", "json" | "minified_json") => {
                let inst = self.inst(r.module);
                let rb = inst
                    .as_ref()
                    .and_then(|i| i.def.config.resources.get(r.resource));
                match rb {
                    Some(rb) => {
                        let body = self.eval_body(&rb.body, scope, true);
                        let base = Origin::source(rb.file, rb.span, r.address.to_string());
                        Some(policy_document::build(&body, &base, file, here))
                    }
                    None => None,
                }
            }
            ("aws_caller_identity", "account_id") => Some(match &self.options.account_id {
                Some(a) => V::string(a.clone(), file, here),
                None => self.unknown(file, here),
            }),
            ("aws_region", "name" | "region" | "id") => Some(match &self.options.region {
                Some(a) => V::string(a.clone(), file, here),
                None => self.unknown(file, here),
            }),
            ("aws_partition", "partition") => Some(V::string(
                partition(self.options.region.as_deref()),
                file,
                here,
            )),
            ("aws_partition", "dns_suffix") => Some(V::string(
                match partition(self.options.region.as_deref()) {
                    "aws-cn" => "amazonaws.com.cn",
                    _ => "amazonaws.com",
                },
                file,
                here,
            )),
            _ => None,
        })
    }

    // ---- modules ---------------------------------------------------------------------------

    fn module_value(&self, inst_id: usize, call: &str, file: FileId, span: Span) -> R {
        let inst = self
            .inst(inst_id)
            .ok_or_else(|| self.err("internal: no module instance", file, span))?;
        let Some(c) = inst.def.config.module_call(call) else {
            return Err(self.err(format!("module `{call}` is not declared"), file, span));
        };
        let make = |key: Option<InstanceKey>| {
            let child = self.child(inst_id, c, key.clone());
            let mut address = format!("{}module.{call}", inst.prefix);
            if let Some(k) = &key {
                address.push_str(&k.suffix());
            }
            V::new(
                Kind::Module(Rc::new(ModuleRef {
                    inst: child,
                    address: address.into(),
                })),
                file,
                span,
            )
        };
        Ok(match &*self.expansion(inst_id, Item::Module(c)) {
            Expansion::Single | Expansion::Unknown(_) => make(None),
            Expansion::Count(n) => V::new(
                Kind::List((0..*n).map(|i| make(Some(InstanceKey::Index(i)))).collect()),
                file,
                span,
            ),
            Expansion::Each(entries) => V::new(
                Kind::Map(
                    entries
                        .iter()
                        .map(|e| MapEntry {
                            key: e.key.clone(),
                            key_span: span,
                            value: make(Some(InstanceKey::Key(e.key.clone()))),
                        })
                        .collect(),
                ),
                file,
                span,
            ),
        })
    }

    fn module_output(&self, m: &ModuleRef, name: &str, file: FileId, here: Span) -> R {
        let Some(child_id) = m.inst else {
            return Ok(self.unknown(file, here));
        };
        let Some(child) = self.inst(child_id) else {
            return Ok(self.unknown(file, here));
        };
        let Some(output) = child.def.config.output(name) else {
            return Err(self.err(
                format!("module `{}` has no output `{name}`", m.address),
                file,
                here,
            ));
        };
        match &output.expr {
            Some(expr) => {
                let v = self.eval(expr, &Scope::module(child_id, output.file))?;
                // A resource reference passed out of a module is blamed where it is used.
                Ok(if v.refers.is_some() || v.is_unknown() {
                    V {
                        file,
                        span: here,
                        ..v
                    }
                } else {
                    v
                })
            }
            None => Ok(self.unknown(file, here)),
        }
    }

    /// The instance of a module call (created on first use); `None` when its source cannot be
    /// loaded (registry or git modules not installed).
    pub fn child(&self, inst_id: usize, call: usize, key: Option<InstanceKey>) -> Option<usize> {
        let inst = self.inst(inst_id)?;
        if let Some(&c) = inst.children.borrow().get(&(call, key.clone())) {
            return (c != usize::MAX).then_some(c);
        }
        inst.children
            .borrow_mut()
            .insert((call, key.clone()), usize::MAX);
        let mc = inst.def.config.modules.get(call)?;
        let call_path = if inst.call_path.is_empty() {
            mc.name.clone()
        } else {
            format!("{}.{}", inst.call_path, mc.name)
        };
        let nesting = call_path.split('.').count();
        let origin = Origin::source(
            mc.file,
            mc.span,
            format!("{}module.{}", inst.prefix, mc.name),
        );
        if nesting > MAX_MODULE_NESTING {
            self.diags.push(Diagnostic::warning(
                format!(
                    "module `{}` nests deeper than {MAX_MODULE_NESTING} levels; not loaded",
                    mc.name
                ),
                origin,
            ));
            return None;
        }
        let source = mc.source.clone().unwrap_or_default();
        let def = if source.starts_with("./") || source.starts_with("../") {
            let dir = normalize(&inst.def.dir.join(&source));
            let path_module = normalize_text(&format!("{}/{}", inst.def.path_module, source));
            self.def_for(&dir, path_module, &origin)
        } else if let Some(dir) = self.installed.get(&call_path) {
            let path_module = normalize_text(&dir.display().to_string());
            let dir = normalize(&self.root_dir().join(dir));
            self.def_for(&dir, path_module, &origin)
        } else {
            let shown = if source.is_empty() {
                "(none)".to_owned()
            } else {
                quote(&source)
            };
            self.diags.push(Diagnostic::warning(
                format!(
                    "module `{}` has source {shown}, which is not a local path nor installed \
                     in .terraform/modules; its resources are not loaded and its outputs are unknown",
                    mc.name
                ),
                origin,
            ));
            None
        }?;
        let mut prefix = format!("{}module.{}", inst.prefix, mc.name);
        if let Some(k) = &key {
            prefix.push_str(&k.suffix());
        }
        prefix.push('.');
        let child = ModuleInst::new(
            def,
            prefix,
            call_path,
            Some(ParentLink {
                inst: inst_id,
                call,
                key: key.clone(),
            }),
        );
        let id = self.add_inst(child);
        inst.children.borrow_mut().insert((call, key), id);
        Some(id)
    }

    fn root_dir(&self) -> PathBuf {
        self.inst(0).map(|i| i.def.dir.clone()).unwrap_or_default()
    }

    fn def_for(&self, dir: &Path, path_module: String, origin: &Origin) -> Option<Rc<ModuleDef>> {
        if let Some(d) = self.defs.borrow().get(dir) {
            return Some(d.clone());
        }
        match ModuleDef::read_dir(dir, path_module, self.sources) {
            Ok(def) => {
                for d in &def.config.diagnostics {
                    self.diags.push(d.clone());
                }
                let def = Rc::new(def);
                self.defs
                    .borrow_mut()
                    .insert(dir.to_path_buf(), def.clone());
                Some(def)
            }
            Err(message) => {
                self.diags.push(Diagnostic::warning(
                    format!("cannot load module: {message}"),
                    origin.clone(),
                ));
                None
            }
        }
    }

    // ---- bodies ----------------------------------------------------------------------------

    /// Evaluate a block body into a map: attributes as entries, nested blocks as lists of maps
    /// under their type, `dynamic` blocks expanded.
    pub fn eval_body(&self, body: &Body, scope: &Scope, skip_meta: bool) -> V {
        let file = scope.file;
        let mut entries: Vec<MapEntry> = Vec::new();
        for s in body.iter() {
            match s {
                Structure::Attribute(a) => {
                    let key = a.key.as_str();
                    if skip_meta && META_ATTRS.contains(&key) {
                        continue;
                    }
                    let value = self.eval_or_unknown(&a.value, scope);
                    upsert(
                        &mut entries,
                        MapEntry {
                            key: key.to_owned(),
                            key_span: sp(a.key.span()),
                            value,
                        },
                    );
                }
                Structure::Block(b) => {
                    let ident = b.ident.as_str();
                    if skip_meta && META_BLOCKS.contains(&ident) {
                        continue;
                    }
                    if ident == "dynamic" {
                        self.eval_dynamic(b, scope, &mut entries);
                    } else {
                        let v = self.eval_body(&b.body, scope, false);
                        let v = V {
                            span: sp(b.span()),
                            ..v
                        };
                        push_block(&mut entries, ident, sp(b.ident.span()), v, file);
                    }
                }
            }
        }
        V::new(Kind::Map(entries), file, sp(body.span()))
    }

    fn eval_dynamic(&self, b: &Block, scope: &Scope, entries: &mut Vec<MapEntry>) {
        let file = scope.file;
        let Some(label) = b.labels.first() else {
            return;
        };
        let name = label.as_str();
        let label_span = sp(label.span());
        let iterator = b
            .body
            .get_attribute("iterator")
            .and_then(|a| match &a.value {
                Expression::Variable(v) => Some(v.as_str().to_owned()),
                _ => None,
            })
            .unwrap_or_else(|| name.to_owned());
        let Some(content) = b.body.blocks().find(|c| c.ident.as_str() == "content") else {
            return;
        };
        let Some(for_each) = b.body.get_attribute("for_each") else {
            return;
        };
        let coll = self.eval_or_unknown(&for_each.value, scope);
        let pairs = match self.iterate(&coll, file) {
            Ok(Some(p)) => p,
            Ok(None) => {
                let u = self.unknown(file, sp(for_each.value.span()));
                push_block(entries, name, label_span, u, file);
                return;
            }
            Err(e) => {
                self.report(&e);
                let u = self.unknown(file, sp(for_each.value.span()));
                push_block(entries, name, label_span, u, file);
                return;
            }
        };
        for (k, v) in pairs {
            let iter_value = V::new(
                Kind::Map(vec![
                    MapEntry {
                        key: "key".into(),
                        key_span: k.span,
                        value: k.clone(),
                    },
                    MapEntry {
                        key: "value".into(),
                        key_span: v.span,
                        value: v.clone(),
                    },
                ]),
                v.file,
                v.span,
            );
            let mut inner = scope.clone();
            inner.bindings.push((iterator.clone(), iter_value));
            let body = self.eval_body(&content.body, &inner, false);
            let body = V {
                span: sp(content.span()),
                ..body
            };
            push_block(entries, name, label_span, body, file);
        }
    }
}

/// Append a nested block under its type (a list of maps).
fn push_block(entries: &mut Vec<MapEntry>, ident: &str, key_span: Span, v: V, file: FileId) {
    match entries.iter_mut().find(|e| e.key == ident) {
        Some(e) => {
            if let Kind::List(items) = &mut e.value.kind {
                items.push(v);
            }
        }
        None => entries.push(MapEntry {
            key: ident.to_owned(),
            key_span,
            value: V::new(Kind::List(vec![v]), file, key_span),
        }),
    }
}

/// Insert or replace an entry (later keys win, as in Terraform objects).
fn upsert(entries: &mut Vec<MapEntry>, entry: MapEntry) {
    match entries.iter_mut().find(|e| e.key == entry.key) {
        Some(e) => *e = entry,
        None => entries.push(entry),
    }
}

/// The text a value contributes to a template; `None` when unknown.
fn template_text(v: &V) -> Result<Option<String>, String> {
    match &v.kind {
        Kind::String(s) | Kind::Number(s) => Ok(Some(s.clone())),
        Kind::Bool(b) => Ok(Some(b.to_string())),
        Kind::Json(inner) => Ok((!inner.has_unknown()).then(|| inner.to_json())),
        Kind::Unknown(_) | Kind::Instance(_) | Kind::Module(_) => Ok(None),
        Kind::Null => Err("a null value cannot be used in a string template".into()),
        Kind::List(_) | Kind::Map(_) => {
            Err("a list or object cannot be used in a string template".into())
        }
    }
}

/// Structural equality of two known values (spans and references ignored).
pub(crate) fn same(a: &V, b: &V) -> bool {
    match (&a.kind, &b.kind) {
        (Kind::Null, Kind::Null) => true,
        (Kind::Bool(x), Kind::Bool(y)) => x == y,
        (Kind::Number(x), Kind::Number(y)) => {
            x == y || matches!((x.parse::<f64>(), y.parse::<f64>()), (Ok(p), Ok(q)) if p == q)
        }
        (Kind::String(x), Kind::String(y)) => x == y,
        (Kind::List(x), Kind::List(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (Kind::Map(x), Kind::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|e| b.get(&e.key).is_some_and(|other| same(&e.value, other)))
        }
        (Kind::Json(x), Kind::Json(y)) => same(x, y),
        (Kind::Json(x), Kind::String(s)) | (Kind::String(s), Kind::Json(x)) => x.to_json() == *s,
        _ => false,
    }
}

/// Computed attributes that equal a configured one.
fn derived_attribute(rtype: &str, name: &str) -> Option<&'static str> {
    Some(match (rtype, name) {
        ("aws_s3_bucket", "id") => "bucket",
        ("aws_iam_role" | "aws_iam_user" | "aws_iam_group", "id") => "name",
        ("aws_lambda_function", "id") => "function_name",
        ("aws_cloudwatch_log_group", "id") => "name",
        _ => return None,
    })
}

/// The partition of a region (`aws` when the region is not known).
pub(crate) fn partition(region: Option<&str>) -> &'static str {
    match region {
        Some(r) if r.starts_with("cn-") => "aws-cn",
        Some(r) if r.starts_with("us-gov-") => "aws-us-gov",
        Some(r) if r.starts_with("us-iso-") => "aws-iso",
        Some(r) if r.starts_with("us-isob-") => "aws-iso-b",
        _ => "aws",
    }
}

/// Resolve `.` and `..` without touching the file system.
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

fn normalize_text(path: &str) -> String {
    normalize(Path::new(path)).display().to_string()
}
