"""What every lab's frames and results share on the wire: closed, strict models of the JSON the API sends.

A frame is `{"index", "kind", "caption", "state", "metrics"}` (+ `"figure"` with `?figure=true`); each lab's
module types `kind` (a `Literal` per frame model), `state` and `metrics`, and its `result`. Every model
forbids unknown keys and validates strictly (an integer field rejects `2.0` and `true`), so a key or type an
engine starts sending without saying so here fails the contract test. A key that only some frames carry is
typed `X | MISSING`: absent, never `null`. NumPy arrays arrive as plain (nested) JSON lists; NaN and ±inf
never do (the encoder would send `null`, and the contract test would fail on it).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import MISSING, BaseModel, ConfigDict, Field

WIRE = ConfigDict(extra="forbid", strict=True)


class Wire(BaseModel):
    """A closed JSON object: every key is listed, none is extra."""

    model_config = WIRE


class FrameFigure(Wire):
    """The per-frame part of the Plotly figure, merged onto the run's scene (DESIGN §2)."""

    data: list[dict[str, Any]] = Field(
        description="Plotly traces: `data[i]` is merged onto `scene.data[i]` (`{}` leaves a trace as it is); "
        "arrays may be Plotly typed arrays `{dtype, bdata}`."
    )
    layout: dict[str, Any] = Field(description="Plotly layout keys merged onto the scene's layout.")


class FrameBase(Wire):
    """The keys every frame has besides its `kind`, `state` and `metrics`."""

    index: int = Field(ge=0, description="Position of the frame in the run, from 0 (also the SSE event id).")
    caption: str = Field(description="What this step did, for a learner, with its numbers (one or a few sentences).")
    figure: FrameFigure | MISSING = Field(
        MISSING, description="Only with `?figure=true`: this frame's part of the Plotly figure."
    )


class NoState(Wire):
    """An empty `state`: `{}`."""


class NoMetrics(Wire):
    """No metrics in this frame: `{}`."""


class ServiceDivergedFrame(FrameBase):
    """The run service's last frame when a metric became NaN or infinite (any lab's run can end this way): the
    caption names the metric and the frame; state and metrics are empty."""

    kind: Literal["diverged"] = Field(description="`diverged`: the run stopped here.")
    state: NoState = Field(description="Empty.")
    metrics: NoMetrics = Field(description="Empty.")


class ServiceDivergedResult(Wire):
    """The result of a run the service stopped because a metric became NaN or infinite."""

    diverged: Literal[True] = Field(description="Always true.")
    detail: str = Field(description="The diverged frame's caption: which metric, at which frame, what to try.")


Indices = list[int]
Vector = list[float]
Matrix = list[list[float]]
IntMatrix = list[list[int]]

KIND = "Which step this frame shows (the frame model's description says what each kind is)."
STATE = "The step's numbers (the contract names; NumPy arrays as nested JSON lists)."
METRICS = "Plain numbers the player charts over the frame index."
