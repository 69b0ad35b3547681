//! The decision corpus: `tests/decisions/*.json`, policies + requests + expected decisions,
//! each case citing the AWS documentation statement it pins.
//!
//! Fixture conventions: a string starting with `!unresolved ` stands for a value not knowable
//! offline (`NodeKind::Unresolved`); principals are `user:ARN`, `role:ARN` (a session named
//! `session`), `root:ACCOUNT`, `service:NAME`, `federated:PROVIDER` or `anonymous`; deciding
//! statements are written `identity[P][S]`, `resource[P][S]`, `session[P][S]`, `scp[L.P][S]`,
//! `rcp[L.P][S]`, `boundary[S]`.

use lambdasec_iam::*;
use lambdasec_model::{Entry, Node, NodeKind, Origin};
use serde_json::Value;
use std::path::Path;

fn to_node(v: &Value) -> Node {
    let kind = match v {
        Value::Null => NodeKind::Null,
        Value::Bool(b) => NodeKind::Bool(*b),
        Value::Number(n) => NodeKind::Number(n.to_string()),
        Value::String(s) => match s.strip_prefix("!unresolved ") {
            Some(expr) => NodeKind::Unresolved(expr.to_owned()),
            None => NodeKind::String(s.clone()),
        },
        Value::Array(a) => NodeKind::List(a.iter().map(to_node).collect()),
        Value::Object(m) => NodeKind::Map(
            m.iter()
                .map(|(k, v)| Entry {
                    key: k.clone(),
                    key_origin: Origin::Unknown,
                    value: to_node(v),
                })
                .collect(),
        ),
    };
    Node::new(kind, Origin::Unknown)
}

fn policy(v: &Value, name: String) -> Policy {
    parse_policy(&to_node(v))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .with_name(name)
}

fn principal(s: &str) -> RequestPrincipal {
    if s == "anonymous" {
        return RequestPrincipal::anonymous();
    }
    let (kind, rest) = s.split_once(':').expect("principal kind");
    match kind {
        "user" => RequestPrincipal::user(rest),
        "role" => RequestPrincipal::role_session(rest, "session"),
        "root" => RequestPrincipal::root(rest),
        "service" => RequestPrincipal::service(rest),
        "federated" => RequestPrincipal::federated(rest),
        other => panic!("principal kind {other}"),
    }
}

struct Policies {
    identity: Vec<Policy>,
    resource: Vec<Policy>,
    boundary: Option<Policy>,
    session: Option<Vec<Policy>>,
    scps: Vec<Vec<Policy>>,
    rcps: Vec<Vec<Policy>>,
}

fn list(v: &Value, key: &str, prefix: &str) -> Vec<Policy> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .enumerate()
                .map(|(i, p)| policy(p, format!("{prefix}[{i}]")))
                .collect()
        })
        .unwrap_or_default()
}

fn levels(v: &Value, key: &str) -> Vec<Vec<Policy>> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|levels| {
            levels
                .iter()
                .enumerate()
                .map(|(l, ps)| {
                    ps.as_array()
                        .expect("level")
                        .iter()
                        .enumerate()
                        .map(|(i, p)| policy(p, format!("{key}[{l}.{i}]")))
                        .collect()
                })
                .collect()
        })
        .unwrap_or_default()
}

fn policies(v: &Value) -> Policies {
    Policies {
        identity: list(v, "identity", "identity"),
        resource: list(v, "resource", "resource"),
        boundary: v.get("boundary").map(|b| policy(b, "boundary".into())),
        session: v.get("session").map(|_| list(v, "session", "session")),
        scps: levels(v, "scps").into_iter().collect(),
        rcps: levels(v, "rcps"),
    }
}

fn context(r: &Value) -> Context {
    let mut ctx = if r.get("partial").and_then(Value::as_bool) == Some(true) {
        Context::partial()
    } else {
        Context::new()
    };
    if let Some(m) = r.get("context").and_then(Value::as_object) {
        for (k, v) in m {
            match v {
                Value::Array(a) => {
                    ctx.set_multi(k, a.iter().map(|x| x.as_str().expect("string").to_owned()));
                }
                Value::String(s) => {
                    ctx.set(k, s.clone());
                }
                other => panic!("context value {other}"),
            }
        }
    }
    if let Some(u) = r.get("unknown").and_then(Value::as_array) {
        for k in u {
            ctx.set_unknown(k.as_str().expect("key"));
        }
    }
    ctx
}

fn decision_name(d: Decision) -> &'static str {
    match d {
        Decision::Allow => "allow",
        Decision::ExplicitDeny => "explicit_deny",
        Decision::ImplicitDeny => "implicit_deny",
        Decision::Depends => "depends",
    }
}

fn ref_name(r: &StatementRef) -> String {
    format!("{}[{}]", r.policy.as_deref().unwrap_or("?"), r.index)
}

#[test]
fn decision_corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/decisions");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("decisions dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut total = 0;
    let mut failures = Vec::new();
    for file in &files {
        let v: Value =
            serde_json::from_str(&std::fs::read_to_string(file).expect("read")).expect("json");
        for case in v["cases"].as_array().expect("cases") {
            let name = case["name"].as_str().expect("name");
            assert!(
                case["doc"].as_str().is_some_and(|d| d.contains("https://")),
                "{name}: every case cites the AWS documentation"
            );
            let ps = policies(&case["policies"]);
            let set = PolicySet {
                identity: ps.identity.iter().collect(),
                resource: ps.resource.iter().collect(),
                boundary: ps.boundary.as_ref(),
                session: ps.session.as_ref().map(|s| s.iter().collect()),
                scps: ps.scps.iter().map(|l| l.iter().collect()).collect(),
                rcps: ps.rcps.iter().map(|l| l.iter().collect()).collect(),
            };
            for (i, r) in case["requests"]
                .as_array()
                .expect("requests")
                .iter()
                .enumerate()
            {
                total += 1;
                let mut req = Request::new(
                    principal(r["principal"].as_str().expect("principal")),
                    r["action"].as_str().expect("action"),
                    r["resource"].as_str().expect("resource"),
                )
                .with_context(context(r));
                if let Some(a) = r.get("resource_account").and_then(Value::as_str) {
                    req = req.with_resource_account(a);
                }
                req.resource_policy_required =
                    r.get("resource_policy_required").and_then(Value::as_bool) == Some(true);
                let resp = evaluate(&req, &set);
                let label = format!(
                    "{}: {name} #{i}",
                    file.file_name().unwrap().to_string_lossy()
                );
                let expect = r["expect"].as_str().expect("expect");
                if decision_name(resp.decision) != expect {
                    failures.push(format!("{label}: expected {expect}, got {resp:?}"));
                    continue;
                }
                if let Some(st) = r.get("statements").and_then(Value::as_array) {
                    let mut want: Vec<String> = st
                        .iter()
                        .map(|s| s.as_str().expect("ref").to_owned())
                        .collect();
                    let mut got: Vec<String> = resp.statements.iter().map(ref_name).collect();
                    want.sort();
                    got.sort();
                    if want != got {
                        failures.push(format!("{label}: statements {got:?}, expected {want:?}"));
                    }
                }
                if let Some(reason) = r.get("reason").and_then(Value::as_str) {
                    let got = resp.reason.map(|r| serde_json::to_value(r).unwrap());
                    if got.as_ref().and_then(Value::as_str) != Some(reason) {
                        failures.push(format!("{label}: reason {got:?}, expected {reason}"));
                    }
                }
                if let Some(res) = r.get("residual").and_then(Value::as_array) {
                    let texts: Vec<String> = resp
                        .residual
                        .iter()
                        .flat_map(|x| x.unknowns.iter())
                        .map(|u| match u {
                            Unknown::Condition { key, .. } => key.clone(),
                            Unknown::Element { expr, .. } | Unknown::Statement { expr, .. } => {
                                expr.clone()
                            }
                        })
                        .collect();
                    for want in res {
                        let want = want.as_str().expect("residual");
                        if !texts.iter().any(|t| t == want) {
                            failures.push(format!("{label}: residual {texts:?} lacks {want}"));
                        }
                    }
                }
            }
        }
    }
    assert!(total >= 300, "the corpus has {total} cases");
    assert!(
        failures.is_empty(),
        "{} of {total} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
