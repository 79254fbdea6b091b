"""Frames and result of the PCA lab, one frame per stage of the computation.

Shapes: `n` samples, `d` features, `k` = n_components kept; components are unit rows in feature space.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import MISSING, Field, RootModel

from app.schemas.frames.base import (
    KIND,
    METRICS,
    STATE,
    FrameBase,
    Matrix,
    NoMetrics,
    ServiceDivergedFrame,
    ServiceDivergedResult,
    Vector,
    Wire,
)


class RawState(Wire):
    """The data's size."""

    n_samples: int = Field(ge=1, description="n.")
    n_features: int = Field(ge=1, description="d.")


class ScaleState(Wire):
    """What scaling subtracted and divided by."""

    mean: Vector = Field(description="(d,) each feature's mean (subtracted).")
    scale: Vector = Field(description="(d,) each feature's population std when standardising (divided by), else 1s.")


class CovarianceState(Wire):
    """The covariance matrix (small data only)."""

    covariance: Matrix | MISSING = Field(
        MISSING, description="(d, d) covariance of the scaled data (divides by n − 1); absent when d > 16."
    )


class EigenState(Wire):
    """Eigenvalues and the kept eigenvectors."""

    eigenvalues: Vector = Field(description="(d,) eigenvalues of the covariance, descending (variance along each).")
    components: Matrix = Field(description="(k, d) the first k eigenvectors (principal axes), one per row.")


class ProjectionState(Wire):
    """How much variance the projection keeps."""

    explained_variance_ratio: Vector = Field(description="(k,) share of the total variance of each kept component.")


class VarianceState(Wire):
    """Each component's share of the variance."""

    explained_variance_ratio: Vector = Field(description="(d,) every component's share of the variance (0–1).")
    cumulative: Vector = Field(description="(d,) running sum of the shares.")


class ReconstructionState(Wire):
    """The reconstruction from the first m components."""

    m: int = Field(ge=1, description="Components used (1..k).")
    reconstruction_error: float = Field(description="Mean squared error per sample of the reconstruction.")
    explained: float = Field(description="Share of the variance the m components keep (0–1).")


class ReconstructionMetrics(Wire):
    """Reconstruction error and variance kept."""

    reconstruction_error: float = Field(description="Mean squared error per sample.")
    explained: float = Field(description="Share of the variance kept (0–1).")


class Raw(FrameBase):
    """The raw data."""

    kind: Literal["raw"] = Field(description=KIND)
    state: RawState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class Scale(FrameBase):
    """`standardize` (subtract the mean, divide by the std) or `centre` (subtract the mean only)."""

    kind: Literal["standardize", "centre"] = Field(description=KIND)
    state: ScaleState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class Covariance(FrameBase):
    """The covariance matrix C of the scaled data."""

    kind: Literal["covariance"] = Field(description=KIND)
    state: CovarianceState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class Eigenvectors(FrameBase):
    """C's eigenvectors, the principal axes."""

    kind: Literal["eigenvectors"] = Field(description=KIND)
    state: EigenState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class Projection(FrameBase):
    """The data projected onto the first k components."""

    kind: Literal["projection"] = Field(description=KIND)
    state: ProjectionState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class Variance(FrameBase):
    """Explained variance per component."""

    kind: Literal["variance"] = Field(description=KIND)
    state: VarianceState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class Reconstruction(FrameBase):
    """The data rebuilt from m = 1..k components."""

    kind: Literal["reconstruction"] = Field(description=KIND)
    state: ReconstructionState = Field(description=STATE)
    metrics: ReconstructionMetrics = Field(description=METRICS)


class PcaDone(Wire):
    """The fitted PCA and the projected data."""

    components: Matrix = Field(description="(k, d) principal axes, one per row.")
    explained_variance_ratio: Vector = Field(description="(k,) share of the variance of each.")
    projected: Matrix = Field(description="(n, k) each sample's coordinates on the components.")
    mean: Vector = Field(description="(d,) feature means.")
    scale: Vector = Field(description="(d,) feature scales (population std, or 1s without standardising).")
    explained_variance: Vector = Field(description="(k,) eigenvalues of the kept components.")
    eigenvalues: Vector = Field(description="(d,) every eigenvalue, descending.")


PcaKinds = Raw | Scale | Covariance | Eigenvectors | Projection | Variance | Reconstruction | ServiceDivergedFrame


class PcaFrame(RootModel[Annotated[PcaKinds, Field(discriminator="kind")]]):
    """One frame of a PCA run."""


class PcaResult(RootModel[PcaDone | ServiceDivergedResult]):
    """The result of a PCA run."""
