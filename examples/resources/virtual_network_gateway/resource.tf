variable "circuit_service_key" {
  description = "Service key of the provisioned ExpressRoute circuit."
  type        = string
}

resource "azureclassic_virtual_network" "example" {
  name          = "MyAzureVNET"
  location      = "Central US"
  address_space = ["10.17.159.192/26"]

  subnet {
    name           = "GatewaySubnet"
    address_prefix = "10.17.159.224/27"
  }

  local_network_site_ref {
    name            = "MyLocalNetwork"
    connection_type = "Dedicated"
  }
}

# The ExpressRoute gateway comes first.
resource "azureclassic_virtual_network_gateway" "expressroute" {
  virtual_network_name = azureclassic_virtual_network.example.name
  type                 = "ExpressRoute"
  gateway_sku          = "HighPerformance"
  gateway_type         = "DynamicRouting"

  timeouts {
    create = "90m"
    delete = "2h"
  }
}

resource "azureclassic_dedicated_circuit_link" "example" {
  service_key             = var.circuit_service_key
  virtual_network_name    = azureclassic_virtual_network.example.name
  expressroute_gateway_id = azureclassic_virtual_network_gateway.expressroute.id
}

# The Site-to-Site VPN gateway comes after the circuit link (CX-ORDER): referencing the link's id
# makes Terraform create it last and destroy it first.
resource "azureclassic_virtual_network_gateway" "vpn" {
  virtual_network_name         = azureclassic_virtual_network.example.name
  type                         = "Vpn"
  name                         = "S2SVPN"
  gateway_sku                  = "HighPerformance"
  gateway_type                 = "DynamicRouting"
  expressroute_circuit_link_id = azureclassic_dedicated_circuit_link.example.id
}
