"""The tensors lab's engine: how data becomes arrays, one topic per run, a frame per step.

``image``: the (H, W, C) uint8 picture, permuted to (C, H, W) (strides computed by hand, as NumPy and PyTorch
lay a C-order array out: tests compare them with ``torch.permute(...).stride()``), its channels, ÷ 255 to
floats, then (x − mean) / std per channel. ``reshape``: ``torch.arange`` shaped (d₀, d₁, d₂) through
``view``, ``transpose``, a ``view`` that fails on the transposed tensor (PyTorch's own error), ``contiguous``,
``permute`` and ``flatten`` — PyTorch itself computes every shape, stride and flag (the lesson is what it says).
The table, text and series topics are in ``app.engines.tensors_data``.

Strides are counted in elements, as ``torch.Tensor.stride()`` counts them (for uint8 pixels, also bytes).
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from app.core.budget import checkpoint
from app.core.frame import Frame
from app.core.text import fmt_count, num
from app.core.typed_array import typed_array

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
IMAGENET_GREY = (0.449, 0.226)
"""ImageNet's per-channel mean and std (torchvision's pretrained models); for one grey channel, their means."""


@dataclass(frozen=True)
class IrisTable:
    """Iris' columns the table topic uses (all 150 rows)."""

    sepal_length: np.ndarray  # (150,) cm
    petal_length: np.ndarray  # (150,) cm
    species: tuple[str, ...]  # 150 names


@dataclass(frozen=True)
class TensorsSetup:
    """What one run turns into tensors (only the chosen topic's fields are used)."""

    topic: str
    pixels: np.ndarray | None = None  # (H, W, C) uint8
    channel_names: tuple[str, ...] = ()
    pixel: tuple[int, int] = (0, 0)  # (row, column) whose numbers the captions give
    normalise: str = "own"
    dims: tuple[int, int, int] = (2, 3, 4)
    table: IrisTable | None = None
    rows: int = 8
    text: str = ""
    series: str = "sine"
    length: int = 0
    period: int = 1
    noise: float = 0.0
    window: int = 1
    horizon: int = 1


def c_strides(shape: Sequence[int]) -> list[int]:
    """Element strides of a C-contiguous array of ``shape``: the last axis 1, each earlier one the product after it."""
    strides, step = [], 1
    for size in reversed(shape):
        strides.append(step)
        step *= int(size)
    return strides[::-1]


def is_contiguous(shape: Sequence[int], strides: Sequence[int]) -> bool:
    """PyTorch's rule: the strides of the axes longer than 1 are the C-order ones (an axis of size 1 never moves)."""
    expected = c_strides(shape)
    return all(s == e for size, s, e in zip(shape, strides, expected, strict=True) if size != 1)


def _pixel_words(values: Sequence[float], names: Sequence[str], fmt: Any = str) -> str:
    return ", ".join(f"{name} {fmt(v)}" for name, v in zip(names, values, strict=True))


def _fixed(value: float) -> str:
    """Two decimals, without a "-0.00"."""
    text = f"{value:.2f}"
    return "0.00" if text == "-0.00" else text


def _tuple(values: Sequence[int]) -> str:
    return "(" + ", ".join(fmt_count(v) for v in values) + ("," if len(values) == 1 else "") + ")"


def image_frames(setup: TensorsSetup) -> Generator[Frame, None, dict[str, Any]]:
    assert setup.pixels is not None
    pixels = setup.pixels
    h, w, c = pixels.shape
    names = setup.channel_names
    row, col = setup.pixel
    hwc_strides = c_strides((h, w, c))
    pixel = [int(v) for v in pixels[row, col]]
    checkpoint()
    yield Frame(
        "hwc",
        f"The picture is an (H, W, C) = {_tuple((h, w, c))} array of bytes (uint8, 0–255): {h} rows, {w} columns, "
        f"{c} number{'s' if c > 1 else ''} per pixel. The pixel at row {row}, column {col} holds "
        f"{_pixel_words(pixel, names)}; strides {_tuple(hwc_strides)}: one column right skips {c}, one row down "
        f"{fmt_count(w * c)} bytes.",
        {
            "shape": [h, w, c],
            "strides": hwc_strides,
            "pixel": [row, col],
            "pixel_values": pixel,
            "array": typed_array(pixels, "u1"),
        },
        visual={"channels": pixels.transpose(2, 0, 1).astype(np.float64), "stage": "hwc"},
    )
    chw = pixels.transpose(2, 0, 1)  # the permuted view: no byte moves
    view_strides = [hwc_strides[2], hwc_strides[0], hwc_strides[1]]
    contiguous = is_contiguous((c, h, w), view_strides)
    copy_strides = c_strides((c, h, w))
    copied = np.ascontiguousarray(chw)
    if contiguous:
        how = "already contiguous (with one channel, nothing needs copying)"
    else:
        how = f"not contiguous; .contiguous() copies it into channel planes with strides {_tuple(copy_strides)}"
    checkpoint()
    yield Frame(
        "chw",
        f"permute(2, 0, 1) makes it {_tuple((c, h, w))}, channels first, the layout PyTorch's layers expect. No "
        f"number moves: the view only reorders the strides to {_tuple(view_strides)}, so it is {how}.",
        {
            "shape": [c, h, w],
            "strides": view_strides,
            "contiguous": contiguous,
            "copy_strides": copy_strides,
            "array": typed_array(copied, "u1"),
        },
        visual={"channels": copied.astype(np.float64), "stage": "chw"},
    )
    flat = copied.reshape(c, -1).astype(np.float64)
    means, lows, highs = flat.mean(axis=1), flat.min(axis=1), flat.max(axis=1)
    if c > 1:
        brightest = names[int(np.argmax(means))]
        words = "; ".join(f"{n} averages {num(m, 4)}" for n, m in zip(names, means, strict=True))
        channel_caption = (
            f"Each channel x[i] is a map of {h} × {w}, one colour's brightness: {words}."
            f" The {brightest} channel is the brightest on average; a colour layer of a network sees all three at once."
        )
    else:
        channel_caption = (
            f"One channel: x[0] is the {h} × {w} grey map itself, brightness {num(lows[0])} to {num(highs[0])}, "
            f"mean {num(means[0], 4)}."
        )
    checkpoint()
    yield Frame(
        "channels",
        channel_caption,
        {
            "names": list(names),
            "means": [float(m) for m in means],
            "mins": [float(v) for v in lows],
            "maxs": [float(v) for v in highs],
        },
        visual={"channels": copied.astype(np.float64), "stage": "channels"},
    )
    scaled = copied.astype(np.float32) / np.float32(255.0)  # ToTensor's uint8 → float in 0–1
    scaled_pixel = [float(v) for v in scaled[:, row, col]]
    checkpoint()
    yield Frame(
        "to_float",
        f"uint8 → float32, ÷ 255 (what torchvision's ToTensor does): every value now lies in 0–1, "
        f"{num(float(scaled.min()), 3)} to {num(float(scaled.max()), 3)}; the marked pixel is "
        f"{_pixel_words(scaled_pixel, names, lambda v: num(v, 3))}.",
        {
            "min": float(scaled.min()),
            "max": float(scaled.max()),
            "pixel_values": scaled_pixel,
            "array": typed_array(scaled, "f4"),
        },
        visual={"channels": scaled.astype(np.float64), "stage": "to_float"},
    )
    scaled64 = scaled.astype(np.float64)
    if setup.normalise == "imagenet":
        mean = np.array(IMAGENET_MEAN if c == 3 else IMAGENET_GREY[:1])
        std = np.array(IMAGENET_STD if c == 3 else IMAGENET_GREY[1:])
        source = "ImageNet's" if c == 3 else "ImageNet's (averaged over its three channels, for grey)"
    else:
        mean = scaled64.reshape(c, -1).mean(axis=1)
        std = scaled64.reshape(c, -1).std(axis=1)  # population std (ddof 0): each channel ends with std 1
        source = "this image's own"
    flat_channels = std == 0
    safe_std = np.where(flat_channels, 1.0, std)
    normalised = (scaled64 - mean[:, None, None]) / safe_std[:, None, None]
    new_mean = normalised.reshape(c, -1).mean(axis=1)
    new_std = normalised.reshape(c, -1).std(axis=1)
    pair = "; ".join(f"{n} {num(m, 3)} / {num(s, 3)}" for n, m, s in zip(names, mean, std, strict=True))
    after = ", ".join(f"{n} {_fixed(m)} ± {_fixed(s)}" for n, m, s in zip(names, new_mean, new_std, strict=True))
    fit = (
        "Each channel is now centred at 0 with spread 1"
        if setup.normalise == "own"
        else "Fixed statistics centre this picture only roughly"
    )
    note = " A constant channel (std 0) is only shifted." if flat_channels.any() else ""
    checkpoint()
    yield Frame(
        "normalise",
        f"Normalised per channel, (x − mean) / std with {source} mean / std: {pair}. {fit} (mean ± std: "
        f"{after}), so no channel dominates a layer's sums.{note}",
        {
            "source": setup.normalise,
            "mean": [float(v) for v in mean],
            "std": [float(v) for v in std],
            "new_mean": [float(v) for v in new_mean],
            "new_std": [float(v) for v in new_std],
            "pixel_values": [float(v) for v in normalised[:, row, col]],
            "array": typed_array(normalised, "f4"),
        },
        visual={"channels": normalised, "stage": "normalise"},
    )
    return {
        "topic": "image",
        "hwc_shape": [h, w, c],
        "hwc_strides": hwc_strides,
        "chw_shape": [c, h, w],
        "chw_strides": view_strides,
        "mean": [float(v) for v in mean],
        "std": [float(v) for v in std],
        "normalised": typed_array(normalised, "f8"),
    }


def _storage_id(t: torch.Tensor) -> int:
    return int(t.untyped_storage().data_ptr())


def _tensor_state(t: torch.Tensor, base: torch.Tensor, code: str) -> dict[str, Any]:
    storage = torch.tensor([], dtype=t.dtype).set_(t.untyped_storage()).tolist()
    return {
        "code": code,
        "shape": list(t.shape),
        "strides": list(t.stride()),
        "contiguous": bool(t.is_contiguous()),
        "shares_storage": _storage_id(t) == _storage_id(base),
        "storage": [int(v) for v in storage],
        "values": [int(v) for v in t.flatten().tolist()],
    }


def reshape_frames(setup: TensorsSetup) -> Generator[Frame, None, dict[str, Any]]:
    a, b, c = setup.dims
    n = a * b * c
    x = torch.arange(n).reshape(a, b, c)
    steps: list[dict[str, Any]] = []

    def frame(kind: str, t: torch.Tensor, code: str, caption: str, **extra: Any) -> Frame:
        state = _tensor_state(t, x, code) | extra
        steps.append({"code": code, "shape": state["shape"], "strides": state["strides"]})
        return Frame(kind, caption, state, visual={"tensor": t.numpy().copy()})

    checkpoint()
    yield frame(
        "arange",
        x,
        f"x = torch.arange({n}).reshape({a}, {b}, {c})",
        f"x holds 0…{n - 1} in one row of memory (its storage) and reads it as shape {_tuple(x.shape)}. Strides "
        f"{_tuple(x.stride())}: to step along the last axis move 1 element, along the middle {c}, along the first "
        f"{b * c}. That is C order, so x is contiguous.",
    )
    v = x.view(a * b, c)
    checkpoint()
    yield frame(
        "view",
        v,
        f"x.view({a * b}, {c})",
        f"view({a * b}, {c}) reads the same storage as shape {_tuple(v.shape)}, strides {_tuple(v.stride())}: "
        "nothing is copied (it shares x's memory; change one and the other changes), only the shape and strides "
        "are new.",
    )
    t = x.transpose(1, 2)
    word = "still contiguous (an axis of size 1 never moves)" if t.is_contiguous() else "no longer contiguous"
    checkpoint()
    yield frame(
        "transpose",
        t,
        "t = x.transpose(1, 2)",
        f"transpose(1, 2) swaps the last two axes by swapping their strides: shape {_tuple(t.shape)}, strides "
        f"{_tuple(t.stride())}, same memory. Read in order, t's values jump around the storage, so t is {word}.",
    )
    try:
        failed = t.view(n)
        error = ""
    except RuntimeError as exc:
        failed = t
        error = str(exc).split(". ")[0].strip().rstrip(".") + "."
    if error:
        caption = (
            f"t.view({n}) fails — PyTorch says: “{error}” A view only re-reads memory, and t's order is not "
            f"the storage's order; reshape({n}) or contiguous() first would copy."
        )
    else:
        caption = f"t.view({n}) works here: t is contiguous (sizes of 1 do not move), so the same storage reads flat."
    checkpoint()
    yield frame("view_fails", failed, f"t.view({n})", caption, error=error)
    copied = t.contiguous()
    word = "copies" if _storage_id(copied) != _storage_id(x) else "keeps (already contiguous)"
    checkpoint()
    yield frame(
        "contiguous",
        copied,
        "t.contiguous()",
        f"contiguous() {word} t's values into new memory in reading order: strides {_tuple(copied.stride())}, the "
        f"C-order ones for {_tuple(copied.shape)}. Now view({n}) works — reshape() does exactly this when it must.",
    )
    p = x.permute(2, 0, 1)
    checkpoint()
    yield frame(
        "permute",
        p,
        "x.permute(2, 0, 1)",
        f"permute(2, 0, 1) puts the last axis first (as an image goes from (H, W, C) to (C, H, W)): shape "
        f"{_tuple(p.shape)}, strides {_tuple(p.stride())} — x's strides in the new order, no copy"
        f"{'' if p.is_contiguous() else ', not contiguous'}.",
    )
    f = p.flatten()
    shared = _storage_id(f) == _storage_id(x)
    first = ", ".join(str(int(v)) for v in f[: min(6, n)].tolist())
    checkpoint()
    yield frame(
        "flatten",
        f,
        "x.permute(2, 0, 1).flatten()",
        f"flatten() reads the permuted tensor in order into shape ({n},): {first}{', …' if n > 6 else ''} — "
        f"{'the same memory' if shared else 'a copy, since the permuted order is not the storage order'}. "
        "The numbers are the same; their order is what the shape and strides decide.",
    )
    return {"topic": "reshape", "steps": steps}
