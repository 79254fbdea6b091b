"""Fuzz every lab through HTTP against its real params schema (and every dataset against its spec).

The published OpenAPI schema leaves a run's ``params`` opaque, so schemathesis alone never reaches an engine.
Here each lab's ``params_model.model_json_schema()`` (and each dataset's ``params_schema``) is turned into a
hypothesis strategy: mostly valid requests on tiny data (duplicates, collinear points, one class, n = 1..8),
and "nasty" ones where a few leaves become NaN / ±Infinity literals, 1e308, -0.0, 10**30, 2**64 or the
wrong type. Every answer must hold (``problems`` returns what does not):

* never a 5xx (a lab that raises on valid params is reported with the exact request), never a non-JSON body,
  always the security headers;
* a 4xx is ``{"detail": ...}``: a list of errors each with ``msg`` and a ``loc`` naming a field (below
  ``body``/``query``), or a limit (``fault: "limit"`` naming its ``setting``), or a string;
* a 200 run is a document with frames, and no frame metric is NaN.

``python -m tests.perf.fuzz_labs --cases 2000 [--lab kmeans] [--seed 1]`` runs the cases (spread over the
labs and datasets) and prints, per lab, the counts by status and every distinct problem with one request
that shows it. ``tests/api/test_lab_fuzz.py`` runs a few hundred of them on every ``make test``.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st
from starlette.testclient import TestClient

from app.catalog import all_algorithms
from app.main import create_app
from app.schemas.datasets import dataset_catalog
from app.settings import Settings

Json = Any
SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "x-frame-options")
NASTY_NUMBERS: list[Json] = [
    math.nan,
    math.inf,
    -math.inf,
    1e308,
    -1e308,
    -0.0,
    10**30,
    -(10**30),
    2**64,
    2**63,
    1e-308,
    5e-324,
    -1,
    0,
]
NASTY_OTHER: list[Json] = ["x", "", None, [], {}, True, "NaN", "1e308"]
INT_SPAN = 12  # integers are drawn from [min, min + INT_SPAN] (plus the bounds in wild mode): tiny, fast runs
ARRAY_EXTRA = 4  # arrays get at most minItems + ARRAY_EXTRA items


def fuzz_settings() -> Settings:
    """Small limits so no case can run long: 600 points (the largest bundled table fits), 5 s per run."""
    return Settings(max_points=600, run_timeout_s=5.0, max_concurrent_runs=64, cache_entries=0)


# --------------------------------------------------------------------------- JSON Schema → strategy


class SchemaStrategies:
    """Strategies for the values a pydantic JSON Schema describes.

    ``nasty``: each leaf is sometimes replaced by a hostile value. ``wild``: integer and number bounds
    (the slowest settings) are drawn too, not only small values near the minimum.
    """

    def __init__(self, schema: dict[str, Any], *, nasty: bool, wild: bool = False) -> None:
        self.defs = schema.get("$defs", {})
        self.nasty = nasty
        self.wild = wild
        self.root = schema

    def build(self) -> st.SearchStrategy[Json]:
        return self.of(self.root)

    def _leaf(self, valid: st.SearchStrategy[Json], numeric: bool) -> st.SearchStrategy[Json]:
        if not self.nasty:
            return valid
        hostile = st.sampled_from(NASTY_NUMBERS if numeric else NASTY_OTHER + NASTY_NUMBERS[:3])
        return st.one_of(*([valid] * 8), hostile)  # about one leaf in nine

    def of(self, schema: dict[str, Any]) -> st.SearchStrategy[Json]:
        if "$ref" in schema:
            return st.deferred(lambda: self.of(self.defs[schema["$ref"].split("/")[-1]]))
        for key in ("anyOf", "oneOf"):
            if key in schema:
                return st.one_of(*(self.of(branch) for branch in schema[key]))
        if "allOf" in schema and len(schema["allOf"]) == 1:
            return self.of(schema["allOf"][0])
        if "const" in schema:
            return st.just(schema["const"])
        if "enum" in schema:
            return self._leaf(st.sampled_from(schema["enum"]), numeric=False)
        kind = schema.get("type")
        if isinstance(kind, list):
            return st.one_of(*(self.of({**schema, "type": k}) for k in kind))
        maker: dict[str, Callable[[dict[str, Any]], st.SearchStrategy[Json]]] = {
            "integer": self._integer,
            "number": self._number,
            "string": self._string,
            "boolean": lambda s: self._leaf(st.booleans(), numeric=False),
            "null": lambda s: st.none(),
            "array": self._array,
            "object": self._object,
        }
        if kind in maker:
            return maker[kind](schema)
        return st.one_of(st.integers(-3, 3), st.text(max_size=4), st.none())  # an untyped field

    def _integer(self, schema: dict[str, Any]) -> st.SearchStrategy[Json]:
        lo = schema.get("minimum", schema.get("exclusiveMinimum", -INT_SPAN - 1) + 1)
        hi = schema.get("maximum", schema.get("exclusiveMaximum", lo + INT_SPAN + 1) - 1)
        valid = st.integers(lo, min(hi, lo + INT_SPAN))
        if self.wild:
            valid = st.one_of(valid, st.sampled_from([lo, hi]), st.integers(lo, hi))
        return self._leaf(valid, numeric=True)

    def _number(self, schema: dict[str, Any]) -> st.SearchStrategy[Json]:
        lo = schema.get("minimum", schema.get("exclusiveMinimum"))
        hi = schema.get("maximum", schema.get("exclusiveMaximum"))
        lo_f = -10.0 if lo is None else float(lo)
        hi_f = lo_f + 10.0 if hi is None else float(hi)
        valid = st.floats(
            lo_f,
            hi_f,
            allow_nan=False,
            allow_infinity=False,
            exclude_min="exclusiveMinimum" in schema,
            exclude_max="exclusiveMaximum" in schema,
        )
        edges = [v for v in (lo, hi) if v is not None]
        if "exclusiveMinimum" not in schema and "exclusiveMaximum" not in schema and edges:
            valid = st.one_of(valid, st.sampled_from([float(v) for v in edges]))
        return self._leaf(valid, numeric=True)

    def _string(self, schema: dict[str, Any]) -> st.SearchStrategy[Json]:
        examples = [e for e in schema.get("examples", []) if isinstance(e, str)]
        valid = st.sampled_from(examples) if examples else st.text(max_size=6)
        return self._leaf(valid, numeric=False)

    def _array(self, schema: dict[str, Any]) -> st.SearchStrategy[Json]:
        if "prefixItems" in schema:
            return st.tuples(*(self.of(item) for item in schema["prefixItems"])).map(list)
        low = schema.get("minItems", 0)
        high = min(schema.get("maxItems", low + ARRAY_EXTRA), low + ARRAY_EXTRA)
        return st.lists(self.of(schema.get("items", {})), min_size=low, max_size=high)

    def _object(self, schema: dict[str, Any]) -> st.SearchStrategy[Json]:
        props: dict[str, Any] = schema.get("properties", {})
        if "X" in props and props["X"].get("type") == "array":
            return self._inline_data(schema)
        required = set(schema.get("required", []))
        fields = {}
        for name, sub in props.items():
            value = self.of(sub)
            fields[name] = value if name in required else st.one_of(st.just(_ABSENT), value)
        return st.fixed_dictionaries(fields).map(lambda d: {k: v for k, v in d.items() if v is not _ABSENT})

    def _inline_data(self, schema: dict[str, Any]) -> st.SearchStrategy[Json]:
        """Rectangular tiny X (duplicates, collinear rows, constant columns) and y when the schema has one."""
        props = schema["properties"]
        pool = st.sampled_from([0.0, 1.0, -1.0, 0.5, 2.0, 3.0, 1e-9, 1e6, -2.5])
        value = self._leaf(st.one_of(pool, st.floats(-10, 10, allow_nan=False)), numeric=True)
        y_kind = _y_kind(props.get("y", {}), self.defs)

        @st.composite
        def draw(pick: st.DrawFn) -> Json:
            n = pick(st.integers(1, 8))
            d = pick(st.sampled_from([2, 2, 2, 1, 3]))
            X = [[pick(value) for _ in range(d)] for _ in range(n)]
            if pick(st.booleans()):  # repeat rows: duplicates are where labs break
                X = [X[i % max(1, n // 2)] for i in range(n)]
            out: dict[str, Json] = {"X": X}
            if y_kind is not None and (("y" in schema.get("required", [])) or pick(st.booleans())):
                label = st.integers(0, 2) if y_kind == "integer" else st.floats(-5, 5, allow_nan=False)
                out["y"] = [pick(self._leaf(label, numeric=True)) for _ in range(n)]
            return out

        return draw()


_ABSENT = object()


def _y_kind(schema: dict[str, Any], defs: dict[str, Any]) -> str | None:
    """ "integer" or "number": the item type of an inline dataset's ``y`` (None when it has no ``y``)."""
    if not schema:
        return None
    text = json.dumps(schema)
    for ref in [r for r in defs if f"#/$defs/{r}" in text]:
        text += json.dumps(defs[ref])
    return "number" if '"number"' in text else "integer"


def run_bodies(schema: dict[str, Any], *, wild: bool = False) -> st.SearchStrategy[Json]:
    """A run request: ``{"params": ..., "seed": ...}``; one case in three is nasty."""
    valid = SchemaStrategies(schema, nasty=False, wild=wild).build()
    nasty = SchemaStrategies(schema, nasty=True, wild=wild).build()
    params = st.one_of(valid, valid, nasty)
    return st.fixed_dictionaries({"params": params, "seed": st.integers(0, 3)})


def dataset_queries(schema: dict[str, Any]) -> st.SearchStrategy[dict[str, str]]:
    """Query strings for ``GET /api/v1/datasets/{name}`` from a dataset's params schema (name excluded)."""
    schema = {
        **schema,
        "properties": {k: v for k, v in schema.get("properties", {}).items() if k != "name"},
        "required": [],
    }
    values = st.one_of(SchemaStrategies(schema, nasty=False).build(), SchemaStrategies(schema, nasty=True).build())
    hostile_text = st.sampled_from(["-0", "nan", "inf", "-inf", "1e308", "", "abc", "0,0", "9" * 40])

    def as_text(v: Json) -> str:
        if isinstance(v, list):
            return ",".join(str(x) for x in v)
        return json.dumps(v) if isinstance(v, bool) else str(v)

    @st.composite
    def draw(pick: st.DrawFn) -> dict[str, str]:
        query = {k: as_text(v) for k, v in pick(values).items()}
        if query and pick(st.integers(0, 4)) == 0:
            key = pick(st.sampled_from(sorted(query)))
            query[key] = pick(hostile_text)
        return query

    return draw()


# --------------------------------------------------------------------------- checking one answer


def _names_a_field(error: Json, roots: tuple[str, ...]) -> bool:
    """A field's path under one of ``roots``, or the whole body when the body is not an object (then the
    message must say what the body must be: there is no field to name)."""
    loc = error.get("loc") if isinstance(error, dict) else None
    if loc == ["body"] and "body" in roots:
        return str(error.get("msg", "")).startswith("the request body must be a JSON object")
    return isinstance(loc, list) and len(loc) >= 2 and loc[0] in roots and bool(error.get("msg"))


def problems(status: int, headers: Any, text: str, *, root: str = "body") -> list[str]:
    """What is wrong with one answer (empty when it is fine). ``root`` is where a 4xx must locate its error:
    "body" for runs, "query" for datasets, "any" for any request part (body, query, path, header)."""
    roots = ("body", "query", "path", "header") if root == "any" else (root, "path")
    found = []
    missing = [h for h in SECURITY_HEADERS if h not in headers]
    if missing:
        found.append(f"missing security headers {missing}")
    if status >= 500:
        found.append(f"HTTP {status}: {text[:300]}")
    try:
        body = json.loads(text)
    except ValueError:
        return [*found, f"HTTP {status} with a body that is not JSON: {text[:200]!r}"]
    if 400 <= status < 500:
        detail = body.get("detail") if isinstance(body, dict) else None
        if detail is None:
            found.append(f"HTTP {status} without a detail: {text[:200]}")
        elif isinstance(detail, list):
            bad = [e for e in detail if not _names_a_field(e, roots)]
            if bad:
                found.append(f"HTTP {status}: an error that names no field: {json.dumps(bad[0])[:200]}")
        elif body.get("fault") == "limit" and not body.get("setting"):
            found.append(f"HTTP {status}: a limit that names no setting: {text[:200]}")
    if status == 200 and root == "body":
        frames = body.get("frames")
        if not frames:
            found.append("HTTP 200 without frames")
        elif frames[-1].get("kind") != "diverged" and any(
            v is None for f in frames for v in (f.get("metrics") or {}).values()
        ):
            found.append("a frame metric is NaN or infinite (null on the wire) without a diverged end")
    return found


def outcome(status: int, text: str) -> str:
    """A short class of the answer, for counts: 200, 422, 422-limit, 500-server, ..."""
    try:
        fault = json.loads(text).get("fault") if status != 200 else None
    except (ValueError, AttributeError):
        fault = None
    return f"{status}-{fault}" if fault else str(status)


def post_run(client: TestClient, algorithm_id: str, body: Json) -> tuple[int, Any, str]:
    """POST a run with Python's JSON (NaN / Infinity literals included, as a fuzzer on the wire sends them)."""
    response = client.post(
        f"/api/v1/algorithms/{algorithm_id}/runs",
        content=json.dumps(body),
        headers={"Content-Type": "application/json"},
    )
    return response.status_code, response.headers, response.text


def get_dataset(client: TestClient, name: str, query: dict[str, str]) -> tuple[int, Any, str]:
    response = client.get(f"/api/v1/datasets/{name}?{urlencode(query)}")
    return response.status_code, response.headers, response.text


# --------------------------------------------------------------------------- the script


def targets() -> list[tuple[str, str, dict[str, Any]]]:
    """(kind, name, schema) for every lab ("run") and every shared dataset ("dataset")."""
    labs = [("run", a.id, a.params_model.model_json_schema()) for a in all_algorithms()]
    return labs + [("dataset", e["name"], e["params_schema"]) for e in dataset_catalog()]


def fuzz(
    client: TestClient, kind: str, name: str, schema: dict[str, Any], cases: int, seed: int, wild: bool
) -> tuple[Counter[str], dict[str, str]]:
    """Run ``cases`` requests; return counts by outcome and {problem: the request that shows it}."""
    counts: Counter[str] = Counter()
    found: dict[str, str] = {}
    strategy = run_bodies(schema, wild=wild) if kind == "run" else dataset_queries(schema)

    @hypothesis_seed(seed)
    @settings(max_examples=cases, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def one(case: Json) -> None:
        if kind == "run":
            status, headers, text = post_run(client, name, case)
            request = f"POST /api/v1/algorithms/{name}/runs {json.dumps(case)}"
        else:
            status, headers, text = get_dataset(client, name, case)
            request = f"GET /api/v1/datasets/{name}?{urlencode(case)}"
        counts[outcome(status, text)] += 1
        for problem in problems(status, headers, text, root="body" if kind == "run" else "query"):
            key = problem[:160]
            if key not in found or len(request) < len(found[key]):
                found[key] = request  # keep the shortest request that shows it

    one()
    return counts, found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=2000, help="requests in all, spread over labs and datasets")
    parser.add_argument("--lab", action="append", help="only this lab or dataset (repeatable)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--wild", action="store_true", help="draw the slowest settings too (bounds of ranges)")
    args = parser.parse_args(argv)
    chosen = [t for t in targets() if not args.lab or t[1] in args.lab]
    per_target = max(1, args.cases // max(1, len(chosen)))
    total: Counter[str] = Counter()
    everything: dict[str, dict[str, str]] = defaultdict(dict)
    start = time.perf_counter()
    with TestClient(create_app(fuzz_settings()), raise_server_exceptions=False) as client:
        for kind, name, schema in chosen:
            t0 = time.perf_counter()
            counts, found = fuzz(client, kind, name, schema, per_target, args.seed, args.wild)
            total.update(counts)
            everything[name].update(found)
            shown = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
            print(
                f"{kind:7s} {name:20s} {sum(counts.values()):5d} cases ({shown}) {time.perf_counter() - t0:5.1f} s"
                f"{'  PROBLEMS: ' + str(len(found)) if found else ''}",
                flush=True,
            )
    print(
        f"\n{sum(total.values())} requests in {time.perf_counter() - start:.0f} s: "
        + ", ".join(f"{k}: {v}" for k, v in sorted(total.items()))
    )
    bad = 0
    for name, found in everything.items():
        for problem, request in found.items():
            bad += 1
            print(f"\n[{name}] {problem}\n    {request[:1500]}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
