"""PCA lab: standardise, covariance, eigenvectors, projection, explained variance, reconstruction."""

from __future__ import annotations

from collections.abc import Generator, Mapping
from typing import Any

import numpy as np

from app.catalog import Algorithm, register
from app.core.frame import Frame
from app.engines import pca as engine
from app.schemas.common import ParamsError
from app.schemas.pca import PCAParams
from app.views.pca import PCAView


def _prepare(params: PCAParams) -> dict[str, Any]:
    data = params.dataset.load()
    n, d = data.X.shape
    if params.n_components > d:
        raise ParamsError(
            ("n_components",),
            f"n_components = {params.n_components} is more than the {d} feature{'s' if d != 1 else ''} of the data",
            params.n_components,
        )
    if params.n_components > n:
        raise ParamsError(
            ("n_components",), f"n_components = {params.n_components} is more than the {n} samples", params.n_components
        )
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
    return {"X": data.X, "y": data.y, "feature_names": data.feature_names}


def _run(
    inputs: Mapping[str, Any], params: PCAParams, rng: np.random.Generator
) -> Generator[Frame, None, dict[str, Any]]:
    return engine.run(
        inputs["X"],
        standardize=params.standardize,
        n_components=params.n_components,
        feature_names=tuple(inputs["feature_names"]),
        rng=rng,
    )


register(
    Algorithm(
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
    )
)
