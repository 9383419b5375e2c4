//! CX-TRANSIT: a local network gateway's address space must not overlap the address space of the
//! VNet it connects to (error); Azure does not route between the Site-to-Site and ExpressRoute sides
//! of a coexisting VNet (advisory warning, never blocking).

use crate::rules::cidr;
use crate::rules::derived::known_net;
use crate::rules::enums::{ConnectionType, SiteConnectionType};
use crate::rules::finding::{AttrPath, Explanation, Finding, RuleId};
use crate::rules::model::{ConnectionFacts, Fact, LocalNetworkGatewayFacts, VnetFacts};

const PATH: &str = "local_network_gateway_id";

/// Overlaps between the local network's prefixes and the VNet's, each where both are known.
pub fn check_address_overlap(local: &LocalNetworkGatewayFacts, vnet: &VnetFacts) -> Vec<Finding> {
    let locals = local.address_space.known().into_iter().flatten();
    let vnets: Vec<_> = vnet
        .address_space
        .known()
        .into_iter()
        .flatten()
        .filter_map(|p| known_net(p).known().copied())
        .collect();
    let site = local.name.known().map_or("?", String::as_str);
    locals
        .filter_map(|p| known_net(p).known().copied())
        .filter_map(|l| {
            let v = vnets.iter().find(|v| cidr::overlaps(&l, v))?;
            Some(Finding::error(
                RuleId::Transit,
                AttrPath::of(PATH),
                &format!("the local network {l} overlaps the virtual network's address space {v}"),
                Explanation {
                    value: &format!("Local network gateway {site:?} has address space {l}; the VNet has {v}."),
                    why: "Traffic for the on-premises prefixes is sent through the VPN tunnel, so they \
                          cannot also be addresses inside the VNet.",
                    fix: "change the local network gateway's address_space (or the VNet's) so they do \
                          not overlap.",
                },
            ))
        })
        .collect()
}

/// The advisory for a Site-to-Site connection on an ExpressRoute VNet. When the site is also the
/// VNet's Dedicated (ExpressRoute) site, by name, the on-premises static route is what matters.
pub fn check_transit_advice(
    connection: &ConnectionFacts,
    local: &LocalNetworkGatewayFacts,
    vnet: &VnetFacts,
) -> Option<Finding> {
    if connection.connection_type == Fact::Known(ConnectionType::Vnet2Vnet)
        || !vnet.expressroute().is_true()
    {
        return None;
    }
    let site = local.name.known()?;
    let on_both = vnet.local_network_site_refs.known().is_some_and(|refs| {
        refs.iter().any(|r| {
            r.connection_type == Fact::Known(SiteConnectionType::Dedicated)
                && r.name.known() == Some(site)
        })
    });
    let finding = if on_both {
        Finding::warning(
            RuleId::Transit,
            AttrPath::of(PATH),
            &format!("site {site:?} is reached over both ExpressRoute and Site-to-Site VPN"),
            Explanation {
                value: &format!("{site:?} is this VNet's Dedicated site and the VPN connection's local network."),
                why: "A local network connected to both needs a static route on-premises that sends \
                      the Site-to-Site VPN connection to the public Internet; ExpressRoute stays the \
                      primary path.",
                fix: "configure that static route on the on-premises network (nothing to change here).",
            },
        )
    } else {
        Finding::warning(
            RuleId::Transit,
            AttrPath::of(PATH),
            "Azure does not route between Site-to-Site VPN sites and ExpressRoute sites",
            Explanation {
                value: &format!("{site:?} connects over Site-to-Site VPN to a VNet that also uses ExpressRoute."),
                why: "Transit routing is not supported: the VNet cannot route between the local \
                      network on the VPN and the networks reached over ExpressRoute.",
                fix: "route between those sites on-premises if they must reach each other (nothing \
                      to change here).",
            },
        )
    };
    Some(finding)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::*;

    fn local(name: &str, space: &[&str]) -> LocalNetworkGatewayFacts {
        LocalNetworkGatewayFacts {
            name: known(name),
            ip_address: known("23.39.1.2"),
            address_space: list(space),
        }
    }

    #[test]
    fn overlap_table() {
        let at = pair("CX-TRANSIT", PATH);
        let vnet = procedure_vnet();
        let cases = [
            (local("MyLocalNetwork", &["10.1.2.0/24"]), vec![]),
            (local("x", &["10.17.0.0/16"]), vec![at.clone()]),
            (local("x", &["10.1.2.0/24", "10.17.159.224/28"]), vec![at]),
            (local("x", &["10.17.0.0/33"]), vec![]),
            (
                LocalNetworkGatewayFacts {
                    address_space: Fact::Known(vec![Fact::Unknown]),
                    ..local("x", &[])
                },
                vec![],
            ),
        ];
        for (lng, want) in cases {
            assert_eq!(ids(&check_address_overlap(&lng, &vnet)), want, "{lng:?}");
        }
        let unknown_vnet = VnetFacts::default();
        assert_eq!(
            check_address_overlap(&local("x", &["10.17.0.0/16"]), &unknown_vnet),
            vec![]
        );
    }

    #[test]
    fn advice_table() {
        let ipsec = ConnectionFacts {
            connection_type: Fact::Known(ConnectionType::IPsec),
            ..Default::default()
        };
        let v2v = ConnectionFacts {
            connection_type: Fact::Known(ConnectionType::Vnet2Vnet),
            ..Default::default()
        };
        let same_site = local("MyLocalNetwork", &["10.1.2.0/24"]);
        let other_site = local("Branch", &["10.9.0.0/24"]);
        let er = procedure_vnet();
        let s2s = s2s_vnet();
        let f = check_transit_advice(&ipsec, &same_site, &er).expect("warning");
        assert!(!f.is_error());
        assert!(f.detail.contains("static route"), "{}", f.detail);
        let f = check_transit_advice(&ipsec, &other_site, &er).expect("warning");
        assert!(!f.is_error());
        assert!(f.summary.contains("does not route"), "{}", f.summary);
        assert_eq!(id(&Some(f)), Some(pair("CX-TRANSIT", PATH)));
        assert_eq!(check_transit_advice(&v2v, &other_site, &er), None);
        assert_eq!(check_transit_advice(&ipsec, &other_site, &s2s), None);
        assert_eq!(
            check_transit_advice(&ipsec, &other_site, &VnetFacts::default()),
            None
        );
        assert_eq!(
            check_transit_advice(&ipsec, &LocalNetworkGatewayFacts::default(), &er),
            None
        );
    }
}
