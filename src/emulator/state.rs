//! What the emulator remembers per subscription. Serialised as a whole to the state directory; enums are
//! the wire enums of `asm::xml::messages`.

use super::operations::OpRecord;
use crate::asm::xml::messages::{
    BgpSettings, CircuitStatus, GatewayConnectionType, GatewaySize, GatewayState, GatewayType,
    LinkState, ProviderProvisioningState,
};
use crate::asm::xml::netcfg::NetworkConfiguration;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

#[derive(Default, Serialize, Deserialize)]
pub struct State {
    pub subscriptions: BTreeMap<String, Subscription>,
}

#[derive(Default, Clone, Serialize, Deserialize)]
pub struct Subscription {
    /// The applied network configuration, normalised as the service returns it.
    netcfg: Option<String>,
    /// `netcfg` parsed, on first use: every VNet-scoped request reads it.
    #[serde(skip)]
    parsed_netcfg: OnceLock<Option<Arc<NetworkConfiguration>>>,
    /// VnetId GUIDs, stable for as long as the VNet exists.
    pub vnet_ids: BTreeMap<String, String>,
    /// The VNets' own (ExpressRoute) gateways, by VNet name.
    pub vnet_gateways: BTreeMap<String, GatewayRecord>,
    /// Multi-gateway API gateways, by GatewayId.
    pub virtual_network_gateways: BTreeMap<String, VirtualNetworkGatewayRecord>,
    /// By id.
    pub local_network_gateways: BTreeMap<String, LocalNetworkGatewayRecord>,
    pub connections: Vec<ConnectionRecord>,
    /// By service key.
    pub circuits: BTreeMap<String, CircuitRecord>,
    pub links: Vec<LinkRecord>,
    /// By dashed operation id.
    pub operations: BTreeMap<String, OpRecord>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EventRecord {
    pub id: String,
    pub message: String,
    pub timestamp: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GatewayRecord {
    pub id: String,
    pub size: GatewaySize,
    pub gateway_type: GatewayType,
    pub state: GatewayState,
    pub vip: Option<String>,
    pub last_event: Option<EventRecord>,
    pub default_sites: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VirtualNetworkGatewayRecord {
    pub vnet: String,
    pub name: String,
    pub location: Option<String>,
    pub bgp: Option<BgpSettings>,
    pub gateway: GatewayRecord,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LocalNetworkGatewayRecord {
    pub id: String,
    pub name: String,
    pub ip_address: String,
    pub address_space: Vec<String>,
    pub bgp: Option<BgpSettings>,
}

/// A gateway connection. No `Debug`: it holds the shared key.
#[derive(Clone, Serialize, Deserialize)]
pub struct ConnectionRecord {
    pub name: String,
    pub gateway_id: String,
    pub connected_entity_id: String,
    pub connection_type: GatewayConnectionType,
    pub routing_weight: Option<i32>,
    pub shared_key: Option<String>,
    pub enable_bgp: Option<bool>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CircuitRecord {
    pub service_key: String,
    pub name: String,
    pub location: String,
    pub bandwidth: u32,
    pub provider_name: String,
    pub provider_state: ProviderProvisioningState,
    pub status: CircuitStatus,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LinkRecord {
    pub service_key: String,
    pub vnet: String,
    pub state: LinkState,
}

impl Subscription {
    pub fn netcfg_xml(&self) -> Option<&str> {
        self.netcfg.as_deref()
    }

    /// The applied configuration, parsed (`None` when there is none).
    pub fn netcfg(&self) -> Option<Arc<NetworkConfiguration>> {
        self.parsed_netcfg
            .get_or_init(|| {
                let xml = self.netcfg.as_deref()?;
                // Only validated documents are stored; failing here means the state file was edited.
                NetworkConfiguration::parse(xml)
                    .map_err(|e| tracing::error!("stored network configuration unreadable: {e}"))
                    .ok()
                    .map(Arc::new)
            })
            .clone()
    }

    pub fn set_netcfg(&mut self, xml: String) {
        self.netcfg = Some(xml);
        self.parsed_netcfg = OnceLock::new();
    }

    /// Everything of VNet `vnet` that pins its GatewaySubnet or keeps it from being removed.
    pub fn vnet_in_use(&self, vnet: &str) -> bool {
        self.vnet_gateways.contains_key(vnet)
            || self
                .virtual_network_gateways
                .values()
                .any(|g| g.vnet == vnet)
            || self.links.iter().any(|l| l.vnet == vnet)
    }

    pub fn has_gateway(&self, vnet: &str) -> bool {
        self.vnet_gateways.contains_key(vnet)
            || self
                .virtual_network_gateways
                .values()
                .any(|g| g.vnet == vnet)
    }
}
