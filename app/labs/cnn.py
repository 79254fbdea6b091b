"""The CNN lab (issue 15): a small convolutional network trained on images with PyTorch, opened up layer by
layer. Registered once its engine, view and page exist."""

from __future__ import annotations

from typing import Any

from app.core.algorithm import Algorithm

ALGORITHMS: tuple[Algorithm[Any, Any], ...] = ()
