"""Frames and result of the k-means lab.

Shapes: `n` points with `d` features, `k` centroids; labels are cluster indices 0..k−1. WCSS is the
within-cluster sum of squared distances to the centroids, in squared units of the data.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import MISSING, Field, RootModel

from app.schemas.frames.base import (
    KIND,
    METRICS,
    STATE,
    FrameBase,
    Indices,
    Matrix,
    ServiceDivergedFrame,
    ServiceDivergedResult,
    Wire,
)

CENTROIDS = "(k, d) centroid coordinates (during k-means++ init, the j centroids picked so far)."
LABELS = "(n,) index of each point's nearest centroid."
WCSS = "Within-cluster sum of squares (squared data units)."


class KMeansBase(Wire):
    """Centroids, assignment and WCSS now."""

    centroids: Matrix = Field(description=CENTROIDS)
    labels: Indices = Field(description=LABELS)
    wcss: float = Field(description=WCSS)


class InitState(KMeansBase):
    """The centroids chosen so far and the points' nearest centroid among them."""

    picked: int | MISSING = Field(MISSING, description="k-means++ only: row of the point just picked as a centroid.")
    pick_probability: float | MISSING = Field(
        MISSING, description="k-means++ only: the probability it had of being picked (its share of D², 0–1)."
    )


class AssignState(KMeansBase):
    """The new assignment and which points switched cluster."""

    iteration: int = Field(ge=1, description="Lloyd iteration, from 1.")
    changed: Indices = Field(description="Rows of the points that switched cluster in this assignment.")


class UpdateState(KMeansBase):
    """The moved centroids and where they were."""

    iteration: int = Field(ge=1, description="Lloyd iteration, from 1.")
    previous_centroids: Matrix = Field(description="(k, d) the centroids before this update.")


class ConvergedState(KMeansBase):
    """The final clustering."""

    iteration: int = Field(ge=0, description="Iterations run.")
    converged: bool = Field(description="False when max_iter stopped the loop first.")


class KMeansMetrics(Wire):
    """WCSS and the points that switched cluster."""

    wcss: float = Field(description=WCSS)
    changed: float = Field(description="Points that switched cluster in this step (0 outside assign frames).")


class Init(FrameBase):
    """Starting centroids: one frame per k-means++ pick, or one frame for random or manual init."""

    kind: Literal["init"] = Field(description=KIND)
    state: InitState = Field(description=STATE)
    metrics: KMeansMetrics = Field(description=METRICS)


class Assign(FrameBase):
    """Every point joins its nearest centroid."""

    kind: Literal["assign"] = Field(description=KIND)
    state: AssignState = Field(description=STATE)
    metrics: KMeansMetrics = Field(description=METRICS)


class Update(FrameBase):
    """Every centroid moves to the mean of its points (an empty cluster is re-seeded)."""

    kind: Literal["update"] = Field(description=KIND)
    state: UpdateState = Field(description=STATE)
    metrics: KMeansMetrics = Field(description=METRICS)


class Converged(FrameBase):
    """The last frame: `converged` (nothing moved more than tol), or `stopped` at max_iter (`state.converged` false)."""

    kind: Literal["converged", "stopped"] = Field(description=KIND)
    state: ConvergedState = Field(description=STATE)
    metrics: KMeansMetrics = Field(description=METRICS)


class ElbowPoint(Wire):
    """One point of the elbow plot."""

    k: int = Field(ge=1, description="Number of clusters.")
    wcss: float = Field(description="WCSS of k-means with this k (same init method and seed).")


class KMeansDone(Wire):
    """The final clustering and the elbow curve."""

    centroids: Matrix = Field(description="(k, d) final centroids.")
    labels: Indices = Field(description=LABELS)
    wcss: float = Field(description=WCSS)
    n_iter: int = Field(description="Lloyd iterations run.")
    converged: bool = Field(description="False when max_iter stopped the loop first.")
    elbow: list[ElbowPoint] = Field(description="WCSS for k = 1 .. min(elbow_max_k, n).")


class KMeansFrame(
    RootModel[Annotated[Init | Assign | Update | Converged | ServiceDivergedFrame, Field(discriminator="kind")]]
):
    """One frame of a k-means run."""


class KMeansResult(RootModel[KMeansDone | ServiceDivergedResult]):
    """The result of a k-means run."""
