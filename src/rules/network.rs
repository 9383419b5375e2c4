//! NET-CIDR: every prefix valid IPv4 CIDR without host bits; subnets inside the address space;
//! subnets, address spaces and the client pool disjoint.

use crate::rules::cidr::{self, CidrError, Ipv4Net};
use crate::rules::finding::{AttrPath, Explanation, Finding, RuleId};
use crate::rules::model::{Fact, FactList, VnetFacts};

fn cidr_error(path: AttrPath, err: &CidrError) -> Finding {
    let (summary, value, fix) = match err {
        CidrError::Malformed { input } => (
            format!("{input:?} is not an IPv4 CIDR prefix"),
            format!("The value is {input:?}."),
            "write an IPv4 prefix as address/length, e.g. 10.17.159.224/27.".to_owned(),
        ),
        CidrError::PrefixTooLong { input } => (
            format!("{input:?} has a prefix length above 32"),
            format!("The value is {input:?}."),
            "use a prefix length from 0 to 32.".to_owned(),
        ),
        CidrError::HostBits { input, canonical } => (
            format!("{input} has host bits set"),
            format!(
                "{input} is not the first address of its /{} range.",
                canonical.prefix_len()
            ),
            format!("write {canonical} if that is the range you meant."),
        ),
    };
    Finding::error(
        RuleId::NetCidr,
        path,
        &summary,
        Explanation {
            value: &value,
            why: "The classic service takes network prefixes, so the address must be the network \
                  address of an IPv4 range.",
            fix: &fix,
        },
    )
}

/// Parses each known element of a list attribute, reporting invalid ones at `attr[i]`.
fn parse_list(list: &FactList, attr: &'static str) -> (Vec<Finding>, Vec<(usize, Ipv4Net)>) {
    parse_each(
        list.known()
            .into_iter()
            .flatten()
            .enumerate()
            .map(|(i, v)| (i, v, AttrPath::of(attr).index(i))),
    )
}

fn parse_each<'a>(
    items: impl Iterator<Item = (usize, &'a Fact<String>, AttrPath)>,
) -> (Vec<Finding>, Vec<(usize, Ipv4Net)>) {
    let mut findings = Vec::new();
    let mut nets = Vec::new();
    for (index, value, path) in items {
        match value.known().map(|s| cidr::parse_strict(s)) {
            Some(Ok(net)) => nets.push((index, net)),
            Some(Err(err)) => findings.push(cidr_error(path, &err)),
            None => {}
        }
    }
    (findings, nets)
}

/// Pairs that share addresses, reported at the later element.
fn overlapping(
    nets: &[(usize, Ipv4Net)],
    path_of: impl Fn(usize) -> AttrPath,
    label: impl Fn(usize) -> String,
    why: &str,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (pos, (j, b)) in nets.iter().enumerate() {
        if let Some((i, a)) = nets[..pos].iter().find(|(_, a)| cidr::overlaps(a, b)) {
            findings.push(Finding::error(
                RuleId::NetCidr,
                path_of(*j),
                &format!("{} {b} overlaps {} {a}", label(*j), label(*i)),
                Explanation {
                    value: &format!("{} is {b} and {} is {a}.", label(*j), label(*i)),
                    why,
                    fix: "choose prefixes that do not share addresses.",
                },
            ));
        }
    }
    findings
}

fn at_least_one(list: &FactList, attr: &'static str) -> Option<Finding> {
    list.is_known_and(Vec::is_empty).then(|| {
        Finding::error(
            RuleId::NetCidr,
            AttrPath::of(attr),
            &format!("{attr} is empty"),
            Explanation {
                value: &format!("{attr} lists no prefix."),
                why: "An address space needs at least one IPv4 prefix.",
                fix: "add a prefix such as 10.17.159.192/26.",
            },
        )
    })
}

/// NET-CIDR for an address-space list (a VNet's or a local network gateway's).
pub fn check_address_space(list: &FactList, attr: &'static str) -> Vec<Finding> {
    let (mut findings, nets) = parse_list(list, attr);
    findings.extend(at_least_one(list, attr));
    findings.extend(overlapping(
        &nets,
        |i| AttrPath::of(attr).index(i),
        |i| format!("{attr}[{i}]"),
        "The prefixes of one address space must not share addresses.",
    ));
    findings
}

fn outside_address_space(vnet: &VnetFacts, subnets: &[(usize, Ipv4Net)]) -> Vec<Finding> {
    let Fact::Known(space) = vnet.address_nets() else {
        return Vec::new();
    };
    let space_text = space
        .iter()
        .map(Ipv4Net::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    subnets
        .iter()
        .filter(|(_, s)| !space.iter().any(|a| cidr::contains(a, s)))
        .map(|(i, s)| {
            Finding::error(
                RuleId::NetCidr,
                AttrPath::of("subnet").index(*i).attr("address_prefix"),
                &format!("subnet {s} is outside the virtual network's address space"),
                Explanation {
                    value: &format!("subnet[{i}] is {s}; the address space is {space_text}."),
                    why: "Every subnet, the GatewaySubnet included, must lie inside the VNet's \
                          address space.",
                    fix: "choose a prefix inside the address space, or add address space that \
                          holds it.",
                },
            )
        })
        .collect()
}

fn pool_overlaps_address_space(vnet: &VnetFacts, pool: &[(usize, Ipv4Net)]) -> Vec<Finding> {
    let Fact::Known(space) = vnet.address_nets() else {
        return Vec::new();
    };
    pool.iter()
        .filter_map(|(i, p)| {
            let a = space.iter().find(|a| cidr::overlaps(a, p))?;
            Some(Finding::error(
                RuleId::NetCidr,
                AttrPath::of("vpn_client_address_pool").index(*i),
                &format!("client address pool {p} overlaps the address space {a}"),
                Explanation {
                    value: &format!("vpn_client_address_pool[{i}] is {p}."),
                    why: "Point-to-site clients get addresses outside the VNet's own range.",
                    fix: "choose a pool outside the VNet's address space.",
                },
            ))
        })
        .collect()
}

/// NET-CIDR for a VNet.
pub fn check_vnet_cidrs(vnet: &VnetFacts) -> Vec<Finding> {
    let mut findings = check_address_space(&vnet.address_space, "address_space");

    let subnet_path = |i: usize| AttrPath::of("subnet").index(i).attr("address_prefix");
    let (invalid, subnets) = parse_each(
        vnet.subnets
            .known()
            .into_iter()
            .flatten()
            .enumerate()
            .map(|(i, s)| (i, &s.address_prefix, subnet_path(i))),
    );
    findings.extend(invalid);
    findings.extend(outside_address_space(vnet, &subnets));
    findings.extend(overlapping(
        &subnets,
        subnet_path,
        |i| format!("subnet[{i}]"),
        "Subnets of a virtual network must not share addresses.",
    ));

    let (invalid, pool) = parse_list(&vnet.vpn_client_address_pool, "vpn_client_address_pool");
    findings.extend(invalid);
    findings.extend(pool_overlaps_address_space(vnet, &pool));
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::*;

    #[test]
    fn address_space_table() {
        let cases: [(&[&str], Vec<Id>); 6] = [
            (&["10.0.0.0/16"], vec![]),
            (&["10.0.0.0/16", "10.1.0.0/16"], vec![]),
            (&[], vec![pair("NET-CIDR", "address_space")]),
            (&["10.0.0.1/16"], vec![pair("NET-CIDR", "address_space[0]")]),
            (
                &["10.0.0.0/16", "junk"],
                vec![pair("NET-CIDR", "address_space[1]")],
            ),
            (
                &["10.0.0.0/16", "10.0.128.0/17"],
                vec![pair("NET-CIDR", "address_space[1]")],
            ),
        ];
        for (space, want) in cases {
            assert_eq!(
                ids(&check_address_space(&list(space), "address_space")),
                want,
                "{space:?}"
            );
        }
        assert_eq!(check_address_space(&Fact::Unknown, "address_space"), vec![]);
        let partial = Fact::Known(vec![Fact::Unknown, known("10.0.0.0/16")]);
        assert_eq!(check_address_space(&partial, "address_space"), vec![]);
    }

    #[test]
    fn host_bits_name_the_canonical_prefix() {
        let f = check_address_space(&list(&["10.17.159.200/26"]), "address_space");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].summary, "NET-CIDR: 10.17.159.200/26 has host bits set");
        assert!(
            f[0].detail.contains("write 10.17.159.192/26"),
            "{}",
            f[0].detail
        );
    }

    #[test]
    fn vnet_table() {
        assert_eq!(ids(&check_vnet_cidrs(&procedure_vnet())), vec![]);
        let outside = vnet_with_subnets(&[
            ("Subnet-1", "10.17.159.192/27"),
            ("GatewaySubnet", "10.17.160.0/27"),
        ]);
        assert_eq!(
            ids(&check_vnet_cidrs(&outside)),
            vec![pair("NET-CIDR", "subnet[1].address_prefix")]
        );
        let overlap = vnet_with_subnets(&[
            ("Subnet-1", "10.17.159.192/26"),
            ("GatewaySubnet", "10.17.159.224/27"),
        ]);
        assert_eq!(
            ids(&check_vnet_cidrs(&overlap)),
            vec![pair("NET-CIDR", "subnet[1].address_prefix")]
        );
        let invalid = vnet_with_subnets(&[("Subnet-1", "10.17.159.193/27")]);
        assert_eq!(
            ids(&check_vnet_cidrs(&invalid)),
            vec![pair("NET-CIDR", "subnet[0].address_prefix")]
        );
        let pool = VnetFacts {
            vpn_client_address_pool: list(&["10.17.159.0/24", "172.16.0.0/24", "x"]),
            ..procedure_vnet()
        };
        assert_eq!(
            ids(&check_vnet_cidrs(&pool)),
            vec![
                pair("NET-CIDR", "vpn_client_address_pool[2]"),
                pair("NET-CIDR", "vpn_client_address_pool[0]")
            ]
        );
    }

    #[test]
    fn unknown_address_space_skips_containment() {
        let vnet = VnetFacts {
            address_space: Fact::Known(vec![Fact::Unknown]),
            ..vnet_with_subnets(&[("GatewaySubnet", "192.168.0.0/27")])
        };
        assert_eq!(check_vnet_cidrs(&vnet), vec![]);
        assert_eq!(check_vnet_cidrs(&VnetFacts::default()), vec![]);
    }
}
