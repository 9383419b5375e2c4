variable "vnet_name" {
  description = "Name of the classic virtual network."
  type        = string
  default     = "HubVNET"
}

variable "location" {
  description = "Azure region of the virtual network."
  type        = string
  default     = "Central US"
}

variable "circuit_service_key" {
  description = "Service key of the ExpressRoute circuit that serves the main site."
  type        = string
}

variable "branch_sites" {
  description = "Branch offices that are not on ExpressRoute and connect over Site-to-Site VPN instead."
  type = map(object({
    ip_address    = string
    address_space = list(string)
  }))
  default = {
    Branch-Paris = {
      ip_address    = "23.39.10.1"
      address_space = ["10.20.0.0/24"]
    }
    Branch-Oslo = {
      ip_address    = "23.39.11.1"
      address_space = ["10.21.0.0/24", "10.21.8.0/24"]
    }
  }
}

variable "shared_key" {
  description = "IPsec pre-shared key of the branch connections."
  type        = string
  sensitive   = true
}
