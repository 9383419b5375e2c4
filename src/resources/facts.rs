//! Resource models (and the service's answers) as the rules' facts, and how plan and apply report
//! what the rules find.

use std::str::FromStr;

use super::dedicated_circuit_link::DedicatedCircuitLinkModel;
use super::findings::{diagnostics, fact, fact_list, known_list};
use super::virtual_network::VirtualNetworkModel;
use super::virtual_network_gateway::VirtualNetworkGatewayModel;
use crate::asm::xml::messages::DedicatedCircuit;
use crate::asm::xml::netcfg::VirtualNetworkSite;
use crate::framework::{Attr, Diagnostics};
use crate::rules::{
    self, CircuitFacts, CircuitLinkFacts, ExpressRouteGatewayFacts, Fact, Finding, GatewayFacts,
    SiteRefFacts, SubnetFacts, VnetFacts, VpnGatewayFacts,
};

/// An optional attribute: null is known absent.
pub fn optional_fact<T: Clone>(attr: &Attr<T>) -> Fact<Option<T>> {
    match attr {
        Attr::Null => Fact::Known(None),
        Attr::Unknown => Fact::Unknown,
        Attr::Known(v) => Fact::Known(Some(v.clone())),
    }
}

/// An enum attribute; a misspelt value is unknown here (validation reports it with its path).
pub fn enum_of<T: FromStr>(attr: &Attr<String>) -> Fact<T> {
    attr.known()
        .and_then(|s| s.parse().ok())
        .map_or(Fact::Unknown, Fact::Known)
}

/// A wire enum of the service as the rules' enum of the same spelling.
pub fn same_enum<T: FromStr>(value: impl ToString) -> Fact<T> {
    value
        .to_string()
        .parse()
        .ok()
        .map_or(Fact::Unknown, Fact::Known)
}

pub fn vnet_facts(m: &VirtualNetworkModel) -> VnetFacts {
    VnetFacts {
        name: fact(&m.name),
        location: fact(&m.location),
        address_space: fact_list(&m.address_space),
        subnets: Fact::Known(
            m.subnet
                .iter()
                .map(|s| SubnetFacts {
                    name: fact(&s.name),
                    address_prefix: fact(&s.address_prefix),
                })
                .collect(),
        ),
        local_network_site_refs: Fact::Known(
            m.local_network_site_ref
                .iter()
                .map(|r| SiteRefFacts {
                    name: fact(&r.name),
                    // The schema's default: an unset type is IPsec.
                    connection_type: match &r.connection_type {
                        Attr::Null => Fact::Known(rules::SiteConnectionType::IPsec),
                        other => enum_of(other),
                    },
                })
                .collect(),
        ),
        // Not configured is no pool at all.
        vpn_client_address_pool: match &m.vpn_client_address_pool {
            Attr::Null => Fact::Known(Vec::new()),
            pool => fact_list(pool),
        },
    }
}

/// A VNet as the service holds it (for objects the configuration does not hold).
pub fn site_facts(site: &VirtualNetworkSite) -> VnetFacts {
    let gateway = site.gateway.clone().unwrap_or_default();
    VnetFacts {
        name: Fact::Known(site.name.clone()),
        location: Fact::Unknown,
        address_space: known_list(&site.address_space),
        subnets: Fact::Known(
            site.subnets
                .iter()
                .map(|s| SubnetFacts {
                    name: Fact::Known(s.name.clone()),
                    address_prefix: Fact::Known(s.address_prefix.clone()),
                })
                .collect(),
        ),
        local_network_site_refs: Fact::Known(
            gateway
                .connections
                .iter()
                .map(|r| SiteRefFacts {
                    name: Fact::Known(r.name.clone()),
                    connection_type: same_enum(r.connection_type),
                })
                .collect(),
        ),
        vpn_client_address_pool: known_list(&gateway.vpn_client_address_pool),
    }
}

/// A gateway as planned; `None` while its `type` is not known.
pub fn gateway_facts(m: &VirtualNetworkGatewayModel) -> Option<GatewayFacts> {
    let state = enum_of(&m.state);
    match m.kind.known_str()? {
        "ExpressRoute" => Some(GatewayFacts::ExpressRoute(ExpressRouteGatewayFacts {
            sku: enum_of(&m.gateway_sku),
            gateway_type: enum_of(&m.gateway_type),
            state,
        })),
        "Vpn" => Some(GatewayFacts::Vpn(VpnGatewayFacts {
            name: fact(&m.name),
            sku: enum_of(&m.gateway_sku),
            gateway_type: enum_of(&m.gateway_type),
            default_site: optional_fact(&m.default_site),
            expressroute_circuit_link_id: optional_fact(&m.expressroute_circuit_link_id),
            state,
        })),
        _ => None,
    }
}

pub fn link_facts(m: &DedicatedCircuitLinkModel) -> CircuitLinkFacts {
    CircuitLinkFacts {
        service_key: fact(&m.service_key),
        virtual_network_name: fact(&m.virtual_network_name),
        expressroute_gateway_id: fact(&m.expressroute_gateway_id),
        state: enum_of(&m.state),
    }
}

pub fn circuit_facts(circuit: &DedicatedCircuit) -> CircuitFacts {
    CircuitFacts {
        service_key: Fact::Known(circuit.service_key.clone()),
        status: same_enum(circuit.status),
        service_provider_provisioning_state: same_enum(circuit.service_provider_provisioning_state),
    }
}

/// The findings of `all` that `already` (the context-free check, reported by validation) lacks:
/// what plan adds once it knows the surroundings, without repeating validation's messages.
pub fn new_findings(all: Vec<Finding>, already: &[Finding]) -> Diagnostics {
    diagnostics(all.into_iter().filter(|f| !already.contains(f)))
}

/// The same rules as at plan, before an apply's first request: errors refuse the change.
pub fn refuse_errors(findings: Vec<Finding>) -> Result<(), Diagnostics> {
    let errors: Vec<Finding> = findings.into_iter().filter(Finding::is_error).collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(diagnostics(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nulls_and_unknowns_are_never_known_facts() {
        assert_eq!(optional_fact::<String>(&Attr::Null), Fact::Known(None));
        assert_eq!(optional_fact::<String>(&Attr::Unknown), Fact::Unknown);
        assert_eq!(
            enum_of::<rules::Sku>(&Attr::Known("Basic".into())),
            Fact::Unknown
        );
        assert_eq!(
            enum_of::<rules::Sku>(&Attr::Known("Standard".into())),
            Fact::Known(rules::Sku::Standard)
        );
    }
}
