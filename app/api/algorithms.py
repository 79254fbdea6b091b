"""The catalog: which algorithms exist and what params they take."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from app.api.deps import AlgorithmDep
from app.api.documents import static_document
from app.api.wire import AlgorithmInfo, ErrorDetail
from app.catalog import Algorithm, all_algorithms

router = APIRouter(prefix="/api/v1/algorithms", tags=["algorithms"])


def _info(algorithm: Algorithm) -> dict[str, object]:
    return AlgorithmInfo.of(algorithm).model_dump(mode="json")


@router.get("", response_model=list[AlgorithmInfo])
def list_algorithms(request: Request) -> Response:
    return static_document(request, "algorithms", lambda: [_info(a) for a in all_algorithms()])


@router.get("/{algorithm_id}", response_model=AlgorithmInfo, responses={404: {"model": ErrorDetail}})
def read_algorithm(algorithm: AlgorithmDep, request: Request) -> Response:
    return static_document(request, f"algorithm:{algorithm.id}", lambda: _info(algorithm))
