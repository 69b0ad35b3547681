use crate::facts::{ExecutionRole, execution_role, exposure, statement_label};
use crate::{Context, Findings, Severity, declare_rule};
use lambdasec_iam::StatementRef;

declare_rule! {
    /// ## What it does
    /// Reports functions reachable from the internet, as one attack path from the way in to
    /// what the function's role can do: *internet → entry → function → capability*. Ways in are
    /// a function URL with `AuthType: NONE`, an API Gateway route or method without authorization
    /// or API key (on an API that is not private and whose resource policy, if any, admits
    /// everyone), and a function policy that lets anyone invoke the function. Capabilities come
    /// from the IAM engine: administrator access, privilege escalation, account-wide data reads,
    /// permissions management on every resource, credential minting.
    ///
    /// The finding is *high* when the role has such a capability — the path is the finding, with
    /// a related location for every hop (each way in, the API, the function, the statements that
    /// grant the capability) — and *info* when the function is exposed but its role has none (or
    /// cannot be judged): an inventory of the attack surface.
    ///
    /// ## Why is this bad
    /// An exposed function runs attacker-chosen input. One bug in its code or dependencies —
    /// an injection, a deserialization flaw, an SSRF — hands the attacker the role's
    /// credentials; if the role can escalate or read the account's data, the internet is one
    /// request away from the whole account.
    ///
    /// ## Example
    /// ```yaml
    /// ApiUrl:
    ///   Type: AWS::Lambda::Url
    ///   Properties:
    ///     TargetFunctionArn: !GetAtt Api.Arn
    ///     AuthType: NONE
    /// # ... and Api's role allows iam:PassRole + lambda:CreateFunction + lambda:InvokeFunction
    /// ```
    ///
    /// ## Remediation
    /// Cut the path at either end: require authentication on the way in (IAM auth on the URL, an
    /// authorizer on the route, a narrowed function policy), and remove the capability from the
    /// role (least privilege: IAM001, IAM004, IAM008 say which statements).
    /// - CloudFormation / SAM: `AuthType: AWS_IAM`, `Auth.DefaultAuthorizer`, the role's
    ///   `Policies`.
    /// - Terraform: `authorization_type` on `aws_lambda_function_url` / the API method, the
    ///   role's policy documents.
    /// - serverless.yml: `url.authorizer: aws_iam`, `http.authorizer`, `provider.iam`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html
    /// - https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-to-api.html
    /// - https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
    pub struct InternetExposedFunction {
        code: "NET004",
        name: "internet-exposed-function",
        title: "Function reachable from the internet",
        severity: High,
        kinds: [Function],
        inputs: [CloudFormation, Sam, Terraform, Serverless, Live],
        fix: None,
    }
}

/// A dangerous capability of a role, with the statements behind it.
struct Capability {
    what: String,
    statements: Vec<StatementRef>,
}

/// The role's dangerous capabilities, most dangerous first.
fn capabilities(role: &ExecutionRole<'_>) -> Vec<Capability> {
    let caps = &role.caps;
    let mut out = Vec::new();
    if let Some(a) = role.full_admin() {
        out.push(Capability {
            what: "administrator access".to_owned(),
            statements: role.covering(&a.statements),
        });
        return out;
    }
    let paths: Vec<_> = caps.escalations.iter().filter(|e| e.unrestricted).collect();
    if let Some(first) = paths.first() {
        let names: Vec<&str> = paths.iter().map(|e| e.method).collect();
        out.push(Capability {
            what: format!(
                "privilege escalation ({})",
                crate::rules::iam::name_list(&names)
            ),
            statements: first.statements.clone(),
        });
    }
    for (finding, what) in [
        (&caps.data_exfiltration, "account-wide data reads"),
        (
            &caps.resource_exposure,
            "permissions management on every resource",
        ),
        (&caps.credentials_exposure, "credential minting"),
    ] {
        let Some(f) = finding else { continue };
        // Actions already named by an escalation path are not repeated.
        let actions: Vec<&String> = f
            .actions
            .iter()
            .filter(|a| !paths.iter().any(|e| e.actions.contains(a)))
            .collect();
        if actions.is_empty() {
            continue;
        }
        out.push(Capability {
            what: format!("{what} ({})", crate::rules::iam::name_list(&actions)),
            statements: role.covering(&f.statements),
        });
    }
    out
}

impl InternetExposedFunction {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        for f in &cx.inventory.functions {
            let Some(exposed) = exposure(cx, f) else {
                continue;
            };
            let Some(entry) = exposed.entries.first() else {
                continue;
            };
            let role = execution_role(cx, f);
            let caps = role.map(capabilities).unwrap_or_default();
            let finding = match (role, caps.is_empty()) {
                (Some(role), false) => {
                    let what: Vec<&str> = caps.iter().map(|c| c.what.as_str()).collect();
                    out.add(
                        &f.meta,
                        entry.origin,
                        format!(
                            "attack path: internet → {} → `{}` → role `{}` with {}",
                            exposed.describe(),
                            f.meta.id,
                            role.id(),
                            what.join(", ")
                        ),
                    )
                }
                (role, _) => {
                    let why = match role {
                        Some(r) => format!("its role `{}` has no dangerous capability", r.id()),
                        None => "its role cannot be judged (not declared here)".to_owned(),
                    };
                    out.add(
                        &f.meta,
                        entry.origin,
                        format!(
                            "`{}` is reachable from the internet through {}; {why}",
                            f.meta.id,
                            exposed.describe()
                        ),
                    )
                    .with_severity(Severity::Info)
                }
            };
            for (origin, what) in &entry.hops {
                finding.with_related(origin, format!("through {what}"));
            }
            for other in exposed.entries.iter().skip(1) {
                finding.with_related(
                    other.origin,
                    format!("also reachable through {}", other.what),
                );
            }
            finding.with_related(&f.meta.origin, format!("the function `{}`", f.meta.id));
            if let Some(role) = role {
                for c in &caps {
                    if let Some(st) = c.statements.first() {
                        finding.with_related(
                            &role.statement_origin(st),
                            format!("{}: {}", c.what, statement_label(st)),
                        );
                    }
                }
            }
        }
    }
}
