//! Server-side enforcement of the coexistence rules (design.md section 3): the subscription is turned
//! into the rules' topology and checked with the same functions the provider runs at plan time, so a
//! rule missed at plan still fails safely at apply.

use super::error::ApiError;
use super::state::{GatewayRecord, Subscription};
use crate::asm::xml::netcfg::{NetworkConfiguration, SiteLocation};
use crate::rules::{
    check_topology, parse_exact, CircuitFacts, CircuitLinkFacts, ConnectionFacts,
    ExpressRouteGatewayFacts, Fact, FactList, GatewayFacts, LocalNetworkGatewayFacts,
    LocatedFinding, SiteRefFacts, StringEnum, SubnetFacts, Topology, TopologyGateway,
    TopologyLocalNetworkGateway, VnetFacts, VpnGatewayFacts,
};
use std::sync::Arc;

/// Rejects a change whose resulting subscription `after` breaks a rule that `before` did not: findings
/// that already held before the change are not this request's fault and do not block it.
pub fn check(before: &Subscription, after: &Subscription) -> Result<(), ApiError> {
    let existing = errors(before);
    let new: Vec<LocatedFinding> = errors(after)
        .into_iter()
        .filter(|f| !existing.contains(f))
        .collect();
    if new.is_empty() {
        return Ok(());
    }
    let message = new
        .iter()
        .map(|f| f.finding.to_string())
        .collect::<Vec<_>>()
        .join(" ");
    Err(ApiError::bad_request(message))
}

fn errors(sub: &Subscription) -> Vec<LocatedFinding> {
    check_topology(&topology(sub))
        .into_iter()
        .filter(|f| f.finding.is_error())
        .collect()
}

/// The wire enum as the rules' enum (both use the service's spellings).
fn known<T: StringEnum>(value: impl std::fmt::Display) -> Fact<T> {
    parse_exact(&value.to_string()).map_or(Fact::Unknown, Fact::Known)
}

fn list(values: &[String]) -> FactList {
    Fact::Known(values.iter().cloned().map(Fact::Known).collect())
}

fn topology(sub: &Subscription) -> Topology {
    let cfg = sub
        .netcfg()
        .unwrap_or_else(|| Arc::new(NetworkConfiguration::empty()));
    let virtual_networks = cfg
        .virtual_network_sites()
        .into_iter()
        .map(|site| {
            let gateway = site.gateway.unwrap_or_default();
            VnetFacts {
                name: Fact::Known(site.name),
                location: Fact::Known(match site.location {
                    SiteLocation::Location(l) | SiteLocation::AffinityGroup(l) => l,
                }),
                address_space: list(&site.address_space),
                subnets: Fact::Known(
                    site.subnets
                        .into_iter()
                        .map(|s| SubnetFacts {
                            name: Fact::Known(s.name),
                            address_prefix: Fact::Known(s.address_prefix),
                        })
                        .collect(),
                ),
                local_network_site_refs: Fact::Known(
                    gateway
                        .connections
                        .into_iter()
                        .map(|r| SiteRefFacts {
                            name: Fact::Known(r.name),
                            connection_type: known(r.connection_type),
                        })
                        .collect(),
                ),
                vpn_client_address_pool: list(&gateway.vpn_client_address_pool),
            }
        })
        .collect();

    let expressroute = sub.vnet_gateways.iter().map(|(vnet, g)| TopologyGateway {
        id: g.id.clone(),
        virtual_network_name: vnet.clone(),
        facts: GatewayFacts::ExpressRoute(ExpressRouteGatewayFacts {
            sku: known(g.size),
            gateway_type: known(g.gateway_type),
            state: known(g.state),
        }),
    });
    let vpn = sub
        .virtual_network_gateways
        .values()
        .map(|g| TopologyGateway {
            id: g.gateway.id.clone(),
            virtual_network_name: g.vnet.clone(),
            facts: GatewayFacts::Vpn(vpn_facts(&g.name, &g.gateway)),
        });

    Topology {
        virtual_networks,
        gateways: expressroute.chain(vpn).collect(),
        circuits: sub
            .circuits
            .values()
            .map(|c| CircuitFacts {
                service_key: Fact::Known(c.service_key.clone()),
                status: known(c.status),
                service_provider_provisioning_state: known(c.provider_state),
            })
            .collect(),
        circuit_links: sub
            .links
            .iter()
            .map(|l| CircuitLinkFacts {
                service_key: Fact::Known(l.service_key.clone()),
                virtual_network_name: Fact::Known(l.vnet.clone()),
                // The service knows no such reference: it is the provider's ordering hint.
                expressroute_gateway_id: Fact::Unknown,
                state: known(l.state),
            })
            .collect(),
        local_network_gateways: sub
            .local_network_gateways
            .values()
            .map(|l| TopologyLocalNetworkGateway {
                id: l.id.clone(),
                facts: LocalNetworkGatewayFacts {
                    name: Fact::Known(l.name.clone()),
                    ip_address: Fact::Known(l.ip_address.clone()),
                    address_space: list(&l.address_space),
                },
            })
            .collect(),
        connections: sub
            .connections
            .iter()
            .map(|c| ConnectionFacts {
                name: Fact::Known(c.name.clone()),
                connection_type: known(c.connection_type),
                virtual_network_gateway_id: Fact::Known(c.gateway_id.clone()),
                local_network_gateway_id: Fact::Known(c.connected_entity_id.clone()),
                routing_weight: Fact::Known(c.routing_weight.map(i64::from)),
            })
            .collect(),
    }
}

fn vpn_facts(name: &str, g: &GatewayRecord) -> VpnGatewayFacts {
    VpnGatewayFacts {
        name: Fact::Known(name.to_string()),
        sku: known(g.size),
        gateway_type: known(g.gateway_type),
        default_site: Fact::Known(g.default_sites.first().cloned()),
        // The provider's ordering reference; the rules read the circuit link from the topology.
        expressroute_circuit_link_id: Fact::Unknown,
        state: known(g.state),
    }
}
