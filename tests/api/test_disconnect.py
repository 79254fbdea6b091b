"""A client that disconnects stops its run within one frame (over a real socket, with uvicorn)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Generator, Iterator
from typing import Any

import httpx
import numpy as np
import pytest
import uvicorn
from pydantic import BaseModel, ConfigDict

from app import catalog
from app.core.frame import Frame
from app.main import create_app
from app.settings import Settings

produced: list[int] = []


class _SlowParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    delay: float = 0.05


def _slow_engine(inputs: Any, params: _SlowParams, rng: np.random.Generator) -> Generator[Frame, None, dict[str, Any]]:
    for i in range(10_000):
        time.sleep(params.delay)
        produced.append(i)
        yield Frame("tick", f"tick {i}", {"i": i}, {"i": float(i)})
    return {}


class _NoView:
    def scene(self, inputs: Any, params: Any) -> dict[str, Any]:
        return {"data": [], "layout": {}}

    def render(self, frame: Frame, inputs: Any, params: Any) -> dict[str, Any]:
        return {"data": [], "layout": {}}

    def panels(self, result: Any, inputs: Any, params: Any) -> list[dict[str, Any]]:
        return []


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    catalog.all_algorithms()
    slow = catalog.Algorithm(
        "test-slow",
        "slow",
        "Test",
        "A test engine that never ends.",
        (0,),
        _SlowParams,
        lambda p, limits: {},
        _slow_engine,
        _NoView(),
    )
    catalog._REGISTRY[slow.id] = slow
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(Settings(max_frames=5_000, cache_entries=0)), host="127.0.0.1", port=port, log_level="warning"
    )
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            httpx.get(base + "/healthz")
            break
        except httpx.TransportError:
            time.sleep(0.05)
    # Start-up priming runs every lab's first frames, this one's too (into ``produced``): wait for it to end.
    deadline = time.monotonic() + 120
    while httpx.get(base + "/readyz").status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.05)
    yield base
    uv.should_exit = True
    thread.join(5)
    del catalog._REGISTRY[slow.id]


@pytest.mark.parametrize("accept", ["text/event-stream", "application/jsonl"])
def test_disconnect_stops_the_run_within_one_frame(server: str, accept: str) -> None:
    produced.clear()
    with httpx.Client(base_url=server, timeout=10) as client:
        with client.stream("POST", "/api/v1/algorithms/test-slow/runs", json={}, headers={"Accept": accept}) as r:
            lines = r.iter_lines()
            received = 0
            for line in lines:
                if "tick" in line:
                    received += 1
                if received >= 5:
                    break
            assert client.get("/api/v1/stats").json()["active_runs"] == 1
        # The response is closed here: the server notices on its next write.
        deadline = time.monotonic() + 5
        while client.get("/api/v1/stats").json()["active_runs"] and time.monotonic() < deadline:
            time.sleep(0.02)
        assert client.get("/api/v1/stats").json()["active_runs"] == 0
        at_stop = len(produced)
        time.sleep(0.3)  # six frames' time: a run that kept going would have produced more
        assert len(produced) == at_stop
        assert at_stop <= received + 3  # frames in flight when the socket closed, plus at most one


def test_an_abandoned_json_request_stops_its_run(server: str) -> None:
    """A JSON (non-streaming) request sends nothing until the run ends; a client that gives up first must not
    leave the run computing (it held its slot 10-25 s before issue 11)."""
    produced.clear()
    with httpx.Client(base_url=server, timeout=10) as client:
        with pytest.raises(httpx.ReadTimeout):
            client.post("/api/v1/algorithms/test-slow/runs", json={}, timeout=httpx.Timeout(10, read=0.5))
        gave_up = time.monotonic()
        while client.get("/api/v1/stats").json()["active_runs"] and time.monotonic() - gave_up < 5:
            time.sleep(0.02)
        stopped_after = time.monotonic() - gave_up
        assert client.get("/api/v1/stats").json()["active_runs"] == 0
        at_stop = len(produced)
        time.sleep(0.3)
        assert len(produced) == at_stop
    assert stopped_after < 1.0
