//! `azureclassic_virtual_network_gateway`: a virtual network's ExpressRoute gateway (`{vnet}/gateway`)
//! or one of its Site-to-Site VPN gateways (the multi-gateway `virtualnetworkgateways` API).

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::pending::AwaitingClient;
use super::values::check_enum;
use crate::framework::validators::duration;
use crate::framework::{
    Attr, AttrPath, Attribute, Block, Context, Diagnostics, NestedBlock, Resource, Schema, Type,
    Value,
};
use crate::rules::{GatewayKind, GatewayType, Sku};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct VirtualNetworkGatewayModel {
    pub id: Attr<String>,
    pub virtual_network_name: Attr<String>,
    #[serde(rename = "type")]
    pub kind: Attr<String>,
    pub name: Attr<String>,
    pub gateway_sku: Attr<String>,
    pub gateway_type: Attr<String>,
    pub expressroute_circuit_link_id: Attr<String>,
    pub default_site: Attr<String>,
    pub vip_address: Attr<String>,
    pub state: Attr<String>,
    pub timeouts: Option<TimeoutsModel>,
}

/// How long each operation may take before Terraform gives up waiting (gateways take long).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TimeoutsModel {
    pub create: Attr<String>,
    pub update: Attr<String>,
    pub delete: Attr<String>,
}

pub struct VirtualNetworkGateway;

impl AwaitingClient for VirtualNetworkGateway {}

fn timeout(name: &str, default: &str) -> Attribute {
    Attribute::optional(name, Type::String).description(format!(
        "How long to wait for the gateway's {name}, as a duration like `90m` or `2h`. Default `{default}`."
    ))
}

#[async_trait]
impl Resource for VirtualNetworkGateway {
    type Model = VirtualNetworkGatewayModel;

    fn type_name(&self) -> &'static str {
        "azureclassic_virtual_network_gateway"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            Block::new(
                "A virtual network gateway: the ExpressRoute gateway of a virtual network, or a \
                 Site-to-Site VPN gateway beside it. For coexistence, create the ExpressRoute gateway and \
                 its circuit link first, then the VPN gateway.",
            )
            .attribute(
                Attribute::computed("id", Type::String)
                    .use_state_for_unknown()
                    .description("The gateway's GatewayId, as the service reports it."),
            )
            .attribute(
                Attribute::required("virtual_network_name", Type::String)
                    .requires_replace()
                    .description("The name of the virtual network the gateway belongs to. Changing it creates a new gateway."),
            )
            .attribute(
                Attribute::required("type", Type::String)
                    .requires_replace()
                    .description("`ExpressRoute` or `Vpn`. Changing it creates a new gateway."),
            )
            .attribute(
                Attribute::optional("name", Type::String)
                    .requires_replace()
                    .description("The VPN gateway's name (GatewayName): required for `Vpn`, not allowed for `ExpressRoute`."),
            )
            .attribute(Attribute::required("gateway_sku", Type::String).description(
                "`Default` (Basic), `Standard`, `HighPerformance` or `UltraPerformance` (ExpressRoute only). \
                 Resized in place where the service allows it.",
            ))
            .attribute(
                Attribute::optional_computed("gateway_type", Type::String)
                    .default(Value::string("DynamicRouting"))
                    .requires_replace()
                    .description(
                        "`DynamicRouting` (route-based, the default and the only type allowed for a coexisting \
                         VPN gateway) or `StaticRouting` (policy-based). Changing it creates a new gateway.",
                    ),
            )
            .attribute(Attribute::optional("expressroute_circuit_link_id", Type::String).description(
                "`Vpn` only: the id of the `azureclassic_dedicated_circuit_link` this VPN gateway must come \
                 after, so that Terraform creates the ExpressRoute side first.",
            ))
            .attribute(Attribute::optional("default_site", Type::String).description(
                "`Vpn` only: the local network site that receives all Internet-bound traffic (forced \
                 tunnelling). Not allowed on the VPN gateway of a coexisting virtual network.",
            ))
            .attribute(
                Attribute::computed("vip_address", Type::String)
                    .use_state_for_unknown()
                    .description("The gateway's public IP address."),
            )
            .attribute(Attribute::computed("state", Type::String).description(
                "The gateway's provisioning state as the service reports it, e.g. `Provisioned`.",
            ))
            .block(NestedBlock::single(
                "timeouts",
                Block::new("Time limits for the gateway's long-running operations.")
                    .attribute(timeout("create", "90m"))
                    .attribute(timeout("update", "60m"))
                    .attribute(timeout("delete", "120m")),
            )),
        )
    }

    async fn validate(
        &self,
        _ctx: &Context,
        config: &VirtualNetworkGatewayModel,
        diags: &mut Diagnostics,
    ) {
        check_enum::<GatewayKind>(&config.kind, AttrPath::attr("type"), diags);
        check_enum::<Sku>(&config.gateway_sku, AttrPath::attr("gateway_sku"), diags);
        check_enum::<GatewayType>(&config.gateway_type, AttrPath::attr("gateway_type"), diags);
        if let Some(t) = &config.timeouts {
            let at = AttrPath::attr("timeouts");
            duration(&t.create, at.join_attr("create"), diags);
            duration(&t.update, at.join_attr("update"), diags);
            duration(&t.delete, at.join_attr("delete"), diags);
        }
        match (config.kind.known_str(), &config.name) {
            (Some("Vpn"), Attr::Null) => diags.error_at(
                AttrPath::attr("type"),
                "Missing VPN gateway name",
                "A `Vpn` gateway needs a `name` (its GatewayName).",
            ),
            (Some("ExpressRoute"), Attr::Known(_)) => diags.error_at(
                AttrPath::attr("name"),
                "Name not allowed for an ExpressRoute gateway",
                "A virtual network has one ExpressRoute gateway, addressed through the network: remove `name`.",
            ),
            _ => {}
        }
    }
}
