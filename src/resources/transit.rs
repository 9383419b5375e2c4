//! CX-TRANSIT for a gateway connection, with facts from this process's plans and from the
//! service: the local network gateway (planned here, else as the service has it) and the VNet of
//! the connection's VPN gateway (VPN gateway -> VnetId -> the VNet, as planned here, else as the
//! service has it).

use super::findings::known_list;
use super::local_network_gateway::find_by_id as find_local_gateway;
use super::lookup::existing_vnet;
use super::planned::PlannedLocals;
use super::registry;
use super::service::ServiceCall;
use crate::asm::client::{Client, ClientError};
use crate::framework::Context;
use crate::rules::{
    check_connection, ConnectionContext, ConnectionFacts, Fact, Finding, LocalNetworkGatewayFacts,
    VnetFacts,
};

/// The VNet of a VPN gateway; `None` when the gateway or its VNet is gone.
async fn vnet_of_gateway(
    ctx: &Context,
    client: &Client,
    call: &ServiceCall,
    gateway_id: &str,
) -> Result<Option<VnetFacts>, ClientError> {
    let gateway = match client.get_vpn_gateway(&call.ctx, gateway_id).await {
        Ok(g) => g,
        Err(e) if e.is_not_found() => return Ok(None),
        Err(e) => return Err(e),
    };
    let Some(site) = client
        .find_virtual_network_site_by_id(&call.ctx, &gateway.vnet_id)
        .await?
    else {
        return Ok(None);
    };
    if let Some(planned) = registry::planned(client.subscription_id(), &site.name).vnet {
        return Ok(Some(planned));
    }
    Ok(existing_vnet(ctx, client, &site.name).await)
}

/// The local network gateway's facts: as planned in this process, else as the service has them.
async fn local_facts(
    client: &Client,
    call: &ServiceCall,
    id: &str,
) -> Result<Option<LocalNetworkGatewayFacts>, ClientError> {
    if let Some(planned) = PlannedLocals::get(client.subscription_id(), id) {
        return Ok(Some(planned));
    }
    Ok(find_local_gateway(client, &call.ctx, id)
        .await?
        .map(|g| LocalNetworkGatewayFacts {
            name: Fact::Known(g.gateway_name),
            ip_address: Fact::Known(g.ip_address),
            address_space: known_list(&g.address_space),
        }))
}

/// The connection's findings with its surroundings looked up (GET only); `None` when either id is
/// not known yet or names an object that does not exist (the service then refuses the connection
/// itself).
pub async fn check_with_surroundings(
    ctx: &Context,
    client: &Client,
    call: &ServiceCall,
    connection: &ConnectionFacts,
) -> Result<Option<Vec<Finding>>, ClientError> {
    let (Fact::Known(gateway_id), Fact::Known(local_id)) = (
        &connection.virtual_network_gateway_id,
        &connection.local_network_gateway_id,
    ) else {
        return Ok(None);
    };
    let Some(vnet) = vnet_of_gateway(ctx, client, call, gateway_id).await? else {
        return Ok(None);
    };
    let Some(local) = local_facts(client, call, local_id).await? else {
        return Ok(None);
    };
    let context = ConnectionContext {
        vnet: Fact::Known(&vnet),
        local_network_gateway: Fact::Known(Some(&local)),
    };
    let context_free = check_connection(connection, &ConnectionContext::default());
    Ok(Some(
        check_connection(connection, &context)
            .into_iter()
            .filter(|f| !context_free.contains(f))
            .collect(),
    ))
}
