terraform {
  required_providers {
    azureclassic = {
      source = "azureclassic/azureclassic"
    }
  }
}

# Credentials from a .publishsettings file (subscription, endpoint and management certificate).
# Every argument can come from the environment instead: AZURE_SUBSCRIPTION_ID,
# AZURE_MANAGEMENT_URL, AZURE_PUBLISH_SETTINGS_FILE.
provider "azureclassic" {
  subscription_id       = "11111111-2222-3333-4444-555555555555"
  publish_settings_file = "/home/me/.azure/production.publishsettings"
}
