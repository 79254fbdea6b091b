"""The run's seed as an integer, for libraries that take a ``random_state`` rather than a Generator.

The service hands every engine ``np.random.default_rng(seed)`` (``seed`` in 0 .. 2³² − 1, the wire's bound).
scikit-learn's ``random_state`` must be that same integer for a run to be reproducible with scikit-learn alone
(the trees and ensembles labs' contract), so it is read back from the Generator's seed sequence.
"""

from __future__ import annotations

import numpy as np

MAX_SEED = 2**32 - 1


def run_seed(rng: np.random.Generator) -> int:
    """The integer ``rng`` was made from by ``np.random.default_rng(seed)``.

    Raises ``ValueError`` for a Generator not made from one integer in 0 .. 2³² − 1 (an engine bug, not the
    learner's: the service always seeds with one)."""
    seq = getattr(rng.bit_generator, "seed_seq", None)
    entropy = getattr(seq, "entropy", None)
    spawned = getattr(seq, "spawn_key", ())
    if isinstance(entropy, int) and not spawned and 0 <= entropy <= MAX_SEED:
        return entropy
    raise ValueError("the run's Generator was not made by np.random.default_rng(seed) with one integer seed")
