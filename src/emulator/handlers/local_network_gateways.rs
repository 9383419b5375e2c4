//! Local network gateways, `services/networking/localnetworkgateways` (asm-api.md section 4b):
//! synchronous.

use super::{new_id, parse_body, read, wrote, xml, Outcome, Reply};
use crate::asm::xml::messages::{
    CreateLocalNetworkGatewayParameters, List, LocalNetworkGateway, SerializedString,
    UpdateLocalNetworkGatewayParameters,
};
use crate::emulator::coexistence;
use crate::emulator::error::ApiError;
use crate::emulator::state::{LocalNetworkGatewayRecord, Subscription};
use hyper::Method;

pub fn create(sub: &mut Subscription, body: &[u8]) -> Outcome {
    let params: CreateLocalNetworkGatewayParameters = parse_body(body)?;
    let id = new_id();
    let mut proposed = sub.clone();
    proposed.local_network_gateways.insert(
        id.clone(),
        LocalNetworkGatewayRecord {
            id: id.clone(),
            name: params.gateway_name,
            ip_address: params.ip_address,
            address_space: params.address_space,
            bgp: params.bgp_settings,
        },
    );
    coexistence::check(sub, &proposed)?;
    *sub = proposed;
    wrote(Reply::Xml(200, SerializedString { value: id }.to_xml()))
}

pub fn list(sub: &Subscription) -> Outcome {
    let items = sub.local_network_gateways.values().map(message).collect();
    read(xml(200, &List { items }))
}

pub fn handle(sub: &mut Subscription, method: &Method, id: &str, body: &[u8]) -> Outcome {
    let Some(record) = sub.local_network_gateways.get(id) else {
        return Err(not_found(id));
    };
    match *method {
        Method::GET => read(xml(200, &message(record))),
        Method::PATCH => {
            let params: UpdateLocalNetworkGatewayParameters = parse_body(body)?;
            let mut proposed = sub.clone();
            if let Some(r) = proposed.local_network_gateways.get_mut(id) {
                r.address_space = params.address_space;
                r.bgp = params.bgp_settings;
            }
            coexistence::check(sub, &proposed)?;
            *sub = proposed;
            wrote(Reply::Empty(200))
        }
        Method::DELETE => {
            if sub.connections.iter().any(|c| c.connected_entity_id == id) {
                return Err(ApiError::bad_request(format!(
                    "The local network gateway '{id}' cannot be deleted while connections use it; delete them first."
                )));
            }
            sub.local_network_gateways.remove(id);
            wrote(Reply::Empty(200))
        }
        _ => Err(ApiError::method_not_allowed()),
    }
}

pub fn not_found(id: &str) -> ApiError {
    ApiError::not_found(format!(
        "The specified local network gateway '{id}' was not found."
    ))
}

fn message(r: &LocalNetworkGatewayRecord) -> LocalNetworkGateway {
    LocalNetworkGateway {
        address_space: r.address_space.clone(),
        gateway_name: r.name.clone(),
        id: r.id.clone(),
        ip_address: r.ip_address.clone(),
        bgp_settings: r.bgp.clone(),
    }
}
