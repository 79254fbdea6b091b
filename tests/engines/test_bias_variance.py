"""The bias–variance lab's numbers against independent oracles (issue 14, "Correct means").

* Polynomial fits equal ``numpy.polyfit`` on the scaled x and scikit-learn's PolynomialFeatures + LinearRegression
  pipeline on the raw x (a different basis and solver: the same least-squares polynomial).
* The tree cut at depth d equals ``DecisionTreeRegressor(max_depth=d)``; k-NN's every k equals
  ``KNeighborsRegressor(k).predict``.
* bias² + variance + noise equals the measured expected test error within Monte-Carlo error: the tolerance is
  4 standard errors of the gap, the SE computed from the sample variance of the squared errors' noise part
  (y − f̂)² − (f − f̂)² (see ``decompose``): a false failure at 4 SE has probability about 6·10⁻⁵.
* A hand-computed case: two sets, two test points, every part checked by arithmetic.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LinearRegression
from sklearn.neighbors import KNeighborsRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures
from sklearn.tree import DecisionTreeRegressor

from app.core.frame import drain
from app.engines import bias_variance as bv
from app.engines import bias_variance_run as story


def _draws(n_points: int = 20, n_datasets: int = 6, seed: int = 0, truth: str = "sine") -> bv.Draws:
    return bv.draw(truth, 0.3, n_points, n_datasets, 50, np.random.default_rng(seed))


@pytest.mark.parametrize("degree", [0, 1, 3, 7, 12])
def test_polynomial_fits_equal_polyfit_and_the_sklearn_pipeline(degree: int) -> None:
    draws = _draws()
    points = np.linspace(0, 1, 30)
    at_points, at_own = bv.poly_predictions(draws.X, draws.Y, degree, points)
    for d in range(draws.X.shape[0]):
        coef = np.polyfit(bv.scaled(draws.X[d]), draws.Y[d], degree)
        np.testing.assert_allclose(bv.poly_coefficients(draws.X[d], draws.Y[d], degree), coef, rtol=1e-7, atol=1e-9)
        pipeline = make_pipeline(PolynomialFeatures(degree), LinearRegression())
        pipeline.fit(bv.scaled(draws.X[d]).reshape(-1, 1), draws.Y[d])
        expected = pipeline.predict(bv.scaled(points).reshape(-1, 1))
        np.testing.assert_allclose(at_points[d], expected, rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(at_own[d], np.polyval(coef, bv.scaled(draws.X[d])), rtol=1e-7, atol=1e-9)


def test_degree_fifteen_on_sixteen_points_stays_solvable_after_scaling() -> None:
    draws = _draws(n_points=16, n_datasets=3)
    at_points, at_own = bv.poly_predictions(draws.X, draws.Y, 15, np.linspace(0, 1, 25))
    assert np.isfinite(at_points).all()
    np.testing.assert_allclose(at_own, draws.Y, atol=1e-6)  # 16 coefficients through 16 points: interpolation


def test_trees_cut_at_each_depth_equal_trees_fitted_to_that_depth() -> None:
    draws = _draws(n_points=40, n_datasets=4)
    points = np.linspace(0, 1, 60)
    depths = (1, 2, 3, 5, 8)
    at_points, at_own = bv.tree_predictions(draws.X, draws.Y, depths, points, seed=7)
    for c, depth in enumerate(depths):
        for d in range(draws.X.shape[0]):
            tree = DecisionTreeRegressor(max_depth=depth, random_state=7).fit(draws.X[d].reshape(-1, 1), draws.Y[d])
            np.testing.assert_allclose(at_points[c, d], tree.predict(points.reshape(-1, 1)), rtol=1e-12)
            np.testing.assert_allclose(at_own[c, d], tree.predict(draws.X[d].reshape(-1, 1)), rtol=1e-12)


def test_every_k_equals_kneighbors_regressor() -> None:
    draws = _draws(n_points=15, n_datasets=4)
    points = np.linspace(0, 1, 40)
    neighbours = bv.neighbour_targets(draws.X, draws.Y, 15, points)
    for k in (15, 9, 4, 1):
        at_points, at_own = bv.knn_predictions(neighbours, k)
        for d in range(draws.X.shape[0]):
            model = KNeighborsRegressor(n_neighbors=k).fit(draws.X[d].reshape(-1, 1), draws.Y[d])
            np.testing.assert_allclose(at_points[d], model.predict(points.reshape(-1, 1)), rtol=1e-12)
            np.testing.assert_allclose(at_own[d], model.predict(draws.X[d].reshape(-1, 1)), rtol=1e-12)


def _problem(model: story.Model, complexities: tuple[int, ...], n_datasets: int = 200) -> story.Problem:
    return story.Problem(
        truth="sine",
        noise=0.3,
        n_points=20,
        n_datasets=n_datasets,
        n_test=100,
        model=model,
        complexities=complexities,
        grid=np.linspace(0, 1, 30),
    )


@pytest.mark.parametrize(("model", "complexities"), [("polynomial", (0, 3, 9)), ("tree", (1, 4)), ("knn", (20, 5, 1))])
def test_parts_sum_to_the_measured_test_error_within_monte_carlo_error(
    model: story.Model, complexities: tuple[int, ...]
) -> None:
    frames, result = drain(story.run(_problem(model, complexities), 3, np.random.default_rng(3)))
    for c in range(len(complexities)):
        total = result["bias2"][c] + result["variance"][c] + result["noise"][c]
        gap = abs(result["test_mse"][c] - total)
        assert gap <= 4 * result["test_mse_se"][c], (model, complexities[c], gap, result["test_mse_se"][c])
        assert result["test_mse_se"][c] > 0
    states = [f.state for f in frames if f.kind == "complexity"]
    assert [s["complexity"] for s in states] == list(complexities)


def test_an_independent_recomputation_of_the_parts_from_library_fits() -> None:
    """The run's numbers equal bias², variance and MSE recomputed here from the sklearn pipeline's predictions on
    the same draws (the same rng stream: the engine draws first)."""
    problem = _problem("polynomial", (2,), n_datasets=30)
    _, result = drain(story.run(problem, 0, np.random.default_rng(11)))
    draws = bv.draw("sine", 0.3, 20, 30, 100, np.random.default_rng(11))
    predicted = np.empty((30, 100))
    for d in range(30):
        pipe = make_pipeline(PolynomialFeatures(2), LinearRegression()).fit(draws.X[d].reshape(-1, 1), draws.Y[d])
        predicted[d] = pipe.predict(draws.x_test.reshape(-1, 1))
    mean = predicted.mean(axis=0)
    assert result["bias2"][0] == pytest.approx(np.mean((mean - np.sin(2 * np.pi * draws.x_test)) ** 2), rel=1e-6)
    assert result["variance"][0] == pytest.approx(np.mean((predicted - mean) ** 2), rel=1e-6)
    assert result["test_mse"][0] == pytest.approx(np.mean((draws.y_test - predicted) ** 2), rel=1e-6)
    assert result["noise"][0] == pytest.approx(0.09)


def test_a_hand_computed_decomposition() -> None:
    # Two sets, two test x with f = (0, 1). Fits: set A predicts (1, 1), set B (−1, 3). Mean fit (0, 2).
    # bias² = ((0 − 0)² + (2 − 1)²) / 2 = 0.5; variance = (1 + 1 + 1 + 1) / 4 = 1.
    # Test targets y = (0, 2) for A and (1, 1) for B: squared errors (1, 1) and (4, 4): test MSE 2.5.
    draws = bv.Draws(
        X=np.zeros((2, 2)),
        Y=np.array([[1.0, 1.0], [0.0, 0.0]]),
        x_test=np.array([0.2, 0.4]),
        f_test=np.array([0.0, 1.0]),
        y_test=np.array([[0.0, 2.0], [1.0, 1.0]]),
    )
    predicted = np.array([[1.0, 1.0], [-1.0, 3.0]])
    parts = bv.decompose(predicted, draws, 0.5, train_predicted=np.array([[1.0, 1.0], [1.0, 1.0]]))
    assert parts.bias2 == pytest.approx(0.5)
    assert parts.variance == pytest.approx(1.0)
    assert parts.noise == pytest.approx(0.25)
    assert parts.test_mse == pytest.approx(2.5)
    assert parts.train_mse == pytest.approx(0.5)  # set A exact, set B off by 1 at both points


def test_low_complexity_is_bias_high_complexity_is_variance_and_the_sweet_spot_between() -> None:
    """At the lab's defaults (sine, σ = 0.3, 25 points, 100 sets, degrees 0..10): the one default-config claim."""
    problem = story.Problem("sine", 0.3, 25, 100, 200, "polynomial", tuple(range(11)), np.linspace(0, 1, 100))
    frames, result = drain(story.run(problem, 0, np.random.default_rng(0)))
    assert result["bias2"][0] > 5 * result["variance"][0]
    assert result["variance"][10] > 5 * result["bias2"][10]
    best = result["complexity"].index(result["best_complexity"])
    assert 0 < best < 10
    assert result["test_mse"][best] >= result["noise"][best] - 4 * result["test_mse_se"][best]
    assert result["train_mse"][10] < result["train_mse"][0]
    assert [f.kind for f in frames] == ["data"] + ["complexity"] * 11 + ["summary"]


def test_runs_are_pure_functions_of_the_seed() -> None:
    problem = _problem("knn", (10, 3), n_datasets=10)
    _, first = drain(story.run(problem, 0, np.random.default_rng(5)))
    _, again = drain(story.run(problem, 0, np.random.default_rng(5)))
    _, other = drain(story.run(problem, 0, np.random.default_rng(6)))
    assert first == again
    assert first["test_mse"] != other["test_mse"]
