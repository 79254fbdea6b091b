"""Shared fixtures: an app with default settings and a client for it."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

# Test apps do not draw the twelve catalog previews at start-up (tests/test_previews.py draws them on purpose).
os.environ.setdefault("STEPWISE_PREVIEWS_ON_START", "false")
# One intra-op thread per process, as every run in the service has (app/producer.py): tests call engines
# directly, and pytest-xdist already runs one worker per core. Torch's default (a thread per core in each
# worker) oversubscribes the cores: a tiny CNN run measured 0.33 s on one thread and 7.2 s on two, under load.
os.environ.setdefault("OMP_NUM_THREADS", "1")

import torch  # after the thread setting above

from app.main import create_app
from app.settings import Settings

torch.set_num_threads(1)


@pytest.fixture
def settings() -> Settings:
    return Settings()


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


def parse_sse(body: str) -> list[dict[str, Any]]:
    """Split a text/event-stream body into events ``{"event", "id", "data"}`` (data JSON-decoded)."""
    events = []
    for block in body.split("\n\n"):
        if not block.strip():
            continue
        event: dict[str, Any] = {"event": "message", "id": None}
        data_lines = []
        for line in block.split("\n"):
            name, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if name == "data":
                data_lines.append(value)
            elif name in ("event", "id"):
                event[name] = value
        event["data"] = json.loads("\n".join(data_lines))
        events.append(event)
    return events
