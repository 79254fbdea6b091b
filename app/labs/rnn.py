"""The recurrent-network lab (issue 17): torch.nn.RNN / LSTM / GRU on windows of a series, trained with
(truncated) backpropagation through time; in compare mode a plain RNN and an LSTM side by side.

``prepare`` builds the series (generated from the data seed, the shipped sunspot numbers, or the request's own
values), cuts it in time (the last ``test_fraction`` tests), standardises it by the training part's mean and
standard deviation, slices the windows, and checks what needs the series: a window as long as the series or
leaving no training window (422 at ``window`` naming the length), truncation longer than the window (422 at
``bptt``), and the training work (422 at ``epochs`` with the arithmetic, ``MAX_WORK``). A batch larger than the
training windows is clamped to them (the first caption says so). The run's seed draws the weights and the order.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from app.core.algorithm import Algorithm, Clamp
from app.core.frame import Frame
from app.core.limits import Limits
from app.core.text import fmt_count, plural
from app.datasets.series import load_series
from app.engines import rnn_series as series
from app.engines import rnn_train as engine
from app.labs.checks import clamp_count
from app.schemas.common import ParamsError
from app.schemas.frames import rnn as frames
from app.schemas.rnn import RnnParams
from app.views.rnn import RnnView

MAX_WORK = 5_000_000_000
"""Most (net × epoch × window × time step × layer × hidden²) units one run may train (≈ 15 s on one core)."""
MIN_UNITS = 16
"""Hidden sizes below this cost like this many units in the work bound (a step's fixed cost)."""
MAX_FORECAST = 40
"""Values the free-running forecast predicts at most (one full forward pass each)."""
GRAD_BATCH = 64
"""Training windows in the gradient probe (evenly spaced through the training part)."""
LABELS = {
    "sine": "a sine",
    "noisy_sine": "a noisy sine",
    "sum_of_sines": "a sum of two sines",
    "square": "a square wave",
    "sunspots": "the yearly sunspot numbers",
    "values": "your values",
}


@dataclass(frozen=True)
class RnnInputs:
    """The series as the nets see it (standardised), its time split, the windows and the engine's arrays."""

    z: np.ndarray  # (N,) float64 standardised series
    split: int  # the first test position: values 0..split−1 train
    window: int
    test_index: np.ndarray  # (n_test,) int64 the position each test window predicts
    test_truth: np.ndarray  # (n_test,) the next value (forecast) or 1 / 0 for rise / fall (classify)
    forecast_index: np.ndarray  # (F,) int64 the positions the free-running forecast covers
    probe_start: int  # the probe window covers positions probe_start .. probe_start + window − 1
    task: str
    cells: tuple[str, ...]
    label: str  # the series in words
    data: engine.RnnData
    clamps: tuple[Clamp, ...] = field(default=(), kw_only=True)


def _raw(params: RnnParams) -> np.ndarray:
    if params.series == "sunspots":
        return load_series("sunspots")
    if params.series == "values":
        if params.values is None or len(params.values) < 3:
            raise ParamsError(("values",), "give at least 3 numbers of your own (a JSON list in time order)")
        return np.asarray(params.values, dtype=np.float64)
    return series.generate(params.series, params.length, params.period, params.noise, params.data_seed)


def _prepare(params: RnnParams, limits: Limits) -> RnnInputs:
    raw = _raw(params)
    N = int(raw.size)
    w = params.window
    if w >= N:
        raise ParamsError(
            ("window",), f"a window of {w} needs a series longer than {w} values; this one has {N}: a shorter window"
        )
    n_test = max(1, round(N * params.test_fraction))
    split = N - n_test
    if split - w < 1:
        raise ParamsError(
            ("window",),
            f"the series has {N} values and its training part the first {split}: a window of {w} leaves no "
            f"training window (at most {split - 1}), or use a longer series",
        )
    if params.bptt > w:
        raise ParamsError(
            ("bptt",), f"truncation to {params.bptt} steps is longer than the window of {w}: at most {w} (0: all)"
        )
    if float(np.max(np.abs(raw))) > limits.max_abs_value:
        raise ParamsError(("values",), f"values must lie within ±{limits.max_abs_value:g}")
    cells = ("rnn", "lstm") if params.compare else (params.cell,)
    n_train = split - w
    units = max(params.hidden_size, MIN_UNITS)
    work = len(cells) * params.epochs * n_train * w * params.num_layers * units**2
    if work > MAX_WORK:
        raise ParamsError(
            ("epochs",),
            f"{plural(len(cells), 'net')} × {params.epochs} epochs × {fmt_count(n_train)} windows × {w} steps × "
            f"{plural(params.num_layers, 'layer')} × {units}² units = {fmt_count(work)}, more than the "
            f"{fmt_count(MAX_WORK)} one run may train: fewer epochs, a shorter window or fewer hidden units",
        )
    train_part = raw[:split]
    std = float(train_part.std())
    z = (raw - float(train_part.mean())) / (std if std > 1e-12 else 1.0)
    train = series.windows(z, w, w, split)
    test = series.windows(z, w, split, N)
    key = "rises" if params.task == "classify" else "next_value"
    pick = np.unique(np.linspace(0, n_train - 1, min(GRAD_BATCH, n_train)).round().astype(np.int64))
    n_forecast = min(n_test, MAX_FORECAST) if params.task == "forecast" else 0
    bundle = engine.RnnData(
        X_train=train.X,
        y_train=getattr(train, key),
        X_test=test.X,
        y_test=getattr(test, key),
        probe=test.X[0],
        grad_X=train.X[pick],
        grad_y=getattr(train, key)[pick],
        start=z[split - w : split].astype(np.float32),
        n_forecast=n_forecast,
    )
    return RnnInputs(
        z=z,
        split=split,
        window=w,
        test_index=test.target_index,
        test_truth=getattr(test, key),
        forecast_index=np.arange(split, split + n_forecast, dtype=np.int64),
        probe_start=split - w,
        task=params.task,
        cells=cells,
        label=LABELS[params.series],
        data=bundle,
        clamps=clamp_count(
            "batch_size", "batch size", params.batch_size, n_train, "training window", ": every step uses all of them"
        ),
    )


def _run(inputs: RnnInputs, params: RnnParams, rng: np.random.Generator) -> Generator[Frame, None, dict[str, Any]]:
    plan = engine.Plan(
        task=params.task,
        cells=inputs.cells,
        hidden=params.hidden_size,
        layers=params.num_layers,
        bptt=params.bptt,
        optimizer=params.optimizer,
        lr=float(params.lr),
        batch_size=min(params.batch_size, int(inputs.data.y_train.shape[0])),
        epochs=params.epochs,
        forget_bias=float(params.forget_bias),
    )
    return engine.run(inputs.data, plan, seed=int(rng.integers(0, 2**62)))


RNN: Algorithm[RnnParams, RnnInputs] = Algorithm(
    id="rnn",
    title="RNN, LSTM and GRU through time",
    family="rnn",
    summary=(
        "Train torch.nn.RNN, LSTM or GRU on windows of a series (sines, a square wave, sunspots or your own "
        "numbers) to forecast the next value or say whether it rises; race a plain RNN against an LSTM on the same "
        "batches and watch ‖∂L/∂h_t‖ over every step of the window: the RNN's vanishes with distance, the LSTM's "
        "much less. Also the predictions and a free-running forecast, the hidden state as a heatmap, the LSTM's "
        "gates, and where this run sits among the types of RNN."
    ),
    days=(43, 65),
    params_model=RnnParams,
    prepare=_prepare,
    engine=_run,
    view=RnnView(),
    frame_model=frames.RnnFrame,
    result_model=frames.RnnResult,
)

ALGORITHMS: tuple[Algorithm[Any, Any], ...] = (RNN,)
