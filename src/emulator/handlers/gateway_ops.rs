//! What the VNet's own gateway (`{vnet}/gateway`, section 3) and the multi-gateway API's gateways
//! (`virtualnetworkgateways/{id}`, section 4a) share: create, resize/reset and delete as
//! gateway-manager operations, and the state checks around them.

use super::{check_conflict, new_vip, parse_body, start_gateway_operation, Ctx, Outcome};
use crate::asm::xml::messages::{
    GatewayEvent, GatewayState, UpdateGatewayOperation, UpdateGatewayParameters,
};
use crate::emulator::coexistence;
use crate::emulator::config::OpKind;
use crate::emulator::error::ApiError;
use crate::emulator::operations::{Effect, Hold};
use crate::emulator::state::{EventRecord, GatewayRecord, Subscription};

/// Which gateway an operation is about.
pub enum Target {
    /// The VNet's own gateway, by VNet name.
    Vnet(String),
    /// A multi-gateway API gateway, by GatewayId.
    Virtual(String),
}

impl Target {
    pub fn record<'s>(&self, sub: &'s Subscription) -> Option<&'s GatewayRecord> {
        match self {
            Target::Vnet(v) => sub.vnet_gateways.get(v),
            Target::Virtual(id) => sub.virtual_network_gateways.get(id).map(|g| &g.gateway),
        }
    }

    fn record_mut<'s>(&self, sub: &'s mut Subscription) -> Option<&'s mut GatewayRecord> {
        match self {
            Target::Vnet(v) => sub.vnet_gateways.get_mut(v),
            Target::Virtual(id) => sub
                .virtual_network_gateways
                .get_mut(id)
                .map(|g| &mut g.gateway),
        }
    }

    fn vnet(&self, sub: &Subscription) -> Option<String> {
        match self {
            Target::Vnet(v) => Some(v.clone()),
            Target::Virtual(id) => sub.virtual_network_gateways.get(id).map(|g| g.vnet.clone()),
        }
    }

    /// The VNet and the gateway: what an operation on this gateway holds.
    fn holds(&self, sub: &Subscription, gateway_id: &str) -> Vec<Hold> {
        let mut holds = vec![Hold::Gateway(gateway_id.to_string())];
        holds.extend(self.vnet(sub).map(Hold::Vnet));
        holds
    }

    fn provisioned(&self, vip: String) -> Effect {
        match self {
            Target::Vnet(v) => Effect::VnetGatewayProvisioned {
                vnet: v.clone(),
                vip,
            },
            Target::Virtual(id) => Effect::VirtualNetworkGatewayProvisioned {
                id: id.clone(),
                vip,
            },
        }
    }

    fn removed(&self) -> Effect {
        match self {
            Target::Vnet(v) => Effect::VnetGatewayRemoved { vnet: v.clone() },
            Target::Virtual(id) => Effect::VirtualNetworkGatewayRemoved { id: id.clone() },
        }
    }

    fn resized(&self, size: Option<crate::asm::xml::messages::GatewaySize>) -> Effect {
        match self {
            Target::Vnet(v) => Effect::VnetGatewayResized {
                vnet: v.clone(),
                size,
            },
            Target::Virtual(id) => Effect::VirtualNetworkGatewayResized {
                id: id.clone(),
                size,
            },
        }
    }

    /// What keeps the gateway from being deleted: circuit links of the VNet's own gateway, connections
    /// of a multi-gateway API gateway.
    fn delete_blocker(&self, sub: &Subscription) -> Option<ApiError> {
        match self {
            Target::Vnet(v) => sub.links.iter().any(|l| &l.vnet == v).then(|| {
                ApiError::bad_request(format!(
                    "The gateway of virtual network '{v}' cannot be deleted while a dedicated circuit link uses it; remove the link first."
                ))
            }),
            Target::Virtual(id) => sub.connections.iter().any(|c| &c.gateway_id == id).then(|| {
                ApiError::bad_request(format!(
                    "The gateway '{id}' cannot be deleted while it has connections; delete them first."
                ))
            }),
        }
    }
}

/// A new gateway record, `Provisioning` until its create operation completes.
pub fn new_record(
    id: String,
    size: Option<crate::asm::xml::messages::GatewaySize>,
    gateway_type: Option<crate::asm::xml::messages::GatewayType>,
) -> GatewayRecord {
    GatewayRecord {
        id,
        size: size.unwrap_or(crate::asm::xml::messages::GatewaySize::Default),
        // The classic service's default is policy-based routing.
        gateway_type: gateway_type.unwrap_or(crate::asm::xml::messages::GatewayType::StaticRouting),
        state: GatewayState::Provisioning,
        vip: None,
        last_event: None,
        default_sites: Vec::new(),
    }
}

/// Checks the rules against `proposed` (the subscription with the new gateway in it), then commits it
/// and starts the create operation.
pub fn create(
    sub: &mut Subscription,
    ctx: &Ctx<'_>,
    target: Target,
    proposed: Subscription,
) -> Outcome {
    coexistence::check(sub, &proposed)?;
    let Some(id) = target.record(&proposed).map(|r| r.id.clone()) else {
        return Err(ApiError::internal());
    };
    let holds = target.holds(&proposed, &id);
    *sub = proposed;
    let effect = target.provisioned(new_vip());
    start_gateway_operation(
        sub,
        ctx,
        201,
        "CreateGateway",
        OpKind::GatewayCreate,
        holds,
        effect,
    )
}

/// `PATCH`: resize (with a size) or reset.
pub fn update(sub: &mut Subscription, ctx: &Ctx<'_>, target: Target, body: &[u8]) -> Outcome {
    let params: UpdateGatewayParameters = parse_body(body)?;
    let record = provisioned(sub, &target)?;
    let holds = target.holds(sub, &record.id);
    let (name, size) = match params.operation {
        UpdateGatewayOperation::Resize => {
            let size = params
                .gateway_size
                .ok_or_else(ApiError::not_deserializable)?;
            let mut proposed = sub.clone();
            if let Some(r) = target.record_mut(&mut proposed) {
                r.size = size;
            }
            coexistence::check(sub, &proposed)?;
            ("UpgradeGateway", Some(size))
        }
        UpdateGatewayOperation::Reset => ("ResetGateway", None),
    };
    let effect = target.resized(size);
    start_gateway_operation(sub, ctx, 202, name, OpKind::GatewayResize, holds, effect)
}

/// `DELETE`: `Deprovisioning` until the operation completes, then gone.
pub fn delete(sub: &mut Subscription, ctx: &Ctx<'_>, target: Target) -> Outcome {
    let record = provisioned(sub, &target)?;
    let holds = target.holds(sub, &record.id);
    if let Some(blocked) = target.delete_blocker(sub) {
        return Err(blocked);
    }
    let mut proposed = sub.clone();
    match &target {
        Target::Vnet(v) => {
            proposed.vnet_gateways.remove(v);
        }
        Target::Virtual(id) => {
            proposed.virtual_network_gateways.remove(id);
        }
    }
    coexistence::check(sub, &proposed)?;
    if let Some(r) = target.record_mut(sub) {
        r.state = GatewayState::Deprovisioning;
    }
    let effect = target.removed();
    start_gateway_operation(
        sub,
        ctx,
        202,
        "DeleteGateway",
        OpKind::GatewayDelete,
        holds,
        effect,
    )
}

/// The gateway's record when it is `Provisioned`; otherwise the service's state error (a conflict
/// when an operation on it is in flight).
fn provisioned(sub: &Subscription, target: &Target) -> Result<GatewayRecord, ApiError> {
    let record = target.record(sub).ok_or_else(ApiError::gateway_state)?;
    check_conflict(sub, &target.holds(sub, &record.id))?;
    if record.state == GatewayState::Provisioned {
        Ok(record.clone())
    } else {
        Err(ApiError::gateway_state())
    }
}

pub fn event_message(e: &EventRecord) -> GatewayEvent {
    GatewayEvent {
        data: None,
        id: e.id.clone(),
        message: e.message.clone(),
        timestamp: e.timestamp.clone(),
    }
}
