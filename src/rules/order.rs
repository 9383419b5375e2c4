//! CX-ORDER: the procedure's order: ExpressRoute gateway, then its circuit link, then the VPN
//! gateway. The provider expresses it with references (`expressroute_gateway_id` on the link,
//! `expressroute_circuit_link_id` on the VPN gateway) so Terraform creates them in that order; the
//! service side checks that each predecessor exists and is provisioned.

use crate::rules::enums::ProvisioningState;
use crate::rules::finding::{AttrPath, Explanation, Finding, RuleId};
use crate::rules::model::{CircuitLinkContext, Fact, GatewayContext, VpnGatewayFacts};

const VPN_WHY: &str = "The procedure creates the ExpressRoute gateway, links it to the circuit, \
                       and only then creates the Site-to-Site VPN gateway.";
const LINK_WHY: &str =
    "A circuit link connects the VNet's ExpressRoute gateway to the circuit, so \
                        the gateway must be provisioned first.";

fn out_of_order(path: &'static str, summary: &str, value: &str, why: &str, fix: &str) -> Finding {
    Finding::error(
        RuleId::Order,
        AttrPath::of(path),
        summary,
        Explanation { value, why, fix },
    )
}

/// Why a predecessor is not ready: missing, or known to be in a state other than Provisioned.
fn not_ready<T>(
    predecessor: Fact<Option<&T>>,
    state: impl Fn(&T) -> Fact<ProvisioningState>,
    what: &str,
) -> Option<String> {
    match predecessor.known()? {
        None => Some(format!("The VNet has no {what} yet.")),
        Some(p) => match state(p) {
            Fact::Known(s) if s != ProvisioningState::Provisioned => {
                Some(format!("The VNet's {what} is {s}, not Provisioned."))
            }
            _ => None,
        },
    }
}

/// A VPN gateway on an ExpressRoute VNet (`expressroute` known true).
pub fn check_vpn_gateway_order(
    gateway: &VpnGatewayFacts,
    context: &GatewayContext<'_>,
    expressroute: Fact<bool>,
) -> Vec<Finding> {
    if !expressroute.is_true() {
        return Vec::new();
    }
    const PATH: &str = "expressroute_circuit_link_id";
    const SUMMARY: &str =
        "the VPN gateway must come after the ExpressRoute gateway and its circuit link";
    let mut findings = Vec::new();
    if gateway.expressroute_circuit_link_id == Fact::Known(None) {
        findings.push(out_of_order(
            PATH,
            SUMMARY,
            "expressroute_circuit_link_id is not set on a VPN gateway of an ExpressRoute VNet.",
            VPN_WHY,
            "set expressroute_circuit_link_id = azureclassic_dedicated_circuit_link.<name>.id so \
             Terraform creates the link first.",
        ));
    }
    let missing = not_ready(
        context.expressroute_gateway,
        |g| g.state,
        "ExpressRoute gateway",
    )
    .or_else(|| not_ready(context.circuit_link, |l| l.state, "circuit link"));
    if let Some(value) = missing {
        findings.push(out_of_order(
            PATH,
            SUMMARY,
            &value,
            VPN_WHY,
            "create the ExpressRoute gateway and its circuit link first and wait until both are \
             Provisioned.",
        ));
    }
    findings
}

/// A circuit link: after the VNet's ExpressRoute gateway.
pub fn check_link_order(context: &CircuitLinkContext<'_>) -> Option<Finding> {
    let value = not_ready(
        context.expressroute_gateway,
        |g| g.state,
        "ExpressRoute gateway",
    )?;
    Some(out_of_order(
        "expressroute_gateway_id",
        "the circuit link must come after the VNet's ExpressRoute gateway",
        &value,
        LINK_WHY,
        "create the ExpressRoute gateway first (reference it in expressroute_gateway_id) and wait \
         until it is Provisioned.",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::model::{CircuitLinkFacts, ExpressRouteGatewayFacts};
    use crate::rules::testkit::*;

    fn er(state: Fact<ProvisioningState>) -> ExpressRouteGatewayFacts {
        ExpressRouteGatewayFacts {
            state,
            ..Default::default()
        }
    }

    fn link(state: Fact<ProvisioningState>) -> CircuitLinkFacts {
        CircuitLinkFacts {
            state,
            ..Default::default()
        }
    }

    fn ctx<'a>(
        expressroute_gateway: Fact<Option<&'a ExpressRouteGatewayFacts>>,
        circuit_link: Fact<Option<&'a CircuitLinkFacts>>,
    ) -> GatewayContext<'a> {
        GatewayContext {
            expressroute_gateway,
            circuit_link,
            ..Default::default()
        }
    }

    #[test]
    fn vpn_gateway_order_table() {
        use ProvisioningState::{Provisioned, Provisioning};
        let linked = VpnGatewayFacts {
            expressroute_circuit_link_id: Fact::Known(Some("key/MyAzureVNET".into())),
            ..Default::default()
        };
        let unlinked = VpnGatewayFacts {
            expressroute_circuit_link_id: Fact::Known(None),
            ..Default::default()
        };
        let er_ok = er(Fact::Known(Provisioned));
        let er_busy = er(Fact::Known(Provisioning));
        let er_planned = er(Fact::Unknown);
        let link_ok = link(Fact::Known(Provisioned));
        let er_ok = &er_ok;
        let er_busy = &er_busy;
        let er_planned = &er_planned;
        let link_ok = &link_ok;
        let at = pair("CX-ORDER", "expressroute_circuit_link_id");
        let yes = Fact::Known(true);
        let cases = [
            (
                &linked,
                ctx(Fact::Known(Some(er_ok)), Fact::Known(Some(link_ok))),
                yes,
                vec![],
            ),
            (
                &linked,
                ctx(Fact::Known(Some(er_planned)), Fact::Unknown),
                yes,
                vec![],
            ),
            (&linked, ctx(Fact::Unknown, Fact::Unknown), yes, vec![]),
            (
                &unlinked,
                ctx(Fact::Unknown, Fact::Unknown),
                yes,
                vec![at.clone()],
            ),
            (
                &unlinked,
                ctx(Fact::Unknown, Fact::Unknown),
                Fact::Known(false),
                vec![],
            ),
            (
                &unlinked,
                ctx(Fact::Unknown, Fact::Unknown),
                Fact::Unknown,
                vec![],
            ),
            (
                &linked,
                ctx(Fact::Known(None), Fact::Known(None)),
                yes,
                vec![at.clone()],
            ),
            (
                &linked,
                ctx(Fact::Known(Some(er_busy)), Fact::Unknown),
                yes,
                vec![at.clone()],
            ),
            (
                &linked,
                ctx(Fact::Known(Some(er_ok)), Fact::Known(None)),
                yes,
                vec![at.clone()],
            ),
            (
                &unlinked,
                ctx(Fact::Known(None), Fact::Unknown),
                yes,
                vec![at.clone(), at],
            ),
        ];
        for (gateway, context, expressroute, want) in cases {
            assert_eq!(
                ids(&check_vpn_gateway_order(gateway, &context, expressroute)),
                want,
                "{gateway:?} {context:?}"
            );
        }
    }

    #[test]
    fn missing_link_is_named_in_the_message() {
        let er_ok = er(Fact::Known(ProvisioningState::Provisioned));
        let context = GatewayContext {
            expressroute_gateway: Fact::Known(Some(&er_ok)),
            circuit_link: Fact::Known(None),
            ..Default::default()
        };
        let f = check_vpn_gateway_order(&VpnGatewayFacts::default(), &context, Fact::Known(true));
        assert_eq!(f.len(), 1);
        assert!(
            f[0].detail.starts_with("The VNet has no circuit link yet."),
            "{}",
            f[0].detail
        );
    }

    #[test]
    fn link_order_table() {
        use ProvisioningState::{Deprovisioning, Provisioned};
        let ok = er(Fact::Known(Provisioned));
        let leaving = er(Fact::Known(Deprovisioning));
        let planned = er(Fact::Unknown);
        let at = Some(pair("CX-ORDER", "expressroute_gateway_id"));
        let cases = [
            (Fact::Known(Some(&ok)), None),
            (Fact::Known(Some(&planned)), None),
            (Fact::Unknown, None),
            (Fact::Known(None), at.clone()),
            (Fact::Known(Some(&leaving)), at),
        ];
        for (gateway, want) in cases {
            let context = CircuitLinkContext {
                expressroute_gateway: gateway,
                ..Default::default()
            };
            assert_eq!(id(&check_link_order(&context)), want, "{gateway:?}");
        }
    }
}
