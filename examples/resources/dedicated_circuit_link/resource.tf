variable "circuit_service_key" {
  description = "Service key of the provisioned ExpressRoute circuit."
  type        = string
}

# The circuit must be Enabled and Provisioned by the connectivity provider (CX-CIRCUIT).
data "azureclassic_dedicated_circuit" "example" {
  service_key = var.circuit_service_key
}

# The network's ExpressRoute gateway, created before the link (CX-ORDER). In the configuration that
# creates the gateway, reference the azureclassic_virtual_network_gateway resource's id instead.
data "azureclassic_virtual_network_gateway" "expressroute" {
  virtual_network_name = "MyAzureVNET"
  type                 = "ExpressRoute"
}

resource "azureclassic_dedicated_circuit_link" "example" {
  service_key             = data.azureclassic_dedicated_circuit.example.service_key
  virtual_network_name    = data.azureclassic_virtual_network_gateway.expressroute.virtual_network_name
  expressroute_gateway_id = data.azureclassic_virtual_network_gateway.expressroute.id
}
