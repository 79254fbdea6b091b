"""The softmax lab through its catalog entry and the API: defaults, the big-logits preset, the 422s naming the
field (target ≥ K naming K, class names that do not match, a logit that is not finite or too large, a temperature of
0, 10⁶ steps), and the default-config claims (the loss falls, the result agrees with torch)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from fastapi.testclient import TestClient

from app.core.frame import drain
from app.core.limits import DEFAULT_LIMITS
from app.labs.softmax import SOFTMAX
from app.schemas.common import ParamsError
from app.schemas.softmax import BIG_LOGITS, SoftmaxParams


def _post(client: TestClient, params: dict[str, Any]) -> Any:
    return client.post("/api/v1/algorithms/softmax/runs", json={"params": params, "seed": 0})


def _run(params: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
    model = SoftmaxParams.model_validate(params)
    return drain(SOFTMAX.engine(SOFTMAX.prepare(model, DEFAULT_LIMITS), model, np.random.default_rng(0)))


def test_defaults_teach_every_move_and_the_loss_falls_to_what_torch_gives() -> None:
    frames, result = _run({})
    assert [f.kind for f in frames[:8]] == [
        "logits",
        "exp",
        "normalise",
        "stability",
        "loss",
        "log-softmax",
        "gradient",
        "temperature",
    ]
    assert frames[-1].kind == "done" and len(frames) == 8 + 20 + 1
    z = torch.tensor([2.0, 1.0, 0.1, -1.0], dtype=torch.float64)
    assert abs(result["initial_loss"] - float(F.cross_entropy(z.unsqueeze(0), torch.tensor([0])))) < 1e-12
    assert result["final_loss"] < result["initial_loss"] / 10
    assert "−log 0.6381 = 0.4493" in frames[4].caption
    assert "0.6381 − 1 = -0.3619" in frames[6].caption


def test_the_big_logits_preset_says_overflow_in_words_and_the_stable_numbers() -> None:
    frames, _ = _run({"source": "big", "steps": 2})
    exp, stability = frames[1], frames[3]
    assert exp.state["naive"]["problem"] == "overflow" and exp.state["naive"]["exp"] == [None, None, None]
    assert "infinity" in exp.caption and "not a number" in stability.caption
    np.testing.assert_allclose(stability.state["exp"], np.exp(np.array(BIG_LOGITS) - 1001.0))
    np.testing.assert_allclose(
        stability.state["probabilities"],
        torch.softmax(torch.tensor(BIG_LOGITS, dtype=torch.float64), 0).numpy(),
        rtol=1e-12,
    )
    assert "big-logits preset" in frames[0].caption


def test_class_names_label_the_classes() -> None:
    frames, _ = _run({"logits": [0.5, 2.0, -1.0], "class_names": "cat, dog, bird", "target": 1, "steps": 1})
    assert frames[0].state["class_names"] == ["cat", "dog", "bird"]
    assert "dog" in frames[0].caption and "p(dog)" in frames[4].caption


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"target": 4}, "target", "4 classes"),
        ({"source": "big", "target": 3}, "target", "3 classes"),
        ({"class_names": "a, b"}, "class_names", "2 names given for 4 classes"),
        ({"class_names": "a, b, a, c"}, "class_names", "used twice"),
        ({"class_names": "a, , b, c"}, "class_names", "empty"),
    ],
)
def test_checks_that_need_k_are_422s_naming_the_field(params: dict[str, Any], field: str, words: str) -> None:
    model = SoftmaxParams.model_validate(params)
    with pytest.raises(ParamsError) as caught:
        SOFTMAX.prepare(model, DEFAULT_LIMITS)
    assert caught.value.loc == (field,) and words in caught.value.msg


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"logits": [1.0]}, "logits"),
        ({"logits": [0.0] * 11}, "logits"),
        ({"logits": [1.0, 1e5]}, "logits"),
        ({"temperature": 0}, "temperature"),
        ({"lr": 0}, "lr"),
        ({"steps": 1_000_000}, "steps"),
        ({"target": -1}, "target"),
        ({"source": "learned"}, "source"),
        ({"source": "model", "flower": 150}, "flower"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_bad_params_are_422s_naming_the_field(client: TestClient, params: dict[str, Any], field: str) -> None:
    response = _post(client, params)
    assert response.status_code == 422, response.text
    locs = [error["loc"] for error in response.json()["detail"]]
    assert any(field in loc for loc in locs), locs


def test_a_target_beyond_k_is_a_422_through_the_api(client: TestClient) -> None:
    response = _post(client, {"logits": [1, 2], "target": 2})
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"][-1] == "target" and "2 classes" in error["msg"]


def test_a_non_finite_logit_is_refused(client: TestClient) -> None:
    body = '{"params": {"logits": [1, NaN]}}'
    response = client.post(
        "/api/v1/algorithms/softmax/runs", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422


def test_the_small_model_scores_one_iris_flower_whose_species_is_the_target() -> None:
    frames, result = _run({"source": "model", "flower": 120, "steps": 4})
    first = frames[0].state
    assert first["class_names"] == ["setosa", "versicolor", "virginica"] and first["target"] == 2
    model = first["model"]
    np.testing.assert_allclose(first["logits"], np.asarray(model["weights"]) @ model["features"] + model["bias"])
    assert "iris flower 120" in frames[0].caption and "virginica" in frames[0].caption
    assert "∂loss/∂W" in frames[6].caption and "W ← W" in frames[8].caption
    assert result["final_loss"] < result["initial_loss"]
    other, _ = drain(  # another seed, other random weights
        SOFTMAX.engine(
            SOFTMAX.prepare(SoftmaxParams(source="model", flower=120), DEFAULT_LIMITS),
            SoftmaxParams(source="model", flower=120),
            np.random.default_rng(1),
        )
    )
    assert other[0].state["logits"].tolist() != first["logits"].tolist()
