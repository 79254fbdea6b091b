"""The neutral bottom layer: what engines, views and the service all share (NumPy only)."""
