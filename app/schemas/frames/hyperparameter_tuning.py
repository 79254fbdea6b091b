"""Frames and result of the hyperparameter-tuning lab: `setup` (the candidates, the folds, the fit count),
`evaluate` (one candidate's cross-validated score: grid and random search), `round` (one round of successive
halving), `winner` (the best candidate refit on all search rows and scored on the held-out test rows).

Shapes: `m` candidates (rows of `cv_results`: for halving one row per candidate per round), `k` folds, `K`
classes. A score is `null` where scikit-learn records NaN (a fit that fails: `error_score=nan`). A candidate's
params are the searched names with plain values (an MLP width as the one-layer list `[width]`).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import MISSING, Field, RootModel

from app.schemas.frames.base import (
    METRICS,
    STATE,
    FrameBase,
    IntMatrix,
    NoMetrics,
    ServiceDivergedFrame,
    ServiceDivergedResult,
    Wire,
)

Score = float | None
ParamValue = float | int | str | list[int]
Params = dict[str, ParamValue]
STRATEGY = Literal["grid", "random", "halving"]
MEANS = (
    "(m,) each candidate's mean accuracy over the k folds, equal to the search class's "
    "`cv_results_['mean_test_score']` (null where NaN)."
)


class AxisState(Wire):
    """One searched hyperparameter."""

    name: str = Field(description="The estimator's param name (C, gamma, n_neighbors, weights, ...).")
    label: str = Field(description="The param in words.")
    values: list[float | int | str] = Field(description="The grid's values (an MLP width as a number).")
    low: float = Field(description="The range's lowest end (random search draws between low and high).")
    high: float = Field(description="The range's highest end.")
    log: bool = Field(description="Whether the values are spaced (and drawn) evenly on a log scale.")


class SetupState(Wire):
    """What will be searched, on which rows, at what cost."""

    strategy: STRATEGY = Field(description="grid, random or halving.")
    model: Literal["svm", "knn", "decision_tree", "mlp"] = Field(description="The classifier searched.")
    axes: list[AxisState] = Field(description="(2,) the two searched hyperparameters.")
    n_candidates: int = Field(ge=1, description="Candidates: the grid's cells, or the random draws.")
    n_folds: int = Field(ge=2, description="k of the stratified k-fold every candidate is judged by.")
    n_fits: int = Field(ge=1, description="Every model fit the run makes (candidates × folds per round, + 1 refit).")
    n_search_rows: int = Field(ge=1, description="Rows the search sees (the training part of the split).")
    n_test_rows: int = Field(ge=1, description="Rows held out until the winner is tested.")


class EvaluateState(Wire):
    """One candidate scored by cross-validation (grid and random search)."""

    evaluation: int = Field(ge=1, description="Which candidate this is, in the search class's order (from 1).")
    n_candidates: int = Field(ge=1, description="Candidates in all.")
    params: Params = Field(description="This candidate's two hyperparameters.")
    split_scores: list[Score] = Field(description="(k,) its accuracy on each fold (`split{i}_test_score`).")
    mean_test_score: Score = Field(description="Mean of the k fold scores.")
    std_test_score: Score = Field(description="Standard deviation (over k) of the fold scores.")
    best_score_so_far: Score = Field(description="The best mean so far (null while none is defined).")
    best_params_so_far: Params | None = Field(description="The candidate that has it (the first of equals).")
    means_so_far: list[Score] = Field(description="The means of the candidates so far, this one last.")


class EvaluateMetrics(Wire):
    """This candidate's score and the best so far."""

    cv_score: float | MISSING = Field(MISSING, description="This candidate's mean CV accuracy (absent when NaN).")
    best_so_far: float | MISSING = Field(MISSING, description="The best mean CV accuracy so far.")


class RoundState(Wire):
    """One round of successive halving."""

    round: int = Field(ge=1, description="Which round (from 1; scikit-learn's `iter` + 1).")
    n_rounds: int = Field(ge=1, description="Rounds in all.")
    n_candidates: int = Field(ge=1, description="Candidates still in the race this round.")
    n_resources: int = Field(ge=1, description="Rows each candidate is cross-validated on this round.")
    params: list[Params] = Field(description="This round's candidates, in cv_results_ order.")
    mean_test_score: list[Score] = Field(description="Their mean CV accuracy on this round's rows.")
    kept: list[bool] = Field(description="Whether each goes on to the next round (the last round: the winner).")
    best_score_so_far: Score = Field(description="The best mean of this round.")


class RoundMetrics(Wire):
    """The round's best."""

    best_so_far: float | MISSING = Field(MISSING, description="The best mean CV accuracy of this round.")


class WinnerState(Wire):
    """The chosen candidate against the held-out rows."""

    best_params: Params = Field(description="The winner (`best_params_`).")
    best_score: Score = Field(description="Its mean CV accuracy (`best_score_`).")
    best_index: int = Field(ge=0, description="Its row of cv_results (`best_index_`).")
    test_score: float = Field(description="Accuracy on the held-out test rows of the winner refit on all search rows.")
    optimism: Score = Field(description="best_score − test_score: how much the CV score of the winner flattered it.")
    n_fits: int = Field(ge=1, description="Every model fit the run made.")
    confusion: IntMatrix = Field(description="(K, K) true × predicted counts on the test rows.")


class WinnerMetrics(Wire):
    """The winner's CV and test scores."""

    test_score: float = Field(description="The winner's accuracy on the held-out test rows.")
    best_so_far: float | MISSING = Field(MISSING, description="The winner's mean CV accuracy.")


class CvResults(Wire):
    """scikit-learn's `cv_results_` columns, one entry per candidate (per candidate and round for halving)."""

    params: list[Params] = Field(description="(m,) `cv_results_['params']`.")
    mean_test_score: list[Score] = Field(description=MEANS)
    std_test_score: list[Score] = Field(description="(m,) `cv_results_['std_test_score']` (null where NaN).")
    rank_test_score: list[int] = Field(description="(m,) `cv_results_['rank_test_score']`: 1 is the best.")
    split_test_scores: list[list[Score]] = Field(description="(m, k) `cv_results_['split{i}_test_score']`.")
    iter: list[int] | MISSING = Field(MISSING, description="Halving only: (m,) the round of each row (from 0).")
    n_resources: list[int] | MISSING = Field(MISSING, description="Halving only: (m,) rows per candidate in it.")


class SetupStep(FrameBase):
    kind: Literal["setup"] = Field(description="setup: the candidates, the folds and the fit count.")
    state: SetupState = Field(description=STATE)
    metrics: NoMetrics = Field(description=METRICS)


class EvaluateStep(FrameBase):
    kind: Literal["evaluate"] = Field(description="evaluate: one candidate's cross-validated score.")
    state: EvaluateState = Field(description=STATE)
    metrics: EvaluateMetrics = Field(description=METRICS)


class RoundStep(FrameBase):
    kind: Literal["round"] = Field(description="round: one round of successive halving, who is kept and dropped.")
    state: RoundState = Field(description=STATE)
    metrics: RoundMetrics = Field(description=METRICS)


class WinnerStep(FrameBase):
    kind: Literal["winner"] = Field(description="winner: the best candidate on the held-out test rows.")
    state: WinnerState = Field(description=STATE)
    metrics: WinnerMetrics = Field(description=METRICS)


class TuningDone(Wire):
    """The search's results, its winner and the winner's honest score."""

    cv_results: CvResults = Field(description="The search's `cv_results_` (the columns named here).")
    best_params: Params = Field(description="`best_params_`.")
    best_score: Score = Field(description="`best_score_`: the winner's mean CV accuracy.")
    best_index: int = Field(ge=0, description="`best_index_`: the winner's row of cv_results.")
    test_score: float = Field(description="The winner, refit on all search rows, scored on the held-out test rows.")
    optimism: Score = Field(description="best_score − test_score.")
    strategy: STRATEGY = Field(description="grid, random or halving.")
    n_fits: int = Field(ge=1, description="Every model fit the run made.")
    classes: list[str] = Field(description="(K,) the class names of the class indices.")


class TuningFrame(
    RootModel[
        Annotated[SetupStep | EvaluateStep | RoundStep | WinnerStep | ServiceDivergedFrame, Field(discriminator="kind")]
    ]
):
    """One frame of a hyperparameter-tuning run."""


class TuningResult(RootModel[TuningDone | ServiceDivergedResult]):
    """The result of a hyperparameter-tuning run."""
