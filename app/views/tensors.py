"""The tensors lab's figure, one layout per topic (the scene fixes the traces; a frame fills them in).

* image: each channel as its own map (red, green, blue tints, or grey), the picture, the caption's pixel marked;
  on the normalise frame the channels switch to a diverging scale around 0.
* reshape: the tensor as its shape lays it out (a 3-D tensor as its first axis' slices side by side), the
  storage it reads (memory order) and its values in reading order, numbers in the cells; element 1 (the
  storage's next element) is marked, so a stride change shows as where it lands.
* table: the rows as an annotated grid, each column coloured by its own values (darker: larger), a key of the
  columns' kinds above them.
* text: the characters with their codes / indices, the vocabulary, the one-hot matrix.
* series: the series with the current example's inputs and targets, and the stacked (n, window) and
  (n, horizon) arrays.

Every number comes from the frame (arrays from its ``visual``); this module only places them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.core.frame import Frame
from app.views.tensors_arrays import (
    image_render,
    image_scene,
    laid_out,
    reshape_render,
    reshape_scene,
    table_render,
    table_scene,
)
from app.views.tensors_parts import TensorsScene
from app.views.tensors_sequences import series_render, series_scene, text_render, text_scene

__all__ = ["TensorsView", "laid_out"]


class TensorsView:
    def scene(self, inputs: TensorsScene, params: Any) -> dict[str, Any]:
        topic = inputs.topic
        if topic == "image":
            return image_scene(inputs)
        if topic == "reshape":
            return reshape_scene(inputs)
        if topic == "table":
            return table_scene(inputs)
        if topic == "text":
            return text_scene(inputs)
        return series_scene(inputs)

    def render(self, frame: Frame, inputs: TensorsScene, params: Any) -> dict[str, Any]:
        topic = inputs.topic
        if topic == "image":
            return image_render(frame, inputs)
        if topic == "reshape":
            return reshape_render(frame, inputs)
        if topic == "table":
            return table_render(frame, inputs)
        if topic == "text":
            return text_render(frame, inputs)
        return series_render(frame, inputs, frame.visual["values"])

    def panels(self, result: Mapping[str, Any], inputs: TensorsScene, params: Any) -> list[dict[str, Any]]:
        return []
