# The import id of a local network gateway is its GatewayId, as Get-AzureLocalNetworkGateway or the
# classic API reports it.
terraform import azureclassic_local_network_gateway.example 532cb428-8c8c-4596-9a4f-7ae3a9fcd01b
