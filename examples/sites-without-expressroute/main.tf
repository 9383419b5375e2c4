# The procedure's second design: some sites reach Azure over ExpressRoute, others (branch offices
# not on ExpressRoute) over Site-to-Site VPN into the same VNet. Transit routing between the two
# sides is not supported by the service: branches reach Azure, not the ExpressRoute sites.

resource "azureclassic_virtual_network" "hub" {
  name          = var.vnet_name
  location      = var.location
  address_space = ["10.30.0.0/16"]

  subnet {
    name           = "Workloads"
    address_prefix = "10.30.1.0/24"
  }

  subnet {
    name           = "GatewaySubnet"
    address_prefix = "10.30.255.0/26"
  }

  local_network_site_ref {
    name            = "ExpressRouteSites"
    connection_type = "Dedicated"
  }
}

resource "azureclassic_virtual_network_gateway" "expressroute" {
  virtual_network_name = azureclassic_virtual_network.hub.name
  type                 = "ExpressRoute"
  gateway_sku          = "Standard"
}

resource "azureclassic_dedicated_circuit_link" "expressroute" {
  service_key             = var.circuit_service_key
  virtual_network_name    = azureclassic_virtual_network.hub.name
  expressroute_gateway_id = azureclassic_virtual_network_gateway.expressroute.id
}

resource "azureclassic_virtual_network_gateway" "vpn" {
  virtual_network_name         = azureclassic_virtual_network.hub.name
  type                         = "Vpn"
  name                         = "BranchVPN"
  gateway_sku                  = "Standard"
  expressroute_circuit_link_id = azureclassic_dedicated_circuit_link.expressroute.id
}

resource "azureclassic_local_network_gateway" "branch" {
  for_each = var.branch_sites

  name          = each.key
  ip_address    = each.value.ip_address
  address_space = each.value.address_space
}

resource "azureclassic_gateway_connection" "branch" {
  for_each = var.branch_sites

  name                       = "Hub-to-${each.key}"
  virtual_network_gateway_id = azureclassic_virtual_network_gateway.vpn.id
  local_network_gateway_id   = azureclassic_local_network_gateway.branch[each.key].id
  shared_key                 = var.shared_key
  routing_weight             = 10
}
