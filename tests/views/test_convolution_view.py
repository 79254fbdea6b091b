"""The convolution view draws what the frames carry: the padded input, the kernel, the products, the output map
filling in, the pooled map; the window rectangle where the frame's position says; a phone layout."""

from __future__ import annotations

import base64
from typing import Any

import numpy as np

from app.core.frame import drain
from app.core.limits import DEFAULT_LIMITS
from app.engines import convolution as conv
from app.engines.convolution_run import run
from app.labs.convolution import prepare
from app.schemas.convolution import ConvolutionParams
from app.views.convolution import FEATURE, INPUT, KERNEL, POOLED, PRODUCTS, ConvolutionView

VIEW = ConvolutionView()


def _z(trace: dict[str, Any]) -> np.ndarray:
    rows, cols = (int(n) for n in trace["z"]["shape"].split(","))
    return np.frombuffer(base64.b64decode(trace["z"]["bdata"]), dtype="<f4").reshape(rows, cols)


def _setup(**params: Any) -> Any:
    return prepare(ConvolutionParams.model_validate(params, context=None), DEFAULT_LIMITS)


def test_the_scene_draws_the_padded_input_and_the_kernel() -> None:
    setup = _setup(image={"name": "digit", "index": 5}, padding=1, kernel="laplacian")
    scene = VIEW.scene(setup, None)
    padded = _z(scene["data"][INPUT])
    assert padded.shape == (10, 10)  # 8 × 8 digit and one zero on every side
    assert (padded[0] == 0).all() and (padded[:, -1] == 0).all()
    np.testing.assert_allclose(padded[1:-1, 1:-1], setup.image[0], rtol=1e-6)
    np.testing.assert_array_equal(_z(scene["data"][KERNEL]), conv.KERNEL_PRESETS["laplacian"])
    assert scene["layout"]["yaxis"]["range"] == [9.5, -0.5]  # row 0 on top, exactly the padded rows
    assert set(scene["x-phases"]) == {"tensor", "padding", "slide", "activation", "pool"}
    assert scene["x-narrow"]["width"] > 390


def test_a_position_frame_marks_its_window_and_its_products() -> None:
    setup = _setup(image={"name": "digit", "index": 5}, stride=2, kernel="sobel_y")  # 3 × 3 outputs: by position
    frames, result = drain(run(setup))
    slides = [f for f in frames if f.kind == "slide"]
    assert len(slides) == 9
    frame = slides[4]  # output (1, 1): window rows 2–4, columns 2–4
    assert frame.state["position"] == [1, 1]
    patch = VIEW.render(frame, setup, None)
    window = next(s for s in patch["layout"]["shapes"] if s["xref"] == "x")
    assert (window["x0"], window["x1"], window["y0"], window["y1"]) == (1.5, 4.5, 1.5, 4.5)
    products = _z(patch["data"][PRODUCTS])
    np.testing.assert_allclose(products, np.asarray(frame.state["products"]).sum(axis=0), rtol=1e-6)
    assert abs(float(products.sum()) - frame.state["value"]) < 1e-3
    assert "sum" in patch["layout"]["xaxis3"]["title"]["text"]
    output = _z(patch["data"][FEATURE])
    exact = np.frombuffer(base64.b64decode(result["output"]["bdata"]), dtype="<f8").reshape(3, 3)
    np.testing.assert_allclose(output.ravel()[:5], exact.ravel()[:5], rtol=1e-6)  # computed so far
    assert np.isnan(output.ravel()[5:]).all()  # the rest not yet
    assert patch["layout"]["xaxis4"]["title"]["text"] == "output 3×3"


def test_a_dilated_window_marks_each_pixel_it_reads() -> None:
    setup = _setup(image={"name": "digit", "index": 3}, dilation=2, kernel="laplacian")  # 4 × 4 outputs
    frames, _ = drain(run(setup))
    frame = [f for f in frames if f.kind == "slide"][5]  # output (1, 1): taps at rows and columns 1, 3, 5
    assert frame.state["position"] == [1, 1]
    shapes = VIEW.render(frame, setup, None)["layout"]["shapes"]
    taps = sorted(((s["y0"] + s["y1"]) / 2, (s["x0"] + s["x1"]) / 2) for s in shapes if s["line"]["width"] == 0)
    assert taps == [(float(r), float(c)) for r in (1, 3, 5) for c in (1, 3, 5)]
    window = next(s for s in shapes if s["xref"] == "x" and s["line"]["width"] > 0)
    assert (window["x0"], window["x1"]) == (0.5, 5.5)  # the window spans d(k − 1) + 1 = 5 pixels


def test_row_frames_and_the_pooled_map() -> None:
    setup = _setup()  # the defaults: a 48-px photo, row by row, ReLU, 2 × 2 max pooling
    frames, result = drain(run(setup))
    row = next(f for f in frames if f.kind == "slide")
    patch = VIEW.render(row, setup, None)
    band = next(s for s in patch["layout"]["shapes"] if s["xref"] == "x")
    assert band["x0"] == -0.5 and band["x1"] == setup.image.shape[2] - 0.5  # the whole row of windows
    pools = [f for f in frames if f.kind == "pool"]
    last = VIEW.render(pools[-1], setup, None)
    pooled = _z(last["data"][POOLED])
    exact = np.frombuffer(base64.b64decode(result["pooled"]["bdata"]), dtype="<f8").reshape(result["pooled_shape"])
    np.testing.assert_allclose(pooled, exact, rtol=1e-6)
    assert last["layout"]["xaxis5"]["title"]["text"] == f"pooled {exact.shape[0]}×{exact.shape[1]}"
    assert any(s["xref"] == "x4" for s in last["layout"]["shapes"])  # the pooling window on the feature map


def test_a_colour_image_is_drawn_as_a_picture() -> None:
    setup = _setup(channels="rgb", image={"name": "photo", "which": "china", "side": 16})
    scene = VIEW.scene(setup, None)
    picture = np.asarray(scene["data"][INPUT]["z"])
    assert scene["data"][INPUT]["type"] == "image" and picture.shape == (*setup.padded.shape[1:], 3)
