"""AdaBoost at defaults and beside them: time to first frame, the whole run with figures, frame bytes, and the
bare ``AdaBoostClassifier.fit`` of the same model on the same training rows, in the same rounds.

Run: ``python -m tests.perf.bench_adaboost``. Goals (issue 13): first frame ≤ 100 ms and a whole run ≤ 2 s at
defaults, with figures, in process through ``app.runs`` (validation, prepare, scene, every frame rendered and
encoded as the run service sends it, the result); every frame's figure ≤ 16 KB. The lab's run and the bare fit
are timed in the same shuffled rounds (``interleaved``), and every ratio prints the load beside it.

The first frame needs the whole fit (the replay reads every round's tree), so it costs one
``AdaBoostClassifier.fit`` plus one stage of ``staged_decision_function`` on the grid; the rest of the run is
the stages one by one, the replayed weights and the figures.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from app.catalog import get_algorithm
from app.engines import adaboost
from app.runs import plan_run
from app.settings import Settings
from tests.perf.served_run import served_run
from tests.perf.timing import interleaved, load, ratio_line

LAB = "adaboost"
CASES: dict[str, dict[str, Any]] = {
    "defaults (moons, 50 stumps, grid 90)": {},
    "three classes (blobs, 50 stumps)": {"dataset": {"name": "blobs", "centers": 3, "n_samples": 300}},
    "200 rounds of depth-3 trees": {"n_estimators": 200, "max_depth": 3},
}
REPEAT = 7
FIRST_FRAME_GOAL_MS = 100.0
WHOLE_RUN_GOAL_S = 2.0
FRAME_BUDGET = 16_384
SETTINGS = Settings(cache_entries=0)


def _request(params: dict[str, Any], seed: int, frames: int | None = None) -> tuple[int, int]:
    """(bytes sent, the largest figure's bytes) of the run with figures (served_run.py)."""
    run = served_run(LAB, params, seed, frames)
    return run.sent, run.largest


def _bare(params: dict[str, Any]) -> tuple[Callable[[], object], Callable[[], object]]:
    """scikit-learn's own fit of the lab's model on the same training rows, and that fit plus the replay of its
    weights (what the lab adds before its first frame)."""
    algorithm = get_algorithm(LAB)
    assert algorithm is not None
    plan = plan_run(algorithm, params, 0, False, SETTINGS)
    inputs = plan.prepare()
    p: Any = plan.params
    X, y = inputs.X[inputs.split.train], inputs.y[inputs.split.train]
    settings = {"n_estimators": p.n_estimators, "learning_rate": p.learning_rate, "max_depth": p.max_depth}

    def fit() -> object:
        return adaboost.fit(X, y, seed=0, **settings)

    def fit_and_replay() -> object:
        return adaboost.replay(adaboost.fit(X, y, seed=0, **settings), X, y, 0)

    return fit, fit_and_replay


def main() -> None:
    print(f"AdaBoost, best of {REPEAT} interleaved rounds [{load()}]")
    for label, params in CASES.items():
        _request(params, 0)  # warm: imports, first calls
        fit, fit_and_replay = _bare(params)
        first = interleaved({"first": lambda params=params: _request(params, 0, frames=1)}, repeat=15)["first"]
        best = interleaved(
            {"lab": lambda params=params: _request(params, 0), "sklearn": fit, "replay": fit_and_replay}, REPEAT
        )
        sent, largest = _request(params, 0)
        first_ok = "met" if first * 1e3 <= FIRST_FRAME_GOAL_MS else "missed"
        whole_ok = "met" if best["lab"] <= WHOLE_RUN_GOAL_S else "missed"
        budget = "met" if largest <= FRAME_BUDGET else "missed"
        print(
            f"  {label}: first frame {first * 1e3:.1f} ms (goal <= {FIRST_FRAME_GOAL_MS:g} ms: {first_ok}); "
            f"whole run {best['lab']:.3f} s (goal <= {WHOLE_RUN_GOAL_S:g} s: {whole_ok}); {sent / 1024:.0f} KB "
            f"sent, largest figure {largest / 1024:.1f} KB (goal <= 16 KB: {budget}) [{load()}]"
        )
        print(
            "    " + ratio_line("whole run with figures vs bare AdaBoostClassifier.fit", best["lab"], best["sklearn"])
        )
        print("    " + ratio_line("fit + weight replay vs bare fit", best["replay"], best["sklearn"]))


if __name__ == "__main__":
    start = time.perf_counter()
    main()
    print(f"({time.perf_counter() - start:.0f} s)")
