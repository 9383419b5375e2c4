//! CX-DEDICATED: the VNet's ExpressRoute site reference has connection type `Dedicated`; the
//! Site-to-Site sites of a coexisting VNet are local network gateways, not netcfg site references.

use crate::rules::enums::SiteConnectionType;
use crate::rules::finding::{AttrPath, Explanation, Finding, RuleId};
use crate::rules::model::{Fact, VnetFacts};

/// VNet side: on a VNet with a `Dedicated` reference, each `IPsec` reference is an error.
pub fn check_vnet_site_refs(vnet: &VnetFacts) -> Vec<Finding> {
    let Fact::Known(refs) = &vnet.local_network_site_refs else {
        return Vec::new();
    };
    if !vnet.expressroute().is_true() {
        return Vec::new();
    }
    refs.iter()
        .enumerate()
        .filter(|(_, r)| r.connection_type == Fact::Known(SiteConnectionType::IPsec))
        .map(|(i, r)| {
            let name = r.name.known().map_or("?", String::as_str);
            Finding::error(
                RuleId::Dedicated,
                AttrPath::of("local_network_site_ref").index(i).attr("connection_type"),
                "a virtual network connected to ExpressRoute cannot also list IPsec site references",
                Explanation {
                    value: &format!("local_network_site_ref {name:?} has connection_type \"IPsec\"."),
                    why: "For coexisting connections the VNet's site reference is Dedicated (a former \
                          Site-to-Site reference is changed to Dedicated), and Site-to-Site sites \
                          are defined as local network gateways, not in the network configuration.",
                    fix: "set connection_type = \"Dedicated\" for the ExpressRoute site and define \
                          Site-to-Site sites with azureclassic_local_network_gateway and \
                          azureclassic_gateway_connection.",
                },
            )
        })
        .collect()
}

/// ExpressRoute gateway and circuit link side: the VNet must have a `Dedicated` reference. Reported
/// at the resource's `virtual_network_name`.
pub fn check_requires_dedicated(vnet: &VnetFacts, what: &str) -> Option<Finding> {
    (vnet.expressroute() == Fact::Known(false)).then(|| {
        let name = vnet.name.known().map_or("?", String::as_str);
        Finding::error(
            RuleId::Dedicated,
            AttrPath::of("virtual_network_name"),
            &format!("{what} needs a virtual network with a Dedicated site reference"),
            Explanation {
                value: &format!("Virtual network {name:?} has no local_network_site_ref with connection_type \"Dedicated\"."),
                why: "The procedure sets the gateway connection type of an ExpressRoute VNet to \
                      Dedicated; the circuit link requires it.",
                fix: "add a local_network_site_ref with connection_type = \"Dedicated\" to the \
                      virtual network (or change the existing one).",
            },
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::*;
    use SiteConnectionType::{Dedicated, IPsec};

    #[test]
    fn vnet_site_refs_table() {
        let cases = [
            (procedure_vnet(), vec![]),
            (s2s_vnet(), vec![]),
            (
                vnet_with_refs(vec![site_ref("er", Dedicated), site_ref("s2s", IPsec)]),
                vec![pair(
                    "CX-DEDICATED",
                    "local_network_site_ref[1].connection_type",
                )],
            ),
            (
                vnet_with_refs(vec![site_ref_unknown_type("er"), site_ref("s2s", IPsec)]),
                vec![],
            ),
            (VnetFacts::default(), vec![]),
        ];
        for (vnet, want) in cases {
            assert_eq!(ids(&check_vnet_site_refs(&vnet)), want, "{vnet:?}");
        }
    }

    #[test]
    fn requires_dedicated_table() {
        let at = Some(pair("CX-DEDICATED", "virtual_network_name"));
        let cases = [
            (procedure_vnet(), None),
            (s2s_vnet(), at.clone()),
            (vnet_with_refs(vec![]), at),
            (vnet_with_refs(vec![site_ref_unknown_type("x")]), None),
            (VnetFacts::default(), None),
        ];
        for (vnet, want) in cases {
            assert_eq!(
                id(&check_requires_dedicated(&vnet, "the ExpressRoute gateway")),
                want,
                "{vnet:?}"
            );
        }
    }
}
