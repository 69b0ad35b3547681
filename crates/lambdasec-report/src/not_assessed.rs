//! What rules could not assess because a call of the live collection failed, grouped by call
//! for the text and SARIF reports, listed in full in JSON.

use lambdasec_model::NotAssessed;
use lambdasec_rules::{NotAssessedFor, ResourceRef};
use serde_json::{Value, json};

/// Resources named in one line before "and N more".
const SHOWN: usize = 3;

/// The entries of one failed call.
#[derive(Debug)]
pub(crate) struct Group<'a> {
    pub gap: &'a NotAssessed,
    pub rules: Vec<&'static str>,
    pub resources: Vec<&'a ResourceRef>,
}

/// Entries grouped by failed call, in the order the calls first appear.
pub(crate) fn groups(entries: &[NotAssessedFor]) -> Vec<Group<'_>> {
    let mut out: Vec<Group<'_>> = Vec::new();
    for e in entries {
        let i = match out.iter().position(|g| *g.gap == e.gap) {
            Some(i) => i,
            None => {
                out.push(Group {
                    gap: &e.gap,
                    rules: Vec::new(),
                    resources: Vec::new(),
                });
                out.len() - 1
            }
        };
        if let Some(g) = out.get_mut(i) {
            for r in &e.rules {
                if !g.rules.contains(r) {
                    g.rules.push(r);
                }
            }
            if let Some(r) = &e.resource
                && !g.resources.contains(&r)
            {
                g.resources.push(r);
            }
        }
    }
    for g in &mut out {
        g.rules.sort_unstable();
    }
    out
}

/// "`lambda:GetPolicy` failed (AccessDeniedException) in eu-west-1: RBP001, URL004 not assessed
/// for `orders`, `billing` and 2 more".
pub(crate) fn line(g: &Group<'_>) -> String {
    let region = g
        .gap
        .region
        .as_deref()
        .map(|r| format!(" in {r}"))
        .unwrap_or_default();
    let account = g
        .gap
        .account
        .as_deref()
        .map(|a| format!(" of account {a}"))
        .unwrap_or_default();
    let what = if g.resources.is_empty() {
        format!("the resources it would have listed{region}")
    } else {
        let mut names: Vec<String> = g
            .resources
            .iter()
            .take(SHOWN)
            .map(|r| format!("`{}`", r.id))
            .collect();
        if g.resources.len() > SHOWN {
            names.push(format!("{} more", g.resources.len() - SHOWN));
        }
        match names.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
            _ => names.join(""),
        }
    };
    format!(
        "{}{region}{account}: {} not assessed for {what}",
        g.gap.summary(),
        g.rules.join(", ")
    )
}

/// The JSON `not_assessed` list: one object per resource (or region) and failed call.
pub(crate) fn to_json(entries: &[NotAssessedFor]) -> Value {
    Value::Array(
        entries
            .iter()
            .map(|e| {
                json!({
                    "rules": e.rules,
                    "resource": e.resource,
                    "account": e.gap.account,
                    "region": e.gap.region,
                    "action": e.gap.action,
                    "operation": e.gap.operation,
                    "gap_resource": e.gap.resource,
                    "error_code": e.gap.error_code,
                    "message": e.gap.message,
                })
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use lambdasec_model::{Origin, ResourceKind};

    fn entry(rules: &[&'static str], id: Option<&str>) -> NotAssessedFor {
        NotAssessedFor {
            rules: rules.to_vec(),
            resource: id.map(|id| ResourceRef {
                kind: ResourceKind::Function,
                id: id.to_owned(),
                arn: None,
            }),
            gap: NotAssessed {
                account: Some("111122223333".into()),
                region: Some("eu-west-1".into()),
                action: "lambda:GetPolicy".into(),
                operation: None,
                resource: None,
                error_code: "AccessDeniedException".into(),
                message: "denied".into(),
                origin: Origin::Unknown,
            },
        }
    }

    #[test]
    fn groups_by_call() {
        let entries: Vec<NotAssessedFor> = ["a", "b", "c", "d", "e"]
            .iter()
            .map(|id| entry(&["RBP001", "NET004"], Some(id)))
            .chain([entry(&["URL004"], Some("a"))])
            .collect();
        let g = groups(&entries);
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].rules, ["NET004", "RBP001", "URL004"]);
        assert_eq!(
            line(&g[0]),
            "`lambda:GetPolicy` failed (AccessDeniedException) in eu-west-1 of account \
             111122223333: NET004, RBP001, URL004 not assessed for `a`, `b`, `c` and 2 more"
        );
        let one = groups(&entries[..1]);
        assert!(line(&one[0]).ends_with("not assessed for `a`"));
        let region = [entry(&["OBS002"], None)];
        assert!(
            line(&groups(&region)[0])
                .ends_with("for the resources it would have listed in eu-west-1")
        );
        let json = to_json(&entries[..1]);
        assert_eq!(json[0]["rules"][1], "NET004");
        assert_eq!(json[0]["resource"]["id"], "a");
        assert_eq!(json[0]["action"], "lambda:GetPolicy");
    }
}
