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
