//! CX-CIRCUIT: a circuit link needs an ExpressRoute circuit that is `Enabled` and whose service
//! provider provisioning state is `Provisioned` (the procedure requires a configured circuit
//! before any step).

use crate::rules::enums::{CircuitStatus, ProvisioningState};
use crate::rules::finding::{AttrPath, Explanation, Finding, RuleId};
use crate::rules::model::{CircuitFacts, Fact};

const WHY: &str = "An ExpressRoute circuit must be created, provisioned by the connectivity \
                   provider and have its routing configured before a VNet can be linked to it.";

fn not_ready(summary: &str, value: &str, fix: &str) -> Finding {
    Finding::error(
        RuleId::Circuit,
        AttrPath::of("service_key"),
        summary,
        Explanation {
            value,
            why: WHY,
            fix,
        },
    )
}

pub fn check_circuit(
    circuit: Fact<Option<&CircuitFacts>>,
    service_key: &Fact<String>,
) -> Vec<Finding> {
    let key = service_key.known().map_or("?", String::as_str);
    let Some(circuit) = circuit.known() else {
        return Vec::new();
    };
    let Some(circuit) = circuit else {
        return vec![not_ready(
            "no ExpressRoute circuit has this service key",
            &format!("No circuit with service key {key} exists in the subscription."),
            "check the service key, or create the circuit first.",
        )];
    };
    let mut findings = Vec::new();
    if let Fact::Known(status) = circuit.status {
        if status != CircuitStatus::Enabled {
            findings.push(not_ready(
                "the ExpressRoute circuit is not enabled",
                &format!("Circuit {key} has status {status}."),
                "wait until the circuit is Enabled, then apply again.",
            ));
        }
    }
    if let Fact::Known(state) = circuit.service_provider_provisioning_state {
        if state != ProvisioningState::Provisioned {
            findings.push(not_ready(
                "the ExpressRoute circuit is not provisioned by its service provider",
                &format!("Circuit {key} has service provider provisioning state {state}."),
                "ask the connectivity provider to provision the circuit; apply again once it is \
                 Provisioned.",
            ));
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::*;

    fn circuit(status: Fact<CircuitStatus>, state: Fact<ProvisioningState>) -> CircuitFacts {
        CircuitFacts {
            service_key: known("aec3ca48-6940-41bb-95f0-929627ea42f6"),
            status,
            service_provider_provisioning_state: state,
        }
    }

    #[test]
    fn circuit_table() {
        use CircuitStatus::{Enabled, Enabling};
        use ProvisioningState::{NotProvisioned, Provisioned};
        let key = known("aec3ca48-6940-41bb-95f0-929627ea42f6");
        let at = pair("CX-CIRCUIT", "service_key");
        let ready = circuit(Fact::Known(Enabled), Fact::Known(Provisioned));
        let enabling = circuit(Fact::Known(Enabling), Fact::Known(Provisioned));
        let unprovisioned = circuit(Fact::Known(Enabled), Fact::Known(NotProvisioned));
        let neither = circuit(Fact::Known(Enabling), Fact::Known(NotProvisioned));
        let unknown = circuit(Fact::Unknown, Fact::Unknown);
        let cases = [
            (Fact::Known(Some(&ready)), vec![]),
            (Fact::Known(Some(&enabling)), vec![at.clone()]),
            (Fact::Known(Some(&unprovisioned)), vec![at.clone()]),
            (Fact::Known(Some(&neither)), vec![at.clone(), at.clone()]),
            (Fact::Known(Some(&unknown)), vec![]),
            (Fact::Known(None), vec![at]),
            (Fact::Unknown, vec![]),
        ];
        for (c, want) in cases {
            assert_eq!(ids(&check_circuit(c, &key)), want, "{c:?}");
        }
    }
}
