//! Resource-based policies as AWS returns them (`GetPolicy`, `GetLayerVersionPolicy`): one
//! model statement per statement and principal.

use lambdasec_model::{Condition, Effect, Origin, Principal, Value};
use serde_json::Value as Json;

/// One principal of one statement, with what the model needs of the statement.
#[derive(Debug)]
pub struct Statement {
    pub sid: Option<Value<String>>,
    pub effect: Effect,
    pub principal: Value<Principal>,
    pub actions: Vec<Value<String>>,
    pub conditions: Vec<Condition>,
    /// The first `Resource` (Lambda writes the qualified ARN for alias and version grants).
    pub resource: Option<String>,
    /// The statement's location (`Policy.Statement[2]`).
    pub origin: Origin,
}

/// The statements of a policy document located at `origin`, one per principal.
pub fn statements(doc: &Json, origin: &Origin) -> Vec<Statement> {
    let (list, list_origin) = match doc.get("Statement") {
        Some(Json::Array(items)) => (items.iter().collect::<Vec<_>>(), true),
        Some(one @ Json::Object(_)) => (vec![one], false),
        _ => (Vec::new(), false),
    };
    let mut out = Vec::new();
    for (i, stmt) in list.into_iter().enumerate() {
        let so = if list_origin {
            origin.child(&format!("Statement[{i}]"))
        } else {
            origin.child("Statement")
        };
        let effect = match stmt.get("Effect").and_then(Json::as_str) {
            Some("Deny") => Effect::Deny,
            _ => Effect::Allow,
        };
        let sid = stmt
            .get("Sid")
            .and_then(Json::as_str)
            .map(|s| Value::explicit(s.to_owned(), so.child("Sid")));
        let actions = strings(stmt.get("Action"), &so.child("Action"));
        let conditions = conditions(stmt.get("Condition"), &so.child("Condition"));
        let resource = strings(stmt.get("Resource"), &so)
            .into_iter()
            .next()
            .and_then(|r| r.get().cloned());
        for principal in principals(stmt.get("Principal"), &so.child("Principal")) {
            out.push(Statement {
                sid: sid.clone(),
                effect,
                principal,
                actions: actions.clone(),
                conditions: conditions.clone(),
                resource: resource.clone(),
                origin: so.clone(),
            });
        }
    }
    out
}

/// A string or a list of strings, each located.
pub fn strings(value: Option<&Json>, origin: &Origin) -> Vec<Value<String>> {
    match value {
        Some(Json::String(s)) => vec![Value::explicit(s.clone(), origin.clone())],
        Some(Json::Array(items)) => items
            .iter()
            .enumerate()
            .filter_map(|(i, v)| {
                let text = match v {
                    Json::String(s) => s.clone(),
                    Json::Number(n) => n.to_string(),
                    Json::Bool(b) => b.to_string(),
                    _ => return None,
                };
                Some(Value::explicit(text, origin.child(&format!("[{i}]"))))
            })
            .collect(),
        Some(Json::Number(n)) => vec![Value::explicit(n.to_string(), origin.clone())],
        Some(Json::Bool(b)) => vec![Value::explicit(b.to_string(), origin.clone())],
        _ => Vec::new(),
    }
}

fn principals(value: Option<&Json>, origin: &Origin) -> Vec<Value<Principal>> {
    match value {
        Some(Json::String(s)) if s == "*" => vec![Value::explicit(Principal::Any, origin.clone())],
        Some(Json::String(s)) => vec![Value::explicit(
            Principal::from_lambda_permission(s),
            origin.clone(),
        )],
        Some(Json::Object(map)) => map
            .iter()
            .flat_map(|(kind, v)| {
                let ko = origin.child(kind);
                strings(Some(v), &ko).into_iter().map(move |s| {
                    let text = s.get().cloned().unwrap_or_default();
                    let p = match kind.as_str() {
                        "AWS" if text == "*" => Principal::Any,
                        "AWS" => Principal::Aws(text),
                        "Service" => Principal::Service(text),
                        _ => Principal::Other(format!("{kind}:{text}")),
                    };
                    Value::explicit(p, s.origin)
                })
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn conditions(value: Option<&Json>, origin: &Origin) -> Vec<Condition> {
    let Some(Json::Object(ops)) = value else {
        return Vec::new();
    };
    ops.iter()
        .flat_map(|(op, keys)| {
            let oo = origin.child(op);
            let pairs: Vec<(&String, &Json)> = keys
                .as_object()
                .map(|m| m.iter().collect())
                .unwrap_or_default();
            pairs.into_iter().map(move |(key, vals)| {
                let ko = oo.child(key);
                Condition {
                    operator: op.clone(),
                    key: key.clone(),
                    values: strings(Some(vals), &ko),
                    origin: ko,
                }
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_principals_and_reads_conditions() {
        let doc: Json = serde_json::from_str(
            r#"{"Version":"2012-10-17","Statement":[
                {"Sid":"s3","Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},
                 "Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:111122223333:function:f",
                 "Condition":{"ArnLike":{"AWS:SourceArn":"arn:aws:s3:::b"},"StringEquals":{"AWS:SourceAccount":["111122223333"]}}},
                {"Sid":"two","Effect":"Deny","Principal":{"AWS":["*","arn:aws:iam::444455556666:root"]},"Action":["lambda:GetFunction"]},
                {"Sid":"any","Principal":"*","Action":"lambda:InvokeFunctionUrl"}]}"#,
        )
        .unwrap();
        let o = Origin::live("arn:aws:lambda:us-east-1:111122223333:function:f", "Policy");
        let s = statements(&doc, &o);
        assert_eq!(s.len(), 4);
        assert_eq!(
            s[0].principal.get(),
            Some(&Principal::Service("s3.amazonaws.com".into()))
        );
        assert_eq!(s[0].conditions.len(), 2);
        let arn = s[0]
            .conditions
            .iter()
            .find(|c| c.operator == "ArnLike")
            .unwrap();
        assert_eq!(arn.key, "AWS:SourceArn");
        assert_eq!(
            arn.values[0].origin.path(),
            Some("Policy.Statement[0].Condition.ArnLike.AWS:SourceArn")
        );
        assert_eq!(s[1].effect, Effect::Deny);
        assert_eq!(s[1].principal.get(), Some(&Principal::Any));
        assert_eq!(
            s[2].principal.get().and_then(Principal::account),
            Some("444455556666")
        );
        assert_eq!(
            s[2].principal.origin.path(),
            Some("Policy.Statement[1].Principal.AWS[1]")
        );
        assert_eq!(s[3].principal.get(), Some(&Principal::Any));
        assert_eq!(s[3].effect, Effect::Allow);
    }
}
