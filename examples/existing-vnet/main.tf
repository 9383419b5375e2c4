# The classic coexistence procedure, path 2: an existing VNet (created outside Terraform, see
# setup-existing.sh) whose ExpressRoute gateway sits on a /28 GatewaySubnet, imported, then given a
# /27 GatewaySubnet and a coexisting Site-to-Site VPN in one apply.
#
# With `-var-file=existing.tfvars` this configuration describes the objects as they exist (a /28
# GatewaySubnet, no VPN side): after `terraform import` the plan is empty. With the defaults it is the
# end state, and the plan shows the procedure's chain: the circuit link and the ExpressRoute gateway
# replaced (deleted before the network configuration is updated in place, recreated after it: the
# downtime window), then the VPN gateway, local network gateway and connection created.

# The network configuration. The GatewaySubnet grows from /28 to /27 in place: the VNet keeps its
# VMs and services; only its gateways are rebuilt.
resource "azureclassic_virtual_network" "vnet" {
  name          = var.vnet_name
  location      = var.location
  address_space = ["10.17.159.192/26"]

  subnet {
    name           = "Subnet-1"
    address_prefix = "10.17.159.192/27"
  }

  subnet {
    name           = "GatewaySubnet"
    address_prefix = var.gateway_subnet_prefix
  }

  local_network_site_ref {
    name            = var.local_site_name
    connection_type = "Dedicated"
  }
}

# The ExpressRoute gateway: it records the GatewaySubnet it was built on, so a resized GatewaySubnet
# plans its replacement (CX-RESIZE).
resource "azureclassic_virtual_network_gateway" "expressroute" {
  virtual_network_name = azureclassic_virtual_network.vnet.name
  type                 = "ExpressRoute"
  gateway_sku          = "HighPerformance"
  gateway_type         = "DynamicRouting"
}

# The circuit link: it follows its gateway, so it is replaced with it.
resource "azureclassic_dedicated_circuit_link" "expressroute" {
  service_key             = var.circuit_service_key
  virtual_network_name    = azureclassic_virtual_network.vnet.name
  expressroute_gateway_id = azureclassic_virtual_network_gateway.expressroute.id
}

# The coexisting Site-to-Site side, created after the circuit link (off in existing.tfvars).
resource "azureclassic_virtual_network_gateway" "vpn" {
  count = var.site_to_site ? 1 : 0

  virtual_network_name         = azureclassic_virtual_network.vnet.name
  type                         = "Vpn"
  name                         = "S2SVPN"
  gateway_sku                  = "HighPerformance"
  gateway_type                 = "DynamicRouting"
  expressroute_circuit_link_id = azureclassic_dedicated_circuit_link.expressroute.id
}

resource "azureclassic_local_network_gateway" "onprem" {
  count = var.site_to_site ? 1 : 0

  name          = var.local_site_name
  ip_address    = var.local_gateway_ip
  address_space = var.local_address_space
}

resource "azureclassic_gateway_connection" "s2s" {
  count = var.site_to_site ? 1 : 0

  name                       = "Azure2Local"
  virtual_network_gateway_id = azureclassic_virtual_network_gateway.vpn[0].id
  local_network_gateway_id   = azureclassic_local_network_gateway.onprem[0].id
  connection_type            = "IPsec"
  shared_key                 = var.shared_key
}
