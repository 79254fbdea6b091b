"""Every engine stops inside its loops: ``checkpoint()`` (app/core/budget.py) raises ``RunStopped`` there.

For EVERY lab in the catalog (a new lab is covered the day it is listed), at defaults:

* cancelled before it starts → ``RunStopped("cancelled")`` before the run finishes, after at most one frame;
* cancelled right after a frame (the first, or one mid-run) → ``RunStopped`` after at most one more frame,
  and the frames before the cancel are the ones a run without any token makes (checkpoints change nothing);
* inside a token that never stops, the run is the run without a token, frame for frame.

And the heavy cases of issue 11: a neural-network run whose second frame is 20,000 Adam steps (batch size 1,
200 epochs, ``frame_every`` 200) and the largest activations stack, each under a deadline 0.2 s ahead,
raise ``RunStopped("budget")`` within 1 s of it (a generous bound for a loaded 2-core box; measured: tens of
ms, ``python -m tests.perf.bench_checkpoints``).
"""

from __future__ import annotations

import time
from collections.abc import Generator, Iterator
from typing import Any

import numpy as np
import pytest
import torch

from app.catalog import Algorithm, all_algorithms, get_algorithm
from app.core.budget import RunStopped, StopToken, stopping_at
from app.core.frame import Frame, drain
from app.core.limits import DEFAULT_LIMITS
from app.engines import activations as act_engine
from tests.small_runs import small_params

ALGORITHMS = all_algorithms()
IDS = [a.id for a in ALGORITHMS]


@pytest.fixture(autouse=True, scope="module")
def _one_torch_thread() -> Iterator[None]:
    """One torch thread, as the run service gives each run (with two, the neural runs here took 8x longer
    on a 2-core box at load 5)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def _engine(algorithm: Algorithm, params: dict[str, Any] | None = None) -> Generator[Frame, None, dict[str, Any]]:
    chosen = small_params(algorithm.id) if params is None else params  # small: a heavy lab's defaults take seconds
    model = algorithm.params_model.model_validate(chosen, context={"limits": DEFAULT_LIMITS})
    return algorithm.engine(algorithm.prepare(model, DEFAULT_LIMITS), model, np.random.default_rng(0))


def _summary(frame: Frame) -> tuple[str, str, dict[str, float]]:
    return frame.kind, frame.caption, frame.metrics


def _frames_until_stopped(engine: Generator[Frame, None, Any], token: StopToken) -> tuple[int, RunStopped | None]:
    """Frames the engine still yields under ``token``, and the ``RunStopped`` it raised (None: it finished)."""
    count = 0
    with stopping_at(token):
        try:
            for _ in engine:
                count += 1
        except RunStopped as stopped:
            return count, stopped
    return count, None


_REFERENCE: dict[str, list[tuple[str, str, dict[str, float]]]] = {}


def _reference(algorithm: Algorithm) -> list[tuple[str, str, dict[str, float]]]:
    """The lab's frames at defaults with no token installed (computed once per lab)."""
    if algorithm.id not in _REFERENCE:
        frames, _ = drain(_engine(algorithm))
        _REFERENCE[algorithm.id] = [_summary(f) for f in frames]
    return _REFERENCE[algorithm.id]


@pytest.mark.parametrize("algorithm", ALGORITHMS, ids=IDS)
def test_a_cancelled_run_stops_before_it_finishes(algorithm: Algorithm) -> None:
    frames, stopped = _frames_until_stopped(_engine(algorithm), StopToken(cancelled=True))
    assert stopped is not None, f"{algorithm.id} ran to the end without calling checkpoint()"
    assert stopped.reason == "cancelled"
    assert frames <= 1, f"{algorithm.id} made {frames} frames after it was cancelled"


@pytest.mark.parametrize("algorithm", ALGORITHMS, ids=IDS)
def test_a_run_cancelled_mid_way_stops_at_the_next_frame(algorithm: Algorithm) -> None:
    reference = _reference(algorithm)
    total = len(reference)
    for cut in sorted({0, total // 2}):
        if cut > total - 3:  # the last frame or two may need no checkpoint: nothing left to stop
            continue
        token = StopToken()
        engine = _engine(algorithm)
        with stopping_at(token):
            seen = [_summary(next(engine)) for _ in range(cut + 1)]
        assert seen == reference[: cut + 1], f"{algorithm.id}: checkpoints changed the frames"
        token.cancel()
        more, stopped = _frames_until_stopped(engine, token)
        assert stopped is not None and stopped.reason == "cancelled", f"{algorithm.id} ran on after frame {cut}"
        assert more <= 1, f"{algorithm.id} made {more} frames after it was cancelled at frame {cut}"


@pytest.mark.parametrize("algorithm", ALGORITHMS, ids=IDS)
def test_a_token_that_never_stops_changes_nothing(algorithm: Algorithm) -> None:
    with stopping_at(StopToken()):
        frames, _ = drain(_engine(algorithm))
    assert [_summary(f) for f in frames] == _reference(algorithm)


def _stops_within(algorithm_id: str, params: dict[str, Any], ahead: float = 0.2, bound: float = 1.0) -> int:
    """Run under a deadline ``ahead`` s from now: ``RunStopped("budget")`` within ``bound`` s past it.
    Returns the frames made before."""
    algorithm = get_algorithm(algorithm_id)
    assert algorithm is not None
    engine = _engine(algorithm, params)
    token = StopToken(deadline=time.monotonic() + ahead)
    frames, stopped = _frames_until_stopped(engine, token)
    late = time.monotonic() - token.deadline
    assert stopped is not None and stopped.reason == "budget", f"{algorithm_id} finished within {ahead} s"
    assert late < bound, f"{algorithm_id} stopped {late:.2f} s past its deadline"
    return frames


def test_a_single_frame_neural_run_stops_at_its_deadline() -> None:
    # The case: one frame (epoch 0), then 200 epochs x 100 mini-batches of one point before the next.
    frames = _stops_within("neural-network", {"batch_size": 1, "epochs": 200, "frame_every": 200})
    assert frames <= 1


def test_the_largest_activations_stack_stops_at_its_deadline() -> None:
    # 20 layers of 512 over 5,000 samples: seconds of forward and backward before the first frame.
    frames = _stops_within("activations", {"depth": 20, "width": 512, "n_samples": 5000})
    assert frames == 0


def test_a_stack_pushed_through_in_chunks_gives_the_numbers_of_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    # 2,100 rows x 200 x 200 is above CHUNK_WORK: 1,677 rows, then 423. One pass is the reference.
    params = {"depth": 4, "width": 200, "n_samples": 2100, "activation": "tanh", "init": "xavier_normal"}
    activations = get_algorithm("activations")
    assert activations is not None
    chunked, _ = drain(_engine(activations, params))
    monkeypatch.setattr(act_engine, "CHUNK_WORK", 2**40)
    whole, _ = drain(_engine(activations, params))
    assert [f.kind for f in chunked] == [f.kind for f in whole]
    for a, b in zip(chunked, whole, strict=True):
        assert a.metrics.keys() == b.metrics.keys()
        for key, value in a.metrics.items():
            assert value == pytest.approx(b.metrics[key], rel=1e-9, abs=1e-12)


def test_checkpoint_outside_a_run_does_nothing() -> None:
    from app.core.budget import checkpoint

    checkpoint()  # no token on this thread: returns, whatever the engines' loops do
    with stopping_at(StopToken(cancelled=True)), pytest.raises(RunStopped):
        checkpoint()
    checkpoint()  # the token is gone with its block
