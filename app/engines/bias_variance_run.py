"""The bias–variance run, frame by frame: the data, then one frame per complexity, then the U-curves.

Frames: ``data`` (the truth and training set 1, before any fit), ``complexity`` (one per degree / depth / k, from
the simplest model to the most complex: its decomposition and its fan of fits), ``summary`` (the sweet spot: the
complexity with the lowest measured test MSE, its fan again, and every complexity's numbers).
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import asdict, dataclass
from typing import Any, Literal

import numpy as np

from app.core.budget import checkpoint
from app.core.frame import Frame
from app.engines import bias_variance as bv
from app.engines import bias_variance_captions as words

Model = Literal["polynomial", "tree", "knn"]
DRAWN = 20
"""Fitted curves a frame draws (sets 1..20; the mean is over every set): more would not read and would not fit
a frame's 16 KB."""


@dataclass(frozen=True)
class Problem:
    """What one run simulates."""

    truth: str
    noise: float  # σ of the Gaussian noise on every y
    n_points: int  # points per training set
    n_datasets: int  # D training sets
    n_test: int  # T test x, shared by every set
    model: Model
    complexities: tuple[int, ...]  # simplest first: degrees 0.., depths 1.., k from large to small
    grid: np.ndarray  # (g,) x at which the curves are drawn


class _Fits:
    """Every set's fit at one complexity: (D, P) at the shared points and (D, n) at its own training x. The trees
    and k-NN do their one search on the first call (so the ``data`` frame comes before any fitting)."""

    def __init__(self, problem: Problem, draws: bv.Draws, points: np.ndarray, seed: int) -> None:
        self.problem, self.draws, self.points, self.seed = problem, draws, points, seed
        self.trees: tuple[np.ndarray, np.ndarray] | None = None
        self.neighbours: bv.Neighbours | None = None

    def at(self, step: int, complexity: int) -> tuple[np.ndarray, np.ndarray]:
        problem, draws = self.problem, self.draws
        if problem.model == "polynomial":
            return bv.poly_predictions(draws.X, draws.Y, complexity, self.points)
        if problem.model == "tree":
            if self.trees is None:
                self.trees = bv.tree_predictions(draws.X, draws.Y, problem.complexities, self.points, self.seed)
            return self.trees[0][step], self.trees[1][step]
        if self.neighbours is None:
            self.neighbours = bv.neighbour_targets(draws.X, draws.Y, max(problem.complexities), self.points)
        return bv.knn_predictions(self.neighbours, complexity)


def _numbers(parts: bv.Decomposition) -> dict[str, float]:
    values = asdict(parts)
    return {key: round(float(value), 10) for key, value in values.items()}


def run(problem: Problem, seed: int, rng: np.random.Generator) -> Generator[Frame, None, dict[str, Any]]:
    draws = bv.draw(problem.truth, problem.noise, problem.n_points, problem.n_datasets, problem.n_test, rng)
    n_fits = problem.n_datasets * len(problem.complexities)
    drawn = min(DRAWN, problem.n_datasets)
    g = problem.grid.size
    yield Frame(
        kind="data",
        caption=words.data_caption(
            problem.truth, problem.noise, problem.n_points, problem.n_datasets, problem.n_test, n_fits
        ),
        state={
            "truth": problem.truth,
            "noise": problem.noise,
            "n_points": problem.n_points,
            "n_datasets": problem.n_datasets,
            "n_test": problem.n_test,
            "complexities": list(problem.complexities),
            "n_fits": n_fits,
        },
        visual={"set_x": draws.X[0].copy(), "set_y": draws.Y[0].copy()},
    )
    points = np.concatenate([problem.grid, draws.x_test])  # (g + T,): curves, then the test x
    fits = _Fits(problem, draws, points, seed)
    table: list[bv.Decomposition] = []
    fans: list[np.ndarray] = []  # per complexity (drawn, g) the drawn sets' fits
    means: list[np.ndarray] = []  # per complexity (g,) the mean fit over every set
    for step, complexity in enumerate(problem.complexities):
        checkpoint()
        at_points, at_own = fits.at(step, complexity)
        parts = bv.decompose(at_points[:, g:], draws, problem.noise, at_own)
        last_train = table[-1].train_mse if table else None
        table.append(parts)
        fans.append(at_points[:drawn, :g].copy())
        means.append(at_points[:, :g].mean(axis=0))
        numbers = _numbers(parts)
        total = round(parts.bias2 + parts.variance + parts.noise, 10)
        yield Frame(
            kind="complexity",
            caption=words.complexity_caption(problem.model, complexity, parts, step == 0, last_train),
            state={"step": step, "complexity": complexity, **numbers, "total": total, "huge": words.is_huge(parts)},
            metrics={k: numbers[k] for k in ("bias2", "variance", "test_mse", "train_mse")},
            visual={
                "fits": fans[-1],
                "mean_fit": means[-1].copy(),
                "set_x": draws.X[0].copy(),
                "set_y": draws.Y[0].copy(),
                "set_fit": at_points[0, :g].copy(),
            },
        )
    best = int(np.argmin([p.test_mse for p in table]))
    columns = {key: [_numbers(p)[key] for p in table] for key in ("bias2", "variance", "noise", "test_mse")}
    extra = {key: [_numbers(p)[key] for p in table] for key in ("test_mse_se", "train_mse")}
    yield Frame(
        kind="summary",
        caption=words.summary_caption(problem.model, problem.complexities[best], table[best], n_fits),
        state={
            "complexities": list(problem.complexities),
            **columns,
            "test_mse_se": extra["test_mse_se"],
            "best_complexity": problem.complexities[best],
            "best_index": best,
        },
        visual={
            "fits": fans[best],
            "mean_fit": means[best],
            "set_x": draws.X[0].copy(),
            "set_y": draws.Y[0].copy(),
            "set_fit": fans[best][0].copy(),
            "best_index": best,
        },
    )
    return {
        "model": problem.model,
        "truth": problem.truth,
        "complexity": list(problem.complexities),
        **columns,
        **extra,
        "best_complexity": problem.complexities[best],
        "n_fits": n_fits,
    }
