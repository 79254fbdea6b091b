"""The tensors lab (issue 17): data as tensors — an image's (H, W, C) → (C, H, W), shapes and strides, a table's
categories and scales, text to one-hot, a series cut into windows. One ``topic`` per run.

``prepare`` loads what the topic needs (the picture as uint8 (H, W, C), iris' columns) and refuses, at
``window``, a series too short for one example (window + horizon > length), naming the length.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import numpy as np

from app.core.algorithm import Algorithm
from app.core.frame import Frame
from app.core.limits import Limits
from app.core.typed_array import from_typed_array
from app.datasets import images
from app.datasets.multivariate import table
from app.engines import tensors_data
from app.engines.tensors import IrisTable, TensorsSetup, image_frames, reshape_frames
from app.schemas.common import ParamsError
from app.schemas.convolution import DigitImage, InlineImage, PhotoImage, ShapeImage
from app.schemas.frames import tensors as frames
from app.schemas.tensors import TensorsParams
from app.views.tensors import TensorsView

SEPAL_LENGTH, PETAL_LENGTH = 0, 2  # iris' columns


def _pixels(image: Any) -> np.ndarray:
    """The picture as uint8 (H, W, C)."""
    if isinstance(image, DigitImage):
        return np.asarray(images.digits().images[image.index])
    if isinstance(image, PhotoImage):
        return np.asarray(images.photo(image.which, image.side).images[0])
    if isinstance(image, ShapeImage):
        return np.asarray(images.shapes(1, image.side, seed=image.seed, noise=image.noise).images[0])
    assert isinstance(image, InlineImage)
    pixels = from_typed_array(image.model_dump())
    return pixels if pixels.ndim == 3 else pixels[..., None]


def _at(percent: int, size: int) -> int:
    """The pixel ``percent`` % of the way along ``size`` pixels (0: the first, 100: the last)."""
    return int(percent * (size - 1) / 100 + 0.5)


def prepare(params: TensorsParams, limits: Limits) -> TensorsSetup:
    if params.topic == "image":
        pixels = np.ascontiguousarray(_pixels(params.image), dtype=np.uint8)
        names = ("red", "green", "blue") if pixels.shape[2] == 3 else ("grey",)
        h, w = pixels.shape[:2]
        pixel = (_at(params.pixel_y, h), _at(params.pixel_x, w))
        return TensorsSetup(
            topic=params.topic, pixels=pixels, channel_names=names, pixel=pixel, normalise=params.normalise
        )
    if params.topic == "reshape":
        return TensorsSetup(topic=params.topic, dims=(params.dim0, params.dim1, params.dim2))
    if params.topic == "table":
        X, y, _, class_names = table("iris")
        iris = IrisTable(
            sepal_length=X[:, SEPAL_LENGTH].copy(),
            petal_length=X[:, PETAL_LENGTH].copy(),
            species=tuple(class_names[int(c)] for c in y),
        )
        return TensorsSetup(topic=params.topic, table=iris, rows=params.rows)
    if params.topic == "text":
        return TensorsSetup(topic=params.topic, text=params.text)
    if params.window + params.horizon > params.length:
        total = params.window + params.horizon
        raise ParamsError(
            ("window",),
            f"window {params.window} + horizon {params.horizon} = {total} is more than the series length "
            f"{params.length}: not one example fits (shorten the window or lengthen the series)",
        )
    return TensorsSetup(
        topic=params.topic,
        series=params.series,
        length=params.length,
        period=params.period,
        noise=params.noise,
        window=params.window,
        horizon=params.horizon,
    )


def _run(
    setup: TensorsSetup, params: TensorsParams, rng: np.random.Generator
) -> Generator[Frame, None, dict[str, Any]]:
    if setup.topic == "image":
        return image_frames(setup)
    if setup.topic == "reshape":
        return reshape_frames(setup)
    if setup.topic == "table":
        return tensors_data.table_frames(setup, rng)
    if setup.topic == "text":
        return tensors_data.text_frames(setup)
    return tensors_data.series_frames(setup, rng)


TENSORS: Algorithm[TensorsParams, TensorsSetup] = Algorithm(
    id="tensors",
    title="Tensors and encodings: images, tables, text, time",
    family="neural",
    summary=(
        "How data becomes the arrays a network reads, one step at a time: a photo as an (H, W, C) array of bytes "
        "permuted to (C, H, W), its colour channels, ÷ 255 and normalised per channel; shapes and strides through "
        "view, transpose (and why view then fails), contiguous, permute and flatten; iris' rows with a categorical "
        "and a derived ordinal column as ordinal codes, one-hot and scaled numbers, and what each choice implies; "
        "text as ASCII codes, a vocabulary and one-hot rows; a sine cut into windows and horizons for an RNN."
    ),
    days=(46, 47, 48, 49),
    params_model=TensorsParams,
    prepare=prepare,
    engine=_run,
    view=TensorsView(),
    frame_model=frames.TensorsFrame,
    result_model=frames.TensorsResult,
)

ALGORITHMS: tuple[Algorithm[Any, Any], ...] = (TENSORS,)
