"""The HTTP API: routers that translate requests into calls on the domain services."""
