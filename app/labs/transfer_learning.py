"""The `transfer-learning` lab (issue 16): a small CNN trained on digits 0–4 (the shipped backbone, regenerated
bit for bit by ``scripts/make_transfer_backbone.py``) reused for digits 5–9 with 10–200 labels, four ways raced
side by side: from scratch, feature extraction, fine-tuning, gradual unfreezing.

``prepare`` splits the target digits: ``labelled`` of them to train on, stratified and drawn by ``split_seed``
(scikit-learn's ``train_test_split``), every other 5–9 digit to test on. The run's seed draws every mode's new
layers and batch order (the same for each mode).
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
from app.engines import transfer_model, transfer_train
from app.schemas.common import ParamsError
from app.schemas.frames import transfer_learning as frames
from app.schemas.transfer_learning import TransferLearningParams
from app.views.transfer_learning import TransferView


@dataclass(frozen=True)
class TransferInputs:
    data: transfer_train.TargetData
    backbone: transfer_model.Backbone
    modes: tuple[str, ...]
    blocks: tuple[str, ...]
    epochs: int


def split_target(y: np.ndarray, labelled: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices of ``labelled`` training images (stratified) and of the rest; a 422 at ``labelled`` when the
    target digits cannot spare that many and still test every class."""
    k = int(np.unique(y).size)
    if labelled < k or labelled > y.size - k:
        raise ParamsError(
            ("labelled",),
            f"labelled is {labelled}, but the {y.size} target digits 5–9 need at least {k} labelled (one of each "
            f"digit) and leave at least {k} to test on: at most {y.size - k}",
        )
    train, test = train_test_split(np.arange(y.size), train_size=labelled, stratify=y, random_state=seed)
    return np.asarray(train, dtype=np.int64), np.asarray(test, dtype=np.int64)


def _prepare(params: TransferLearningParams, limits: Limits) -> TransferInputs:
    X, y = transfer_model.digit_task(transfer_model.TARGET_DIGITS)
    train, test = split_target(y, params.labelled, params.split_seed)
    data = transfer_train.TargetData(X[train], y[train], X[test], y[test])
    return TransferInputs(data, transfer_model.backbone(), tuple(params.modes), transfer_model.BLOCKS, params.epochs)


def _run(
    inputs: TransferInputs, params: TransferLearningParams, rng: np.random.Generator
) -> Generator[Frame, None, dict[str, Any]]:
    plan = transfer_train.RacePlan(
        modes=inputs.modes,
        epochs=params.epochs,
        lr=float(params.lr),
        fine_tune_lr_factor=float(params.fine_tune_lr_factor),
        unfreeze_every=params.unfreeze_every,
        batch_size=params.batch_size,
        backbone=inputs.backbone.state,
        source_accuracy=inputs.backbone.source_accuracy,
    )
    return transfer_train.run(inputs.data, plan, seed=int(rng.integers(0, 2**62)))


TRANSFER: Algorithm[TransferLearningParams, TransferInputs] = Algorithm(
    id="transfer-learning",
    title="Transfer learning and fine-tuning",
    family="cnn",
    summary=(
        "Reuse a small CNN trained on digits 0–4 to read digits 5–9 from only a few labelled examples, and race "
        "four ways to do it: from scratch, feature extraction (frozen backbone, new head), fine-tuning with a "
        "smaller learning rate, and unfreezing block by block. Watch the test-accuracy curves, which layers are "
        "frozen, and how far each layer's weights move from the backbone."
    ),
    days=(44, 64),
    params_model=TransferLearningParams,
    prepare=_prepare,
    engine=_run,
    view=TransferView(),
    frame_model=frames.TransferFrame,
    result_model=frames.TransferResult,
)

ALGORITHMS: tuple[Algorithm[Any, Any], ...] = (TRANSFER,)
