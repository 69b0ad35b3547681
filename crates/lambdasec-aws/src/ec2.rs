//! The three EC2 calls the collector needs (`DescribeRegions`, `DescribeSecurityGroups`,
//! `DescribeSubnets`), made through the EC2 Query protocol: a SigV4-signed form POST answered in
//! XML, parsed with `quick-xml`.
//!
//! Linking `aws-sdk-ec2` for three read-only calls would multiply the crate's clean build time
//! (it is the largest SDK crate by far) and the binary size; the Query protocol is stable and
//! small. See `docs/live.md` for the measured trade-off.

use crate::http::{Http, Signer};
use crate::query::{self, ErrorItem, status_failure};
use crate::scope::{Failure, Shared};
use lambdasec_load::snapshot::format as f;
use serde::Deserialize;
use std::sync::Arc;

const API_VERSION: &str = "2016-11-15";
/// Ids per filter value list (EC2 accepts up to 200 values per filter).
const IDS_PER_REQUEST: usize = 200;

/// An EC2 Query client of one account and region.
#[derive(Debug, Clone)]
pub struct Ec2 {
    client: query::Client,
}

const SERVICE: query::Service = query::Service {
    signing_name: "ec2",
    iam_prefix: "ec2",
    version: API_VERSION,
    error_of,
};

impl Ec2 {
    /// `endpoint_url` overrides the regional endpoint (emulators).
    pub fn new(
        http: Http,
        signer: Signer,
        region: &str,
        partition: &str,
        endpoint_url: Option<&str>,
        max_attempts: u32,
        recorder: Option<Arc<Shared>>,
    ) -> Ec2 {
        Ec2 {
            client: query::Client::new(
                SERVICE,
                http,
                signer,
                region,
                partition,
                endpoint_url,
                max_attempts,
                recorder,
            ),
        }
    }

    /// The regions enabled for the account.
    pub async fn describe_regions(&self) -> Result<Vec<String>, Failure> {
        let xml = self.client.call("DescribeRegions", &[]).await?;
        let r: DescribeRegionsResponse = parse(&xml)?;
        Ok(r.region_info
            .item
            .into_iter()
            .filter(|r| {
                r.opt_in_status
                    .as_deref()
                    .is_none_or(|s| s != "not-opted-in")
            })
            .map(|r| r.region_name)
            .collect())
    }

    /// The security groups with these ids.
    pub async fn describe_security_groups(
        &self,
        ids: &[String],
    ) -> Result<Vec<f::SecurityGroup>, Failure> {
        let mut out = Vec::new();
        for chunk in ids.chunks(IDS_PER_REQUEST) {
            let mut token: Option<String> = None;
            loop {
                let params = filter_params("group-id", chunk, token.as_deref());
                let xml = self.client.call("DescribeSecurityGroups", &params).await?;
                let r: DescribeSecurityGroupsResponse = parse(&xml)?;
                out.extend(r.security_group_info.item.into_iter().map(Into::into));
                token = r.next_token.filter(|t| !t.is_empty());
                if token.is_none() {
                    break;
                }
            }
        }
        Ok(out)
    }

    /// The subnets with these ids.
    pub async fn describe_subnets(&self, ids: &[String]) -> Result<Vec<f::Subnet>, Failure> {
        let mut out = Vec::new();
        for chunk in ids.chunks(IDS_PER_REQUEST) {
            let mut token: Option<String> = None;
            loop {
                let params = filter_params("subnet-id", chunk, token.as_deref());
                let xml = self.client.call("DescribeSubnets", &params).await?;
                let r: DescribeSubnetsResponse = parse(&xml)?;
                out.extend(r.subnet_set.item.into_iter().map(Into::into));
                token = r.next_token.filter(|t| !t.is_empty());
                if token.is_none() {
                    break;
                }
            }
        }
        Ok(out)
    }

    /// A client for `config`'s credentials (tests and tools; the collector builds its own).
    pub fn connect(
        config: &aws_config::SdkConfig,
        region: &str,
        endpoint_url: Option<&str>,
    ) -> Result<Ec2, Failure> {
        Ok(Ec2::new(
            Http::new()?,
            Signer::new(config.credentials_provider()),
            region,
            "aws",
            endpoint_url,
            3,
            None,
        ))
    }

    /// Any EC2 Query action with its parameters; the XML answer.
    pub async fn query(&self, action: &str, params: &[(&str, &str)]) -> Result<String, Failure> {
        let owned: Vec<(String, String)> = params
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        self.client.call(action, &owned).await
    }
}

/// `Filter.1.Name=<name>&Filter.1.Value.N=<id>` plus paging.
fn filter_params(name: &str, ids: &[String], token: Option<&str>) -> Vec<(String, String)> {
    let mut p = vec![("Filter.1.Name".to_owned(), name.to_owned())];
    p.extend(
        ids.iter()
            .enumerate()
            .map(|(i, id)| (format!("Filter.1.Value.{}", i + 1), id.clone())),
    );
    p.push(("MaxResults".to_owned(), "1000".to_owned()));
    if let Some(t) = token {
        p.push(("NextToken".to_owned(), t.to_owned()));
    }
    p
}

fn parse<T: for<'de> Deserialize<'de>>(xml: &str) -> Result<T, Failure> {
    quick_xml::de::from_str(xml).map_err(|e| Failure::new("ResponseError", format!("EC2 XML: {e}")))
}

/// The error of a non-2xx answer: `<Response><Errors><Error><Code>..`.
fn error_of(status: u16, body: &str) -> Failure {
    match quick_xml::de::from_str::<ErrorResponse>(body) {
        Ok(r) => match r.errors.error.into_iter().next() {
            Some(e) => Failure::new(e.code, e.message.unwrap_or_default()),
            None => status_failure(status, body),
        },
        Err(_) => status_failure(status, body),
    }
}

#[derive(Debug, Deserialize)]
struct ErrorResponse {
    #[serde(rename = "Errors")]
    errors: ErrorList,
}

#[derive(Debug, Deserialize)]
struct ErrorList {
    #[serde(rename = "Error", default)]
    error: Vec<ErrorItem>,
}

/// EC2's `<x><item>..</item><item>..</item></x>` lists.
#[derive(Debug, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
struct Items<T> {
    #[serde(default = "Vec::new")]
    item: Vec<T>,
}

impl<T> Default for Items<T> {
    fn default() -> Self {
        Items { item: Vec::new() }
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct DescribeRegionsResponse {
    #[serde(default)]
    region_info: Items<RegionXml>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RegionXml {
    region_name: String,
    opt_in_status: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct DescribeSecurityGroupsResponse {
    #[serde(default)]
    security_group_info: Items<SecurityGroupXml>,
    next_token: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SecurityGroupXml {
    owner_id: Option<String>,
    group_id: String,
    group_name: Option<String>,
    group_description: Option<String>,
    vpc_id: Option<String>,
    #[serde(default)]
    ip_permissions: Items<IpPermissionXml>,
    #[serde(default)]
    ip_permissions_egress: Items<IpPermissionXml>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct IpPermissionXml {
    ip_protocol: String,
    from_port: Option<i64>,
    to_port: Option<i64>,
    #[serde(default)]
    groups: Items<GroupPairXml>,
    #[serde(default)]
    ip_ranges: Items<IpRangeXml>,
    #[serde(default)]
    ipv6_ranges: Items<Ipv6RangeXml>,
    #[serde(default)]
    prefix_list_ids: Items<PrefixListXml>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct GroupPairXml {
    user_id: Option<String>,
    group_id: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct IpRangeXml {
    cidr_ip: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Ipv6RangeXml {
    cidr_ipv6: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PrefixListXml {
    prefix_list_id: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct DescribeSubnetsResponse {
    #[serde(default)]
    subnet_set: Items<SubnetXml>,
    next_token: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SubnetXml {
    subnet_id: String,
    subnet_arn: Option<String>,
    vpc_id: Option<String>,
    availability_zone: Option<String>,
    availability_zone_id: Option<String>,
    cidr_block: Option<String>,
    map_public_ip_on_launch: Option<bool>,
}

impl From<SecurityGroupXml> for f::SecurityGroup {
    fn from(g: SecurityGroupXml) -> Self {
        f::SecurityGroup {
            group_id: g.group_id,
            group_name: g.group_name,
            owner_id: g.owner_id,
            vpc_id: g.vpc_id,
            description: g.group_description,
            ip_permissions: g.ip_permissions.item.into_iter().map(Into::into).collect(),
            ip_permissions_egress: g
                .ip_permissions_egress
                .item
                .into_iter()
                .map(Into::into)
                .collect(),
        }
    }
}

impl From<IpPermissionXml> for f::IpPermission {
    fn from(p: IpPermissionXml) -> Self {
        f::IpPermission {
            ip_protocol: p.ip_protocol,
            from_port: p.from_port,
            to_port: p.to_port,
            ip_ranges: p
                .ip_ranges
                .item
                .into_iter()
                .map(|r| f::IpRange { cidr_ip: r.cidr_ip })
                .collect(),
            ipv6_ranges: p
                .ipv6_ranges
                .item
                .into_iter()
                .map(|r| f::Ipv6Range {
                    cidr_ipv6: r.cidr_ipv6,
                })
                .collect(),
            user_id_group_pairs: p
                .groups
                .item
                .into_iter()
                .map(|g| f::UserIdGroupPair {
                    group_id: g.group_id,
                    user_id: g.user_id,
                })
                .collect(),
            prefix_list_ids: p
                .prefix_list_ids
                .item
                .into_iter()
                .map(|l| f::PrefixListId {
                    prefix_list_id: l.prefix_list_id,
                })
                .collect(),
        }
    }
}

impl From<SubnetXml> for f::Subnet {
    fn from(s: SubnetXml) -> Self {
        f::Subnet {
            subnet_id: s.subnet_id,
            subnet_arn: s.subnet_arn,
            vpc_id: s.vpc_id,
            availability_zone: s.availability_zone,
            availability_zone_id: s.availability_zone_id,
            cidr_block: s.cidr_block,
            map_public_ip_on_launch: s.map_public_ip_on_launch,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::is_retryable;

    // Shapes as documented in the EC2 API reference (Query API, version 2016-11-15).
    const SECURITY_GROUPS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<DescribeSecurityGroupsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>r-1</requestId>
  <securityGroupInfo>
    <item>
      <ownerId>111122223333</ownerId>
      <groupId>sg-0a1</groupId>
      <groupName>fn</groupName>
      <groupDescription>function group</groupDescription>
      <vpcId>vpc-1</vpcId>
      <ipPermissions>
        <item>
          <ipProtocol>tcp</ipProtocol>
          <fromPort>22</fromPort>
          <toPort>22</toPort>
          <groups/>
          <ipRanges><item><cidrIp>0.0.0.0/0</cidrIp></item></ipRanges>
          <ipv6Ranges/>
          <prefixListIds/>
        </item>
      </ipPermissions>
      <ipPermissionsEgress>
        <item>
          <ipProtocol>-1</ipProtocol>
          <groups><item><userId>111122223333</userId><groupId>sg-0b2</groupId></item></groups>
          <ipRanges><item><cidrIp>0.0.0.0/0</cidrIp></item><item><cidrIp>10.0.0.0/8</cidrIp></item></ipRanges>
          <ipv6Ranges><item><cidrIpv6>::/0</cidrIpv6></item></ipv6Ranges>
        </item>
      </ipPermissionsEgress>
    </item>
  </securityGroupInfo>
  <nextToken>page-2</nextToken>
</DescribeSecurityGroupsResponse>"#;

    #[test]
    fn parses_security_groups() {
        let r: DescribeSecurityGroupsResponse = parse(SECURITY_GROUPS).unwrap();
        assert_eq!(r.next_token.as_deref(), Some("page-2"));
        let g: Vec<f::SecurityGroup> = r
            .security_group_info
            .item
            .into_iter()
            .map(Into::into)
            .collect();
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].group_id, "sg-0a1");
        assert_eq!(g[0].ip_permissions[0].from_port, Some(22));
        assert_eq!(g[0].ip_permissions[0].ip_ranges[0].cidr_ip, "0.0.0.0/0");
        let e = &g[0].ip_permissions_egress[0];
        assert_eq!(e.ip_protocol, "-1");
        assert_eq!(e.from_port, None);
        assert_eq!(e.ip_ranges.len(), 2);
        assert_eq!(e.ipv6_ranges[0].cidr_ipv6, "::/0");
        assert_eq!(e.user_id_group_pairs[0].group_id.as_deref(), Some("sg-0b2"));
    }

    #[test]
    fn parses_subnets_regions_and_errors() {
        let xml = r#"<DescribeSubnetsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>r</requestId>
  <subnetSet>
    <item><subnetId>subnet-1</subnetId><vpcId>vpc-1</vpcId><availabilityZone>eu-west-1a</availabilityZone>
      <availabilityZoneId>euw1-az1</availabilityZoneId><cidrBlock>10.0.1.0/24</cidrBlock>
      <mapPublicIpOnLaunch>false</mapPublicIpOnLaunch></item>
    <item><subnetId>subnet-2</subnetId><availabilityZone>eu-west-1b</availabilityZone></item>
  </subnetSet>
</DescribeSubnetsResponse>"#;
        let r: DescribeSubnetsResponse = parse(xml).unwrap();
        assert_eq!(r.subnet_set.item.len(), 2);
        assert_eq!(r.subnet_set.item[0].map_public_ip_on_launch, Some(false));
        assert!(r.next_token.is_none());

        let xml = r#"<DescribeRegionsResponse><requestId>r</requestId><regionInfo>
  <item><regionName>eu-west-1</regionName><regionEndpoint>ec2.eu-west-1.amazonaws.com</regionEndpoint><optInStatus>opt-in-not-required</optInStatus></item>
  <item><regionName>af-south-1</regionName><optInStatus>not-opted-in</optInStatus></item>
  <item><regionName>me-south-1</regionName><optInStatus>opted-in</optInStatus></item>
</regionInfo></DescribeRegionsResponse>"#;
        let r: DescribeRegionsResponse = parse(xml).unwrap();
        assert_eq!(r.region_info.item.len(), 3);

        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation.</Message></Error></Errors><RequestID>x</RequestID></Response>"#;
        let f = error_of(403, xml);
        assert_eq!(f.code, "UnauthorizedOperation");
        assert!(f.is_access_denied());
        let f = error_of(503, "<html>busy</html>");
        assert_eq!(f.code, "HttpStatus5xx");
        assert!(is_retryable(&f.code));
    }

    #[test]
    fn filter_parameters() {
        let p = filter_params("group-id", &["sg-1".into(), "sg-2".into()], Some("t"));
        assert_eq!(p[0], ("Filter.1.Name".into(), "group-id".into()));
        assert_eq!(p[2], ("Filter.1.Value.2".into(), "sg-2".into()));
        assert_eq!(p.last().unwrap(), &("NextToken".to_owned(), "t".to_owned()));
    }
}
