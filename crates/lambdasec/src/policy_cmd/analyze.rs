//! `lambdasec policy analyze FILE...`: the capability report of every principal in the files —
//! a policy document (as the only policy of a principal), a role JSON, the roles of a template,
//! or every user, group and role of an authorization-details file — from
//! `lambdasec_iam::analyze_cached`, in parallel.
//!
//! Exit status: 0 when no principal is admin-equivalent or has a privilege-escalation path, 1
//! when one is or has, 2 when a file could not be read.

use super::input::{Input, read};
use super::view::{StatementView, place};
use super::{AnalyzeArgs, Format};
use crate::output::print as emit;
use lambdasec_iam::{
    ActionCache, ActionFinding, AdminKind, Capabilities, Identity, PrincipalType, StatementRef,
    UnknownWhy, analyze_cached, parse_policy,
};
use lambdasec_model::SourceMap;
use lambdasec_report::{Location, locate};
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;
use std::process::ExitCode;

/// A principal to analyse.
struct Subject<'a> {
    kind: &'static str,
    name: String,
    arn: Option<String>,
    /// The file it comes from.
    file: String,
    identity: Cow<'a, Identity>,
}

#[derive(Debug, Serialize)]
struct AdminView {
    kind: AdminKind,
    via_not_action: bool,
    statements: Vec<StatementView>,
}

#[derive(Debug, Serialize)]
struct EscalationView {
    method: &'static str,
    description: &'static str,
    actions: Vec<String>,
    /// Every needed action is granted on every resource without conditions.
    unrestricted: bool,
    /// Otherwise, the resources the actions are granted on.
    resources: Vec<String>,
    statements: Vec<StatementView>,
}

#[derive(Debug, Serialize)]
struct FindingView {
    count: usize,
    actions: Vec<String>,
    truncated: bool,
    statements: Vec<StatementView>,
}

#[derive(Debug, Serialize)]
struct UnknownPolicyView {
    reference: String,
    why: &'static str,
    location: Location,
}

#[derive(Debug, Serialize)]
struct ErrorView {
    message: String,
    location: Location,
}

#[derive(Debug, Serialize)]
struct PrincipalView {
    kind: &'static str,
    name: String,
    arn: Option<String>,
    file: String,
    admin: Option<AdminView>,
    privilege_escalation: Vec<EscalationView>,
    data_exfiltration: Option<FindingView>,
    credentials_exposure: Option<FindingView>,
    resource_exposure: Option<FindingView>,
    infrastructure_modification: Option<FindingView>,
    /// Attached policies whose permissions are not known.
    unknown_policies: Vec<UnknownPolicyView>,
    /// Policies that did not parse.
    errors: Vec<ErrorView>,
    /// Results may be incomplete (unknown policies, statements or values).
    partial: bool,
}

#[derive(Debug, Serialize)]
struct FileError {
    file: String,
    message: String,
}

#[derive(Debug, Serialize)]
struct Output<'a> {
    principals: &'a [PrincipalView],
    errors: &'a [FileError],
}

pub fn run(args: &AnalyzeArgs) -> anyhow::Result<ExitCode> {
    let sources = SourceMap::new();
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for path in &args.files {
        let shown = path.display().to_string();
        match read(path, &sources) {
            Ok(i) => inputs.push((shown, i)),
            Err(e) => errors.push(FileError {
                file: shown,
                message: format!("{e:#}"),
            }),
        }
    }
    let mut subjects: Vec<Subject<'_>> = Vec::new();
    for (file, input) in &inputs {
        match input {
            Input::Policy { node, .. } => match parse_policy(node) {
                Ok(p) => subjects.push(Subject {
                    kind: "policy",
                    name: file.clone(),
                    arn: None,
                    file: file.clone(),
                    identity: Cow::Owned(
                        Identity::new(file.clone()).with_policy(p.with_name(file)),
                    ),
                }),
                Err(e) => errors.push(FileError {
                    file: file.clone(),
                    message: format!("{}: {e}", place(&sources, &e.origin)),
                }),
            },
            Input::Template(inv) => {
                for d in inv
                    .diagnostics
                    .iter()
                    .filter(|d| d.level == lambdasec_model::Level::Error)
                {
                    errors.push(FileError {
                        file: file.clone(),
                        message: format!("{}: {}", place(&sources, &d.origin), d.message),
                    });
                }
                for role in &inv.roles {
                    subjects.push(Subject {
                        kind: "role",
                        name: role.meta.id.clone(),
                        arn: role.meta.arn.clone(),
                        file: file.clone(),
                        identity: Cow::Owned(Identity::from_role(role, inv)),
                    });
                }
            }
            Input::Account(details) => {
                for p in &details.principals {
                    subjects.push(Subject {
                        kind: match p.kind {
                            PrincipalType::User => "user",
                            PrincipalType::Group => "group",
                            PrincipalType::Role => "role",
                        },
                        name: p.identity.name.clone(),
                        arn: p.identity.arn.clone(),
                        file: file.clone(),
                        identity: Cow::Borrowed(&p.identity),
                    });
                }
            }
        }
    }

    let cache = ActionCache::default();
    let views: Vec<PrincipalView> = subjects
        .par_iter()
        .map(|s| view(&sources, s, &analyze_cached(&s.identity, &cache)))
        .collect();

    let out = match args.format {
        Format::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&Output {
                principals: &views,
                errors: &errors,
            })?
        ),
        Format::Text => text(&views, &errors, args.all),
    };
    emit(&out);
    Ok(if !errors.is_empty() {
        ExitCode::from(2)
    } else if views
        .iter()
        .any(|v| v.admin.is_some() || !v.privilege_escalation.is_empty())
    {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn statements(sources: &SourceMap, refs: &[StatementRef]) -> Vec<StatementView> {
    StatementView::list(sources, refs)
}

fn finding(sources: &SourceMap, f: &Option<ActionFinding>) -> Option<FindingView> {
    f.as_ref().map(|f| FindingView {
        count: f.count,
        actions: f.actions.clone(),
        truncated: f.truncated,
        statements: statements(sources, &f.statements),
    })
}

fn view(sources: &SourceMap, s: &Subject<'_>, caps: &Capabilities) -> PrincipalView {
    PrincipalView {
        kind: s.kind,
        name: s.name.clone(),
        arn: s.arn.clone(),
        file: s.file.clone(),
        admin: caps.admin.as_ref().map(|a| AdminView {
            kind: a.kind,
            via_not_action: a.via_not_action,
            statements: statements(sources, &a.statements),
        }),
        privilege_escalation: caps
            .escalations
            .iter()
            .map(|e| EscalationView {
                method: e.method,
                description: e.description,
                actions: e.actions.clone(),
                unrestricted: e.unrestricted,
                resources: e.resources.clone(),
                statements: statements(sources, &e.statements),
            })
            .collect(),
        data_exfiltration: finding(sources, &caps.data_exfiltration),
        credentials_exposure: finding(sources, &caps.credentials_exposure),
        resource_exposure: finding(sources, &caps.resource_exposure),
        infrastructure_modification: finding(sources, &caps.infrastructure_modification),
        unknown_policies: caps
            .unknown_policies
            .iter()
            .map(|u| UnknownPolicyView {
                reference: u.reference.clone(),
                why: match u.why {
                    UnknownWhy::Unresolved => "unresolved",
                    UnknownWhy::MissingManaged => "aws_managed_not_embedded",
                    UnknownWhy::NotFound => "not_found",
                },
                location: locate(sources, &u.origin),
            })
            .collect(),
        errors: s
            .identity
            .errors
            .iter()
            .map(|e| ErrorView {
                message: e.to_string(),
                location: locate(sources, &e.origin),
            })
            .collect(),
        partial: caps.is_partial() || !s.identity.errors.is_empty(),
    }
}

/// At most this many action names per line of text.
const SHOWN_ACTIONS: usize = 6;

fn action_list(actions: &[String], count: usize) -> String {
    let shown: Vec<&str> = actions
        .iter()
        .take(SHOWN_ACTIONS)
        .map(String::as_str)
        .collect();
    let more = count.saturating_sub(shown.len());
    if more > 0 {
        format!("{} (+{more} more)", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

fn has_findings(v: &PrincipalView) -> bool {
    v.admin.is_some()
        || !v.privilege_escalation.is_empty()
        || v.data_exfiltration.is_some()
        || v.credentials_exposure.is_some()
        || v.resource_exposure.is_some()
        || v.infrastructure_modification.is_some()
        || !v.unknown_policies.is_empty()
        || !v.errors.is_empty()
}

fn statement_lines(out: &mut String, list: &[StatementView]) {
    for s in list {
        out.push_str(&format!("      {}\n", s.line()));
    }
}

fn text(views: &[PrincipalView], errors: &[FileError], all: bool) -> String {
    let mut out = String::new();
    let count = |f: &dyn Fn(&PrincipalView) -> bool| views.iter().filter(|v| f(v)).count();
    for v in views {
        if !all && !has_findings(v) {
            continue;
        }
        out.push_str(&format!("{} {}", v.kind, v.name));
        if let Some(arn) = &v.arn {
            out.push_str(&format!(" ({arn})"));
        }
        out.push_str(&format!("  [{}]\n", v.file));
        if !has_findings(v) {
            out.push_str("  nothing to report\n");
        }
        if let Some(a) = &v.admin {
            let kind = match a.kind {
                AdminKind::Full => "every action on every resource",
                AdminKind::IamFullControl => "every IAM action on every resource",
            };
            out.push_str(&format!(
                "  admin-equivalent: {kind}{}\n",
                if a.via_not_action {
                    " (through NotAction)"
                } else {
                    ""
                }
            ));
            statement_lines(&mut out, &a.statements);
        }
        if v.admin.is_some() && !v.privilege_escalation.is_empty() {
            // Every method works for an admin: name them, the statements are the admin's.
            let names: Vec<&str> = v.privilege_escalation.iter().map(|e| e.method).collect();
            out.push_str(&format!(
                "  privilege escalation: {} methods: {}\n",
                names.len(),
                names.join(", ")
            ));
        }
        for e in v.privilege_escalation.iter().filter(|_| v.admin.is_none()) {
            let scope = if e.unrestricted {
                "on every resource".to_owned()
            } else {
                format!("on {}", e.resources.join(", "))
            };
            out.push_str(&format!(
                "  privilege escalation: {} ({}) {scope}: {}\n",
                e.method,
                e.actions.join(" + "),
                e.description
            ));
            statement_lines(&mut out, &e.statements);
        }
        for (title, f) in [
            ("data exfiltration", &v.data_exfiltration),
            ("credentials exposure", &v.credentials_exposure),
            ("resource exposure", &v.resource_exposure),
            (
                "infrastructure modification",
                &v.infrastructure_modification,
            ),
        ] {
            if let Some(f) = f {
                out.push_str(&format!(
                    "  {title}: {} on every resource: {}\n",
                    if f.count == 1 {
                        "1 action".to_owned()
                    } else {
                        format!("{} actions", f.count)
                    },
                    action_list(&f.actions, f.count)
                ));
                statement_lines(&mut out, &f.statements);
            }
        }
        for u in &v.unknown_policies {
            out.push_str(&format!(
                "  unknown policy: {} ({})\n",
                u.reference,
                u.why.replace('_', " ")
            ));
        }
        for e in &v.errors {
            out.push_str(&format!("  invalid policy: {}\n", e.message));
        }
        if v.partial {
            out.push_str("  note: results may be incomplete (unknown policies or values)\n");
        }
    }
    for e in errors {
        out.push_str(&format!("error: {}\n", e.message));
    }
    out.push_str(&format!(
        "{} principal(s) analysed: {} admin-equivalent, {} with privilege escalation, {} data \
         exfiltration, {} credentials exposure, {} resource exposure, {} infrastructure \
         modification\n",
        views.len(),
        count(&|v| v.admin.is_some()),
        count(&|v| !v.privilege_escalation.is_empty()),
        count(&|v| v.data_exfiltration.is_some()),
        count(&|v| v.credentials_exposure.is_some()),
        count(&|v| v.resource_exposure.is_some()),
        count(&|v| v.infrastructure_modification.is_some()),
    ));
    out
}
