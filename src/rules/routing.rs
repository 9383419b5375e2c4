//! CX-ROUTING: the VPN gateway of a coexisting VNet must be route-based (`DynamicRouting`); the
//! procedure creates the ExpressRoute gateway as `DynamicRouting` too.

use crate::rules::enums::GatewayType;
use crate::rules::finding::{AttrPath, Explanation, Finding, RuleId};
use crate::rules::model::Fact;

fn static_routing(why: &str) -> Finding {
    Finding::error(
        RuleId::Routing,
        AttrPath::of("gateway_type"),
        "the gateway must be route-based (DynamicRouting) where ExpressRoute and VPN coexist",
        Explanation {
            value: "gateway_type is \"StaticRouting\" (policy-based).",
            why,
            fix: "set gateway_type = \"DynamicRouting\" (this replaces the gateway).",
        },
    )
}

pub fn check_vpn_routing(
    gateway_type: Fact<GatewayType>,
    coexisting: Fact<bool>,
) -> Option<Finding> {
    (gateway_type == Fact::Known(GatewayType::StaticRouting) && coexisting.is_true()).then(|| {
        static_routing(
            "Only a route-based VPN gateway can coexist with ExpressRoute; policy-based gateways \
             are not supported.",
        )
    })
}

pub fn check_expressroute_routing(gateway_type: Fact<GatewayType>) -> Option<Finding> {
    (gateway_type == Fact::Known(GatewayType::StaticRouting)).then(|| {
        static_routing(
            "The procedure creates the ExpressRoute gateway with GatewayType DynamicRouting.",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::*;

    #[test]
    fn vpn_routing_table() {
        use GatewayType::{DynamicRouting, StaticRouting};
        let at = Some(pair("CX-ROUTING", "gateway_type"));
        let cases = [
            (Fact::Known(StaticRouting), Fact::Known(true), at),
            (Fact::Known(StaticRouting), Fact::Known(false), None),
            (Fact::Known(StaticRouting), Fact::Unknown, None),
            (Fact::Known(DynamicRouting), Fact::Known(true), None),
            (Fact::Unknown, Fact::Known(true), None),
        ];
        for (gateway_type, coexisting, want) in cases {
            assert_eq!(
                id(&check_vpn_routing(gateway_type, coexisting)),
                want,
                "{gateway_type:?}"
            );
        }
    }

    #[test]
    fn expressroute_routing_table() {
        assert_eq!(
            id(&check_expressroute_routing(Fact::Known(
                GatewayType::StaticRouting
            ))),
            Some(pair("CX-ROUTING", "gateway_type"))
        );
        assert_eq!(
            check_expressroute_routing(Fact::Known(GatewayType::DynamicRouting)),
            None
        );
        assert_eq!(check_expressroute_routing(Fact::Unknown), None);
    }
}
