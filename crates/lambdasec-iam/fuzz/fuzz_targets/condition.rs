//! One condition (operator, key, values) against a context built from arbitrary data: parsing
//! and evaluation never panic, and the operators keep their documented relations.
#![no_main]

use lambdasec_iam::condition::{Family, evaluate, parse_block};
use lambdasec_iam::{Context, Tri, node_from_json};
use lambdasec_model::Origin;
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;

const OPERATORS: &[&str] = &[
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
    "DateEquals",
    "DateNotEquals",
    "DateLessThan",
    "DateLessThanEquals",
    "DateGreaterThan",
    "DateGreaterThanEquals",
    "Bool",
    "BinaryEquals",
    "IpAddress",
    "NotIpAddress",
    "ArnEquals",
    "ArnLike",
    "ArnNotEquals",
    "ArnNotLike",
    "Null",
];

const KEYS: &[&str] = &[
    "aws:SourceIp",
    "aws:CurrentTime",
    "aws:EpochTime",
    "aws:SecureTransport",
    "aws:SourceArn",
    "aws:PrincipalTag/team",
    "aws:TagKeys",
    "s3:max-keys",
    "aws:username",
];

#[derive(Arbitrary, Debug)]
enum Operator {
    Known { index: u8, set: u8, if_exists: bool },
    Raw(String),
}

#[derive(Arbitrary, Debug)]
enum Value {
    Text(String),
    Number(i64),
    Float(f64),
    Bool(bool),
}

#[derive(Arbitrary, Debug)]
enum Slot {
    Single(String),
    Multi(Vec<String>),
    Unknown,
}

#[derive(Arbitrary, Debug)]
struct Input {
    operator: Operator,
    key: u8,
    raw_key: Option<String>,
    values: Vec<Value>,
    list: bool,
    context: Vec<(u8, Slot)>,
    partial: bool,
    username: Option<String>,
    variables: bool,
}

fn operator_text(op: &Operator) -> String {
    match op {
        Operator::Known {
            index,
            set,
            if_exists,
        } => {
            let base = OPERATORS[usize::from(*index) % OPERATORS.len()];
            let set = match set % 3 {
                0 => "",
                1 => "ForAllValues:",
                _ => "ForAnyValue:",
            };
            let exists = if *if_exists { "IfExists" } else { "" };
            format!("{set}{base}{exists}")
        }
        Operator::Raw(s) => s.clone(),
    }
}

fn json_value(v: &Value) -> serde_json::Value {
    match v {
        Value::Text(s) => serde_json::Value::from(s.as_str()),
        Value::Number(n) => serde_json::Value::from(*n),
        Value::Float(f) => serde_json::Number::from_f64(*f)
            .map_or(serde_json::Value::Null, serde_json::Value::Number),
        Value::Bool(b) => serde_json::Value::from(*b),
    }
}

fuzz_target!(|input: Input| {
    let op = operator_text(&input.operator);
    let key = input
        .raw_key
        .clone()
        .unwrap_or_else(|| KEYS[usize::from(input.key) % KEYS.len()].to_owned());
    let values: Vec<serde_json::Value> = input.values.iter().map(json_value).collect();
    let values = match (input.list, values.first()) {
        (false, Some(v)) if values.len() == 1 => v.clone(),
        _ => serde_json::Value::Array(values),
    };
    let mut block = serde_json::Map::new();
    let mut keys = serde_json::Map::new();
    keys.insert(key.clone(), values);
    block.insert(op.clone(), serde_json::Value::Object(keys));
    let text = serde_json::Value::Object(block).to_string();
    let Ok(node) = node_from_json(&text, &Origin::Unknown) else {
        return;
    };
    let Ok(conditions) = parse_block(&node) else {
        return;
    };

    let mut ctx = if input.partial {
        Context::partial()
    } else {
        Context::new()
    };
    for (k, slot) in &input.context {
        let k = match k {
            255 => key.as_str(),
            k => KEYS[usize::from(*k) % KEYS.len()],
        };
        match slot {
            Slot::Single(v) => ctx.set(k, v.clone()),
            Slot::Multi(vs) => ctx.set_multi(k, vs.iter().cloned()),
            Slot::Unknown => ctx.set_unknown(k),
        };
    }
    if let Some(u) = &input.username {
        ctx.set("aws:username", u.clone());
    }

    for c in &conditions {
        let t = evaluate(c, &ctx, input.variables);
        // `ArnEquals` and `ArnLike` are the same operator.
        if c.operator.family == Family::ArnLike {
            let other = if c.operator.text.contains("Equals") {
                c.operator.text.replace("Equals", "Like")
            } else {
                c.operator.text.replace("Like", "Equals")
            };
            let mut twin = c.clone();
            if let Some(o) = lambdasec_iam::condition::Operator::parse(&other) {
                twin.operator = o;
                assert_eq!(t, evaluate(&twin, &ctx, input.variables), "{op} vs {other}");
            }
        }
        // Without wildcards, `StringLike` is `StringEquals`.
        if c.operator.family == Family::StringLike
            && c.values
                .iter()
                .all(|v| v.text().is_some_and(|s| !s.contains(['*', '?', '$'])))
        {
            let mut twin = c.clone();
            twin.operator.family = Family::StringEquals;
            assert_eq!(t, evaluate(&twin, &ctx, input.variables), "{op} on {key}");
        }
        // An equal string is equal ignoring case.
        if c.operator.family == Family::StringEquals
            && !c.operator.negated
            && c.operator.set.is_none()
            && t == Tri::Yes
        {
            let mut twin = c.clone();
            twin.operator.family = Family::StringEqualsIgnoreCase;
            assert_eq!(
                evaluate(&twin, &ctx, input.variables),
                Tri::Yes,
                "{op} on {key}"
            );
        }
    }
});
