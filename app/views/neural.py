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
from app.views.markers import class_symbols
from app.views.neural_keys import figure_layout, hist_colorbar, legend_keys, output_colorbar, thumb_colorbar
from app.views.neural_layout import (
    DIVERGING,
    EDGE_WIDTHS,
    FEATURE_LABELS,
    LAYER_RAMP,
    NEG,
    POS,
    THUMB_H,
    THUMB_W,
    Layout,
    NeuralDrawn,
    class_scale,
    typed2d,
    u1_symmetric,
)
from app.views.theme import INK, MUTED, PALETTE, discrete_colorscale, typed


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
            "marker": {"size": 5, "color": MUTED, "line": {"width": 0}},
            "name": "weights",
            "hovertemplate": "%{text}<br>w = %{customdata:.4f}<extra></extra>",
        }
        t_axes = inputs.thumb_axes
        t = len(t_axes[0])
        rows = t if lay.two_d else 1
        for i in range(len(lay.features)):
            z = u1_symmetric(np.asarray(inputs.input_thumbs[i]).reshape(rows, t))
            data[lay.inputs0 + i] = self._thumb(0, lay.y(0, i), z, f"input {names[i]}", rows, t)
        data[lay.inputs0] |= {"showscale": True, "colorbar": thumb_colorbar()}  # one bar: every thumb's scale
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
            "colorscale": [[0, "#ffffff"], [1, INK]],
            "zmin": 0,
            "zmax": 255,
            "hovertemplate": "layer %{y}<br>activation ≈ %{x:.3g}<extra></extra>",
            "name": "activation histograms",
            "showscale": True,
            "colorbar": hist_colorbar(),
        }
        for i in range(lay.count):
            data[i].setdefault("showlegend", False)
        for j in range(lay.n_weight_layers):
            data[lay.grad0 + j]["showlegend"] = True  # each layer's line: its own name and colour
        data.extend(legend_keys(lay))
        return {
            "data": data,
            "layout": figure_layout(inputs, lay),
            "x-timeline": {"key": "epoch", "title": "epoch"},
        }

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
            heat["name"] = f"prediction over a {g}×{g} grid"
            peak = float(np.abs(inputs.y).max()) if lay.n_classes == 0 and inputs.y.size else 1.0
            heat |= {"showscale": True, "colorbar": output_colorbar(lay.n_classes, True, peak or 1.0)}
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
            hollow = name == "test"
            marker: dict[str, Any] = {"size": 6 if len(X) <= 500 else 4, "line": {"width": 1, "color": edge}}
            if lay.n_classes:
                # Class by shape too; test points hollow (their outline in the class colour).
                marker["symbol"] = class_symbols(y[idx], hollow)
                marker["line"] = {"width": 1.5} if hollow else marker["line"]
                marker["size"] += 2
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
                    "name": f"{name}ing points" if name == "train" else "test points",
                    "x": typed(px, "f4"),
                    "y": typed(py, "f4"),
                    "xaxis": "x2",
                    "yaxis": "y2",
                    "marker": marker,
                    "hovertemplate": f"{name} point<br>(%{{x:.3g}}, %{{y:.3g}})<extra></extra>",
                }
            )
        return out[0], out[1]

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
        data[lay.edge_dots] = {"customdata": typed(values, "f4")}
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
