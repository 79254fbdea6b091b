"""Bias–variance lab: first frame and whole run at defaults (with figures), against the bare library fits.

Run: ``python -m tests.perf.bench_bias_variance``. Goals (issue 14): first frame ≤ 100 ms, whole run ≤ 3 s at
defaults, a frame's figure ≤ 16 KB. For each model (polynomial, tree, k-NN, each at the defaults of the rest) the
lab's whole run (prepare, scene, every frame rendered and encoded as the service does, the result) and the bare
library fits of the same sweep on the same draws are timed in the same shuffled rounds (``interleaved``), with the
load printed beside each ratio:

* polynomial: ``numpy.polyfit(scaled(x), y, degree)`` + ``polyval`` at the curve and test x, per set and degree;
* tree: ``DecisionTreeRegressor(max_depth=d).fit`` + ``predict`` per set and depth (the lab fits once per set);
* k-NN: ``KNeighborsRegressor(k).fit`` + ``predict`` per set and k (the lab searches once per set).
"""

from __future__ import annotations

import functools
import json
import time
from typing import Any

import numpy as np
from sklearn.neighbors import KNeighborsRegressor
from sklearn.tree import DecisionTreeRegressor

from app.catalog import get_algorithm
from app.core.limits import DEFAULT_LIMITS
from app.encoding import encode, to_jsonable
from app.engines import bias_variance as bv
from tests.perf.timing import interleaved, load, ratio_line

GOAL_FIRST_MS, GOAL_RUN_S = 100.0, 3.0


def _lab_run(model: str) -> tuple[float, float, int]:
    """Seconds to the first frame (prepare, scene, frame 0 and its figure), whole-run seconds, largest figure bytes."""
    algorithm = get_algorithm("bias-variance")
    assert algorithm is not None
    start = time.perf_counter()
    params = algorithm.params_model(model=model)
    inputs = algorithm.prepare(params, DEFAULT_LIMITS)
    encode(algorithm.view.scene(inputs, params))
    frames = algorithm.engine(inputs, params, np.random.default_rng(0))
    first = None
    largest = 0
    while True:
        try:
            frame = next(frames)
        except StopIteration as stop:
            encode(stop.value)
            break
        figure = algorithm.view.render(frame, inputs, params)
        encode({"kind": frame.kind, "caption": frame.caption, "state": frame.state, "figure": figure})
        largest = max(largest, len(json.dumps(to_jsonable(figure), separators=(",", ":"))))
        if first is None:
            first = time.perf_counter() - start
    assert first is not None
    return first, time.perf_counter() - start, largest


def _bare(model: str) -> Any:
    """The library fits of the same sweep on the same kind of draws (defaults: 100 sets of 25 points)."""
    algorithm = get_algorithm("bias-variance")
    assert algorithm is not None
    params = algorithm.params_model(model=model)
    inputs = algorithm.prepare(params, DEFAULT_LIMITS)
    draws = bv.draw(params.truth, params.noise, params.n_points, params.n_datasets, 200, np.random.default_rng(0))
    points = np.concatenate([inputs.grid, draws.x_test])

    def fits() -> None:
        column = points.reshape(-1, 1)
        for c in inputs.complexities:
            for d in range(params.n_datasets):
                x, y = draws.X[d], draws.Y[d]
                if model == "polynomial":
                    coef = np.polyfit(bv.scaled(x), y, c)
                    np.polyval(coef, bv.scaled(points))
                    np.polyval(coef, bv.scaled(x))
                elif model == "tree":
                    tree = DecisionTreeRegressor(max_depth=c, random_state=0).fit(x.reshape(-1, 1), y)
                    tree.predict(column)
                    tree.predict(x.reshape(-1, 1))
                else:
                    knn = KNeighborsRegressor(n_neighbors=c).fit(x.reshape(-1, 1), y)
                    knn.predict(column)
                    knn.predict(x.reshape(-1, 1))

    return fits


def main() -> None:
    for model in ("polynomial", "tree", "knn"):
        first, whole, largest = _lab_run(model)
        times = interleaved({"lab": functools.partial(_lab_run, model), "library": _bare(model)}, repeat=3)
        print(
            f"{model}: first frame {first * 1e3:.1f} ms (goal <= {GOAL_FIRST_MS:g}), whole run {whole:.2f} s "
            f"(goal <= {GOAL_RUN_S:g}), largest frame {largest / 1024:.1f} KB [{load()}]"
        )
        print("  " + ratio_line(f"{model} whole run vs bare library fits", times["lab"], times["library"]))


if __name__ == "__main__":
    main()
