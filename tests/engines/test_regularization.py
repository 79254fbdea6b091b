"""The regularization lab's numbers against independent oracles (issue 14, "Correct means").

* The L1 / elastic-net / L2 coefficients at every α equal scikit-learn's ``Lasso`` / ``ElasticNet`` / ``Ridge``
  fitted cold at that α (tight ``tol``, enough ``max_iter``) to 1e-6. The lab's convention is 1/(2m)·RSS +
  α·(r‖w‖₁ + (1 − r)/2‖w‖²); ``Lasso`` and ``ElasticNet`` use it as it is, ``Ridge`` minimises RSS + α'‖w‖², so
  ``Ridge(alpha=m·α)`` is the same problem.
* Hand cases: one standardised feature, where ridge is w = z·y/(z·z + mα) and the lasso a soft threshold.
* L1 zeros: above α_max = max|Zᵀy|/m every coefficient is exactly 0, just below it exactly one is not; L2 never
  gives a zero.
* The 2-weight picture: the region's boundary has the size the optimum implies, and the optimum has the lowest
  data loss on the whole region (it is where the region touches the contours).
* Weight decay: each step equals ``torch.optim.SGD(lr, weight_decay=λ)`` on the same loss to 1e-10, and the run
  heads for ``Ridge`` at α = λ.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from sklearn.linear_model import ElasticNet, Lasso, Ridge

from app.core.frame import drain
from app.engines import regularization as rg
from app.engines import regularization_captions as words
from app.engines import regularization_run as story


def _problem(degree: int = 8, n_points: int = 40, seed: int = 3, noise: float = 0.3) -> rg.Problem:
    return rg.problem(rg.draw("sine", noise, n_points, 0.3, np.random.default_rng(seed)), degree)


def _centred(problem: rg.Problem) -> np.ndarray:
    out: np.ndarray = problem.y - problem.intercept
    return out


ALPHAS = rg.alpha_grid(1.0, 1e-3, 12)


@pytest.mark.parametrize(("penalty", "l1_ratio"), [("l1", 1.0), ("elasticnet", 0.3), ("elasticnet", 0.8)])
def test_l1_and_elastic_net_paths_equal_lasso_and_elasticnet_at_every_alpha(penalty: str, l1_ratio: float) -> None:
    problem = _problem()
    path = rg.penalised_path(problem.Z, _centred(problem), penalty, l1_ratio, ALPHAS)
    for alpha, w in zip(ALPHAS, path, strict=True):
        if penalty == "l1":
            model: Lasso = Lasso(alpha=alpha, tol=1e-14, max_iter=1_000_000)
        else:
            model = ElasticNet(alpha=alpha, l1_ratio=l1_ratio, tol=1e-14, max_iter=1_000_000)
        model.fit(problem.Z, problem.y)
        np.testing.assert_allclose(w, model.coef_, atol=1e-6, rtol=0)
        assert model.intercept_ == pytest.approx(problem.intercept, abs=1e-9)


def test_l2_path_equals_ridge_at_m_times_alpha() -> None:
    problem = _problem(degree=12)
    path = rg.penalised_path(problem.Z, _centred(problem), "l2", 0.0, ALPHAS)
    m = problem.y.size
    for alpha, w in zip(ALPHAS, path, strict=True):
        model = Ridge(alpha=m * alpha, tol=1e-14).fit(problem.Z, problem.y)
        np.testing.assert_allclose(w, model.coef_, atol=1e-6, rtol=0)
        assert np.count_nonzero(w) == w.size, "L2 shrinks every coefficient, it zeroes none"


def test_the_default_path_is_optimal_and_equals_lasso() -> None:
    """The one default-config claim: at the lab's defaults (degree 12, 30 points, α from 3 to 0.001, 30 values)
    every α's coefficients satisfy the optimality conditions to 1e-9 and equal a cold ``Lasso`` to 1e-6."""
    problem = _problem(degree=12, n_points=30, seed=0)
    alphas = rg.alpha_grid(3.0, 1e-3, 30)
    yc = _centred(problem)
    path = rg.penalised_path(problem.Z, yc, "l1", 1.0, alphas)
    m = yc.size
    for alpha, w in zip(alphas, path, strict=True):
        gradient = problem.Z.T @ (yc - problem.Z @ w) / m  # (d,)
        active = w != 0
        np.testing.assert_allclose(gradient[active], alpha * np.sign(w[active]), atol=1e-9)
        assert np.all(np.abs(gradient[~active]) <= alpha + 1e-9)
        model = Lasso(alpha=alpha, tol=1e-14, max_iter=1_000_000).fit(problem.Z, problem.y)
        np.testing.assert_allclose(w, model.coef_, atol=1e-6, rtol=0)


def test_one_standardised_feature_by_hand() -> None:
    """z = (−1, 1) (mean 0, spread 1), y = (0, 2): centred y = (−1, 1), z·y = 2, z·z = m = 2. Ridge:
    w = z·y/(z·z + mα) = 2/(2 + 2α) = 1/(1 + α), so 0.5 at α = 1. Lasso: w = soft(z·y/m, α)/(z·z/m) = max(1 − α, 0):
    0.75 at α = 0.25, exactly 0 at α = 2."""
    z = np.array([[-1.0], [1.0]])
    yc = np.array([-1.0, 1.0])
    ridge = rg.penalised_path(z, yc, "l2", 0.0, np.array([1.0, 0.25]))
    np.testing.assert_allclose(ridge[:, 0], [0.5, 0.8], rtol=1e-12)
    lasso = rg.penalised_path(z, yc, "l1", 1.0, np.array([2.0, 0.25]))
    np.testing.assert_allclose(lasso[:, 0], [0.0, 0.75], rtol=1e-12, atol=1e-15)
    assert lasso[0, 0] == 0.0, "exactly zero, not small"


def test_l1_zeroes_every_coefficient_above_alpha_max_and_frees_one_just_below() -> None:
    problem = _problem()
    yc = _centred(problem)
    alpha_max = float(np.abs(problem.Z.T @ yc).max() / yc.size)
    path = rg.penalised_path(problem.Z, yc, "l1", 1.0, np.array([1.01 * alpha_max, 0.99 * alpha_max]))
    assert np.count_nonzero(path[0]) == 0
    assert np.count_nonzero(path[1]) == 1
    assert np.flatnonzero(path[1])[0] == int(np.argmax(np.abs(problem.Z.T @ yc)))


def test_features_are_standardised_on_the_training_points_only() -> None:
    data = rg.draw("cubic", 0.2, 50, 0.4, np.random.default_rng(1))
    problem = rg.problem(data, 6)
    np.testing.assert_allclose(problem.Z.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(problem.Z.std(axis=0), 1.0, rtol=1e-12)
    raw = rg.powers(data.x[data.validation], 6)
    np.testing.assert_allclose(problem.Z_val, (raw - problem.mean) / problem.scale, rtol=1e-12)
    assert set(data.train.tolist()).isdisjoint(data.validation.tolist())
    assert data.train.size + data.validation.size == 50


@pytest.mark.parametrize("r", [1.0, 0.0, 0.5])
def test_the_region_touches_the_contours_at_the_penalised_optimum(r: float) -> None:
    """The constrained view of the penalty: the optimum of the 2-feature problem at α lies on the boundary of
    the region of its own size, and no point of that region has a lower data loss."""
    problem = _problem(degree=2)
    yc = _centred(problem)
    penalty = {1.0: "l1", 0.0: "l2"}.get(r, "elasticnet")
    for alpha in (0.3, 0.05):
        w = rg.penalised_path(problem.Z, yc, penalty, r, np.array([alpha]))[0]
        size = rg.penalty_size(w, r)
        boundary = rg.region_boundary(size, r, points=721)  # (721, 2)
        sizes = r * np.abs(boundary).sum(axis=1) + (1 - r) / 2 * (boundary**2).sum(axis=1)
        np.testing.assert_allclose(sizes, size, rtol=1e-12)
        inside = boundary[:, None, :] * np.linspace(0.0, 1.0, 11)[None, :, None]  # rays to the boundary
        loss = ((yc[None, :] - inside.reshape(-1, 2) @ problem.Z.T) ** 2).mean(axis=1) / 2
        best = float(((yc - problem.Z @ w) ** 2).mean() / 2)
        assert loss.min() >= best - 1e-9


def _torch_steps(problem: rg.Problem, lr: float, decay: float, n_steps: int) -> list[np.ndarray]:
    Z = torch.tensor(problem.Z, dtype=torch.float64)
    yc = torch.tensor(_centred(problem), dtype=torch.float64)
    w = torch.zeros(problem.Z.shape[1], dtype=torch.float64, requires_grad=True)
    optimiser = torch.optim.SGD([w], lr=lr, weight_decay=decay)
    out = []
    for _ in range(n_steps):
        optimiser.zero_grad()
        loss = ((yc - Z @ w) ** 2).sum() / (2 * yc.numel())
        loss.backward()
        optimiser.step()
        out.append(w.detach().numpy().copy())
    return out


def test_every_weight_decay_step_equals_torch_sgd_with_weight_decay() -> None:
    problem = _problem(degree=10)
    lr, decay = 0.08, 0.3
    expected = _torch_steps(problem, lr, decay, 60)
    w = np.zeros(10)
    for step in range(60):
        shrunk, after = rg.decay_step(problem.Z, _centred(problem), w, lr, decay)
        np.testing.assert_allclose(shrunk, (1 - lr * decay) * w, rtol=1e-15)
        np.testing.assert_allclose(after, expected[step], atol=1e-10, rtol=0)
        w = after
    setup = story.Setup(data=rg.draw("sine", 0.3, 40, 0.3, np.random.default_rng(3)), problem=problem, grid=np.zeros(3))
    frames, result = drain(story.decay_run(setup, lr, decay, 60))
    for step, weights in zip(result["steps"], result["weights"], strict=True):
        np.testing.assert_allclose(weights, expected[step - 1], atol=1e-10, rtol=0)
    assert [f.kind for f in frames] == ["start"] + ["step"] * len(result["steps"]) + ["end"]


def test_weight_decay_converges_to_ridge_at_alpha_equal_to_lambda() -> None:
    problem = _problem(degree=3)
    lr, decay = 0.2, 0.1
    setup = story.Setup(data=rg.draw("sine", 0.3, 40, 0.3, np.random.default_rng(3)), problem=problem, grid=np.zeros(3))
    _, result = drain(story.decay_run(setup, lr, decay, 2_000))
    ridge = Ridge(alpha=problem.y.size * decay, tol=1e-14).fit(problem.Z, problem.y).coef_
    np.testing.assert_allclose(result["weights"][-1], ridge, atol=1e-8)
    np.testing.assert_allclose(result["ridge_weights"], ridge, atol=1e-10)


def test_the_path_run_reports_zeros_errors_and_the_best_alpha_from_its_own_numbers() -> None:
    problem = _problem(degree=9)
    setup = story.Setup(data=rg.draw("sine", 0.3, 40, 0.3, np.random.default_rng(3)), problem=problem, grid=np.zeros(5))
    frames, result = drain(story.path_run(setup, "l1", 1.0, ALPHAS))
    assert [f.kind for f in frames] == ["data"] + ["alpha"] * ALPHAS.size + ["summary"]
    previous = np.array(result["coefficients"][0]) != 0
    for frame, w in zip(frames[1:-1], result["coefficients"], strict=True):
        active = np.array(w) != 0
        assert frame.state["n_nonzero"] == int(active.sum())
        if frame.state["step"]:
            assert frame.state["entered"] == np.flatnonzero(active & ~previous).tolist()
            assert frame.state["left"] == np.flatnonzero(~active & previous).tolist()
        previous = active
        fitted = problem.Z_val @ np.array(w) + problem.intercept
        assert frame.state["validation_mse"] == pytest.approx(float(np.mean((problem.y_val - fitted) ** 2)))
        assert frame.caption.startswith("α = ")
    assert result["best_alpha"] == ALPHAS[int(np.argmin(result["validation_mse"]))]
    assert frames[-1].caption.startswith("The best α is")


def test_captions_name_the_coefficients_that_left_zero_and_say_where_the_best_alpha_is() -> None:
    problem = _problem(degree=9)
    setup = story.Setup(data=rg.draw("sine", 0.3, 40, 0.3, np.random.default_rng(3)), problem=problem, grid=np.zeros(5))
    frames, _ = drain(story.path_run(setup, "l1", 1.0, ALPHAS))
    moved = [f for f in frames if f.kind == "alpha" and f.state["entered"]]
    assert moved, "some coefficient leaves zero as α weakens"
    for frame in moved:
        names = [words.feature_name(i + 1) for i in frame.state["entered"]]
        assert all(name in frame.caption for name in names) and "left zero" in frame.caption
        assert f"{frame.state['n_nonzero']} of 9 coefficients non-zero" in frame.caption
    l2, _ = drain(story.path_run(setup, "l2", 0.0, ALPHAS))
    assert all("none reaches zero" in f.caption and f.state["n_nonzero"] == 9 for f in l2 if f.kind == "alpha")
    clean = rg.problem(rg.draw("cubic", 0.0, 40, 0.3, np.random.default_rng(3)), 3)  # no noise, the true degree
    setup = story.Setup(data=setup.data, problem=clean, grid=np.zeros(5))
    frames, result = drain(story.path_run(setup, "l2", 0.0, ALPHAS))
    assert result["best_alpha"] == ALPHAS[-1]
    assert "still falling at the weakest α" in frames[-1].caption
