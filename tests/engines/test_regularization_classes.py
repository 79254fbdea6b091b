"""The classification variant of the regularization lab against scikit-learn: every α's coefficients equal a fresh
``LogisticRegression(C = 1/(m·α), l1_ratio = r, solver="saga")`` on the same standardised features (and
``lbfgs`` for L2); L1's analytic α_max zeroes every coefficient; the features are PolynomialFeatures' and
standardised on the training rows only; log-loss, accuracy and the best α come from the run's own numbers."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import make_moons
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.metrics import log_loss as sk_log_loss
from sklearn.preprocessing import PolynomialFeatures, StandardScaler

from app.core.frame import drain
from app.engines import regularization_classify as story
from app.engines import regularization_logistic as lg
from app.labs.regularization import REGULARIZATION, RegularizationClassInputs
from app.schemas.common import ParamsError
from app.schemas.regularization import RegularizationParams

TOLERANCE = 1e-5
"""Relative (to the largest coefficient) agreement with saga at tol 1e-10; measured ~1e-8 (both stop on their
own tolerance: L-BFGS-B's projected gradient 1e-9, saga's coefficient change 1e-10 per epoch)."""


def _design(degree: int = 2, n: int = 60, seed: int = 0) -> lg.Design:
    X, y = make_moons(n, noise=0.3, random_state=seed)
    rows = np.random.default_rng(seed).permutation(n)
    return lg.design(X, y, np.sort(rows[: n * 3 // 4]), np.sort(rows[n * 3 // 4 :]), degree)


@pytest.mark.parametrize(("penalty", "r"), [("l1", 1.0), ("l2", 0.0), ("elasticnet", 0.5)])
def test_every_alpha_equals_a_fresh_sklearn_logistic_regression(penalty: str, r: float) -> None:
    design = _design()
    m = design.y.size
    alphas = np.geomspace(0.5, 2e-3, 6)
    fits = lg.path(design.Z, design.y.astype(np.float64), r, alphas)
    for alpha, fit in zip(alphas, fits, strict=True):
        oracle = LogisticRegression(
            C=1.0 / (m * alpha), l1_ratio=r, solver="saga", tol=1e-10, max_iter=100_000, random_state=0
        ).fit(design.Z, design.y)
        scale = max(float(np.abs(oracle.coef_[0]).max()), 1e-3)
        assert np.abs(fit.coefficients - oracle.coef_[0]).max() / scale < TOLERANCE, (penalty, alpha)
        if np.any(oracle.coef_[0]):
            assert abs(fit.intercept - oracle.intercept_[0]) < TOLERANCE * max(1.0, abs(oracle.intercept_[0]))
        else:  # saga stops after a few epochs once w stays 0, its intercept unfinished: the exact one is logit(ȳ)
            assert fit.intercept == pytest.approx(np.log(design.y.mean() / (1 - design.y.mean())), abs=1e-9)
        if r > 0:  # the zeros are exact zeros, the same ones
            assert np.array_equal(fit.coefficients == 0, np.abs(oracle.coef_[0]) < 1e-8), (penalty, alpha)


def test_l2_equals_lbfgs_at_a_tight_tolerance() -> None:
    design = _design(degree=3, n=80, seed=2)
    m = design.y.size
    for fit, alpha in zip(
        lg.path(design.Z, design.y.astype(np.float64), 0.0, np.array([0.1, 0.01])), (0.1, 0.01), strict=True
    ):
        oracle = LogisticRegression(C=1.0 / (m * alpha), solver="lbfgs", tol=1e-12, max_iter=10_000).fit(
            design.Z, design.y
        )
        np.testing.assert_allclose(fit.coefficients, oracle.coef_[0], rtol=0, atol=1e-6)


def test_l1_zeroes_every_coefficient_above_the_analytic_alpha_max() -> None:
    # Tiny hand case: one feature z = (−1, −1, 1, 1) (already standardised), y = (0, 1, 1, 1): ȳ = 3/4,
    # Zᵀ(y − ȳ) = −(−3/4) − (1/4) + 1/4 + 1/4 = 1, m = 4, so α_max = 1/4.
    Z = np.array([[-1.0], [-1.0], [1.0], [1.0]])
    y = np.array([0.0, 1.0, 1.0, 1.0])
    assert lg.l1_alpha_max(Z, y) == pytest.approx(0.25)
    above, below = lg.path(Z, y, 1.0, np.array([0.26, 0.2]))
    assert above.coefficients[0] == 0.0 and above.intercept == pytest.approx(np.log(3.0), abs=1e-7)
    assert below.coefficients[0] > 0
    design = _design(degree=3)
    alpha_max = lg.l1_alpha_max(design.Z, design.y.astype(np.float64))
    fits = lg.path(design.Z, design.y.astype(np.float64), 1.0, np.array([1.01 * alpha_max, 0.95 * alpha_max]))
    assert np.count_nonzero(fits[0].coefficients) == 0
    assert np.count_nonzero(fits[1].coefficients) >= 1, "just below α_max a feature enters"


def test_features_are_polynomial_features_standardised_on_the_training_rows() -> None:
    X, y = make_moons(50, noise=0.2, random_state=4)
    train, validation = np.arange(0, 50, 2), np.arange(1, 50, 2)
    design = lg.design(X, y, train, validation, 3)
    poly = PolynomialFeatures(3, include_bias=False).fit(X)
    scaler = StandardScaler().fit(poly.transform(X[train]))
    np.testing.assert_allclose(design.Z, scaler.transform(poly.transform(X[train])), atol=1e-12)
    np.testing.assert_allclose(design.Z_val, scaler.transform(poly.transform(X[validation])), atol=1e-12)
    sk_names = [n.replace("^", "").replace(" ", "·") for n in poly.get_feature_names_out(["x₁", "x₂"])]
    assert [n.translate(str.maketrans("²³", "23")) for n in design.names] == sk_names
    assert design.names[:5] == ("x₁", "x₂", "x₁²", "x₁·x₂", "x₂²") and design.names[6] == "x₁²·x₂"


def _inputs(**params: object) -> tuple[RegularizationParams, RegularizationClassInputs]:
    model = RegularizationParams.model_validate({"task": "classification", **params})
    inputs = REGULARIZATION.prepare(model, None)  # type: ignore[arg-type]
    assert isinstance(inputs, RegularizationClassInputs)
    return model, inputs


def test_the_run_reports_losses_accuracy_and_the_best_alpha_from_its_own_numbers() -> None:
    params, inputs = _inputs(class_degree=3, n_alphas=8, alpha_max=1.0, alpha_min=1e-3, grid_size=20)
    frames, result = drain(REGULARIZATION.engine(inputs, params, np.random.default_rng(0)))
    assert [f.kind for f in frames] == ["class_data"] + ["class_alpha"] * 8 + ["class_summary"]
    design = inputs.setup.design
    m = design.y.size
    for frame, alpha in zip(frames[1:-1], result["alphas"], strict=True):
        oracle = LogisticRegression(
            C=1.0 / (m * alpha), l1_ratio=1.0, solver="saga", tol=1e-10, max_iter=100_000, random_state=0
        ).fit(design.Z, design.y)
        w = np.array(frame.state["coefficients"])
        assert np.abs(w - oracle.coef_[0]).max() <= TOLERANCE * max(1e-3, float(np.abs(oracle.coef_[0]).max()))
        mine = LogisticRegression().fit(design.Z, design.y)  # sklearn's metrics of this frame's own w and b
        mine.coef_, mine.intercept_ = w[None, :], np.array([frame.state["intercept"]])
        p_val = mine.predict_proba(design.Z_val)[:, 1]
        assert frame.state["validation_log_loss"] == pytest.approx(sk_log_loss(design.y_val, p_val), rel=1e-9)
        assert frame.state["train_accuracy"] == accuracy_score(design.y, mine.predict(design.Z))
        assert frame.state["n_nonzero"] == np.count_nonzero(w)
        assert frame.visual["probability"].shape == (400,)
    best = int(np.argmin(result["validation_log_loss"]))
    assert result["best_alpha"] == result["alphas"][best] == frames[-1].state["best_alpha"]
    assert frames[1].state["n_nonzero"] == 0, "α = 1 is above this data's α_max"
    assert "every coefficient is exactly 0 for α above" in frames[0].caption
    assert frames[-1].caption.startswith(f"The best α is {result['best_alpha']:.3g}".rstrip("0"))


def test_captions_name_the_features_that_left_zero() -> None:
    params, inputs = _inputs(class_degree=2, n_alphas=10, alpha_max=0.5, alpha_min=1e-3, grid_size=20)
    frames, _ = drain(REGULARIZATION.engine(inputs, params, np.random.default_rng(0)))
    names = inputs.setup.design.names
    entered = [(f, f.state["entered"]) for f in frames if f.kind == "class_alpha" and f.state["entered"]]
    assert entered, "some feature enters as α weakens"
    frame, which = entered[0]
    assert f"{names[which[0]]}" in frame.caption and "left zero" in frame.caption


def test_weight_decay_and_more_than_two_classes_are_refused_naming_the_field() -> None:
    with pytest.raises(ParamsError) as refused:
        _inputs(mode="weight_decay")
    assert refused.value.loc == ("mode",)
    with pytest.raises(ParamsError) as three:
        _inputs(dataset={"name": "blobs", "centers": 3})
    assert three.value.loc[0] == "dataset"


def test_the_setup_plane_is_standardised_like_the_training_rows() -> None:
    _, inputs = _inputs(grid_size=20)
    setup: story.ClassSetup = inputs.setup
    assert setup.plane.shape == (400, 20)
    assert setup.design.Z.mean(axis=0) == pytest.approx(np.zeros(20), abs=1e-12)
