//! The VNet's own gateway, `services/networking/{vnet}/gateway` (asm-api.md section 3): the ExpressRoute
//! gateway of the coexistence procedure.

use super::gateway_ops::{self, event_message, Target};
use super::{check_conflict, new_id, parse_body, read, require_vnet, xml, Ctx, Outcome};
use crate::asm::xml::messages::{CreateGatewayParameters, Gateway};
use crate::emulator::error::ApiError;
use crate::emulator::operations::Hold;
use crate::emulator::state::{GatewayRecord, Subscription};
use hyper::Method;

pub fn handle(
    sub: &mut Subscription,
    ctx: &Ctx<'_>,
    method: &Method,
    vnet: &str,
    body: &[u8],
) -> Outcome {
    require_vnet(sub, vnet)?;
    let target = Target::Vnet(vnet.to_string());
    match *method {
        Method::GET => {
            let gateway = sub
                .vnet_gateways
                .get(vnet)
                .map_or_else(Gateway::not_provisioned, message);
            read(xml(200, &gateway))
        }
        Method::POST => create(sub, ctx, vnet, body),
        Method::PATCH => gateway_ops::update(sub, ctx, target, body),
        Method::DELETE => gateway_ops::delete(sub, ctx, target),
        _ => Err(ApiError::method_not_allowed()),
    }
}

fn create(sub: &mut Subscription, ctx: &Ctx<'_>, vnet: &str, body: &[u8]) -> Outcome {
    let params: CreateGatewayParameters = parse_body(body)?;
    check_conflict(sub, &[Hold::Vnet(vnet.to_string())])?;
    if sub.vnet_gateways.contains_key(vnet) {
        return Err(ApiError::gateway_state());
    }
    let mut proposed = sub.clone();
    proposed.vnet_gateways.insert(
        vnet.to_string(),
        gateway_ops::new_record(new_id(), params.gateway_size, params.gateway_type),
    );
    gateway_ops::create(sub, ctx, Target::Vnet(vnet.to_string()), proposed)
}

fn message(g: &GatewayRecord) -> Gateway {
    Gateway {
        gateway_type: g.gateway_type,
        last_event: g.last_event.as_ref().map(event_message),
        state: g.state,
        vip_address: g.vip.clone(),
        default_sites: g.default_sites.clone(),
        gateway_size: Some(g.size),
        gateway_id: Some(g.id.clone()),
    }
}
