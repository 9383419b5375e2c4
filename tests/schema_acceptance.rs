//! The provider's user-facing contract (design.md section 2) as the real Terraform CLI sees it, on
//! every Terraform found: the schema it prints, a configuration using everything that validates, and
//! wrong configurations refused with the attribute underlined in the user's file.

mod support;

use serde_json::Value as Json;
use support::{required_providers, terraforms, Workspace};

const REQUIRED: &str = "required";
const OPTIONAL: &str = "optional";
const COMPUTED: &str = "computed";
const OPTIONAL_COMPUTED: &str = "optional+computed";
const SENSITIVE: &str = "+sensitive";

/// (attribute, flags) of each resource and data source, as design.md lists them.
fn expected_resources() -> Vec<(&'static str, Vec<(&'static str, String)>)> {
    let f = |s: &str| s.to_string();
    vec![
        (
            "azureclassic_virtual_network",
            vec![
                ("id", f(COMPUTED)),
                ("name", f(REQUIRED)),
                ("location", f(REQUIRED)),
                ("address_space", f(REQUIRED)),
                ("vpn_client_address_pool", f(OPTIONAL)),
                ("vnet_id", f(COMPUTED)),
                ("gateway_subnet_prefix", f(COMPUTED)),
                ("expressroute", f(COMPUTED)),
            ],
        ),
        (
            "azureclassic_virtual_network_gateway",
            vec![
                ("id", f(COMPUTED)),
                ("virtual_network_name", f(REQUIRED)),
                ("type", f(REQUIRED)),
                ("name", f(OPTIONAL)),
                ("gateway_sku", f(REQUIRED)),
                ("gateway_type", f(OPTIONAL_COMPUTED)),
                ("expressroute_circuit_link_id", f(OPTIONAL)),
                ("default_site", f(OPTIONAL)),
                ("vip_address", f(COMPUTED)),
                ("gateway_subnet_prefix", f(COMPUTED)),
                ("state", f(COMPUTED)),
            ],
        ),
        (
            "azureclassic_dedicated_circuit_link",
            vec![
                ("id", f(COMPUTED)),
                ("service_key", f(REQUIRED)),
                ("virtual_network_name", f(REQUIRED)),
                ("expressroute_gateway_id", f(REQUIRED)),
                ("state", f(COMPUTED)),
            ],
        ),
        (
            "azureclassic_local_network_gateway",
            vec![
                ("id", f(COMPUTED)),
                ("name", f(REQUIRED)),
                ("ip_address", f(REQUIRED)),
                ("address_space", f(REQUIRED)),
            ],
        ),
        (
            "azureclassic_gateway_connection",
            vec![
                ("id", f(COMPUTED)),
                ("name", f(REQUIRED)),
                ("virtual_network_gateway_id", f(REQUIRED)),
                ("local_network_gateway_id", f(REQUIRED)),
                ("connection_type", f(OPTIONAL_COMPUTED)),
                ("shared_key", format!("{REQUIRED}{SENSITIVE}")),
                ("routing_weight", f(OPTIONAL)),
            ],
        ),
    ]
}

fn expected_data_sources() -> Vec<(&'static str, Vec<(&'static str, String)>)> {
    let computed = |names: &[&'static str]| {
        names
            .iter()
            .map(|n| (*n, COMPUTED.to_string()))
            .collect::<Vec<_>>()
    };
    let mut circuit = vec![("service_key", REQUIRED.to_string())];
    circuit.extend(computed(&[
        "id",
        "name",
        "location",
        "bandwidth",
        "status",
        "service_provider_provisioning_state",
        "sku",
        "billing_type",
        "service_provider_name",
    ]));
    let mut gateway: Vec<_> = ["id", "virtual_network_name", "type"]
        .iter()
        .map(|n| (*n, OPTIONAL_COMPUTED.to_string()))
        .collect();
    gateway.extend(computed(&[
        "vip_address",
        "state",
        "gateway_sku",
        "gateway_type",
        "name",
    ]));
    vec![
        ("azureclassic_dedicated_circuit", circuit),
        ("azureclassic_virtual_network_gateway", gateway),
    ]
}

fn flags(attr: &Json) -> String {
    let is = |k: &str| attr.get(k).and_then(Json::as_bool).unwrap_or(false);
    let mut s = match (is("required"), is("optional"), is("computed")) {
        (true, false, false) => REQUIRED.to_string(),
        (false, true, false) => OPTIONAL.to_string(),
        (false, false, true) => COMPUTED.to_string(),
        (false, true, true) => OPTIONAL_COMPUTED.to_string(),
        other => format!("invalid {other:?}"),
    };
    if is("sensitive") {
        s.push_str(SENSITIVE);
    }
    s
}

fn assert_attributes(
    kind: &str,
    name: &str,
    block: &Json,
    expected: &[(&str, String)],
    version: &str,
) {
    let attrs = block["attributes"]
        .as_object()
        .unwrap_or_else(|| panic!("{version}: {kind} {name} has no attributes"));
    for (attr, want) in expected {
        let got = attrs
            .get(*attr)
            .map(flags)
            .unwrap_or_else(|| "missing".into());
        assert_eq!(&got, want, "{version}: {kind} {name}.{attr}");
        let description = attrs[*attr]["description"].as_str().unwrap_or_default();
        assert!(
            !description.is_empty(),
            "{version}: {kind} {name}.{attr} has no description"
        );
    }
    assert_eq!(
        attrs.len(),
        expected.len(),
        "{version}: {kind} {name} attributes: {:?}",
        attrs.keys().collect::<Vec<_>>()
    );
}

#[test]
fn providers_schema_lists_every_resource_and_data_source_with_the_designed_flags() {
    for tf in terraforms() {
        let ws = Workspace::new(&tf);
        ws.write("main.tf", &required_providers());
        let schema = ws.provider_schema();
        let provider =
            &schema["provider_schemas"]["registry.terraform.io/azureclassic/azureclassic"];
        let v = &tf.version;

        let config = &provider["provider"]["block"];
        let password = &config["attributes"]["management_certificate_password"];
        assert_eq!(
            flags(password),
            format!("{OPTIONAL}{SENSITIVE}"),
            "{v}: provider password"
        );
        for attr in [
            "subscription_id",
            "management_url",
            "publish_settings_file",
            "management_certificate_file",
            "trusted_root_certificate_file",
        ] {
            assert_eq!(
                flags(&config["attributes"][attr]),
                OPTIONAL,
                "{v}: provider {attr}"
            );
        }

        let resources = provider["resource_schemas"]
            .as_object()
            .expect("resource schemas");
        assert_eq!(
            resources.len(),
            expected_resources().len(),
            "{v}: {:?}",
            resources.keys().collect::<Vec<_>>()
        );
        for (name, attrs) in expected_resources() {
            assert_attributes("resource", name, &resources[name]["block"], &attrs, v);
        }
        let data_sources = provider["data_source_schemas"]
            .as_object()
            .expect("data source schemas");
        assert_eq!(data_sources.len(), expected_data_sources().len(), "{v}");
        for (name, attrs) in expected_data_sources() {
            assert_attributes("data source", name, &data_sources[name]["block"], &attrs, v);
        }

        let vnet = &resources["azureclassic_virtual_network"]["block"]["block_types"];
        assert_eq!(vnet["subnet"]["nesting_mode"], "list", "{v}");
        assert_eq!(vnet["subnet"]["min_items"], 1, "{v}");
        assert_eq!(
            flags(&vnet["subnet"]["block"]["attributes"]["address_prefix"]),
            REQUIRED,
            "{v}"
        );
        assert_eq!(
            vnet["local_network_site_ref"]["nesting_mode"], "list",
            "{v}"
        );
        let site_type = &vnet["local_network_site_ref"]["block"]["attributes"]["connection_type"];
        assert_eq!(flags(site_type), OPTIONAL_COMPUTED, "{v}");
        let timeouts =
            &resources["azureclassic_virtual_network_gateway"]["block"]["block_types"]["timeouts"];
        assert_eq!(timeouts["nesting_mode"], "single", "{v}");
        for op in ["create", "update", "delete"] {
            assert_eq!(
                flags(&timeouts["block"]["attributes"][op]),
                OPTIONAL,
                "{v}: timeouts.{op}"
            );
        }
        let address_space =
            &resources["azureclassic_virtual_network"]["block"]["attributes"]["address_space"];
        assert_eq!(
            address_space["type"],
            serde_json::json!(["list", "string"]),
            "{v}"
        );
    }
}

/// Every resource and data source, every attribute from a variable or another resource: during
/// validation all of them are unknown.
const EVERYTHING: &str = r#"
variable "s" { type = string }
variable "cidrs" { type = list(string) }
variable "n" { type = number }

provider "azureclassic" {
  subscription_id                 = var.s
  management_url                  = var.s
  publish_settings_file           = var.s
  management_certificate_file     = var.s
  management_certificate_password = var.s
}

resource "azureclassic_virtual_network" "vnet" {
  name                    = var.s
  location                = var.s
  address_space           = var.cidrs
  vpn_client_address_pool = var.cidrs
  subnet {
    name           = var.s
    address_prefix = var.s
  }
  dynamic "subnet" {
    for_each = var.cidrs
    content {
      name           = var.s
      address_prefix = subnet.value
    }
  }
  local_network_site_ref {
    name            = var.s
    connection_type = var.s
  }
}

resource "azureclassic_virtual_network_gateway" "er" {
  virtual_network_name = azureclassic_virtual_network.vnet.name
  type                 = var.s
  gateway_sku          = var.s
  gateway_type         = var.s
  timeouts {
    create = var.s
    update = var.s
    delete = var.s
  }
}

resource "azureclassic_dedicated_circuit_link" "link" {
  service_key             = data.azureclassic_dedicated_circuit.c.service_key
  virtual_network_name    = azureclassic_virtual_network.vnet.name
  expressroute_gateway_id = azureclassic_virtual_network_gateway.er.id
}

resource "azureclassic_virtual_network_gateway" "vpn" {
  virtual_network_name         = azureclassic_virtual_network.vnet.name
  type                         = var.s
  name                         = var.s
  gateway_sku                  = var.s
  expressroute_circuit_link_id = azureclassic_dedicated_circuit_link.link.id
  default_site                 = var.s
}

resource "azureclassic_local_network_gateway" "site" {
  name          = var.s
  ip_address    = var.s
  address_space = var.cidrs
}

resource "azureclassic_gateway_connection" "s2s" {
  name                       = var.s
  virtual_network_gateway_id = azureclassic_virtual_network_gateway.vpn.id
  local_network_gateway_id   = azureclassic_local_network_gateway.site.id
  connection_type            = var.s
  shared_key                 = var.s
  routing_weight             = var.n
}

data "azureclassic_dedicated_circuit" "c" {
  service_key = var.s
}

data "azureclassic_virtual_network_gateway" "by_id" {
  id = azureclassic_virtual_network_gateway.vpn.id
}

data "azureclassic_virtual_network_gateway" "by_network" {
  virtual_network_name = azureclassic_virtual_network.vnet.name
  type                 = var.s
}

output "facts" {
  value = [
    azureclassic_virtual_network.vnet.gateway_subnet_prefix,
    azureclassic_virtual_network.vnet.expressroute,
    azureclassic_virtual_network.vnet.vnet_id,
    azureclassic_virtual_network_gateway.vpn.vip_address,
    data.azureclassic_dedicated_circuit.c.bandwidth,
    data.azureclassic_virtual_network_gateway.by_network.gateway_sku,
  ]
}
"#;

#[test]
fn validate_accepts_every_resource_and_data_source_with_unknowns_everywhere() {
    for tf in terraforms() {
        let ws = Workspace::new(&tf);
        ws.write("main.tf", &format!("{}{EVERYTHING}", required_providers()));
        let out = ws.validate();
        assert!(out.success(), "{}: {}", tf.version, out.all());
        assert!(
            out.stdout.contains("Success! The configuration is valid"),
            "{}: {}",
            tf.version,
            out.all()
        );
        // The only warning allowed is Terraform's own about dev_overrides.
        let warnings = out.stdout.matches("Warning:").count();
        let overrides = out
            .stdout
            .matches("Warning: Provider development overrides")
            .count();
        assert_eq!(warnings, overrides, "{}: {}", tf.version, out.all());
    }
}

/// Runs `terraform validate` on `body` and checks it fails with `message`, pointing at `line` of
/// main.tf and quoting `source` (Terraform underlines it in its snippet).
fn assert_refused(body: &str, message: &str, line: usize, source: &str) {
    let header = required_providers();
    let line = header.lines().count() + line;
    for tf in terraforms() {
        let ws = Workspace::new(&tf);
        ws.write("main.tf", &format!("{header}{body}"));
        let out = ws.validate();
        let context = format!("{}: {}", tf.version, out.all());
        assert_eq!(out.code, Some(1), "{context}");
        assert!(out.stderr.contains(message), "{context}");
        assert!(
            out.stderr.contains(&format!("on main.tf line {line}")),
            "expected line {line}: {context}"
        );
        assert!(
            out.stderr.contains(&format!("{line}: {source}")),
            "expected the snippet: {context}"
        );
    }
}

#[test]
fn validate_refuses_a_list_where_a_string_is_expected_naming_the_attribute() {
    let body = r#"
resource "azureclassic_local_network_gateway" "site" {
  name          = ["site"]
  ip_address    = "203.0.113.10"
  address_space = ["192.168.0.0/24"]
}
"#;
    assert_refused(
        body,
        "Incorrect attribute value type",
        3,
        r#"  name          = ["site"]"#,
    );
}

#[test]
fn validate_refuses_a_basic_gateway_sku_spelled_basic_with_the_attribute_underlined() {
    let body = r#"
resource "azureclassic_virtual_network_gateway" "vpn" {
  virtual_network_name = "MyAzureVNET"
  type                 = "Vpn"
  name                 = "vpn"
  gateway_sku          = "Basic"
}
"#;
    assert_refused(
        body,
        "Invalid value for gateway_sku",
        6,
        r#"  gateway_sku          = "Basic""#,
    );
}

#[test]
fn validate_refuses_a_wrong_site_connection_type_inside_its_block() {
    let body = r#"
resource "azureclassic_virtual_network" "vnet" {
  name          = "MyAzureVNET"
  location      = "West Europe"
  address_space = ["10.1.0.0/16"]
  subnet {
    name           = "GatewaySubnet"
    address_prefix = "10.1.255.0/27"
  }
  local_network_site_ref {
    name            = "er"
    connection_type = "ExpressRoute"
  }
}
"#;
    assert_refused(
        body,
        "Invalid value for local_network_site_ref[0].connection_type",
        12,
        r#"    connection_type = "ExpressRoute""#,
    );
}
