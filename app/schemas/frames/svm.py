"""Frames and result of the SVM lab: SMO two dual coefficients at a time, and the kernel-trick picture.

Shapes: `n` points in 2-D, `m` support vectors (training points with α > 0), the boundary grid `g × g`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import MISSING, Field, RootModel

from app.schemas.frames.base import (
    METRICS,
    STATE,
    FrameBase,
    Indices,
    Matrix,
    ServiceDivergedFrame,
    ServiceDivergedResult,
    Vector,
    Wire,
)
from app.schemas.frames.boundary import (
    TEST_ACCURACY,
    TEST_INDICES,
    TRAIN_ACCURACY,
    TRAIN_INDICES,
    Grid,
    ScoreMetrics,
    Scores,
)

Kernel = Literal["linear", "poly", "rbf", "sigmoid"]
Segment = Annotated[list[Vector], Field(min_length=2, max_length=2)]


class SvmState(Scores):
    """The dual solution so far and its scores."""

    support_indices: Indices = Field(description="(m,) rows of the dataset that are support vectors (α > 0).")
    dual_coef: Vector = Field(description="(m,) αᵢ·tᵢ of each support vector (t = ±1 for class 1 / class 0).")
    intercept: float = Field(description="−ρ: f(x) = Σ αᵢtᵢ K(xᵢ, x) − ρ.")
    objective: float = Field(description="The dual objective SMO maximises (rises every pair update).")
    iteration: int = Field(ge=0, description="Pair updates done so far.")


class SvmFinalState(SvmState):
    """The final dual solution, its scores and whether SMO converged."""

    converged: bool = Field(description="True when every pair is within tol of optimal (kind converged).")


class SvmMetrics(ScoreMetrics):
    """Accuracies, the dual objective and the support-vector count."""

    objective: float = Field(description="The dual objective.")
    support_vectors: float = Field(description="m, the number of support vectors.")


class SvmStep(FrameBase):
    """`start` (every α = 0) and `smo` (after geometrically spaced pair updates)."""

    kind: Literal["start", "smo"] = Field(description="start | smo.")
    state: SvmState = Field(description=STATE)
    metrics: SvmMetrics = Field(description=METRICS)


class SvmEnd(FrameBase):
    """The last frame: `converged` (within tol of optimal) or `stopped` (the pair-update cap)."""

    kind: Literal["converged", "stopped"] = Field(description="converged | stopped.")
    state: SvmFinalState = Field(description=STATE)
    metrics: SvmMetrics = Field(description=METRICS)


class Lines(Wire):
    """Straight lines inside the drawn points' box, each `[[x₀, y₀], [x₁, y₁]]` or null when it misses the box."""

    boundary: Segment | None = Field(description="f = 0.")
    margin_low: Segment | None = Field(description="f = −1.")
    margin_high: Segment | None = Field(description="f = +1.")


class Plane(Wire):
    """The separating plane as a height over the first two drawn axes."""

    x: Vector = Field(description="(12,) axis-1 coordinates.")
    y: Vector = Field(description="(12,) axis-2 coordinates.")
    z: list[list[float | None]] = Field(description="(12, 12) axis-3 height; null outside the points' box.")


class SpaceCommon(Wire):
    """What both feature-space pictures carry."""

    kernel: Kernel = Field(description="The kernel.")
    formula: str = Field(description="The kernel's formula with its numbers, e.g. K(x, z) = exp(−γ‖x − z‖²).")
    wrong: Indices = Field(description="Training rows (into the dataset) on the wrong side of f = 0.")
    rho: float = Field(description="ρ (f = … − ρ).")
    margin_width: float | None = Field(description="2/‖w‖ in the feature space; null when ‖w‖ = 0.")
    caption: str = Field(description="A paragraph for the kernel-trick panel.")


class ExplicitSpace(SpaceCommon):
    """Linear and poly (coef0 ≥ 0) kernels: φ can be written out, and the separator is flat there."""

    kind: Literal["explicit"] = Field(description="φ is explicit.")
    names: list[str] = Field(description="(D,) the non-constant coordinates of φ, e.g. x₁², √2·x₁x₂, x₂².")
    w: Vector = Field(description="(D,) w = Σ αᵢtᵢφ(xᵢ), so f(x) = w·φ(x) + b.")
    b: float = Field(description="b = −ρ.")
    dimension: int = Field(ge=2, description="D.")
    constant: float | None = Field(description="φ's constant coordinate (√coef0·…), null when it has none.")
    coords: Matrix = Field(
        description="(n, min(D, 3)) the points drawn: φ itself when D ≤ 3, else two spread directions and the "
        "signed distance along w."
    )
    axes: list[str] = Field(description="Names of the drawn axes (2 or 3).")
    lines: Lines | MISSING = Field(MISSING, description="D = 2: boundary and margins in the φ plane.")
    surface: Plane | MISSING | None = Field(
        MISSING, description="D ≥ 3: the separating plane (null when it is vertical in the drawn axes)."
    )


class SimilaritySpace(SpaceCommon):
    """RBF, sigmoid, poly with coef0 < 0 (or a φ too large to compute): no space to draw, so each point's
    similarity to each class."""

    kind: Literal["similarity"] = Field(description="Drawn by similarity to the support vectors.")
    coords: Matrix = Field(
        description="(n, 2) (S₋, S₊): α-weighted similarity to the support vectors of class 0 and class 1; "
        "f = S₊ − S₋ − ρ."
    )
    axes: list[str] = Field(description="The two axis titles.")
    lines: Lines


class SvmGrid(Grid):
    """The final decision function over the boundary grid: `predicted[i][j]` is the class at `(x[j], y[i])`."""

    decision: Matrix = Field(description="(g, g) decision value f(x) (6 decimals).")


class SvmDone(Wire):
    """The trained SVM, its decision values, the kernel-trick picture and the boundary."""

    support_indices: Indices = Field(description="(m,) rows of the dataset that are support vectors.")
    dual_coef: Vector = Field(description="(m,) αᵢ·tᵢ.")
    intercept: float = Field(description="−ρ.")
    objective: float = Field(description="Final dual objective.")
    n_iter: int = Field(description="Pair updates done.")
    converged: bool = Field(description="True when SMO stopped at the optimum (within tol).")
    gamma: float = Field(
        description="The kernel's γ as used (`scale` resolved to 1/(d·Var X) over the training points)."
    )
    train_accuracy: float = Field(description=TRAIN_ACCURACY)
    test_accuracy: float | None = Field(description=TEST_ACCURACY)
    train_indices: Indices = Field(description=TRAIN_INDICES)
    test_indices: Indices = Field(description=TEST_INDICES)
    decision_values: Vector = Field(description="(n,) f(x) at every point.")
    feature_space: Annotated[ExplicitSpace | SimilaritySpace, Field(discriminator="kind")] = Field(
        description="Where the separator is flat, for the kernel-trick panel."
    )
    grid: SvmGrid


class SvmFrame(RootModel[Annotated[SvmStep | SvmEnd | ServiceDivergedFrame, Field(discriminator="kind")]]):
    """One frame of an SVM run."""


class SvmResult(RootModel[SvmDone | ServiceDivergedResult]):
    """The result of an SVM run."""
