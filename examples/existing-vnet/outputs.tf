output "vnet_id" {
  description = "The service's GUID of the virtual network."
  value       = azureclassic_virtual_network.vnet.vnet_id
}

output "gateway_subnet_prefix" {
  description = "The GatewaySubnet the gateways are built on."
  value       = azureclassic_virtual_network.vnet.gateway_subnet_prefix
}

output "expressroute_gateway_id" {
  description = "GatewayId of the ExpressRoute gateway (a new one after the resize)."
  value       = azureclassic_virtual_network_gateway.expressroute.id
}

output "expressroute_gateway_vip" {
  description = "Public VIP of the ExpressRoute gateway."
  value       = azureclassic_virtual_network_gateway.expressroute.vip_address
}

output "circuit_link_state" {
  description = "Provisioning state of the ExpressRoute circuit link."
  value       = azureclassic_dedicated_circuit_link.expressroute.state
}

output "vpn_gateway_vip" {
  description = "Public VIP of the Site-to-Site VPN gateway (null without site_to_site): configure the on-premises device to connect to it."
  value       = one(azureclassic_virtual_network_gateway.vpn[*].vip_address)
}

output "connection_id" {
  description = "Id of the Site-to-Site connection (null without site_to_site)."
  value       = one(azureclassic_gateway_connection.s2s[*].id)
}
