"""What the lab tests share: a lab run straight through its engine (params validated as the API would), and the
first error of a 422 from the API (the field it names and the words)."""

from __future__ import annotations

from typing import Any

import numpy as np
from fastapi.testclient import TestClient

from app.core.algorithm import Algorithm
from app.core.frame import Frame, drain
from app.core.limits import DEFAULT_LIMITS


def run_lab(lab: Algorithm[Any, Any], raw: dict[str, Any], seed: int = 0) -> tuple[list[Frame], dict[str, Any]]:
    """Every frame and the result of ``lab`` at ``raw`` (validated by its params model) and ``seed``."""
    params = lab.params_model.model_validate(raw)
    return drain(lab.engine(lab.prepare(params, DEFAULT_LIMITS), params, np.random.default_rng(seed)))


def first_error(client: TestClient, url: str, params: dict[str, Any]) -> dict[str, Any]:
    """The first entry of the 422's ``detail`` for a run of ``params`` posted to ``url`` (asserting the 422)."""
    response = client.post(url, json={"params": params, "seed": 1})
    assert response.status_code == 422, response.text[:500]
    detail: list[dict[str, Any]] = response.json()["detail"]
    return detail[0]
