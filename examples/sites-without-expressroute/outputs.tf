output "vpn_gateway_vip" {
  description = "Public VIP of the branch VPN gateway: every branch device connects to it."
  value       = azureclassic_virtual_network_gateway.vpn.vip_address
}

output "branch_connection_ids" {
  description = "Connection id per branch."
  value       = { for k, c in azureclassic_gateway_connection.branch : k => c.id }
}
