// @ts-check
// The metrics panel (static/js/metrics.js): how a metric's name reads on its chart, and which charts a
// finished run keeps. MetricsView's drawing (plotly) is stubbed: only which charts exist is checked.

import assert from "node:assert/strict";
import { test } from "node:test";

import { MetricSeries, MetricsView, metricLabel } from "../../static/js/metrics.js";

test("metric labels: acronyms stay upper-case (MSE, MAE, OOB, R²), other words read as a sentence", () => {
  assert.equal(metricLabel("train_mse"), "Train MSE");
  assert.equal(metricLabel("test_mse"), "Test MSE");
  assert.equal(metricLabel("train_mae"), "Train MAE");
  assert.equal(metricLabel("oob_accuracy"), "OOB accuracy");
  assert.equal(metricLabel("bias2"), "Bias²");
  assert.equal(metricLabel("oob_score"), "OOB score");
  assert.equal(metricLabel("test_r2"), "Test R²");
  assert.equal(metricLabel("wcss"), "WCSS");
  assert.equal(metricLabel("train_accuracy"), "Train accuracy");
  assert.equal(metricLabel("in_bag_loss"), "In bag loss");
});

/** A MetricsView whose charts are plain records (no DOM, no plotly): ensure/draw/place/reset stubbed. */
function stubbedView() {
  const view = new MetricsView(/** @type {any} */ ({}));
  let resets = 0;
  view.ensure = (name) => {
    const have = view.charts.get(name);
    if (have) return have;
    const chart = /** @type {any} */ ({ valueEl: { textContent: "" }, drawnFrames: -1 });
    view.charts.set(name, chart);
    return chart;
  };
  view.draw = (chart, _s, count) => { chart.drawnFrames = count; };
  view.place = () => {};
  view.reset = () => { resets += 1; view.charts.clear(); view.series = new MetricSeries(view.timeline); };
  return { view, resets: () => resets };
}

test("a finished run drops charts of metrics it lacks; while streaming, and with the same metrics, they stay", () => {
  const { view, resets } = stubbedView();
  view.update([{ index: 0, metrics: { train_accuracy: 0.9 } }], 0, { complete: true });
  assert.deepEqual([...view.charts.keys()], ["train_accuracy"]);

  // A task switch: the new run's frames carry train_mse only.
  const next = [{ index: 0, metrics: { train_mse: 3 } }];
  view.update(next, 0);
  assert.deepEqual([...view.charts.keys()], ["train_accuracy", "train_mse"], "streaming: the old chart stays");
  view.update(next, 0, { complete: true });
  assert.deepEqual([...view.charts.keys()], ["train_mse"], "complete: only this run's charts");
  assert.equal(resets(), 1);

  view.update(next, 0, { complete: true });
  assert.equal(resets(), 1, "the same metrics keep their charts (no redraw from scratch)");
  view.update([], 0, { complete: true });
  assert.equal(resets(), 1, "a run with no frames (a 422) leaves the last charts alone");
});
