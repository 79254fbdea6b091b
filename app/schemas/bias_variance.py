"""Params of the bias–variance lab: a known 1-D truth, many training sets drawn from it, one model family swept
from simple to complex.

The data is the lab's own (a truth, a noise σ, points per set), not a dataset picker: the decomposition needs the
truth f itself, which a real dataset does not give. The complexity sweep's end has one field per model, each
shown only for its model (``x-visible-when``): ``max_degree`` (polynomial, degrees 0..max), ``max_depth`` (tree,
depths 1..max), ``max_k`` (k-NN, k from max down to 1). Bounds a request can break without the data are 422s
here; ``max_degree`` ≥ points per set and ``max_k`` > points per set are clamped by the lab's ``prepare``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from app.schemas import fields
from app.schemas.common import FiniteFloat, form

Truth = Literal["sine", "cubic", "step"]
Model = Literal["polynomial", "tree", "knn"]
MAX_DATASETS = 500
MAX_POINTS_PER_SET = 1_000


class BiasVarianceParams(BaseModel):
    """Bias–variance: fit one model to many training sets from the same truth, and split its test error into
    bias², variance and noise, complexity by complexity."""

    model_config = form(
        "Bias–variance params",
        {
            "data": ("truth", "noise", "n_points"),
            "model": ("model", "max_degree", "max_depth", "max_k"),
            "training": ("n_datasets",),
            "display": ("grid_size",),
        },
        visible_when={
            "max_degree": {"model": ["polynomial"]},
            "max_depth": {"model": ["tree"]},
            "max_k": {"model": ["knn"]},
        },
    )

    truth: Truth = fields.choice(
        "sine",
        "True function f(x)",
        "The function every training set is drawn from (x between 0 and 1): known here, so the bias can be measured.",
        {"sine": "Sine wave sin(2πx)", "cubic": "Cubic (degree 3)", "step": "Step (a jump at x = 0.5)"},
    )
    noise: FiniteFloat = fields.slider(
        0.3,
        "Noise σ",
        "Standard deviation of the Gaussian noise added to every y: σ² is the error no model can avoid.",
        0.05,
        ge=0.0,
        le=2.0,
    )
    n_points: int = fields.slider(
        25,
        "Points per training set",
        "How many (x, y) points each training set has: fewer points make the fits vary more.",
        5,
        ge=5,
        le=MAX_POINTS_PER_SET,
        x_max=200,
    )
    model: Model = fields.choice(
        "polynomial",
        "Model",
        "The model family swept from simple to complex.",
        {"polynomial": "Polynomial regression", "tree": "Decision tree", "knn": "k nearest neighbours"},
    )
    max_degree: int = fields.slider(
        10,
        "Highest polynomial degree",
        "The sweep fits degrees 0, 1, … up to this one (at most the points per set minus one).",
        1,
        ge=0,
        le=15,
    )
    max_depth: int = fields.slider(
        10, "Deepest tree", "The sweep fits trees of depth 1, 2, … up to this one.", 1, ge=1, le=15
    )
    max_k: int = fields.slider(
        25,
        "Most neighbours k",
        "The sweep fits k-NN from this k (smooth, simple) down to k = 1 (every wiggle): at most 16 values of k.",
        1,
        ge=1,
        le=MAX_POINTS_PER_SET,
        x_max=200,
    )
    n_datasets: int = fields.slider(
        100,
        "Training sets",
        "How many training sets are drawn afresh from the truth; the model is fitted to each (more: steadier "
        "numbers, slower).",
        10,
        ge=2,
        le=MAX_DATASETS,
    )
    grid_size: int = Field(
        100,
        ge=20,
        le=200,
        title="Curve resolution",
        description="Points along each drawn curve (finer is slower).",
        json_schema_extra={"x-widget": "slider", "x-step": 10},
    )
