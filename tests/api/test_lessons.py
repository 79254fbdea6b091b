"""GET /api/v1/lessons and /api/v1/lessons/{day}: the path as data for other tools (issue 18)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.lessons import LAST_DAY


def test_the_list_has_every_day_with_its_lab_preset_and_prompts(client: TestClient) -> None:
    response = client.get("/api/v1/lessons")
    assert response.status_code == 200
    lessons = response.json()
    assert [lesson["day"] for lesson in lessons] == list(range(1, LAST_DAY + 1))
    labs = {a["id"] for a in client.get("/api/v1/algorithms").json()}
    for lesson in lessons:
        assert lesson["lab"] in labs
        assert lesson["href"].startswith(f"/lessons/{lesson['day']}?seed=")
        assert 2 <= len(lesson["prompts"]) <= 4 and lesson["text"] and lesson["question"]


def test_one_day_is_the_same_document_and_its_params_run(client: TestClient) -> None:
    lesson = client.get("/api/v1/lessons/32").json()
    assert lesson == client.get("/api/v1/lessons").json()[31]
    assert lesson["previous"] == 31 and lesson["next"] == 33
    assert lesson["lab"] == "optimizers" and lesson["params"]["kappa"] == 50
    run = client.post(f"/api/v1/algorithms/{lesson['lab']}/runs", json={"params": lesson["params"], "seed": 0})
    assert run.status_code == 200 and run.json()["params"] == lesson["params"]


def test_a_day_off_the_path_is_a_404_and_not_a_number_a_422(client: TestClient) -> None:
    for day in (0, LAST_DAY + 1, 10**9):
        response = client.get(f"/api/v1/lessons/{day}")
        assert response.status_code == 404
        assert f"day {day}" in response.json()["detail"] and f"to day {LAST_DAY}" in response.json()["detail"]
    response = client.get("/api/v1/lessons/ten")
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["path", "day"]


def test_the_path_is_in_the_openapi_document(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert "/api/v1/lessons" in paths and "/api/v1/lessons/{day}" in paths
