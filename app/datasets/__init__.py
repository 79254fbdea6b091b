"""Data for the engines: toy 2-D generators and scikit-learn's bundled classic tables.

``Dataset`` is what every data-driven engine receives. Build one from a validated spec with
``app.schemas.datasets.load_dataset(param)``; the functions in ``generators`` and ``classic`` are plain
NumPy / scikit-learn and know nothing about pydantic or the web.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Dataset:
    """A loaded dataset.

    * ``X``: float64 array, shape ``(n, d)`` (``d == 2`` for every generator and classic set; inline data
      may have any ``d >= 1``).
    * ``y``: int64 array, shape ``(n,)``, or ``None`` for unlabelled inline data.
    * ``feature_names``: ``d`` column names (``("x1", "x2")`` for generators, ``("PC1", "PC2")`` or the
      two picked columns for classic sets).
    * ``name``: the spec's name (``"moons"``, ``"iris"``, ...) or ``"inline"``.
    """

    X: np.ndarray
    y: np.ndarray | None
    feature_names: tuple[str, ...]
    name: str

    @property
    def n_samples(self) -> int:
        """Number of rows of ``X``."""
        return int(self.X.shape[0])

    @property
    def n_classes(self) -> int:
        """Number of distinct labels in ``y`` (0 when unlabelled)."""
        return 0 if self.y is None else int(np.unique(self.y).size)


__all__ = ["Dataset"]
