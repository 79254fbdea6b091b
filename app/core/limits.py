"""The data limits a lab's params and inputs are checked against, handed down by the service.

Schemas and labs never read settings themselves (DESIGN §2: settings are read by the service only): the
service builds a ``Limits`` from its ``Settings`` and passes it down — as pydantic's validation context
(``model_validate(params, context={"limits": limits})``) to schemas, and as an argument to ``prepare``.
Without a context (a unit test, a script) the defaults below apply; a test checks they equal the settings'.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Limits:
    max_points: int = 5_000
    """Most rows a dataset may have (``STEPWISE_MAX_POINTS``)."""
    max_points_hierarchical: int = 2_000
    """Most rows for hierarchical clustering: its distance matrix grows as n²
    (``STEPWISE_MAX_POINTS_HIERARCHICAL``)."""
    max_abs_value: float = 1e12
    """Largest size |v| of a data value, so squares stay finite (``STEPWISE_MAX_ABS_VALUE``)."""
    max_search_fits: int = 2_000
    """Most model fits one hyperparameter search may plan (candidates × folds + 1 refit;
    ``STEPWISE_MAX_SEARCH_FITS``)."""
    max_search_fits_mlp: int = 300
    """The same for a network, whose fits train for epochs (``STEPWISE_MAX_SEARCH_FITS_MLP``)."""
    max_images: int = 2_000
    """Most images in an image dataset (``STEPWISE_MAX_IMAGES``)."""
    max_image_side: int = 256
    """Longest side of an image in pixels: photos and uploads are shrunk to it, generated ones refused above it
    (``STEPWISE_MAX_IMAGE_SIDE``)."""
    max_model_bytes: int = 1_400_000
    """Largest weights file a network's ``initial_weights`` may hold, decoded (``STEPWISE_MAX_MODEL_BYTES``)."""
    max_cnn_parameters: int = 2_000_000
    """Most parameters a CNN may have (``STEPWISE_MAX_CNN_PARAMETERS``)."""
    max_cnn_work: float = 3e10
    """Most multiply-adds one CNN run may train: epochs × training images × multiply-adds per image
    (``STEPWISE_MAX_CNN_WORK``; refused before training, where the run's time budget would stop it late)."""


DEFAULT_LIMITS = Limits()


def limits_in(context: Mapping[str, Any] | None) -> Limits:
    """The limits in a pydantic validation context (``info.context``), or the defaults."""
    found = (context or {}).get("limits")
    return found if isinstance(found, Limits) else DEFAULT_LIMITS
