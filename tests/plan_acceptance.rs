//! Plans through the real Terraform CLI: what the provider knows at plan time shows in the plan, and
//! the plan is one Terraform accepts (no "invalid plan" from the consistency rules).

mod support;

use support::stack::Stack;
use support::terraforms;

const COEXISTING_NETWORK: &str = r#"
resource "azureclassic_virtual_network" "vnet" {
  name          = "MyAzureVNET"
  location      = "West Europe"
  address_space = ["10.1.0.0/16"]
  subnet {
    name           = "FrontEnd"
    address_prefix = "10.1.0.0/24"
  }
  subnet {
    name           = "GatewaySubnet"
    address_prefix = "10.1.255.0/27"
  }
  local_network_site_ref {
    name            = "expressroute"
    connection_type = "Dedicated"
  }
}

resource "azureclassic_virtual_network_gateway" "er" {
  virtual_network_name = azureclassic_virtual_network.vnet.name
  type                 = "ExpressRoute"
  gateway_sku          = "Standard"
}

resource "azureclassic_gateway_connection" "s2s" {
  name                       = "onprem"
  virtual_network_gateway_id = "6a0f6c2e-5c3b-4f1e-9d2a-0b1c2d3e4f50"
  local_network_gateway_id   = "7b1f7d3f-6d4c-4a2f-8e3b-1c2d3e4f5a61"
  shared_key                 = "do-not-print-me"
}
"#;

#[test]
fn plan_knows_gateway_facts_ids_and_defaults_from_configuration() {
    for tf in terraforms() {
        let stack = Stack::new(&tf, &[]);
        stack.write_config(COEXISTING_NETWORK);
        let out = stack.ws.terraform(&["plan", "-input=false", "-no-color"]);
        let context = format!("{}: {}", tf.version, out.all());
        assert!(out.success(), "{context}");
        for expected in [
            r#"+ gateway_subnet_prefix = "10.1.255.0/27""#,
            "+ expressroute          = true",
            r#"+ id                    = "MyAzureVNET""#,
            "+ vnet_id               = (known after apply)",
            r#"+ connection_type            = "IPsec""#,
            r#"+ gateway_type          = "DynamicRouting""#,
            r#"+ gateway_subnet_prefix = "10.1.255.0/27""#,
            "+ vip_address           = (known after apply)",
            r#"+ id                         = "6a0f6c2e-5c3b-4f1e-9d2a-0b1c2d3e4f50/7b1f7d3f-6d4c-4a2f-8e3b-1c2d3e4f5a61""#,
            "+ shared_key                 = (sensitive value)",
            "Plan: 3 to add, 0 to change, 0 to destroy.",
        ] {
            assert!(
                out.stdout.contains(expected),
                "missing {expected:?}\n{context}"
            );
        }
        assert!(!context.contains("do-not-print-me"), "{context}");
    }
}

/// A state holding `MyAzureVNET` as the provider would have stored it, written by hand: with a key
/// this schema does not know and one key missing, as a state from another provider version would be.
fn stored_network_state() -> String {
    let attributes = serde_json::json!({
        "id": "MyAzureVNET",
        "name": "MyAzureVNET",
        "location": "West Europe",
        "address_space": ["10.1.0.0/16"],
        "subnet": [{"name": "GatewaySubnet", "address_prefix": "10.1.255.0/27"}],
        "local_network_site_ref": [{"name": "expressroute", "connection_type": "Dedicated"}],
        "vnet_id": "0b1e7b36-2a0e-4a38-9d2d-6c3a9a1f2c11",
        "gateway_subnet_prefix": "10.1.255.0/27",
        "expressroute": true,
        "attribute_from_another_version": "ignored"
    });
    serde_json::json!({
        "version": 4,
        "terraform_version": "1.0.3",
        "serial": 1,
        "lineage": "3f0c6a8e-9a2b-4c1d-8e7f-000000000001",
        "outputs": {},
        "resources": [{
            "mode": "managed",
            "type": "azureclassic_virtual_network",
            "name": "vnet",
            "provider": "provider[\"registry.terraform.io/azureclassic/azureclassic\"]",
            "instances": [{"schema_version": 0, "attributes": attributes, "sensitive_attributes": []}]
        }]
    })
    .to_string()
}

fn network_config(location: &str, address_space: &str) -> String {
    format!(
        r#"
resource "azureclassic_virtual_network" "vnet" {{
  name          = "MyAzureVNET"
  location      = "{location}"
  address_space = ["{address_space}"]
  subnet {{
    name           = "GatewaySubnet"
    address_prefix = "10.1.255.0/27"
  }}
  local_network_site_ref {{
    name            = "expressroute"
    connection_type = "Dedicated"
  }}
}}
"#
    )
}

/// `terraform plan -refresh=false` against the stored state: Terraform upgrades the state through
/// the provider, then plans from it without reading the service.
fn plan_against_stored_state(config: &str) -> Vec<(String, support::Output)> {
    terraforms()
        .into_iter()
        .map(|tf| {
            let stack = Stack::new(&tf, &[]);
            stack.write_config(config);
            stack.ws.write("terraform.tfstate", &stored_network_state());
            let out = stack.ws.terraform(&[
                "plan",
                "-refresh=false",
                "-detailed-exitcode",
                "-input=false",
                "-no-color",
            ]);
            (format!("{}: {}", tf.version, out.all()), out)
        })
        .collect()
}

#[test]
fn unchanged_configuration_plans_no_changes_from_an_upgraded_state() {
    for (context, out) in plan_against_stored_state(&network_config("West Europe", "10.1.0.0/16")) {
        assert_eq!(out.code, Some(0), "{context}");
        assert!(out.stdout.contains("No changes."), "{context}");
    }
}

#[test]
fn address_space_change_updates_in_place_keeping_the_service_id() {
    for (context, out) in plan_against_stored_state(&network_config("West Europe", "10.0.0.0/8")) {
        assert_eq!(out.code, Some(2), "{context}");
        assert!(out.stdout.contains("will be updated in-place"), "{context}");
        assert!(
            out.stdout
                .contains("Plan: 0 to add, 1 to change, 0 to destroy."),
            "{context}"
        );
        // vnet_id is kept from state (use state for unknown) and so does not show as a change.
        assert!(!out.stdout.contains("vnet_id"), "{context}");
    }
}

#[test]
fn location_change_replaces_the_network() {
    for (context, out) in plan_against_stored_state(&network_config("North Europe", "10.1.0.0/16"))
    {
        assert_eq!(out.code, Some(2), "{context}");
        assert!(out.stdout.contains("must be replaced"), "{context}");
        assert!(
            out.stdout
                .contains(r#""West Europe" -> "North Europe" # forces replacement"#),
            "{context}"
        );
        assert!(
            out.stdout
                .contains("Plan: 1 to add, 0 to change, 1 to destroy."),
            "{context}"
        );
    }
}
