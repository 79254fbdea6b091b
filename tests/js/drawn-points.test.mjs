// @ts-check
// Unit tests for static/js/drawn-points.js: the drawn points with undo, and the figure they are drawn on.
// Run: node --test tests/js/

import assert from "node:assert/strict";
import { test } from "node:test";

import { decodeData, encodeData } from "../../static/js/data-link.js";
import {
  CLASS_SYMBOLS, DIM_OPACITY, DRAWN_META, DrawnPoints, asPoints, dataKey, drawnTraces, extentOf, mainAxes, marginsOf,
  nearest, roundPoint, stageFigure, stageMode, symbolPath,
} from "../../static/js/drawn-points.js";

/** @type {import("../../static/js/drawn-points.js").Extent} */
const EXTENT = { x: [-2, 3], y: [-1, 1.5] };

test("add, remove within reach, clear and undo each step back", () => {
  const p = new DrawnPoints();
  assert.equal(p.length, 0);
  p.add([0, 0], 0);
  p.add([1, 1], 1);
  p.add([2, 0.5], 1);
  assert.deepEqual(p.data(), { X: [[0, 0], [1, 1], [2, 0.5]], y: [0, 1, 1] });
  // 100 px per unit on both axes: (1.1, 1.05) is ~11 px from (1, 1), within 30 px.
  assert.equal(p.removeNear([1.1, 1.05], [100, 100]), 1);
  assert.deepEqual(p.data().X, [[0, 0], [2, 0.5]]);
  assert.equal(p.removeNear([1, -0.9], [100, 100]), -1, "nothing within 30 px: nothing removed");
  assert.equal(p.length, 2);
  assert.equal(p.clear(), true);
  assert.equal(p.clear(), false, "clearing an empty canvas is not an edit");
  assert.equal(p.length, 0);
  assert.equal(p.undo(), true);
  assert.deepEqual(p.data(), { X: [[0, 0], [2, 0.5]], y: [0, 1] });
  p.undo();
  assert.deepEqual(p.data(), { X: [[0, 0], [1, 1], [2, 0.5]], y: [0, 1, 1] });
  p.undo(); p.undo(); p.undo();
  assert.equal(p.length, 0);
  assert.equal(p.undo(), false, "nothing left to undo");
});

test("data() is a copy and the canvas has a limit", () => {
  const p = new DrawnPoints(2);
  assert.equal(p.add([0, 0], 0), true);
  assert.equal(p.add([1, 0], 0), true);
  assert.equal(p.add([2, 0], 0), false);
  const d = p.data();
  d.X[0][0] = 99;
  assert.equal(p.X[0][0], 0);
  p.replace({ X: [[5, 5], [6, 6], [7, 7]], y: [1, 1, 1] });
  assert.equal(p.length, 2, "replace keeps to the limit");
  p.undo();
  assert.deepEqual(p.data().X, [[0, 0], [1, 0]]);
});

test("nearest scales each axis by its pixels per unit", () => {
  const X = [[0, 0], [0, 1]];
  // x: 1 px per unit, y: 1000 px per unit: (5, 0.4) is 5 px from (0, 0) and 600 px from (0, 1).
  assert.equal(nearest(X, [5, 0.4], [1, 1000]), 0);
  assert.equal(nearest(X, [0, 0.6], [1, 1000]), 1);
  assert.equal(nearest([], [0, 0], [1, 1]), -1);
});

test("a point is rounded to ~1/1000 of the span, and a link carries it exactly", () => {
  assert.deepEqual(roundPoint([0.123456, -0.987654], EXTENT), [0.123, -0.988]);
  assert.deepEqual(roundPoint([1234.5678, 10], { x: [0, 5000], y: [0, 10] }), [1235, 10]);
  assert.deepEqual(roundPoint([0.0001234, 0], { x: [0, 0.001], y: [0, 0.001] }), [0.000123, 0]);
  const X = [roundPoint([0.123456, -0.987654], EXTENT), roundPoint([2.7182818, 1.4142], EXTENT)];
  const text = encodeData({ X, y: [0, 1] });
  assert.ok(text);
  assert.deepEqual(decodeData(/** @type {string} */ (text)), { X, y: [0, 1] });
});

test("the extent and margins come from a drawn layout, or null", () => {
  const full = { xaxis: { range: [-2, 3], type: "linear" }, yaxis: { range: [-1, 1.5] }, _size: { l: 56, r: 8, t: 37, b: 48 } };
  assert.deepEqual(extentOf(full), EXTENT);
  assert.equal(extentOf({}), null);
  assert.equal(extentOf({ xaxis: { range: [0, 0] }, yaxis: { range: [0, 1] } }), null);
  assert.equal(extentOf({ xaxis: { range: [0, 2], type: "category" }, yaxis: { range: [0, 1] } }), null);
  assert.deepEqual(marginsOf(full), { l: 56, r: 8, t: 37, b: 48, autoexpand: false });
  assert.equal(marginsOf({}), null);
});

test("drawn traces: one per class, its colour and its shape, named, marked as drawn", () => {
  const traces = drawnTraces({ X: [[0, 0], [1, 1], [2, 2]], y: [1, 0, 1] }, { colours: ["#111111", "#222222"] });
  assert.equal(traces.length, 2);
  assert.deepEqual(traces.map((t) => t.name), ["your class 0", "your class 1"]);
  assert.deepEqual(traces.map((t) => t.meta), [DRAWN_META, DRAWN_META]);
  assert.deepEqual(traces[1].x, [0, 2]);
  assert.deepEqual(traces[1].y, [0, 2]);
  assert.deepEqual(traces.map((t) => t.marker.symbol), ["circle", "square"]);
  assert.deepEqual(traces.map((t) => t.marker.color), ["#111111", "#222222"]);
  const rings = drawnTraces({ X: [[0, 0]], y: [3] }, { colours: ["#1", "#2"], outline: true });
  assert.equal(rings[0].marker.symbol, `${CLASS_SYMBOLS[3]}-open`);
  assert.equal(rings[0].marker.color, "#2");
  assert.deepEqual(traces.map((t) => t.showlegend), [true, true]);
  assert.equal(drawnTraces({ X: [[0, 0]], y: [0] }, { colours: [], legend: false })[0].showlegend, false);
  assert.deepEqual(drawnTraces({ X: [], y: [] }, { colours: [] }), []);
});

test("asPoints reads inline data (labels 0 when missing) and not a generator", () => {
  assert.deepEqual(asPoints({ X: [[1, 2], [3, 4]], y: [1, 0] }), { X: [[1, 2], [3, 4]], y: [1, 0] });
  assert.deepEqual(asPoints({ X: [[1, 2]] }), { X: [[1, 2]], y: [0] });
  assert.equal(asPoints({ name: "moons", n_samples: 200 }), null);
  assert.equal(asPoints(null), null);
});

test("stageMode: live for a run of exactly the drawn points, dim for an earlier version, else clear", () => {
  const drawn = { X: [[0, 0], [1, 1]], y: [0, 1] };
  const earlier = { X: [[0, 0]], y: [0] };
  const sent = new Set([dataKey(earlier), dataKey(drawn)]);
  assert.equal(stageMode({ runData: drawn, drawn, drawnBefore: sent, hasFigure: true }), "live");
  assert.equal(stageMode({ runData: earlier, drawn, drawnBefore: sent, hasFigure: true }), "dim");
  assert.equal(stageMode({ runData: { name: "moons" }, drawn, drawnBefore: sent, hasFigure: true }), "clear");
  assert.equal(stageMode({ runData: { X: [[5, 5]], y: [0] }, drawn, drawnBefore: sent, hasFigure: true }), "clear");
  assert.equal(stageMode({ runData: drawn, drawn, drawnBefore: sent, hasFigure: false }), "clear", "a failed run: nothing to show");
  // Inline data without labels is the same as labels 0 (an unsupervised lab's CSV).
  const unlabelled = { X: [[0, 0]], y: [0] };
  assert.equal(stageMode({ runData: { X: [[0, 0]] }, drawn: unlabelled, drawnBefore: new Set(), hasFigure: true }), "live");
});

test("stageFigure fixes the axes and margins, fades a stale run, clears a foreign one to its main axes", () => {
  const base = {
    data: [{ type: "heatmap", z: [[1]] }, { type: "scatter", x: [1], y: [1], opacity: 0.8 }],
    layout: {
      xaxis: { title: { text: "x1" }, domain: [0, 0.74], range: [-9, 9] }, yaxis: { title: { text: "x2" }, scaleanchor: "x" },
      xaxis2: { domain: [0.8, 1] }, yaxis2: {}, annotations: [{ text: "confusion" }], showlegend: false,
    },
  };
  const margin = { l: 56, r: 8, t: 37, b: 48, autoexpand: false };
  const live = stageFigure(base, "live", EXTENT, {}, margin);
  assert.equal(live.data, base.data);
  assert.deepEqual(live.layout?.xaxis, { title: { text: "x1" }, domain: [0, 0.74], range: [-2, 3], autorange: false, fixedrange: true });
  assert.deepEqual(live.layout?.yaxis?.range, [-1, 1.5]);
  assert.deepEqual(live.layout?.margin, margin);
  assert.ok(live.layout?.xaxis2, "a run of the drawn points keeps its other panels");
  assert.deepEqual(base.layout.xaxis.range, [-9, 9], "the base figure is not changed");

  const dim = stageFigure(base, "dim", EXTENT);
  assert.deepEqual(dim.data?.map((t) => t.opacity), [DIM_OPACITY, 0.8 * DIM_OPACITY]);

  const clear = stageFigure(base, "clear", EXTENT);
  assert.deepEqual(clear.data, []);
  assert.equal(clear.layout?.xaxis2, undefined);
  assert.equal(clear.layout?.annotations, undefined);
  assert.equal(clear.layout?.xaxis?.title.text, "x1");
  assert.equal(clear.layout?.showlegend, true, "the drawn classes' legend");

  const axes = mainAxes(base);
  assert.deepEqual(axes, { xaxis: { title: { text: "x1" }, domain: [0, 0.74] }, yaxis: { title: { text: "x2" }, scaleanchor: "x" } });
  const none = stageFigure(null, "live", EXTENT, axes);
  assert.deepEqual(none.data, []);
  assert.equal(none.layout?.yaxis?.title.text, "x2");
  assert.deepEqual(none.layout?.xaxis?.range, [-2, 3]);
});

test("every class symbol has a swatch path", () => {
  for (const s of CLASS_SYMBOLS) assert.match(symbolPath(s, 10, 7), /^M[\d.]+ [\d.]+.*z$/);
  assert.notEqual(symbolPath("square", 10, 7), symbolPath("circle", 10, 7));
});
