"""Params of the hyperparameter-tuning lab (days 24, 50): two hyperparameters of one classifier searched by
grid, random or successive-halving search, each candidate judged by stratified k-fold cross-validation.

Each model has its own two axes (SVM C × gamma, k-NN k × vote weights, tree depth × leaf size, MLP learning
rate × width): their ranges are fields of their own, shown only while that model is picked (``x-visible-when``).
The rules that need the data (k against the smallest class, k-NN's k against a fold's rows, the fit budget,
``Limits.max_search_fits``) are the lab's ``prepare`` (``app.labs.hyperparameter_tuning``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from app.schemas import fields
from app.schemas.common import FiniteFloat, form
from app.schemas.datasets import DatasetParam, MoonsSpec, dataset_field

SearchModel = Literal["svm", "knn", "decision_tree", "mlp"]
Strategy = Literal["grid", "random", "halving"]
DEFAULT_DATA = MoonsSpec(n_samples=200, noise=0.3, seed=1)
"""Noisy moons: C and gamma matter, and too large a gamma overfits visibly."""
_LOWEST = {
    "c_high": "c_low",
    "gamma_high": "gamma_low",
    "k_high": "k_low",
    "depth_high": "depth_low",
    "leaf_high": "leaf_low",
    "lr_high": "lr_low",
    "width_high": "width_low",
}
"""Each axis's highest field → its lowest: the highest must stay above the lowest."""


def _log_value(default: float, title: str, description: str, *, most: float) -> FiniteFloat:
    value: FiniteFloat = Field(
        default, gt=0, le=most, title=title, description=description, json_schema_extra={"x-log": True}
    )
    return value


def _count(default: int, title: str, description: str, *, most: int) -> int:
    value: int = Field(default, ge=1, le=most, title=title, description=description)
    return value


class HyperparameterTuningParams(BaseModel):
    """Search two hyperparameters of one classifier by cross-validation, then test the winner on held-out rows."""

    model_config = form(
        "Hyperparameter tuning params",
        {
            "data": ("dataset", "test_fraction"),
            "model": (
                "model",
                "c_low",
                "c_high",
                "gamma_low",
                "gamma_high",
                "k_low",
                "k_high",
                "depth_low",
                "depth_high",
                "leaf_low",
                "leaf_high",
                "lr_low",
                "lr_high",
                "width_low",
                "width_high",
            ),
            "training": ("strategy", "n_first", "n_second", "n_iter", "factor", "k"),
            "display": ("grid_size",),
        },
        visible_when={
            "c_low": {"model": ["svm"]},
            "c_high": {"model": ["svm"]},
            "gamma_low": {"model": ["svm"]},
            "gamma_high": {"model": ["svm"]},
            "k_low": {"model": ["knn"]},
            "k_high": {"model": ["knn"]},
            "depth_low": {"model": ["decision_tree"]},
            "depth_high": {"model": ["decision_tree"]},
            "leaf_low": {"model": ["decision_tree"]},
            "leaf_high": {"model": ["decision_tree"]},
            "lr_low": {"model": ["mlp"]},
            "lr_high": {"model": ["mlp"]},
            "width_low": {"model": ["mlp"]},
            "width_high": {"model": ["mlp"]},
            "n_first": {"strategy": ["grid", "halving"]},
            "n_second": {"strategy": ["grid", "halving"], "model": ["svm", "decision_tree", "mlp"]},
            "n_iter": {"strategy": ["random"]},
            "factor": {"strategy": ["halving"]},
        },
    )

    dataset: DatasetParam = dataset_field(DEFAULT_DATA, description=fields.LABELLED_POINTS)
    test_fraction: float = fields.slider(
        0.3,
        "Test share",
        "Share of each class held out before the search starts: the search never sees it, the winner is tested on it.",
        0.05,
        ge=0.1,
        le=0.6,
    )
    model: SearchModel = fields.choice(
        "svm",
        "Model",
        "The classifier whose two hyperparameters are searched.",
        {
            "svm": "SVM (RBF kernel): C × gamma",
            "knn": "k-nearest neighbours: k × vote weights",
            "decision_tree": "Decision tree: max depth × min leaf size",
            "mlp": "Neural network (MLP, 60 epochs): learning rate × width",
        },
    )
    c_low: FiniteFloat = _log_value(0.01, "Smallest C", "The SVM's margin penalty at the low end.", most=1e6)
    c_high: FiniteFloat = _log_value(1000.0, "Largest C", "The SVM's margin penalty at the high end.", most=1e6)
    gamma_low: FiniteFloat = _log_value(
        0.001, "Smallest gamma", "The RBF kernel's gamma at the low end (wide, smooth bumps).", most=1e4
    )
    gamma_high: FiniteFloat = _log_value(
        100.0, "Largest gamma", "The RBF kernel's gamma at the high end (narrow bumps round each point).", most=1e4
    )
    k_low: int = _count(
        1, "Fewest neighbours", "The smallest k tried (each is tried with both vote weights).", most=200
    )
    k_high: int = _count(50, "Most neighbours", "The largest k tried.", most=200)
    depth_low: int = _count(1, "Shallowest tree", "The smallest max depth tried.", most=30)
    depth_high: int = _count(12, "Deepest tree", "The largest max depth tried.", most=30)
    leaf_low: int = _count(1, "Smallest leaf", "The smallest min samples per leaf tried.", most=500)
    leaf_high: int = _count(40, "Largest leaf", "The largest min samples per leaf tried.", most=500)
    lr_low: FiniteFloat = _log_value(
        1e-4, "Smallest learning rate", "The network's initial Adam learning rate at the low end.", most=10.0
    )
    lr_high: FiniteFloat = _log_value(
        0.3, "Largest learning rate", "The network's initial Adam learning rate at the high end.", most=10.0
    )
    width_low: int = _count(2, "Narrowest layer", "The fewest hidden units (one hidden layer) tried.", most=512)
    width_high: int = _count(64, "Widest layer", "The most hidden units tried.", most=512)
    strategy: Strategy = fields.choice(
        "grid",
        "Search",
        "Grid tries every pair of values; random draws pairs; halving races the grid on growing samples.",
        {
            "grid": "Grid search (every pair)",
            "random": "Random search (n draws)",
            "halving": "Successive halving (grid, growing samples)",
        },
    )
    n_first: int = fields.slider(
        6, "Values on the first axis", "How many values of the first hyperparameter the grid tries.", 1, ge=2, le=12
    )
    n_second: int = fields.slider(
        6, "Values on the second axis", "How many values of the second hyperparameter the grid tries.", 1, ge=2, le=12
    )
    n_iter: int = Field(
        12,
        ge=1,
        le=1_000_000,
        title="Random draws",
        description="How many random pairs are tried (each costs k fits); at most 2000 fits in all (300 for the MLP).",
    )
    factor: int = fields.slider(
        3,
        "Halving factor",
        "Each round keeps the best 1/factor of the candidates and gives them factor times more rows.",
        1,
        ge=2,
        le=6,
    )
    k: int = Field(
        5,
        ge=2,
        le=20,
        title="Folds (k)",
        description="Stratified k-fold (shuffled with the run's seed) judges every candidate on the same folds.",
        json_schema_extra={"x-widget": "slider"},
    )
    grid_size: int = fields.grid_size(40, "Grid cells per axis of the shaded picture of each candidate's model.")

    @field_validator("c_high", "gamma_high", "k_high", "depth_high", "leaf_high", "lr_high", "width_high")
    @classmethod
    def _above_lowest(cls, high: float, info: ValidationInfo) -> float:
        low = info.data.get(_LOWEST[str(info.field_name)])
        if low is not None and high <= low:
            raise ValueError(f"the highest value ({high:g}) must be above the lowest ({low:g})")
        return high
