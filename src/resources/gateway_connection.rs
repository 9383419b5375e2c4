//! `azureclassic_gateway_connection`: a Site-to-Site connection between a VPN gateway and a local
//! network gateway (`New-AzureVirtualNetworkGatewayConnection`).

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::joined_id;
use super::pending::AwaitingClient;
use super::values::check_enum;
use crate::framework::{
    Attr, AttrPath, Attribute, Block, Context, Diagnostics, Plan, Resource, Schema, Type, Value,
};
use crate::rules::ConnectionType;

/// No `Debug`: it holds the shared key.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GatewayConnectionModel {
    pub id: Attr<String>,
    pub name: Attr<String>,
    pub virtual_network_gateway_id: Attr<String>,
    pub local_network_gateway_id: Attr<String>,
    pub connection_type: Attr<String>,
    pub shared_key: Attr<String>,
    pub routing_weight: Attr<i64>,
}

pub struct GatewayConnection;

impl AwaitingClient for GatewayConnection {}

#[async_trait]
impl Resource for GatewayConnection {
    type Model = GatewayConnectionModel;

    fn type_name(&self) -> &'static str {
        "azureclassic_gateway_connection"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            Block::new("A Site-to-Site VPN connection from a virtual network's VPN gateway to a local network gateway.")
                .attribute(Attribute::computed("id", Type::String).description(
                    "`{virtual_network_gateway_id}/{local_network_gateway_id}`, also the import id.",
                ))
                .attribute(
                    Attribute::required("name", Type::String)
                        .requires_replace()
                        .description("The connection's name. Changing it creates a new connection."),
                )
                .attribute(
                    Attribute::required("virtual_network_gateway_id", Type::String)
                        .requires_replace()
                        .description("The id of the `Vpn` `azureclassic_virtual_network_gateway`. Changing it creates a new connection."),
                )
                .attribute(
                    Attribute::required("local_network_gateway_id", Type::String)
                        .requires_replace()
                        .description("The id of the `azureclassic_local_network_gateway`. Changing it creates a new connection."),
                )
                .attribute(
                    Attribute::optional_computed("connection_type", Type::String)
                        .default(Value::string("IPsec"))
                        .description("`IPsec` (the default), `Dedicated`, `Vnet2Vnet` or `VPNClient`."),
                )
                .attribute(
                    Attribute::required("shared_key", Type::String)
                        .sensitive()
                        .description("The IPsec pre-shared key, also configured on the on-premises device. Updated in place."),
                )
                .attribute(
                    Attribute::optional("routing_weight", Type::Number)
                        .description("The connection's routing weight, when several connections reach the same networks."),
                ),
        )
    }

    async fn validate(
        &self,
        _ctx: &Context,
        config: &GatewayConnectionModel,
        diags: &mut Diagnostics,
    ) {
        check_enum::<ConnectionType>(
            &config.connection_type,
            AttrPath::attr("connection_type"),
            diags,
        );
    }

    async fn modify_plan(&self, _ctx: &Context, plan: &mut Plan<GatewayConnectionModel>) {
        let planned = &mut plan.planned;
        planned.id = joined_id(&[
            &planned.virtual_network_gateway_id,
            &planned.local_network_gateway_id,
        ]);
    }
}
