# By virtual network and type...
data "azureclassic_virtual_network_gateway" "expressroute" {
  virtual_network_name = "MyAzureVNET"
  type                 = "ExpressRoute"
}

# ...or by GatewayId.
data "azureclassic_virtual_network_gateway" "vpn" {
  id = "348ae011-ffa9-4add-b530-7cb30010565e"
}

output "vpn_gateway_vip" {
  description = "Configure the on-premises VPN device to connect to this address."
  value       = data.azureclassic_virtual_network_gateway.vpn.vip_address
}
