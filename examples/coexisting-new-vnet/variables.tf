variable "vnet_name" {
  description = "Name of the classic virtual network."
  type        = string
  default     = "MyAzureVNET"
}

variable "location" {
  description = "Azure region of the virtual network."
  type        = string
  default     = "Central US"
}

variable "circuit_service_key" {
  description = "Service key of the pre-provisioned ExpressRoute circuit to link the VNet to."
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
  description = "IPsec pre-shared key of the Site-to-Site connection."
  type        = string
  sensitive   = true
}
