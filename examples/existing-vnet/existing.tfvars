# The objects as setup-existing.sh created them: import against these values, and the plan is empty.
gateway_subnet_prefix = "10.17.159.224/28"
site_to_site          = false
