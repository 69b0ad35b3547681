//! `IpAddress` / `NotIpAddress`: an address within a CIDR block (IPv4 or IPv6; a bare address
//! is a /32 or /128) —
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress>.

use ipnet::IpNet;
use std::net::IpAddr;

pub(super) fn matches(policy: &str, ctx: &str) -> bool {
    let Ok(addr) = ctx.trim().parse::<IpAddr>() else {
        return false;
    };
    match parse_net(policy) {
        Some(net) => net.contains(&addr),
        None => false,
    }
}

/// A CIDR block or a single address.
pub(crate) fn parse_net(s: &str) -> Option<IpNet> {
    let s = s.trim();
    s.parse::<IpNet>()
        .ok()
        .or_else(|| s.parse::<IpAddr>().ok().map(IpNet::from))
}

#[cfg(test)]
mod tests {
    use super::super::tests::eval;
    use crate::context::Context;
    use crate::tri::Tri::*;

    #[test]
    fn v4_and_v6() {
        let c = Context::new().with("aws:SourceIp", "203.0.113.7");
        let k = "aws:SourceIp";
        assert_eq!(eval("IpAddress", k, &["203.0.113.0/24"], &c), Yes);
        assert_eq!(
            eval("IpAddress", k, &["198.51.100.0/24", "203.0.113.7"], &c),
            Yes
        );
        assert_eq!(eval("IpAddress", k, &["198.51.100.0/24"], &c), No);
        assert_eq!(eval("NotIpAddress", k, &["203.0.113.0/24"], &c), No);
        assert_eq!(eval("IpAddress", k, &["2001:db8::/32"], &c), No);
        let v6 = Context::new().with(k, "2001:db8:1234::1");
        assert_eq!(eval("IpAddress", k, &["2001:db8::/32"], &v6), Yes);
        assert_eq!(eval("NotIpAddress", k, &["2001:db8::/32"], &v6), No);
        assert_eq!(eval("IpAddress", k, &["0.0.0.0/0"], &v6), No);
        assert_eq!(eval("IpAddress", k, &["not-an-ip"], &c), No);
    }
}
