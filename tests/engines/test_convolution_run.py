"""The convolution lab's frames (``app.engines.convolution_run``): every slide frame's value is torch's output
at its position and its products are window × kernel; the output fills in order; ReLU and pooling frames follow;
the result equals ``conv2d`` and ``max_pool2d`` / ``avg_pool2d`` to 1e-6; captions carry this run's arithmetic."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
from torch.nn import functional as F

from app.core.frame import drain
from app.core.typed_array import from_typed_array
from app.engines import convolution as conv
from app.engines.convolution_run import MOST_POSITION_FRAMES, MOST_ROW_FRAMES, ConvSetup, run


def _setup(c: int, h: int, w: int, **kw: object) -> ConvSetup:
    rng = np.random.default_rng(h * 31 + w)
    args: dict = {
        "image": rng.integers(0, 256, (c, h, w)).astype(np.float64),
        "channel_names": ("red", "green", "blue")[:c] if c == 3 else ("grey",),
        "kernel": np.repeat(conv.KERNEL_PRESETS["sobel_x"][None], c, axis=0),
        "kernel_name": "Sobel-x",
        "padding": "valid",
        "stride": 1,
        "dilation": 1,
        "activation": "relu",
        "pooling": "max",
        "pool_size": 2,
        "pool_stride": 2,
    }
    args.update(kw)
    return ConvSetup(**args)


def _torch(setup: ConvSetup) -> torch.Tensor:
    x = torch.from_numpy(setup.image)[None]
    weight = torch.from_numpy(setup.kernel)[None]
    return F.conv2d(x, weight, padding=setup.padding, stride=setup.stride, dilation=setup.dilation)[0, 0]


def test_a_small_image_is_shown_position_by_position_and_matches_torch() -> None:
    setup = _setup(3, 8, 9)
    frames, result = drain(run(setup))
    expected = _torch(setup).numpy()  # (6, 7)
    kinds = [f.kind for f in frames]
    assert kinds[:2] == ["tensor", "padding"] and kinds.count("slide") == expected.size == 42
    assert kinds.count("activation") == 1 and kinds.count("pool") == 3 * 3
    slides = [f for f in frames if f.kind == "slide"]
    for i, frame in enumerate(slides):
        row, col = frame.state["position"]
        assert (row, col) == divmod(i, 7), "row by row, left to right"
        window, products = np.array(frame.state["window"]), np.array(frame.state["products"])
        assert np.allclose(products, window * setup.kernel)
        assert frame.state["value"] == pytest.approx(expected[row, col], abs=1e-9)
        shown = from_typed_array(frame.state["output"])
        assert np.isnan(shown).sum() == expected.size - i - 1, "filled up to this position, NaN after"
    assert np.allclose(from_typed_array(result["output"]), expected, atol=1e-6)
    relu = np.maximum(expected, 0)
    assert np.allclose(from_typed_array(result["activated"]), relu)
    pooled = F.max_pool2d(torch.from_numpy(relu)[None, None], 2, 2)[0, 0].numpy()
    assert np.allclose(from_typed_array(result["pooled"]), pooled, atol=1e-6) and result["pooled_shape"] == [3, 3]


@pytest.mark.parametrize(("padding", "stride", "dilation"), [("same", 1, 2), (2, 3, 1), ("valid", 2, 2)])
def test_a_large_image_is_shown_row_by_row_with_the_arithmetic_said(
    padding: str | int, stride: int, dilation: int
) -> None:
    setup = _setup(1, 30, 41, padding=padding, stride=stride, dilation=dilation, pooling="avg", activation="none")
    frames, result = drain(run(setup))
    expected = _torch(setup).numpy()
    assert expected.size > MOST_POSITION_FRAMES
    slides = [f for f in frames if f.kind == "slide"]
    assert len(slides) == expected.shape[0] and "activation" not in {f.kind for f in frames}
    assert result["output_shape"] == list(expected.shape) and result["activated"] is None
    assert np.allclose(from_typed_array(result["output"]), expected, atol=1e-6)
    pad = setup.pad
    arithmetic = f"H_out = ⌊(30 + {pad.top + pad.bottom} − {dilation}·(3 − 1) − 1)/{stride}⌋ + 1 = {expected.shape[0]}"
    assert arithmetic in frames[1].caption
    assert f"= {expected.shape[1]}" in frames[1].caption
    pooled = F.avg_pool2d(torch.from_numpy(expected)[None, None], 2, 2)[0, 0].numpy()
    assert np.allclose(from_typed_array(result["pooled"]), pooled, atol=1e-6)


def test_the_tensor_frame_says_shape_and_strides() -> None:
    frames, _ = drain(run(_setup(3, 8, 9, pooling="none")))
    assert frames[0].state == {"shape": [3, 8, 9], "strides": [72, 9, 1]}
    assert "(3, 8, 9) tensor" in frames[0].caption and "72 bytes" in frames[0].caption


def test_a_tall_map_is_filled_in_bands_and_the_last_band_completes_it() -> None:
    """More than MOST_ROW_FRAMES output rows: each frame fills a band (its caption says which rows), the bands
    tile the map without gaps, and the last frame's map is torch's conv2d."""
    setup = _setup(1, 70, 12, pooling="max", pool_size=2, pool_stride=2)  # 68 × 10 output, 34 × 5 pooled
    frames, result = drain(run(setup))
    slides = [f for f in frames if f.kind == "slide"]
    bands = [f.visual["rows"] for f in slides]
    assert len(slides) <= MOST_ROW_FRAMES and bands[0][0] == 0 and bands[-1][1] == 67
    assert all(b[0] == a[1] + 1 for a, b in itertools.pairwise(bands))  # contiguous, no row twice
    assert slides[1].caption.startswith(f"Output rows {bands[1][0]}–{bands[1][1]}:")
    last = from_typed_array(slides[-1].state["output"])
    np.testing.assert_allclose(last, _torch(setup).numpy(), rtol=1e-5, atol=1e-3)  # f4 display copy
    first = from_typed_array(slides[0].state["output"])
    assert np.isnan(first[bands[0][1] + 1 :]).all() and not np.isnan(first[: bands[0][1] + 1]).any()
    pools = [f for f in frames if f.kind == "pool"]
    assert len(pools) <= MOST_ROW_FRAMES
    np.testing.assert_allclose(
        from_typed_array(pools[-1].state["output"]), from_typed_array(result["pooled"]), rtol=1e-6
    )
