"""What every supervised 2-D lab prepares: the checks that need the data and the seeded train/test split.

``prepare_classifier``: labels present, 2 features, 2+ classes (exactly 2 when ``binary``), the stratified
split; a count param beyond the training rows is clamped to them (a ``Clamp`` in the inputs). The split is
seeded by the dataset's own seed (0 for inline data), not the run's: the scene, drawn before the engine starts,
shows which points are test points, and changing the run seed changes only the training, against the same
held-out points. ``prepare_regressor``: the same for 1 or 2 features and a number to predict (a plain seeded
permutation; there are no classes to stratify by).
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np

from app.core.algorithm import Clamp
from app.datasets import Dataset
from app.datasets.regression import RegressionData
from app.engines.boundary import bounds, random_split, split
from app.labs.checks import clamp_count, require_2d, require_classes, require_labels
from app.labs.inputs import BoundaryInputs, RegressionInputs
from app.schemas.common import ParamsError

MAX_CLASSES = 10
SPLIT_STREAM = 0x5B11
"""Mixed into the data seed so the split's random stream differs from the generator's own."""
COUNT_WORDS = {"k": ("k", ""), "batch_size": ("batch size", ": every step uses all of them (full batch)")}
"""How a clamped count param reads in its note, and what the run does instead (default: its name, nothing)."""


class SplitParams(Protocol):
    """The params every supervised lab has."""

    @property
    def dataset(self) -> Any: ...

    @property
    def test_fraction(self) -> float: ...


def data_seed(dataset: object) -> int:
    """The dataset's own seed (0 for inline data): what the split is seeded by."""
    return int(getattr(dataset, "seed", 0))


def classifier_inputs(
    data: Dataset,
    params: SplitParams,
    *,
    binary: bool = False,
    count: str | None = None,
    count_words: tuple[str, str] | None = None,
    more_classes: str = "try logistic regression or k-NN for more",
) -> BoundaryInputs:
    """The checks and the split of ``data`` (already loaded). ``count``: the param ("k", "n_neighbors")
    clamped to the training points; ``count_words``: (its name in words, what happens instead);
    ``more_classes``: where a binary lab sends a dataset of more classes (a lab never sends it to itself)."""
    labelled = require_labels(data, "this lab")
    require_2d(data, "this lab")
    labels, y = require_classes(
        labelled,
        "a binary classifier" if binary else "a classifier",
        maximum=2 if binary else MAX_CLASSES,
        hint=more_classes if binary else "",
    )
    parts = split(y, params.test_fraction, np.random.default_rng([data_seed(params.dataset), SPLIT_STREAM]))
    n_train = int(parts.train.size)
    clamps: tuple[Clamp, ...] = ()
    if count:
        label, then = count_words or COUNT_WORDS.get(count, (count, ""))
        clamps = clamp_count(count, label, int(getattr(params, count)), n_train, "training point", then)
    return BoundaryInputs(
        X=data.X,
        y=y,
        classes=tuple(str(v) for v in labels.tolist()),
        split=parts,
        feature_names=data.feature_names,
        box=bounds(data.X),
        clamps=clamps,
    )


def prepare_classifier(params: SplitParams, *, binary: bool = False, count: str | None = None) -> BoundaryInputs:
    """``classifier_inputs`` of ``params.dataset`` (a ``DatasetParam`` value)."""
    data: Dataset = params.dataset.load()
    return classifier_inputs(data, params, binary=binary, count=count)


def regressor_inputs(data: RegressionData | Dataset, params: SplitParams, *, min_train: int = 2) -> RegressionInputs:
    """A regression problem: 1 or 2 features, a finite number per row, the seeded split (at least
    ``min_train`` training rows, or a 422 at ``test_fraction``)."""
    if data.y is None:
        raise ParamsError(("dataset",), "this lab predicts a number for each row: give y (one number per row)")
    if data.X.shape[1] not in (1, 2):
        raise ParamsError(
            ("dataset",), f"this lab needs 1 or 2 features (the plot shows them), but the data has {data.X.shape[1]}"
        )
    y = np.asarray(data.y, dtype=np.float64)
    n = int(y.size)
    rng = np.random.default_rng([data_seed(params.dataset), SPLIT_STREAM])
    parts = random_split(n, params.test_fraction, rng)
    if parts.train.size < min_train:
        raise ParamsError(
            ("test_fraction",),
            f"{parts.train.size} training rows are left of {n}; at least {min_train} are needed (lower the test share)",
            params.test_fraction,
        )
    return RegressionInputs(
        X=np.asarray(data.X, dtype=np.float64),
        y=y,
        split=parts,
        feature_names=tuple(data.feature_names),
        box=bounds(data.X),  # (d,) each: the window fit_points draws the fitted function over
    )
