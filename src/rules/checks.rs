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
