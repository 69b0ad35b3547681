//! `Auth.ResourcePolicy` of a REST API (or of one `Api` event): the resource policy statements
//! SAM writes for it.
//!
//! - `CustomStatements` are copied as written;
//! - `AwsAccountWhitelist` allows the accounts, `AwsAccountBlacklist` denies them;
//! - `IpRangeWhitelist` / `SourceVpcWhitelist` (and `IntrinsicVpcWhitelist`,
//!   `IntrinsicVpceWhitelist`) allow everyone and deny whoever does not come from the ranges
//!   or VPCs (endpoints); the blacklists allow everyone and deny whoever does.
//!
//! A VPC id (`vpc-...`) is matched with `aws:SourceVpc`, an endpoint id (`vpce-...`) with
//! `aws:SourceVpce`. Statements apply to `resource` (the whole API, or one method and path).

use super::build::B;
use lambdasec_model::{Node, NodeKind};

/// The statements of a `ResourcePolicy` map, on `resource` (`execute-api:/...`).
pub(crate) fn statements(rp: &Node, resource: &str) -> Vec<Node> {
    let mut out: Vec<Node> = Vec::new();
    if let Some(custom) = rp.get("CustomStatements") {
        out.extend(custom.one_or_many().iter().cloned());
    }
    let b = B::new(&rp.origin);
    let res = |b: &B| b.s(resource);
    let invoke = |b: &B| b.s("execute-api:Invoke");
    let accounts = |key: &str, effect: &str, out: &mut Vec<Node>| {
        if let Some(list) = rp.get(key) {
            let lb = B::new(&list.origin);
            out.push(lb.map(vec![
                ("Effect", lb.s(effect)),
                ("Principal", lb.map(vec![("AWS", list.clone())])),
                ("Action", invoke(&lb)),
                ("Resource", res(&lb)),
            ]));
        }
    };
    accounts("AwsAccountWhitelist", "Allow", &mut out);
    accounts("AwsAccountBlacklist", "Deny", &mut out);
    // Conditional denies over an allow for everyone.
    let mut denies: Vec<Node> = Vec::new();
    let deny = |list: &Node, operator: &str, key: &str, denies: &mut Vec<Node>| {
        let lb = B::new(&list.origin);
        denies.push(lb.map(vec![
            ("Effect", lb.s("Deny")),
            ("Principal", lb.s("*")),
            ("Action", invoke(&lb)),
            ("Resource", res(&lb)),
            (
                "Condition",
                lb.map(vec![(operator, lb.map(vec![(key, list.clone())]))]),
            ),
        ]));
    };
    if let Some(l) = rp.get("IpRangeWhitelist") {
        deny(l, "NotIpAddress", "aws:SourceIp", &mut denies);
    }
    if let Some(l) = rp.get("IpRangeBlacklist") {
        deny(l, "IpAddress", "aws:SourceIp", &mut denies);
    }
    for (key, operator) in [
        ("SourceVpcWhitelist", "StringNotEquals"),
        ("SourceVpcBlacklist", "StringEquals"),
    ] {
        let Some(list) = rp.get(key) else {
            continue;
        };
        let (vpcs, endpoints) = split_vpcs(list);
        if let Some(v) = vpcs {
            deny(&v, operator, "aws:SourceVpc", &mut denies);
        }
        if let Some(e) = endpoints {
            deny(&e, operator, "aws:SourceVpce", &mut denies);
        }
    }
    for (key, operator, condition) in [
        ("IntrinsicVpcWhitelist", "StringNotEquals", "aws:SourceVpc"),
        ("IntrinsicVpcBlacklist", "StringEquals", "aws:SourceVpc"),
        (
            "IntrinsicVpceWhitelist",
            "StringNotEquals",
            "aws:SourceVpce",
        ),
        ("IntrinsicVpceBlacklist", "StringEquals", "aws:SourceVpce"),
    ] {
        if let Some(list) = rp.get(key) {
            deny(list, operator, condition, &mut denies);
        }
    }
    if !denies.is_empty() {
        out.push(b.map(vec![
            ("Effect", b.s("Allow")),
            ("Principal", b.s("*")),
            ("Action", invoke(&b)),
            ("Resource", res(&b)),
        ]));
        out.extend(denies);
    }
    out
}

/// A written list of VPC and endpoint ids, split into (VPCs, endpoints).
fn split_vpcs(list: &Node) -> (Option<Node>, Option<Node>) {
    let Some(items) = list.as_list() else {
        return (Some(list.clone()), None);
    };
    let (endpoints, vpcs): (Vec<Node>, Vec<Node>) = items
        .iter()
        .cloned()
        .partition(|i| i.as_str().is_some_and(|s| s.starts_with("vpce-")));
    let wrap =
        |v: Vec<Node>| (!v.is_empty()).then(|| Node::new(NodeKind::List(v), list.origin.clone()));
    (wrap(vpcs), wrap(endpoints))
}

/// The `execute-api:` resource of one method and path (path parameters match any segment).
pub(crate) fn method_resource(method: &str, path: &str) -> String {
    let method = if method.eq_ignore_ascii_case("ANY") {
        "*".to_owned()
    } else {
        method.to_ascii_uppercase()
    };
    let path: Vec<&str> = path
        .split('/')
        .map(|s| if s.starts_with('{') { "*" } else { s })
        .collect();
    format!("execute-api:/*/{method}{}", path.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use lambdasec_model::{FileId, SourceFile};

    fn policy(text: &str) -> String {
        let file = SourceFile::new(FileId(0), "t.yaml", text);
        let root = crate::yaml::parse(&file).unwrap().root;
        let doc = statements(&root, "execute-api:/*/*/*");
        Node::new(NodeKind::List(doc), root.origin.clone()).to_json_text()
    }

    #[test]
    fn lists_become_statements() {
        assert_eq!(
            policy(
                "AwsAccountWhitelist: ['111122223333']\nAwsAccountBlacklist: ['444455556666']\n"
            ),
            r#"[{"Effect":"Allow","Principal":{"AWS":["111122223333"]},"Action":"execute-api:Invoke","Resource":"execute-api:/*/*/*"},{"Effect":"Deny","Principal":{"AWS":["444455556666"]},"Action":"execute-api:Invoke","Resource":"execute-api:/*/*/*"}]"#
        );
        assert_eq!(
            policy("IpRangeWhitelist: [10.0.0.0/8]\n"),
            r#"[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*/*/*"},{"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*/*/*","Condition":{"NotIpAddress":{"aws:SourceIp":["10.0.0.0/8"]}}}]"#
        );
        let vpcs = policy("SourceVpcBlacklist: [vpc-1, vpce-2]\n");
        assert!(
            vpcs.contains(r#"{"StringEquals":{"aws:SourceVpc":["vpc-1"]}}"#),
            "{vpcs}"
        );
        assert!(
            vpcs.contains(r#"{"StringEquals":{"aws:SourceVpce":["vpce-2"]}}"#),
            "{vpcs}"
        );
        let custom = policy(
            "CustomStatements: {Effect: Deny, Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*'}\nIntrinsicVpceWhitelist: [!Ref Endpoint]\n",
        );
        assert!(custom.starts_with(r#"[{"Effect":"Deny""#), "{custom}");
        assert!(
            custom.contains(r#""StringNotEquals":{"aws:SourceVpce":[{"Ref":"Endpoint"}]}"#),
            "{custom}"
        );
        assert_eq!(policy("{}"), "[]");
    }

    #[test]
    fn method_resources() {
        assert_eq!(
            method_resource("get", "/items/{id}"),
            "execute-api:/*/GET/items/*"
        );
        assert_eq!(method_resource("ANY", "/"), "execute-api:/*/*/");
    }
}
