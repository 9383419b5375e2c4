//! CX-SKU: no Basic (`Default`) SKU for either gateway of a coexisting VNet; `UltraPerformance` is
//! for ExpressRoute gateways only.

use crate::rules::enums::Sku;
use crate::rules::finding::{AttrPath, Explanation, Finding, RuleId};
use crate::rules::model::{ExpressRouteGatewayFacts, Fact};

const BASIC_SUMMARY: &str =
    "the Basic (Default) gateway SKU cannot be used where ExpressRoute and VPN coexist";
const BASIC_WHY: &str = "The procedure does not support a Basic SKU for either the ExpressRoute \
                         gateway or the VPN gateway of a VNet where both coexist.";

fn basic(path: AttrPath, value: &str, fix: &str) -> Finding {
    Finding::error(
        RuleId::Sku,
        path,
        BASIC_SUMMARY,
        Explanation {
            value,
            why: BASIC_WHY,
            fix,
        },
    )
}

/// The VPN gateway's own SKU.
pub fn check_vpn_sku(sku: Fact<Sku>, coexisting: Fact<bool>) -> Option<Finding> {
    let path = AttrPath::of("gateway_sku");
    match sku.known()? {
        Sku::UltraPerformance => Some(Finding::error(
            RuleId::Sku,
            path,
            "UltraPerformance is an ExpressRoute gateway SKU",
            Explanation {
                value: "gateway_sku is \"UltraPerformance\" on a Vpn gateway.",
                why: "The UltraPerformance SKU exists for ExpressRoute gateways only.",
                fix: "use \"Standard\" or \"HighPerformance\" for the VPN gateway.",
            },
        )),
        Sku::Default if coexisting.is_true() => Some(basic(
            path,
            "gateway_sku is \"Default\" (Basic) on the VPN gateway of an ExpressRoute VNet.",
            "use \"Standard\" or \"HighPerformance\".",
        )),
        _ => None,
    }
}

/// The ExpressRoute gateway's own SKU.
pub fn check_expressroute_sku(sku: Fact<Sku>, coexisting: Fact<bool>) -> Option<Finding> {
    (sku == Fact::Known(Sku::Default) && coexisting.is_true()).then(|| {
        basic(
            AttrPath::of("gateway_sku"),
            "gateway_sku is \"Default\" (Basic) on the ExpressRoute gateway of a VNet that also \
             has a VPN gateway.",
            "use \"Standard\", \"HighPerformance\" or \"UltraPerformance\" (resized in place).",
        )
    })
}

/// From the VPN gateway's side: the VNet's existing or planned ExpressRoute gateway is Basic, so
/// adding this VPN gateway would make a Basic gateway coexist. Reported on the resource as a whole.
pub fn check_sibling_expressroute_sku(er: &ExpressRouteGatewayFacts) -> Option<Finding> {
    (er.sku == Fact::Known(Sku::Default)).then(|| {
        basic(
            AttrPath::root(),
            "The ExpressRoute gateway of this VNet has gateway_sku \"Default\" (Basic).",
            "change the ExpressRoute gateway's gateway_sku to \"Standard\", \"HighPerformance\" \
             or \"UltraPerformance\" before adding the VPN gateway.",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::*;

    const YES: Fact<bool> = Fact::Known(true);
    const NO: Fact<bool> = Fact::Known(false);
    const MAYBE: Fact<bool> = Fact::Unknown;

    #[test]
    fn vpn_sku_table() {
        let at = Some(pair("CX-SKU", "gateway_sku"));
        let cases = [
            (Sku::Standard, YES, None),
            (Sku::HighPerformance, YES, None),
            (Sku::Default, YES, at.clone()),
            (Sku::Default, NO, None),
            (Sku::Default, MAYBE, None),
            (Sku::UltraPerformance, NO, at.clone()),
            (Sku::UltraPerformance, MAYBE, at.clone()),
        ];
        for (sku, coexisting, want) in cases {
            assert_eq!(
                id(&check_vpn_sku(Fact::Known(sku), coexisting)),
                want,
                "{sku} {coexisting:?}"
            );
        }
        assert_eq!(check_vpn_sku(Fact::Unknown, YES), None);
    }

    #[test]
    fn expressroute_sku_table() {
        let cases = [
            (Sku::Default, YES, Some(pair("CX-SKU", "gateway_sku"))),
            (Sku::Default, NO, None),
            (Sku::Default, MAYBE, None),
            (Sku::UltraPerformance, YES, None),
            (Sku::Standard, YES, None),
        ];
        for (sku, coexisting, want) in cases {
            assert_eq!(
                id(&check_expressroute_sku(Fact::Known(sku), coexisting)),
                want,
                "{sku}"
            );
        }
        assert_eq!(check_expressroute_sku(Fact::Unknown, YES), None);
    }

    #[test]
    fn basic_summary_matches_the_contract() {
        let f = check_expressroute_sku(Fact::Known(Sku::Default), YES).expect("error");
        assert_eq!(
            f.summary,
            "CX-SKU: the Basic (Default) gateway SKU cannot be used where ExpressRoute and VPN coexist"
        );
    }

    #[test]
    fn sibling_table() {
        let er = |sku| ExpressRouteGatewayFacts {
            sku,
            ..Default::default()
        };
        assert_eq!(
            id(&check_sibling_expressroute_sku(&er(Fact::Known(
                Sku::Default
            )))),
            Some(pair("CX-SKU", ""))
        );
        assert_eq!(
            check_sibling_expressroute_sku(&er(Fact::Known(Sku::Standard))),
            None
        );
        assert_eq!(check_sibling_expressroute_sku(&er(Fact::Unknown)), None);
    }
}
