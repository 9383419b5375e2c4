//! `azureclassic_local_network_gateway`: an on-premises VPN site (`New-AzureLocalNetworkGateway`).

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::pending::AwaitingClient;
use crate::framework::{Attr, Attribute, Block, Resource, Schema, Type};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LocalNetworkGatewayModel {
    pub id: Attr<String>,
    pub name: Attr<String>,
    pub ip_address: Attr<String>,
    pub address_space: Attr<Vec<Attr<String>>>,
}

pub struct LocalNetworkGateway;

impl AwaitingClient for LocalNetworkGateway {}

#[async_trait]
impl Resource for LocalNetworkGateway {
    type Model = LocalNetworkGatewayModel;

    fn type_name(&self) -> &'static str {
        "azureclassic_local_network_gateway"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            Block::new("An on-premises site reached by a Site-to-Site VPN: its VPN device's address and the networks behind it.")
                .attribute(
                    Attribute::computed("id", Type::String)
                        .use_state_for_unknown()
                        .description("The local network gateway's GatewayId, as the service reports it."),
                )
                .attribute(
                    Attribute::required("name", Type::String)
                        .requires_replace()
                        .description("The local network gateway's name. Changing it creates a new one."),
                )
                .attribute(
                    Attribute::required("ip_address", Type::String)
                        .requires_replace()
                        .description("The public IPv4 address of the on-premises VPN device. Changing it creates a new one."),
                )
                .attribute(Attribute::required("address_space", Type::list(Type::String)).description(
                    "The on-premises address prefixes, in CIDR notation; they must not overlap the virtual \
                     network's. Updated in place.",
                )),
        )
    }
}
