"""The catalog's card previews: figures composed as plot.js composes them, drawn as small self-contained SVGs
from each lab's own default run, served once per process with an ETag; a lab that cannot be drawn gets a
placeholder, never a 500."""

from __future__ import annotations

import base64
import logging
import xml.etree.ElementTree as ET
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app import previews
from app.cache import RunEvent
from app.catalog import all_algorithms, get_algorithm
from app.preview_figure import compose_figure, decode_typed_array, decode_typed_arrays
from app.preview_svg import figure_svg, is_self_contained
from app.service import RunService
from app.settings import Settings
from app.views import theme
from tests.aio import run

SVG = "{http://www.w3.org/2000/svg}"
MAX_BYTES = 40_000


def _typed(values: Any, dtype: str, shape: str | None = None) -> dict[str, str]:
    spec = {"dtype": dtype, "bdata": base64.b64encode(np.asarray(values, dtype=dtype).tobytes()).decode()}
    return spec if shape is None else {**spec, "shape": shape}


@pytest.fixture(autouse=True)
def fresh_previews(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test makes its previews anew (the process keeps them otherwise)."""
    monkeypatch.setattr(previews, "_FINISHED", {})


# ---- composition: plot.js composeFigure in Python ------------------------------------------------------------


def test_composition_equals_a_hand_composed_figure_with_extensions() -> None:
    scene = {
        "data": [
            {"type": "scatter", "x": [0, 1], "y": [5, 6], "marker": {"size": 4, "color": "#000000"}, "name": "path"},
            {"type": "scatter", "x": [9], "y": [9], "name": "points"},
            {"type": "heatmap", "z": [[1]]},
        ],
        "layout": {"xaxis": {"title": {"text": "x1"}, "range": [0, 5]}, "showlegend": True},
    }
    frames = [
        {"data": [{"x-extend": {"x": [2], "y": [7]}}, None, None]},
        {"data": [{"x-extend": {"x": [3, 4], "y": [8, 9]}, "marker": {"color": "#ff0000"}}]},
        {
            "data": [
                {"x-extend": {"x": [5], "y": [10]}},
                {"x": [1, 2], "y": [3, 4]},
                {"z": [[2, 3]]},
                {"type": "scatter", "x": [0], "y": [0], "name": "extra"},
            ],
            "layout": {"xaxis": {"range": [0, 6]}},
        },
    ]
    composed = compose_figure(scene, frames[2], frames[:2])
    # By hand: trace 0 keeps its scene points and gains every frame's extension in order; frame 2's patch has no
    # marker, so the scene's marker stays (frame 1's colour was that frame's, not a lasting change); trace 1's
    # arrays are replaced; the heatmap's z is replaced; the fourth trace is appended; the layouts merge.
    assert composed == {
        "data": [
            {
                "type": "scatter",
                "x": [0, 1, 2, 3, 4, 5],
                "y": [5, 6, 7, 8, 9, 10],
                "marker": {"size": 4, "color": "#000000"},
                "name": "path",
            },
            {"type": "scatter", "x": [1, 2], "y": [3, 4], "name": "points"},
            {"type": "heatmap", "z": [[2, 3]]},
            {"type": "scatter", "x": [0], "y": [0], "name": "extra"},
        ],
        "layout": {"xaxis": {"title": {"text": "x1"}, "range": [0, 6]}, "showlegend": True},
    }
    # frame 1 composed on its own history: its marker colour merges onto the scene's marker
    assert compose_figure(scene, frames[1], frames[:1])["data"][0] == {
        "type": "scatter",
        "x": [0, 1, 2, 3, 4],
        "y": [5, 6, 7, 8, 9],
        "marker": {"size": 4, "color": "#ff0000"},
        "name": "path",
    }
    assert scene["data"][0]["x"] == [0, 1]  # nothing mutated


def test_an_extended_typed_array_starts_from_the_extensions_as_in_plot_js() -> None:
    scene = {"data": [{"x": _typed([1, 2], "f8"), "y": [0, 0]}]}
    composed = compose_figure(scene, {"data": [{"x-extend": {"x": [3], "y": [1]}}]})
    assert composed["data"][0] == {"x": [3], "y": [0, 0, 1]}


def test_typed_arrays_decode_to_their_shape_and_dtype() -> None:
    grid = decode_typed_array(_typed([[1, 2, 3], [4, 5, 6]], "f4", "2,3"))
    assert grid.shape == (2, 3) and grid.dtype == np.float32 and grid[1, 2] == 6
    flat = decode_typed_array({"dtype": "u1", "bdata": base64.b64encode(bytes([0, 9, 255])).decode()})
    assert flat.tolist() == [0, 9, 255]
    decoded = decode_typed_arrays({"data": [{"z": _typed([[1, 2], [3, 4]], "i2", "2, 2"), "name": "z"}]})
    assert decoded["data"][0]["z"].tolist() == [[1, 2], [3, 4]] and decoded["data"][0]["name"] == "z"
    with pytest.raises(ValueError, match="unknown dtype"):
        decode_typed_array({"dtype": "c16", "bdata": ""})


# ---- drawing ---------------------------------------------------------------------------------------------------


def _drawn_marks(root: ET.Element) -> list[ET.Element]:
    """The elements that draw data: every path with a non-empty ``d`` (the background is a rect)."""
    return [node for node in root.iter(f"{SVG}path") if node.get("d")]


def _assert_self_contained(svg: bytes) -> ET.Element:
    assert len(svg) <= MAX_BYTES, f"{len(svg)} bytes"
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("viewBox") == "0 0 320 200"
    for node in root.iter():
        assert not node.tag.endswith("script"), "no scripts"
        assert not any(name.endswith("href") for name in node.attrib), f"no links: {node.tag} {node.attrib}"
        assert not any("url(" in value for value in node.attrib.values()), "no references"
    assert is_self_contained(svg.decode())
    return root


def test_a_big_figure_is_drawn_coarser_until_it_fits_the_budget() -> None:
    rng = np.random.default_rng(0)
    figure = {
        "data": [
            {"type": "heatmap", "z": rng.random((300, 300)), "x0": 0, "dx": 0.01, "y0": 0, "dy": 0.01},
            {"type": "scatter", "mode": "markers", "x": rng.random(20_000) * 3, "y": rng.random(20_000) * 3},
            {"type": "scatter", "mode": "lines", "x": np.linspace(0, 3, 5000), "y": np.linspace(0, 3, 5000)},
        ],
        "layout": {},
    }
    drawing = figure_svg(decode_typed_arrays(figure), theme.PALETTE)
    root = _assert_self_contained(drawing.svg.encode())
    assert drawing.marks > 100 and len(_drawn_marks(root)) >= 3


def test_marks_are_drawn_in_their_traces_colours_and_shapes() -> None:
    figure = {
        "data": [
            {
                "type": "scatter",
                "mode": "markers",
                "x": [0, 1, 2],
                "y": [0, 1, 2],
                "marker": {"color": [0, 1, 1], "colorscale": [[0, "#0072B2"], [1, "#E69F00"]], "symbol": "square"},
            },
            {"type": "scatter", "mode": "lines", "x": [0, 2], "y": [2, 0], "line": {"color": "rgb(0, 158, 115)"}},
            {"type": "scatter", "mode": "markers", "x": [1], "y": [1], "xaxis": "x2", "yaxis": "y2"},  # not main axes
        ],
        "layout": {"xaxis": {"range": [-1, 3]}, "yaxis": {"range": [-1, 3]}},
    }
    drawing = figure_svg(figure, theme.PALETTE)
    paths = _drawn_marks(_assert_self_contained(drawing.svg.encode()))
    fills = {node.get("fill") for node in paths}
    assert {"#0072b2", "#e69f00"} <= fills  # the colour scale's ends
    assert any(node.get("stroke") == "#009e73" for node in paths)  # the line's own colour
    assert all("h" in (node.get("d") or "") for node in paths if node.get("fill") in ("#0072b2", "#e69f00"))
    assert drawing.marks == 3 + 1  # three markers, one line segment; the other axes' marker is not drawn


@pytest.mark.parametrize(
    ("bgcolor", "fill"), [("rgba(0,0,0,0)", "#ffffff"), ("rgba(0,0,0,0.5)", "#808080"), (None, "#ffffff")]
)
def test_a_see_through_plot_area_is_drawn_as_the_white_behind_it(bgcolor: str | None, fill: str) -> None:
    """The decision tree's plot area is transparent (its panels overlap): plotly shows the page through it, so
    the preview must not paint it black (the alpha dropped)."""
    layout: dict[str, Any] = {} if bgcolor is None else {"plot_bgcolor": bgcolor}
    figure = {"data": [{"type": "scatter", "mode": "markers", "x": [0, 1], "y": [0, 1]}], "layout": layout}
    root = ET.fromstring(figure_svg(figure, theme.PALETTE).svg)
    assert root.find("{http://www.w3.org/2000/svg}rect").get("fill") == fill  # type: ignore[union-attr]


def test_every_catalog_lab_preview_is_a_small_self_contained_svg_of_its_own_run() -> None:
    async def make_all() -> dict[str, previews.Preview]:
        service = RunService(Settings())
        maker = previews.PreviewMaker(service, Settings())
        try:
            return {algorithm.id: await maker.preview(algorithm) for algorithm in all_algorithms()}
        finally:
            await service.close()

    made = run(make_all())  # in a thread: playwright may hold a loop in this worker's main thread
    for lab, preview in made.items():
        assert preview.drawn, f"{lab}: the placeholder, not its own run"
        root = _assert_self_contained(preview.svg)
        assert len(_drawn_marks(root)) >= 1, lab
        assert preview.description.startswith(get_algorithm(lab).title), lab  # type: ignore[union-attr]


def test_a_lab_whose_run_failed_gets_the_placeholder_and_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    algorithm = get_algorithm("kmeans")
    assert algorithm is not None
    events = [
        RunEvent("scene", '{"data": [], "layout": {}}'),
        RunEvent("error", '{"detail": "boom", "fault": "server"}'),
    ]
    with caplog.at_level(logging.WARNING, logger="app.previews"):
        made = previews.render_preview(algorithm, events)
    assert not made.drawn and made.cache_control == "no-cache"
    _assert_self_contained(made.svg)
    assert "ended in an error" in caplog.text
    nothing = [RunEvent("scene", '{"data": [], "layout": {}}'), RunEvent("frame", '{"figure": {"data": []}}', 0)]
    assert not previews.render_preview(algorithm, nothing).drawn  # nothing on the main axes


# ---- the route --------------------------------------------------------------------------------------------------


def test_the_preview_route_serves_svg_with_an_etag_and_404s_an_unknown_lab(client: TestClient) -> None:
    response = client.get("/previews/kmeans.svg")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/svg+xml"
    assert response.headers["cache-control"] == previews.CACHE_CONTROL
    etag = response.headers["etag"].removeprefix("W/")  # the gzip layer weakens the tag of what it compresses
    _assert_self_contained(response.content)
    again = client.get("/previews/kmeans.svg", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["etag"] == etag
    head = client.head("/previews/kmeans.svg", headers={"Accept-Encoding": "identity"})
    assert head.headers["etag"] == etag and int(head.headers["content-length"]) == len(response.content)
    missing = client.get("/previews/no-such-lab.svg")
    assert missing.status_code == 404
    assert "no-such-lab" in missing.json()["detail"]
    assert "/previews/" not in client.get("/openapi.json").text  # not part of the API


def test_a_preview_that_fails_to_draw_is_a_placeholder_not_a_500(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*_: Any) -> previews.Preview:
        raise RuntimeError("drawing bug")

    monkeypatch.setattr(previews, "render_preview", broken)
    with caplog.at_level(logging.WARNING, logger="app.previews"):
        response = client.get("/previews/dbscan.svg")
    assert response.status_code == 200 and response.headers["content-type"] == "image/svg+xml"
    assert response.headers["cache-control"] == previews.PLACEHOLDER_CACHE_CONTROL
    assert "drawing it failed" in caplog.text
