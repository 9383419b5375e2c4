//! `data "azureclassic_virtual_network_gateway"`: a gateway found by id, or by its virtual network
//! and type.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::pending::not_available;
use super::values::check_enum;
use crate::framework::{
    Attr, AttrPath, Attribute, Block, Context, DataSource, Diagnostics, Schema, StateResult, Type,
};
use crate::rules::GatewayKind;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct VirtualNetworkGatewayDataModel {
    pub id: Attr<String>,
    pub virtual_network_name: Attr<String>,
    #[serde(rename = "type")]
    pub kind: Attr<String>,
    pub name: Attr<String>,
    pub vip_address: Attr<String>,
    pub state: Attr<String>,
    pub gateway_sku: Attr<String>,
    pub gateway_type: Attr<String>,
}

pub struct VirtualNetworkGatewayData;

#[async_trait]
impl DataSource for VirtualNetworkGatewayData {
    type Model = VirtualNetworkGatewayDataModel;

    fn type_name(&self) -> &'static str {
        "azureclassic_virtual_network_gateway"
    }

    fn schema(&self) -> Schema {
        let lookup = |name: &str, description: &str| {
            Attribute::optional_computed(name, Type::String).description(description)
        };
        let computed = |name: &str, description: &str| {
            Attribute::computed(name, Type::String).description(description)
        };
        Schema::new(
            Block::new("An existing virtual network gateway, found by `id`, or by `virtual_network_name` and `type`.")
                .attribute(lookup("id", "The gateway's GatewayId. Give it, or `virtual_network_name` and `type`."))
                .attribute(lookup("virtual_network_name", "The name of the gateway's virtual network."))
                .attribute(lookup("type", "`ExpressRoute` or `Vpn`."))
                .attribute(computed("name", "The VPN gateway's name (GatewayName); null for an ExpressRoute gateway."))
                .attribute(computed("vip_address", "The gateway's public IP address."))
                .attribute(computed("state", "The gateway's provisioning state, e.g. `Provisioned`."))
                .attribute(computed("gateway_sku", "`Default` (Basic), `Standard`, `HighPerformance` or `UltraPerformance`."))
                .attribute(computed("gateway_type", "`DynamicRouting` or `StaticRouting`.")),
        )
    }

    async fn validate(
        &self,
        _ctx: &Context,
        config: &VirtualNetworkGatewayDataModel,
        diags: &mut Diagnostics,
    ) {
        check_enum::<GatewayKind>(&config.kind, AttrPath::attr("type"), diags);
        let by_network = !config.virtual_network_name.is_null() && !config.kind.is_null();
        if config.id.is_null() && !by_network {
            diags.error(
                "Gateway lookup needs an id, or a virtual network and a type",
                "Set `id`, or both `virtual_network_name` and `type`.",
            );
        }
    }

    async fn read(
        &self,
        _ctx: &Context,
        _config: VirtualNetworkGatewayDataModel,
    ) -> StateResult<VirtualNetworkGatewayDataModel> {
        StateResult::failed(not_available(self.type_name(), "read"))
    }
}
