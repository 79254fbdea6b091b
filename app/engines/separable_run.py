"""The separable-convolution lab's run (issue 16): the explainer's frames on the photo, then the two digit
classifiers' training frames (``separable_train``).

Frames: ``input`` (the photo's channels), ``depthwise`` × C_in (channel by channel), ``pointwise`` × C_out
(output by output), ``standard`` (the standard conv's maps), ``cost`` (parameters and multiply-adds, formula and
measured), ``sweep`` (the ratio as k and C_out change), ``epoch`` × (epochs: epoch 0 before training), ``done``.
Pictures go out as u1 typed arrays over a stage-wide min..max (sent beside them).
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import numpy as np

from app.core.budget import checkpoint
from app.core.frame import Frame
from app.core.typed_array import typed_array
from app.engines import separable_captions as captions
from app.engines import separable_explain as explain
from app.engines import separable_train
from app.engines.cnn_train import CnnData, scaled_u1

OTHER_C_IN = 32
"""The second channel count the sweep measures at, to show that C_in cancels from the ratio."""


def picture(values: np.ndarray) -> dict[str, Any]:
    """``{values: u1 typed, min, max}``: ``values`` scaled over their common min..max (NaN-free float)."""
    pixels, lo, hi = scaled_u1(values)
    return {"values": typed_array(pixels, "u1"), "min": lo, "max": hi}


def explainer(photo: np.ndarray, ex: explain.Explained) -> Generator[Frame, None, dict[str, Any]]:
    """``photo`` (H, W, C_in) uint8 and its stages ``ex`` (``explain.explain``, computed by the lab's prepare):
    frames input … sweep; returns the explainer's part of the result."""
    h, w, c_in = (int(s) for s in photo.shape)
    k, c_out = int(ex.kernels.shape[-1]), int(ex.mix.shape[0])
    channels = np.ascontiguousarray(photo.transpose(2, 0, 1))  # (H, W, C) → (C, H, W)
    ho, wo = h - k + 1, w - k + 1
    shape = {"h": h, "w": w, "k": k, "c_in": c_in, "c_out": c_out, "h_out": ho, "w_out": wo}
    checkpoint()  # a cancelled or over-budget run stops between explainer frames
    yield Frame(
        kind="input",
        caption=captions.input_(h, w, c_in, k, c_out),
        state={**shape, "channels": {"values": typed_array(channels, "u1"), "min": 0.0, "max": 1.0}},
    )
    depth = picture(ex.depthwise)
    u, v = explain.rank1_factors(k)
    for c in range(c_in):
        so_far = ex.depthwise[: c + 1]  # (c + 1, H_out, W_out): the channels done
        state = {
            **shape,
            "channel": c,
            "kernel": ex.kernels[c, 0].astype(np.float64).round(6).tolist(),
            "u": u[c].astype(np.float64).round(6).tolist(),
            "v": v[c].astype(np.float64).round(6).tolist(),
            "maps": _over(so_far, depth["min"], depth["max"]),
            "groups_diff": ex.groups_diff,
            "rank1_diff": ex.rank1_diffs[c],
        }
        lo, hi = float(ex.depthwise[c].min()), float(ex.depthwise[c].max())
        checkpoint()  # a cancelled or over-budget run stops between explainer frames
        yield Frame(
            kind="depthwise",
            caption=captions.depthwise(c, c_in, k, lo, hi, ex.groups_diff, ex.rank1_diffs[c]),
            state=state,
        )
    point = picture(ex.pointwise)
    for o in range(c_out):
        weights = [round(float(x), 6) for x in ex.mix[o]]
        checkpoint()  # a cancelled or over-budget run stops between explainer frames
        yield Frame(
            kind="pointwise",
            caption=captions.pointwise(o, c_out, weights, ex.pointwise_diff),
            state={
                **shape,
                "output": o,
                "weights": weights,
                "mix": ex.mix[: o + 1].astype(np.float64).round(6).tolist(),
                "maps": _over(ex.pointwise[: o + 1], point["min"], point["max"]),
                "pointwise_diff": ex.pointwise_diff,
            },
        )
    checkpoint()  # a cancelled or over-budget run stops between explainer frames
    yield Frame(
        kind="standard",
        caption=captions.standard(k, c_in, c_out, ex.standard_diff),
        state={
            **shape,
            "maps": _over(ex.standard, point["min"], point["max"]),
            "filters": picture(ex.standard_filters),
            "standard_diff": ex.standard_diff,
        },
    )
    cost = explain.costs(k, c_in, c_out, h, w)
    cost_state: dict[str, Any] = {**shape, **cost}
    checkpoint()  # a cancelled or over-budget run stops between explainer frames
    yield Frame(kind="cost", caption=captions.cost(cost_state), state=cost_state)
    sweep = explain.sweep(c_in)
    formula, measured = np.array(sweep["ratio_formula"]), np.array(sweep["ratio_measured"])
    other = explain.costs(3, OTHER_C_IN, explain.SWEEP_OUTPUTS[-1], 6, 6)
    other_ratio = other["separable"]["macs_measured"] / other["standard"]["macs_measured"]
    k3_last = float(measured[explain.SWEEP_KERNELS.index(3), -1])
    worst = float(np.abs(formula - measured).max())
    checkpoint()  # a cancelled or over-budget run stops between explainer frames
    yield Frame(
        kind="sweep",
        caption=captions.sweep(c_in, worst, OTHER_C_IN, other_ratio, k3_last),
        state={
            "c_in": c_in,
            "k": k,
            "c_out": c_out,
            "ks": list(explain.SWEEP_KERNELS),
            "c_outs": list(explain.SWEEP_OUTPUTS),
            **sweep,
            "other_c_in": OTHER_C_IN,
            "other_ratio": other_ratio,
            "worst_gap": worst,
        },
    )
    return {
        "cost": cost,
        "identities": {
            "groups_diff": ex.groups_diff,
            "rank1_diffs": list(ex.rank1_diffs),
            "pointwise_diff": ex.pointwise_diff,
            "standard_diff": ex.standard_diff,
        },
    }


def _over(values: np.ndarray, lo: float, hi: float) -> dict[str, Any]:
    """``values`` as u1 bytes over a given ``lo``..``hi`` (the stage's range, so maps compare across frames)."""
    span = hi - lo
    if span <= 0:
        pixels = np.zeros(values.shape, dtype=np.uint8)
    else:
        pixels = np.rint(np.clip((values.astype(np.float64) - lo) / span, 0.0, 1.0) * 255.0).astype(np.uint8)
    return {"values": typed_array(pixels, "u1"), "min": lo, "max": hi}


def run(
    photo: np.ndarray,
    ex: explain.Explained,
    data: CnnData,
    plan: separable_train.PairPlan,
    *,
    seed: int,
) -> Generator[Frame, None, dict[str, Any]]:
    """The whole run: the explainer's frames, then the training frames; returns the result."""
    explained = yield from explainer(photo, ex)
    trained = yield from separable_train.train(data, plan, seed=seed)
    return {**explained, **trained}
