"""The hierarchical, DBSCAN and PCA labs over HTTP: contract fields, figures, and bad input → 422 naming the field."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import parse_sse


def _run(client: TestClient, algorithm: str, params: dict[str, Any], figure: bool = False) -> Any:
    return client.post(
        f"/api/v1/algorithms/{algorithm}/runs" + ("?figure=true" if figure else ""), json={"params": params, "seed": 0}
    )


def test_hierarchical_contract_fields(client: TestClient) -> None:
    body = _run(client, "hierarchical", {}).json()
    assert body["params"]["dataset"]["n_samples"] == 40 and body["params"]["n_clusters"] == 3
    frames = body["frames"]
    assert len(frames) == 40 and {f["kind"] for f in frames} == {"merge", "cut"}
    for frame in frames[:-1]:
        assert {"merged", "distance", "size", "n_clusters"} <= set(frame["state"])
        assert len(frame["state"]["merged"]) == 2
    result = body["result"]
    assert len(result["linkage_matrix"]) == 39 and len(result["linkage_matrix"][0]) == 4
    assert len(result["labels"]) == 40 and set(result["labels"]) == {0, 1, 2}
    assert -1 <= result["cophenetic_correlation"] <= 1


def test_hierarchical_figure_has_three_panels_for_small_n(client: TestClient) -> None:
    body = _run(client, "hierarchical", {}, figure=True).json()
    scene = body["scene"]
    # points, dendrogram, this merge, the proximity matrix; then legend-only keys (no points of their own)
    assert [t["type"] for t in scene["data"][:4]] == ["scatter", "scatter", "scatter", "heatmap"]
    assert all(t["x"] == [None] and t["showlegend"] for t in scene["data"][4:])
    assert scene["data"][1]["x"]["dtype"] == "f4"  # the whole dendrogram, sent once
    assert {"xaxis2", "yaxis2", "xaxis3", "yaxis3"} <= set(scene["layout"])
    merge = body["frames"][5]["figure"]
    assert merge["data"][3]["z"]["shape"] == "35, 35"
    assert any(s["type"] == "rect" and s.get("yref") == "y2" for s in merge["layout"]["shapes"])  # the fog
    bigger = _run(client, "hierarchical", {"dataset": {"name": "blobs", "n_samples": 100}}, figure=True).json()
    assert "heatmap" not in [t["type"] for t in bigger["scene"]["data"]]


def test_hierarchical_divisive_streams_splits(client: TestClient) -> None:
    response = client.post(
        "/api/v1/algorithms/hierarchical/runs",
        json={"params": {"mode": "divisive", "n_clusters": 4}},
        headers={"Accept": "text/event-stream"},
    )
    events = parse_sse(response.text)
    kinds = [e["data"]["kind"] for e in events if e["event"] == "frame"]
    assert kinds == ["start", "split", "split", "split", "cut"]
    result = events[-1]["data"]
    assert result["linkage_matrix"] is None and len(set(result["labels"])) == 4


def test_dbscan_contract_fields_and_k_distance_panel(client: TestClient) -> None:
    body = _run(client, "dbscan", {}, figure=True).json()
    frames = body["frames"]
    assert [f["kind"] for f in frames[:3]] == ["core", "border", "noise"] and frames[-1]["kind"] == "done"
    for frame in frames:
        assert {"labels", "kinds", "frontier"} <= set(frame["state"])
        assert set(frame["state"]["kinds"]) <= {"core", "border", "noise"}
    result = body["result"]
    assert {"labels", "core_sample_indices", "n_clusters", "n_noise"} <= set(result)
    assert result["n_clusters"] == 2 and result["n_noise"] > 0  # the defaults show noise
    assert body["panels"][0]["id"] == "k-distance"


def test_pca_contract_fields(client: TestClient) -> None:
    body = _run(client, "pca", {"dataset": {"name": "wine"}, "n_components": 3}, figure=True).json()
    kinds = [f["kind"] for f in body["frames"]]
    assert kinds == [
        "raw",
        "standardize",
        "covariance",
        "eigenvectors",
        "projection",
        "variance",
        "reconstruction",
        "reconstruction",
        "reconstruction",
    ]
    result = body["result"]
    assert len(result["components"]) == 3 and len(result["components"][0]) == 13
    assert len(result["explained_variance_ratio"]) == 3
    assert len(result["projected"]) == 178 and len(result["projected"][0]) == 3
    assert len(result["mean"]) == len(result["scale"]) == 13
    assert body["frames"][2]["figure"]["data"][6]["z"]["shape"] == "13, 13"


def test_pca_lists_its_own_datasets_for_the_page(client: TestClient) -> None:
    schema = client.get("/api/v1/algorithms/pca").json()["params_schema"]
    names = [d["name"] for d in schema["properties"]["dataset"]["x-datasets"]]
    assert names == ["gaussian2d", "gaussian3d", "iris", "wine", "breast_cancer", "digits"]


BAD = [
    ("dbscan", {"eps": 0}, ["eps"], "greater than 0"),
    ("dbscan", {"eps": -1}, ["eps"], "greater than 0"),
    ("dbscan", {"min_samples": 0}, ["min_samples"], "greater than or equal to 1"),
    ("hierarchical", {"linkage": "ward", "metric": "cityblock"}, ["metric"], "ward linkage needs the euclidean"),
    ("hierarchical", {"linkage": "centroid", "metric": "cosine"}, ["metric"], "euclidean"),
    ("hierarchical", {"dataset": {"name": "blobs", "n_samples": 3000}}, ["dataset"], "at most 2000 points"),
    ("hierarchical", {"n_clusters": None}, ["distance_threshold"], "set n_clusters or distance_threshold"),
    ("hierarchical", {"distance_threshold": 0}, ["distance_threshold"], "greater than 0"),
    ("hierarchical", {"mode": "divisive", "n_clusters": 100}, ["n_clusters"], "at most 64"),
    ("hierarchical", {"mode": "divisive", "distance_threshold": 2}, ["distance_threshold"], "agglomerative"),
    (
        "hierarchical",
        {"metric": "cosine", "linkage": "average", "dataset": {"X": [[0, 0], [1, 1], [2, 1]]}},
        ["metric"],
        "all-zero point 0",
    ),
    ("pca", {"dataset": {"name": "digits"}}, ["standardize"], "column 0 (pixel_0_0) is constant"),
    ("pca", {"dataset": {"X": [[1, 2], [1, 3], [1, 5]]}}, ["standardize"], "column 0 (x1) is constant"),
    ("pca", {"dataset": {"name": "moons"}}, ["dataset", "named"], "does not match"),
]


@pytest.mark.parametrize(
    ("algorithm", "params", "loc", "message"), BAD, ids=[f"{a}-{json.dumps(p)[:40]}" for a, p, _, _ in BAD]
)
def test_bad_input_is_a_422_naming_the_field(
    client: TestClient, algorithm: str, params: dict[str, Any], loc: list[str], message: str
) -> None:
    response = _run(client, algorithm, params)
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert detail[0]["loc"][: 2 + len(loc)] == ["body", "params", *loc]
    assert message in detail[0]["msg"]


def test_hierarchical_limit_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.main import create_app
    from app.settings import get_settings

    monkeypatch.setenv("STEPWISE_MAX_POINTS_HIERARCHICAL", "100")
    get_settings.cache_clear()
    try:  # the service reads its settings once, when the app is made; labs and schemas get limits from it
        with TestClient(create_app()) as client:
            response = _run(client, "hierarchical", {"dataset": {"name": "blobs", "n_samples": 150}})
        assert response.status_code == 422 and "at most 100 points" in response.json()["detail"][0]["msg"]
    finally:
        get_settings.cache_clear()


def test_pca_without_standardising_digits_runs(client: TestClient) -> None:
    body = _run(client, "pca", {"dataset": {"name": "digits"}, "standardize": False}).json()
    assert body["frames"][1]["kind"] == "centre" and len(body["result"]["projected"]) == 1797


# Issue 9: the reproductions, over HTTP (what a learner's browser gets).


def test_issue9_hierarchical_repros_over_http(client: TestClient) -> None:
    centroid = _run(
        client,
        "hierarchical",
        {"dataset": {"name": "uniform", "n_samples": 40, "seed": 2}, "linkage": "centroid", "n_clusters": 2},
    ).json()
    assert centroid["frames"][-1]["state"]["n_clusters"] == 2 and len(set(centroid["result"]["labels"])) == 2
    line = {"X": [[0, 0], [1, 0], [2, 0], [3, 0], [4, 0], [5, 0]]}
    tied = _run(client, "hierarchical", {"dataset": line, "linkage": "single", "n_clusters": 3}).json()
    cut = tied["frames"][-1]
    assert cut["state"]["n_clusters"] == 3 and cut["state"]["cophenetic_correlation"] is None
    assert "nan" not in cut["caption"] and tied["result"]["cophenetic_correlation"] is None
    divisive = _run(
        client,
        "hierarchical",
        {"mode": "divisive", "n_clusters": 3, "dataset": {"X": [[0, 0], [0, 0], [0, 0], [0, 0], [5, 5]]}},
        figure=True,
    ).json()
    assert divisive["frames"][-1]["state"]["n_clusters"] == 2
    assert "not the 3 asked for" in divisive["frames"][-1]["caption"]


def test_issue9_dbscan_border_rule_is_a_param_with_sklearns_default(client: TestClient) -> None:
    schema = client.get("/api/v1/algorithms/dbscan").json()["params_schema"]
    assert schema["properties"]["border_rule"]["default"] == "first-cluster"
    assert set(schema["properties"]["border_rule"]["enum"]) == {"first-cluster", "nearest-core"}
    body = _run(client, "dbscan", {"border_rule": "nearest-core"}, figure=True).json()
    kinds = [f["kind"] for f in body["frames"]]
    assert kinds[-2:] == ["reassign", "done"] and "figure" in body["frames"][-2]
    default = _run(client, "dbscan", {}).json()
    assert "reassign" not in [f["kind"] for f in default["frames"]]


def test_issue9_pca_constant_data_over_http(client: TestClient) -> None:
    body = _run(
        client, "pca", {"dataset": {"X": [[1, 2], [1, 2], [1, 2]]}, "standardize": False, "n_components": 1}
    ).json()
    captions = " ".join(f["caption"] for f in body["frames"])
    assert "x1 and x1" not in captions and "100.0 %" not in captions
    assert body["result"]["explained_variance_ratio"] == [0.0]
