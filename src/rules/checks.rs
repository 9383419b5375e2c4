//! The entry points: one per resource, each running every rule that concerns it and returning
//! findings whose paths are relative to that resource's attributes. The provider calls them at
//! plan time with whatever is known; the emulator calls them (through [`crate::rules::check_topology`])
//! with everything known.

use crate::rules::finding::{AttrPath, Finding};
use crate::rules::model::{
    CircuitLinkContext, CircuitLinkFacts, ConnectionContext, ConnectionFacts,
    ExpressRouteGatewayFacts, Fact, GatewayContext, GatewayFacts, LocalNetworkGatewayFacts,
    VnetFacts, VpnGatewayFacts,
};
use crate::rules::{
    circuit, dedicated, forced_tunnel, gateway_subnet, names, network, order, p2s, routing, sku,
    transit,
};

/// `azureclassic_virtual_network`: NET-NAMES, NET-CIDR, CX-GWSUBNET(-WARN), CX-P2S, CX-DEDICATED.
pub fn check_virtual_network(vnet: &VnetFacts) -> Vec<Finding> {
    let mut findings = names::check_vnet_names(vnet);
    findings.extend(network::check_vnet_cidrs(vnet));
    findings.extend(gateway_subnet::check_vnet_gateway_subnet(vnet));
    findings.extend(p2s::check_point_to_site(vnet));
    findings.extend(dedicated::check_vnet_site_refs(vnet));
    findings
}

/// `azureclassic_virtual_network_gateway`, either type.
pub fn check_gateway(gateway: &GatewayFacts, context: &GatewayContext<'_>) -> Vec<Finding> {
    match gateway {
        GatewayFacts::ExpressRoute(er) => check_expressroute_gateway(er, context),
        GatewayFacts::Vpn(vpn) => check_vpn_gateway(vpn, context),
    }
}

fn check_expressroute_gateway(
    er: &ExpressRouteGatewayFacts,
    context: &GatewayContext<'_>,
) -> Vec<Finding> {
    // Coexisting once the VNet has a VPN gateway too.
    let coexisting = context.vpn_gateways.as_ref().map(|v| !v.is_empty());
    let mut findings: Vec<Finding> = [
        sku::check_expressroute_sku(er.sku, coexisting),
        routing::check_expressroute_routing(er.gateway_type),
    ]
    .into_iter()
    .flatten()
    .collect();
    if let Fact::Known(vnet) = context.vnet {
        findings.extend(gateway_subnet::check_gateway_subnet(vnet, coexisting));
        findings.extend(dedicated::check_requires_dedicated(
            vnet,
            "the ExpressRoute gateway",
        ));
    }
    findings
}

fn check_vpn_gateway(vpn: &VpnGatewayFacts, context: &GatewayContext<'_>) -> Vec<Finding> {
    // A VPN gateway on a VNet connected to ExpressRoute is the coexistence case.
    let expressroute = context
        .vnet
        .and_then(VnetFacts::expressroute)
        .or(context.expressroute_gateway.map(|g| g.is_some()));
    let mut findings: Vec<Finding> = [
        names::check_name(&vpn.name, AttrPath::of("name"), "VPN gateway"),
        sku::check_vpn_sku(vpn.sku, expressroute),
        routing::check_vpn_routing(vpn.gateway_type, expressroute),
        forced_tunnel::check_forced_tunnel(&vpn.default_site, expressroute),
    ]
    .into_iter()
    .flatten()
    .collect();
    if let Fact::Known(Some(er)) = context.expressroute_gateway {
        findings.extend(sku::check_sibling_expressroute_sku(er));
    }
    if let Fact::Known(vnet) = context.vnet {
        findings.extend(gateway_subnet::check_gateway_subnet(vnet, expressroute));
    }
    findings.extend(order::check_vpn_gateway_order(vpn, context, expressroute));
    findings
}

/// `azureclassic_dedicated_circuit_link`: NET-NAMES, CX-CIRCUIT, CX-ORDER, CX-DEDICATED.
pub fn check_circuit_link(
    link: &CircuitLinkFacts,
    context: &CircuitLinkContext<'_>,
) -> Vec<Finding> {
    let mut findings: Vec<Finding> = [
        names::check_guid(
            &link.service_key,
            AttrPath::of("service_key"),
            "service key",
        ),
        names::check_name(
            &link.virtual_network_name,
            AttrPath::of("virtual_network_name"),
            "virtual network",
        ),
        names::check_guid(
            &link.expressroute_gateway_id,
            AttrPath::of("expressroute_gateway_id"),
            "gateway id",
        ),
        order::check_link_order(context),
    ]
    .into_iter()
    .flatten()
    .collect();
    findings.extend(circuit::check_circuit(context.circuit, &link.service_key));
    if let Fact::Known(vnet) = context.vnet {
        findings.extend(dedicated::check_requires_dedicated(
            vnet,
            "the circuit link",
        ));
    }
    findings
}

/// `azureclassic_local_network_gateway`: NET-NAMES, NET-CIDR.
pub fn check_local_network_gateway(local: &LocalNetworkGatewayFacts) -> Vec<Finding> {
    let mut findings: Vec<Finding> = [
        names::check_name(&local.name, AttrPath::of("name"), "local network gateway"),
        names::check_ipv4(&local.ip_address, AttrPath::of("ip_address")),
    ]
    .into_iter()
    .flatten()
    .collect();
    findings.extend(network::check_address_space(
        &local.address_space,
        "address_space",
    ));
    findings
}

/// `azureclassic_gateway_connection`: NET-NAMES, CX-TRANSIT.
pub fn check_connection(
    connection: &ConnectionFacts,
    context: &ConnectionContext<'_>,
) -> Vec<Finding> {
    let mut findings: Vec<Finding> = [
        names::check_name(&connection.name, AttrPath::of("name"), "connection"),
        names::check_guid(
            &connection.virtual_network_gateway_id,
            AttrPath::of("virtual_network_gateway_id"),
            "gateway id",
        ),
        names::check_guid(
            &connection.local_network_gateway_id,
            AttrPath::of("local_network_gateway_id"),
            "local network gateway id",
        ),
        names::check_non_negative(&connection.routing_weight, AttrPath::of("routing_weight")),
    ]
    .into_iter()
    .flatten()
    .collect();
    if let (Fact::Known(vnet), Fact::Known(Some(local))) =
        (context.vnet, context.local_network_gateway)
    {
        findings.extend(transit::check_address_overlap(local, vnet));
        findings.extend(transit::check_transit_advice(connection, local, vnet));
    }
    findings
}

#[cfg(test)]
mod tests {
    //! The procedure's first path, resource by resource, as the provider sees it at plan time:
    //! planned objects have unknown state, earlier ones are known from configuration.

    use super::*;
    use crate::rules::enums::{GatewayType, ProvisioningState, Sku};
    use crate::rules::finding::has_errors;
    use crate::rules::testkit::*;

    fn expressroute_gateway() -> ExpressRouteGatewayFacts {
        procedure_expressroute_gateway(Fact::Unknown)
    }

    fn vpn_gateway() -> VpnGatewayFacts {
        procedure_vpn_gateway(Fact::Unknown)
    }

    fn link() -> CircuitLinkFacts {
        procedure_link(Fact::Unknown)
    }

    fn local() -> LocalNetworkGatewayFacts {
        procedure_local("MyLocalNetwork")
    }

    #[test]
    fn step_2_create_the_vnet_schema() {
        assert_eq!(check_virtual_network(&procedure_vnet()), vec![]);
    }

    #[test]
    fn step_4_create_the_expressroute_gateway() {
        let vnet = procedure_vnet();
        let context = GatewayContext {
            vnet: Fact::Known(&vnet),
            ..Default::default()
        };
        let er = GatewayFacts::ExpressRoute(expressroute_gateway());
        assert_eq!(check_gateway(&er, &context), vec![]);
        // On a plain S2S VNet the ExpressRoute gateway has no Dedicated reference.
        let s2s = s2s_vnet();
        let context = GatewayContext {
            vnet: Fact::Known(&s2s),
            ..Default::default()
        };
        assert_eq!(
            ids(&check_gateway(&er, &context)),
            vec![pair("CX-DEDICATED", "virtual_network_name")]
        );
    }

    #[test]
    fn step_5_link_the_expressroute_gateway_to_the_circuit() {
        let vnet = procedure_vnet();
        let er = expressroute_gateway();
        let context = CircuitLinkContext {
            vnet: Fact::Known(&vnet),
            expressroute_gateway: Fact::Known(Some(&er)),
            circuit: Fact::Unknown,
        };
        assert_eq!(check_circuit_link(&link(), &context), vec![]);
        let without_gateway = CircuitLinkContext {
            expressroute_gateway: Fact::Known(None),
            ..context
        };
        assert_eq!(
            ids(&check_circuit_link(&link(), &without_gateway)),
            vec![pair("CX-ORDER", "expressroute_gateway_id")]
        );
    }

    #[test]
    fn step_6_create_the_site_to_site_vpn_gateway() {
        let vnet = procedure_vnet();
        let er = expressroute_gateway();
        let planned_link = link();
        let context = GatewayContext {
            vnet: Fact::Known(&vnet),
            expressroute_gateway: Fact::Known(Some(&er)),
            vpn_gateways: Fact::Known(vec![]),
            circuit_link: Fact::Known(Some(&planned_link)),
        };
        let vpn = GatewayFacts::Vpn(vpn_gateway());
        assert_eq!(check_gateway(&vpn, &context), vec![]);

        // Everything the procedure forbids at once, each at its own attribute.
        let bad = GatewayFacts::Vpn(VpnGatewayFacts {
            sku: Fact::Known(Sku::Default),
            gateway_type: Fact::Known(GatewayType::StaticRouting),
            default_site: Fact::Known(Some("MyLocalNetwork".into())),
            expressroute_circuit_link_id: Fact::Known(None),
            ..vpn_gateway()
        });
        let small = vnet_with_gateway_subnet("10.17.0.0/28");
        let basic_er = ExpressRouteGatewayFacts {
            sku: Fact::Known(Sku::Default),
            ..expressroute_gateway()
        };
        let context = GatewayContext {
            vnet: Fact::Known(&small),
            expressroute_gateway: Fact::Known(Some(&basic_er)),
            ..context
        };
        assert_eq!(
            ids(&check_gateway(&bad, &context)),
            vec![
                pair("CX-SKU", "gateway_sku"),
                pair("CX-ROUTING", "gateway_type"),
                pair("CX-FORCED-TUNNEL", "default_site"),
                pair("CX-SKU", ""),
                pair("CX-GWSUBNET", "virtual_network_name"),
                pair("CX-ORDER", "expressroute_circuit_link_id"),
            ]
        );
    }

    #[test]
    fn step_7_create_the_local_network_gateway() {
        assert_eq!(check_local_network_gateway(&local()), vec![]);
        let bad = LocalNetworkGatewayFacts {
            name: known("My/Local"),
            ip_address: known("23.39.1"),
            address_space: list(&["10.1.2.1/24"]),
        };
        assert_eq!(
            ids(&check_local_network_gateway(&bad)),
            vec![
                pair("NET-NAMES", "name"),
                pair("NET-NAMES", "ip_address"),
                pair("NET-CIDR", "address_space[0]"),
            ]
        );
    }

    #[test]
    fn step_9_link_the_vpn_gateway_to_the_local_gateway() {
        let vnet = procedure_vnet();
        let site = local();
        let context = ConnectionContext {
            vnet: Fact::Known(&vnet),
            local_network_gateway: Fact::Known(Some(&site)),
        };
        // The procedure's site is on both paths: an advisory warning, never an error.
        let findings = check_connection(&procedure_connection(), &context);
        assert_eq!(
            ids(&findings),
            vec![pair("CX-TRANSIT", "local_network_gateway_id")]
        );
        assert!(!has_errors(&findings));

        let overlapping = LocalNetworkGatewayFacts {
            address_space: list(&["10.17.159.0/24"]),
            ..local()
        };
        let context = ConnectionContext {
            local_network_gateway: Fact::Known(Some(&overlapping)),
            ..context
        };
        let findings = check_connection(&procedure_connection(), &context);
        assert!(has_errors(&findings));
        assert_eq!(findings[0].rule.as_str(), "CX-TRANSIT");
    }

    #[test]
    fn unknown_everything_reports_nothing() {
        let context = GatewayContext::default();
        for gateway in [
            GatewayFacts::ExpressRoute(ExpressRouteGatewayFacts::default()),
            GatewayFacts::Vpn(VpnGatewayFacts::default()),
        ] {
            assert_eq!(check_gateway(&gateway, &context), vec![]);
        }
        assert_eq!(check_virtual_network(&VnetFacts::default()), vec![]);
        assert_eq!(
            check_circuit_link(&CircuitLinkFacts::default(), &CircuitLinkContext::default()),
            vec![]
        );
        assert_eq!(
            check_local_network_gateway(&LocalNetworkGatewayFacts::default()),
            vec![]
        );
        assert_eq!(
            check_connection(&ConnectionFacts::default(), &ConnectionContext::default()),
            vec![]
        );
    }

    #[test]
    fn circuit_gating_applies_to_the_link() {
        let circuit = crate::rules::model::CircuitFacts {
            service_key: known(SERVICE_KEY),
            status: Fact::Known(crate::rules::enums::CircuitStatus::Enabled),
            service_provider_provisioning_state: Fact::Known(ProvisioningState::Provisioning),
        };
        let context = CircuitLinkContext {
            circuit: Fact::Known(Some(&circuit)),
            ..Default::default()
        };
        assert_eq!(
            ids(&check_circuit_link(&link(), &context)),
            vec![pair("CX-CIRCUIT", "service_key")]
        );
    }
}
