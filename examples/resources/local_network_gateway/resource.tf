# The on-premises site: the public address of its VPN device and the networks behind it, which
# must not overlap the virtual network's address space (CX-TRANSIT).
resource "azureclassic_local_network_gateway" "example" {
  name          = "MyLocalNetwork"
  ip_address    = "23.39.1.2"
  address_space = ["10.1.2.0/24", "10.1.3.0/24"]
}
