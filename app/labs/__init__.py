"""The labs: one module per family, each defining its ``Algorithm`` constants and an ``ALGORITHMS`` tuple.

A lab module imports only what lies below it (core, engines, datasets, schemas, views) and never the catalog.
Adding a lab is one module here (its frozen inputs dataclass, ``prepare`` and engine adapter, joined with its
params model from ``app/schemas`` and its view from ``app/views`` in an ``Algorithm`` constant listed in the
module's ``ALGORITHMS``) plus one line in ``app/catalog.py``'s ``_LISTED`` (and the module's name in the import
above it); the catalog puts the lab in curriculum order by its first journal day. ``docs/LAB_GUIDE.md`` walks
through it.
"""
