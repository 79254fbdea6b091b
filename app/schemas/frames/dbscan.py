"""Frames and result of the DBSCAN lab.

Shapes: `n` points; labels are cluster indices from 0, −1 for noise or not reached yet.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, RootModel

from app.schemas.frames.base import (
    KIND,
    METRICS,
    STATE,
    FrameBase,
    Indices,
    ServiceDivergedFrame,
    ServiceDivergedResult,
    Vector,
    Wire,
)

PointKind = Literal["core", "border", "noise"]


class DbscanBase(Wire):
    """Every point's cluster so far and its kind."""

    labels: Indices = Field(description="(n,) cluster of each point so far; −1 = noise or not reached yet.")
    kinds: list[PointKind] = Field(
        description="(n,) core (≥ min_samples points within eps, itself included), border (within eps of a "
        "core point) or noise."
    )
    frontier: Indices = Field(description="Rows reached by this wave (empty outside expand frames).")


class ClassifyState(DbscanBase):
    """The classification, with how many points are of this frame's kind."""

    count: int = Field(ge=0, description="How many points are of this frame's kind.")


class ExpandState(DbscanBase):
    """The clusters after this wave."""

    cluster: int = Field(ge=0, description="The cluster growing.")
    wave: int = Field(ge=0, description="Breadth-first wave within the cluster.")


class ReassignState(DbscanBase):
    """The clusters after the nearest-core border rule."""

    moved: Indices = Field(description="Border points that changed cluster under the nearest-core rule.")


class DbscanMetrics(Wire):
    """Clustered points and clusters so far."""

    clustered: float = Field(description="Points in a cluster so far.")
    clusters: float = Field(description="Clusters so far.")


class Classify(FrameBase):
    """The three classification frames, in order: core, border, noise."""

    kind: Literal["core", "border", "noise"] = Field(description=KIND)
    state: ClassifyState = Field(description=STATE)
    metrics: DbscanMetrics = Field(description=METRICS)


class Expand(FrameBase):
    """One wave of density-reachable points joins a cluster (waves grouped evenly past 150)."""

    kind: Literal["expand"] = Field(description=KIND)
    state: ExpandState = Field(description=STATE)
    metrics: DbscanMetrics = Field(description=METRICS)


class Reassign(FrameBase):
    """border_rule = nearest-core only: each border point moves to its nearest core point's cluster."""

    kind: Literal["reassign"] = Field(description=KIND)
    state: ReassignState = Field(description=STATE)
    metrics: DbscanMetrics = Field(description=METRICS)


class Done(FrameBase):
    """The final clustering."""

    kind: Literal["done"] = Field(description=KIND)
    state: DbscanBase = Field(description=STATE)
    metrics: DbscanMetrics = Field(description=METRICS)


class DbscanDone(Wire):
    """The final clustering and the k-distance curve."""

    labels: Indices = Field(description="(n,) final cluster of each point; −1 = noise.")
    core_sample_indices: Indices = Field(description="Rows of the core points, ascending.")
    n_clusters: int = Field(ge=0, description="Clusters found.")
    n_noise: int = Field(ge=0, description="Noise points.")
    k_distances: Vector = Field(
        description="(n,) each point's distance to its min_samples-th neighbour (itself first), sorted high → low: "
        "the k-distance plot for choosing eps."
    )


class DbscanFrame(
    RootModel[Annotated[Classify | Expand | Reassign | Done | ServiceDivergedFrame, Field(discriminator="kind")]]
):
    """One frame of a DBSCAN run."""


class DbscanResult(RootModel[DbscanDone | ServiceDivergedResult]):
    """The result of a DBSCAN run."""
