//! CX-GWSUBNET and CX-GWSUBNET-WARN: a gateway needs a subnet named exactly `GatewaySubnet`; for
//! ExpressRoute and VPN to coexist it must be /27 or a shorter prefix.

use crate::rules::cidr::{self, Ipv4Net};
use crate::rules::finding::{AttrPath, Explanation, Finding, RuleId};
use crate::rules::model::{Fact, VnetFacts};

/// The longest GatewaySubnet prefix on which ExpressRoute and a VPN gateway can coexist.
pub const COEXISTENCE_MAX_PREFIX: u8 = 27;
/// The longest GatewaySubnet prefix that holds any gateway.
pub const GATEWAY_MAX_PREFIX: u8 = 29;

const COEXIST_WHY: &str = "The procedure requires a gateway subnet of /27 or a shorter prefix \
                           (such as /26 or /25) for ExpressRoute and Site-to-Site VPN gateways to \
                           coexist.";
const COEXIST_FIX: &str =
    "use a GatewaySubnet of /27 or a shorter prefix such as /26; resizing an \
                           existing /28 requires deleting and recreating the gateways, which this \
                           provider plans for you.";

fn missing(path: AttrPath, summary: &str) -> Finding {
    Finding::error(
        RuleId::GatewaySubnet,
        path,
        summary,
        Explanation {
            value: "The virtual network has no subnet named exactly \"GatewaySubnet\".",
            why: "Classic gateways are deployed into the VNet's GatewaySubnet, inside its address \
                  space.",
            fix: "add a subnet block named \"GatewaySubnet\" with a /27 or shorter prefix inside \
                  the address space.",
        },
    )
}

/// An error if `net` is too small for a gateway, or (when `coexisting`) for two coexisting ones.
fn too_small(net: &Ipv4Net, coexisting: bool, path: AttrPath) -> Option<Finding> {
    let value = format!("The GatewaySubnet is {net}.");
    if !cidr::at_least_as_large_as(net, GATEWAY_MAX_PREFIX) {
        return Some(Finding::error(
            RuleId::GatewaySubnet,
            path,
            &format!("GatewaySubnet {net} is too small for a gateway"),
            Explanation {
                value: &value,
                why: "A classic gateway needs a GatewaySubnet of at least /29, and /27 or larger \
                      where ExpressRoute and VPN coexist.",
                fix: COEXIST_FIX,
            },
        ));
    }
    (coexisting && !cidr::at_least_as_large_as(net, COEXISTENCE_MAX_PREFIX)).then(|| {
        Finding::error(
            RuleId::GatewaySubnet,
            path,
            &format!(
                "GatewaySubnet {net} is too small for coexisting ExpressRoute and VPN gateways"
            ),
            Explanation {
                value: &value,
                why: COEXIST_WHY,
                fix: COEXIST_FIX,
            },
        )
    })
}

fn resize_later_warning(net: &Ipv4Net, path: AttrPath) -> Finding {
    Finding::warning(
        RuleId::GatewaySubnetWarn,
        path,
        &format!(
            "GatewaySubnet {net} leaves no room for a coexisting VPN gateway; adding one later \
             means deleting and recreating the gateways"
        ),
        Explanation {
            value: &format!("The GatewaySubnet of this ExpressRoute VNet is {net}."),
            why:
                "For an existing VNet with a /28 or /29 gateway subnet, the procedure deletes the \
                  gateway, enlarges the subnet and recreates the gateways, with downtime.",
            fix: "use a /27 or shorter GatewaySubnet now if a Site-to-Site VPN may be added later.",
        },
    )
}

/// VNet side: an ExpressRoute VNet needs a GatewaySubnet big enough for its gateway, and is warned
/// when it is too small to add a coexisting VPN later.
pub fn check_vnet_gateway_subnet(vnet: &VnetFacts) -> Option<Finding> {
    if !vnet.expressroute().is_true() {
        return None;
    }
    let gateway_subnet = *vnet.gateway_subnet().known()?;
    let Some(gs) = gateway_subnet else {
        return Some(missing(
            AttrPath::of("subnet"),
            "a virtual network connected to ExpressRoute needs a subnet named exactly \
             GatewaySubnet",
        ));
    };
    let net = *gs.prefix.known()?;
    let path = AttrPath::of("subnet")
        .index(gs.index)
        .attr("address_prefix");
    too_small(&net, false, path.clone()).or_else(|| {
        (!cidr::at_least_as_large_as(&net, COEXISTENCE_MAX_PREFIX))
            .then(|| resize_later_warning(&net, path))
    })
}

/// Gateway side: the gateway's VNet needs a GatewaySubnet, /27 or shorter when `coexisting`.
/// Reported at the gateway's `virtual_network_name`.
pub fn check_gateway_subnet(vnet: &VnetFacts, coexisting: Fact<bool>) -> Option<Finding> {
    let path = AttrPath::of("virtual_network_name");
    match *vnet.gateway_subnet().known()? {
        None => Some(missing(
            path,
            "the gateway's virtual network has no subnet named exactly GatewaySubnet",
        )),
        Some(gs) => too_small(gs.prefix.known()?, coexisting.is_true(), path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::finding::Severity;
    use crate::rules::testkit::*;

    #[test]
    fn vnet_side_table() {
        let cases = [
            (procedure_vnet(), None),
            (vnet_with_gateway_subnet("10.17.0.0/26"), None),
            (
                vnet_with_gateway_subnet("10.17.0.0/28"),
                Some(pair("CX-GWSUBNET-WARN", "subnet[1].address_prefix")),
            ),
            (
                vnet_with_gateway_subnet("10.17.0.0/29"),
                Some(pair("CX-GWSUBNET-WARN", "subnet[1].address_prefix")),
            ),
            (
                vnet_with_gateway_subnet("10.17.0.0/30"),
                Some(pair("CX-GWSUBNET", "subnet[1].address_prefix")),
            ),
            (
                vnet_with_subnets(&[("Subnet-1", "10.17.159.192/27")]),
                Some(pair("CX-GWSUBNET", "subnet")),
            ),
            // Not ExpressRoute: no gateway implied, nothing to say.
            (
                VnetFacts {
                    local_network_site_refs: Fact::Known(vec![]),
                    ..vnet_with_subnets(&[("Subnet-1", "10.17.159.192/27")])
                },
                None,
            ),
            // Unknowns never produce findings.
            (VnetFacts::default(), None),
            (
                VnetFacts {
                    subnets: Fact::Unknown,
                    ..procedure_vnet()
                },
                None,
            ),
            (
                vnet_with_refs(vec![site_ref_unknown_type("MyLocalNetwork")]),
                None,
            ),
            (
                VnetFacts {
                    subnets: Fact::Known(vec![crate::rules::model::SubnetFacts {
                        name: known("GatewaySubnet"),
                        address_prefix: Fact::Unknown,
                    }]),
                    ..procedure_vnet()
                },
                None,
            ),
        ];
        for (vnet, want) in cases {
            assert_eq!(id(&check_vnet_gateway_subnet(&vnet)), want, "{vnet:?}");
        }
    }

    #[test]
    fn warning_is_a_warning_and_explains_the_recreate() {
        let f =
            check_vnet_gateway_subnet(&vnet_with_gateway_subnet("10.17.0.0/28")).expect("warning");
        assert_eq!(f.severity, Severity::Warning);
        assert!(f.detail.contains("/27"), "{}", f.detail);
    }

    #[test]
    fn gateway_side_table() {
        let yes = Fact::Known(true);
        let no = Fact::Known(false);
        let at = Some(pair("CX-GWSUBNET", "virtual_network_name"));
        let cases = [
            (procedure_vnet(), yes, None),
            (vnet_with_gateway_subnet("10.17.0.0/25"), yes, None),
            (vnet_with_gateway_subnet("10.17.0.0/28"), yes, at.clone()),
            (vnet_with_gateway_subnet("10.17.0.0/28"), no, None),
            (
                vnet_with_gateway_subnet("10.17.0.0/28"),
                Fact::Unknown,
                None,
            ),
            (vnet_with_gateway_subnet("10.17.0.0/30"), no, at.clone()),
            (
                vnet_with_subnets(&[("Subnet-1", "10.17.159.192/27")]),
                no,
                at.clone(),
            ),
            (VnetFacts::default(), yes, None),
        ];
        for (vnet, coexisting, want) in cases {
            assert_eq!(
                id(&check_gateway_subnet(&vnet, coexisting)),
                want,
                "{vnet:?} {coexisting:?}"
            );
        }
    }

    #[test]
    fn coexistence_message_gives_value_why_and_fix() {
        let f = check_gateway_subnet(&vnet_with_gateway_subnet("10.17.0.0/28"), Fact::Known(true))
            .expect("error");
        assert_eq!(
            f.summary,
            "CX-GWSUBNET: GatewaySubnet 10.17.0.0/28 is too small for coexisting ExpressRoute and \
             VPN gateways"
        );
        assert!(
            f.detail.starts_with("The GatewaySubnet is 10.17.0.0/28."),
            "{}",
            f.detail
        );
        assert!(f
            .detail
            .contains("Fix: use a GatewaySubnet of /27 or a shorter prefix such as /26"));
    }
}
