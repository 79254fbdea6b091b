"""The tensors lab's table, text and series topics (the image and reshape ones are ``app.engines.tensors``).

``table``: scikit-learn's iris (bundled, no download). It has no categorical or ordinal feature column, so the
lab derives both and says so: ``species`` (the target's names) is the categorical column, and ``petal size`` is
petal length cut at 2.5 cm and 5 cm into small < medium < large. scikit-learn's own ``OrdinalEncoder``,
``OneHotEncoder``, ``StandardScaler`` and ``MinMaxScaler`` are fitted on all 150 rows; the frames show a few.
``text``: ``ord`` codes, the sorted vocabulary, indices, then ``torch.nn.functional.one_hot``. ``series``: a sine
(plus Gaussian noise from the run's generator) cut by ``numpy.lib.stride_tricks.sliding_window_view`` into
(n, window) inputs and (n, horizon) targets, n = length − window − horizon + 1.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import numpy as np
import torch
from numpy.lib.stride_tricks import sliding_window_view
from sklearn.preprocessing import MinMaxScaler, OneHotEncoder, OrdinalEncoder, StandardScaler

from app.core.budget import checkpoint
from app.core.frame import Frame
from app.core.text import fmt_count, num, plural
from app.core.typed_array import typed_array
from app.engines.tensors import TensorsSetup

SIZE_CUTS = (2.5, 5.0)
"""Petal length (cm) where small ends and large begins: the derived ordinal column."""
SIZES = ("small", "medium", "large")
SHOWN_WINDOWS = 3
"""Single-example frames before the stacked arrays (then the last example too, when there are more)."""


def petal_size(petal_length: np.ndarray) -> np.ndarray:
    """small < 2.5 cm ≤ medium < 5 cm ≤ large."""
    sizes: np.ndarray = np.array(SIZES, dtype=object)[np.digitize(petal_length, SIZE_CUTS)]
    return sizes


def _cm(values: np.ndarray) -> list[str]:
    return [f"{v:.1f}" for v in values]


def _fixed(values: np.ndarray, digits: int = 2) -> list[str]:
    return [f"{v:.{digits}f}".replace("-0.00", "0.00") for v in values]


KINDS = {
    "sepal length (cm)": "continuous",
    "petal length (cm)": "continuous",
    "petal size": "ordinal",
    "species": "categorical",
}
"""The raw columns' kinds; every other column is a number the encoders made ("encoded")."""


def _columns(*columns: tuple[str, list[str], np.ndarray]) -> dict[str, Any]:
    """A table's state: column names and kinds, the cells' words and numbers (row by row)."""
    names = [name for name, _, _ in columns]
    kinds = [KINDS.get(name, "encoded") for name in names]
    cells = [list(row) for row in zip(*(words for _, words, _ in columns), strict=True)]
    values = np.column_stack([np.asarray(v, dtype=np.float64) for _, _, v in columns])
    return {"columns": names, "kinds": kinds, "cells": cells, "values": values.tolist()}


def table_state(rows: list[int], *columns: tuple[str, list[str], np.ndarray]) -> dict[str, Any]:
    """A table frame's state: the shown rows' numbers, then ``_columns``."""
    return {"rows": rows, **_columns(*columns)}


def table_frames(setup: TensorsSetup, rng: np.random.Generator) -> Generator[Frame, None, dict[str, Any]]:
    assert setup.table is not None
    table = setup.table
    rows = sorted(int(r) for r in rng.choice(len(table.species), size=setup.rows, replace=False))
    n = len(rows)
    sepal, petal = table.sepal_length, table.petal_length
    species = np.array(table.species, dtype=object)
    size = petal_size(petal)
    species_names = sorted(set(table.species))
    species_number = np.array([species_names.index(s) for s in species], dtype=np.float64)
    size_number = np.array([SIZES.index(s) for s in size], dtype=np.float64)
    base = (
        ("sepal length (cm)", _cm(sepal[rows]), sepal[rows]),
        ("petal length (cm)", _cm(petal[rows]), petal[rows]),
        ("petal size", list(size[rows]), size_number[rows]),
        ("species", list(species[rows]), species_number[rows]),
    )
    checkpoint()
    yield Frame(
        "table",
        f"{fmt_count(n)} of iris' 150 flowers, drawn with the run's seed. Sepal length is continuous; species is "
        "categorical (names, no order). Iris has no ordinal column, so petal size is derived here: petal length "
        f"cut at {SIZE_CUTS[0]} and {SIZE_CUTS[1]:g} cm into small < medium < large.",
        table_state(rows, *base),
    )
    size_encoder = OrdinalEncoder(categories=[list(SIZES)]).fit(size.reshape(-1, 1))
    species_encoder = OrdinalEncoder().fit(species.reshape(-1, 1))
    size_codes = size_encoder.transform(size.reshape(-1, 1))[:, 0]
    species_codes = species_encoder.transform(species.reshape(-1, 1))[:, 0]
    order = [str(c) for c in species_encoder.categories_[0]]
    checkpoint()
    yield Frame(
        "ordinal",
        f"OrdinalEncoder with the order small < medium < large gives 0, 1, 2: right for petal size, whose order is "
        f"real. On species it gives {order[0]} 0, {order[1]} 1, {order[2]} 2 (alphabetical) and invents an order and "
        f"a distance: {order[2]} would be twice as far from {order[0]} as {order[1]} is.",
        {
            **table_state(
                rows,
                *base,
                ("petal size code", _fixed(size_codes[rows], 0), size_codes[rows]),
                ("species code", _fixed(species_codes[rows], 0), species_codes[rows]),
            ),
            "size_categories": list(SIZES),
            "species_categories": order,
            "size_codes": [int(v) for v in size_codes[rows]],
            "species_codes": [int(v) for v in species_codes[rows]],
        },
    )
    one_hot_encoder = OneHotEncoder(sparse_output=False).fit(species.reshape(-1, 1))
    one_hot = one_hot_encoder.transform(species.reshape(-1, 1))
    categories = [str(c) for c in one_hot_encoder.categories_[0]]
    checkpoint()
    yield Frame(
        "one_hot",
        f"OneHotEncoder turns species into {len(categories)} columns of 0 or 1, one per name: no order, and every two "
        "species equally far apart (distance √2 ≈ 1.414). The price is columns: 1 becomes "
        f"{len(categories)} here, and a column of 1,000 names would become 1,000.",
        {
            **table_state(
                rows,
                base[0],
                ("petal size code", _fixed(size_codes[rows], 0), size_codes[rows]),
                *((name, _fixed(one_hot[rows, j], 0), one_hot[rows, j]) for j, name in enumerate(categories)),
            ),
            "categories": categories,
            "one_hot": one_hot[rows].astype(np.int64).tolist(),
        },
    )
    column = sepal.reshape(-1, 1)
    standard = StandardScaler().fit(column)
    min_max = MinMaxScaler().fit(column)
    z = standard.transform(column)[:, 0]
    unit = min_max.transform(column)[:, 0]
    mean, std = float(standard.mean_[0]), float(standard.scale_[0])
    low, high = float(min_max.data_min_[0]), float(min_max.data_max_[0])
    checkpoint()
    yield Frame(
        "scaling",
        f"StandardScaler: (x − {num(mean)}) / {num(std)} gives mean 0 and std 1 over the 150 flowers; min-max: "
        f"(x − {num(low)}) / ({num(high)} − {num(low)}) puts them in 0–1. Both are straight lines: the order of the "
        "flowers does not change, only the units, so no feature dominates a distance by its scale.",
        {
            **table_state(
                rows,
                base[0],
                ("standardised", _fixed(z[rows]), z[rows]),
                ("min-max", _fixed(unit[rows]), unit[rows]),
            ),
            "mean": mean,
            "std": std,
            "min": low,
            "max": high,
            "standardised": z[rows].tolist(),
            "min_max": unit[rows].tolist(),
        },
    )
    matrix = np.column_stack([z, size_codes, one_hot])
    names = ["sepal length (std.)", "petal size code", *categories]
    checkpoint()
    yield Frame(
        "matrix",
        f"The model's input: a ({fmt_count(len(matrix))}, {matrix.shape[1]}) float matrix, {fmt_count(n)} of its rows "
        "shown: one standardised measurement, one ordinal code and "
        f"{len(categories)} one-hot columns. Every column is a number now.",
        {
            **table_state(rows, *((name, _fixed(matrix[rows, j]), matrix[rows, j]) for j, name in enumerate(names))),
            "shape": [int(s) for s in matrix.shape],
            "matrix": matrix[rows].tolist(),
        },
    )
    return {"topic": "table", "shape": [int(s) for s in matrix.shape], "columns": names, "matrix": matrix.tolist()}


def _quoted(char: str) -> str:
    return "space" if char == " " else f"'{char}'"


def text_frames(setup: TensorsSetup) -> Generator[Frame, None, dict[str, Any]]:
    text = setup.text
    chars = list(text)
    codes = [ord(ch) for ch in chars]
    length = len(chars)
    checkpoint()
    examples = ", ".join(f"{_quoted(ch)} is {ord(ch)}" for ch in dict.fromkeys(chars[:3]))
    yield Frame(
        "codes",
        f"The text is {plural(length, 'character')}; ASCII gives each a number from 0 to 127: {examples}. As a "
        f"tensor: the codes, shape ({fmt_count(length)},).",
        {"chars": chars, "codes": codes},
        visual={"chars": chars, "codes": codes},
    )
    vocabulary = sorted(set(chars))
    size = len(vocabulary)
    shown = ", ".join(_quoted(ch) for ch in vocabulary[:6]) + (", …" if size > 6 else "")
    checkpoint()
    yield Frame(
        "vocabulary",
        f"The vocabulary: the {plural(size, 'distinct character')} sorted by code ({shown}), each given an index "
        f"from 0 to {size - 1}.",
        {"vocabulary": vocabulary, "vocabulary_codes": [ord(ch) for ch in vocabulary]},
        visual={"chars": chars, "codes": codes, "vocabulary": vocabulary},
    )
    index = {ch: i for i, ch in enumerate(vocabulary)}
    indices = [index[ch] for ch in chars]
    first = ", ".join(f"{_quoted(ch)} → {index[ch]}" for ch in dict.fromkeys(chars[:3]))
    checkpoint()
    yield Frame(
        "indices",
        f"Each character replaced by its index in the vocabulary ({first}): shape ({fmt_count(length)},) of small "
        "integers, what an embedding layer looks up.",
        {"indices": indices},
        visual={"chars": chars, "codes": codes, "vocabulary": vocabulary, "indices": indices},
    )
    one_hot = torch.nn.functional.one_hot(torch.tensor(indices), num_classes=size).numpy().astype(np.uint8)
    checkpoint()
    yield Frame(
        "char_one_hot",
        f"One-hot: a ({fmt_count(length)}, {size}) matrix with a single 1 per row, at the character's index "
        f"(torch.nn.functional.one_hot). Over all 128 ASCII codes it would be ({fmt_count(length)}, 128): the "
        f"vocabulary keeps only the {size} columns used.",
        {"shape": [length, size], "one_hot": typed_array(one_hot, "u1")},
        visual={"chars": chars, "codes": codes, "vocabulary": vocabulary, "indices": indices, "one_hot": one_hot},
    )
    return {
        "topic": "text",
        "codes": codes,
        "vocabulary": vocabulary,
        "indices": indices,
        "one_hot": typed_array(one_hot, "u1"),
    }


def series_values(setup: TensorsSetup, rng: np.random.Generator) -> np.ndarray:
    """sin(2π t / period), plus noise of std ``noise`` from the run's generator for the noisy sine."""
    t = np.arange(setup.length)
    values = np.sin(2 * np.pi * t / setup.period)
    if setup.series == "noisy_sine":
        values = values + setup.noise * rng.standard_normal(setup.length)
    return values


def series_frames(setup: TensorsSetup, rng: np.random.Generator) -> Generator[Frame, None, dict[str, Any]]:
    values = series_values(setup, rng)
    length, window, horizon = setup.length, setup.window, setup.horizon
    noisy = f", noise std {num(setup.noise)}" if setup.series == "noisy_sine" else ""
    checkpoint()
    yield Frame(
        "series",
        f"A {'noisy ' if setup.series == 'noisy_sine' else ''}sine of {plural(length, 'time step')} (period "
        f"{setup.period}{noisy}): one number per step, a tensor of shape ({fmt_count(length)},).",
        {"values": values.tolist()},
        visual={"values": values.copy()},
    )
    cuts = sliding_window_view(values, window + horizon)  # (n, window + horizon): every start, one step apart
    inputs, targets = cuts[:, :window].copy(), cuts[:, window:].copy()
    count = len(cuts)
    starts = list(range(min(SHOWN_WINDOWS, count)))
    if count > SHOWN_WINDOWS:
        starts.append(count - 1)
    for start in starts:
        last = start == count - 1 and start > 0
        steps_in = f"{start}–{start + window - 1}" if window > 1 else f"{start}"
        end = start + window + horizon - 1
        steps_out = f"{start + window}–{end}" if horizon > 1 else f"{start + window}"
        then = "the last one: its targets end the series." if last else "the next example starts one step later."
        checkpoint()
        yield Frame(
            "window",
            f"Example {start + 1} of {fmt_count(count)}: steps {steps_in} are its {plural(window, 'input')}, steps "
            f"{steps_out} its {plural(horizon, 'target')}; {then}",
            {"start": start, "inputs": inputs[start].tolist(), "targets": targets[start].tolist()},
            visual={"values": values.copy()},
        )
    checkpoint()
    yield Frame(
        "windows",
        f"All {fmt_count(count)} examples stacked: inputs ({fmt_count(count)}, {window}), targets ({fmt_count(count)}, "
        f"{horizon}); {length} − {window} − {horizon} + 1 = {fmt_count(count)} starts. An RNN reads the inputs as "
        f"({fmt_count(count)}, {window}, 1): sequences of {plural(window, 'step')}, one feature per step.",
        {
            "inputs": typed_array(inputs, "f8"),
            "targets": typed_array(targets, "f8"),
            "inputs_shape": [count, window],
            "targets_shape": [count, horizon],
        },
        visual={"values": values.copy(), "inputs": inputs, "targets": targets},
    )
    return {
        "topic": "series",
        "values": values.tolist(),
        "inputs": typed_array(inputs, "f8"),
        "targets": typed_array(targets, "f8"),
    }
