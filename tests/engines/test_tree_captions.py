"""The decision-tree captions say what the frame's own numbers say: the split, why a child stops, the scores,
the pruning step, and whether a depth under- or over-fits (read off the depth sweep in the result)."""

from __future__ import annotations

import re

import numpy as np

from app.core.text import fixed, num, percent
from tests.engines.test_tree_truth import frames_of, moons, settings, sine

REASON_WORDS = {
    "pure": "is pure",
    "max_depth": "maximum depth",
    "min_samples_split": "min_samples_split",
    "min_samples_leaf": "min_samples_leaf",
    "max_leaf_nodes": "max_leaf_nodes",
    "pruned": "pruned back",
    "no_cut": "no cut can separate",
}


def test_a_split_caption_carries_the_frames_numbers() -> None:
    frames, _ = frames_of(moons(seed=2), settings(max_depth=3, min_samples_leaf=2), 0)
    for frame in (f for f in frames if f.kind == "split"):
        st, split = frame.state, frame.state["split"]
        nodes = {n["id"]: n for n in st["tree"]}
        node = nodes[st["node"]]
        assert f"({node['n_samples']} samples, gini {fixed(node['impurity'], 3)})" in frame.caption
        assert f"≤ {num(split['threshold'], 3)}:" in frame.caption
        assert f"the best of {split['n_candidates']:,} candidate cuts" in frame.caption
        assert f"(gain {fixed(split['gain'], 3)})" in frame.caption
        assert f"weighted gini to {fixed(split['child_impurity'], 3)}" in frame.caption
        assert re.search(rf"Left {split['n_left']} samples?,", frame.caption)
        assert f"right {split['n_right']}," in frame.caption
        for side in ("left", "right"):
            child = nodes[node[side]]
            said = f"the {side} child stays a leaf" in frame.caption.lower()
            assert said == (child["stop"] is not None), frame.caption
            if child["stop"]:
                assert REASON_WORDS[child["stop"]] in frame.caption
        held = f"test {percent(st['test_accuracy'], 1)}"
        assert f"accuracy train {percent(st['train_accuracy'], 1)}, {held}" in frame.caption


def test_a_regression_caption_speaks_of_means_and_squared_errors() -> None:
    frames, _ = frames_of(sine(seed=1), settings("squared_error", max_depth=2), 0)
    first = frames[0]
    assert "squared error" in first.caption and "mean y" in first.caption
    assert f"mean squared error train {num(first.state['train_mse'], 3)}" in first.caption
    frames, _ = frames_of(sine(seed=1), settings("absolute_error", max_depth=2, prune=False), 0)
    assert "median y" in frames[0].caption and "absolute error" in frames[0].caption


def test_a_pruning_caption_names_the_step_and_what_is_left() -> None:
    frames, _ = frames_of(moons(seed=3), settings(max_depth=5), 1)
    prunes = [f for f in frames if f.kind == "prune"]
    before = [f for f in frames if f.kind == "split"][-1]
    leaves = [before.state["n_leaves"]] + [f.state["n_leaves"] for f in prunes]
    for frame, had in zip(prunes, leaves, strict=False):
        st = frame.state
        assert frame.caption.startswith(f"Pruning at α = {num(st['alpha'], 3)}:")
        assert f"node {st['collapsed'][0]}" in frame.caption
        gone = had - st["n_leaves"]
        assert f"merging {gone} lea" in frame.caption
        assert f"adds {num(st['alpha'] * gone, 3)} to the weighted gini" in frame.caption
    assert "Only the root is left" in prunes[-1].caption


def test_a_pruning_caption_marks_the_tree_the_learners_ccp_alpha_keeps() -> None:
    frames, result = frames_of(moons(seed=3), settings(max_depth=5, ccp_alpha=0.01), 1)
    marked = [f for f in frames if f.kind == "prune" and "your ccp_alpha = 0.01 keeps" in f.caption]
    assert len(marked) == 1
    assert marked[0].state["n_leaves"] == result["n_leaves"]  # the same tree as the one grown with ccp_alpha


def test_depth_captions_read_under_and_over_fitting_off_the_sweep() -> None:
    frames, result = frames_of(moons(n=160, noise=0.4, seed=8), settings(max_depth=3, prune=False), 2)
    curve = result["depth_curve"]
    held = [c["test_score"] for c in curve]
    best = int(np.argmax(held)) + 1
    for frame in (f for f in frames if f.kind == "depth"):
        d = frame.state["max_depth"]
        c = curve[d - 1]
        assert frame.caption.startswith(f"Depth {d}: ")
        assert f"accuracy train {percent(c['train_score'], 1)}, test {percent(c['test_score'], 1)}" in frame.caption
        if d < best:
            assert "(underfitting)" in frame.caption
        elif d == best:
            assert "The best test score of the sweep" in frame.caption
        elif held[d - 1] < held[best - 1]:
            assert "(overfitting)" in frame.caption
        else:
            assert "no better than at depth" in frame.caption
        assert ("your tree's depth limit" in frame.caption) == (d == 3)
    assert "grows no deeper than this" in [f for f in frames if f.kind == "depth"][-1].caption


def test_the_first_split_says_what_gain_is_and_a_root_leaf_says_why() -> None:
    frames, _ = frames_of(moons(), settings(), 0)
    assert "Gain = parent impurity − the children's" in frames[0].caption
    frames, _ = frames_of(moons(), settings(min_samples_split=500), 0)
    assert frames[0].kind == "leaf"
    assert "stays a leaf: it has fewer than min_samples_split = 500 samples" in frames[0].caption
