use crate::facts::execution_role;
use crate::{Context, Findings, declare_rule};
use lambdasec_iam::{
    AccessLevel, ActionSet, Effect, Identity, catalog, effective, is_broad_pattern,
};
use lambdasec_model::Origin;
use std::sync::OnceLock;

declare_rule! {
    /// ## What it does
    /// Flags statements of a function's execution role that allow sensitive actions on every
    /// resource (`Resource: "*"`, an ARN pattern with every part wildcarded, or `NotResource`)
    /// without a condition. Sensitive actions are those whose access level is *Write* or
    /// *Permissions management*, and secret reads (`secretsmanager:GetSecretValue`,
    /// `ssm:GetParameter*`, `kms:Decrypt`). The IAM engine expands wildcards and `NotAction`
    /// and drops what explicit denies or the permissions boundary remove.
    ///
    /// Not reported: actions that cannot be scoped to a resource (the Service Authorization
    /// Reference lists no resource type for them, or a single optional one the request may leave
    /// out, so they are granted on `*`: `xray:PutTraceSegments`, `cloudwatch:PutMetricData`;
    /// `s3:PutObject`, whose two optional types are an object and an access-point object, can
    /// be scoped and is reported), the actions AWS's own Lambda execution
    /// policies grant on `*` (`AWSLambdaBasicExecutionRole`, `AWSLambdaVPCAccessExecutionRole`,
    /// `AWSXRayDaemonWriteAccess`, `AmazonS3ObjectLambdaExecutionRolePolicy`: log streams,
    /// network interfaces, traces, Object Lambda responses), AWS managed policies and the
    /// statements frameworks generate (SAM policy templates), which are judged by what they
    /// enable (IAM001, IAM004, IAM008), and roles with full administrator access (IAM001).
    ///
    /// ## Why is this bad
    /// `Resource: "*"` turns a grant meant for one table, queue or secret into a grant on every
    /// one in the account — including those of other applications. A compromised function can
    /// then modify or read far more than it was built for.
    ///
    /// ## Example
    /// ```yaml
    /// - Effect: Allow
    ///   Action: [dynamodb:PutItem, dynamodb:DeleteItem]
    ///   Resource: "*"
    /// ```
    ///
    /// ## Remediation
    /// Name the resources (`!GetAtt Table.Arn`, `aws_dynamodb_table.t.arn`), or add a condition
    /// that narrows the grant (`aws:ResourceTag/...`, `aws:ResourceAccount`).
    /// - CloudFormation / SAM: the statement's `Resource` (SAM policy templates already scope).
    /// - Terraform: the `resources` of `aws_iam_policy_document`.
    /// - serverless.yml: `provider.iam.role.statements[].Resource`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
    /// - https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
    pub struct UnscopedSensitiveAction {
        code: "IAM003",
        name: "unscoped-sensitive-action",
        title: "Sensitive action allowed on every resource",
        severity: Medium,
        kinds: [Function],
        inputs: [CloudFormation, Sam, Terraform, Serverless, Live],
        fix: None,
    }
}

/// Secret reads that IAM003 treats as sensitive whatever their access level.
const SECRET_READS: &[&str] = &[
    "secretsmanager:GetSecretValue",
    "secretsmanager:BatchGetSecretValue",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:GetParametersByPath",
    "kms:Decrypt",
];

/// AWS's Lambda execution policies: what they grant on `*` is the baseline every function may
/// have.
const BASELINE_POLICIES: &[&str] = &[
    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
    "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess",
    "arn:aws:iam::aws:policy/service-role/AmazonS3ObjectLambdaExecutionRolePolicy",
];

struct Sets {
    writes: ActionSet,
    permissions: ActionSet,
    secrets: ActionSet,
    /// Sensitive, scoped (resource-level) actions outside the baseline.
    judged: ActionSet,
}

fn sets() -> &'static Sets {
    static SETS: OnceLock<Sets> = OnceLock::new();
    SETS.get_or_init(|| {
        let cat = catalog();
        let writes = cat.with_level(AccessLevel::Write);
        let permissions = cat.with_level(AccessLevel::PermissionsManagement);
        let secrets = cat.set_of(SECRET_READS);
        let mut judged = writes.clone();
        judged.union_with(&permissions);
        judged.union_with(&secrets);
        let mut baseline = Identity::new("baseline");
        for arn in BASELINE_POLICIES {
            baseline = baseline.with_managed(arn, &Origin::Unknown);
        }
        for g in &effective(&baseline).grants {
            judged.subtract(&g.actions);
        }
        let mut unscoped = cat.empty_set();
        for id in judged.iter() {
            if cat.action(id).is_some_and(|a| !a.can_limit_to_resource()) {
                unscoped.insert(id);
            }
        }
        judged.subtract(&unscoped);
        Sets {
            writes,
            permissions,
            secrets,
            judged,
        }
    })
}

impl UnscopedSensitiveAction {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        let sets = sets();
        let cat = catalog();
        for f in &cx.inventory.functions {
            let Some(role) = execution_role(cx, f) else {
                continue;
            };
            if role.full_admin().is_some() {
                continue;
            }
            for (policy, st) in role.written_statements() {
                if st.effect != Effect::Allow || st.is_conditional() {
                    continue;
                }
                let mut actions = cat.empty_set();
                for g in role.grants_of(st).filter(|g| g.is_unrestricted()) {
                    actions.union_with(&g.actions);
                }
                actions.intersect_with(&sets.judged);
                if actions.is_empty() {
                    continue;
                }
                let mut kinds = Vec::new();
                for (set, word) in [
                    (&sets.writes, "write"),
                    (&sets.permissions, "permissions-management"),
                    (&sets.secrets, "secret-read"),
                ] {
                    if actions.intersects(set) {
                        kinds.push(word);
                    }
                }
                let names: Vec<String> = actions.iter().map(|id| cat.full_name(id)).collect();
                let (at, resource) = match &st.resource {
                    None => (&st.origin, "`*`".to_owned()),
                    Some(r) if r.negated => (
                        &r.origin,
                        "every resource but a few (`NotResource`)".to_owned(),
                    ),
                    Some(r) => match r.items.iter().find(|i| is_broad_pattern(i.display())) {
                        Some(i) => (i.origin(), format!("`{}`", i.display())),
                        None => (&r.origin, "every resource".to_owned()),
                    },
                };
                let label = policy.name.as_deref().unwrap_or("a policy");
                let finding = out.add(
                        &f.meta,
                        at,
                        format!(
                            "execution role `{}` of `{}` allows {} {} action{} on {resource} without a condition in `{label}`: {}",
                            role.id(),
                            f.meta.id,
                            names.len(),
                            kinds.join("/"),
                            if names.len() == 1 { "" } else { "s" },
                            super::name_list(&names)
                        ),
                    );
                if let Some(r) = &f.role {
                    finding.with_related(
                        &r.origin,
                        format!("`{}` uses role `{}`", f.meta.id, role.id()),
                    );
                }
            }
        }
    }
}
