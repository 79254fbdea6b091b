// @ts-check
// The metrics panel (static/js/metrics.js): how a metric's name reads on its chart, and which charts a
// finished run keeps. MetricsView's drawing (plotly) is stubbed: only which charts exist is checked.

import assert from "node:assert/strict";
import { test } from "node:test";

import { MetricSeries, MetricsView, logRange, metricLabel, timelineOf } from "../../static/js/metrics.js";

test("metric labels: acronyms stay upper-case (MSE, MAE, OOB, R²), other words read as a sentence", () => {
  assert.equal(metricLabel("train_mse"), "Train MSE");
  assert.equal(metricLabel("test_mse"), "Test MSE");
  assert.equal(metricLabel("mean_iou"), "Mean IoU");
  assert.equal(metricLabel("train_mae"), "Train MAE");
  assert.equal(metricLabel("oob_accuracy"), "OOB accuracy");
  assert.equal(metricLabel("bias2"), "Bias²");
  assert.equal(metricLabel("oob_score"), "OOB score");
  assert.equal(metricLabel("test_r2"), "Test R²");
  assert.equal(metricLabel("wcss"), "WCSS");
  assert.equal(metricLabel("cv_score"), "CV score");
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

test("a scene's x-timeline can ask for a log x (a sweep over decades) and log y for named metrics", () => {
  const line = timelineOf({ "x-timeline": { key: "alpha", title: "α", log: true, log_metrics: ["variance", 3] } });
  assert.deepEqual(line, { key: "alpha", title: "α", log: true, logMetrics: ["variance"] });
  assert.equal(timelineOf({ "x-timeline": { key: "k", title: "k", log: "yes" } }).log, false, "only true turns it on");
  const range = /** @type {[number, number]} */ (logRange([0.001, 0.1, 10]));
  assert.ok(Math.abs(range[0] - (-3 - 0.12)) < 1e-12 && Math.abs(range[1] - (1 + 0.12)) < 1e-12, String(range));
  assert.deepEqual(logRange([5]), [Math.log10(5) - 0.5, Math.log10(5) + 0.5]);
  assert.equal(logRange([0, 1, 2]), null, "a zero cannot sit on a log axis: the chart stays linear");
  assert.equal(logRange([]), null);
});

test("a changed log setting is a new timeline (every chart redraws); the same one is not", () => {
  const { view } = stubbedView();
  view.setTimeline(timelineOf({ "x-timeline": { key: "alpha", title: "α" } }));
  view.update([{ index: 0, state: { alpha: 1 }, metrics: { mse: 2 } }], 0);
  const chart = /** @type {any} */ (view.charts.get("mse"));
  assert.equal(chart.drawnFrames, 1);
  view.setTimeline(timelineOf({ "x-timeline": { key: "alpha", title: "α" } }));
  assert.equal(chart.drawnFrames, 1, "the same timeline: nothing to redraw");
  view.setTimeline(timelineOf({ "x-timeline": { key: "alpha", title: "α", log: true } }));
  assert.equal(chart.drawnFrames, -1, "log x now: the chart is redrawn");
});
