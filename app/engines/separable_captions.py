"""Captions of the separable-convolution lab's frames: every number is the frame's own (``app.core.text`` words);
a test checks them against the state."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from app.core.text import fixed, fmt_count, num, percent, plural
from app.engines.separable_explain import CHANNEL_NAMES, KERNEL_NAMES, MIX_NAMES, SWEEP_KERNELS, SWEEP_OUTPUTS


def diff(value: float) -> str:
    """A measured max |difference| ("0" or "1.19×10^-7")."""
    return num(value, 3)


def _sum(weights: Sequence[float]) -> str:
    """ "0.333·D1 + 0.333·D2 − 1·D3": the non-zero terms, signs as words would write them."""
    out = ""
    for c, wt in enumerate(weights):
        if wt == 0:
            continue
        size = f"{fixed(abs(wt), 3)}·D{c + 1}"
        out += (f" − {size}" if wt < 0 else f" + {size}") if out else (f"−{size}" if wt < 0 else size)
    return out or "0"


def input_(h: int, w: int, c_in: int, k: int, c_out: int) -> str:
    standard = k * k * c_in * c_out
    separable = k * k * c_in + c_in * c_out
    return (
        f"The photo: {h} × {w} pixels in {c_in} channels (red, green, blue). A standard {k}×{k} convolution with "
        f"{plural(c_out, 'filter')} reads all {c_in} channels in every filter: "
        f"k²·C_in·C_out = {fmt_count(standard)} weights. "
        f"Its depthwise-separable version filters each channel on its own (k²·C_in = {k * k * c_in}), then mixes the "
        f"{c_in} maps with 1×1 weights (C_in·C_out = {c_in * c_out}): {fmt_count(separable)} weights."
    )


def depthwise(c: int, c_in: int, k: int, lo: float, hi: float, groups_diff: float, rank1_diff: float) -> str:
    name = CHANNEL_NAMES[c] if c < len(CHANNEL_NAMES) else f"channel {c + 1}"
    what = KERNEL_NAMES[c] if c < len(KERNEL_NAMES) else "kernel"
    return (
        f"Depthwise stage, channel {c + 1} of {c_in} ({name}): its own {k}×{k} kernel ({what}) slides over the "
        f"{name} channel only, giving a map from {fixed(lo, 3)} to {fixed(hi, 3)}. Channel by channel equals "
        f"F.conv2d(groups={c_in}) to a max |difference| of {diff(groups_diff)}. The kernel is rank 1 (u vᵀ): a "
        f"{k}×1 pass then a 1×{k} pass give the same map to {diff(rank1_diff)} ({2 * k} instead of {k * k} "
        "multiply-adds a pixel)."
    )


def pointwise(o: int, c_out: int, weights: Sequence[float], pointwise_diff: float) -> str:
    terms = _sum(weights)
    name = MIX_NAMES[o % 3] if o < 3 else f"{MIX_NAMES[o % 3]}, rotated by {o // 3}"
    return (
        f"Pointwise stage, output {o + 1} of {c_out}: map {o + 1} = {terms} ({name}), a 1×1 convolution: "
        f"{plural(len(weights), 'weight')}, no neighbouring pixel read. Equals F.conv2d with the ({c_out}, "
        f"{len(weights)}, 1, 1) kernel to a max |difference| of {diff(pointwise_diff)}."
    )


def standard(k: int, c_in: int, c_out: int, standard_diff: float) -> str:
    return (
        f"The standard {k}×{k} convolution with the {plural(c_out, 'filter')} W[o, c] = mix[o, c]·K_c gives the same "
        f"{plural(c_out, 'map')} (max |difference| {diff(standard_diff)}), but stores "
        f"{fmt_count(k * k * c_in * c_out)} weights against {fmt_count(k * k * c_in + c_in * c_out)}. "
        f"A standard filter can be any {k}×{k}×{c_in} block; a separable one only blocks whose channel "
        "slices are one kernel per channel, scaled."
    )


def cost(state: Mapping[str, Any]) -> str:
    """``state``: the cost frame's (k, c_in, c_out, h_out, w_out, standard, separable)."""
    k, c_in, c_out = int(state["k"]), int(state["c_in"]), int(state["c_out"])
    ho, wo = int(state["h_out"]), int(state["w_out"])
    st, sp = state["standard"], state["separable"]
    share = sp["params_measured"] / st["params_measured"]
    return (
        f"Cost without bias: standard k²·C_in·C_out = {k}²·{c_in}·{c_out} = {fmt_count(st['params_formula'])} "
        f"parameters (numel: {fmt_count(st['params_measured'])}); separable k²·C_in + C_in·C_out = "
        f"{k * k * c_in} + {c_in * c_out} = {fmt_count(sp['params_formula'])} "
        f"(numel: {fmt_count(sp['params_measured'])}, {percent(share, 1)}). "
        f"Multiply-adds over the {ho} × {wo} output pixels: {fmt_count(st['macs_formula'])} "
        f"(torch's FLOP counter: {fmt_count(st['macs_measured'])}) against {fmt_count(sp['macs_formula'])} "
        f"(counted {fmt_count(sp['macs_measured'])}): ratio {fixed(sp['macs_measured'] / st['macs_measured'], 4)} = "
        f"1/C_out + 1/k² = 1/{c_out} + 1/{k * k}."
    )


def sweep(c_in: int, worst_gap: float, other_c_in: int, other_ratio: float, k3_last: float) -> str:
    ks = ", ".join(str(k) for k in SWEEP_KERNELS)
    return (
        f"The separable/standard multiply-add ratio 1/C_out + 1/k² for k = {ks} and C_out = {SWEEP_OUTPUTS[0]} to "
        f"{SWEEP_OUTPUTS[-1]}, counted by torch at C_in = {c_in} (largest gap from the formula {diff(worst_gap)}). "
        f"C_in cancels: at C_in = {other_c_in}, k = 3, C_out = {SWEEP_OUTPUTS[-1]} the counted ratio is "
        f"{fixed(other_ratio, 4)}, as at C_in = {c_in} ({fixed(k3_last, 4)}). Many outputs push it towards 1/k²; "
        "with one output the separable version costs more (1 + 1/k²)."
    )


def epoch(
    epoch: int,
    epochs: int,
    evals: Mapping[str, Mapping[str, float]],
    params: Mapping[str, int],
    n_test: int,
    *,
    done: bool,
) -> str:
    st, sp = evals["standard"], evals["separable"]
    share = params["separable"] / params["standard"]
    wrong = {name: round((1 - evals[name]["test_accuracy"]) * n_test) for name in evals}
    head = (
        f"Done after {plural(epochs, 'epoch')}"
        if done
        else ("Before training" if epoch == 0 else f"Epoch {epoch} of {epochs}")
    )
    return (
        f"{head}: test accuracy standard {percent(st['test_accuracy'], 1)} ({fmt_count(params['standard'])} "
        f"parameters, {wrong['standard']} of {n_test} test digits wrong) against separable "
        f"{percent(sp['test_accuracy'], 1)} ({fmt_count(params['separable'])} parameters, {percent(share, 1)} of "
        f"the standard's; {wrong['separable']} wrong). Training loss {fixed(st['train_loss'], 3)} against "
        f"{fixed(sp['train_loss'], 3)}."
    )
