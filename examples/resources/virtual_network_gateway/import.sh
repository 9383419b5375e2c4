# The import id of a gateway (ExpressRoute or VPN) is its GatewayId, as Get-AzureVirtualNetworkGateway
# or the classic API reports it.
terraform import azureclassic_virtual_network_gateway.vpn 348ae011-ffa9-4add-b530-7cb30010565e
