//! The Terraform functions lambdasec evaluates offline.
//!
//! Functions whose result depends on the machine, the clock, randomness or the network
//! (`timestamp`, `uuid`, hashes of files...), and functions not implemented here, give an unknown
//! value: never a guess. Values passed through (`lookup`, `merge`, `coalesce`, `element`) keep
//! their own provenance.

use super::eval::{MAX_COLLECTION, MAX_STRING, same};
use super::value::{Kind, MapEntry, V, from_json};
use lambdasec_model::{FileId, Span};

/// The result of a call.
#[derive(Debug)]
pub(crate) enum Out {
    Value(V),
    /// Not knowable offline (an argument is unknown, or the function is not evaluated).
    Unknown,
    /// Terraform would reject the call.
    Error(String),
}

use Out::{Error, Unknown, Value};

macro_rules! known {
    ($v:expr) => {
        match $v {
            Some(v) if v.is_unknown() || matches!(v.kind, Kind::Instance(_) | Kind::Module(_)) => {
                return Unknown;
            }
            Some(v) => v,
            None => return Error("missing argument".into()),
        }
    };
}

/// Call `name` with evaluated arguments; new values are placed at the call (`file`, `span`).
pub(crate) fn call(name: &str, args: &[V], file: FileId, span: Span) -> Out {
    let f = Ctx { file, span };
    match name {
        "jsonencode" => {
            let v = known!(args.first());
            Value(f.value(Kind::Json(Box::new(v.clone()))))
        }
        "jsondecode" => {
            let v = known!(args.first());
            match &v.kind {
                Kind::Json(inner) => Value((**inner).clone()),
                Kind::String(s) => match serde_json::from_str::<serde_json::Value>(s) {
                    Ok(j) => Value(from_json(&j, v.file, v.span)),
                    Err(e) => Error(format!("invalid JSON: {e}")),
                },
                _ => Error("jsondecode needs a string".into()),
            }
        }
        "tostring" => {
            let v = known!(args.first());
            match &v.kind {
                Kind::Null => Value(v.clone()),
                Kind::String(_) => Value(v.clone()),
                _ => match v.scalar_text() {
                    Some(s) => Value(V::string(s, v.file, v.span).with_refers(v.refers.clone())),
                    None => Error("cannot convert to string".into()),
                },
            }
        }
        "tonumber" => {
            let v = known!(args.first());
            match v.as_f64() {
                Some(n) => Value(V::number(n, v.file, v.span)),
                None if v.is_null() => Value(v.clone()),
                None => Error("cannot convert to number".into()),
            }
        }
        "tobool" => {
            let v = known!(args.first());
            match v.as_bool() {
                Some(b) => Value(V::bool(b, v.file, v.span)),
                None if v.is_null() => Value(v.clone()),
                None => Error("cannot convert to bool".into()),
            }
        }
        "tolist" | "toset" => {
            let v = known!(args.first());
            match &v.kind {
                Kind::List(items) => {
                    if name == "toset" {
                        Value(f.list(distinct(items)))
                    } else {
                        Value(v.clone())
                    }
                }
                Kind::Null => Value(v.clone()),
                _ => Error(format!("{name} needs a list")),
            }
        }
        "tomap" => {
            let v = known!(args.first());
            match &v.kind {
                Kind::Map(_) | Kind::Null => Value(v.clone()),
                _ => Error("tomap needs an object".into()),
            }
        }
        "merge" => {
            let mut entries: Vec<MapEntry> = Vec::new();
            for a in args {
                match &a.kind {
                    Kind::Null => {}
                    Kind::Map(es) => {
                        for e in es {
                            match entries.iter_mut().find(|x| x.key == e.key) {
                                Some(x) => *x = e.clone(),
                                None => entries.push(e.clone()),
                            }
                        }
                    }
                    Kind::Unknown(_) | Kind::Instance(_) | Kind::Module(_) => return Unknown,
                    _ => return Error("merge needs maps or objects".into()),
                }
            }
            Value(f.value(Kind::Map(entries)))
        }
        "concat" => {
            let mut out = Vec::new();
            for a in args {
                match &a.kind {
                    Kind::List(items) => out.extend(items.iter().cloned()),
                    Kind::Unknown(_) => return Unknown,
                    _ => return Error("concat needs lists".into()),
                }
                if out.len() > MAX_COLLECTION {
                    return Error("list too large".into());
                }
            }
            Value(f.list(out))
        }
        "lookup" => {
            let map = known!(args.first());
            let key = known!(args.get(1));
            let Some(k) = key.scalar_text() else {
                return Error("lookup key must be a string".into());
            };
            match &map.kind {
                Kind::Map(_) => match map.get(&k) {
                    Some(v) => Value(v.clone()),
                    None => match args.get(2) {
                        Some(d) => Value(d.clone()),
                        None => Error(format!("no key `{k}` and no default")),
                    },
                },
                _ => Error("lookup needs a map".into()),
            }
        }
        "element" => {
            let list = known!(args.first());
            let idx = known!(args.get(1));
            let (Some(items), Some(i)) = (list.as_list(), idx.as_f64()) else {
                return Error("element needs a list and a number".into());
            };
            if items.is_empty() || i < 0.0 {
                return Error("element: empty list or negative index".into());
            }
            #[allow(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "non-negative"
            )]
            let i = i as usize % items.len();
            items.get(i).cloned().map_or(Error("index".into()), Value)
        }
        "length" => {
            let v = known!(args.first());
            let n = match &v.kind {
                Kind::List(items) => items.len(),
                Kind::Map(entries) => entries.len(),
                Kind::String(s) => s.chars().count(),
                Kind::Json(inner) => inner.to_json().chars().count(),
                _ => return Error("length needs a collection or string".into()),
            };
            Value(f.number(n as f64))
        }
        "keys" | "values" => {
            let v = known!(args.first());
            let Some(entries) = v.as_map() else {
                return Error(format!("{name} needs a map"));
            };
            let mut sorted: Vec<&MapEntry> = entries.iter().collect();
            sorted.sort_by(|a, b| a.key.cmp(&b.key));
            let items = sorted
                .into_iter()
                .map(|e| {
                    if name == "keys" {
                        V::string(e.key.clone(), e.value.file, e.key_span)
                    } else {
                        e.value.clone()
                    }
                })
                .collect();
            Value(f.list(items))
        }
        "contains" => {
            let list = known!(args.first());
            let v = known!(args.get(1));
            let Some(items) = list.as_list() else {
                return Error("contains needs a list".into());
            };
            if items.iter().any(|i| same(i, v)) {
                return Value(f.bool(true));
            }
            if items.iter().any(V::has_unknown) || v.has_unknown() {
                return Unknown;
            }
            Value(f.bool(false))
        }
        "index" => {
            let list = known!(args.first());
            let v = known!(args.get(1));
            let Some(items) = list.as_list() else {
                return Error("index needs a list".into());
            };
            match items.iter().position(|i| same(i, v)) {
                Some(p) => Value(f.number(p as f64)),
                None if items.iter().any(V::has_unknown) => Unknown,
                None => Error("index: value not found".into()),
            }
        }
        "distinct" => {
            let list = known!(args.first());
            let Some(items) = list.as_list() else {
                return Error("distinct needs a list".into());
            };
            if items.iter().any(V::has_unknown) {
                return Unknown;
            }
            Value(f.list(distinct(items)))
        }
        "flatten" => {
            let list = known!(args.first());
            let mut out = Vec::new();
            if !flatten(list, &mut out) {
                return Unknown;
            }
            Value(f.list(out))
        }
        "compact" => {
            let list = known!(args.first());
            let Some(items) = list.as_list() else {
                return Error("compact needs a list".into());
            };
            if items.iter().any(V::is_unknown) {
                return Unknown;
            }
            Value(
                f.list(
                    items
                        .iter()
                        .filter(|i| !i.is_null() && i.as_str() != Some(""))
                        .cloned()
                        .collect(),
                ),
            )
        }
        "coalesce" => {
            for a in args {
                match &a.kind {
                    Kind::Unknown(_) | Kind::Instance(_) | Kind::Module(_) => return Unknown,
                    Kind::Null => {}
                    Kind::String(s) if s.is_empty() => {}
                    _ => return Value(a.clone()),
                }
            }
            Error("coalesce: no non-null, non-empty argument".into())
        }
        "coalescelist" => {
            for a in args {
                match &a.kind {
                    Kind::Unknown(_) => return Unknown,
                    Kind::List(items) if items.is_empty() => {}
                    Kind::List(_) => return Value(a.clone()),
                    _ => return Error("coalescelist needs lists".into()),
                }
            }
            Error("coalescelist: all lists are empty".into())
        }
        "one" => {
            let v = known!(args.first());
            match &v.kind {
                Kind::List(items) => match items.as_slice() {
                    [] => Value(f.value(Kind::Null)),
                    [x] => Value(x.clone()),
                    _ => Error("one: more than one element".into()),
                },
                Kind::Null => Value(v.clone()),
                _ => Error("one needs a list".into()),
            }
        }
        "zipmap" => {
            let keys = known!(args.first());
            let values = known!(args.get(1));
            let (Some(ks), Some(vs)) = (keys.as_list(), values.as_list()) else {
                return Error("zipmap needs two lists".into());
            };
            if ks.len() != vs.len() {
                return Error("zipmap: lists of different lengths".into());
            }
            let mut entries = Vec::with_capacity(ks.len());
            for (k, v) in ks.iter().zip(vs) {
                let Some(key) = k.scalar_text() else {
                    return Unknown;
                };
                entries.push(MapEntry {
                    key,
                    key_span: k.span,
                    value: v.clone(),
                });
            }
            Value(f.value(Kind::Map(entries)))
        }
        "slice" => {
            let list = known!(args.first());
            let (Some(items), Some(a), Some(b)) = (
                list.as_list(),
                args.get(1).and_then(V::as_f64),
                args.get(2).and_then(V::as_f64),
            ) else {
                return Unknown;
            };
            #[allow(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "clamped below"
            )]
            let (a, b) = (a.max(0.0) as usize, b.max(0.0) as usize);
            match items.get(a..b) {
                Some(s) => Value(f.list(s.to_vec())),
                None => Error("slice out of range".into()),
            }
        }
        "reverse" => {
            let list = known!(args.first());
            let Some(items) = list.as_list() else {
                return Error("reverse needs a list".into());
            };
            Value(f.list(items.iter().rev().cloned().collect()))
        }
        "sort" => {
            let list = known!(args.first());
            let Some(items) = list.as_list() else {
                return Error("sort needs a list".into());
            };
            let mut texts = Vec::with_capacity(items.len());
            for i in items {
                match i.scalar_text() {
                    Some(t) => texts.push((t, i.clone())),
                    None => return Unknown,
                }
            }
            texts.sort_by(|a, b| a.0.cmp(&b.0));
            Value(f.list(texts.into_iter().map(|(_, v)| v).collect()))
        }
        "range" => {
            let nums: Vec<f64> = match args.iter().map(V::as_f64).collect::<Option<Vec<_>>>() {
                Some(n) => n,
                None => return Unknown,
            };
            let (start, end, step) = match nums.as_slice() {
                [e] => (0.0, *e, 1.0),
                [s, e] => (*s, *e, if e >= s { 1.0 } else { -1.0 }),
                [s, e, st] => (*s, *e, *st),
                _ => return Error("range needs 1 to 3 numbers".into()),
            };
            if step == 0.0 || ((end - start) / step) > MAX_COLLECTION as f64 {
                return Error("range too large".into());
            }
            let mut out = Vec::new();
            let mut x = start;
            while (step > 0.0 && x < end) || (step < 0.0 && x > end) {
                out.push(f.number(x));
                x += step;
            }
            Value(f.list(out))
        }
        "sum" | "min" | "max" => {
            let nums: Vec<&V> = if name == "sum" {
                match args.first().and_then(V::as_list) {
                    Some(items) => items.iter().collect(),
                    None => return Unknown,
                }
            } else {
                args.iter().collect()
            };
            let Some(ns) = nums
                .iter()
                .map(|v| v.as_f64())
                .collect::<Option<Vec<f64>>>()
            else {
                return Unknown;
            };
            if ns.is_empty() {
                return Error(format!("{name} needs numbers"));
            }
            let r = match name {
                "sum" => ns.iter().sum(),
                "min" => ns.iter().copied().fold(f64::INFINITY, f64::min),
                _ => ns.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            };
            Value(f.number(r))
        }
        "abs" | "ceil" | "floor" | "signum" => {
            let v = known!(args.first());
            let Some(n) = v.as_f64() else {
                return Error(format!("{name} needs a number"));
            };
            Value(f.number(match name {
                "abs" => n.abs(),
                "ceil" => n.ceil(),
                "floor" => n.floor(),
                _ => n.signum(),
            }))
        }
        "alltrue" | "anytrue" => {
            let list = known!(args.first());
            let Some(items) = list.as_list() else {
                return Error(format!("{name} needs a list"));
            };
            let bools: Vec<Option<bool>> = items.iter().map(V::as_bool).collect();
            let all = name == "alltrue";
            if bools.contains(&Some(!all)) {
                return Value(f.bool(!all));
            }
            if bools.iter().any(Option::is_none) {
                return Unknown;
            }
            Value(f.bool(all))
        }
        "join" => {
            let sep = known!(args.first());
            let Some(sep) = sep.scalar_text() else {
                return Error("join separator must be a string".into());
            };
            let mut parts = Vec::new();
            for a in args.iter().skip(1) {
                let Some(items) = a.as_list() else {
                    return if a.is_unknown() {
                        Unknown
                    } else {
                        Error("join needs lists".into())
                    };
                };
                for i in items {
                    match i.scalar_text() {
                        Some(t) => parts.push(t),
                        None if i.has_unknown() => return Unknown,
                        None => return Error("join: element is not a string".into()),
                    }
                }
            }
            f.string(parts.join(&sep))
        }
        "split" => {
            let sep = known!(args.first());
            let s = known!(args.get(1));
            let (Some(sep), Some(s)) = (sep.scalar_text(), s.scalar_text()) else {
                return Error("split needs strings".into());
            };
            let items = if sep.is_empty() {
                s.chars().map(|c| f.str_value(c.to_string())).collect()
            } else {
                s.split(sep.as_str())
                    .map(|p| f.str_value(p.to_owned()))
                    .collect()
            };
            Value(f.list(items))
        }
        "format" => {
            let fmt = known!(args.first());
            let Some(fmt) = fmt.scalar_text() else {
                return Error("format string must be a string".into());
            };
            match format(&fmt, args.get(1..).unwrap_or_default()) {
                Ok(Some(s)) => f.string(s),
                Ok(None) => Unknown,
                Err(e) => Error(e),
            }
        }
        "formatlist" => {
            let fmt = known!(args.first());
            let Some(fmt) = fmt.scalar_text() else {
                return Error("format string must be a string".into());
            };
            let rest = args.get(1..).unwrap_or_default();
            let n = rest
                .iter()
                .filter_map(V::as_list)
                .map(<[V]>::len)
                .max()
                .unwrap_or(1);
            let mut out = Vec::with_capacity(n);
            for i in 0..n {
                let row: Vec<V> = rest
                    .iter()
                    .map(|a| match a.as_list() {
                        Some(items) => items.get(i).cloned().unwrap_or_else(|| a.clone()),
                        None => a.clone(),
                    })
                    .collect();
                match format(&fmt, &row) {
                    Ok(Some(s)) => out.push(f.str_value(s)),
                    Ok(None) => return Unknown,
                    Err(e) => return Error(e),
                }
            }
            Value(f.list(out))
        }
        "lower" | "upper" | "trimspace" | "chomp" | "title" => {
            let v = known!(args.first());
            let Some(s) = v.scalar_text() else {
                return Error(format!("{name} needs a string"));
            };
            f.string(match name {
                "lower" => s.to_lowercase(),
                "upper" => s.to_uppercase(),
                "trimspace" => s.trim().to_owned(),
                "chomp" => s.trim_end_matches(['\n', '\r']).to_owned(),
                _ => title(&s),
            })
        }
        "trim" | "trimprefix" | "trimsuffix" | "startswith" | "endswith" | "strcontains" => {
            let a = known!(args.first());
            let b = known!(args.get(1));
            let (Some(s), Some(t)) = (a.scalar_text(), b.scalar_text()) else {
                return Error(format!("{name} needs strings"));
            };
            match name {
                "trim" => f.string(s.trim_matches(|c| t.contains(c)).to_owned()),
                "trimprefix" => f.string(s.strip_prefix(t.as_str()).unwrap_or(&s).to_owned()),
                "trimsuffix" => f.string(s.strip_suffix(t.as_str()).unwrap_or(&s).to_owned()),
                "startswith" => Value(f.bool(s.starts_with(t.as_str()))),
                "endswith" => Value(f.bool(s.ends_with(t.as_str()))),
                _ => Value(f.bool(s.contains(t.as_str()))),
            }
        }
        "replace" => {
            let a = known!(args.first());
            let b = known!(args.get(1));
            let c = known!(args.get(2));
            let (Some(s), Some(from), Some(to)) =
                (a.scalar_text(), b.scalar_text(), c.scalar_text())
            else {
                return Error("replace needs strings".into());
            };
            if from.len() > 1 && from.starts_with('/') && from.ends_with('/') {
                // A regular expression: not evaluated.
                return Unknown;
            }
            if from.is_empty() {
                return Value(a.clone());
            }
            let out = s.replace(from.as_str(), &to);
            f.string(out)
        }
        "substr" => {
            let a = known!(args.first());
            let (Some(s), Some(off), Some(len)) = (
                a.scalar_text(),
                args.get(1).and_then(V::as_f64),
                args.get(2).and_then(V::as_f64),
            ) else {
                return Unknown;
            };
            let chars: Vec<char> = s.chars().collect();
            let n = chars.len() as f64;
            let start = if off < 0.0 {
                (n + off).max(0.0)
            } else {
                off.min(n)
            };
            let end = if len < 0.0 { n } else { (start + len).min(n) };
            #[allow(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "clamped to [0, n]"
            )]
            let (start, end) = (start as usize, end as usize);
            f.string(chars.get(start..end).unwrap_or_default().iter().collect())
        }
        "basename" | "dirname" => {
            let a = known!(args.first());
            let Some(s) = a.scalar_text() else {
                return Error(format!("{name} needs a string"));
            };
            let p = std::path::Path::new(&s);
            let out = if name == "basename" {
                p.file_name().map(|x| x.to_string_lossy().into_owned())
            } else {
                p.parent().map(|x| {
                    let d = x.display().to_string();
                    if d.is_empty() { ".".to_owned() } else { d }
                })
            };
            f.string(out.unwrap_or_default())
        }
        _ => Unknown,
    }
}

struct Ctx {
    file: FileId,
    span: Span,
}

impl Ctx {
    fn value(&self, kind: Kind) -> V {
        V::new(kind, self.file, self.span)
    }
    fn list(&self, items: Vec<V>) -> V {
        self.value(Kind::List(items))
    }
    fn bool(&self, b: bool) -> V {
        V::bool(b, self.file, self.span)
    }
    fn number(&self, n: f64) -> V {
        V::number(n, self.file, self.span)
    }
    fn str_value(&self, s: String) -> V {
        V::string(s, self.file, self.span)
    }
    fn string(&self, s: String) -> Out {
        if s.len() > MAX_STRING {
            return Error("string too large".into());
        }
        Value(self.str_value(s))
    }
}

fn distinct(items: &[V]) -> Vec<V> {
    let mut out: Vec<V> = Vec::with_capacity(items.len());
    for i in items {
        if !out.iter().any(|o| same(o, i)) {
            out.push(i.clone());
        }
    }
    out
}

/// Flatten nested lists; false when an unknown list is met.
fn flatten(v: &V, out: &mut Vec<V>) -> bool {
    match &v.kind {
        Kind::List(items) => items.iter().all(|i| match &i.kind {
            Kind::List(_) => flatten(i, out),
            Kind::Unknown(_) => false,
            _ => {
                out.push(i.clone());
                out.len() <= MAX_COLLECTION
            }
        }),
        Kind::Unknown(_) => false,
        _ => {
            out.push(v.clone());
            true
        }
    }
}

fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if start && c.is_alphabetic() {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        start = !c.is_alphanumeric();
    }
    out
}

/// Terraform's `format`: `%s %d %v %q %t %f %%`, with optional flags, width and precision.
/// `Ok(None)` when an argument is unknown.
fn format(fmt: &str, args: &[V]) -> Result<Option<String>, String> {
    let mut out = String::new();
    let mut chars = fmt.chars().peekable();
    let mut next = 0usize;
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut spec = String::new();
        let verb = loop {
            match chars.next() {
                Some(ch) if ch.is_ascii_alphabetic() || ch == '%' => break ch,
                Some(ch) => spec.push(ch),
                None => return Err("format: unterminated verb".into()),
            }
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        if spec.contains('[') || spec.contains('*') {
            return Ok(None);
        }
        let arg = args.get(next).ok_or("format: too few arguments")?;
        next += 1;
        if arg.has_unknown() {
            return Ok(None);
        }
        let text = match verb {
            's' | 'v' => match &arg.kind {
                Kind::List(_) | Kind::Map(_) if verb == 'v' => arg.to_json(),
                _ => arg.scalar_text().ok_or("format: %s needs a primitive")?,
            },
            'q' => super::value::quote(&arg.scalar_text().ok_or("format: %q needs a string")?),
            't' => arg
                .as_bool()
                .ok_or("format: %t needs a boolean")?
                .to_string(),
            'd' => {
                let n = arg.as_f64().ok_or("format: %d needs a number")?;
                super::value::format_number(n.trunc())
            }
            'f' | 'e' | 'g' => {
                let n = arg.as_f64().ok_or("format: %f needs a number")?;
                match spec.split_once('.') {
                    Some((_, p)) => {
                        let p: usize = p.parse().unwrap_or(6);
                        format!("{n:.p$}")
                    }
                    None if verb == 'f' => format!("{n:.6}"),
                    None => n.to_string(),
                }
            }
            'x' | 'X' | 'o' | 'b' => {
                let n = arg.as_f64().ok_or("format: needs a number")?;
                #[allow(clippy::cast_possible_truncation, reason = "format of an integer")]
                let i = n as i64;
                match verb {
                    'x' => format!("{i:x}"),
                    'X' => format!("{i:X}"),
                    'o' => format!("{i:o}"),
                    _ => format!("{i:b}"),
                }
            }
            other => return Err(format!("format: unsupported verb %{other}")),
        };
        // Width (right-aligned, or left with `-`), zero padding for numbers.
        let width: usize = spec
            .trim_start_matches(['-', '+', '#', ' ', '0'])
            .split('.')
            .next()
            .and_then(|w| w.parse().ok())
            .unwrap_or(0);
        let pad = width.saturating_sub(text.chars().count()).min(MAX_STRING);
        if spec.starts_with('-') {
            out.push_str(&text);
            out.extend(std::iter::repeat_n(' ', pad));
        } else if spec.starts_with('0') && matches!(verb, 'd' | 'f') {
            out.extend(std::iter::repeat_n('0', pad));
            out.push_str(&text);
        } else {
            out.extend(std::iter::repeat_n(' ', pad));
            out.push_str(&text);
        }
        if out.len() > MAX_STRING {
            return Err("string too large".into());
        }
    }
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> V {
        V::string(v, FileId(0), Span::default())
    }
    fn n(v: f64) -> V {
        V::number(v, FileId(0), Span::default())
    }
    fn l(items: Vec<V>) -> V {
        V::new(Kind::List(items), FileId(0), Span::default())
    }
    fn u() -> V {
        V::unknown("var.x", FileId(0), Span::default())
    }
    fn run(name: &str, args: &[V]) -> Option<V> {
        match call(name, args, FileId(0), Span::default()) {
            Value(v) => Some(v),
            _ => None,
        }
    }
    fn text(name: &str, args: &[V]) -> Option<String> {
        run(name, args).and_then(|v| v.scalar_text())
    }

    #[test]
    fn strings() {
        assert_eq!(
            text("format", &[s("%s-%d-%05.1f%%"), s("a"), n(3.0), n(2.25)]).as_deref(),
            Some("a-3-002.2%")
        );
        assert_eq!(
            text("format", &[s("%-4s|%3s"), s("a"), s("b")]).as_deref(),
            Some("a   |  b")
        );
        assert_eq!(
            text("format", &[s("%q"), s("a\"b")]).as_deref(),
            Some("\"a\\\"b\"")
        );
        assert!(matches!(
            call("format", &[s("%s"), u()], FileId(0), Span::default()),
            Unknown
        ));
        assert!(matches!(
            call("format", &[s("%s %s"), s("a")], FileId(0), Span::default()),
            Error(_)
        ));
        assert_eq!(
            text("join", &[s(","), l(vec![s("a"), n(1.0)])]).as_deref(),
            Some("a,1")
        );
        assert_eq!(
            text("replace", &[s("a-b-c"), s("-"), s("_")]).as_deref(),
            Some("a_b_c")
        );
        assert!(matches!(
            call(
                "replace",
                &[s("a"), s("/a/"), s("b")],
                FileId(0),
                Span::default()
            ),
            Unknown
        ));
        assert_eq!(
            text("substr", &[s("hello"), n(1.0), n(3.0)]).as_deref(),
            Some("ell")
        );
        assert_eq!(
            text("substr", &[s("hello"), n(-3.0), n(-1.0)]).as_deref(),
            Some("llo")
        );
        assert_eq!(
            text("title", &[s("hello world")]).as_deref(),
            Some("Hello World")
        );
        assert_eq!(
            text("trimprefix", &[s("arn:x"), s("arn:")]).as_deref(),
            Some("x")
        );
        assert_eq!(text("lower", &[s("ABC")]).as_deref(), Some("abc"));
    }

    #[test]
    fn collections() {
        let list = run("concat", &[l(vec![s("a")]), l(vec![s("b"), u()])]).unwrap();
        assert_eq!(list.as_list().unwrap().len(), 3);
        assert!(matches!(
            call("concat", &[u()], FileId(0), Span::default()),
            Unknown
        ));
        let m1 = run(
            "zipmap",
            &[l(vec![s("b"), s("a")]), l(vec![n(1.0), n(2.0)])],
        )
        .unwrap();
        let keys = run("keys", std::slice::from_ref(&m1)).unwrap();
        assert_eq!(keys.to_json(), r#"["a","b"]"#);
        let merged = run("merge", &[m1.clone(), V::null(FileId(0), Span::default())]).unwrap();
        assert_eq!(merged.get("a").and_then(V::as_f64), Some(2.0));
        assert_eq!(
            run("lookup", &[m1.clone(), s("z"), s("d")])
                .unwrap()
                .as_str(),
            Some("d")
        );
        assert!(matches!(
            call("lookup", &[m1, s("z")], FileId(0), Span::default()),
            Error(_)
        ));
        assert_eq!(
            run("flatten", &[l(vec![l(vec![s("a")]), s("b")])])
                .unwrap()
                .to_json(),
            r#"["a","b"]"#
        );
        assert_eq!(
            run("distinct", &[l(vec![s("a"), s("a")])])
                .unwrap()
                .to_json(),
            r#"["a"]"#
        );
        assert_eq!(
            run("coalesce", &[s(""), s("x")]).unwrap().as_str(),
            Some("x")
        );
        assert!(matches!(
            call("coalesce", &[u(), s("x")], FileId(0), Span::default()),
            Unknown
        ));
        assert_eq!(
            run("element", &[l(vec![s("a"), s("b")]), n(3.0)])
                .unwrap()
                .as_str(),
            Some("b")
        );
        assert_eq!(run("length", &[s("héllo")]).unwrap().as_f64(), Some(5.0));
        assert_eq!(
            run("contains", &[l(vec![s("a"), u()]), s("a")])
                .unwrap()
                .as_bool(),
            Some(true)
        );
        assert!(matches!(
            call(
                "contains",
                &[l(vec![u()]), s("a")],
                FileId(0),
                Span::default()
            ),
            Unknown
        ));
        assert_eq!(run("range", &[n(3.0)]).unwrap().to_json(), "[0,1,2]");
        assert!(matches!(
            call("range", &[n(1e12)], FileId(0), Span::default()),
            Error(_)
        ));
        assert_eq!(run("one", &[l(vec![])]).map(|v| v.is_null()), Some(true));
        assert_eq!(
            run(
                "alltrue",
                &[l(vec![V::bool(true, FileId(0), Span::default()), u()])]
            )
            .map(|v| v.is_unknown()),
            None
        );
        assert!(matches!(
            call("timestamp", &[], FileId(0), Span::default()),
            Unknown
        ));
    }

    #[test]
    fn json() {
        let doc = run("jsonencode", &[l(vec![s("a")])]).unwrap();
        assert!(matches!(doc.kind, Kind::Json(_)));
        assert_eq!(doc.scalar_text().as_deref(), Some(r#"["a"]"#));
        let back = run("jsondecode", &[doc]).unwrap();
        assert_eq!(back.as_list().map(<[V]>::len), Some(1));
        let parsed = run("jsondecode", &[s(r#"{"a": [1, true]}"#)]).unwrap();
        assert_eq!(parsed.get("a").map(V::to_json).as_deref(), Some("[1,true]"));
        assert!(matches!(
            call("jsondecode", &[s("{")], FileId(0), Span::default()),
            Error(_)
        ));
    }
}
