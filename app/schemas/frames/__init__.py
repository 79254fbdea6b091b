"""Models of every lab's frames and result as the API sends them (published as JSON Schema).

`FRAME_MODELS[lab id]` holds the lab's frame model (a `RootModel` over a union discriminated by `kind`)
and its result model. `GET /api/v1/algorithms/{id}` publishes their `model_json_schema()` as
`frame_schema` and `result_schema`; the contract test validates every frame and result of every lab
against them. A new lab adds its models here (the test fails for a catalog id without them).
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from app.schemas.frames import boundary, clustering, dbscan, hierarchical, neural, optimization, pca, svm


@dataclass(frozen=True)
class FrameModels:
    """A lab's wire models: one frame (`{index, kind, caption, state, metrics, figure?}`) and the result."""

    frame: type[BaseModel]
    result: type[BaseModel]


FRAME_MODELS: dict[str, FrameModels] = {
    "logistic-regression": FrameModels(boundary.LogisticFrame, boundary.LogisticResult),
    "perceptron": FrameModels(boundary.PerceptronFrame, boundary.PerceptronResult),
    "knn": FrameModels(boundary.KnnFrame, boundary.KnnResult),
    "svm": FrameModels(svm.SvmFrame, svm.SvmResult),
    "kmeans": FrameModels(clustering.KMeansFrame, clustering.KMeansResult),
    "dbscan": FrameModels(dbscan.DbscanFrame, dbscan.DbscanResult),
    "hierarchical": FrameModels(hierarchical.HierarchicalFrame, hierarchical.HierarchicalResult),
    "neural-network": FrameModels(neural.NetworkFrame, neural.NetworkResult),
    "activations": FrameModels(neural.ActivationsFrame, neural.ActivationsResult),
    "optimizers": FrameModels(optimization.RaceFrame, optimization.RaceResult),
    "gradient-descent": FrameModels(optimization.DescentFrame, optimization.DescentResult),
    "pca": FrameModels(pca.PcaFrame, pca.PcaResult),
}

__all__ = ["FRAME_MODELS", "FrameModels"]
