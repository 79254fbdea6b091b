"""The shared data checks: one wording, a location the page can point at."""

from __future__ import annotations

import numpy as np
import pytest

from app.core.algorithm import Clamp
from app.datasets import Dataset
from app.labs.checks import clamp_count, require_2d, require_classes, require_labels, require_rows
from app.schemas.common import ParamsError


def _data(X: list[list[float]], y: list[int] | None = None) -> Dataset:
    return Dataset(
        X=np.array(X, dtype=np.float64),
        y=None if y is None else np.array(y, dtype=np.int64),
        feature_names=tuple(f"x{i + 1}" for i in range(len(X[0]))),
        name="inline",
    )


def test_labels_are_required_where_the_lab_needs_them() -> None:
    with pytest.raises(ParamsError) as err:
        require_labels(_data([[0, 0]]), "k-NN")
    assert err.value.loc == ("dataset", "y") and err.value.msg.startswith("k-NN needs class labels")
    assert require_labels(_data([[0, 0]], [3]), "k-NN").tolist() == [3]


def test_two_features_or_one_when_allowed() -> None:
    require_2d(_data([[0, 0]]), "the boundary")
    require_2d(_data([[0]]), "the playground", or_1d=True)
    for X, or_1d in (([[0]], False), ([[0, 0, 0]], True)):
        with pytest.raises(ParamsError) as err:
            require_2d(_data(X), "this lab", or_1d=or_1d)
        assert err.value.loc == ("dataset", "X") and f"the data has {len(X[0])}" in err.value.msg


def test_classes_are_counted_and_coded() -> None:
    labels, codes = require_classes(np.array([7, 3, 7]), "a classifier")
    assert labels.tolist() == [3, 7] and codes.tolist() == [1, 0, 1] and codes.dtype == np.int64
    with pytest.raises(ParamsError, match="every point has label 7: a classifier needs at least 2 classes"):
        require_classes(np.array([7, 7]), "a classifier")
    with pytest.raises(ParamsError, match=r"the data has 3 classes; SVM takes at most 2 \(try k-NN\)"):
        require_classes(np.array([0, 1, 2]), "SVM", maximum=2, hint="try k-NN")


def test_counts_against_the_rows() -> None:
    data = _data([[0, 0], [1, 1]])
    require_rows(data, "hierarchical clustering", 2)
    with pytest.raises(ParamsError, match="needs at least 3 points; the data has 2"):
        require_rows(data, "hierarchical clustering", 3)


def test_a_count_above_the_data_is_clamped_with_a_note_in_words() -> None:
    assert clamp_count("k", "k", 2, 2, "point") == ()  # at most the data: nothing to say
    assert clamp_count("min_samples", "min samples", 5, 2, "point") == (
        Clamp("min_samples", 2, "Note: min samples = 5 is more than the 2 points, so min samples = 2 is used."),
    )
    (one,) = clamp_count("batch_size", "batch size", 32, 1, "training point")
    assert one.used == 1 and one.note == (
        "Note: batch size = 32 is more than the 1 training point, so batch size = 1 is used."
    )
