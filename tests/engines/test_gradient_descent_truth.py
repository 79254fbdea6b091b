"""Issue 9, gradient descent: 20,000 epochs thinned under the frame cap, batch_size clamped to the data, and a
last frame that says truthfully how each variant ended (against lstsq on the same scaled data)."""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np
import pytest

from app.catalog import get_algorithm
from app.core.frame import drain
from app.core.limits import DEFAULT_LIMITS
from app.engines import optimization as opt
from app.settings import get_settings


def _lab(params: dict[str, Any], seed: int = 0) -> tuple[list[Any], dict[str, Any]]:
    lab = get_algorithm("gradient-descent")
    assert lab is not None
    model = lab.params_model.model_validate(params)
    return drain(lab.engine(lab.prepare(model, DEFAULT_LIMITS), model, np.random.default_rng(seed)))


def _ill_conditioned(n: int = 24) -> tuple[np.ndarray, np.ndarray]:
    """Two features on scales 1 and 12: the Hessian's condition number is ~10³."""
    rng = np.random.default_rng(4)
    X = np.column_stack([rng.uniform(0, 1, n), rng.uniform(0, 12, n)])
    return X, 2 * X[:, 0] - 0.3 * X[:, 1] + 1 + 0.1 * rng.normal(size=n)


@pytest.mark.parametrize("batch", [1, 5, 24])
def test_fast_loop_equals_the_residual_form(batch: int) -> None:
    X, y = _ill_conditioned()
    rates = [1e-3 * 0.9**e for e in range(6)]
    _, result = drain(
        opt.run_gd(
            X, y, variants=["mini-batch"], batch_size=batch, rates=rates, scaling="none", rng=np.random.default_rng(7)
        )
    )
    updates = list(opt.gd_updates(X, y, batch, rates, np.random.default_rng(7).spawn(1)[0]))
    _, w, b = updates[-1]
    assert result["variants"][0]["updates"] == len(updates)
    np.testing.assert_allclose(result["variants"][0]["w"], w, rtol=1e-10, atol=1e-12)
    assert result["variants"][0]["b"] == pytest.approx(b, rel=1e-10, abs=1e-12)


def test_twenty_thousand_epochs_converge_where_five_hundred_do_not() -> None:
    X, y = _ill_conditioned()
    data = {"X": X.tolist(), "y": y.tolist()}
    lr = 1.0 / (
        2
        * np.linalg.eigvalsh(
            np.column_stack([X, np.ones(len(y))]).T @ np.column_stack([X, np.ones(len(y))]) / len(y)
        ).max()
    )
    short, _ = _lab({"dataset": data, "variants": ["batch"], "epochs": 500, "lr": lr})
    assert "batch is still descending" in short[-1].caption
    frames, result = _lab({"dataset": data, "variants": ["batch"], "epochs": 20_000, "lr": lr})
    assert len(frames) == opt.GD_FRAME_CAP + 1 <= get_settings().max_frames
    assert "Each frame covers 133 epochs (20,000 epochs in 150 frames)" in frames[0].caption
    assert [f.state["variants"][0]["updates"] for f in frames[:3]] == [0, 133, 266]
    theta, *_ = np.linalg.lstsq(np.column_stack([X, np.ones(len(y))]), y, rcond=None)
    v = result["variants"][0]
    assert v["outcome"] == "converged" and "batch reached the least-squares optimum" in frames[-1].caption
    np.testing.assert_allclose(np.append(v["w"], v["b"]), theta, rtol=1e-3, atol=1e-3)


def test_batch_size_above_the_rows_is_clamped_and_said() -> None:
    data = {"X": [[0.0], [1.0], [2.0]], "y": [0.0, 1.0, 2.5]}
    frames, result = _lab({"dataset": data, "batch_size": 16, "variants": ["batch", "mini-batch"]})
    assert result["batch_size"] == 3
    assert frames[0].caption.startswith("Note: batch size = 16 is more than the 3 rows, so batch size = 3 is used")
    np.testing.assert_array_equal(result["variants"][0]["path"], result["variants"][1]["path"])
    # Not said when it is not true (or mini-batch is not running).
    frames, _ = _lab({"dataset": data, "batch_size": 2})
    assert "is more than" not in frames[0].caption
    frames, _ = _lab({"dataset": data, "batch_size": 16, "variants": ["batch"]})
    assert "is more than" not in frames[0].caption


def test_the_last_frame_says_how_each_variant_ended_truthfully() -> None:
    frames, result = _lab({"epochs": 400})  # line, lr 0.05: batch settles; single rows keep SGD moving
    best = result["exact"]["loss"]
    end = frames[-1].caption
    outcomes = {v["variant"]: v["outcome"] for v in result["variants"]}
    assert outcomes["batch"] == "converged" and "batch reached the least-squares optimum" in end
    assert outcomes["stochastic"] == "not settled" and "stochastic hovers" in end
    for v in result["variants"]:
        gap = v["losses"][-1] - best
        assert (v["outcome"] == "converged") == (gap <= max(1e-3 * best, 1e-6 * v["losses"][0]))
    frames, result = _lab({"dataset": {"name": "two_scales"}, "lr": 0.01})  # unscaled x₂ ~ 100: lr far too large
    assert {v["outcome"] for v in result["variants"]} == {"diverged"}
    assert "batch diverged in epoch" in frames[-1].caption and "scale the features" in frames[-1].caption
    for f in frames:  # a diverging racer ends on a true caption without NaN anywhere
        assert "nan" not in json.dumps(f.state, default=lambda a: np.asarray(a).tolist()).lower()
        assert all(np.isfinite(m) for m in f.metrics.values())
    frames, result = _lab({"epochs": 30})  # the defaults: batch has not got there yet, and says so
    assert result["variants"][0]["outcome"] == "descending" and "batch is still descending" in frames[-1].caption


@pytest.mark.parametrize("seed", range(6))
def test_small_odd_datasets_give_clean_frames(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 7))
    X = rng.integers(-2, 3, size=(n, int(rng.integers(1, 3)))).astype(float)
    if seed % 2:
        X[:, 0] = X[0, 0]  # a constant column
    if seed % 3 == 0:
        X[-1] = X[0]  # a duplicate row
    params = {
        "dataset": {"X": X.tolist(), "y": rng.normal(size=n).round(2).tolist()},
        "scaling": ["none", "minmax", "standardize"][seed % 3],
        "lr": float(10.0 ** rng.uniform(-3, 0.5)),
        "epochs": int(rng.integers(1, 60)),
        "batch_size": int(rng.integers(1, 20)),
    }
    frames, _ = _lab(params, seed)
    text = " ".join(f.caption for f in frames)
    assert "nan" not in text.lower() and not re.search(r"\b1 [a-z]+s\b", text)
    for f in frames:
        assert "NaN" not in json.dumps(f.state, default=lambda a: np.asarray(a).tolist())


def test_a_one_row_dataset_runs_every_variant_as_full_batch() -> None:
    from app.runs import plan_run
    from app.settings import Settings

    algorithm = get_algorithm("gradient-descent")
    assert algorithm is not None
    plan = plan_run(algorithm, {"dataset": {"name": "line", "n_samples": 1}}, 0, False, Settings())
    frames, _ = drain(algorithm.engine(plan.inputs, plan.params, np.random.default_rng(0)))
    assert (
        frames[-1].kind == "end" and "1 rows" not in frames[0].caption and "more than the 1 row," in frames[0].caption
    )
