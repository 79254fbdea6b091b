"""The catalog: which algorithms exist and what params they take."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import AlgorithmDep
from app.api.wire import AlgorithmInfo, ErrorDetail
from app.catalog import all_algorithms

router = APIRouter(prefix="/api/v1/algorithms", tags=["algorithms"])


@router.get("", response_model=list[AlgorithmInfo])
def list_algorithms() -> list[AlgorithmInfo]:
    return [AlgorithmInfo.of(a) for a in all_algorithms()]


@router.get("/{algorithm_id}", response_model=AlgorithmInfo, responses={404: {"model": ErrorDetail}})
def read_algorithm(algorithm: AlgorithmDep) -> AlgorithmInfo:
    return AlgorithmInfo.of(algorithm)
