//! ExpressRoute classic circuits and their VNet links, `services/networking/dedicatedcircuits`
//! (asm-api.md section 5). Circuits are pre-provisioned (`--circuit`); links are gateway-manager
//! operations.

use super::{check_conflict, read, require_vnet, start_gateway_operation, xml, Ctx, Outcome};
use crate::asm::xml::messages::{
    CircuitStatus, DedicatedCircuit, DedicatedCircuitLink, GatewayState, LinkState, List,
    ProviderProvisioningState,
};
use crate::emulator::coexistence;
use crate::emulator::config::OpKind;
use crate::emulator::error::ApiError;
use crate::emulator::operations::{Effect, Hold};
use crate::emulator::state::{CircuitRecord, LinkRecord, Subscription};
use hyper::Method;

pub fn list(sub: &Subscription) -> Outcome {
    let items = sub.circuits.values().map(message).collect();
    read(xml(200, &List { items }))
}

pub fn get(sub: &Subscription, key: &str) -> Outcome {
    read(xml(200, &message(circuit(sub, key)?)))
}

pub fn list_links(sub: &Subscription, key: &str) -> Outcome {
    circuit(sub, key)?;
    let items = links_of(sub, key)
        .map(|l| DedicatedCircuitLink {
            state: l.state,
            vnet_name: l.vnet.clone(),
        })
        .collect();
    read(xml(200, &List { items }))
}

pub fn handle_link(
    sub: &mut Subscription,
    ctx: &Ctx<'_>,
    method: &Method,
    key: &str,
    vnet: &str,
) -> Outcome {
    let circuit = circuit(sub, key)?.clone();
    let existing = links_of(sub, key).find(|l| l.vnet == vnet).cloned();
    match (method.clone(), existing) {
        (Method::GET, Some(link)) => read(xml(
            200,
            &DedicatedCircuitLink {
                state: link.state,
                vnet_name: link.vnet,
            },
        )),
        (Method::POST, None) => create_link(sub, ctx, &circuit, vnet),
        (Method::POST, Some(_)) => Err(ApiError::bad_request(format!(
            "The virtual network '{vnet}' is already linked to dedicated circuit '{key}'."
        ))),
        (Method::DELETE, Some(link)) => delete_link(sub, ctx, link),
        (Method::GET | Method::DELETE, None) => Err(ApiError::not_found(format!(
            "The specified dedicated circuit link for virtual network '{vnet}' and service key '{key}' was not found."
        ))),
        _ => Err(ApiError::method_not_allowed()),
    }
}

fn create_link(
    sub: &mut Subscription,
    ctx: &Ctx<'_>,
    circuit: &CircuitRecord,
    vnet: &str,
) -> Outcome {
    require_vnet(sub, vnet)?;
    let holds = vec![Hold::Vnet(vnet.to_string())];
    check_conflict(sub, &holds)?;
    if circuit.status != CircuitStatus::Enabled
        || circuit.provider_state != ProviderProvisioningState::Provisioned
    {
        return Err(ApiError::bad_request(format!(
            "The dedicated circuit '{}' must be Enabled and Provisioned by its service provider to be linked; it is {} and {}.",
            circuit.service_key, circuit.status, circuit.provider_state
        )));
    }
    let gateway_ready = sub
        .vnet_gateways
        .get(vnet)
        .is_some_and(|g| g.state == GatewayState::Provisioned);
    if !gateway_ready {
        return Err(ApiError::gateway_state());
    }
    let record = LinkRecord {
        service_key: circuit.service_key.clone(),
        vnet: vnet.to_string(),
        state: LinkState::Provisioning,
    };
    let mut proposed = sub.clone();
    proposed.links.push(LinkRecord {
        state: LinkState::Provisioned,
        ..record.clone()
    });
    coexistence::check(sub, &proposed)?;
    sub.links.push(record);
    start_gateway_operation(
        sub,
        ctx,
        202,
        "CreateDedicatedCircuitLink",
        OpKind::Link,
        holds,
        Effect::LinkProvisioned {
            service_key: circuit.service_key.clone(),
            vnet: vnet.to_string(),
        },
    )
}

fn delete_link(sub: &mut Subscription, ctx: &Ctx<'_>, link: LinkRecord) -> Outcome {
    let holds = vec![Hold::Vnet(link.vnet.clone())];
    check_conflict(sub, &holds)?;
    if link.state != LinkState::Provisioned {
        return Err(ApiError::gateway_state());
    }
    let mut proposed = sub.clone();
    proposed
        .links
        .retain(|l| !(l.service_key == link.service_key && l.vnet == link.vnet));
    coexistence::check(sub, &proposed)?;
    if let Some(l) = sub
        .links
        .iter_mut()
        .find(|l| l.service_key == link.service_key && l.vnet == link.vnet)
    {
        l.state = LinkState::Deprovisioning;
    }
    start_gateway_operation(
        sub,
        ctx,
        202,
        "DeleteDedicatedCircuitLink",
        OpKind::Link,
        holds,
        Effect::LinkRemoved {
            service_key: link.service_key,
            vnet: link.vnet,
        },
    )
}

fn circuit<'s>(sub: &'s Subscription, key: &str) -> Result<&'s CircuitRecord, ApiError> {
    // Service keys are GUIDs: match them in any case.
    let normalized = key.to_ascii_lowercase();
    sub.circuits
        .get(&normalized)
        .ok_or_else(|| ApiError::circuit_not_found(key))
}

fn links_of<'s>(sub: &'s Subscription, key: &str) -> impl Iterator<Item = &'s LinkRecord> {
    let normalized = key.to_ascii_lowercase();
    sub.links
        .iter()
        .filter(move |l| l.service_key == normalized)
}

fn message(c: &CircuitRecord) -> DedicatedCircuit {
    DedicatedCircuit {
        bandwidth: c.bandwidth,
        billing_type: Some("UnlimitedData".to_string()),
        circuit_name: c.name.clone(),
        location: c.location.clone(),
        service_key: c.service_key.clone(),
        service_provider_name: c.provider_name.clone(),
        service_provider_provisioning_state: c.provider_state,
        sku: Some("Standard".to_string()),
        status: c.status,
    }
}
