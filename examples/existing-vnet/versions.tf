terraform {
  required_version = ">= 1.0.3"
  required_providers {
    azureclassic = {
      source = "azureclassic/azureclassic"
    }
  }
}

# Credentials come from the environment (AZURE_SUBSCRIPTION_ID, AZURE_MANAGEMENT_URL,
# AZURE_PUBLISH_SETTINGS_FILE); examples/quickstart.sh points them at the local emulator.
provider "azureclassic" {}
