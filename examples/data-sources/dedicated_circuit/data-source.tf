variable "circuit_service_key" {
  description = "Service key of the ExpressRoute circuit."
  type        = string
}

data "azureclassic_dedicated_circuit" "example" {
  service_key = var.circuit_service_key
}

# Link a network only once the connectivity provider has provisioned the circuit (CX-CIRCUIT).
output "circuit_ready" {
  value = data.azureclassic_dedicated_circuit.example.service_provider_provisioning_state == "Provisioned"
}
