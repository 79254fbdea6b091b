"""AdaBoost captions say what their own frame shows: every number in a caption is read back from that frame's
state (or, for the re-weighting it announces, from the next frame's weights)."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest
from sklearn.datasets import make_blobs, make_moons

from app.core.frame import Frame, drain
from app.core.text import fixed, num, percent
from app.engines import adaboost, boundary


def _frames(X: np.ndarray, y: np.ndarray, rounds: int, lr: float, depth: int = 1) -> tuple[list[Frame], Any]:
    parts = boundary.split(y, 0.3, np.random.default_rng(0))
    K = int(y.max()) + 1
    frames, _ = drain(
        adaboost.run(
            X,
            y,
            parts,
            n_classes=K,
            n_estimators=rounds,
            learning_rate=lr,
            max_depth=depth,
            grid_size=20,
            seed=1,
            feature_names=("x1", "x2"),
            class_names=tuple(f"c{k}" for k in range(K)),
        )
    )
    return frames, parts


def _moons() -> tuple[np.ndarray, np.ndarray]:
    return make_moons(100, noise=0.3, random_state=0)


def _blobs() -> tuple[np.ndarray, np.ndarray]:
    return make_blobs(90, centers=3, cluster_std=2.0, random_state=2)


@pytest.mark.parametrize(("data", "lr"), [(_moons, 1.0), (_moons, 0.4), (_blobs, 1.0)])
def test_every_number_in_a_caption_is_its_frames(data: Any, lr: float) -> None:
    X, y = data()
    rounds = 8
    frames, parts = _frames(X, y, rounds, lr)
    K = int(y.max()) + 1
    previous_test = None
    for m, frame in enumerate(frames):
        s, text = frame.state, frame.caption
        assert text.startswith(f"Round {m + 1}: ")
        assert f"misclassifies {len(s['misclassified_by_tree'])} points carrying {percent(s['error'], 1)}" in text
        assert f"(ε = {fixed(s['error'], 3)})" in text
        assert f"= {fixed(s['alpha'], 2)}" in text
        assert ("+ ln(3 − 1)" in text) == (K == 3)  # SAMME's ln(K − 1), only said where it is not ln 1 = 0
        assert (f"{num(lr, 3)} × " in text) == (lr != 1)
        assert f"test accuracy {percent(s['test_accuracy'])}" in text
        assert f"training {percent(s['train_accuracy'])}" in text
        if previous_test is not None:
            delta = s["test_accuracy"] - previous_test
            assert ("unchanged" if abs(delta) < 5e-4 else f"{100 * delta:+.1f} points") in text
            assert f"alone gets {percent(s['tree_train_accuracy'])}" in text
        previous_test = s["test_accuracy"]
        tree = s["tree"]
        split = f"{('x₁', 'x₂')[tree['feature'][0]]} ≤ {num(tree['threshold'][0], 3)}"
        left, right = tree["predicted"][1], tree["predicted"][2]
        rule = (
            f"“{split}” (class c{left} on both sides)"
            if left == right
            else f"“{split} → class c{left}, else class c{right}”"
        )
        assert rule in text  # the stump in words is the stump in the state
        if m + 1 < len(frames):  # the re-weighting it announces is the next frame's weights
            assert f"×{num(s['boost_factor'], 3)}" in text
            nxt = np.asarray(frames[m + 1].state["sample_weight"])
            rows = np.searchsorted(parts.train, s["misclassified_by_tree"])
            share = float(nxt[rows].sum() / nxt.sum())
            assert f"carry {percent(share, 0)} of the weight" in text
            if lr == 1:  # SAMME at learning rate 1: the misclassified end with exactly 1 − 1/K of the weight
                assert share == pytest.approx(1 - 1 / K, abs=1e-9)
                assert "1 − 1/K" in text
            else:
                assert "must focus on them" in text
        else:
            assert f"It is the last of the {rounds} rounds" in text and s["boost_factor"] is None
    assert "every training point starts with weight 1/N = 1/" + str(parts.train.size) in frames[0].caption


def test_the_first_caption_relates_samme_to_the_textbook_form() -> None:
    X, y = _moons()
    frames, _ = _frames(X, y, 2, 1.0)
    assert "twice the textbook's ½·ln((1 − ε)/ε)" in frames[0].caption
    assert "textbook" not in frames[1].caption  # said once


def test_deeper_trees_are_named_by_their_leaves_and_first_split() -> None:
    X, y = _moons()
    frames, _ = _frames(X, y, 3, 1.0, depth=3)
    for frame in frames:
        tree = frame.state["tree"]
        leaves = int(np.sum(np.asarray(tree["feature"]) < 0))
        match = re.search(r"the tree with (\d+) leaves \(first split (x₁|x₂) ≤ ([-\d.]+)\)", frame.caption, re.I)
        assert match, frame.caption
        assert int(match.group(1)) == leaves
        assert match.group(3) == num(tree["threshold"][0], 3)
