"""Catalog entries: one module per family, each registering its labs. Import a module here to add it."""

from app.labs import clustering  # noqa: F401
