//! Intrinsic functions, evaluated where the value is knowable offline.
//!
//! [`Template::eval`] turns a written node into its value:
//! - known values (parameters with defaults or overrides, pseudo parameters, conditions,
//!   mappings, `Fn::Sub`, `Fn::Join`, `Fn::Select`, `Fn::Split`, `Fn::Base64`, ...) become
//!   plain nodes with the origin of the expression;
//! - references to resources stay as normalized `{Ref: Id}` / `{Fn::GetAtt: [Id, Attr]}` maps
//!   (see [`local_ref`]); `Fn::Sub: ${Id.Arn}` alone is one of them;
//! - anything else (`Fn::ImportValue`, `Fn::GetAZs`, a reference inside a string, a parameter
//!   without value, an `Fn::If` on an unknown condition) becomes [`NodeKind::Unresolved`]
//!   carrying the expression's source text;
//! - `{{resolve:...}}` dynamic references are unresolved too;
//! - `AWS::NoValue` (and `Fn::If` choosing it) removes the property or list item (`None`).

use super::sub::{Piece, pieces};
use super::template::{Param, Template};
use lambdasec_model::{Entry, Node, NodeKind, Origin};

/// The resource a normalized reference names, with the attribute for `Fn::GetAtt`.
pub(crate) fn local_ref(n: &Node) -> Option<(&str, Option<&str>)> {
    let [e] = n.as_map()? else {
        return None;
    };
    match e.key.as_str() {
        "Ref" => Some((e.value.as_str()?, None)),
        "Fn::GetAtt" => match e.value.as_list()? {
            [id, attr] => Some((id.as_str()?, Some(attr.as_str()?))),
            _ => None,
        },
        _ => None,
    }
}

/// The intrinsic function a node calls: its name and argument.
pub(crate) fn intrinsic(n: &Node) -> Option<(&str, &Node)> {
    let [e] = n.as_map()? else {
        return None;
    };
    let k = e.key.as_str();
    (k == "Ref" || k.starts_with("Fn::")).then_some((k, &e.value))
}

fn ref_node(id: &str, origin: &Origin) -> Node {
    map1("Ref", Node::string(id, origin.clone()), origin)
}

fn getatt_node(id: &str, attr: &str, origin: &Origin) -> Node {
    let list = Node::new(
        NodeKind::List(vec![
            Node::string(id, origin.clone()),
            Node::string(attr, origin.clone()),
        ]),
        origin.clone(),
    );
    map1("Fn::GetAtt", list, origin)
}

fn map1(key: &str, value: Node, origin: &Origin) -> Node {
    Node::new(
        NodeKind::Map(vec![Entry {
            key: key.to_owned(),
            key_origin: origin.clone(),
            value,
        }]),
        origin.clone(),
    )
}

/// A value as one piece of a string, or why it is not one.
enum Piece2 {
    Text(String),
    Local(String, Option<String>),
    Unknown,
}

/// How deep intrinsic functions may nest before evaluation gives up.
const MAX_DEPTH: usize = 64;

impl Template<'_> {
    /// Evaluate a node. `None` means the value is removed (`AWS::NoValue`).
    pub(crate) fn eval(&self, n: &Node) -> Option<Node> {
        self.eval_at(n, 0)
    }

    fn unresolved(&self, n: &Node) -> Node {
        Node::new(NodeKind::Unresolved(self.expr_text(n)), n.origin.clone())
    }

    fn eval_at(&self, n: &Node, depth: usize) -> Option<Node> {
        if depth > MAX_DEPTH {
            return Some(self.unresolved(n));
        }
        if let Some((name, arg)) = intrinsic(n) {
            return self.call(n, name, arg, depth + 1);
        }
        Some(match &n.kind {
            NodeKind::Map(entries) => Node::new(
                NodeKind::Map(
                    entries
                        .iter()
                        .filter_map(|e| {
                            Some(Entry {
                                key: e.key.clone(),
                                key_origin: e.key_origin.clone(),
                                value: self.eval_at(&e.value, depth + 1)?,
                            })
                        })
                        .collect(),
                ),
                n.origin.clone(),
            ),
            NodeKind::List(items) => Node::new(
                NodeKind::List(
                    items
                        .iter()
                        .filter_map(|i| self.eval_at(i, depth + 1))
                        .collect(),
                ),
                n.origin.clone(),
            ),
            NodeKind::String(s) if s.contains("{{resolve:") => {
                Node::new(NodeKind::Unresolved(s.clone()), n.origin.clone())
            }
            _ => n.clone(),
        })
    }

    fn call(&self, n: &Node, name: &str, arg: &Node, depth: usize) -> Option<Node> {
        let o = &n.origin;
        match name {
            "Ref" => self.reference(n, arg),
            "Fn::GetAtt" => Some(self.get_att(n, arg, depth)),
            "Fn::Sub" => Some(self.sub(n, arg, depth)),
            "Fn::Join" => Some(self.join(n, arg, depth)),
            "Fn::Select" => self.select(n, arg, depth),
            "Fn::Split" => Some(self.split(n, arg, depth)),
            "Fn::Base64" => Some(match self.eval_at(arg, depth).and_then(scalar) {
                Some(s) => Node::string(base64(s.as_bytes()), o.clone()),
                None => self.unresolved(n),
            }),
            "Fn::FindInMap" => Some(self.find_in_map(n, arg, depth)),
            "Fn::If" => self.fn_if(n, arg, depth),
            "Fn::Length" => Some(match self.eval_at(arg, depth) {
                Some(Node {
                    kind: NodeKind::List(items),
                    ..
                }) => Node::new(NodeKind::Number(items.len().to_string()), o.clone()),
                _ => self.unresolved(n),
            }),
            "Fn::ToJsonString" => Some(match self.eval_at(arg, depth) {
                Some(v) if is_known(&v) => Node::string(v.to_json_text(), o.clone()),
                _ => self.unresolved(n),
            }),
            "Fn::Equals" | "Fn::And" | "Fn::Or" | "Fn::Not" => {
                Some(match self.condition_value(n, depth) {
                    Some(b) => Node::new(NodeKind::Bool(b), o.clone()),
                    None => self.unresolved(n),
                })
            }
            // Fn::ImportValue, Fn::GetAZs, Fn::Cidr, Fn::Transform, Fn::ForEach, and unknown
            // functions: not knowable offline.
            _ => Some(self.unresolved(n)),
        }
    }

    fn reference(&self, n: &Node, arg: &Node) -> Option<Node> {
        let Some(name) = arg.as_str() else {
            self.diags.warn("`Ref` needs a name", &n.origin);
            return Some(self.unresolved(n));
        };
        if name == "AWS::NoValue" {
            return None;
        }
        if let Some(value) = self.pseudo(name) {
            return Some(match value {
                Some(v) => Node::string(v, n.origin.clone()),
                None => self.unresolved(n),
            });
        }
        Some(match self.param(name) {
            Some(Param::Known(v)) => with_origin(v.clone(), &n.origin),
            Some(Param::Unknown) => self.unresolved(n),
            None => ref_node(name, &n.origin),
        })
    }

    fn get_att(&self, n: &Node, arg: &Node, depth: usize) -> Node {
        let parts: Option<(String, String)> = match &arg.kind {
            NodeKind::String(s) => s.split_once('.').map(|(a, b)| (a.to_owned(), b.to_owned())),
            NodeKind::List(items) => match items.as_slice() {
                [id, attr] => {
                    let attr = self.eval_at(attr, depth).and_then(scalar);
                    id.as_str().map(str::to_owned).zip(attr)
                }
                _ => None,
            },
            _ => None,
        };
        match parts {
            Some((id, attr)) => getatt_node(&id, &attr, &n.origin),
            None => {
                self.diags
                    .warn("`Fn::GetAtt` needs a resource and an attribute", &n.origin);
                self.unresolved(n)
            }
        }
    }

    fn sub(&self, n: &Node, arg: &Node, depth: usize) -> Node {
        let (template, vars) = match &arg.kind {
            NodeKind::String(s) => (s.as_str(), None),
            NodeKind::List(items) => match items.as_slice() {
                [t, v] if t.as_str().is_some() => {
                    (t.as_str().unwrap_or_default(), self.eval_at(v, depth))
                }
                [t] if t.as_str().is_some() => (t.as_str().unwrap_or_default(), None),
                _ => {
                    self.diags.warn(
                        "`Fn::Sub` needs a string, or a string and a map of variables",
                        &n.origin,
                    );
                    return self.unresolved(n);
                }
            },
            _ => {
                self.diags.warn("`Fn::Sub` needs a string", &n.origin);
                return self.unresolved(n);
            }
        };
        let pieces = pieces(template);
        let resolved: Vec<Piece2> = pieces
            .iter()
            .map(|p| match p {
                Piece::Text(t) => Piece2::Text(t.clone()),
                Piece::Var(v) => self.sub_var(v, vars.as_ref()),
            })
            .collect();
        if let [Piece2::Local(id, attr)] = resolved.as_slice() {
            return match attr {
                Some(a) => getatt_node(id, a, &n.origin),
                None => ref_node(id, &n.origin),
            };
        }
        let mut out = String::new();
        for p in resolved {
            match p {
                Piece2::Text(t) => out.push_str(&t),
                _ => return self.unresolved(n),
            }
        }
        if out.contains("{{resolve:") {
            return Node::new(NodeKind::Unresolved(out), n.origin.clone());
        }
        Node::string(out, n.origin.clone())
    }

    fn sub_var(&self, name: &str, vars: Option<&Node>) -> Piece2 {
        if let Some(v) = vars.and_then(|m| m.get(name)) {
            return match local_ref(v) {
                Some((id, attr)) => Piece2::Local(id.to_owned(), attr.map(str::to_owned)),
                None => scalar(v.clone()).map_or(Piece2::Unknown, Piece2::Text),
            };
        }
        if let Some(value) = self.pseudo(name) {
            return value.map_or(Piece2::Unknown, Piece2::Text);
        }
        if let Some((id, attr)) = name.split_once('.') {
            return Piece2::Local(id.to_owned(), Some(attr.to_owned()));
        }
        match self.param(name) {
            Some(Param::Known(v)) => scalar(v.clone()).map_or(Piece2::Unknown, Piece2::Text),
            Some(Param::Unknown) => Piece2::Unknown,
            None => Piece2::Local(name.to_owned(), None),
        }
    }

    fn join(&self, n: &Node, arg: &Node, depth: usize) -> Node {
        let (delim, list) = match arg.as_list() {
            Some([d, l]) => (d, l),
            _ => {
                self.diags
                    .warn("`Fn::Join` needs a delimiter and a list", &n.origin);
                return self.unresolved(n);
            }
        };
        let delim = self.eval_at(delim, depth).and_then(scalar);
        let list = self.eval_at(list, depth);
        let items = list.as_ref().and_then(Node::as_list);
        match (delim, items) {
            (Some(d), Some(items)) => {
                let parts: Option<Vec<String>> = items.iter().cloned().map(scalar).collect();
                match parts {
                    Some(p) => {
                        let s = p.join(&d);
                        if s.contains("{{resolve:") {
                            Node::new(NodeKind::Unresolved(s), n.origin.clone())
                        } else {
                            Node::string(s, n.origin.clone())
                        }
                    }
                    None => self.unresolved(n),
                }
            }
            _ => self.unresolved(n),
        }
    }

    fn select(&self, n: &Node, arg: &Node, depth: usize) -> Option<Node> {
        let (index, list) = match arg.as_list() {
            Some([i, l]) => (i, l),
            _ => {
                self.diags
                    .warn("`Fn::Select` needs an index and a list", &n.origin);
                return Some(self.unresolved(n));
            }
        };
        let index = self
            .eval_at(index, depth)
            .and_then(scalar)
            .and_then(|s| s.trim().parse::<usize>().ok());
        let list = self.eval_at(list, depth);
        match (index, list.as_ref().map(|l| &l.kind)) {
            (Some(i), Some(NodeKind::List(items))) => match items.get(i) {
                Some(item) => Some(with_origin(item.clone(), &n.origin)),
                None => {
                    self.diags.warn(
                        format!(
                            "`Fn::Select` index {i} is out of range (the list has {} items)",
                            items.len()
                        ),
                        &n.origin,
                    );
                    Some(self.unresolved(n))
                }
            },
            _ => Some(self.unresolved(n)),
        }
    }

    fn split(&self, n: &Node, arg: &Node, depth: usize) -> Node {
        let (delim, source) = match arg.as_list() {
            Some([d, s]) => (d, s),
            _ => {
                self.diags
                    .warn("`Fn::Split` needs a delimiter and a string", &n.origin);
                return self.unresolved(n);
            }
        };
        let delim = self.eval_at(delim, depth).and_then(scalar);
        let source = self.eval_at(source, depth).and_then(scalar);
        match (delim, source) {
            (Some(d), Some(s)) if !d.is_empty() => Node::new(
                NodeKind::List(
                    s.split(d.as_str())
                        .map(|p| Node::string(p, n.origin.clone()))
                        .collect(),
                ),
                n.origin.clone(),
            ),
            _ => self.unresolved(n),
        }
    }

    fn find_in_map(&self, n: &Node, arg: &Node, depth: usize) -> Node {
        let Some(items) = arg.as_list() else {
            self.diags
                .warn("`Fn::FindInMap` needs a list of three keys", &n.origin);
            return self.unresolved(n);
        };
        let (keys, default) = match items {
            [a, b, c] => ([a, b, c], None),
            [a, b, c, d] => ([a, b, c], d.get("DefaultValue")),
            _ => {
                self.diags
                    .warn("`Fn::FindInMap` needs a list of three keys", &n.origin);
                return self.unresolved(n);
            }
        };
        let mut found = self.mappings();
        for k in keys {
            let Some(key) = self.eval_at(k, depth).and_then(scalar) else {
                return self.unresolved(n);
            };
            found = found.and_then(|m| m.get(&key));
        }
        match (found, default) {
            (Some(v), _) => self
                .eval_at(v, depth)
                .map_or_else(|| self.unresolved(n), |v| with_origin(v, &n.origin)),
            (None, Some(d)) => self
                .eval_at(d, depth)
                .map_or_else(|| self.unresolved(n), |v| with_origin(v, &n.origin)),
            (None, None) => {
                self.diags.warn(
                    "`Fn::FindInMap` names a mapping entry that does not exist",
                    &n.origin,
                );
                self.unresolved(n)
            }
        }
    }

    fn fn_if(&self, n: &Node, arg: &Node, depth: usize) -> Option<Node> {
        let Some([cond, yes, no]) = arg.as_list() else {
            self.diags
                .warn("`Fn::If` needs a condition name and two values", &n.origin);
            return Some(self.unresolved(n));
        };
        let Some(name) = cond.as_str() else {
            self.diags
                .warn("`Fn::If` needs a condition name", &cond.origin);
            return Some(self.unresolved(n));
        };
        match self.condition(name, &cond.origin) {
            Some(true) => self.eval_at(yes, depth),
            Some(false) => self.eval_at(no, depth),
            None => {
                // Unknown condition: known only when both branches agree.
                let a = self.eval_at(yes, depth);
                let b = self.eval_at(no, depth);
                match (a, b) {
                    (Some(a), Some(b)) if is_known(&a) && a.to_json_text() == b.to_json_text() => {
                        Some(a)
                    }
                    _ => Some(self.unresolved(n)),
                }
            }
        }
    }
}

/// A known scalar as text.
fn scalar(n: Node) -> Option<String> {
    match n.kind {
        NodeKind::String(s) | NodeKind::Number(s) => Some(s),
        NodeKind::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// True when no part of the node is unresolved or a reference.
pub(crate) fn is_known(n: &Node) -> bool {
    let mut known = true;
    n.walk(&mut |x| {
        if x.is_unresolved() || local_ref(x).is_some() {
            known = false;
        }
    });
    known
}

/// A value moved to the place that refers to it: the root takes the referring origin.
fn with_origin(mut n: Node, origin: &Origin) -> Node {
    n.origin = origin.clone();
    n
}

/// Standard base64 with padding.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let sym = |i: u32| char::from(ALPHABET.get((i & 63) as usize).copied().unwrap_or(b'='));
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let n = (b(0) << 16) | (b(1) << 8) | b(2);
        out.push(sym(n >> 18));
        out.push(sym(n >> 12));
        out.push(if chunk.len() > 1 { sym(n >> 6) } else { '=' });
        out.push(if chunk.len() > 2 { sym(n) } else { '=' });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LoadOptions;
    use lambdasec_model::{FileId, SourceFile};

    const TEMPLATE: &str = r#"
Parameters:
  Env: {Type: String, Default: prod}
  Secret: {Type: String, NoEcho: true}
  Names: {Type: CommaDelimitedList, Default: "a,b,c"}
Mappings:
  M:
    prod: {Size: 512}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
  Unknown: !Equals [!Ref Secret, x]
Resources:
  X:
    Properties:
      A: !Ref Env
      B: !Ref Secret
      C: !Ref Role
      D: !GetAtt Role.Arn
      E: !Sub "arn:${AWS::Partition}:s3:::${Env}-bucket/*"
      F: !Sub "${Fn.Arn}"
      G: !Sub "arn:aws:s3:::${Bucket}"
      H: !Join ["-", [!Ref Env, x, !Select [1, !Ref Names]]]
      I: !Split [",", "p,q"]
      J: !FindInMap [M, !Ref Env, Size]
      K: !If [IsProd, yes, no]
      L: !If [IsDev, yes, !Ref AWS::NoValue]
      M: !If [Unknown, 1, 2]
      N: !If [Unknown, same, same]
      O: "{{resolve:ssm:/db/pass}}"
      P: !ImportValue Shared
      Q: !Sub ["${A}-${B}", {A: !Ref Env, B: !GetAtt R.Name}]
      R: !Base64 "hello"
      S: !Sub "${!Literal}-${AWS::Region}"
      T: [!Ref AWS::NoValue, x]
      U: {"Fn::GetAtt": ["Fn", "Arn"]}
      V: !Sub "${AWS::AccountId}"
      W: !Select [5, [a]]
      Y: !Length [a, b]
"#;

    fn with_props(options: LoadOptions, f: impl FnOnce(&Template<'_>, &Node)) {
        let file = SourceFile::new(FileId(0), "t.yaml", TEMPLATE);
        let doc = crate::yaml::parse(&file).unwrap();
        let t = Template::new(&file, &doc.root, &options);
        let raw = doc
            .root
            .get("Resources")
            .and_then(|r| r.get("X"))
            .and_then(|x| x.get("Properties"))
            .unwrap();
        let props = t.eval(raw).unwrap();
        f(&t, &props);
    }

    fn json(props: &Node, key: &str) -> Option<String> {
        props.get(key).map(Node::to_json_text)
    }

    #[test]
    fn evaluates_what_is_knowable() {
        with_props(LoadOptions::default(), |t, p| {
            assert_eq!(json(p, "A").as_deref(), Some("\"prod\""));
            assert_eq!(
                p.get("B").unwrap().kind,
                NodeKind::Unresolved("!Ref Secret".into())
            );
            assert_eq!(local_ref(p.get("C").unwrap()), Some(("Role", None)));
            assert_eq!(local_ref(p.get("D").unwrap()), Some(("Role", Some("Arn"))));
            assert_eq!(
                json(p, "E").as_deref(),
                Some("\"arn:aws:s3:::prod-bucket/*\"")
            );
            assert_eq!(local_ref(p.get("F").unwrap()), Some(("Fn", Some("Arn"))));
            assert!(p.get("G").unwrap().is_unresolved());
            assert_eq!(json(p, "H").as_deref(), Some("\"prod-x-b\""));
            assert_eq!(json(p, "I").as_deref(), Some("[\"p\",\"q\"]"));
            assert_eq!(json(p, "J").as_deref(), Some("512"));
            assert_eq!(json(p, "K").as_deref(), Some("\"yes\""));
            assert!(p.get("L").is_none(), "AWS::NoValue removes the property");
            assert_eq!(
                p.get("M").unwrap().kind,
                NodeKind::Unresolved("!If [Unknown, 1, 2]".into())
            );
            assert_eq!(json(p, "N").as_deref(), Some("\"same\""));
            assert!(p.get("O").unwrap().is_unresolved());
            assert_eq!(
                p.get("P").unwrap().kind,
                NodeKind::Unresolved("!ImportValue Shared".into())
            );
            assert!(p.get("Q").unwrap().is_unresolved());
            assert_eq!(json(p, "R").as_deref(), Some("\"aGVsbG8=\""));
            assert!(p.get("S").unwrap().is_unresolved());
            assert_eq!(json(p, "T").as_deref(), Some("[\"x\"]"));
            assert_eq!(local_ref(p.get("U").unwrap()), Some(("Fn", Some("Arn"))));
            assert!(p.get("V").unwrap().is_unresolved());
            assert!(p.get("W").unwrap().is_unresolved());
            assert_eq!(json(p, "Y").as_deref(), Some("2"));
            // The resolved value points at the place that refers to it.
            assert_eq!(
                p.get("A").unwrap().origin.path(),
                Some("Resources.X.Properties.A")
            );
            let warnings = t.diags.take();
            assert_eq!(warnings.len(), 1, "{warnings:?}");
            assert!(warnings[0].message.contains("out of range"));
        });
    }

    #[test]
    fn options_resolve_account_and_region() {
        let options = LoadOptions {
            region: Some("eu-west-1".into()),
            account_id: Some("123456789012".into()),
            ..LoadOptions::default()
        };
        with_props(options, |_, p| {
            assert_eq!(json(p, "S").as_deref(), Some("\"${Literal}-eu-west-1\""));
            assert_eq!(json(p, "V").as_deref(), Some("\"123456789012\""));
        });
    }

    #[test]
    fn base64_matches_the_standard() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }
}
