use crate::{Context, Findings, declare_rule};
use lambdasec_model::{Function, SecurityGroup, SgRule};

declare_rule! {
    /// ## What it does
    /// Flags security groups attached to functions that allow any inbound traffic from the
    /// whole internet (`0.0.0.0/0` or `::/0`, any protocol or port), or all outbound traffic
    /// (every protocol, or every port) to the whole internet. A group declared without egress
    /// rules gets AWS's default rule — all traffic to `0.0.0.0/0` — and is flagged too. The
    /// groups must be declared in the same project (or collected from the account).
    ///
    /// ## Why is this bad
    /// Inbound rules are useless to a function (nothing connects to it) and open whatever else
    /// shares the group. Unrestricted egress is what turns a compromised handler into a data
    /// exfiltration channel or a command-and-control client: the reason to put a function in a
    /// VPC is usually to reach a few private endpoints, not the whole internet.
    ///
    /// ## Example
    /// ```yaml
    /// FunctionSg:
    ///   Type: AWS::EC2::SecurityGroup
    ///   Properties:
    ///     GroupDescription: function
    ///     VpcId: !Ref Vpc
    /// ```
    ///
    /// ## Remediation
    /// Remove inbound rules, and allow outbound traffic only to what the function calls: the
    /// security groups of its databases and caches, VPC endpoints (or their prefix lists), and
    /// specific ports.
    /// - CloudFormation / SAM: `SecurityGroupEgress` with `DestinationSecurityGroupId` or
    ///   `DestinationPrefixListId`; no `SecurityGroupIngress`.
    /// - Terraform: `egress` blocks (or `aws_vpc_security_group_egress_rule`) with
    ///   `security_groups` / `prefix_list_ids`.
    /// - Live: `aws ec2 revoke-security-group-egress` / `revoke-security-group-ingress`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html
    /// - https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
    pub struct OpenSecurityGroup {
        code: "NET003",
        name: "open-security-group",
        title: "Function security group open to the internet",
        severity: Medium,
        kinds: [SecurityGroup],
        inputs: [CloudFormation, Sam, Terraform, Live],
        fix: None,
    }
}

fn from_anywhere(r: &SgRule) -> Option<&str> {
    let v4 = r
        .cidr_ipv4
        .as_ref()
        .and_then(|c| c.as_str())
        .filter(|c| c.trim() == "0.0.0.0/0");
    let v6 = r
        .cidr_ipv6
        .as_ref()
        .and_then(|c| c.as_str())
        .filter(|c| c.trim() == "::/0");
    v4.or(v6)
}

/// True when the rule covers every protocol, or every port of TCP or UDP.
fn all_traffic(r: &SgRule) -> bool {
    let Some(proto) = r.protocol.as_str() else {
        return false;
    };
    let proto = proto.trim().to_ascii_lowercase();
    if proto == "-1" || proto == "all" {
        return true;
    }
    let port = |p: &Option<lambdasec_model::Value<i64>>| p.as_ref().and_then(|v| v.get().copied());
    matches!(proto.as_str(), "tcp" | "udp" | "6" | "17")
        && matches!(
            (port(&r.from_port), port(&r.to_port)),
            (Some(0 | -1), Some(65535 | -1))
        )
}

impl OpenSecurityGroup {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        let mut groups: Vec<(&SecurityGroup, Vec<&Function>)> = Vec::new();
        for f in &cx.inventory.functions {
            let Some(vpc) = &f.vpc else { continue };
            for t in &vpc.security_groups {
                let Some(g) = cx.index.get::<SecurityGroup>(t) else {
                    continue;
                };
                match groups.iter_mut().find(|(x, _)| std::ptr::eq(*x, g)) {
                    Some((_, fs)) => fs.push(f),
                    None => groups.push((g, vec![f])),
                }
            }
        }
        for (g, functions) in groups {
            let names: Vec<String> = functions
                .iter()
                .map(|f| format!("`{}`", f.meta.id))
                .collect();
            let names = names.join(", ");
            let mut problems: Vec<(&SgRule, String)> = Vec::new();
            for r in &g.ingress {
                if let Some(cidr) = from_anywhere(r) {
                    problems.push((
                        r,
                        format!(
                            "security group `{}` of {names} allows inbound traffic from `{cidr}`",
                            g.meta.id
                        ),
                    ));
                }
            }
            for r in &g.egress {
                let Some(cidr) = from_anywhere(r) else {
                    continue;
                };
                if !all_traffic(r) {
                    continue;
                }
                let msg = if r.origin.is_implied() {
                    format!(
                        "security group `{}` of {names} declares no egress rule, so AWS's default allows all outbound traffic to `{cidr}`",
                        g.meta.id
                    )
                } else {
                    format!(
                        "security group `{}` of {names} allows all outbound traffic to `{cidr}`",
                        g.meta.id
                    )
                };
                problems.push((r, msg));
            }
            for (r, message) in problems {
                let finding = out.add(&g.meta, &r.origin, message);
                for f in &functions {
                    finding.with_related(&f.meta.origin, format!("`{}` uses the group", f.meta.id));
                }
            }
        }
    }
}
