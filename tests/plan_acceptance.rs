//! Plans through the real Terraform CLI: what the provider knows at plan time shows in the plan, and
//! the plan is one Terraform accepts (no "invalid plan" from the consistency rules).

mod support;

use support::{required_providers, terraforms, Workspace};

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
  local_network_site_ref {
    name = "onprem"
  }
}

resource "azureclassic_virtual_network_gateway" "er" {
  virtual_network_name = azureclassic_virtual_network.vnet.name
  type                 = "ExpressRoute"
  gateway_sku          = "Standard"
}

resource "azureclassic_gateway_connection" "s2s" {
  name                       = "onprem"
  virtual_network_gateway_id = "vpn-gateway-id"
  local_network_gateway_id   = "local-gateway-id"
  shared_key                 = "do-not-print-me"
}
"#;

#[test]
fn plan_knows_gateway_facts_ids_and_defaults_from_configuration() {
    for tf in terraforms() {
        let ws = Workspace::new(&tf);
        ws.write(
            "main.tf",
            &format!("{}{COEXISTING_NETWORK}", required_providers()),
        );
        let out = ws.terraform(&["plan", "-input=false", "-no-color"]);
        let context = format!("{}: {}", tf.version, out.all());
        assert!(out.success(), "{context}");
        for expected in [
            r#"+ gateway_subnet_prefix = "10.1.255.0/27""#,
            "+ expressroute          = true",
            r#"+ id                    = "MyAzureVNET""#,
            "+ vnet_id               = (known after apply)",
            r#"+ connection_type = "IPsec""#,
            r#"+ gateway_type         = "DynamicRouting""#,
            "+ vip_address          = (known after apply)",
            r#"+ id                         = "vpn-gateway-id/local-gateway-id""#,
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
