"""The transposed-convolution explainer (``app.engines.transposed_conv``) against torch's ``conv_transpose2d`` on a
grid of sizes, kernels, strides, paddings, output paddings and dilations; its output-size arithmetic; its frames."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
from torch.nn import functional as F

from app.engines import transposed_conv as tc
from app.engines.segmentation_train import explain, explainer_numbers, torch_transposed


def _grid() -> list[tc.Geometry]:
    out = []
    for size, k, s, p, d in itertools.product((1, 2, 3, 5), (1, 2, 3, 4), (1, 2, 3), (0, 1, 2), (1, 2)):
        for op in range(max(s, d)):
            g = tc.Geometry(size, k, s, p, op, d)
            if g.out > 0:
                out.append(g)
    return out


GRID = _grid()


def test_the_grid_is_wide() -> None:
    assert len(GRID) > 400
    assert {g.output_padding for g in GRID} == {0, 1, 2} and {g.dilation for g in GRID} == {1, 2}


@pytest.mark.parametrize("seed", [0, 1])
def test_stamping_equals_conv_transpose2d_on_every_geometry(seed: int) -> None:
    rng = np.random.default_rng(seed)
    for g in GRID:
        x = rng.normal(size=(g.size, g.size))
        kernel = rng.normal(size=(g.kernel, g.kernel))
        ours = tc.transposed(x, kernel, g)
        theirs = F.conv_transpose2d(
            torch.from_numpy(x)[None, None],
            torch.from_numpy(kernel)[None, None],
            stride=g.stride,
            padding=g.padding,
            output_padding=g.output_padding,
            dilation=g.dilation,
        )[0, 0].numpy()
        assert ours.shape == theirs.shape == (g.out, g.out), g
        np.testing.assert_allclose(ours, theirs, atol=1e-12, err_msg=str(g))


def test_output_size_formula_in_numbers() -> None:
    g = tc.Geometry(size=3, kernel=3, stride=2, padding=1, output_padding=1, dilation=1)
    assert (g.full, g.out, g.canvas) == (7, 6, 8)
    assert g.arithmetic().endswith("(3 − 1)·2 − 2·1 + (3 − 1) + 1 + 1 = 6")
    dilated = tc.Geometry(size=2, kernel=3, stride=1, padding=0, output_padding=0, dilation=2)
    assert dilated.out == 6 and "2·(3 − 1)" in dilated.arithmetic()


def test_the_two_rules() -> None:
    assert tc.output_problem(tc.Geometry(3, 3, 2, 1, 1, 1)) is None
    field, msg = tc.output_problem(tc.Geometry(3, 3, 2, 1, 2, 1)) or ("", "")
    assert field == "tc_output_padding" and "output_padding is 2" in msg and "stride (2)" in msg
    field, msg = tc.output_problem(tc.Geometry(1, 1, 1, 1, 0, 1)) or ("", "")
    assert field == "tc_padding" and msg.endswith("= -1, which is not above 0 (less padding)")


def test_frames_stamp_every_pixel_once_and_end_at_torch() -> None:
    g = tc.Geometry(3, 3, 2, 1, 1, 1)
    x, kernel = explainer_numbers(np.random.default_rng(0), g)
    frames = list(explain(x, kernel, g))
    assert [f.kind for f in frames] == ["stamp"] * 9 + ["crop"]
    stamped = [tuple(p) for f in frames[:-1] for p in f.state["pixels"]]
    assert sorted(stamped) == [(i, j) for i in range(3) for j in range(3)]
    last = frames[-1]
    assert last.state["torch_difference"] == 0.0 and last.state["out_size"] == 6
    np.testing.assert_array_equal(torch_transposed(x, kernel, g), tc.transposed(x, kernel, g))
    # bigger inputs go a row per frame
    big = tc.Geometry(5, 2, 2, 0, 0, 1)
    xb, kb = explainer_numbers(np.random.default_rng(1), big)
    assert [len(f.state["pixels"]) for f in explain(xb, kb, big) if f.kind == "stamp"] == [5] * 5


def test_captions_say_the_frame_numbers() -> None:
    g = tc.Geometry(3, 3, 2, 1, 1, 1)
    x, kernel = explainer_numbers(np.random.default_rng(0), g)
    frames = list(explain(x, kernel, g))
    for n, f in enumerate(frames[:-1], start=1):
        (i, j) = f.state["pixels"][0]
        assert f"Input pixel ({i}, {j}) = {x[i, j]:g}" in f.caption
        assert f"corner at ({i}·2, {j}·2) = ({2 * i}, {2 * j})" in f.caption
        assert f"{n} of 9 pixels stamped" in f.caption
        overlaps = f.state["overlaps"]
        assert (f"{overlaps} canvas cell" in f.caption) if overlaps else ("No two stamps overlap" in f.caption)
    assert "= 6." in frames[-1].caption and "largest difference 0" in frames[-1].caption
