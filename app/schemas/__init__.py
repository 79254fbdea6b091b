"""Pydantic models: algorithm params (one module per family) and wire models."""
