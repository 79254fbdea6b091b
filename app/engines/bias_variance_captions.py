"""Captions of the bias–variance lab: what each frame's numbers say, and why (low complexity: bias; high: variance;
the sweet spot between; the noise floor under everything)."""

from __future__ import annotations

from app.core.text import num, plural
from app.engines.bias_variance import FORMULAS, Decomposition

HUGE = 10.0
"""Variance above HUGE × (noise + bias²) (or above 1 with no noise) is called huge: the fits swing far off the
picture, which the drawing clips."""

COMPLEXITY_WORDS = {"polynomial": "degree", "tree": "depth", "knn": "k"}


def setting(model: str, complexity: int) -> str:
    """ "degree 3", "depth 4", "k = 7"."""
    return f"k = {complexity}" if model == "knn" else f"{COMPLEXITY_WORDS[model]} {complexity}"


def model_words(model: str, complexity: int) -> str:
    """ "a polynomial of degree 3", "a tree of depth 4", "k-NN with k = 7"."""
    if model == "polynomial":
        return f"a polynomial of degree {complexity}"
    if model == "tree":
        return f"a tree of depth {complexity}"
    return f"k-NN with k = {complexity}"


def data_caption(truth: str, noise: float, n_points: int, n_datasets: int, n_test: int, n_fits: int) -> str:
    return (
        f"The truth is f(x) = {FORMULAS[truth]} (black, dashed). {plural(n_datasets, 'training set')} of "
        f"{plural(n_points, 'point')} each are drawn from it, every y = f(x) + noise of σ = {num(noise, 3)}; "
        "set 1 is shown. Each model is fitted to every set separately: how much the fits differ from set to set is "
        "the variance, how far their average is from the truth is the bias. "
        f"{plural(n_test, 'test point')} (the same x for every set, fresh noise each time) measure the test error "
        f"({plural(n_fits, 'fit')} in all)."
    )


def is_huge(parts: Decomposition) -> bool:
    floor = parts.noise + parts.bias2
    return parts.variance > (HUGE * floor if floor > 0 else 1.0)


def complexity_caption(model: str, complexity: int, parts: Decomposition, first: bool, last_train: float | None) -> str:
    """One complexity: its numbers, the regime it is in and why."""
    total = parts.bias2 + parts.variance + parts.noise
    where = f"At k = {complexity}" if model == "knn" else setting(model, complexity).capitalize()
    head = (
        f"{where}: bias² {num(parts.bias2, 3)} + variance "
        f"{num(parts.variance, 3)} + noise {num(parts.noise, 3)} = {num(total, 3)}, against the measured test MSE "
        f"{num(parts.test_mse, 3)} (± {num(2 * parts.test_mse_se, 2)}, two standard errors)."
    )
    if is_huge(parts):
        why = (
            f" The variance is huge: {model_words(model, complexity)} follows each set's noise so closely that the "
            "fits swing far apart between and beyond the points (the drawing is clipped at the plot's edge; the "
            "numbers are not)."
        )
    elif parts.bias2 + parts.variance < parts.noise:
        why = (
            " Close to the floor: bias² and variance together are below the noise σ², so "
            f"{model_words(model, complexity)} neither misses the truth's shape by much nor chases much of the noise."
        )
    elif parts.bias2 >= parts.variance:
        why = (
            f" Mostly bias: {model_words(model, complexity)} is too simple to bend like the truth, so every set "
            "gets nearly the same wrong curve: the fits agree with each other, not with f."
        )
    else:
        why = (
            f" Mostly variance: {model_words(model, complexity)} is flexible enough to chase each set's noise, so "
            "the fits disagree from set to set although their mean stays close to the truth."
        )
    train = ""
    if not first and last_train is not None and parts.train_mse < last_train:
        train = f" The training MSE keeps falling ({num(parts.train_mse, 3)}): it cannot see variance."
    return head + why + train


def summary_caption(model: str, best: int, parts: Decomposition, n_fits: int) -> str:
    total = parts.bias2 + parts.variance + parts.noise
    floor = (
        f" No model beats the noise floor σ² = {num(parts.noise, 3)}: it is in the test targets themselves, and "
        "no function of x can predict it."
        if parts.noise > 0
        else " With no noise, the floor is 0: a flexible enough model with enough data could reach it."
    )
    return (
        f"The sweet spot is {setting(model, best)}: the lowest measured test MSE, {num(parts.test_mse, 3)} "
        f"(bias² {num(parts.bias2, 3)} + variance {num(parts.variance, 3)} + noise {num(parts.noise, 3)} = "
        f"{num(total, 3)}). Simpler models lose more to bias than they save in variance, more complex ones the "
        f"reverse; the test error is U-shaped.{floor} ({plural(n_fits, 'fit')} in all.)"
    )
