"""The neural-network playground figure: network drawing, output boundary, and four small charts.

One figure, six subplots (LAB_GUIDE: subplots in the one main figure):

* network (xaxis/yaxis): input-feature thumbnails, each hidden neuron a small heatmap of its output over
  the input plane, edges coloured by sign and sized by |w| (hover a dot on an edge for its value);
* output (xaxis2/yaxis2): the decision boundary (or regression surface / curve) with train and test points;
* loss (3), accuracy (4, classification only), gradient norm per layer on a log axis (5), activation
  histograms per hidden layer as a heatmap (6: rows = layers).

Trace order is fixed per run (the scene has every trace; frames fill them). Heatmaps go as u1 typed arrays.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from app.core.frame import Frame
from app.views.inputs import NeuralData
from app.views.neural_layout import (
    DIVERGING,
    EDGE_WIDTHS,
    FEATURE_LABELS,
    LAYER_RAMP,
    NEG,
    POS,
    SHOWN,
    THUMB_H,
    THUMB_W,
    Layout,
    NeuralDrawn,
    class_scale,
    typed2d,
    u1_symmetric,
)
from app.views.theme import INK, MUTED, PALETTE, base_layout, discrete_colorscale, typed


class NeuralView:
    def scene(self, inputs: NeuralData, params: NeuralDrawn) -> dict[str, Any]:
        lay = Layout(inputs, params)
        data: list[dict[str, Any]] = [{} for _ in range(lay.count)]
        for s, colour in enumerate((POS, NEG)):
            for b, width in enumerate(EDGE_WIDTHS):
                data[3 * s + b] = {
                    "type": "scatter",
                    "mode": "lines",
                    "x": [],
                    "y": [],
                    "hoverinfo": "skip",
                    "line": {"color": colour, "width": width},
                    "opacity": 0.75,
                    "xaxis": "x",
                    "yaxis": "y",
                }
        edges = lay.edge_list()
        names = [FEATURE_LABELS[f] for f in lay.features]

        def label(c: int, i: int) -> str:
            if c == 0:
                return names[i]
            return f"output {i}" if c == len(lay.cols) - 1 else f"layer {c} neuron {i + 1}"

        data[lay.edge_dots] = {
            "type": "scatter",
            "mode": "markers",
            "xaxis": "x",
            "yaxis": "y",
            "x": typed([c + 0.5 for c, _, _ in edges], "f4"),
            "y": typed([(lay.y(c, i) + lay.y(c + 1, j)) / 2 for c, i, j in edges], "f4"),
            "text": [f"{label(c, i)} → {label(c + 1, j)}" for c, i, j in edges],
            "marker": {"size": 5, "color": MUTED, "colorscale": DIVERGING, "line": {"width": 0}},
            "hovertemplate": "%{text}<br>w = %{marker.color:.4f}<extra></extra>",
        }
        t_axes = inputs.thumb_axes
        t = len(t_axes[0])
        rows = t if lay.two_d else 1
        for i in range(len(lay.features)):
            z = u1_symmetric(np.asarray(inputs.input_thumbs[i]).reshape(rows, t))
            data[lay.inputs0 + i] = self._thumb(0, lay.y(0, i), z, f"input {names[i]}", rows, t)
        k = 0
        for c, width in enumerate(lay.hidden, start=1):
            for j in range(width):
                data[lay.hidden0 + k] = self._thumb(
                    c, lay.y(c, j), np.zeros((0, 0)), f"layer {c} neuron {j + 1}", rows, t
                )
                k += 1
        out_col = len(lay.cols) - 1
        data[lay.outputs] = {
            "type": "scatter",
            "mode": "markers",
            "xaxis": "x",
            "yaxis": "y",
            "x": [out_col] * lay.n_out,
            "y": [lay.y(out_col, j) for j in range(lay.n_out)],
            "marker": {
                "size": 16,
                "symbol": "square",
                "color": [PALETTE[j % len(PALETTE)] for j in range(lay.n_out)] if lay.n_out > 1 else INK,
            },
            "text": [label(out_col, j) for j in range(lay.n_out)],
            "hoverinfo": "text",
        }
        data[lay.boundary], data[lay.curve] = self._output_traces(inputs, lay)
        data[lay.train_pts], data[lay.test_pts] = self._points(inputs, lay)
        for j, (name, colour) in enumerate((("train", PALETTE[0]), ("test", PALETTE[1]))):
            data[lay.loss0 + j] = self._curve(f"{name} loss", colour, "3", dash=j == 1)
            # Regression has no accuracy chart: its (empty) traces sit on the loss axes.
            data[lay.acc0 + j] = self._curve(f"{name} accuracy", colour, "4" if lay.n_classes else "3", dash=j == 1)
        for j in range(lay.n_weight_layers):
            name = "output layer" if j == lay.n_weight_layers - 1 else f"layer {j + 1}"
            data[lay.grad0 + j] = self._curve(f"‖∇W‖ {name}", LAYER_RAMP[j % len(LAYER_RAMP)], "5")
        data[lay.hist] = {
            "type": "heatmap",
            "z": [],
            "xaxis": "x6",
            "yaxis": "y6",
            "showscale": False,
            "colorscale": [[0, "#ffffff"], [1, INK]],
            "zmin": 0,
            "zmax": 255,
            "hovertemplate": "layer %{y}<br>activation ≈ %{x:.3g}<extra></extra>",
        }
        return {"data": data, "layout": self._layout(inputs, lay)}

    @staticmethod
    def _thumb(col: int, y: float, z: np.ndarray, name: str, rows: int, t: int) -> dict[str, Any]:
        trace: dict[str, Any] = {
            "type": "heatmap",
            "xaxis": "x",
            "yaxis": "y",
            "showscale": False,
            "colorscale": DIVERGING,
            "zmin": 0,
            "zmax": 255,
            "x0": col - THUMB_W / 2 + THUMB_W / (2 * t),
            "dx": THUMB_W / t,
            "y0": y - THUMB_H / 2 + THUMB_H / (2 * rows),
            "dy": THUMB_H / rows,
            "name": name,
            "hovertemplate": f"{name}<extra></extra>",
        }
        trace["z"] = typed2d(z, "u1") if z.size else []
        return trace

    @staticmethod
    def _curve(name: str, colour: str, axis: str, dash: bool = False) -> dict[str, Any]:
        return {
            "type": "scatter",
            "mode": "lines",
            "name": name,
            "x": [],
            "y": [],
            "xaxis": f"x{axis}",
            "yaxis": f"y{axis}",
            "line": {"color": colour, "width": 2, "dash": "dot" if dash else "solid"},
            "hovertemplate": f"{name}<br>epoch %{{x}}: %{{y:.4g}}<extra></extra>",
        }

    def _output_traces(self, inputs: NeuralData, lay: Layout) -> tuple[dict[str, Any], dict[str, Any]]:
        axes = inputs.axes
        heat: dict[str, Any] = {
            "type": "heatmap",
            "z": [],
            "xaxis": "x2",
            "yaxis": "y2",
            "showscale": False,
            "zmin": 0,
            "zmax": 255,
            "hoverinfo": "skip",
        }
        if lay.two_d:
            g = len(axes[0])
            heat.update(
                x0=float(axes[0][0]),
                dx=float(axes[0][1] - axes[0][0]),
                y0=float(axes[1][0]),
                dy=float(axes[1][1] - axes[1][0]),
                opacity=0.8,
            )
            heat["colorscale"] = DIVERGING if lay.n_classes in (0, 2) else class_scale(lay.n_classes)
            heat["name"] = f"{g}×{g} grid"
        curve = {
            "type": "scatter",
            "mode": "lines",
            "x": typed(axes[0], "f4") if not lay.two_d else [],
            "y": [],
            "xaxis": "x2",
            "yaxis": "y2",
            "line": {"color": INK, "width": 2.5},
            "name": "prediction",
            "hovertemplate": "x₁ %{x:.3g}<br>prediction %{y:.3g}<extra></extra>",
        }
        return heat, curve

    def _points(self, inputs: NeuralData, lay: Layout) -> tuple[dict[str, Any], dict[str, Any]]:
        X, y = inputs.X, inputs.y
        out = []
        for idx, name, edge in ((inputs.train, "train", "#ffffff"), (inputs.test, "test", INK)):
            px = X[idx, 0]
            py = X[idx, 1] if lay.two_d else y[idx]
            marker: dict[str, Any] = {"size": 6 if len(X) <= 500 else 4, "line": {"width": 1, "color": edge}}
            if lay.n_classes == 2:
                marker.update(color=typed(y[idx], "u1"), cmin=0, cmax=1, colorscale=[[0, NEG], [1, POS]])
            elif lay.n_classes:
                k = lay.n_classes
                marker.update(color=typed(y[idx], "u1"), cmin=-0.5, cmax=k - 0.5, colorscale=discrete_colorscale(k))
            elif lay.two_d:
                lim = float(np.abs(y).max()) or 1.0
                marker.update(color=typed(y[idx], "f4"), colorscale=DIVERGING, cmin=-lim, cmax=lim)
            else:
                marker.update(color=PALETTE[0] if name == "train" else PALETTE[1])
            out.append(
                {
                    "type": "scatter",
                    "mode": "markers",
                    "name": name,
                    "x": typed(px, "f4"),
                    "y": typed(py, "f4"),
                    "xaxis": "x2",
                    "yaxis": "y2",
                    "marker": marker,
                    "hovertemplate": f"{name} point<br>(%{{x:.3g}}, %{{y:.3g}})<extra></extra>",
                }
            )
        return out[0], out[1]

    def _layout(self, inputs: NeuralData, lay: Layout) -> dict[str, Any]:
        hide = {"visible": False, "fixedrange": True}
        names = inputs.feature_names or ("x1", "x2")
        suffix = " (standardised)" if inputs.standardised else ""
        small = {"gridcolor": "#eef1f5", "zeroline": False, "tickfont": {"size": 10}}
        # Bottom row: loss, accuracy (classification), gradient norms, activation histograms.
        slots = ["3", "4", "5", "6"] if lay.n_classes else ["3", "5", "6"]
        gap, width = 0.07, (1.0 - 0.07 * (len(slots) - 1)) / len(slots)
        domains = {s: [i * (width + gap), i * (width + gap) + width] for i, s in enumerate(slots)}
        titles = {"3": "loss", "4": "accuracy", "5": "‖∇W‖ (dark: layer 1)", "6": "activations"}
        layout = base_layout(
            margin={"l": 36, "r": 8, "t": 22, "b": 30},
            font={"size": 11, "color": INK},
            hovermode="closest",
            xaxis={**hide, "domain": [0.0, 0.56], "range": [-0.5, len(lay.cols) - 0.5]},
            yaxis={**hide, "domain": [0.38, 1.0], "range": [-(max(lay.cols) / 2) - 0.1, max(lay.cols) / 2 + 0.1]},
            xaxis2={
                "domain": [0.63, 1.0],
                "title": {"text": f"{names[0]}{suffix}", "standoff": 2},
                "zeroline": False,
                "tickfont": {"size": 10},
            },
            yaxis2={
                "domain": [0.38, 1.0],
                "anchor": "x2",
                "zeroline": False,
                "tickfont": {"size": 10},
                "title": {"text": (names[1] if lay.two_d else "target"), "standoff": 2},
            },
        )
        for s in slots:
            layout[f"xaxis{s}"] = {**small, "domain": domains[s], "anchor": f"y{s}"}
            layout[f"yaxis{s}"] = {**small, "domain": [0.0, 0.24], "anchor": f"x{s}"}
        if lay.n_classes:
            layout["yaxis4"].update(range=[0, 1.02], tickformat=".0%")
        layout["yaxis5"].update(type="log", dtick=1, exponentformat="power")
        layout["yaxis6"].update(
            tickmode="array",
            tickvals=list(range(1, len(lay.hidden) + 1)),
            ticktext=[f"h{i}" for i in range(1, len(lay.hidden) + 1)],
        )
        notes = [
            {
                "text": titles[s],
                "x": sum(domains[s]) / 2,
                "y": 0.27,
                "xref": "paper",
                "yref": "paper",
                "showarrow": False,
                "font": {"size": 11, "color": MUTED},
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
        for text, c in header:
            notes.append(
                {
                    "text": text,
                    "x": c,
                    "y": max(lay.cols) / 2 + 0.1,
                    "xref": "x",
                    "yref": "y",
                    "showarrow": False,
                    "font": {"size": 10, "color": MUTED},
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

    def render(self, frame: Frame, inputs: NeuralData, params: NeuralDrawn) -> dict[str, Any]:
        lay = Layout(inputs, params)
        data: list[dict[str, Any]] = [{} for _ in range(lay.count)]
        if "weights" not in frame.visual:
            return {"data": data, "layout": {}}
        weights = [np.asarray(w) for w in frame.visual["weights"]]
        edges = lay.edge_list()
        values = np.array([weights[c][j, i] for c, i, j in edges], dtype=np.float64)
        peak = float(np.abs(values).max()) if values.size else 0.0
        bucket = np.minimum((np.abs(values) / peak * 3).astype(int), 2) if peak > 0 else np.zeros(len(edges), int)
        for s, sign in enumerate((values >= 0, values < 0)):
            for b in range(3):
                xs, ys = [], []
                for e in np.flatnonzero(sign & (bucket == b)):
                    c, i, j = edges[e]
                    xs += [c + THUMB_W / 2, c + 1 - THUMB_W / 2, np.nan]
                    ys += [lay.y(c, i), lay.y(c + 1, j), np.nan]
                data[3 * s + b] = {"x": typed(xs, "f4"), "y": typed(ys, "f4")}
        data[lay.edge_dots] = {"marker": {"color": typed(values, "f4"), "cmin": -peak or -1, "cmax": peak or 1}}
        visual = frame.visual
        t_axes = inputs.thumb_axes
        t = len(t_axes[0])
        rows = t if lay.two_d else 1
        k = 0
        for layer, width in enumerate(lay.hidden):
            thumbs = visual["thumbs"][layer]
            for j in range(width):
                data[lay.hidden0 + k] = {"z": typed2d(u1_symmetric(thumbs[j]).reshape(rows, t), "u1")}
                k += 1
        data[lay.boundary], data[lay.curve] = self._render_output(visual, inputs, lay)
        history = visual["history"]
        epochs = typed(history["epoch"], "f4")
        for j, key in enumerate(("train_loss", "test_loss")):
            data[lay.loss0 + j] = {"x": epochs, "y": typed(history[key], "f4")}
        if lay.n_classes:
            for j, key in enumerate(("train_accuracy", "test_accuracy")):
                data[lay.acc0 + j] = {"x": epochs, "y": typed(history[key], "f4")}
        norms = np.asarray(history["grad_norms"], dtype=np.float64).reshape(len(history["epoch"]), -1)
        for j in range(lay.n_weight_layers):
            data[lay.grad0 + j] = {"x": epochs, "y": typed(np.where(norms[:, j] > 0, norms[:, j], np.nan), "f4")}
        if "hist" in visual:
            hist = np.asarray(visual["hist"])
            lo, hi = visual["hist_range"]
            peak_rows = np.maximum(hist.max(axis=1, keepdims=True), 1e-12)
            width = (hi - lo) / hist.shape[1]
            data[lay.hist] = {
                "z": typed2d(np.round(255 * hist / peak_rows), "u1"),
                "x0": lo + width / 2,
                "dx": width,
                "y0": 1,
                "dy": 1,
            }
        return {"data": data, "layout": {}}

    def _render_output(
        self, visual: Mapping[str, Any], inputs: NeuralData, lay: Layout
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        g = len(inputs.axes[0])
        if not lay.two_d:
            return {}, {"y": typed(visual["grid_pred"], "f4")} if "grid_pred" in visual else {}
        if lay.n_classes == 0:
            pred = np.asarray(visual["grid_pred"], dtype=np.float64)
            lim = float(np.abs(inputs.y).max()) or 1.0
            z = np.clip(np.round(127.5 + 127.5 * pred / lim), 0, 255)
        elif lay.n_classes == 2:
            z = np.round(255 * np.asarray(visual["grid_p1"], dtype=np.float64))
        else:
            k = lay.n_classes
            conf = (np.asarray(visual["grid_conf"], dtype=np.float64) - 1 / k) / (1 - 1 / k)  # 0 (tie) .. 1
            z = np.floor(255 * (np.asarray(visual["grid_class"]) + np.clip(conf, 0, 0.999)) / k)
        return {"z": typed2d(z.reshape(g, g), "u1")}, {}

    def panels(self, result: Mapping[str, Any], inputs: NeuralData, params: NeuralDrawn) -> list[dict[str, Any]]:
        return []
