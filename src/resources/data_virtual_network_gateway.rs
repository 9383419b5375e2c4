//! `data "azureclassic_virtual_network_gateway"`: a gateway found by id, or by its virtual network
//! and type.

use std::time::Duration;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::service::{api_error, connect};
use super::values::check_enum;
use crate::asm::client::{CallContext, Client, ClientError};
use crate::asm::xml::messages::{Gateway, GatewayState, VirtualNetworkGateway};
use crate::framework::{
    Attr, AttrPath, Attribute, Block, Context, DataSource, Diagnostic, Diagnostics, Schema,
    StateResult, Type,
};
use crate::rules::GatewayKind;

/// A few reads; bounds retries and backoff.
const TIMEOUT: Duration = Duration::from_secs(5 * 60);

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
        ctx: &Context,
        config: VirtualNetworkGatewayDataModel,
    ) -> StateResult<VirtualNetworkGatewayDataModel> {
        let (client, call) = match connect(ctx, TIMEOUT) {
            Ok(connected) => connected,
            Err(d) => return StateResult::failed(d),
        };
        let found = match (
            config.id.known_str(),
            config.virtual_network_name.known_str(),
        ) {
            (Some(id), _) => by_id(&client, &call.ctx, id.trim()).await,
            (None, Some(vnet)) if config.kind.known_str() == Some("Vpn") => {
                vpn_on_network(&client, &call.ctx, vnet).await
            }
            (None, Some(vnet)) => expressroute_of(&client, &call.ctx, vnet).await,
            (None, None) => Ok(None),
        };
        match found {
            Ok(Some(found)) => StateResult::ok(found),
            Ok(None) => StateResult::failed(not_found(&config)),
            Err(Lookup::Service(e)) => {
                StateResult::failed(api_error("read the virtual network gateway", &e))
            }
            Err(Lookup::Ambiguous(vnet)) => StateResult::failed(Diagnostic::error(
                "Several VPN gateways match",
                format!(
                    "Virtual network {vnet:?} has more than one VPN gateway: look it up by `id`."
                ),
            )),
        }
    }
}

enum Lookup {
    Service(ClientError),
    Ambiguous(String),
}

impl From<ClientError> for Lookup {
    fn from(e: ClientError) -> Lookup {
        Lookup::Service(e)
    }
}

type Found = Result<Option<VirtualNetworkGatewayDataModel>, Lookup>;

fn vpn_model(g: VirtualNetworkGateway, vnet: Option<String>) -> VirtualNetworkGatewayDataModel {
    VirtualNetworkGatewayDataModel {
        id: Attr::Known(g.gateway_id),
        virtual_network_name: vnet.into(),
        kind: Attr::Known("Vpn".into()),
        name: Attr::Known(g.gateway_name),
        vip_address: g.vip_address.into(),
        state: Attr::Known(g.state.as_str().to_string()),
        gateway_sku: g.gateway_size.map(|s| s.as_str().to_string()).into(),
        gateway_type: g.gateway_type.map(|t| t.as_str().to_string()).into(),
    }
}

/// An ExpressRoute gateway (the VNet's own); `None` when the VNet has none.
fn expressroute_model(g: Gateway, vnet: &str) -> Option<VirtualNetworkGatewayDataModel> {
    if g.state == GatewayState::NotProvisioned {
        return None;
    }
    Some(VirtualNetworkGatewayDataModel {
        id: Attr::Known(g.gateway_id?),
        virtual_network_name: Attr::Known(vnet.to_string()),
        kind: Attr::Known("ExpressRoute".into()),
        name: Attr::Null,
        vip_address: g.vip_address.into(),
        state: Attr::Known(g.state.as_str().to_string()),
        gateway_sku: g.gateway_size.map(|s| s.as_str().to_string()).into(),
        gateway_type: Attr::Known(g.gateway_type.as_str().to_string()),
    })
}

/// A VPN gateway by GatewayId, else the ExpressRoute gateway of whichever VNet has that id.
async fn by_id(client: &Client, ctx: &CallContext, id: &str) -> Found {
    match client.get_vpn_gateway(ctx, id).await {
        Ok(g) => {
            let vnet = client
                .find_virtual_network_site_by_id(ctx, &g.vnet_id)
                .await?;
            return Ok(Some(vpn_model(g, vnet.map(|s| s.name))));
        }
        Err(e) if !e.is_not_found() => return Err(e.into()),
        Err(_) => {}
    }
    for site in client.list_virtual_network_sites(ctx).await? {
        let gateway = client.get_vnet_gateway(ctx, &site.name).await?;
        if gateway
            .gateway_id
            .as_deref()
            .is_some_and(|g| g.eq_ignore_ascii_case(id))
        {
            return Ok(expressroute_model(gateway, &site.name));
        }
    }
    Ok(None)
}

async fn expressroute_of(client: &Client, ctx: &CallContext, vnet: &str) -> Found {
    match client.get_vnet_gateway(ctx, vnet).await {
        Ok(g) => Ok(expressroute_model(g, vnet)),
        // The service answers 400 for a VNet it does not know.
        Err(e) if e.is_not_found() || e.service().is_some_and(|s| s.status == 400) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

async fn vpn_on_network(client: &Client, ctx: &CallContext, vnet: &str) -> Found {
    let Some(site) = client.find_virtual_network_site(ctx, vnet).await? else {
        return Ok(None);
    };
    let mut on_vnet: Vec<_> = client
        .list_vpn_gateways(ctx)
        .await?
        .into_iter()
        .filter(|g| g.vnet_id.eq_ignore_ascii_case(&site.id))
        .collect();
    match on_vnet.len() {
        0 => Ok(None),
        1 => Ok(on_vnet.pop().map(|g| vpn_model(g, Some(site.name)))),
        _ => Err(Lookup::Ambiguous(site.name)),
    }
}

fn not_found(config: &VirtualNetworkGatewayDataModel) -> Diagnostic {
    let what = match (
        config.id.known_str(),
        config.virtual_network_name.known_str(),
    ) {
        (Some(id), _) => format!("with id {id:?}"),
        (None, vnet) => format!(
            "of type {:?} on virtual network {:?}",
            config.kind.known_str().unwrap_or_default(),
            vnet.unwrap_or_default()
        ),
    };
    Diagnostic::error(
        "Virtual network gateway not found",
        format!("There is no virtual network gateway {what} in this subscription."),
    )
}
