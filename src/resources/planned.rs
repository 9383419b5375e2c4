//! The planned address spaces of local network gateways in this provider process. Terraform plans a
//! local network gateway before the connections that reference it, in the same process (see
//! design.md section 3), so a connection's CX-TRANSIT check sees the address space being planned,
//! not only the one the service still has.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use crate::rules::LocalNetworkGatewayFacts;

/// Keyed by subscription and gateway id (ids compared case-insensitively, as the service does).
type Key = (String, String);

pub struct PlannedLocals;

fn table() -> &'static Mutex<HashMap<Key, LocalNetworkGatewayFacts>> {
    static TABLE: OnceLock<Mutex<HashMap<Key, LocalNetworkGatewayFacts>>> = OnceLock::new();
    TABLE.get_or_init(Default::default)
}

fn key(subscription: &str, id: &str) -> Key {
    (subscription.to_string(), id.to_ascii_lowercase())
}

impl PlannedLocals {
    pub fn record(subscription: &str, id: &str, facts: LocalNetworkGatewayFacts) {
        // A poisoned lock only means another plan panicked mid-insert: the map is still usable.
        let mut table = table().lock().unwrap_or_else(|e| e.into_inner());
        table.insert(key(subscription, id), facts);
    }

    pub fn get(subscription: &str, id: &str) -> Option<LocalNetworkGatewayFacts> {
        let table = table().lock().unwrap_or_else(|e| e.into_inner());
        table.get(&key(subscription, id)).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Fact;

    #[test]
    fn planned_facts_are_per_subscription_and_case_blind_on_ids() {
        let facts = LocalNetworkGatewayFacts {
            name: Fact::Known("Branch".into()),
            ..Default::default()
        };
        PlannedLocals::record("sub-planned-a", "ABC-1", facts.clone());
        assert_eq!(PlannedLocals::get("sub-planned-a", "abc-1"), Some(facts));
        assert_eq!(PlannedLocals::get("sub-planned-b", "abc-1"), None);
    }
}
