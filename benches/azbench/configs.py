"""The configurations under test, generated so that every resource has its own name, IP and prefix."""

from __future__ import annotations

from dataclasses import dataclass

from .tools import NULL_VERSION, OUR_VERSION, REPO

EXAMPLE = REPO / "examples" / "coexisting-new-vnet"


def _terraform_block(local_name: str, source: str, version: str) -> str:
    return (
        "terraform {\n  required_providers {\n"
        f'    {local_name} = {{\n      source  = "{source}"\n      version = "{version}"\n    }}\n'
        "  }\n}\n\n"
    )


def _provider_block(subscription: str, url: str) -> str:
    return f'provider "azureclassic" {{\n  subscription_id = "{subscription}"\n  management_url  = "{url}"\n}}\n\n'


def site_ip(i: int) -> str:
    return f"23.{(i >> 8) & 255}.{i & 255}.1"


def site_prefix(i: int) -> str:
    return f"10.{(i >> 8) & 255}.{i & 255}.0/24"


def local_network_gateways(n: int, subscription: str, url: str) -> str:
    """N `azureclassic_local_network_gateway`, one block each (so Terraform validates each one)."""
    parts = [_terraform_block("azureclassic", "azureclassic/azureclassic", OUR_VERSION), _provider_block(subscription, url)]
    for i in range(n):
        parts.append(
            f'resource "azureclassic_local_network_gateway" "site_{i}" {{\n'
            f'  name          = "site-{i}"\n'
            f'  ip_address    = "{site_ip(i)}"\n'
            f'  address_space = ["{site_prefix(i)}"]\n'
            "}\n\n"
        )
    return "".join(parts)


def null_resources(n: int) -> str:
    """N `null_resource` carrying the same values as triggers: the same amount of configuration."""
    parts = [_terraform_block("null", "hashicorp/null", NULL_VERSION)]
    for i in range(n):
        parts.append(
            f'resource "null_resource" "site_{i}" {{\n'
            "  triggers = {\n"
            f'    name          = "site-{i}"\n'
            f'    ip_address    = "{site_ip(i)}"\n'
            f'    address_space = "{site_prefix(i)}"\n'
            "  }\n}\n\n"
        )
    return "".join(parts)


@dataclass(frozen=True)
class Stack:
    """One coexisting ExpressRoute + S2S VPN topology with its own VNet, circuit and site."""

    index: int

    @property
    def circuit(self) -> str:
        return f"0b5e0000-0000-4000-8000-{self.index:012x}"

    @property
    def hcl(self) -> str:
        i = self.index
        base = f"10.{100 + i // 4}.{(i % 4) * 64}"
        return (
            f's{i} = {{ vnet = "BenchVNet{i}", space = "{base}.0/26", subnet = "{base}.0/27", '
            f'gateway_subnet = "{base}.32/27", site = "BenchSite{i}", ip = "23.39.{i}.2", '
            f'onprem = "172.16.{i}.0/24", circuit = "{self.circuit}" }}'
        )


def stacks(k: int, subscription: str, url: str) -> str:
    """K independent copies of examples/coexisting-new-vnet through for_each, in one configuration."""
    entries = "\n".join("    " + Stack(i).hcl for i in range(k))
    return (
        _terraform_block("azureclassic", "azureclassic/azureclassic", OUR_VERSION)
        + _provider_block(subscription, url)
        + f"locals {{\n  stacks = {{\n{entries}\n  }}\n}}\n\n"
        + STACK_RESOURCES
    )


STACK_RESOURCES = """\
resource "azureclassic_virtual_network" "vnet" {
  for_each      = local.stacks
  name          = each.value.vnet
  location      = "Central US"
  address_space = [each.value.space]

  subnet {
    name           = "Subnet-1"
    address_prefix = each.value.subnet
  }

  subnet {
    name           = "GatewaySubnet"
    address_prefix = each.value.gateway_subnet
  }

  local_network_site_ref {
    name            = each.value.site
    connection_type = "Dedicated"
  }
}

resource "azureclassic_virtual_network_gateway" "expressroute" {
  for_each             = local.stacks
  virtual_network_name = azureclassic_virtual_network.vnet[each.key].name
  type                 = "ExpressRoute"
  gateway_sku          = "HighPerformance"
  gateway_type         = "DynamicRouting"
}

resource "azureclassic_dedicated_circuit_link" "expressroute" {
  for_each                = local.stacks
  service_key             = each.value.circuit
  virtual_network_name    = azureclassic_virtual_network.vnet[each.key].name
  expressroute_gateway_id = azureclassic_virtual_network_gateway.expressroute[each.key].id
}

resource "azureclassic_virtual_network_gateway" "vpn" {
  for_each                     = local.stacks
  virtual_network_name         = azureclassic_virtual_network.vnet[each.key].name
  type                         = "Vpn"
  name                         = "S2SVPN"
  gateway_sku                  = "HighPerformance"
  gateway_type                 = "DynamicRouting"
  expressroute_circuit_link_id = azureclassic_dedicated_circuit_link.expressroute[each.key].id
}

resource "azureclassic_local_network_gateway" "onprem" {
  for_each      = local.stacks
  name          = each.value.site
  ip_address    = each.value.ip
  address_space = [each.value.onprem]
}

resource "azureclassic_gateway_connection" "s2s" {
  for_each                   = local.stacks
  name                       = "Azure2Local"
  virtual_network_gateway_id = azureclassic_virtual_network_gateway.vpn[each.key].id
  local_network_gateway_id   = azureclassic_local_network_gateway.onprem[each.key].id
  connection_type            = "IPsec"
  shared_key                 = "bench-shared-key-${each.key}"
}
"""


def example_files() -> dict[str, str]:
    """examples/coexisting-new-vnet as shipped; its provider block reads the AZURE_* environment."""
    return {p.name: p.read_text() for p in sorted(EXAMPLE.glob("*.tf"))}
