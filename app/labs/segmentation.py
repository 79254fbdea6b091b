"""The `segmentation` lab (issue 16): per-pixel classification with a tiny encoder–decoder whose decoder upsamples
by transposed convolutions, opened with an explainer of what one transposed convolution does.

Classes: 0 background, 1 circle, 2 square, 3 triangle (the shapes generator's masks, drawn with the three solid
kinds only: stripes, the fourth kind, is left out). ``prepare`` draws the images, splits them (stratified by the
shape, seeded by the data seed, as the scene draws the test images before the engine runs) and checks what needs
arithmetic: output_padding against the stride, an empty explainer output, the parameter count and the training
work (each a 422 naming the field with the numbers). The data seed draws the explainer's small integer input and
kernel (so the scene can show the finished example); the run's seed draws the initial weights and the batch order.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from sklearn.model_selection import train_test_split

from app.core.algorithm import Algorithm
from app.core.frame import Frame
from app.core.limits import Limits
from app.core.text import fmt_count
from app.datasets.images import shapes
from app.engines import segmentation_train as train
from app.engines import transposed_conv as tc
from app.engines.segmentation_model import NetSpec, layer_rows, parameter_count
from app.schemas.common import ParamsError
from app.schemas.frames import segmentation as frames
from app.schemas.segmentation import SegmentationParams
from app.views.segmentation import SegmentationView

SHAPE_KINDS = ("circle", "square", "triangle")
CLASS_NAMES = ("background", *SHAPE_KINDS)


@dataclass(frozen=True)
class ShapesSource:
    """Which images the run trains on: drawn on first use (after the explainer's frames), kept for reuse."""

    n_samples: int
    side: int
    noise: float
    seed: int
    n_test: int

    def load(self) -> train.SegData:
        return _load(self)


@lru_cache(maxsize=4)
def _load(source: ShapesSource) -> train.SegData:
    """The shapes drawn and split, stratified by the shape (the split seeded by the data seed)."""
    images = shapes(source.n_samples, source.side, seed=source.seed, noise=source.noise, kinds=SHAPE_KINDS)
    assert images.labels is not None and images.masks is not None  # shapes are labelled and masked
    train_idx, test_idx = train_test_split(
        np.arange(source.n_samples), test_size=source.n_test, stratify=images.labels, random_state=source.seed
    )
    X = np.ascontiguousarray(
        (images.images.astype(np.float32) / np.float32(255.0)).transpose(0, 3, 1, 2)
    )  # (n, S, S, 1) → (n, 1, S, S)
    Y = images.masks.astype(np.int64)  # (n, S, S)
    return train.SegData(X[train_idx], Y[train_idx], X[test_idx], Y[test_idx], CLASS_NAMES)


@dataclass(frozen=True)
class SegInputs:
    """The images to draw, the explainer's example and the network's sizes. Nothing here needs the images, so
    the first (explainer) frame comes before any image is drawn."""

    source: ShapesSource
    geometry: tc.Geometry
    explainer_input: np.ndarray  # (H, H) float64 small integers
    explainer_kernel: np.ndarray  # (k, k) float64 small integers
    explainer_canvas: np.ndarray  # (C, C): every input pixel stamped, before the crop (the view draws it)
    net: NetSpec
    shown: int

    @property
    def class_names(self) -> tuple[str, ...]:
        return CLASS_NAMES

    @property
    def data(self) -> train.SegData:
        """The split images (drawn on first use)."""
        return self.source.load()


def geometry_of(params: SegmentationParams) -> tc.Geometry:
    return tc.Geometry(
        size=params.tc_size,
        kernel=params.tc_kernel,
        stride=params.tc_stride,
        padding=params.tc_padding,
        output_padding=params.tc_output_padding,
        dilation=params.tc_dilation,
    )


def _prepare(params: SegmentationParams, limits: Limits) -> SegInputs:
    g = geometry_of(params)
    problem = tc.output_problem(g)
    if problem is not None:
        raise ParamsError((problem[0],), problem[1])
    net = NetSpec(
        channels=1, classes=len(CLASS_NAMES), width=params.width, up_kernel=params.up_kernel, skip=params.skip
    )
    total = parameter_count(net)
    if total > limits.max_cnn_parameters:
        raise ParamsError(
            ("width",),
            f"the network has {fmt_count(total)} parameters; at most {fmt_count(limits.max_cnn_parameters)} are "
            "allowed (STEPWISE_MAX_CNN_PARAMETERS)",
        )
    n_test = int(np.ceil(params.test_fraction * params.n_samples))
    n_train = params.n_samples - n_test
    per_image = sum(row[2] for row in layer_rows(net, params.side))
    work = per_image * n_train * params.epochs
    if work > limits.max_cnn_work:
        raise ParamsError(
            ("epochs",),
            f"{params.epochs} epochs × {fmt_count(n_train)} training images × {fmt_count(per_image)} "
            f"multiply-adds per image = {work:.3g}, more than the {limits.max_cnn_work:.3g} one run may train "
            "(STEPWISE_MAX_CNN_WORK): fewer epochs, images or a smaller width",
        )
    source = ShapesSource(params.n_samples, params.side, params.noise, params.data_seed, n_test)
    x, kernel = train.explainer_numbers(np.random.default_rng(params.data_seed), g)
    return SegInputs(source, g, x, kernel, tc.full_canvas(x, kernel, g), net, min(params.shown, n_test))


def _run(
    inputs: SegInputs, params: SegmentationParams, rng: np.random.Generator
) -> Generator[Frame, None, dict[str, Any]]:
    plan = train.SegPlan(
        geometry=inputs.geometry,
        net=inputs.net,
        lr=float(params.lr),
        batch_size=params.batch_size,
        epochs=params.epochs,
        shown=inputs.shown,
    )
    return train.run(
        inputs.source.load,
        plan,
        x=inputs.explainer_input,
        kernel=inputs.explainer_kernel,
        seed=int(rng.integers(0, 2**62)),
    )


SEGMENTATION: Algorithm[SegmentationParams, SegInputs] = Algorithm(
    id="segmentation",
    title="Segmentation (transposed convolutions)",
    family="cnn",
    summary=(
        "Class every pixel of synthetic shapes as background, circle, square or triangle with a tiny "
        "encoder–decoder whose decoder upsamples by transposed convolutions (with optional U-Net skips): first "
        "watch one transposed convolution stamp its kernel pixel by pixel, then the predicted masks sharpen epoch "
        "by epoch beside each class's IoU."
    ),
    days=(42,),
    params_model=SegmentationParams,
    prepare=_prepare,
    engine=_run,
    view=SegmentationView(),
    frame_model=frames.SegmentationFrame,
    result_model=frames.SegmentationResult,
)

ALGORITHMS: tuple[Algorithm[Any, Any], ...] = (SEGMENTATION,)
