use crate::facts::{execution_role, raise_if_exposed, statement_label};
use crate::{Context, Findings, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags functions whose execution role can read data at account scale: data-reading
    /// actions granted on every resource without a condition — `secretsmanager:GetSecretValue`,
    /// `ssm:GetParameter*`, `kms:Decrypt`, `s3:GetObject`, `dynamodb:Scan` / `Query` /
    /// `GetItem`, RDS snapshot copies (Cloudsplaining's data-exfiltration set). The IAM engine
    /// expands wildcards and `NotAction` (so `s3:*` or `s3:Get*` count), includes AWS managed
    /// policies such as `AmazonS3ReadOnlyAccess`, and drops what explicit denies or the
    /// permissions boundary remove. Roles with full administrator access are reported by IAM001
    /// instead.
    ///
    /// When the function is reachable from the internet the message says so and the severity is
    /// raised one step.
    ///
    /// ## Why is this bad
    /// A function needs the data it serves — one bucket, one table, one secret. With these reads
    /// on `*`, code running in the function (an SSRF, an injection, a poisoned dependency) can
    /// read every secret, parameter, object and table in the account and every ciphertext the
    /// account's keys protect.
    ///
    /// ## Example
    /// ```yaml
    /// - Effect: Allow
    ///   Action: secretsmanager:GetSecretValue
    ///   Resource: "*"
    /// ```
    ///
    /// ## Remediation
    /// Name the secrets, parameters, keys, buckets and tables the function reads.
    /// - CloudFormation: `Resource: !Ref Secret`, `!Sub "${Bucket.Arn}/*"`, `!GetAtt Table.Arn`.
    /// - SAM: policy templates (`AWSSecretsManagerGetSecretValuePolicy`, `S3ReadPolicy`,
    ///   `DynamoDBReadPolicy`) take the resource name.
    /// - Terraform: the `resources` of `aws_iam_policy_document`.
    /// - serverless.yml: `provider.iam.role.statements[].Resource`.
    ///
    /// ## References
    /// - https://github.com/salesforce/cloudsplaining#data-exfiltration
    /// - https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_examples.html
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
    pub struct DataExfiltrationRole {
        code: "IAM008",
        name: "data-exfiltration-role",
        title: "Execution role can read data account-wide",
        severity: High,
        kinds: [Function],
        inputs: [CloudFormation, Sam, Terraform, Serverless, Live],
        fix: None,
    }
}

impl DataExfiltrationRole {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        for f in &cx.inventory.functions {
            let Some(role) = execution_role(cx, f) else {
                continue;
            };
            if role.full_admin().is_some() {
                continue;
            }
            let Some(exfil) = &role.caps.data_exfiltration else {
                continue;
            };
            let statements = role.covering(&exfil.statements);
            let Some(st) = statements.first() else {
                continue;
            };
            let finding = out.add(
                &f.meta,
                &role.statement_origin(st),
                format!(
                    "execution role `{}` of `{}` can read data across the account: {} on every resource ({})",
                    role.id(),
                    f.meta.id,
                    super::name_list(&exfil.actions),
                    statement_label(st)
                ),
            );
            super::relate(
                finding,
                role,
                f,
                &exfil.statements,
                "also grants such reads",
            );
            raise_if_exposed(cx, f, finding);
        }
    }
}
