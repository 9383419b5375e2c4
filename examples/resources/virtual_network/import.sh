# The import id of a virtual network is its name.
terraform import azureclassic_virtual_network.example MyAzureVNET
