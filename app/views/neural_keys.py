"""The neural-network figure's layout and keys: where the six subplots sit, the legend, the colour bars.

Top: the network (hidden axes; its thumbnails' colour bar lies under it) and the output plane (its colour bar
at its right); bottom row: loss, accuracy (classification), gradient norms, activation histograms (its colour
bar at the right edge). The legend runs in rows above everything: the classes' shapes, training vs test (filled
vs hollow; solid vs dotted lines), the weights' signs; the gradient-norm lines name their layer.
"""

from __future__ import annotations

from typing import Any

from app.views.inputs import NeuralData
from app.views.markers import class_symbol
from app.views.neural_layout import NEG, POS, SHOWN, Layout
from app.views.theme import INK, MUTED, PALETTE, base_layout

TOP = (0.47, 1.0)
"""y domain of the network and the output plane."""
OUTPUT_X = (0.63, 0.93)
BOTTOM = (0.0, 0.22)


def _bar(title: str, tickvals: list[float], ticktext: list[str], **place: Any) -> dict[str, Any]:
    return {
        "thickness": 10,
        "outlinewidth": 0,
        "title": {"text": title, "side": "right", "font": {"size": 10}},
        "tickfont": {"size": 9},
        "tickmode": "array",
        "tickvals": tickvals,
        "ticktext": ticktext,
        **place,
    }


def output_colorbar(n_classes: int, two_d: bool, target_peak: float) -> dict[str, Any] | None:
    """The output plane's bar (the shading is 0..255): P(class 1), the class bands, or the regression value."""
    if not two_d:
        return None
    place = {"x": OUTPUT_X[1] + 0.01, "xanchor": "left", "y": TOP[0], "yanchor": "bottom", "len": TOP[1] - TOP[0]}
    if n_classes == 2:
        return _bar("P(class 1)", [0, 127.5, 255], ["0", "0.5", "1"], **place)
    if n_classes:
        ticks = [255 * (c + 0.5) / n_classes for c in range(n_classes)]
        return _bar("predicted class (paler: less sure)", ticks, [str(c) for c in range(n_classes)], **place)
    return _bar("prediction", [0, 127.5, 255], [f"{-target_peak:.3g}", "0", f"{target_peak:.3g}"], **place)


def thumb_colorbar() -> dict[str, Any]:
    """Under the network: every thumbnail is scaled to its own largest |value|."""
    place = {"orientation": "h", "x": 0.0, "xanchor": "left", "y": TOP[0] - 0.02, "yanchor": "top", "len": 0.2}
    bar = _bar("neuron output (each to its own max)", [0, 127.5, 255], ["−max", "0", "+max"], **place)
    bar["title"]["side"] = "top"
    return bar


def hist_colorbar() -> dict[str, Any]:
    place = {"x": 1.01, "xanchor": "left", "y": BOTTOM[0], "yanchor": "bottom", "len": BOTTOM[1] - BOTTOM[0]}
    return _bar("share", [0, 255], ["0", "peak"], **place)


def _key(name: str, marker: dict[str, Any] | None = None, line: dict[str, Any] | None = None) -> dict[str, Any]:
    """A legend-only trace (one invisible point): the real traces colour each point by class or carry many
    lines, which one swatch cannot show."""
    trace: dict[str, Any] = {"type": "scatter", "name": name, "x": [None], "y": [None], "hoverinfo": "skip"}
    trace |= {"xaxis": "x2", "yaxis": "y2"}
    if marker is not None:
        return trace | {"mode": "markers", "marker": {"size": 9, **marker}}
    return trace | {"mode": "lines", "line": line or {}}


def legend_keys(lay: Layout) -> list[dict[str, Any]]:
    """The keys, ranked before the gradient-norm lines (Plotly's default rank is 1000)."""
    colours = [NEG, POS] if lay.n_classes == 2 else [PALETTE[c % len(PALETTE)] for c in range(lay.n_classes)]
    classes = [_key(f"class {c}", {"symbol": class_symbol(c), "color": colour}) for c, colour in enumerate(colours)]
    keys = [
        *classes,
        _key("training (filled)", {"symbol": "circle", "color": MUTED}),
        _key("test (hollow)", {"symbol": "circle-open", "color": MUTED, "line": {"width": 2}}),
        _key("weight > 0", line={"color": POS, "width": 2}),
        _key("weight < 0", line={"color": NEG, "width": 2}),
        _key("train (solid)", line={"color": PALETTE[0], "width": 2}),
        _key("test (dotted)", line={"color": PALETTE[1], "width": 2, "dash": "dot"}),
    ]
    return [key | {"legendrank": rank} for rank, key in enumerate(keys, start=1)]


def figure_layout(inputs: NeuralData, lay: Layout) -> dict[str, Any]:
    hide = {"visible": False, "fixedrange": True}
    names = [{"x1": "x₁", "x2": "x₂"}.get(n, n) for n in (inputs.feature_names or ("x1", "x2"))]
    suffix = " (standardised)" if inputs.standardised else ""
    small = {"gridcolor": "#eef1f5", "zeroline": False, "tickfont": {"size": 10}}
    # Bottom row: loss, accuracy (classification), gradient norms, activation histograms.
    slots = ["3", "4", "5", "6"] if lay.n_classes else ["3", "5", "6"]
    gap, width = 0.08, (1.0 - 0.08 * (len(slots) - 1)) / len(slots)
    domains = {s: [i * (width + gap), i * (width + gap) + width] for i, s in enumerate(slots)}
    titles = {"3": "loss", "4": "accuracy", "5": "‖∇W‖ per layer", "6": "activations per layer"}
    loss = "loss (cross-entropy)" if inputs.loss == "cross_entropy" else "loss (MSE)"
    axis_titles = {
        "3": ("epoch", loss),
        "4": ("epoch", "accuracy"),
        "5": ("epoch", "‖∇W‖ (log)"),
        "6": ("activation value", "layer"),
    }
    layout = base_layout(
        margin={"l": 48, "r": 56, "t": 8, "b": 40},
        font={"size": 11, "color": INK},
        hovermode="closest",
        xaxis={**hide, "domain": [0.0, 0.56], "range": [-0.5, len(lay.cols) - 0.5]},
        # The range reaches past the top neuron so the column headers sit inside the plot, under the legend.
        yaxis={**hide, "domain": list(TOP), "range": [-(max(lay.cols) / 2) - 0.1, max(lay.cols) / 2 + 0.7]},
        xaxis2={
            "domain": list(OUTPUT_X),
            "title": {"text": f"{names[0]}{suffix}", "standoff": 2},
            "zeroline": False,
            "tickfont": {"size": 10},
        },
        yaxis2={
            "domain": list(TOP),
            "anchor": "x2",
            "zeroline": False,
            "tickfont": {"size": 10},
            "title": {"text": (names[1] if lay.two_d else "target"), "standoff": 2},
        },
        showlegend=True,
        legend={
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "y": 1.0,
            "yanchor": "bottom",
            "font": {"size": 10},
            "bgcolor": "rgba(255,255,255,0)",
            "itemclick": False,
            "itemdoubleclick": False,
        },
    )
    text: dict[str, Any] = {"standoff": 2, "font": {"size": 10}}
    for s in slots:
        x_title, y_title = axis_titles[s]
        layout[f"xaxis{s}"] = {**small, "domain": domains[s], "anchor": f"y{s}", "title": {"text": x_title, **text}}
        layout[f"yaxis{s}"] = {**small, "domain": list(BOTTOM), "anchor": f"x{s}", "title": {"text": y_title, **text}}
    if lay.n_classes:
        layout["yaxis4"].update(range=[0, 1.02], tickformat=".0%")
    layout["yaxis5"].update(type="log", dtick=1, exponentformat="power")
    layout["yaxis6"].update(
        tickmode="array",
        tickvals=list(range(1, len(lay.hidden) + 1)),
        ticktext=[f"h{i}" for i in range(1, len(lay.hidden) + 1)],
    )
    notes: list[dict[str, Any]] = [
        {
            "text": titles[s],
            "x": sum(domains[s]) / 2,
            "y": BOTTOM[1] + 0.02,
            "xref": "paper",
            "yref": "paper",
            "showarrow": False,
            "font": {"size": 11, "color": INK},
            "yanchor": "bottom",
            "xanchor": "center",
        }
        for s in slots
    ]
    short = len(lay.hidden) > 4  # "layer 7" would overlap its neighbours: say "h7"
    header = (
        [("in" if short else "inputs", 0)]
        + [(f"h{c}" if short else f"layer {c}", c) for c in range(1, len(lay.cols) - 1)]
        + [("out" if short else "output", len(lay.cols) - 1)]
    )
    for words, c in header:
        notes.append(
            {
                "text": words,
                "x": c,
                "y": max(lay.cols) / 2 + 0.1,
                "xref": "x",
                "yref": "y",
                "showarrow": False,
                "font": {"size": 10, "color": INK},
                "yanchor": "bottom",
            }
        )
    for c, w in enumerate(lay.full_hidden, start=1):
        if w > SHOWN:
            notes.append(
                {
                    "text": f"+{w - SHOWN} more",
                    "x": c,
                    "y": -(max(lay.cols) / 2),
                    "xref": "x",
                    "yref": "y",
                    "showarrow": False,
                    "font": {"size": 9, "color": MUTED},
                }
            )
    layout["annotations"] = notes
    return layout
