//! Asynchronous operations. An operation is recorded, durably, together with the exact change it makes
//! when it completes and the time it completes; the change is applied in one step by [`settle`]. So an
//! operation in flight when the emulator is killed completes after restart exactly as it would have,
//! and is never half-applied.

use super::state::{ConnectionRecord, EventRecord, Subscription};
use crate::asm::xml::messages::{
    GatewayOperation, GatewayOperationStatus, GatewaySize, GatewayState, LinkState, Message,
    Operation, OperationStatus,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Completed operations are kept this long for polling, then forgotten.
const RETAIN_COMPLETED_MS: i64 = 24 * 3600 * 1000;

/// Which polling style reports the operation (asm-api.md section 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Style {
    /// Subscription operation: `GET /{sub}/operations/{id}`.
    Subscription,
    /// Gateway manager operation: `GET /{sub}/services/networking/operation/{id}`.
    GatewayManager,
}

/// What an in-flight operation holds: a second mutating call on the same thing is a conflict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Hold {
    Netcfg,
    Vnet(String),
    Gateway(String),
}

impl Hold {
    fn describe(&self) -> String {
        match self {
            Hold::Netcfg => "The network configuration".to_string(),
            Hold::Vnet(v) => format!("Virtual network '{v}'"),
            Hold::Gateway(g) => format!("Gateway '{g}'"),
        }
    }
}

/// The change an operation makes when it completes. Everything random (ids, addresses) is chosen when
/// the operation is accepted, so completing it is deterministic.
#[derive(Clone, Serialize, Deserialize)]
pub enum Effect {
    ApplyNetcfg {
        xml: String,
        vnet_ids: BTreeMap<String, String>,
    },
    VnetGatewayProvisioned {
        vnet: String,
        vip: String,
    },
    VnetGatewayRemoved {
        vnet: String,
    },
    VnetGatewayResized {
        vnet: String,
        size: Option<GatewaySize>,
    },
    VirtualNetworkGatewayProvisioned {
        id: String,
        vip: String,
    },
    VirtualNetworkGatewayRemoved {
        id: String,
    },
    VirtualNetworkGatewayResized {
        id: String,
        size: Option<GatewaySize>,
    },
    LinkProvisioned {
        service_key: String,
        vnet: String,
    },
    LinkRemoved {
        service_key: String,
        vnet: String,
    },
    ConnectionCreated {
        connection: ConnectionRecord,
    },
    ConnectionUpdated {
        connection: ConnectionRecord,
    },
    ConnectionRemoved {
        gateway_id: String,
        connected_entity_id: String,
    },
}

#[derive(Clone, Serialize, Deserialize)]
pub struct OpRecord {
    /// Dashed GUID.
    pub id: String,
    pub style: Style,
    /// `CreateGateway`, `DeleteGateway`, ...; empty for subscription operations.
    pub name: String,
    pub started_ms: i64,
    pub completes_at_ms: i64,
    pub done: bool,
    pub holds: Vec<Hold>,
    pub effect: Effect,
}

impl OpRecord {
    pub fn in_flight(&self) -> bool {
        !self.done
    }

    /// The status document of the operation's polling style.
    pub fn status_xml(&self) -> String {
        match self.style {
            Style::Subscription => Operation {
                id: self.id.clone(),
                status: if self.done {
                    OperationStatus::Succeeded
                } else {
                    OperationStatus::InProgress
                },
                http_status_code: self.done.then_some(200),
                error: None,
            }
            .to_xml(),
            Style::GatewayManager => GatewayOperation {
                id: self.id.clone(),
                operation_name: self.name.clone(),
                operation_started_time: timestamp(self.started_ms, false),
                operation_completed_time: self.done.then(|| timestamp(self.completes_at_ms, false)),
                status: if self.done {
                    GatewayOperationStatus::Successful
                } else {
                    GatewayOperationStatus::InProgress
                },
                http_status_code: self.done.then(|| "OK".to_string()),
                data: None,
                error: None,
            }
            .to_xml(),
        }
    }
}

/// `2015-04-11T23:18:03.8661764` (7 fractional digits; with `Z` when `zulu`).
pub fn timestamp(ms: i64, zulu: bool) -> String {
    let t = chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default();
    let ticks = t.timestamp_subsec_nanos() / 100;
    format!(
        "{}.{ticks:07}{}",
        t.format("%Y-%m-%dT%H:%M:%S"),
        if zulu { "Z" } else { "" }
    )
}

pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// The in-flight operation that holds any of `holds`, described for the conflict error.
pub fn conflict(sub: &Subscription, holds: &[Hold]) -> Option<(String, String)> {
    sub.operations
        .values()
        .filter(|op| op.in_flight())
        .find_map(|op| {
            op.holds
                .iter()
                .find(|h| holds.contains(h))
                .map(|h| (h.describe(), op.id.clone()))
        })
}

/// Completes every operation due by `now_ms`, in completion order. Returns true when anything changed.
pub fn settle(sub: &mut Subscription, now_ms: i64) -> bool {
    let mut due: Vec<(i64, String)> = sub
        .operations
        .values()
        .filter(|op| op.in_flight() && op.completes_at_ms <= now_ms)
        .map(|op| (op.completes_at_ms, op.id.clone()))
        .collect();
    let before = sub.operations.len();
    sub.operations
        .retain(|_, op| op.in_flight() || now_ms - op.completes_at_ms < RETAIN_COMPLETED_MS);
    let pruned = before != sub.operations.len();
    if due.is_empty() {
        return pruned;
    }
    due.sort();
    for (at, id) in due {
        let Some(op) = sub.operations.get_mut(&id) else {
            continue;
        };
        op.done = true;
        let effect = op.effect.clone();
        apply(sub, effect, at);
    }
    true
}

fn provisioned_event(vnet: &str, at_ms: i64) -> EventRecord {
    EventRecord {
        id: "23002".to_string(),
        message: format!(
            "Successfully created a gateway for the following virtual network: {vnet}"
        ),
        timestamp: timestamp(at_ms, true),
    }
}

fn apply(sub: &mut Subscription, effect: Effect, at_ms: i64) {
    match effect {
        Effect::ApplyNetcfg { xml, vnet_ids } => {
            sub.set_netcfg(xml);
            sub.vnet_ids = vnet_ids;
        }
        Effect::VnetGatewayProvisioned { vnet, vip } => {
            if let Some(g) = sub.vnet_gateways.get_mut(&vnet) {
                g.state = GatewayState::Provisioned;
                g.vip = Some(vip);
                g.last_event = Some(provisioned_event(&vnet, at_ms));
            }
        }
        Effect::VnetGatewayRemoved { vnet } => {
            sub.vnet_gateways.remove(&vnet);
        }
        Effect::VnetGatewayResized { vnet, size } => {
            if let (Some(g), Some(size)) = (sub.vnet_gateways.get_mut(&vnet), size) {
                g.size = size;
            }
        }
        Effect::VirtualNetworkGatewayProvisioned { id, vip } => {
            if let Some(g) = sub.virtual_network_gateways.get_mut(&id) {
                g.gateway.state = GatewayState::Provisioned;
                g.gateway.vip = Some(vip);
                g.gateway.last_event = Some(provisioned_event(&g.vnet, at_ms));
            }
        }
        Effect::VirtualNetworkGatewayRemoved { id } => {
            sub.virtual_network_gateways.remove(&id);
        }
        Effect::VirtualNetworkGatewayResized { id, size } => {
            if let (Some(g), Some(size)) = (sub.virtual_network_gateways.get_mut(&id), size) {
                g.gateway.size = size;
            }
        }
        Effect::LinkProvisioned { service_key, vnet } => {
            if let Some(l) = sub
                .links
                .iter_mut()
                .find(|l| l.service_key == service_key && l.vnet == vnet)
            {
                l.state = LinkState::Provisioned;
            }
        }
        Effect::LinkRemoved { service_key, vnet } => {
            sub.links
                .retain(|l| !(l.service_key == service_key && l.vnet == vnet));
        }
        Effect::ConnectionCreated { connection } | Effect::ConnectionUpdated { connection } => {
            sub.connections.retain(|c| {
                !(c.gateway_id == connection.gateway_id
                    && c.connected_entity_id == connection.connected_entity_id)
            });
            sub.connections.push(connection);
        }
        Effect::ConnectionRemoved {
            gateway_id,
            connected_entity_id,
        } => {
            sub.connections.retain(|c| {
                !(c.gateway_id == gateway_id && c.connected_entity_id == connected_entity_id)
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_have_seven_fractional_digits() {
        assert_eq!(
            timestamp(1_428_794_283_866, false),
            "2015-04-11T23:18:03.8660000"
        );
        assert_eq!(
            timestamp(1_428_794_283_866, true),
            "2015-04-11T23:18:03.8660000Z"
        );
    }

    #[test]
    fn settle_applies_due_effects_once_in_order() {
        let mut sub = Subscription::default();
        let op = |id: &str, at: i64, vnet: &str| OpRecord {
            id: id.into(),
            style: Style::GatewayManager,
            name: "DeleteGateway".into(),
            started_ms: 0,
            completes_at_ms: at,
            done: false,
            holds: vec![Hold::Vnet(vnet.into())],
            effect: Effect::VnetGatewayRemoved { vnet: vnet.into() },
        };
        sub.operations.insert("a".into(), op("a", 100, "v1"));
        sub.operations.insert("b".into(), op("b", 300, "v2"));
        assert!(conflict(&sub, &[Hold::Vnet("v1".into())]).is_some());
        assert!(conflict(&sub, &[Hold::Netcfg]).is_none());
        assert!(!settle(&mut sub, 50));
        assert!(settle(&mut sub, 200));
        assert!(sub.operations["a"].done && !sub.operations["b"].done);
        assert!(conflict(&sub, &[Hold::Vnet("v1".into())]).is_none());
        assert!(sub.operations["a"]
            .status_xml()
            .contains("<Status>Successful</Status>"));
        assert!(sub.operations["b"]
            .status_xml()
            .contains("<Status>InProgress</Status>"));
        assert!(!settle(&mut sub, 250));
        // Completed operations are forgotten after a day.
        assert!(settle(&mut sub, 300 + RETAIN_COMPLETED_MS + 1));
        assert!(!sub.operations.contains_key("a"));
    }
}
