# The import id of a connection is {virtual_network_gateway_id}/{local_network_gateway_id}.
terraform import azureclassic_gateway_connection.example 348ae011-ffa9-4add-b530-7cb30010565e/532cb428-8c8c-4596-9a4f-7ae3a9fcd01b
