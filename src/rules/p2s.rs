//! CX-P2S: no point-to-site VPN on a VNet connected to ExpressRoute.

use crate::rules::finding::{AttrPath, Explanation, Finding, RuleId};
use crate::rules::model::VnetFacts;

pub fn check_point_to_site(vnet: &VnetFacts) -> Option<Finding> {
    let pool = vnet.vpn_client_address_pool.known()?;
    let first = pool.first()?;
    if !vnet.expressroute().is_true() {
        return None;
    }
    let value = match first.known() {
        Some(prefix) => format!(
            "vpn_client_address_pool is set ({prefix}) on a VNet with a Dedicated site reference."
        ),
        None => {
            "vpn_client_address_pool is set on a VNet with a Dedicated site reference.".to_owned()
        }
    };
    Some(Finding::error(
        RuleId::PointToSite,
        AttrPath::of("vpn_client_address_pool").index(0),
        "point-to-site VPN cannot be enabled on a virtual network connected to ExpressRoute",
        Explanation {
            value: &value,
            why: "Point-to-site VPN and ExpressRoute cannot coexist on the same VNet.",
            fix:
                "remove vpn_client_address_pool, or use a separate VNet for point-to-site clients.",
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::model::{Fact, VnetFacts};
    use crate::rules::testkit::*;

    #[test]
    fn point_to_site_table() {
        let with_pool = |vnet: VnetFacts, pool| VnetFacts {
            vpn_client_address_pool: pool,
            ..vnet
        };
        let at = Some(pair("CX-P2S", "vpn_client_address_pool[0]"));
        let cases = [
            (procedure_vnet(), None),
            (
                with_pool(procedure_vnet(), list(&["172.16.0.0/24"])),
                at.clone(),
            ),
            // A pool whose value is unknown is still a pool.
            (
                with_pool(procedure_vnet(), Fact::Known(vec![Fact::Unknown])),
                at,
            ),
            (with_pool(s2s_vnet(), list(&["172.16.0.0/24"])), None),
            (with_pool(procedure_vnet(), Fact::Unknown), None),
            (
                with_pool(
                    vnet_with_refs(vec![site_ref_unknown_type("MyLocalNetwork")]),
                    list(&["172.16.0.0/24"]),
                ),
                None,
            ),
        ];
        for (vnet, want) in cases {
            assert_eq!(id(&check_point_to_site(&vnet)), want, "{vnet:?}");
        }
    }
}
