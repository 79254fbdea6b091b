"""Tensors lab: first frame and whole served run of every topic, against plain torch / NumPy / scikit-learn doing the
same arithmetic (no frames, no captions, no figures), with frame counts and sizes.

Run: ``python -m tests.perf.bench_tensors``. Goal (issue 17): first frame ≤ 100 ms. The served run (validate,
prepare, scene, every frame rendered and encoded, the result) and the bare computation are timed in the same
shuffled rounds, with the load beside each ratio. The lab does little arithmetic, so the ratio measures the
cost of explaining it (frames, typed arrays, figures), not of computing it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
import torch
from numpy.lib.stride_tricks import sliding_window_view
from sklearn.preprocessing import MinMaxScaler, OneHotEncoder, OrdinalEncoder, StandardScaler

from app.core.limits import DEFAULT_LIMITS
from app.labs.tensors import TENSORS
from app.schemas.tensors import TensorsParams
from tests.perf.served_run import served_run
from tests.perf.timing import interleaved, load, ratio_line

SEED = 0
LAB = "tensors"
TOPICS: dict[str, dict[str, Any]] = {
    "image": {},
    "reshape": {"topic": "reshape"},
    "table": {"topic": "table"},
    "text": {"topic": "text", "text": "the quick brown fox jumps over the lazy dog " * 4},
    "series": {"topic": "series", "length": 300, "window": 60, "horizon": 20},
}


def _plain(raw: dict[str, Any]) -> Callable[[], object]:
    params = TensorsParams.model_validate(raw)
    setup = TENSORS.prepare(params, DEFAULT_LIMITS)
    if params.topic == "image":
        assert setup.pixels is not None
        pixels = setup.pixels.copy()  # writable, as torch.from_numpy wants

        def image() -> object:
            x = torch.from_numpy(pixels).permute(2, 0, 1)
            f = x.contiguous().float() / 255
            mean, std = f.mean(dim=(1, 2)), f.std(dim=(1, 2), correction=0)
            return x.stride(), (f - mean[:, None, None]) / std[:, None, None]

        return image
    if params.topic == "reshape":

        def reshape() -> object:
            x = torch.arange(24).reshape(2, 3, 4)
            t = x.transpose(1, 2)
            return x.view(6, 4).stride(), t.stride(), t.contiguous().view(24), x.permute(2, 0, 1).flatten()

        return reshape
    if params.topic == "table":
        assert setup.table is not None
        species = np.array(setup.table.species, dtype=object).reshape(-1, 1)
        sepal, petal = setup.table.sepal_length.reshape(-1, 1), setup.table.petal_length

        def table() -> object:
            size = np.array(["small", "medium", "large"], dtype=object)[np.digitize(petal, (2.5, 5.0))]
            codes = OrdinalEncoder(categories=[["small", "medium", "large"]]).fit_transform(size.reshape(-1, 1))
            OrdinalEncoder().fit_transform(species)
            hot = OneHotEncoder(sparse_output=False).fit_transform(species)
            MinMaxScaler().fit_transform(sepal)
            return np.column_stack([StandardScaler().fit_transform(sepal), codes, hot])

        return table
    if params.topic == "text":
        text = params.text

        def chars() -> object:
            vocab = sorted(set(text))
            index = {ch: i for i, ch in enumerate(vocab)}
            return torch.nn.functional.one_hot(torch.tensor([index[ch] for ch in text]), len(vocab))

        return chars
    rng_values = np.sin(2 * np.pi * np.arange(params.length) / params.period)

    def series() -> object:
        values = rng_values + params.noise * np.random.default_rng(SEED).standard_normal(params.length)
        cuts = sliding_window_view(values, params.window + params.horizon)
        return cuts[:, : params.window].copy(), cuts[:, params.window :].copy()

    return series


def main() -> None:
    torch.set_num_threads(1)
    for topic, raw in TOPICS.items():
        served_run(LAB, raw, SEED)  # warm: imports, the photo's decode, scikit-learn's first fit
        firsts = []
        for _ in range(9):
            start = time.perf_counter()
            served_run(LAB, raw, SEED, frames=1)
            firsts.append(time.perf_counter() - start)
        firsts.sort()
        cases: dict[str, Callable[[], object]] = {"lab": partial(served_run, LAB, raw, SEED), "library": _plain(raw)}
        best = interleaved(cases, repeat=5)
        whole = served_run(LAB, raw, SEED)
        print(
            f"{topic}: first frame p50 {firsts[4] * 1e3:.1f} ms, worst {firsts[-1] * 1e3:.1f} ms (goal <= 100 ms); "
            f"{whole.frames} frames, largest figure {whole.largest / 1e3:.1f} KB, sent {whole.sent / 1e3:.0f} KB"
        )
        print("  " + ratio_line(f"{topic} served run vs the bare computation", best["lab"], best["library"]))
    print(f"[{load()}]")


if __name__ == "__main__":
    main()
