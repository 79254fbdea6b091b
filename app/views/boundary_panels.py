"""The boundary labs' result panels: kNN's accuracy by k and the perceptron's mistakes per epoch (the SVM's
kernel-trick panel: kernel.py)."""

from __future__ import annotations

from typing import Any

from app.views.theme import MUTED, PALETTE, base_layout


def accuracy_by_k(history: list[dict[str, Any]], best: int | None) -> dict[str, Any]:
    ks = [row["k"] for row in history]
    data: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": "train",
            "x": ks,
            "y": [row["train_accuracy"] for row in history],
            "line": {"color": PALETTE[0], "width": 2},
            "marker": {"size": 5},
            "hovertemplate": "k = %{x}: train %{y:.1%}<extra></extra>",
        }
    ]
    if history and history[0]["test_accuracy"] is not None:
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": "test",
                "x": ks,
                "y": [row["test_accuracy"] for row in history],
                "line": {"color": PALETTE[1], "width": 2},
                "marker": {"size": 5},
                "hovertemplate": "k = %{x}: test %{y:.1%}<extra></extra>",
            }
        )
    shapes = (
        []
        if best is None
        else [
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": best,
                "x1": best,
                "y0": 0,
                "y1": 1,
                "line": {"color": MUTED, "dash": "dot"},
            }
        ]
    )
    layout = base_layout(
        xaxis={"title": {"text": "k (neighbours voting)"}},
        yaxis={"title": {"text": "accuracy"}, "tickformat": ".0%"},
        shapes=shapes,
        showlegend=True,
        legend={"x": 1, "xanchor": "right", "y": 0.02, "yanchor": "bottom"},
    )
    return {
        "id": "accuracy-by-k",
        "title": "Accuracy by k: from overfitting (k = 1) to underfitting",
        "figure": {"data": data, "layout": layout},
    }


def errors_per_epoch(errors: list[int]) -> dict[str, Any]:
    data = [
        {
            "type": "bar",
            "x": list(range(1, len(errors) + 1)),
            "y": errors,
            "name": "mistakes",
            "marker": {"color": PALETTE[5]},
            "hovertemplate": "epoch %{x}: %{y} mistakes<extra></extra>",
        }
    ]
    layout = base_layout(
        xaxis={"title": {"text": "epoch"}, "dtick": max(1, len(errors) // 10)},
        yaxis={"title": {"text": "mistakes (updates)"}, "rangemode": "tozero"},
    )
    return {"id": "errors-per-epoch", "title": "Mistakes per epoch", "figure": {"data": data, "layout": layout}}
