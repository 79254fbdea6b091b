"""The voting lab (day 6): several classifiers vote, one frame per member and then the vote.

``prepare`` makes the split (``app.labs.classify``), clamps a k-NN's k to the training points (a ``Clamp``: the
run uses the clamped list of models and its first caption says so), and refuses what cannot run: soft voting with
an SVM that gives no probabilities (422 at ``estimators.<i>.probability``), naive Bayes on points with no spread.
The helpers here (names, clamping, checks) are the stacking lab's too.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.core.algorithm import Algorithm, Clamp
from app.core.frame import Frame
from app.core.limits import Limits
from app.core.seed import run_seed
from app.core.text import plural
from app.engines import voting
from app.engines.base_models import can_give_probabilities, describe
from app.labs.classify import prepare_classifier
from app.labs.inputs import BoundaryInputs
from app.schemas.base_models import AnyBaseModel
from app.schemas.common import ParamsError
from app.schemas.frames import voting as frames
from app.schemas.voting import VotingParams
from app.views.voting import VotingView

SHORT = {
    "logistic_regression": "logistic",
    "knn": "k-NN",
    "decision_tree": "tree",
    "svm": "SVM",
    "naive_bayes": "naive Bayes",
}
"""A member's name under its small picture (the full name, with its setting, is in the captions and on hover)."""


@dataclass(frozen=True)
class CommitteeInputs(BoundaryInputs):
    """The boundary data and the members as the run uses them (k-NN's k clamped to what the data allows)."""

    specs: tuple[dict[str, Any], ...]  # m base-model specs (``model_dump()`` of the used params)
    names: tuple[str, ...]  # m distinct names in words: "k-NN (k = 5)"
    short_names: tuple[str, ...]  # m labels of the small pictures: "k-NN"
    thumbnail_size: int  # cells per axis of each small picture (the engine's THUMBNAIL_GRID)


def member_names(specs: Sequence[dict[str, Any]]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(names, short names) of the members, told apart: a second "k-NN (k = 5)" is "k-NN (k = 5) #2"."""
    names: list[str] = []
    for spec in specs:
        name = describe(spec)
        same = sum(1 for n in names if n == name or n.startswith(f"{name} #"))
        names.append(name if same == 0 else f"{name} #{same + 1}")
    kinds = [spec["model"] for spec in specs]
    short = [SHORT[kind] if kinds.count(kind) == 1 else names[i] for i, kind in enumerate(kinds)]
    return tuple(names), tuple(short)


def clamp_neighbours(
    models: Sequence[AnyBaseModel], most: int, of_what: str
) -> tuple[list[AnyBaseModel], tuple[Clamp, ...]]:
    """The models with every k-NN's k cut to ``most`` (the points it can be fitted on, ``of_what`` in words),
    and the one ``Clamp`` of ``estimators`` that says so (none when nothing was cut)."""
    used: list[AnyBaseModel] = []
    notes: list[str] = []
    for model in models:
        k = getattr(model, "n_neighbors", None)
        if model.model == "knn" and isinstance(k, int) and k > most:
            notes.append(f"k-NN's k = {k} is more than the {plural(most, of_what)}, so k = {most} is used")
            model = model.model_copy(update={"n_neighbors": most})
        used.append(model)
    if not notes:
        return used, ()
    return used, (Clamp("estimators", used, "Note: " + "; ".join(notes) + "."),)


def require_probabilities(models: Sequence[AnyBaseModel], why: str) -> None:
    """Every model gives probabilities, or a 422 at the first SVM without them (``why``: who needs them)."""
    for i, model in enumerate(models):
        if not can_give_probabilities(model.model_dump()):
            raise ParamsError(
                ("estimators", i, "probability"),
                f"{why}, and the SVM (model {i + 1}) gives none unless Probabilities is on: turn it on",
                False,
            )


def require_spread(models: Sequence[AnyBaseModel], X_train: np.ndarray) -> None:
    """Naive Bayes fits a bell curve to each feature: the training points must not all sit at one spot."""
    if np.ptp(X_train, axis=0).max() > 0:
        return
    for i, model in enumerate(models):
        if model.model == "naive_bayes":
            raise ParamsError(
                ("estimators", i, "model"),
                f"naive Bayes (model {i + 1}) fits a bell curve to each feature, but every training point sits at "
                "the same spot, so there is no spread to fit: use points that differ, or another model",
                model.model,
            )


def committee_inputs(
    inputs: BoundaryInputs, models: Sequence[AnyBaseModel], clamps: tuple[Clamp, ...]
) -> CommitteeInputs:
    specs = tuple(model.model_dump() for model in models)
    names, short = member_names(specs)
    return CommitteeInputs(
        **{**vars(inputs), "clamps": inputs.clamps + clamps},
        specs=specs,
        names=names,
        short_names=short,
        thumbnail_size=voting.THUMBNAIL_GRID,
    )


def _prepare(params: VotingParams, limits: Limits) -> CommitteeInputs:
    inputs = prepare_classifier(params)
    n_train = int(inputs.split.train.size)
    models, clamps = clamp_neighbours(params.estimators, n_train, "training point")
    if params.voting == "soft":
        require_probabilities(models, "soft voting averages the models' probabilities")
    require_spread(models, inputs.X[inputs.split.train])
    return committee_inputs(inputs, models, clamps)


def _run(
    inputs: CommitteeInputs, params: VotingParams, rng: np.random.Generator
) -> Generator[Frame, None, dict[str, Any]]:
    committee = voting.Committee(
        specs=inputs.specs, names=inputs.names, voting=params.voting, weights=tuple(params.weights)
    )
    result = yield from voting.run(
        inputs.X,
        inputs.y,
        inputs.split,
        n_classes=len(inputs.classes),
        committee=committee,
        grid_size=params.grid_size,
        feature_names=inputs.feature_names,
        seed=run_seed(rng),
    )
    return {**result, "classes": list(inputs.classes)}  # names of the class indices in `labels` and `votes`


VOTING: Algorithm[VotingParams, CommitteeInputs] = Algorithm(
    id="voting",
    title="Voting classifiers",
    family="ensembles",
    summary=(
        "A committee of different classifiers votes on every point. First each model alone (a line, a patchwork, "
        "rectangles, a smooth curve), then the vote. Hard voting counts the predicted classes, soft voting "
        "averages the probabilities; weights make some votes count more. Click a point to see every vote. The "
        "vote beats its best member only when the members err on different points."
    ),
    days=(6,),
    params_model=VotingParams,
    prepare=_prepare,
    engine=_run,
    view=VotingView(),
    frame_model=frames.VotingFrame,
    result_model=frames.VotingResult,
)

ALGORITHMS = (VOTING,)
