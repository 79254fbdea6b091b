"""Boundary labs: time to first frame at defaults (p95), frame bytes, and SMO vs scikit-learn's SVC.

Run: ``python -m tests.perf.bench_boundary``. Goals (issue 4): first frame p95 ≤ 100 ms for all four labs; a
frame with its figure ≤ 16 KB; SMO on 500 points with the rbf kernel, whole run ≤ 3 s.
"""

from __future__ import annotations

import json
import time

import numpy as np
from sklearn.datasets import make_moons
from sklearn.svm import SVC

from app.catalog import get_algorithm
from app.core.frame import drain
from app.core.limits import DEFAULT_LIMITS
from app.encoding import encode
from app.engines import boundary, svm
from tests.perf.timing import best_of

LABS = ("logistic-regression", "perceptron", "knn", "svm")


def _first_frame_ms(lab: str, repeat: int = 40) -> tuple[float, float, int, int]:
    """p50 and p95 of prepare + scene + first frame + its figure; the largest frame and figure in bytes."""
    algorithm = get_algorithm(lab)
    assert algorithm is not None
    times = []
    for seed in range(repeat):
        start = time.perf_counter()
        params = algorithm.params_model()
        inputs = algorithm.prepare(params, DEFAULT_LIMITS)
        encode(algorithm.view.scene(inputs, params))
        frame = next(algorithm.engine(inputs, params, np.random.default_rng(seed)))
        encode({"state": frame.state, "figure": algorithm.view.render(frame, inputs, params)})
        times.append(time.perf_counter() - start)
    params = algorithm.params_model()
    inputs = algorithm.prepare(params, DEFAULT_LIMITS)
    frames, _ = drain(algorithm.engine(inputs, params, np.random.default_rng(0)))
    figures = [algorithm.view.render(f, inputs, params) for f in frames]
    frame_bytes = max(
        len(
            encode(
                {"index": 0, "kind": f.kind, "caption": f.caption, "state": f.state, "metrics": f.metrics, "figure": g}
            )
        )
        for f, g in zip(frames, figures, strict=True)
    )
    figure_bytes = max(len(json.dumps(g, separators=(",", ":"))) for g in figures)
    p50, p95 = np.percentile(np.array(times) * 1e3, [50, 95])
    return float(p50), float(p95), frame_bytes, figure_bytes


def main() -> None:
    print("time to first frame at defaults (prepare + scene + first frame + figure), 40 runs")
    for lab in LABS:
        p50, p95, frame_bytes, figure_bytes = _first_frame_ms(lab)
        print(
            f"  {lab:20s} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms   largest frame {frame_bytes / 1024:5.1f} KB "
            f"(figure {figure_bytes / 1024:5.1f} KB)"
        )
    X, y = make_moons(500, noise=0.25, random_state=0)
    parts = boundary.split(y, 0.0, np.random.default_rng(0))

    def smo_run() -> object:
        return drain(svm.run(X, y, parts, kernel="rbf", C=1.0, gamma="scale", degree=3, coef0=0.0, grid_size=100))

    def svc_fit() -> object:
        return SVC(kernel="rbf", C=1.0, gamma="scale").fit(X, y)

    t_run, t_svc = best_of(smo_run, repeat=5), best_of(svc_fit, repeat=5)
    frames, result = smo_run()  # type: ignore[misc]
    print(
        f"SMO, 500 moons points, rbf, C = 1: whole run with {len(frames)} frames {t_run * 1e3:.0f} ms "
        f"({result['n_iter']} pair updates); SVC.fit {t_svc * 1e3:.1f} ms; ratio {t_run / t_svc:.0f}x"
    )


if __name__ == "__main__":
    main()
