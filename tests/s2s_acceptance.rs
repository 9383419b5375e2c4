//! The Site-to-Site side of the provider with the real Terraform against the emulator: local
//! network gateways, gateway connections (shared key, CX-TRANSIT, import) and the circuit and
//! gateway data sources.

mod support;

use std::time::Duration;

use azureclassic::asm::client::{CallContext, Client, ClientSettings};
use azureclassic::asm::xml::messages::{
    CreateLocalNetworkGatewayParameters, SharedKey, UpdateGatewayConnectionParameters,
};
use support::stack::{Stack, CIRCUIT_KEY};
use support::terraforms;

/// What the tests do to the service behind Terraform's back, with the provider's own client.
struct OutOfBand {
    runtime: tokio::runtime::Runtime,
    client: Client,
}

impl OutOfBand {
    fn new(stack: &Stack) -> OutOfBand {
        let settings =
            ClientSettings::new(&stack.subscription, &stack.emulator.url).expect("settings");
        OutOfBand {
            runtime: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime"),
            client: Client::new(settings).expect("client"),
        }
    }

    fn ctx() -> CallContext {
        CallContext::with_timeout(Duration::from_secs(60))
    }

    fn delete_local_network_gateway(&self, id: &str) {
        self.runtime
            .block_on(self.client.delete_local_network_gateway(&Self::ctx(), id))
            .expect("delete outside Terraform");
    }

    fn create_local_network_gateway(&self, name: &str) -> String {
        let parameters = CreateLocalNetworkGatewayParameters {
            address_space: vec!["10.99.0.0/24".into()],
            gateway_name: name.into(),
            ip_address: "23.39.99.1".into(),
            bgp_settings: None,
        };
        self.runtime
            .block_on(
                self.client
                    .create_local_network_gateway(&Self::ctx(), &parameters),
            )
            .expect("create outside Terraform")
    }

    fn set_shared_key(&self, gateway_id: &str, local_id: &str, key: &str) {
        let parameters = UpdateGatewayConnectionParameters {
            shared_key: Some(SharedKey::new(key)),
            ..Default::default()
        };
        self.runtime
            .block_on(self.client.update_gateway_connection(
                &Self::ctx(),
                gateway_id,
                local_id,
                &parameters,
            ))
            .expect("change the key outside Terraform");
    }
}

fn branch(address_space: &str) -> String {
    format!(
        r#"
resource "azureclassic_local_network_gateway" "branch" {{
  name          = "Branch-Paris"
  ip_address    = "23.39.10.1"
  address_space = [{address_space}]
}}
"#
    )
}

fn attr(stack: &Stack, address: &str, name: &str) -> String {
    let resources = stack.resources();
    let values = resources
        .get(address)
        .unwrap_or_else(|| panic!("{address} not in the state: {resources:?}"));
    values[name].as_str().unwrap_or_default().to_string()
}

/// How many requests other than GET the service has seen so far.
fn mutations(stack: &Stack) -> usize {
    stack.mutating_requests().len()
}

#[test]
fn local_network_gateway_create_update_in_place_import_and_drift() {
    for tf in terraforms() {
        let stack = Stack::new(&tf, &[]);
        let v = stack.version().to_string();

        // Create.
        stack.write_config(&branch(r#""10.20.0.0/24""#));
        stack.apply();
        let id = attr(&stack, "azureclassic_local_network_gateway.branch", "id");
        assert!(!id.is_empty(), "{v}: no id");
        assert_eq!(
            stack.mutating_requests(),
            ["POST /services/networking/localnetworkgateways"],
            "{v}"
        );
        stack.assert_clean_plan();

        // The address space changes in place: an update, not a replacement.
        stack.write_config(&branch(r#""10.20.0.0/24", "10.20.8.0/24""#));
        let plan = stack.plan();
        assert_eq!(plan.code, Some(2), "{v}: {}", plan.all());
        assert!(
            plan.stdout.contains("will be updated in-place"),
            "{v}: {}",
            plan.all()
        );
        assert!(
            !plan.stdout.contains("must be replaced"),
            "{v}: {}",
            plan.all()
        );
        stack.apply();
        assert_eq!(
            stack.mutating_requests().last().map(String::as_str),
            Some(format!("PATCH /services/networking/localnetworkgateways/{id}").as_str()),
            "{v}"
        );
        assert_eq!(
            attr(&stack, "azureclassic_local_network_gateway.branch", "id"),
            id,
            "{v}"
        );
        stack.assert_clean_plan();

        // Import by GatewayId, then nothing to change.
        stack.ok(&["state", "rm", "azureclassic_local_network_gateway.branch"]);
        stack.import("azureclassic_local_network_gateway.branch", &id);
        stack.assert_clean_plan();

        // Deleted outside Terraform: the next plan re-creates it.
        OutOfBand::new(&stack).delete_local_network_gateway(&id);
        let plan = stack.plan();
        assert_eq!(plan.code, Some(2), "{v}: {}", plan.all());
        assert!(
            plan.stdout.contains("will be created"),
            "{v}: {}",
            plan.all()
        );
        stack.apply();
        assert_ne!(
            attr(&stack, "azureclassic_local_network_gateway.branch", "id"),
            id,
            "{v}"
        );
        stack.assert_clean_plan();

        stack.destroy();
        assert_eq!(
            stack
                .mutating_requests()
                .last()
                .map(|r| r.starts_with("DELETE ")),
            Some(true),
            "{v}"
        );
    }
}

#[test]
fn an_existing_local_network_gateway_is_refused_with_its_import_command() {
    for tf in terraforms() {
        let stack = Stack::new(&tf, &[]);
        let existing = OutOfBand::new(&stack).create_local_network_gateway("Branch-Paris");
        // The configuration of the object that exists, so that once imported nothing changes.
        stack.write_config(
            r#"
resource "azureclassic_local_network_gateway" "branch" {
  name          = "Branch-Paris"
  ip_address    = "23.39.99.1"
  address_space = ["10.99.0.0/24"]
}
"#,
        );
        let out = stack
            .ws
            .terraform(&["apply", "-auto-approve", "-input=false", "-no-color"]);
        assert_eq!(out.code, Some(1), "{}", out.all());
        let command =
            format!("terraform import azureclassic_local_network_gateway.<name> {existing}");
        assert!(out.stderr.contains(&command), "{}", out.all());
        assert_eq!(
            mutations(&stack),
            1,
            "only the out-of-band create: {:?}",
            stack.mutating_requests()
        );

        stack.import("azureclassic_local_network_gateway.branch", &existing);
        stack.assert_clean_plan();
    }
}

#[test]
fn local_network_gateway_input_is_checked_at_plan_with_its_path() {
    for tf in terraforms() {
        let stack = Stack::new(&tf, &[]);
        stack.write_config(&format!(
            r#"
variable "prefixes" {{
  type    = list(string)
  default = ["10.20.0.0/24", "10.20.8.1/24"]
}}
{}"#,
            branch("var.prefixes[0], var.prefixes[1]")
        ));
        let out = stack.plan();
        stack.assert_refused(&out, &["NET-CIDR", "10.20.8.1/24"]);
        stack.write_config(
            r#"
resource "azureclassic_local_network_gateway" "branch" {
  name          = "Branch-Paris"
  ip_address    = "23.39.10.300"
  address_space = ["10.20.0.0/24"]
}
"#,
        );
        let out = stack.plan();
        stack.assert_refused(&out, &["NET-NAMES", "ip_address"]);
    }
}

fn circuit_lookup(key: &str) -> String {
    format!(
        r#"
data "azureclassic_dedicated_circuit" "er" {{
  service_key = "{key}"
}}

output "circuit" {{
  value = data.azureclassic_dedicated_circuit.er
}}
"#
    )
}

#[test]
fn dedicated_circuit_data_source_reads_the_circuit_and_refuses_an_unknown_key() {
    for tf in terraforms() {
        let stack = Stack::new(&tf, &[]);
        stack.write_config(&circuit_lookup(CIRCUIT_KEY));
        stack.apply();
        let out = stack.ok(&["output", "-json", "circuit"]);
        let circuit: serde_json::Value = serde_json::from_str(&out.stdout).expect("output JSON");
        assert_eq!(circuit["service_key"], CIRCUIT_KEY, "{circuit}");
        assert_eq!(circuit["id"], CIRCUIT_KEY, "{circuit}");
        assert_eq!(circuit["status"], "Enabled", "{circuit}");
        assert_eq!(
            circuit["service_provider_provisioning_state"], "Provisioned",
            "{circuit}"
        );
        for field in ["name", "location", "service_provider_name"] {
            assert!(
                circuit[field].as_str().is_some_and(|s| !s.is_empty()),
                "{field}: {circuit}"
            );
        }
        assert!(
            circuit["bandwidth"].as_f64().is_some_and(|b| b > 0.0),
            "{circuit}"
        );

        stack.write_config(&circuit_lookup("00000000-0000-0000-0000-000000000000"));
        let out = stack.plan();
        stack.assert_refused(&out, &["ExpressRoute circuit not found", "service_key"]);
    }
}
