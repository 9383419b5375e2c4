//! The plan-time rules as an acceptance matrix with the real Terraform against the emulator: each
//! broken configuration fails `terraform plan` with its rule id on the diagnostic that quotes the
//! offending attribute's source line, and the service sees no change; each valid configuration
//! (the examples, variables everywhere, values unknown until apply) plans without a single error.
//!
//! The rules other acceptance tests already refuse through Terraform (CX-GWSUBNET /28, a Basic VPN,
//! CX-ORDER, CX-CIRCUIT, CX-RESIZE, CX-TRANSIT, host bits and IPv4 of a local network gateway) are
//! not repeated here. One emulator and one workspace per Terraform version: each case plans in its
//! own subdirectory, with its own state.

mod support;

use std::path::Path;

use support::stack::{Stack, CIRCUIT_KEY};
use support::{required_providers, terraforms, Output};

/// How a configuration must plan.
enum Expect {
    /// Plan fails: an error diagnostic naming `rule` quotes the source line starting with `line`.
    Refused {
        rule: &'static str,
        line: &'static str,
    },
    /// Plan succeeds: a warning diagnostic naming `rule` quotes the source line.
    Warned {
        rule: &'static str,
        line: &'static str,
    },
}

struct Case {
    name: &'static str,
    config: String,
    expect: Expect,
}

/// A VNet named MatrixVNET on 10.1.0.0/16 with `body` (subnets, site references, ...) inside.
fn network(address_space: &str, body: &str) -> String {
    format!(
        r#"
resource "azureclassic_virtual_network" "vnet" {{
  name = "MatrixVNET"
  location = "West Europe"
  address_space = ["{address_space}"]
  {body}
}}
"#
    )
}

/// A `subnet` block, indented for [`network`]'s body.
fn subnet(name: &str, prefix: &str) -> String {
    format!("subnet {{\n    name = \"{name}\"\n    address_prefix = \"{prefix}\"\n  }}\n  ")
}

/// An ExpressRoute-connected VNet: a front-end subnet, the GatewaySubnet and a site reference of
/// `connection_type`, plus `extra`.
fn expressroute_network(gateway_subnet: &str, connection_type: &str, extra: &str) -> String {
    network(
        "10.1.0.0/16",
        &format!(
            r#"{}{}local_network_site_ref {{
    name = "MyLocalNetwork"
    connection_type = "{connection_type}"
  }}
  {extra}"#,
            subnet("FrontEnd", "10.1.0.0/24"),
            subnet("GatewaySubnet", gateway_subnet)
        ),
    )
}

/// The ExpressRoute gateway (Standard) of the VNet.
const EXPRESSROUTE_GATEWAY: &str = r#"
resource "azureclassic_virtual_network_gateway" "er" {
  virtual_network_name = azureclassic_virtual_network.vnet.name
  type = "ExpressRoute"
  gateway_sku = "Standard"
}
"#;

/// The ExpressRoute gateway and its circuit link.
fn expressroute_gateway_and_link() -> String {
    format!(
        r#"{EXPRESSROUTE_GATEWAY}
resource "azureclassic_dedicated_circuit_link" "er" {{
  service_key = "{CIRCUIT_KEY}"
  virtual_network_name = azureclassic_virtual_network.vnet.name
  expressroute_gateway_id = azureclassic_virtual_network_gateway.er.id
}}
"#
    )
}

/// A coexisting VNet (/27 GatewaySubnet, Dedicated) with its ExpressRoute side and a VPN gateway
/// of `sku` after the link, with `extra` attributes.
fn coexisting_vpn_gateway(sku: &str, extra: &str) -> String {
    format!(
        r#"{}{}
resource "azureclassic_virtual_network_gateway" "vpn" {{
  virtual_network_name = azureclassic_virtual_network.vnet.name
  type = "Vpn"
  name = "S2SVPN"
  gateway_sku = "{sku}"
  expressroute_circuit_link_id = azureclassic_dedicated_circuit_link.er.id
  {extra}
}}
"#,
        expressroute_network("10.1.255.0/27", "Dedicated", ""),
        expressroute_gateway_and_link()
    )
}

/// A VNet with the front-end subnet at `prefix` next to a valid GatewaySubnet.
fn network_with_subnet(address_space: &str, subnet_name: &str, prefix: &str) -> String {
    network(address_space, &subnet(subnet_name, prefix))
}

fn refused(name: &'static str, config: String, rule: &'static str, line: &'static str) -> Case {
    let expect = Expect::Refused { rule, line };
    Case {
        name,
        config,
        expect,
    }
}

fn warned(name: &'static str, config: String, rule: &'static str, line: &'static str) -> Case {
    let expect = Expect::Warned { rule, line };
    Case {
        name,
        config,
        expect,
    }
}

fn broken_cases() -> Vec<Case> {
    vec![
        // Not a coexistence rule: the API has no call that sets it, so the plan says so at the
        // attribute (the diagnostic's summary starts with the attribute's name).
        refused(
            "default_site on a VPN-only VNet",
            VPN_ONLY.replace(
                r#"gateway_type         = "StaticRouting""#,
                "gateway_type = \"StaticRouting\"\n  default_site = \"Branch\"",
            ),
            "default_site",
            r#"default_site = "Branch""#,
        ),
        warned(
            "ExpressRoute VNet with a /28 GatewaySubnet (advisory)",
            format!(
                "{}{}",
                expressroute_network("10.1.255.0/28", "Dedicated", ""),
                expressroute_gateway_and_link()
            ),
            "CX-GWSUBNET-WARN",
            r#"address_prefix = "10.1.255.0/28""#,
        ),
        refused(
            "StaticRouting VPN gateway on a coexisting VNet",
            coexisting_vpn_gateway("HighPerformance", r#"gateway_type = "StaticRouting""#),
            "CX-ROUTING",
            r#"gateway_type = "StaticRouting""#,
        ),
        refused(
            "point-to-site pool on an ExpressRoute VNet",
            expressroute_network(
                "10.1.255.0/27",
                "Dedicated",
                r#"vpn_client_address_pool = ["172.16.0.0/24"]"#,
            ),
            "CX-P2S",
            r#"vpn_client_address_pool = ["172.16.0.0/24"]"#,
        ),
        refused(
            "forced tunnelling on the coexisting VPN gateway",
            coexisting_vpn_gateway("HighPerformance", r#"default_site = "MyLocalNetwork""#),
            "CX-FORCED-TUNNEL",
            r#"default_site = "MyLocalNetwork""#,
        ),
        refused(
            "ExpressRoute gateway on a VNet whose site reference is IPsec",
            format!(
                "{}{}",
                expressroute_network("10.1.255.0/27", "IPsec", ""),
                EXPRESSROUTE_GATEWAY
            ),
            "CX-DEDICATED",
            "virtual_network_name = azureclassic_virtual_network.vnet.name",
        ),
        refused(
            "IPsec site reference beside the Dedicated one",
            expressroute_network(
                "10.1.255.0/27",
                "Dedicated",
                r#"local_network_site_ref {
    name = "Branch"
    connection_type = "IPsec"
  }"#,
            ),
            "CX-DEDICATED",
            r#"connection_type = "IPsec""#,
        ),
        // No attribute to underline: Terraform quotes the VNet's block header.
        refused(
            "ExpressRoute VNet without a GatewaySubnet",
            format!(
                "{}{}",
                network(
                    "10.1.0.0/16",
                    &format!(
                        r#"{}local_network_site_ref {{
    name = "MyLocalNetwork"
    connection_type = "Dedicated"
  }}"#,
                        subnet("FrontEnd", "10.1.0.0/24")
                    )
                ),
                EXPRESSROUTE_GATEWAY
            ),
            "CX-GWSUBNET",
            r#"resource "azureclassic_virtual_network" "vnet" {"#,
        ),
        refused(
            "StaticRouting ExpressRoute gateway",
            format!(
                "{}{}",
                expressroute_network("10.1.255.0/27", "Dedicated", ""),
                EXPRESSROUTE_GATEWAY.replace(
                    r#"gateway_sku = "Standard""#,
                    "gateway_sku = \"Standard\"\n  gateway_type = \"StaticRouting\""
                )
            ),
            "CX-ROUTING",
            r#"gateway_type = "StaticRouting""#,
        ),
        refused(
            "Basic ExpressRoute gateway beside the coexisting VPN gateway",
            coexisting_vpn_gateway("HighPerformance", "").replacen(
                r#"gateway_sku = "Standard""#,
                r#"gateway_sku = "Default""#,
                1,
            ),
            // Planned after the ExpressRoute gateway, the VPN gateway is what makes the VNet
            // coexisting: it is refused, its diagnostic naming the sibling's SKU.
            "CX-SKU",
            r#"resource "azureclassic_virtual_network_gateway" "vpn" {"#,
        ),
        refused(
            "UltraPerformance VPN gateway",
            coexisting_vpn_gateway("UltraPerformance", ""),
            "CX-SKU",
            r#"gateway_sku = "UltraPerformance""#,
        ),
        refused(
            "address space that is not CIDR",
            network_with_subnet("10.1.0/16", "FrontEnd", "10.1.0.0/24"),
            "NET-CIDR",
            r#"address_space = ["10.1.0/16"]"#,
        ),
        refused(
            "subnet outside the address space",
            network_with_subnet("10.1.0.0/16", "FrontEnd", "10.2.0.0/24"),
            "NET-CIDR",
            r#"address_prefix = "10.2.0.0/24""#,
        ),
        refused(
            "overlapping subnets",
            network(
                "10.1.0.0/16",
                &(subnet("FrontEnd", "10.1.0.0/24") + &subnet("BackEnd", "10.1.0.128/25")),
            ),
            "NET-CIDR",
            r#"address_prefix = "10.1.0.128/25""#,
        ),
        refused(
            "overlapping address spaces",
            network_with_subnet("10.1.0.0/16", "FrontEnd", "10.1.0.0/24")
                .replace(r#"["10.1.0.0/16"]"#, r#"["10.1.0.0/16", "10.1.128.0/17"]"#),
            "NET-CIDR",
            r#"address_space = ["10.1.0.0/16", "10.1.128.0/17"]"#,
        ),
        refused(
            "point-to-site pool that is not CIDR",
            network(
                "10.1.0.0/16",
                &format!(
                    r#"{}vpn_client_address_pool = ["172.16.0.0"]"#,
                    subnet("FrontEnd", "10.1.0.0/24")
                ),
            ),
            "NET-CIDR",
            r#"vpn_client_address_pool = ["172.16.0.0"]"#,
        ),
        refused(
            "prefix longer than 32",
            network_with_subnet("10.1.0.0/16", "FrontEnd", "10.1.0.0/33"),
            "NET-CIDR",
            r#"address_prefix = "10.1.0.0/33""#,
        ),
        refused(
            "subnet prefix with host bits set",
            network_with_subnet("10.1.0.0/16", "FrontEnd", "10.1.0.1/24"),
            "NET-CIDR",
            r#"address_prefix = "10.1.0.1/24""#,
        ),
        refused(
            "local network gateway address that is not IPv4",
            r#"
resource "azureclassic_local_network_gateway" "onprem" {
  name = "MyLocalNetwork"
  ip_address = "23.39.300.2"
  address_space = ["10.9.0.0/24"]
}
"#
            .to_string(),
            "NET-NAMES",
            r#"ip_address = "23.39.300.2""#,
        ),
        refused(
            "circuit service key that is not a GUID",
            format!(
                "{}{EXPRESSROUTE_GATEWAY}{}",
                expressroute_network("10.1.255.0/27", "Dedicated", ""),
                r#"
resource "azureclassic_dedicated_circuit_link" "er" {
  service_key = "not-a-service-key"
  virtual_network_name = azureclassic_virtual_network.vnet.name
  expressroute_gateway_id = azureclassic_virtual_network_gateway.er.id
}
"#
            ),
            "NET-NAMES",
            r#"service_key = "not-a-service-key""#,
        ),
        refused(
            "gateway SKU outside the enumeration",
            format!(
                "{}{}",
                expressroute_network("10.1.255.0/27", "Dedicated", ""),
                EXPRESSROUTE_GATEWAY.replace(r#""Standard""#, r#""Basic""#)
            ),
            "NET-NAMES",
            r#"gateway_sku = "Basic""#,
        ),
        refused(
            "two subnets with one name",
            network(
                "10.1.0.0/16",
                &(subnet("FrontEnd", "10.1.0.0/24") + &subnet("FrontEnd", "10.1.1.0/24")),
            ),
            "NET-NAMES",
            r#"name = "FrontEnd""#,
        ),
        refused(
            "negative routing weight",
            r#"
resource "azureclassic_gateway_connection" "s2s" {
  name = "Azure2Local"
  virtual_network_gateway_id = "6a0f6c2e-5c3b-4f1e-9d2a-0b1c2d3e4f50"
  local_network_gateway_id = "7b1f7d3f-6d4c-4a2f-8e3b-1c2d3e4f5a61"
  shared_key = "never-printed-0b7c"
  routing_weight = -1
}
"#
            .to_string(),
            "NET-NAMES",
            "routing_weight = -1",
        ),
        refused(
            "virtual network name with a slash",
            network_with_subnet("10.1.0.0/16", "FrontEnd", "10.1.0.0/24")
                .replace(r#"name = "MatrixVNET""#, r#"name = "Matrix/VNET""#),
            "NET-NAMES",
            r#"name = "Matrix/VNET""#,
        ),
        refused(
            "GatewaySubnet spelled in lower case",
            network_with_subnet("10.1.0.0/16", "gatewaysubnet", "10.1.255.0/27"),
            "NET-NAMES",
            r#"name = "gatewaysubnet""#,
        ),
    ]
}

/// Writes `files` (name, content) into the workspace subdirectory `dir`.
fn write_case(stack: &Stack, dir: &str, files: &[(String, String)]) {
    let path = stack.ws.path().join(dir);
    std::fs::create_dir_all(&path).expect("case directory");
    for (name, content) in files {
        std::fs::write(path.join(name), content).expect("case file");
    }
}

/// A configuration body with the terraform and provider blocks every case needs.
fn main_tf(body: &str) -> Vec<(String, String)> {
    vec![(
        "main.tf".to_string(),
        format!(
            "{}provider \"azureclassic\" {{}}\n{body}",
            required_providers()
        ),
    )]
}

/// `terraform plan -detailed-exitcode` in subdirectory `dir`.
fn plan_in(stack: &Stack, dir: &str) -> Output {
    let chdir = format!("-chdir={dir}");
    stack.ws.terraform(&[
        &chdir,
        "plan",
        "-detailed-exitcode",
        "-input=false",
        "-no-color",
    ])
}

/// The diagnostics Terraform printed, from both streams: each from its `Error: ` or `Warning: `
/// line to the next one (with `-no-color`, Terraform 1.0.3 draws no box around them).
fn diagnostics(out: &Output) -> Vec<String> {
    let mut all: Vec<String> = Vec::new();
    for line in format!("{}\n{}", out.stdout, out.stderr).lines() {
        let line = line.trim_start_matches('│').trim_start();
        if line.starts_with("Error: ") || line.starts_with("Warning: ") {
            all.push(String::new());
        }
        if let Some(current) = all.last_mut() {
            current.push_str(line);
            current.push('\n');
        }
    }
    all
}

/// Whether `diagnostic` quotes a source line (`  12:   gateway_sku = "Basic"`) starting with `line`:
/// Terraform quotes the line of the attribute the provider's diagnostic points at.
fn quotes_source_line(diagnostic: &str, line: &str) -> bool {
    diagnostic.lines().any(|l| {
        l.split_once(':').is_some_and(|(number, source)| {
            !number.is_empty()
                && number.bytes().all(|b| b.is_ascii_digit())
                && source.trim_start().starts_with(line)
        })
    })
}

/// Asserts a diagnostic of `severity` names `rule` and quotes `line`.
fn assert_diagnostic(out: &Output, severity: &str, rule: &str, line: &str, context: &str) {
    let found = diagnostics(out)
        .into_iter()
        .any(|d| d.contains(&format!("{severity}: {rule}: ")) && quotes_source_line(&d, line));
    assert!(
        found,
        "{context}: no {severity} naming {rule} quoting {line:?}\n{}",
        out.all()
    );
}

#[test]
fn every_broken_configuration_is_refused_at_plan_with_its_rule_and_attribute() {
    let cases = broken_cases();
    for tf in terraforms() {
        let stack = Stack::new(&tf, &[]);
        for (i, case) in cases.iter().enumerate() {
            let dir = format!("broken-{i}");
            write_case(&stack, &dir, &main_tf(&case.config));
            let before = stack.request_count();
            let out = plan_in(&stack, &dir);
            let context = format!("{} ({})", case.name, tf.version);
            assert!(!out.timed_out, "{context}: timed out");
            match case.expect {
                Expect::Refused { rule, line } => {
                    assert_eq!(out.code, Some(1), "{context}: {}", out.all());
                    assert_diagnostic(&out, "Error", rule, line, &context);
                }
                Expect::Warned { rule, line } => {
                    assert_eq!(out.code, Some(2), "{context}: {}", out.all());
                    assert_diagnostic(&out, "Warning", rule, line, &context);
                    assert!(!out.all().contains("Error"), "{context}: {}", out.all());
                }
            }
            assert_eq!(
                stack.mutating_requests_since(before),
                Vec::<String>::new(),
                "{context}"
            );
            println!("{context}: {}", expectation(&case.expect));
        }
    }
}

fn expectation(expect: &Expect) -> String {
    match expect {
        Expect::Refused { rule, .. } => format!("refused with {rule}"),
        Expect::Warned { rule, .. } => format!("planned with warning {rule}"),
    }
}

/// The `.tf` files of an example directory, plus a `terraform.tfvars` with `vars`.
fn example(dir: &str, vars: &[(&str, &str)]) -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<(String, String)> = std::fs::read_dir(&root)
        .expect("example directory")
        .map_while(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "tf"))
        .map(|e| {
            let text = std::fs::read_to_string(e.path()).expect("example file");
            (e.file_name().to_string_lossy().into_owned(), text)
        })
        .collect();
    assert!(!files.is_empty(), "{dir} has no .tf files");
    files.push(("terraform.tfvars".to_string(), tfvars(vars)));
    files
}

/// The coexisting stack with every value from a variable, subnets and site references from
/// dynamic blocks.
const VARIABLES_EVERYWHERE: &str = r#"
variable "vnet" {
  type = object({
    name          = string
    location      = string
    address_space = list(string)
    subnets       = map(string)
    sites         = map(string)
  })
  default = {
    name          = "VarVNET"
    location      = "Central US"
    address_space = ["10.60.0.0/16"]
    subnets       = { FrontEnd = "10.60.1.0/24", GatewaySubnet = "10.60.255.0/27" }
    sites         = { MyLocalNetwork = "Dedicated" }
  }
}

variable "skus" {
  type    = map(string)
  default = { expressroute = "HighPerformance", vpn = "Standard" }
}

variable "routing" {
  type    = string
  default = "DynamicRouting"
}

variable "circuit_service_key" {
  type = string
}

variable "onprem" {
  type = object({ name = string, ip = string, address_space = list(string) })
  default = { name = "OnPrem", ip = "23.39.1.2", address_space = ["10.1.2.0/24"] }
}

variable "shared_key" {
  type      = string
  sensitive = true
}

variable "routing_weight" {
  type    = number
  default = 10
}

resource "azureclassic_virtual_network" "vnet" {
  name          = var.vnet.name
  location      = var.vnet.location
  address_space = var.vnet.address_space
  dynamic "subnet" {
    for_each = var.vnet.subnets
    content {
      name           = subnet.key
      address_prefix = subnet.value
    }
  }
  dynamic "local_network_site_ref" {
    for_each = var.vnet.sites
    content {
      name            = local_network_site_ref.key
      connection_type = local_network_site_ref.value
    }
  }
}

resource "azureclassic_virtual_network_gateway" "er" {
  virtual_network_name = azureclassic_virtual_network.vnet.name
  type                 = "ExpressRoute"
  gateway_sku          = var.skus.expressroute
  gateway_type         = var.routing
}

resource "azureclassic_dedicated_circuit_link" "er" {
  service_key             = var.circuit_service_key
  virtual_network_name    = azureclassic_virtual_network.vnet.name
  expressroute_gateway_id = azureclassic_virtual_network_gateway.er.id
}

resource "azureclassic_virtual_network_gateway" "vpn" {
  virtual_network_name         = azureclassic_virtual_network.vnet.name
  type                         = "Vpn"
  name                         = "${var.vnet.name}-vpn"
  gateway_sku                  = var.skus.vpn
  gateway_type                 = var.routing
  expressroute_circuit_link_id = azureclassic_dedicated_circuit_link.er.id
}

resource "azureclassic_local_network_gateway" "onprem" {
  name          = var.onprem.name
  ip_address    = var.onprem.ip
  address_space = var.onprem.address_space
}

resource "azureclassic_gateway_connection" "s2s" {
  name                       = "${var.vnet.name}-to-${var.onprem.name}"
  virtual_network_gateway_id = azureclassic_virtual_network_gateway.vpn.id
  local_network_gateway_id   = azureclassic_local_network_gateway.onprem.id
  shared_key                 = var.shared_key
  routing_weight             = var.routing_weight
}
"#;

/// A coexisting stack whose values are unknown until apply: derived from a seed VNet's `vnet_id`
/// (the service's GUID, known only after it is created) and from the ExpressRoute gateway's VIP.
const UNKNOWN_VALUES: &str = r#"
resource "azureclassic_virtual_network" "seed" {
  name          = "SeedVNET"
  location      = "West Europe"
  address_space = ["10.70.0.0/16"]
  subnet {
    name           = "Seed"
    address_prefix = "10.70.0.0/24"
  }
}

locals {
  # Unknown strings at plan time that equal the empty string after apply.
  later = substr(azureclassic_virtual_network.seed.vnet_id, 0, 0)
}

resource "azureclassic_virtual_network" "vnet" {
  name          = "Unknown${local.later}VNET"
  location      = "West Europe"
  address_space = ["10.71.0.0/16${local.later}"]
  subnet {
    name           = "FrontEnd${local.later}"
    address_prefix = "10.71.1.0/24${local.later}"
  }
  subnet {
    name           = "GatewaySubnet${local.later}"
    address_prefix = "10.71.255.0/27${local.later}"
  }
  local_network_site_ref {
    name            = "MyLocalNetwork"
    connection_type = "Dedicated${local.later}"
  }
  vpn_client_address_pool = length(local.later) > 0 ? ["172.16.0.0/24"] : []
}

resource "azureclassic_virtual_network_gateway" "er" {
  virtual_network_name = azureclassic_virtual_network.vnet.name
  type                 = "ExpressRoute${local.later}"
  gateway_sku          = "Standard${local.later}"
}

resource "azureclassic_dedicated_circuit_link" "er" {
  service_key             = "${var.circuit_service_key}${local.later}"
  virtual_network_name    = azureclassic_virtual_network.vnet.name
  expressroute_gateway_id = azureclassic_virtual_network_gateway.er.id
}

resource "azureclassic_virtual_network_gateway" "vpn" {
  virtual_network_name         = azureclassic_virtual_network.vnet.name
  type                         = "Vpn"
  name                         = "S2SVPN${local.later}"
  gateway_sku                  = "HighPerformance${local.later}"
  gateway_type                 = "DynamicRouting${local.later}"
  default_site                 = length(local.later) > 0 ? "MyLocalNetwork" : null
  expressroute_circuit_link_id = azureclassic_dedicated_circuit_link.er.id
}

resource "azureclassic_local_network_gateway" "onprem" {
  name          = "OnPrem${local.later}"
  ip_address    = azureclassic_virtual_network_gateway.er.vip_address
  address_space = ["10.1.2.0/24${local.later}"]
}

resource "azureclassic_gateway_connection" "s2s" {
  name                       = "Azure2Local${local.later}"
  virtual_network_gateway_id = azureclassic_virtual_network_gateway.vpn.id
  local_network_gateway_id   = azureclassic_local_network_gateway.onprem.id
  shared_key                 = "never-printed-${local.later}"
}

variable "circuit_service_key" {
  type = string
}
"#;

/// A VNet with no ExpressRoute: none of the coexistence restrictions apply (Basic SKU, static
/// routing, point-to-site, a /29 GatewaySubnet, no circuit link first). Forced tunnelling is left
/// out: no classic multi-gateway call sets it, so the provider refuses `default_site` at plan.
const VPN_ONLY: &str = r#"
resource "azureclassic_virtual_network" "vnet" {
  name          = "VpnOnlyVNET"
  location      = "West Europe"
  address_space = ["10.80.0.0/16"]
  subnet {
    name           = "FrontEnd"
    address_prefix = "10.80.1.0/24"
  }
  subnet {
    name           = "GatewaySubnet"
    address_prefix = "10.80.255.248/29"
  }
  local_network_site_ref {
    name            = "Branch"
    connection_type = "IPsec"
  }
  vpn_client_address_pool = ["172.16.0.0/24"]
}

resource "azureclassic_virtual_network_gateway" "vpn" {
  virtual_network_name = azureclassic_virtual_network.vnet.name
  type                 = "Vpn"
  name                 = "BranchVPN"
  gateway_sku          = "Default"
  gateway_type         = "StaticRouting"
}
"#;

/// ExpressRoute alone on the largest SKU, with a second address space holding the /26
/// GatewaySubnet and prefixes that touch without overlapping.
const EXPRESSROUTE_ULTRA: &str = r#"
resource "azureclassic_virtual_network" "vnet" {
  name          = "UltraVNET"
  location      = "West Europe"
  address_space = ["10.90.0.0/24", "192.168.50.0/26"]
  subnet {
    name           = "Low"
    address_prefix = "10.90.0.0/25"
  }
  subnet {
    name           = "High"
    address_prefix = "10.90.0.128/25"
  }
  subnet {
    name           = "GatewaySubnet"
    address_prefix = "192.168.50.0/26"
  }
  local_network_site_ref {
    name            = "MyLocalNetwork"
    connection_type = "Dedicated"
  }
}

resource "azureclassic_virtual_network_gateway" "er" {
  virtual_network_name = azureclassic_virtual_network.vnet.name
  type                 = "ExpressRoute"
  gateway_sku          = "UltraPerformance"
}
"#;

#[test]
fn every_valid_configuration_plans_without_a_false_error() {
    let vars = [
        ("circuit_service_key", CIRCUIT_KEY),
        ("shared_key", "never-printed-9d2e"),
    ];
    let cases = [
        (
            "example coexisting-new-vnet",
            example("examples/coexisting-new-vnet", &vars),
        ),
        (
            "example existing-vnet, end state",
            example("examples/existing-vnet", &vars),
        ),
        (
            // The objects as they exist before the procedure: a /28 GatewaySubnet (a warning).
            "example existing-vnet, as it exists",
            example(
                "examples/existing-vnet",
                &[
                    vars[0],
                    ("gateway_subnet_prefix", "10.17.159.224/28"),
                    ("site_to_site", "false"),
                ],
            ),
        ),
        (
            "example sites-without-expressroute",
            example("examples/sites-without-expressroute", &vars),
        ),
        ("variables everywhere", {
            let mut files = main_tf(VARIABLES_EVERYWHERE);
            files.push(("terraform.tfvars".to_string(), tfvars(&vars)));
            files
        }),
        ("VPN-only VNet", main_tf(VPN_ONLY)),
        ("UltraPerformance ExpressRoute", main_tf(EXPRESSROUTE_ULTRA)),
        ("values unknown until apply", {
            let mut files = main_tf(UNKNOWN_VALUES);
            files.push(("terraform.tfvars".to_string(), tfvars(&vars[..1])));
            files
        }),
    ];
    for tf in terraforms() {
        let stack = Stack::new(&tf, &[]);
        for (i, (name, files)) in cases.iter().enumerate() {
            let dir = format!("valid-{i}");
            write_case(&stack, &dir, files);
            let before = stack.request_count();
            let out = plan_in(&stack, &dir);
            let context = format!("{name} ({}): {}", tf.version, out.all());
            assert_eq!(out.code, Some(2), "{context}");
            assert!(!out.all().contains("Error"), "{context}");
            assert!(!out.all().contains("never-printed"), "{context}");
            assert_eq!(
                stack.mutating_requests_since(before),
                Vec::<String>::new(),
                "{context}"
            );
            println!("{name} ({}): planned, no error", tf.version);
        }
        // The plans read the service (the circuit, existing objects): the log is live, so the
        // "no mutating request" checks above are not vacuous.
        assert!(
            stack.request_count() > 0,
            "{}: no request logged",
            tf.version
        );
    }
}

fn tfvars(vars: &[(&str, &str)]) -> String {
    vars.iter().map(|(k, v)| format!("{k} = {v:?}\n")).collect()
}
