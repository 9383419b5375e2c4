//! Plan-time lookups (GET only) of objects the configuration does not hold, as the rules' facts.
//! A failed lookup is an unknown fact, never an error: the check is repeated at apply, and the
//! service enforces the same rules.

use super::facts::{same_enum, site_facts};
use super::service::{ServiceCall, QUICK};
use crate::asm::client::Client;
use crate::asm::xml::messages::{Gateway, GatewayState};
use crate::framework::Context;
use crate::rules::{ExpressRouteGatewayFacts, Fact, VnetFacts};

/// The VNet as the service holds it; `None` when it does not exist or cannot be read.
pub async fn existing_vnet(ctx: &Context, client: &Client, name: &str) -> Option<VnetFacts> {
    let call = ServiceCall::new(ctx, QUICK);
    let config = client.get_network_config(&call.ctx).await.ok()?;
    config
        .virtual_network_sites()
        .iter()
        .find(|s| s.name.eq_ignore_ascii_case(name))
        .map(site_facts)
}

/// The VNet's own (ExpressRoute) gateway as the service reports it: `Known(None)` when it has none.
pub async fn existing_expressroute_gateway(
    ctx: &Context,
    client: &Client,
    vnet: &str,
) -> Fact<Option<ExpressRouteGatewayFacts>> {
    let call = ServiceCall::new(ctx, QUICK);
    match client.get_vnet_gateway(&call.ctx, vnet).await {
        Ok(g) => Fact::Known(expressroute_facts(&g)),
        Err(_) => Fact::Unknown,
    }
}

fn expressroute_facts(g: &Gateway) -> Option<ExpressRouteGatewayFacts> {
    (g.state != GatewayState::NotProvisioned).then(|| ExpressRouteGatewayFacts {
        sku: g.gateway_size.map_or(Fact::Unknown, same_enum),
        gateway_type: same_enum(g.gateway_type),
        state: same_enum(g.state),
    })
}
