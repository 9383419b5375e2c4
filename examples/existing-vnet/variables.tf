variable "vnet_name" {
  description = "Name of the existing classic virtual network."
  type        = string
  default     = "MyAzureVNET"
}

variable "location" {
  description = "Azure region of the virtual network."
  type        = string
  default     = "Central US"
}

variable "gateway_subnet_prefix" {
  description = "Prefix of the GatewaySubnet: the existing /28 (existing.tfvars) to import, the /27 coexistence needs to resize."
  type        = string
  default     = "10.17.159.224/27"
}

variable "site_to_site" {
  description = "Whether to add the coexisting Site-to-Site VPN (VPN gateway, local network gateway, connection)."
  type        = bool
  default     = true
}

variable "circuit_service_key" {
  description = "Service key of the ExpressRoute circuit the VNet is linked to."
  type        = string
}

variable "local_site_name" {
  description = "Name of the on-premises site: the ExpressRoute site reference and the local network gateway."
  type        = string
  default     = "MyLocalNetwork"
}

variable "local_gateway_ip" {
  description = "Public IPv4 address of the on-premises VPN device."
  type        = string
  default     = "23.39.1.2"
}

variable "local_address_space" {
  description = "On-premises prefixes reached through the Site-to-Site VPN."
  type        = list(string)
  default     = ["10.1.2.0/24"]
}

variable "shared_key" {
  description = "IPsec pre-shared key of the Site-to-Site connection (unused while site_to_site is false)."
  type        = string
  sensitive   = true
  default     = null
}
