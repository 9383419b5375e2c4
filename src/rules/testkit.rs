//! Test builders: the procedure's own example VNet, and small variations of it.

use crate::rules::cidr::{self, Ipv4Net};
use crate::rules::enums::{
    ConnectionType, GatewayType, ProvisioningState, SiteConnectionType, Sku,
};
use crate::rules::finding::Finding;
use crate::rules::model::{
    CircuitLinkFacts, ConnectionFacts, ExpressRouteGatewayFacts, Fact, FactList,
    LocalNetworkGatewayFacts, SiteRefFacts, SubnetFacts, VnetFacts, VpnGatewayFacts,
};

/// Ids as the procedure's sample output shows them.
pub const ER_GATEWAY_ID: &str = "42fd1c5e-e132-4626-b394-2c31f7f3a7f5";
pub const VPN_GATEWAY_ID: &str = "348ae011-ffa9-4add-b530-7cb30010565e";
pub const LOCAL_ID: &str = "532cb428-8c8c-4596-9a4f-7ae3a9fcd01b";
pub const SERVICE_KEY: &str = "aec3ca48-6940-41bb-95f0-929627ea42f6";

pub fn net(s: &str) -> Ipv4Net {
    cidr::parse_strict(s).expect(s)
}

pub fn known(s: &str) -> Fact<String> {
    Fact::Known(s.to_owned())
}

pub fn list(items: &[&str]) -> FactList {
    Fact::Known(items.iter().map(|s| known(s)).collect())
}

pub fn site_ref(name: &str, connection_type: SiteConnectionType) -> SiteRefFacts {
    SiteRefFacts {
        name: known(name),
        connection_type: Fact::Known(connection_type),
    }
}

pub fn site_ref_unknown_type(name: &str) -> SiteRefFacts {
    SiteRefFacts {
        name: known(name),
        connection_type: Fact::Unknown,
    }
}

pub fn subnet(name: &str, prefix: &str) -> SubnetFacts {
    SubnetFacts {
        name: known(name),
        address_prefix: known(prefix),
    }
}

/// The VirtualNetworkSite of the procedure's step 2, fully known.
pub fn procedure_vnet() -> VnetFacts {
    VnetFacts {
        name: known("MyAzureVNET"),
        location: known("Central US"),
        address_space: list(&["10.17.159.192/26"]),
        subnets: Fact::Known(vec![
            subnet("Subnet-1", "10.17.159.192/27"),
            subnet("GatewaySubnet", "10.17.159.224/27"),
        ]),
        local_network_site_refs: Fact::Known(vec![site_ref(
            "MyLocalNetwork",
            SiteConnectionType::Dedicated,
        )]),
        vpn_client_address_pool: list(&[]),
    }
}

/// Step 4's ExpressRoute gateway.
pub fn procedure_expressroute_gateway(state: Fact<ProvisioningState>) -> ExpressRouteGatewayFacts {
    ExpressRouteGatewayFacts {
        sku: Fact::Known(Sku::HighPerformance),
        gateway_type: Fact::Known(GatewayType::DynamicRouting),
        state,
    }
}

/// Step 5's circuit link (its gateway reference is the provider's; unknown here).
pub fn procedure_link(state: Fact<ProvisioningState>) -> CircuitLinkFacts {
    CircuitLinkFacts {
        service_key: known(SERVICE_KEY),
        virtual_network_name: known("MyAzureVNET"),
        expressroute_gateway_id: Fact::Unknown,
        state,
    }
}

/// Step 6's Site-to-Site VPN gateway (its link reference is the provider's; unknown here).
pub fn procedure_vpn_gateway(state: Fact<ProvisioningState>) -> VpnGatewayFacts {
    VpnGatewayFacts {
        name: known("S2SVPN"),
        sku: Fact::Known(Sku::HighPerformance),
        gateway_type: Fact::Known(GatewayType::DynamicRouting),
        default_site: Fact::Known(None),
        expressroute_circuit_link_id: Fact::Unknown,
        state,
    }
}

/// Step 7's local network gateway, named `name`.
pub fn procedure_local(name: &str) -> LocalNetworkGatewayFacts {
    LocalNetworkGatewayFacts {
        name: known(name),
        ip_address: known("23.39.1.2"),
        address_space: list(&["10.1.2.0/24"]),
    }
}

/// Step 9's connection.
pub fn procedure_connection() -> ConnectionFacts {
    ConnectionFacts {
        name: known("Azure2Local"),
        connection_type: Fact::Known(ConnectionType::IPsec),
        virtual_network_gateway_id: known(VPN_GATEWAY_ID),
        local_network_gateway_id: known(LOCAL_ID),
        routing_weight: Fact::Known(Some(3)),
    }
}

pub fn vnet_with_subnets(subnets: &[(&str, &str)]) -> VnetFacts {
    VnetFacts {
        subnets: Fact::Known(subnets.iter().map(|(n, p)| subnet(n, p)).collect()),
        ..procedure_vnet()
    }
}

pub fn vnet_with_refs(refs: Vec<SiteRefFacts>) -> VnetFacts {
    VnetFacts {
        local_network_site_refs: Fact::Known(refs),
        ..procedure_vnet()
    }
}

/// The procedure's VNet with a GatewaySubnet of another prefix (address space widened to hold it).
pub fn vnet_with_gateway_subnet(prefix: &str) -> VnetFacts {
    VnetFacts {
        address_space: list(&["10.17.0.0/16"]),
        ..vnet_with_subnets(&[("Subnet-1", "10.17.1.0/24"), ("GatewaySubnet", prefix)])
    }
}

/// The procedure's VNet, but for a plain Site-to-Site VNet (IPsec reference only).
pub fn s2s_vnet() -> VnetFacts {
    vnet_with_refs(vec![site_ref("MyLocalNetwork", SiteConnectionType::IPsec)])
}

/// `(rule id, path)` of a finding, for compact assertions.
pub type Id = (&'static str, String);

/// The [`Id`] of each finding.
pub fn ids(findings: &[Finding]) -> Vec<Id> {
    findings
        .iter()
        .map(|f| (f.rule.as_str(), f.path.to_string()))
        .collect()
}

/// Same as [`ids`] for an optional finding.
pub fn id(finding: &Option<Finding>) -> Option<Id> {
    finding
        .as_ref()
        .map(|f| (f.rule.as_str(), f.path.to_string()))
}

pub fn pair(rule: &'static str, path: &str) -> Id {
    (rule, path.to_owned())
}
