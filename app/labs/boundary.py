"""Decision-boundary labs: logistic regression, perceptron, k-nearest neighbours and SVM.

``prepare`` checks what needs the data and makes the train/test split (``app.labs.classify``, shared with the
trees and ensembles labs); a k or batch size beyond the training rows is clamped to them (a ``Clamp`` in the
inputs: the run uses the clamped value and its first caption says so).
"""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import Any

import numpy as np

from app.core.algorithm import Algorithm
from app.core.frame import Frame
from app.core.limits import Limits
from app.engines import linear, neighbors, perceptron, svm
from app.labs.classify import prepare_classifier
from app.labs.inputs import BoundaryInputs, KnnInputs
from app.schemas.boundary import KnnParams, LogisticRegressionParams, PerceptronParams, SvmParams
from app.schemas.common import ParamsError
from app.schemas.frames import boundary as boundary_frames
from app.schemas.frames import svm as svm_frames
from app.views.boundary import BoundaryView

MAX_SVM_TRAIN = 2_000
"""SMO keeps the n × n kernel matrix: 2,000 training points is 32 MB."""
MAX_GRADIENT_STEPS = 500_000

# -- logistic regression ---------------------------------------------------------------------------------------


def _prepare_logistic(params: LogisticRegressionParams, limits: Limits) -> BoundaryInputs:
    inputs = prepare_classifier(params, count="batch_size")
    n = int(inputs.split.train.size)
    steps = params.epochs * math.ceil(n / min(params.batch_size, n))
    if steps > MAX_GRADIENT_STEPS:
        raise ParamsError(
            ("batch_size",),
            f"{params.epochs} epochs of batches of {params.batch_size} over {n} "
            f"training points is {steps:,} gradient steps; the limit is {MAX_GRADIENT_STEPS:,}: use "
            "larger batches or fewer epochs",
            params.batch_size,
        )
    return inputs


def _run_logistic(
    inputs: BoundaryInputs, params: LogisticRegressionParams, rng: np.random.Generator
) -> Generator[Frame, None, dict[str, Any]]:
    return linear.logistic_regression(
        inputs.X,
        inputs.y,
        inputs.split,
        n_classes=len(inputs.classes),
        lr=params.lr,
        epochs=params.epochs,
        batch_size=params.batch_size,
        l2=params.l2,
        polynomial_degree=params.polynomial_degree,
        grid_size=params.grid_size,
        feature_names=inputs.feature_names,
        rng=rng,
    )


LOGISTIC_REGRESSION: Algorithm[LogisticRegressionParams, BoundaryInputs] = Algorithm(
    id="logistic-regression",
    title="Logistic regression",
    family="linear",
    summary=(
        "A linear score per class turned into probabilities by the sigmoid (two classes) or softmax (more), "
        "trained by gradient descent on the cross-entropy. Watch the boundary turn and the loss fall epoch by "
        "epoch; raise the polynomial degree to bend the boundary with a still-linear model, and the L2 penalty "
        "to keep its weights small."
    ),
    days=(1, 56, 57),
    params_model=LogisticRegressionParams,
    prepare=_prepare_logistic,
    engine=_run_logistic,
    view=BoundaryView("probability"),
    frame_model=boundary_frames.LogisticFrame,
    result_model=boundary_frames.LogisticResult,
)


# -- perceptron --------------------------------------------------------------------------------------------------


def _prepare_perceptron(params: PerceptronParams, limits: Limits) -> BoundaryInputs:
    return prepare_classifier(params, binary=True)


def _run_perceptron(
    inputs: BoundaryInputs, params: PerceptronParams, rng: np.random.Generator
) -> Generator[Frame, None, dict[str, Any]]:
    return perceptron.perceptron(
        inputs.X,
        inputs.y,
        inputs.split,
        lr=params.lr,
        epochs=params.epochs,
        shuffle=params.shuffle,
        grid_size=params.grid_size,
        rng=rng,
    )


PERCEPTRON: Algorithm[PerceptronParams, BoundaryInputs] = Algorithm(
    id="perceptron",
    title="Perceptron",
    family="linear",
    summary=(
        "Rosenblatt's perceptron, one update at a time: each misclassified point pulls the line towards itself "
        "(w ← w + lr·t·x). On linearly separable data it stops with zero mistakes; on XOR it never does, which "
        "is why networks need hidden layers."
    ),
    days=(3, 21),
    params_model=PerceptronParams,
    prepare=_prepare_perceptron,
    engine=_run_perceptron,
    view=BoundaryView("class", extras=("line_before", "line_after", "highlight")),
    frame_model=boundary_frames.PerceptronFrame,
    result_model=boundary_frames.PerceptronResult,
)


# -- k-nearest neighbours ---------------------------------------------------------------------------------------


def _prepare_knn(params: KnnParams, limits: Limits) -> KnnInputs:
    inputs = prepare_classifier(params, count="k")
    k = min(params.k, int(inputs.split.train.size))  # more neighbours than points: all vote (the clamp says so)
    return KnnInputs(**vars(inputs), k=k, requested_k=params.k)


def _run_knn(inputs: KnnInputs, params: KnnParams, rng: np.random.Generator) -> Generator[Frame, None, dict[str, Any]]:
    result = yield from neighbors.run(
        inputs.X,
        inputs.y,
        inputs.split,
        n_classes=len(inputs.classes),
        k=inputs.k,
        metric=params.metric,
        p=params.p,
        weights=params.weights,
        grid_size=params.grid_size,
        requested_k=inputs.requested_k,
    )
    return {**result, "classes": list(inputs.classes)}  # names of the class indices in `labels`


KNN: Algorithm[KnnParams, KnnInputs] = Algorithm(
    id="knn",
    title="k-nearest neighbours",
    family="neighbors",
    summary=(
        "Classify a point by a vote of its k nearest training points. Frames sweep k from 1 upwards: at k = 1 "
        "the boundary wraps every stray point (overfitting), large k smooths it away (underfitting); the test "
        "accuracy shows where the sweet spot lies. Try other distances and distance-weighted votes."
    ),
    days=(4,),
    params_model=KnnParams,
    prepare=_prepare_knn,
    engine=_run_knn,
    view=BoundaryView("probability", interactions=({"kind": "inspect-neighbors"},)),  # click: who voted
    frame_model=boundary_frames.KnnFrame,
    result_model=boundary_frames.KnnResult,
)


# -- SVM -----------------------------------------------------------------------------------------------------------


def _prepare_svm(params: SvmParams, limits: Limits) -> BoundaryInputs:
    inputs = prepare_classifier(params, binary=True)
    n = int(inputs.split.train.size)
    if n > MAX_SVM_TRAIN:
        raise ParamsError(
            ("dataset",),
            f"{n} training points; SMO here keeps the full kernel matrix, so at most "
            f"{MAX_SVM_TRAIN:,} (raise test_fraction or use fewer points)",
        )
    return inputs


def _run_svm(
    inputs: BoundaryInputs, params: SvmParams, rng: np.random.Generator
) -> Generator[Frame, None, dict[str, Any]]:
    return svm.run(
        inputs.X,
        inputs.y,
        inputs.split,
        kernel=params.kernel,
        C=params.C,
        gamma="scale" if params.gamma is None else params.gamma,
        degree=params.degree,
        coef0=params.coef0,
        grid_size=params.grid_size,
    )


SVM: Algorithm[SvmParams, BoundaryInputs] = Algorithm(
    id="svm",
    title="Support vector machine and the kernel trick",
    family="svm",
    summary=(
        "A soft-margin SVM trained by SMO, two dual coefficients at a time, so you can watch the margin "
        "(decision function ±1) and the circled support vectors settle. A kernel is a dot product of new features: "
        "the kernel-trick panel draws them where they can be drawn (the degree-2 polynomial's (x₁², √2·x₁x₂, x₂²), "
        "where the boundary is a flat plane) and, for RBF's infinitely many, the similarity to the support vectors "
        "the SVM really uses; it counts the training points still on the wrong side."
    ),
    days=(16,),
    params_model=SvmParams,
    prepare=_prepare_svm,
    engine=_run_svm,
    view=BoundaryView("decision", extras=("support",)),
    frame_model=svm_frames.SvmFrame,
    result_model=svm_frames.SvmResult,
)

ALGORITHMS = (LOGISTIC_REGRESSION, PERCEPTRON, KNN, SVM)
