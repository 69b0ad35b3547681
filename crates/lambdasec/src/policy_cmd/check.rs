//! `lambdasec policy check FILE...`: lint every policy of the files with the engine's checker
//! (`lambdasec_iam::check_policy`). Exit status as `scan`: 0 clean, 1 an issue at or above
//! `--fail-on`, 2 a file that could not be read.

use super::input::{Input, read};
use super::view::place;
use super::{CheckArgs, DocKind, FailOn, Format};
use crate::output::print as emit;
use lambdasec_iam::{Issue, Severity, check_policy, parse_policy};
use lambdasec_model::{Inventory, Node, NodeKind, Origin, SourceMap};
use lambdasec_report::{Location, locate};
use serde::Serialize;
use std::collections::HashSet;
use std::process::ExitCode;

/// One issue, located.
#[derive(Debug, Serialize)]
struct IssueView {
    code: &'static str,
    severity: Severity,
    message: String,
    /// The policy it was found in (a file, or a policy of a template or account).
    policy: String,
    #[serde(flatten)]
    location: Location,
    #[serde(skip)]
    place: String,
}

#[derive(Debug, Serialize)]
struct FileError {
    file: String,
    message: String,
}

#[derive(Debug, Serialize)]
struct Output<'a> {
    issues: &'a [IssueView],
    errors: &'a [FileError],
    /// How many policies were checked.
    policies: usize,
}

/// A policy to check: where it is, what kind it is, and how to name it.
struct Doc<'a> {
    label: String,
    node: &'a Node,
    /// Identity-based (no `Principal`, `Resource` required) rather than resource-based.
    identity: bool,
}

pub fn run(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let sources = SourceMap::new();
    let mut issues: Vec<IssueView> = Vec::new();
    let mut errors: Vec<FileError> = Vec::new();
    let mut policies = 0usize;
    for path in &args.files {
        let shown = path.display().to_string();
        let mut add = |label: &str, found: Vec<Issue>| {
            issues.extend(found.into_iter().map(|i| IssueView {
                code: i.code,
                severity: i.severity,
                message: i.message,
                policy: label.to_owned(),
                location: locate(&sources, &i.origin),
                place: place(&sources, &i.origin),
            }));
        };
        match read(path, &sources) {
            Err(e) => errors.push(FileError {
                file: shown,
                message: format!("{e:#}"),
            }),
            Ok(Input::Policy { node, warnings }) => {
                policies += 1;
                for w in warnings {
                    add(&shown, vec![document_issue(&w.message, &w.origin)]);
                }
                let identity = match args.kind {
                    DocKind::Identity => true,
                    DocKind::Resource => false,
                    DocKind::Auto => !names_principal(&node),
                };
                add(&shown, check_node(&node, identity));
            }
            Ok(Input::Template(inv)) => {
                for d in inv.diagnostics.iter().filter(|d| is_error(d)) {
                    errors.push(FileError {
                        file: shown.clone(),
                        message: format!("{}: {}", place(&sources, &d.origin), d.message),
                    });
                }
                for doc in documents(&inv) {
                    policies += 1;
                    add(&doc.label, check_node(doc.node, doc.identity));
                }
            }
            Ok(Input::Account(details)) => {
                for (label, found) in account_issues(&details) {
                    policies += usize::from(found.is_ok());
                    match found {
                        Ok(found) => add(&label, found),
                        Err(e) => add(&label, vec![invalid(&e)]),
                    }
                }
            }
        }
    }
    issues.sort_by(|a, b| sort_key(a).cmp(&sort_key(b)));

    let out = match args.format {
        Format::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&Output {
                issues: &issues,
                errors: &errors,
                policies,
            })?
        ),
        Format::Text => text(&issues, &errors, policies),
    };
    emit(&out);

    let threshold = match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
    };
    // `Severity` orders Error < Warning < Info.
    Ok(if !errors.is_empty() {
        ExitCode::from(2)
    } else if issues.iter().any(|i| i.severity <= threshold) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The policies of an account, each once: its managed policies (default versions), then the
/// inline and trust policies of its principals, and the documents that did not parse. AWS
/// managed policies the file does not list are not the account's to fix.
fn account_issues(
    details: &lambdasec_iam::AuthorizationDetails,
) -> Vec<(String, Result<Vec<Issue>, lambdasec_iam::ParseError>)> {
    let mut seen: HashSet<&Origin> = HashSet::new();
    let mut out = Vec::new();
    let mut managed: Vec<_> = details.policies.iter().collect();
    managed.sort_by(|a, b| a.0.cmp(b.0));
    for (arn, p) in managed {
        if seen.insert(&p.origin) {
            out.push((arn.clone(), Ok(check_policy(p, true))));
        }
    }
    for pr in &details.principals {
        let owner = pr.identity.arn.as_deref().unwrap_or(&pr.identity.name);
        for p in &pr.identity.policies {
            let inline = matches!(&p.origin, Origin::Live { arn, .. } if arn == owner);
            if inline && seen.insert(&p.origin) {
                let label = format!("{owner} {}", p.name.as_deref().unwrap_or("inline policy"));
                out.push((label, Ok(check_policy(p, true))));
            }
        }
        if let Some(t) = &pr.trust
            && seen.insert(&t.origin)
        {
            out.push((format!("{owner} trust policy"), Ok(check_policy(t, false))));
        }
        for e in &pr.identity.errors {
            if seen.insert(&e.origin) {
                out.push((owner.to_owned(), Err(e.clone())));
            }
        }
    }
    out
}

fn is_error(d: &lambdasec_model::Diagnostic) -> bool {
    d.level == lambdasec_model::Level::Error
}

/// Sort by file, then position, then code.
fn sort_key(i: &IssueView) -> (String, u32, u32, &'static str) {
    match &i.location {
        Location::Source {
            file, line, column, ..
        } => (file.clone(), *line, *column, i.code),
        Location::Live { arn, field, .. } => (format!("{arn} {field}"), 0, 0, i.code),
        Location::Unknown {} => (i.policy.clone(), 0, 0, i.code),
    }
}

/// Parse and check one document; a document that does not follow the grammar is one issue.
fn check_node(node: &Node, identity: bool) -> Vec<Issue> {
    if let NodeKind::Unresolved(expr) = &node.kind {
        return vec![Issue {
            code: "unresolved-policy",
            severity: Severity::Info,
            message: format!("the policy `{expr}` cannot be known offline"),
            origin: node.origin.clone(),
        }];
    }
    match parse_policy(node) {
        Ok(p) => check_policy(&p, identity),
        Err(e) => vec![invalid(&e)],
    }
}

fn invalid(e: &lambdasec_iam::ParseError) -> Issue {
    Issue {
        code: "invalid-policy",
        severity: Severity::Error,
        message: e.to_string(),
        origin: e.origin.clone(),
    }
}

fn document_issue(message: &str, origin: &Origin) -> Issue {
    Issue {
        code: "document",
        severity: Severity::Warning,
        message: message.to_owned(),
        origin: origin.clone(),
    }
}

/// Whether a document's statements name principals (a resource-based policy).
fn names_principal(node: &Node) -> bool {
    node.get("Statement").is_some_and(|s| {
        s.one_or_many()
            .iter()
            .any(|st| st.get("Principal").is_some() || st.get("NotPrincipal").is_some())
    })
}

/// Every policy document of a template the user wrote: identity policies of roles, users,
/// groups and standalone policies; trust policies; resource policies of buckets, queues,
/// topics, APIs and keys. Statements expanded from SAM policy templates are AWS's, not the
/// user's, and synthesized trust policies are the framework's: both are left out.
fn documents(inv: &Inventory) -> Vec<Doc<'_>> {
    let mut out = Vec::new();
    for r in &inv.roles {
        for p in r
            .inline_policies
            .iter()
            .filter(|p| p.expanded_from.is_none())
        {
            out.push(Doc {
                label: format!("role {} policy {}", r.meta.id, p.name),
                node: &p.document,
                identity: true,
            });
        }
        if let Some(t) = &r.assume_role_policy
            && !r.meta.synthesized
        {
            out.push(Doc {
                label: format!("role {} trust policy", r.meta.id),
                node: t,
                identity: false,
            });
        }
    }
    for u in &inv.users {
        for p in &u.inline_policies {
            out.push(Doc {
                label: format!("user {} policy {}", u.meta.id, p.name),
                node: &p.document,
                identity: true,
            });
        }
    }
    for g in &inv.groups {
        for p in &g.inline_policies {
            out.push(Doc {
                label: format!("group {} policy {}", g.meta.id, p.name),
                node: &p.document,
                identity: true,
            });
        }
    }
    for p in &inv.policies {
        out.push(Doc {
            label: format!("policy {}", p.meta.id),
            node: &p.document,
            identity: true,
        });
    }
    for (kind, id, node) in inv
        .buckets
        .iter()
        .map(|b| ("bucket", &b.meta.id, b.policy.as_ref()))
        .chain(
            inv.queues
                .iter()
                .map(|q| ("queue", &q.meta.id, q.policy.as_ref())),
        )
        .chain(
            inv.topics
                .iter()
                .map(|t| ("topic", &t.meta.id, t.policy.as_ref())),
        )
        .chain(
            inv.apis
                .iter()
                .map(|a| ("API", &a.meta.id, a.policy.as_ref())),
        )
        .chain(
            inv.kms_keys
                .iter()
                .map(|k| ("key", &k.meta.id, k.key_policy.as_ref())),
        )
    {
        if let Some(node) = node {
            out.push(Doc {
                label: format!("{kind} {id} policy"),
                node,
                identity: false,
            });
        }
    }
    out
}

fn text(issues: &[IssueView], errors: &[FileError], policies: usize) -> String {
    let mut out = String::new();
    for i in issues {
        let sev = match i.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        // A policy file is named by the location already.
        let within = if i.location.file() == Some(i.policy.as_str()) {
            String::new()
        } else {
            format!(" (in {})", i.policy)
        };
        out.push_str(&format!(
            "{}: {sev}[{}]: {}{within}\n",
            i.place, i.code, i.message
        ));
    }
    for e in errors {
        out.push_str(&format!("error: {}\n", e.message));
    }
    let count = |s: Severity| issues.iter().filter(|i| i.severity == s).count();
    out.push_str(&format!(
        "{} checked: {} error(s), {} warning(s), {} info{}\n",
        plural(policies, "policy", "policies"),
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
        if errors.is_empty() {
            String::new()
        } else {
            format!("; {} file(s) could not be read", errors.len())
        }
    ));
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
