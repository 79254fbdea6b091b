"""The convolution lab's params and prepare (``app.schemas.convolution``, ``app.labs.convolution``): every image
source loads as a (C, H, W) tensor, grey is Pillow's own luma, inline pixels are checked against their shape, and
what would give no output is refused at the field at fault with the arithmetic — then the run equals torch."""

from __future__ import annotations

import base64

import numpy as np
import pytest
import torch
from PIL import Image
from pydantic import ValidationError
from torch.nn import functional as F

from app.core.frame import drain
from app.core.limits import DEFAULT_LIMITS, Limits
from app.core.typed_array import from_typed_array, typed_array
from app.engines.convolution_run import run
from app.labs.convolution import prepare
from app.schemas.common import ParamsError
from app.schemas.convolution import ConvolutionParams


def _params(**kw: object) -> ConvolutionParams:
    return ConvolutionParams.model_validate(kw, context={"limits": DEFAULT_LIMITS})


def test_each_source_loads_as_a_tensor() -> None:
    photo = prepare(_params(image={"name": "photo", "side": 40}, channels="rgb"), DEFAULT_LIMITS)
    assert photo.image.shape == (3, 27, 40) and photo.channel_names == ("red", "green", "blue")
    assert prepare(_params(image={"name": "digit", "index": 5}), DEFAULT_LIMITS).image.shape == (1, 8, 8)
    assert prepare(_params(image={"name": "shape", "side": 12}), DEFAULT_LIMITS).image.shape == (1, 12, 12)


def test_grey_is_pillows_luma() -> None:
    rgb = np.random.default_rng(0).integers(0, 256, (6, 7, 3), dtype=np.uint8)
    setup = prepare(_params(image={"name": "inline", **typed_array(rgb, "u1")}, channels="gray"), DEFAULT_LIMITS)
    pillow = np.asarray(Image.fromarray(rgb).convert("L"), dtype=np.float64)
    assert setup.image.shape == (1, 6, 7) and np.abs(setup.image[0] - pillow).max() <= 1.0  # Pillow rounds


@pytest.mark.parametrize(
    ("image", "words"),
    [
        ({"name": "inline", "dtype": "u1", "shape": [2, 2], "bdata": base64.b64encode(b"abc").decode()}, "3 bytes"),
        ({"name": "inline", "dtype": "u1", "shape": [2, 2, 2], "bdata": "AAAAAAAAAAA="}, "[H, W, 3]"),
        ({"name": "inline", "dtype": "u1", "shape": [2, 2], "bdata": "%%%"}, "base64"),
        ({"name": "photo", "side": 5000}, "4096"),
        ({"name": "digit", "index": 1797}, "1797"),
    ],
)
def test_bad_images_are_refused_at_the_image(image: dict, words: str) -> None:
    with pytest.raises(ValidationError) as info:
        _params(image=image)
    error = info.value.errors()[0]
    assert error["loc"][0] == "image" and words in str(error["msg"]) + str(error.get("ctx", ""))


def test_a_side_over_the_setting_is_refused() -> None:
    with pytest.raises(ValidationError, match="STEPWISE_MAX_IMAGE_SIDE"):
        ConvolutionParams.model_validate(
            {"image": {"name": "shape", "side": 64}}, context={"limits": Limits(max_image_side=32)}
        )


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"padding": "same", "stride": 2}, "padding", "stride 1"),
        (
            {"image": {"name": "digit"}, "dilation": 4, "padding": "valid"},
            "dilation",
            "H_out = ⌊(8 + 0 − 4·(3 − 1) − 1)/1⌋ + 1 = 0",
        ),
        (
            {
                "image": {"name": "digit"},
                "pool_size": 4,
                "pool_stride": 1,
                "kernel": "custom",
                "custom_kernel": [[[1] * 7] * 7],
            },
            "pool_size",
            "2×2 map",
        ),
        ({"kernel": "custom"}, "custom_kernel", "k × k"),
        ({"kernel": "custom", "custom_kernel": [[[1]], [[2]]], "channels": "rgb"}, "custom_kernel", "3 channel"),
    ],
)
def test_what_gives_no_output_names_the_field_and_the_arithmetic(params: dict, field: str, words: str) -> None:
    with pytest.raises(ParamsError) as info:
        prepare(_params(**params), DEFAULT_LIMITS)
    assert info.value.loc == (field,) and words in info.value.msg, info.value.msg


def test_a_wrong_custom_kernel_is_refused_by_the_schema() -> None:
    with pytest.raises(ValidationError, match="k × k with k one of"):
        _params(kernel="custom", custom_kernel=[[[1, 2], [3, 4]]])
    with pytest.raises(ValidationError, match="not 3 × 3"):
        _params(kernel="custom", custom_kernel=[[[1, 2, 3], [4, 5, 6], [7, 8]]])


def test_the_default_run_equals_torch() -> None:
    setup = prepare(_params(), DEFAULT_LIMITS)
    _, result = drain(run(setup))
    x = torch.from_numpy(setup.image)[None]
    out = F.conv2d(x, torch.from_numpy(setup.kernel)[None])[0, 0]
    assert np.allclose(from_typed_array(result["output"]), out.numpy(), atol=1e-6)
    pooled = F.max_pool2d(F.relu(out)[None, None], 2, 2)[0, 0]
    assert np.allclose(from_typed_array(result["pooled"]), pooled.numpy(), atol=1e-6)


def test_the_schemas_preset_numbers_are_the_engines() -> None:
    """The page's kernel grid starts from the params schema's ``x-presets``; they are the engine's kernels."""
    from app.engines.convolution import KERNEL_PRESETS
    from app.schemas.convolution import PRESET_NUMBERS, ConvolutionParams

    assert set(PRESET_NUMBERS) == set(KERNEL_PRESETS)
    for name, matrix in KERNEL_PRESETS.items():
        np.testing.assert_array_equal(np.asarray(PRESET_NUMBERS[name]), matrix, err_msg=name)
    hints = ConvolutionParams.model_json_schema()["properties"]["custom_kernel"]
    assert hints["x-plugin"] == "kernel-grid" and set(hints["x-presets"]) == set(KERNEL_PRESETS)
