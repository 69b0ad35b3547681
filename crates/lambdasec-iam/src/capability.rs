//! Capability analysis: what a principal can really do, derived from its effective
//! permissions — admin equivalence (including through `NotAction`), privilege-escalation paths,
//! data exfiltration, credentials exposure, resource exposure and infrastructure modification.
//! Every result names the actions and the statements (with their origins) behind it.

use crate::actionset::ActionSet;
use crate::catalog::{AccessLevel, catalog};
use crate::effective::{ActionCache, Effective, Grant, effective_cached};
use crate::evaluate::StatementRef;
use crate::identity::{Identity, UnknownPolicy};
use serde::Serialize;

/// How a principal is admin-equivalent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AdminKind {
    /// Every action on every resource (`Action: "*"`, or a `NotAction` that excludes nothing
    /// real, or statements that together cover everything).
    Full,
    /// Every IAM action on every resource: it can grant itself anything.
    IamFullControl,
}

/// Admin equivalence and the statements that give it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Admin {
    pub kind: AdminKind,
    /// Some statement uses `NotAction`.
    pub via_not_action: bool,
    pub statements: Vec<StatementRef>,
}

/// A privilege-escalation method: all of `actions` are needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Method {
    /// A stable name (the ones Rhino Security Labs and Cloudsplaining use where they exist).
    pub name: &'static str,
    pub actions: &'static [&'static str],
    pub description: &'static str,
}

/// Known privilege-escalation methods —
/// <https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/> and
/// Cloudsplaining's list, plus Lambda-specific takeovers.
pub const METHODS: &[Method] = &[
    Method {
        name: "CreateNewPolicyVersion",
        actions: &["iam:CreatePolicyVersion"],
        description: "write a new default version of a customer managed policy attached to itself",
    },
    Method {
        name: "SetExistingDefaultPolicyVersion",
        actions: &["iam:SetDefaultPolicyVersion"],
        description: "make an older, more permissive version of a policy the default",
    },
    Method {
        name: "CreateAccessKey",
        actions: &["iam:CreateAccessKey"],
        description: "create access keys for another user",
    },
    Method {
        name: "CreateLoginProfile",
        actions: &["iam:CreateLoginProfile"],
        description: "set a console password for a user who has none",
    },
    Method {
        name: "UpdateLoginProfile",
        actions: &["iam:UpdateLoginProfile"],
        description: "change another user's console password",
    },
    Method {
        name: "AttachUserPolicy",
        actions: &["iam:AttachUserPolicy"],
        description: "attach any managed policy (AdministratorAccess) to a user",
    },
    Method {
        name: "AttachGroupPolicy",
        actions: &["iam:AttachGroupPolicy"],
        description: "attach any managed policy to a group it belongs to",
    },
    Method {
        name: "AttachRolePolicy",
        actions: &["iam:AttachRolePolicy"],
        description: "attach any managed policy to a role it can use",
    },
    Method {
        name: "PutUserPolicy",
        actions: &["iam:PutUserPolicy"],
        description: "write an inline policy on a user",
    },
    Method {
        name: "PutGroupPolicy",
        actions: &["iam:PutGroupPolicy"],
        description: "write an inline policy on a group",
    },
    Method {
        name: "PutRolePolicy",
        actions: &["iam:PutRolePolicy"],
        description: "write an inline policy on a role",
    },
    Method {
        name: "AddUserToGroup",
        actions: &["iam:AddUserToGroup"],
        description: "add a user to a more privileged group",
    },
    Method {
        name: "UpdateRolePolicyToAssumeIt",
        actions: &["iam:UpdateAssumeRolePolicy", "sts:AssumeRole"],
        description: "rewrite a role's trust policy, then assume the role",
    },
    Method {
        name: "PassExistingRoleToNewLambdaThenInvoke",
        actions: &[
            "iam:PassRole",
            "lambda:CreateFunction",
            "lambda:InvokeFunction",
        ],
        description: "create a function with a more privileged role and invoke it",
    },
    Method {
        name: "PassExistingRoleToNewLambdaThenTriggerWithExistingDynamo",
        actions: &[
            "iam:PassRole",
            "lambda:CreateFunction",
            "lambda:CreateEventSourceMapping",
        ],
        description: "create a function with a more privileged role, triggered by an event source",
    },
    Method {
        name: "PassExistingRoleToNewLambdaThenTriggerWithNewDynamo",
        actions: &[
            "iam:PassRole",
            "lambda:CreateFunction",
            "lambda:CreateEventSourceMapping",
            "dynamodb:CreateTable",
            "dynamodb:PutItem",
        ],
        description: "create a function with a more privileged role and a new stream to trigger it",
    },
    Method {
        name: "PassExistingRoleToNewLambdaThenAddPermission",
        actions: &[
            "iam:PassRole",
            "lambda:CreateFunction",
            "lambda:AddPermission",
        ],
        description: "create a function with a more privileged role and open it to an invoker",
    },
    Method {
        name: "EditExistingLambdaFunctionWithRole",
        actions: &["lambda:UpdateFunctionCode"],
        description: "replace the code of a function whose role is more privileged",
    },
    Method {
        name: "EditExistingLambdaFunctionConfiguration",
        actions: &["lambda:UpdateFunctionConfiguration"],
        description: "change the handler, layers or environment of a function whose role is more privileged",
    },
    Method {
        name: "PassExistingRoleToExistingLambda",
        actions: &["iam:PassRole", "lambda:UpdateFunctionConfiguration"],
        description: "give an existing function a more privileged role",
    },
    Method {
        name: "CreateEC2WithExistingInstanceProfile",
        actions: &["iam:PassRole", "ec2:RunInstances"],
        description: "launch an instance with a more privileged instance profile",
    },
    Method {
        name: "PassExistingRoleToCloudFormation",
        actions: &["iam:PassRole", "cloudformation:CreateStack"],
        description: "create a stack that runs with a more privileged role",
    },
    Method {
        name: "PassExistingRoleToCloudFormationChangeSet",
        actions: &[
            "iam:PassRole",
            "cloudformation:CreateChangeSet",
            "cloudformation:ExecuteChangeSet",
        ],
        description: "change a stack to run with a more privileged role",
    },
    Method {
        name: "PassExistingRoleToNewDataPipeline",
        actions: &[
            "iam:PassRole",
            "datapipeline:CreatePipeline",
            "datapipeline:PutPipelineDefinition",
        ],
        description: "run a pipeline with a more privileged role",
    },
    Method {
        name: "PassExistingRoleToNewGlueDevEndpoint",
        actions: &["iam:PassRole", "glue:CreateDevEndpoint"],
        description: "create a Glue development endpoint with a more privileged role",
    },
    Method {
        name: "UpdateExistingGlueDevEndpoint",
        actions: &["glue:UpdateDevEndpoint"],
        description: "add an SSH key to an existing Glue development endpoint",
    },
    Method {
        name: "PassExistingRoleToNewCodeBuildProject",
        actions: &[
            "iam:PassRole",
            "codebuild:CreateProject",
            "codebuild:StartBuild",
        ],
        description: "run a build with a more privileged role",
    },
    Method {
        name: "PassExistingRoleToNewSageMakerNotebook",
        actions: &[
            "iam:PassRole",
            "sagemaker:CreateNotebookInstance",
            "sagemaker:CreatePresignedNotebookInstanceUrl",
        ],
        description: "open a notebook running with a more privileged role",
    },
    Method {
        name: "PassExistingRoleToNewSageMakerJob",
        actions: &["iam:PassRole", "sagemaker:CreateTrainingJob"],
        description: "run a training job with a more privileged role",
    },
    Method {
        name: "PassExistingRoleToNewEcsTask",
        actions: &["iam:PassRole", "ecs:RegisterTaskDefinition", "ecs:RunTask"],
        description: "run a task with a more privileged task role",
    },
    Method {
        name: "PassExistingRoleToNewAppRunnerService",
        actions: &["iam:PassRole", "apprunner:CreateService"],
        description: "run a service with a more privileged instance role",
    },
    Method {
        name: "PassExistingRoleToNewCodeStarProject",
        actions: &["iam:PassRole", "codestar:CreateProject"],
        description: "create a CodeStar project with a more privileged role",
    },
    Method {
        name: "PassExistingRoleToCloudFormationUpdateStack",
        actions: &["iam:PassRole", "cloudformation:UpdateStack"],
        description: "update a stack to run with a more privileged role",
    },
    Method {
        name: "UpdateExistingCloudFormationStack",
        actions: &["cloudformation:UpdateStack"],
        description: "update a stack that runs with a more privileged service role",
    },
    Method {
        name: "PassExistingRoleToNewSageMakerProcessingJob",
        actions: &["iam:PassRole", "sagemaker:CreateProcessingJob"],
        description: "run a processing job with a more privileged role",
    },
    Method {
        name: "AccessExistingSageMakerNotebook",
        actions: &["sagemaker:CreatePresignedNotebookInstanceUrl"],
        description: "open an existing notebook that runs with a more privileged role",
    },
    Method {
        name: "SsmSendCommand",
        actions: &["ssm:SendCommand"],
        description: "run commands on instances whose profiles are more privileged",
    },
    Method {
        name: "SsmStartSession",
        actions: &["ssm:StartSession"],
        description: "open a shell on instances whose profiles are more privileged",
    },
    Method {
        name: "Ec2InstanceConnect",
        actions: &["ec2-instance-connect:SendSSHPublicKey"],
        description: "log in to instances whose profiles are more privileged",
    },
    Method {
        name: "CodeStarCreateProjectFromTemplate",
        actions: &["codestar:CreateProjectFromTemplate"],
        description: "create a project whose template grants more",
    },
];

/// A privilege-escalation path the principal has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Escalation {
    pub method: &'static str,
    pub description: &'static str,
    pub actions: Vec<String>,
    pub statements: Vec<StatementRef>,
    /// Every needed action is granted on every resource without conditions.
    pub unrestricted: bool,
    /// The resources the needed actions are granted on, when not all (e.g. which roles can be
    /// passed): a rule may compare them with more powerful roles.
    pub resources: Vec<String>,
}

/// A risky group of actions the principal has, and the statements behind them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionFinding {
    /// How many actions.
    pub count: usize,
    /// Their names, at most [`ActionFinding::MAX_NAMES`] (in catalog order); the full set is
    /// `set`.
    pub actions: Vec<String>,
    /// `actions` lists only part of the set.
    pub truncated: bool,
    pub statements: Vec<StatementRef>,
    #[serde(skip)]
    pub set: ActionSet,
}

impl ActionFinding {
    pub const MAX_NAMES: usize = 100;

    /// Whether the named action is part of the finding.
    pub fn contains(&self, action: &str) -> bool {
        catalog()
            .lookup(action)
            .is_some_and(|id| self.set.contains(id))
    }
}

/// Actions that read data at scale (Cloudsplaining's data exfiltration set, plus KMS decrypt
/// and DynamoDB reads).
pub const DATA_EXFILTRATION: &[&str] = &[
    "s3:GetObject",
    "s3:GetObjectVersion",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:GetParametersByPath",
    "secretsmanager:GetSecretValue",
    "secretsmanager:BatchGetSecretValue",
    "kms:Decrypt",
    "dynamodb:Scan",
    "dynamodb:Query",
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "rds:CopyDBSnapshot",
    "rds:CreateDBSnapshot",
];

/// Actions that return or mint credentials.
pub const CREDENTIALS_EXPOSURE: &[&str] = &[
    "chime:CreateApiKey",
    "codepipeline:PollForJobs",
    "cognito-identity:GetOpenIdToken",
    "cognito-identity:GetOpenIdTokenForDeveloperIdentity",
    "cognito-identity:GetCredentialsForIdentity",
    "connect:GetFederationToken",
    "connect:GetFederationTokens",
    "ec2:GetPasswordData",
    "ecr:GetAuthorizationToken",
    "gamelift:RequestUploadCredentials",
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:CreateServiceSpecificCredential",
    "iam:ResetServiceSpecificCredential",
    "iam:UpdateAccessKey",
    "lightsail:GetInstanceAccessDetails",
    "lightsail:GetRelationalDatabaseMasterUserPassword",
    "mediapackage:RotateChannelCredentials",
    "mediapackage:RotateIngestEndpointCredentials",
    "rds-db:connect",
    "redshift:GetClusterCredentials",
    "sso:GetRoleCredentials",
    "sts:AssumeRole",
    "sts:AssumeRoleWithSAML",
    "sts:AssumeRoleWithWebIdentity",
    "sts:GetFederationToken",
    "sts:GetSessionToken",
];

/// Everything capability analysis finds for one principal.
#[derive(Debug, Clone)]
pub struct Capabilities {
    pub effective: Effective,
    pub admin: Option<Admin>,
    pub escalations: Vec<Escalation>,
    /// Data-reading actions granted on every resource without conditions.
    pub data_exfiltration: Option<ActionFinding>,
    pub credentials_exposure: Option<ActionFinding>,
    /// Permissions-management actions (rewrite resource policies, grant access) granted on
    /// every resource.
    pub resource_exposure: Option<ActionFinding>,
    /// Write and permissions-management actions granted on every resource.
    pub infrastructure_modification: Option<ActionFinding>,
    /// Policies and statements whose permissions are not known: results may be incomplete.
    pub unknown_policies: Vec<UnknownPolicy>,
}

/// Analyse an identity.
pub fn analyze(identity: &Identity) -> Capabilities {
    analyze_cached(identity, &ActionCache::default())
}

/// [`analyze`] sharing expanded managed policies through `cache` (many principals).
pub fn analyze_cached(identity: &Identity, cache: &ActionCache) -> Capabilities {
    let eff = effective_cached(identity, cache);
    Capabilities {
        admin: admin(&eff),
        escalations: escalations(&eff),
        data_exfiltration: finding(&eff, &catalog().set_of(DATA_EXFILTRATION), true),
        credentials_exposure: finding(&eff, &catalog().set_of(CREDENTIALS_EXPOSURE), true),
        resource_exposure: finding(&eff, levels(&[AccessLevel::PermissionsManagement]), true),
        infrastructure_modification: finding(
            &eff,
            levels(&[AccessLevel::Write, AccessLevel::PermissionsManagement]),
            true,
        ),
        unknown_policies: identity.unknown.clone(),
        effective: eff,
    }
}

/// Actions with any of the access levels, computed once per level set.
fn levels(ls: &'static [AccessLevel]) -> &'static ActionSet {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock, PoisonError};
    static CACHE: OnceLock<Mutex<HashMap<&'static [AccessLevel], &'static ActionSet>>> =
        OnceLock::new();
    let mut cache = CACHE
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    cache.entry(ls).or_insert_with(|| {
        let mut s = catalog().empty_set();
        for l in ls {
            s.union_with(&catalog().with_level(*l));
        }
        // Leaked once per distinct level set (two in this crate): a process-lifetime table.
        Box::leak(Box::new(s))
    })
}

fn admin(eff: &Effective) -> Option<Admin> {
    let cat = catalog();
    let unrestricted: Vec<&Grant> = eff.grants.iter().filter(|g| g.is_unrestricted()).collect();
    let mut all = cat.empty_set();
    for g in &unrestricted {
        all.union_with(&g.actions);
    }
    let full = cat.full_set();
    let iam = cat.expand("iam:*");
    let kind = if all.is_superset(&full) {
        AdminKind::Full
    } else if all.is_superset(&iam) {
        AdminKind::IamFullControl
    } else {
        return None;
    };
    let target = if kind == AdminKind::Full {
        full
    } else {
        (*iam).clone()
    };
    let contributing: Vec<&&Grant> = unrestricted
        .iter()
        .filter(|g| g.actions.intersects(&target))
        .collect();
    let mut statements: Vec<StatementRef> = Vec::new();
    for g in &contributing {
        if !statements.contains(&g.statement) {
            statements.push(g.statement.clone());
        }
    }
    Some(Admin {
        kind,
        via_not_action: contributing.iter().any(|g| g.not_action),
        statements,
    })
}

fn escalations(eff: &Effective) -> Vec<Escalation> {
    let cat = catalog();
    let mut out = Vec::new();
    for m in METHODS {
        let mut statements: Vec<StatementRef> = Vec::new();
        let mut unrestricted = true;
        let mut resources: Vec<String> = Vec::new();
        let mut ok = true;
        for a in m.actions {
            let Some(id) = cat.lookup(a) else {
                ok = false;
                break;
            };
            // Grants only on AWS-owned resources (`arn:aws:iam::aws:policy/...`) cannot be used
            // against the account's own principals.
            let grants: Vec<&Grant> = eff
                .grants_for(id)
                .filter(|g| !only_aws_owned(&g.resources))
                .collect();
            if grants.is_empty() {
                ok = false;
                break;
            }
            if !grants.iter().any(|g| g.is_unrestricted()) {
                unrestricted = false;
                for g in &grants {
                    for p in &g.resources.patterns {
                        if !resources.contains(p) {
                            resources.push(p.clone());
                        }
                    }
                }
            }
            for g in grants {
                if !statements.contains(&g.statement) {
                    statements.push(g.statement.clone());
                }
            }
        }
        if ok {
            out.push(Escalation {
                method: m.name,
                description: m.description,
                actions: m.actions.iter().map(|s| (*s).to_owned()).collect(),
                statements,
                unrestricted,
                resources: if unrestricted { Vec::new() } else { resources },
            });
        }
    }
    out
}

fn only_aws_owned(r: &crate::effective::Resources) -> bool {
    !r.negated
        && !r.unknown
        && !r.patterns.is_empty()
        && r.patterns
            .iter()
            .all(|p| p.split(':').nth(4) == Some("aws"))
}

/// The actions of `set` the principal has (on every resource without conditions when
/// `unrestricted_only`).
fn finding(eff: &Effective, set: &ActionSet, unrestricted_only: bool) -> Option<ActionFinding> {
    let cat = catalog();
    let mut actions = cat.empty_set();
    let mut statements = Vec::new();
    for g in &eff.grants {
        if unrestricted_only && !g.is_unrestricted() {
            continue;
        }
        if g.actions.intersects(set) {
            let mut x = g.actions.clone();
            x.intersect_with(set);
            actions.union_with(&x);
            if !statements.contains(&g.statement) {
                statements.push(g.statement.clone());
            }
        }
    }
    if actions.is_empty() {
        return None;
    }
    let count = actions.len();
    Some(ActionFinding {
        count,
        actions: actions
            .iter()
            .take(ActionFinding::MAX_NAMES)
            .map(|id| cat.full_name(id))
            .collect(),
        truncated: count > ActionFinding::MAX_NAMES,
        statements,
        set: actions,
    })
}

impl Capabilities {
    /// Whether the named action is granted (on any resource, possibly under conditions).
    pub fn can(&self, action: &str) -> bool {
        !self.effective.grants_for_name(action).is_empty()
    }

    /// Whether the named action is granted on every resource without conditions.
    pub fn can_unrestricted(&self, action: &str) -> bool {
        self.effective.allows_unrestricted(action)
    }

    /// Whether the results may be incomplete (unknown policies or statements).
    pub fn is_partial(&self) -> bool {
        !self.unknown_policies.is_empty()
            || !self.effective.opaque.is_empty()
            || self
                .effective
                .grants
                .iter()
                .any(|g| g.unknown_actions || g.resources.unknown)
    }
}
