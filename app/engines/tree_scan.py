"""What scikit-learn's tree splitter hides, written out: a node's impurity and the scan of every candidate cut.

For the node being split, every feature is sorted and every cut between two neighbouring distinct values is
tried, as ``sklearn.tree._splitter.node_split_best`` tries them:

* the values are float32 (scikit-learn fits trees on ``X.astype(float32)``), and two neighbours closer than
  ``FEATURE_THRESHOLD`` (1e-7, in float32) are not cut between; a feature whose range is within it is constant;
* a candidate threshold is the midpoint ``a/2 + b/2`` of the two values in float64 (``a`` when that rounds
  onto ``b``), and a row goes left when its value is ``<=`` the threshold;
* a cut leaving fewer than ``min_samples_leaf`` rows on either side is not a candidate;
* the sample counts are plain row counts (no sample weights: ``weighted_n_node_samples == n_node_samples``).

Impurities, as scikit-learn defines them: gini ``1 − Σ p_k²``; entropy and log_loss (the same criterion)
``−Σ p_k log₂ p_k`` in bits; squared error the variance ``Σy²/n − ȳ²``; absolute error the mean absolute
deviation from the median ``Σ|y − median|/n``. The gain of a cut is the parent's impurity minus the
children's, each weighted by its share of the node's rows: ``gain = I(t) − (n_L/n)·I(L) − (n_R/n)·I(R)``
(scikit-learn's ``impurity_improvement`` before it is scaled by the node's share of all training rows).

Shapes: a node's rows ``X32`` (m, d) float32, ``y`` (m,) int64 class indices or float64 targets; a feature's
scan has one entry per candidate cut (c,), thresholds ascending.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import Any

import numpy as np

FEATURE_THRESHOLD = np.float32(1e-7)
"""scikit-learn's ``FEATURE_THRESHOLD``: values closer than this (in float32) count as equal."""
EPSILON = float(np.finfo(np.float64).eps)
"""scikit-learn's tolerance: a node with impurity ≤ EPSILON is pure."""
CLASSIFICATION = ("gini", "entropy", "log_loss")
REGRESSION = ("squared_error", "absolute_error")


@dataclass(frozen=True)
class FeatureScan:
    """Every candidate cut of one feature at one node."""

    feature: int
    thresholds: np.ndarray  # (c,) float64 candidate thresholds, ascending
    child_impurity: np.ndarray  # (c,) float64 (n_L/n)·I(L) + (n_R/n)·I(R)
    n_left: np.ndarray  # (c,) int64 rows that go left (value ≤ threshold)
    constant: bool  # the feature takes one value on this node (max − min ≤ 1e-7): no candidate at all

    def gains(self, parent_impurity: float) -> np.ndarray:
        """(c,) the impurity each cut removes: I(t) − weighted child impurity."""
        return parent_impurity - self.child_impurity


@dataclass(frozen=True)
class NodeScan:
    """The scan of one node: its impurity and every feature's candidates, and the best of them all."""

    impurity: float
    n_samples: int
    features: tuple[FeatureScan, ...]  # one per feature, in column order

    @property
    def n_candidates(self) -> int:
        return sum(int(f.thresholds.size) for f in self.features)

    def best(self) -> tuple[int, int, float] | None:
        """(feature, index into its candidates, gain) of the largest gain (the first of equal ones in column
        order, then threshold order), or None when no feature has a candidate."""
        found: tuple[int, int, float] | None = None
        for scan in self.features:
            if not scan.thresholds.size:
                continue
            gains = scan.gains(self.impurity)
            i = int(np.argmax(gains))
            if found is None or gains[i] > found[2]:
                found = (scan.feature, i, float(gains[i]))
        return found


# -- impurity of one set of rows ---------------------------------------------------------------------------------


def class_impurity(counts: np.ndarray, criterion: str) -> np.ndarray:
    """Gini or entropy (bits) of class counts (..., K), as scikit-learn sums them: (...,) float64."""
    counts = np.asarray(counts, dtype=np.float64)
    n = counts.sum(axis=-1)
    safe = np.where(n > 0, n, 1.0)
    if criterion == "gini":
        return np.asarray(1.0 - (counts * counts).sum(axis=-1) / (safe * safe))
    p = counts / safe[..., None]
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * (np.log(p) / np.log(2.0)), 0.0)
    return np.asarray(-terms.sum(axis=-1))


def absolute_deviation_sums(y: np.ndarray) -> np.ndarray:
    """(m,) float64: entry i is Σ|y_j − median| over the first i + 1 values of ``y`` (a running median kept in
    two heaps with their sums: the lower half's maximum is a median, and the sum of absolute deviations is the
    same for any value between the two middle ones). O(m log m)."""
    low: list[float] = []  # max-heap of the lower half (negated)
    high: list[float] = []  # min-heap of the upper half
    low_sum = high_sum = 0.0
    out = np.empty(y.size, dtype=np.float64)
    for i, v in enumerate(y.tolist()):
        if low and v > -low[0]:
            heapq.heappush(high, v)
            high_sum += v
        else:
            heapq.heappush(low, -v)
            low_sum += v
        if len(low) > len(high) + 1:  # rebalance: the lower half keeps the extra value
            moved = -heapq.heappop(low)
            low_sum -= moved
            heapq.heappush(high, moved)
            high_sum += moved
        elif len(high) > len(low):
            moved = heapq.heappop(high)
            high_sum -= moved
            heapq.heappush(low, -moved)
            low_sum += moved
        median = -low[0]
        out[i] = (median * len(low) - low_sum) + (high_sum - median * len(high))
    return out


def impurity(y: np.ndarray, criterion: str, n_classes: int = 0) -> float:
    """The impurity of one node's rows ``y`` (m,) under ``criterion`` (m ≥ 1)."""
    if criterion in CLASSIFICATION:
        counts = np.bincount(np.asarray(y, dtype=np.int64), minlength=n_classes)
        return float(class_impurity(counts, "gini" if criterion == "gini" else "entropy"))
    v = np.asarray(y, dtype=np.float64)
    if criterion == "squared_error":
        return float((v * v).sum() / v.size - (v.sum() / v.size) ** 2)
    return float(absolute_deviation_sums(v)[-1] / v.size)


# -- the scan -----------------------------------------------------------------------------------------------------


def _valid_cuts(xs: np.ndarray, min_samples_leaf: int) -> np.ndarray:
    """(c,) positions p (rows 0..p−1 go left) where scikit-learn tries a cut: between distinct values, with
    at least ``min_samples_leaf`` rows on each side. ``xs`` (m,) float32, sorted."""
    m = xs.size
    p = np.arange(1, m)
    distinct = xs[1:] > xs[:-1] + FEATURE_THRESHOLD  # float32 arithmetic, as the splitter's
    enough = (p >= min_samples_leaf) & (m - p >= min_samples_leaf)
    return p[distinct & enough]


def _thresholds(xs: np.ndarray, cuts: np.ndarray) -> np.ndarray:
    """(c,) float64 midpoints between xs[p − 1] and xs[p], as ``a/2 + b/2`` (``a`` if it rounds onto ``b``)."""
    a = xs[cuts - 1].astype(np.float64)
    b = xs[cuts].astype(np.float64)
    mid = a / 2.0 + b / 2.0
    return np.asarray(np.where((mid == b) | ~np.isfinite(mid), a, mid))


def _child_impurity(ys: np.ndarray, cuts: np.ndarray, criterion: str, n_classes: int) -> np.ndarray:
    """(c,) (n_L/n)·I(L) + (n_R/n)·I(R) for each cut position, ``ys`` (m,) in the feature's sorted order."""
    m = ys.size
    n_left = cuts.astype(np.float64)
    n_right = m - n_left
    if criterion in CLASSIFICATION:
        onehot = np.zeros((m, n_classes), dtype=np.float64)
        onehot[np.arange(m), ys] = 1.0
        before = np.cumsum(onehot, axis=0)  # (m, K): class counts of the first i + 1 rows
        left = before[cuts - 1]
        right = before[-1] - left
        kind = "gini" if criterion == "gini" else "entropy"
        i_left, i_right = class_impurity(left, kind), class_impurity(right, kind)
    elif criterion == "squared_error":
        total, total_sq = np.cumsum(ys), np.cumsum(ys * ys)  # (m,) running sums, as the criterion updates them
        s_left, q_left = total[cuts - 1], total_sq[cuts - 1]
        s_right, q_right = total[-1] - s_left, total_sq[-1] - q_left
        i_left = q_left / n_left - (s_left / n_left) ** 2
        i_right = q_right / n_right - (s_right / n_right) ** 2
    else:
        forward = absolute_deviation_sums(ys)  # (m,) over the first i + 1 rows
        backward = absolute_deviation_sums(ys[::-1])[::-1]  # (m,) over rows i .. m − 1
        i_left = forward[cuts - 1] / n_left
        i_right = backward[cuts] / n_right
    return np.asarray((n_left / m) * i_left + (n_right / m) * i_right)


def scan_feature(
    x32: np.ndarray, y: np.ndarray, feature: int, criterion: str, n_classes: int, min_samples_leaf: int
) -> FeatureScan:
    """Every candidate cut of one feature: ``x32`` (m,) float32 values of the node's rows, ``y`` (m,)."""
    order = np.argsort(x32, kind="stable")
    xs, ys = x32[order], y[order]
    constant = bool(xs[-1] <= xs[0] + FEATURE_THRESHOLD)
    cuts = np.zeros(0, dtype=np.int64) if constant else _valid_cuts(xs, min_samples_leaf)
    if not cuts.size:
        empty = np.zeros(0, dtype=np.float64)
        return FeatureScan(feature, empty, empty.copy(), np.zeros(0, dtype=np.int64), constant)
    return FeatureScan(
        feature=feature,
        thresholds=_thresholds(xs, cuts),
        child_impurity=_child_impurity(ys, cuts, criterion, n_classes),
        n_left=cuts.astype(np.int64),
        constant=False,
    )


def scan_node(
    X32: np.ndarray, y: np.ndarray, criterion: str, n_classes: int = 0, min_samples_leaf: int = 1
) -> NodeScan:
    """The node's impurity and every candidate cut on every feature. ``X32`` (m, d) float32, ``y`` (m,)."""
    features = tuple(scan_feature(X32[:, j], y, j, criterion, n_classes, min_samples_leaf) for j in range(X32.shape[1]))
    return NodeScan(impurity=impurity(y, criterion, n_classes), n_samples=int(y.size), features=features)


def thin_curve(count: int, keep: int, always: int) -> np.ndarray:
    """(≤ keep + 1,) sorted indices into a curve of ``count`` points: evenly spread, with the first, the last
    and ``always`` (the best cut, so the thinned curve still peaks where the scan does)."""
    if count <= keep:
        return np.arange(count)
    picks = np.unique(np.round(np.linspace(0, count - 1, keep)).astype(np.int64))
    return np.union1d(picks, [always])


def scan_summary(scan: NodeScan, chosen: int, keep_points: int) -> list[dict[str, Any]]:
    """Per feature: its candidates (thinned to ``keep_points``, the best kept), their gains, its best cut, and
    whether it is the feature of the split scikit-learn chose (``chosen``)."""
    out = []
    for f in scan.features:
        gains = f.gains(scan.impurity)
        best = int(np.argmax(gains)) if gains.size else -1
        keep = thin_curve(int(gains.size), keep_points, best) if gains.size else np.zeros(0, dtype=np.int64)
        out.append(
            {
                "feature": f.feature,
                "n_candidates": int(gains.size),
                "thresholds": f.thresholds[keep].tolist(),
                "gains": gains[keep].tolist(),
                "best_threshold": float(f.thresholds[best]) if best >= 0 else None,
                "best_gain": float(gains[best]) if best >= 0 else None,
                "chosen": f.feature == chosen,
            }
        )
    return out
