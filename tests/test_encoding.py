"""``app.encoding``: orjson output keeps the old recursive walk's values, and the same value gives the same
bytes in any process.

``_reference_encode`` is the walk the app used before orjson (kept here as the oracle, not in the app). The
labs are driven straight through the catalog (prepare → engine → view), building each payload exactly as the
run service does, so the test does not depend on the service's internals.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pytest

from app.catalog import Algorithm, all_algorithms
from app.core.limits import DEFAULT_LIMITS
from app.encoding import dumps, encode, to_jsonable
from tests.small_runs import small_params

REPO = Path(__file__).resolve().parent.parent


def _reference_jsonable(value: Any) -> Any:
    """The pre-orjson ``to_jsonable``, verbatim."""
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "f" and not np.isfinite(value).all():
            return _reference_jsonable(value.astype(object))
        if value.dtype == object:
            return [_reference_jsonable(v) for v in value.tolist()]
        return value.tolist()
    if isinstance(value, Mapping):
        return {str(k): _reference_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_reference_jsonable(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        number = float(value)
        return number if math.isfinite(number) else None
    return value


def _reference_encode(value: Any) -> str:
    return json.dumps(_reference_jsonable(value), separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def lab_payloads(algorithm: Algorithm[Any, Any], figure: bool = True, seed: int = 0) -> Iterator[tuple[str, Any]]:
    """``(kind, value)`` of every event a run at defaults encodes: scene, each frame, panels, result.

    Torch gets one intra-op thread, as the run service gives every run (on a busy 2-core machine its default
    of one thread per core makes the neural-network lab ten times slower)."""
    import torch  # the labs import it on first use anyway

    torch.set_num_threads(1)
    params = algorithm.params_model.model_validate(small_params(algorithm.id))  # small: heavy labs' defaults take s
    inputs = algorithm.prepare(params, DEFAULT_LIMITS)
    engine = algorithm.engine(inputs, params, np.random.default_rng(seed))
    if figure:
        yield "scene", algorithm.view.scene(inputs, params)
    index = 0
    while True:
        try:
            frame = next(engine)
        except StopIteration as stop:
            result = stop.value or {}
            break
        payload: dict[str, Any] = {
            "index": index,
            "kind": frame.kind,
            "caption": frame.caption,
            "state": frame.state,
            "metrics": frame.metrics,
        }
        if figure:
            payload["figure"] = algorithm.view.render(frame, inputs, params)
        yield "frame", payload
        index += 1
    if figure:
        yield "panels", algorithm.view.panels(result, inputs, params)
    yield "result", result


ALGORITHMS = all_algorithms()


@pytest.mark.parametrize("algorithm", ALGORITHMS, ids=[a.id for a in ALGORITHMS])
def test_every_lab_encodes_the_values_the_old_walk_did(algorithm: Algorithm[Any, Any]) -> None:
    for n, (kind, value) in enumerate(lab_payloads(algorithm, figure=True)):
        new = encode(value)
        assert json.loads(new) == json.loads(_reference_encode(value)), f"{algorithm.id}: event {n} ({kind})"


# Run in a fresh interpreter: every lab at defaults (small params for the heavy ones) with figures (the with-figures stream carries every state
# and result the figure-less one does, plus the scene and patches), one digest per event stream.
_DIGEST_SCRIPT = """
import hashlib, sys
from app.catalog import all_algorithms
from app.encoding import encode
from tests.test_encoding import lab_payloads
for algorithm in all_algorithms():
    digest = hashlib.sha256()
    for _, value in lab_payloads(algorithm, figure=True):
        digest.update(encode(value).encode())
        digest.update(b"\\n")
    print(algorithm.id, digest.hexdigest())
"""


def _start_digests(hash_seed: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-c", _DIGEST_SCRIPT],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _digests(process: subprocess.Popen[str]) -> list[str]:
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err[-2_000:]
    return out.splitlines()


@pytest.mark.slow
def test_same_value_same_bytes_in_two_fresh_processes() -> None:
    # The two interpreters run at the same time (each lab at defaults: serially they took 79 s of CI).
    one, other = _start_digests("1"), _start_digests("4242")
    first, second = _digests(one), _digests(other)
    assert len(first) == len(ALGORITHMS)
    assert first == second


def test_nan_and_infinities_are_null() -> None:
    assert encode([math.nan, math.inf, -math.inf]) == "[null,null,null]"
    assert encode(np.array([[1.0, np.nan], [np.inf, -np.inf]])) == "[[1.0,null],[null,null]]"
    assert encode({"a": np.float64("nan"), "b": np.float32("inf")}) == '{"a":null,"b":null}'
    assert encode(np.array([1.0, np.nan], dtype=object)) == "[1.0,null]"


def test_numpy_scalars_and_arrays_are_plain_numbers() -> None:
    value = {
        "b": np.bool_(True),
        "i": np.int64(-3),
        "u": np.uint8(250),
        "f": np.float64(0.25),
        "bools": np.array([True, False]),
        "ints": np.arange(4, dtype=np.int32).reshape(2, 2),
        "empty": np.zeros((0, 3)),
        "zero_d": np.array(3.5),
    }
    assert encode(value) == (
        '{"b":true,"i":-3,"u":250,"f":0.25,"bools":[true,false],"ints":[[0,1],[2,3]],"empty":[],"zero_d":3.5}'
    )


def test_arrays_orjson_does_not_take_natively() -> None:
    grid = np.arange(6.0).reshape(2, 3)
    assert encode(grid.T) == "[[0.0,3.0],[1.0,4.0],[2.0,5.0]]"  # not C-contiguous
    assert encode(np.arange(6)[::2]) == "[0,2,4]"  # strided
    assert encode(np.array([1.5, 2.5], dtype=">f8")) == "[1.5,2.5]"  # big-endian
    assert encode(np.array(["ab", "é"])) == '["ab","é"]'  # strings
    assert encode(np.array([{"k": np.int64(1)}, None], dtype=object)) == '[{"k":1},null]'


def test_keys_tuples_mappings_text() -> None:
    """Compact, keys as strings, insertion order, UTF-8 kept (not \\u-escaped)."""
    assert encode({1: "a", 2.5: "b"}) == '{"1":"a","2.5":"b"}'
    assert encode({np.int64(7): 1, "x": {np.str_("y"): 2}}) == '{"7":1,"x":{"y":2}}'  # the slow path
    assert encode((1, (2, 3))) == "[1,[2,3]]"
    assert encode(MappingProxyType({"a": 1})) == '{"a":1}'
    assert encode(OrderedDict([("z", 1), ("a", 2)])) == '{"z":1,"a":2}'  # insertion order, never sorted
    assert encode({"caption": "Point 17 → cluster 2, σ² = 0.5"}) == '{"caption":"Point 17 → cluster 2, σ² = 0.5"}'
    assert encode(-0.0) == "-0.0"


def test_float64_text_is_the_shortest_repr_with_the_same_value() -> None:
    assert encode(1e-05) == "0.00001"  # json.dumps wrote 1e-05: other text, the same number
    assert json.loads(encode(1e-05)) == 1e-05
    rng = np.random.default_rng(0)
    values = rng.standard_normal(1_000) * 10.0 ** rng.integers(-300, 300, 1_000)
    assert json.loads(encode(values)) == values.tolist()


def test_float32_is_sent_by_its_own_shortest_repr_and_round_trips_exactly() -> None:
    """Deliberately not widened to float64 first (``app/encoding.py`` says why)."""
    assert encode(np.float32(0.1)) == "0.1"
    values = np.random.default_rng(1).standard_normal(1_000).astype(np.float32)
    back = np.array(json.loads(encode(values)), dtype=np.float32)
    assert np.array_equal(back, values)  # every float32 comes back with the very same bits
    assert np.array_equal(
        np.array(json.loads(encode(values.astype(np.float16))), dtype=np.float16), values.astype(np.float16)
    )


def test_dumps_is_the_same_text_and_to_jsonable_plain_python() -> None:
    value = {"params": {"k": 3, "lr": 1e-3, "name": "moons"}, "seed": 0}
    assert dumps(value) == encode(value) == '{"params":{"k":3,"lr":0.001,"name":"moons"},"seed":0}'
    assert to_jsonable({"a": np.arange(3), "b": (np.float64(np.nan),)}) == {"a": [0, 1, 2], "b": [None]}


def test_text_is_pinned_for_a_known_value() -> None:
    """Pinned text: a change of orjson's float or key text shows up here, not as a silent cache miss."""
    value = {"x": np.linspace(0, 1, 11), "k": np.int64(3), "ok": True, "label": "é", "none": None}
    text = encode(value)
    assert text == (
        '{"x":[0.0,0.1,0.2,0.30000000000000004,0.4,0.5,0.6000000000000001,0.7000000000000001,0.8,0.9,1.0],'
        '"k":3,"ok":true,"label":"é","none":null}'
    )
