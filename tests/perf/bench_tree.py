"""The decision-tree lab: time to first frame, the whole run with figures, frame bytes, and the bare scikit-learn
fit of the same tree in the same rounds.

Run: ``python -m tests.perf.bench_tree``. Goals (issue 13): first frame ≤ 100 ms and a whole run ≤ 2 s at
defaults, with figures, in process through ``app.runs`` (validation, prepare, scene, every frame rendered and
encoded as the run service sends it, the result); every frame's figure ≤ 16 KB. The lab's run and
``DecisionTreeClassifier.fit`` / ``DecisionTreeRegressor.fit`` on the same training rows are timed in the same
shuffled rounds (``interleaved``), and every ratio prints the load beside it. A tree fit takes about a
millisecond, so the ratio is large by nature: the run also scans every candidate cut of every node by hand,
refits the tree once per pruning step and once per depth, and draws each frame.

Cases: the defaults (moons, depth 4, pruning on, grid 80), ``task=regression`` (sine), two features (two
scales: the shaded fit) and a large one (2,000 moons, depth 10: the frame caps, levels, thinned pruning).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from app.catalog import get_algorithm
from app.runs import plan_run
from app.settings import Settings
from tests.perf.served_run import served_run
from tests.perf.timing import interleaved, load, ratio_line

LAB = "decision-tree"
CASES: dict[str, dict[str, Any]] = {
    "defaults (classification, moons)": {},
    "task=regression (sine)": {"task": "regression"},
    "regression, two features (two scales)": {"task": "regression", "dataset": {"name": "two_scales"}},
    "2,000 moons, max_depth 10": {"dataset": {"name": "moons", "n_samples": 2000, "noise": 0.3}, "max_depth": 10},
}
REPEAT = 7
FIRST_FRAME_GOAL_MS = 100.0
WHOLE_RUN_GOAL_S = 2.0
SETTINGS = Settings(cache_entries=0)


def _request(params: dict[str, Any], seed: int, frames: int | None = None) -> tuple[int, int, int]:
    """(bytes sent, the largest figure's bytes, frames) of the run with figures (served_run.py)."""
    run = served_run(LAB, params, seed, frames)
    return run.sent, run.largest, run.frames


def _bare_fit(params: dict[str, Any]) -> Callable[[], object]:
    """scikit-learn's own fit of the lab's tree at these params on the same training rows."""
    algorithm = get_algorithm(LAB)
    assert algorithm is not None
    plan = plan_run(algorithm, params, 0, False, SETTINGS)
    inputs = plan.prepare()
    p: Any = plan.params
    X, y = inputs.X[inputs.split.train], inputs.y[inputs.split.train]
    make = DecisionTreeClassifier if p.task == "classification" else DecisionTreeRegressor
    kwargs = {
        "criterion": p.criterion_used,
        "max_depth": p.max_depth,
        "min_samples_split": p.min_samples_split,
        "min_samples_leaf": p.min_samples_leaf,
        "max_leaf_nodes": p.max_leaf_nodes,
        "ccp_alpha": p.ccp_alpha,
        "random_state": 0,
    }
    return lambda: make(**kwargs).fit(X, y)


def main() -> None:
    print(f"decision tree, best of {REPEAT} interleaved rounds [{load()}]")
    for label, params in CASES.items():
        _request(params, 0)  # warm: imports, first calls
        first = interleaved({"first": lambda params=params: _request(params, 0, frames=1)}, repeat=15)["first"]
        best = interleaved({"lab": lambda params=params: _request(params, 0), "sklearn": _bare_fit(params)}, REPEAT)
        sent, largest, count = _request(params, 0)
        first_ok = "met" if first * 1e3 <= FIRST_FRAME_GOAL_MS else "missed"
        whole_ok = "met" if best["lab"] <= WHOLE_RUN_GOAL_S else "missed"
        budget = "met" if largest <= 16_384 else "missed"
        print(
            f"  {label}: {count} frames; first frame {first * 1e3:.1f} ms (goal <= {FIRST_FRAME_GOAL_MS:g} ms: "
            f"{first_ok}); whole run {best['lab']:.3f} s (goal <= {WHOLE_RUN_GOAL_S:g} s: {whole_ok}); "
            f"{sent / 1024:.0f} KB sent, largest figure {largest / 1024:.1f} KB (goal <= 16 KB: {budget}) [{load()}]"
        )
        print("    " + ratio_line("whole run with figures vs bare scikit-learn fit", best["lab"], best["sklearn"]))


if __name__ == "__main__":
    start = time.perf_counter()
    main()
    print(f"({time.perf_counter() - start:.0f} s)")
