"""The `separable-conv` lab (issue 16, day 41): Xception's depthwise-separable convolution.

On a colour photo: a depthwise k×k conv channel by channel, then the 1×1 pointwise mix output by output, beside
the standard k×k conv that computes the same maps; the parameters and multiply-adds of both by formula and
measured, and their ratio as k and C_out change. Then a small standard CNN and its separable twin trained on the
digits with the same batches, and their accuracy against their parameter count.

``prepare`` checks what needs the data: a kernel larger than the photo (an empty output: a 422 at ``kernel``
with the arithmetic), and the networks' parameters and training work (``Limits.max_cnn_parameters`` /
``max_cnn_work``). The digits (all of them, or a stratified sample of ``digits``) are split stratified and
seeded by 0, as the CNN lab's are; the run's
seed draws both networks' initial weights (the same seed for each) and the batch order (shared).
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.model_selection import train_test_split

from app.core.algorithm import Algorithm
from app.core.frame import Frame
from app.core.limits import Limits
from app.core.text import fmt_count
from app.datasets.images import digits
from app.engines import separable_explain, separable_run, separable_train
from app.engines.cnn_train import CnnData
from app.schemas.common import ParamsError
from app.schemas.frames import separable_conv as frames
from app.schemas.separable_conv import SeparableConvParams
from app.views.separable_conv import SeparableConvView

TEST_FRACTION = 0.25


@dataclass(frozen=True)
class SeparableInputs:
    """The photo, the split digits and the two networks' parameter counts (known before training)."""

    photo: np.ndarray  # (H, W, 3) uint8
    explained: separable_explain.Explained
    data: CnnData
    parameters: dict[str, int]

    @property
    def sweep_kernels(self) -> tuple[int, ...]:
        return separable_explain.SWEEP_KERNELS

    @property
    def sweep_outputs(self) -> tuple[int, ...]:
        return separable_explain.SWEEP_OUTPUTS


def plan_of(params: SeparableConvParams) -> separable_train.PairPlan:
    return separable_train.PairPlan(
        conv1=params.conv1_filters,
        conv2=params.conv2_filters,
        optimizer=params.optimizer,
        lr=float(params.lr),
        batch_size=params.batch_size,
        epochs=params.epochs,
    )


def _prepare(params: SeparableConvParams, limits: Limits) -> SeparableInputs:
    photo = params.image.load().images[0]  # (H, W, 3) uint8
    h, w = int(photo.shape[0]), int(photo.shape[1])
    k = params.kernel
    if k > min(h, w):
        raise ParamsError(
            ("kernel",),
            f"a {k}×{k} kernel on the {h} × {w} photo (no padding) gives an output of ({h} − {k} + 1) × ({w} − {k} "
            f"+ 1) = {h - k + 1} × {w - k + 1}: a size ≤ 0. Use a kernel of at most {min(h, w)} or a larger photo",
        )
    images = digits()
    assert images.labels is not None
    X = np.ascontiguousarray(
        (images.images.astype(np.float32) / np.float32(255.0)).transpose(0, 3, 1, 2)
    )  # (n, H, W, C) → (n, C, H, W)
    rows = np.arange(images.labels.size)
    if params.digits < rows.size:  # a stratified sample, seeded like the split (all of them: no sampling)
        rows, _ = train_test_split(rows, train_size=params.digits, stratify=images.labels, random_state=0)
        rows = np.sort(rows)
    train, test = train_test_split(rows, test_size=TEST_FRACTION, stratify=images.labels[rows], random_state=0)
    data = CnnData(X[train], images.labels[train], X[test], images.labels[test], images.class_names)
    plan = plan_of(params)
    in_shape = (int(X.shape[1]), int(X.shape[2]), int(X.shape[3]))
    counts, work = {}, 0
    for name in separable_train.MODELS:
        model = separable_train.build_model(name, plan, in_shape, len(images.class_names), 0)
        counts[name] = separable_train.parameter_count(model)
        work += separable_train.macs_per_image(model, in_shape)
    if max(counts.values()) > limits.max_cnn_parameters:
        raise ParamsError(
            ("conv2_filters",),
            f"the standard network has {fmt_count(counts['standard'])} parameters; at most "
            f"{fmt_count(limits.max_cnn_parameters)} are allowed (STEPWISE_MAX_CNN_PARAMETERS)",
        )
    n_train = int(train.size)
    total = work * n_train * params.epochs
    if total > limits.max_cnn_work:
        raise ParamsError(
            ("epochs",),
            f"{params.epochs} epochs × {fmt_count(n_train)} training digits × {fmt_count(work)} multiply-adds per "
            f"digit (both networks) = {total:.3g}, more than the {limits.max_cnn_work:.3g} one run may train "
            "(STEPWISE_MAX_CNN_WORK): fewer epochs or filters",
        )
    channels = np.ascontiguousarray(photo.transpose(2, 0, 1), dtype=np.float32) / np.float32(255.0)  # (C, H, W)
    explained = separable_explain.explain(channels, k, params.out_channels)
    return SeparableInputs(photo=photo, explained=explained, data=data, parameters=counts)


def _run(
    inputs: SeparableInputs, params: SeparableConvParams, rng: np.random.Generator
) -> Generator[Frame, None, dict[str, Any]]:
    return separable_run.run(
        inputs.photo,
        inputs.explained,
        inputs.data,
        plan_of(params),
        seed=int(rng.integers(0, 2**62)),
    )


SEPARABLE_CONV: Algorithm[SeparableConvParams, SeparableInputs] = Algorithm(
    id="separable-conv",
    title="Depthwise-separable convolution",
    family="cnn",
    summary=(
        "Xception's depthwise-separable convolution on a colour photo: a k×k kernel per channel, then a 1×1 mix of "
        "the channels, beside the standard convolution that makes the same maps; the parameters and multiply-adds "
        "of both by formula and measured as k and C_out change; then a small standard CNN and its separable twin "
        "trained on digits, accuracy against parameters."
    ),
    days=(41,),
    params_model=SeparableConvParams,
    prepare=_prepare,
    engine=_run,
    view=SeparableConvView(),
    frame_model=frames.SeparableConvFrame,
    result_model=frames.SeparableConvResult,
)

ALGORITHMS: tuple[Algorithm[Any, Any], ...] = (SEPARABLE_CONV,)
