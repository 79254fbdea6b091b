"""Field builders: the one spelling of a field many models share, with its UI hints.

The dataset specs' "Samples", "Noise", "Data seed"; the labs' "Test share" and "Picture resolution"; a choice
with labels. Each returns a pydantic ``Field`` (typed ``Any``, as ``Field`` itself is) for a model attribute::

    class MoonsSpec(GeneratedSpec):
        noise: float = noise(0.1, "Standard deviation of the Gaussian noise added to each point.")
        seed: int = seed()
"""

from __future__ import annotations

from typing import Any

from pydantic import Field
from pydantic.config import JsonDict

MAX_SAMPLES = 100_000
"""Hard cap on rows in the schema; the service's (smaller) limit is ``Limits.max_points`` (``STEPWISE_MAX_POINTS``)."""


def slider(default: float, title: str, description: str, step: float, **bounds: Any) -> Any:
    """A numeric ``Field`` drawn as a slider (``bounds``: ge / gt / le / lt, ``x_max``: the slider's end)."""
    extra: dict[str, Any] = {"x-widget": "slider", "x-step": step}
    if "x_max" in bounds:
        extra["x-max"] = bounds.pop("x_max")
    return Field(default, title=title, description=description, json_schema_extra=extra, **bounds)


LABELLED_POINTS = "Labelled points with 2 features: a generated set, a classic table, or points you draw on the page."
"""The dataset description of the 2-D classification labs."""
SHARE_OF_EACH_CLASS = "Share of each class held out to test on, never trained on (0 = train on all)."
"""``test_fraction`` of a classifier (a stratified split)."""
SHARE_OF_ROWS = "Share of the rows held out to test on, never trained on (0 = train on all)."
"""``test_fraction`` of a lab that may predict a number (no classes to stratify by)."""
DECISION_PICTURE = "Grid cells per axis of the shaded decision picture (finer is slower)."
PICTURE_OR_CURVE = "Grid cells per axis of the shaded picture, or points along the fitted curve (finer is slower)."


def choice(default: str, title: str, description: str, labels: JsonDict) -> Any:
    """A ``Literal`` field whose values the form shows in words (``x-labels``: value → label)."""
    return Field(default, title=title, description=description, json_schema_extra={"x-labels": labels})


def test_fraction(description: str = SHARE_OF_EACH_CLASS) -> Any:
    """The share of the data held out to test on: 0 to 0.9, default 0.3."""
    return slider(0.3, "Test share", description, 0.05, ge=0.0, le=0.9)


def grid_size(default: int, description: str = DECISION_PICTURE) -> Any:
    """Cells per axis of a lab's shaded picture: 20 to 200."""
    return slider(default, "Picture resolution", description, 10, ge=20, le=200)


def n_samples(default: int, minimum: int = 1) -> Any:
    """Rows to generate. Validated even when defaulted, so the row limit of the context also sees a default."""
    return slider(
        default,
        "Samples",
        "Number of points to generate.",
        10,
        ge=minimum,
        le=MAX_SAMPLES,
        x_max=2_000,
        validate_default=True,
    )


def noise(default: float, description: str) -> Any:
    return slider(default, "Noise", description, 0.01, ge=0.0, le=10.0, x_max=1.0)


def centers(default: int) -> Any:
    return slider(default, "Centres", "Number of Gaussian blobs (true clusters).", 1, ge=1, le=10)


def spread(default: float, title: str = "Cluster spread", what: str = "each blob") -> Any:
    return slider(default, title, f"Standard deviation of {what}.", 0.05, gt=0.0, le=10.0)


def seed() -> Any:
    """The data seed: independent of the run's seed, so re-running with another run seed keeps the data."""
    description = "Seed of the data generator (independent of the run's seed)."
    return Field(
        0, ge=0, le=2**32 - 1, title="Data seed", description=description, json_schema_extra={"x-widget": "number"}
    )


def name(value: str) -> Any:
    """The ``name`` of a dataset spec: its discriminator, and the picker's choice."""
    return Field(value, title="Dataset", description="Which dataset: the picker's choice.")
