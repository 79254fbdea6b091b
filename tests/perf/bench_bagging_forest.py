"""Bagging and random-forest labs at defaults: time to first frame, the whole run with figures, frame bytes,
and the bare scikit-learn fit of the same model in the same rounds.

Run: ``python -m tests.perf.bench_bagging_forest``. Goals (issue 13): first frame ≤ 100 ms and a whole run
≤ 2 s at defaults, with figures, in process through ``app.runs`` (validation, prepare, scene, every frame
rendered and encoded as the run service sends it, the result); every frame's figure ≤ 16 KB. The lab's whole
run and ``BaggingClassifier.fit`` / ``RandomForestClassifier.fit`` on the same training rows are timed in the
same shuffled rounds (``interleaved``), and each ratio prints the load beside it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from sklearn.ensemble import BaggingClassifier, RandomForestClassifier

from app.catalog import get_algorithm
from app.engines.base_models import make_estimator
from app.runs import plan_run
from app.schemas.bagging import features_to_draw, forest_features, rows_to_draw
from app.settings import Settings
from tests.perf.served_run import served_run
from tests.perf.timing import interleaved, load, ratio_line

LABS = ("bagging", "random-forest")
REPEAT = 7
FIRST_FRAME_GOAL_MS = 100.0
WHOLE_RUN_GOAL_S = 2.0
SETTINGS = Settings(cache_entries=0)


def _request(lab: str, seed: int, frames: int | None = None) -> tuple[int, int]:
    """(bytes sent with the result's panels, the largest figure's bytes) of the default run (served_run.py)."""
    run = served_run(lab, {}, seed, frames, panels=True)
    return run.sent, run.largest


def _bare_fit(lab: str) -> Callable[[], object]:
    """scikit-learn's own fit of the lab's default model on the same training rows."""
    algorithm = get_algorithm(lab)
    plan = plan_run(algorithm, {}, 0, False, SETTINGS)
    inputs = plan.prepare()
    p: Any = plan.params
    X, y = inputs.X[inputs.split.train], inputs.y[inputs.split.train]
    if lab == "bagging":
        return lambda: BaggingClassifier(
            estimator=make_estimator(p.estimator.model_dump(), 0),
            n_estimators=p.n_estimators,
            max_samples=rows_to_draw(p.max_samples),
            bootstrap=p.bootstrap,
            max_features=features_to_draw(p.max_features),
            bootstrap_features=p.bootstrap_features,
            oob_score=p.oob_score,
            random_state=0,
        ).fit(X, y)
    return lambda: RandomForestClassifier(
        n_estimators=p.n_estimators,
        criterion=p.criterion,
        max_depth=p.max_depth,
        max_features=forest_features(p.max_features),
        bootstrap=p.bootstrap,
        oob_score=p.oob_score,
        random_state=0,
    ).fit(X, y)


def main() -> None:
    print(f"bagging and random forest at defaults, best of {REPEAT} interleaved rounds [{load()}]")
    for lab in LABS:
        _request(lab, 0)  # warm: imports, first calls
        first = interleaved({"first": lambda lab=lab: _request(lab, 0, frames=1)}, repeat=15)["first"]
        best = interleaved({"lab": lambda lab=lab: _request(lab, 0), "sklearn": _bare_fit(lab)}, repeat=REPEAT)
        sent, largest = _request(lab, 0)
        first_ok = "met" if first * 1e3 <= FIRST_FRAME_GOAL_MS else "missed"
        whole_ok = "met" if best["lab"] <= WHOLE_RUN_GOAL_S else "missed"
        print(
            f"  {lab}: first frame {first * 1e3:.1f} ms (goal <= {FIRST_FRAME_GOAL_MS:g} ms: {first_ok}); "
            f"whole run {best['lab']:.3f} s (goal <= {WHOLE_RUN_GOAL_S:g} s: {whole_ok}); "
            f"{sent / 1024:.0f} KB sent, largest figure {largest / 1024:.1f} KB (goal <= 16 KB) "
            f"[{load()}]"
        )
        print("    " + ratio_line("whole run with figures vs bare scikit-learn fit", best["lab"], best["sklearn"]))


if __name__ == "__main__":
    start = time.perf_counter()
    main()
    print(f"({time.perf_counter() - start:.0f} s)")
