//! Serverless Framework variables: `${source:address, fallback, ...}` in any string of the
//! document, resolved the way the Framework does where that is knowable offline.
//!
//! - `${self:a.b}` (and the v2 bare form `${a.b}`): another part of the document, itself
//!   resolved; `self:provider.stage` / `self:provider.region` fall back to the effective stage
//!   and region as the Framework sets them.
//! - `${opt:name}`: the user's parameters (`--parameter name=value`); `${sls:stage}`,
//!   `${aws:region}`, `${aws:accountId}` from the stage, the region and the account.
//! - `${env:NAME}`: the deployer's environment is not the scanner's: never read from the
//!   process; a written fallback applies, else unresolved.
//! - `${file(./x.yml):a.b}`: a YAML or JSON file next to the service, joined to the source map.
//! - `${ssm:...}`, `${cf:...}`, `${s3:...}`, `${param:...}` and anything else: unresolved,
//!   keeping the expression text (`${ssm:/db/password}`), so rules stay silent rather than guess.
//!
//! Fallbacks (`${env:X, 'default'}`, `${opt:stage, self:provider.stage}`) are tried in order
//! when a source has no value. A string that is exactly one variable takes the referenced node
//! (which can be a map or a list); otherwise the text is interpolated.
//!
//! Resolved nodes keep the origin of the text they come from (the literal the value is written
//! as), named by the path where they are used. Cycles and runaway nesting are cut off with a
//! diagnostic, never a panic.

use crate::yaml;
use lambdasec_model::{Diagnostic, Entry, Node, NodeKind, Origin, SourceMap, join_path};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// How deep variables may refer to variables.
const MAX_DEPTH: usize = 24;
/// The largest string interpolation may build.
const MAX_STRING: usize = 1 << 20;
/// How many variables one document may resolve (a guard against blow-ups).
const MAX_STEPS: usize = 200_000;

/// What variables resolve against besides the document.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// `${opt:...}` values.
    pub options: BTreeMap<String, String>,
    /// The region the scan was told about (it wins over `provider.region`, as `--region`).
    pub region: Option<String>,
    pub account_id: Option<String>,
    /// The directory of the service file (`${file(...)}` is relative to it).
    pub dir: PathBuf,
}

/// The resolver of one document.
#[derive(Debug)]
pub struct Resolver<'a> {
    root: &'a Node,
    cx: &'a Context,
    sources: Option<&'a SourceMap>,
    memo: HashMap<String, Option<Node>>,
    files: HashMap<PathBuf, Option<Node>>,
    steps: usize,
    pub diagnostics: Vec<Diagnostic>,
}

/// The outcome of resolving one variable source.
enum Got {
    Value(Node),
    /// No value here: try the next fallback.
    Missing,
    /// Not knowable offline.
    Unresolved,
}

impl<'a> Resolver<'a> {
    pub fn new(root: &'a Node, cx: &'a Context, sources: Option<&'a SourceMap>) -> Self {
        Resolver {
            root,
            cx,
            sources,
            memo: HashMap::new(),
            files: HashMap::new(),
            steps: 0,
            diagnostics: Vec::new(),
        }
    }

    /// The whole document, resolved.
    pub fn resolve_document(&mut self) -> Node {
        let root = self.root;
        self.resolve(root, 0)
    }

    /// Resolve every string of a node (recursively).
    pub fn resolve(&mut self, node: &Node, depth: usize) -> Node {
        match &node.kind {
            NodeKind::String(s) if s.contains("${") => self.resolve_string(node, s, depth),
            NodeKind::List(items) => Node::new(
                NodeKind::List(items.iter().map(|n| self.resolve(n, depth)).collect()),
                node.origin.clone(),
            ),
            NodeKind::Map(entries) => Node::new(
                NodeKind::Map(
                    entries
                        .iter()
                        .map(|e| Entry {
                            key: e.key.clone(),
                            key_origin: e.key_origin.clone(),
                            value: self.resolve(&e.value, depth),
                        })
                        .collect(),
                ),
                node.origin.clone(),
            ),
            _ => node.clone(),
        }
    }

    fn unresolved(node: &Node, text: &str) -> Node {
        Node::new(NodeKind::Unresolved(text.to_owned()), node.origin.clone())
    }

    fn resolve_string(&mut self, node: &Node, s: &str, depth: usize) -> Node {
        let parts = match split_template(s) {
            Ok(p) => p,
            Err(e) => {
                self.diagnostics.push(Diagnostic::warning(
                    format!("invalid variable syntax in `{}`: {e}", shorten(s)),
                    node.origin.clone(),
                ));
                return Self::unresolved(node, s);
            }
        };
        // A string that is one variable takes the node it names.
        if let [Part::Var(inner)] = parts.as_slice() {
            return match self.variable(node, inner, depth) {
                Some(found) => relocate(found, &node.origin),
                None => Self::unresolved(node, s),
            };
        }
        let mut out = String::new();
        for part in &parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Var(inner) => match self.variable(node, inner, depth) {
                    Some(found) => match found.scalar_text() {
                        Some(t) => out.push_str(&t),
                        None => return Self::unresolved(node, s),
                    },
                    None => return Self::unresolved(node, s),
                },
            }
            if out.len() > MAX_STRING {
                self.diagnostics.push(Diagnostic::warning(
                    "variable expansion too large".to_owned(),
                    node.origin.clone(),
                ));
                return Self::unresolved(node, s);
            }
        }
        Node::new(NodeKind::String(out), node.origin.clone())
    }

    /// Resolve the inside of one `${...}`: its fallbacks in order. `None` when unresolved.
    fn variable(&mut self, at: &Node, inner: &str, depth: usize) -> Option<Node> {
        self.steps += 1;
        if depth >= MAX_DEPTH || self.steps > MAX_STEPS {
            self.diagnostics.push(Diagnostic::warning(
                format!(
                    "variable `${{{}}}` nests too deeply (or refers to itself)",
                    shorten(inner)
                ),
                at.origin.clone(),
            ));
            return None;
        }
        // Nested variables inside the address are resolved first.
        let inner = if inner.contains("${") {
            let probe = Node::string(inner, at.origin.clone());
            match self.resolve_string(&probe, inner, depth + 1).kind {
                NodeKind::String(s) => s,
                _ => return None,
            }
        } else {
            inner.to_owned()
        };
        for alternative in split_top_level(&inner, ',') {
            let alternative = alternative.trim();
            if alternative.is_empty() {
                continue;
            }
            match self.source(at, alternative, depth) {
                Got::Value(n) if !matches!(n.kind, NodeKind::Null) => return Some(n),
                Got::Value(_) | Got::Missing => continue,
                Got::Unresolved => return None,
            }
        }
        None
    }

    fn source(&mut self, at: &Node, text: &str, depth: usize) -> Got {
        let origin = at.origin.clone();
        // Literals: 'text', "text", numbers, booleans, null.
        if let Some(lit) = text
            .strip_prefix('\'')
            .and_then(|t| t.strip_suffix('\''))
            .or_else(|| text.strip_prefix('"').and_then(|t| t.strip_suffix('"')))
        {
            return Got::Value(Node::string(lit, origin));
        }
        if text.parse::<f64>().is_ok() {
            return Got::Value(Node::new(NodeKind::Number(text.to_owned()), origin));
        }
        match text {
            "true" | "false" => {
                return Got::Value(Node::new(NodeKind::Bool(text == "true"), origin));
            }
            "null" => return Got::Missing,
            _ => {}
        }
        if let Some(rest) = text.strip_prefix("file(") {
            return self.file(at, rest, depth);
        }
        let (kind, address) = match text.split_once(':') {
            Some((k, a)) if !k.contains('(') && !k.contains('.') => (k.trim(), a.trim()),
            // `${a.b}`: the v2 shorthand for `self:a.b`.
            _ if !text.contains('(') => ("self", text),
            _ => return Got::Unresolved,
        };
        match kind {
            // The Framework sets these two whether or not the file does.
            "self" if address == "provider.stage" => {
                Got::Value(Node::string(self.effective("stage", depth), origin))
            }
            "self" if address == "provider.region" => {
                Got::Value(Node::string(self.effective("region", depth), origin))
            }
            "self" => self.self_ref(address, depth),
            "opt" => match self.cx.options.get(address) {
                Some(v) => Got::Value(Node::string(v.clone(), origin)),
                None => Got::Missing,
            },
            "env" => Got::Missing,
            "sls" => match address {
                "stage" => Got::Value(Node::string(self.effective("stage", depth), origin)),
                _ => Got::Unresolved,
            },
            "aws" => match address {
                "region" => Got::Value(Node::string(self.effective("region", depth), origin)),
                "accountId" => match &self.cx.account_id {
                    Some(a) => Got::Value(Node::string(a.clone(), origin)),
                    None => Got::Unresolved,
                },
                _ => Got::Unresolved,
            },
            _ => Got::Unresolved,
        }
    }

    /// The effective stage or region: the user's parameter, the region given to the scan,
    /// `provider.stage` / `provider.region` (resolved), else the Framework's default (`dev`,
    /// `us-east-1`).
    pub fn effective(&mut self, key: &str, depth: usize) -> String {
        if let Some(v) = self.cx.options.get(key) {
            return v.clone();
        }
        if key == "region"
            && let Some(r) = &self.cx.region
        {
            return r.clone();
        }
        if let Got::Value(n) = self.self_ref(&format!("provider.{key}"), depth + 1)
            && let Some(s) = n.scalar_text()
        {
            return s;
        }
        if key == "stage" { "dev" } else { "us-east-1" }.to_owned()
    }

    fn self_ref(&mut self, address: &str, depth: usize) -> Got {
        let address = address.trim();
        if let Some(cached) = self.memo.get(address) {
            return match cached {
                Some(n) => Got::Value(n.clone()),
                None => Got::Unresolved,
            };
        }
        let found = lookup(self.root, address).cloned();
        let Some(found) = found else {
            return self.through_variable(address, depth);
        };
        // In progress: a cycle resolves to nothing.
        self.memo.insert(address.to_owned(), None);
        let resolved = self.resolve(&found, depth + 1);
        self.memo.insert(address.to_owned(), Some(resolved.clone()));
        Got::Value(resolved)
    }

    /// An address that goes through a value written as a variable (`custom:
    /// ${file(vars.yml)}` read as `${self:custom.key}`): resolve the longest written prefix,
    /// then look the rest up in what it resolved to.
    fn through_variable(&mut self, address: &str, depth: usize) -> Got {
        let mut cut = address.len();
        while let Some(dot) = address.get(..cut).and_then(|a| a.rfind('.')) {
            cut = dot;
            let (prefix, rest) = (address.get(..dot), address.get(dot + 1..));
            let (Some(prefix), Some(rest)) = (prefix, rest) else {
                return Got::Missing;
            };
            let Some(written) = lookup(self.root, prefix) else {
                continue;
            };
            // Only a variable can stand for a map that is not written here.
            if !written.as_str().is_some_and(|t| t.contains("${")) {
                return Got::Missing;
            }
            return match self.self_ref(prefix, depth + 1) {
                Got::Value(n) => lookup(&n, rest).map_or(Got::Missing, |v| Got::Value(v.clone())),
                other => other,
            };
        }
        Got::Missing
    }

    fn file(&mut self, at: &Node, rest: &str, depth: usize) -> Got {
        let Some((path, after)) = rest.split_once(')') else {
            return Got::Unresolved;
        };
        let path = path.trim().trim_matches(['\'', '"']);
        let address = after.strip_prefix(':').map(str::trim);
        // Only files of the service are read: an absolute path could pull anything on the
        // scanning machine into values (and reports).
        if Path::new(path).is_absolute() || path.starts_with('~') {
            self.diagnostics.push(Diagnostic::warning(
                format!("`${{file({path})}}`: files outside the service are not read"),
                at.origin.clone(),
            ));
            return Got::Unresolved;
        }
        let full = self.cx.dir.join(path);
        let ext = Path::new(path)
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default()
            .to_ascii_lowercase();
        if !matches!(ext.as_str(), "yml" | "yaml" | "json") {
            // JavaScript and other file kinds are programs, not data.
            return if ext.is_empty() {
                self.text_file(at, &full)
            } else {
                Got::Unresolved
            };
        }
        let doc = match self.files.get(&full) {
            Some(d) => d.clone(),
            None => {
                let doc = self.read_yaml(at, &full);
                self.files.insert(full.clone(), doc.clone());
                doc
            }
        };
        let Some(doc) = doc else {
            return Got::Missing;
        };
        let node = match address {
            Some(a) if !a.is_empty() => match lookup(&doc, a) {
                Some(n) => n.clone(),
                None => return Got::Missing,
            },
            _ => doc,
        };
        Got::Value(self.resolve(&node, depth + 1))
    }

    fn read_yaml(&mut self, at: &Node, path: &Path) -> Option<Node> {
        let text = std::fs::read_to_string(path).ok()?;
        let sources = self.sources?;
        let id = sources.add(path.display().to_string(), text);
        let file = sources.get(id)?;
        match yaml::parse(&file) {
            Ok(doc) => Some(doc.root),
            Err(e) => {
                self.diagnostics.push(Diagnostic::warning(
                    format!("`${{file({})}}`: {e}", path.display()),
                    at.origin.clone(),
                ));
                None
            }
        }
    }

    fn text_file(&mut self, at: &Node, path: &Path) -> Got {
        let (Ok(text), Some(sources)) = (std::fs::read_to_string(path), self.sources) else {
            return Got::Missing;
        };
        let len = text.len();
        let id = sources.add(path.display().to_string(), text.clone());
        let _ = at;
        Got::Value(Node::string(
            text,
            Origin::source(id, lambdasec_model::Span::new(0, len), ""),
        ))
    }
}

/// The node at a dotted address (`custom.tables.users`, `functions.api.events.0`).
pub fn lookup<'n>(root: &'n Node, address: &str) -> Option<&'n Node> {
    let mut cur = root;
    if address.is_empty() {
        return Some(cur);
    }
    for part in address.split('.') {
        cur = match &cur.kind {
            NodeKind::Map(_) => cur.get(part)?,
            NodeKind::List(items) => items.get(part.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// A copy of `node` used at `at`: spans stay where the value is written, paths name the use.
fn relocate(mut node: Node, at: &Origin) -> Node {
    let prefix = at.path().unwrap_or_default().to_owned();
    fn walk(n: &mut Node, path: &str) {
        set_path(&mut n.origin, path);
        match &mut n.kind {
            NodeKind::List(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    walk(item, &join_path(path, &format!("[{i}]")));
                }
            }
            NodeKind::Map(entries) => {
                for e in entries.iter_mut() {
                    let p = join_path(path, &e.key);
                    set_path(&mut e.key_origin, &p);
                    walk(&mut e.value, &p);
                }
            }
            _ => {}
        }
    }
    walk(&mut node, &prefix);
    node
}

fn set_path(origin: &mut Origin, path: &str) {
    match origin {
        Origin::Source { path: p, .. } => path.clone_into(p),
        Origin::Implied { owner } => set_path(owner, path),
        _ => {}
    }
}

/// A piece of a string: text, or the inside of a `${...}`.
#[derive(Debug, PartialEq)]
enum Part {
    Text(String),
    Var(String),
}

/// Split a string into text and variables, honouring nesting (`${a.${b}}`) and quotes.
fn split_template(s: &str) -> Result<Vec<Part>, String> {
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '$' && chars.peek().map(|&(_, n)| n) == Some('{') {
            chars.next();
            let start = i + 2;
            let mut depth = 1usize;
            let mut quote: Option<char> = None;
            let mut end = None;
            for (j, d) in chars.by_ref() {
                match (quote, d) {
                    (Some(q), d) if d == q => quote = None,
                    (Some(_), _) => {}
                    (None, '\'' | '"') => quote = Some(d),
                    (None, '{') => depth += 1,
                    (None, '}') => {
                        depth -= 1;
                        if depth == 0 {
                            end = Some(j);
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let Some(end) = end else {
                return Err("unclosed `${`".into());
            };
            if !text.is_empty() {
                parts.push(Part::Text(std::mem::take(&mut text)));
            }
            parts.push(Part::Var(s.get(start..end).unwrap_or_default().to_owned()));
        } else {
            text.push(c);
        }
    }
    if !text.is_empty() {
        parts.push(Part::Text(text));
    }
    Ok(parts)
}

/// Split on `sep` outside quotes, parentheses and nested `${...}`.
fn split_top_level(s: &str, sep: char) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut start = 0usize;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '{' | '(') => depth += 1,
            (None, '}' | ')') => depth = depth.saturating_sub(1),
            (None, c) if c == sep && depth == 0 => {
                out.push(s.get(start..i).unwrap_or_default());
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    out.push(s.get(start..).unwrap_or_default());
    out
}

fn shorten(s: &str) -> String {
    s.chars().take(80).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use lambdasec_model::{FileId, SourceFile};

    fn doc(text: &str) -> Node {
        yaml::parse(&SourceFile::new(FileId(0), "serverless.yml", text))
            .unwrap()
            .root
    }

    fn resolved(text: &str, cx: &Context) -> (Node, Vec<Diagnostic>) {
        let root = doc(text);
        let mut r = Resolver::new(&root, cx, None);
        let out = r.resolve_document();
        (out, r.diagnostics)
    }

    fn at<'n>(n: &'n Node, path: &str) -> &'n Node {
        lookup(n, path).unwrap()
    }

    #[test]
    fn self_opt_env_and_fallbacks() {
        let cx = Context::default();
        let (n, diags) = resolved(
            "service: app\nprovider:\n  stage: ${opt:stage, 'prod'}\ncustom:\n  table: ${self:service}-${self:provider.stage}\n  mem: 512\n  env: ${env:HOME, 'none'}\n  noenv: ${env:HOME}\n  secret: ${ssm:/db/password}\n  both: a-${ssm:/x}-b\n  stage2: ${sls:stage}\n  size: ${self:custom.mem}\n  legacy: ${opt:stage, self:provider.stage}\n",
            &cx,
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(at(&n, "custom.table").as_str(), Some("app-prod"));
        assert_eq!(at(&n, "custom.env").as_str(), Some("none"));
        assert!(at(&n, "custom.noenv").is_unresolved());
        let secret = at(&n, "custom.secret");
        assert_eq!(
            secret.kind,
            NodeKind::Unresolved("${ssm:/db/password}".into())
        );
        assert!(at(&n, "custom.both").is_unresolved());
        assert_eq!(at(&n, "custom.stage2").as_str(), Some("prod"));
        // A whole-string variable keeps the type and the span of its value.
        let size = at(&n, "custom.size");
        assert_eq!(size.kind, NodeKind::Number("512".into()));
        assert_eq!(size.origin.path(), Some("custom.size"));
        assert_eq!(at(&n, "custom.legacy").as_str(), Some("prod"));
    }

    #[test]
    fn options_stage_and_nesting() {
        let cx = Context {
            options: [("stage".to_owned(), "qa".to_owned())].into(),
            ..Context::default()
        };
        let (n, _) = resolved(
            "custom:\n  qa:\n    size: 3\n  size: ${self:custom.${opt:stage}.size}\n  region: ${aws:region}\n  account: ${aws:accountId}\n  map: ${self:custom.qa}\n",
            &cx,
        );
        assert_eq!(at(&n, "custom.size").kind, NodeKind::Number("3".into()));
        assert_eq!(at(&n, "custom.region").as_str(), Some("us-east-1"));
        assert!(at(&n, "custom.account").is_unresolved());
        assert_eq!(
            at(&n, "custom.map").get("size").unwrap().origin.path(),
            Some("custom.map.size")
        );
    }

    #[test]
    fn addresses_through_a_variable_map() {
        let (n, diags) = resolved(
            "shared:\n  actions: s3:GetObject\n  nested:\n    deep: 7\ncustom: ${self:shared}\nlist:\n  - ${self:custom.actions}\ndeep: ${self:custom.nested.deep}\nmissing: ${self:custom.nope, 'fallback'}\nscalar: plain\nbelow: ${self:scalar.x, 'none'}\nopaque: ${ssm:/x}\nthrough: ${self:opaque.y}\n",
            &Context::default(),
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(at(&n, "list.0").as_str(), Some("s3:GetObject"));
        assert_eq!(at(&n, "deep").kind, NodeKind::Number("7".into()));
        assert_eq!(at(&n, "missing").as_str(), Some("fallback"));
        assert_eq!(at(&n, "below").as_str(), Some("none"));
        assert!(at(&n, "through").is_unresolved());
    }

    #[test]
    fn cycles_and_bad_syntax_do_not_hang() {
        let (n, diags) = resolved(
            "a: ${self:b}\nb: ${self:a}\nc: ${self:c}x\nd: ${unclosed\ne: ${self:f}${self:f}\nf: ${self:g}${self:g}\ng: ${self:h}${self:h}\nh: xx\n",
            &Context::default(),
        );
        assert!(at(&n, "a").is_unresolved());
        assert!(at(&n, "c").is_unresolved());
        assert!(at(&n, "d").is_unresolved());
        assert_eq!(at(&n, "e").as_str(), Some("xxxxxxxxxxxxxxxx"));
        assert!(!diags.is_empty());
    }

    #[test]
    fn splitting() {
        assert_eq!(
            split_template("a${b, 'c}'}d${e${f}}").unwrap(),
            vec![
                Part::Text("a".into()),
                Part::Var("b, 'c}'".into()),
                Part::Text("d".into()),
                Part::Var("e${f}".into())
            ]
        );
        assert_eq!(
            split_top_level("file(a,b):x, 'y,z', ${q, r}", ','),
            vec!["file(a,b):x", " 'y,z'", " ${q, r}"]
        );
        assert!(split_template("${a").is_err());
    }
}
