"""Benchmarks of terraform-provider-azureclassic against the Go plugin SDK (hashicorp/null 2.1.2)
and against the physical limit of the classic API's operation delays. Entry point: benches/run.py."""
