"""Field builders of the dataset specs: the one spelling of "Samples", "Noise", "Data seed" and their UI hints.

Each returns a pydantic ``Field`` (typed ``Any``, as ``Field`` itself is) for a spec attribute::

    class MoonsSpec(GeneratedSpec):
        noise: float = noise(0.1, "Standard deviation of the Gaussian noise added to each point.")
        seed: int = seed()
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

MAX_SAMPLES = 100_000
"""Hard cap on rows in the schema; the service's (smaller) limit is ``Limits.max_points`` (``STEPWISE_MAX_POINTS``)."""


def slider(default: float, title: str, description: str, step: float, **bounds: Any) -> Any:
    """A numeric ``Field`` drawn as a slider (``bounds``: ge / gt / le / lt, ``x_max``: the slider's end)."""
    extra: dict[str, Any] = {"x-widget": "slider", "x-step": step}
    if "x_max" in bounds:
        extra["x-max"] = bounds.pop("x_max")
    return Field(default, title=title, description=description, json_schema_extra=extra, **bounds)


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
