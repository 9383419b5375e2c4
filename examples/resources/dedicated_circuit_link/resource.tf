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

resource "azureclassic_virtual_network_gateway" "expressroute" {
  virtual_network_name = azureclassic_virtual_network.example.name
  type                 = "ExpressRoute"
  gateway_sku          = "Standard"
}

# Links the circuit to the network, after the network's ExpressRoute gateway.
resource "azureclassic_dedicated_circuit_link" "example" {
  service_key             = var.circuit_service_key
  virtual_network_name    = azureclassic_virtual_network.example.name
  expressroute_gateway_id = azureclassic_virtual_network_gateway.expressroute.id
}
