# The import id of a circuit link is {service_key}/{virtual_network_name}.
terraform import azureclassic_dedicated_circuit_link.example aec3ca48-6940-41bb-95f0-929627ea42f6/MyAzureVNET
