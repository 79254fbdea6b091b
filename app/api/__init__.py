"""HTTP routers: thin handlers that compose the service."""
