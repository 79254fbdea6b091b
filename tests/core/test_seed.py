"""The run seed is read back from the Generator the service makes (sklearn's random_state must equal it)."""

from __future__ import annotations

import numpy as np
import pytest

from app.core.seed import MAX_SEED, run_seed


@pytest.mark.parametrize("seed", [0, 1, 7, 123456, MAX_SEED])
def test_run_seed_round_trips(seed: int) -> None:
    assert run_seed(np.random.default_rng(seed)) == seed


def test_run_seed_refuses_generators_not_made_from_one_integer() -> None:
    with pytest.raises(ValueError):
        run_seed(np.random.default_rng([1, 2]))
    with pytest.raises(ValueError):
        run_seed(np.random.default_rng(3).spawn(1)[0])
