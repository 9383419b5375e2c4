//! A whole subscription's topology, for the emulator: it builds the topology a proposed change
//! would produce and runs exactly the per-resource checks the provider runs at plan time.

use crate::rules::checks::{
    check_circuit_link, check_connection, check_gateway, check_local_network_gateway,
    check_virtual_network,
};
use crate::rules::enums::ProvisioningState;
use crate::rules::finding::Finding;
use crate::rules::model::{
    CircuitFacts, CircuitLinkContext, CircuitLinkFacts, ConnectionContext, ConnectionFacts,
    ExpressRouteGatewayFacts, Fact, GatewayContext, GatewayFacts, LocalNetworkGatewayFacts,
    VnetFacts, VpnGatewayFacts,
};

/// A gateway with the identity the service gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopologyGateway {
    pub id: String,
    pub virtual_network_name: String,
    pub facts: GatewayFacts,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopologyLocalNetworkGateway {
    pub id: String,
    pub facts: LocalNetworkGatewayFacts,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Topology {
    pub virtual_networks: Vec<VnetFacts>,
    pub gateways: Vec<TopologyGateway>,
    pub circuits: Vec<CircuitFacts>,
    pub circuit_links: Vec<CircuitLinkFacts>,
    pub local_network_gateways: Vec<TopologyLocalNetworkGateway>,
    pub connections: Vec<ConnectionFacts>,
}

/// Which object a finding is about.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Subject {
    VirtualNetwork {
        name: String,
    },
    Gateway {
        id: String,
    },
    CircuitLink {
        service_key: String,
        virtual_network_name: String,
    },
    LocalNetworkGateway {
        id: String,
    },
    Connection {
        virtual_network_gateway_id: String,
        local_network_gateway_id: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocatedFinding {
    pub subject: Subject,
    pub finding: Finding,
}

fn text(fact: &Fact<String>) -> String {
    fact.known().cloned().unwrap_or_default()
}

fn same(fact: &Fact<String>, value: &str) -> bool {
    fact.is_known_and(|v| v == value)
}

impl Topology {
    fn vnet(&self, name: &str) -> Fact<&VnetFacts> {
        // A VNet the topology does not hold is not known here: the emulator rejects unknown VNets
        // on its own, with the service's error.
        self.virtual_networks
            .iter()
            .find(|v| same(&v.name, name))
            .map_or(Fact::Unknown, Fact::Known)
    }

    fn expressroute_gateway(&self, vnet: &str) -> Option<&ExpressRouteGatewayFacts> {
        self.gateways.iter().find_map(|g| match &g.facts {
            GatewayFacts::ExpressRoute(er) if g.virtual_network_name == vnet => Some(er),
            _ => None,
        })
    }

    fn vpn_gateways_except(&self, vnet: &str, except: &str) -> Vec<&VpnGatewayFacts> {
        self.gateways
            .iter()
            .filter(|g| g.virtual_network_name == vnet && g.id != except)
            .filter_map(|g| match &g.facts {
                GatewayFacts::Vpn(vpn) => Some(vpn),
                GatewayFacts::ExpressRoute(_) => None,
            })
            .collect()
    }

    /// The VNet's circuit link, a provisioned one first (a VNet may be linked to several circuits).
    fn circuit_link(&self, vnet: &str) -> Option<&CircuitLinkFacts> {
        let links = || {
            self.circuit_links
                .iter()
                .filter(|l| same(&l.virtual_network_name, vnet))
        };
        links()
            .find(|l| l.state == Fact::Known(ProvisioningState::Provisioned))
            .or_else(|| links().next())
    }

    fn gateway_context(&self, gateway: &TopologyGateway) -> GatewayContext<'_> {
        let vnet = gateway.virtual_network_name.as_str();
        GatewayContext {
            vnet: self.vnet(vnet),
            expressroute_gateway: Fact::Known(self.expressroute_gateway(vnet)),
            vpn_gateways: Fact::Known(self.vpn_gateways_except(vnet, &gateway.id)),
            circuit_link: Fact::Known(self.circuit_link(vnet)),
        }
    }

    fn link_context(&self, link: &CircuitLinkFacts) -> CircuitLinkContext<'_> {
        let vnet = text(&link.virtual_network_name);
        let key = &link.service_key;
        CircuitLinkContext {
            vnet: self.vnet(&vnet),
            expressroute_gateway: Fact::Known(self.expressroute_gateway(&vnet)),
            circuit: key
                .as_ref()
                .map(|k| self.circuits.iter().find(|c| same(&c.service_key, k))),
        }
    }

    fn connection_context(&self, connection: &ConnectionFacts) -> ConnectionContext<'_> {
        let gateway = self
            .gateways
            .iter()
            .find(|g| same(&connection.virtual_network_gateway_id, &g.id));
        ConnectionContext {
            vnet: gateway.map_or(Fact::Unknown, |g| self.vnet(&g.virtual_network_name)),
            local_network_gateway: connection.local_network_gateway_id.as_ref().map(|id| {
                self.local_network_gateways
                    .iter()
                    .find(|l| &l.id == id)
                    .map(|l| &l.facts)
            }),
        }
    }
}

fn located(subject: Subject, findings: Vec<Finding>) -> impl Iterator<Item = LocatedFinding> {
    findings.into_iter().map(move |finding| LocatedFinding {
        subject: subject.clone(),
        finding,
    })
}

/// Every rule for every object of the topology.
pub fn check_topology(topology: &Topology) -> Vec<LocatedFinding> {
    let mut out = Vec::new();
    for vnet in &topology.virtual_networks {
        let subject = Subject::VirtualNetwork {
            name: text(&vnet.name),
        };
        out.extend(located(subject, check_virtual_network(vnet)));
    }
    for gateway in &topology.gateways {
        let subject = Subject::Gateway {
            id: gateway.id.clone(),
        };
        let findings = check_gateway(&gateway.facts, &topology.gateway_context(gateway));
        out.extend(located(subject, findings));
    }
    for link in &topology.circuit_links {
        let subject = Subject::CircuitLink {
            service_key: text(&link.service_key),
            virtual_network_name: text(&link.virtual_network_name),
        };
        out.extend(located(
            subject,
            check_circuit_link(link, &topology.link_context(link)),
        ));
    }
    for local in &topology.local_network_gateways {
        let subject = Subject::LocalNetworkGateway {
            id: local.id.clone(),
        };
        out.extend(located(subject, check_local_network_gateway(&local.facts)));
    }
    for connection in &topology.connections {
        let subject = Subject::Connection {
            virtual_network_gateway_id: text(&connection.virtual_network_gateway_id),
            local_network_gateway_id: text(&connection.local_network_gateway_id),
        };
        let findings = check_connection(connection, &topology.connection_context(connection));
        out.extend(located(subject, findings));
    }
    out
}
