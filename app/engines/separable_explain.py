"""The explainer half of the separable-convolution lab (issue 16): a colour photo through a depthwise k×k conv
(one kernel per channel), then a 1×1 pointwise mix, beside the standard k×k conv that computes the same maps;
and what each costs, by formula and measured.

The explainer's kernels are fixed, meaningful ones (no randomness): channel 0 (red) a vertical-edge kernel
u vᵀ (u the binomial smoothing column, v its difference row), channel 1 (green) the horizontal-edge one (its
transpose), channel 2 (blue) the binomial blur u uᵀ; every one is rank 1 (an outer product), so it
is also spatially separable (a k×1 pass then a 1×k one). The pointwise weights ``mix`` (C_out, 3) cycle through
three mixes (the mean of the three maps, red minus blue, red − 2·green + blue), rotated over the channels for
outputs past the third.

The identities the lab checks, each measured in the frame (max |difference|):
* depthwise, channel by channel ``F.conv2d(x[c], K_c)`` == ``F.conv2d(x, K, groups=C_in)``;
* spatially separable: ``F.conv2d(x[c], u vᵀ)`` == ``F.conv2d(F.conv2d(x[c], u as k×1), v as 1×k)``;
* pointwise: ``Σ_c mix[o, c]·D_c`` == ``F.conv2d(D, mix as (C_out, C_in, 1, 1))``;
* depthwise then pointwise == the standard ``F.conv2d(x, W)`` with ``W[o, c] = mix[o, c]·K_c`` (the standard
  filters a separable conv can express: per input channel one shared k×k kernel, scaled per output).

Shapes: the photo ``x`` (C_in, H, W) float32 in 0–1; kernels (C_in, 1, k, k); maps (C, H_out, W_out) with
H_out = H − k + 1 (no padding, stride 1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F
from torch.utils.flop_counter import FlopCounterMode

SWEEP_KERNELS = (1, 3, 5, 7)
SWEEP_OUTPUTS = (1, 2, 4, 8, 16, 32, 64, 128)
CHANNEL_NAMES = ("red", "green", "blue")
KERNEL_NAMES = ("vertical edges", "horizontal edges", "blur")
BASE_MIX = np.array([[1 / 3, 1 / 3, 1 / 3], [1.0, 0.0, -1.0], [0.5, -1.0, 0.5]])
MIX_NAMES = ("mean of the three", "first minus third", "first − 2·second + third")


def binomial(k: int) -> np.ndarray:
    """Row ``k − 1`` of Pascal's triangle, summing to 1: the smoothing row of a Sobel-like kernel."""
    row = np.array([1.0])
    for _ in range(k - 1):
        row = np.convolve(row, [1.0, 1.0])
    return np.asarray(row / row.sum(), dtype=np.float64)


def difference(k: int) -> np.ndarray:
    """The binomial row of length k − 1 convolved with (1, −1): a derivative of length k (sums to 0)."""
    return np.convolve(binomial(k - 1), [1.0, -1.0])


def rank1_factors(k: int) -> tuple[np.ndarray, np.ndarray]:
    """(u, v), each (3, k): channel c's kernel is the outer product u[c] v[c]ᵀ."""
    b, d = binomial(k), difference(k)
    u = np.stack([b, d, b])  # (3, k): the column factor of each channel's kernel
    v = np.stack([d, b, b])  # (3, k): the row factor
    return u.astype(np.float32), v.astype(np.float32)


def depthwise_kernels(k: int) -> np.ndarray:
    """(3, 1, k, k) float32: the depthwise weight, one rank-1 k×k kernel per colour channel."""
    u, v = rank1_factors(k)
    outer = u[:, :, None] * v[:, None, :]  # (3, k, 1)·(3, 1, k) → (3, k, k)
    return np.asarray(outer[:, None], dtype=np.float32)  # (3, k, k) → (3, 1, k, k)


def pointwise_mix(c_out: int, c_in: int = 3) -> np.ndarray:
    """(C_out, C_in) float32 pointwise weights: the base mixes in turn, rotated one channel every three outputs."""
    rows = [np.roll(BASE_MIX[o % 3], o // 3) for o in range(c_out)]
    return np.array(rows, dtype=np.float32)[:, :c_in]


@dataclass(frozen=True)
class Explained:
    """Every stage's maps and the measured differences of the identities above (all float32 numpy)."""

    depthwise: np.ndarray  # (C_in, H_out, W_out): channel by channel
    pointwise: np.ndarray  # (C_out, H_out, W_out): the weighted sums of the depthwise maps
    standard: np.ndarray  # (C_out, H_out, W_out): F.conv2d(x, W), W[o, c] = mix[o, c]·K_c
    kernels: np.ndarray  # (C_in, 1, k, k)
    mix: np.ndarray  # (C_out, C_in)
    standard_filters: np.ndarray  # (C_out, C_in, k, k)
    groups_diff: float  # max |per-channel − conv2d(groups=C_in)|
    rank1_diffs: tuple[float, ...]  # per channel: max |k×k − (k×1 then 1×k)|
    pointwise_diff: float  # max |Σ_c mix·D_c − conv2d 1×1|
    standard_diff: float  # max |pointwise − standard|


def _max_diff(a: torch.Tensor, b: torch.Tensor) -> float:
    return float((a - b).abs().max())


def explain(photo: np.ndarray, k: int, c_out: int) -> Explained:
    """The photo (C_in, H, W) float32 through both convolutions (no bias), stage by stage."""
    x = torch.from_numpy(np.ascontiguousarray(photo))[None]  # (1, C_in, H, W)
    c_in = x.shape[1]
    kernels = torch.from_numpy(np.ascontiguousarray(depthwise_kernels(k)[:c_in]))  # (C_in, 1, k, k)
    u, v = (torch.from_numpy(np.ascontiguousarray(f[:c_in])) for f in rank1_factors(k))
    # The depthwise stage channel by channel: each channel meets only its own kernel.
    per_channel = torch.cat([F.conv2d(x[:, c : c + 1], kernels[c : c + 1]) for c in range(c_in)], dim=1)
    grouped = F.conv2d(x, kernels, groups=c_in)  # (1, C_in, H_out, W_out)
    rank1 = []
    for c in range(c_in):
        column = F.conv2d(x[:, c : c + 1], u[c].reshape(1, 1, k, 1))  # (1, 1, H_out, W): the k×1 pass
        both = F.conv2d(column, v[c].reshape(1, 1, 1, k))  # (1, 1, H_out, W_out): then the 1×k pass
        rank1.append(_max_diff(both, per_channel[:, c : c + 1]))
    mix = torch.from_numpy(pointwise_mix(c_out, c_in))  # (C_out, C_in)
    mixed = torch.einsum("oc,bchw->bohw", mix, per_channel)  # (1, C_out, H_out, W_out): Σ_c mix[o, c]·D_c
    one_by_one = F.conv2d(per_channel, mix[:, :, None, None])  # mix as (C_out, C_in, 1, 1)
    filters = mix[:, :, None, None] * kernels[:, 0][None]  # (C_out, C_in, k, k): W[o, c] = mix[o, c]·K_c
    standard = F.conv2d(x, filters)
    return Explained(
        depthwise=per_channel[0].numpy(),
        pointwise=mixed[0].numpy(),
        standard=standard[0].numpy(),
        kernels=kernels.numpy(),
        mix=mix.numpy(),
        standard_filters=filters.numpy(),
        groups_diff=_max_diff(per_channel, grouped),
        rank1_diffs=tuple(rank1),
        pointwise_diff=_max_diff(mixed, one_by_one),
        standard_diff=_max_diff(mixed, standard),
    )


def separable_modules(k: int, c_in: int, c_out: int, *, bias: bool) -> tuple[nn.Conv2d, nn.Conv2d, nn.Conv2d]:
    """(standard, depthwise, pointwise) ``nn.Conv2d`` on the meta device: shapes only, nothing drawn or stored."""
    standard = nn.Conv2d(c_in, c_out, k, bias=bias, device="meta")
    depthwise = nn.Conv2d(c_in, c_in, k, groups=c_in, bias=bias, device="meta")
    pointwise = nn.Conv2d(c_in, c_out, 1, bias=bias, device="meta")
    return standard, depthwise, pointwise


def _counted_macs(modules: tuple[nn.Module, ...], c_in: int, h: int, w: int) -> int:
    """Multiply-adds torch's ``FlopCounterMode`` counts for the modules applied in turn (its FLOPs / 2)."""
    x = torch.empty(1, c_in, h, w, device="meta")
    with FlopCounterMode(display=False) as counter:
        for module in modules:
            x = module(x)
    return int(counter.get_total_flops()) // 2


def costs(k: int, c_in: int, c_out: int, h: int, w: int, *, bias: bool = False) -> dict[str, dict[str, int]]:
    """Parameters and multiply-adds of both convolutions on an (h, w) input: by formula and measured (``numel``
    of the modules' parameters; torch's FLOP counter). ``bias`` adds one number per output channel of each conv."""
    ho, wo = h - k + 1, w - k + 1
    standard, depthwise, pointwise = separable_modules(k, c_in, c_out, bias=bias)
    b = 1 if bias else 0
    return {
        "standard": {
            "params_formula": k * k * c_in * c_out + b * c_out,
            "params_measured": sum(p.numel() for p in standard.parameters()),
            "macs_formula": k * k * c_in * c_out * ho * wo,
            "macs_measured": _counted_macs((standard,), c_in, h, w),
        },
        "separable": {
            "params_formula": k * k * c_in + c_in * c_out + b * (c_in + c_out),
            "params_measured": sum(p.numel() for m in (depthwise, pointwise) for p in m.parameters()),
            "macs_formula": (k * k * c_in + c_in * c_out) * ho * wo,
            "macs_measured": _counted_macs((depthwise, pointwise), c_in, h, w),
            "depthwise_params": k * k * c_in + b * c_in,
            "pointwise_params": c_in * c_out + b * c_out,
        },
    }


def sweep(c_in: int) -> dict[str, list[list[float]]]:
    """The separable/standard multiply-add ratio for every k of ``SWEEP_KERNELS`` × C_out of ``SWEEP_OUTPUTS``:
    the formula 1/C_out + 1/k² (C_in cancels) and the counted ratio on a (k + 3)² input (a 4×4 output)."""
    formula, measured, params = [], [], []
    for k in SWEEP_KERNELS:
        f_row, m_row, p_row = [], [], []
        for c_out in SWEEP_OUTPUTS:
            side = k + 3
            cost = costs(k, c_in, c_out, side, side)
            f_row.append(1 / c_out + 1 / k**2)
            m_row.append(cost["separable"]["macs_measured"] / cost["standard"]["macs_measured"])
            p_row.append(cost["separable"]["params_measured"] / cost["standard"]["params_measured"])
        formula.append(f_row)
        measured.append(m_row)
        params.append(p_row)
    return {"ratio_formula": formula, "ratio_measured": measured, "params_ratio_measured": params}
