//! Facts derived from a VNet's configuration that several rules share: whether it is connected to
//! ExpressRoute, its GatewaySubnet, its parsed address space.

use crate::rules::cidr::{self, Ipv4Net};
use crate::rules::enums::SiteConnectionType;
use crate::rules::model::{Fact, FactList, VnetFacts};

/// The exact subnet name the service requires for gateways.
pub const GATEWAY_SUBNET: &str = "GatewaySubnet";

/// The VNet's GatewaySubnet: its position in `subnet` and its prefix (unknown if not known or not
/// valid: NET-CIDR reports invalid ones).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GatewaySubnet {
    pub index: usize,
    pub prefix: Fact<Ipv4Net>,
}

/// Parses a known, valid prefix; anything else is unknown to the rules that use it.
pub fn known_net(value: &Fact<String>) -> Fact<Ipv4Net> {
    match value.known().map(|s| cidr::parse_strict(s)) {
        Some(Ok(net)) => Fact::Known(net),
        _ => Fact::Unknown,
    }
}

/// All prefixes of a list, known only when every element is known and valid.
pub fn known_nets(list: &FactList) -> Fact<Vec<Ipv4Net>> {
    list.as_ref().and_then(|items| {
        items
            .iter()
            .map(|item| known_net(item).known().copied())
            .collect::<Option<Vec<_>>>()
            .map_or(Fact::Unknown, Fact::Known)
    })
}

impl VnetFacts {
    /// The VNet is connected to ExpressRoute: it has a `Dedicated` site reference.
    pub fn expressroute(&self) -> Fact<bool> {
        self.local_network_site_refs.as_ref().and_then(|refs| {
            let types = refs.iter().map(|r| r.connection_type);
            if types
                .clone()
                .any(|t| t == Fact::Known(SiteConnectionType::Dedicated))
            {
                Fact::Known(true)
            } else if types.into_iter().all(|t| t != Fact::Unknown) {
                Fact::Known(false)
            } else {
                Fact::Unknown
            }
        })
    }

    /// The subnet named exactly `GatewaySubnet`; `Known(None)` when every subnet name is known and
    /// none is. A name that is `GatewaySubnet` in another case counts as unknown: NET-NAMES reports
    /// it, and guessing here would add a misleading "missing" error.
    pub fn gateway_subnet(&self) -> Fact<Option<GatewaySubnet>> {
        self.subnets.as_ref().and_then(|subnets| {
            if let Some(index) = subnets
                .iter()
                .position(|s| s.name.is_known_and(|n| n == GATEWAY_SUBNET))
            {
                let prefix = known_net(&subnets[index].address_prefix);
                return Fact::Known(Some(GatewaySubnet { index, prefix }));
            }
            let undecided = subnets.iter().any(|s| match s.name.known() {
                None => true,
                Some(n) => n.eq_ignore_ascii_case(GATEWAY_SUBNET),
            });
            if undecided {
                Fact::Unknown
            } else {
                Fact::Known(None)
            }
        })
    }

    /// The GatewaySubnet's prefix as planned: what a gateway would be built on.
    pub fn gateway_subnet_prefix(&self) -> Fact<Option<Ipv4Net>> {
        self.gateway_subnet().and_then(|gs| match gs {
            None => Fact::Known(None),
            Some(gs) => gs.prefix.map(Some),
        })
    }

    pub fn address_nets(&self) -> Fact<Vec<Ipv4Net>> {
        known_nets(&self.address_space)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::*;

    #[test]
    fn expressroute_table() {
        use SiteConnectionType::{Dedicated, IPsec};
        let unknown_type = vnet_with_refs(vec![site_ref_unknown_type("x")]);
        let cases = [
            (
                vnet_with_refs(vec![site_ref("a", Dedicated)]),
                Fact::Known(true),
            ),
            (
                vnet_with_refs(vec![site_ref("a", IPsec)]),
                Fact::Known(false),
            ),
            (vnet_with_refs(vec![]), Fact::Known(false)),
            (unknown_type.clone(), Fact::Unknown),
            (
                vnet_with_refs(vec![site_ref_unknown_type("x"), site_ref("a", Dedicated)]),
                Fact::Known(true),
            ),
            (VnetFacts::default(), Fact::Unknown),
        ];
        for (vnet, want) in cases {
            assert_eq!(vnet.expressroute(), want, "{vnet:?}");
        }
    }

    #[test]
    fn gateway_subnet_table() {
        let procedure = procedure_vnet();
        assert_eq!(
            procedure.gateway_subnet(),
            Fact::Known(Some(GatewaySubnet {
                index: 1,
                prefix: Fact::Known(net("10.17.159.224/27")),
            }))
        );
        let none = vnet_with_subnets(&[("Subnet-1", "10.17.159.192/27")]);
        assert_eq!(none.gateway_subnet(), Fact::Known(None));
        let miscased = vnet_with_subnets(&[("gatewaysubnet", "10.17.159.224/27")]);
        assert_eq!(miscased.gateway_subnet(), Fact::Unknown);
        let invalid = vnet_with_subnets(&[("GatewaySubnet", "10.17.159.225/27")]);
        assert_eq!(invalid.gateway_subnet_prefix(), Fact::Unknown);
        assert_eq!(VnetFacts::default().gateway_subnet(), Fact::Unknown);
    }

    #[test]
    fn known_nets_needs_every_element() {
        assert_eq!(
            known_nets(&list(&["10.0.0.0/16", "10.1.0.0/16"])),
            Fact::Known(vec![net("10.0.0.0/16"), net("10.1.0.0/16")])
        );
        let mut partial = list(&["10.0.0.0/16"]);
        if let Fact::Known(items) = &mut partial {
            items.push(Fact::Unknown);
        }
        assert_eq!(known_nets(&partial), Fact::Unknown);
        assert_eq!(known_nets(&list(&["10.0.0.1/16"])), Fact::Unknown);
    }
}
