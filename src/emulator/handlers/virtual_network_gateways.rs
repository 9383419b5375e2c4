//! Multi-gateway API gateways, `services/networking/virtualnetworkgateways` (asm-api.md section 4a): the
//! Site-to-Site VPN gateway of the coexistence procedure.

use super::gateway_ops::{self, event_message, Target};
use super::{check_conflict, new_id, parse_body, read, require_vnet, xml, Ctx, Outcome};
use crate::asm::xml::messages::{
    CreateVirtualNetworkGatewayParameters, List, VirtualNetworkGateway,
};
use crate::asm::xml::netcfg::SiteLocation;
use crate::emulator::error::ApiError;
use crate::emulator::operations::Hold;
use crate::emulator::state::{Subscription, VirtualNetworkGatewayRecord};
use hyper::Method;

pub fn create(sub: &mut Subscription, ctx: &Ctx<'_>, vnet: &str, body: &[u8]) -> Outcome {
    let params: CreateVirtualNetworkGatewayParameters = parse_body(body)?;
    let site = require_vnet(sub, vnet)?;
    check_conflict(sub, &[Hold::Vnet(vnet.to_string())])?;
    if sub
        .virtual_network_gateways
        .values()
        .any(|g| g.vnet == vnet)
    {
        return Err(ApiError::bad_request(format!(
            "The virtual network '{vnet}' already has a virtual network gateway."
        )));
    }
    let id = new_id();
    let location = params.location.or(match site.location {
        SiteLocation::Location(l) => Some(l),
        SiteLocation::AffinityGroup(_) => None,
    });
    let mut proposed = sub.clone();
    proposed.virtual_network_gateways.insert(
        id.clone(),
        VirtualNetworkGatewayRecord {
            vnet: vnet.to_string(),
            name: params.gateway_name.unwrap_or_default(),
            location,
            bgp: params.bgp_settings,
            gateway: gateway_ops::new_record(id.clone(), params.gateway_size, params.gateway_type),
        },
    );
    gateway_ops::create(sub, ctx, Target::Virtual(id), proposed)
}

pub fn list(sub: &Subscription) -> Outcome {
    let items = sub
        .virtual_network_gateways
        .values()
        .map(|g| message(sub, g))
        .collect();
    read(xml(200, &List { items }))
}

pub fn handle(
    sub: &mut Subscription,
    ctx: &Ctx<'_>,
    method: &Method,
    id: &str,
    body: &[u8],
) -> Outcome {
    if !sub.virtual_network_gateways.contains_key(id) {
        return Err(not_found(id));
    }
    let target = Target::Virtual(id.to_string());
    match *method {
        Method::GET => match sub.virtual_network_gateways.get(id) {
            Some(g) => read(xml(200, &message(sub, g))),
            None => Err(not_found(id)),
        },
        Method::PATCH => gateway_ops::update(sub, ctx, target, body),
        Method::DELETE => gateway_ops::delete(sub, ctx, target),
        _ => Err(ApiError::method_not_allowed()),
    }
}

pub fn not_found(id: &str) -> ApiError {
    ApiError::not_found(format!(
        "The specified virtual network gateway '{id}' was not found."
    ))
}

fn message(sub: &Subscription, g: &VirtualNetworkGatewayRecord) -> VirtualNetworkGateway {
    VirtualNetworkGateway {
        gateway_id: g.gateway.id.clone(),
        gateway_name: g.name.clone(),
        gateway_size: Some(g.gateway.size),
        gateway_type: Some(g.gateway.gateway_type),
        last_event: g.gateway.last_event.as_ref().map(event_message),
        state: g.gateway.state,
        vip_address: g.gateway.vip.clone(),
        default_sites: g.gateway.default_sites.clone(),
        enable_bgp: g.bgp.is_some(),
        location: g.location.clone(),
        subnet_id: None,
        vnet_id: sub.vnet_ids.get(&g.vnet).cloned().unwrap_or_default(),
        bgp_settings: g.bgp.clone(),
    }
}
