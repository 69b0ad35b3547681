use crate::facts::{execution_role, statement_label};
use crate::{Context, Findings, declare_rule};
use lambdasec_iam::{Effect, catalog, wildcard};
use lambdasec_model::{Function, Origin, State};
use std::net::Ipv4Addr;

declare_rule! {
    /// ## What it does
    /// Flags functions that are not attached to a VPC although they reach private resources.
    ///
    /// By default only functions with evidence of private-resource access are reported:
    /// - a policy written for the execution role grants data-plane access to a store that lives
    ///   in a VPC — `rds-db:connect`, `neptune-db:*`, `elasticache:Connect`,
    ///   `memorydb:Connect`, `dax:*`, `elasticfilesystem:ClientMount` — named explicitly (not
    ///   through `*`; AWS managed policies such as `AmazonDynamoDBFullAccess` grant these to
    ///   every user and are no evidence). Network interface and `kafka-cluster` permissions are
    ///   no evidence either: event source mappings for MSK, Amazon MQ and Kafka use them with
    ///   the function's role whether or not the function runs in a VPC;
    /// - an environment variable points at a private endpoint: an RDS, ElastiCache,
    ///   DocumentDB, Neptune, Redshift, MemoryDB, DAX, MSK or EFS host name, a VPC endpoint, an
    ///   `*.internal` host, a private IPv4 address, or a database, cache or file system declared
    ///   in the same template or project.
    ///
    /// With `--strict` (`strict = true`), every function without a VPC is reported, as
    /// Security Hub (Lambda.3), Prowler and Checkov (CKV_AWS_117) do.
    ///
    /// ## Why is this bad
    /// A function that talks to private resources from outside the VPC needs them reachable from
    /// the internet — a publicly accessible database, an open security group, a public cache
    /// endpoint — or it does not work. Running inside the VPC keeps that traffic private, lets
    /// security groups and network ACLs govern it, and lets VPC endpoints and egress controls
    /// limit where the function can send data. (Functions that only call public AWS APIs gain
    /// little from a VPC, which is why the default mode asks for evidence.)
    ///
    /// ## Example
    /// ```yaml
    /// Reports:
    ///   Type: AWS::Lambda::Function
    ///   Properties:
    ///     Environment:
    ///       Variables:
    ///         DB_HOST: reports.cluster-abc123.eu-west-1.rds.amazonaws.com
    /// ```
    ///
    /// ## Remediation
    /// Attach the function to private subnets of the resource's VPC with a security group that
    /// only allows the ports it needs, and keep the resource private.
    /// - CloudFormation: `VpcConfig: {SubnetIds: [...], SecurityGroupIds: [...]}`.
    /// - SAM: `VpcConfig` on the function (or in `Globals.Function`); SAM adds the ENI
    ///   permissions.
    /// - Terraform: `vpc_config { subnet_ids = [...], security_group_ids = [...] }`.
    /// - serverless.yml: `provider.vpc` or the function's `vpc`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/lambda-controls.html#lambda-3
    pub struct FunctionOutsideVpc {
        code: "NET001",
        name: "function-outside-vpc",
        title: "Function outside a VPC reaches private resources",
        severity: Low,
        kinds: [Function],
        inputs: [CloudFormation, Sam, Terraform, Serverless, Live],
        fix: None,
    }
}

/// Data-plane actions of stores that live in a VPC.
const PRIVATE_ACTIONS: &[&str] = &[
    "rds-db:connect",
    "neptune-db:connect",
    "neptune-db:ReadDataViaQuery",
    "elasticache:Connect",
    "memorydb:Connect",
    "dax:GetItem",
    "dax:Query",
    "elasticfilesystem:ClientMount",
];

/// Host name suffixes of private endpoints.
const PRIVATE_SUFFIXES: &[&str] = &[
    ".rds.amazonaws.com",
    ".cache.amazonaws.com",
    ".docdb.amazonaws.com",
    ".neptune.amazonaws.com",
    ".redshift.amazonaws.com",
    ".redshift-serverless.amazonaws.com",
    ".vpce.amazonaws.com",
    ".internal",
];

/// Host name parts of private endpoints under `amazonaws.com`.
const PRIVATE_PARTS: &[&str] = &[".memorydb.", ".dax-clusters.", ".kafka.", ".efs."];

/// Declared resource types (CloudFormation and Terraform) that live in a VPC.
const PRIVATE_TYPES: &[&str] = &[
    "AWS::RDS::DBInstance",
    "AWS::RDS::DBCluster",
    "AWS::RDS::DBProxy",
    "AWS::ElastiCache::CacheCluster",
    "AWS::ElastiCache::ReplicationGroup",
    "AWS::ElastiCache::ServerlessCache",
    "AWS::DocDB::DBCluster",
    "AWS::DocDB::DBInstance",
    "AWS::Neptune::DBCluster",
    "AWS::Neptune::DBInstance",
    "AWS::Redshift::Cluster",
    "AWS::MemoryDB::Cluster",
    "AWS::DAX::Cluster",
    "AWS::MSK::Cluster",
    "AWS::EFS::FileSystem",
    "AWS::EFS::AccessPoint",
    "aws_db_instance",
    "aws_rds_cluster",
    "aws_db_proxy",
    "aws_elasticache_cluster",
    "aws_elasticache_replication_group",
    "aws_elasticache_serverless_cache",
    "aws_docdb_cluster",
    "aws_docdb_cluster_instance",
    "aws_neptune_cluster",
    "aws_neptune_cluster_instance",
    "aws_redshift_cluster",
    "aws_memorydb_cluster",
    "aws_dax_cluster",
    "aws_msk_cluster",
    "aws_efs_file_system",
    "aws_efs_access_point",
];

/// Why a function seems to reach private resources.
struct Evidence {
    origin: Origin,
    what: String,
}

impl FunctionOutsideVpc {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        for f in &cx.inventory.functions {
            let at = match &f.vpc {
                None => &f.meta.origin,
                Some(v) if v.subnets.is_empty() => &v.origin,
                Some(_) => continue,
            };
            let evidence = role_evidence(cx, f).or_else(|| env_evidence(cx, f));
            match evidence {
                Some(e) => {
                    out.add(
                        &f.meta,
                        at,
                        format!(
                            "`{}` is not attached to a VPC but reaches private resources: {}",
                            f.meta.id, e.what
                        ),
                    )
                    .with_related(&e.origin, "the evidence");
                }
                None if cx.config.strict => {
                    out.add(
                        &f.meta,
                        at,
                        format!("`{}` is not attached to a VPC (strict mode)", f.meta.id),
                    );
                }
                None => {}
            }
        }
    }
}

/// A statement written for the execution role that names a private data-plane action and still
/// grants it.
fn role_evidence(cx: &Context<'_>, f: &Function) -> Option<Evidence> {
    let role = execution_role(cx, f)?;
    let private = catalog().set_of(PRIVATE_ACTIONS);
    for (policy, st) in role
        .written_statements()
        .filter(|(_, s)| s.effect == Effect::Allow && !s.action.negated)
    {
        for a in &st.action.items {
            let Some(text) = a.item.text() else { continue };
            let (service, _) = text.split_once(':').unwrap_or((text, ""));
            if service.is_empty()
                || wildcard::has_wildcard(service)
                || !PRIVATE_ACTIONS
                    .iter()
                    .any(|t| wildcard::matches_ignore_case(text, t))
                || !role.grants_of(st).any(|g| g.actions.intersects(&private))
            {
                continue;
            }
            let r = lambdasec_iam::StatementRef {
                layer: lambdasec_iam::Layer::Identity,
                policy: policy.name.clone(),
                index: st.index,
                sid: st.sid_text().map(str::to_owned),
                effect: st.effect,
                origin: st.origin.clone(),
            };
            return Some(Evidence {
                origin: a.item.origin().clone(),
                what: format!(
                    "its role `{}` allows `{text}` (a store that lives in a VPC) in {}",
                    role.id(),
                    statement_label(&r)
                ),
            });
        }
    }
    None
}

/// An environment variable that points at a private endpoint or a declared private store.
fn env_evidence(cx: &Context<'_>, f: &Function) -> Option<Evidence> {
    for var in f.env_vars() {
        match &var.value.state {
            State::Explicit(v) | State::Default(v) => {
                if let Some(host) = private_host(v) {
                    return Some(Evidence {
                        origin: var.value.origin.clone(),
                        what: format!("environment variable `{}` points at `{host}`", var.name),
                    });
                }
            }
            State::Unresolved(expr) => {
                let store = cx.inventory.other_resources.iter().find(|r| {
                    PRIVATE_TYPES.contains(&r.type_name.as_str()) && mentions(expr, &r.id)
                });
                if let Some(r) = store {
                    return Some(Evidence {
                        origin: var.value.origin.clone(),
                        what: format!(
                            "environment variable `{}` refers to `{}` ({})",
                            var.name, r.id, r.type_name
                        ),
                    });
                }
            }
        }
    }
    None
}

/// The first private host name or address in a value.
fn private_host(value: &str) -> Option<&str> {
    value
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'))
        .filter(|t| t.contains('.'))
        .find(|t| {
            let lower = t.to_ascii_lowercase();
            let lower = lower.trim_end_matches('.');
            PRIVATE_SUFFIXES.iter().any(|s| lower.ends_with(s))
                || (lower.ends_with(".amazonaws.com")
                    && PRIVATE_PARTS.iter().any(|p| lower.contains(p)))
                || lower.parse::<Ipv4Addr>().is_ok_and(|ip| {
                    let [_, _, _, host] = ip.octets();
                    ip.is_private() && host != 0
                })
        })
}

/// Whether an expression names `id` as a whole word (`!GetAtt Db.Endpoint.Address` names
/// `Db`, not `DbPassword`; `aws_db_instance.main.address` names `aws_db_instance.main`).
fn mentions(expr: &str, id: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    expr.match_indices(id).any(|(i, _)| {
        let before = expr.get(..i).and_then(|s| s.chars().next_back());
        let after = expr.get(i + id.len()..).and_then(|s| s.chars().next());
        !before.is_some_and(word) && !after.is_some_and(word)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_hosts() {
        for v in [
            "reports.cluster-abc.eu-west-1.rds.amazonaws.com",
            "postgres://u@db.abc.us-east-1.rds.amazonaws.com:5432/app",
            "redis://c.abc.0001.use1.cache.amazonaws.com:6379",
            "b-1.msk.abc.c2.kafka.us-east-1.amazonaws.com:9098",
            "http://10.0.3.17:8080/",
            "ip-10-0-0-1.ec2.internal",
            "vpce-0abc-xyz.execute-api.us-east-1.vpce.amazonaws.com",
        ] {
            assert!(private_host(v).is_some(), "{v}");
        }
        for v in [
            "https://api.example.com",
            "dynamodb.us-east-1.amazonaws.com",
            "10.0.0.0/16",
            "8.8.8.8",
            "my-table",
        ] {
            assert!(private_host(v).is_none(), "{v}");
        }
    }

    #[test]
    fn mentions_whole_words() {
        assert!(mentions("!GetAtt Db.Endpoint.Address", "Db"));
        assert!(!mentions("!Ref DbPassword", "Db"));
        assert!(mentions(
            "${aws_db_instance.main.address}",
            "aws_db_instance.main"
        ));
        assert!(!mentions(
            "aws_db_instance.main2.address",
            "aws_db_instance.main"
        ));
    }
}
