"""Hyperparameter-tuning lab: first frame, whole run with figures, and the bare scikit-learn search on the same
search rows, for each strategy at its defaults (SVM C × gamma, 6 × 6 log grid, 5 folds; random: 12 draws).

Run: ``python -m tests.perf.bench_hyperparameter_tuning``. Goals (issue 14): first frame ≤ 100 ms, the whole run
at defaults ≤ 3 s, every frame's figure ≤ 16 KB. The lab's run is ``served_run`` (validate, prepare, scene, every
frame rendered and encoded, the result); the library is ``GridSearchCV`` / ``RandomizedSearchCV`` /
``HalvingGridSearchCV`` with the same splitter and grid, refit on. Both are timed in the same shuffled rounds
(``interleaved``), with the load beside the ratio. The lab does more than the library: each candidate is refit
on all search rows and drawn on the grid (one more fit and a grid prediction per candidate).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from scipy.stats import loguniform
from sklearn.experimental import enable_halving_search_cv  # noqa: F401  (makes HalvingGridSearchCV importable)
from sklearn.model_selection import GridSearchCV, HalvingGridSearchCV, RandomizedSearchCV, StratifiedKFold
from sklearn.svm import SVC

from app.catalog import get_algorithm
from app.runs import plan_run
from tests.perf.served_run import SETTINGS, served_run
from tests.perf.timing import interleaved, load, ratio_line

LAB = "hyperparameter-tuning"
SEED = 0


def _library(strategy: str) -> Callable[[], object]:
    """The bare search on the lab's own search rows and grid (read from its prepared inputs)."""
    algorithm = get_algorithm(LAB)
    assert algorithm is not None
    inputs = plan_run(algorithm, {"strategy": strategy}, SEED, False, SETTINGS).prepare()
    X, y = inputs.X[inputs.split.train], inputs.y[inputs.split.train]
    first, second = inputs.search.axes
    grid = {first.name: list(first.values), second.name: list(second.values)}
    cv = StratifiedKFold(5, shuffle=True, random_state=SEED)
    if strategy == "grid":
        search: Any = GridSearchCV(SVC(random_state=SEED), grid, cv=cv)
    elif strategy == "random":
        draws = {first.name: loguniform(first.low, first.high), second.name: loguniform(second.low, second.high)}
        search = RandomizedSearchCV(SVC(random_state=SEED), draws, n_iter=12, cv=cv, random_state=SEED)
    else:
        search = HalvingGridSearchCV(SVC(random_state=SEED), grid, cv=cv, random_state=SEED)

    def fit() -> object:
        return search.fit(X, y)

    return fit


def main() -> None:
    for strategy in ("grid", "random", "halving"):
        params = {"strategy": strategy}
        firsts = []
        for _ in range(9):
            start = time.perf_counter()
            served_run(LAB, params, SEED, frames=1)
            firsts.append(time.perf_counter() - start)
        firsts.sort()
        served = served_run(LAB, params, SEED)

        def lab(p: dict[str, Any] = params) -> object:
            return served_run(LAB, p, SEED)

        best = interleaved({"lab": lab, "library": _library(strategy)}, repeat=3)
        print(
            f"[{strategy}] first frame: p50 {firsts[4] * 1e3:.1f} ms, worst {firsts[-1] * 1e3:.1f} ms (goal <= 100 ms)"
        )
        print(f"[{strategy}] {served.frames} frames, largest figure {served.largest / 1e3:.1f} KB (goal <= 16 KB)")
        print(f"[{strategy}] whole run: {best['lab']:.3f} s (goal <= 3 s) [{load()}]")
        print(ratio_line(f"[{strategy}] whole run vs bare scikit-learn search", best["lab"], best["library"]))


if __name__ == "__main__":
    main()
