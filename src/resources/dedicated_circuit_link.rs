//! `azureclassic_dedicated_circuit_link`: links an ExpressRoute circuit to a virtual network
//! (`New-AzureDedicatedCircuitLink`).

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::joined_id;
use super::pending::AwaitingClient;
use crate::framework::{Attr, Attribute, Block, Context, Plan, Resource, Schema, Type};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DedicatedCircuitLinkModel {
    pub id: Attr<String>,
    pub service_key: Attr<String>,
    pub virtual_network_name: Attr<String>,
    pub expressroute_gateway_id: Attr<String>,
    pub state: Attr<String>,
}

pub struct DedicatedCircuitLink;

impl AwaitingClient for DedicatedCircuitLink {}

#[async_trait]
impl Resource for DedicatedCircuitLink {
    type Model = DedicatedCircuitLinkModel;

    fn type_name(&self) -> &'static str {
        "azureclassic_dedicated_circuit_link"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            Block::new(
                "Links an ExpressRoute circuit to a virtual network. The link comes after the network's \
                 ExpressRoute gateway, and before a coexisting VPN gateway.",
            )
            .attribute(
                Attribute::computed("id", Type::String)
                    .description("`{service_key}/{virtual_network_name}`, also the import id."),
            )
            .attribute(
                Attribute::required("service_key", Type::String)
                    .requires_replace()
                    .description("The ExpressRoute circuit's service key (a GUID). Changing it creates a new link."),
            )
            .attribute(
                Attribute::required("virtual_network_name", Type::String)
                    .requires_replace()
                    .description("The name of the virtual network to link. Changing it creates a new link."),
            )
            .attribute(
                Attribute::required("expressroute_gateway_id", Type::String)
                    .requires_replace()
                    .description(
                        "The id of the network's ExpressRoute `azureclassic_virtual_network_gateway`: the link \
                         is created after it. Changing it creates a new link.",
                    ),
            )
            .attribute(Attribute::computed("state", Type::String).description(
                "The link's state as the service reports it, e.g. `Provisioned`.",
            )),
        )
    }

    async fn modify_plan(&self, _ctx: &Context, plan: &mut Plan<DedicatedCircuitLinkModel>) {
        let planned = &mut plan.planned;
        planned.id = joined_id(&[&planned.service_key, &planned.virtual_network_name]);
    }
}
