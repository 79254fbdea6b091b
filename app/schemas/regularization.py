"""Params of the regularization lab: a 1-D truth plus noise, polynomial features of x, and either a penalty swept
over α (``mode`` ``path``) or gradient descent with weight decay (``mode`` ``weight_decay``).

The data is the lab's own (a truth, a noise σ, a number of points, a validation share and a data seed), as in the
bias–variance lab: a known truth shows what the penalty recovers. The points are drawn from the data seed (not the
run's: nothing in a run is random once the points are drawn), so the scene can carry them.
The α sweep runs from ``alpha_max`` (strong) down to
``alpha_min`` (weak) on a log grid of ``n_alphas`` values; ``alpha_min`` ≥ ``alpha_max`` is a 422 naming
``alpha_min`` (the lab's ``prepare``: it compares two fields).
A degree at or above the training points is allowed (a penalised fit is determined by the data
whatever the degree: the penalty picks one of the many interpolating curves), capped at 15 by the schema.
``task`` ``classification`` (added; the default stays ``regression``): two classes of 2-D points (``dataset``),
logistic regression on the polynomial features of (x₁, x₂) up to ``class_degree``, the same penalty and α sweep.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from app.schemas import fields
from app.schemas.common import FiniteFloat, form
from app.schemas.datasets import DatasetParam, MoonsSpec, dataset_field

Truth = Literal["sine", "cubic", "step"]
Mode = Literal["path", "weight_decay"]
Task = Literal["regression", "classification"]
Penalty = Literal["l1", "l2", "elasticnet"]
MAX_ALPHAS = 40
MAX_STEPS = 2_000
MAX_POINTS = 1_000
MAX_CLASS_DEGREE = 8
"""45 features: the logistic path stays within the run's time goal."""
DEFAULT_CLASSES = MoonsSpec(n_samples=200, noise=0.25, seed=1)
"""Noisy moons: a curved boundary that needs the polynomial features, and noise for them to overfit."""


class RegularizationParams(BaseModel):
    """Regularization: L1, L2 and elastic-net penalties on polynomial features, their coefficient paths over α,
    and weight decay in gradient descent."""

    model_config = form(
        "Regularization params",
        {
            "data": ("dataset", "task", "truth", "noise", "n_points", "validation_fraction", "data_seed"),
            "model": ("mode", "degree", "class_degree", "penalty", "l1_ratio"),
            "training": ("alpha_max", "alpha_min", "n_alphas", "weight_decay", "learning_rate", "n_steps"),
            "display": ("grid_size",),
        },
        visible_when={
            "truth": {"task": ["regression"]},
            "noise": {"task": ["regression"]},
            "n_points": {"task": ["regression"]},
            "data_seed": {"task": ["regression"]},
            "mode": {"task": ["regression"]},
            "degree": {"task": ["regression"]},
            "dataset": {"task": ["classification"]},
            "class_degree": {"task": ["classification"]},
            "penalty": {"mode": ["path"]},
            "l1_ratio": {"mode": ["path"], "penalty": ["elasticnet"]},
            "alpha_max": {"mode": ["path"]},
            "alpha_min": {"mode": ["path"]},
            "n_alphas": {"mode": ["path"]},
            "weight_decay": {"mode": ["weight_decay"]},
            "learning_rate": {"mode": ["weight_decay"]},
            "n_steps": {"mode": ["weight_decay"]},
        },
    )

    dataset: DatasetParam = dataset_field(
        DEFAULT_CLASSES,
        description="Classification only: two classes of labelled points with 2 features (x₁, x₂), generated or drawn.",
    )
    task: Task = fields.choice(
        "regression",
        "What to predict",
        "Fit a curve to noisy points (regression), or a boundary between two classes of 2-D points (classification, "
        "penalised logistic regression).",
        {"regression": "Regression: a curve through points", "classification": "Classification: two classes"},
    )
    truth: Truth = fields.choice(
        "sine",
        "True function f(x)",
        "The curve the points are drawn from (x between 0 and 1), known here so you can see what the fit recovers.",
        {"sine": "Sine wave sin(2πx)", "cubic": "Cubic (degree 3)", "step": "Step (a jump at x = 0.5)"},
    )
    noise: FiniteFloat = fields.slider(
        0.3, "Noise σ", "Standard deviation of the Gaussian noise added to every y.", 0.05, ge=0.0, le=2.0
    )
    n_points: int = fields.slider(
        30,
        "Points",
        "How many (x, y) points are drawn; the validation share of them is held out.",
        5,
        ge=10,
        le=MAX_POINTS,
        x_max=300,
    )
    validation_fraction: FiniteFloat = fields.slider(
        0.3,
        "Validation share",
        "Share of the points held out to measure the error on points the fit never saw (it picks the best α).",
        0.05,
        ge=0.1,
        le=0.7,
    )
    data_seed: int = fields.seed()
    mode: Mode = fields.choice(
        "path",
        "What to show",
        "Sweep the penalty strength α from strong to weak, or train by gradient descent with weight decay.",
        {"path": "Regularization path over α", "weight_decay": "Gradient descent with weight decay"},
    )
    degree: int = fields.slider(
        12,
        "Polynomial degree",
        "Features u, u², …, u^degree of u = 2x − 1, each standardised (mean 0, spread 1 on the training points) "
        "so one α penalises every coefficient alike; a degree above the points is fine, the penalty keeps the "
        "fit determined.",
        1,
        ge=2,
        le=15,
    )
    class_degree: int = fields.slider(
        5,
        "Polynomial degree of (x₁, x₂)",
        "Features x₁, x₂, x₁², x₁·x₂, x₂², … up to this total degree (5 gives 20), each standardised on the "
        "training points so one α penalises every coefficient alike.",
        1,
        ge=1,
        le=MAX_CLASS_DEGREE,
    )
    penalty: Penalty = fields.choice(
        "l1",
        "Penalty",
        "L1 (lasso) adds α·Σ|w|: it sets coefficients exactly to zero; L2 (ridge) adds α/2·Σw²: it shrinks them "
        "all; elastic net mixes the two.",
        {"l1": "L1 (lasso)", "l2": "L2 (ridge)", "elasticnet": "Elastic net (L1 + L2)"},
    )
    l1_ratio: FiniteFloat = fields.slider(
        0.5,
        "L1 share",
        "Elastic net's mix: the penalty is α·(r·Σ|w| + (1 − r)/2·Σw²) with r this share (1 = lasso, 0 = ridge).",
        0.05,
        gt=0.0,
        lt=1.0,
    )
    alpha_max: FiniteFloat = Field(
        3.0,
        gt=0.0,
        le=1e4,
        title="Strongest α",
        description="The sweep's first penalty strength: large α pushes every coefficient to (or towards) zero.",
        json_schema_extra={"x-log": True},
    )
    alpha_min: FiniteFloat = Field(
        1e-3,
        gt=0.0,
        le=1e4,
        title="Weakest α",
        description="The sweep's last penalty strength, below the strongest: small α lets the fit chase the noise.",
        json_schema_extra={"x-log": True},
    )
    n_alphas: int = fields.slider(
        30,
        "Values of α",
        "How many α on the log grid from the strongest to the weakest (one frame each).",
        1,
        ge=2,
        le=MAX_ALPHAS,
    )
    weight_decay: FiniteFloat = Field(
        0.05,
        ge=0.0,
        le=10.0,
        title="Weight decay λ",
        description="Each step first shrinks every weight by the factor (1 − learning rate·λ), then steps down "
        "the gradient of the data loss.",
        json_schema_extra={"x-log": True},
    )
    learning_rate: FiniteFloat = Field(
        0.1,
        gt=0.0,
        le=1.0,
        title="Learning rate",
        description="Step size of gradient descent; too large (above 2 / the loss's steepest curvature) diverges.",
        json_schema_extra={"x-log": True},
    )
    n_steps: int = fields.slider(
        500,
        "Steps",
        "Gradient-descent steps on all training points (at most 40 are shown as frames).",
        10,
        ge=1,
        le=MAX_STEPS,
        x_max=1_000,
    )
    grid_size: int = fields.slider(
        100,
        "Curve resolution",
        "Points along the drawn curves; for classification, cells a side of the shaded plane (at most 60).",
        10,
        ge=20,
        le=200,
    )
