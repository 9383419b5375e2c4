//! CX-TRANSIT for a gateway connection, with facts from this process's plans and from the
//! service: the local network gateway (planned here, else as the service has it) and the VNet of
//! the connection's VPN gateway (VPN gateway -> VnetId -> the VNet's address space and sites).

use super::findings::known_list;
use super::local_network_gateway::find_by_id as find_local_gateway;
use super::planned::PlannedLocals;
use crate::asm::client::{CallContext, Client, ClientError};
use crate::asm::xml::messages::VirtualNetworkSiteInfo;
use crate::rules::{
    check_connection, parse_exact, ConnectionContext, ConnectionFacts, Fact, Finding,
    LocalNetworkGatewayFacts, SiteConnectionType, SiteRefFacts, VnetFacts,
};

/// What CX-TRANSIT reads about the VNet, from the service's view of it.
pub fn vnet_facts(site: VirtualNetworkSiteInfo) -> VnetFacts {
    let refs = site
        .gateway
        .map(|g| g.sites)
        .unwrap_or_default()
        .into_iter()
        .map(|s| SiteRefFacts {
            connection_type: s
                .connections
                .first()
                .map_or(Fact::Known(SiteConnectionType::IPsec), |t| {
                    parse_exact(t.as_str()).map_or(Fact::Unknown, Fact::Known)
                }),
            name: Fact::Known(s.name),
        })
        .collect();
    VnetFacts {
        name: Fact::Known(site.name),
        address_space: known_list(&site.address_prefixes),
        local_network_site_refs: Fact::Known(refs),
        ..VnetFacts::default()
    }
}

/// The VNet of a VPN gateway, as the service has it; `None` when the gateway or VNet is gone.
pub async fn vnet_of_gateway(
    client: &Client,
    ctx: &CallContext,
    gateway_id: &str,
) -> Result<Option<VnetFacts>, ClientError> {
    let gateway = match client.get_vpn_gateway(ctx, gateway_id).await {
        Ok(g) => g,
        Err(e) if e.is_not_found() => return Ok(None),
        Err(e) => return Err(e),
    };
    let sites = client.list_virtual_network_sites(ctx).await?;
    Ok(sites
        .into_iter()
        .find(|s| s.id.eq_ignore_ascii_case(&gateway.vnet_id))
        .map(vnet_facts))
}

/// The local network gateway's facts: as planned in this process, else as the service has them.
async fn local_facts(
    client: &Client,
    ctx: &CallContext,
    id: &str,
) -> Result<Option<LocalNetworkGatewayFacts>, ClientError> {
    if let Some(planned) = PlannedLocals::get(client.subscription_id(), id) {
        return Ok(Some(planned));
    }
    Ok(find_local_gateway(client, ctx, id)
        .await?
        .map(|g| LocalNetworkGatewayFacts {
            name: Fact::Known(g.gateway_name),
            ip_address: Fact::Known(g.ip_address),
            address_space: known_list(&g.address_space),
        }))
}

/// The connection's findings with its surroundings looked up; `None` when either id is not known
/// yet or names an object that does not exist (the service then refuses the connection itself).
pub async fn check_with_surroundings(
    client: &Client,
    ctx: &CallContext,
    connection: &ConnectionFacts,
) -> Result<Option<Vec<Finding>>, ClientError> {
    let (Fact::Known(gateway_id), Fact::Known(local_id)) = (
        &connection.virtual_network_gateway_id,
        &connection.local_network_gateway_id,
    ) else {
        return Ok(None);
    };
    let Some(vnet) = vnet_of_gateway(client, ctx, gateway_id).await? else {
        return Ok(None);
    };
    let Some(local) = local_facts(client, ctx, local_id).await? else {
        return Ok(None);
    };
    let context = ConnectionContext {
        vnet: Fact::Known(&vnet),
        local_network_gateway: Fact::Known(Some(&local)),
    };
    Ok(Some(check_connection(connection, &context)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asm::xml::messages::{VnetGatewayInfo, VnetLocalSiteInfo};
    use crate::asm::xml::netcfg::{ConnectionType, SiteLocation};

    #[test]
    fn the_service_view_gives_address_space_and_dedicated_sites() {
        let site = VirtualNetworkSiteInfo {
            name: "MyAzureVNET".into(),
            id: "vnet-guid".into(),
            location: SiteLocation::Location("West US".into()),
            state: "Created".into(),
            address_prefixes: vec!["10.17.159.192/26".into()],
            subnets: vec![],
            gateway: Some(VnetGatewayInfo {
                sites: vec![VnetLocalSiteInfo {
                    name: "er".into(),
                    address_prefixes: vec![],
                    vpn_gateway_address: None,
                    connections: vec![ConnectionType::Dedicated],
                }],
                ..Default::default()
            }),
        };
        let facts = vnet_facts(site);
        assert_eq!(
            facts.address_space,
            known_list(&["10.17.159.192/26".into()])
        );
        assert!(facts.expressroute().is_true());
    }
}
