variable "shared_key" {
  description = "IPsec pre-shared key, also configured on the on-premises VPN device."
  type        = string
  sensitive   = true
}

# The network's existing Site-to-Site VPN gateway.
data "azureclassic_virtual_network_gateway" "vpn" {
  virtual_network_name = "MyAzureVNET"
  type                 = "Vpn"
}

resource "azureclassic_local_network_gateway" "branch" {
  name          = "MyLocalNetwork"
  ip_address    = "23.39.1.2"
  address_space = ["10.1.2.0/24"]
}

resource "azureclassic_gateway_connection" "example" {
  name                       = "Azure2Local"
  virtual_network_gateway_id = data.azureclassic_virtual_network_gateway.vpn.id
  local_network_gateway_id   = azureclassic_local_network_gateway.branch.id
  connection_type            = "IPsec"
  shared_key                 = var.shared_key
}
