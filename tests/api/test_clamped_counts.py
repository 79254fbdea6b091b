"""Counts the data contradicts are clamped, not refused (issue 12, shared contract 2), over HTTP.

A k above the points, a batch above the training rows, min_samples above the points, n_clusters above the
points, n_components above the features: each run answers 200, its first caption begins with one note
sentence in words ("Note: k = 15 is more than the 4 training points, so k = 4 is used."), and everything
else (every other frame, every frame's state, the result) is exactly the run asked with the used value. Where
the lab has a library oracle, the clamped run agrees with it run at the used value.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sklearn.cluster import DBSCAN, AgglomerativeClustering, KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import adjusted_rand_score
from sklearn.neighbors import KNeighborsClassifier

from tests.conftest import parse_sse

X4 = [[0.0, 0.0], [0.3, 0.1], [2.0, 2.0], [2.2, 1.7]]
X6 = [[0.0, 0.0], [0.2, 0.1], [1.0, 1.0], [1.1, 0.9], [0.1, 0.3], [0.9, 1.2]]
Y6 = [0, 0, 1, 1, 0, 1]
X3D = [[0.0, 1.0, 2.0], [1.0, 0.5, 0.0], [2.0, 2.5, 1.0], [0.5, 1.5, 3.0], [1.5, 0.0, 2.0]]
GD = {"X": [[0.0], [1.0], [2.0]], "y": [1.0, 2.9, 5.1]}

# (lab, params asked, the same params with the used value, the note frame 0 begins with)
CASES: list[tuple[str, dict[str, Any], dict[str, Any], str]] = [
    (
        "kmeans",
        {"dataset": {"X": X4}, "k": 7, "elbow_max_k": 3},
        {"dataset": {"X": X4}, "k": 4, "elbow_max_k": 3},
        "Note: k = 7 is more than the 4 points, so k = 4 is used.",
    ),
    (
        "kmeans",
        {"dataset": {"X": X4}, "k": 2, "elbow_max_k": 10},
        {"dataset": {"X": X4}, "k": 2, "elbow_max_k": 4},
        "Note: the elbow plot's largest k = 10 is more than the 4 points, so it stops at k = 4.",
    ),
    (
        "kmeans",
        {"dataset": {"X": X4}, "k": 6, "init": [[0, 0], [1, 1], [2, 2], [3, 3], [4, 4], [5, 5]]},
        {"dataset": {"X": X4}, "k": 4, "init": [[0, 0], [1, 1], [2, 2], [3, 3]], "elbow_max_k": 4},
        "Note: k = 6 is more than the 4 points, so k = 4 is used (the first 4 init points; the elbow plot stops "
        "at k = 4 too).",
    ),
    (
        "dbscan",
        {"dataset": {"X": X4}, "eps": 0.5, "min_samples": 8},
        {"dataset": {"X": X4}, "eps": 0.5, "min_samples": 4},
        "Note: min samples = 8 is more than the 4 points, so min samples = 4 is used.",
    ),
    (
        "hierarchical",
        {"dataset": {"X": X4}, "n_clusters": 9},
        {"dataset": {"X": X4}, "n_clusters": 4},
        "Note: number of clusters = 9 is more than the 4 points, so number of clusters = 4 is used.",
    ),
    (
        "hierarchical",
        {"dataset": {"X": X4}, "mode": "divisive", "n_clusters": 9},
        {"dataset": {"X": X4}, "mode": "divisive", "n_clusters": 4},
        "Note: number of clusters = 9 is more than the 4 points, so number of clusters = 4 is used.",
    ),
    (
        "pca",
        {"dataset": {"X": X3D}, "n_components": 5},
        {"dataset": {"X": X3D}, "n_components": 3},
        "Note: number of components = 5 is more than the 3 features, so number of components = 3 is used.",
    ),
    (
        "knn",
        {"dataset": {"X": X6, "y": Y6}, "k": 15},
        {"dataset": {"X": X6, "y": Y6}, "k": 4},
        "Note: k = 15 is more than the 4 training points, so k = 4 is used.",
    ),
    (
        "logistic-regression",
        {"dataset": {"X": X6, "y": Y6}, "batch_size": 32, "epochs": 20},
        {"dataset": {"X": X6, "y": Y6}, "batch_size": 4, "epochs": 20},
        "Note: batch size = 32 is more than the 4 training points, so batch size = 4 is used: every step uses all "
        "of them (full batch).",
    ),
    (
        "neural-network",
        {"dataset": {"X": X6, "y": Y6}, "batch_size": 50, "epochs": 10},
        {"dataset": {"X": X6, "y": Y6}, "batch_size": 3, "epochs": 10},
        "Note: batch size = 50 is more than the 3 training points, so batch size = 3 is used: every step uses all "
        "of them (full-batch gradient descent).",
    ),
    (
        "gradient-descent",
        {"dataset": GD, "batch_size": 16, "epochs": 5},
        {"dataset": GD, "batch_size": 3, "epochs": 5},
        "Note: batch size = 16 is more than the 3 rows, so batch size = 3 is used: mini-batch is then the same as batch.",
    ),
]
IDS = [f"{lab}-{next(k for k in asked if k != 'dataset')}" for lab, asked, _, _ in CASES]


def _run(client: TestClient, lab: str, params: dict[str, Any]) -> dict[str, Any]:
    response = client.post(f"/api/v1/algorithms/{lab}/runs", json={"params": params, "seed": 3})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize(("lab", "asked", "used", "note"), CASES, ids=IDS)
def test_a_count_above_the_data_runs_with_the_used_value_and_says_so_first(
    client: TestClient, lab: str, asked: dict[str, Any], used: dict[str, Any], note: str
) -> None:
    clamped, plain = _run(client, lab, asked), _run(client, lab, used)
    first = clamped["frames"][0]["caption"]
    assert first == f"{note} {plain['frames'][0]['caption']}"
    assert first.count("Note:") == 1 and "_" not in note  # one sentence, in words
    assert all("Note:" not in f["caption"] for f in clamped["frames"][1:])
    assert [{**f, "caption": None} for f in clamped["frames"]] == [{**f, "caption": None} for f in plain["frames"]]
    later = [f["caption"] for f in clamped["frames"][1:]]
    expected = plain["result"]
    if lab == "knn":  # the sweep's last frame and one result field also say which k was asked for
        stop = f" k = {asked['k']} was asked, but there are only 4 training points, so the sweep stops at k = 4."
        assert stop in later[-1]
        later[-1] = later[-1].replace(stop, "")
        assert clamped["result"]["requested_k"] == asked["k"]
        expected = {**expected, "requested_k": asked["k"]}
    assert later == [f["caption"] for f in plain["frames"][1:]]
    assert clamped["result"] == expected
    echoed = {k: v for k, v in clamped["params"].items() if k in asked and k != "dataset"}
    assert echoed == {k: v for k, v in asked.items() if k != "dataset"}  # the params echo the request as asked


def test_the_stream_carries_the_note_too(client: TestClient) -> None:
    lab, asked, _, note = CASES[0]
    response = client.post(
        f"/api/v1/algorithms/{lab}/runs", json={"params": asked}, headers={"Accept": "text/event-stream"}
    )
    frames = [e for e in parse_sse(response.text) if e["event"] == "frame"]
    assert response.status_code == 200 and frames[0]["data"]["caption"].startswith(note)


def test_kmeans_with_k_above_the_points_matches_scikit_learn_at_k_equal_to_n(client: TestClient) -> None:
    body = _run(client, "kmeans", {"dataset": {"X": X4}, "k": 12, "elbow_max_k": 0})
    oracle = KMeans(n_clusters=len(X4), n_init=1, random_state=0).fit(np.array(X4))
    assert len(body["result"]["centroids"]) == len(X4) and len(set(body["result"]["labels"])) == len(X4)
    assert body["result"]["wcss"] == pytest.approx(oracle.inertia_, abs=1e-12)
    assert adjusted_rand_score(body["result"]["labels"], oracle.labels_) == 1.0


def test_dbscan_with_min_samples_above_the_points_matches_scikit_learn(client: TestClient) -> None:
    for eps in (0.5, 5.0):  # no cluster at all / every point a core point of one cluster
        body = _run(client, "dbscan", {"dataset": {"X": X4}, "eps": eps, "min_samples": 30})
        oracle = DBSCAN(eps=eps, min_samples=len(X4)).fit(np.array(X4)).labels_
        assert body["result"]["labels"] == oracle.tolist()


def test_hierarchical_with_more_clusters_than_points_puts_every_point_alone_as_scikit_learn(
    client: TestClient,
) -> None:
    body = _run(client, "hierarchical", {"dataset": {"X": X4}, "n_clusters": 40, "linkage": "average"})
    oracle = AgglomerativeClustering(n_clusters=len(X4), linkage="average").fit(np.array(X4)).labels_
    assert adjusted_rand_score(body["result"]["labels"], oracle) == 1.0 and len(set(oracle)) == len(X4)


def test_pca_with_more_components_than_features_matches_scikit_learn_at_d(client: TestClient) -> None:
    body = _run(client, "pca", {"dataset": {"X": X3D}, "n_components": 9, "standardize": False})
    oracle = PCA(n_components=3).fit(np.array(X3D))
    assert len(body["result"]["components"]) == 3
    assert body["result"]["explained_variance_ratio"] == pytest.approx(oracle.explained_variance_ratio_.tolist())
    wide = _run(client, "pca", {"dataset": {"X": [[1.0, 2.0, 3.0, 4.0], [2.0, 1.0, 0.0, 1.0]]}, "standardize": False,
                                "n_components": 4})  # fmt: skip
    assert wide["frames"][0]["caption"].startswith(
        "Note: number of components = 4 is more than the 2 points, so number of components = 2 is used."
    )


def test_knn_with_k_above_the_training_points_matches_scikit_learn_at_k_equal_to_n(client: TestClient) -> None:
    body = _run(client, "knn", {"dataset": {"X": X6, "y": Y6}, "k": 50})
    result = body["result"]
    train, test = result["train_indices"], result["test_indices"]
    X, y = np.array(X6), np.array(Y6)
    oracle = KNeighborsClassifier(n_neighbors=len(train)).fit(X[train], y[train])
    assert result["k"] == len(train) and body["frames"][-1]["state"]["k"] == len(train)
    assert result["test_accuracy"] == pytest.approx(oracle.score(X[test], y[test]))
    assert result["train_accuracy"] == pytest.approx(oracle.score(X[train], y[train]))


THREE = [[0.0, 0.0], [1.0, 0.2], [0.3, 1.0]]
TINY: dict[str, dict[str, Any]] = {
    "kmeans": {"X": THREE},
    "dbscan": {"X": THREE},
    "hierarchical": {"X": THREE},
    "pca": {"X": THREE},
    "logistic-regression": {"X": THREE, "y": [0, 1, 0]},
    "perceptron": {"X": THREE, "y": [0, 1, 0]},
    "knn": {"X": THREE, "y": [0, 1, 0]},
    "svm": {"X": THREE, "y": [0, 1, 0]},
    "neural-network": {"X": THREE, "y": [0, 1, 0]},
    "gradient-descent": {"X": THREE, "y": [0.0, 1.0, 2.0]},
}


@pytest.mark.parametrize("lab", sorted(TINY))
def test_three_drawn_points_run_on_every_2d_lab_at_its_defaults(client: TestClient, lab: str) -> None:
    body = _run(client, lab, {"dataset": TINY[lab]})
    assert body["frames"] and body["frames"][0]["caption"]


def test_only_data_no_clamp_can_fix_is_refused_naming_the_field(client: TestClient) -> None:
    one_class = client.post("/api/v1/algorithms/knn/runs", json={"params": {"dataset": {"X": THREE, "y": [1, 1, 1]}}})
    assert one_class.status_code == 422 and one_class.json()["detail"][0]["loc"][-2:] == ["dataset", "y"]
    one_point = client.post("/api/v1/algorithms/hierarchical/runs", json={"params": {"dataset": {"X": [[0, 0]]}}})
    assert one_point.status_code == 422 and one_point.json()["detail"][0]["loc"][-1] == "dataset"
    bound = client.post("/api/v1/algorithms/knn/runs", json={"params": {"k": 51}})  # the schema's own bound stays
    assert bound.status_code == 422 and bound.json()["detail"][0]["loc"][-1] == "k"
