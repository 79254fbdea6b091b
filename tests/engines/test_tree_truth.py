"""The decision-tree engine against scikit-learn (the oracle) and against hand arithmetic.

Correct means (issue 13): the final tree is ``DecisionTree*(random_state=seed)``'s node for node (feature,
threshold, impurity, value); the scan's best gain equals the chosen split's gain to 1e-12; the pruning sequence
is ``cost_complexity_pruning_path``'s and its refits' leaf counts; the partial tree's boundary at the last split
is ``predict`` on every grid cell. Small data, several seeds and datasets, both tasks, every criterion.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from sklearn.datasets import make_blobs, make_moons
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from app.core.frame import Frame, drain
from app.engines.boundary import bounds, fit_points, make_grid, random_split, split
from app.engines.tree import TreeProblem, TreeSettings, run
from app.engines.tree_prune import NodeTable, kept_after, pruning_sequence
from app.engines.tree_scan import absolute_deviation_sums, impurity, scan_node

CLASSIFICATION = ("gini", "entropy", "log_loss")
REGRESSION = ("squared_error", "absolute_error")


def settings(criterion: str = "gini", **kw: Any) -> TreeSettings:
    base: dict[str, Any] = {
        "criterion": criterion,
        "max_depth": 4,
        "min_samples_split": 2,
        "min_samples_leaf": 1,
        "max_leaf_nodes": None,
        "ccp_alpha": 0.0,
        "prune": True,
    }
    return TreeSettings(**(base | kw))


def classification(X: np.ndarray, y: np.ndarray, grid_size: int = 24, test_fraction: float = 0.3) -> TreeProblem:
    parts = split(y, test_fraction, np.random.default_rng(7))
    grid = make_grid(X, grid_size)
    k = int(y.max()) + 1
    names = tuple(str(c) for c in range(k))
    return TreeProblem(X, y, parts, "classification", k, names, ("x1", "x2"), bounds(X), grid.points, grid)


def regression(X: np.ndarray, y: np.ndarray, grid_size: int = 24) -> TreeProblem:
    parts = random_split(len(y), 0.25, np.random.default_rng(7))
    names = ("x",) if X.shape[1] == 1 else ("x₁", "x₂")
    return TreeProblem(X, y, parts, "regression", 0, (), names, bounds(X), fit_points(X, grid_size), None)


def moons(n: int = 120, noise: float = 0.3, seed: int = 0) -> TreeProblem:
    X, y = make_moons(n, noise=noise, random_state=seed)
    return classification(X, y.astype(np.int64))


def blobs(seed: int = 0) -> TreeProblem:
    X, y = make_blobs(90, centers=3, cluster_std=1.6, random_state=seed)
    return classification(X, y.astype(np.int64))


def sine(n: int = 100, d: int = 1, seed: int = 0) -> TreeProblem:
    rng = np.random.default_rng(seed)
    X = rng.uniform(-3, 3, (n, d))
    y = 2 * np.sin(1.5 * X[:, 0]) + (X[:, 1] if d == 2 else 0) + 0.3 * rng.standard_normal(n)
    return regression(X, y)


def oracle(problem: TreeProblem, s: TreeSettings, seed: int, **over: Any) -> Any:
    kw: dict[str, Any] = {
        "criterion": s.criterion,
        "max_depth": s.max_depth,
        "min_samples_split": s.min_samples_split,
        "min_samples_leaf": s.min_samples_leaf,
        "max_leaf_nodes": s.max_leaf_nodes,
        "ccp_alpha": s.ccp_alpha,
        "random_state": seed,
    } | over
    model = DecisionTreeClassifier(**kw) if problem.task == "classification" else DecisionTreeRegressor(**kw)
    rows = problem.split.train
    return model.fit(problem.X[rows], problem.y[rows])


def frames_of(problem: TreeProblem, s: TreeSettings, seed: int) -> tuple[list[Frame], dict[str, Any]]:
    return drain(run(problem, s, seed))


CASES = [
    *[("moons", c, seed) for c in CLASSIFICATION for seed in (0, 5)],
    *[("blobs", c, 3) for c in CLASSIFICATION],
    *[("sine", c, seed) for c in REGRESSION for seed in (0, 2)],
    ("sine2d", "squared_error", 1),
    ("sine2d", "absolute_error", 4),
]
PROBLEMS = {"moons": moons, "blobs": blobs, "sine": sine, "sine2d": lambda: sine(d=2)}


@pytest.mark.parametrize(("data", "criterion", "seed"), CASES)
def test_the_final_tree_is_scikit_learns_node_for_node(data: str, criterion: str, seed: int) -> None:
    problem = PROBLEMS[data]()
    s = settings(criterion, max_depth=5, prune=False)
    frames, result = frames_of(problem, s, seed)
    tree = oracle(problem, s, seed).tree_
    nodes = {node["id"]: node for node in result["tree"]}
    assert sorted(nodes) == list(range(tree.node_count))
    for t, node in nodes.items():
        leaf = tree.children_left[t] == -1
        assert node["feature"] == (None if leaf else int(tree.feature[t]))
        assert node["threshold"] == (None if leaf else float(tree.threshold[t]))  # exactly: the same tree
        assert node["left"] == (None if leaf else int(tree.children_left[t]))
        assert node["impurity"] == float(tree.impurity[t])
        assert node["n_samples"] == int(tree.n_node_samples[t])
        assert node["value"] == tree.value[t, 0].tolist()
        assert (node["stop"] is not None) == leaf
    # The last split frame's tree is the final tree, every node split.
    last = [f for f in frames if f.kind in ("split", "level")][-1]
    assert [n["id"] for n in last.state["tree"]] == [n["id"] for n in result["tree"]]


@pytest.mark.parametrize(("data", "criterion", "seed"), CASES)
def test_the_scans_best_gain_is_the_chosen_splits_gain(data: str, criterion: str, seed: int) -> None:
    problem = PROBLEMS[data]()
    s = settings(criterion, max_depth=5, prune=False)
    frames, _ = frames_of(problem, s, seed)
    tree = oracle(problem, s, seed).tree_
    n, imp = tree.n_node_samples, tree.impurity
    splits = [f for f in frames if f.kind == "split"]
    assert splits, "the tree has splits"
    for frame in splits:
        t = frame.state["node"]
        left, right = tree.children_left[t], tree.children_right[t]
        chosen = imp[t] - (n[left] * imp[left] + n[right] * imp[right]) / n[t]
        best = max(f["best_gain"] for f in frame.state["scan"] if f["best_gain"] is not None)
        assert best == pytest.approx(chosen, abs=1e-12, rel=0)
        assert frame.state["split"]["gain"] == pytest.approx(chosen, abs=1e-15, rel=0)
        ours = next(f for f in frame.state["scan"] if f["chosen"])
        assert ours["feature"] == tree.feature[t]
        assert sum(f["n_candidates"] for f in frame.state["scan"]) == frame.state["split"]["n_candidates"]
        assert all(len(f["gains"]) <= 81 for f in frame.state["scan"])  # thinned, the best kept


def test_every_threshold_scikit_learn_chose_is_one_of_the_scanned_candidates() -> None:
    """Candidates as the splitter makes them: float32 values, a/2 + b/2 midpoints, min_samples_leaf each side."""
    for problem, criterion, msl in ((moons(seed=3), "entropy", 3), (sine(seed=5), "absolute_error", 2)):
        rows = problem.split.train
        X32, y = problem.X[rows].astype(np.float32), problem.y[rows]
        model = oracle(problem, settings(criterion, min_samples_leaf=msl), 1)
        table = NodeTable.of(model.tree_)
        at = np.zeros(X32.shape[0], dtype=np.int64)  # every row at the root
        for t in (int(v) for v in table.bfs):
            if table.is_leaf(t):
                continue
            here = at == t
            scan = scan_node(X32[here], y[here], criterion, problem.n_classes, msl)
            feature = scan.features[int(table.feature[t])]
            assert float(table.threshold[t]) in feature.thresholds.tolist()
            assert feature.n_left.min() >= msl and (here.sum() - feature.n_left).min() >= msl
            assert scan.impurity == pytest.approx(table.impurity[t], abs=1e-12)
            at = table.descend(X32, at, t)


def test_a_hand_computed_gini_and_entropy_case() -> None:
    """Six points on one line, labels 0 0 1 0 1 1; a second feature that is constant (no candidate).

    Root: gini 1 − (½² + ½²) = 0.5; entropy 1 bit. The five cuts between neighbours:
      x ≤ 1.5: left {0} pure; right {0,1,0,1,1}: gini 1 − (4+9)/25 = 0.48; weighted 5/6·0.48 = 0.40, gain 0.10
      x ≤ 2.5: left {0,0} pure; right {1,0,1,1}: gini 1 − (1+9)/16 = 0.375; weighted 4/6·0.375 = 0.25, gain 0.25
      x ≤ 3.5: {0,0,1} and {0,1,1}: gini 4/9 each, weighted 4/9, gain 0.5 − 4/9 = 1/18
      x ≤ 4.5: left {0,0,1,0} 0.375, right {1,1} pure: weighted 0.25, gain 0.25 (ties x ≤ 2.5)
      x ≤ 5.5: mirror of x ≤ 1.5, gain 0.10
    Entropy (bits) of the right side of x ≤ 2.5: H(¼) = ¼·2 + ¾·log₂(4/3) = 0.811278; weighted 4/6 of it is
    0.540852, gain 1 − 0.540852 = 0.459148; x ≤ 1.5: H(⅖) = 0.970951, gain 1 − 5/6·0.970951 = 0.190874;
    x ≤ 3.5: H(⅓) = 0.918296 each side, gain 0.081704. The first of the tied best cuts wins: x ≤ 2.5, as
    scikit-learn (it keeps a cut only when strictly better than the best so far).
    """
    X = np.column_stack([np.arange(1.0, 7.0), np.full(6, 2.0)]).astype(np.float32)
    y = np.array([0, 0, 1, 0, 1, 1])
    gini = scan_node(X, y, "gini", 2)
    assert gini.impurity == pytest.approx(0.5, abs=1e-15)
    assert gini.features[0].thresholds.tolist() == [1.5, 2.5, 3.5, 4.5, 5.5]
    assert gini.features[0].gains(0.5) == pytest.approx([0.1, 0.25, 1 / 18, 0.25, 0.1], abs=1e-15)
    assert gini.features[1].constant and gini.features[1].thresholds.size == 0
    assert gini.best() == (0, 1, pytest.approx(0.25, abs=1e-15))
    entropy = scan_node(X, y, "entropy", 2)
    assert entropy.impurity == pytest.approx(1.0, abs=1e-15)
    expected = [0.190874, 0.459148, 0.081704, 0.459148, 0.190874]
    assert entropy.features[0].gains(1.0) == pytest.approx(expected, abs=1e-6)
    for criterion in ("gini", "entropy"):
        stump = DecisionTreeClassifier(criterion=criterion, max_depth=1, random_state=0).fit(X, y)
        assert stump.tree_.threshold[0] == 2.5 and stump.tree_.feature[0] == 0
    assert impurity(y, "log_loss", 2) == impurity(y, "entropy", 2) == 1.0


def test_a_hand_computed_regression_case() -> None:
    """y = 1 1 4 4 (x = 1..4): variance (1+1+16+16)/4 − 2.5² = 2.25; the cut x ≤ 2.5 leaves two constant halves
    (gain 2.25). Absolute error: median between 1 and 4, Σ|y − m| = 6 → 1.5 per point; the same cut, gain 1.5."""
    X = np.arange(1.0, 5.0, dtype=np.float32)[:, None]
    y = np.array([1.0, 1.0, 4.0, 4.0])
    mse = scan_node(X, y, "squared_error")
    assert mse.impurity == 2.25 and mse.best() == (0, 1, 2.25)
    mae = scan_node(X, y, "absolute_error")
    assert mae.impurity == 1.5 and mae.best() == (0, 1, 1.5)


def test_running_absolute_deviations_match_brute_force() -> None:
    rng = np.random.default_rng(0)
    y = np.round(rng.normal(size=41), 1)  # ties on purpose
    sums = absolute_deviation_sums(y)
    brute = [np.abs(y[: i + 1] - np.median(y[: i + 1])).sum() for i in range(y.size)]
    assert sums == pytest.approx(brute, abs=1e-12)


@pytest.mark.parametrize(("data", "criterion"), [("moons", "gini"), ("blobs", "entropy"), ("sine", "squared_error")])
def test_the_pruning_sequence_is_cost_complexity_pruning_paths(data: str, criterion: str) -> None:
    problem = PROBLEMS[data]()
    s = settings(criterion, max_depth=8)
    full = oracle(problem, s, 2)
    table = NodeTable.of(full.tree_)
    steps = pruning_sequence(table)
    rows = problem.split.train
    path = full.cost_complexity_pruning_path(problem.X[rows], problem.y[rows])
    assert [0.0, *(st.alpha for st in steps)] == pytest.approx(path.ccp_alphas.tolist(), abs=1e-12)
    assert [st.total_impurity for st in steps] == pytest.approx(path.impurities[1:].tolist(), abs=1e-12)
    # A refit at alpha v prunes while the next step's alpha is ≤ v; the alphas need not rise, so the subtrees a
    # refit can give are those at each new running maximum of the alphas.
    alphas = np.array([st.alpha for st in steps])
    reachable = [i for i in range(len(steps)) if alphas[i] > alphas[:i].max(initial=-1.0)]
    for i in reachable:
        last = next((j - 1 for j in range(i + 1, len(steps)) if alphas[j] > alphas[i]), len(steps) - 1)
        refit = oracle(problem, s, 2, ccp_alpha=float(alphas[i]))
        assert refit.get_n_leaves() == table.leaf_count(kept_after(table, steps, last)), f"step {i}"
    frames, result = frames_of(problem, s, 2)
    prunes = [f for f in frames if f.kind == "prune"]
    shown = [f.state["alpha"] for f in prunes]
    assert set(shown) <= {float(alphas[i]) for i in reachable} and shown == sorted(shown)
    assert len(shown) == min(len(reachable), 40) and shown[-1] == alphas[reachable[-1]]
    for frame in prunes:
        refit = oracle(problem, s, 2, ccp_alpha=frame.state["alpha"])
        assert frame.state["n_leaves"] == refit.get_n_leaves()
        assert [n["id"] for n in frame.state["tree"] if n["left"] is None] == [
            int(t) for t in NodeTable.of(refit.tree_).bfs if refit.tree_.children_left[t] == -1
        ]
    assert [p["alpha"] for p in result["pruning_path"]] == path.ccp_alphas.tolist()
    assert prunes[-1].state["n_leaves"] == 1


def test_the_last_split_frames_boundary_is_predict_on_every_grid_cell() -> None:
    for problem, criterion, seed in ((moons(seed=1), "gini", 0), (blobs(seed=2), "entropy", 9)):
        s = settings(criterion, max_depth=6)
        frames, result = frames_of(problem, s, seed)
        model = oracle(problem, s, seed)
        grid = problem.grid
        assert grid is not None
        last = [f for f in frames if f.kind == "split"][-1]
        assert np.array_equal(last.visual["predicted"], model.predict(grid.points))
        assert np.allclose(last.visual["probability"], model.predict_proba(grid.points).max(axis=1))
        assert np.array_equal(np.asarray(result["grid"]["predicted"]).ravel(), model.predict(grid.points))
        assert result["train_score"] == model.score(problem.X[problem.split.train], problem.y[problem.split.train])


def test_the_regression_fit_is_predict_at_every_drawn_point() -> None:
    for problem, criterion in ((sine(seed=3), "squared_error"), (sine(d=2, seed=1), "absolute_error")):
        s = settings(criterion, max_depth=5)
        frames, result = frames_of(problem, s, 4)
        model = oracle(problem, s, 4)
        last = [f for f in frames if f.kind == "split"][-1]
        assert np.array_equal(last.visual["fit"], model.predict(problem.points))
        assert result["fit"]["prediction"] == model.predict(problem.points).tolist()
        rows = problem.split.test
        assert last.state["test_mse"] == pytest.approx(np.mean((problem.y[rows] - model.predict(problem.X[rows])) ** 2))


def test_splits_are_replayed_breadth_first_and_the_tree_grows_one_split_at_a_time() -> None:
    problem = moons(n=150, seed=4)
    frames, _ = frames_of(problem, settings(max_depth=5, prune=False), 3)
    splits = [f for f in frames if f.kind == "split"]
    table = NodeTable.of(oracle(problem, settings(max_depth=5), 3).tree_)
    assert [f.state["node"] for f in splits] == [int(t) for t in table.internal]
    depths = [table.depth[f.state["node"]] for f in splits]
    assert depths == sorted(depths), "breadth-first: never back up a level"
    sizes = [len(f.state["tree"]) for f in splits]
    assert sizes == list(range(3, 3 + 2 * len(splits), 2)), "each split adds its two children"
    # scikit-learn numbers depth-first: the root's right child comes after the whole left branch
    assert splits[1].state["node"] == 1 and table.right[0] > 2


def test_max_leaf_nodes_best_first_ids_and_reasons() -> None:
    problem = moons(n=160, seed=2)
    s = settings(max_depth=10, max_leaf_nodes=7, prune=False)
    _, result = frames_of(problem, s, 0)
    model = oracle(problem, s, 0)
    assert result["n_leaves"] == model.get_n_leaves() == 7
    stops = {n["stop"] for n in result["tree"] if n["stop"]}
    assert "max_leaf_nodes" in stops


def test_leaf_reasons_name_the_rule_that_stopped_each_leaf() -> None:
    X = np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 1.0], [2.0, 2.0], [3.0, 0.0], [3.1, 0.1]] * 4)
    y = np.array([0, 1, 0, 1, 1, 1] * 4)
    problem = classification(X, y, test_fraction=0.0)
    _, result = frames_of(problem, settings(max_depth=20, prune=False), 0)
    stops = {n["stop"] for n in result["tree"] if n["stop"]}
    assert stops <= {"pure", "no_cut"} and "no_cut" in stops  # (0, 0) holds both classes: no cut separates them
    _, result = frames_of(problem, settings(max_depth=1, prune=False), 0)
    assert {n["stop"] for n in result["tree"] if n["stop"]} <= {"max_depth", "pure"}
    frames, result = frames_of(problem, settings(min_samples_split=50, prune=False), 0)
    assert frames[0].kind == "leaf" and result["tree"][0]["stop"] == "min_samples_split"
    assert "min_samples_split = 50" in frames[0].caption
    _, result = frames_of(moons(), settings(ccp_alpha=0.02, prune=False), 0)
    assert "pruned" in {n["stop"] for n in result["tree"]}


def test_the_depth_sweep_is_refits_at_each_max_depth() -> None:
    problem = moons(n=140, noise=0.35, seed=6)
    s = settings(max_depth=3, prune=False)
    frames, result = frames_of(problem, s, 1)
    full = oracle(problem, s, 1, max_depth=None)
    curve = result["depth_curve"]
    assert [c["depth"] for c in curve] == list(range(1, full.get_depth() + 1))
    for c in curve:
        refit = oracle(problem, s, 1, max_depth=c["depth"])
        rows = problem.split.test
        assert c["test_score"] == refit.score(problem.X[rows], problem.y[rows])
        assert c["n_leaves"] == refit.get_n_leaves()
    assert [f.state["max_depth"] for f in frames if f.kind == "depth"] == [c["depth"] for c in curve]
    assert curve[-1]["train_score"] >= curve[0]["train_score"]


def test_more_splits_than_the_frame_cap_go_a_level_at_a_time() -> None:
    X, y = make_moons(700, noise=0.45, random_state=0)
    problem = classification(X, y.astype(np.int64), grid_size=20, test_fraction=0.0)
    frames, result = frames_of(problem, settings(max_depth=14, prune=False), 0)
    kinds = [f.kind for f in frames]
    splits, levels = kinds.count("split"), kinds.count("level")
    assert splits == 63 and levels >= 1
    internal = sum(1 for n in result["tree"] if n["left"] is not None)
    assert splits + sum(len(f.state["nodes"]) for f in frames if f.kind == "level") == internal


def test_no_test_set_and_a_constant_target() -> None:
    problem = classification(*make_moons(40, noise=0.2, random_state=1), test_fraction=0.0)
    frames, result = frames_of(problem, settings(), 0)
    assert result["test_score"] is None and all(f.state["test_accuracy"] is None for f in frames)
    flat = regression(np.linspace(0, 1, 12)[:, None], np.full(12, 3.0))
    frames, result = frames_of(flat, settings("squared_error"), 0)
    assert [f.kind for f in frames] == ["leaf"] and result["tree"][0]["stop"] == "pure"
