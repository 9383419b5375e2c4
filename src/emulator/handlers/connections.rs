//! Gateway connections, `services/networking/gatewayconnections` (asm-api.md section 4c). Created,
//! updated and deleted by gateway-manager operations; the change lands when the operation completes.

use super::local_network_gateways::not_found as local_not_found;
use super::virtual_network_gateways::not_found as gateway_not_found;
use super::{check_conflict, parse_body, read, start_gateway_operation, xml, Ctx, Outcome};
use crate::asm::xml::messages::{
    CreateGatewayConnectionParameters, GatewayConnection, GatewayState, List, SharedKey,
    UpdateGatewayConnectionParameters,
};
use crate::emulator::coexistence;
use crate::emulator::config::OpKind;
use crate::emulator::error::ApiError;
use crate::emulator::operations::{Effect, Hold};
use crate::emulator::state::{ConnectionRecord, Subscription};
use hyper::Method;

pub fn create(sub: &mut Subscription, ctx: &Ctx<'_>, body: &[u8]) -> Outcome {
    let params: CreateGatewayConnectionParameters = parse_body(body)?;
    let c = params.connection;
    let gateway = sub
        .virtual_network_gateways
        .get(&c.virtual_network_gateway_id)
        .ok_or_else(|| gateway_not_found(&c.virtual_network_gateway_id))?;
    let holds = vec![Hold::Gateway(c.virtual_network_gateway_id.clone())];
    check_conflict(sub, &holds)?;
    if gateway.gateway.state != GatewayState::Provisioned {
        return Err(ApiError::gateway_state());
    }
    if !sub
        .local_network_gateways
        .contains_key(&c.connected_entity_id)
    {
        return Err(local_not_found(&c.connected_entity_id));
    }
    if find(sub, &c.virtual_network_gateway_id, &c.connected_entity_id).is_some() {
        return Err(ApiError::bad_request(format!(
            "A connection between gateway '{}' and '{}' already exists.",
            c.virtual_network_gateway_id, c.connected_entity_id
        )));
    }
    let record = ConnectionRecord {
        name: c.gateway_connection_name,
        gateway_id: c.virtual_network_gateway_id,
        connected_entity_id: c.connected_entity_id,
        connection_type: c.gateway_connection_type,
        routing_weight: c.routing_weight,
        shared_key: c.shared_key.map(|k| k.expose().to_string()),
        enable_bgp: c.enable_bgp,
    };
    let mut proposed = sub.clone();
    proposed.connections.push(record.clone());
    coexistence::check(sub, &proposed)?;
    start_gateway_operation(
        sub,
        ctx,
        202,
        "CreateGatewayConnectionWorkItem",
        OpKind::Connection,
        holds,
        Effect::ConnectionCreated { connection: record },
    )
}

pub fn list(sub: &Subscription) -> Outcome {
    let items = sub.connections.iter().map(message).collect();
    read(xml(200, &List { items }))
}

pub fn handle(
    sub: &mut Subscription,
    ctx: &Ctx<'_>,
    method: &Method,
    gateway_id: &str,
    entity_id: &str,
    body: &[u8],
) -> Outcome {
    let Some(existing) = find(sub, gateway_id, entity_id).cloned() else {
        return Err(ApiError::not_found(format!(
            "The connection between gateway '{gateway_id}' and '{entity_id}' was not found."
        )));
    };
    let holds = vec![Hold::Gateway(gateway_id.to_string())];
    match *method {
        Method::GET => read(xml(200, &message(&existing))),
        Method::PATCH => {
            let params: UpdateGatewayConnectionParameters = parse_body(body)?;
            check_conflict(sub, &holds)?;
            let updated = ConnectionRecord {
                routing_weight: params.routing_weight.or(existing.routing_weight),
                shared_key: params
                    .shared_key
                    .map(|k| k.expose().to_string())
                    .or(existing.shared_key.clone()),
                enable_bgp: params.enable_bgp.or(existing.enable_bgp),
                ..existing
            };
            start_gateway_operation(
                sub,
                ctx,
                202,
                "UpdateGatewayConnectionWorkItem",
                OpKind::Connection,
                holds,
                Effect::ConnectionUpdated {
                    connection: updated,
                },
            )
        }
        Method::DELETE => {
            check_conflict(sub, &holds)?;
            start_gateway_operation(
                sub,
                ctx,
                202,
                "DeleteGatewayConnectionWorkItem",
                OpKind::Connection,
                holds,
                Effect::ConnectionRemoved {
                    gateway_id: gateway_id.to_string(),
                    connected_entity_id: entity_id.to_string(),
                },
            )
        }
        _ => Err(ApiError::method_not_allowed()),
    }
}

fn find<'s>(
    sub: &'s Subscription,
    gateway_id: &str,
    entity_id: &str,
) -> Option<&'s ConnectionRecord> {
    sub.connections
        .iter()
        .find(|c| c.gateway_id == gateway_id && c.connected_entity_id == entity_id)
}

fn message(c: &ConnectionRecord) -> GatewayConnection {
    GatewayConnection {
        connected_entity_id: c.connected_entity_id.clone(),
        gateway_connection_name: c.name.clone(),
        gateway_connection_type: c.connection_type,
        virtual_network_gateway_id: c.gateway_id.clone(),
        routing_weight: c.routing_weight,
        shared_key: c.shared_key.clone().map(SharedKey::new),
        enable_bgp: c.enable_bgp,
    }
}
