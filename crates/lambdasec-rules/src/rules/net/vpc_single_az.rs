use crate::{Context, Findings, declare_rule};
use lambdasec_model::Subnet;
use std::collections::BTreeSet;

declare_rule! {
    /// ## What it does
    /// Flags functions attached to a VPC whose subnets span fewer than two Availability Zones:
    /// a single subnet, or subnets whose zones (declared in the same project, or collected from
    /// the account) are all the same. Subnets whose zone is not known offline (an
    /// `!Select [0, !GetAZs ""]`, a subnet of another stack) are not judged.
    ///
    /// ## Why is this bad
    /// Lambda runs a VPC function only in the zones of its subnets. When that zone has an
    /// outage, or runs out of IP addresses for the function's network interfaces, the function
    /// cannot run at all — the availability AWS gives functions outside a VPC is lost.
    /// Security Hub control Lambda.5.
    ///
    /// ## Example
    /// ```yaml
    /// VpcConfig:
    ///   SubnetIds: [!Ref PrivateSubnetA]
    ///   SecurityGroupIds: [!Ref FunctionSg]
    /// ```
    ///
    /// ## Remediation
    /// Attach at least two subnets in different Availability Zones.
    /// - CloudFormation / SAM: `VpcConfig.SubnetIds`.
    /// - Terraform: `vpc_config { subnet_ids = [...] }` on `aws_lambda_function`.
    /// - Live: `aws lambda update-function-configuration --vpc-config SubnetIds=...`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html#vpc-managing-eni
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/lambda-controls.html#lambda-5
    pub struct VpcSingleAz {
        code: "NET002",
        name: "vpc-single-az",
        title: "VPC function in a single Availability Zone",
        severity: Medium,
        kinds: [Function],
        inputs: [CloudFormation, Sam, Terraform, Live],
        fix: None,
    }
}

impl VpcSingleAz {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        for f in &cx.inventory.functions {
            let Some(vpc) = &f.vpc else { continue };
            if vpc.subnets.is_empty() || vpc.subnets.iter().any(|s| s.is_unresolved()) {
                continue;
            }
            let distinct: BTreeSet<&str> = vpc
                .subnets
                .iter()
                .filter_map(|s| s.get().map(|t| t.text()))
                .collect();
            let message = if distinct.len() == 1 {
                let subnet = distinct.first().copied().unwrap_or_default();
                format!(
                    "`{}` runs in one subnet (`{subnet}`), so in one Availability Zone",
                    f.meta.id
                )
            } else {
                let mut zones = BTreeSet::new();
                for s in &vpc.subnets {
                    match cx
                        .index
                        .get::<Subnet>(s)
                        .and_then(|n| n.availability_zone.as_ref())
                        .and_then(|z| z.as_str())
                    {
                        Some(z) => {
                            zones.insert(z);
                        }
                        None => {
                            zones.clear();
                            break;
                        }
                    }
                }
                if zones.len() != 1 {
                    continue;
                }
                let zone = zones.first().copied().unwrap_or_default();
                format!(
                    "the {} subnets of `{}` are all in Availability Zone `{zone}`",
                    distinct.len(),
                    f.meta.id
                )
            };
            let finding = out.add(&f.meta, &vpc.origin, message);
            for s in &vpc.subnets {
                if let Some(subnet) = cx.index.get::<Subnet>(s) {
                    finding
                        .with_related(&subnet.meta.origin, format!("subnet `{}`", subnet.meta.id));
                }
            }
        }
    }
}
