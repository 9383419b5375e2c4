output "vnet_id" {
  description = "The service's GUID of the virtual network."
  value       = azureclassic_virtual_network.vnet.vnet_id
}

output "expressroute_gateway_vip" {
  description = "Public VIP of the ExpressRoute gateway."
  value       = azureclassic_virtual_network_gateway.expressroute.vip_address
}

output "vpn_gateway_vip" {
  description = "Public VIP of the Site-to-Site VPN gateway: configure the on-premises device to connect to it."
  value       = azureclassic_virtual_network_gateway.vpn.vip_address
}

output "circuit_link_state" {
  description = "Provisioning state of the ExpressRoute circuit link."
  value       = azureclassic_dedicated_circuit_link.expressroute.state
}

output "connection_id" {
  description = "Id of the Site-to-Site connection."
  value       = azureclassic_gateway_connection.s2s.id
}
