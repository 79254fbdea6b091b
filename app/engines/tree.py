"""A decision tree grown split by split: scikit-learn's own tree, replayed breadth-first, with the scan it hides.

The tree is ``DecisionTreeClassifier`` / ``DecisionTreeRegressor(random_state=seed, ...)``, fitted once on the
training rows. Its ``tree_`` numbers nodes depth-first (pre-order, left child first: node 1 is the root's left
child, and the root's right child comes only after the whole left branch); with ``max_leaf_nodes`` the
best-first builder numbers them in the order it adds them. The frames replay the splits breadth-first
instead — the root, then each node of depth 1 from left to right, then depth 2 … — so the tree grows level by
level, as one draws it by hand. Frames name nodes by scikit-learn's ids, so ``tree_`` can be read alongside.

Chapters (frame kinds):

* ``split``: one per internal node, breadth-first (past ``MAX_SPLIT_FRAMES`` splits, one ``level`` frame per
  remaining depth). Each carries the scan of every candidate cut at the node (``tree_scan``: its best gain
  equals the gain of the split scikit-learn chose), the cut, the tree so far, and the boundary or fit of the
  partial tree (a node not split yet predicts its own value), routed through the node table by hand. A tree
  that is only its root gives one ``leaf`` frame saying why.
* ``prune`` (``prune`` on): ``cost_complexity_pruning_path`` of the tree grown without ``ccp_alpha``, one frame
  per distinct alpha (at most ``MAX_PRUNE_FRAMES``), each the tree refitted with ``ccp_alpha = alpha`` and the
  branches the weakest-link steps collapsed (``tree_prune``).
* ``depth``: the tree refitted with ``max_depth = 1, 2, …`` up to the depth it reaches unlimited (at most
  ``MAX_DEPTH_SWEEP``): the training score keeps improving, the test score stops (under- and over-fitting).

Shapes: ``X`` (n, d) float64, d = 1 or 2 (``X32`` its float32 copy: what scikit-learn compares); ``points``
(p, d) where the model is drawn (the g × g grid, or g x values for one feature).
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from app.core.budget import checkpoint
from app.core.frame import Frame
from app.engines import tree_captions as say
from app.engines.boundary import Grid, Split, grid_result, score
from app.engines.tree_prune import (
    NodeTable,
    StopRules,
    cut_segment,
    diagram,
    kept_after,
    leaf_reasons,
    node_entries,
    path_entries,
    pruning_sequence,
    refit_groups,
)
from app.engines.tree_scan import scan_node, scan_summary, thin_curve

MAX_SPLIT_FRAMES = 63
"""One frame per split up to a full tree of depth 5; past it, one frame per remaining level."""
MAX_PRUNE_FRAMES = 40
MAX_DEPTH_SWEEP = 20
SCAN_POINTS = 80
"""Most points of one feature's scan curve in a frame (thinned evenly, always with the best cut)."""


@dataclass(frozen=True)
class TreeProblem:
    """The data of one run."""

    X: np.ndarray  # (n, d) float64
    y: np.ndarray  # (n,) int64 class indices, or float64 targets
    split: Split
    task: str  # "classification" | "regression"
    n_classes: int  # K (0 for regression)
    class_names: tuple[str, ...]  # K names ("" for regression)
    feature_names: tuple[str, ...]  # d names
    box: tuple[np.ndarray, np.ndarray]  # (lo, hi), each (d,): the plotted window the cuts are clipped to
    points: np.ndarray  # (p, d) where the model is drawn: the grid's points, or fit_points for one feature
    grid: Grid | None  # the g × g grid of a classification run (its result's boundary), None for regression


@dataclass(frozen=True)
class TreeSettings:
    """The tree's hyper-parameters, as scikit-learn names them."""

    criterion: str
    max_depth: int
    min_samples_split: int
    min_samples_leaf: int
    max_leaf_nodes: int | None
    ccp_alpha: float
    prune: bool


def make_tree(task: str, settings: TreeSettings, seed: int, **overrides: Any) -> Any:
    """The scikit-learn estimator of these settings (``overrides``: ``max_depth=None``, ``ccp_alpha=0.0`` …)."""
    kwargs: dict[str, Any] = {
        "criterion": settings.criterion,
        "max_depth": settings.max_depth,
        "min_samples_split": settings.min_samples_split,
        "min_samples_leaf": settings.min_samples_leaf,
        "max_leaf_nodes": settings.max_leaf_nodes,
        "ccp_alpha": settings.ccp_alpha,
        "random_state": seed,
    } | overrides
    return DecisionTreeClassifier(**kwargs) if task == "classification" else DecisionTreeRegressor(**kwargs)


class Judge:
    """Predictions of a (partial) tree and their scores, for the run's task."""

    def __init__(self, problem: TreeProblem) -> None:
        self.p = problem
        self.classify = problem.task == "classification"
        self.X32 = problem.X.astype(np.float32)  # (n, d)
        self.points32 = problem.points.astype(np.float32)  # (p, d)

    def outputs(
        self, table: NodeTable, at_rows: np.ndarray, at_points: np.ndarray
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """(state scores, visual arrays) when row i sits at node ``at_rows[i]`` (n,) and point j at
        ``at_points[j]`` (p,): each node predicts its value (its majority class, or its mean / median)."""
        p = self.p
        if self.classify:
            predicted = np.argmax(table.value, axis=1)  # (N,) the first of equal fractions, as predict does
            scores = score(p.y, predicted[at_rows], p.split, p.n_classes)
            visual = {
                "predicted": predicted[at_points],  # (p,) int
                "probability": table.value[at_points, predicted[at_points]],  # (p,) the node's top class fraction
                "misclassified": scores.misclassified,
            }
            return scores.state(), visual
        fit = table.value[:, 0]  # (N,)
        residual = p.y - fit[at_rows]  # (n,)
        test = float(np.mean(residual[p.split.test] ** 2)) if p.split.test.size else None
        state = {"train_mse": float(np.mean(residual[p.split.train] ** 2)), "test_mse": test}
        return state, {"fit": fit[at_points], "residual": residual}

    def scores(self, state: dict[str, Any]) -> tuple[float, float | None]:
        """(train, test) score of a state: accuracy, or mean squared error."""
        if self.classify:
            return state["train_accuracy"], state["test_accuracy"]
        return state["train_mse"], state["test_mse"]

    def metrics(self, state: dict[str, Any], n_leaves: int) -> dict[str, float]:
        train, test = self.scores(state)
        name = "accuracy" if self.classify else "mse"
        out = {f"train_{name}": float(train), "n_leaves": float(n_leaves)}
        if test is not None:
            out[f"test_{name}"] = float(test)
        return out

    def whole(self, table: NodeTable) -> tuple[dict[str, Any], dict[str, Any]]:
        """``outputs`` of the whole tree (every split made)."""
        every = np.ones(table.size, dtype=bool)
        return self.outputs(table, table.route(self.X32, every), table.route(self.points32, every))


class Grower:
    """The run's state while it replays the splits: which nodes are drawn and split, where each row sits."""

    def __init__(self, problem: TreeProblem, settings: TreeSettings, table: NodeTable, stops: dict[int, str]) -> None:
        self.p, self.s, self.table, self.stops = problem, settings, table, stops
        self.judge = Judge(problem)
        self.shown = np.zeros(table.size, dtype=bool)
        self.shown[0] = True
        self.split = np.zeros(table.size, dtype=bool)
        self.at_rows = np.zeros(problem.X.shape[0], dtype=np.int64)
        self.at_points = np.zeros(problem.points.shape[0], dtype=np.int64)

    def cut(self, node: int) -> None:
        t = self.table
        self.split[node] = True
        self.shown[[t.left[node], t.right[node]]] = True
        self.at_rows = t.descend(self.judge.X32, self.at_rows, node)
        self.at_points = t.descend(self.judge.points32, self.at_points, node)

    def status(self, current: list[int]) -> list[str]:
        """(N,) what each node is in this frame's drawing."""
        out = []
        for node in range(self.table.size):
            if not self.shown[node]:
                out.append("hidden")
            elif node in current:
                out.append("current")
            elif self.split[node]:
                out.append("split")
            else:
                out.append("leaf" if node in self.stops else "waiting")
        return out

    def frame(self, kind: str, current: list[int], extra: dict[str, Any]) -> tuple[Frame, tuple[float, float | None]]:
        """The frame after the splits so far (captioned later: ``with_caption``), and its (train, test) score."""
        t, box = self.table, self.p.box
        scores, visual = self.judge.outputs(t, self.at_rows, self.at_points)
        n_leaves = int(self.shown.sum() - (self.split & (t.left >= 0)).sum())
        state = {
            "node": current[0] if len(current) == 1 else None,
            "depth": int(t.depth[self.shown].max()),
            "tree": node_entries(t, self.shown, self.split, self.stops),
            "n_leaves": n_leaves,
            **extra,
            **scores,
        }
        visual |= {
            "diagram": diagram(t, self.status(current), t.bfs),
            "cuts": [cut_segment(t, int(v), box) for v in t.bfs if self.split[v] and int(v) not in current],
            "current": [cut_segment(t, v, box) for v in current if not t.is_leaf(v)],
            "region": t.region(current[0], *box) if len(current) == 1 else None,
        }
        return Frame(kind, "", state, self.judge.metrics(scores, n_leaves), visual=visual), self.judge.scores(scores)


def _grow(g: Grower, X32: np.ndarray, y: np.ndarray) -> Generator[Frame, None, None]:
    """The ``split`` (and ``level``) frames, breadth-first; ``X32``/``y`` are the training rows."""
    t, s, p = g.table, g.s, g.p
    internal = [int(v) for v in t.internal]
    if not internal:
        frame, scores = g.frame("leaf", [0], {})
        yield replace(frame, caption=say.root_leaf(p, s, t, g.stops.get(0, "no_cut"), scores))
        return
    n = t.n_samples
    for k, node in enumerate(internal[:MAX_SPLIT_FRAMES]):
        checkpoint()
        here = g.at_rows[p.split.train] == node
        scan = scan_node(X32[here], y[here], s.criterion, p.n_classes, s.min_samples_leaf)
        left, right = int(t.left[node]), int(t.right[node])
        gain = float(t.impurity[node] - (n[left] * t.impurity[left] + n[right] * t.impurity[right]) / n[node])
        feature = int(t.feature[node])
        split = {
            "feature": feature,
            "threshold": float(t.threshold[node]),
            "gain": gain,
            "child_impurity": float(t.impurity[node]) - gain,
            "n_candidates": scan.n_candidates,
            "n_left": int(n[left]),
            "n_right": int(n[right]),
        }
        g.cut(node)
        frame, scores = g.frame("split", [node], {"split": split, "scan": scan_summary(scan, feature, SCAN_POINTS)})
        yield replace(frame, caption=say.split(p, s, t, node, scan, g.stops, scores, k))
    rest = internal[MAX_SPLIT_FRAMES:]
    for depth in sorted({int(t.depth[v]) for v in rest}):
        checkpoint()
        nodes = [v for v in rest if t.depth[v] == depth]
        for node in nodes:
            g.cut(node)
        frame, scores = g.frame("level", nodes, {"nodes": nodes})
        yield replace(frame, caption=say.level(p, depth, len(nodes), scores))


def _prune(
    judge: Judge,
    problem: TreeProblem,
    settings: TreeSettings,
    unpruned: NodeTable,
    seed: int,
    train: tuple[np.ndarray, np.ndarray],
) -> Generator[Frame, None, list[dict[str, Any]]]:
    """The ``prune`` frames; returns the whole path (every alpha, its leaves and total leaf impurity)."""
    path = make_tree(problem.task, settings, seed, ccp_alpha=0.0).cost_complexity_pruning_path(*train)
    steps = pruning_sequence(unpruned)
    alphas = [float(a) for a in path.ccp_alphas]
    entries = path_entries(unpruned, steps, alphas, [float(v) for v in path.impurities])
    groups = refit_groups(alphas[1:])
    picks = thin_curve(len(groups), MAX_PRUNE_FRAMES, len(groups) - 1)
    for j in (int(v) for v in picks):
        checkpoint()
        group = groups[j]
        alpha = alphas[1 + group[0]]
        model = make_tree(problem.task, settings, seed, ccp_alpha=alpha).fit(*train)
        table = NodeTable.of(model.tree_)
        scores, visual = judge.whole(table)
        keep = kept_after(unpruned, steps, group[-1])
        collapsing = [steps[i].node for i in group]
        status = [
            "pruned"
            if not keep[v]
            else "collapsed"
            if v in collapsing
            else "split"
            if not unpruned.is_leaf(v) and keep[unpruned.left[v]]
            else "leaf"
            for v in range(unpruned.size)
        ]
        refit_ids = table.by_path()
        ids = np.array([refit_ids.get(unpruned.path(v), -1) for v in range(unpruned.size)])
        visual["diagram"] = diagram(unpruned, status, ids)
        collapsed = [int(ids[v]) for v in collapsing]
        state = {
            "node": collapsed[0],
            "depth": int(table.depth.max()),
            "tree": node_entries(table, np.ones(table.size, bool), np.ones(table.size, bool), {}),
            "n_leaves": int(model.get_n_leaves()),
            "alpha": alpha,
            "collapsed": collapsed,
            **scores,
        }
        leaves_before = steps[group[0] - 1].n_leaves if group[0] else int(entries[0]["n_leaves"])
        following = alphas[1 + groups[j + 1][0]] if j + 1 < len(groups) else np.inf
        chosen = settings.ccp_alpha > 0 and alpha <= settings.ccp_alpha < following
        caption = say.prune(
            problem, settings, [steps[i] for i in group], collapsed, leaves_before, state, judge.scores(scores), chosen
        )
        if j == 0 and len(picks) < len(groups):
            caption += f" (The tree has {len(groups)} pruning steps; {len(picks)} of them are shown.)"
        yield Frame("prune", caption, state, judge.metrics(scores, state["n_leaves"]), visual=visual)
    return entries


def _depths(
    judge: Judge,
    problem: TreeProblem,
    settings: TreeSettings,
    seed: int,
    train: tuple[np.ndarray, np.ndarray],
    full_depth: int,
) -> Generator[Frame, None, list[dict[str, Any]]]:
    """The ``depth`` frames: refits at max_depth 1 .. the unlimited tree's depth; returns the curve."""
    top = min(full_depth, MAX_DEPTH_SWEEP)
    fits = []
    for d in range(1, top + 1):
        checkpoint()
        model = make_tree(problem.task, settings, seed, max_depth=d).fit(*train)
        table = NodeTable.of(model.tree_)
        fits.append((model, table, *judge.whole(table)))
    curve = [
        {
            "depth": d,
            "n_leaves": int(m.get_n_leaves()),
            "train_score": judge.scores(sc)[0],
            "test_score": judge.scores(sc)[1],
        }
        for d, (m, _, sc, _) in enumerate(fits, start=1)
    ]
    chosen = min(settings.max_depth, top)
    for d, (model, table, scores, visual) in enumerate(fits, start=1):
        checkpoint()
        visual["depth_curve"] = {
            "curve": curve,
            "depth": d,
            "chosen": chosen,
            "score": "accuracy" if judge.classify else "mse",
        }
        state = {
            "node": None,
            "depth": int(table.depth.max()),
            "tree": node_entries(table, np.ones(table.size, bool), np.ones(table.size, bool), {}),
            "n_leaves": int(model.get_n_leaves()),
            "max_depth": d,
            **scores,
        }
        caption = say.depth(problem, d, curve, settings.max_depth, full_depth)
        yield Frame("depth", caption, state, judge.metrics(scores, state["n_leaves"]), visual=visual)
    return curve


def run(problem: TreeProblem, settings: TreeSettings, seed: int) -> Generator[Frame, None, dict[str, Any]]:
    """Every frame of the run (see the module docstring), then the result."""
    rows = problem.split.train
    train = (problem.X[rows], problem.y[rows])
    X32, y_train = problem.X[rows].astype(np.float32), problem.y[rows]
    model = make_tree(problem.task, settings, seed).fit(*train)
    table = NodeTable.of(model.tree_)
    unpruned = table
    if settings.ccp_alpha > 0 or settings.prune:
        unpruned = NodeTable.of(make_tree(problem.task, settings, seed, ccp_alpha=0.0).fit(*train).tree_)
    rules = StopRules(
        settings.criterion, settings.max_depth, settings.min_samples_split, settings.min_samples_leaf, problem.n_classes
    )
    stops = leaf_reasons(table, rules, X32, y_train, unpruned if settings.ccp_alpha > 0 else None)
    grower = Grower(problem, settings, table, stops)
    yield from _grow(grower, X32, y_train)
    judge = grower.judge
    final_scores, final_visual = judge.outputs(table, grower.at_rows, grower.at_points)
    path = (yield from _prune(judge, problem, settings, unpruned, seed, train)) if settings.prune else None
    full_depth = int(make_tree(problem.task, settings, seed, max_depth=None).fit(*train).get_depth())
    curve = yield from _depths(judge, problem, settings, seed, train, full_depth)
    train_score, test_score = judge.scores(final_scores)
    result: dict[str, Any] = {
        "tree": node_entries(table, np.ones(table.size, bool), np.ones(table.size, bool), stops),
        "n_leaves": int(model.get_n_leaves()),
        "depth": int(model.get_depth()),
        "score": "accuracy" if judge.classify else "mean squared error",
        "train_score": train_score,
        "test_score": test_score,
        "feature_importances": model.feature_importances_.tolist(),
        "depth_curve": curve,
        "train_indices": problem.split.train,
        "test_indices": problem.split.test,
    }
    if path is not None:
        result["pruning_path"] = path
    if problem.grid is not None:
        result["classes"] = list(problem.class_names)
        result["grid"] = grid_result(problem.grid, final_visual["predicted"], probability=final_visual["probability"])
    else:
        result["fit"] = {"points": problem.points.tolist(), "prediction": final_visual["fit"].tolist()}
    return result
