"""A fitted scikit-learn tree as a node table, the contract's node list, and its cost-complexity (weakest-link)
pruning sequence by hand.

``NodeTable`` copies ``tree_``'s parallel arrays (node ids are scikit-learn's: the depth-first builder numbers
nodes in pre-order, left child first; the best-first builder of ``max_leaf_nodes`` numbers them as it adds them)
and adds what the frames need: each node's depth and parent, a breadth-first order, and the routing of rows
through any "revealed" part of the tree (a node not split yet acts as a leaf that predicts its value).

``pruning_sequence`` replays ``sklearn.tree._tree._cost_complexity_prune``: with R(t) = n_t/N · I(t) (a node's
impurity weighted by its share of the training rows) and R(T_t) the sum of R over the leaves of the branch
under t, the weakest link is the internal node with the smallest effective alpha
``(R(t) − R(T_t)) / (leaves(T_t) − 1)`` (the first in node-id order on a tie); collapsing it into a leaf costs
the least impurity per leaf removed. Repeat until only the root is left. The alphas are
``cost_complexity_pruning_path``'s, and a tree fitted with ``ccp_alpha = alpha_i`` is the subtree after every
step whose alpha is ≤ alpha_i.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from app.engines.tree_scan import EPSILON, scan_node

LEAF = -1  # scikit-learn's TREE_LEAF (children of a leaf)


@dataclass(frozen=True)
class NodeTable:
    """A fitted tree, node by node; N nodes, K values per node (class fractions, or the one predicted number)."""

    left: np.ndarray  # (N,) int64 left child id, −1 for a leaf
    right: np.ndarray  # (N,) int64 right child id, −1 for a leaf
    feature: np.ndarray  # (N,) int64 split feature (−2 for a leaf)
    threshold: np.ndarray  # (N,) float64 split threshold: a row goes left when its float32 value ≤ it
    impurity: np.ndarray  # (N,) float64
    n_samples: np.ndarray  # (N,) int64 training rows reaching the node
    value: np.ndarray  # (N, K) float64: class fractions (classification) or [prediction] (regression)
    parent: np.ndarray = field(init=False)  # (N,) int64, −1 for the root
    depth: np.ndarray = field(init=False)  # (N,) int64, 0 for the root
    bfs: np.ndarray = field(init=False)  # (N,) node ids breadth-first: by depth, then left to right

    def __post_init__(self) -> None:
        n = self.left.size
        parent = np.full(n, -1, dtype=np.int64)
        depth = np.zeros(n, dtype=np.int64)
        order: list[int] = []
        queue = [0]
        while queue:  # a plain FIFO: each level's nodes, left to right, follow the level above
            node = queue.pop(0)
            order.append(node)
            for child in (int(self.left[node]), int(self.right[node])):
                if child != LEAF:
                    parent[child] = node
                    depth[child] = depth[node] + 1
                    queue.append(child)
        object.__setattr__(self, "parent", parent)
        object.__setattr__(self, "depth", depth)
        object.__setattr__(self, "bfs", np.asarray(order, dtype=np.int64))

    @classmethod
    def of(cls, tree: Any) -> NodeTable:
        """The table of a fitted ``DecisionTree*.tree_`` (its arrays copied)."""
        return cls(
            left=np.asarray(tree.children_left, dtype=np.int64).copy(),
            right=np.asarray(tree.children_right, dtype=np.int64).copy(),
            feature=np.asarray(tree.feature, dtype=np.int64).copy(),
            threshold=np.asarray(tree.threshold, dtype=np.float64).copy(),
            impurity=np.asarray(tree.impurity, dtype=np.float64).copy(),
            n_samples=np.asarray(tree.n_node_samples, dtype=np.int64).copy(),
            value=np.asarray(tree.value, dtype=np.float64)[:, 0, :].copy(),
        )

    @property
    def size(self) -> int:
        return int(self.left.size)

    def is_leaf(self, node: int) -> bool:
        return bool(self.left[node] == LEAF)

    @property
    def internal(self) -> np.ndarray:
        """(s,) ids of the split nodes, breadth-first."""
        return np.asarray(self.bfs[self.left[self.bfs] != LEAF])

    def path(self, node: int) -> str:
        """The node's address from the root: "" for the root, then "L"/"R" per step ("LR": root's left's right)."""
        steps: list[str] = []
        while self.parent[node] != -1:
            up = int(self.parent[node])
            steps.append("L" if self.left[up] == node else "R")
            node = up
        return "".join(reversed(steps))

    def by_path(self) -> dict[str, int]:
        """Every node's id by its address (``path``): how one tree's nodes are found in another."""
        return {self.path(int(t)): int(t) for t in self.bfs}

    def descend(self, X32: np.ndarray, at: np.ndarray, node: int) -> np.ndarray:
        """``at`` (m,) node ids with the rows at ``node`` moved to its left or right child: float32 value ≤ the
        threshold goes left, as scikit-learn's ``apply``. Returns a new array."""
        out = at.copy()
        here = at == node
        go_left = X32[:, self.feature[node]] <= self.threshold[node]
        out[here & go_left] = self.left[node]
        out[here & ~go_left] = self.right[node]
        return out

    def route(self, X32: np.ndarray, split: np.ndarray) -> np.ndarray:
        """(m,) the node each row of ``X32`` (m, d) float32 ends in when only the nodes where ``split`` (N,) bool
        is true are split (every other node acts as a leaf)."""
        at = np.zeros(X32.shape[0], dtype=np.int64)
        for node in self.bfs:
            if split[node] and not self.is_leaf(int(node)):
                at = self.descend(X32, at, int(node))
        return at

    def region(self, node: int, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The box (lo, hi), each (d,), the node's rows live in: the window ``lo``..``hi`` cut by every
        ancestor's threshold."""
        low, high = lo.astype(np.float64).copy(), hi.astype(np.float64).copy()
        child = node
        while self.parent[child] != -1:
            up = int(self.parent[child])
            f, t = int(self.feature[up]), float(self.threshold[up])
            if self.left[up] == child:
                high[f] = min(high[f], t)
            else:
                low[f] = max(low[f], t)
            child = up
        return low, high

    def leaf_count(self, keep: np.ndarray) -> int:
        """Leaves of the subtree whose nodes are ``keep`` (N,) bool (a kept node with no kept child is a leaf)."""
        kept = np.flatnonzero(keep)
        return int(sum(1 for t in kept if self.is_leaf(int(t)) or not keep[self.left[t]]))


@dataclass(frozen=True)
class PruneStep:
    """One weakest-link step: the branch under ``node`` collapses into a leaf."""

    alpha: float  # its effective alpha: impurity added per leaf removed
    node: int  # the node that becomes a leaf
    removed: tuple[int, ...]  # the node ids that leave the tree (the branch below ``node``), sorted
    n_leaves: int  # leaves of the tree after this step
    total_impurity: float  # Σ R(leaf) over the leaves after this step (cost_complexity_pruning_path's impurities)


def pruning_sequence(table: NodeTable) -> list[PruneStep]:
    """Every weakest-link step from the full tree down to the root alone, in order (see the module docstring)."""
    n = table.size
    r_node = table.n_samples.astype(np.float64) * table.impurity / float(table.n_samples[0])
    leaf = table.left == LEAF
    r_branch = np.where(leaf, r_node, 0.0)
    n_leaves = np.zeros(n, dtype=np.int64)
    for t in np.flatnonzero(leaf):  # bubble each leaf's R up to its ancestors, as scikit-learn does
        up = int(table.parent[t])
        while up != -1:
            r_branch[up] += r_node[t]
            n_leaves[up] += 1
            up = int(table.parent[up])
    candidate = ~leaf
    in_tree = np.ones(n, dtype=bool)
    steps: list[PruneStep] = []
    while candidate[0]:
        ids = np.flatnonzero(candidate)
        alphas = (r_node[ids] - r_branch[ids]) / (n_leaves[ids] - 1)
        best = int(ids[int(np.argmin(alphas))])  # argmin: the first of equal alphas, as the strict < loop
        alpha = float(alphas[int(np.argmin(alphas))])
        removed = _below(table, best, in_tree)
        in_tree[list(removed)] = False
        candidate[best] = False
        candidate[list(removed)] = False
        pruned_leaves = int(n_leaves[best]) - 1
        n_leaves[best] = 0
        diff = r_node[best] - r_branch[best]
        r_branch[best] = r_node[best]
        up = int(table.parent[best])
        while up != -1:
            n_leaves[up] -= pruned_leaves
            r_branch[up] += diff
            up = int(table.parent[up])
        steps.append(PruneStep(alpha, best, removed, table.leaf_count(in_tree), float(r_branch[0])))
    return steps


def refit_groups(alphas: list[float]) -> list[list[int]]:
    """The steps (indices into the pruning sequence) each distinct refit gives, in order.

    A refit at ccp_alpha = v prunes step after step while the step's alpha is ≤ v. The path's alphas need not
    rise (collapsing a branch can lower an ancestor's effective alpha below an earlier step's), so the subtrees
    refits can give are one per new running maximum: each step joins the group of the last new maximum."""
    groups: list[list[int]] = []
    top = -np.inf
    for i, a in enumerate(alphas):
        if a > top:
            groups.append([i])
            top = a
        else:
            groups[-1].append(i)
    return groups


def path_entries(
    table: NodeTable, steps: list[PruneStep], alphas: list[float], impurities: list[float]
) -> list[dict[str, Any]]:
    """The result's ``pruning_path``: ``cost_complexity_pruning_path``'s alphas and impurities (the unpruned tree
    first) with the leaves after each step."""
    leaves = [table.leaf_count(np.ones(table.size, dtype=bool)), *(st.n_leaves for st in steps)]
    return [
        {"alpha": a, "n_leaves": n, "total_impurity": i} for a, n, i in zip(alphas, leaves, impurities, strict=True)
    ]


def _below(table: NodeTable, node: int, in_tree: np.ndarray) -> tuple[int, ...]:
    """The ids still in the tree strictly below ``node``, sorted."""
    out: list[int] = []
    stack = [int(table.left[node]), int(table.right[node])] if not table.is_leaf(node) else []
    while stack:
        t = stack.pop()
        if t == LEAF or not in_tree[t]:
            continue
        out.append(t)
        stack += [int(table.left[t]), int(table.right[t])]
    return tuple(sorted(out))


def kept_after(table: NodeTable, steps: list[PruneStep], upto: int) -> np.ndarray:
    """(N,) bool: the nodes still in the tree after steps 0..upto."""
    keep = np.ones(table.size, dtype=bool)
    for step in steps[: upto + 1]:
        keep[list(step.removed)] = False
    return keep


# -- the contract's node list ------------------------------------------------------------------------------------


def node_entries(table: NodeTable, shown: np.ndarray, split: np.ndarray, stops: dict[int, str]) -> list[dict[str, Any]]:
    """The contract's node list, breadth-first: the nodes where ``shown`` (N,) is true; a node's feature,
    threshold and children only once ``split`` (N,) says it is split; ``stop``: why a final leaf stays one
    (None for a split node and for one still waiting to be split)."""
    out = []
    for t in (int(v) for v in table.bfs):
        if not shown[t]:
            continue
        done = bool(split[t]) and not table.is_leaf(t)
        out.append(
            {
                "id": t,
                "parent": None if table.parent[t] < 0 else int(table.parent[t]),
                "depth": int(table.depth[t]),
                "feature": int(table.feature[t]) if done else None,
                "threshold": float(table.threshold[t]) if done else None,
                "impurity": float(table.impurity[t]),
                "n_samples": int(table.n_samples[t]),
                "value": table.value[t].tolist(),
                "left": int(table.left[t]) if done else None,
                "right": int(table.right[t]) if done else None,
                "stop": stops.get(t),
            }
        )
    return out


@dataclass(frozen=True)
class StopRules:
    """The stopping rules a leaf is checked against (the tree's own params)."""

    criterion: str
    max_depth: int
    min_samples_split: int
    min_samples_leaf: int
    n_classes: int  # K (0 for regression)


def leaf_reasons(
    table: NodeTable, rules: StopRules, X32: np.ndarray, y: np.ndarray, unpruned: NodeTable | None
) -> dict[int, str]:
    """Why each leaf of ``table`` was not split, in scikit-learn's order of checks: "pure", "max_depth",
    "min_samples_split", "min_samples_leaf" (too few rows for two leaves, or no cut leaves enough on both
    sides), "pruned" (split in ``unpruned``, the tree grown with ccp_alpha 0; None when ``table`` is that
    tree), "no_cut" (every row has the same features) or "max_leaf_nodes" (the leaf budget went to better
    splits). ``X32`` (m, d) float32 / ``y`` (m,): the training rows."""
    full = unpruned.by_path() if unpruned is not None else {}
    rows_at = table.route(X32, np.ones(table.size, dtype=bool))
    out: dict[int, str] = {}
    for t in (int(v) for v in table.bfs):
        if not table.is_leaf(t):
            continue
        n = int(table.n_samples[t])
        twin = full.get(table.path(t))
        if table.impurity[t] <= EPSILON:
            out[t] = "pure"
        elif table.depth[t] >= rules.max_depth:
            out[t] = "max_depth"
        elif n < rules.min_samples_split:
            out[t] = "min_samples_split"
        elif n < 2 * rules.min_samples_leaf:
            out[t] = "min_samples_leaf"
        elif unpruned is not None and twin is not None and not unpruned.is_leaf(twin):
            out[t] = "pruned"
        else:
            rows = rows_at == t
            scan = scan_node(X32[rows], y[rows], rules.criterion, rules.n_classes, rules.min_samples_leaf)
            if scan.best() is not None:
                out[t] = "max_leaf_nodes"
            else:
                out[t] = "no_cut" if all(f.constant for f in scan.features) else "min_samples_leaf"
    return out


# -- what the drawing reads ----------------------------------------------------------------------------------


def diagram(table: NodeTable, status: list[str], ids: np.ndarray) -> dict[str, Any]:
    """What the tree drawing reads: the drawn tree's shape and numbers, and each node's status and id."""
    return {
        "left": table.left.copy(),
        "right": table.right.copy(),
        "feature": table.feature.copy(),
        "threshold": table.threshold.copy(),
        "impurity": table.impurity.copy(),
        "n_samples": table.n_samples.copy(),
        "value": table.value.copy(),  # (N, K)
        "status": status,
        "ids": np.asarray(ids, dtype=np.int64).copy(),  # (N,) the id the frame's state calls each node (−1: none)
    }


def cut_segment(table: NodeTable, node: int, box: tuple[np.ndarray, np.ndarray]) -> dict[str, Any]:
    """A split as the view draws it: the feature, the threshold and the node's region ``lo``, ``hi`` (d,)."""
    lo, hi = table.region(node, *box)
    return {"feature": int(table.feature[node]), "threshold": float(table.threshold[node]), "lo": lo, "hi": hi}
