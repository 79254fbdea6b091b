"""Cross-validation lab: first frame, whole run with figures, and the bare ``cross_validate`` of the same model.

Run: ``python -m tests.perf.bench_cross_validation``. Goals (issue 14): first frame ≤ 100 ms and the whole run at
defaults ≤ 3 s, every frame's figure ≤ 16 KB. The lab's run (prepare, scene, every frame rendered and encoded as
the service does, the result) and scikit-learn's ``cross_validate`` with the same splitter and model are timed in
the same shuffled rounds (``interleaved``), with the load beside the ratio. The lab does more than the library:
a grid prediction per fold, 20 single splits and a refit on all rows (k + 21 fits against k).
"""

from __future__ import annotations

import json
import time

import numpy as np
from sklearn.model_selection import KFold, cross_validate

from app.core.frame import drain
from app.core.limits import DEFAULT_LIMITS
from app.encoding import encode
from app.engines.base_models import make_estimator
from app.labs.cross_validation import CROSS_VALIDATION
from tests.perf.timing import interleaved, load, ratio_line

SEED = 0


def _lab_run() -> tuple[float, int]:
    """Seconds to the first frame (with its figure) and the largest figure in bytes; the whole run is drained."""
    algorithm = CROSS_VALIDATION
    start = time.perf_counter()
    params = algorithm.params_model()
    inputs = algorithm.prepare(params, DEFAULT_LIMITS)
    encode(algorithm.view.scene(inputs, params))
    frames = algorithm.engine(inputs, params, np.random.default_rng(SEED))
    first = next(frames)
    figures = [algorithm.view.render(first, inputs, params)]
    encode({"state": first.state, "figure": figures[0]})
    first_s = time.perf_counter() - start
    rest, result = drain(frames)
    for frame in rest:
        figures.append(algorithm.view.render(frame, inputs, params))
        encode({"state": frame.state, "metrics": frame.metrics, "figure": figures[-1]})
    encode(result)
    return first_s, max(len(json.dumps(f, separators=(",", ":"))) for f in figures)


def main() -> None:
    params = CROSS_VALIDATION.params_model()
    inputs = CROSS_VALIDATION.prepare(params, DEFAULT_LIMITS)
    spec = params.model.model_dump()

    def library() -> object:
        return cross_validate(
            make_estimator(spec, SEED), inputs.X, inputs.y, cv=KFold(5, shuffle=True, random_state=SEED)
        )

    firsts = sorted(_lab_run()[0] for _ in range(15))
    best = interleaved({"lab": _lab_run, "cross_validate": library}, repeat=7)
    _, figure_bytes = _lab_run()
    print(f"first frame: p50 {firsts[7] * 1e3:.1f} ms, worst {firsts[-1] * 1e3:.1f} ms (goal <= 100 ms) [{load()}]")
    print(f"largest frame figure: {figure_bytes / 1e3:.1f} KB (goal <= 16 KB)")
    print(f"whole run: {best['lab']:.3f} s (goal <= 3 s)")
    print(ratio_line("whole run vs bare cross_validate (5 folds)", best["lab"], best["cross_validate"]))


if __name__ == "__main__":
    main()
