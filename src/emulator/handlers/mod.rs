//! The API's handlers: one file per area of asm-api.md, sharing the helpers below. Handlers run under
//! the store's lock on one subscription and report whether they changed it.

mod circuits;
mod connections;
mod gateway_ops;
mod local_network_gateways;
mod netcfg;
mod operation_status;
mod virtual_network_gateways;
mod vnet_gateway;

use super::config::{OpDelays, OpKind};
use super::error::ApiError;
use super::operations::{conflict, Effect, Hold, OpRecord, Style};
use super::routes::Route;
use super::state::Subscription;
use super::store::Handled;
use crate::asm::xml::messages::{GatewayOperationAsyncResponse, Message};
use crate::asm::xml::netcfg::{NetworkConfiguration, VirtualNetworkSite};
use hyper::Method;
use std::sync::Arc;

/// What the handlers need besides the subscription.
pub struct Ctx<'a> {
    pub delays: &'a OpDelays,
    pub now_ms: i64,
    /// This response's `x-ms-request-id` (32 hex): the id of a subscription operation it starts.
    pub request_id: &'a str,
}

/// A successful answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    Xml(u16, String),
    /// The netcfg GET answers `text/plain` (sic).
    Text(u16, String),
    Empty(u16),
}

pub type Outcome = Result<Handled<Reply>, ApiError>;

fn read(reply: Reply) -> Outcome {
    Ok(Handled {
        reply,
        changed: false,
    })
}

fn wrote(reply: Reply) -> Outcome {
    Ok(Handled {
        reply,
        changed: true,
    })
}

fn xml(status: u16, message: &impl Message) -> Reply {
    Reply::Xml(status, message.to_xml())
}

/// True for methods that may change state.
pub fn is_mutating(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD)
}

pub fn dispatch(
    sub: &mut Subscription,
    ctx: &Ctx<'_>,
    method: &Method,
    route: &Route,
    body: &[u8],
) -> Outcome {
    match route {
        Route::Netcfg => netcfg::handle(sub, ctx, method, body),
        Route::VirtualNetworkSites => only_get(method, || netcfg::list_sites(sub)),
        Route::SubscriptionOperation(id) => only_get(method, || {
            operation_status::get(sub, id, Style::Subscription)
        }),
        Route::GatewayOperation(id) => only_get(method, || {
            operation_status::get(sub, id, Style::GatewayManager)
        }),
        Route::VnetGateway(vnet) => vnet_gateway::handle(sub, ctx, method, vnet, body),
        Route::VnetVirtualNetworkGateways(vnet) => match *method {
            Method::POST => virtual_network_gateways::create(sub, ctx, vnet, body),
            _ => Err(ApiError::method_not_allowed()),
        },
        Route::VirtualNetworkGateways => only_get(method, || virtual_network_gateways::list(sub)),
        Route::VirtualNetworkGateway(id) => {
            virtual_network_gateways::handle(sub, ctx, method, id, body)
        }
        Route::LocalNetworkGateways => match *method {
            Method::GET => local_network_gateways::list(sub),
            Method::POST => local_network_gateways::create(sub, body),
            _ => Err(ApiError::method_not_allowed()),
        },
        Route::LocalNetworkGateway(id) => local_network_gateways::handle(sub, method, id, body),
        Route::GatewayConnections => match *method {
            Method::GET => connections::list(sub),
            Method::POST => connections::create(sub, ctx, body),
            _ => Err(ApiError::method_not_allowed()),
        },
        Route::GatewayConnection {
            gateway_id,
            entity_id,
        } => connections::handle(sub, ctx, method, gateway_id, entity_id, body),
        Route::DedicatedCircuits => only_get(method, || circuits::list(sub)),
        Route::DedicatedCircuit(key) => only_get(method, || circuits::get(sub, key)),
        Route::DedicatedCircuitLinks(key) => only_get(method, || circuits::list_links(sub, key)),
        Route::DedicatedCircuitLink { service_key, vnet } => {
            circuits::handle_link(sub, ctx, method, service_key, vnet)
        }
    }
}

fn only_get(method: &Method, f: impl FnOnce() -> Outcome) -> Outcome {
    if *method == Method::GET {
        f()
    } else {
        Err(ApiError::method_not_allowed())
    }
}

/// Reads a request body as message `T`.
fn parse_body<T: Message>(body: &[u8]) -> Result<T, ApiError> {
    let text = std::str::from_utf8(body).map_err(|_| ApiError::invalid_xml())?;
    Ok(T::from_xml(text)?)
}

/// The subscription's applied network configuration (empty when none).
fn applied_netcfg(sub: &Subscription) -> Arc<NetworkConfiguration> {
    sub.netcfg()
        .unwrap_or_else(|| Arc::new(NetworkConfiguration::empty()))
}

/// The VNet `name` of the applied configuration, or the service's "not valid or could not be found".
fn require_vnet(sub: &Subscription, name: &str) -> Result<VirtualNetworkSite, ApiError> {
    applied_netcfg(sub)
        .virtual_network_site(name)
        .ok_or_else(|| ApiError::unknown_vnet(name))
}

/// `409 ConflictError` when an operation in flight holds any of `holds`.
fn check_conflict(sub: &Subscription, holds: &[Hold]) -> Result<(), ApiError> {
    match conflict(sub, holds) {
        Some((what, op)) => Err(ApiError::conflict(&what, &op)),
        None => Ok(()),
    }
}

fn new_id() -> String {
    uuid::Uuid::new_v4().hyphenated().to_string()
}

/// A public address for a new gateway.
fn new_vip() -> String {
    let b = uuid::Uuid::new_v4().into_bytes();
    format!("104.{}.{}.{}", 40 + b[0] % 8, b[1], 1 + b[2] % 254)
}

/// What an asynchronous operation is.
struct OpSpec {
    style: Style,
    name: &'static str,
    kind: OpKind,
    holds: Vec<Hold>,
    effect: Effect,
}

/// Records an operation (made durable with the rest of the change) and returns its id.
fn start_operation(sub: &mut Subscription, ctx: &Ctx<'_>, spec: OpSpec) -> String {
    let id = match spec.style {
        // The subscription operation's id is the request id, dashed.
        Style::Subscription => uuid::Uuid::parse_str(ctx.request_id)
            .map(|u| u.hyphenated().to_string())
            .unwrap_or_else(|_| new_id()),
        Style::GatewayManager => new_id(),
    };
    let delay_ms = i64::try_from(ctx.delays.get(spec.kind).as_millis()).unwrap_or(i64::MAX);
    sub.operations.insert(
        id.clone(),
        OpRecord {
            id: id.clone(),
            style: spec.style,
            name: spec.name.to_string(),
            started_ms: ctx.now_ms,
            completes_at_ms: ctx.now_ms.saturating_add(delay_ms),
            done: false,
            holds: spec.holds,
            effect: spec.effect,
        },
    );
    id
}

/// Starts a gateway-manager operation and answers `status` with its id.
fn start_gateway_operation(
    sub: &mut Subscription,
    ctx: &Ctx<'_>,
    status: u16,
    name: &'static str,
    kind: OpKind,
    holds: Vec<Hold>,
    effect: Effect,
) -> Outcome {
    let id = start_operation(
        sub,
        ctx,
        OpSpec {
            style: Style::GatewayManager,
            name,
            kind,
            holds,
            effect,
        },
    );
    wrote(xml(status, &GatewayOperationAsyncResponse { id }))
}
