"""Field builders the ensemble labs' frame models share: bagging and random forest (out-of-bag scores), voting
and stacking (a committee against its best member), and all four (the split and the class names).

Builders, not base classes: a model's fields come out in the JSON Schema in the order they are declared, and a
base class would put its fields first. ``who`` names one member in words (``member``, ``tree``, ``base model``).
Each returns a pydantic ``Field`` (typed ``Any``, as ``Field`` itself is).
"""

from __future__ import annotations

from typing import Any

from pydantic import MISSING, Field

from app.schemas.frames.boundary import TEST_INDICES, TRAIN_INDICES

HELD = "Which points the comparison is counted on: `test`, or `training` when there is no test set."


def train_indices() -> Any:
    return Field(description=TRAIN_INDICES)


def test_indices() -> Any:
    return Field(description=TEST_INDICES)


def class_names() -> Any:
    return Field(description="(K,) the class names of the class indices.")


# -- out of bag (bagging, random forest) ---------------------------------------------------------------------------


def oob_accuracy(who: str) -> Any:
    """A state's out-of-bag accuracy of the ensemble so far."""
    return Field(
        description="Accuracy of the out-of-bag vote so far (0–1): each training row voted on only by the "
        f"{who}s that did not draw it, over the rows some {who} so far left out; null when out-of-bag scoring is "
        "off or no row was left out."
    )


def oob_rows(who: str) -> Any:
    """A state's count of the rows the out-of-bag accuracy counts."""
    return Field(
        description=f"Training rows some {who} so far left out (the rows the out-of-bag accuracy counts); "
        "null when off."
    )


def alone_on_training(who: str) -> Any:
    """A state's accuracy of the newest member alone on the training rows."""
    return Field(description=f"This {who} alone on the training rows (0–1).")


def alone_on_test(who: str) -> Any:
    """A state's accuracy of the newest member alone on the test rows."""
    return Field(description=f"This {who} alone on the test rows (0–1); null without.")


def oob_metric() -> Any:
    """The metric of the out-of-bag accuracy so far (absent, not null, when there is none)."""
    return Field(MISSING, description="Out-of-bag accuracy so far; absent when off or undefined.")


def oob_score(who: str) -> Any:
    """The result's out-of-bag score, scikit-learn's ``oob_score_``."""
    return Field(
        description="scikit-learn's oob_score_: accuracy of the out-of-bag vote over every training row (a row no "
        f"{who} left out counts as class 0); null when out-of-bag scoring is off."
    )


def oob_rows_left_out(who: str) -> Any:
    """The result's count of the rows some member left out."""
    return Field(description=f"Training rows some {who} left out; null when off.")


def each_alone(who: str) -> Any:
    """The result's (m,) accuracies of each member alone."""
    return Field(description=f"Each {who} alone: accuracy on the test rows (on the training rows without a test set).")


# -- a committee against its best member (voting, stacking) ---------------------------------------------------------


def held() -> Any:
    return Field(description=HELD)


def best_member() -> Any:
    return Field(ge=0, description="Index of the base model with the best accuracy on the held points.")


def best_member_accuracy() -> Any:
    return Field(description="Its accuracy on the held points (0–1).")


def agreement(who: str) -> Any:
    return Field(description=f"Share of the held points on which every {who} predicts the same class.")
