//! The planned facts of VNets and their gateways and circuit link, kept for the life of the provider
//! process and keyed by (subscription, VNet name).
//!
//! Terraform plans a VNet before anything that references its name, in the same provider process
//! (see design.md section 3), so when a gateway or a circuit link is planned, the registry holds its
//! VNet's planned configuration and that of the siblings planned before it. A VNet missing from the
//! registry is not in the configuration: its facts then come from the service.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, OnceLock};

use crate::rules::{CircuitLinkFacts, ExpressRouteGatewayFacts, VnetFacts, VpnGatewayFacts};

/// What the configuration plans for one VNet, as far as planned so far.
#[derive(Clone, Debug, Default)]
pub struct PlannedNetwork {
    pub vnet: Option<VnetFacts>,
    pub expressroute_gateway: Option<ExpressRouteGatewayFacts>,
    /// By GatewayName.
    pub vpn_gateways: BTreeMap<String, VpnGatewayFacts>,
    pub circuit_link: Option<CircuitLinkFacts>,
}

type Key = (String, String);

fn registry() -> &'static Mutex<HashMap<Key, PlannedNetwork>> {
    static REGISTRY: OnceLock<Mutex<HashMap<Key, PlannedNetwork>>> = OnceLock::new();
    REGISTRY.get_or_init(Default::default)
}

/// The service compares VNet names (and subscription ids) case-insensitively.
fn key(subscription: &str, vnet: &str) -> Key {
    (subscription.to_ascii_lowercase(), vnet.to_ascii_lowercase())
}

/// A copy of what is planned for `vnet` so far.
pub fn planned(subscription: &str, vnet: &str) -> PlannedNetwork {
    let map = registry().lock().unwrap_or_else(|p| p.into_inner());
    map.get(&key(subscription, vnet))
        .cloned()
        .unwrap_or_default()
}

/// Records (replaces) part of what is planned for `vnet`.
pub fn record(subscription: &str, vnet: &str, update: impl FnOnce(&mut PlannedNetwork)) {
    let mut map = registry().lock().unwrap_or_else(|p| p.into_inner());
    update(map.entry(key(subscription, vnet)).or_default());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Fact;

    #[test]
    fn records_are_found_case_insensitively_and_kept_apart_per_subscription() {
        record("Sub-A", "MyVNet", |p| {
            p.vnet = Some(VnetFacts {
                name: Fact::Known("MyVNet".into()),
                ..Default::default()
            })
        });
        record("sub-a", "myvnet", |p| {
            p.expressroute_gateway = Some(ExpressRouteGatewayFacts::default())
        });
        let found = planned("SUB-A", "MYVNET");
        assert!(found.vnet.is_some());
        assert!(found.expressroute_gateway.is_some());
        assert!(planned("sub-b", "MyVNet").vnet.is_none());
    }
}
