"""Quieting NumPy without touching the process-wide warning filters (worker threads share them)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from app.engines.voting import quietly
from app.preview_marks import block_means


def test_quietly_silences_numpy_and_leaves_the_warning_filters_alone() -> None:
    filters = warnings.filters
    before = list(filters)
    with quietly():
        assert warnings.filters is filters and warnings.filters == before  # not swapped, not changed
        assert np.log(np.zeros(1))[0] == -np.inf  # no RuntimeWarning (the suite makes warnings errors)
    with pytest.warns(RuntimeWarning):
        np.log(np.zeros(1))  # and outside it NumPy warns again


def test_block_means_is_nanmean_without_its_warning() -> None:
    rng = np.random.default_rng(3)
    blocks = rng.normal(size=(3, 2, 4, 3))
    blocks[rng.uniform(size=blocks.shape) < 0.4] = np.nan
    blocks[1, :, 2, :] = np.nan  # one block of gaps only
    with pytest.warns(RuntimeWarning, match="Mean of empty slice"):
        expected = np.nanmean(blocks, axis=(1, 3))
    filters = warnings.filters
    means = block_means(blocks)  # no warning: the suite's filterwarnings = error would fail the test
    assert warnings.filters is filters
    assert_array_equal(means, expected)  # bit for bit: the same sums and counts
    assert np.isnan(means[1, 2]) and np.isfinite(means).sum() == np.isfinite(expected).sum()
