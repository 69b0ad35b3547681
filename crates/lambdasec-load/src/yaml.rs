//! YAML (and JSON, a subset of it) into [`Node`] trees with a byte span and a human path on
//! every node, shared by the CloudFormation/SAM and serverless.yml loaders.
//!
//! - CloudFormation short-form tags become their long form in one table ([`SHORT_FORMS`]):
//!   `!Ref X` → `{Ref: X}`, `!GetAtt A.B` → `{Fn::GetAtt: A.B}`, `!Sub ...` → `{Fn::Sub: ...}`.
//!   The map node synthesized for a tag spans the tagged value, tag included.
//! - Plain scalars resolve with the YAML 1.2 core schema (null, booleans, numbers as written);
//!   quoted scalars are strings; `!!str`, `!!int`, ... are honoured.
//! - Anchors, aliases and `<<` merge keys are expanded (with a budget against alias bombs).
//! - Duplicate keys are warnings: the last value is kept, as CloudFormation does; a flow collection whose continuation
//!   lines are indented less than YAML requires (accepted by the parsers CloudFormation and the
//!   Serverless Framework use) is read leniently, with a warning.
//!
//! Paths: map keys join with `.`, list items with `[i]` (`Resources.Fn.Properties.Layers[0]`).

use lambdasec_model::{Diagnostic, Entry, FileId, Node, NodeKind, Origin, SourceFile, Span};
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, StrInput, Tag};
use std::borrow::Cow;
use std::collections::HashMap;

/// CloudFormation short-form tags and the key of their long form.
pub const SHORT_FORMS: &[(&str, &str)] = &[
    ("Ref", "Ref"),
    ("Condition", "Condition"),
    ("GetAtt", "Fn::GetAtt"),
    ("Sub", "Fn::Sub"),
    ("Join", "Fn::Join"),
    ("If", "Fn::If"),
    ("Select", "Fn::Select"),
    ("Split", "Fn::Split"),
    ("FindInMap", "Fn::FindInMap"),
    ("ImportValue", "Fn::ImportValue"),
    ("Base64", "Fn::Base64"),
    ("Cidr", "Fn::Cidr"),
    ("GetAZs", "Fn::GetAZs"),
    ("Equals", "Fn::Equals"),
    ("And", "Fn::And"),
    ("Or", "Fn::Or"),
    ("Not", "Fn::Not"),
    ("Transform", "Fn::Transform"),
    ("Length", "Fn::Length"),
    ("ToJsonString", "Fn::ToJsonString"),
    ("ForEach", "Fn::ForEach"),
];

/// The long-form key of a short-form tag suffix (`GetAtt` → `Fn::GetAtt`).
pub fn long_form(suffix: &str) -> Option<&'static str> {
    SHORT_FORMS
        .iter()
        .find(|(short, _)| *short == suffix)
        .map(|(_, long)| *long)
}

/// A document that could not be parsed, with its location.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}:{line}:{column}: {message}")]
pub struct YamlError {
    /// The file's path as given.
    pub path: String,
    pub file: FileId,
    /// 1-based line and column of the problem.
    pub line: u32,
    pub column: u32,
    pub span: Span,
    pub message: String,
}

impl YamlError {
    pub fn origin(&self) -> Origin {
        Origin::source(self.file, self.span, "")
    }

    /// The error as a loader diagnostic (level error).
    pub fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic::error(format!("invalid YAML: {}", self.message), self.origin())
    }
}

/// A parsed document: its root node and the problems met that did not stop parsing.
#[derive(Debug, Clone)]
pub struct Document {
    pub root: Node,
    pub diagnostics: Vec<Diagnostic>,
}

/// How many nodes alias expansion may create before the document is rejected.
const ALIAS_BUDGET: usize = 1_000_000;
/// How deep collections may nest.
const MAX_DEPTH: usize = 256;
/// How many lenient re-reads of under-indented flow collections are tried.
const MAX_FIXES: usize = 16;

/// Parse the first document of a YAML or JSON file. An empty file parses to a null node.
pub fn parse(file: &SourceFile) -> Result<Document, YamlError> {
    let text: &str = &file.text;
    let mut shifts = Shifts::default();
    let mut fixed: Option<String> = None;
    let mut first_fixed_line: Option<usize> = None;
    for _ in 0..=MAX_FIXES {
        let (new_text, inserted, line) = {
            let current = fixed.as_deref().unwrap_or(text);
            let mut b = Builder::new(file, current, &shifts);
            match b.document() {
                Ok(root) => {
                    let mut diagnostics = b.diagnostics;
                    if let Some(line) = first_fixed_line {
                        let at = line_start(text, line);
                        diagnostics.push(Diagnostic::warning(
                            "flow collection continues on lines indented less than YAML \
                             allows; read leniently, as CloudFormation does",
                            Origin::source(file.id, Span::new(at, at), ""),
                        ));
                    }
                    return Ok(Document { root, diagnostics });
                }
                Err(Fail::Scan(err, open_flow)) => {
                    let lenient = err.info().starts_with("invalid indentation")
                        || err.info().starts_with("while parsing a flow");
                    let fix = match (lenient, open_flow) {
                        (true, Some(start)) => reindent_flow(current, start),
                        _ => None,
                    };
                    match fix {
                        Some(fix) if !fix.1.is_empty() => fix,
                        _ => {
                            let at = b.byte(err.marker().index());
                            return Err(error(file, Span::new(at, at), err.info()));
                        }
                    }
                }
                Err(Fail::Invalid(span, message)) => return Err(error(file, span, &message)),
            }
        };
        shifts.add(&inserted);
        first_fixed_line.get_or_insert(line);
        fixed = Some(new_text);
    }
    Err(error(
        file,
        Span::default(),
        "flow collections indented too irregularly to read",
    ))
}

/// Byte offset of the start of a 1-based line.
fn line_start(text: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    text.match_indices('\n')
        .nth(line - 2)
        .map_or(text.len(), |(i, _)| i + 1)
}

fn error(file: &SourceFile, span: Span, message: &str) -> YamlError {
    let lc = file.line_col(span.start);
    YamlError {
        path: file.path.clone(),
        file: file.id,
        line: lc.line,
        column: lc.column,
        span,
        message: message.to_owned(),
    }
}

enum Fail {
    /// A scan error, with the start (char index) of the outermost open flow collection.
    Scan(ScanError, Option<usize>),
    Invalid(Span, String),
}

/// Character index → byte offset in the original text (identity for ASCII text).
struct Offsets {
    table: Option<Vec<u32>>,
    len: usize,
}

impl Offsets {
    fn new(text: &str) -> Self {
        let table = (!text.is_ascii()).then(|| {
            text.char_indices()
                .map(|(i, _)| u32::try_from(i).unwrap_or(u32::MAX))
                .collect()
        });
        Offsets {
            table,
            len: text.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.table {
            None => char_index.min(self.len),
            Some(t) => t.get(char_index).map_or(self.len, |&b| b as usize),
        }
    }
}

/// Spaces inserted by lenient re-reads: runs of (start char index in the current text, count).
#[derive(Default)]
struct Shifts(Vec<(usize, usize)>);

impl Shifts {
    /// Record insertions made in the current text: (char index before this round, count), in
    /// text order.
    fn add(&mut self, inserted: &[(usize, usize)]) {
        for run in &mut self.0 {
            let before: usize = inserted
                .iter()
                .filter(|(p, _)| *p <= run.0)
                .map(|(_, n)| n)
                .sum();
            run.0 += before;
        }
        let mut added = 0;
        for &(p, n) in inserted {
            self.0.push((p + added, n));
            added += n;
        }
        self.0.sort_unstable();
    }

    /// The char index in the original text of a char index in the current text.
    fn original(&self, index: usize) -> usize {
        let shift: usize = self
            .0
            .iter()
            .filter(|(start, n)| start + n <= index)
            .map(|(_, n)| n)
            .sum();
        index.saturating_sub(shift)
    }
}

/// A re-indented text, the insertions made (char index, count), and the first moved line.
type Reindented = (String, Vec<(usize, usize)>, usize);

/// Re-indent the lines of the flow collection starting at char index `start` so that YAML
/// accepts them. Returns the new text, the insertions (char index, count) and the 1-based line
/// of the first moved line.
fn reindent_flow(text: &str, start: usize) -> Option<Reindented> {
    let chars: Vec<char> = text.chars().collect();
    // Where the collection ends: the matching bracket, skipping quoted text.
    let mut depth = 0usize;
    let mut end = chars.len();
    let mut i = start;
    let mut quote: Option<char> = None;
    while let Some(&c) = chars.get(i) {
        match quote {
            Some(q) => {
                if c == q {
                    if q == '\'' && chars.get(i + 1) == Some(&'\'') {
                        i += 1;
                    } else {
                        quote = None;
                    }
                } else if c == '\\' && q == '"' {
                    i += 1;
                }
            }
            None => match c {
                '"' | '\'' => quote = Some(c),
                '[' | '{' => depth += 1,
                ']' | '}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        end = i;
                        break;
                    }
                }
                '#' if i > 0 && chars.get(i - 1).is_some_and(|p| p.is_whitespace()) => {
                    while chars.get(i).is_some_and(|&c| c != '\n') {
                        i += 1;
                    }
                    continue;
                }
                _ => {}
            },
        }
        i += 1;
    }
    // The block indentation owning the collection: the column of the key on its first line.
    let line_start = chars
        .get(..start)?
        .iter()
        .rposition(|&c| c == '\n')
        .map_or(0, |p| p + 1);
    let mut col = 0;
    let mut j = line_start;
    loop {
        match (chars.get(j), chars.get(j + 1)) {
            (Some(' '), _) => {
                j += 1;
                col += 1;
            }
            (Some('-'), Some(' ')) => {
                j += 2;
                col += 2;
            }
            _ => break,
        }
    }
    let required = col + 1;
    let mut out = String::with_capacity(text.len() + 64);
    let mut inserted = Vec::new();
    let mut first_line = 0;
    let mut line = 1;
    let mut at_line_start = false;
    let mut k = 0;
    while let Some(&c) = chars.get(k) {
        if at_line_start && k > start && k <= end {
            let indent = chars
                .get(k..)
                .map_or(0, |s| s.iter().take_while(|&&c| c == ' ').count());
            let next = chars.get(k + indent).copied().unwrap_or('\n');
            if indent < required && next != '\n' && next != '#' && next != '\r' {
                let n = required - indent;
                out.extend(std::iter::repeat_n(' ', n));
                inserted.push((k, n));
                if first_line == 0 {
                    first_line = line;
                }
            }
        }
        at_line_start = c == '\n';
        if at_line_start {
            line += 1;
        }
        out.push(c);
        k += 1;
    }
    Some((out, inserted, first_line))
}

struct Builder<'a> {
    parser: Parser<'a, StrInput<'a>>,
    file: FileId,
    offsets: Offsets,
    shifts: &'a Shifts,
    /// The text being parsed (the original, or its leniently re-indented copy).
    text_is_flow_at: Vec<bool>,
    anchors: HashMap<usize, Node>,
    budget: usize,
    diagnostics: Vec<Diagnostic>,
    /// Char indexes of the open flow collections (outermost first).
    open_flow: Vec<usize>,
}

type Ev<'a> = (Event<'a>, saphyr_parser::Span);

impl<'a> Builder<'a> {
    fn new(file: &'a SourceFile, text: &'a str, shifts: &'a Shifts) -> Self {
        Builder {
            parser: Parser::new_from_str(text),
            file: file.id,
            offsets: Offsets::new(&file.text),
            shifts,
            text_is_flow_at: text.chars().map(|c| c == '[' || c == '{').collect(),
            anchors: HashMap::new(),
            budget: ALIAS_BUDGET,
            diagnostics: Vec::new(),
            open_flow: Vec::new(),
        }
    }

    fn next(&mut self) -> Result<Ev<'a>, Fail> {
        match self.parser.next_event() {
            Some(Ok(ev)) => Ok(ev),
            Some(Err(e)) => Err(Fail::Scan(e, self.open_flow.first().copied())),
            None => Err(Fail::Invalid(
                Span::default(),
                "unexpected end of input".to_owned(),
            )),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        self.offsets.byte(self.shifts.original(char_index))
    }

    fn span(&self, s: saphyr_parser::Span) -> Span {
        Span::new(self.byte(s.start.index()), self.byte(s.end.index()))
    }

    fn origin(&self, span: Span, path: &str) -> Origin {
        Origin::source(self.file, span, path)
    }

    fn document(&mut self) -> Result<Node, Fail> {
        let mut root = None;
        loop {
            let (ev, span) = self.next()?;
            match ev {
                Event::StreamStart | Event::DocumentEnd | Event::Nothing => {}
                Event::DocumentStart(_) if root.is_some() => {
                    self.diagnostics.push(Diagnostic::warning(
                        "only the first YAML document of the file is read",
                        self.origin(self.span(span), ""),
                    ));
                    break;
                }
                Event::DocumentStart(_) => {
                    let (ev, span) = self.next()?;
                    root = Some(self.node(ev, span, String::new(), 0)?);
                }
                Event::StreamEnd => break,
                _ => {
                    return Err(Fail::Invalid(
                        self.span(span),
                        "unexpected YAML event".to_owned(),
                    ));
                }
            }
        }
        Ok(root.unwrap_or_else(|| Node::new(NodeKind::Null, self.origin(Span::default(), ""))))
    }

    fn node(
        &mut self,
        ev: Event<'a>,
        span: saphyr_parser::Span,
        path: String,
        depth: usize,
    ) -> Result<Node, Fail> {
        let sp = self.span(span);
        if depth > MAX_DEPTH {
            return Err(Fail::Invalid(
                sp,
                "collections nested too deeply".to_owned(),
            ));
        }
        let (node, anchor, tag) = match ev {
            Event::Scalar(value, style, anchor, tag) => {
                let kind = scalar_kind(value, style, tag.as_deref());
                (Node::new(kind, self.origin(sp, &path)), anchor, tag)
            }
            Event::SequenceStart(anchor, tag) => {
                let flow = self.is_flow(span);
                if flow {
                    self.open_flow.push(span.start.index());
                }
                let mut items = Vec::new();
                let mut end = sp.end;
                loop {
                    let (ev, s) = self.next()?;
                    if matches!(ev, Event::SequenceEnd) {
                        if flow {
                            end = end.max(self.span(s).end);
                        }
                        break;
                    }
                    let child = self.node(ev, s, format!("{path}[{}]", items.len()), depth + 1)?;
                    end = end.max(node_end(&child));
                    items.push(child);
                }
                if flow {
                    self.open_flow.pop();
                }
                let whole = Span {
                    start: sp.start,
                    end,
                };
                let node = Node::new(NodeKind::List(items), self.origin(whole, &path));
                (node, anchor, tag)
            }
            Event::MappingStart(anchor, tag) => {
                let node = self.mapping(span, path, depth)?;
                (node, anchor, tag)
            }
            Event::Alias(id) => {
                let node = match self.anchors.get(&id) {
                    Some(n) => {
                        let size = count_nodes(n);
                        if size > self.budget {
                            return Err(Fail::Invalid(
                                sp,
                                "aliases expand to too many nodes".to_owned(),
                            ));
                        }
                        self.budget -= size;
                        let mut n = n.clone();
                        n.origin = self.origin(sp, &path);
                        n
                    }
                    None => return Err(Fail::Invalid(sp, "unknown alias".to_owned())),
                };
                (node, 0, None)
            }
            _ => {
                return Err(Fail::Invalid(sp, "unexpected YAML event".to_owned()));
            }
        };
        if anchor > 0 {
            self.anchors.insert(anchor, node.clone());
        }
        Ok(match tag {
            Some(tag) => self.apply_tag(node, &tag),
            None => node,
        })
    }

    fn is_flow(&self, span: saphyr_parser::Span) -> bool {
        // A flow collection's start event covers its bracket (after any tag or anchor).
        let (a, b) = (span.start.index(), span.end.index());
        b > a && self.text_is_flow_at.get(b - 1).copied().unwrap_or(false)
    }

    fn mapping(
        &mut self,
        span: saphyr_parser::Span,
        path: String,
        depth: usize,
    ) -> Result<Node, Fail> {
        let sp = self.span(span);
        let flow = self.is_flow(span);
        if flow {
            self.open_flow.push(span.start.index());
        }
        let mut entries: Vec<Entry> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut merges: Vec<Node> = Vec::new();
        let mut end = sp.end;
        loop {
            let (ev, s) = self.next()?;
            let key_span = self.span(s);
            let key = match ev {
                Event::MappingEnd => {
                    if flow {
                        end = end.max(key_span.end);
                    }
                    break;
                }
                Event::Scalar(k, _, _, _) => k.into_owned(),
                other => {
                    // A complex key: read and drop it, and its value.
                    let _ = self.node(other, s, path.clone(), depth + 1)?;
                    let (ev, s) = self.next()?;
                    let _ = self.node(ev, s, path.clone(), depth + 1)?;
                    self.diagnostics.push(Diagnostic::warning(
                        "a map key that is not a scalar is ignored",
                        self.origin(key_span, &path),
                    ));
                    continue;
                }
            };
            let child_path = lambdasec_model::join_path(&path, &key);
            let (ev, s) = self.next()?;
            let value = self.node(ev, s, child_path.clone(), depth + 1)?;
            end = end.max(node_end(&value));
            if key == "<<" {
                merges.push(value);
                continue;
            }
            let key_origin = self.origin(key_span, &child_path);
            match index.get(&key) {
                Some(&i) => {
                    self.diagnostics.push(Diagnostic::warning(
                        format!("duplicate key `{key}`: the last value is used"),
                        key_origin.clone(),
                    ));
                    if let Some(e) = entries.get_mut(i) {
                        *e = Entry {
                            key,
                            key_origin,
                            value,
                        };
                    }
                }
                None => {
                    index.insert(key.clone(), entries.len());
                    entries.push(Entry {
                        key,
                        key_origin,
                        value,
                    });
                }
            }
        }
        if flow {
            self.open_flow.pop();
        }
        // Merge keys: entries of the merged maps that the map does not set itself.
        for merged in merges {
            let sources: Vec<Node> = match merged.kind {
                NodeKind::Map(_) => vec![merged],
                NodeKind::List(items) => items,
                _ => {
                    self.diagnostics.push(Diagnostic::warning(
                        "a `<<` merge key needs a map or a list of maps",
                        merged.origin,
                    ));
                    Vec::new()
                }
            };
            for src in sources {
                if let NodeKind::Map(es) = src.kind {
                    for e in es {
                        if !index.contains_key(&e.key) {
                            index.insert(e.key.clone(), entries.len());
                            entries.push(e);
                        }
                    }
                }
            }
        }
        let whole = Span {
            start: sp.start,
            end,
        };
        Ok(Node::new(NodeKind::Map(entries), self.origin(whole, &path)))
    }

    fn apply_tag(&mut self, node: Node, tag: &Tag) -> Node {
        if tag.is_yaml_core_schema() {
            return core_tag(node, &tag.suffix);
        }
        if tag.handle == "!"
            && let Some(long) = long_form(&tag.suffix)
        {
            let origin = node.origin.clone();
            return Node::new(
                NodeKind::Map(vec![Entry {
                    key: long.to_owned(),
                    key_origin: origin.clone(),
                    value: node,
                }]),
                origin,
            );
        }
        if tag.handle.is_empty() && tag.suffix == "!" {
            // `! value`: the non-specific tag, a string.
            return core_tag(node, "str");
        }
        self.diagnostics.push(Diagnostic::warning(
            format!("unknown tag `{tag}` is ignored"),
            node.origin.clone(),
        ));
        node
    }
}

fn node_end(n: &Node) -> u32 {
    match &n.origin {
        Origin::Source { span, .. } => span.end,
        _ => 0,
    }
}

fn count_nodes(n: &Node) -> usize {
    let mut c = 0;
    n.walk(&mut |_| c += 1);
    c
}

/// A scalar's kind. Quoted and block scalars are strings; plain ones follow the core schema;
/// a core-schema tag decides when present.
fn scalar_kind(value: Cow<'_, str>, style: ScalarStyle, tag: Option<&Tag>) -> NodeKind {
    if tag.is_some_and(Tag::is_yaml_core_schema) || style != ScalarStyle::Plain {
        return NodeKind::String(value.into_owned());
    }
    plain_kind(value)
}

fn plain_kind(value: Cow<'_, str>) -> NodeKind {
    let v: &str = &value;
    match v {
        "" | "~" | "null" | "Null" | "NULL" => NodeKind::Null,
        "true" | "True" | "TRUE" => NodeKind::Bool(true),
        "false" | "False" | "FALSE" => NodeKind::Bool(false),
        _ if is_number(v) => NodeKind::Number(value.into_owned()),
        _ => NodeKind::String(value.into_owned()),
    }
}

/// YAML 1.2 core-schema integers and floats.
fn is_number(s: &str) -> bool {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    if let Some(hex) = s.strip_prefix("0x") {
        return !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit());
    }
    if let Some(oct) = s.strip_prefix("0o") {
        return !oct.is_empty() && oct.bytes().all(|b| (b'0'..=b'7').contains(&b));
    }
    if matches!(body, ".inf" | ".Inf" | ".INF") || matches!(s, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (body.get(..i).unwrap_or(""), body.get(i + 1..)),
        None => (body, None),
    };
    let mut parts = mantissa.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match frac {
        None => !int.is_empty() && digits(int),
        Some(f) => digits(int) && digits(f) && !(int.is_empty() && f.is_empty()),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

/// Apply a core-schema tag (`!!str`, `!!int`, ...) to a node.
fn core_tag(node: Node, suffix: &str) -> Node {
    let Node { kind, origin } = node;
    let text = match &kind {
        NodeKind::String(s) | NodeKind::Number(s) => Some(s.clone()),
        NodeKind::Bool(b) => Some(b.to_string()),
        NodeKind::Null => Some(String::new()),
        _ => None,
    };
    let kind = match (suffix, text) {
        ("str", Some(t)) => NodeKind::String(t),
        ("int" | "float", Some(t)) => NodeKind::Number(t),
        ("bool", Some(t)) => match t.as_str() {
            "true" | "True" | "TRUE" => NodeKind::Bool(true),
            "false" | "False" | "FALSE" => NodeKind::Bool(false),
            _ => NodeKind::String(t),
        },
        ("null", Some(_)) => NodeKind::Null,
        (_, _) => kind,
    };
    Node::new(kind, origin)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new(FileId(3), "t.yaml", text)
    }

    fn parse_ok(text: &str) -> (SourceFile, Document) {
        let f = file(text);
        let d = parse(&f).unwrap();
        (f, d)
    }

    fn span_of(n: &Node) -> Span {
        match &n.origin {
            Origin::Source { span, .. } => *span,
            _ => panic!("no span"),
        }
    }

    #[test]
    fn short_forms_become_long_forms_with_spans_and_paths() {
        let (f, d) = parse_ok(
            "Resources:\n  Fn:\n    Properties:\n      Role: !GetAtt Role.Arn\n      Name: !Sub\n        - '${A}-x'\n        - A: !Ref P\n",
        );
        let props = d.root.get("Resources").unwrap().get("Fn").unwrap();
        let props = props.get("Properties").unwrap();
        let role = props.get("Role").unwrap();
        let att = role.get("Fn::GetAtt").unwrap();
        assert_eq!(att.as_str(), Some("Role.Arn"));
        assert_eq!(f.slice(span_of(role)), "!GetAtt Role.Arn");
        assert_eq!(role.origin.path(), Some("Resources.Fn.Properties.Role"));
        let sub = props.get("Name").unwrap().get("Fn::Sub").unwrap();
        let list = sub.as_list().unwrap();
        assert_eq!(list[0].as_str(), Some("${A}-x"));
        assert_eq!(f.slice(span_of(&list[0])), "'${A}-x'");
        let r = list[1].get("A").unwrap();
        assert_eq!(r.get("Ref").and_then(Node::as_str), Some("P"));
        assert_eq!(r.origin.path(), Some("Resources.Fn.Properties.Name[1].A"));
        assert!(d.diagnostics.is_empty());
    }

    #[test]
    fn every_short_form_is_mapped() {
        for (short, long) in SHORT_FORMS {
            let (_, d) = parse_ok(&format!("k: !{short} x\n"));
            let v = d.root.get("k").unwrap();
            assert_eq!(v.get(long).and_then(Node::as_str), Some("x"), "{short}");
        }
        assert_eq!(long_form("Nope"), None);
    }

    #[test]
    fn scalars_follow_the_core_schema() {
        let (_, d) = parse_ok(
            "a: 1\nb: '1'\nc: true\nd: ~\ne: 2012-10-17\nf: 1.5e3\ng: 012345678901\nh: !!str 5\ni: yes\nj: .5\nk: 1.2.3\n",
        );
        let k = |key: &str| d.root.get(key).unwrap().kind.clone();
        assert_eq!(k("a"), NodeKind::Number("1".into()));
        assert_eq!(k("b"), NodeKind::String("1".into()));
        assert_eq!(k("c"), NodeKind::Bool(true));
        assert_eq!(k("d"), NodeKind::Null);
        assert_eq!(k("e"), NodeKind::String("2012-10-17".into()));
        assert_eq!(k("f"), NodeKind::Number("1.5e3".into()));
        assert_eq!(k("g"), NodeKind::Number("012345678901".into()));
        assert_eq!(k("h"), NodeKind::String("5".into()));
        assert_eq!(k("i"), NodeKind::String("yes".into()));
        assert_eq!(k("j"), NodeKind::Number(".5".into()));
        assert_eq!(k("k"), NodeKind::String("1.2.3".into()));
    }

    #[test]
    fn json_parses_with_spans() {
        let text =
            "{\n\t\"Resources\": {\"F\": {\"Type\": \"AWS::Lambda::Function\", \"N\": 5}}\n}";
        let (f, d) = parse_ok(text);
        let t = d.root.get("Resources").unwrap().get("F").unwrap();
        let ty = t.get("Type").unwrap();
        assert_eq!(f.slice(span_of(ty)), "\"AWS::Lambda::Function\"");
        assert_eq!(t.get("N").unwrap().kind, NodeKind::Number("5".into()));
        assert_eq!(f.slice(span_of(t)).chars().next(), Some('{'));
        assert_eq!(f.slice(span_of(t)).chars().last(), Some('}'));
    }

    #[test]
    fn spans_are_bytes_in_non_ascii_text() {
        let (f, d) = parse_ok("a: é€\nb: !Ref Zé\n");
        let b = d.root.get("b").unwrap();
        assert_eq!(f.slice(span_of(b)), "!Ref Zé");
        assert_eq!(f.slice(span_of(d.root.get("a").unwrap())), "é€");
    }

    #[test]
    fn duplicate_keys_warn_and_last_wins() {
        let (f, d) = parse_ok("a: 1\nb: 2\na: 3\n");
        assert_eq!(d.root.get("a").unwrap().kind, NodeKind::Number("3".into()));
        assert_eq!(d.diagnostics.len(), 1);
        let diag = &d.diagnostics[0];
        assert_eq!(diag.level, lambdasec_model::Level::Warning);
        assert!(diag.message.contains("duplicate key `a`"));
        let Origin::Source { span, .. } = diag.origin else {
            panic!()
        };
        assert_eq!(f.line_col(span.start).line, 3);
    }

    #[test]
    fn bad_yaml_is_an_error_with_location() {
        let f = file("a: 1\nb: [1, 2\nc: 3\n");
        let e = parse(&f).unwrap_err();
        assert!(e.line >= 2, "{e}");
        assert!(e.to_string().starts_with("t.yaml:"));
        assert_eq!(e.to_diagnostic().level, lambdasec_model::Level::Error);
        let f = file("a: 'unterminated\n");
        assert!(parse(&f).is_err());
    }

    #[test]
    fn empty_and_scalar_documents() {
        let (_, d) = parse_ok("");
        assert_eq!(d.root.kind, NodeKind::Null);
        let (_, d) = parse_ok("just text\n");
        assert_eq!(d.root.as_str(), Some("just text"));
        let (_, d) = parse_ok("a: 1\n---\nb: 2\n");
        assert!(d.root.get("a").is_some());
        assert_eq!(d.diagnostics.len(), 1);
    }

    #[test]
    fn anchors_aliases_and_merge_keys() {
        let (_, d) = parse_ok("base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\ncopy: *b\n");
        let o = d.root.get("other").unwrap();
        assert_eq!(o.get("x").unwrap().kind, NodeKind::Number("1".into()));
        assert_eq!(o.get("y").unwrap().kind, NodeKind::Number("3".into()));
        assert_eq!(o.as_map().unwrap().len(), 2);
        let c = d.root.get("copy").unwrap();
        assert_eq!(c.origin.path(), Some("copy"));
        assert_eq!(c.get("y").unwrap().kind, NodeKind::Number("2".into()));
    }

    #[test]
    fn alias_bombs_are_rejected() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..8 {
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n",
                p = i - 1
            ));
        }
        let e = parse(&file(&text)).unwrap_err();
        assert!(e.message.contains("too many nodes"));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = "[".repeat(5000);
        assert!(parse(&file(&text)).is_err());
    }

    #[test]
    fn under_indented_flow_collections_are_read_leniently() {
        let text = "Resources:\n  P:\n    Properties:\n      Statements: [{\n        \"Effect\": \"Allow\",\n        \"Action\": [\n          \"s3:*\",\n      ]\n      }]\n      After: !Ref X\n";
        let (f, d) = parse_ok(text);
        let p = d
            .root
            .get("Resources")
            .unwrap()
            .get("P")
            .unwrap()
            .get("Properties")
            .unwrap();
        let st = &p.get("Statements").unwrap().as_list().unwrap()[0];
        assert_eq!(st.get("Effect").unwrap().as_str(), Some("Allow"));
        let action = &st.get("Action").unwrap().as_list().unwrap()[0];
        assert_eq!(f.slice(span_of(action)), "\"s3:*\"");
        let after = p.get("After").unwrap();
        assert_eq!(f.slice(span_of(after)), "!Ref X");
        assert_eq!(d.diagnostics.len(), 1);
        assert_eq!(d.diagnostics[0].level, lambdasec_model::Level::Warning);
    }

    #[test]
    fn shifts_map_back_to_original_positions() {
        let mut s = Shifts::default();
        // Insert 2 chars at 10 and 3 at 20 (original coordinates).
        s.add(&[(10, 2), (20, 3)]);
        assert_eq!(s.original(5), 5);
        assert_eq!(s.original(12), 10);
        assert_eq!(s.original(25), 20);
        // A second round, in the coordinates of the modified text: 1 char at 15 (orig 13).
        s.add(&[(15, 1)]);
        assert_eq!(s.original(12), 10);
        assert_eq!(s.original(16), 13);
        assert_eq!(s.original(26), 20);
    }

    #[test]
    fn unknown_tags_warn() {
        let (_, d) = parse_ok("a: !Foo x\nb: ! 5\n");
        assert_eq!(d.root.get("a").unwrap().as_str(), Some("x"));
        assert_eq!(d.root.get("b").unwrap().as_str(), Some("5"));
        assert_eq!(d.diagnostics.len(), 1);
    }
}
