# A new virtual network ready for coexisting ExpressRoute and Site-to-Site VPN gateways.
resource "azureclassic_virtual_network" "example" {
  name          = "MyAzureVNET"
  location      = "Central US"
  address_space = ["10.17.159.192/26"]

  subnet {
    name           = "Subnet-1"
    address_prefix = "10.17.159.192/27"
  }

  # /27 or a shorter prefix, so that both gateways fit (CX-GWSUBNET).
  subnet {
    name           = "GatewaySubnet"
    address_prefix = "10.17.159.224/27"
  }

  # The ExpressRoute side: connection type Dedicated (CX-DEDICATED).
  local_network_site_ref {
    name            = "MyLocalNetwork"
    connection_type = "Dedicated"
  }
}
