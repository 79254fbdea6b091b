"""The SVM's kernel-trick panel tells the truth (issue 9): an exact feature map where one exists, similarities
where none does, and "a flat plane separates" only when no training point is on the wrong side."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from sklearn.datasets import make_blobs, make_moons
from sklearn.metrics.pairwise import polynomial_kernel

from app.core.frame import Frame, drain
from app.engines import boundary, svm
from app.engines.svm_space import Kernel, feature_map, poly_terms, term_name
from app.views.kernel import kernel_panel


def _run(X: np.ndarray, y: np.ndarray, test_fraction: float = 0.3, **kw: object) -> tuple[list[Frame], dict[str, Any]]:
    parts = boundary.split(y, test_fraction, np.random.default_rng(0))
    args: dict[str, Any] = {"kernel": "rbf", "C": 1.0, "gamma": "scale", "degree": 3, "coef0": 0.0, "grid_size": 20}
    args.update(kw)
    return drain(svm.run(X, y, parts, **args))


@pytest.mark.parametrize(
    ("name", "degree", "gamma", "coef0"),
    [
        ("linear", 1, 1.0, 0.0),
        ("poly", 1, 0.7, 2.0),
        ("poly", 2, 1.0, 0.0),
        ("poly", 2, 0.3, 1.5),
        ("poly", 3, 0.5, 1.0),
        ("poly", 4, 2.0, 0.0),
        ("poly", 6, 0.2, 0.5),
    ],
)
def test_feature_map_reproduces_the_kernel_exactly(name: str, degree: int, gamma: float, coef0: float) -> None:
    k = Kernel(name, gamma, degree, coef0)
    terms = poly_terms(k)
    assert terms is not None
    A = np.random.default_rng(1).normal(size=(7, 2))
    B = np.random.default_rng(2).normal(size=(5, 2))
    assert feature_map(terms, A) @ feature_map(terms, B).T == pytest.approx(k(A, B), rel=1e-10, abs=1e-12)
    if name == "poly":
        assert k(A, B) == pytest.approx(polynomial_kernel(A, B, degree=degree, gamma=gamma, coef0=coef0))


def test_degree_two_map_is_the_textbook_one() -> None:
    terms = poly_terms(Kernel("poly", 1.0, 2, 0.0))
    assert terms is not None and [term_name(*t) for t in terms] == ["x₁²", "√2·x₁x₂", "x₂²"]
    assert feature_map(terms, np.array([[2.0, 3.0]]))[0].tolist() == pytest.approx([4.0, np.sqrt(2) * 6, 9.0])


@pytest.mark.parametrize(
    "kernel", [Kernel("rbf", 1.0, 3, 0.0), Kernel("sigmoid", 0.5, 3, 0.0), Kernel("poly", 1.0, 2, -1.0)]
)
def test_no_real_finite_map_for_rbf_sigmoid_or_negative_coef0(kernel: Kernel) -> None:
    assert poly_terms(kernel) is None


@pytest.mark.parametrize(
    "settings",
    [
        {"kernel": "linear"},
        {"kernel": "poly", "degree": 2},
        {"kernel": "poly", "degree": 3, "coef0": 1.0, "gamma": 0.5},
    ],
)
def test_explicit_separator_is_the_svm_decision_function(settings: dict[str, Any]) -> None:
    X, y = make_moons(80, noise=0.2, random_state=0)
    _, result = _run(X, y, **settings)
    space = result["feature_space"]
    assert space["kind"] == "explicit"
    terms = poly_terms(
        Kernel(settings["kernel"], result["gamma"], settings.get("degree", 3), settings.get("coef0", 0.0))
    )
    assert terms is not None
    phi = feature_map(terms, X)[:, [j for j, t in enumerate(terms) if t[2] + t[3] > 0]]
    assert phi @ space["w"] + space["b"] == pytest.approx(result["decision_values"], abs=1e-8)
    assert np.asarray(space["coords"]).shape == (80, min(space["dimension"], 3))


def test_rbf_at_defaults_shows_similarities_and_counts_the_wrong_side() -> None:
    # The lab's defaults: moons (200, noise 0.2), rbf, C = 1. The old panel claimed a flat plane separated the
    # classes with 8 training points on the wrong side.
    from app.datasets import generators

    X, y = generators.moons(200, noise=0.2, seed=0)
    frames, result = _run(X, y)
    space = result["feature_space"]
    assert space["kind"] == "similarity"
    s_minus, s_plus = np.asarray(space["coords"]).T
    assert s_plus - s_minus - space["rho"] == pytest.approx(result["decision_values"], abs=1e-8)
    train = result["train_indices"]
    wrong = set(space["wrong"].tolist())
    assert wrong == set(train[(result["decision_values"][train] > 0) != (y[train] == 1)].tolist())
    assert len(wrong) == round((1 - frames[-1].state["train_accuracy"]) * train.size) > 0
    caption = frames[-1].caption
    assert "infinitely many dimensions" in caption and f"{len(wrong)} training points are on the wrong side" in caption
    assert "separates" not in caption and "exp(−" in caption
    long = space["caption"]
    assert "A kernel is a similarity" in long and f"{len(wrong)} training points still lie on the wrong side" in long
    panel = kernel_panel(result, y)
    assert (
        panel["caption"] == space["caption"] and f"({len(wrong)} training points on the wrong side)" in panel["title"]
    )


def test_flat_plane_claimed_only_when_it_separates() -> None:
    X, y = make_blobs(40, centers=[[-3, 0], [3, 0]], cluster_std=0.5, random_state=0)
    frames, result = _run(X, y, kernel="linear", C=10.0)
    assert len(result["feature_space"]["wrong"]) == 0
    assert "a flat line there separates every training point" in frames[-1].caption
    assert "it separates the classes" in result["feature_space"]["caption"]
    X2 = np.vstack([X, [[3.0, 0.0]]])  # a class-0 point in the middle of class 1: no line can fit it
    y2 = np.append(y, 0)
    frames2, result2 = _run(X2, y2, test_fraction=0.0, kernel="poly", degree=2, coef0=0.0)
    assert len(result2["feature_space"]["wrong"]) >= 1 and "separates" not in frames2[-1].caption
    assert "does not separate them" in result2["feature_space"]["caption"]
    panel = kernel_panel(result2, y2)
    assert panel["figure"]["data"][0]["type"] == "scatter3d" and "3-D feature space" in panel["title"]


def test_captions_explain_in_learner_words_and_name_the_kernel() -> None:
    X, y = make_moons(60, noise=0.2, random_state=0)
    frames, _ = _run(X, y, kernel="poly", degree=2)
    assert "support vectors" in frames[0].caption and "K(x, z) = (" in frames[0].caption
    smo = [f.caption for f in frames if f.kind == "smo"]
    assert all("inside the margin (−1 < f(x) < 1)" in c and "furthest from optimal" in c for c in smo)
    assert "on the margin" in frames[-1].caption and "φ(x) = (" in frames[-1].caption
    assert "dual objective" not in frames[-1].caption  # jargon without words is gone from the summary
