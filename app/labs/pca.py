"""PCA lab: standardise, covariance, eigenvectors, projection, explained variance, reconstruction."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import numpy as np

from app.core.algorithm import Algorithm
from app.core.frame import Frame
from app.core.limits import Limits
from app.engines import pca as engine
from app.labs.checks import clamp_count
from app.labs.inputs import PointsInputs
from app.schemas.common import ParamsError
from app.schemas.frames import pca as pca_frames
from app.schemas.pca import PCAParams
from app.views.pca import PCAView


def _prepare(params: PCAParams, limits: Limits) -> PointsInputs:
    data = params.dataset.load()
    n, d = data.X.shape
    # At most one component per feature, and per point (n points span at most n directions).
    most, of_what = (d, "feature") if d <= n else (n, "point")
    clamps = clamp_count("n_components", "number of components", params.n_components, most, of_what)
    if params.standardize:
        constant = engine.constant_columns(data.X)
        if constant.size:
            j = int(constant[0])
            more = f" (and {constant.size - 1} more)" if constant.size > 1 else ""
            raise ParamsError(
                ("standardize",),
                f"column {j} ({data.feature_names[j]}) is constant (every value is "
                f"{data.X[0, j]:g}){more}: standardising it would divide by zero. Turn standardize "
                "off or drop that column.",
                True,
            )
    return PointsInputs.of(data, clamps)


def _run(inputs: PointsInputs, params: PCAParams, rng: np.random.Generator) -> Generator[Frame, None, dict[str, Any]]:
    return engine.run(
        inputs.X,
        standardize=params.standardize,
        n_components=params.n_components,
        feature_names=inputs.feature_names,
        rng=rng,
    )


PCA: Algorithm[PCAParams, PointsInputs] = Algorithm(
    id="pca",
    title="Principal component analysis",
    family="decomposition",
    summary=(
        "PCA finds the directions along which the data varies most. Step through it: centre or standardise the "
        "features, build the covariance matrix, take its eigenvectors (the principal axes, drawn on the data), "
        "project onto the first components, read the explained-variance bars, and rebuild the data from a few "
        "components to see what is lost."
    ),
    days=(12,),
    params_model=PCAParams,
    prepare=_prepare,
    engine=_run,
    view=PCAView(),
    frame_model=pca_frames.PcaFrame,
    result_model=pca_frames.PcaResult,
)

ALGORITHMS = (PCA,)
