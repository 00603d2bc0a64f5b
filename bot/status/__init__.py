"""What operators see of a running bot. `metrics` counts what it does, for Prometheus."""
