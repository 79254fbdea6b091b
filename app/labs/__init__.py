"""Catalog entries: one module per family, each calling ``register(...)`` for its labs.

Every module in this package is imported (in name order), so adding a family is adding a file.
"""

import importlib
import pkgutil

for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    importlib.import_module(f"{__name__}.{_module}")
